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

/// Where Palbase keeps local state for a project (SQLite file, generated files).
pub fn data_dir(root: &std::path::Path) -> PathBuf {
    root.join(".palbase")
}
