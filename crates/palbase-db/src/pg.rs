//! The PostgreSQL backend: a deadpool-postgres pool living on the database runtime.
//!
//! - Values are bound and read in binary by type OID ([`crate::pg_codec`]).
//! - `db.query` runs in a `READ ONLY` transaction that is always rolled back (inside a user
//!   transaction: a savepoint switched to read-only, rolled back to). The extended protocol
//!   accepts a single statement only.
//! - Each op inside a transaction runs under a savepoint, so a failed statement (say, a unique
//!   violation the handler catches) leaves the transaction usable, as on SQLite.
//! - Migrations run in one transaction holding `pg_advisory_xact_lock`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Hook, HookError, Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use palbase_core::ApiError;
use serde_json::{Map, Value};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

use crate::action::{self, Action, Shape};
use crate::error::{self, DbError};
use crate::migrate::{self, Dialect, MigrateOptions, MigrationReport, q};
use crate::pg_codec::{self, Param, ParamError, Raw};
use crate::schema::{MIGRATIONS_TABLE, Schema};
use crate::sqlite::{affected, check_param_count, shape_result};
use crate::value;

/// `pg_advisory_xact_lock` key of migrations ("palbase" in ASCII).
const MIGRATION_LOCK: i64 = 0x0070_616c_6261_7365;

pub struct Pg {
    pool: Pool,
    query_timeout: Duration,
    /// The parsed URL, for connections outside the pool (LISTEN).
    pub(crate) config: Box<tokio_postgres::Config>,
}

/// A connection inside a transaction. Dropped without [`Pg::finish`], it is detached from the
/// pool and closed (the server rolls the transaction back), so an open transaction can never
/// leak into another request.
pub struct PgTx {
    obj: Option<Object>,
}

impl PgTx {
    /// The transaction's connection.
    pub(crate) fn conn(&self) -> Option<&Object> {
        self.obj.as_ref()
    }
}

impl Drop for PgTx {
    fn drop(&mut self) {
        if let Some(obj) = self.obj.take() {
            drop(Object::take(obj));
        }
    }
}

impl Pg {
    /// Connects (called on the database runtime).
    pub async fn open(url: &str, pool_size: usize, query_timeout: Duration) -> Result<(Pg, Schema), DbError> {
        let cfg: tokio_postgres::Config = url.parse().map_err(|e| DbError::Open(format!("invalid PostgreSQL URL: {e}")))?;
        let mgr = Manager::from_config(cfg.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(mgr)
            .max_size(pool_size)
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(Duration::from_secs(10)))
            .wait_timeout(Some(Duration::from_secs(30)))
            // SQLite has only UTC; so does every session here (date functions in Database.query
            // then agree on both backends). Notices are not sent: the driver would log each
            // (`relation … already exists, skipping` from every instance after the first).
            .post_create(Hook::async_fn(|client, _| Box::pin(async move { client.batch_execute("SET TIME ZONE 'UTC'; SET client_min_messages TO warning").await.map_err(HookError::Backend) })))
            .build()
            .map_err(|e| DbError::Open(e.to_string()))?;
        let client = pool.get().await.map_err(|e| DbError::Open(format!("cannot connect to PostgreSQL: {e}")))?;
        let schema = load_snapshot(&client).await.map_err(|e| DbError::Open(format!("reading the migration history: {e}")))?;
        drop(client);
        Ok((Pg { pool, query_timeout, config: Box::new(cfg) }, schema))
    }

    pub(crate) async fn client(&self) -> Result<Object, ApiError> {
        self.pool.get().await.map_err(|e| error::database_error("getting a connection", &e))
    }

    /// Runs `action` outside any transaction.
    pub async fn exec(&self, schema: Arc<Schema>, action: Action) -> Result<Value, ApiError> {
        let client = self.client().await?;
        match &action {
            Action::Query { sql, params } => {
                client.batch_execute(&format!("BEGIN READ ONLY; SET LOCAL statement_timeout = {}", self.query_timeout.as_millis().max(1))).await.map_err(|e| map_err(&e, None, &action))?;
                let r = run_query(&client, sql, params, &action).await;
                // Rolled back even when it succeeded: a read-only query has nothing to keep, and
                // session settings it changed (set_config) go with it.
                if let Err(e) = client.batch_execute("ROLLBACK; SELECT pg_advisory_unlock_all()").await {
                    tracing::warn!(target: "palbase::db", error = %e, "closing a connection after a failed rollback");
                    drop(Object::take(client));
                }
                r
            }
            _ => run_action(&client, &schema, &action).await,
        }
    }

    pub async fn begin(&self) -> Result<PgTx, ApiError> {
        let client = self.client().await?;
        client.batch_execute("BEGIN").await.map_err(|e| error::database_error("begin", &e))?;
        Ok(PgTx { obj: Some(client) })
    }

    pub async fn exec_in(&self, tx: &mut PgTx, schema: Arc<Schema>, action: Action) -> Result<Value, ApiError> {
        let client = tx.obj.as_ref().ok_or_else(ApiError::internal)?;
        let broken = |e: tokio_postgres::Error| error::database_error("savepoint", &e);
        match &action {
            Action::Query { sql, params } => {
                client.batch_execute(&format!("SAVEPOINT palbase_ro; SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {}", self.query_timeout.as_millis().max(1))).await.map_err(broken)?;
                let r = run_query(client, sql, params, &action).await;
                client.batch_execute("ROLLBACK TO SAVEPOINT palbase_ro; RELEASE SAVEPOINT palbase_ro").await.map_err(broken)?;
                r
            }
            _ => {
                client.batch_execute("SAVEPOINT palbase_op").await.map_err(broken)?;
                let r = run_action(client, &schema, &action).await;
                let end = if r.is_ok() { "RELEASE SAVEPOINT palbase_op" } else { "ROLLBACK TO SAVEPOINT palbase_op; RELEASE SAVEPOINT palbase_op" };
                client.batch_execute(end).await.map_err(broken)?;
                r
            }
        }
    }

    pub async fn finish(mut tx: PgTx, commit: bool) -> Result<(), ApiError> {
        let client = tx.obj.as_ref().ok_or_else(ApiError::internal)?;
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        let r = client.batch_execute(sql).await;
        match r {
            Ok(()) => {
                if client.batch_execute("SELECT pg_advisory_unlock_all()").await.is_ok() {
                    // Healthy: back to the pool (dropping `tx` would close it).
                    drop(tx.obj.take());
                }
                Ok(())
            }
            Err(e) => {
                let none = Action::Query { sql: String::new(), params: vec![] };
                Err(map_err(&e, None, &none))
            }
        }
    }

    /// Drops every cached prepared statement (after the schema changed).
    pub fn forget_statements(&self) {
        self.pool.manager().statement_caches.clear();
    }

    pub async fn migrate(&self, new: Schema, opts: MigrateOptions) -> Result<MigrationReport, DbError> {
        let db = |e: tokio_postgres::Error| DbError::Database(e.to_string());
        let mut client = self.pool.get().await.map_err(|e| DbError::Database(e.to_string()))?;
        let tx = client.transaction().await.map_err(db)?;
        // Instances starting together queue here; the second sees the first one's snapshot.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(db)?;
        tx.batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {} (\n  \"id\" bigserial PRIMARY KEY,\n  \"applied_at\" timestamptz NOT NULL DEFAULT now(),\n  \"statements\" text NOT NULL,\n  \"schema\" jsonb NOT NULL\n)",
            q(MIGRATIONS_TABLE)
        ))
        .await
        .map_err(db)?;
        let old = load_snapshot(&tx).await.map_err(db)?;
        let changes = migrate::diff(&old, &new);
        let mut report = MigrationReport { dry_run: opts.dry_run, ..Default::default() };
        if changes.is_empty() {
            tx.commit().await.map_err(db)?;
            return Ok(report);
        }
        let mut counts = BTreeMap::new();
        for c in migrate::counts_needed(&old, &new, &changes) {
            let n: i64 = tx.query_one(&c.sql(), &[]).await.map_err(db)?.get(0);
            counts.insert(c, n);
        }
        let refused = migrate::classify(&old, &new, &changes, &|c| counts.get(c).copied().unwrap_or(0));
        report.changes = migrate::describe(&old, &new, &changes);
        report.planned = migrate::render_pg(&old, &new, &changes);
        let blocked = refused.iter().any(|r| !opts.allow_data_loss || !r.kind.acceptable());
        report.refused = if blocked { refused } else { Vec::new() };
        if blocked || opts.dry_run {
            tx.rollback().await.map_err(db)?;
            return Ok(report);
        }
        for stmt in &report.planned {
            if let Err(e) = tx.batch_execute(stmt).await {
                let msg = e.as_db_error().map(|d| d.message().to_owned()).unwrap_or_else(|| e.to_string());
                return Err(DbError::Migration(format!("{msg}\n  while running: {stmt}")));
            }
        }
        let snapshot = serde_json::to_value(&new).map_err(|e| DbError::Database(e.to_string()))?;
        let row = tx.query_one(&format!("INSERT INTO {} (\"statements\", \"schema\") VALUES ($1, $2) RETURNING \"id\"", q(MIGRATIONS_TABLE)), &[&report.planned.join(";\n"), &snapshot]).await.map_err(db)?;
        report.migration_id = Some(row.get(0));
        tx.commit().await.map_err(|e| DbError::Migration(e.to_string()))?;
        // Cached statements may describe the old column types.
        self.pool.manager().statement_caches.clear();
        report.applied = report.planned.clone();
        Ok(report)
    }
}

async fn load_snapshot(client: &impl deadpool_postgres::GenericClient) -> Result<Schema, tokio_postgres::Error> {
    let exists: bool = client.query_one("SELECT to_regclass($1) IS NOT NULL", &[&q(MIGRATIONS_TABLE)]).await?.get(0);
    if !exists {
        return Ok(Schema::default());
    }
    let row = client.query_opt(&format!("SELECT \"schema\" FROM {} ORDER BY \"id\" DESC LIMIT 1", q(MIGRATIONS_TABLE)), &[]).await?;
    Ok(match row {
        Some(r) => {
            let v: Value = r.get(0);
            serde_json::from_value(v).unwrap_or_else(|e| {
                tracing::error!(target: "palbase::db", error = %e, "unreadable schema snapshot; treating the database as empty");
                Schema::default()
            })
        }
        None => Schema::default(),
    })
}

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

async fn run_action(client: &Object, schema: &Schema, action: &Action) -> Result<Value, ApiError> {
    let built = action::build(Dialect::Postgres, schema, action).ok_or_else(ApiError::internal)?;
    let fail = |e: tokio_postgres::Error| map_err(&e, Some(schema), action);
    let stmt = client.prepare_cached(&built.sql).await.map_err(fail)?;
    let params: Vec<Param> = built.params.into_iter().map(Param).collect();
    if built.shape == Shape::Affected {
        let n = client.execute(&stmt, &refs(&params)).await.map_err(fail)?;
        return affected(n as usize, action);
    }
    let rows = client.query(&stmt, &refs(&params)).await.map_err(fail)?;
    let out = rows.iter().map(row_json).collect::<Result<Vec<_>, _>>()?;
    shape_result(built.shape, out, action)
}

async fn run_query(client: &Object, sql: &str, params: &[Value], action: &Action) -> Result<Value, ApiError> {
    let fail = |e: tokio_postgres::Error| map_err(&e, None, action);
    let stmt = client.prepare(sql).await.map_err(fail)?;
    // PostgreSQL describes the statement before it runs: one that returns no rows is not a
    // query (COMMIT, SET, LOAD, CHECKPOINT, DML without RETURNING, …) and never runs here.
    if stmt.columns().is_empty() {
        return Err(error::read_only("only statements that return rows are allowed"));
    }
    check_param_count(stmt.params().len(), params.len())?;
    let params: Vec<Param> = params.iter().map(|v| Param(value::from_param(v))).collect();
    let rows = client.query(&stmt, &refs(&params)).await.map_err(fail)?;
    let out = rows.iter().map(row_json).collect::<Result<Vec<_>, _>>()?;
    Ok(Value::Array(out))
}

fn row_json(row: &Row) -> Result<Value, ApiError> {
    let mut m = Map::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let raw: Raw<'_> = row.try_get(i).map_err(|e| error::database_error("reading a column", &e))?;
        let v = match raw.0 {
            None => Value::Null,
            Some(bytes) => {
                pg_codec::decode(col.type_(), bytes).map_err(|u| ApiError::bad_request("unsupported_type", format!("Column `{}` of the result has {}, which has no JSON form here; cast it, e.g. `{}::text`", col.name(), u.0, col.name())))?
            }
        };
        m.insert(col.name().to_owned(), v);
    }
    Ok(Value::Object(m))
}

fn map_err(e: &tokio_postgres::Error, schema: Option<&Schema>, action: &Action) -> ApiError {
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        if let Some(p) = s.downcast_ref::<ParamError>() {
            return ApiError::bad_request("invalid_params", format!("Invalid query parameter: {p}"));
        }
        src = s.source();
    }
    let Some(dbe) = e.as_db_error() else {
        return error::database_error("postgres", e);
    };
    let table = action.table().unwrap_or("");
    let code = dbe.code();
    if *code == SqlState::UNIQUE_VIOLATION {
        let t = dbe.table().unwrap_or(table);
        let pkey = migrate::object_name(t, None, "pkey");
        let cols: Vec<String> = if dbe.constraint() == Some(pkey.as_str()) {
            schema.and_then(|s| s.table(t)).map(|t| t.primary_key().iter().map(|c| c.name.clone()).collect()).unwrap_or_default()
        } else {
            // "Key (a, b)=(…) already exists." — keep the names, never the values.
            dbe.detail().and_then(|d| d.strip_prefix("Key (")).and_then(|d| d.split_once(")=")).map(|(c, _)| c.split(", ").map(|s| s.trim_matches('"').to_owned()).collect()).unwrap_or_default()
        };
        return error::unique(t, &cols);
    }
    if *code == SqlState::FOREIGN_KEY_VIOLATION {
        let found = schema.zip(dbe.constraint()).and_then(|(s, name)| {
            s.tables.iter().find_map(|t| {
                t.columns.iter().find_map(|c| {
                    let r = c.references.as_ref()?;
                    (migrate::object_name(&t.name, Some(&c.name), "fkey") == name).then(|| (t.name.clone(), c.name.clone(), r.table.clone()))
                })
            })
        });
        let Some((child, col, parent)) = found else { return error::fk_generic(table) };
        let missing_parent = match action {
            Action::Insert { .. } => true,
            Action::Delete { .. } => false,
            _ if child != table => false,
            _ if parent != table => true,
            _ => dbe.detail().is_some_and(|d| d.contains("is not present")),
        };
        return if missing_parent { error::fk_missing_parent(&child, &col, &parent) } else { error::fk_still_referenced(table, &child, &col) };
    }
    if *code == SqlState::NOT_NULL_VIOLATION {
        return error::not_null(dbe.table().unwrap_or(table), dbe.column().unwrap_or(""));
    }
    if *code == SqlState::CHECK_VIOLATION {
        return ApiError::bad_request("invalid_enum_value", format!("A value of table `{table}` is not allowed by a check constraint"));
    }
    if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
        return error::read_only("the statement would write");
    }
    if *code == SqlState::SYNTAX_ERROR && dbe.message().contains("multiple commands") {
        return error::read_only("only one statement is allowed");
    }
    if *code == SqlState::INVALID_TEXT_REPRESENTATION || *code == SqlState::NUMERIC_VALUE_OUT_OF_RANGE {
        return ApiError::bad_request("invalid_value", "A value is not valid for its column type");
    }
    if *code == SqlState::QUERY_CANCELED {
        return error::query_timeout();
    }
    if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED {
        return ApiError::new(409, "transaction_conflict", "The transaction conflicted with another one; retry it");
    }
    error::database_error("postgres", dbe)
}
