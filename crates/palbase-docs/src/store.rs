//! The tables and every statement, in both dialects, behind one small [`Conn`] trait; the write,
//! read and query logic is written once over it ([`run`]).
//!
//! - `_palbase_docs_documents`: one row per document (`data` is the JSON text as given, so values
//!   round-trip exactly; times are microseconds since the Unix epoch).
//! - `_palbase_docs_entries`: the index entries, `(idx, collection, key) → path`, where `key` is
//!   the order-preserving encoding of the indexed values followed by the id ([`crate::encode`]).
//!   SQLite compares BLOBs with `memcmp` and PostgreSQL compares `bytea` bytewise: one order.
//! - `_palbase_docs_indexes`: the composite indexes that are built (backfilled).

use std::sync::Arc;

use deadpool_postgres::ClientWrapper;
use palbase_core::ApiError;
use palbase_db::{EventLog, InternalSql, PgFuture};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value, json};

use crate::error::DocsError;
use crate::model::{self, IndexDef};
use crate::query::Plan;

/// `pg_advisory_xact_lock` key for creating the tables ("pbdocs\0\0").
const CREATE_LOCK: i64 = 0x7062_646f_6373_0000;

const SQLITE_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS _palbase_docs_documents (
  path TEXT PRIMARY KEY NOT NULL,
  collection TEXT NOT NULL,
  group_id TEXT NOT NULL,
  id TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS _palbase_docs_documents_group ON _palbase_docs_documents (group_id);
CREATE TABLE IF NOT EXISTS _palbase_docs_entries (
  idx TEXT NOT NULL,
  collection TEXT NOT NULL,
  key BLOB NOT NULL,
  path TEXT NOT NULL,
  PRIMARY KEY (idx, collection, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS _palbase_docs_entries_path ON _palbase_docs_entries (path);
CREATE TABLE IF NOT EXISTS _palbase_docs_indexes (
  name TEXT PRIMARY KEY NOT NULL,
  built_at INTEGER NOT NULL
);
"#;

const PG_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS _palbase_docs_documents (
  path text PRIMARY KEY,
  collection text NOT NULL,
  group_id text NOT NULL,
  id text NOT NULL,
  data text NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS _palbase_docs_documents_group ON _palbase_docs_documents (group_id);
CREATE TABLE IF NOT EXISTS _palbase_docs_entries (
  idx text COLLATE "C" NOT NULL,
  collection text COLLATE "C" NOT NULL,
  key bytea NOT NULL,
  path text NOT NULL,
  PRIMARY KEY (idx, collection, key)
);
CREATE INDEX IF NOT EXISTS _palbase_docs_entries_path ON _palbase_docs_entries (path);
CREATE TABLE IF NOT EXISTS _palbase_docs_indexes (
  name text PRIMARY KEY,
  built_at bigint NOT NULL
);
"#;

/// A stored document.
#[derive(Debug, Clone)]
pub struct Stored {
    pub path: String,
    pub collection: String,
    pub id: String,
    pub data: Map<String, Value>,
    pub created: i64,
    pub updated: i64,
}

impl Stored {
    /// `{ id, path, data, createTime, updateTime }`.
    pub fn snapshot(self) -> Value {
        json!({ "id": self.id, "path": self.path, "data": Value::Object(self.data), "createTime": iso(self.created), "updateTime": iso(self.updated) })
    }
}

pub fn iso(micros: i64) -> String {
    jiff::Timestamp::from_microsecond(micros).map(|t| format!("{t:.6}")).unwrap_or_default()
}

fn parse_data(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

fn lite_err(e: rusqlite::Error) -> ApiError {
    tracing::error!(target: "palbase::docs", error = %e, "documents database error");
    ApiError::new(500, "database_error", "A database error occurred")
}

fn pg_err(e: tokio_postgres::Error) -> ApiError {
    tracing::error!(target: "palbase::docs", error = %e, "documents database error");
    ApiError::new(500, "database_error", "A database error occurred")
}

/// The statements the logic needs, on one connection.
pub(crate) trait Conn {
    async fn create_tables(&self) -> Result<(), ApiError>;
    async fn get(&self, path: &str) -> Result<Option<Stored>, ApiError>;
    async fn put(&self, d: &Stored, text: &str) -> Result<(), ApiError>;
    async fn delete(&self, path: &str) -> Result<(), ApiError>;
    async fn replace_entries(&self, path: &str, collection: &str, entries: &[(String, Vec<u8>)]) -> Result<(), ApiError>;
    async fn scan(&self, idx: &str, collection: &str, lo: &[u8], hi: &[u8], desc: bool, limit: Option<u64>) -> Result<Vec<(Vec<u8>, Stored)>, ApiError>;
    async fn count(&self, idx: &str, collection: &str, ranges: &[(Vec<u8>, Vec<u8>)], distinct: bool) -> Result<u64, ApiError>;
    async fn group(&self, group_id: &str) -> Result<Vec<Stored>, ApiError>;
    async fn built_indexes(&self) -> Result<Vec<String>, ApiError>;
    async fn drop_index(&self, name: &str) -> Result<(), ApiError>;
    async fn add_entries(&self, idx: &str, rows: &[(String, Vec<u8>, String)]) -> Result<(), ApiError>;
    async fn mark_built(&self, name: &str, now: i64) -> Result<(), ApiError>;
    async fn record(&self, kind: &str, payload: &Value) -> Result<(), ApiError>;
}

// ---------------------------------------------------------------------------------------------
// SQLite

pub(crate) struct Lite<'c> {
    pub c: &'c Connection,
    pub log: &'c dyn EventLog,
}

fn lite_stored(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Stored> {
    let data: String = r.get(at + 3)?;
    Ok(Stored { path: r.get(at)?, collection: r.get(at + 1)?, id: r.get(at + 2)?, data: parse_data(&data), created: r.get(at + 4)?, updated: r.get(at + 5)? })
}

const DOC_COLS: &str = "d.path, d.collection, d.id, d.data, d.created_at, d.updated_at";

impl Conn for Lite<'_> {
    async fn create_tables(&self) -> Result<(), ApiError> {
        self.c.execute_batch(SQLITE_TABLES).map_err(lite_err)
    }

    async fn get(&self, path: &str) -> Result<Option<Stored>, ApiError> {
        let mut st = self.c.prepare_cached(&format!("SELECT {DOC_COLS} FROM _palbase_docs_documents d WHERE d.path = ?1")).map_err(lite_err)?;
        st.query_row([path], |r| lite_stored(r, 0)).optional().map_err(lite_err)
    }

    async fn put(&self, d: &Stored, text: &str) -> Result<(), ApiError> {
        let mut st = self
            .c
            .prepare_cached(
                "INSERT INTO _palbase_docs_documents (path, collection, group_id, id, data, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (path) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            )
            .map_err(lite_err)?;
        st.execute(params![d.path, d.collection, model::collection_id(&d.collection), d.id, text, d.created, d.updated]).map_err(lite_err)?;
        Ok(())
    }

    async fn delete(&self, path: &str) -> Result<(), ApiError> {
        self.c.prepare_cached("DELETE FROM _palbase_docs_documents WHERE path = ?1").map_err(lite_err)?.execute([path]).map_err(lite_err)?;
        self.c.prepare_cached("DELETE FROM _palbase_docs_entries WHERE path = ?1").map_err(lite_err)?.execute([path]).map_err(lite_err)?;
        Ok(())
    }

    async fn replace_entries(&self, path: &str, collection: &str, entries: &[(String, Vec<u8>)]) -> Result<(), ApiError> {
        self.c.prepare_cached("DELETE FROM _palbase_docs_entries WHERE path = ?1").map_err(lite_err)?.execute([path]).map_err(lite_err)?;
        let mut st = self.c.prepare_cached("INSERT INTO _palbase_docs_entries (idx, collection, key, path) VALUES (?1, ?2, ?3, ?4)").map_err(lite_err)?;
        for (idx, key) in entries {
            st.execute(params![idx, collection, key, path]).map_err(lite_err)?;
        }
        Ok(())
    }

    async fn scan(&self, idx: &str, collection: &str, lo: &[u8], hi: &[u8], desc: bool, limit: Option<u64>) -> Result<Vec<(Vec<u8>, Stored)>, ApiError> {
        let dir = if desc { "DESC" } else { "ASC" };
        let mut st = self
            .c
            .prepare_cached(&format!(
                "SELECT e.key, {DOC_COLS} FROM _palbase_docs_entries e JOIN _palbase_docs_documents d ON d.path = e.path \
                 WHERE e.idx = ?1 AND e.collection = ?2 AND e.key >= ?3 AND e.key < ?4 ORDER BY e.key {dir} LIMIT ?5"
            ))
            .map_err(lite_err)?;
        let limit = limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let rows = st.query_map(params![idx, collection, lo, hi, limit], |r| Ok((r.get::<_, Vec<u8>>(0)?, lite_stored(r, 1)?))).map_err(lite_err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(lite_err)
    }

    async fn count(&self, idx: &str, collection: &str, ranges: &[(Vec<u8>, Vec<u8>)], distinct: bool) -> Result<u64, ApiError> {
        let mut total = 0u64;
        if distinct {
            let mut seen = std::collections::HashSet::new();
            let mut st = self.c.prepare_cached("SELECT path FROM _palbase_docs_entries WHERE idx = ?1 AND collection = ?2 AND key >= ?3 AND key < ?4").map_err(lite_err)?;
            for (lo, hi) in ranges {
                let rows = st.query_map(params![idx, collection, lo, hi], |r| r.get::<_, String>(0)).map_err(lite_err)?;
                for p in rows {
                    seen.insert(p.map_err(lite_err)?);
                }
            }
            return Ok(seen.len() as u64);
        }
        let mut st = self.c.prepare_cached("SELECT count(*) FROM _palbase_docs_entries WHERE idx = ?1 AND collection = ?2 AND key >= ?3 AND key < ?4").map_err(lite_err)?;
        for (lo, hi) in ranges {
            let n: i64 = st.query_row(params![idx, collection, lo, hi], |r| r.get(0)).map_err(lite_err)?;
            total += n.max(0) as u64;
        }
        Ok(total)
    }

    async fn group(&self, group_id: &str) -> Result<Vec<Stored>, ApiError> {
        let mut st = self.c.prepare_cached(&format!("SELECT {DOC_COLS} FROM _palbase_docs_documents d WHERE d.group_id = ?1")).map_err(lite_err)?;
        let rows = st.query_map([group_id], |r| lite_stored(r, 0)).map_err(lite_err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(lite_err)
    }

    async fn built_indexes(&self) -> Result<Vec<String>, ApiError> {
        let mut st = self.c.prepare_cached("SELECT name FROM _palbase_docs_indexes").map_err(lite_err)?;
        let rows = st.query_map([], |r| r.get::<_, String>(0)).map_err(lite_err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(lite_err)
    }

    async fn drop_index(&self, name: &str) -> Result<(), ApiError> {
        self.c.execute("DELETE FROM _palbase_docs_entries WHERE idx = ?1", [name]).map_err(lite_err)?;
        self.c.execute("DELETE FROM _palbase_docs_indexes WHERE name = ?1", [name]).map_err(lite_err)?;
        Ok(())
    }

    async fn add_entries(&self, idx: &str, rows: &[(String, Vec<u8>, String)]) -> Result<(), ApiError> {
        let mut st = self.c.prepare_cached("INSERT INTO _palbase_docs_entries (idx, collection, key, path) VALUES (?1, ?2, ?3, ?4)").map_err(lite_err)?;
        for (collection, key, path) in rows {
            st.execute(params![idx, collection, key, path]).map_err(lite_err)?;
        }
        Ok(())
    }

    async fn mark_built(&self, name: &str, now: i64) -> Result<(), ApiError> {
        self.c.execute("INSERT INTO _palbase_docs_indexes (name, built_at) VALUES (?1, ?2)", params![name, now]).map_err(lite_err)?;
        Ok(())
    }

    async fn record(&self, kind: &str, payload: &Value) -> Result<(), ApiError> {
        self.log.record_sqlite(self.c, kind, payload)
    }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

pub(crate) struct Pg<'c> {
    pub c: &'c ClientWrapper,
    pub log: &'c dyn EventLog,
}

fn pg_stored(r: &tokio_postgres::Row, at: usize) -> Stored {
    let data: String = r.get(at + 3);
    Stored { path: r.get(at), collection: r.get(at + 1), id: r.get(at + 2), data: parse_data(&data), created: r.get(at + 4), updated: r.get(at + 5) }
}

impl Conn for Pg<'_> {
    async fn create_tables(&self) -> Result<(), ApiError> {
        self.c.execute("SELECT pg_advisory_xact_lock($1)", &[&CREATE_LOCK]).await.map_err(pg_err)?;
        self.c.batch_execute(PG_TABLES).await.map_err(pg_err)
    }

    async fn get(&self, path: &str) -> Result<Option<Stored>, ApiError> {
        let st = self.c.prepare_cached(&format!("SELECT {DOC_COLS} FROM _palbase_docs_documents d WHERE d.path = $1")).await.map_err(pg_err)?;
        Ok(self.c.query_opt(&st, &[&path]).await.map_err(pg_err)?.map(|r| pg_stored(&r, 0)))
    }

    async fn put(&self, d: &Stored, text: &str) -> Result<(), ApiError> {
        let st = self
            .c
            .prepare_cached(
                "INSERT INTO _palbase_docs_documents (path, collection, group_id, id, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (path) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            )
            .await
            .map_err(pg_err)?;
        self.c.execute(&st, &[&d.path, &d.collection, &model::collection_id(&d.collection), &d.id, &text, &d.created, &d.updated]).await.map_err(pg_err)?;
        Ok(())
    }

    async fn delete(&self, path: &str) -> Result<(), ApiError> {
        let st = self.c.prepare_cached("DELETE FROM _palbase_docs_documents WHERE path = $1").await.map_err(pg_err)?;
        self.c.execute(&st, &[&path]).await.map_err(pg_err)?;
        let st = self.c.prepare_cached("DELETE FROM _palbase_docs_entries WHERE path = $1").await.map_err(pg_err)?;
        self.c.execute(&st, &[&path]).await.map_err(pg_err)?;
        Ok(())
    }

    async fn replace_entries(&self, path: &str, collection: &str, entries: &[(String, Vec<u8>)]) -> Result<(), ApiError> {
        let st = self.c.prepare_cached("DELETE FROM _palbase_docs_entries WHERE path = $1").await.map_err(pg_err)?;
        self.c.execute(&st, &[&path]).await.map_err(pg_err)?;
        let (idx, keys): (Vec<&str>, Vec<&[u8]>) = entries.iter().map(|(i, k)| (i.as_str(), k.as_slice())).unzip();
        let st = self.c.prepare_cached("INSERT INTO _palbase_docs_entries (idx, collection, key, path) SELECT u.idx, $3, u.key, $4 FROM unnest($1::text[], $2::bytea[]) AS u(idx, key)").await.map_err(pg_err)?;
        self.c.execute(&st, &[&idx, &keys, &collection, &path]).await.map_err(pg_err)?;
        Ok(())
    }

    async fn scan(&self, idx: &str, collection: &str, lo: &[u8], hi: &[u8], desc: bool, limit: Option<u64>) -> Result<Vec<(Vec<u8>, Stored)>, ApiError> {
        let dir = if desc { "DESC" } else { "ASC" };
        let st = self
            .c
            .prepare_cached(&format!(
                "SELECT e.key, {DOC_COLS} FROM _palbase_docs_entries e JOIN _palbase_docs_documents d ON d.path = e.path \
                 WHERE e.idx = $1 AND e.collection = $2 AND e.key >= $3 AND e.key < $4 ORDER BY e.key {dir} LIMIT $5"
            ))
            .await
            .map_err(pg_err)?;
        let limit: Option<i64> = limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX));
        let rows = self.c.query(&st, &[&idx, &collection, &lo, &hi, &limit]).await.map_err(pg_err)?;
        Ok(rows.iter().map(|r| (r.get::<_, Vec<u8>>(0), pg_stored(r, 1))).collect())
    }

    async fn count(&self, idx: &str, collection: &str, ranges: &[(Vec<u8>, Vec<u8>)], distinct: bool) -> Result<u64, ApiError> {
        let (los, his): (Vec<&[u8]>, Vec<&[u8]>) = ranges.iter().map(|(l, h)| (l.as_slice(), h.as_slice())).unzip();
        let what = if distinct { "count(DISTINCT e.path)" } else { "count(*)" };
        let st =
            self.c.prepare_cached(&format!("SELECT {what} FROM unnest($3::bytea[], $4::bytea[]) AS r(lo, hi) JOIN _palbase_docs_entries e ON e.idx = $1 AND e.collection = $2 AND e.key >= r.lo AND e.key < r.hi")).await.map_err(pg_err)?;
        let n: i64 = self.c.query_one(&st, &[&idx, &collection, &los, &his]).await.map_err(pg_err)?.get(0);
        Ok(n.max(0) as u64)
    }

    async fn group(&self, group_id: &str) -> Result<Vec<Stored>, ApiError> {
        let st = self.c.prepare_cached(&format!("SELECT {DOC_COLS} FROM _palbase_docs_documents d WHERE d.group_id = $1")).await.map_err(pg_err)?;
        Ok(self.c.query(&st, &[&group_id]).await.map_err(pg_err)?.iter().map(|r| pg_stored(r, 0)).collect())
    }

    async fn built_indexes(&self) -> Result<Vec<String>, ApiError> {
        Ok(self.c.query("SELECT name FROM _palbase_docs_indexes", &[]).await.map_err(pg_err)?.iter().map(|r| r.get(0)).collect())
    }

    async fn drop_index(&self, name: &str) -> Result<(), ApiError> {
        self.c.execute("DELETE FROM _palbase_docs_entries WHERE idx = $1", &[&name]).await.map_err(pg_err)?;
        self.c.execute("DELETE FROM _palbase_docs_indexes WHERE name = $1", &[&name]).await.map_err(pg_err)?;
        Ok(())
    }

    async fn add_entries(&self, idx: &str, rows: &[(String, Vec<u8>, String)]) -> Result<(), ApiError> {
        for chunk in rows.chunks(5000) {
            let mut cols: (Vec<&str>, Vec<&[u8]>, Vec<&str>) = (Vec::new(), Vec::new(), Vec::new());
            for (c, k, p) in chunk {
                cols.0.push(c);
                cols.1.push(k);
                cols.2.push(p);
            }
            self.c
                .execute("INSERT INTO _palbase_docs_entries (idx, collection, key, path) SELECT $1, u.c, u.k, u.p FROM unnest($2::text[], $3::bytea[], $4::text[]) AS u(c, k, p)", &[&idx, &cols.0, &cols.1, &cols.2])
                .await
                .map_err(pg_err)?;
        }
        Ok(())
    }

    async fn mark_built(&self, name: &str, now: i64) -> Result<(), ApiError> {
        self.c.execute("INSERT INTO _palbase_docs_indexes (name, built_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", &[&name, &now]).await.map_err(pg_err)?;
        Ok(())
    }

    async fn record(&self, kind: &str, payload: &Value) -> Result<(), ApiError> {
        self.log.record_postgres(self.c, kind, payload).await
    }
}

// ---------------------------------------------------------------------------------------------
// The work

/// One write of a batch.
#[derive(Debug, Clone)]
pub enum Write {
    /// `add` (an id chosen by the caller) or `create`: fails when the document exists.
    Create {
        path: String,
        data: Map<String, Value>,
    },
    Set {
        path: String,
        data: Map<String, Value>,
        merge: bool,
    },
    /// Field paths (dotted) to values.
    Update {
        path: String,
        fields: Vec<(String, Value)>,
    },
    Delete {
        path: String,
    },
}

/// What a unit of work does.
pub enum Work {
    Setup,
    Writes(Vec<Write>),
    Get(String),
    Query(Plan),
    Count(Plan),
}

/// What a unit needs besides its connection.
pub struct Ctx {
    pub log: Arc<dyn EventLog>,
    pub composites: Arc<Vec<IndexDef>>,
    pub max_document_bytes: usize,
}

/// A unit of work for [`palbase_db::Db::run_internal`] or `run_in_request_transaction`.
pub struct Unit {
    pub ctx: Arc<Ctx>,
    pub work: Work,
    pub now: i64,
}

impl InternalSql for Unit {
    type Output = Value;

    fn atomic(&self) -> bool {
        !matches!(self.work, Work::Get(_))
    }

    fn sqlite(self, conn: &Connection) -> Result<Value, ApiError> {
        let lite = Lite { c: conn, log: &*self.ctx.log };
        // Every statement of the SQLite connection is synchronous: the future is ready at once.
        futures::executor::block_on(run(&lite, &self.ctx, self.work, self.now))
    }

    fn postgres<'c>(self, client: &'c ClientWrapper) -> PgFuture<'c, Value> {
        Box::pin(async move {
            let pg = Pg { c: client, log: &*self.ctx.log };
            run(&pg, &self.ctx, self.work, self.now).await
        })
    }
}

async fn run<C: Conn>(c: &C, ctx: &Ctx, work: Work, now: i64) -> Result<Value, ApiError> {
    match work {
        Work::Setup => {
            c.create_tables().await?;
            build_indexes(c, ctx, now).await?;
            Ok(Value::Null)
        }
        Work::Writes(writes) => {
            let mut out = Vec::with_capacity(writes.len());
            for w in writes {
                out.push(write(c, ctx, w, now).await?);
            }
            Ok(Value::Array(out))
        }
        Work::Get(path) => Ok(c.get(&path).await?.map_or(Value::Null, Stored::snapshot)),
        Work::Query(plan) => {
            let mut found: Vec<(Vec<u8>, Stored)> = Vec::new();
            for p in &plan.prefixes {
                for (lo, hi) in &plan.ranges {
                    let (lo, hi) = ([p.as_slice(), lo].concat(), [p.as_slice(), hi].concat());
                    for (key, doc) in c.scan(&plan.index, &plan.collection, &lo, &hi, plan.desc, plan.limit).await? {
                        found.push((key.get(p.len()..).unwrap_or_default().to_vec(), doc));
                    }
                }
            }
            // Prefixes and ranges each come in order; together they merge by the key after the
            // prefix (the orderBy values, then the id).
            found.sort_by(|a, b| if plan.desc { b.0.cmp(&a.0) } else { a.0.cmp(&b.0) });
            if plan.dedupe {
                let mut seen = std::collections::HashSet::new();
                found.retain(|(_, d)| seen.insert(d.path.clone()));
            }
            if let Some(l) = plan.limit {
                found.truncate(usize::try_from(l).unwrap_or(usize::MAX));
            }
            Ok(Value::Array(found.into_iter().map(|(_, d)| d.snapshot()).collect()))
        }
        Work::Count(plan) => {
            let n = c.count(&plan.index, &plan.collection, &plan.key_ranges(), plan.dedupe).await?;
            Ok(json!({ "count": plan.limit.map_or(n, |l| n.min(l)) }))
        }
    }
}

/// Builds the declared composite indexes that are not built yet, and drops the entries of those
/// no longer declared.
async fn build_indexes<C: Conn>(c: &C, ctx: &Ctx, now: i64) -> Result<(), ApiError> {
    let built = c.built_indexes().await?;
    let declared: Vec<String> = ctx.composites.iter().map(IndexDef::name).collect();
    for name in built.iter().filter(|n| !declared.contains(n)) {
        c.drop_index(name).await?;
    }
    for def in ctx.composites.iter() {
        let name = def.name();
        if built.contains(&name) {
            continue;
        }
        c.drop_index(&name).await?;
        let mut rows = Vec::new();
        for d in c.group(&def.collection).await? {
            for (idx, key) in model::entries(&d.collection, &d.id, &d.data, std::slice::from_ref(def))? {
                if idx == name {
                    rows.push((d.collection.clone(), key, d.path.clone()));
                }
            }
        }
        c.add_entries(&name, &rows).await?;
        c.mark_built(&name, now).await?;
    }
    Ok(())
}

async fn write<C: Conn>(c: &C, ctx: &Ctx, w: Write, now: i64) -> Result<Value, ApiError> {
    let path = match &w {
        Write::Create { path, .. } | Write::Set { path, .. } | Write::Update { path, .. } | Write::Delete { path } => path.clone(),
    };
    let (collection, id) = model::document_path(&path)?;
    let (collection, id) = (collection.to_owned(), id.to_owned());
    let before = c.get(&path).await?;
    let after: Option<Map<String, Value>> = match w {
        Write::Create { data, .. } => {
            if before.is_some() {
                return Err(DocsError::AlreadyExists(path).into());
            }
            Some(data)
        }
        Write::Set { data, merge, .. } => match (&before, merge) {
            (Some(b), true) => {
                let mut m = b.data.clone();
                model::merge(&mut m, data);
                Some(m)
            }
            _ => Some(data),
        },
        Write::Update { fields, .. } => {
            let Some(b) = &before else { return Err(DocsError::NotFound(path).into()) };
            let mut m = b.data.clone();
            for (f, v) in fields {
                let segs: Vec<&str> = model::field_path(&f)?;
                model::set_field(&mut m, &segs, v);
            }
            Some(m)
        }
        Write::Delete { .. } => None,
    };
    let result = json!({ "id": id, "path": path });
    let kind = match (&before, &after) {
        (None, None) => return Ok(result), // deleting nothing: nothing happened
        (None, Some(_)) => "documents.created",
        (Some(_), Some(_)) => "documents.updated",
        (Some(_), None) => "documents.deleted",
    };
    match &after {
        Some(data) => {
            let value = Value::Object(data.clone());
            model::check_depth(&value, 0)?;
            let text = serde_json::to_string(&value).map_err(|_| DocsError::InvalidData("the document is not JSON".into()))?;
            if text.len() > ctx.max_document_bytes {
                return Err(DocsError::TooLarge { path, size: text.len(), limit: ctx.max_document_bytes }.into());
            }
            let entries = model::entries(&collection, &id, data, &ctx.composites)?;
            let created = before.as_ref().map_or(now, |b| b.created);
            let stored = Stored { path: path.clone(), collection: collection.clone(), id: id.clone(), data: data.clone(), created, updated: now };
            c.put(&stored, &text).await?;
            c.replace_entries(&path, &collection, &entries).await?;
        }
        None => c.delete(&path).await?,
    }
    if ctx.log.wants(kind) {
        let payload = json!({
            "path": path,
            "collection": collection,
            "id": id,
            "before": before.map_or(Value::Null, |b| Value::Object(b.data)),
            "after": after.map_or(Value::Null, Value::Object),
            "at": iso(now),
        });
        c.record(kind, &payload).await?;
    }
    Ok(result)
}
