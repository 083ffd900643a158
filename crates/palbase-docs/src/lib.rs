//! The Documents service: a Firestore-like document store in the project's database (SQLite by
//! default, PostgreSQL when configured), with the same results on both.
//!
//! - Documents live at paths (`rooms/abc`, `rooms/abc/messages/m1`); their data is a JSON object
//!   kept as the JSON text it was given, so values round-trip exactly.
//! - Every write rewrites the document's index entries in the same transaction: one per field
//!   (nested map fields by dotted path), one per distinct array element (for `array-contains`),
//!   one for the id, and one per declared composite index ([`IndexDef`], `[[documents.indexes]]`
//!   in `palbase.toml`). A key is the order-preserving encoding of the values ([`encode`]), so a
//!   query is index range scans whose byte order is Firestore's value order on both databases.
//! - A query is planned onto exactly one index ([`query::plan`]) or refused: `invalid_query` for
//!   a query Firestore refuses, `index_required` (naming the index to declare) when no index
//!   serves it. Never a full scan, never a wrong answer.
//! - Writes made while the calling request has a `Database.transaction` open join it (through
//!   [`palbase_db::Db::run_in_request_transaction`]); a batch is one transaction.
//! - Each create, update and delete records `documents.created|updated|deleted` through the
//!   [`palbase_db::EventLog`], inside the write's transaction.

pub mod encode;
mod error;
pub mod model;
pub mod ops;
pub mod query;
mod store;

use std::sync::Arc;

use palbase_core::ApiError;
use palbase_db::{Db, EventLog, InTransaction};
use serde_json::{Map, Value};

pub use error::DocsError;
pub use model::IndexDef;
pub use query::Query;
pub use store::Write;
use store::{Ctx, Unit, Work};

/// Tunables.
#[derive(Clone)]
pub struct DocsOptions {
    /// Largest document, as JSON text (default and maximum 1 MiB, Firestore's limit).
    pub max_document_bytes: usize,
    /// The declared composite indexes.
    pub indexes: Vec<IndexDef>,
}

impl Default for DocsOptions {
    fn default() -> Self {
        DocsOptions { max_document_bytes: model::MAX_DOCUMENT_BYTES, indexes: Vec::new() }
    }
}

/// The Documents service on one database.
pub struct Docs {
    db: Arc<Db>,
    ctx: Arc<Ctx>,
}

/// A new document id: 20 characters of `[A-Za-z0-9]` (about 119 random bits), as Firestore's.
pub fn new_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // Rejection sampling keeps every character equally likely (248 = 4 × 62).
    let mut out = String::with_capacity(20);
    while out.len() < 20 {
        for b in uuid::Uuid::new_v4().into_bytes() {
            if b < 248 && out.len() < 20 {
                out.push(char::from(ALPHABET[usize::from(b % 62)]));
            }
        }
    }
    out
}

fn now_micros() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}

fn object(data: Value, what: &str) -> Result<Map<String, Value>, ApiError> {
    match data {
        Value::Object(m) => Ok(m),
        other => Err(DocsError::InvalidData(format!("{what}: document data is an object, not {}", kind(&other))).into()),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Docs {
    /// Opens the service on `db`: creates its tables (idempotently; instances starting together
    /// on PostgreSQL create them once) and builds the declared indexes not built yet.
    pub fn open(db: Arc<Db>, log: Arc<dyn EventLog>, options: DocsOptions) -> Result<Arc<Docs>, ApiError> {
        let max = options.max_document_bytes.min(model::MAX_DOCUMENT_BYTES);
        let docs = Docs { db, ctx: Arc::new(Ctx { log, composites: Arc::new(options.indexes), max_document_bytes: max }) };
        // The statements run on the database's runtime: any thread may wait for them here.
        futures::executor::block_on(docs.run(None, Work::Setup))?;
        Ok(Arc::new(docs))
    }

    async fn run(&self, request_id: Option<&str>, work: Work) -> Result<Value, ApiError> {
        let unit = Unit { ctx: self.ctx.clone(), work, now: now_micros() };
        if let Some(rid) = request_id
            && self.db.has_open_transaction(rid)
        {
            match self.db.run_in_request_transaction(rid, unit, None).await? {
                InTransaction::Ran(v) => return Ok(v),
                // The transaction ended meanwhile: on its own.
                InTransaction::NoTransaction(unit) => return self.db.run_internal(unit).await,
            }
        }
        self.db.run_internal(unit).await
    }

    /// `collection.add(data)`: a new document with a generated id → `{id, path}`.
    pub async fn add(&self, request_id: Option<&str>, collection: &str, data: Value) -> Result<Value, ApiError> {
        model::collection_path(collection)?;
        let data = object(data, "add")?;
        let path = format!("{collection}/{}", new_id());
        self.one(request_id, Write::Create { path, data }).await
    }

    /// The document at `path` as a snapshot, or `null`.
    pub async fn get(&self, request_id: Option<&str>, path: &str) -> Result<Value, ApiError> {
        model::document_path(path)?;
        self.run(request_id, Work::Get(path.to_owned())).await
    }

    pub async fn set(&self, request_id: Option<&str>, path: &str, data: Value, merge: bool) -> Result<Value, ApiError> {
        model::document_path(path)?;
        let data = object(data, "set")?;
        self.one(request_id, Write::Set { path: path.to_owned(), data, merge }).await
    }

    /// `update({ "a.b": 1 })`: dotted field paths; `not_found` when there is no document.
    pub async fn update(&self, request_id: Option<&str>, path: &str, data: Value) -> Result<Value, ApiError> {
        model::document_path(path)?;
        let fields = update_fields(object(data, "update")?)?;
        self.one(request_id, Write::Update { path: path.to_owned(), fields }).await
    }

    pub async fn delete(&self, request_id: Option<&str>, path: &str) -> Result<Value, ApiError> {
        model::document_path(path)?;
        self.one(request_id, Write::Delete { path: path.to_owned() }).await.map(|_| Value::Null)
    }

    /// Every write or none.
    pub async fn batch(&self, request_id: Option<&str>, writes: Vec<Write>) -> Result<Value, ApiError> {
        if writes.len() > MAX_BATCH {
            return Err(ApiError::bad_request("invalid_batch", format!("a batch holds at most {MAX_BATCH} writes; this one has {}", writes.len())));
        }
        for w in &writes {
            match w {
                Write::Create { path, .. } | Write::Set { path, .. } | Write::Update { path, .. } | Write::Delete { path } => model::document_path(path)?,
            };
        }
        self.run(request_id, Work::Writes(writes)).await
    }

    /// The snapshots a query selects, in its order.
    pub async fn query(&self, request_id: Option<&str>, q: &Query) -> Result<Value, ApiError> {
        let plan = query::plan(q, &self.ctx.composites)?;
        self.run(request_id, Work::Query(plan)).await
    }

    /// `{count}`: how many documents a query selects (at most its limit).
    pub async fn count(&self, request_id: Option<&str>, q: &Query) -> Result<Value, ApiError> {
        let plan = query::plan(q, &self.ctx.composites)?;
        self.run(request_id, Work::Count(plan)).await
    }

    async fn one(&self, request_id: Option<&str>, w: Write) -> Result<Value, ApiError> {
        let v = self.run(request_id, Work::Writes(vec![w])).await?;
        match v {
            Value::Array(mut a) if a.len() == 1 => Ok(a.remove(0)),
            _ => Err(ApiError::internal()),
        }
    }
}

/// Most writes in one batch (Firestore's limit).
pub const MAX_BATCH: usize = 500;

/// The fields of an `update`: dotted paths, checked.
pub fn update_fields(data: Map<String, Value>) -> Result<Vec<(String, Value)>, ApiError> {
    if data.is_empty() {
        return Err(DocsError::InvalidData("update: give at least one field".into()).into());
    }
    let mut out = Vec::with_capacity(data.len());
    for (k, v) in data {
        model::field_path(&k)?;
        out.push((k, v));
    }
    Ok(out)
}
