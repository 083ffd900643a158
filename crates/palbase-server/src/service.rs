//! The service seam: what the server asks of every infrastructure service (database, queue,
//! cache, …) and what it tells them. The server knows HTTP, the engines and an op registry;
//! it does not know any service by name. The binary's wiring (palbase-app) builds the list.

use std::{future::Future, net::SocketAddr, pin::Pin, sync::Arc, time::Duration};

use bytes::Bytes;
use futures::stream::BoxStream;
use palbase_core::ApiError;

use palbase_core::ops::OpRegistry;
use palbase_engine::BackgroundMeta;
use palbase_project::{ProjectErrors, graph::ProjectGraph};

/// What a service sees of a project version before it is published.
pub struct VersionContext<'a> {
    pub graph: &'a ProjectGraph,
    /// The default export of `db/schema.ts`, evaluated once per version (`None` without one).
    pub schema: Option<&'a serde_json::Value>,
    /// The declarations of `workers/` and `jobs/`, as the background engine loaded them.
    pub background: &'a [BackgroundMeta],
}

/// Something a service reports for the terminal (the CLI renders it): a migration applied,
/// the registered workers. `lines` are shown indented under `title`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub title: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Notice {
    pub fn info(title: impl Into<String>, lines: Vec<String>) -> Self {
        Self { level: Level::Info, title: title.into(), lines }
    }

    pub fn warning(title: impl Into<String>, lines: Vec<String>) -> Self {
        Self { level: Level::Warning, title: title.into(), lines }
    }

    pub fn error(title: impl Into<String>, lines: Vec<String>) -> Self {
        Self { level: Level::Error, title: title.into(), lines }
    }
}

/// The error a body stream may end with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The body of a request to a service's own routes: its chunks as they arrive (never gathered
/// by the server; `limits.max_body_bytes` does not apply, the service bounds what it reads).
pub type RouteRequest = http::Request<BoxStream<'static, Result<Bytes, BoxError>>>;

/// What a service's route answers.
pub enum RouteBody {
    Empty,
    Full(Bytes),
    Stream(BoxStream<'static, Result<Bytes, BoxError>>),
}

/// A failed route: the error envelope, plus headers it needs (`Content-Range` on a 416).
pub struct RouteError {
    pub error: ApiError,
    pub headers: http::HeaderMap,
}

impl<E: Into<ApiError>> From<E> for RouteError {
    fn from(e: E) -> Self {
        RouteError { error: e.into(), headers: http::HeaderMap::new() }
    }
}

pub type RouteFuture = Pin<Box<dyn Future<Output = Result<http::Response<RouteBody>, RouteError>> + 'static>>;

/// HTTP routes a service answers itself, under one path prefix (Storage's signed and public
/// object URLs). They are matched before the project's endpoints and answer even while the
/// project's code fails to load. The server adds the request id and trace headers, and renders
/// a [`RouteError`] as the spec's envelope.
pub trait Routes: Send + Sync + 'static {
    /// e.g. `/storage/v1/`; a request whose path starts with it goes to [`Routes::handle`].
    fn prefix(&self) -> &'static str;
    fn handle(&self, req: RouteRequest) -> RouteFuture;
}

/// One infrastructure service. Each method has a default, so a service implements only what
/// it needs; see ARCHITECTURE.md, "Add a service".
pub trait Service: Send + Sync + 'static {
    /// The service's name and its `palbase.toml` section (`"cache"` → `[cache]`).
    fn name(&self) -> &'static str;

    /// Registers the service's ops (`cache.get`, …).
    fn register_ops(&self, ops: &mut OpRegistry);

    /// Validates a version without changing anything (a webhook's secret is set, a definition
    /// file parses). Every service's check passes before any service's `on_version` runs, so a
    /// version that fails here has migrated nothing (`palbase push` runs it before migrating).
    fn check(&self, _version: &VersionContext<'_>) -> Result<(), ProjectErrors> {
        Ok(())
    }

    /// A new project version compiled and is about to be published: migrate, read
    /// definitions. An error stops the version (the previous one keeps serving).
    fn on_version(&self, _version: &VersionContext<'_>) -> Result<Vec<Notice>, ProjectErrors> {
        Ok(Vec::new())
    }

    /// HTTP routes of the service's own (see [`Routes`]).
    fn routes(&self) -> Option<Arc<dyn Routes>> {
        None
    }

    /// The server is bound to `addr` (its port is known now, also with `--port 0`).
    fn listening(&self, _addr: SocketAddr) {}

    /// The server is up; background work (the queue) runs through `executor`.
    fn start(&self, _executor: Arc<dyn palbase_queue::Executor>) {}

    /// SIGINT/SIGTERM: stop taking work, let running work finish within `grace`.
    fn shutdown(&self, _grace: Duration) {}
}

/// The services of one server, in the order they were given (the order of `on_version`).
#[derive(Clone, Default)]
pub struct Services(pub Vec<Arc<dyn Service>>);

impl Services {
    /// The op registry of all services together.
    pub fn ops(&self) -> OpRegistry {
        let mut ops = OpRegistry::new();
        for s in &self.0 {
            s.register_ops(&mut ops);
        }
        ops
    }

    /// Every service's [`Service::check`]: all their errors together.
    pub fn check(&self, v: &VersionContext<'_>) -> Result<(), ProjectErrors> {
        let errors: Vec<_> = self.0.iter().filter_map(|s| s.check(v).err()).flat_map(|e| e.0).collect();
        if errors.is_empty() { Ok(()) } else { Err(ProjectErrors(errors)) }
    }

    /// Checks every service, then hands the version to each in order.
    pub(crate) fn on_version(&self, v: &VersionContext<'_>) -> Result<Vec<Notice>, ProjectErrors> {
        self.check(v)?;
        let mut notices = Vec::new();
        for s in &self.0 {
            notices.extend(s.on_version(v)?);
        }
        Ok(notices)
    }

    pub(crate) fn routes(&self) -> Vec<Arc<dyn Routes>> {
        self.0.iter().filter_map(|s| s.routes()).collect()
    }

    pub(crate) fn listening(&self, addr: SocketAddr) {
        for s in &self.0 {
            s.listening(addr);
        }
    }

    pub(crate) fn start(&self, executor: &Arc<dyn palbase_queue::Executor>) {
        for s in &self.0 {
            s.start(executor.clone());
        }
    }

    pub(crate) fn shutdown(&self, grace: Duration) {
        for s in &self.0 {
            s.shutdown(grace);
        }
    }
}
