//! The Cache service: `Cache.get/set/incr/del/getOrSet` behind one interface with two backends.
//!
//! - **In-process** ([`Cache::memory`], the embedded default): one store shared by every thread
//!   of the process, bounded by [`CacheOptions::max_memory_bytes`] (key + value bytes), expired
//!   entries dropped when read, by a periodic sweep and before evicting live ones; least recently
//!   used entries go first when over budget.
//! - **Redis** ([`Cache::redis`]): one auto-reconnecting multiplexed connection
//!   (`ConnectionManager`, RESP3 so pub/sub shares it), every key under the prefix given at
//!   construction (`palbase:<project>:<branch>:`).
//!
//! Values are stored as JSON text, so a stored `null` differs from a miss.
//!
//! **Stampede-safe fill** (`Cache.getOrSet`, whose loader runs in JavaScript):
//! [`Cache::fill_begin`] returns the cached value, or makes the caller the one loader
//! ([`Fill::Lead`], holding a lock for a lease); everyone else waits until the loader
//! [`commits`](Cache::fill_commit) (they get the value) or [`aborts`](Cache::fill_abort) (they
//! get its error), or until the lease runs out (one of them leads next). On Redis the lock is
//! `SET NX PX`, released by compare-and-delete, and waiters learn the outcome through pub/sub
//! with a re-check at the lease's expiry.
//!
//! Threading: a [`Cache`] owns a small tokio runtime. Redis work runs there (the connection's
//! tasks live there), so any thread and any runtime can await the methods; in-process
//! operations run on the caller's thread.

mod error;
mod memory;
pub mod ops;
mod redis_store;

use std::{future::Future, sync::Arc, time::Duration};

use serde_json::Value;
use tokio::runtime::{Handle, Runtime};

pub use error::CacheError;
pub use redis_store::{Decision, RedisRateLimiter};

/// Longest key, in bytes of UTF-8.
pub const MAX_KEY_BYTES: usize = 1024;
/// Longest TTL: 100 years.
pub const MAX_TTL: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// In-process backend: the memory budget (key + value bytes). Default 64 MiB.
    pub max_memory_bytes: usize,
    /// Largest value, as JSON text. Default 1 MiB.
    pub max_value_bytes: usize,
    /// How long a `getOrSet` loader may hold its lock (the ops' lease; set it to the handler
    /// timeout). Default 10 s.
    pub fill_lease: Duration,
    /// Redis: the bound on each call (connect, command, reply). Default 1 s.
    pub timeout: Duration,
    /// In-process backend: how often expired entries are swept. Default 1 s.
    pub sweep_interval: Duration,
}

impl Default for CacheOptions {
    fn default() -> Self {
        CacheOptions { max_memory_bytes: 64 << 20, max_value_bytes: 1 << 20, fill_lease: Duration::from_secs(10), timeout: Duration::from_secs(1), sweep_interval: Duration::from_secs(1) }
    }
}

/// The answer of [`Cache::fill_begin`].
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    /// The value was cached (or landed while this caller waited).
    Hit(Value),
    /// This caller is the loader: run it, then `fill_commit` or `fill_abort` with this token.
    Lead(String),
}

/// Which backend a [`Cache`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Memory,
    Redis,
}

/// In-process backend figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryStats {
    pub entries: usize,
    /// Key + value bytes held.
    pub bytes: usize,
    pub budget: usize,
}

enum Backend {
    Memory(Arc<memory::Memory>),
    Redis(Arc<redis_store::Remote>),
}

/// The runtime a cache owns; shut down without blocking (dropping a `Runtime` inside another
/// runtime panics).
pub(crate) struct OwnedRuntime {
    rt: Option<Runtime>,
    handle: Handle,
}

impl OwnedRuntime {
    fn new(threads: usize) -> Result<Arc<OwnedRuntime>, CacheError> {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(threads).thread_name("palbase-cache").enable_all().build().map_err(|e| CacheError::Config(format!("cannot start the cache runtime: {e}")))?;
        Ok(Arc::new(OwnedRuntime { handle: rt.handle().clone(), rt: Some(rt) }))
    }

    /// Runs `f` on this runtime; awaitable from any runtime or executor.
    pub(crate) async fn run<T, F>(&self, f: F) -> Result<T, CacheError>
    where
        F: Future<Output = Result<T, CacheError>> + Send + 'static,
        T: Send + 'static,
    {
        self.handle.spawn(f).await.map_err(|e| CacheError::Internal(format!("cache task failed: {e}")))?
    }
}

impl OwnedRuntime {
    /// Runs a `fill_begin` here. Should its caller be gone (its request ended) when the task
    /// makes it the lead, the lead is released at once, or nobody would load for a whole lease.
    async fn run_fill<F, R>(&self, f: F) -> Result<Fill, CacheError>
    where
        F: Future<Output = (Result<Fill, CacheError>, R)> + Send + 'static,
        R: FnOnce(String) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.handle.spawn(async move {
            let (r, release) = f.await;
            if let Err(Ok(Fill::Lead(token))) = tx.send(r) {
                release(token).await;
            }
        });
        rx.await.map_err(|_| CacheError::Internal("the cache runtime stopped".into()))?
    }
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// The cache of a project (see the crate docs). Cheap to share behind an `Arc`.
pub struct Cache {
    backend: Backend,
    opts: CacheOptions,
    rt: Arc<OwnedRuntime>,
}

impl Cache {
    /// The in-process backend.
    pub fn memory(opts: CacheOptions) -> Result<Cache, CacheError> {
        check_options(&opts)?;
        let rt = OwnedRuntime::new(1)?;
        let mem = Arc::new(memory::Memory::new(opts.max_memory_bytes));
        memory::Memory::start_sweeper(&mem, &rt.handle, opts.sweep_interval);
        Ok(Cache { backend: Backend::Memory(mem), opts, rt })
    }

    /// The Redis backend at `url` (`redis://[user:pass@]host:port[/db]`, `rediss://` for TLS),
    /// every key under `prefix`. Connects lazily: an unreachable server is not an error here
    /// (calls fail with `cache_unavailable` until it answers). Errors on a malformed URL.
    pub fn redis(url: &str, prefix: &str, opts: CacheOptions) -> Result<Cache, CacheError> {
        check_options(&opts)?;
        let rt = OwnedRuntime::new(2)?;
        let remote = redis_store::Remote::new(url, prefix, &opts, &rt.handle)?;
        Ok(Cache { backend: Backend::Redis(Arc::new(remote)), opts, rt })
    }

    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Memory(_) => BackendKind::Memory,
            Backend::Redis(_) => BackendKind::Redis,
        }
    }

    pub fn options(&self) -> &CacheOptions {
        &self.opts
    }

    /// The in-process backend's usage; `None` on Redis.
    pub fn memory_stats(&self) -> Option<MemoryStats> {
        match &self.backend {
            Backend::Memory(m) => Some(m.stats()),
            Backend::Redis(_) => None,
        }
    }

    /// Drops every expired entry now (the in-process backend; Redis expires keys itself).
    pub fn sweep(&self) {
        if let Backend::Memory(m) = &self.backend {
            m.sweep();
        }
    }

    /// A rate limiter sharing this cache's Redis connection and namespace; `None` in-process.
    pub fn rate_limiter(&self) -> Option<RedisRateLimiter> {
        match &self.backend {
            Backend::Redis(r) => Some(RedisRateLimiter::new(r.clone(), self.rt.clone())),
            Backend::Memory(_) => None,
        }
    }

    /// Checks that the backend answers (Redis: PING within the timeout).
    pub async fn ping(&self) -> Result<(), CacheError> {
        match &self.backend {
            Backend::Memory(_) => Ok(()),
            Backend::Redis(r) => {
                let r = r.clone();
                self.rt.run(async move { r.ping().await }).await
            }
        }
    }

    /// The value stored under `key`, `None` on a miss (a stored `null` is `Some(Value::Null)`).
    pub async fn get(&self, key: &str) -> Result<Option<Value>, CacheError> {
        check_key(key)?;
        Ok(match &self.backend {
            Backend::Memory(m) => m.get(key).map(|t| decode(&t)),
            Backend::Redis(r) => {
                let (r, key) = (r.clone(), key.to_owned());
                self.rt.run(async move { r.get(&key).await }).await?.map(|t| decode(&t))
            }
        })
    }

    /// Stores `value` under `key`, for `ttl` (none: until evicted or deleted).
    pub async fn set(&self, key: &str, value: &Value, ttl: Option<Duration>) -> Result<(), CacheError> {
        check_key(key)?;
        check_ttl(ttl)?;
        let text = self.encode(value)?;
        match &self.backend {
            Backend::Memory(m) => {
                m.set(key, text.into(), ttl);
                Ok(())
            }
            Backend::Redis(r) => {
                let (r, key) = (r.clone(), key.to_owned());
                self.rt.run(async move { r.set(&key, &text, ttl).await }).await
            }
        }
    }

    /// Adds `by` to the integer under `key` and returns the result; a missing key counts from 0
    /// (and gets no TTL); an existing key keeps its TTL. A value that is not an integer (or a
    /// result out of the 64-bit range) is `not_an_integer`.
    pub async fn incr(&self, key: &str, by: i64) -> Result<i64, CacheError> {
        check_key(key)?;
        match &self.backend {
            Backend::Memory(m) => m.incr(key, by),
            Backend::Redis(r) => {
                let (r, key) = (r.clone(), key.to_owned());
                self.rt.run(async move { r.incr(&key, by).await }).await
            }
        }
    }

    /// Deletes `key`; says whether it existed.
    pub async fn del(&self, key: &str) -> Result<bool, CacheError> {
        check_key(key)?;
        match &self.backend {
            Backend::Memory(m) => Ok(m.del(key)),
            Backend::Redis(r) => {
                let (r, key) = (r.clone(), key.to_owned());
                self.rt.run(async move { r.del(&key).await }).await
            }
        }
    }

    /// Starts a stampede-safe fill of `key`: the cached value, or the lead (a token) for the one
    /// caller that runs the loader; other callers wait for the loader's outcome (the value, or
    /// its error as [`CacheError::Loader`]) or, when its `lease` runs out, take over the lead.
    pub async fn fill_begin(&self, key: &str, lease: Duration) -> Result<Fill, CacheError> {
        check_key(key)?;
        let lease = lease.max(Duration::from_millis(1));
        match &self.backend {
            Backend::Memory(m) => match m.begin(key, lease) {
                memory::Begin::Hit(t) => Ok(Fill::Hit(decode(&t))),
                memory::Begin::Lead(token) => Ok(Fill::Lead(token)),
                memory::Begin::Wait => {
                    let (m, key) = (m.clone(), key.to_owned());
                    self.rt
                        .run_fill(async move {
                            let r = m.begin_wait(&key, lease).await;
                            (r, move |token: String| -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
                                m.abort(&key, &token, None);
                                Box::pin(async {})
                            })
                        })
                        .await
                }
            },
            Backend::Redis(r) => {
                let (r, key) = (r.clone(), key.to_owned());
                self.rt
                    .run_fill(async move {
                        let res = r.fill_begin(&key, lease).await;
                        (res, move |token: String| -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
                            Box::pin(async move {
                                let _ = r.fill_abort(&key, &token, None).await;
                            })
                        })
                    })
                    .await
            }
        }
    }

    /// Ends the fill led with `token`: stores `value` for `ttl`, releases the lock when it is
    /// still this token's, and hands the value to every waiter.
    pub async fn fill_commit(&self, key: &str, token: &str, value: &Value, ttl: Option<Duration>) -> Result<(), CacheError> {
        check_key(key)?;
        check_ttl(ttl)?;
        let text = self.encode(value)?;
        match &self.backend {
            Backend::Memory(m) => {
                m.commit(key, token, text.into(), ttl);
                Ok(())
            }
            Backend::Redis(r) => {
                let (r, key, token) = (r.clone(), key.to_owned(), token.to_owned());
                self.rt.run(async move { r.fill_commit(&key, &token, &text, ttl).await }).await
            }
        }
    }

    /// Ends the fill led with `token` without a value: nothing is cached, the lock is released
    /// (when still this token's) and every waiter returns `error` (`{status, code, description,
    /// data?}`, as JavaScript reports it). The next `fill_begin` leads again.
    pub async fn fill_abort(&self, key: &str, token: &str, error: &Value) -> Result<(), CacheError> {
        check_key(key)?;
        let api = loader_error(error);
        let text = api.to_op_json();
        if text.len() > self.opts.max_value_bytes {
            return Err(CacheError::ValueTooLarge { len: text.len(), max: self.opts.max_value_bytes });
        }
        match &self.backend {
            Backend::Memory(m) => {
                m.abort(key, token, Some(api));
                Ok(())
            }
            Backend::Redis(r) => {
                let (r, key, token) = (r.clone(), key.to_owned(), token.to_owned());
                self.rt.run(async move { r.fill_abort(&key, &token, Some(&text)).await }).await
            }
        }
    }

    /// Gives up the fill led with `token` without an outcome (its caller went away): the lock is
    /// released and the waiters try again at once, one of them leading.
    pub async fn fill_release(&self, key: &str, token: &str) -> Result<(), CacheError> {
        check_key(key)?;
        match &self.backend {
            Backend::Memory(m) => {
                m.abort(key, token, None);
                Ok(())
            }
            Backend::Redis(r) => {
                let (r, key, token) = (r.clone(), key.to_owned(), token.to_owned());
                self.rt.run(async move { r.fill_abort(&key, &token, None).await }).await
            }
        }
    }

    /// Runs `fill_release` in the background (for hooks that cannot wait).
    pub(crate) fn release_detached(self: &Arc<Self>, key: String, token: String) {
        let this = self.clone();
        self.rt.handle.spawn(async move {
            if let Err(e) = this.fill_release(&key, &token).await {
                tracing::debug!(target: "palbase::cache", key, error = %e, "releasing an abandoned fill failed");
            }
        });
    }

    fn encode(&self, value: &Value) -> Result<String, CacheError> {
        let text = serde_json::to_string(value).map_err(|e| CacheError::Internal(e.to_string()))?;
        if text.len() > self.opts.max_value_bytes {
            return Err(CacheError::ValueTooLarge { len: text.len(), max: self.opts.max_value_bytes });
        }
        Ok(text)
    }
}

fn check_options(opts: &CacheOptions) -> Result<(), CacheError> {
    if opts.max_value_bytes == 0 || opts.max_memory_bytes == 0 {
        return Err(CacheError::Config("cache size limits must be positive".into()));
    }
    if opts.timeout.is_zero() || opts.fill_lease.is_zero() || opts.sweep_interval.is_zero() {
        return Err(CacheError::Config("cache timeouts must be positive".into()));
    }
    Ok(())
}

pub(crate) fn check_key(key: &str) -> Result<(), CacheError> {
    if key.is_empty() {
        return Err(CacheError::EmptyKey);
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(CacheError::KeyTooLong { len: key.len(), max: MAX_KEY_BYTES });
    }
    Ok(())
}

fn check_ttl(ttl: Option<Duration>) -> Result<(), CacheError> {
    match ttl {
        Some(d) if d.is_zero() => Err(CacheError::InvalidTtl("the TTL must be a positive number of seconds".into())),
        Some(d) if d > MAX_TTL => Err(CacheError::InvalidTtl(format!("the TTL must be at most {} seconds", MAX_TTL.as_secs()))),
        _ => Ok(()),
    }
}

/// A TTL given in seconds (JavaScript's number): positive, finite, at most [`MAX_TTL`].
pub fn ttl_from_secs(secs: f64) -> Result<Duration, CacheError> {
    if !secs.is_finite() || secs <= 0.0 {
        return Err(CacheError::InvalidTtl(format!("the TTL must be a positive finite number of seconds, got {secs}")));
    }
    if secs > MAX_TTL.as_secs_f64() {
        return Err(CacheError::InvalidTtl(format!("the TTL must be at most {} seconds, got {secs}", MAX_TTL.as_secs())));
    }
    // Sub-millisecond TTLs round up to the backends' resolution.
    Ok(Duration::from_secs_f64(secs).max(Duration::from_millis(1)))
}

/// Milliseconds, rounded up (Redis `PX`).
pub(crate) fn millis_ceil(d: Duration) -> u64 {
    d.as_nanos().div_ceil(1_000_000).max(1).min(u128::from(u64::MAX)) as u64
}

/// Stored JSON text → value. Text some other program wrote that is not JSON reads as a string.
pub(crate) fn decode(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// The loader's error as JavaScript reported it; anything malformed is a plain 500.
fn loader_error(v: &Value) -> palbase_core::ApiError {
    match serde_json::from_value::<palbase_core::ApiError>(v.clone()) {
        Ok(e) if (400..=599).contains(&e.status) && !e.code.is_empty() => e,
        _ => palbase_core::ApiError::internal(),
    }
}

/// An error delivered through Redis (`to_op_json` text) back to an `ApiError`.
pub(crate) fn loader_error_text(text: &str) -> palbase_core::ApiError {
    serde_json::from_str::<Value>(text).map(|v| loader_error(&v)).unwrap_or_else(|_| palbase_core::ApiError::internal())
}
