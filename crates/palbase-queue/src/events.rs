//! Events as jobs: the queue's [`palbase_db::EventLog`]. A service's write that causes an event
//! (a document written, a file uploaded) records it here, in the write's own transaction, as
//! one job per worker subscribed to its kind ([`Queue::set_subscriptions`]: the project's
//! hooks), plus one of the worker `event:<kind>` when such a worker is defined. Each job is
//! durable, retried with its worker's policy, never dropped, and independent of the others (a
//! failing hook does not re-run the ones that succeeded). Every job of one event carries the
//! same `eventId`. With no subscriber, [`EventLog::wants`] is false and nothing is written.

use std::{
    collections::HashMap,
    sync::{Arc, Weak},
};

use deadpool_postgres::ClientWrapper;
use palbase_core::ApiError;
use palbase_db::{EventLog, PgFuture};
use serde_json::Value;

use crate::{Inner, Queue, clock::ms, new_id, store::NewJob};

/// A worker that receives the events of one kind, optionally only those whose `path` matches
/// `filter` (document events: a collection id such as `rooms`, or a path pattern such as
/// `rooms/*` or `rooms/*/messages/*`, `*` standing for one segment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub event: String,
    pub worker: String,
    pub filter: Option<String>,
}

/// Subscriptions by event kind.
pub(crate) type Subscriptions = HashMap<String, Vec<Subscription>>;

impl Subscription {
    /// Whether an event's payload passes the filter.
    pub fn matches(&self, payload: &Value) -> bool {
        let Some(f) = &self.filter else { return true };
        let Some(path) = payload.get("path").and_then(Value::as_str) else { return false };
        let segs: Vec<&str> = path.split('/').collect();
        if !f.contains('/') {
            // A collection id: the document's collection (the segment before its id).
            return segs.len() >= 2 && segs[segs.len() - 2] == f;
        }
        let pat: Vec<&str> = f.split('/').collect();
        pat.len() == segs.len() && pat.iter().zip(&segs).all(|(p, s)| *p == "*" || p == s)
    }
}

/// The worker name events of `kind` go to.
pub fn event_worker(kind: &str) -> String {
    format!("event:{kind}")
}

/// The queue as an event log (see the module docs). Holds the queue weakly: a service may
/// outlive it at shutdown, and then records nothing.
pub struct QueueEventLog {
    inner: Weak<Inner>,
}

impl Queue {
    /// Replaces the event subscriptions (with every project version, after
    /// [`Queue::set_definitions`]). A subscription to a worker that is not defined is ignored.
    pub fn set_subscriptions(&self, subs: Vec<Subscription>) {
        let mut by: Subscriptions = HashMap::new();
        for s in subs {
            by.entry(s.event.clone()).or_default().push(s);
        }
        *self.inner.subscriptions.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(by);
    }

    /// This queue as the [`EventLog`] services record their events in.
    pub fn event_log(&self) -> Arc<dyn EventLog> {
        Arc::new(QueueEventLog { inner: Arc::downgrade(&self.inner) })
    }

    /// Records an event outside any database transaction (a service whose writes are not in the
    /// database: Storage's files): one job per subscriber, in one insert committed when this
    /// returns; nothing when nothing subscribes.
    pub async fn record_event(&self, kind: &str, payload: Value) -> Result<(), ApiError> {
        let inner = &self.inner;
        let (payload, names) = targets(inner, kind, &payload);
        let jobs = event_jobs(inner, &names, &payload, ordering_key(kind, &payload));
        if jobs.is_empty() {
            return Ok(());
        }
        inner.store.insert(jobs, ms(inner.clock.now())).await?;
        for name in &names {
            inner.wake.name(name);
        }
        Ok(())
    }
}

impl Queue {
    fn job_for(&self, name: &str, payload: &Value) -> Result<(Arc<Inner>, NewJob, i64), ApiError> {
        let inner = self.inner.clone();
        let defs = inner.defs();
        let Some(w) = defs.workers.get(name) else {
            let known: Vec<&str> = defs.workers.keys().map(String::as_str).collect();
            return Err(crate::runner::unknown_worker(name, &known));
        };
        let max_attempts = w.max_attempts() as i32;
        let now = ms(inner.clock.now());
        Ok((inner.clone(), NewJob { id: new_id("job"), name: name.to_owned(), payload: payload.to_string(), max_attempts, ordering_key: None }, now))
    }

    /// Inserts a job of worker `name` on the SQLite connection of a running [`palbase_db::InternalSql`]
    /// (so it commits or rolls back with the caller's other statements) and returns its id. The
    /// runner finds it by its poll; call [`Queue::wake`] after the commit to start it at once.
    pub fn insert_job_sqlite(&self, conn: &rusqlite::Connection, name: &str, payload: &Value) -> Result<String, ApiError> {
        let (inner, job, now) = self.job_for(name, payload)?;
        let id = job.id.clone();
        palbase_db::InternalSql::sqlite(inner.store.insert_stmt(vec![job], now), conn)?;
        Ok(id)
    }

    /// [`Queue::insert_job_sqlite`] on a PostgreSQL connection (its `NOTIFY` wakes the
    /// instances when the transaction commits).
    pub fn insert_job_postgres<'c>(&self, client: &'c ClientWrapper, name: &str, payload: &Value) -> PgFuture<'c, String> {
        let job = self.job_for(name, payload);
        Box::pin(async move {
            let (inner, job, now) = job?;
            let id = job.id.clone();
            palbase_db::InternalSql::postgres(inner.store.insert_stmt(vec![job], now), client).await?;
            Ok(id)
        })
    }
}

/// The events of one document are delivered in commit order: their jobs share the document's
/// path as ordering key, per hook.
fn ordering_key(kind: &str, payload: &Value) -> Option<String> {
    kind.starts_with("documents.").then(|| payload.get("path").and_then(Value::as_str).map(str::to_owned)).flatten()
}

/// The workers an event of `kind` goes to, and its payload with its `eventId` (kept when the
/// service gave one).
fn targets(inner: &Inner, kind: &str, payload: &Value) -> (Value, Vec<String>) {
    let defs = inner.defs();
    let subs = inner.subscriptions.read().unwrap_or_else(|p| p.into_inner()).clone();
    let mut names: Vec<String> = subs.get(kind).into_iter().flatten().filter(|s| defs.workers.contains_key(&s.worker) && s.matches(payload)).map(|s| s.worker.clone()).collect();
    let legacy = event_worker(kind);
    if defs.workers.contains_key(&legacy) {
        names.push(legacy);
    }
    let mut payload = payload.clone();
    if let Value::Object(m) = &mut payload
        && !names.is_empty()
        && !m.contains_key("eventId")
    {
        m.insert("eventId".into(), Value::String(new_id("evt")));
    }
    (payload, names)
}

/// One job for each of `names` that is still a defined worker, all with `payload`.
fn event_jobs(inner: &Inner, names: &[String], payload: &Value, ordering_key: Option<String>) -> Vec<NewJob> {
    let defs = inner.defs();
    let text = payload.to_string();
    names.iter().filter_map(|name| Some(NewJob { id: new_id("job"), max_attempts: defs.workers.get(name)?.max_attempts() as i32, name: name.clone(), payload: text.clone(), ordering_key: ordering_key.clone() })).collect()
}

impl QueueEventLog {
    fn jobs(&self, kind: &str, payload: &Value) -> Option<(Arc<Inner>, Vec<NewJob>, i64)> {
        let inner = self.inner.upgrade()?;
        let (payload, names) = targets(&inner, kind, payload);
        let jobs = event_jobs(&inner, &names, &payload, ordering_key(kind, &payload));
        if jobs.is_empty() {
            return None;
        }
        let now = ms(inner.clock.now());
        Some((inner, jobs, now))
    }
}

impl EventLog for QueueEventLog {
    fn wants(&self, kind: &str) -> bool {
        self.inner.upgrade().is_some_and(|i| {
            let defs = i.defs();
            defs.workers.contains_key(&event_worker(kind)) || i.subscriptions.read().unwrap_or_else(|p| p.into_inner()).get(kind).is_some_and(|v| v.iter().any(|s| defs.workers.contains_key(&s.worker)))
        })
    }

    fn record_sqlite(&self, conn: &rusqlite::Connection, kind: &str, payload: &Value) -> Result<(), ApiError> {
        let Some((inner, jobs, now)) = self.jobs(kind, payload) else { return Ok(()) };
        palbase_db::InternalSql::sqlite(inner.store.insert_stmt(jobs, now), conn)
    }

    fn record_postgres<'c>(&'c self, client: &'c ClientWrapper, kind: &'c str, payload: &'c Value) -> PgFuture<'c, ()> {
        let Some((inner, jobs, now)) = self.jobs(kind, payload) else { return Box::pin(async { Ok(()) }) };
        palbase_db::InternalSql::postgres(inner.store.insert_stmt(jobs, now), client)
    }
}

/// Where a received delivery goes ([`Queue::receive`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The subscribers of a platform event (hooks), as [`Queue::record_event`].
    Event(String),
    /// One worker (a webhook's).
    Worker(String),
}

/// What [`Queue::receive`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Stored: its jobs (possibly none, when nothing subscribes) are queued.
    New { jobs: usize },
    /// `(source, id)` was received before: nothing was done.
    Duplicate,
}

impl Queue {
    /// Stores a delivery from outside (an inbound webhook, an auth event) exactly once per
    /// `(source, id)`: the id is remembered and its jobs are queued in one transaction, so a
    /// redelivery has no second effect and an acknowledged delivery is never lost (the jobs are
    /// durable before this returns).
    pub async fn receive(&self, source: &str, id: &str, target: Target, payload: Value) -> Result<Received, ApiError> {
        let inner = self.inner.clone();
        let (payload, names, key) = match &target {
            Target::Event(kind) => {
                let (payload, names) = targets(&inner, kind, &payload);
                let key = ordering_key(kind, &payload);
                (payload, names, key)
            }
            Target::Worker(w) => (payload, vec![w.clone()], None),
        };
        let jobs = event_jobs(&inner, &names, &payload, key);
        let n = jobs.len();
        let now = ms(inner.clock.now());
        let unit = Receive { inner: inner.clone(), source: source.to_owned(), id: id.to_owned(), jobs, now };
        let fresh = inner.store.db.run_internal(unit).await?;
        if !fresh {
            return Ok(Received::Duplicate);
        }
        for name in &names {
            inner.wake.name(name);
        }
        Ok(Received::New { jobs: n })
    }
}

struct Receive {
    inner: Arc<Inner>,
    source: String,
    id: String,
    jobs: Vec<NewJob>,
    now: i64,
}

impl palbase_db::InternalSql for Receive {
    type Output = bool;

    fn sqlite(self, conn: &rusqlite::Connection) -> Result<bool, ApiError> {
        let n =
            conn.prepare_cached("INSERT OR IGNORE INTO _palbase_deliveries (source, id, received_at) VALUES (?1, ?2, ?3)").and_then(|mut st| st.execute(rusqlite::params![self.source, self.id, self.now])).map_err(crate::store::lite_err)?;
        if n == 0 {
            return Ok(false);
        }
        if !self.jobs.is_empty() {
            palbase_db::InternalSql::sqlite(self.inner.store.insert_stmt(self.jobs, self.now), conn)?;
        }
        Ok(true)
    }

    fn postgres<'c>(self, client: &'c ClientWrapper) -> PgFuture<'c, bool> {
        Box::pin(async move {
            let st = client.prepare_cached("INSERT INTO _palbase_deliveries (source, id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING").await.map_err(crate::store::pg_err)?;
            let n = client.execute(&st, &[&self.source, &self.id, &self.now]).await.map_err(crate::store::pg_err)?;
            if n == 0 {
                return Ok(false);
            }
            if !self.jobs.is_empty() {
                palbase_db::InternalSql::postgres(self.inner.store.insert_stmt(self.jobs, self.now), client).await?;
            }
            Ok(true)
        })
    }
}
