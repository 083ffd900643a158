//! The Storage service (palbase-storage): `[storage]` and `[storage.buckets.<name>]`, on the
//! local disk by default, on an S3-compatible service when `url = "s3://bucket/prefix"`; its
//! ops, and its own HTTP routes (signed and public object URLs).

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    path::Path,
    sync::{Arc, Weak},
    time::Duration,
};

use futures::StreamExt;
use palbase_core::ops::OpRegistry;
use palbase_project::{ProjectError, config::Settings};
use palbase_server::{RouteBody, RouteError, RouteFuture, RouteRequest, Routes, Service};
use palbase_storage::{Body, BucketConfig, EventSink, S3Config, Storage, StorageConfig, StorageError, StorageEvent, serve::Served};
use serde::Deserialize;

use crate::AppError;

/// `[storage]` in `palbase.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct StorageSettings {
    /// `s3://<bucket>[/<prefix>]` to keep objects on an S3-compatible service instead of the
    /// data directory (also `PALBASE_STORAGE_URL`, which wins). Credentials and region come from
    /// the standard `AWS_*` environment.
    pub url: Option<String>,
    /// The S3 endpoint, `http(s)://host:port` (also `AWS_ENDPOINT_URL`); none: AWS.
    pub endpoint: Option<String>,
    /// The S3 region (also `AWS_REGION`; default `us-east-1`).
    pub region: Option<String>,
    /// `https://<bucket>.<endpoint>/…` addressing instead of path-style.
    pub virtual_hosted_style: bool,
    /// The URL clients reach this runtime at (signed URLs of the local backend and public URLs
    /// start with it; also `PALBASE_PUBLIC_URL`). Default: the address the server listens on.
    pub base_url: Option<String>,
    /// Where public URLs point instead (a CDN in front of the runtime).
    pub public_url: Option<String>,
    /// Lifetime of signed upload URLs, seconds (default 7200, at most 7 days).
    pub signed_upload_expiry: Option<u64>,
    /// The declared buckets.
    pub buckets: BTreeMap<String, BucketSettings>,
}

/// `[storage.buckets.<name>]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct BucketSettings {
    pub public: bool,
    /// Largest object: bytes, or a string such as `"5MB"`, `"512KiB"`, `"1GB"`.
    pub max_file_size: Option<Size>,
    /// `type/subtype`, `type/*` or `*/*`; empty: any.
    pub allowed_content_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Size {
    Bytes(u64),
    Text(String),
}

impl Size {
    fn bytes(&self) -> Result<u64, String> {
        match self {
            Size::Bytes(b) => Ok(*b),
            Size::Text(t) => parse_size(t).ok_or_else(|| format!("{t:?} is not a size: write bytes (5242880) or a number and a unit (\"5MB\", \"512KiB\")")),
        }
    }
}

/// `"5MB"` → 5 000 000, `"5MiB"` → 5 242 880, `"100"` → 100 (units are case-insensitive).
fn parse_size(t: &str) -> Option<u64> {
    let t = t.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let v = n * mult;
    (v.is_finite() && v >= 0.0 && v < u64::MAX as f64).then_some(v as u64)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The settings with the environment applied.
pub fn settings(settings: &Settings) -> Result<StorageSettings, ProjectError> {
    let mut s: StorageSettings = settings.section("storage")?;
    if let Some(u) = env("PALBASE_STORAGE_URL") {
        s.url = Some(u);
    }
    if let Some(u) = env("PALBASE_PUBLIC_URL") {
        s.base_url = Some(u);
    }
    Ok(s)
}

fn config_error(e: impl std::fmt::Display) -> AppError {
    AppError::Open { what: "storage", source: e.to_string().into() }
}

/// Opens the storage: objects under the data directory, or on S3 with `url`.
pub fn open(root: &Path, settings: &Settings, events: Arc<dyn EventSink>) -> Result<(Arc<Storage>, bool), AppError> {
    let s = self::settings(settings)?;
    let base = s.base_url.clone().unwrap_or_else(|| format!("http://{}:{}", settings.server.host, settings.server.port));
    let project = crate::namespace(root);
    // `palbase:<name>:<branch>:` → `<name>/<branch>`: the key prefix of this project's objects.
    let prefix = project.trim_start_matches("palbase:").trim_end_matches(':').replace(':', "/").replace('@', "");
    let mut cfg = StorageConfig::new(prefix, base);
    cfg.public_base_url = s.public_url.clone();
    if let Some(secs) = s.signed_upload_expiry {
        cfg.signed_upload_expiry = Duration::from_secs(secs);
    }
    for (name, b) in &s.buckets {
        let max_file_size = b.max_file_size.as_ref().map(Size::bytes).transpose().map_err(|e| config_error(format!("[storage.buckets.{name}] max_file_size: {e}")))?;
        cfg = cfg.bucket(name.clone(), BucketConfig { public: b.public, max_file_size, allowed_content_types: b.allowed_content_types.clone() });
    }
    let storage = match &s.url {
        None => Storage::local(palbase_project::data_dir(root).join("storage"), cfg, events),
        Some(url) => {
            let rest = url.strip_prefix("s3://").ok_or_else(|| config_error(format!("storage.url {url:?}: expected s3://<bucket>[/<prefix>] (without it, objects stay in the data directory)")))?;
            let (bucket, extra) = rest.split_once('/').unwrap_or((rest, ""));
            if !extra.trim_matches('/').is_empty() {
                cfg.prefix = format!("{}/{}", extra.trim_matches('/'), cfg.prefix);
            }
            let endpoint = s.endpoint.clone().or_else(|| env("AWS_ENDPOINT_URL"));
            let s3 = S3Config {
                bucket: bucket.to_owned(),
                region: s.region.clone().or_else(|| env("AWS_REGION")).or_else(|| env("AWS_DEFAULT_REGION")).unwrap_or_else(|| "us-east-1".into()),
                allow_http: endpoint.as_deref().is_some_and(|e| e.starts_with("http://")),
                endpoint,
                access_key_id: env("AWS_ACCESS_KEY_ID"),
                secret_access_key: env("AWS_SECRET_ACCESS_KEY"),
                session_token: env("AWS_SESSION_TOKEN"),
                virtual_hosted_style: s.virtual_hosted_style,
                ..S3Config::default()
            };
            Storage::s3(s3, cfg, events)
        }
    };
    Ok((Arc::new(storage.map_err(config_error)?), s.base_url.is_some()))
}

/// Storage events go to the queue as jobs of the `event:storage.uploaded` /
/// `event:storage.deleted` workers, once the object is published (see ARCHITECTURE.md).
pub(crate) struct QueueSink {
    pub(crate) queue: Weak<palbase_queue::Queue>,
}

impl EventSink for QueueSink {
    fn record(&self, event: StorageEvent) -> Result<(), StorageError> {
        let Some(queue) = self.queue.upgrade() else { return Ok(()) };
        let kind = match event.kind {
            palbase_storage::EventKind::Uploaded => "storage.uploaded",
            palbase_storage::EventKind::Deleted => "storage.deleted",
        };
        // Called on a blocking thread of the storage runtime: waiting here is fine.
        futures::executor::block_on(queue.record_event(kind, event.to_json())).map_err(|e| StorageError::Unavailable(format!("recording the {kind} event: {}", e.description)))
    }
}

pub(crate) struct StorageService {
    storage: Arc<Storage>,
    /// A base URL was configured: the listening address does not replace it.
    fixed_base: bool,
    /// Largest download that crosses into JavaScript (the engine's memory limit).
    max_js_bytes: u64,
}

impl StorageService {
    pub(crate) fn new(storage: Arc<Storage>, fixed_base: bool, settings: &Settings) -> Self {
        Self { storage, fixed_base, max_js_bytes: (settings.limits.memory_limit_mb as u64) << 20 }
    }
}

impl Service for StorageService {
    fn name(&self) -> &'static str {
        "storage"
    }

    fn register_ops(&self, ops: &mut OpRegistry) {
        palbase_storage::ops::register_ops(ops, self.storage.clone(), self.max_js_bytes);
    }

    fn routes(&self) -> Option<Arc<dyn Routes>> {
        Some(Arc::new(StorageRoutes { storage: self.storage.clone() }))
    }

    fn listening(&self, addr: SocketAddr) {
        if self.fixed_base {
            return;
        }
        // Wildcard addresses are not reachable URLs: name the loopback instead.
        let ip = if addr.ip().is_unspecified() { "127.0.0.1".to_owned() } else { addr.ip().to_string() };
        let host = if ip.contains(':') { format!("[{ip}]") } else { ip };
        if let Err(e) = self.storage.set_base_url(&format!("http://{host}:{}", addr.port())) {
            tracing::warn!(target: "palbase::storage", "{e}");
        }
    }
}

struct StorageRoutes {
    storage: Arc<Storage>,
}

impl Routes for StorageRoutes {
    fn prefix(&self) -> &'static str {
        "/storage/v1/"
    }

    fn handle(&self, req: RouteRequest) -> RouteFuture {
        let storage = self.storage.clone();
        Box::pin(async move {
            let (parts, body) = req.into_parts();
            let body = Body::Stream(body.map(|r| r.map_err(|e| e as palbase_storage::BodyError)).boxed());
            let r = palbase_storage::serve::serve(&storage, &parts.method, parts.uri.path(), parts.uri.query().unwrap_or(""), &parts.headers, body).await;
            match r {
                Ok(resp) => {
                    let (parts, served) = resp.into_parts();
                    let body = match served {
                        Served::Empty => RouteBody::Empty,
                        Served::Json(b) => RouteBody::Full(b),
                        Served::Stream(s) => RouteBody::Stream(s.map(|c| c.map_err(|e| Box::new(e) as palbase_server::BoxError)).boxed()),
                    };
                    Ok(http::Response::from_parts(parts, body))
                }
                Err(e) => Err(RouteError { error: e.error.into(), headers: e.headers }),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("5MB"), Some(5_000_000));
        assert_eq!(parse_size("5 MiB"), Some(5 << 20));
        assert_eq!(parse_size("1.5kb"), Some(1500));
        assert_eq!(parse_size("100"), Some(100));
        for bad in ["", "MB", "5 parsecs", "-1MB", "1e400"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
    }
}
