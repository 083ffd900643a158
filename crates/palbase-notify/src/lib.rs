//! The Notifications service: `Notifications.email.send`, `.push.send`, `.sms.send`.
//!
//! - A send is validated ([`message`]: every error names its field) and rendered (an email to
//!   its RFC 5322 text with lettre), then recorded in the outbox table of the project database
//!   together with a job of the queue's native worker `notify:deliver`, in ONE transaction: the
//!   request's own when it has a `Database.transaction` open (rolled back → nothing recorded,
//!   nothing sent: send-on-commit).
//! - `idempotencyKey`: a repeat within [`IDEMPOTENCY_WINDOW`] answers the first send's
//!   `{id, status}` and records and sends nothing.
//! - The worker delivers through the channel's [`Provider`] ([`Smtp`] or [`Resend`] for email,
//!   [`Apns`] or [`Fcm`] for push, [`Twilio`] for SMS); a timeout, connection failure, 5xx or
//!   429 is retried with the queue's backoff (or the provider's `Retry-After`), a refusal is
//!   permanent. Push and SMS go one target at a time; a retry resumes after the targets done.
//!   Every attempt updates the message (status, attempts, provider answer).
//! - `template` renders files under the project's `notifications/` ([`template`]).
//! - No provider for a channel (the local default): the message is kept with status `outbox`,
//!   nothing leaves the machine, and one log line (target `palbase::notify`) tells where to see
//!   it (`palbase outbox show ID`).

mod error;
pub mod http;
pub mod message;
pub mod ops;
pub mod provider;
mod store;
pub mod template;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use palbase_core::ApiError;
use palbase_db::{Db, InTransaction};
use palbase_queue::{JobFailure, NativeHandler, NativeTask, Queue, WorkerSpec};
use serde_json::{Value, json};

pub use error::NotifyError;
pub use http::{Apns, Fcm, Resend, Twilio};
pub use message::{Channel, Prepared};
pub use provider::{Delivered, DeliveryError, Provider, Smtp, SmtpSecurity};
use store::{Attempted, NewMessage, Out, Progress, Unit, Work};
pub use store::{DELIVER_WORKER, Record};

/// A repeated `idempotencyKey` within this window answers the first send.
pub const IDEMPOTENCY_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// Tunables and providers.
#[derive(Clone, Default)]
pub struct NotifyOptions {
    /// The sender of emails that give no `from`.
    pub email_from: Option<String>,
    /// The sender of SMS that give no `from`.
    pub sms_from: Option<String>,
    /// The provider of each channel; a channel without one keeps its messages in the outbox.
    pub providers: HashMap<Channel, Arc<dyn Provider>>,
    /// Retries of a delivery after the first attempt (default 5).
    pub retry: Option<u32>,
    /// Timeout of one delivery attempt (default 30 s).
    pub timeout: Option<Duration>,
    /// Where `template: "name"` is read from (the project's `notifications/`); `None`: templates
    /// are refused.
    pub templates_dir: Option<std::path::PathBuf>,
}

/// The Notifications service on one database and queue.
pub struct Notifications {
    db: Arc<Db>,
    queue: Arc<Queue>,
    opts: NotifyOptions,
    templates: Option<template::Templates>,
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn new_id() -> String {
    format!("msg_{}", uuid::Uuid::now_v7().simple())
}

fn expect_inserted(o: Out) -> Result<store::Inserted, ApiError> {
    match o {
        Out::Inserted(i) => Ok(i),
        _ => Err(ApiError::internal()),
    }
}

impl Notifications {
    /// Opens the service: creates the outbox table (idempotently) and gives the queue its
    /// delivery worker. Blocking: call it from a plain thread.
    pub fn open(db: Arc<Db>, queue: Arc<Queue>, opts: NotifyOptions) -> Result<Arc<Notifications>, ApiError> {
        futures::executor::block_on(db.run_internal(Unit { queue: None, work: Work::Setup, now: now_ms() }))?;
        let templates = opts.templates_dir.clone().map(template::Templates::new);
        let n = Arc::new(Notifications { db, queue: queue.clone(), opts, templates });
        let spec = WorkerSpec { retry: n.opts.retry.unwrap_or(5), timeout: Some(n.opts.timeout.unwrap_or(Duration::from_secs(30))), concurrency: Some(10), ..WorkerSpec::new(DELIVER_WORKER) };
        queue.set_native_worker(spec, Arc::new(Deliverer { db: n.db.clone(), providers: n.opts.providers.clone() }));
        Ok(n)
    }

    /// The provider of `channel`, if one is configured.
    pub fn provider(&self, channel: Channel) -> Option<&Arc<dyn Provider>> {
        self.opts.providers.get(&channel)
    }

    /// Validates `params` for `channel` and records the message and its delivery job (in the
    /// request's transaction when `request_id` has one open) → `{id, status}`.
    pub async fn send(&self, request_id: Option<&str>, channel: Channel, params: Value) -> Result<Value, ApiError> {
        let op = format!("notify.{}", channel.as_str());
        let prepared = match channel {
            Channel::Email => message::email(&palbase_core::ops::parse_args(&op, params)?, self.opts.email_from.as_deref(), self.templates.as_ref())?,
            Channel::Push => message::push(&palbase_core::ops::parse_args(&op, params)?)?,
            Channel::Sms => message::sms(&palbase_core::ops::parse_args(&op, params)?, self.opts.sms_from.as_deref())?,
        };
        if channel == Channel::Push && self.provider(channel).is_some() && prepared.envelope["userIds"].as_array().is_some_and(|a| !a.is_empty()) {
            return Err(NotifyError::InvalidArguments { field: "userId".into(), message: "userId: pushing to user ids needs a device registry, which Palbase does not have yet: give device tokens (`token`)".into() }.into());
        }
        let (status, provider) = match self.provider(channel) {
            Some(p) => ("queued", p.name().to_owned()),
            None => ("outbox", "outbox".to_owned()),
        };
        let now = now_ms();
        let m = NewMessage { id: new_id(), prepared, status, provider, idempotent_since: now - IDEMPOTENCY_WINDOW.as_millis() as i64 };
        let unit = Unit { queue: Some(self.queue.clone()), work: Work::Insert(Box::new(m)), now };
        let inserted = match request_id {
            Some(rid) if self.db.has_open_transaction(rid) => {
                let q = Arc::downgrade(&self.queue);
                let wake: palbase_db::OnCommit = Box::new(move || {
                    if let Some(q) = q.upgrade() {
                        q.wake(DELIVER_WORKER);
                    }
                });
                match self.db.run_in_request_transaction(rid, unit, Some(wake)).await? {
                    InTransaction::Ran(o) => expect_inserted(o)?,
                    InTransaction::NoTransaction(unit) => self.run_alone(unit).await?,
                }
            }
            _ => self.run_alone(unit).await?,
        };
        Ok(json!({ "id": inserted.id, "status": inserted.status }))
    }

    async fn run_alone(&self, unit: Unit) -> Result<store::Inserted, ApiError> {
        let i = expect_inserted(self.db.run_internal(unit).await?)?;
        if i.new {
            self.queue.wake(DELIVER_WORKER);
        }
        Ok(i)
    }

    /// One message of the outbox.
    pub async fn get(&self, id: &str) -> Result<Option<Record>, ApiError> {
        get(&self.db, id).await
    }

    /// The newest `limit` messages, newest first.
    pub async fn list(&self, limit: u32) -> Result<Vec<Record>, ApiError> {
        list(&self.db, limit).await
    }
}

/// One message of the outbox of `db` (for tools that do not run the service: `palbase outbox`).
pub async fn get(db: &Db, id: &str) -> Result<Option<Record>, ApiError> {
    match db.run_internal(Unit { queue: None, work: Work::Get(id.to_owned()), now: now_ms() }).await? {
        Out::One(r) => Ok(r.map(|b| *b)),
        _ => Err(ApiError::internal()),
    }
}

/// The newest `limit` messages of the outbox of `db`, newest first (creates the table if needed).
pub async fn list(db: &Db, limit: u32) -> Result<Vec<Record>, ApiError> {
    db.run_internal(Unit { queue: None, work: Work::Setup, now: now_ms() }).await?;
    match db.run_internal(Unit { queue: None, work: Work::List(i64::from(limit.max(1))), now: now_ms() }).await? {
        Out::Many(r) => Ok(r),
        _ => Err(ApiError::internal()),
    }
}

/// The `notify:deliver` worker.
struct Deliverer {
    db: Arc<Db>,
    providers: HashMap<Channel, Arc<dyn Provider>>,
}

impl NativeHandler for Deliverer {
    fn run(&self, task: NativeTask) -> Pin<Box<dyn Future<Output = Result<(), JobFailure>> + Send>> {
        let db = self.db.clone();
        let providers = self.providers.clone();
        Box::pin(async move { deliver(&db, &providers, task).await })
    }
}

async fn record(db: &Db, a: Attempted) -> Result<(), JobFailure> {
    db.run_internal(Unit { queue: None, work: Work::Attempt(a), now: now_ms() }).await.map(drop).map_err(|e| JobFailure::from(format!("cannot record the delivery: {}", e.description)))
}

async fn deliver(db: &Db, providers: &HashMap<Channel, Arc<dyn Provider>>, task: NativeTask) -> Result<(), JobFailure> {
    let Some(id) = task.payload["id"].as_str() else { return Err(JobFailure::Permanent { error: "the job names no message".into() }) };
    let m = match get(db, id).await {
        Ok(Some(m)) => m,
        Ok(None) => return Err(JobFailure::Permanent { error: format!("no message {id} in the outbox") }),
        Err(e) => return Err(JobFailure::from(format!("cannot read the message: {}", e.description))),
    };
    if m.status == "sent" || m.status == "failed" {
        return Ok(());
    }
    let provider = Channel::parse(&m.channel).and_then(|c| providers.get(&c));
    let Some(provider) = provider.filter(|_| m.status != "outbox") else {
        if m.attempts == 0 {
            tracing::info!(target: "palbase::notify", id = %m.id, channel = %m.channel, "outbox: {} {} (no {} provider configured: kept, not sent; `palbase outbox show {}`)", m.channel, m.summary, m.channel, m.id);
        }
        return record(db, Attempted { id: m.id, status: "outbox", provider_id: None, answer: None, error: None }).await;
    };
    // Push and SMS: one request per target; a retry resumes after the targets already done.
    let targets: Vec<Option<String>> = match m.channel.as_str() {
        "push" => m.envelope["tokens"].as_array().into_iter().flatten().filter_map(|t| t.as_str()).map(|t| Some(t.to_owned())).collect(),
        "sms" => m.envelope["to"].as_array().into_iter().flatten().filter_map(|t| t.as_str()).map(|t| Some(t.to_owned())).collect(),
        _ => vec![None],
    };
    let mut done = m.done.clone();
    let mut answers = Vec::new();
    // The provider ids of the targets done by earlier attempts.
    let mut ids: Vec<String> = m.provider_id.as_deref().map(|p| p.split(',').map(str::to_owned).collect()).unwrap_or_default();
    for target in &targets {
        if let Some(t) = target
            && done.contains(t)
        {
            continue;
        }
        match provider.deliver(&m, target.as_deref()).await {
            Ok(d) => {
                answers.push(d.answer);
                if let Some(id) = d.provider_id {
                    ids.push(id);
                }
                if let Some(t) = target {
                    done.push(t.clone());
                    if targets.len() > 1 {
                        let p = Progress { id: m.id.clone(), done: done.clone(), provider_id: (!ids.is_empty()).then(|| ids.join(",")) };
                        db.run_internal(Unit { queue: None, work: Work::Progress(p), now: now_ms() }).await.map_err(|e| JobFailure::from(format!("cannot record the delivery: {}", e.description)))?;
                    }
                }
            }
            Err(DeliveryError::Permanent { message }) => {
                tracing::warn!(target: "palbase::notify", id = %m.id, channel = %m.channel, provider = provider.name(), "not delivered (permanent): {message}");
                record(db, Attempted { id: m.id, status: "failed", provider_id: None, answer: Some(message.clone()), error: Some(message.clone()) }).await?;
                return Err(JobFailure::Permanent { error: message });
            }
            Err(DeliveryError::Transient { message, retry_after }) => {
                let last = task.attempt >= task.max_attempts;
                tracing::warn!(target: "palbase::notify", id = %m.id, channel = %m.channel, provider = provider.name(), attempt = task.attempt, "delivery failed{}: {message}", if last { " (last attempt)" } else { "; will retry" });
                record(db, Attempted { id: m.id, status: if last { "failed" } else { "queued" }, provider_id: None, answer: Some(message.clone()), error: Some(message.clone()) }).await?;
                return Err(JobFailure::Retry { error: message, after: retry_after });
            }
        }
    }
    tracing::info!(target: "palbase::notify", id = %m.id, channel = %m.channel, provider = provider.name(), "sent {} {}", m.channel, m.summary);
    let provider_id = (!ids.is_empty()).then(|| ids.join(","));
    record(db, Attempted { id: m.id, status: "sent", provider_id, answer: Some(answers.join("\n")), error: None }).await
}
