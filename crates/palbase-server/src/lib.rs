//! The only crate that knows HTTP.
//!
//! `serve` starts one worker thread per core. Each worker owns a current-thread tokio runtime,
//! a `LocalSet` and one JS [`Engine`] for the current project version, and accepts connections
//! from one shared listening socket. A coordinator (the calling thread) compiles the project,
//! publishes versions to the workers, collects their load reports, prints the route table and
//! errors, and reloads on file changes.

mod background;
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

/// Loads `workers/` and `jobs/` into a background engine and gives their declarations to
/// `queue` (for the `palbase cron` commands); with `start`, the queue runs through that engine.
pub fn load_background(
    root: &std::path::Path,
    settings: &palbase_project::config::Settings,
    env_json: &std::sync::Arc<str>,
    db: &std::sync::Arc<palbase_db::Db>,
    queue: &std::sync::Arc<palbase_queue::Queue>,
    start: bool,
) -> Result<(), palbase_project::ProjectErrors> {
    let graph = std::sync::Arc::new(palbase_project::graph::Compiler::new(root, builtin).build()?);
    let mut shared = coordinator::Shared::for_tools(settings.clone(), env_json.clone());
    shared.ops = service_ops(db, queue);
    let host = background::BackgroundHost::start(std::sync::Arc::new(shared)).map_err(|e| palbase_project::ProjectErrors(vec![palbase_project::ProjectError::new("workers", e.to_string())]))?;
    let metas = host.load(graph).map_err(palbase_project::ProjectErrors)?;
    let (workers, jobs) = background::specs(&metas);
    let errors = queue.set_definitions(workers, jobs);
    if !errors.is_empty() {
        return Err(palbase_project::ProjectErrors(errors.into_iter().map(|e| palbase_project::ProjectError::new(format!("{}s", e.kind), e.to_string())).collect()));
    }
    if start {
        queue.start(host);
    }
    Ok(())
}

/// The ops of every service this binary has, wired to one database and queue: what JavaScript
/// reaches through `__pb_host.op`. Transactions a request leaves open end with it.
pub fn service_ops(db: &std::sync::Arc<palbase_db::Db>, queue: &std::sync::Arc<palbase_queue::Queue>) -> std::sync::Arc<palbase_core::ops::OpRegistry> {
    let mut ops = palbase_core::ops::OpRegistry::new();
    palbase_db::register_ops(&mut ops, db.clone());
    let d = db.clone();
    ops.on_request_end(std::sync::Arc::new(move |id| d.end_request(id)));
    palbase_queue::register_ops(&mut ops, queue.clone());
    std::sync::Arc::new(ops)
}
