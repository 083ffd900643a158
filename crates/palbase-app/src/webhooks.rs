//! Inbound webhooks (`webhooks/<name>.ts`, events.md): `POST /webhooks/<name>` verifies the
//! delivery on its raw bytes (palbase-webhooks), stores it once per provider event id together
//! with its job (`Queue::receive`), and answers 2xx at once; the `events[type]` handler runs
//! later as the queue worker `webhook:<name>`, with retries and dead letters. `[webhooks]` in
//! `palbase.toml` sets the tolerance and the body limit.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
    time::Duration,
};

use bytes::Bytes;
use futures::StreamExt;
use palbase_core::{ApiError, ops::OpRegistry};
use palbase_engine::BackgroundMeta;
use palbase_project::{ProjectError, ProjectErrors, config::Settings};
use palbase_queue::{Queue, events::Received, events::Target};
use palbase_server::{Notice, RouteBody, RouteError, RouteFuture, RouteRequest, Routes, Service, VersionContext};
use palbase_webhooks::{Delivery, Options, Provider, Secrets};
use serde::Deserialize;
use serde_json::json;

/// `[webhooks]` in `palbase.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WebhooksSettings {
    /// How far a signed timestamp may be from now, either way, in seconds (default 300).
    pub tolerance_seconds: Option<u64>,
    /// Largest body accepted, in bytes (default 1 MiB); larger deliveries get 413.
    pub max_body_bytes: Option<usize>,
}

/// One `webhooks/` file, ready to verify deliveries.
struct Endpoint {
    provider: Provider,
    secrets: Secrets,
    worker: String,
    events: Vec<String>,
}

pub(crate) struct WebhooksService {
    root: PathBuf,
    state: Arc<State>,
}

struct State {
    queue: Arc<Queue>,
    endpoints: RwLock<HashMap<String, Arc<Endpoint>>>,
    tolerance: Duration,
    max_body: usize,
}

impl WebhooksService {
    pub(crate) fn new(root: &Path, queue: Arc<Queue>, settings: &Settings) -> Result<Self, ProjectError> {
        let s: WebhooksSettings = settings.section("webhooks")?;
        let state = State { queue, endpoints: RwLock::default(), tolerance: Duration::from_secs(s.tolerance_seconds.unwrap_or(300)), max_body: s.max_body_bytes.unwrap_or(Options::DEFAULT_MAX_BODY_BYTES) };
        Ok(Self { root: root.to_path_buf(), state: Arc::new(state) })
    }
}

impl WebhooksService {
    /// Resolves every webhook's secret: a missing one fails the version, naming the file and
    /// the variable.
    fn resolve(&self, v: &VersionContext<'_>) -> Result<HashMap<String, Arc<Endpoint>>, ProjectErrors> {
        let mut endpoints = HashMap::new();
        let mut errors = Vec::new();
        // Secrets come from the process environment (a deployment's has its deploy secrets
        // there), else `.env`, read once per version.
        let env = palbase_project::config::load_env(&self.root).unwrap_or_default();
        for m in v.background {
            let BackgroundMeta::Webhook { worker, file, name, provider, secret_env, events } = m else { continue };
            let Ok(provider) = provider.parse::<Provider>() else {
                errors.push(ProjectError::new(file, format!("unknown webhook provider `{provider}`")));
                continue;
            };
            let Some(secret) = palbase_project::config::lookup(&env, secret_env) else {
                errors.push(ProjectError::new(file, format!("the signing secret `{secret_env}` is not set")).hint(format!("set {secret_env} in the environment or in .env (several secrets, comma-separated, while one is rotated)")));
                continue;
            };
            let secrets = Secrets::new(secret.split(',').map(str::trim).filter(|s| !s.is_empty()));
            endpoints.insert(name.clone(), Arc::new(Endpoint { provider, secrets, worker: worker.clone(), events: events.clone() }));
        }
        if !errors.is_empty() {
            return Err(ProjectErrors(errors));
        }
        Ok(endpoints)
    }
}

impl Service for WebhooksService {
    fn name(&self) -> &'static str {
        "webhooks"
    }

    fn register_ops(&self, _ops: &mut OpRegistry) {}

    /// A webhook whose secret is missing fails the version before anything migrates.
    fn check(&self, v: &VersionContext<'_>) -> Result<(), ProjectErrors> {
        self.resolve(v).map(drop)
    }

    fn on_version(&self, v: &VersionContext<'_>) -> Result<Vec<Notice>, ProjectErrors> {
        let endpoints = self.resolve(v)?;
        *self.state.endpoints.write().unwrap_or_else(|p| p.into_inner()) = endpoints;
        Ok(Vec::new())
    }

    fn routes(&self) -> Option<Arc<dyn Routes>> {
        Some(Arc::new(WebhookRoutes(self.state.clone())))
    }
}

struct WebhookRoutes(Arc<State>);

/// Reads a body of at most `limit` bytes (more → 413, before anything else is done).
pub(crate) async fn read_body(req: RouteRequest, limit: usize) -> Result<(http::request::Parts, Bytes), RouteError> {
    let (parts, mut body) = req.into_parts();
    let mut buf = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| ApiError::bad_request("invalid_body", "the request body could not be read"))?;
        if buf.len() + chunk.len() > limit {
            return Err(ApiError::new(413, "payload_too_large", format!("the body is over {limit} bytes")).into());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok((parts, Bytes::from(buf)))
}

pub(crate) fn json_response(status: u16, v: serde_json::Value) -> http::Response<RouteBody> {
    let mut r = http::Response::new(RouteBody::Full(Bytes::from(v.to_string())));
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    r.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    r
}

/// A refusal as the envelope: the status and stable code, nothing that helps an attacker.
pub(crate) fn refused(r: &palbase_webhooks::Refused) -> RouteError {
    ApiError::new(r.status(), r.code(), r.to_string()).into()
}

impl Routes for WebhookRoutes {
    fn prefix(&self) -> &'static str {
        "/webhooks/"
    }

    fn handle(&self, req: RouteRequest) -> RouteFuture {
        let state = self.0.clone();
        Box::pin(async move {
            let name = req.uri().path().trim_start_matches("/webhooks/").trim_end_matches('/').to_string();
            let endpoint = state.endpoints.read().unwrap_or_else(|p| p.into_inner()).get(&name).cloned();
            let Some(endpoint) = endpoint else {
                return Err(ApiError::new(404, "webhook_not_found", format!("no webhooks/{name}.ts")).into());
            };
            if req.method() != http::Method::POST {
                let mut e = RouteError::from(ApiError::new(405, "method_not_allowed", "webhooks are POST"));
                e.headers.insert(http::header::ALLOW, http::HeaderValue::from_static("POST"));
                return Err(e);
            }
            let (parts, body) = read_body(req, state.max_body).await?;
            let opts = Options { tolerance: state.tolerance, max_body_bytes: state.max_body, ..Options::default() };
            let v = palbase_webhooks::verify(endpoint.provider, &endpoint.secrets, &Delivery::new(&parts.headers, &body), &opts).map_err(|r| refused(&r))?;
            if let Some(challenge) = v.challenge {
                return Ok(json_response(200, json!({ "challenge": challenge })));
            }
            if !endpoint.events.contains(&v.event_type) {
                tracing::info!(target: "palbase::webhooks", webhook = %name, event_type = %v.event_type, "no handler for this event type: acknowledged and ignored");
                return Ok(json_response(200, json!({ "received": true, "handled": false })));
            }
            let payload = json!({ "type": v.event_type, "id": v.event_id, "event": v.payload });
            match state.queue.receive(&format!("webhook:{name}"), &v.event_id, Target::Worker(endpoint.worker.clone()), payload).await? {
                Received::New { .. } => Ok(json_response(200, json!({ "received": true }))),
                Received::Duplicate => Ok(json_response(200, json!({ "received": true, "duplicate": true }))),
            }
        })
    }
}
