//! The managed runtime in the `palbase` binary: `palbase server` hosts many projects, each with
//! branches; `palbase push` sends a project as a content-addressed bundle.
//!
//! The server is a control plane and a front router. Each branch's live deployment runs as a
//! child process (`palbase serve` of the materialised bundle, on a loopback port, with the
//! branch's own data directory), so projects are isolated by the operating system. A push
//! starts the new child, which compiles, loads and migrates before it reports ready; only then
//! the branch's `live.json` is renamed into place and the router switches; the old child
//! finishes its requests in flight and stops. See docs/runtime.md, "Deploy".

pub mod child;
pub mod client;
pub mod manifest;
pub mod names;
pub mod pg;
pub mod secrets;
pub mod server;
pub mod store;
pub mod tokens;

/// What the deploy crate's operations fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("the server's PostgreSQL: {0}")]
    Database(String),
    #[error("corrupt server data: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Invalid(String),
    /// The control API answered an error.
    #[error("{message}")]
    Remote { status: u16, code: String, message: String },
    #[error("cannot reach the server at {url}: {source}")]
    Connect { url: String, source: reqwest::Error },
}
