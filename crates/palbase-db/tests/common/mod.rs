//! The database suites' harness: one throwaway database per test on either backend (the
//! generic parts — backends, the skip rule, temp dirs, PostgreSQL — are palbase-testkit's), with
//! `db.*` op calls made the way the engine makes them, and the schema builders.

#![allow(dead_code, clippy::result_large_err)]

use std::path::PathBuf;
use std::sync::Arc;

use palbase_core::ApiError;
use palbase_core::ops::OpRegistry;
use palbase_db::{Db, DbOptions, MigrateOptions, MigrationReport};
use palbase_testkit::TestDb;
use serde_json::{Value, json};

pub use palbase_testkit::DbKind as Kind;
pub use palbase_testkit::ops::call;

pub struct Harness {
    pub kind: Kind,
    db: Option<Arc<Db>>,
    pub reg: OpRegistry,
    rt: tokio::runtime::Runtime,
    store: TestDb,
}

fn registry(db: &Arc<Db>) -> OpRegistry {
    let mut reg = OpRegistry::new();
    palbase_db::register_ops(&mut reg, db.clone());
    reg
}

impl Harness {
    pub fn new(kind: Kind) -> Harness {
        Self::with_options(kind, DbOptions::default())
    }

    pub fn with_options(kind: Kind, opts: DbOptions) -> Harness {
        let store = TestDb::new(kind);
        let db = Db::open_with(store.url(), store.dir(), opts).expect("open");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        Harness { kind, reg: registry(&db), db: Some(db), rt, store }
    }

    pub fn db(&self) -> &Arc<Db> {
        self.db.as_ref().unwrap()
    }

    pub fn url(&self) -> Option<String> {
        self.store.url().map(str::to_owned)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.store.dir().to_path_buf()
    }

    pub fn store(&self) -> &TestDb {
        &self.store
    }

    /// Another `Db` on the same database (another instance of the server).
    pub fn open_another(&self) -> Arc<Db> {
        Db::open(self.store.url(), self.store.dir()).expect("open another")
    }

    /// Closes and reopens the database (a restart).
    pub fn reopen(&mut self) {
        self.db = None;
        let db = Db::open(self.store.url(), self.store.dir()).expect("reopen");
        self.reg = registry(&db);
        self.db = Some(db);
    }

    pub fn migrate(&self, schema: &Value) -> MigrationReport {
        self.db().migrate(schema, MigrateOptions::default()).expect("migrate")
    }

    pub fn op(&self, name: &str, args: Value) -> Result<Value, ApiError> {
        self.op_as(Some("req_test"), name, args)
    }

    pub fn op_as(&self, request: Option<&str>, name: &str, args: Value) -> Result<Value, ApiError> {
        call(&self.reg, &self.rt, request, name, args)
    }

    pub fn ok(&self, name: &str, args: Value) -> Value {
        self.op(name, args.clone()).unwrap_or_else(|e| panic!("{name} {args}: {e}"))
    }

    pub fn err(&self, name: &str, args: Value) -> ApiError {
        match self.op(name, args.clone()) {
            Ok(v) => panic!("{name} {args} should fail but returned {v}"),
            Err(e) => e,
        }
    }

    pub fn query(&self, sql: &str, params: Value) -> Vec<Value> {
        match self.ok("db.query", json!({"sql": sql, "params": params})) {
            Value::Array(a) => a,
            other => panic!("query returned {other}"),
        }
    }

    pub fn count(&self, table: &str) -> i64 {
        let rows = self.query(&format!("SELECT count(*) AS n FROM {table}"), json!([]));
        rows[0]["n"].as_i64().unwrap()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // The pool's connections go before the database does.
        self.db = None;
    }
}

// ---------------------------------------------------------------------------------------------
// Schema builders: the JSON `defineSchema(...)` produces (see packages/backend/src/schema.ts).

pub fn col(ty: &str) -> Value {
    json!({"type": ty, "primaryKey": false, "notNull": true, "hasDefault": false, "defaultRandom": false, "defaultNow": false})
}

pub fn enum_col(name: &str, values: &[&str]) -> Value {
    let mut c = col("enum");
    c["enum"] = json!({"name": name, "values": values});
    c
}

pub trait ColExt {
    fn pk(self) -> Value;
    fn nullable(self) -> Value;
    fn default(self, v: Value) -> Value;
    fn random(self) -> Value;
    fn now(self) -> Value;
    fn refs(self, table: &str, column: &str) -> Value;
    fn on_delete(self, action: &str) -> Value;
}

impl ColExt for Value {
    fn pk(mut self) -> Value {
        self["primaryKey"] = json!(true);
        self["notNull"] = json!(true);
        self
    }
    fn nullable(mut self) -> Value {
        self["notNull"] = json!(false);
        self
    }
    fn default(mut self, v: Value) -> Value {
        self["hasDefault"] = json!(true);
        self["default"] = v;
        self
    }
    fn random(mut self) -> Value {
        self["hasDefault"] = json!(true);
        self["defaultRandom"] = json!(true);
        self
    }
    fn now(mut self) -> Value {
        self["hasDefault"] = json!(true);
        self["defaultNow"] = json!(true);
        self
    }
    fn refs(mut self, table: &str, column: &str) -> Value {
        self["references"] = json!({"table": table, "column": column});
        self
    }
    fn on_delete(mut self, action: &str) -> Value {
        self["onDelete"] = json!(action);
        self
    }
}

pub fn table(name: &str, cols: &[(&str, Value)]) -> (String, Value) {
    let mut m = serde_json::Map::new();
    for (k, v) in cols {
        m.insert((*k).to_owned(), v.clone());
    }
    (name.to_owned(), json!({"name": name, "columns": m}))
}

pub fn schema(tables: &[(String, Value)]) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in tables {
        m.insert(k.clone(), v.clone());
    }
    json!({"__pb": "schema", "tables": m})
}

/// The docs' example schema plus a table with every type and one with an integer key.
pub fn app_schema() -> Value {
    schema(&[
        table("rooms", &[("id", col("uuid").pk().random()), ("name", col("text")), ("capacity", col("integer").nullable()), ("is_active", col("boolean").default(json!(true))), ("created_at", col("timestamp").now())]),
        table("sessions", &[("id", col("uuid").pk().random()), ("room_id", col("uuid").refs("rooms", "id").on_delete("cascade")), ("user_id", col("uuid")), ("data", col("jsonb").nullable()), ("started_at", col("timestamp").now())]),
        table("orders", &[("id", col("uuid").pk().random()), ("status", enum_col("order_status", &["pending", "paid", "shipped", "cancelled"])), ("amount", col("integer"))]),
        table("items", &[("id", col("integer").pk()), ("order_id", col("uuid").nullable().refs("orders", "id")), ("sku", col("text"))]),
        table(
            "kitchen",
            &[
                ("id", col("uuid").pk().random()),
                ("u", col("uuid").nullable()),
                ("t", col("text").nullable()),
                ("i", col("integer").nullable()),
                ("b", col("boolean").nullable()),
                ("ts", col("timestamp").nullable()),
                ("j", col("jsonb").nullable()),
                ("e", enum_col("mood", &["happy", "sad"]).nullable()),
            ],
        ),
    ])
}
