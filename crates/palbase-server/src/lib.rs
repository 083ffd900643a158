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

/// Compiles and loads a project once (no server): the route table or every error found.
pub fn check(root: &std::path::Path, settings: &palbase_project::config::Settings) -> Result<String, palbase_project::ProjectErrors> {
    let graph = palbase_project::graph::Compiler::new(root, builtin).build()?;
    let graph = std::sync::Arc::new(graph);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| palbase_project::ProjectErrors(vec![palbase_project::ProjectError::new("runtime", e.to_string())]))?;
    let local = tokio::task::LocalSet::new();
    let config = worker::engine_config(settings, palbase_engine::Role::Endpoints, std::sync::Arc::from("{}"));
    let g = graph.clone();
    let metas = local.block_on(&rt, async move {
        palbase_engine::Engine::new(g, std::sync::Arc::new(palbase_core::ops::OpRegistry::new()), config).await.map(|(e, _)| e.endpoints.clone())
    });
    match metas {
        Ok(m) => Ok(coordinator::route_table(&graph.routes, &m)),
        Err(e) => Err(palbase_project::ProjectErrors(e.0)),
    }
}

/// Compiles the project and evaluates `db/schema.ts`, if there is one.
pub fn read_schema(root: &std::path::Path, settings: &palbase_project::config::Settings, env_json: std::sync::Arc<str>) -> Result<Option<serde_json::Value>, palbase_project::ProjectErrors> {
    let graph = palbase_project::graph::Compiler::new(root, builtin).build()?;
    if graph.schema.is_none() {
        return Ok(None);
    }
    let shared = coordinator::Shared::for_tools(settings.clone(), env_json);
    coordinator::eval_schema(&graph, &shared).map(Some)
}
