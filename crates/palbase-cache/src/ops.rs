//! The `cache.*` ops (`Cache` in `packages/backend`):
//!
//! | op | arguments | result |
//! |---|---|---|
//! | `cache.get` | `{key}` | the value, or `null` on a miss |
//! | `cache.set` | `{key, value, ttl?}` (seconds) | `null` |
//! | `cache.incr` | `{key, by?}` (default 1) | the new number |
//! | `cache.del` | `{key}` | `null` |
//! | `cache.fill.begin` | `{key}` | `{hit: true, value}` or `{hit: false, token}` |
//! | `cache.fill.commit` | `{key, token, value, ttl?}` | `null` |
//! | `cache.fill.abort` | `{key, token, error: {status, code, description, data?}}` | `null` |
//!
//! `Cache.getOrSet(key, ttl, fn)` is `fill.begin`; on `hit` return `value`; otherwise run `fn`
//! and `fill.commit` its result (null included), or `fill.abort` with what it threw. The lease of
//! a lead is [`CacheOptions::fill_lease`](crate::CacheOptions::fill_lease); a lead still held
//! when its request (or background run) ends is released, so waiters go on at once.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use palbase_core::ops::OpRegistry;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{Cache, Fill, ttl_from_secs};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyArgs {
    key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetArgs {
    key: String,
    value: Value,
    #[serde(default)]
    ttl: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IncrArgs {
    key: String,
    #[serde(default)]
    by: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitArgs {
    key: String,
    token: String,
    value: Value,
    #[serde(default)]
    ttl: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbortArgs {
    key: String,
    token: String,
    error: Value,
}

/// Leads held per request, released when the request ends without an outcome.
type Leads = HashMap<Arc<str>, Vec<(String, String)>>;

#[derive(Default)]
struct Held {
    map: Mutex<Leads>,
    count: AtomicUsize,
}

impl Held {
    fn add(&self, rid: &Option<Arc<str>>, key: &str, token: &str) {
        let Some(rid) = rid else { return };
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        m.entry(rid.clone()).or_default().push((key.to_owned(), token.to_owned()));
        self.count.fetch_add(1, Ordering::AcqRel);
    }

    fn remove(&self, rid: &Option<Arc<str>>, token: &str) {
        let Some(rid) = rid else { return };
        if self.count.load(Ordering::Acquire) == 0 {
            return;
        }
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(v) = m.get_mut(rid) {
            let before = v.len();
            v.retain(|(_, t)| t != token);
            self.count.fetch_sub(before - v.len(), Ordering::AcqRel);
            if v.is_empty() {
                m.remove(rid);
            }
        }
    }

    fn take(&self, rid: &str) -> Vec<(String, String)> {
        if self.count.load(Ordering::Acquire) == 0 {
            return Vec::new();
        }
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let v = m.remove(rid).unwrap_or_default();
        self.count.fetch_sub(v.len(), Ordering::AcqRel);
        v
    }
}

fn ttl(t: Option<f64>) -> Result<Option<std::time::Duration>, crate::CacheError> {
    t.map(ttl_from_secs).transpose()
}

/// Registers the `cache.*` ops, and a request-end hook that releases abandoned leads.
pub fn register_ops(reg: &mut OpRegistry, cache: Arc<Cache>) {
    let held = Arc::new(Held::default());

    reg.register_async("cache.get", cache.clone(), |c, _, a: KeyArgs| async move { Ok(c.get(&a.key).await?.unwrap_or(Value::Null)) });
    reg.register_async("cache.set", cache.clone(), |c, _, a: SetArgs| async move {
        c.set(&a.key, &a.value, ttl(a.ttl)?).await?;
        Ok(Value::Null)
    });
    reg.register_async("cache.incr", cache.clone(), |c, _, a: IncrArgs| async move { Ok(Value::from(c.incr(&a.key, a.by.unwrap_or(1)).await?)) });
    reg.register_async("cache.del", cache.clone(), |c, _, a: KeyArgs| async move {
        c.del(&a.key).await?;
        Ok(Value::Null)
    });
    reg.register_async("cache.fill.begin", (cache.clone(), held.clone()), |(c, h), s, a: KeyArgs| async move {
        match c.fill_begin(&a.key, c.options().fill_lease).await? {
            Fill::Hit(value) => Ok(json!({ "hit": true, "value": value })),
            Fill::Lead(token) => {
                h.add(&s.request_id, &a.key, &token);
                Ok(json!({ "hit": false, "token": token }))
            }
        }
    });
    reg.register_async("cache.fill.commit", (cache.clone(), held.clone()), |(c, h), s, a: CommitArgs| async move {
        h.remove(&s.request_id, &a.token);
        let r = match ttl(a.ttl) {
            Ok(t) => c.fill_commit(&a.key, &a.token, &a.value, t).await,
            Err(e) => Err(e),
        };
        if let Err(e) = r {
            // Nothing was stored: the waiters must not wait out the lease for it.
            let err: Value = serde_json::from_str(&palbase_core::ApiError::from(e.clone()).to_op_json()).unwrap_or(Value::Null);
            let _ = c.fill_abort(&a.key, &a.token, &err).await;
            return Err(e.into());
        }
        Ok(Value::Null)
    });
    reg.register_async("cache.fill.abort", (cache.clone(), held.clone()), |(c, h), s, a: AbortArgs| async move {
        h.remove(&s.request_id, &a.token);
        c.fill_abort(&a.key, &a.token, &a.error).await?;
        Ok(Value::Null)
    });

    let c = cache;
    reg.on_request_end(Arc::new(move |rid: &str| {
        for (key, token) in held.take(rid) {
            c.release_detached(key, token);
        }
    }));
}
