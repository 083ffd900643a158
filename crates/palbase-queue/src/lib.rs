//! The Queue service and background scheduling: `Queue.push` / `ctx.queue.push`, the workers
//! that consume it, and cron jobs. Durable on SQLite and PostgreSQL through palbase-db; the
//! handlers themselves run behind the [`Executor`] trait (the JS engine implements it).
//!
//! See README.md beside this crate for the guarantees and every formula (leases, backoff,
//! retries, cron slots and the missed-run policy).
//!
//! Module map: [`clock`] (real and manual time), [`spec`] (declarations, backoff formula, cron
//! schedules; pure), `store` (tables and statements for both dialects), `runner` (claiming,
//! running, recording results, pushing, heartbeats, LISTEN), `cron` (the scheduler), `ops`
//! (`queue.push`).

// `ApiError` (palbase-core) is the error of every op and statement; boxing it would only move
// the cost.
#![allow(clippy::result_large_err)]

pub mod clock;
mod cron;
pub mod events;
pub use events::Subscription;
mod ops;
mod runner;
pub mod spec;
mod store;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use jiff::Timestamp;
use palbase_core::ApiError;
use palbase_db::Db;
use serde::Serialize;
use serde_json::Value;
use tokio::runtime::{Handle, Runtime};
use tokio::sync::{Notify, mpsc, watch};

pub use clock::{Clock, ManualClock, SystemClock};
pub use ops::register_ops;
pub use spec::{Backoff, DefinitionError, JobSpec, Schedule, WorkerSpec};

use clock::{from_ms, ms};
use store::Store;

/// What the executor runs: one attempt of a worker job, or one run of a cron job.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    Worker {
        name: String,
        payload: Value,
        job_id: String,
        /// 1 for the first attempt.
        attempt: u32,
        timeout: Duration,
    },
    Job {
        name: String,
        run_id: String,
        timeout: Duration,
    },
}

/// Runs handlers (the JS engine implements it; tests use closures).
pub trait Executor: Send + Sync + 'static {
    /// Runs the handler; `Err(message)` = the handler threw or timed out. The executor enforces
    /// the task's timeout; the queue also stops waiting `watchdog_grace` after it.
    fn run(&self, task: Task) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
}

/// How an attempt failed, as a native worker ([`NativeHandler`]) can say it. A JS worker's
/// failure is always [`JobFailure::Retry`] without a delay (`From<String>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobFailure {
    /// Retry with the worker's policy while attempts remain; `after` replaces the backoff delay
    /// (a provider's `Retry-After`), capped at [`QueueOptions::backoff_cap`].
    Retry { error: String, after: Option<Duration> },
    /// Do not retry: the job is dead at once (e.g. a provider refused the request).
    Permanent { error: String },
}

impl JobFailure {
    pub fn message(&self) -> &str {
        match self {
            JobFailure::Retry { error, .. } | JobFailure::Permanent { error } => error,
        }
    }
}

impl From<String> for JobFailure {
    fn from(error: String) -> JobFailure {
        JobFailure::Retry { error, after: None }
    }
}

/// One attempt of a native worker's job.
#[derive(Debug, Clone, PartialEq)]
pub struct NativeTask {
    pub name: String,
    pub payload: Value,
    pub job_id: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The last attempt is `attempt == max_attempts`: a failure then is final.
    pub max_attempts: u32,
    pub timeout: Duration,
}

/// A worker a Rust service owns (e.g. `notify:deliver`): its jobs are pushed, claimed, leased,
/// retried and recorded like any other, but run here instead of through the [`Executor`].
pub trait NativeHandler: Send + Sync + 'static {
    fn run(&self, task: NativeTask) -> Pin<Box<dyn Future<Output = Result<(), JobFailure>> + Send>>;
}

/// Tunables. The defaults are what `palbase serve` uses.
#[derive(Clone)]
pub struct QueueOptions {
    pub clock: Arc<dyn Clock>,
    /// The safety-net poll when no wake-up arrives (default 1 s).
    pub poll_interval: Duration,
    /// Jobs running at once on this instance, all workers together (default 100).
    pub max_concurrency: u32,
    /// A worker's concurrency when it declares none (default 10).
    pub default_concurrency: u32,
    /// Timeout of a worker attempt or a cron run that declares none (default 60 s).
    pub default_timeout: Duration,
    /// A claimed job is leased for `timeout + lease_margin` (default 5 s).
    pub lease_margin: Duration,
    /// The queue stops waiting for an executor `timeout + watchdog_grace` after it started, and
    /// counts the attempt as failed (default 2 s; kept below `lease_margin`).
    pub watchdog_grace: Duration,
    /// Backoff unit (default 5 s), cap (default 1 h) and jitter (default 0.1 = ±10 %).
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    pub backoff_jitter: f64,
    /// Largest payload, as JSON text (default 1 MiB).
    pub max_payload_bytes: usize,
    /// Most jobs claimed by one statement (default 100).
    pub claim_batch: u32,
    /// This instance writes a heartbeat this often (default 2 s) …
    pub heartbeat_interval: Duration,
    /// … and the jobs and cron runs of an instance whose heartbeat is older than this are taken
    /// back before their lease ends (default 10 s; `None`: only leases count).
    pub instance_dead_after: Option<Duration>,
    /// Completed and discarded jobs are deleted this long after they finished (default 24 h).
    /// Dead jobs are kept until retried or discarded.
    pub completed_retention: Duration,
    /// Cron run records are deleted after this long (default 30 days).
    pub history_retention: Duration,
    /// After downtime, the latest missed cron slot still runs if it is at most this old
    /// (default 1 h); older slots are skipped.
    pub missed_run_window: Duration,
    /// PostgreSQL: LISTEN for pushes made by other instances (default true).
    pub listen: bool,
}

impl Default for QueueOptions {
    fn default() -> Self {
        QueueOptions {
            clock: Arc::new(SystemClock),
            poll_interval: Duration::from_secs(1),
            max_concurrency: 100,
            default_concurrency: 10,
            default_timeout: Duration::from_secs(60),
            lease_margin: Duration::from_secs(5),
            watchdog_grace: Duration::from_secs(2),
            backoff_base: Duration::from_secs(5),
            backoff_cap: Duration::from_secs(3600),
            backoff_jitter: 0.1,
            max_payload_bytes: 1 << 20,
            claim_batch: 100,
            heartbeat_interval: Duration::from_secs(2),
            instance_dead_after: Some(Duration::from_secs(10)),
            completed_retention: Duration::from_secs(24 * 3600),
            history_retention: Duration::from_secs(30 * 24 * 3600),
            missed_run_window: Duration::from_secs(3600),
            listen: true,
        }
    }
}

impl std::fmt::Debug for QueueOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueueOptions")
            .field("poll_interval", &self.poll_interval)
            .field("max_concurrency", &self.max_concurrency)
            .field("default_concurrency", &self.default_concurrency)
            .field("default_timeout", &self.default_timeout)
            .field("lease_margin", &self.lease_margin)
            .field("watchdog_grace", &self.watchdog_grace)
            .field("backoff_base", &self.backoff_base)
            .field("backoff_cap", &self.backoff_cap)
            .field("backoff_jitter", &self.backoff_jitter)
            .field("max_payload_bytes", &self.max_payload_bytes)
            .field("instance_dead_after", &self.instance_dead_after)
            .field("missed_run_window", &self.missed_run_window)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("cannot start the queue: {0}")]
    Open(String),
    #[error("no job with id {0}")]
    NotFound(String),
    #[error("job {id} is {status}: {hint}")]
    InvalidState { id: String, status: JobStatus, hint: &'static str },
    #[error("no cron job named `{0}` is defined")]
    UnknownJob(String),
    #[error("the queue is not started (no executor to run handlers)")]
    NotStarted,
    #[error("database error: {0}")]
    Database(String),
}

impl From<ApiError> for QueueError {
    fn from(e: ApiError) -> Self {
        QueueError::Database(e.description)
    }
}

/// A job's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Waiting: new, or failed and waiting for its retry (`attempts > 0`).
    Queued,
    /// Claimed by an instance, under a lease.
    Running,
    Completed,
    /// Failed on its last attempt; kept with every error until retried or discarded.
    Dead,
    /// Discarded by an operator; will not run.
    Discarded,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Completed => "completed",
            JobStatus::Dead => "dead",
            JobStatus::Discarded => "discarded",
        }
    }

    fn parse(s: &str) -> JobStatus {
        match s {
            "running" => JobStatus::Running,
            "completed" => JobStatus::Completed,
            "dead" => JobStatus::Dead,
            "discarded" => JobStatus::Discarded,
            _ => JobStatus::Queued,
        }
    }
}

impl std::str::FromStr for JobStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<JobStatus, String> {
        match s {
            "queued" | "running" | "completed" | "dead" | "discarded" => Ok(JobStatus::parse(s)),
            other => Err(format!("unknown job status `{other}`: expected queued, running, completed, dead or discarded")),
        }
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One failed attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptError {
    pub attempt: u32,
    pub at: Timestamp,
    pub error: String,
}

/// A job as `palbase queue list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobInfo {
    pub id: String,
    pub name: String,
    pub status: JobStatus,
    /// Attempts started so far.
    pub attempts: u32,
    pub max_attempts: u32,
    pub payload: Value,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Queued: when it (next) runs.
    pub run_at: Option<Timestamp>,
    /// Running: when its lease ends.
    pub lease_until: Option<Timestamp>,
    /// Running: the instance that holds it.
    pub locked_by: Option<String>,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub last_error: Option<String>,
    /// Every failed attempt, oldest first.
    pub errors: Vec<AttemptError>,
}

impl JobInfo {
    fn from_row(r: store::JobRow) -> JobInfo {
        let status = JobStatus::parse(&r.status);
        let errors = match r.errors {
            Value::Array(a) => a
                .into_iter()
                .map(|e| AttemptError { attempt: e["attempt"].as_u64().unwrap_or(0) as u32, at: e["at"].as_str().and_then(|s| s.parse().ok()).unwrap_or(Timestamp::UNIX_EPOCH), error: e["error"].as_str().unwrap_or_default().to_owned() })
                .collect(),
            _ => Vec::new(),
        };
        JobInfo {
            id: r.id,
            name: r.name,
            status,
            attempts: r.attempt.max(0) as u32,
            max_attempts: r.max_attempts.max(0) as u32,
            payload: serde_json::from_str(&r.payload).unwrap_or(Value::Null),
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
            run_at: if status == JobStatus::Queued { r.due_at.map(from_ms) } else { None },
            lease_until: if status == JobStatus::Running { r.due_at.map(from_ms) } else { None },
            locked_by: if status == JobStatus::Running { r.locked_by } else { None },
            started_at: r.started_at.map(from_ms),
            finished_at: r.finished_at.map(from_ms),
            last_error: r.last_error,
            errors,
        }
    }
}

/// Which jobs [`Queue::list`] returns (newest first).
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub status: Option<JobStatus>,
    pub name: Option<String>,
    pub limit: u32,
}

impl Default for ListFilter {
    fn default() -> Self {
        ListFilter { status: None, name: None, limit: 100 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Running,
    Succeeded,
    Failed,
    /// Not run: the previous run of the job was still running.
    Skipped,
}

/// One run of a cron job.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunRecord {
    pub run_id: String,
    pub job: String,
    /// The schedule slot it ran for; `None` for a manual run ([`Queue::run_job_now`]).
    pub slot: Option<Timestamp>,
    pub status: RunStatus,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub instance: String,
    pub error: Option<String>,
}

impl RunRecord {
    fn from_row(r: store::RunRow) -> RunRecord {
        let status = match r.status.as_str() {
            "running" => RunStatus::Running,
            "succeeded" => RunStatus::Succeeded,
            "skipped" => RunStatus::Skipped,
            _ => RunStatus::Failed,
        };
        let _ = r.kind;
        RunRecord { run_id: r.id, job: r.job, slot: r.slot.map(from_ms), status, started_at: from_ms(r.started_at), finished_at: r.finished_at.map(from_ms), instance: r.instance, error: r.error }
    }
}

/// A cron job as `palbase jobs` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CronJobInfo {
    pub name: String,
    pub schedule: String,
    pub timezone: Option<String>,
    pub timeout: Duration,
    pub next_run: Option<Timestamp>,
    pub last_run: Option<RunRecord>,
}

/// Counters since this instance started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueStats {
    pub pushed: u64,
    pub claimed: u64,
    pub succeeded: u64,
    /// Attempts that failed (including those that then died).
    pub failed: u64,
    pub dead: u64,
    /// Claims of a job whose previous lease had expired.
    pub reclaimed: u64,
    /// Results that arrived after another attempt took the job over, and were ignored.
    pub fenced: u64,
    pub cron_runs: u64,
    pub cron_skipped: u64,
}

#[derive(Default)]
struct Stats {
    pushed: AtomicU64,
    claimed: AtomicU64,
    succeeded: AtomicU64,
    failed: AtomicU64,
    dead: AtomicU64,
    reclaimed: AtomicU64,
    fenced: AtomicU64,
    cron_runs: AtomicU64,
    cron_skipped: AtomicU64,
}

fn bump(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

/// The definitions in force.
#[derive(Default)]
struct Defs {
    version: u64,
    workers: HashMap<String, WorkerSpec>,
    jobs: Vec<(JobSpec, Schedule)>,
    /// The native workers (also in `workers`, with their specs).
    natives: HashMap<String, Arc<dyn NativeHandler>>,
}

/// Wake-ups of the runner: names with new work (pushes, NOTIFY, committed transactions),
/// "poll everything", and timers (retries this instance scheduled).
#[derive(Default)]
struct Wake {
    dirty: Mutex<HashSet<String>>,
    all: AtomicBool,
    timers: Mutex<BTreeMap<Timestamp, HashSet<String>>>,
    notify: Notify,
}

impl Wake {
    fn name(&self, name: &str) {
        self.dirty.lock().unwrap_or_else(|p| p.into_inner()).insert(name.to_owned());
        self.notify.notify_one();
    }

    fn all(&self) {
        self.all.store(true, Ordering::Relaxed);
        self.notify.notify_one();
    }

    fn at(&self, t: Timestamp, name: &str) {
        self.timers.lock().unwrap_or_else(|p| p.into_inner()).entry(t).or_default().insert(name.to_owned());
        self.notify.notify_one();
    }
}

#[derive(Default)]
struct Load {
    by_name: HashMap<String, u32>,
    total: u32,
    cron: u32,
}

pub(crate) struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    opts: QueueOptions,
    instance: String,
    defs: RwLock<Arc<Defs>>,
    defs_changed: Notify,
    wake: Wake,
    load: Mutex<Load>,
    idle: Notify,
    push_tx: mpsc::UnboundedSender<runner::PushReq>,
    done_tx: OnceLock<mpsc::UnboundedSender<runner::Outcome>>,
    executor: OnceLock<Arc<dyn Executor>>,
    /// Native workers, kept across [`Queue::set_definitions`].
    natives: Mutex<Vec<(WorkerSpec, Arc<dyn NativeHandler>)>>,
    /// Which workers each event kind goes to ([`Queue::set_subscriptions`]).
    subscriptions: RwLock<Arc<events::Subscriptions>>,
    stop: watch::Sender<bool>,
    stats: Stats,
}

/// The queue of a project: one per process (per instance), shared as `Arc<Queue>`.
pub struct Queue {
    inner: Arc<Inner>,
    handle: Handle,
    rt: Mutex<Option<Runtime>>,
}

impl Drop for Queue {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.lock().unwrap_or_else(|p| p.into_inner()).take() {
            rt.shutdown_background();
        }
    }
}

/// Runs `f` on `handle` and waits for it from a plain thread.
fn block<F>(handle: &Handle, f: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    handle.spawn(async move {
        let _ = tx.send(f.await);
    });
    rx.recv().expect("the queue runtime stopped")
}

fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::now_v7().simple())
}

impl Queue {
    /// Opens the queue on `db`, creating its tables (idempotent; safe when several instances
    /// start together). Pushing works from now on; [`Queue::start`] begins running jobs.
    /// Blocking: call it from a plain thread.
    pub fn open(db: Arc<Db>, mut opts: QueueOptions) -> Result<Arc<Queue>, QueueError> {
        if opts.watchdog_grace >= opts.lease_margin {
            opts.watchdog_grace = opts.lease_margin / 2;
        }
        if let Some(d) = opts.instance_dead_after {
            // At least three missed heartbeats before an instance counts as gone.
            opts.instance_dead_after = Some(d.max(opts.heartbeat_interval * 3));
        }
        opts.claim_batch = opts.claim_batch.max(1);
        opts.max_concurrency = opts.max_concurrency.max(1);
        opts.default_concurrency = opts.default_concurrency.max(1);
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("palbase-queue").enable_all().build().map_err(|e| QueueError::Open(format!("cannot start the queue runtime: {e}")))?;
        let handle = rt.handle().clone();
        let store = Store::new(db);
        let s = store.clone();
        block(&handle, async move { s.create_tables().await }).map_err(|e| QueueError::Open(e.description))?;
        let (push_tx, push_rx) = mpsc::unbounded_channel();
        let (stop, _) = watch::channel(false);
        let inner = Arc::new(Inner {
            store,
            clock: opts.clock.clone(),
            opts,
            instance: new_id("inst"),
            defs: RwLock::new(Arc::new(Defs::default())),
            defs_changed: Notify::new(),
            wake: Wake::default(),
            load: Mutex::new(Load::default()),
            idle: Notify::new(),
            push_tx,
            done_tx: OnceLock::new(),
            executor: OnceLock::new(),
            natives: Mutex::new(Vec::new()),
            subscriptions: RwLock::default(),
            stop,
            stats: Stats::default(),
        });
        handle.spawn(runner::pusher(inner.clone(), push_rx));
        Ok(Arc::new(Queue { inner, handle, rt: Mutex::new(Some(rt)) }))
    }

    /// This instance's id (it appears as `locked_by` and in run records).
    pub fn instance_id(&self) -> &str {
        &self.inner.instance
    }

    /// Replaces the workers and cron jobs (at start and on every reload). Declarations that
    /// cannot be used are left out and returned; the others apply at once.
    pub fn set_definitions(&self, workers: Vec<WorkerSpec>, jobs: Vec<JobSpec>) -> Vec<DefinitionError> {
        let mut errors = Vec::new();
        let natives = self.inner.natives.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let (workers, reserved): (Vec<WorkerSpec>, Vec<WorkerSpec>) = workers.into_iter().partition(|w| !natives.iter().any(|(n, _)| n.name == w.name));
        for w in reserved {
            errors.push(DefinitionError { kind: "worker", name: w.name, message: "this name is reserved for a built-in worker".to_owned() });
        }
        let workers = spec::check_workers(workers, &mut errors);
        let jobs = spec::check_jobs(jobs, &mut errors);
        for e in &errors {
            tracing::error!(target: "palbase::queue", "{e}");
        }
        self.install(workers, jobs, &natives);
        errors
    }

    /// Adds a worker that a Rust service owns (see [`NativeHandler`]), kept across
    /// [`Queue::set_definitions`] (a JS worker may not take its name). Call it before
    /// [`Queue::start`]; a second call with the same name replaces the first.
    pub fn set_native_worker(&self, spec: WorkerSpec, handler: Arc<dyn NativeHandler>) {
        let natives = {
            let mut n = self.inner.natives.lock().unwrap_or_else(|p| p.into_inner());
            n.retain(|(s, _)| s.name != spec.name);
            n.push((spec, handler));
            n.clone()
        };
        let d = self.inner.defs();
        let workers = d.workers.values().filter(|w| !d.natives.contains_key(&w.name) && !natives.iter().any(|(n, _)| n.name == w.name)).cloned().collect();
        self.install(workers, d.jobs.clone(), &natives);
    }

    fn install(&self, workers: Vec<WorkerSpec>, jobs: Vec<(JobSpec, Schedule)>, natives: &[(WorkerSpec, Arc<dyn NativeHandler>)]) {
        {
            let mut d = self.inner.defs.write().unwrap_or_else(|p| p.into_inner());
            let version = d.version + 1;
            let mut all: HashMap<String, WorkerSpec> = workers.into_iter().map(|w| (w.name.clone(), w)).collect();
            let mut handlers = HashMap::new();
            for (s, h) in natives {
                all.insert(s.name.clone(), s.clone());
                handlers.insert(s.name.clone(), h.clone());
            }
            *d = Arc::new(Defs { version, workers: all, jobs, natives: handlers });
        }
        self.inner.defs_changed.notify_one();
        self.inner.wake.all();
    }

    /// Wakes the runner for worker `name` (a service that inserted its jobs itself, see
    /// [`Queue::insert_job_sqlite`]).
    pub fn wake(&self, name: &str) {
        self.inner.wake.name(name);
    }

    /// Starts running jobs and cron schedules through `executor`. A second call does nothing.
    pub fn start(self: &Arc<Self>, executor: Arc<dyn Executor>) {
        if self.inner.executor.set(executor.clone()).is_err() {
            return;
        }
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let _ = self.inner.done_tx.set(done_tx);
        let inner = &self.inner;
        self.handle.spawn(runner::completer(inner.clone(), done_rx));
        self.handle.spawn(runner::maintenance(inner.clone()));
        self.handle.spawn(runner::runner(inner.clone(), executor.clone()));
        self.handle.spawn(cron::scheduler(inner.clone(), executor));
        if inner.opts.listen
            && let Some(cfg) = inner.store.db.postgres_config()
        {
            self.handle.spawn(runner::listen(inner.clone(), cfg));
        }
    }

    /// Stops taking work (jobs and cron ticks), lets running handlers finish for up to `grace`,
    /// records their results, and returns. Jobs still running after `grace` keep their lease and
    /// are taken over by another instance when it ends (or when this instance's heartbeat goes
    /// stale). Blocking; pushing keeps working.
    pub fn shutdown(&self, grace: Duration) {
        let inner = self.inner.clone();
        block(&self.handle, async move { runner::shutdown(inner, grace).await });
    }

    /// Enqueues a job for worker `name`, as `queue.push` does. With `request_id` naming a request
    /// (or background run) that has a `Database.transaction` open, the job is part of that
    /// transaction; otherwise it is committed before this returns. Returns the job id.
    pub async fn push(&self, request_id: Option<&str>, name: &str, payload: Value) -> Result<String, ApiError> {
        runner::push(&self.inner, request_id, name, payload).await
    }

    /// Jobs, newest first.
    pub async fn list(&self, filter: ListFilter) -> Result<Vec<JobInfo>, QueueError> {
        let rows = self.inner.store.list(filter.status.map(|s| s.as_str().to_owned()), filter.name, i64::from(filter.limit.max(1))).await?;
        Ok(rows.into_iter().map(JobInfo::from_row).collect())
    }

    pub async fn get(&self, job_id: &str) -> Result<Option<JobInfo>, QueueError> {
        Ok(self.inner.store.get(job_id).await?.map(JobInfo::from_row))
    }

    /// How many jobs are in each state.
    pub async fn counts(&self) -> Result<HashMap<JobStatus, u64>, QueueError> {
        Ok(self.inner.store.counts().await?.into_iter().map(|(s, n)| (JobStatus::parse(&s), n.max(0) as u64)).collect())
    }

    /// Runs a dead or discarded job again now, with a fresh budget of retries (the worker's
    /// `retry`; its error history is kept). A queued job waiting for a retry runs now.
    pub async fn retry(&self, job_id: &str) -> Result<(), QueueError> {
        let inner = &self.inner;
        let now = ms(inner.clock.now());
        let job = inner.store.get(job_id).await?.ok_or_else(|| QueueError::NotFound(job_id.to_owned()))?;
        let retries = inner.defs().workers.get(&job.name).map(|w| w.retry.min(spec::MAX_RETRY)).unwrap_or(spec::DEFAULT_RETRY);
        match inner.store.retry(job_id, retries as i32, now).await? {
            Some(name) => {
                inner.wake.name(&name);
                Ok(())
            }
            None => Err(self.state_error(job_id, "only dead, discarded or waiting jobs can be retried").await),
        }
    }

    /// Discards a dead or waiting job: it will not run. Running jobs cannot be discarded.
    pub async fn discard(&self, job_id: &str) -> Result<(), QueueError> {
        let now = ms(self.inner.clock.now());
        if self.inner.store.discard(job_id, now).await? { Ok(()) } else { Err(self.state_error(job_id, "only dead or waiting jobs can be discarded").await) }
    }

    async fn state_error(&self, job_id: &str, hint: &'static str) -> QueueError {
        match self.inner.store.get(job_id).await {
            Ok(Some(j)) => QueueError::InvalidState { id: job_id.to_owned(), status: JobStatus::parse(&j.status), hint },
            Ok(None) => QueueError::NotFound(job_id.to_owned()),
            Err(e) => e.into(),
        }
    }

    /// Runs cron job `name` now through the executor (local testing), waits for it and returns
    /// its record. It is recorded as a manual run; if a run of the job is still running it is
    /// skipped instead, as a scheduled tick would be.
    pub async fn run_job_now(&self, name: &str) -> Result<RunRecord, QueueError> {
        let inner = self.inner.clone();
        let name = name.to_owned();
        self.handle.spawn(async move { cron::run_now(inner, &name).await }).await.map_err(|e| QueueError::Database(e.to_string()))?
    }

    /// The cron jobs in force, with their next run and last run.
    pub async fn jobs(&self) -> Result<Vec<CronJobInfo>, QueueError> {
        let defs = self.inner.defs();
        let now = self.inner.clock.now();
        let mut out = Vec::new();
        for (j, sched) in &defs.jobs {
            let last = self.inner.store.runs(Some(j.name.clone()), 1).await?.into_iter().next().map(RunRecord::from_row);
            out.push(CronJobInfo { name: j.name.clone(), schedule: j.schedule.clone(), timezone: j.timezone.clone(), timeout: j.timeout.unwrap_or(self.inner.opts.default_timeout), next_run: sched.next_after(now), last_run: last });
        }
        Ok(out)
    }

    /// Runs of cron job `name` (all jobs when `None`), newest first.
    pub async fn history(&self, name: Option<&str>, limit: u32) -> Result<Vec<RunRecord>, QueueError> {
        let rows = self.inner.store.runs(name.map(str::to_owned), i64::from(limit.max(1))).await?;
        Ok(rows.into_iter().map(RunRecord::from_row).collect())
    }

    pub fn stats(&self) -> QueueStats {
        let s = &self.inner.stats;
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        QueueStats {
            pushed: g(&s.pushed),
            claimed: g(&s.claimed),
            succeeded: g(&s.succeeded),
            failed: g(&s.failed),
            dead: g(&s.dead),
            reclaimed: g(&s.reclaimed),
            fenced: g(&s.fenced),
            cron_runs: g(&s.cron_runs),
            cron_skipped: g(&s.cron_skipped),
        }
    }

    /// Handlers running on this instance now (worker jobs and cron runs).
    pub fn running(&self) -> usize {
        let l = self.inner.load.lock().unwrap_or_else(|p| p.into_inner());
        (l.total + l.cron) as usize
    }
}

impl Inner {
    fn defs(&self) -> Arc<Defs> {
        self.defs.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn stopping(&self) -> bool {
        *self.stop.borrow()
    }
}
