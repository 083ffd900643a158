//! The `db.*` ops: argument parsing, name checks against the migrated schema, and registration.
//!
//! Arguments are what `packages/backend/src/database.ts` sends:
//! `db.insert {table, data, tx?}`, `db.update {table, id, data, tx?}`, `db.delete {table, id, tx?}`,
//! `db.findById {table, id, tx?}`, `db.findMany {table, where?, tx?}`, `db.query {sql, params?, tx?}`,
//! `db.begin {}`, `db.commit {tx}`, `db.rollback {tx}`.

use std::sync::Arc;

use palbase_core::ApiError;
use palbase_core::ops::{AsyncFn, OpFuture, OpRegistry, OpScope};
use serde_json::{Map, Value};

use crate::action::Action;
use crate::error;
use crate::schema::{Schema, Table};
use crate::value::{self, SqlVal};
use crate::{Db, Inner};

#[derive(Clone, Copy)]
enum Op {
    Insert,
    Update,
    Delete,
    FindById,
    FindMany,
    Query,
    Begin,
    Commit,
    Rollback,
}

const OPS: &[(&str, Op)] = &[
    ("db.insert", Op::Insert),
    ("db.update", Op::Update),
    ("db.delete", Op::Delete),
    ("db.findById", Op::FindById),
    ("db.findMany", Op::FindMany),
    ("db.query", Op::Query),
    ("db.begin", Op::Begin),
    ("db.commit", Op::Commit),
    ("db.rollback", Op::Rollback),
];

/// Registers the `db.*` ops.
///
/// On SQLite an op outside a transaction runs on the calling thread (a thread-local read
/// connection, or the shared writer): a statement takes microseconds, while handing it to the
/// database runtime and back cost two thread wake-ups — the largest part of a read request.
/// Transactions and PostgreSQL go through the database runtime.
pub fn register_ops(reg: &mut OpRegistry, db: Arc<Db>) {
    let inline = matches!(db.backend(), crate::BackendKind::Sqlite);
    for &(name, op) in OPS {
        let db = db.clone();
        reg.register(
            name,
            AsyncFn(move |scope: OpScope, args: Value| -> OpFuture {
                let in_tx = matches!(op, Op::Begin | Op::Commit | Op::Rollback) || args.get("tx").is_some_and(|t| !t.is_null());
                if inline && !in_tx {
                    let inner = db.inner.clone();
                    Box::pin(async move { dispatch(inner, name, op, scope, args).await })
                } else {
                    Box::pin(db.spawn(move |inner| dispatch(inner, name, op, scope, args)))
                }
            }),
        );
    }
}

async fn dispatch(inner: Arc<Inner>, name: &'static str, op: Op, scope: OpScope, args: Value) -> Result<Value, ApiError> {
    let owner = scope.request_id.clone();
    let obj = match args {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        _ => return Err(error::bad_args(name, "arguments must be an object")),
    };
    match op {
        Op::Begin => inner.begin(owner).await,
        Op::Commit | Op::Rollback => {
            let tx = obj.get("tx").and_then(Value::as_str).ok_or_else(|| error::bad_args(name, "`tx` is required"))?;
            inner.finish(tx, matches!(op, Op::Commit), owner).await
        }
        _ => {
            let tx = match obj.get("tx") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err(error::bad_args(name, "`tx` must be a string")),
            };
            let schema = inner.schema();
            let action = parse_action(name, op, &obj, &schema)?;
            inner.run(action, tx.as_deref(), owner).await
        }
    }
}

fn str_arg<'a>(name: &str, obj: &'a Map<String, Value>, key: &str) -> Result<&'a str, ApiError> {
    obj.get(key).and_then(Value::as_str).ok_or_else(|| error::bad_args(name, &format!("`{key}` must be a string")))
}

fn table<'a>(name: &str, obj: &Map<String, Value>, schema: &'a Schema) -> Result<&'a Table, ApiError> {
    let t = str_arg(name, obj, "table")?;
    schema.table(t).ok_or_else(|| error::unknown_table(t))
}

/// Checks every key of `data` against the table and converts the values.
fn columns(t: &Table, data: &Map<String, Value>) -> Result<(Vec<String>, Vec<SqlVal>), ApiError> {
    let mut cols = Vec::with_capacity(data.len());
    let mut vals = Vec::with_capacity(data.len());
    for (k, v) in data {
        let c = t.column(k).ok_or_else(|| error::unknown_column(&t.name, k))?;
        vals.push(value::from_input(&t.name, c, v)?);
        cols.push(k.clone());
    }
    Ok((cols, vals))
}

fn data_arg<'a>(name: &str, obj: &'a Map<String, Value>) -> Result<&'a Map<String, Value>, ApiError> {
    obj.get("data").and_then(Value::as_object).ok_or_else(|| error::bad_args(name, "`data` must be an object"))
}

/// The primary-key value, or `None` when `id` cannot be one (then no row matches).
fn id_arg(name: &str, obj: &Map<String, Value>, t: &Table) -> Result<(Option<SqlVal>, Value), ApiError> {
    let id = obj.get("id").cloned().unwrap_or(Value::Null);
    if !(id.is_string() || id.is_number()) {
        return Err(error::bad_args(name, "`id` must be a string or a number"));
    }
    let pk = t.single_pk().ok_or_else(|| ApiError::bad_request("no_primary_key", format!("Table `{}` has no single-column primary key, so rows cannot be addressed by id", t.name)))?;
    Ok((value::from_input_non_null(&t.name, pk, &id).ok(), id))
}

fn parse_action(name: &str, op: Op, obj: &Map<String, Value>, schema: &Schema) -> Result<Action, ApiError> {
    Ok(match op {
        Op::Insert => {
            let t = table(name, obj, schema)?;
            let data = data_arg(name, obj)?;
            let (cols, vals) = columns(t, data)?;
            // Required columns (NOT NULL, no default) must be given: the same error on both
            // backends, before the database is asked.
            for c in &t.columns {
                if c.not_null && c.default.is_none() && !data.contains_key(&c.name) {
                    return Err(error::not_null(&t.name, &c.name));
                }
            }
            Action::Insert { table: t.name.clone(), cols, vals }
        }
        Op::Update => {
            let t = table(name, obj, schema)?;
            let (cols, vals) = columns(t, data_arg(name, obj)?)?;
            let (id, id_json) = id_arg(name, obj, t)?;
            Action::Update { table: t.name.clone(), id, id_json, cols, vals }
        }
        Op::Delete => {
            let t = table(name, obj, schema)?;
            let (id, id_json) = id_arg(name, obj, t)?;
            Action::Delete { table: t.name.clone(), id, id_json }
        }
        Op::FindById => {
            let t = table(name, obj, schema)?;
            let (id, _) = id_arg(name, obj, t)?;
            Action::FindById { table: t.name.clone(), id }
        }
        Op::FindMany => {
            let t = table(name, obj, schema)?;
            let mut filter = Vec::new();
            match obj.get("where") {
                None | Some(Value::Null) => {}
                Some(Value::Object(m)) => {
                    for (k, v) in m {
                        let c = t.column(k).ok_or_else(|| error::unknown_column(&t.name, k))?;
                        let sv = if v.is_null() { SqlVal::Null } else { value::from_input_non_null(&t.name, c, v)? };
                        filter.push((k.clone(), sv));
                    }
                }
                Some(_) => return Err(error::bad_args(name, "`where` must be an object")),
            }
            Action::FindMany { table: t.name.clone(), filter }
        }
        Op::Query => {
            let sql = str_arg(name, obj, "sql")?.to_owned();
            let params = match obj.get("params") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(a)) => a.clone(),
                Some(_) => return Err(error::bad_args(name, "`params` must be an array")),
            };
            Action::Query { sql, params }
        }
        Op::Begin | Op::Commit | Op::Rollback => unreachable!("handled by dispatch"),
    })
}
