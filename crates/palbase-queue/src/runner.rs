//! The moving parts of one instance: pushing (batched inserts), the runner (claims due jobs and
//! runs them), the completer (records results, fenced), heartbeats and housekeeping, and the
//! PostgreSQL LISTEN connection.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use jiff::Timestamp;
use palbase_core::ApiError;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use crate::clock::{add, ms};
use crate::spec::{self, WorkerSpec};
use crate::store::{CHANNEL, Claimed, Failure, NewJob};
use crate::{Executor, Inner, JobFailure, NativeTask, Task, bump, new_id};

/// Longest error message kept per attempt.
const MAX_ERROR_BYTES: usize = 8 * 1024;
/// Most pushes inserted by one statement.
const PUSH_BATCH: usize = 500;
/// Most results recorded by one round trip.
const FINISH_BATCH: usize = 1000;

// ---------------------------------------------------------------------------------------------
// Pushing

pub(crate) struct PushReq {
    job: NewJob,
    reply: oneshot::Sender<Result<(), ApiError>>,
}

pub(crate) fn unknown_worker(name: &str, known: &[&str]) -> ApiError {
    let hint = if known.is_empty() {
        "no workers are defined".to_owned()
    } else {
        let mut k: Vec<&str> = known.to_vec();
        k.sort_unstable();
        format!("defined workers: {}", k.join(", "))
    };
    ApiError::bad_request("unknown_worker", format!("Queue.push: no worker named `{name}` (define one in workers/ with defineWorker({{ name: \"{name}\" }}); {hint})")).with_data(json!({ "name": name }))
}

pub(crate) async fn push(inner: &Arc<Inner>, request_id: Option<&str>, name: &str, payload: Value) -> Result<String, ApiError> {
    let defs = inner.defs();
    let Some(w) = defs.workers.get(name) else {
        let known: Vec<&str> = defs.workers.keys().map(String::as_str).collect();
        return Err(unknown_worker(name, &known));
    };
    let text = serde_json::to_string(&payload).map_err(|_| ApiError::bad_request("invalid_payload", "Queue.push: the payload is not JSON"))?;
    let limit = inner.opts.max_payload_bytes;
    if text.len() > limit {
        return Err(ApiError::new(413, "payload_too_large", format!("Queue.push: the payload is {} bytes of JSON; the limit is {limit}", text.len())).with_data(json!({ "size": text.len(), "limit": limit })));
    }
    let id = new_id("job");
    let job = NewJob { id: id.clone(), name: name.to_owned(), payload: text, max_attempts: w.max_attempts() as i32, ordering_key: None };
    let now = ms(inner.clock.now());
    if let Some(req) = request_id
        && inner.store.db.has_open_transaction(req)
    {
        let weak = Arc::downgrade(inner);
        let n = name.to_owned();
        let wake: palbase_db::OnCommit = Box::new(move || {
            if let Some(i) = weak.upgrade() {
                i.wake.name(&n);
            }
        });
        if inner.store.insert_in_request_tx(req, job.clone(), now, wake).await? {
            bump(&inner.stats.pushed, 1);
            return Ok(id);
        }
        // The transaction ended meanwhile: an ordinary push.
    }
    let (reply, rx) = oneshot::channel();
    inner.push_tx.send(PushReq { job, reply }).map_err(|_| ApiError::new(503, "queue_unavailable", "The queue is shutting down"))?;
    rx.await.map_err(|_| ApiError::new(503, "queue_unavailable", "The queue is shutting down"))??;
    bump(&inner.stats.pushed, 1);
    Ok(id)
}

/// Inserts pushes made outside transactions, several per statement when they arrive together
/// (each caller still waits for its own commit).
pub(crate) async fn pusher(inner: Arc<Inner>, mut rx: mpsc::UnboundedReceiver<PushReq>) {
    let parallel = if inner.store.kind == palbase_db::BackendKind::Postgres { 2 } else { 1 };
    let permits = Arc::new(tokio::sync::Semaphore::new(parallel));
    while let Some(first) = rx.recv().await {
        let Ok(permit) = permits.clone().acquire_owned().await else { return };
        let mut batch = vec![first];
        while batch.len() < PUSH_BATCH {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let inner = inner.clone();
        tokio::spawn(async move {
            let now = ms(inner.clock.now());
            let mut names: HashSet<String> = HashSet::new();
            let mut jobs = Vec::with_capacity(batch.len());
            let mut replies = Vec::with_capacity(batch.len());
            for r in batch {
                names.insert(r.job.name.clone());
                jobs.push(r.job);
                replies.push(r.reply);
            }
            let result = inner.store.insert(jobs, now).await;
            drop(permit);
            if result.is_ok() {
                for n in &names {
                    inner.wake.name(n);
                }
            }
            for r in replies {
                let _ = r.send(result.clone());
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Running

impl Inner {
    fn concurrency(&self, w: &WorkerSpec) -> u32 {
        w.concurrency.unwrap_or(self.opts.default_concurrency).max(1)
    }

    fn timeout(&self, t: Option<Duration>) -> Duration {
        t.unwrap_or(self.opts.default_timeout)
    }

    fn free_slots(&self, name: &str, per_worker: u32) -> u32 {
        let l = self.load.lock().unwrap_or_else(|p| p.into_inner());
        let used = l.by_name.get(name).copied().unwrap_or(0);
        per_worker.saturating_sub(used).min(self.opts.max_concurrency.saturating_sub(l.total))
    }

    fn reserve(&self, name: &str, n: u32) {
        let mut l = self.load.lock().unwrap_or_else(|p| p.into_inner());
        *l.by_name.entry(name.to_owned()).or_default() += n;
        l.total += n;
    }

    fn release(&self, name: &str) {
        {
            let mut l = self.load.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(c) = l.by_name.get_mut(name) {
                *c = c.saturating_sub(1);
            }
            l.total = l.total.saturating_sub(1);
        }
        self.wake.notify.notify_one();
        self.idle.notify_waiters();
    }

    fn send(&self, o: Outcome) {
        if let Some(tx) = self.done_tx.get() {
            let _ = tx.send(o);
        }
    }
}

/// Claims due jobs for every worker with free slots and starts them; sleeps until a wake-up,
/// a timer, or the poll interval.
pub(crate) async fn runner(inner: Arc<Inner>, exec: Arc<dyn Executor>) {
    let mut stop = inner.stop.subscribe();
    let clock = inner.clock.clone();
    // Workers whose last claim was full (more may be due) or that had no free slot.
    let mut more: HashSet<String> = HashSet::new();
    let mut next_poll = clock.now();
    let mut failures = 0u32;
    loop {
        if *stop.borrow() {
            return;
        }
        let defs = inner.defs();
        let now = clock.now();
        let poll = now >= next_poll || inner.wake.all.swap(false, std::sync::atomic::Ordering::Relaxed);
        let mut names: HashSet<String> = std::mem::take(&mut *inner.wake.dirty.lock().unwrap_or_else(|p| p.into_inner()));
        {
            let mut timers = inner.wake.timers.lock().unwrap_or_else(|p| p.into_inner());
            let later = timers.split_off(&add(now, Duration::from_millis(1)));
            for (_, set) in std::mem::replace(&mut *timers, later) {
                names.extend(set);
            }
        }
        if poll {
            next_poll = add(now, inner.opts.poll_interval);
            names.extend(defs.workers.keys().cloned());
        }
        names.extend(more.drain());
        let mut errored = false;
        let mut names: Vec<String> = names.into_iter().filter(|n| defs.workers.contains_key(n)).collect();
        fastrand::shuffle(&mut names);
        for name in names {
            let w = &defs.workers[&name];
            let free = inner.free_slots(&name, inner.concurrency(w));
            if free == 0 {
                more.insert(name);
                continue;
            }
            let want = free.min(inner.opts.claim_batch);
            let timeout = inner.timeout(w.timeout);
            let lease_until = ms(add(add(now, timeout), inner.opts.lease_margin));
            match inner.store.claim(&name, want, ms(now), lease_until, &inner.instance).await {
                Ok(jobs) => {
                    failures = 0;
                    if jobs.len() as u32 == want {
                        more.insert(name.clone());
                    }
                    if jobs.is_empty() {
                        continue;
                    }
                    bump(&inner.stats.claimed, jobs.len() as u64);
                    inner.reserve(&name, jobs.len() as u32);
                    for job in jobs {
                        tokio::spawn(run_job(inner.clone(), exec.clone(), name.clone(), job, now));
                    }
                }
                Err(e) => {
                    tracing::warn!(target: "palbase::queue", worker = %name, error = %e.description, "claiming jobs failed; retrying");
                    errored = true;
                    break;
                }
            }
        }
        if errored {
            // The database is unreachable or failing: back off (real time), then poll again.
            failures = (failures + 1).min(5);
            next_poll = clock.now();
            more.clear();
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(200 << failures)) => {}
                _ = stop.changed() => {}
            }
            continue;
        }
        // Claim again at once for workers that may have more due jobs and have room.
        let ready = more.iter().any(|n| defs.workers.get(n).is_some_and(|w| inner.free_slots(n, inner.concurrency(w)) > 0));
        if ready {
            tokio::task::yield_now().await;
            continue;
        }
        let timer = inner.wake.timers.lock().unwrap_or_else(|p| p.into_inner()).keys().next().copied();
        let until = timer.map_or(next_poll, |t| t.min(next_poll));
        tokio::select! {
            _ = inner.wake.notify.notified() => {}
            _ = clock.sleep_until(until) => {}
            _ = stop.changed() => {}
        }
    }
}

fn truncate(mut s: String) -> String {
    if s.len() > MAX_ERROR_BYTES {
        let mut cut = MAX_ERROR_BYTES;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str(" …(truncated)");
    }
    s
}

fn error_entry(attempt: u32, at: Timestamp, error: &str) -> Value {
    json!({ "attempt": attempt, "at": at.to_string(), "error": error })
}

/// Runs one claimed job and reports its outcome.
async fn run_job(inner: Arc<Inner>, exec: Arc<dyn Executor>, name: String, job: Claimed, claimed_at: Timestamp) {
    let defs = inner.defs();
    let spec = defs.workers.get(&name).cloned().unwrap_or_else(|| WorkerSpec::new(&name));
    let max_attempts = if defs.workers.contains_key(&name) { spec.max_attempts() } else { job.max_attempts.max(1) };
    let timeout = inner.timeout(spec.timeout);
    if job.reclaimed {
        bump(&inner.stats.reclaimed, 1);
        let prev = job.attempt.saturating_sub(1);
        let msg = format!("lease expired: attempt {prev} did not report a result (its instance stopped, crashed, or took longer than its lease)");
        tracing::warn!(target: "palbase::queue", job = %job.id, worker = %name, "{msg}");
        let entry = error_entry(prev, claimed_at, &msg);
        if job.attempt > max_attempts {
            // Its attempts are used up: dead, without running again.
            bump(&inner.stats.dead, 1);
            inner.release(&name);
            inner.send(Outcome::Failed { name, failure: Failure { id: job.id, token: job.token, retry_at: None, error: msg, entry, attempt_adjust: 1 } });
            return;
        }
        if let Err(e) = inner.store.note_error(&job.id, job.token, &msg, entry, ms(claimed_at)).await {
            tracing::warn!(target: "palbase::queue", job = %job.id, error = %e.description, "could not record the expired lease");
        }
    }
    let payload: Value = serde_json::from_str(&job.payload).unwrap_or(Value::Null);
    let started = inner.clock.now();
    let result = match defs.natives.get(&name) {
        // A native worker (a Rust service's): run here, not through the executor.
        Some(h) => {
            let task = NativeTask { name: name.clone(), payload, job_id: job.id.clone(), attempt: job.attempt, max_attempts, timeout };
            let h = h.clone();
            let fut = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h.run(task)));
            match fut {
                Ok(f) => watch_future(&inner, f, started, timeout).await,
                Err(_) => Err(JobFailure::from("the handler crashed (native worker panic)".to_owned())),
            }
        }
        None => {
            let task = Task::Worker { name: name.clone(), payload, job_id: job.id.clone(), attempt: job.attempt, timeout };
            watch(&inner, &exec, task, started, timeout).await.map_err(JobFailure::from)
        }
    };
    inner.release(&name);
    match result {
        Ok(()) => inner.send(Outcome::Done { id: job.id, token: job.token }),
        Err(failure) => {
            let now = inner.clock.now();
            let (e, after, permanent) = match failure {
                JobFailure::Retry { error, after } => (error, after, false),
                JobFailure::Permanent { error } => (error, None, true),
            };
            let error = truncate(e);
            let entry = error_entry(job.attempt, now, &error);
            let retry_at = if job.attempt < max_attempts && !permanent {
                let d = match after {
                    Some(d) => d.min(inner.opts.backoff_cap),
                    None => spec::jittered(spec.backoff.delay(job.attempt, inner.opts.backoff_base, inner.opts.backoff_cap), inner.opts.backoff_jitter, fastrand::f64()),
                };
                Some(ms(add(now, d)))
            } else {
                None
            };
            bump(&inner.stats.failed, 1);
            if retry_at.is_none() {
                bump(&inner.stats.dead, 1);
            }
            tracing::debug!(target: "palbase::queue", job = %job.id, worker = %name, attempt = job.attempt, error = %error, "attempt failed");
            inner.send(Outcome::Failed { name, failure: Failure { id: job.id, token: job.token, retry_at, error, entry, attempt_adjust: 0 } });
        }
    }
}

/// Awaits a handler, for at most `timeout + watchdog_grace`; a panic or an executor that never
/// returns counts as a failed attempt.
pub(crate) async fn watch(inner: &Inner, exec: &Arc<dyn Executor>, task: Task, started: Timestamp, timeout: Duration) -> Result<(), String> {
    // An executor that panics while starting the task fails the attempt, not the runner.
    let fut = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| exec.run(task))) {
        Ok(f) => f,
        Err(_) => return Err("the handler crashed (executor panic)".to_owned()),
    };
    watch_future(inner, fut, started, timeout).await.map_err(|f| f.message().to_owned())
}

/// [`watch`] for any handler's future.
async fn watch_future<E: Into<JobFailure> + Send + 'static>(inner: &Inner, fut: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), E>> + Send>>, started: Timestamp, timeout: Duration) -> Result<(), JobFailure> {
    let fut = async move { fut.await.map_err(Into::into) };
    let mut handle = tokio::spawn(fut);
    let deadline = add(add(started, timeout), inner.opts.watchdog_grace);
    tokio::select! {
        r = &mut handle => match r {
            Ok(r) => r,
            Err(e) if e.is_panic() => Err("the handler crashed (executor panic)".to_owned().into()),
            Err(_) => Err("the handler was cancelled".to_owned().into()),
        },
        _ = inner.clock.sleep_until(deadline) => {
            handle.abort();
            Err(format!("timed out: the handler did not finish within its {}s timeout", timeout.as_secs_f64()).into())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Recording results

pub(crate) enum Outcome {
    Done { id: String, token: i64 },
    Failed { name: String, failure: Failure },
    Flush(oneshot::Sender<()>),
}

/// Records results in batches. A result whose token no longer matches (another attempt took
/// the job over) changes nothing and is counted as fenced.
pub(crate) async fn completer(inner: Arc<Inner>, mut rx: mpsc::UnboundedReceiver<Outcome>) {
    while let Some(first) = rx.recv().await {
        let mut done = Vec::new();
        let mut failed = Vec::new();
        let mut flushes = Vec::new();
        let mut take = |o: Outcome| match o {
            Outcome::Done { id, token } => done.push((id, token)),
            Outcome::Failed { name, failure } => failed.push((name, failure)),
            Outcome::Flush(tx) => flushes.push(tx),
        };
        take(first);
        let mut n = 1;
        while n < FINISH_BATCH {
            match rx.try_recv() {
                Ok(o) => {
                    take(o);
                    n += 1;
                }
                Err(_) => break,
            }
        }
        if !done.is_empty() || !failed.is_empty() {
            record(&inner, done, failed).await;
        }
        for f in flushes {
            let _ = f.send(());
        }
    }
}

async fn record(inner: &Arc<Inner>, done: Vec<(String, i64)>, failed: Vec<(String, Failure)>) {
    let total = done.len() + failed.len();
    let wakes: Vec<(String, String, Option<i64>)> = failed.iter().map(|(n, f)| (f.id.clone(), n.clone(), f.retry_at)).collect();
    let failures: Vec<Failure> = failed.into_iter().map(|(_, f)| f).collect();
    let mut tries = 0u32;
    loop {
        let now = ms(inner.clock.now());
        match inner.store.finish(done.clone(), failures.clone(), now).await {
            Ok(changed) => {
                let changed: HashSet<String> = changed.into_iter().collect();
                let ok_done = done.iter().filter(|(id, _)| changed.contains(id)).count();
                bump(&inner.stats.succeeded, ok_done as u64);
                let fenced = total - changed.len();
                if fenced > 0 {
                    bump(&inner.stats.fenced, fenced as u64);
                    for (id, _) in done.iter().filter(|(id, _)| !changed.contains(id)) {
                        tracing::warn!(target: "palbase::queue", job = %id, "a late result was ignored: another attempt took the job over after this one's lease ended");
                    }
                    for f in failures.iter().filter(|f| !changed.contains(&f.id)) {
                        tracing::warn!(target: "palbase::queue", job = %f.id, "a late failure was ignored: another attempt took the job over after this one's lease ended");
                    }
                }
                for (id, name, due) in wakes {
                    if let Some(due) = due
                        && changed.contains(&id)
                    {
                        inner.wake.at(crate::clock::from_ms(due), &name);
                    }
                }
                return;
            }
            Err(e) => {
                tries += 1;
                tracing::warn!(target: "palbase::queue", error = %e.description, tries, "recording job results failed; retrying");
                // Leases bound how long this matters: past them, another attempt runs anyway.
                if tries >= 30 {
                    tracing::error!(target: "palbase::queue", results = total, "giving up recording job results; their jobs will run again when their leases end");
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100 * u64::from(tries.min(10)))).await;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Heartbeats, housekeeping, LISTEN, shutdown

fn instance_info() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_default();
    format!("pid {} {host}", std::process::id()).trim().to_owned()
}

/// Heartbeats (and taking back the work of instances that stopped), and deleting old rows.
pub(crate) async fn maintenance(inner: Arc<Inner>) {
    let mut stop = inner.stop.subscribe();
    let clock = inner.clock.clone();
    let info = instance_info();
    const PRUNE_EVERY: Duration = Duration::from_secs(60);
    let mut next_prune = clock.now();
    loop {
        if *stop.borrow() {
            return;
        }
        let now = clock.now();
        let stale = inner.opts.instance_dead_after.map(|d| ms(now) - d.as_millis() as i64);
        match inner.store.heartbeat(&inner.instance, &info, ms(now), stale).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::warn!(target: "palbase::queue", jobs = n, "took back jobs of instances that stopped sending heartbeats");
                inner.wake.all();
            }
            Err(e) => tracing::warn!(target: "palbase::queue", error = %e.description, "heartbeat failed"),
        }
        if now >= next_prune {
            next_prune = add(now, PRUNE_EVERY);
            let jobs_before = ms(now) - inner.opts.completed_retention.as_millis() as i64;
            let runs_before = ms(now) - inner.opts.history_retention.as_millis() as i64;
            match inner.store.prune(jobs_before, runs_before, 10_000).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(target: "palbase::queue", rows = n, "deleted old finished jobs and run records"),
                Err(e) => tracing::warn!(target: "palbase::queue", error = %e.description, "pruning failed"),
            }
        }
        tokio::select! {
            _ = clock.sleep_until(add(now, inner.opts.heartbeat_interval)) => {}
            _ = stop.changed() => {}
        }
    }
}

/// PostgreSQL: a dedicated connection LISTENs for pushes (the payload is the worker name);
/// a NOTIFY sent inside a transaction arrives when it commits. Reconnects on failure.
pub(crate) async fn listen(inner: Arc<Inner>, cfg: tokio_postgres::Config) {
    let mut stop = inner.stop.subscribe();
    let mut delay = Duration::from_millis(250);
    loop {
        if *stop.borrow() {
            return;
        }
        match cfg.connect(tokio_postgres::NoTls).await {
            Ok((client, mut conn)) => {
                let (tx, mut rx) = mpsc::unbounded_channel::<String>();
                let driver = tokio::spawn(async move {
                    let mut messages = futures::stream::poll_fn(move |cx| conn.poll_message(cx));
                    while let Some(m) = messages.next().await {
                        match m {
                            Ok(tokio_postgres::AsyncMessage::Notification(n)) => {
                                if tx.send(n.payload().to_owned()).is_err() {
                                    return;
                                }
                            }
                            Ok(_) => {}
                            Err(e) => {
                                tracing::warn!(target: "palbase::queue", error = %e, "the LISTEN connection failed");
                                return;
                            }
                        }
                    }
                });
                if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")).await {
                    tracing::warn!(target: "palbase::queue", error = %e, "LISTEN failed");
                    driver.abort();
                } else {
                    delay = Duration::from_millis(250);
                    // Pushes made while no connection listened are found by this poll.
                    inner.wake.all();
                    loop {
                        tokio::select! {
                            m = rx.recv() => match m {
                                Some(name) => inner.wake.name(&name),
                                None => break,
                            },
                            _ = stop.changed() => {
                                driver.abort();
                                return;
                            }
                        }
                    }
                }
                drop(client);
            }
            Err(e) => tracing::warn!(target: "palbase::queue", error = %e, "cannot open the LISTEN connection; polling meanwhile"),
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = stop.changed() => return,
        }
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}

pub(crate) async fn shutdown(inner: Arc<Inner>, grace: Duration) {
    let _ = inner.stop.send(true);
    let deadline = tokio::time::Instant::now() + grace;
    loop {
        let idle = inner.idle.notified();
        let busy = {
            let l = inner.load.lock().unwrap_or_else(|p| p.into_inner());
            l.total + l.cron
        };
        if busy == 0 {
            break;
        }
        if tokio::time::timeout_at(deadline, idle).await.is_err() {
            tracing::warn!(target: "palbase::queue", running = busy, "shutting down with handlers still running; their jobs stay leased and will be taken over");
            break;
        }
    }
    // Record what finished.
    if let Some(tx) = inner.done_tx.get() {
        let (ack, rx) = oneshot::channel();
        if tx.send(Outcome::Flush(ack)).is_ok() {
            let _ = tokio::time::timeout(Duration::from_secs(10), rx).await;
        }
    }
}
