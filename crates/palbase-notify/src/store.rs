//! The outbox table and its statements, for SQLite and PostgreSQL, run through
//! [`palbase_db::InternalSql`] (on the request's transaction when one is open).
//!
//! `_palbase_notify_messages`: one row per send (times in ms since the Unix epoch). An
//! idempotency key is unique (`<channel>:<key>`); a key older than the window is released
//! (set to NULL) by the next send that uses it.

use std::sync::Arc;

use deadpool_postgres::ClientWrapper;
use palbase_core::ApiError;
use palbase_db::{InternalSql, PgFuture};
use palbase_queue::Queue;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::message::Prepared;

/// `pg_advisory_xact_lock` key for creating the table ("pbnotify").
const CREATE_LOCK: i64 = 0x7062_6e6f_7469_6679;

/// The queue worker that delivers messages.
pub const DELIVER_WORKER: &str = "notify:deliver";

const SQLITE_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS _palbase_notify_messages (
  id TEXT PRIMARY KEY NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  provider TEXT NOT NULL,
  summary TEXT NOT NULL,
  params TEXT NOT NULL,
  rendered TEXT NOT NULL,
  envelope TEXT NOT NULL,
  idempotency_key TEXT UNIQUE,
  job_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  provider_id TEXT,
  answer TEXT,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  done TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS _palbase_notify_messages_created ON _palbase_notify_messages (created_at);
"#;

const PG_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS _palbase_notify_messages (
  id text PRIMARY KEY,
  channel text NOT NULL,
  status text NOT NULL,
  provider text NOT NULL,
  summary text NOT NULL,
  params text NOT NULL,
  rendered text NOT NULL,
  envelope text NOT NULL,
  idempotency_key text UNIQUE,
  job_id text,
  attempts bigint NOT NULL DEFAULT 0,
  provider_id text,
  answer text,
  last_error text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  sent_at bigint,
  done text NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS _palbase_notify_messages_created ON _palbase_notify_messages (created_at);
"#;

const COLS: &str = "id, channel, status, provider, summary, params, rendered, envelope, idempotency_key, job_id, attempts, provider_id, answer, last_error, created_at, updated_at, sent_at, done";

/// A message of the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub channel: String,
    /// `queued`, `sent`, `failed` or `outbox`.
    pub status: String,
    /// The provider that delivers it (`outbox` when none is configured).
    pub provider: String,
    pub summary: String,
    pub params: Value,
    pub rendered: String,
    pub envelope: Value,
    pub idempotency_key: Option<String>,
    pub job_id: Option<String>,
    pub attempts: i64,
    /// The provider's message id.
    pub provider_id: Option<String>,
    /// The provider's last answer (status line and body, shortened).
    pub answer: Option<String>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub sent_at: Option<i64>,
    /// Push and SMS: the targets (tokens, numbers) the provider already accepted.
    pub done: Vec<String>,
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn lite_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    Ok(Record {
        id: r.get(0)?,
        channel: r.get(1)?,
        status: r.get(2)?,
        provider: r.get(3)?,
        summary: r.get(4)?,
        params: parse(&r.get::<_, String>(5)?),
        rendered: r.get(6)?,
        envelope: parse(&r.get::<_, String>(7)?),
        idempotency_key: r.get(8)?,
        job_id: r.get(9)?,
        attempts: r.get(10)?,
        provider_id: r.get(11)?,
        answer: r.get(12)?,
        last_error: r.get(13)?,
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
        sent_at: r.get(16)?,
        done: serde_json::from_str(&r.get::<_, String>(17)?).unwrap_or_default(),
    })
}

fn pg_record(r: &tokio_postgres::Row) -> Record {
    Record {
        id: r.get(0),
        channel: r.get(1),
        status: r.get(2),
        provider: r.get(3),
        summary: r.get(4),
        params: parse(r.get::<_, &str>(5)),
        rendered: r.get(6),
        envelope: parse(r.get::<_, &str>(7)),
        idempotency_key: r.get(8),
        job_id: r.get(9),
        attempts: r.get(10),
        provider_id: r.get(11),
        answer: r.get(12),
        last_error: r.get(13),
        created_at: r.get(14),
        updated_at: r.get(15),
        sent_at: r.get(16),
        done: serde_json::from_str(r.get::<_, &str>(17)).unwrap_or_default(),
    }
}

fn lite_err(e: rusqlite::Error) -> ApiError {
    tracing::error!(target: "palbase::notify", error = %e, "notifications database error");
    ApiError::new(500, "database_error", "A database error occurred")
}

fn pg_err(e: tokio_postgres::Error) -> ApiError {
    tracing::error!(target: "palbase::notify", error = %e, "notifications database error");
    ApiError::new(500, "database_error", "A database error occurred")
}

/// A new outbox row.
pub struct NewMessage {
    pub id: String,
    pub prepared: Prepared,
    pub status: &'static str,
    pub provider: String,
    /// A repeat of the same key after this time (ms) is a new message.
    pub idempotent_since: i64,
}

/// What an insert did.
#[derive(Debug, Clone, PartialEq)]
pub struct Inserted {
    pub id: String,
    pub status: String,
    /// False: an earlier message with the same idempotency key answered.
    pub new: bool,
}

/// A result of a delivery attempt.
#[derive(Debug, Clone)]
pub struct Attempted {
    pub id: String,
    pub status: &'static str,
    pub provider_id: Option<String>,
    pub answer: Option<String>,
    pub error: Option<String>,
}

/// One more target done (push, SMS).
#[derive(Debug, Clone)]
pub struct Progress {
    pub id: String,
    pub done: Vec<String>,
    pub provider_id: Option<String>,
}

pub enum Work {
    Setup,
    Insert(Box<NewMessage>),
    Get(String),
    List(i64),
    Attempt(Attempted),
    Progress(Progress),
}

pub enum Out {
    None,
    Inserted(Inserted),
    One(Option<Box<Record>>),
    Many(Vec<Record>),
}

pub struct Unit {
    pub queue: Option<Arc<Queue>>,
    pub work: Work,
    pub now: i64,
}

fn idem_key(m: &NewMessage) -> Option<String> {
    m.prepared.idempotency_key.as_ref().map(|k| format!("{}:{k}", m.prepared.channel.as_str()))
}

fn job_payload(id: &str) -> Value {
    serde_json::json!({ "id": id })
}

impl InternalSql for Unit {
    type Output = Out;

    fn atomic(&self) -> bool {
        matches!(self.work, Work::Setup | Work::Insert(_))
    }

    fn sqlite(self, c: &Connection) -> Result<Out, ApiError> {
        let now = self.now;
        match self.work {
            Work::Setup => c.execute_batch(SQLITE_TABLES).map(|_| Out::None).map_err(lite_err),
            Work::Get(id) => Ok(Out::One(c.prepare_cached(&format!("SELECT {COLS} FROM _palbase_notify_messages WHERE id = ?1")).map_err(lite_err)?.query_row([id], lite_record).optional().map_err(lite_err)?.map(Box::new))),
            Work::List(limit) => {
                let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM _palbase_notify_messages ORDER BY created_at DESC, id DESC LIMIT ?1")).map_err(lite_err)?;
                let rows = st.query_map([limit], lite_record).map_err(lite_err)?;
                Ok(Out::Many(rows.collect::<Result<Vec<_>, _>>().map_err(lite_err)?))
            }
            Work::Progress(p) => {
                let done = serde_json::to_string(&p.done).unwrap_or_default();
                c.prepare_cached("UPDATE _palbase_notify_messages SET done = ?2, provider_id = COALESCE(?3, provider_id), updated_at = ?4 WHERE id = ?1")
                    .map_err(lite_err)?
                    .execute(params![p.id, done, p.provider_id, now])
                    .map_err(lite_err)?;
                Ok(Out::None)
            }
            Work::Attempt(a) => {
                let sent_at = (a.status == "sent").then_some(now);
                c.prepare_cached(
                    "UPDATE _palbase_notify_messages SET status = ?2, attempts = attempts + 1, provider_id = COALESCE(?3, provider_id), answer = COALESCE(?4, answer), last_error = ?5, updated_at = ?6, sent_at = COALESCE(?7, sent_at) WHERE id = ?1",
                )
                .map_err(lite_err)?
                .execute(params![a.id, a.status, a.provider_id, a.answer, a.error, now, sent_at])
                .map_err(lite_err)?;
                Ok(Out::None)
            }
            Work::Insert(m) => {
                let key = idem_key(&m);
                if let Some(k) = &key {
                    let found: Option<(String, String, i64)> =
                        c.prepare_cached("SELECT id, status, created_at FROM _palbase_notify_messages WHERE idempotency_key = ?1").map_err(lite_err)?.query_row([k], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional().map_err(lite_err)?;
                    match found {
                        Some((id, status, at)) if at >= m.idempotent_since => return Ok(Out::Inserted(Inserted { id, status, new: false })),
                        Some((id, ..)) => {
                            c.prepare_cached("UPDATE _palbase_notify_messages SET idempotency_key = NULL WHERE id = ?1").map_err(lite_err)?.execute([id]).map_err(lite_err)?;
                        }
                        None => {}
                    }
                }
                let job_id = match &self.queue {
                    Some(q) => Some(q.insert_job_sqlite(c, DELIVER_WORKER, &job_payload(&m.id))?),
                    None => None,
                };
                let p = &m.prepared;
                c.prepare_cached(
                    "INSERT INTO _palbase_notify_messages (id, channel, status, provider, summary, params, rendered, envelope, idempotency_key, job_id, attempts, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11, ?11)",
                )
                .map_err(lite_err)?
                .execute(params![m.id, p.channel.as_str(), m.status, m.provider, p.summary, p.params.to_string(), p.rendered, p.envelope.to_string(), key, job_id, now])
                .map_err(lite_err)?;
                Ok(Out::Inserted(Inserted { id: m.id, status: m.status.to_owned(), new: true }))
            }
        }
    }

    fn postgres<'c>(self, c: &'c ClientWrapper) -> PgFuture<'c, Out> {
        Box::pin(async move {
            let now = self.now;
            match self.work {
                Work::Setup => {
                    c.execute("SELECT pg_advisory_xact_lock($1)", &[&CREATE_LOCK]).await.map_err(pg_err)?;
                    c.batch_execute(PG_TABLES).await.map_err(pg_err)?;
                    Ok(Out::None)
                }
                Work::Get(id) => {
                    let st = c.prepare_cached(&format!("SELECT {COLS} FROM _palbase_notify_messages WHERE id = $1")).await.map_err(pg_err)?;
                    Ok(Out::One(c.query_opt(&st, &[&id]).await.map_err(pg_err)?.as_ref().map(|r| Box::new(pg_record(r)))))
                }
                Work::List(limit) => {
                    let st = c.prepare_cached(&format!("SELECT {COLS} FROM _palbase_notify_messages ORDER BY created_at DESC, id DESC LIMIT $1")).await.map_err(pg_err)?;
                    Ok(Out::Many(c.query(&st, &[&limit]).await.map_err(pg_err)?.iter().map(pg_record).collect()))
                }
                Work::Progress(p) => {
                    let done = serde_json::to_string(&p.done).unwrap_or_default();
                    let st = c.prepare_cached("UPDATE _palbase_notify_messages SET done = $2, provider_id = COALESCE($3, provider_id), updated_at = $4 WHERE id = $1").await.map_err(pg_err)?;
                    c.execute(&st, &[&p.id, &done, &p.provider_id, &now]).await.map_err(pg_err)?;
                    Ok(Out::None)
                }
                Work::Attempt(a) => {
                    let sent_at = (a.status == "sent").then_some(now);
                    let st = c
                        .prepare_cached(
                            "UPDATE _palbase_notify_messages SET status = $2, attempts = attempts + 1, provider_id = COALESCE($3, provider_id), answer = COALESCE($4, answer), last_error = $5, updated_at = $6, sent_at = COALESCE($7, sent_at) WHERE id = $1",
                        )
                        .await
                        .map_err(pg_err)?;
                    c.execute(&st, &[&a.id, &a.status, &a.provider_id, &a.answer, &a.error, &now, &sent_at]).await.map_err(pg_err)?;
                    Ok(Out::None)
                }
                Work::Insert(m) => {
                    let key = idem_key(&m);
                    if let Some(k) = &key {
                        // Concurrent sends with one key: the row lock orders them.
                        let st = c.prepare_cached("SELECT id, status, created_at FROM _palbase_notify_messages WHERE idempotency_key = $1 FOR UPDATE").await.map_err(pg_err)?;
                        match c.query_opt(&st, &[k]).await.map_err(pg_err)? {
                            Some(r) if r.get::<_, i64>(2) >= m.idempotent_since => return Ok(Out::Inserted(Inserted { id: r.get(0), status: r.get(1), new: false })),
                            Some(r) => {
                                let st = c.prepare_cached("UPDATE _palbase_notify_messages SET idempotency_key = NULL WHERE id = $1").await.map_err(pg_err)?;
                                c.execute(&st, &[&r.get::<_, String>(0)]).await.map_err(pg_err)?;
                            }
                            None => {}
                        }
                    }
                    let p = &m.prepared;
                    // ON CONFLICT: a concurrent send with the same key committed first; its answer wins.
                    let st = c
                        .prepare_cached(
                            "INSERT INTO _palbase_notify_messages (id, channel, status, provider, summary, params, rendered, envelope, idempotency_key, job_id, attempts, created_at, updated_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 0, $10, $10) ON CONFLICT (idempotency_key) DO NOTHING",
                        )
                        .await
                        .map_err(pg_err)?;
                    let n = c.execute(&st, &[&m.id, &p.channel.as_str(), &m.status, &m.provider, &p.summary, &p.params.to_string(), &p.rendered, &p.envelope.to_string(), &key, &now]).await.map_err(pg_err)?;
                    if n == 0 {
                        let st = c.prepare_cached("SELECT id, status FROM _palbase_notify_messages WHERE idempotency_key = $1").await.map_err(pg_err)?;
                        let r = c.query_one(&st, &[&key]).await.map_err(pg_err)?;
                        return Ok(Out::Inserted(Inserted { id: r.get(0), status: r.get(1), new: false }));
                    }
                    if let Some(q) = &self.queue {
                        let job_id = q.insert_job_postgres(c, DELIVER_WORKER, &job_payload(&m.id)).await?;
                        let st = c.prepare_cached("UPDATE _palbase_notify_messages SET job_id = $2 WHERE id = $1").await.map_err(pg_err)?;
                        c.execute(&st, &[&m.id, &job_id]).await.map_err(pg_err)?;
                    }
                    Ok(Out::Inserted(Inserted { id: m.id, status: m.status.to_owned(), new: true }))
                }
            }
        })
    }
}
