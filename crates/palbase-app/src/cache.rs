//! The Cache service (palbase-cache): `[cache]`, in-process by default, Redis when configured.

use std::{path::Path, sync::Arc, time::Duration};

use palbase_core::ops::OpRegistry;
use palbase_project::{ProjectError, config::Settings};
use palbase_server::Service;
use serde::Deserialize;

use crate::AppError;

/// `[cache]` in `palbase.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CacheSettings {
    /// `redis://…` (or `rediss://…`) to use Redis instead of the in-process cache (also
    /// `PALBASE_REDIS_URL`, which wins).
    pub url: Option<String>,
    /// In-process cache: memory budget in MiB (default 64).
    pub max_memory_mb: Option<usize>,
    /// Largest value, as JSON, in KiB (default 1024).
    pub max_value_kb: Option<usize>,
    /// Redis: the key prefix of this project (default `palbase:<package name>:main:`).
    pub prefix: Option<String>,
    /// Redis: how long a call may take before it fails with 503 `cache_unavailable`, ms
    /// (default 1000).
    pub timeout_ms: Option<u64>,
}

/// The settings with the environment applied: what [`open`] uses.
pub fn settings(settings: &Settings) -> Result<CacheSettings, ProjectError> {
    let mut s: CacheSettings = settings.section("cache")?;
    if let Some(url) = std::env::var("PALBASE_REDIS_URL").ok().filter(|v| !v.is_empty()) {
        s.url = Some(url);
    }
    Ok(s)
}

pub fn open(root: &Path, settings: &Settings) -> Result<Arc<palbase_cache::Cache>, AppError> {
    let s = self::settings(settings)?;
    let mut o = palbase_cache::CacheOptions::default();
    if let Some(mb) = s.max_memory_mb {
        o.max_memory_bytes = mb << 20;
    }
    if let Some(kb) = s.max_value_kb {
        o.max_value_bytes = kb << 10;
    }
    if let Some(ms) = s.timeout_ms {
        o.timeout = Duration::from_millis(ms.max(1));
    }
    // A loader may run as long as the handler that called getOrSet.
    o.fill_lease = Duration::from_millis(settings.limits.handler_timeout_ms.max(1));
    let cache = match &s.url {
        Some(url) => palbase_cache::Cache::redis(url, s.prefix.as_deref().unwrap_or(&crate::namespace(root)), o),
        None => palbase_cache::Cache::memory(o),
    };
    cache.map(Arc::new).map_err(|e| AppError::Open { what: "cache", source: Box::new(e) })
}

pub(crate) struct CacheService {
    cache: Arc<palbase_cache::Cache>,
}

impl CacheService {
    pub(crate) fn new(cache: Arc<palbase_cache::Cache>) -> Self {
        Self { cache }
    }
}

impl Service for CacheService {
    fn name(&self) -> &'static str {
        "cache"
    }

    fn register_ops(&self, ops: &mut OpRegistry) {
        palbase_cache::ops::register_ops(ops, self.cache.clone());
    }
}

/// Rate limits through the cache's Redis, when the cache is on Redis.
pub(crate) fn shared_limiter(cache: &palbase_cache::Cache) -> Option<Arc<dyn palbase_server::ratelimit::SharedLimiter>> {
    cache.rate_limiter().map(|l| Arc::new(RedisLimits(l)) as Arc<dyn palbase_server::ratelimit::SharedLimiter>)
}

struct RedisLimits(palbase_cache::RedisRateLimiter);

impl palbase_server::ratelimit::SharedLimiter for RedisLimits {
    fn check<'a>(&'a self, key: &'a str, max: u32, window: f64) -> std::pin::Pin<Box<dyn Future<Output = Result<palbase_server::ratelimit::Decision, String>> + Send + 'a>> {
        use palbase_server::ratelimit::Decision;
        Box::pin(async move {
            let d = self.0.check(key, max, window).await.map_err(|e| e.to_string())?;
            Ok(if d.allowed { Decision::Allowed { remaining: d.remaining } } else { Decision::Limited { retry_after: d.retry_after } })
        })
    }
}
