//! The Database service: `db.*` ops over an embedded SQLite file or PostgreSQL, with
//! schema-driven migrations. See README.md beside this crate for the value mapping, the
//! migration rules and the error codes.
//!
//! Threading: [`Db`] owns a small multi-thread tokio runtime. The PostgreSQL pool and its
//! connections live there and blocking SQLite work runs in its blocking pool. Ops are called
//! from the engine's worker threads (each with its own current-thread runtime); an op spawns its
//! work onto the database runtime and awaits the `JoinHandle`, which works from any runtime.
//!
//! Module map: [`schema`] (the schema JSON, validated), [`migrate`] (diff, classification, SQL
//! for both dialects; pure), `value` (JSON ↔ typed values), `action` (row operations → SQL),
//! `sqlite` / `pg` (+ `pg_codec`) the backends, `ops` (argument parsing and the op registry).

// `ApiError` (palbase-core) is the error of every op; boxing it here would only move the cost.
#![allow(clippy::result_large_err)]

mod action;
mod error;
pub mod internal;
pub mod migrate;
mod ops;
mod pg;
mod pg_codec;
pub mod schema;
mod sqlite;
mod value;

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use palbase_core::ApiError;
use serde_json::Value;
use tokio::runtime::{Handle, Runtime};
use tokio::task::AbortHandle;

pub use error::DbError;
pub use internal::{EventLog, InTransaction, InternalSql, NoEventLog, OnCommit, PgFuture};
pub use migrate::{MigrateOptions, MigrationReport, RefusedChange, RefusedKind};
pub use ops::register_ops;

use action::Action;
use schema::Schema;

/// Tunables of [`Db::open_with`].
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// A transaction still open after this long is rolled back (default 30 s).
    pub transaction_timeout: Duration,
    /// Largest PostgreSQL pool (default 16).
    pub pg_pool_size: usize,
    /// A `Database.query` running longer is stopped with `504 query_timeout` (default 30 s).
    pub query_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self { transaction_timeout: Duration::from_secs(30), pg_pool_size: 16, query_timeout: Duration::from_secs(30) }
    }
}

/// Which database is behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

enum Backend {
    Sqlite(sqlite::Sqlite),
    Pg(pg::Pg),
}

/// The connection of an open transaction.
enum TxConn {
    Sqlite(sqlite::WriterGuard),
    Pg(Box<pg::PgTx>),
}

struct TxEntry {
    owner: Option<Arc<str>>,
    /// `None` once the transaction ended (while an op held the entry).
    conn: tokio::sync::Mutex<Option<TxConn>>,
    timer: Mutex<Option<AbortHandle>>,
    /// Run after a successful commit ([`Db::run_in_request_transaction`]).
    on_commit: Mutex<Vec<OnCommit>>,
}

impl TxEntry {
    /// Only the request (or job) that began a transaction may use or end it.
    fn owned_by(&self, caller: Option<&str>) -> bool {
        self.owner.as_deref().is_none_or(|o| caller == Some(o))
    }
}

pub(crate) struct Inner {
    backend: Backend,
    schema: RwLock<Arc<Schema>>,
    txs: Mutex<HashMap<String, Arc<TxEntry>>>,
    tx_timeout: Duration,
}

/// The database of a project.
pub struct Db {
    rt: Option<Runtime>,
    handle: Handle,
    inner: Arc<Inner>,
}

impl Drop for Db {
    fn drop(&mut self) {
        // `Runtime`'s own drop blocks, which panics inside another runtime.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// Runs `f` on `handle` and waits for it from a plain thread.
fn block<F>(handle: &Handle, f: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    handle.spawn(async move {
        let _ = tx.send(f.await);
    });
    rx.recv().expect("the database runtime stopped")
}

impl Db {
    /// Opens the database. `url`: `None` → the SQLite file `data_dir/palbase.db` (WAL,
    /// synchronous=NORMAL, foreign keys on); `Some("postgres://…")` → PostgreSQL through a pool.
    /// Blocking; call it from a plain thread.
    pub fn open(url: Option<&str>, data_dir: &Path) -> Result<Arc<Db>, DbError> {
        Self::open_with(url, data_dir, DbOptions::default())
    }

    pub fn open_with(url: Option<&str>, data_dir: &Path, opts: DbOptions) -> Result<Arc<Db>, DbError> {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).max_blocking_threads(32).thread_name("palbase-db").enable_all().build().map_err(|e| DbError::Open(format!("cannot start the database runtime: {e}")))?;
        let handle = rt.handle().clone();
        let (backend, schema) = match url {
            None => {
                let dir = data_dir.to_path_buf();
                let qt = opts.query_timeout;
                let (s, schema) = block(&handle, async move { tokio::task::spawn_blocking(move || sqlite::Sqlite::open(&dir, qt)).await.map_err(|e| DbError::Open(e.to_string()))? })?;
                (Backend::Sqlite(s), schema)
            }
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                let u = u.to_owned();
                let (size, qt) = (opts.pg_pool_size, opts.query_timeout);
                let (p, schema) = block(&handle, async move { pg::Pg::open(&u, size, qt).await })?;
                (Backend::Pg(p), schema)
            }
            Some(u) if u.starts_with("sqlite:") => {
                return Err(DbError::Open("the embedded database is chosen by giving no URL; its file lives in the data directory".into()));
            }
            Some(_) => return Err(DbError::Open("unsupported database URL: expected postgres://…".into())),
        };
        Ok(Arc::new(Db { rt: Some(rt), handle, inner: Arc::new(Inner { backend, schema: RwLock::new(Arc::new(schema)), txs: Mutex::new(HashMap::new()), tx_timeout: opts.transaction_timeout }) }))
    }

    pub fn backend(&self) -> BackendKind {
        match self.inner.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Pg(_) => BackendKind::Postgres,
        }
    }

    /// Brings the database to `schema` (the JSON of `defineSchema(...)`). Blocking.
    ///
    /// Safe changes apply; if any change is refused (see [`RefusedChange`]), nothing is applied
    /// and the report lists the refused changes and the planned SQL. `dry_run` plans only.
    pub fn migrate(&self, schema: &Value, opts: MigrateOptions) -> Result<MigrationReport, DbError> {
        let new = schema::parse(schema).map_err(DbError::InvalidSchema)?;
        let inner = self.inner.clone();
        let target = new.clone();
        let report = block(&self.handle, async move {
            match &inner.backend {
                Backend::Sqlite(s) => s.migrate(target, opts).await,
                Backend::Pg(p) => p.migrate(target, opts).await,
            }
        })?;
        let unchanged = report.planned.is_empty() && report.refused.is_empty() && report.changes.is_empty();
        if !opts.dry_run && (report.migration_id.is_some() || unchanged) {
            let mut cur = self.inner.schema.write().unwrap_or_else(|p| p.into_inner());
            if **cur != new {
                // Another instance may have changed column types under cached statements.
                if let Backend::Pg(p) = &self.inner.backend {
                    p.forget_statements();
                }
                *cur = Arc::new(new);
            }
        }
        Ok(report)
    }

    /// The schema the ops check names against: the last one applied.
    pub fn schema(&self) -> Arc<Schema> {
        self.inner.schema()
    }

    /// Rolls back every transaction still open for `request_id` (call when a request or job
    /// ends: a transaction cannot outlive its request). Returns at once.
    pub fn end_request(&self, request_id: &str) {
        let ended: Vec<(String, Arc<TxEntry>)> = {
            let mut txs = self.inner.txs.lock().unwrap_or_else(|p| p.into_inner());
            let ids: Vec<String> = txs.iter().filter(|(_, e)| e.owner.as_deref() == Some(request_id)).map(|(k, _)| k.clone()).collect();
            ids.into_iter().filter_map(|id| txs.remove(&id).map(|e| (id, e))).collect()
        };
        for (id, entry) in ended {
            tracing::warn!(target: "palbase::db", tx = %id, request_id, "rolling back a transaction its request left open");
            self.handle.spawn(async move {
                let _ = Inner::end_entry(&entry, false).await;
            });
        }
    }

    /// Number of open transactions (for tests and metrics).
    pub fn open_transactions(&self) -> usize {
        self.inner.txs.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Runs an op on the database runtime; awaitable from any runtime.
    pub(crate) fn spawn<G, F>(&self, f: G) -> impl Future<Output = Result<Value, ApiError>> + use<G, F>
    where
        G: FnOnce(Arc<Inner>) -> F,
        F: Future<Output = Result<Value, ApiError>> + Send + 'static,
    {
        let h = self.handle.spawn(f(self.inner.clone()));
        async move {
            h.await.unwrap_or_else(|e| {
                tracing::error!(target: "palbase::db", error = %e, "database op task failed");
                Err(ApiError::internal())
            })
        }
    }
}

impl Inner {
    fn schema(&self) -> Arc<Schema> {
        self.schema.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn owner_has_tx(&self, owner: &str) -> bool {
        self.txs.lock().unwrap_or_else(|p| p.into_inner()).values().any(|e| e.owner.as_deref() == Some(owner))
    }

    async fn run(&self, action: Action, tx: Option<&str>, owner: Option<Arc<str>>) -> Result<Value, ApiError> {
        match &action {
            Action::FindById { id: None, .. } => return Ok(Value::Null),
            Action::Update { id: None, table, id_json, .. } | Action::Delete { id: None, table, id_json } => {
                return Err(error::row_not_found(table, id_json));
            }
            _ => {}
        }
        let schema = self.schema();
        let Some(tx) = tx else {
            if action.writes()
                && let Some(o) = &owner
                && self.owner_has_tx(o)
            {
                return Err(ApiError::new(409, "transaction_in_progress", "This request has an open transaction: write through its `tx` (a write outside it would wait for the transaction to end)"));
            }
            return match &self.backend {
                Backend::Sqlite(s) => s.exec_inline(schema, action).await,
                Backend::Pg(p) => p.exec(schema, action).await,
            };
        };
        let entry = self.txs.lock().unwrap_or_else(|p| p.into_inner()).get(tx).cloned();
        let Some(entry) = entry.filter(|e| e.owned_by(owner.as_deref())) else { return Err(error::transaction_closed(tx)) };
        let mut slot = entry.conn.lock().await;
        let Some(conn) = slot.take() else { return Err(error::transaction_closed(tx)) };
        match conn {
            TxConn::Sqlite(g) => {
                let (g, r) = sqlite::Sqlite::exec_in(g, schema, action).await?;
                *slot = Some(TxConn::Sqlite(g));
                r
            }
            TxConn::Pg(mut t) => {
                let Backend::Pg(p) = &self.backend else { return Err(ApiError::internal()) };
                let r = p.exec_in(&mut t, schema, action).await;
                *slot = Some(TxConn::Pg(t));
                r
            }
        }
    }

    async fn begin(self: Arc<Self>, owner: Option<Arc<str>>) -> Result<Value, ApiError> {
        if let Some(o) = &owner
            && self.owner_has_tx(o)
        {
            return Err(ApiError::new(409, "nested_transaction", "This request already has an open transaction; transactions do not nest (use its `tx`)"));
        }
        let conn = match &self.backend {
            Backend::Sqlite(s) => TxConn::Sqlite(s.begin().await?),
            Backend::Pg(p) => TxConn::Pg(Box::new(p.begin().await?)),
        };
        let id = format!("tx_{}", uuid::Uuid::new_v4().simple());
        let entry = Arc::new(TxEntry { owner, conn: tokio::sync::Mutex::new(Some(conn)), timer: Mutex::new(None), on_commit: Mutex::new(Vec::new()) });
        self.txs.lock().unwrap_or_else(|p| p.into_inner()).insert(id.clone(), entry.clone());
        let weak: Weak<Inner> = Arc::downgrade(&self);
        let timeout = self.tx_timeout;
        let tid = id.clone();
        let timer = tokio::spawn(async move {
            tokio::time::sleep(timeout).await;
            if let Some(inner) = weak.upgrade() {
                let e = inner.txs.lock().unwrap_or_else(|p| p.into_inner()).remove(&tid);
                if let Some(e) = e {
                    tracing::warn!(target: "palbase::db", tx = %tid, ?timeout, "rolling back a transaction that outlived its time limit");
                    let _ = Inner::end_entry(&e, false).await;
                }
            }
        });
        *entry.timer.lock().unwrap_or_else(|p| p.into_inner()) = Some(timer.abort_handle());
        Ok(serde_json::json!({ "tx": id }))
    }

    async fn finish(&self, tx: &str, commit: bool, owner: Option<Arc<str>>) -> Result<Value, ApiError> {
        let entry = {
            let mut txs = self.txs.lock().unwrap_or_else(|p| p.into_inner());
            // Another request's transaction is, to this one, not open (its id was guessed).
            if txs.get(tx).is_some_and(|e| !e.owned_by(owner.as_deref())) {
                return Err(error::transaction_closed(tx));
            }
            txs.remove(tx)
        };
        let Some(entry) = entry else { return Err(error::transaction_closed(tx)) };
        if let Some(t) = entry.timer.lock().unwrap_or_else(|p| p.into_inner()).take() {
            t.abort();
        }
        let ended = Inner::end_entry(&entry, commit).await;
        // Taken after the connection is gone: a statement that added a callback ran before.
        let callbacks = std::mem::take(&mut *entry.on_commit.lock().unwrap_or_else(|p| p.into_inner()));
        match ended {
            Some(r) => {
                if commit && r.is_ok() {
                    internal::committed(callbacks);
                }
                r.map(|_| Value::Null)
            }
            None => Err(error::transaction_closed(tx)),
        }
    }

    /// Commits or rolls back the entry's connection; `None` if it had already ended.
    async fn end_entry(entry: &TxEntry, commit: bool) -> Option<Result<(), ApiError>> {
        let conn = entry.conn.lock().await.take()?;
        Some(match conn {
            TxConn::Sqlite(g) => sqlite::Sqlite::finish(g, commit).await,
            TxConn::Pg(t) => pg::Pg::finish(*t, commit).await,
        })
    }
}
