//! Internal SQL: statements another service (the queue) owns and runs on this database's
//! connections, outside any request or inside the transaction a request has open.
//!
//! This is how a `Queue.push` made inside `Database.transaction(...)` becomes part of that
//! transaction (rolled back with it, committed with it). The service writes its SQL for both
//! dialects ([`InternalSql`]); this crate picks the connection:
//!
//! | | SQLite | PostgreSQL |
//! |---|---|---|
//! | [`Db::run_internal`] | the writer connection, in `BEGIN IMMEDIATE … COMMIT` when [`InternalSql::atomic`] | a pooled connection, in `BEGIN … COMMIT` when `atomic` (else autocommit) |
//! | [`Db::run_in_request_transaction`] | the transaction's connection, under a savepoint | the transaction's connection, under a savepoint |
//!
//! An `Err` from the statements rolls back what they did (the transaction, or the savepoint;
//! the request's transaction itself stays usable). Names and values are the service's business:
//! nothing here is checked against the migrated schema.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use deadpool_postgres::{ClientWrapper, Object};
use palbase_core::ApiError;

use crate::{Backend, Db, Inner, TxConn, error, sqlite};

/// The future of [`InternalSql::postgres`].
pub type PgFuture<'c, T> = Pin<Box<dyn Future<Output = Result<T, ApiError>> + Send + 'c>>;

/// A callback run after the request's transaction commits (never after a rollback).
pub type OnCommit = Box<dyn FnOnce() + Send + 'static>;

/// Statements for both backends. Exactly one of the two methods is called.
pub trait InternalSql: Send + 'static {
    type Output: Send + 'static;

    /// Run in a transaction of its own when not inside a request's transaction. `false` for a
    /// single statement (autocommit is one round trip on PostgreSQL).
    fn atomic(&self) -> bool {
        true
    }

    /// Runs on the SQLite writer connection (blocking; called in the blocking pool).
    fn sqlite(self, conn: &rusqlite::Connection) -> Result<Self::Output, ApiError>;

    /// Runs on a PostgreSQL connection (`prepare_cached` is available on it).
    fn postgres<'c>(self, client: &'c ClientWrapper) -> PgFuture<'c, Self::Output>;
}

/// Where services record the events their writes cause (a document write, an upload), inside the
/// same transaction as the write: the event exists if and only if the write committed. The
/// queue implements it (an event becomes a durable, retried job); a service holds an
/// `Arc<dyn EventLog>` and calls it from its [`InternalSql`].
pub trait EventLog: Send + Sync + 'static {
    /// Whether anything consumes events of `kind` (e.g. `documents.created`): a service skips
    /// building the payload of an event no one wants.
    fn wants(&self, kind: &str) -> bool;

    /// Records one event on the SQLite connection of the running statement.
    fn record_sqlite(&self, conn: &rusqlite::Connection, kind: &str, payload: &serde_json::Value) -> Result<(), ApiError>;

    /// Records one event on the PostgreSQL connection of the running statement.
    fn record_postgres<'c>(&'c self, client: &'c ClientWrapper, kind: &'c str, payload: &'c serde_json::Value) -> PgFuture<'c, ()>;
}

/// Records nothing.
pub struct NoEventLog;

impl EventLog for NoEventLog {
    fn wants(&self, _kind: &str) -> bool {
        false
    }
    fn record_sqlite(&self, _conn: &rusqlite::Connection, _kind: &str, _payload: &serde_json::Value) -> Result<(), ApiError> {
        Ok(())
    }
    fn record_postgres<'c>(&'c self, _client: &'c ClientWrapper, _kind: &'c str, _payload: &'c serde_json::Value) -> PgFuture<'c, ()> {
        Box::pin(async { Ok(()) })
    }
}

/// What [`Db::run_in_request_transaction`] did.
pub enum InTransaction<S: InternalSql> {
    /// The statements ran inside the request's transaction.
    Ran(S::Output),
    /// The request has no open transaction (or it ended meanwhile): nothing ran; here are the
    /// statements back.
    NoTransaction(S),
}

impl Db {
    /// Runs `sql` outside any request transaction (see the module docs). Awaitable from any
    /// runtime: the work runs on the database runtime.
    pub fn run_internal<S: InternalSql>(&self, sql: S) -> impl Future<Output = Result<S::Output, ApiError>> + Send + 'static {
        let inner = self.inner.clone();
        let h = self.handle.spawn(async move { inner.run_internal(sql).await });
        async move { h.await.unwrap_or_else(|e| Err(error::database_error("internal statement task", &e))) }
    }

    /// Runs `sql` inside the transaction `request_id` has open (`Database.transaction` of that
    /// request or background run), under a savepoint. `on_commit` runs if and when that
    /// transaction commits. Without an open transaction nothing runs and `sql` comes back.
    pub fn run_in_request_transaction<S: InternalSql>(&self, request_id: &str, sql: S, on_commit: Option<OnCommit>) -> impl Future<Output = Result<InTransaction<S>, ApiError>> + Send + 'static {
        let inner = self.inner.clone();
        let owner = request_id.to_owned();
        let h = self.handle.spawn(async move { inner.run_in_owner_tx(&owner, sql, on_commit).await });
        async move { h.await.unwrap_or_else(|e| Err(error::database_error("internal statement task", &e))) }
    }

    /// Whether `request_id` has a transaction open right now.
    pub fn has_open_transaction(&self, request_id: &str) -> bool {
        self.inner.owner_has_tx(request_id)
    }

    /// The connection settings of a PostgreSQL database (for a dedicated connection, such as a
    /// `LISTEN` one); `None` on SQLite.
    pub fn postgres_config(&self) -> Option<tokio_postgres::Config> {
        match &self.inner.backend {
            Backend::Pg(p) => Some((*p.config).clone()),
            Backend::Sqlite(_) => None,
        }
    }
}

impl Inner {
    async fn run_internal<S: InternalSql>(&self, sql: S) -> Result<S::Output, ApiError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                let guard = s.writer().await;
                let (_, r) = sqlite::run_blocking(guard, move |c| {
                    sqlite::reset_if_in_transaction(c);
                    if !sql.atomic() {
                        return sql.sqlite(&c.conn);
                    }
                    c.conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| error::database_error("begin", &e))?;
                    let r = sql.sqlite(&c.conn);
                    let end = if r.is_ok() { "COMMIT" } else { "ROLLBACK" };
                    if let Err(e) = c.conn.execute_batch(end) {
                        sqlite::reset_if_in_transaction(c);
                        return Err(error::database_error(end, &e));
                    }
                    r
                })
                .await?;
                r
            }
            Backend::Pg(p) => {
                let client = p.client().await?;
                if !sql.atomic() {
                    return sql.postgres(&client).await;
                }
                client.batch_execute("BEGIN").await.map_err(|e| error::database_error("begin", &e))?;
                let r = sql.postgres(&client).await;
                let end = if r.is_ok() { "COMMIT" } else { "ROLLBACK" };
                if let Err(e) = client.batch_execute(end).await {
                    // Never hand a connection in an unknown transaction state back to the pool.
                    drop(Object::take(client));
                    return Err(error::database_error(end, &e));
                }
                r
            }
        }
    }

    async fn run_in_owner_tx<S: InternalSql>(&self, owner: &str, sql: S, on_commit: Option<OnCommit>) -> Result<InTransaction<S>, ApiError> {
        let entry = {
            let txs = self.txs.lock().unwrap_or_else(|p| p.into_inner());
            txs.values().find(|e| e.owner.as_deref() == Some(owner)).cloned()
        };
        let Some(entry) = entry else { return Ok(InTransaction::NoTransaction(sql)) };
        let mut slot = entry.conn.lock().await;
        // Ended (committed, rolled back, timed out) while we waited for its connection.
        let Some(conn) = slot.take() else { return Ok(InTransaction::NoTransaction(sql)) };
        let r = match conn {
            TxConn::Sqlite(g) => {
                let (g, r) = sqlite::run_blocking(g, move |c| {
                    c.conn.execute_batch("SAVEPOINT palbase_internal").map_err(|e| error::database_error("savepoint", &e))?;
                    let r = sql.sqlite(&c.conn);
                    let end = if r.is_ok() { "RELEASE SAVEPOINT palbase_internal" } else { "ROLLBACK TO SAVEPOINT palbase_internal; RELEASE SAVEPOINT palbase_internal" };
                    c.conn.execute_batch(end).map_err(|e| error::database_error("savepoint", &e))?;
                    r
                })
                .await?;
                *slot = Some(TxConn::Sqlite(g));
                r
            }
            TxConn::Pg(t) => {
                let r = match t.conn() {
                    None => Err(ApiError::internal()),
                    Some(client) => pg_in_savepoint(client, sql).await,
                };
                *slot = Some(TxConn::Pg(t));
                r
            }
        };
        let out = r?;
        if let Some(f) = on_commit {
            entry.on_commit.lock().unwrap_or_else(|p| p.into_inner()).push(f);
        }
        Ok(InTransaction::Ran(out))
    }
}

async fn pg_in_savepoint<S: InternalSql>(client: &ClientWrapper, sql: S) -> Result<S::Output, ApiError> {
    let broken = |e: tokio_postgres::Error| error::database_error("savepoint", &e);
    client.batch_execute("SAVEPOINT palbase_internal").await.map_err(broken)?;
    let r = sql.postgres(client).await;
    let end = if r.is_ok() { "RELEASE SAVEPOINT palbase_internal" } else { "ROLLBACK TO SAVEPOINT palbase_internal; RELEASE SAVEPOINT palbase_internal" };
    client.batch_execute(end).await.map_err(broken)?;
    r
}

/// Runs the callbacks of a committed transaction.
pub(crate) fn committed(callbacks: Vec<OnCommit>) {
    for f in callbacks {
        f();
    }
}

#[allow(dead_code)]
fn _assert_send(db: Arc<Db>) {
    fn is_send<T: Send>(_: T) {}
    struct Nop;
    impl InternalSql for Nop {
        type Output = ();
        fn sqlite(self, _: &rusqlite::Connection) -> Result<(), ApiError> {
            Ok(())
        }
        fn postgres<'c>(self, _: &'c ClientWrapper) -> PgFuture<'c, ()> {
            Box::pin(async { Ok(()) })
        }
    }
    is_send(db.run_internal(Nop));
    is_send(db.run_in_request_transaction("r", Nop, None));
}
