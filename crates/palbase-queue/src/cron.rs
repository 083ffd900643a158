//! The cron scheduler: each instance computes every job's slots; a slot runs where its record
//! is inserted first (unique `(job, slot)`), so it runs once across all instances.
//!
//! Missed slots (downtime, a stalled process): only the latest slot at or before now can run,
//! and only if it is at most `missed_run_window` old and not before the job's schedule was first
//! defined; older missed slots are skipped (logged, not recorded).

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use crate::clock::{add, from_ms, ms};
use crate::spec::{JobSpec, Schedule};
use crate::store::SlotClaim;
use crate::{Executor, Inner, QueueError, RunRecord, Task, bump, new_id};

struct JobState {
    spec: JobSpec,
    schedule: Schedule,
    defined_at: Timestamp,
    /// The next slot to consider; `None` before the first look.
    next: Option<Timestamp>,
    first: bool,
}

pub(crate) async fn scheduler(inner: Arc<Inner>, exec: Arc<dyn Executor>) {
    let mut stop = inner.stop.subscribe();
    let clock = inner.clock.clone();
    let mut version = u64::MAX;
    let mut states: Vec<JobState> = Vec::new();
    loop {
        if *stop.borrow() {
            return;
        }
        // Registered before the definitions are read, so a change made meanwhile wakes us.
        let changed = inner.defs_changed.notified();
        let defs = inner.defs();
        if defs.version != version {
            version = defs.version;
            let now = clock.now();
            let mut fresh = Vec::with_capacity(defs.jobs.len());
            for (spec, schedule) in &defs.jobs {
                let tz = spec.timezone.clone().unwrap_or_default();
                let defined_at = match inner.store.define_cron(&spec.name, &spec.schedule, &tz, ms(now)).await {
                    Ok(t) => from_ms(t),
                    Err(e) => {
                        tracing::warn!(target: "palbase::queue", job = %spec.name, error = %e.description, "could not record the cron job's definition");
                        now
                    }
                };
                fresh.push(JobState { spec: spec.clone(), schedule: schedule.clone(), defined_at, next: None, first: true });
            }
            states = fresh;
        }
        let now = clock.now();
        for st in &mut states {
            let due = st.first || st.next.is_some_and(|n| n <= now);
            if !due {
                continue;
            }
            let first = std::mem::replace(&mut st.first, false);
            if let Some(latest) = st.schedule.latest_at_or_before(now) {
                let expected = st.next;
                if let Some(n) = expected
                    && latest > n
                {
                    tracing::warn!(target: "palbase::queue", job = %st.spec.name, from = %n, to = %latest, "cron slots were missed; only the latest one is considered");
                }
                let age = now.duration_since(latest);
                let window_ok = age.is_negative() || age.unsigned_abs() <= inner.opts.missed_run_window;
                // On a first look, the latest slot only counts if it is not older than the job.
                let eligible = if first { latest >= st.defined_at } else { expected.is_some_and(|n| latest >= n) };
                if eligible && window_ok {
                    fire(&inner, &exec, &st.spec, Some(latest), now).await;
                } else if eligible {
                    tracing::warn!(target: "palbase::queue", job = %st.spec.name, slot = %latest, "skipping a cron slot older than the missed-run window");
                }
            }
            st.next = st.schedule.next_after(now);
        }
        let until = states.iter().filter_map(|s| s.next).min();
        let sleep = match until {
            Some(t) => clock.sleep_until(t),
            None => Box::pin(std::future::pending()),
        };
        tokio::select! {
            _ = sleep => {}
            _ = changed => {}
            _ = stop.changed() => {}
        }
    }
}

fn timeout_of(inner: &Inner, spec: &JobSpec) -> Duration {
    spec.timeout.unwrap_or(inner.opts.default_timeout)
}

/// Records the slot; if this instance won it and nothing overlaps, starts the run.
async fn fire(inner: &Arc<Inner>, exec: &Arc<dyn Executor>, spec: &JobSpec, slot: Option<Timestamp>, now: Timestamp) {
    if inner.stopping() {
        return;
    }
    let run_id = new_id("run");
    let timeout = timeout_of(inner, spec);
    let lease_until = ms(add(add(now, timeout), inner.opts.lease_margin));
    match inner.store.claim_slot(&spec.name, slot.map(ms), &run_id, ms(now), lease_until, &inner.instance).await {
        Ok(SlotClaim::Run) => {
            bump(&inner.stats.cron_runs, 1);
            inner.load.lock().unwrap_or_else(|p| p.into_inner()).cron += 1;
            let (inner, exec, name) = (inner.clone(), exec.clone(), spec.name.clone());
            tokio::spawn(async move { execute(&inner, &exec, name, run_id, timeout).await });
        }
        Ok(SlotClaim::Skipped) => {
            bump(&inner.stats.cron_skipped, 1);
            tracing::info!(target: "palbase::queue", job = %spec.name, "cron run skipped: the previous run is still running");
        }
        Ok(SlotClaim::Taken) => {}
        Err(e) => tracing::warn!(target: "palbase::queue", job = %spec.name, error = %e.description, "could not record a cron slot"),
    }
}

async fn execute(inner: &Arc<Inner>, exec: &Arc<dyn Executor>, name: String, run_id: String, timeout: Duration) {
    let started = inner.clock.now();
    let task = Task::Job { name: name.clone(), run_id: run_id.clone(), timeout };
    let result = crate::runner::watch(inner, exec, task, started, timeout).await;
    let (ok, error) = match result {
        Ok(()) => (true, None),
        Err(e) => (false, Some(e)),
    };
    if let Some(e) = &error {
        tracing::warn!(target: "palbase::queue", job = %name, run = %run_id, error = %e, "cron run failed");
    }
    let mut tries = 0;
    loop {
        match inner.store.finish_run(&run_id, ok, error.clone(), ms(inner.clock.now())).await {
            Ok(true) => break,
            Ok(false) => {
                tracing::warn!(target: "palbase::queue", job = %name, run = %run_id, "the run's record was closed meanwhile (its lease expired); its result is ignored");
                break;
            }
            Err(e) => {
                tries += 1;
                if tries >= 20 {
                    tracing::error!(target: "palbase::queue", run = %run_id, error = %e.description, "giving up recording a cron run's result");
                    break;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    {
        let mut l = inner.load.lock().unwrap_or_else(|p| p.into_inner());
        l.cron = l.cron.saturating_sub(1);
    }
    inner.idle.notify_waiters();
}

/// [`crate::Queue::run_job_now`].
pub(crate) async fn run_now(inner: Arc<Inner>, name: &str) -> Result<RunRecord, QueueError> {
    let exec = inner.executor.get().cloned().ok_or(QueueError::NotStarted)?;
    let defs = inner.defs();
    let spec = defs.jobs.iter().find(|(j, _)| j.name == name).map(|(j, _)| j.clone()).ok_or_else(|| QueueError::UnknownJob(name.to_owned()))?;
    let run_id = new_id("run");
    let now = inner.clock.now();
    let timeout = timeout_of(&inner, &spec);
    let lease_until = ms(add(add(now, timeout), inner.opts.lease_margin));
    match inner.store.claim_slot(name, None, &run_id, ms(now), lease_until, &inner.instance).await? {
        SlotClaim::Run => {
            bump(&inner.stats.cron_runs, 1);
            inner.load.lock().unwrap_or_else(|p| p.into_inner()).cron += 1;
            execute(&inner, &exec, name.to_owned(), run_id.clone(), timeout).await;
        }
        SlotClaim::Skipped => bump(&inner.stats.cron_skipped, 1),
        SlotClaim::Taken => {}
    }
    let runs = inner.store.runs(Some(name.to_owned()), 50).await?;
    runs.into_iter().find(|r| r.id == run_id).map(RunRecord::from_row).ok_or(QueueError::NotFound(run_id))
}
