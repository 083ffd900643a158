//! Project settings: `palbase.toml` (optional) and `.env` (optional).
//!
//! Precedence, highest first: command-line flags (applied by the CLI), process environment,
//! `.env`, `palbase.toml`, built-in defaults. Every environment variable Palbase reads is listed
//! in [`ENV_VARS`].

use std::{collections::BTreeMap, path::Path};

use serde::Deserialize;

use crate::ProjectError;

/// Every environment variable Palbase itself reads (the project's own variables pass through to
/// `ctx.env` untouched).
pub const ENV_VARS: [(&str, &str); 6] = [
    ("PALBASE_PORT", "port to listen on (default 4003)"),
    ("PALBASE_JWT_SECRET", "HS256 secret for Bearer tokens (default: a per-project dev secret in .palbase/)"),
    ("PALBASE_JWKS", "path or URL of a JWKS for RS256/ES256 tokens"),
    ("PALBASE_DATABASE_URL", "postgres://… to use PostgreSQL instead of the embedded SQLite"),
    ("PALBASE_LOG", "log filter, e.g. `info` or `palbase=debug`"),
    ("PALBASE_LOG_FORMAT", "`pretty` or `json` (default: pretty in a terminal, json otherwise)"),
];

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub limits: Limits,
    pub auth: AuthSettings,
    pub database: DatabaseSettings,
    pub queue: QueueSettings,
    pub imports: ImportSettings,
}

/// Tunables of the job queue (`[queue]`); unset values keep the queue's defaults
/// (docs/background.md).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct QueueSettings {
    /// Unit of the retry backoff, ms (default 5000).
    pub backoff_base_ms: Option<u64>,
    /// Safety-net poll for new jobs, ms (default 1000; pushes wake workers at once).
    pub poll_interval_ms: Option<u64>,
    /// Jobs running at once on this instance (default 100).
    pub max_concurrency: Option<u32>,
    /// A worker's concurrency when it declares none (default 10).
    pub default_concurrency: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    /// Worker threads, each with its own JS engine. 0 = one per core.
    pub threads: usize,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest request body accepted, in bytes (413 above it).
    pub max_body_bytes: usize,
    /// A request must finish within this many milliseconds (wall clock); JavaScript that keeps
    /// the CPU busy past it is interrupted.
    pub handler_timeout_ms: u64,
    /// Heap limit of each JS engine, in MiB.
    pub memory_limit_mb: usize,
    /// Stack limit of each JS engine, in KiB.
    pub stack_limit_kb: usize,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    pub jwt_secret: Option<String>,
    /// Path (relative to the project) or URL of a JWKS document.
    pub jwks: Option<String>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    /// Allowed clock skew for `exp`/`nbf`, seconds.
    pub leeway_seconds: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: Option<String>,
}

/// Module resolution (`[imports]`), read by the module graph's compiler on every build.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ImportSettings {
    /// Load packages in `node_modules` that are symbolic links to directories outside the
    /// project (`npm link`, a workspace's shared packages); refused by default.
    pub allow_symlinked_packages: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { server: ServerSettings::default(), limits: Limits::default(), auth: AuthSettings::default(), database: DatabaseSettings::default(), queue: QueueSettings::default(), imports: ImportSettings::default() }
    }
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self { host: "127.0.0.1".into(), port: 4003, threads: 0 }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_body_bytes: 4 << 20, handler_timeout_ms: 10_000, memory_limit_mb: 128, stack_limit_kb: 1024 }
    }
}

/// The project's environment: `.env` overlaid by the process environment, as `ctx.env` sees it.
pub type Env = BTreeMap<String, String>;

/// Reads `.env` (if any). Process variables win over the file, as with every dotenv tool.
pub fn load_env(root: &Path) -> Result<Env, ProjectError> {
    let mut env = Env::new();
    let path = root.join(".env");
    if path.is_file() {
        let iter = dotenvy::from_path_iter(&path).map_err(|e| ProjectError::new(".env", e.to_string()))?;
        for item in iter {
            let (k, v) = item.map_err(|e| ProjectError::new(".env", e.to_string()).hint("lines look like KEY=value"))?;
            env.insert(k, v);
        }
    }
    for (k, v) in std::env::vars() {
        if env.contains_key(&k) {
            env.insert(k, v);
        }
    }
    Ok(env)
}

/// Reads `palbase.toml` (if any) and applies `PALBASE_*` overrides from `env`.
pub fn load_settings(root: &Path, env: &Env) -> Result<Settings, ProjectError> {
    let path = root.join("palbase.toml");
    let mut s = if path.is_file() {
        let text = std::fs::read_to_string(&path).map_err(|e| ProjectError::new("palbase.toml", e.to_string()))?;
        toml::from_str::<Settings>(&text).map_err(|e| {
            let mut err = ProjectError::new("palbase.toml", e.message().to_string());
            if let Some(span) = e.span() {
                let (l, c) = palbase_ts::line_col(&text, span.start as u32);
                err = err.at(l, c);
            }
            err.hint("see docs/configuration.md for every setting")
        })?
    } else {
        Settings::default()
    };
    let var = |k: &str| env.get(k).cloned().or_else(|| std::env::var(k).ok()).filter(|v| !v.is_empty());
    if let Some(p) = var("PALBASE_PORT") {
        s.server.port = p.parse().map_err(|_| ProjectError::new("environment", format!("PALBASE_PORT={p} is not a port number")))?;
    }
    if let Some(v) = var("PALBASE_JWT_SECRET") {
        s.auth.jwt_secret = Some(v);
    }
    if let Some(v) = var("PALBASE_JWKS") {
        s.auth.jwks = Some(v);
    }
    if let Some(v) = var("PALBASE_DATABASE_URL") {
        s.database.url = Some(v);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_errors() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(load_settings(d.path(), &Env::new()).unwrap(), Settings::default());
        std::fs::write(d.path().join("palbase.toml"), "[limits]\nhandler_timeout_ms = 250\n[server]\nprot = 1\n").unwrap();
        let e = load_settings(d.path(), &Env::new()).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("palbase.toml", Some(4)), "{e}");
        std::fs::write(d.path().join("palbase.toml"), "[limits]\nhandler_timeout_ms = 250\n").unwrap();
        let mut env = Env::new();
        env.insert("PALBASE_PORT".into(), "5000".into());
        let s = load_settings(d.path(), &env).unwrap();
        assert_eq!((s.limits.handler_timeout_ms, s.server.port, s.limits.max_body_bytes), (250, 5000, 4 << 20));
    }

    #[test]
    fn dotenv() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(".env"), "A=1\n# c\nB=\"two words\"\n").unwrap();
        let env = load_env(d.path()).unwrap();
        assert_eq!(env.get("B").map(String::as_str), Some("two words"));
        assert_eq!(env.get("A").map(String::as_str), Some("1"));
    }
}
