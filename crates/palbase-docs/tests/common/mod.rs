//! The documents suites' harness: a throwaway database on either backend, the `db.*` and
//! `docs.*` ops called the way the engine calls them, and an [`EventLog`] that writes events
//! into a table of the same database (so a test sees them commit or roll back with the write).

#![allow(dead_code, clippy::result_large_err)]

use std::sync::Arc;

use deadpool_postgres::ClientWrapper;
use palbase_core::ApiError;
use palbase_core::ops::OpRegistry;
use palbase_db::{Db, EventLog, InternalSql, PgFuture};
use palbase_docs::{Docs, DocsOptions, IndexDef};
use palbase_testkit::{DbKind, TestDb};
use serde_json::Value;

pub struct Fx {
    pub kind: DbKind,
    pub db: Arc<Db>,
    pub docs: Arc<Docs>,
    pub reg: OpRegistry,
    pub rt: tokio::runtime::Runtime,
    pub store: TestDb,
}

/// Events go to `_test_events (kind, payload)`.
pub struct TableLog;

fn err(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(500, "test", e.to_string())
}

impl EventLog for TableLog {
    fn wants(&self, kind: &str) -> bool {
        kind.starts_with("documents.")
    }
    fn record_sqlite(&self, conn: &rusqlite::Connection, kind: &str, payload: &Value) -> Result<(), ApiError> {
        conn.execute("CREATE TABLE IF NOT EXISTS _test_events (n INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT, payload TEXT)", []).map_err(err)?;
        conn.execute("INSERT INTO _test_events (kind, payload) VALUES (?1, ?2)", [kind, &payload.to_string()]).map_err(err)?;
        Ok(())
    }
    fn record_postgres<'c>(&'c self, c: &'c ClientWrapper, kind: &'c str, payload: &'c Value) -> PgFuture<'c, ()> {
        Box::pin(async move {
            c.batch_execute("CREATE TABLE IF NOT EXISTS _test_events (n bigserial PRIMARY KEY, kind text, payload text)").await.map_err(err)?;
            c.execute("INSERT INTO _test_events (kind, payload) VALUES ($1, $2)", &[&kind, &payload.to_string()]).await.map_err(err)?;
            Ok(())
        })
    }
}

struct Events;

impl InternalSql for Events {
    type Output = Vec<(String, Value)>;
    fn sqlite(self, c: &rusqlite::Connection) -> Result<Self::Output, ApiError> {
        c.execute("CREATE TABLE IF NOT EXISTS _test_events (n INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT, payload TEXT)", []).map_err(err)?;
        let mut st = c.prepare("SELECT kind, payload FROM _test_events ORDER BY n").map_err(err)?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(err)?;
        rows.map(|r| r.map(|(k, p)| (k, serde_json::from_str(&p).unwrap_or(Value::Null))).map_err(err)).collect()
    }
    fn postgres<'c>(self, c: &'c ClientWrapper) -> PgFuture<'c, Self::Output> {
        Box::pin(async move {
            c.batch_execute("CREATE TABLE IF NOT EXISTS _test_events (n bigserial PRIMARY KEY, kind text, payload text)").await.map_err(err)?;
            let rows = c.query("SELECT kind, payload FROM _test_events ORDER BY n", &[]).await.map_err(err)?;
            Ok(rows.iter().map(|r| (r.get::<_, String>(0), serde_json::from_str(&r.get::<_, String>(1)).unwrap_or(Value::Null))).collect())
        })
    }
}

impl Fx {
    pub fn new(kind: DbKind) -> Fx {
        Self::with_indexes(kind, &[])
    }

    /// With composite indexes: `(collection, fields)`.
    pub fn with_indexes(kind: DbKind, indexes: &[(&str, &[&str])]) -> Fx {
        let store = TestDb::new(kind);
        let db = Db::open(store.url(), store.dir()).expect("open the database");
        let docs = open_docs(&db, indexes);
        let mut reg = OpRegistry::new();
        palbase_db::register_ops(&mut reg, db.clone());
        palbase_docs::ops::register_ops(&mut reg, docs.clone());
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        Fx { kind, db, docs, reg, rt, store }
    }

    /// The same database, the service opened again with other indexes.
    pub fn reopen(&mut self, indexes: &[(&str, &[&str])]) {
        self.docs = open_docs(&self.db, indexes);
        let mut reg = OpRegistry::new();
        palbase_db::register_ops(&mut reg, self.db.clone());
        palbase_docs::ops::register_ops(&mut reg, self.docs.clone());
        self.reg = reg;
    }

    /// Calls an op as request `req`.
    pub fn op_as(&self, req: Option<&str>, name: &str, args: Value) -> Result<Value, ApiError> {
        palbase_testkit::ops::call(&self.reg, &self.rt, req, name, args)
    }

    pub fn op(&self, name: &str, args: Value) -> Result<Value, ApiError> {
        self.op_as(Some("req_test"), name, args)
    }

    /// The op's result; panics with the error otherwise.
    #[track_caller]
    pub fn ok(&self, name: &str, args: Value) -> Value {
        self.op(name, args.clone()).unwrap_or_else(|e| panic!("{name} {args}: {} {}", e.code, e.description))
    }

    /// The op's error; panics when it succeeds.
    #[track_caller]
    pub fn fails(&self, name: &str, args: Value) -> ApiError {
        match self.op(name, args.clone()) {
            Ok(v) => panic!("{name} {args} succeeded: {v}"),
            Err(e) => e,
        }
    }

    pub fn events(&self) -> Vec<(String, Value)> {
        self.rt.block_on(self.db.run_internal(Events)).unwrap()
    }
}

pub fn open_docs(db: &Arc<Db>, indexes: &[(&str, &[&str])]) -> Arc<Docs> {
    let defs = indexes.iter().map(|(c, f)| IndexDef::parse(c, &f.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()).collect();
    Docs::open(db.clone(), Arc::new(TableLog), DocsOptions { indexes: defs, ..DocsOptions::default() }).expect("open documents")
}
