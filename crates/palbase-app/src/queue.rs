//! The Queue service (palbase-queue): `[queue]`, worker and cron definitions from each version,
//! and the runner, which executes through the server's background engine.

use std::{sync::Arc, time::Duration};

use palbase_core::ops::OpRegistry;
use palbase_engine::BackgroundMeta;
use palbase_project::{ProjectErrors, config::Settings};
use palbase_queue::{Backoff, JobSpec, Queue, WorkerSpec};
use palbase_server::{Notice, Service, VersionContext};
use serde::Deserialize;

use crate::AppError;

/// Tunables of the job queue (`[queue]`); unset values keep the queue's defaults
/// (docs/background.md).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct QueueSettings {
    /// Unit of the retry backoff, ms (default 5000).
    pub backoff_base_ms: Option<u64>,
    /// Safety-net poll for new jobs, ms (default 1000; pushes wake workers at once).
    pub poll_interval_ms: Option<u64>,
    /// Jobs running at once on this instance (default 100).
    pub max_concurrency: Option<u32>,
    /// A worker's concurrency when it declares none (default 10).
    pub default_concurrency: Option<u32>,
}

pub fn open(db: &Arc<palbase_db::Db>, settings: &Settings) -> Result<Arc<Queue>, AppError> {
    let q: QueueSettings = settings.section("queue")?;
    let mut o = palbase_queue::QueueOptions::default();
    let ms = Duration::from_millis;
    if let Some(v) = q.backoff_base_ms {
        o.backoff_base = ms(v);
    }
    if let Some(v) = q.poll_interval_ms {
        o.poll_interval = ms(v);
    }
    if let Some(v) = q.max_concurrency {
        o.max_concurrency = v;
    }
    if let Some(v) = q.default_concurrency {
        o.default_concurrency = v;
    }
    Queue::open(db.clone(), o).map_err(|e| AppError::Open { what: "job queue", source: Box::new(e) })
}

pub(crate) struct QueueService {
    queue: Arc<Queue>,
}

impl QueueService {
    pub(crate) fn new(queue: Arc<Queue>) -> Self {
        Self { queue }
    }
}

impl Service for QueueService {
    fn name(&self) -> &'static str {
        "queue"
    }

    fn register_ops(&self, ops: &mut OpRegistry) {
        palbase_queue::register_ops(ops, self.queue.clone());
    }

    fn on_version(&self, v: &VersionContext<'_>) -> Result<Vec<Notice>, ProjectErrors> {
        let (workers, jobs) = specs(v.background);
        let mut notices: Vec<Notice> = describe(&workers, &jobs);
        notices.extend(describe_hooks(v.background));
        for e in self.queue.set_definitions(workers, jobs) {
            notices.push(Notice::error(e.to_string(), Vec::new()));
        }
        self.queue.set_subscriptions(subscriptions(v.background));
        Ok(notices)
    }

    fn start(&self, executor: Arc<dyn palbase_queue::Executor>) {
        self.queue.start(executor);
    }

    /// Stops taking jobs; running ones get `grace`, the rest stay leased and are picked up again
    /// after their lease (by this or another instance).
    fn shutdown(&self, grace: Duration) {
        self.queue.shutdown(grace);
    }
}

/// The queue's view of the background declarations.
pub fn specs(metas: &[BackgroundMeta]) -> (Vec<WorkerSpec>, Vec<JobSpec>) {
    let secs = |t: &Option<f64>| t.map(Duration::from_secs_f64);
    let mut workers = Vec::new();
    let mut jobs = Vec::new();
    for m in metas {
        match m {
            BackgroundMeta::Worker { name, retry, timeout, backoff, concurrency } => {
                workers.push(WorkerSpec { name: name.clone(), retry: *retry, timeout: secs(timeout), backoff: backoff.parse().unwrap_or(Backoff::Exponential), concurrency: *concurrency })
            }
            BackgroundMeta::Job { name, schedule, timeout, timezone } => jobs.push(JobSpec { name: name.clone(), schedule: schedule.clone(), timeout: secs(timeout), timezone: timezone.clone() }),
            // Hooks and webhooks run as workers with the spec's defaults (3 retries, exponential
            // backoff), then dead-letter like any job.
            BackgroundMeta::Hook { worker, .. } | BackgroundMeta::Webhook { worker, .. } => workers.push(WorkerSpec::new(worker.clone())),
        }
    }
    (workers, jobs)
}

/// Which hooks each recorded event kind goes to.
pub fn subscriptions(metas: &[BackgroundMeta]) -> Vec<palbase_queue::Subscription> {
    metas
        .iter()
        .filter_map(|m| match m {
            BackgroundMeta::Hook { worker, event, filter, .. } => palbase_project::kinds::event_kind(event).map(|k| palbase_queue::Subscription { event: k.to_string(), worker: worker.clone(), filter: filter.clone() }),
            _ => None,
        })
        .collect()
}

/// The registered hooks and webhooks, for the terminal.
fn describe_hooks(metas: &[BackgroundMeta]) -> Vec<Notice> {
    let mut hooks = Vec::new();
    let mut webhooks = Vec::new();
    for m in metas {
        match m {
            BackgroundMeta::Hook { file, export, event, filter, .. } => hooks.push(format!("{:<28} {file}#{export}{}", event, filter.as_ref().map(|f| format!(" (only {f})")).unwrap_or_default())),
            BackgroundMeta::Webhook { name, provider, events, .. } => webhooks.push(format!("{name:<24} {provider:<18} {} event type{}: {}", events.len(), if events.len() == 1 { "" } else { "s" }, events.join(", "))),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if !hooks.is_empty() {
        out.push(Notice::info("hooks:", hooks));
    }
    if !webhooks.is_empty() {
        out.push(Notice::info("webhooks:", webhooks));
    }
    out
}

/// The registered workers and cron jobs, for the terminal.
pub(crate) fn describe(workers: &[WorkerSpec], jobs: &[JobSpec]) -> Vec<Notice> {
    let mut out = Vec::new();
    if !workers.is_empty() {
        let lines = workers.iter().map(|w| format!("{:<24} retry {}, {} backoff{}", w.name, w.retry, w.backoff.as_str(), w.timeout.map(|t| format!(", timeout {}s", t.as_secs_f64())).unwrap_or_default())).collect();
        out.push(Notice::info("workers:", lines));
    }
    if !jobs.is_empty() {
        let lines = jobs
            .iter()
            .map(|j| {
                let next = palbase_queue::Schedule::parse(&j.schedule, j.timezone.as_deref()).ok().and_then(|sc| sc.next_after(jiff::Timestamp::now())).map_or_else(|| "invalid schedule".to_string(), |t| format!("next {t}"));
                format!("{:<24} {:<14} {next}", j.name, j.schedule)
            })
            .collect();
        out.push(Notice::info("jobs:", lines));
    }
    out
}
