//! The only crate that knows HTTP.
//!
//! `serve` starts one worker thread per core. Each worker owns a current-thread tokio runtime,
//! a `LocalSet` and one JS [`Engine`] for the current project version, and accepts connections
//! from one shared listening socket. A coordinator (the calling thread) compiles the project,
//! publishes versions to the workers, collects their load reports, prints the route table and
//! errors, and reloads on file changes.

mod coordinator;
mod http;
pub mod ratelimit;
mod worker;

pub use coordinator::{ServeOptions, serve};

/// Whether an import specifier names a module the engine provides.
pub fn builtin(specifier: &str) -> Option<String> {
    palbase_engine::loader::builtin(specifier)
}
