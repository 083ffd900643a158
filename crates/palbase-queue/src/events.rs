//! Events as jobs: the queue's [`palbase_db::EventLog`]. A service's write that causes an event
//! (a document written, a file uploaded) records it here, in the write's own transaction, as a
//! job of the worker `event:<kind>` (e.g. `event:documents.created`): durable, retried with the
//! worker's policy, never dropped. An event is recorded only while such a worker is defined
//! (the hooks of the project define them); with none, [`EventLog::wants`] is false and nothing
//! is written.

use std::sync::{Arc, Weak};

use deadpool_postgres::ClientWrapper;
use palbase_core::ApiError;
use palbase_db::{EventLog, PgFuture};
use serde_json::Value;

use crate::{Inner, Queue, clock::ms, new_id, store::NewJob};

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
    /// This queue as the [`EventLog`] services record their events in.
    pub fn event_log(&self) -> Arc<dyn EventLog> {
        Arc::new(QueueEventLog { inner: Arc::downgrade(&self.inner) })
    }

    /// Records an event outside any database transaction (a service whose writes are not in the
    /// database: Storage's files): a job of `event:<kind>`, committed when this returns; nothing
    /// when no such worker is defined.
    pub async fn record_event(&self, kind: &str, payload: Value) -> Result<(), ApiError> {
        let name = event_worker(kind);
        if !self.inner.defs().workers.contains_key(&name) {
            return Ok(());
        }
        self.push(None, &name, payload).await.map(drop)
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
        Ok((inner.clone(), NewJob { id: new_id("job"), name: name.to_owned(), payload: payload.to_string(), max_attempts }, now))
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

impl QueueEventLog {
    fn job(&self, kind: &str, payload: &Value) -> Option<(Arc<Inner>, NewJob, i64)> {
        let inner = self.inner.upgrade()?;
        let name = event_worker(kind);
        let max_attempts = inner.defs().workers.get(&name)?.max_attempts() as i32;
        let now = ms(inner.clock.now());
        Some((inner, NewJob { id: new_id("job"), name, payload: payload.to_string(), max_attempts }, now))
    }
}

impl EventLog for QueueEventLog {
    fn wants(&self, kind: &str) -> bool {
        self.inner.upgrade().is_some_and(|i| i.defs().workers.contains_key(&event_worker(kind)))
    }

    fn record_sqlite(&self, conn: &rusqlite::Connection, kind: &str, payload: &Value) -> Result<(), ApiError> {
        let Some((inner, job, now)) = self.job(kind, payload) else { return Ok(()) };
        palbase_db::InternalSql::sqlite(inner.store.insert_stmt(vec![job], now), conn)
    }

    fn record_postgres<'c>(&'c self, client: &'c ClientWrapper, kind: &'c str, payload: &'c Value) -> PgFuture<'c, ()> {
        let Some((inner, job, now)) = self.job(kind, payload) else { return Box::pin(async { Ok(()) }) };
        palbase_db::InternalSql::postgres(inner.store.insert_stmt(vec![job], now), client)
    }
}
