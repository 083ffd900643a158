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
pub const ENV_VARS: [(&str, &str); 7] = [
    ("PALBASE_PORT", "port to listen on (default 4003)"),
    ("PALBASE_JWT_SECRET", "HS256 secret for Bearer tokens (default: a per-project dev secret in .palbase/)"),
    ("PALBASE_JWKS", "path or URL of a JWKS for RS256/ES256 tokens"),
    ("PALBASE_DATABASE_URL", "postgres://… to use PostgreSQL instead of the embedded SQLite"),
    ("PALBASE_REDIS_URL", "redis://… to use Redis for the cache (and shared rate limits) instead of the in-process cache"),
    ("PALBASE_LOG", "log filter, e.g. `info` or `palbase=debug`"),
    ("PALBASE_LOG_FORMAT", "`pretty` or `json` (default: pretty in a terminal, json otherwise)"),
];

/// The settings of the runtime itself. Each service owns a section of its own (`[database]`,
/// `[queue]`, `[cache]`, …), read with [`Settings::section`] by the service that owns it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub server: ServerSettings,
    pub limits: Limits,
    pub auth: AuthSettings,
    pub fetch: FetchSettings,
    /// The text of `palbase.toml`, for the services' sections and their error positions.
    source: Option<std::sync::Arc<str>>,
}

/// The sections the runtime itself reads; services add theirs ([`Settings::check_sections`]).
pub const CORE_SECTIONS: [&str; 6] = ["server", "limits", "auth", "imports", "deploy", "fetch"];

impl Settings {
    /// Reads the section `name` of `palbase.toml` into `T` (its defaults when the section or
    /// the file is absent). Errors carry the line and column in `palbase.toml`.
    pub fn section<T: serde::de::DeserializeOwned + Default>(&self, name: &str) -> Result<T, ProjectError> {
        let Some(text) = self.source.as_deref() else { return Ok(T::default()) };
        let de = toml::de::Deserializer::parse(text).map_err(|e| toml_error(text, &e))?;
        let picked = serde::de::DeserializeSeed::deserialize(Pick::<T>(name, std::marker::PhantomData), de).map_err(|e| toml_error(text, &e))?;
        Ok(picked.unwrap_or_default())
    }

    /// Refuses a top-level key of `palbase.toml` that neither the runtime nor a service reads
    /// (a typo such as `[cahce]` would otherwise be ignored silently).
    pub fn check_sections(&self, services: &[&str]) -> Result<(), ProjectError> {
        let Some(text) = self.source.as_deref() else { return Ok(()) };
        let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        for key in table.keys() {
            if CORE_SECTIONS.contains(&key.as_str()) || services.contains(&key.as_str()) {
                continue;
            }
            let mut known: Vec<&str> = CORE_SECTIONS.iter().chain(services).copied().collect();
            known.sort_unstable();
            let mut err = ProjectError::new("palbase.toml", format!("unknown section `{key}`"));
            let starts = |l: &str| {
                let l = l.trim_start();
                l.strip_prefix('[').map_or(l, str::trim_start).starts_with(key.as_str())
            };
            if let Some(line) = text.lines().position(starts) {
                err = err.at(line as u32 + 1, 1);
            }
            return Err(err.hint(format!("the sections are: {}", known.join(", "))));
        }
        Ok(())
    }
}

/// Deserialises one key of a table, ignoring the others.
struct Pick<'n, T>(&'n str, std::marker::PhantomData<T>);

impl<'de, T: serde::de::Deserialize<'de>> serde::de::DeserializeSeed<'de> for Pick<'_, T> {
    type Value = Option<T>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: serde::de::Deserialize<'de>> serde::de::Visitor<'de> for Pick<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a table")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.0 {
                out = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

fn toml_error(text: &str, e: &toml::de::Error) -> ProjectError {
    let mut err = ProjectError::new("palbase.toml", e.message().to_string());
    if let Some(span) = e.span() {
        let (l, c) = palbase_ts::line_col(text, span.start as u32);
        err = err.at(l, c);
    }
    err.hint("see docs/runtime.md for every setting")
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    /// Worker threads, each with its own JS engine. 0 = one per core.
    pub threads: usize,
    /// Threads (each with its own JS engine) that run workers, cron jobs, hooks and webhooks.
    pub background_threads: usize,
    /// Open connections at most; past it, new ones wait in the listen backlog until one closes.
    /// Also capped by the process's file descriptor limit.
    pub max_connections: usize,
    /// From the moment a connection is ready for a request (accepted, or its previous response
    /// sent), the request line and headers must arrive within this many milliseconds.
    pub header_read_timeout_ms: u64,
    /// A connection with no request in progress and no byte received for this long is closed.
    pub keep_alive_timeout_ms: u64,
    /// A connection whose client takes no byte of the response for this long is closed.
    pub send_timeout_ms: u64,
    /// A request body must arrive within this many milliseconds of its head (408 after it).
    pub body_read_timeout_ms: u64,
    /// Most header lines in a request (431 above).
    pub max_headers: usize,
    /// Largest request head (request line + headers), in bytes (431 above).
    pub max_header_bytes: usize,
    /// Longest request target (path + query), in bytes (414 above).
    pub max_uri_bytes: usize,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest request body accepted, in bytes (413 above it).
    pub max_body_bytes: usize,
    /// A request must finish within this many milliseconds (wall clock); JavaScript that keeps
    /// the CPU busy past it is interrupted.
    pub handler_timeout_ms: u64,
    /// Longest uninterrupted stretch of JavaScript (one segment: the handler's synchronous
    /// part, or a continuation after an await), in milliseconds; past it, it is interrupted.
    /// Bounds how long a busy engine keeps the other requests of its thread waiting.
    pub cpu_limit_ms: u64,
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

/// What handler `fetch` may reach (`[fetch]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FetchSettings {
    /// Whether `fetch` may connect to loopback, private, link-local (cloud metadata) and other
    /// non-public addresses. `palbase serve` (local development) allows it by default; a
    /// `palbase server` deployment sets it to `false` after reading the settings, whatever the
    /// project says.
    pub allow_private: bool,
    /// Exceptions when private addresses are refused: host names (`db.internal`, matched
    /// exactly, or `*.internal` for subdomains), addresses (`10.0.0.5`) or networks
    /// (`10.1.0.0/16`, `fd00::/8`).
    pub allow: Vec<String>,
}

impl Default for FetchSettings {
    fn default() -> Self {
        Self { allow_private: true, allow: Vec::new() }
    }
}

/// Module resolution (`[imports]`), read by the module graph's compiler on every build.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ImportSettings {
    /// Load packages in `node_modules` that are symbolic links to directories outside the
    /// project (`npm link`, a workspace's shared packages); refused by default.
    pub allow_symlinked_packages: bool,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 4003,
            threads: 0,
            background_threads: 2,
            max_connections: 10_000,
            header_read_timeout_ms: 10_000,
            keep_alive_timeout_ms: 5_000,
            send_timeout_ms: 30_000,
            body_read_timeout_ms: 30_000,
            max_headers: 100,
            max_header_bytes: 16 << 10,
            max_uri_bytes: 8 << 10,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_body_bytes: 4 << 20, handler_timeout_ms: 10_000, cpu_limit_ms: 1_000, memory_limit_mb: 128, stack_limit_kb: 1024 }
    }
}

/// The project's environment: `.env` overlaid by the process environment, as `ctx.env` sees it.
pub type Env = BTreeMap<String, String>;

/// Reads `.env` (if any). Process variables win over the file, as with every dotenv tool.
pub fn load_env(root: &Path) -> Result<Env, ProjectError> {
    let path = root.join(".env");
    let mut env = if path.is_file() { parse_env(std::fs::File::open(&path).map_err(|e| ProjectError::new(".env", e.to_string()))?)? } else { Env::new() };
    for (k, v) in std::env::vars() {
        if env.contains_key(&k) {
            env.insert(k, v);
        }
    }
    Ok(env)
}

/// The variables of a `.env` file's text (no process overrides).
pub fn parse_env(text: impl std::io::Read) -> Result<Env, ProjectError> {
    let mut env = Env::new();
    for item in dotenvy::from_read_iter(text) {
        let (k, v) = item.map_err(|e| ProjectError::new(".env", e.to_string()).hint("lines look like KEY=value"))?;
        env.insert(k, v);
    }
    Ok(env)
}

/// A variable as the project sees it (a secret named in the settings or in code): the process
/// environment, else `.env` (`env`, from [`load_env`]); empty counts as unset.
pub fn lookup(env: &Env, name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty()).or_else(|| env.get(name).filter(|v| !v.is_empty()).cloned())
}

/// Reads `palbase.toml` (if any) and applies `PALBASE_*` overrides from `env`.
pub fn load_settings(root: &Path, env: &Env) -> Result<Settings, ProjectError> {
    let path = root.join("palbase.toml");
    let text = if path.is_file() { Some(std::fs::read_to_string(&path).map_err(|e| ProjectError::new("palbase.toml", e.to_string()))?) } else { None };
    parse_settings(text.as_deref(), env)
}

/// [`load_settings`] of the text of `palbase.toml` (`None`: no file).
pub fn parse_settings(text: Option<&str>, env: &Env) -> Result<Settings, ProjectError> {
    let mut s = Settings::default();
    if let Some(text) = text {
        s.source = Some(text.into());
        s.server = s.section("server")?;
        s.limits = s.section("limits")?;
        s.auth = s.section("auth")?;
        s.fetch = s.section("fetch")?;
    }
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
        // A service's section: read by its owner, with positions; unknown sections refused.
        std::fs::write(d.path().join("palbase.toml"), "[server]\nport = 1\n\n[cache]\nmax_mb = \"x\"\n[cahce]\n").unwrap();
        let s = load_settings(d.path(), &Env::new()).unwrap();
        #[derive(Debug, Default, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        struct Cache {
            #[allow(dead_code)]
            max_mb: u64,
        }
        let e = s.section::<Cache>("cache").unwrap_err();
        assert_eq!((e.line, e.column), (Some(5), Some(10)), "{e}");
        assert!(s.section::<Cache>("database").is_ok());
        let e = s.check_sections(&["cache"]).unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
        assert!(e.to_string().contains("unknown section `cahce`"), "{e}");
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
