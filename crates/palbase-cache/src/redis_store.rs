//! The Redis backend and the Redis rate limiter.
//!
//! Keys under the namespace `prefix`: `{prefix}c:{key}` values, `{prefix}l:{key}` fill locks,
//! `{prefix}w:{key}` "someone waits on this fill" flags, `{prefix}r:{key}` rate-limit state; the
//! pub/sub channel `{prefix}fill` carries fill outcomes, published only when a waiter exists.
//! A message is `v|e|r`, the key's byte length, `:`, the key, then the value's JSON text (`v`),
//! the loader's error JSON (`e`) or nothing (`r`: released, look again).
//!
//! Every call runs on the cache runtime under `timeout`; a call that cannot finish in time, or
//! that Redis refuses, is `cache_unavailable`. The `ConnectionManager` reconnects by itself; a
//! lost connection also resets the subscription and makes every waiter look again.

use std::{
    collections::HashMap,
    sync::{
        Arc, LazyLock, Mutex, MutexGuard,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use redis::{
    Client, IntoConnectionInfo, ProtocolVersion, PushInfo, PushKind, RedisError, Script, Value as RValue,
    aio::{ConnectionManager, ConnectionManagerConfig},
};
use tokio::sync::watch;

use crate::{CacheError, CacheOptions, Fill, OwnedRuntime, decode, loader_error_text, memory::new_token, millis_ceil};

/// `KEYS`: value, lock, wait flag. `ARGV`: token, lease ms.
/// → `{1, value}` hit, `{2}` lead, `{3, lock ms left}` wait.
static BEGIN: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local v = redis.call('GET', KEYS[1])
if v then return {1, v} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
local t = redis.call('PTTL', KEYS[2])
if t < 0 then t = tonumber(ARGV[2]) end
redis.call('SET', KEYS[3], '1', 'PX', t + 1000)
return {3, t}
",
    )
});

/// `KEYS`: value, lock, wait flag. `ARGV`: token, value text, ttl ms (0: none), channel,
/// message head. → 1 when the lock was this token's.
static COMMIT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if ARGV[3] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
local mine = redis.call('GET', KEYS[2]) == ARGV[1]
if mine then redis.call('DEL', KEYS[2]) end
if redis.call('DEL', KEYS[3]) == 1 then redis.call('PUBLISH', ARGV[4], ARGV[5] .. ARGV[2]) end
if mine then return 1 end
return 0
",
    )
});

/// `KEYS`: lock, wait flag. `ARGV`: token, channel, message. Compare-and-delete, then tell
/// waiters. → 1 when the lock was this token's.
static ABORT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('DEL', KEYS[2]) == 1 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return 1
",
    )
});

/// GCRA in one round trip on the server's clock. `KEYS`: state (the theoretical arrival time,
/// µs). `ARGV`: max (burst), emission interval µs. → `{allowed, remaining, retry µs}`.
static GCRA: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local max = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local burst = max * period
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local new_tat = tat + period
local allow_at = new_tat - burst
if allow_at > now then return {0, 0, allow_at - now} end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return {1, math.floor((now + burst - new_tat) / period), 0}
",
    )
});

#[derive(Clone)]
enum Signal {
    Idle,
    /// The connection dropped (a message may be lost) or the loader went away: look again.
    Recheck,
    Value(Arc<str>),
    Error(Arc<str>),
}

struct Slot {
    tx: watch::Sender<Signal>,
    users: usize,
}

type Waiters = Mutex<HashMap<String, Slot>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Registered interest in a key's fill outcome; unregisters on drop.
struct Interest {
    waiters: Arc<Waiters>,
    key: String,
}

impl Drop for Interest {
    fn drop(&mut self) {
        let mut w = lock(&self.waiters);
        if let Some(s) = w.get_mut(&self.key) {
            s.users -= 1;
            if s.users == 0 {
                w.remove(&self.key);
            }
        }
    }
}

pub(crate) struct Remote {
    conn: ConnectionManager,
    prefix: String,
    channel: String,
    timeout: Duration,
    waiters: Arc<Waiters>,
    /// Bumped on every lost connection; `subscribed` holds the value it had when the
    /// subscription was confirmed (`u64::MAX`: never).
    generation: Arc<AtomicU64>,
    subscribed: AtomicU64,
}

fn unavailable(e: &RedisError) -> CacheError {
    tracing::warn!(target: "palbase::cache", error = %e, "Redis call failed");
    CacheError::Unavailable("The cache is unavailable: Redis did not answer".into())
}

fn timed_out() -> CacheError {
    CacheError::Unavailable("The cache is unavailable: Redis did not answer in time".into())
}

fn message(kind: u8, key: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(key.len() + 8);
    m.push(kind);
    m.extend_from_slice(key.len().to_string().as_bytes());
    m.push(b':');
    m.extend_from_slice(key.as_bytes());
    m
}

/// `(kind, key, payload)` of a fill message.
fn parse_message(m: &[u8]) -> Option<(u8, &str, &[u8])> {
    let (&kind, rest) = m.split_first()?;
    let colon = rest.iter().position(|&b| b == b':')?;
    let len: usize = std::str::from_utf8(&rest[..colon]).ok()?.parse().ok()?;
    let rest = &rest[colon + 1..];
    if rest.len() < len {
        return None;
    }
    let key = std::str::from_utf8(&rest[..len]).ok()?;
    Some((kind, key, &rest[len..]))
}

fn bytes(v: &RValue) -> Option<&[u8]> {
    match v {
        RValue::BulkString(b) => Some(b),
        RValue::SimpleString(s) => Some(s.as_bytes()),
        RValue::VerbatimString { text, .. } => Some(text.as_bytes()),
        _ => None,
    }
}

fn int(v: &RValue) -> Option<i64> {
    match v {
        RValue::Int(i) => Some(*i),
        RValue::Double(d) => Some(*d as i64),
        _ => None,
    }
}

fn on_push(p: PushInfo, channel: &str, waiters: &Waiters, generation: &AtomicU64) {
    match p.kind {
        PushKind::Message => {
            let [ch, payload] = &p.data[..] else { return };
            if bytes(ch) != Some(channel.as_bytes()) {
                return;
            }
            let Some((kind, key, rest)) = bytes(payload).and_then(parse_message) else { return };
            let w = lock(waiters);
            let Some(slot) = w.get(key) else { return };
            let text = || Arc::<str>::from(String::from_utf8_lossy(rest));
            let signal = match kind {
                b'v' => Signal::Value(text()),
                b'e' => Signal::Error(text()),
                _ => Signal::Recheck,
            };
            slot.tx.send_replace(signal);
        }
        PushKind::Disconnection => {
            generation.fetch_add(1, Ordering::AcqRel);
            for slot in lock(waiters).values() {
                slot.tx.send_replace(Signal::Recheck);
            }
        }
        _ => {}
    }
}

impl Remote {
    /// Builds the connection manager (lazily connecting) inside `handle`'s runtime, where its
    /// tasks then live.
    pub(crate) fn new(url: &str, prefix: &str, opts: &CacheOptions, handle: &tokio::runtime::Handle) -> Result<Remote, CacheError> {
        let bad = |e: RedisError| CacheError::Config(format!("invalid Redis URL: {e}"));
        let info = url.into_connection_info().map_err(bad)?;
        // RESP3, so pub/sub pushes share the one multiplexed connection.
        let settings = info.redis_settings().clone().set_protocol(ProtocolVersion::RESP3);
        let client = Client::open(info.set_redis_settings(settings)).map_err(bad)?;
        let channel = format!("{prefix}fill");
        let waiters: Arc<Waiters> = Arc::default();
        let generation = Arc::new(AtomicU64::new(0));
        let push = {
            let (channel, waiters, generation) = (channel.clone(), waiters.clone(), generation.clone());
            move |p: PushInfo| -> Result<(), std::convert::Infallible> {
                on_push(p, &channel, &waiters, &generation);
                Ok(())
            }
        };
        let cfg = ConnectionManagerConfig::new()
            .set_push_sender(push)
            .set_connection_timeout(Some(opts.timeout))
            .set_response_timeout(Some(opts.timeout))
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_millis(500))
            .set_number_of_retries(4);
        let _enter = handle.enter();
        let conn = ConnectionManager::new_lazy_with_config(client, cfg).map_err(bad)?;
        Ok(Remote { conn, prefix: prefix.to_owned(), channel, timeout: opts.timeout, waiters, generation, subscribed: AtomicU64::new(u64::MAX) })
    }

    fn value_key(&self, key: &str) -> String {
        format!("{}c:{key}", self.prefix)
    }

    fn lock_key(&self, key: &str) -> String {
        format!("{}l:{key}", self.prefix)
    }

    fn wait_key(&self, key: &str) -> String {
        format!("{}w:{key}", self.prefix)
    }

    /// One call, bounded by the timeout.
    async fn call<T, F>(&self, f: F) -> Result<T, CacheError>
    where
        F: Future<Output = Result<T, RedisError>>,
    {
        match tokio::time::timeout(self.timeout, f).await {
            Ok(r) => r.map_err(|e| unavailable(&e)),
            Err(_) => Err(timed_out()),
        }
    }

    pub(crate) async fn ping(&self) -> Result<(), CacheError> {
        let mut c = self.conn.clone();
        self.call(async move { redis::cmd("PING").query_async::<()>(&mut c).await }).await
    }

    pub(crate) async fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        let (mut c, k) = (self.conn.clone(), self.value_key(key));
        let v: Option<Vec<u8>> = self.call(async move { redis::cmd("GET").arg(k).query_async(&mut c).await }).await?;
        Ok(v.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    pub(crate) async fn set(&self, key: &str, text: &str, ttl: Option<Duration>) -> Result<(), CacheError> {
        let (mut c, k) = (self.conn.clone(), self.value_key(key));
        let mut cmd = redis::cmd("SET");
        cmd.arg(k).arg(text);
        if let Some(d) = ttl {
            cmd.arg("PX").arg(millis_ceil(d));
        }
        self.call(async move { cmd.query_async::<()>(&mut c).await }).await
    }

    pub(crate) async fn incr(&self, key: &str, by: i64) -> Result<i64, CacheError> {
        let (mut c, k) = (self.conn.clone(), self.value_key(key));
        match tokio::time::timeout(self.timeout, async move { redis::cmd("INCRBY").arg(k).arg(by).query_async::<i64>(&mut c).await }).await {
            Ok(Ok(n)) => Ok(n),
            // INCRBY's own refusals: "value is not an integer or out of range", "would overflow".
            Ok(Err(e)) if matches!(e.kind(), redis::ErrorKind::Server(redis::ServerErrorKind::ResponseError)) => {
                let why = if e.to_string().contains("overflow") { format!("incrementing `{key}` by {by} leaves the 64-bit integer range") } else { format!("the value under `{key}` is not an integer") };
                Err(CacheError::NotAnInteger(why))
            }
            Ok(Err(e)) => Err(unavailable(&e)),
            Err(_) => Err(timed_out()),
        }
    }

    pub(crate) async fn del(&self, key: &str) -> Result<bool, CacheError> {
        let (mut c, k) = (self.conn.clone(), self.value_key(key));
        let n: i64 = self.call(async move { redis::cmd("DEL").arg(k).query_async(&mut c).await }).await?;
        Ok(n > 0)
    }

    /// Subscribes to the namespace's fill channel unless subscribed on the current connection.
    async fn ensure_subscribed(&self) -> Result<(), CacheError> {
        let generation = self.generation.load(Ordering::Acquire);
        if self.subscribed.load(Ordering::Acquire) == generation {
            return Ok(());
        }
        let (mut c, ch) = (self.conn.clone(), self.channel.clone());
        self.call(async move { c.subscribe(ch).await }).await?;
        self.subscribed.store(generation, Ordering::Release);
        Ok(())
    }

    fn interest(&self, key: &str) -> (Interest, watch::Receiver<Signal>) {
        let mut w = lock(&self.waiters);
        let slot = w.entry(key.to_owned()).or_insert_with(|| Slot { tx: watch::channel(Signal::Idle).0, users: 0 });
        slot.users += 1;
        let rx = slot.tx.subscribe();
        (Interest { waiters: self.waiters.clone(), key: key.to_owned() }, rx)
    }

    pub(crate) async fn fill_begin(&self, key: &str, lease: Duration) -> Result<Fill, CacheError> {
        // Listen before looking, so an outcome published after the look is not missed.
        let (_interest, mut rx) = self.interest(key);
        let token = new_token();
        let lease_ms = millis_ceil(lease);
        let (vk, lk, wk) = (self.value_key(key), self.lock_key(key), self.wait_key(key));
        loop {
            self.ensure_subscribed().await?;
            rx.borrow_and_update();
            let mut c = self.conn.clone();
            let mut inv = BEGIN.prepare_invoke();
            inv.key(&vk).key(&lk).key(&wk).arg(&token).arg(lease_ms);
            let r: RValue = self.call(inv.invoke_async(&mut c)).await?;
            let RValue::Array(items) = r else {
                return Err(CacheError::Internal(format!("unexpected fill reply {r:?}")));
            };
            match (items.first().and_then(int), items.get(1)) {
                (Some(1), Some(v)) => return Ok(Fill::Hit(decode(&String::from_utf8_lossy(bytes(v).unwrap_or_default())))),
                (Some(2), _) => return Ok(Fill::Lead(token)),
                (Some(3), left) => {
                    let left = left.and_then(int).unwrap_or(lease_ms as i64).max(1) as u64;
                    // The lock's expiry is the fallback: then one waiter takes over.
                    let deadline = tokio::time::Instant::now() + Duration::from_millis(left + 5);
                    while let Ok(Ok(())) = tokio::time::timeout_at(deadline, rx.changed()).await {
                        match rx.borrow_and_update().clone() {
                            Signal::Value(t) => return Ok(Fill::Hit(decode(&t))),
                            Signal::Error(e) => return Err(CacheError::Loader(Box::new(loader_error_text(&e)))),
                            Signal::Recheck => break,
                            Signal::Idle => {}
                        }
                    }
                }
                _ => return Err(CacheError::Internal(format!("unexpected fill reply {items:?}"))),
            }
        }
    }

    pub(crate) async fn fill_commit(&self, key: &str, token: &str, text: &str, ttl: Option<Duration>) -> Result<(), CacheError> {
        let mut c = self.conn.clone();
        let head = message(b'v', key);
        let mut inv = COMMIT.prepare_invoke();
        inv.key(self.value_key(key)).key(self.lock_key(key)).key(self.wait_key(key));
        inv.arg(token).arg(text).arg(ttl.map_or(0, millis_ceil)).arg(&self.channel).arg(head);
        let _: i64 = self.call(inv.invoke_async(&mut c)).await?;
        Ok(())
    }

    /// Compare-and-delete of the lock; waiters get `error` (`None`: they look again).
    pub(crate) async fn fill_abort(&self, key: &str, token: &str, error: Option<&str>) -> Result<(), CacheError> {
        let mut c = self.conn.clone();
        let msg = match error {
            Some(e) => {
                let mut m = message(b'e', key);
                m.extend_from_slice(e.as_bytes());
                m
            }
            None => message(b'r', key),
        };
        let mut inv = ABORT.prepare_invoke();
        inv.key(self.lock_key(key)).key(self.wait_key(key)).arg(token).arg(&self.channel).arg(msg);
        let _: i64 = self.call(inv.invoke_async(&mut c)).await?;
        Ok(())
    }
}

/// The outcome of a rate-limit check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// Requests left in the burst after this one.
    pub remaining: u32,
    /// When limited: how long until the next request would be allowed (zero when allowed).
    pub retry_after: Duration,
}

/// Rate limits shared by every instance on one Redis: GCRA with a burst of `max` refilled at
/// `max` per `window` (the semantics of the server's in-process limiter), evaluated in one Lua
/// round trip on the Redis clock, state under `{prefix}r:{key}`.
#[derive(Clone)]
pub struct RedisRateLimiter {
    remote: Arc<Remote>,
    rt: Arc<OwnedRuntime>,
}

impl RedisRateLimiter {
    pub(crate) fn new(remote: Arc<Remote>, rt: Arc<OwnedRuntime>) -> Self {
        RedisRateLimiter { remote, rt }
    }

    pub async fn check(&self, key: &str, max: u32, window_secs: f64) -> Result<Decision, CacheError> {
        crate::check_key(key)?;
        if !window_secs.is_finite() || window_secs <= 0.0 {
            return Err(CacheError::Config(format!("rate-limit window must be a positive number of seconds, got {window_secs}")));
        }
        let max = max.max(1);
        let period_us = ((window_secs * 1e6) / f64::from(max)).round().max(1.0) as u64;
        let (remote, k) = (self.remote.clone(), format!("{}r:{key}", self.remote.prefix));
        self.rt
            .run(async move {
                let mut c = remote.conn.clone();
                let mut inv = GCRA.prepare_invoke();
                inv.key(k).arg(max).arg(period_us);
                let r: Vec<i64> = remote.call(inv.invoke_async(&mut c)).await?;
                let (allowed, remaining, retry_us) = match r[..] {
                    [a, r, t] => (a == 1, r, t),
                    _ => return Err(CacheError::Internal(format!("unexpected rate-limit reply {r:?}"))),
                };
                Ok(Decision { allowed, remaining: remaining.clamp(0, i64::from(u32::MAX)) as u32, retry_after: Duration::from_micros(retry_us.max(0) as u64) })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let mut m = message(b'v', "user:42");
        m.extend_from_slice(br#"{"a":1}"#);
        assert_eq!(parse_message(&m), Some((b'v', "user:42", &br#"{"a":1}"#[..])));
        let m = message(b'r', "k:1:");
        assert_eq!(parse_message(&m), Some((b'r', "k:1:", &b""[..])));
        assert_eq!(parse_message(b"v9:short"), None);
    }
}
