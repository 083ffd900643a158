//! Reads a Palbase project directory. No JS engine and no HTTP here: this crate turns files into
//! data the other crates consume.
//!
//! - [`routes`]: `endpoints/**/<method>.ts` → the route table (routing.md).
//! - [`graph`]: compiles every entry file and everything it imports into a [`graph::ModuleGraph`]
//!   (TypeScript stripped, imports resolved the way Node resolves them).
//! - [`config`]: `palbase.toml` and `.env`.
//!
//! Errors are [`ProjectError`]s: a file, a position when there is one, a message and a hint.

pub mod config;
pub mod graph;
pub mod kinds;
pub mod resolve;
pub mod routes;

use std::{fmt, path::PathBuf};

/// Something wrong with the user's project, located for humans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectError {
    /// Path relative to the project root, with `/` separators.
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    pub hint: Option<String>,
}

impl ProjectError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: file.into(), line: None, column: None, message: message.into(), hint: None }
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for ProjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// All errors found in one pass, so a user fixes them in one go rather than one per reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectErrors(pub Vec<ProjectError>);

impl fmt::Display for ProjectErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProjectErrors {}

/// `path` relative to `root` with `/` separators (the id a module has everywhere).
pub fn rel_id(root: &std::path::Path, path: &std::path::Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The directories a project may have (spec: "Project shape").
pub const SOURCE_DIRS: [&str; 6] = ["endpoints", "middleware", "workers", "jobs", "hooks", "webhooks"];

/// Whether a change to `rel` (a path relative to the project root) can change what the project
/// serves, so the file watcher reloads for it: script and JSON files (sources, `package.json`,
/// `tsconfig.json`, imported packages), directories under the source directories, `palbase.toml`, `.env` and `flags.toml`. Anything else
/// (a log file written into the project, editors' swap files, the data directory, `.git`,
/// `target`) is ignored, so `palbase serve > serve.log` in the project does not reload forever.
pub fn watched(rel: &std::path::Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    if parts.any(|c| matches!(c.as_ref(), ".palbase" | ".git" | "target")) {
        return false;
    }
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else { return false };
    if rel.parent().is_none_or(|p| p.as_os_str().is_empty()) && matches!(name, "palbase.toml" | ".env" | "flags.toml") {
        return true;
    }
    // A name without a dot under the source directories is most likely a directory
    // (`endpoints/[id]` renamed or removed: the only event such a change gives).
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    let in_sources = SOURCE_DIRS.contains(&first.as_str()) || first == "db";
    (in_sources && !name.contains('.')) || (!name.starts_with(".#") && [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"].iter().any(|ext| name.ends_with(ext)))
}

/// Where Palbase keeps local state for a project (SQLite file, generated files).
pub fn data_dir(root: &std::path::Path) -> PathBuf {
    // `palbase server` gives each branch's process its own data directory.
    match std::env::var_os("PALBASE_DATA_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => root.join(".palbase"),
    }
}

#[cfg(test)]
mod watch_tests {
    use std::path::Path;

    #[test]
    fn what_reloads() {
        for p in ["endpoints/a/get.ts", "endpoints/[id]", "lib/util.mjs", "package.json", "tsconfig.json", "palbase.toml", ".env", "flags.toml", "db/schema.ts", "node_modules/x/index.js"] {
            assert!(super::watched(Path::new(p)), "{p}");
        }
        for p in ["serve.log", "README.md", "notes.txt", ".palbase/data.db", ".git/index", "target/x.js", "endpoints/a/.#get.ts", "endpoints/a/get.ts~", "sub/palbase.toml", "notes", "notes/sub", "image.png", "endpoints/a/get.ts.swp"] {
            assert!(!super::watched(Path::new(p)), "{p}");
        }
    }
}
