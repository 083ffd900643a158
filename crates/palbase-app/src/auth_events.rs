//! Auth events into the runtime: auth runs in the client SDK and the auth service (services.md),
//! which report `user created`, `signed in`, `signed out` and `password reset` to
//! `POST /hooks/v1/auth`, signed with Standard Webhooks under the project's auth hook secret
//! (`PALBASE_AUTH_HOOK_SECRET`, else a development secret kept in `.palbase/`). A verified event
//! is stored once per `webhook-id` with one job per subscribed hook (`auth.on*` in `hooks/`).
//! `palbase hooks fire` sends the same request to a running local server.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, OnceLock},
};

use palbase_core::{ApiError, ops::OpRegistry};
use palbase_queue::{Queue, events::Received, events::Target};
use palbase_server::{RouteFuture, RouteRequest, Routes, Service};
use palbase_webhooks::{Delivery, Options, Provider, Secrets};
use serde_json::{Value, json};

use crate::webhooks::{json_response, read_body, refused};

/// The variable that holds the auth hook secret (`whsec_…`).
pub const AUTH_HOOK_SECRET_VAR: &str = "PALBASE_AUTH_HOOK_SECRET";

/// Where the auth events are posted.
pub const AUTH_EVENTS_PATH: &str = "/hooks/v1/auth";

/// The project's auth hook secret: configured, or a development secret created on first use
/// in the data directory (so the server and `palbase hooks fire` agree).
pub fn auth_hook_secret(root: &Path) -> std::io::Result<String> {
    if let Some(s) = crate::project_var(root, AUTH_HOOK_SECRET_VAR) {
        return Ok(s);
    }
    let dir = palbase_project::data_dir(root);
    let file = dir.join("auth-hook-secret");
    if let Ok(s) = std::fs::read_to_string(&file)
        && !s.trim().is_empty()
    {
        return Ok(s.trim().to_string());
    }
    use base64::Engine as _;
    let key: Vec<u8> = uuid::Uuid::new_v4().as_bytes().iter().chain(uuid::Uuid::new_v4().as_bytes()).copied().collect();
    let secret = format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(key));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(&file, &secret)?;
    Ok(secret)
}

/// The recorded event kind of an auth event type: the hook builder's name
/// (`auth.onUserCreated`) or the kind itself (`auth.user_created`).
pub fn auth_event_kind(t: &str) -> Option<&'static str> {
    palbase_project::kinds::HOOK_EVENTS.iter().find(|(h, k)| k.starts_with("auth.") && (*h == t || *k == t)).map(|(_, k)| *k)
}

pub(crate) struct AuthEventsService(Arc<AuthRoutes>);

impl AuthEventsService {
    pub(crate) fn new(root: &Path, queue: Arc<Queue>) -> Self {
        Self(Arc::new(AuthRoutes { root: root.to_path_buf(), queue, secret: OnceLock::new() }))
    }
}

impl Service for AuthEventsService {
    fn name(&self) -> &'static str {
        "auth-events"
    }

    fn register_ops(&self, _ops: &mut OpRegistry) {}

    fn routes(&self) -> Option<Arc<dyn Routes>> {
        Some(self.0.clone())
    }
}

struct AuthRoutes {
    root: PathBuf,
    queue: Arc<Queue>,
    /// Resolved on the first delivery (the development secret is created then), not per request.
    secret: OnceLock<Secrets>,
}

impl AuthRoutes {
    fn secrets(&self) -> Result<&Secrets, ApiError> {
        if let Some(s) = self.secret.get() {
            return Ok(s);
        }
        let s = auth_hook_secret(&self.root).map_err(|_| ApiError::internal())?;
        Ok(self.secret.get_or_init(|| Secrets::one(s)))
    }
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_event", msg)
}

impl Routes for AuthRoutes {
    fn prefix(&self) -> &'static str {
        "/hooks/v1/"
    }

    fn handle(&self, req: RouteRequest) -> RouteFuture {
        let secrets = self.secrets().cloned();
        let queue = self.queue.clone();
        Box::pin(async move {
            if req.uri().path() != AUTH_EVENTS_PATH {
                return Err(ApiError::new(404, "not_found", format!("no such route; auth events go to POST {AUTH_EVENTS_PATH}")).into());
            }
            if req.method() != http::Method::POST {
                return Err(ApiError::new(405, "method_not_allowed", "auth events are POST").into());
            }
            let (parts, body) = read_body(req, Options::DEFAULT_MAX_BODY_BYTES).await?;
            let v = palbase_webhooks::verify(Provider::StandardWebhooks, &secrets?, &Delivery::new(&parts.headers, &body), &Options::default()).map_err(|r| refused(&r))?;
            let p = &v.payload;
            let kind = p.get("type").and_then(Value::as_str).and_then(auth_event_kind).ok_or_else(|| bad("`type` must be an auth event: auth.onUserCreated, auth.onSignIn, auth.onSignOut or auth.onPasswordReset"))?;
            let data = p.get("data").unwrap_or(&Value::Null);
            let user = data.get("user").filter(|u| u.get("id").and_then(Value::as_str).is_some_and(|id| !id.is_empty())).ok_or_else(|| bad("`data.user` must be a user with an `id`"))?;
            let user = json!({
                "id": user["id"],
                "email": user.get("email").cloned().unwrap_or(json!("")),
                "role": user.get("role").cloned().unwrap_or(json!("authenticated")),
                "metadata": user.get("metadata").cloned().filter(Value::is_object).unwrap_or(json!({})),
            });
            let at = p.get("timestamp").cloned().unwrap_or_else(|| json!(jiff::Timestamp::now().to_string()));
            let mut event = json!({ "eventId": v.event_id, "user": user, "at": at });
            if let Some(provider) = data.get("provider").filter(|v| v.is_string()) {
                event["provider"] = provider.clone();
            }
            match queue.receive("auth", &v.event_id, Target::Event(kind.to_string()), event).await? {
                Received::New { jobs } => Ok(json_response(200, json!({ "received": true, "hooks": jobs }))),
                Received::Duplicate => Ok(json_response(200, json!({ "received": true, "duplicate": true }))),
            }
        })
    }
}
