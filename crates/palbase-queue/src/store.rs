//! The queue's tables and every statement it runs, in both dialects, through palbase-db's
//! internal-SQL seam ([`palbase_db::InternalSql`]).
//!
//! Times are milliseconds since the Unix epoch, taken from the queue's [`crate::Clock`] (never the
//! database's `now()`), so a fake clock drives leases, retries and cron in tests.
//!
//! `due_at` is "when something must next happen to this job": the run time of a queued job, the
//! lease end of a running one, `NULL` once it is finished. Claiming is one indexed range scan
//! (`name, due_at <= now`) that finds both new work and expired leases.

use std::sync::Arc;

use deadpool_postgres::ClientWrapper;
use palbase_core::ApiError;
use palbase_db::{BackendKind, Db, InTransaction, InternalSql, OnCommit, PgFuture};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

pub const JOBS: &str = "_palbase_queue_jobs";
pub const CRON_RUNS: &str = "_palbase_cron_runs";

/// The `NOTIFY` channel; the payload is the worker name.
pub const CHANNEL: &str = "palbase_queue";

/// `pg_advisory_xact_lock` key for creating the tables ("pbqueue\0").
const CREATE_LOCK: i64 = 0x0070_6271_7565_7565;

// ---------------------------------------------------------------------------------------------
// The statement wrapper

type SqliteFn<T> = Box<dyn FnOnce(&Connection) -> Result<T, ApiError> + Send>;
type PgFn<T> = Box<dyn for<'c> FnOnce(&'c ClientWrapper) -> PgFuture<'c, T> + Send>;

/// One unit of SQL for whichever backend the database is.
pub(crate) struct Stmt<T> {
    body: Body<T>,
    atomic: bool,
}

enum Body<T> {
    Sqlite(SqliteFn<T>),
    Pg(PgFn<T>),
}

impl<T: Send + 'static> InternalSql for Stmt<T> {
    type Output = T;

    fn atomic(&self) -> bool {
        self.atomic
    }

    fn sqlite(self, conn: &Connection) -> Result<T, ApiError> {
        match self.body {
            Body::Sqlite(f) => f(conn),
            Body::Pg(_) => Err(ApiError::internal()),
        }
    }

    fn postgres<'c>(self, client: &'c ClientWrapper) -> PgFuture<'c, T> {
        match self.body {
            Body::Pg(f) => f(client),
            Body::Sqlite(_) => Box::pin(async { Err(ApiError::internal()) }),
        }
    }
}

fn sqlite<T, F>(atomic: bool, f: F) -> Stmt<T>
where
    F: FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
{
    Stmt { body: Body::Sqlite(Box::new(f)), atomic }
}

fn pg<T, F>(atomic: bool, f: F) -> Stmt<T>
where
    F: for<'c> FnOnce(&'c ClientWrapper) -> PgFuture<'c, T> + Send + 'static,
{
    Stmt { body: Body::Pg(Box::new(f)), atomic }
}

pub(crate) fn lite_err(e: rusqlite::Error) -> ApiError {
    tracing::error!(target: "palbase::queue", error = %e, "queue database error");
    ApiError::new(500, "database_error", "A database error occurred")
}

pub(crate) fn pg_err(e: tokio_postgres::Error) -> ApiError {
    tracing::error!(target: "palbase::queue", error = %e, "queue database error");
    ApiError::new(500, "database_error", "A database error occurred")
}

/// The queue's access to the database.
#[derive(Clone)]
pub(crate) struct Store {
    pub db: Arc<Db>,
    pub kind: BackendKind,
}

// ---------------------------------------------------------------------------------------------
// Rows

/// A job row as listed.
#[derive(Debug, Clone)]
pub(crate) struct JobRow {
    pub id: String,
    pub name: String,
    pub payload: String,
    pub status: String,
    pub attempt: i64,
    pub max_attempts: i64,
    pub due_at: Option<i64>,
    pub locked_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub last_error: Option<String>,
    pub errors: Value,
}

const JOB_COLS: &str = "id, name, payload, status, attempt, max_attempts, due_at, locked_by, created_at, updated_at, started_at, finished_at, last_error, errors";

fn job_from_lite(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRow> {
    let errors: String = r.get(13)?;
    Ok(JobRow {
        id: r.get(0)?,
        name: r.get(1)?,
        payload: r.get(2)?,
        status: r.get(3)?,
        attempt: r.get(4)?,
        max_attempts: r.get(5)?,
        due_at: r.get(6)?,
        locked_by: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
        started_at: r.get(10)?,
        finished_at: r.get(11)?,
        last_error: r.get(12)?,
        errors: serde_json::from_str(&errors).unwrap_or(Value::Array(vec![])),
    })
}

fn job_from_pg(r: &tokio_postgres::Row) -> JobRow {
    JobRow {
        id: r.get(0),
        name: r.get(1),
        payload: r.get(2),
        status: r.get(3),
        attempt: i64::from(r.get::<_, i32>(4)),
        max_attempts: i64::from(r.get::<_, i32>(5)),
        due_at: r.get(6),
        locked_by: r.get(7),
        created_at: r.get(8),
        updated_at: r.get(9),
        started_at: r.get(10),
        finished_at: r.get(11),
        last_error: r.get(12),
        errors: r.get(13),
    }
}

/// A job to insert.
#[derive(Debug, Clone)]
pub(crate) struct NewJob {
    pub id: String,
    pub name: String,
    pub payload: String,
    pub max_attempts: i32,
    /// Jobs of one worker with the same key run one at a time, in the order they were created:
    /// a later one waits while an earlier one is queued, running or waiting to retry (events of
    /// one document, delivered in commit order).
    pub ordering_key: Option<String>,
}

/// A job this instance has just claimed.
#[derive(Debug, Clone)]
pub(crate) struct Claimed {
    pub id: String,
    pub payload: String,
    /// This attempt's number (1 = first).
    pub attempt: u32,
    pub max_attempts: u32,
    /// The fencing token: later writes for this attempt must carry it.
    pub token: i64,
    /// The previous attempt's lease expired without a result.
    pub reclaimed: bool,
}

/// A failed attempt to record (fenced by `token`).
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub id: String,
    pub token: i64,
    /// `Some(due)`: queued again for then; `None`: dead.
    pub retry_at: Option<i64>,
    pub error: String,
    /// `{attempt, at, error}`, appended to `errors`.
    pub entry: Value,
    /// Subtracted from `attempt` (1 when the claim that counted it never ran the handler).
    pub attempt_adjust: i32,
}

/// A cron run record.
#[derive(Debug, Clone)]
pub(crate) struct RunRow {
    pub id: String,
    pub job: String,
    pub slot: Option<i64>,
    pub kind: String,
    pub status: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub instance: String,
    pub error: Option<String>,
}

const RUN_COLS: &str = "id, job, slot, kind, status, started_at, finished_at, instance, error";

fn run_from_lite(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    Ok(RunRow { id: r.get(0)?, job: r.get(1)?, slot: r.get(2)?, kind: r.get(3)?, status: r.get(4)?, started_at: r.get(5)?, finished_at: r.get(6)?, instance: r.get(7)?, error: r.get(8)? })
}

fn run_from_pg(r: &tokio_postgres::Row) -> RunRow {
    RunRow { id: r.get(0), job: r.get(1), slot: r.get(2), kind: r.get(3), status: r.get(4), started_at: r.get(5), finished_at: r.get(6), instance: r.get(7), error: r.get(8) }
}

/// What a cron slot turned into for this instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotClaim {
    /// This instance runs it.
    Run,
    /// Recorded as skipped: the previous run is still running.
    Skipped,
    /// Another instance recorded this slot first.
    Taken,
}

// ---------------------------------------------------------------------------------------------
// Tables

const SQLITE_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS _palbase_queue_jobs (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  due_at INTEGER,
  token INTEGER NOT NULL DEFAULT 0,
  reclaimed INTEGER NOT NULL DEFAULT 0,
  locked_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  last_error TEXT,
  errors TEXT NOT NULL DEFAULT '[]',
  ordering_key TEXT
);
CREATE INDEX IF NOT EXISTS _palbase_queue_jobs_due ON _palbase_queue_jobs (name, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS _palbase_queue_jobs_status ON _palbase_queue_jobs (status, finished_at);
CREATE TABLE IF NOT EXISTS _palbase_cron_jobs (
  name TEXT PRIMARY KEY NOT NULL,
  schedule TEXT NOT NULL,
  timezone TEXT NOT NULL,
  defined_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS _palbase_cron_runs (
  id TEXT PRIMARY KEY NOT NULL,
  job TEXT NOT NULL,
  slot INTEGER,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  lease_until INTEGER,
  instance TEXT NOT NULL,
  error TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS _palbase_cron_runs_slot ON _palbase_cron_runs (job, slot);
CREATE INDEX IF NOT EXISTS _palbase_cron_runs_job ON _palbase_cron_runs (job, started_at);
CREATE INDEX IF NOT EXISTS _palbase_cron_runs_running ON _palbase_cron_runs (job) WHERE status = 'running';
CREATE TABLE IF NOT EXISTS _palbase_deliveries (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE TABLE IF NOT EXISTS _palbase_queue_instances (
  id TEXT PRIMARY KEY NOT NULL,
  info TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
"#;

const SQLITE_ORDER_INDEX: &str = "CREATE INDEX IF NOT EXISTS _palbase_queue_jobs_order ON _palbase_queue_jobs (name, ordering_key, created_at, id) WHERE ordering_key IS NOT NULL AND due_at IS NOT NULL;";

const PG_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS _palbase_queue_jobs (
  id text PRIMARY KEY,
  name text NOT NULL,
  payload text NOT NULL,
  status text NOT NULL,
  attempt integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  due_at bigint,
  token bigint NOT NULL DEFAULT 0,
  reclaimed boolean NOT NULL DEFAULT false,
  locked_by text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  started_at bigint,
  finished_at bigint,
  last_error text,
  errors jsonb NOT NULL DEFAULT '[]'
);
ALTER TABLE _palbase_queue_jobs ADD COLUMN IF NOT EXISTS ordering_key text;
CREATE INDEX IF NOT EXISTS _palbase_queue_jobs_order ON _palbase_queue_jobs (name, ordering_key, created_at, id) WHERE ordering_key IS NOT NULL AND due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS _palbase_queue_jobs_due ON _palbase_queue_jobs (name, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS _palbase_queue_jobs_status ON _palbase_queue_jobs (status, finished_at);
CREATE TABLE IF NOT EXISTS _palbase_cron_jobs (
  name text PRIMARY KEY,
  schedule text NOT NULL,
  timezone text NOT NULL,
  defined_at bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS _palbase_cron_runs (
  id text PRIMARY KEY,
  job text NOT NULL,
  slot bigint,
  kind text NOT NULL,
  status text NOT NULL,
  started_at bigint NOT NULL,
  finished_at bigint,
  lease_until bigint,
  instance text NOT NULL,
  error text
);
CREATE UNIQUE INDEX IF NOT EXISTS _palbase_cron_runs_slot ON _palbase_cron_runs (job, slot);
CREATE INDEX IF NOT EXISTS _palbase_cron_runs_job ON _palbase_cron_runs (job, started_at);
CREATE INDEX IF NOT EXISTS _palbase_cron_runs_running ON _palbase_cron_runs (job) WHERE status = 'running';
CREATE TABLE IF NOT EXISTS _palbase_deliveries (
  source text NOT NULL,
  id text NOT NULL,
  received_at bigint NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE TABLE IF NOT EXISTS _palbase_queue_instances (
  id text PRIMARY KEY,
  info text NOT NULL,
  started_at bigint NOT NULL,
  heartbeat_at bigint NOT NULL
);
"#;

impl Store {
    pub fn new(db: Arc<Db>) -> Store {
        let kind = db.backend();
        Store { db, kind }
    }

    fn is_pg(&self) -> bool {
        self.kind == BackendKind::Postgres
    }

    async fn run<T: Send + 'static>(&self, s: Stmt<T>) -> Result<T, ApiError> {
        self.db.run_internal(s).await
    }

    /// Creates the tables (idempotent; instances starting together create them once).
    pub async fn create_tables(&self) -> Result<(), ApiError> {
        if self.is_pg() {
            self.run(pg(true, |c| {
                Box::pin(async move {
                    c.execute("SELECT pg_advisory_xact_lock($1)", &[&CREATE_LOCK]).await.map_err(pg_err)?;
                    c.batch_execute(PG_TABLES).await.map_err(pg_err)
                })
            }))
            .await
        } else {
            self.run(sqlite(true, |c| {
                // The queue's statements join palbase-db's in the writer's statement cache.
                c.set_prepared_statement_cache_capacity(64);
                c.execute_batch(SQLITE_TABLES).map_err(lite_err)?;
                // Databases created before ordering keys existed.
                let has: bool = c.query_row("SELECT count(*) FROM pragma_table_info('_palbase_queue_jobs') WHERE name = 'ordering_key'", [], |r| r.get::<_, i64>(0)).map_err(lite_err)? > 0;
                if !has {
                    c.execute_batch("ALTER TABLE _palbase_queue_jobs ADD COLUMN ordering_key TEXT").map_err(lite_err)?;
                }
                c.execute_batch(SQLITE_ORDER_INDEX).map_err(lite_err)
            }))
            .await
        }
    }

    // -----------------------------------------------------------------------------------------
    // Pushing

    pub(crate) fn insert_stmt(&self, jobs: Vec<NewJob>, now: i64) -> Stmt<()> {
        if self.is_pg() {
            pg(false, move |c| {
                Box::pin(async move {
                    let st = c
                        .prepare_cached(
                            "WITH ins AS (\
                               INSERT INTO _palbase_queue_jobs (id, name, payload, status, max_attempts, due_at, created_at, updated_at, ordering_key) \
                               SELECT u.id, u.name, u.payload, 'queued', u.ma, $5, $5, $5, u.ok \
                               FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $6::text[]) AS u(id, name, payload, ma, ok) \
                               RETURNING name) \
                             SELECT pg_notify('palbase_queue', d.n) FROM (SELECT DISTINCT name AS n FROM ins) d",
                        )
                        .await
                        .map_err(pg_err)?;
                    let n = jobs.len();
                    let (mut ids, mut names, mut payloads, mut mas) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
                    let mut keys: Vec<Option<String>> = Vec::with_capacity(n);
                    for j in jobs {
                        ids.push(j.id);
                        names.push(j.name);
                        payloads.push(j.payload);
                        mas.push(j.max_attempts);
                        keys.push(j.ordering_key);
                    }
                    c.execute(&st, &[&ids, &names, &payloads, &mas, &now, &keys]).await.map_err(pg_err)?;
                    Ok(())
                })
            })
        } else {
            sqlite(true, move |c| {
                let mut st = c
                    .prepare_cached(
                        "INSERT INTO _palbase_queue_jobs (id, name, payload, status, max_attempts, due_at, created_at, updated_at, ordering_key) \
                         VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?5, ?5, ?6)",
                    )
                    .map_err(lite_err)?;
                for j in jobs {
                    st.execute(params![j.id, j.name, j.payload, j.max_attempts, now, j.ordering_key]).map_err(lite_err)?;
                }
                Ok(())
            })
        }
    }

    /// Inserts jobs, committed when this returns.
    pub async fn insert(&self, jobs: Vec<NewJob>, now: i64) -> Result<(), ApiError> {
        self.run(self.insert_stmt(jobs, now)).await
    }

    /// Inserts a job inside the transaction `request_id` has open; `Ok(false)` when it has none.
    pub async fn insert_in_request_tx(&self, request_id: &str, job: NewJob, now: i64, on_commit: OnCommit) -> Result<bool, ApiError> {
        let st = self.insert_stmt(vec![job], now);
        match self.db.run_in_request_transaction(request_id, st, Some(on_commit)).await? {
            InTransaction::Ran(()) => Ok(true),
            InTransaction::NoTransaction(_) => Ok(false),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Claiming and results

    /// Claims up to `limit` due jobs of worker `name` (new ones and expired leases): they become
    /// `running`, leased to `instance` until `lease_until`, with a new fencing token.
    pub async fn claim(&self, name: &str, limit: u32, now: i64, lease_until: i64, instance: &str) -> Result<Vec<Claimed>, ApiError> {
        let (name, instance) = (name.to_owned(), instance.to_owned());
        let limit = i64::from(limit);
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let st = c
                        .prepare_cached(
                            "UPDATE _palbase_queue_jobs j SET status = 'running', attempt = j.attempt + 1, token = j.token + 1, \
                               reclaimed = (j.status = 'running'), locked_by = $4, due_at = $5, started_at = $3, updated_at = $3 \
                             FROM (SELECT id FROM _palbase_queue_jobs c WHERE name = $1 AND due_at <= $3 \
                                     AND (ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM _palbase_queue_jobs o \
                                       WHERE o.name = c.name AND o.ordering_key = c.ordering_key AND o.due_at IS NOT NULL \
                                         AND (o.created_at, o.id) < (c.created_at, c.id))) \
                                   ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) s \
                             WHERE j.id = s.id \
                             RETURNING j.id, j.payload, j.attempt, j.max_attempts, j.token, j.reclaimed",
                        )
                        .await
                        .map_err(pg_err)?;
                    let rows = c.query(&st, &[&name, &limit, &now, &instance, &lease_until]).await.map_err(pg_err)?;
                    Ok(rows.iter().map(|r| Claimed { id: r.get(0), payload: r.get(1), attempt: r.get::<_, i32>(2).max(0) as u32, max_attempts: r.get::<_, i32>(3).max(0) as u32, token: r.get(4), reclaimed: r.get(5) }).collect())
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                let mut st = c
                    .prepare_cached(
                        "UPDATE _palbase_queue_jobs SET status = 'running', attempt = attempt + 1, token = token + 1, \
                           reclaimed = (status = 'running'), locked_by = ?4, due_at = ?5, started_at = ?3, updated_at = ?3 \
                         WHERE id IN (SELECT id FROM _palbase_queue_jobs c WHERE name = ?1 AND due_at <= ?3 \
                           AND (ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM _palbase_queue_jobs o \
                             WHERE o.name = c.name AND o.ordering_key = c.ordering_key AND o.due_at IS NOT NULL \
                               AND (o.created_at, o.id) < (c.created_at, c.id))) \
                           ORDER BY due_at, id LIMIT ?2) \
                         RETURNING id, payload, attempt, max_attempts, token, reclaimed",
                    )
                    .map_err(lite_err)?;
                let rows = st
                    .query_map(params![name, limit, now, instance, lease_until], |r| {
                        Ok(Claimed { id: r.get(0)?, payload: r.get(1)?, attempt: r.get::<_, i64>(2)?.max(0) as u32, max_attempts: r.get::<_, i64>(3)?.max(0) as u32, token: r.get(4)?, reclaimed: r.get::<_, i64>(5)? != 0 })
                    })
                    .map_err(lite_err)?;
                rows.collect::<Result<Vec<_>, _>>().map_err(lite_err)
            }))
            .await
        }
    }

    /// Records results: successes (id, token) become `completed`, failures are queued again or
    /// dead. Only rows whose token still matches change. Returns the ids that did change.
    pub async fn finish(&self, done: Vec<(String, i64)>, failed: Vec<Failure>, now: i64) -> Result<Vec<String>, ApiError> {
        // Several statements: one transaction, one commit.
        let statements = usize::from(!done.is_empty()) + failed.len();
        if self.is_pg() {
            self.run(pg(statements > 1, move |c| {
                Box::pin(async move {
                    let mut changed = Vec::new();
                    if !done.is_empty() {
                        let st = c
                            .prepare_cached(
                                "UPDATE _palbase_queue_jobs j SET status = 'completed', due_at = NULL, locked_by = NULL, \
                                   finished_at = $3, updated_at = $3 \
                                 FROM unnest($1::text[], $2::int8[]) AS u(id, token) \
                                 WHERE j.id = u.id AND j.token = u.token AND j.status = 'running' \
                                 RETURNING j.id",
                            )
                            .await
                            .map_err(pg_err)?;
                        let (ids, tokens): (Vec<String>, Vec<i64>) = done.into_iter().unzip();
                        for r in c.query(&st, &[&ids, &tokens, &now]).await.map_err(pg_err)? {
                            changed.push(r.get(0));
                        }
                    }
                    if !failed.is_empty() {
                        let st = c
                            .prepare_cached(
                                "UPDATE _palbase_queue_jobs SET status = $3, due_at = $4, finished_at = $5, updated_at = $6, \
                                   locked_by = NULL, last_error = $7, errors = errors || jsonb_build_array($8::jsonb), \
                                   attempt = attempt - $9 \
                                 WHERE id = $1 AND token = $2 AND status = 'running' RETURNING id",
                            )
                            .await
                            .map_err(pg_err)?;
                        for f in failed {
                            let status = if f.retry_at.is_some() { "queued" } else { "dead" };
                            let finished = if f.retry_at.is_some() { None } else { Some(now) };
                            let rows = c.query(&st, &[&f.id, &f.token, &status, &f.retry_at, &finished, &now, &f.error, &f.entry, &f.attempt_adjust]).await.map_err(pg_err)?;
                            changed.extend(rows.iter().map(|r| r.get::<_, String>(0)));
                        }
                    }
                    Ok(changed)
                })
            }))
            .await
        } else {
            self.run(sqlite(true, move |c| {
                let mut changed = Vec::new();
                if !done.is_empty() {
                    let mut st = c
                        .prepare_cached(
                            "UPDATE _palbase_queue_jobs SET status = 'completed', due_at = NULL, locked_by = NULL, \
                               finished_at = ?3, updated_at = ?3 WHERE id = ?1 AND token = ?2 AND status = 'running'",
                        )
                        .map_err(lite_err)?;
                    for (id, token) in done {
                        if st.execute(params![id, token, now]).map_err(lite_err)? > 0 {
                            changed.push(id);
                        }
                    }
                }
                if !failed.is_empty() {
                    let mut st = c
                        .prepare_cached(
                            "UPDATE _palbase_queue_jobs SET status = ?3, due_at = ?4, finished_at = ?5, updated_at = ?6, \
                               locked_by = NULL, last_error = ?7, errors = json_insert(errors, '$[#]', json(?8)), \
                               attempt = attempt - ?9 \
                             WHERE id = ?1 AND token = ?2 AND status = 'running'",
                        )
                        .map_err(lite_err)?;
                    for f in failed {
                        let status = if f.retry_at.is_some() { "queued" } else { "dead" };
                        let finished = if f.retry_at.is_some() { None } else { Some(now) };
                        let n = st.execute(params![f.id, f.token, status, f.retry_at, finished, now, f.error, f.entry.to_string(), f.attempt_adjust]).map_err(lite_err)?;
                        if n > 0 {
                            changed.push(f.id);
                        }
                    }
                }
                Ok(changed)
            }))
            .await
        }
    }

    /// Appends an error to a job's history (fenced by `token`): the attempt before a reclaim.
    pub async fn note_error(&self, id: &str, token: i64, error: &str, entry: Value, now: i64) -> Result<bool, ApiError> {
        let (id, error) = (id.to_owned(), error.to_owned());
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let n = c
                        .execute(
                            "UPDATE _palbase_queue_jobs SET errors = errors || jsonb_build_array($3::jsonb), last_error = $4, updated_at = $5 \
                             WHERE id = $1 AND token = $2 AND status = 'running'",
                            &[&id, &token, &entry, &error, &now],
                        )
                        .await
                        .map_err(pg_err)?;
                    Ok(n > 0)
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                let n = c
                    .execute(
                        "UPDATE _palbase_queue_jobs SET errors = json_insert(errors, '$[#]', json(?3)), last_error = ?4, updated_at = ?5 \
                         WHERE id = ?1 AND token = ?2 AND status = 'running'",
                        params![id, token, entry.to_string(), error, now],
                    )
                    .map_err(lite_err)?;
                Ok(n > 0)
            }))
            .await
        }
    }

    // -----------------------------------------------------------------------------------------
    // Operating

    pub async fn list(&self, status: Option<String>, name: Option<String>, limit: i64) -> Result<Vec<JobRow>, ApiError> {
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let sql = format!(
                        "SELECT {JOB_COLS} FROM {JOBS} WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR name = $2) \
                         ORDER BY created_at DESC, id DESC LIMIT $3"
                    );
                    let rows = c.query(&sql, &[&status, &name, &limit]).await.map_err(pg_err)?;
                    Ok(rows.iter().map(job_from_pg).collect())
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                let sql = format!(
                    "SELECT {JOB_COLS} FROM {JOBS} WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR name = ?2) \
                     ORDER BY created_at DESC, id DESC LIMIT ?3"
                );
                let mut st = c.prepare(&sql).map_err(lite_err)?;
                let rows = st.query_map(params![status, name, limit], job_from_lite).map_err(lite_err)?;
                rows.collect::<Result<Vec<_>, _>>().map_err(lite_err)
            }))
            .await
        }
    }

    pub async fn get(&self, id: &str) -> Result<Option<JobRow>, ApiError> {
        let id = id.to_owned();
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let sql = format!("SELECT {JOB_COLS} FROM {JOBS} WHERE id = $1");
                    Ok(c.query_opt(&sql, &[&id]).await.map_err(pg_err)?.as_ref().map(job_from_pg))
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                let sql = format!("SELECT {JOB_COLS} FROM {JOBS} WHERE id = ?1");
                c.query_row(&sql, [id], job_from_lite).optional().map_err(lite_err)
            }))
            .await
        }
    }

    /// Counts jobs by status.
    pub async fn counts(&self) -> Result<Vec<(String, i64)>, ApiError> {
        if self.is_pg() {
            self.run(pg(false, |c| {
                Box::pin(async move {
                    let rows = c.query("SELECT status, count(*) FROM _palbase_queue_jobs GROUP BY status", &[]).await.map_err(pg_err)?;
                    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
                })
            }))
            .await
        } else {
            self.run(sqlite(false, |c| {
                let mut st = c.prepare("SELECT status, count(*) FROM _palbase_queue_jobs GROUP BY status").map_err(lite_err)?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(lite_err)?;
                rows.collect::<Result<Vec<_>, _>>().map_err(lite_err)
            }))
            .await
        }
    }

    /// A dead, discarded or waiting job runs again now with a fresh budget of `retries` retries.
    /// Returns the job's name, or `None` when it is not in one of those states.
    pub async fn retry(&self, id: &str, retries: i32, now: i64) -> Result<Option<String>, ApiError> {
        let id = id.to_owned();
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let row = c
                        .query_opt(
                            "UPDATE _palbase_queue_jobs SET status = 'queued', due_at = $2, max_attempts = attempt + $3 + 1, \
                               finished_at = NULL, locked_by = NULL, updated_at = $2 \
                             WHERE id = $1 AND status IN ('dead', 'discarded', 'queued') RETURNING name",
                            &[&id, &now, &retries],
                        )
                        .await
                        .map_err(pg_err)?;
                    Ok(row.map(|r| r.get(0)))
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                c.query_row(
                    "UPDATE _palbase_queue_jobs SET status = 'queued', due_at = ?2, max_attempts = attempt + ?3 + 1, \
                       finished_at = NULL, locked_by = NULL, updated_at = ?2 \
                     WHERE id = ?1 AND status IN ('dead', 'discarded', 'queued') RETURNING name",
                    params![id, now, retries],
                    |r| r.get(0),
                )
                .optional()
                .map_err(lite_err)
            }))
            .await
        }
    }

    /// A queued (waiting) or dead job is discarded: it will not run. `false` when it is in
    /// another state.
    pub async fn discard(&self, id: &str, now: i64) -> Result<bool, ApiError> {
        let id = id.to_owned();
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let n = c
                        .execute(
                            "UPDATE _palbase_queue_jobs SET status = 'discarded', due_at = NULL, locked_by = NULL, finished_at = $2, updated_at = $2 \
                             WHERE id = $1 AND status IN ('queued', 'dead')",
                            &[&id, &now],
                        )
                        .await
                        .map_err(pg_err)?;
                    Ok(n > 0)
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                let n = c
                    .execute(
                        "UPDATE _palbase_queue_jobs SET status = 'discarded', due_at = NULL, locked_by = NULL, finished_at = ?2, updated_at = ?2 \
                         WHERE id = ?1 AND status IN ('queued', 'dead')",
                        params![id, now],
                    )
                    .map_err(lite_err)?;
                Ok(n > 0)
            }))
            .await
        }
    }

    // -----------------------------------------------------------------------------------------
    // Instances and housekeeping

    /// Records this instance's heartbeat, then hands back the leases of instances whose
    /// heartbeat is older than `stale`: their cron runs' leases end now, and their jobs become due
    /// at their creation time (so they keep their place in line instead of waiting behind
    /// everything queued since). Returns how many jobs were handed back.
    pub async fn heartbeat(&self, instance: &str, info: &str, now: i64, stale: Option<i64>) -> Result<u64, ApiError> {
        let (instance, info) = (instance.to_owned(), info.to_owned());
        if self.is_pg() {
            self.run(pg(true, move |c| {
                Box::pin(async move {
                    c.execute(
                        "INSERT INTO _palbase_queue_instances (id, info, started_at, heartbeat_at) VALUES ($1, $2, $3, $3) \
                         ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
                        &[&instance, &info, &now],
                    )
                    .await
                    .map_err(pg_err)?;
                    let Some(stale) = stale else { return Ok(0) };
                    let n = c
                        .execute(
                            "UPDATE _palbase_queue_jobs SET due_at = created_at \
                             WHERE status = 'running' AND due_at > $1 AND locked_by IS NOT NULL \
                               AND locked_by NOT IN (SELECT id FROM _palbase_queue_instances WHERE heartbeat_at >= $2)",
                            &[&now, &stale],
                        )
                        .await
                        .map_err(pg_err)?;
                    c.execute(
                        "UPDATE _palbase_cron_runs SET lease_until = $1 \
                         WHERE status = 'running' AND lease_until > $1 \
                           AND instance NOT IN (SELECT id FROM _palbase_queue_instances WHERE heartbeat_at >= $2)",
                        &[&now, &stale],
                    )
                    .await
                    .map_err(pg_err)?;
                    // Forgotten a day after their last heartbeat.
                    c.execute("DELETE FROM _palbase_queue_instances WHERE heartbeat_at < $1", &[&(stale - 86_400_000)]).await.map_err(pg_err)?;
                    Ok(n)
                })
            }))
            .await
        } else {
            self.run(sqlite(true, move |c| {
                c.execute(
                    "INSERT INTO _palbase_queue_instances (id, info, started_at, heartbeat_at) VALUES (?1, ?2, ?3, ?3) \
                     ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
                    params![instance, info, now],
                )
                .map_err(lite_err)?;
                let Some(stale) = stale else { return Ok(0) };
                let n = c
                    .execute(
                        "UPDATE _palbase_queue_jobs SET due_at = created_at \
                         WHERE status = 'running' AND due_at > ?1 AND locked_by IS NOT NULL \
                           AND locked_by NOT IN (SELECT id FROM _palbase_queue_instances WHERE heartbeat_at >= ?2)",
                        params![now, stale],
                    )
                    .map_err(lite_err)?;
                c.execute(
                    "UPDATE _palbase_cron_runs SET lease_until = ?1 \
                     WHERE status = 'running' AND lease_until > ?1 \
                       AND instance NOT IN (SELECT id FROM _palbase_queue_instances WHERE heartbeat_at >= ?2)",
                    params![now, stale],
                )
                .map_err(lite_err)?;
                c.execute("DELETE FROM _palbase_queue_instances WHERE heartbeat_at < ?1", params![stale - 86_400_000]).map_err(lite_err)?;
                Ok(n as u64)
            }))
            .await
        }
    }

    /// Deletes completed and discarded jobs finished before `jobs_before`, and cron runs started
    /// before `runs_before` (at most `limit` of each per call).
    pub async fn prune(&self, jobs_before: i64, runs_before: i64, limit: i64) -> Result<u64, ApiError> {
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let a = c
                        .execute(
                            "DELETE FROM _palbase_queue_jobs WHERE id IN (SELECT id FROM _palbase_queue_jobs \
                             WHERE status IN ('completed', 'discarded') AND finished_at < $1 LIMIT $2)",
                            &[&jobs_before, &limit],
                        )
                        .await
                        .map_err(pg_err)?;
                    let b = c
                        .execute(
                            "DELETE FROM _palbase_cron_runs WHERE id IN (SELECT id FROM _palbase_cron_runs \
                             WHERE status <> 'running' AND started_at < $1 LIMIT $2)",
                            &[&runs_before, &limit],
                        )
                        .await
                        .map_err(pg_err)?;
                    Ok(a + b)
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                let a = c
                    .execute(
                        "DELETE FROM _palbase_queue_jobs WHERE id IN (SELECT id FROM _palbase_queue_jobs \
                         WHERE status IN ('completed', 'discarded') AND finished_at < ?1 LIMIT ?2)",
                        params![jobs_before, limit],
                    )
                    .map_err(lite_err)?;
                let b = c
                    .execute(
                        "DELETE FROM _palbase_cron_runs WHERE id IN (SELECT id FROM _palbase_cron_runs \
                         WHERE status <> 'running' AND started_at < ?1 LIMIT ?2)",
                        params![runs_before, limit],
                    )
                    .map_err(lite_err)?;
                Ok((a + b) as u64)
            }))
            .await
        }
    }

    // -----------------------------------------------------------------------------------------
    // Cron

    /// Records a job's definition; returns when this schedule was first seen (catch-up never
    /// reaches before it).
    pub async fn define_cron(&self, name: &str, schedule: &str, timezone: &str, now: i64) -> Result<i64, ApiError> {
        let (name, schedule, timezone) = (name.to_owned(), schedule.to_owned(), timezone.to_owned());
        const UPSERT: &str = "ON CONFLICT (name) DO UPDATE SET schedule = excluded.schedule, timezone = excluded.timezone, \
             defined_at = CASE WHEN _palbase_cron_jobs.schedule = excluded.schedule AND _palbase_cron_jobs.timezone = excluded.timezone \
                          THEN _palbase_cron_jobs.defined_at ELSE excluded.defined_at END \
             RETURNING defined_at";
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let sql = format!("INSERT INTO _palbase_cron_jobs (name, schedule, timezone, defined_at) VALUES ($1, $2, $3, $4) {UPSERT}");
                    let r = c.query_one(&sql, &[&name, &schedule, &timezone, &now]).await.map_err(pg_err)?;
                    Ok(r.get(0))
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                let sql = format!("INSERT INTO _palbase_cron_jobs (name, schedule, timezone, defined_at) VALUES (?1, ?2, ?3, ?4) {UPSERT}");
                c.query_row(&sql, params![name, schedule, timezone, now], |r| r.get(0)).map_err(lite_err)
            }))
            .await
        }
    }

    /// Records run `run_id` of `job` for `slot` (`None`: a manual run): `running` with a lease
    /// unless a run of the job is still running (then `skipped`). Runs whose lease expired are
    /// closed as failed first. At most one record per (job, slot) across all instances.
    #[allow(clippy::too_many_arguments)]
    pub async fn claim_slot(&self, job: &str, slot: Option<i64>, run_id: &str, now: i64, lease_until: i64, instance: &str) -> Result<SlotClaim, ApiError> {
        let (job, run_id, instance) = (job.to_owned(), run_id.to_owned(), instance.to_owned());
        let kind = if slot.is_some() { "schedule" } else { "manual" };
        const ABANDONED: &str = "abandoned: the instance running it stopped before it finished (lease expired)";
        const SKIPPED: &str = "skipped: the previous run was still running";
        let decode = |s: Option<String>| match s.as_deref() {
            None => SlotClaim::Taken,
            Some("running") => SlotClaim::Run,
            Some(_) => SlotClaim::Skipped,
        };
        if self.is_pg() {
            self.run(pg(true, move |c| {
                Box::pin(async move {
                    c.execute(
                        "UPDATE _palbase_cron_runs SET status = 'failed', finished_at = $2, lease_until = NULL, error = $3 \
                         WHERE job = $1 AND status = 'running' AND lease_until <= $2",
                        &[&job, &now, &ABANDONED],
                    )
                    .await
                    .map_err(pg_err)?;
                    let busy = c.query_opt("SELECT 1 FROM _palbase_cron_runs WHERE job = $1 AND status = 'running' LIMIT 1", &[&job]).await.map_err(pg_err)?.is_some();
                    let (status, lease, finished, error) = if busy { ("skipped", None, Some(now), Some(SKIPPED)) } else { ("running", Some(lease_until), None, None) };
                    let r = c
                        .query_opt(
                            "INSERT INTO _palbase_cron_runs (id, job, slot, kind, status, started_at, finished_at, lease_until, instance, error) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (job, slot) DO NOTHING RETURNING status",
                            &[&run_id, &job, &slot, &kind, &status, &now, &finished, &lease, &instance, &error],
                        )
                        .await
                        .map_err(pg_err)?;
                    Ok(decode(r.map(|r| r.get(0))))
                })
            }))
            .await
        } else {
            self.run(sqlite(true, move |c| {
                c.execute(
                    "UPDATE _palbase_cron_runs SET status = 'failed', finished_at = ?2, lease_until = NULL, error = ?3 \
                     WHERE job = ?1 AND status = 'running' AND lease_until <= ?2",
                    params![job, now, ABANDONED],
                )
                .map_err(lite_err)?;
                let busy = c.query_row("SELECT 1 FROM _palbase_cron_runs WHERE job = ?1 AND status = 'running' LIMIT 1", [&job], |_| Ok(())).optional().map_err(lite_err)?.is_some();
                let (status, lease, finished, error) = if busy { ("skipped", None, Some(now), Some(SKIPPED)) } else { ("running", Some(lease_until), None, None) };
                let r: Option<String> = c
                    .query_row(
                        "INSERT INTO _palbase_cron_runs (id, job, slot, kind, status, started_at, finished_at, lease_until, instance, error) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (job, slot) DO NOTHING RETURNING status",
                        params![run_id, job, slot, kind, status, now, finished, lease, instance, error],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(lite_err)?;
                Ok(decode(r))
            }))
            .await
        }
    }

    /// Closes a run this instance started; `false` if it was closed meanwhile (abandoned).
    pub async fn finish_run(&self, run_id: &str, ok: bool, error: Option<String>, now: i64) -> Result<bool, ApiError> {
        let run_id = run_id.to_owned();
        let status = if ok { "succeeded" } else { "failed" };
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let n = c
                        .execute(
                            "UPDATE _palbase_cron_runs SET status = $2, finished_at = $3, error = $4, lease_until = NULL \
                             WHERE id = $1 AND status = 'running'",
                            &[&run_id, &status, &now, &error],
                        )
                        .await
                        .map_err(pg_err)?;
                    Ok(n > 0)
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                let n = c
                    .execute(
                        "UPDATE _palbase_cron_runs SET status = ?2, finished_at = ?3, error = ?4, lease_until = NULL \
                         WHERE id = ?1 AND status = 'running'",
                        params![run_id, status, now, error],
                    )
                    .map_err(lite_err)?;
                Ok(n > 0)
            }))
            .await
        }
    }

    /// Runs of `job` (all jobs when `None`), newest first.
    pub async fn runs(&self, job: Option<String>, limit: i64) -> Result<Vec<RunRow>, ApiError> {
        if self.is_pg() {
            self.run(pg(false, move |c| {
                Box::pin(async move {
                    let sql = format!("SELECT {RUN_COLS} FROM {CRON_RUNS} WHERE ($1::text IS NULL OR job = $1) ORDER BY started_at DESC, id DESC LIMIT $2");
                    let rows = c.query(&sql, &[&job, &limit]).await.map_err(pg_err)?;
                    Ok(rows.iter().map(run_from_pg).collect())
                })
            }))
            .await
        } else {
            self.run(sqlite(false, move |c| {
                let sql = format!("SELECT {RUN_COLS} FROM {CRON_RUNS} WHERE (?1 IS NULL OR job = ?1) ORDER BY started_at DESC, id DESC LIMIT ?2");
                let mut st = c.prepare(&sql).map_err(lite_err)?;
                let rows = st.query_map(params![job, limit], run_from_lite).map_err(lite_err)?;
                rows.collect::<Result<Vec<_>, _>>().map_err(lite_err)
            }))
            .await
        }
    }
}
