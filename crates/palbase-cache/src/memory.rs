//! The in-process backend: one LRU map of JSON texts shared by every thread of the process.
//!
//! Memory: `used` counts key + value bytes and never passes the budget after a write returns:
//! a write first drops expired entries (a few, or all of them when over budget), then the least
//! recently used ones. Expired entries also go when read and in the periodic sweep, which walks
//! an index ordered by expiry time, so it touches only what has expired.
//!
//! Fills: a map of in-flight keys; waiters share the flight's `watch` channel.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

use hashlink::{LinkedHashMap, linked_hash_map::RawEntryMut};
use palbase_core::ApiError;
use tokio::sync::watch;

use crate::{CacheError, Fill, MemoryStats, decode};

/// How many expired entries a write drops on its way when the budget is not exceeded.
const SWEEP_ON_WRITE: usize = 16;
/// Expired entries dropped per lock hold by the sweep.
const SWEEP_BATCH: usize = 1024;

pub(crate) enum Begin {
    Hit(Arc<str>),
    Lead(String),
    /// Someone else leads: wait (on the cache runtime) with [`Memory::begin_wait`].
    Wait,
}

enum Step {
    Hit(Arc<str>),
    Lead(String),
    Wait(watch::Receiver<Option<Outcome>>, Instant),
}

#[derive(Clone)]
enum Outcome {
    Value(Arc<str>),
    Error(ApiError),
    /// The loader went away without an outcome: try again.
    Released,
}

struct Flight {
    token: String,
    deadline: Instant,
    tx: watch::Sender<Option<Outcome>>,
}

struct Entry {
    text: Arc<str>,
    /// Expiry time and the sequence number that makes its index key unique.
    expires: Option<(Instant, u64)>,
}

struct Store {
    /// Front: least recently used.
    map: LinkedHashMap<String, Entry>,
    expiry: BTreeMap<(Instant, u64), String>,
    used: usize,
    budget: usize,
    seq: u64,
}

pub(crate) struct Memory {
    store: Mutex<Store>,
    flights: Mutex<HashMap<String, Flight>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Store {
    fn expired(e: &Entry, now: Instant) -> bool {
        e.expires.is_some_and(|(t, _)| t <= now)
    }

    fn forget(&mut self, key: &str, e: &Entry) {
        self.used -= key.len() + e.text.len();
        if let Some(x) = e.expires {
            self.expiry.remove(&x);
        }
    }

    fn remove(&mut self, key: &str) -> bool {
        match self.map.remove_entry(key) {
            Some((k, e)) => {
                self.forget(&k, &e);
                true
            }
            None => false,
        }
    }

    fn get(&mut self, key: &str, now: Instant) -> Option<Arc<str>> {
        match self.map.raw_entry_mut().from_key(key) {
            RawEntryMut::Occupied(mut o) => {
                if Self::expired(o.get(), now) {
                    let (k, e) = o.remove_entry();
                    self.forget(&k, &e);
                    None
                } else {
                    o.to_back();
                    Some(o.get().text.clone())
                }
            }
            RawEntryMut::Vacant(_) => None,
        }
    }

    fn insert(&mut self, key: &str, text: Arc<str>, ttl: Option<Duration>, now: Instant) {
        self.remove(key);
        let size = key.len() + text.len();
        if size > self.budget {
            return;
        }
        self.seq += 1;
        let expires = ttl.and_then(|d| now.checked_add(d)).map(|t| (t, self.seq));
        if let Some(x) = expires {
            self.expiry.insert(x, key.to_owned());
        }
        self.map.insert(key.to_owned(), Entry { text, expires });
        self.used += size;
        self.make_room(now);
    }

    /// Drops expired entries, then least recently used ones, until within budget.
    fn make_room(&mut self, now: Instant) {
        let limit = if self.used > self.budget { usize::MAX } else { SWEEP_ON_WRITE };
        self.drop_expired(now, limit);
        while self.used > self.budget {
            let Some((k, e)) = self.map.pop_front() else { break };
            self.forget(&k, &e);
        }
    }

    /// Drops up to `limit` expired entries; returns how many went.
    fn drop_expired(&mut self, now: Instant, limit: usize) -> usize {
        let mut n = 0;
        while n < limit {
            match self.expiry.first_key_value() {
                Some((&(t, _), _)) if t <= now => {}
                _ => break,
            }
            let Some((_, key)) = self.expiry.pop_first() else { break };
            if let Some((k, e)) = self.map.remove_entry(key.as_str()) {
                self.used -= k.len() + e.text.len();
            }
            n += 1;
        }
        n
    }

    fn incr(&mut self, key: &str, by: i64, now: Instant) -> Result<i64, CacheError> {
        let (n, delta_old, delta_new) = match self.map.raw_entry_mut().from_key(key) {
            RawEntryMut::Occupied(o) if Self::expired(o.get(), now) => {
                let (k, e) = o.remove_entry();
                self.forget(&k, &e);
                return self.incr(key, by, now);
            }
            RawEntryMut::Occupied(mut o) => {
                let cur: i64 = o.get().text.parse().map_err(|_| CacheError::NotAnInteger(format!("the value under `{key}` is not an integer")))?;
                let n = cur.checked_add(by).ok_or_else(|| CacheError::NotAnInteger(format!("incrementing `{key}` by {by} leaves the 64-bit integer range")))?;
                let text: Arc<str> = n.to_string().into();
                let old = o.get().text.len();
                let new = text.len();
                o.get_mut().text = text;
                o.to_back();
                (n, old, new)
            }
            RawEntryMut::Vacant(_) => {
                self.insert(key, by.to_string().into(), None, now);
                return Ok(by);
            }
        };
        self.used = self.used - delta_old + delta_new;
        self.make_room(now);
        Ok(n)
    }
}

impl Memory {
    pub(crate) fn new(budget: usize) -> Memory {
        Memory { store: Mutex::new(Store { map: LinkedHashMap::new(), expiry: BTreeMap::new(), used: 0, budget, seq: 0 }), flights: Mutex::new(HashMap::new()) }
    }

    /// Sweeps expired entries every `every` while the cache lives.
    pub(crate) fn start_sweeper(this: &Arc<Memory>, handle: &tokio::runtime::Handle, every: Duration) {
        let weak = Arc::downgrade(this);
        handle.spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(m) = weak.upgrade() else { break };
                m.sweep();
            }
        });
    }

    pub(crate) fn sweep(&self) {
        loop {
            let n = lock(&self.store).drop_expired(Instant::now(), SWEEP_BATCH);
            if n < SWEEP_BATCH {
                break;
            }
        }
    }

    pub(crate) fn stats(&self) -> MemoryStats {
        let s = lock(&self.store);
        MemoryStats { entries: s.map.len(), bytes: s.used, budget: s.budget }
    }

    pub(crate) fn get(&self, key: &str) -> Option<Arc<str>> {
        lock(&self.store).get(key, Instant::now())
    }

    pub(crate) fn set(&self, key: &str, text: Arc<str>, ttl: Option<Duration>) {
        lock(&self.store).insert(key, text, ttl, Instant::now());
    }

    pub(crate) fn incr(&self, key: &str, by: i64) -> Result<i64, CacheError> {
        lock(&self.store).incr(key, by, Instant::now())
    }

    pub(crate) fn del(&self, key: &str) -> bool {
        lock(&self.store).remove(key)
    }

    /// One look: the value, the lead, or the flight to wait on. The store is read under the
    /// flights lock, so a commit (store, then flights) cannot slip between the two looks.
    fn step(&self, key: &str, lease: Duration) -> Step {
        let mut fl = lock(&self.flights);
        if let Some(t) = self.get(key) {
            return Step::Hit(t);
        }
        let now = Instant::now();
        match fl.get(key) {
            Some(f) if f.deadline > now => Step::Wait(f.tx.subscribe(), f.deadline),
            _ => {
                // A flight whose lease ran out is replaced: dropping its sender wakes its waiters.
                let token = new_token();
                let deadline = now.checked_add(lease).unwrap_or(now + Duration::from_secs(86400));
                fl.insert(key.to_owned(), Flight { token: token.clone(), deadline, tx: watch::channel(None).0 });
                Step::Lead(token)
            }
        }
    }

    pub(crate) fn begin(&self, key: &str, lease: Duration) -> Begin {
        match self.step(key, lease) {
            Step::Hit(t) => Begin::Hit(t),
            Step::Lead(t) => Begin::Lead(t),
            Step::Wait(..) => Begin::Wait,
        }
    }

    pub(crate) async fn begin_wait(&self, key: &str, lease: Duration) -> Result<Fill, CacheError> {
        loop {
            let (mut rx, deadline) = match self.step(key, lease) {
                Step::Hit(t) => return Ok(Fill::Hit(decode(&t))),
                Step::Lead(t) => return Ok(Fill::Lead(t)),
                Step::Wait(rx, d) => (rx, d),
            };
            if let Ok(Ok(())) = tokio::time::timeout_at(deadline.into(), rx.changed()).await {
                match rx.borrow_and_update().clone() {
                    Some(Outcome::Value(t)) => return Ok(Fill::Hit(decode(&t))),
                    Some(Outcome::Error(e)) => return Err(CacheError::Loader(Box::new(e))),
                    Some(Outcome::Released) | None => {}
                }
            }
            // Lease ran out, flight replaced or released: look again.
        }
    }

    pub(crate) fn commit(&self, key: &str, token: &str, text: Arc<str>, ttl: Option<Duration>) {
        self.set(key, text.clone(), ttl);
        let mut fl = lock(&self.flights);
        if let Some(f) = fl.get(key) {
            // A late commit (its lease ran out and another caller leads) still stores its value,
            // and the waiters may as well have it; only the holder's token ends the flight.
            f.tx.send_replace(Some(Outcome::Value(text)));
            if f.token == token {
                fl.remove(key);
            }
        }
    }

    /// Ends the flight of `token` with `error` for its waiters (`None`: they look again).
    pub(crate) fn abort(&self, key: &str, token: &str, error: Option<ApiError>) {
        let mut fl = lock(&self.flights);
        if fl.get(key).is_some_and(|f| f.token == token)
            && let Some(f) = fl.remove(key)
        {
            f.tx.send_replace(Some(error.map_or(Outcome::Released, Outcome::Error)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lru_eviction_keeps_recently_used_and_the_budget() {
        let m = Memory::new(100);
        for i in 0..5 {
            m.set(&format!("k{i}"), "x".repeat(18).into(), None); // 20 bytes each
        }
        assert_eq!(m.stats().bytes, 100);
        assert!(m.get("k0").is_some()); // k0 is now the most recent
        m.set("k5", "x".repeat(18).into(), None);
        assert!(m.get("k1").is_none(), "the least recently used entry goes");
        assert!(m.get("k0").is_some());
        assert!(m.stats().bytes <= 100);
        m.set("big", "x".repeat(200).into(), None);
        assert!(m.get("big").is_none(), "a value larger than the budget is not kept");
    }

    #[test]
    fn expired_entries_go_first_and_by_sweep() {
        let m = Memory::new(1000);
        m.set("short", "1".into(), Some(Duration::from_millis(1)));
        m.set("long", "1".into(), None);
        std::thread::sleep(Duration::from_millis(5));
        m.sweep();
        assert_eq!(m.stats().entries, 1);
        assert!(m.get("long").is_some());
    }
}
