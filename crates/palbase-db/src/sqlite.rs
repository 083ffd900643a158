//! The embedded backend: one SQLite file in WAL mode.
//!
//! - One writer connection behind an async mutex: every write, every transaction and every
//!   migration holds it, so writers queue instead of failing with "database is locked".
//! - Group commit: writes outside a transaction join a queue; whoever holds the writer commits
//!   everything queued in one transaction, each write inside its own savepoint (a failing write
//!   rolls back alone and gets its own error). Results are handed out only after the COMMIT, so
//!   an acknowledged write is a committed one. One fsync-free WAL commit per batch instead of one
//!   per write is what makes concurrent inserts cheap.
//! - A small pool of read-only connections for reads outside transactions (WAL lets them run
//!   while a write is in progress).
//! - `db.query` is read-only for real: the statement is prepared under an authorizer that denies
//!   everything but reading (no writes, DDL, ATTACH/DETACH, PRAGMA other than introspection,
//!   transaction control), must be a single statement, and must report `sqlite3_stmt_readonly`;
//!   outside a transaction it also runs on a connection opened read-only with `query_only`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use palbase_core::ApiError;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ffi};
use serde_json::{Map, Value};
use tokio::sync::OwnedMutexGuard;

use crate::action::{self, Action, Shape};
use crate::error::{self, DbError};
use crate::migrate::{self, Dialect, MigrateOptions, MigrationReport, q};
use crate::schema::{ColType, MIGRATIONS_TABLE, Schema};
use crate::value::{self, SqlVal};

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection and the switch of its authorizer.
pub struct Conn {
    pub conn: Connection,
    /// While true the authorizer only allows reading. Always true on reader connections.
    read_only: Arc<AtomicBool>,
    is_reader: bool,
    /// Milliseconds since the Unix epoch after which the running statement is interrupted
    /// (0: no limit).
    deadline: Arc<AtomicU64>,
    query_timeout: Duration,
}

pub struct Sqlite {
    path: PathBuf,
    writer: Arc<tokio::sync::Mutex<Conn>>,
    query_timeout: Duration,
    /// Writes waiting for the next group commit.
    queued: std::sync::Mutex<Vec<QueuedWrite>>,
    /// Dropped with the database: stops the checkpoint thread.
    _checkpointer: std::sync::mpsc::Sender<()>,
}

/// How often the checkpoint thread copies the WAL back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// WAL checkpoints run on a thread of their own (`PASSIVE`: they never block readers or the
/// writer) instead of inside whichever commit crosses SQLite's 1000-page mark, where the
/// checkpoint's fsync would stall every write queued behind that commit.
fn spawn_checkpointer(path: &Path) -> std::sync::mpsc::Sender<()> {
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let path = path.to_path_buf();
    let spawned = std::thread::Builder::new().name("palbase-sqlite-checkpoint".into()).spawn(move || {
        let Ok(conn) = Connection::open(&path) else { return };
        let _ = conn.busy_timeout(Duration::from_millis(100));
        let _ = conn.execute_batch("PRAGMA synchronous=NORMAL");
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(CHECKPOINT_EVERY) {
            if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                tracing::warn!(target: "palbase::db", "WAL checkpoint failed: {e}");
            }
        }
        // A last one, so a clean shutdown leaves a small WAL.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    });
    if let Err(e) = spawned {
        tracing::warn!(target: "palbase::db", "no checkpoint thread ({e}): SQLite checkpoints in commits");
    }
    stop
}

struct QueuedWrite {
    schema: Arc<Schema>,
    action: Action,
    done: tokio::sync::oneshot::Sender<Result<Value, ApiError>>,
}

/// Most writes one group commit takes (bounds the latency a batch adds to its first write).
const MAX_BATCH: usize = 256;

pub type WriterGuard = OwnedMutexGuard<Conn>;

impl Sqlite {
    /// Opens (creating) `data_dir/palbase.db`. Blocking.
    pub fn open(data_dir: &Path, query_timeout: Duration) -> Result<(Sqlite, Schema), DbError> {
        std::fs::create_dir_all(data_dir).map_err(|e| DbError::Open(format!("cannot create the data directory {}: {e}", data_dir.display())))?;
        let path = data_dir.join("palbase.db");
        let writer = open_writer(&path, query_timeout).map_err(|e| DbError::Open(format!("{}: {e}", path.display())))?;
        let schema = load_snapshot(&writer.conn).map_err(|e| DbError::Open(format!("reading the migration history: {e}")))?;
        let checkpointer = spawn_checkpointer(&path);
        Ok((Sqlite { path, writer: Arc::new(tokio::sync::Mutex::new(writer)), query_timeout, queued: std::sync::Mutex::default(), _checkpointer: checkpointer }, schema))
    }

    /// The writer connection (waits for the current writer or transaction to finish).
    pub async fn writer(&self) -> WriterGuard {
        self.writer.clone().lock_owned().await
    }

    /// Runs `action` outside any transaction on the calling thread: reads on this thread's own
    /// read connection (opened on first use), writes on the writer once it is free.
    pub async fn exec_inline(&self, schema: Arc<Schema>, action: Action) -> Result<Value, ApiError> {
        if action.writes() {
            return self.write(schema, action).await;
        }
        thread_local! {
            static READER: std::cell::RefCell<Option<(PathBuf, Conn)>> = const { std::cell::RefCell::new(None) };
        }
        READER.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.as_ref().is_none_or(|(p, _)| p != &self.path) {
                let c = open_reader(&self.path, self.query_timeout).map_err(|e| error::database_error("opening a read connection", &e))?;
                *slot = Some((self.path.clone(), c));
            }
            let (_, conn) = slot.as_ref().ok_or_else(ApiError::internal)?;
            run(conn, &schema, &action)
        })
    }

    /// A write outside a transaction, through the group commit (module docs).
    async fn write(&self, schema: Arc<Schema>, action: Action) -> Result<Value, ApiError> {
        let (done, mut result) = tokio::sync::oneshot::channel();
        self.queued.lock().unwrap_or_else(|p| p.into_inner()).push(QueuedWrite { schema, action, done });
        // Let the other requests this thread has ready queue their writes too.
        tokio::task::yield_now().await;
        loop {
            tokio::select! {
                biased;
                r = &mut result => return r.unwrap_or_else(|_| Err(ApiError::internal())),
                guard = self.writer() => {
                    let batch: Vec<QueuedWrite> = {
                        let mut q = self.queued.lock().unwrap_or_else(|p| p.into_inner());
                        let n = q.len().min(MAX_BATCH);
                        q.drain(..n).collect()
                    };
                    if !batch.is_empty() {
                        let results = commit_batch(&guard, &batch);
                        // Results before the writer is released: whoever takes it next finds
                        // its own result ready instead of an empty queue.
                        for (w, r) in batch.into_iter().zip(results) {
                            let _ = w.done.send(r);
                        }
                        drop(guard);
                    }
                }
            }
        }
    }

    /// Starts a transaction: the writer is held until it ends.
    pub async fn begin(&self) -> Result<WriterGuard, ApiError> {
        let guard = self.writer().await;
        let (guard, r) = run_blocking(guard, |c| {
            reset_if_in_transaction(c);
            c.conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| map_err(&e, None, &Action::Query { sql: String::new(), params: vec![] }, c))
        })
        .await?;
        r.map(|_| guard)
    }

    pub async fn exec_in(guard: WriterGuard, schema: Arc<Schema>, action: Action) -> Result<(WriterGuard, Result<Value, ApiError>), ApiError> {
        run_blocking(guard, move |c| run(c, &schema, &action)).await
    }

    /// Ends a transaction; the writer is released when the guard drops.
    pub async fn finish(guard: WriterGuard, commit: bool) -> Result<(), ApiError> {
        let (_, r) = run_blocking(guard, move |c| {
            let r = if commit { c.conn.execute_batch("COMMIT") } else { c.conn.execute_batch("ROLLBACK") };
            match r {
                Ok(()) => Ok(()),
                Err(e) => {
                    reset_if_in_transaction(c);
                    Err(error::database_error(if commit { "commit" } else { "rollback" }, &e))
                }
            }
        })
        .await?;
        r
    }

    /// Brings the database to `new` (see [`crate::migrate`]). Holds the writer; `BEGIN IMMEDIATE`
    /// also excludes other processes using the same file.
    pub async fn migrate(&self, new: Schema, opts: MigrateOptions) -> Result<MigrationReport, DbError> {
        let guard = self.writer().await;
        let (_, r) = run_blocking(guard, move |c| {
            reset_if_in_transaction(c);
            migrate_blocking(&c.conn, &new, opts)
        })
        .await
        .map_err(|e| DbError::Database(e.description))?;
        r
    }
}

/// Runs `f` on the writer connection in the blocking pool and hands the guard back.
pub(crate) async fn run_blocking<R: Send + 'static>(mut guard: WriterGuard, f: impl FnOnce(&mut Conn) -> R + Send + 'static) -> Result<(WriterGuard, R), ApiError> {
    tokio::task::spawn_blocking(move || {
        let r = f(&mut guard);
        (guard, r)
    })
    .await
    .map_err(|e| error::database_error("database task", &e))
}

/// A transaction left open (a panic, a lost guard) is rolled back before the writer is reused.
pub(crate) fn reset_if_in_transaction(c: &Conn) {
    if !c.conn.is_autocommit() {
        tracing::warn!(target: "palbase::db", "rolling back a transaction left open on the writer connection");
        let _ = c.conn.execute_batch("ROLLBACK");
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(())
}

fn open_writer(path: &Path, query_timeout: Duration) -> rusqlite::Result<Conn> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(target: "palbase::db", mode, "SQLite did not switch to WAL mode");
    }
    // Checkpoints run on their own thread (`spawn_checkpointer`).
    // The WAL file shrinks back to 64 MiB at most when it restarts.
    conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;")?;
    let read_only = Arc::new(AtomicBool::new(false));
    install_authorizer(&mut conn, read_only.clone())?;
    let deadline = install_deadline(&mut conn)?;
    Ok(Conn { conn, read_only, is_reader: false, deadline, query_timeout })
}

fn open_reader(path: &Path, query_timeout: Duration) -> rusqlite::Result<Conn> {
    let mut conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI)?;
    configure(&conn)?;
    conn.execute_batch("PRAGMA query_only=ON; PRAGMA foreign_keys=ON;")?;
    let read_only = Arc::new(AtomicBool::new(true));
    install_authorizer(&mut conn, read_only.clone())?;
    let deadline = install_deadline(&mut conn)?;
    Ok(Conn { conn, read_only, is_reader: true, deadline, query_timeout })
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// A progress handler that interrupts a statement running past the connection's deadline.
fn install_deadline(conn: &mut Connection) -> rusqlite::Result<Arc<AtomicU64>> {
    let deadline = Arc::new(AtomicU64::new(0));
    let d = deadline.clone();
    conn.progress_handler(
        20_000,
        Some(move || {
            let at = d.load(Ordering::Relaxed);
            at != 0 && now_ms() > at
        }),
    )?;
    Ok(deadline)
}

/// PRAGMAs that only read the schema; every other PRAGMA is denied in a read-only query.
const READ_PRAGMAS: &[&str] = &["table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list"];

/// Functions a read-only query may not call.
const DENIED_FUNCTIONS: &[&str] = &["load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"];

fn install_authorizer(conn: &mut Connection, read_only: Arc<AtomicBool>) -> rusqlite::Result<()> {
    conn.authorizer(Some(move |ctx: AuthContext<'_>| {
        if !read_only.load(Ordering::Relaxed) {
            return Authorization::Allow;
        }
        read_only_policy(&ctx)
    }))
}

fn read_only_policy(ctx: &AuthContext<'_>) -> Authorization {
    match ctx.action {
        AuthAction::Select | AuthAction::Read { .. } | AuthAction::Recursive => Authorization::Allow,
        AuthAction::Function { function_name } => {
            if DENIED_FUNCTIONS.iter().any(|f| f.eq_ignore_ascii_case(function_name)) {
                Authorization::Deny
            } else {
                Authorization::Allow
            }
        }
        AuthAction::Pragma { pragma_name, .. } => {
            if READ_PRAGMAS.iter().any(|p| p.eq_ignore_ascii_case(pragma_name)) {
                Authorization::Allow
            } else {
                Authorization::Deny
            }
        }
        _ => Authorization::Deny,
    }
}

// ---------------------------------------------------------------------------------------------
// Running actions

fn run(c: &Conn, schema: &Schema, action: &Action) -> Result<Value, ApiError> {
    if let Action::Query { sql, params } = action {
        return run_query(c, sql, params);
    }
    let built = action::build(Dialect::Sqlite, schema, action).ok_or_else(ApiError::internal)?;
    let t = schema.table(action.table().unwrap_or_default()).ok_or_else(ApiError::internal)?;
    let kinds: Vec<Kind> = t.columns.iter().map(|c| Kind::of(&c.ty)).collect();
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    let fail = |e: rusqlite::Error| map_err(&e, Some(schema), action, c);
    let mut stmt = c.conn.prepare_cached(&built.sql).map_err(fail)?;
    for (i, p) in built.params.iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, Bind(p)).map_err(fail)?;
    }
    if built.shape == Shape::Affected {
        let n = stmt.raw_execute().map_err(fail)?;
        return affected(n, action);
    }
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(fail)? {
        let mut m = Map::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let v = row.get_ref(i).map_err(fail)?;
            m.insert((*name).to_owned(), cell(v, kinds[i]));
        }
        out.push(Value::Object(m));
    }
    shape_result(built.shape, out, action)
}

/// Runs a batch of writes in one transaction, each in a savepoint; one result per write.
fn commit_batch(c: &Conn, batch: &[QueuedWrite]) -> Vec<Result<Value, ApiError>> {
    reset_if_in_transaction(c);
    if let [one] = batch {
        return vec![run(c, &one.schema, &one.action)];
    }
    let exec = |sql: &str| c.conn.prepare_cached(sql).and_then(|mut s| s.raw_execute());
    // Writes whose failure took the whole transaction down (SQLite rolls back on I/O errors,
    // interrupts, a full disk): they keep their error and the batch is run again without them.
    let mut fatal: Vec<Option<ApiError>> = vec![None; batch.len()];
    'attempt: loop {
        if let Err(e) = exec("BEGIN IMMEDIATE") {
            let err = error::database_error("begin", &e);
            return fatal.into_iter().map(|f| Err(f.unwrap_or_else(|| err.clone()))).collect();
        }
        let mut results = Vec::with_capacity(batch.len());
        for (i, w) in batch.iter().enumerate() {
            if let Some(e) = &fatal[i] {
                results.push(Err(e.clone()));
                continue;
            }
            if let Err(e) = exec("SAVEPOINT pb_write") {
                results.push(Err(error::database_error("savepoint", &e)));
                continue;
            }
            let r = run(c, &w.schema, &w.action);
            if r.is_err() {
                if c.conn.is_autocommit() {
                    fatal[i] = r.err();
                    continue 'attempt;
                }
                let _ = exec("ROLLBACK TO pb_write");
            }
            let _ = exec("RELEASE pb_write");
            results.push(r);
        }
        return match exec("COMMIT") {
            Ok(_) => results,
            Err(e) => {
                reset_if_in_transaction(c);
                let err = error::database_error("commit", &e);
                results.into_iter().map(|r| r.and(Err(err.clone()))).collect()
            }
        };
    }
}

pub(crate) fn affected(n: usize, action: &Action) -> Result<Value, ApiError> {
    if n == 0 {
        let (Action::Delete { table, id_json, .. } | Action::Update { table, id_json, .. }) = action else {
            return Ok(Value::Null);
        };
        return Err(error::row_not_found(table, id_json));
    }
    Ok(Value::Null)
}

pub(crate) fn shape_result(shape: Shape, mut rows: Vec<Value>, action: &Action) -> Result<Value, ApiError> {
    match shape {
        Shape::Many => Ok(Value::Array(rows)),
        Shape::Optional => Ok(rows.pop().unwrap_or(Value::Null)),
        Shape::Nothing => Ok(Value::Null),
        Shape::OneOrNotFound => match rows.pop() {
            Some(r) => Ok(r),
            None => match action {
                Action::Update { table, id_json, .. } | Action::Delete { table, id_json, .. } => Err(error::row_not_found(table, id_json)),
                _ => Err(ApiError::internal()),
            },
        },
        Shape::Affected => affected(rows.len(), action),
    }
}

fn run_query(c: &Conn, sql: &str, params: &[Value]) -> Result<Value, ApiError> {
    let none = Action::Query { sql: String::new(), params: vec![] };
    // The authorizer runs while the statement is prepared: switch it to read-only for that.
    c.read_only.store(true, Ordering::Relaxed);
    let prepared = c.conn.prepare(sql);
    c.read_only.store(c.is_reader, Ordering::Relaxed);
    let mut stmt = match prepared {
        Ok(s) => s,
        Err(rusqlite::Error::MultipleStatement) => return Err(error::read_only("only one statement is allowed")),
        Err(e) => return Err(map_err(&e, None, &none, c)),
    };
    if !stmt.readonly() {
        return Err(error::read_only("the statement would write"));
    }
    if stmt.column_count() == 0 {
        return Err(error::read_only("only statements that return rows are allowed"));
    }
    // `$1…$n` are named parameters to SQLite: bind each by its number, not its position.
    let count = stmt.parameter_count();
    let mut max = 0usize;
    let mut slots = Vec::with_capacity(count);
    for i in 1..=count {
        let n = match stmt.parameter_name(i) {
            None => i,
            Some(name) => match name.strip_prefix('$').or_else(|| name.strip_prefix('?')).and_then(|d| d.parse::<usize>().ok()) {
                Some(n) if n >= 1 => n,
                _ => {
                    return Err(ApiError::bad_request("invalid_params", format!("Database.query parameters are written $1, $2, …; found {name}")));
                }
            },
        };
        max = max.max(n);
        slots.push((i, n));
    }
    check_param_count(max, params.len())?;
    for (i, n) in slots {
        let v = value::from_param(&params[n - 1]);
        stmt.raw_bind_parameter(i, Bind(&v)).map_err(|e| map_err(&e, None, &none, c))?;
    }
    c.deadline.store(now_ms() + c.query_timeout.as_millis() as u64, Ordering::Relaxed);
    let _clear = ClearDeadline(&c.deadline);
    let cols: Vec<(String, Kind)> = stmt.columns().map(|col| (col.name().to_owned(), Kind::of_decl(col.decl_type()))).collect();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(|e| map_err(&e, None, &none, c))? {
        let mut m = Map::with_capacity(cols.len());
        for (i, (name, kind)) in cols.iter().enumerate() {
            let v = row.get_ref(i).map_err(|e| map_err(&e, None, &none, c))?;
            m.insert(name.clone(), cell(v, *kind));
        }
        out.push(Value::Object(m));
    }
    Ok(Value::Array(out))
}

struct ClearDeadline<'a>(&'a AtomicU64);

impl Drop for ClearDeadline<'_> {
    fn drop(&mut self) {
        self.0.store(0, Ordering::Relaxed);
    }
}

pub(crate) fn check_param_count(used: usize, given: usize) -> Result<(), ApiError> {
    if used != given {
        return Err(ApiError::bad_request("invalid_params", format!("The query uses {used} parameter(s) ($1…${used}) but {given} were given")));
    }
    Ok(())
}

/// How a stored value converts back to JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Json,
    Other,
}

impl Kind {
    fn of(ty: &ColType) -> Kind {
        match ty {
            ColType::Boolean => Kind::Bool,
            ColType::Jsonb => Kind::Json,
            _ => Kind::Other,
        }
    }

    /// From a declared column type (`sqlite3_column_decltype`); expressions have none.
    fn of_decl(decl: Option<&str>) -> Kind {
        let Some(d) = decl else { return Kind::Other };
        let first = d.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("").to_ascii_uppercase();
        match first.as_str() {
            "BOOLEAN" | "BOOL" => Kind::Bool,
            "JSONB" | "JSON" => Kind::Json,
            _ => Kind::Other,
        }
    }
}

fn cell(v: ValueRef<'_>, kind: Kind) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => match kind {
            Kind::Bool => Value::Bool(i != 0),
            _ => Value::from(i),
        },
        ValueRef::Real(f) => value::float_json(f),
        ValueRef::Text(bytes) => {
            let s = String::from_utf8_lossy(bytes);
            match kind {
                Kind::Json => serde_json::from_str(&s).unwrap_or_else(|_| Value::String(s.into_owned())),
                _ => Value::String(s.into_owned()),
            }
        }
        ValueRef::Blob(b) => {
            let mut s = String::with_capacity(2 + b.len() * 2);
            s.push_str("\\x");
            for x in b {
                s.push_str(&format!("{x:02x}"));
            }
            Value::String(s)
        }
    }
}

/// A value bound to a SQLite statement.
struct Bind<'a>(&'a SqlVal);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as V;
        Ok(match self.0 {
            SqlVal::Null => ToSqlOutput::Owned(V::Null),
            SqlVal::Bool(b) => ToSqlOutput::Owned(V::Integer(i64::from(*b))),
            SqlVal::Int(i) => ToSqlOutput::Owned(V::Integer(*i)),
            SqlVal::Float(f) => ToSqlOutput::Owned(V::Real(*f)),
            SqlVal::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            SqlVal::Uuid(u) => ToSqlOutput::Owned(V::Text(u.hyphenated().to_string())),
            SqlVal::Ts(t) => ToSqlOutput::Owned(V::Text(value::format_timestamp(*t))),
            SqlVal::Json(j) => ToSqlOutput::Owned(V::Text(value::jsonb_canonical(j).to_string())),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

fn map_err(e: &rusqlite::Error, schema: Option<&Schema>, action: &Action, c: &Conn) -> ApiError {
    let rusqlite::Error::SqliteFailure(fe, msg) = e else {
        if matches!(e, rusqlite::Error::MultipleStatement) {
            return error::read_only("only one statement is allowed");
        }
        return error::database_error("sqlite", e);
    };
    let msg = msg.as_deref().unwrap_or("");
    let table = action.table().unwrap_or("");
    match fe.extended_code {
        ffi::SQLITE_CONSTRAINT_PRIMARYKEY | ffi::SQLITE_CONSTRAINT_UNIQUE => {
            // "UNIQUE constraint failed: t.a, t.b"
            let cols: Vec<String> = msg.split_once(": ").map(|(_, l)| l.split(", ").map(|tc| tc.rsplit('.').next().unwrap_or(tc).to_owned()).collect()).unwrap_or_default();
            error::unique(table, &cols)
        }
        ffi::SQLITE_CONSTRAINT_NOTNULL => {
            let col = msg.split_once(": ").map(|(_, tc)| tc.rsplit('.').next().unwrap_or(tc)).unwrap_or("");
            error::not_null(table, col)
        }
        ffi::SQLITE_CONSTRAINT_CHECK => {
            // Our only CHECKs are enum value lists, named `<table>_<column>_check`.
            let name = msg.split_once(": ").map(|(_, n)| n).unwrap_or("");
            let t = schema.and_then(|s| s.table(table));
            match t.and_then(|t| t.columns.iter().find(|col| migrate::object_name(&t.name, Some(&col.name), "check") == name)) {
                Some(col) => match &col.ty {
                    ColType::Enum { values, .. } => error::invalid_enum(table, &col.name, values),
                    _ => error::invalid_value(table, &col.name, "a valid value"),
                },
                None => ApiError::bad_request("invalid_enum_value", format!("A value of table `{table}` is not allowed by its enum")),
            }
        }
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => match schema {
            Some(s) => diagnose_fk(c, s, action),
            None => error::fk_generic(table),
        },
        _ if fe.code == rusqlite::ErrorCode::AuthorizationForStatementDenied => error::read_only("the statement is not a read-only query"),
        _ if fe.code == rusqlite::ErrorCode::ReadOnly => error::read_only("the statement would write"),
        _ if fe.code == rusqlite::ErrorCode::OperationInterrupted => error::query_timeout(),
        _ => error::database_error("sqlite", e),
    }
}

/// SQLite does not say which foreign key failed: find it by looking at the rows involved.
fn diagnose_fk(c: &Conn, s: &Schema, action: &Action) -> ApiError {
    let exists = |sql: &str, v: &SqlVal| -> bool { c.conn.query_row(sql, [Bind(v)], |_| Ok(())).is_ok() };
    match action {
        Action::Insert { table, cols, vals } | Action::Update { table, cols, vals, .. } => {
            if let Some(t) = s.table(table) {
                for (name, v) in cols.iter().zip(vals) {
                    let Some(r) = t.column(name).and_then(|col| col.references.as_ref()) else { continue };
                    if *v == SqlVal::Null {
                        continue;
                    }
                    let sql = format!("SELECT 1 FROM {} WHERE {} = ?1 LIMIT 1", q(&r.table), q(&r.column));
                    if !exists(&sql, v) {
                        return error::fk_missing_parent(table, name, &r.table);
                    }
                }
            }
            if let Action::Update { id: Some(id), .. } = action {
                return still_referenced(s, table, id, &exists);
            }
            error::fk_generic(table)
        }
        Action::Delete { table, id: Some(id), .. } => still_referenced(s, table, id, &exists),
        other => error::fk_generic(other.table().unwrap_or("")),
    }
}

fn still_referenced(s: &Schema, parent: &str, id: &SqlVal, exists: &dyn Fn(&str, &SqlVal) -> bool) -> ApiError {
    for t in &s.tables {
        for col in &t.columns {
            if let Some(r) = &col.references
                && r.table == parent
            {
                let sql = format!("SELECT 1 FROM {} WHERE {} = ?1 LIMIT 1", q(&t.name), q(&col.name));
                if exists(&sql, id) {
                    return error::fk_still_referenced(parent, &t.name, &col.name);
                }
            }
        }
    }
    error::fk_generic(parent)
}

// ---------------------------------------------------------------------------------------------
// Migrations

fn ensure_history(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!("CREATE TABLE IF NOT EXISTS {} (\n  \"id\" INTEGER PRIMARY KEY AUTOINCREMENT,\n  \"applied_at\" TIMESTAMPTZ NOT NULL,\n  \"statements\" TEXT NOT NULL,\n  \"schema\" JSONB NOT NULL\n)", q(MIGRATIONS_TABLE)))
}

/// The schema of the last applied migration (empty when there is none).
fn load_snapshot(conn: &Connection) -> rusqlite::Result<Schema> {
    let exists: bool = conn.query_row("SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1", [MIGRATIONS_TABLE], |r| r.get(0))?;
    if !exists {
        return Ok(Schema::default());
    }
    let json: Option<String> =
        conn.query_row(&format!("SELECT \"schema\" FROM {} ORDER BY \"id\" DESC LIMIT 1", q(MIGRATIONS_TABLE)), [], |r| r.get(0)).map(Some).or_else(|e| if matches!(e, rusqlite::Error::QueryReturnedNoRows) { Ok(None) } else { Err(e) })?;
    match json {
        None => Ok(Schema::default()),
        Some(j) => serde_json::from_str(&j).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e))),
    }
}

fn migrate_blocking(conn: &Connection, new: &Schema, opts: MigrateOptions) -> Result<MigrationReport, DbError> {
    let db = |e: rusqlite::Error| DbError::Database(e.to_string());
    // Foreign keys must be off while tables are rebuilt (a DROP TABLE would otherwise run the
    // ON DELETE actions of the rows it removes); the pragma only works outside a transaction.
    conn.execute_batch("PRAGMA foreign_keys=OFF").map_err(db)?;
    let result = (|| {
        conn.execute_batch("BEGIN IMMEDIATE").map_err(db)?;
        let r = migrate_in_tx(conn, new, opts);
        match &r {
            Ok(rep) if !rep.applied.is_empty() || rep.migration_id.is_some() => conn.execute_batch("COMMIT").map_err(db)?,
            _ => {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
        r
    })();
    if let Err(e) = conn.execute_batch("PRAGMA foreign_keys=ON") {
        tracing::error!(target: "palbase::db", error = %e, "could not turn foreign keys back on");
    }
    result
}

fn migrate_in_tx(conn: &Connection, new: &Schema, opts: MigrateOptions) -> Result<MigrationReport, DbError> {
    let db = |e: rusqlite::Error| DbError::Database(e.to_string());
    ensure_history(conn).map_err(db)?;
    let old = load_snapshot(conn).map_err(db)?;
    let changes = migrate::diff(&old, new);
    let mut report = MigrationReport { dry_run: opts.dry_run, ..Default::default() };
    if changes.is_empty() {
        return Ok(report);
    }
    let mut counts = BTreeMap::new();
    for c in migrate::counts_needed(&old, new, &changes) {
        let n: i64 = conn.query_row(&c.sql(), [], |r| r.get(0)).map_err(db)?;
        counts.insert(c, n);
    }
    let refused = migrate::classify(&old, new, &changes, &|c| counts.get(c).copied().unwrap_or(0));
    report.changes = migrate::describe(&old, new, &changes);
    report.planned = migrate::render_sqlite(&old, new, &changes);
    let blocked = refused.iter().any(|r| !opts.allow_data_loss || !r.kind.acceptable());
    report.refused = if blocked { refused } else { Vec::new() };
    if blocked || opts.dry_run {
        return Ok(report);
    }
    for stmt in &report.planned {
        conn.execute_batch(stmt).map_err(|e| DbError::Migration(format!("{e}\n  while running: {stmt}")))?;
    }
    check_foreign_keys(conn)?;
    let now = value::format_timestamp(jiff::Timestamp::now());
    let snapshot = serde_json::to_string(new).map_err(|e| DbError::Database(e.to_string()))?;
    conn.execute(&format!("INSERT INTO {} (\"applied_at\", \"statements\", \"schema\") VALUES (?1, ?2, ?3)", q(MIGRATIONS_TABLE)), rusqlite::params![now, report.planned.join(";\n"), snapshot]).map_err(db)?;
    report.migration_id = Some(conn.last_insert_rowid());
    report.applied = report.planned.clone();
    Ok(report)
}

fn check_foreign_keys(conn: &Connection) -> Result<(), DbError> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").map_err(|e| DbError::Database(e.to_string()))?;
    let mut rows = stmt.query([]).map_err(|e| DbError::Database(e.to_string()))?;
    if let Some(r) = rows.next().map_err(|e| DbError::Database(e.to_string()))? {
        let table: String = r.get(0).unwrap_or_default();
        let parent: String = r.get(2).unwrap_or_default();
        return Err(DbError::Migration(format!("rows of table `{table}` refer to rows of `{parent}` that do not exist; fix the data or the reference")));
    }
    Ok(())
}
