//! The only crate that knows HTTP.
//!
//! `serve` starts one worker thread per core. Each worker owns a current-thread tokio runtime,
//! a `LocalSet` and one JS [`Engine`] for the current project version, and serves the
//! connections an acceptor thread hands it (the least loaded worker that is not stuck in
//! JavaScript). A coordinator (the calling thread) compiles the project,
//! publishes versions to the workers, collects their load reports, prints the route table and
//! errors, and reloads on file changes.

mod accept;
mod background;
mod code_pages;
mod coordinator;
mod forwarded;
mod http;
mod one_off;
pub mod openapi;
pub mod ratelimit;
pub mod service;
mod worker;

pub use background::BackgroundHost;
pub use coordinator::{RouteRow, ServeEvent, ServeOptions, serve};
pub use forwarded::trust_forwarded_for;
pub use service::{BoxError, Level, Notice, RouteBody, RouteError, RouteFuture, RouteRequest, Routes, Service, Services, VersionContext};

/// Whether an import specifier names a module the engine provides.
pub fn builtin(specifier: &str) -> Option<String> {
    palbase_engine::loader::builtin(specifier)
}

/// Compiles and loads a project once (no server): the route table or every error found.
pub fn check(root: &std::path::Path, settings: &palbase_project::config::Settings) -> Result<Vec<RouteRow>, palbase_project::ProjectErrors> {
    let p = one_off::OneOff::compile(root)?;
    let metas = p.load(settings, palbase_engine::Role::Endpoints, async |e| Ok(e.endpoints.clone()));
    let (metas, _) = one_off::both(metas, p.load_background(settings))?;
    Ok(coordinator::route_rows(&p.graph, &metas))
}

/// What [`check_version`] found: the route table and the evaluated `db/schema.ts`.
pub struct Checked {
    pub routes: Vec<RouteRow>,
    pub schema: Option<serde_json::Value>,
}

/// Everything a version must pass before anything changes (`palbase push` runs it before it
/// migrates): compiles and loads the project as [`check`] does, evaluates `db/schema.ts`, and
/// runs every service's [`Service::check`] (a webhook's secret, `flags.toml`). Every error found.
pub fn check_version(root: &std::path::Path, settings: &palbase_project::config::Settings, env_json: std::sync::Arc<str>, services: &Services) -> Result<Checked, palbase_project::ProjectErrors> {
    let p = one_off::OneOff::compile(root)?;
    let metas = p.load(settings, palbase_engine::Role::Endpoints, async |e| Ok(e.endpoints.clone()));
    let (metas, background) = one_off::both(metas, p.load_background(settings))?;
    let graph = &p.graph;
    let schema = if graph.schema.is_some() { Some(coordinator::eval_schema(graph, &coordinator::Shared::for_tools(settings.clone(), env_json))?) } else { None };
    services.check(&VersionContext { graph, schema: schema.as_ref(), background: &background })?;
    Ok(Checked { routes: coordinator::route_rows(graph, &metas), schema })
}

/// Compiles and loads a project once (no server): its OpenAPI document, or every error found.
pub fn openapi_document(root: &std::path::Path, settings: &palbase_project::config::Settings) -> Result<serde_json::Value, palbase_project::ProjectErrors> {
    let p = one_off::OneOff::compile(root)?;
    let info = openapi::info(root);
    p.load(settings, palbase_engine::Role::Endpoints, async |e| openapi::document(&p.graph, e, &info).await.map_err(|e| palbase_project::ProjectErrors(vec![palbase_project::ProjectError::new("openapi", e)])))
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

/// Loads `workers/` and `jobs/` into a background engine for one-off tools (`palbase cron …`):
/// their declarations, and the host that runs them with `ops`.
pub fn load_background(
    root: &std::path::Path,
    settings: &palbase_project::config::Settings,
    env_json: &std::sync::Arc<str>,
    ops: std::sync::Arc<palbase_core::ops::OpRegistry>,
) -> Result<(Vec<palbase_engine::BackgroundMeta>, std::sync::Arc<BackgroundHost>), palbase_project::ProjectErrors> {
    let graph = std::sync::Arc::new(palbase_project::graph::Compiler::new(root, builtin).build()?);
    let mut shared = coordinator::Shared::for_tools(settings.clone(), env_json.clone());
    shared.ops = ops;
    let host = BackgroundHost::start(std::sync::Arc::new(shared)).map_err(|e| palbase_project::ProjectErrors(vec![palbase_project::ProjectError::new("workers", e.to_string())]))?;
    let metas = host.load(graph).map_err(palbase_project::ProjectErrors)?;
    Ok((metas, host))
}

/// Entry points for the fuzz targets (fuzz/): not an API.
#[doc(hidden)]
pub mod fuzzing {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Serves `bytes` as one HTTP/1.1 connection with the server's parser limits, and shapes
    /// every request it carries as for a handler (query, headers, path segments, JSON,
    /// urlencoded and multipart bodies). A panic or a hang is the bug.
    pub fn request(bytes: &[u8]) {
        thread_local! {
            static RT: Option<tokio::runtime::Runtime> = tokio::runtime::Builder::new_current_thread().enable_all().build().ok();
        }
        RT.with(|rt| {
            let Some(rt) = rt else { return };
            rt.block_on(async {
                let (mut client, server) = tokio::io::duplex(1 << 20);
                let input = bytes.to_vec();
                let writer = async move {
                    let _ = client.write_all(&input).await;
                    let _ = client.shutdown().await;
                    let mut sink = Vec::new();
                    let _ = client.read_to_end(&mut sink).await;
                };
                let svc = hyper::service::service_fn(|req| async move {
                    let _ = crate::http::shape(req, 1 << 20).await;
                    Ok::<_, std::convert::Infallible>(http::Response::new(http_body_util::Full::new(bytes::Bytes::new())))
                });
                let mut b = hyper::server::conn::http1::Builder::new();
                b.max_header_size(16 << 10);
                let conn = b.serve_connection(hyper_util::rt::TokioIo::new(server), svc);
                let _ = tokio::join!(conn, writer);
            });
        });
    }
}
