//! One suite, run against both backends: `cargo test -p palbase-queue` (the PostgreSQL half and
//! when it is skipped: palbase-testkit's crate docs).

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use palbase_queue::{Backoff, JobFailure, JobSpec, JobStatus, ListFilter, ManualClock, NativeHandler, NativeTask, QueueError, QueueOptions, RunStatus, Task, WorkerSpec};
use serde_json::{Value, json};

palbase_testkit::db_suite!(
    push_is_durable_and_returns_an_id,
    push_errors,
    transactional_push_rolls_back_1000_times,
    transactional_push_commits_and_runs,
    pick_up_latency,
    retries_follow_the_backoff_then_dead,
    lease_expiry_redelivers,
    watchdog_fails_an_executor_that_never_returns,
    executor_panics_fail_the_attempt,
    late_results_are_fenced,
    two_instances_share_2000_jobs,
    cron_runs_once_per_tick_across_instances,
    cron_overlap_is_skipped,
    cron_missed_run_policy,
    retry_and_discard,
    shutdown_leaves_unfinished_jobs_claimable,
    heartbeat_takeover,
    definitions_reload,
    native_workers_run_natively_and_say_how_to_retry,
);

fn push_is_durable_and_returns_an_id(kind: Kind) {
    let h = Harness::new(kind);
    let q = h.queue(QueueOptions::default());
    q.set_definitions(vec![worker("send-email")], vec![]);
    let reg = h.registry(&q);
    let payload = json!({"to": "a@example.com", "n": 1, "nested": {"z": 1, "a": [1, 2]}});
    let r = h.call(&reg, Some("req_1"), "queue.push", json!({"name": "send-email", "payload": payload})).unwrap();
    let id = r["jobId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("job_"), "{id}");
    // Durable: another instance (its own connections) sees it at once, payload intact.
    let other = h.queue_instance(QueueOptions::default());
    let j = h.job(&other, &id);
    assert_eq!(j.status, JobStatus::Queued);
    assert_eq!(j.name, "send-email");
    assert_eq!(j.payload, payload);
    assert_eq!(j.payload.to_string(), payload.to_string(), "key order is kept");
    assert_eq!((j.attempts, j.max_attempts), (0, 4));
    // No payload → null.
    let r = h.call(&reg, Some("req_2"), "queue.push", json!({"name": "send-email"})).unwrap();
    assert_eq!(h.job(&q, r["jobId"].as_str().unwrap()).payload, Value::Null);
    assert_eq!(q.stats().pushed, 2);
}

fn push_errors(kind: Kind) {
    let h = Harness::new(kind);
    let opts = QueueOptions { max_payload_bytes: 1000, ..Default::default() };
    let q = h.queue(opts);
    q.set_definitions(vec![worker("a"), worker("b")], vec![]);
    let reg = h.registry(&q);
    let e = h.call(&reg, Some("r"), "queue.push", json!({"name": "nope", "payload": {}})).unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (400, "unknown_worker"));
    assert!(e.description.contains("`nope`") && e.description.contains("a, b"), "{}", e.description);
    assert_eq!(e.data, Some(json!({"name": "nope"})));
    let big = "x".repeat(1000);
    let e = h.call(&reg, Some("r"), "queue.push", json!({"name": "a", "payload": big})).unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (413, "payload_too_large"));
    // Exactly at the limit is fine (998 characters + 2 quotes).
    h.call(&reg, Some("r"), "queue.push", json!({"name": "a", "payload": "x".repeat(998)})).unwrap();
    for bad in [json!({"payload": 1}), json!({"name": 3}), json!({"name": ""}), json!([1])] {
        let e = h.call(&reg, Some("r"), "queue.push", bad.clone()).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "invalid_arguments"), "{bad}");
    }
    assert_eq!(h.count(&q), 1, "nothing else was queued");
}

fn transactional_push_rolls_back_1000_times(kind: Kind) {
    let h = Harness::new(kind);
    h.migrate(&effects_schema());
    let q = h.queue(QueueOptions::default());
    q.set_definitions(vec![worker("w")], vec![]);
    let exec = Exec::ok();
    q.start(exec.clone());
    let reg = h.registry(&q);
    let t0 = Instant::now();
    for i in 0..1000 {
        let req = format!("req_{i}");
        let tx = h.call(&reg, Some(&req), "db.begin", json!({})).unwrap()["tx"].clone();
        h.call(&reg, Some(&req), "db.insert", json!({"table": "notes", "data": {"id": format!("n{i}"), "body": "x"}, "tx": tx})).unwrap();
        h.call(&reg, Some(&req), "queue.push", json!({"name": "w", "payload": {"i": i}})).unwrap();
        // The handler threw: the transaction rolls back.
        h.call(&reg, Some(&req), "db.rollback", json!({"tx": tx})).unwrap();
    }
    let took = t0.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(h.count(&q), 0, "a rolled-back push left a job");
    assert_eq!(exec.count(), 0, "a rolled-back job ran");
    let notes = h.call(&reg, None, "db.query", json!({"sql": "SELECT count(*) AS n FROM notes"})).unwrap();
    assert_eq!(notes[0]["n"], json!(0));
    eprintln!("[{kind:?}] 1000 transactions with a push rolled back in {took:?}: 0 jobs");
}

fn transactional_push_commits_and_runs(kind: Kind) {
    let h = Harness::new(kind);
    h.migrate(&effects_schema());
    let q = h.queue(QueueOptions::default());
    q.set_definitions(vec![worker("w")], vec![]);
    let exec = Exec::ok();
    q.start(exec.clone());
    let reg = h.registry(&q);
    let tx = h.call(&reg, Some("req_c"), "db.begin", json!({})).unwrap()["tx"].clone();
    h.call(&reg, Some("req_c"), "db.insert", json!({"table": "notes", "data": {"id": "n1", "body": "x"}, "tx": tx})).unwrap();
    let id = h.call(&reg, Some("req_c"), "queue.push", json!({"name": "w", "payload": 1})).unwrap()["jobId"].as_str().unwrap().to_owned();
    // Not visible, not run, before the commit (the poll runs meanwhile).
    std::thread::sleep(Duration::from_millis(1300));
    assert_eq!(exec.count(), 0, "a job ran before its transaction committed");
    if kind == Kind::Postgres {
        // SQLite readers would wait for the writer the transaction holds.
        assert_eq!(h.count(&q), 0);
    }
    let committed = Instant::now();
    h.call(&reg, Some("req_c"), "db.commit", json!({"tx": tx})).unwrap();
    wait_for("the committed job to run", Duration::from_secs(5), || exec.count() == 1);
    let latency = committed.elapsed();
    wait_for("completion", Duration::from_secs(5), || h.job(&q, &id).status == JobStatus::Completed);
    eprintln!("[{kind:?}] commit → handler start: {latency:?}");
    assert!(latency < Duration::from_millis(500), "{latency:?}: the commit should wake the runner");
    // A push from a request with no transaction is its own commit.
    let id2 = h.call(&reg, Some("req_d"), "queue.push", json!({"name": "w", "payload": 2})).unwrap()["jobId"].clone();
    wait_for("the second job", Duration::from_secs(5), || exec.count() == 2);
    assert!(matches!(&exec.tasks()[1], Task::Worker { job_id, .. } if *job_id == id2));
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn pick_up_latency(kind: Kind) {
    let h = Harness::new(kind);
    let q = h.queue(QueueOptions::default());
    q.set_definitions(vec![worker("w")], vec![]);
    let (tx, rx) = std::sync::mpsc::channel::<Instant>();
    let tx = Mutex::new(tx);
    q.start(Exec::new(move |_| {
        let _ = tx.lock().unwrap().send(Instant::now());
        Box::pin(async { Ok(()) })
    }));
    let mut push_lat = Vec::new();
    let mut pick = Vec::new();
    for i in 0..200 {
        let t0 = Instant::now();
        h.block(q.push(None, "w", json!({"i": i}))).unwrap();
        let pushed = Instant::now();
        push_lat.push(pushed - t0);
        let started = rx.recv_timeout(Duration::from_secs(5)).expect("the job ran");
        pick.push(started.saturating_duration_since(pushed));
    }
    push_lat.sort();
    pick.sort();
    eprintln!(
        "[{kind:?}] push latency p50 {:?} p99 {:?}; push resolved → handler start p50 {:?} p99 {:?} max {:?}",
        percentile(&push_lat, 0.5),
        percentile(&push_lat, 0.99),
        percentile(&pick, 0.5),
        percentile(&pick, 0.99),
        pick[pick.len() - 1]
    );
    assert!(percentile(&pick, 0.5) < Duration::from_millis(50), "picked up within tens of milliseconds");
}

/// Test 3: an always-failing job under each backoff kind, on a fake clock.
fn retries_follow_the_backoff_then_dead(kind: Kind) {
    let h = Harness::new(kind);
    let clock = ManualClock::new(ts("2026-03-01T12:00:00Z"));
    let q = h.queue(fake_opts(clock.clone()));
    let mut workers = Vec::new();
    for (name, b) in [("exp", Backoff::Exponential), ("lin", Backoff::Linear), ("fix", Backoff::Fixed)] {
        let mut w = worker(name);
        w.backoff = b;
        w.retry = 4;
        workers.push(w);
    }
    q.set_definitions(workers, vec![]);
    let exec = Exec::failing();
    q.start(exec.clone());
    let base = 5.0;
    for (name, b) in [("exp", Backoff::Exponential), ("lin", Backoff::Linear), ("fix", Backoff::Fixed)] {
        let id = h.block(q.push(None, name, json!({"k": name}))).unwrap();
        for attempt in 1..=5u32 {
            wait_for(&format!("{name} attempt {attempt} recorded"), Duration::from_secs(10), || h.job(&q, &id).errors.len() == attempt as usize);
            let j = h.job(&q, &id);
            assert_eq!(j.attempts, attempt);
            let e = &j.errors[attempt as usize - 1];
            assert_eq!((e.attempt, e.error.as_str()), (attempt, format!("boom {attempt}").as_str()));
            if attempt == 5 {
                assert_eq!(j.status, JobStatus::Dead, "after retry=4 (5 attempts) the job is dead");
                assert!(j.run_at.is_none());
                break;
            }
            assert_eq!(j.status, JobStatus::Queued);
            let run_at = j.run_at.expect("a retry time");
            let delay = run_at.duration_since(e.at).as_secs_f64();
            let expected = match b {
                Backoff::Exponential => base * 2f64.powi(attempt as i32 - 1),
                Backoff::Linear => base * attempt as f64,
                Backoff::Fixed => base,
            };
            assert!(delay >= expected * 0.9 - 0.001 && delay <= expected * 1.1 + 0.001, "{name} attempt {attempt}: delay {delay}s, expected {expected}s ±10%");
            // Not before its time …
            clock.set(run_at.checked_sub(jiff::SignedDuration::from_millis(1)).unwrap());
            std::thread::sleep(Duration::from_millis(100));
            assert_eq!(h.job(&q, &id).attempts, attempt, "{name}: ran before its retry time");
            // … and at it.
            clock.set(run_at);
        }
        let j = h.job(&q, &id);
        let msgs: Vec<&str> = j.errors.iter().map(|e| e.error.as_str()).collect();
        assert_eq!(msgs, ["boom 1", "boom 2", "boom 3", "boom 4", "boom 5"], "{name}: every error is kept");
        assert_eq!(j.last_error.as_deref(), Some("boom 5"));
        assert!(j.finished_at.is_some());
    }
    let dead = h.jobs(&q, ListFilter { status: Some(JobStatus::Dead), ..Default::default() });
    assert_eq!(dead.len(), 3);
    assert_eq!(exec.count(), 15);
    let s = q.stats();
    assert_eq!((s.failed, s.dead, s.succeeded), (15, 3, 0));
}

/// A claimed job whose instance died (its executor never returned) runs again once the lease
/// has expired, and the lost attempt is in its history.
fn lease_expiry_redelivers(kind: Kind) {
    let h = Harness::new(kind);
    let clock = ManualClock::new(ts("2026-03-01T12:00:00Z"));
    let mut w = worker("w");
    w.timeout = Some(Duration::from_secs(10));
    let a = h.queue(fake_opts(clock.clone()));
    a.set_definitions(vec![w.clone()], vec![]);
    let stuck = Exec::stuck();
    a.start(stuck.clone());
    let id = h.block(a.push(None, "w", json!(1))).unwrap();
    wait_for("instance A to claim", Duration::from_secs(5), || stuck.count() == 1);
    let j = h.job(&a, &id);
    assert_eq!(j.status, JobStatus::Running);
    assert_eq!(j.locked_by.as_deref(), Some(a.instance_id()));
    // lease = timeout 10 s + margin 5 s
    assert_eq!(j.lease_until.unwrap().duration_since(j.started_at.unwrap()).as_secs(), 15);
    drop(a); // killed: nothing of it runs any more
    let b = h.queue_instance(fake_opts(clock.clone()));
    b.set_definitions(vec![w], vec![]);
    let ok = Exec::ok();
    b.start(ok.clone());
    std::thread::sleep(Duration::from_millis(200));
    clock.advance(Duration::from_secs(14));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(ok.count(), 0, "taken before the lease ended");
    clock.advance(Duration::from_secs(1));
    wait_for("B to take the job over", Duration::from_secs(5), || ok.count() == 1);
    assert!(matches!(&ok.tasks()[0], Task::Worker { attempt: 2, .. }));
    wait_for("completion", Duration::from_secs(5), || h.job(&b, &id).status == JobStatus::Completed);
    let j = h.job(&b, &id);
    assert_eq!(j.attempts, 2);
    assert_eq!(j.errors.len(), 1);
    assert_eq!(j.errors[0].attempt, 1);
    assert!(j.errors[0].error.starts_with("lease expired"), "{}", j.errors[0].error);
    assert_eq!(b.stats().reclaimed, 1);
}

fn watchdog_fails_an_executor_that_never_returns(kind: Kind) {
    let h = Harness::new(kind);
    let clock = ManualClock::new(ts("2026-03-01T12:00:00Z"));
    let q = h.queue(fake_opts(clock.clone()));
    let mut w = worker("w");
    w.timeout = Some(Duration::from_secs(10));
    w.retry = 0;
    q.set_definitions(vec![w], vec![]);
    let stuck = Exec::stuck();
    q.start(stuck.clone());
    let id = h.block(q.push(None, "w", json!(1))).unwrap();
    wait_for("claim", Duration::from_secs(5), || stuck.count() == 1);
    std::thread::sleep(Duration::from_millis(100));
    clock.advance(Duration::from_secs(12)); // timeout + watchdog grace (2 s)
    wait_for("the attempt to fail", Duration::from_secs(5), || h.job(&q, &id).status == JobStatus::Dead);
    let j = h.job(&q, &id);
    assert!(j.errors[0].error.starts_with("timed out"), "{:?}", j.errors);
    assert_eq!(q.running(), 0, "the slot is free again");
}

fn executor_panics_fail_the_attempt(kind: Kind) {
    let h = Harness::new(kind);
    let q = h.queue(QueueOptions::default());
    let mut w = worker("w");
    w.retry = 0;
    q.set_definitions(vec![w], vec![]);
    // One panics while starting the task, the other inside its future.
    q.start(Exec::new(|t| {
        let Task::Worker { payload, .. } = t else { unreachable!() };
        if payload == json!("sync") {
            panic!("executor bug");
        }
        Box::pin(async move { panic!("handler bug") })
    }));
    let a = h.block(q.push(None, "w", json!("sync"))).unwrap();
    let b = h.block(q.push(None, "w", json!("async"))).unwrap();
    for id in [a, b] {
        wait_for("dead", Duration::from_secs(5), || h.job(&q, &id).status == JobStatus::Dead);
        assert_eq!(h.job(&q, &id).last_error.as_deref(), Some("the handler crashed (executor panic)"));
    }
    assert_eq!(q.running(), 0);
}

/// Test 5: an instance paused past its lease (its clock stands still, as a SIGSTOPped process's
/// does) resumes and reports; its report is ignored because another instance took the job.
fn late_results_are_fenced(kind: Kind) {
    let h = Harness::new(kind);
    let paused_clock = ManualClock::new(ts("2026-03-01T12:00:00Z"));
    let live_clock = ManualClock::new(ts("2026-03-01T12:00:00Z"));
    let mut w = worker("w");
    w.timeout = Some(Duration::from_secs(10));
    w.retry = 1;
    let a = h.queue(fake_opts(paused_clock.clone()));
    a.set_definitions(vec![w.clone()], vec![]);
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let g = gate.clone();
    // A: its handlers wait at the gate, then succeed (job 1) or fail (job 2).
    let exec_a = Exec::new(move |t| {
        let g = g.clone();
        Box::pin(async move {
            let _p = g.acquire().await.unwrap();
            match t {
                Task::Worker { payload, .. } if payload == json!(2) => Err("late failure from A".into()),
                _ => Ok(()),
            }
        })
    });
    a.start(exec_a.clone());
    let id1 = h.block(a.push(None, "w", json!(1))).unwrap();
    let id2 = h.block(a.push(None, "w", json!(2))).unwrap();
    wait_for("A to claim both", Duration::from_secs(5), || exec_a.count() == 2);
    // B sees the leases expire and takes both: job 1 fails for good there, job 2 succeeds.
    let b = h.queue_instance(fake_opts(live_clock.clone()));
    b.set_definitions(vec![w], vec![]);
    let exec_b = Exec::new(|t| {
        Box::pin(async move {
            match t {
                Task::Worker { payload, .. } if payload == json!(1) => Err("B failed it".into()),
                _ => Ok(()),
            }
        })
    });
    b.start(exec_b.clone());
    live_clock.advance(Duration::from_secs(16));
    wait_for("B to take both over", Duration::from_secs(5), || exec_b.count() == 2);
    wait_for("B's results", Duration::from_secs(5), || h.job(&b, &id1).status == JobStatus::Dead && h.job(&b, &id2).status == JobStatus::Completed);
    // A resumes: its success for job 1 and its failure for job 2 arrive late.
    gate.add_permits(2);
    wait_for("A's late results to be refused", Duration::from_secs(5), || a.stats().fenced == 2);
    let j1 = h.job(&b, &id1);
    assert_eq!(j1.status, JobStatus::Dead, "A's late success did not overwrite B's outcome");
    assert_eq!(j1.last_error.as_deref(), Some("B failed it"));
    let j2 = h.job(&b, &id2);
    assert_eq!(j2.status, JobStatus::Completed, "A's late failure did not overwrite B's success");
    assert!(j2.errors.iter().all(|e| e.error != "late failure from A"));
    assert_eq!(a.stats().succeeded, 0);
}

fn two_instances_share_2000_jobs(kind: Kind) {
    let h = Harness::new(kind);
    let runs: Arc<Mutex<HashMap<String, (usize, usize)>>> = Arc::new(Mutex::new(HashMap::new()));
    let mut qs = Vec::new();
    for inst in 0..2 {
        let opts = QueueOptions { default_concurrency: 20, ..Default::default() };
        let q = h.queue_instance(opts);
        q.set_definitions(vec![worker("w")], vec![]);
        let runs = runs.clone();
        q.start(Exec::new(move |t| {
            if let Task::Worker { job_id, .. } = t {
                let mut r = runs.lock().unwrap();
                let e = r.entry(job_id).or_insert((0, inst));
                e.0 += 1;
            }
            Box::pin(async move {
                tokio::time::sleep(Duration::from_micros(fastrand::u64(0..500))).await;
                Ok(())
            })
        }));
        qs.push(q);
    }
    let t0 = Instant::now();
    let pushers: Vec<_> = (0..4)
        .map(|p| {
            let q = qs[p % 2].clone();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                for i in 0..500 {
                    rt.block_on(q.push(None, "w", json!({"p": p, "i": i}))).unwrap();
                }
            })
        })
        .collect();
    for p in pushers {
        p.join().unwrap();
    }
    wait_for("2000 jobs to run", Duration::from_secs(60), || runs.lock().unwrap().len() == 2000);
    let took = t0.elapsed();
    wait_for("2000 completions", Duration::from_secs(30), || h.block(qs[0].counts()).unwrap().get(&JobStatus::Completed).copied() == Some(2000));
    let r = runs.lock().unwrap();
    let doubles = r.values().filter(|(n, _)| *n > 1).count();
    let by0 = r.values().filter(|(_, i)| *i == 0).count();
    eprintln!("[{kind:?}] 2000 jobs on two instances in {took:?}: {by0} / {} ran on each, {doubles} ran twice", 2000 - by0);
    assert_eq!(doubles, 0, "a job ran twice");
    assert!(by0 > 0 && by0 < 2000, "both instances took jobs");
}

/// Test 12 (fake clock): a tick runs exactly once across two instances.
fn cron_runs_once_per_tick_across_instances(kind: Kind) {
    let h = Harness::new(kind);
    let clock = ManualClock::new(ts("2026-03-01T12:00:30Z"));
    let exec = Exec::ok();
    let mut qs = Vec::new();
    for _ in 0..2 {
        let q = h.queue_instance(fake_opts(clock.clone()));
        q.set_definitions(vec![], vec![JobSpec::new("tick", "* * * * *")]);
        q.start(exec.clone());
        qs.push(q);
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(exec.count(), 0, "12:00 was before the job existed");
    for m in 1..=5 {
        let slot = ts(&format!("2026-03-01T12:0{m}:00Z"));
        clock.set(slot);
        wait_for(&format!("slot {slot}"), Duration::from_secs(5), || h.block(qs[0].history(Some("tick"), 100)).unwrap().iter().any(|r| r.slot == Some(slot) && r.status == RunStatus::Succeeded));
        // Let both schedulers go back to sleep.
        std::thread::sleep(Duration::from_millis(100));
    }
    let hist = h.block(qs[1].history(Some("tick"), 100)).unwrap();
    assert_eq!(exec.count(), 5, "one run per tick: {hist:?}");
    assert_eq!(hist.len(), 5);
    let slots: HashSet<_> = hist.iter().map(|r| r.slot).collect();
    assert_eq!(slots.len(), 5);
    assert!(hist.iter().all(|r| r.status == RunStatus::Succeeded && r.finished_at.is_some() && r.error.is_none()));
    let winners: HashSet<_> = hist.iter().map(|r| r.instance.clone()).collect();
    eprintln!("[{kind:?}] 5 ticks, 2 instances: {} runs, won by {} instance(s)", exec.count(), winners.len());
    let jobs = h.block(qs[0].jobs()).unwrap();
    assert_eq!(jobs[0].next_run, Some(ts("2026-03-01T12:06:00Z")));
    assert_eq!(jobs[0].last_run.as_ref().unwrap().slot, Some(ts("2026-03-01T12:05:00Z")));
}

fn cron_overlap_is_skipped(kind: Kind) {
    let h = Harness::new(kind);
    let clock = ManualClock::new(ts("2026-03-01T12:00:30Z"));
    let q = h.queue(fake_opts(clock.clone()));
    let mut j = JobSpec::new("slow", "* * * * *");
    j.timeout = Some(Duration::from_secs(600));
    q.set_definitions(vec![], vec![j]);
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let g = gate.clone();
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let exec = Exec::new(move |_| {
        let first = c.fetch_add(1, Ordering::SeqCst) == 0;
        let g = g.clone();
        Box::pin(async move {
            if first {
                let _p = g.acquire().await.unwrap();
                return Err("first run failed after a while".into());
            }
            Ok(())
        })
    });
    q.start(exec.clone());
    std::thread::sleep(Duration::from_millis(100));
    let hist = |h: &Harness| h.block(q.history(Some("slow"), 100)).unwrap();
    clock.set(ts("2026-03-01T12:01:00Z"));
    wait_for("run 1", Duration::from_secs(5), || exec.count() == 1);
    clock.set(ts("2026-03-01T12:02:00Z"));
    wait_for("slot 2 recorded", Duration::from_secs(5), || hist(&h).len() == 2);
    // run_job_now is also refused while it runs.
    let r = h.block(q.run_job_now("slow")).unwrap();
    assert_eq!(r.status, RunStatus::Skipped);
    gate.add_permits(1);
    wait_for("run 1 to finish", Duration::from_secs(5), || hist(&h).iter().any(|r| r.status == RunStatus::Failed));
    clock.set(ts("2026-03-01T12:03:00Z"));
    wait_for("run 3", Duration::from_secs(5), || hist(&h).iter().any(|r| r.status == RunStatus::Succeeded));
    let h3 = hist(&h);
    let mut by_slot: Vec<(Option<jiff::Timestamp>, RunStatus)> = h3.iter().map(|r| (r.slot, r.status)).collect();
    by_slot.sort_by_key(|(s, _)| *s);
    assert_eq!(by_slot, vec![(None, RunStatus::Skipped), (Some(ts("2026-03-01T12:01:00Z")), RunStatus::Failed), (Some(ts("2026-03-01T12:02:00Z")), RunStatus::Skipped), (Some(ts("2026-03-01T12:03:00Z")), RunStatus::Succeeded),]);
    let failed = h3.iter().find(|r| r.status == RunStatus::Failed).unwrap();
    assert_eq!(failed.error.as_deref(), Some("first run failed after a while"));
    assert!(failed.finished_at.is_some());
    assert_eq!(exec.count(), 2, "no overlapping run started");
    // A manual run when nothing runs.
    let r = h.block(q.run_job_now("slow")).unwrap();
    assert_eq!((r.status, r.slot), (RunStatus::Succeeded, None));
    assert!(matches!(h.block(q.run_job_now("nope")), Err(QueueError::UnknownJob(_))));
}

/// The documented missed-run policy: after downtime only the latest missed slot runs, if it is
/// within the window; a new job never runs for slots before it was defined.
fn cron_missed_run_policy(kind: Kind) {
    let h = Harness::new(kind);
    let clock = ManualClock::new(ts("2026-03-01T02:51:00Z"));
    let jobs = || vec![JobSpec::new("nightly", "0 3 * * *"), JobSpec::new("often", "*/5 * * * *")];
    let exec = Exec::ok();
    let count = |name: &str, q: &palbase_queue::Queue| h.block(q.history(Some(name), 100)).unwrap();
    {
        let q = h.queue(fake_opts(clock.clone()));
        q.set_definitions(vec![], jobs());
        q.start(exec.clone());
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(exec.count(), 0, "no slot since the jobs were defined");
        clock.set(ts("2026-03-01T02:55:00Z"));
        wait_for("often at 02:55", Duration::from_secs(5), || count("often", &q).len() == 1);
        q.shutdown(Duration::from_secs(1));
    }
    // Down from 02:55 to 03:30: 03:00 … 03:30 of "often" and 03:00 of "nightly" were missed.
    clock.set(ts("2026-03-01T03:32:00Z"));
    let q = h.queue(fake_opts(clock.clone()));
    q.set_definitions(vec![], jobs());
    q.start(exec.clone());
    wait_for("catch-up runs", Duration::from_secs(5), || count("nightly", &q).len() == 1 && count("often", &q).len() == 2);
    std::thread::sleep(Duration::from_millis(200));
    let n = count("nightly", &q);
    assert_eq!(n[0].slot, Some(ts("2026-03-01T03:00:00Z")), "the latest missed slot runs once (32 min late, within 1 h)");
    let o = count("often", &q);
    assert_eq!(o[0].slot, Some(ts("2026-03-01T03:30:00Z")), "only the latest missed slot: {o:?}");
    q.shutdown(Duration::from_secs(1));
    drop(q);
    // Down for a day: tomorrow's 03:00 is 2 h old at restart → skipped; "often" runs its latest.
    clock.set(ts("2026-03-02T05:01:00Z"));
    let q = h.queue(fake_opts(clock.clone()));
    q.set_definitions(vec![], jobs());
    q.start(exec.clone());
    wait_for("often after the long outage", Duration::from_secs(5), || count("often", &q).len() == 3);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(count("nightly", &q).len(), 1, "a slot older than the window is skipped");
    assert_eq!(count("often", &q)[0].slot, Some(ts("2026-03-02T05:00:00Z")));
    // A changed schedule counts as new: no catch-up for its past slots.
    q.set_definitions(vec![], vec![JobSpec::new("nightly", "0 5 * * *"), JobSpec::new("often", "*/5 * * * *")]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(count("nightly", &q).len(), 1, "05:00 of the new schedule was before it was defined");
}

fn retry_and_discard(kind: Kind) {
    let h = Harness::new(kind);
    let q = h.queue(QueueOptions::default());
    let mut w = worker("w");
    w.retry = 0;
    q.set_definitions(vec![w], vec![]);
    let fail = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let f = fail.clone();
    let exec = Exec::new(move |_| {
        let fail = f.load(Ordering::SeqCst);
        Box::pin(async move { if fail { Err("nope".into()) } else { Ok(()) } })
    });
    q.start(exec.clone());
    let id = h.block(q.push(None, "w", json!(1))).unwrap();
    wait_for("dead", Duration::from_secs(5), || h.job(&q, &id).status == JobStatus::Dead);
    assert_eq!(h.block(q.counts()).unwrap()[&JobStatus::Dead], 1);
    // Discard, then retry the discarded job: it runs again with a fresh budget and succeeds.
    h.block(q.discard(&id)).unwrap();
    assert_eq!(h.job(&q, &id).status, JobStatus::Discarded);
    assert!(matches!(h.block(q.discard(&id)), Err(QueueError::InvalidState { status: JobStatus::Discarded, .. })));
    fail.store(false, Ordering::SeqCst);
    h.block(q.retry(&id)).unwrap();
    wait_for("completed after retry", Duration::from_secs(5), || h.job(&q, &id).status == JobStatus::Completed);
    let j = h.job(&q, &id);
    assert_eq!((j.attempts, j.max_attempts), (2, 2));
    assert_eq!(j.errors.len(), 1, "the history is kept");
    assert!(matches!(h.block(q.retry(&id)), Err(QueueError::InvalidState { status: JobStatus::Completed, .. })));
    assert!(matches!(h.block(q.retry("job_missing")), Err(QueueError::NotFound(_))));
    assert!(matches!(h.block(q.discard("job_missing")), Err(QueueError::NotFound(_))));
    // A dead job retried directly.
    fail.store(true, Ordering::SeqCst);
    let id2 = h.block(q.push(None, "w", json!(2))).unwrap();
    wait_for("dead 2", Duration::from_secs(5), || h.job(&q, &id2).status == JobStatus::Dead);
    fail.store(false, Ordering::SeqCst);
    h.block(q.retry(&id2)).unwrap();
    wait_for("completed 2", Duration::from_secs(5), || h.job(&q, &id2).status == JobStatus::Completed);
    // Listing filters.
    let done = h.jobs(&q, ListFilter { status: Some(JobStatus::Completed), ..Default::default() });
    assert_eq!(done.len(), 2);
    assert_eq!(done[0].id, id2, "newest first");
}

fn shutdown_leaves_unfinished_jobs_claimable(kind: Kind) {
    let h = Harness::new(kind);
    let fast = QueueOptions { heartbeat_interval: Duration::from_millis(200), instance_dead_after: Some(Duration::from_secs(1)), ..Default::default() };
    let a = h.queue_instance(fast.clone());
    let mut w = worker("w");
    w.timeout = Some(Duration::from_secs(30));
    a.set_definitions(vec![w.clone()], vec![]);
    let exec_a = Exec::new(|t| {
        Box::pin(async move {
            match t {
                Task::Worker { payload, .. } if payload == json!("quick") => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    Ok(())
                }
                _ => std::future::pending().await,
            }
        })
    });
    a.start(exec_a.clone());
    let quick = h.block(a.push(None, "w", json!("quick"))).unwrap();
    let stuck = h.block(a.push(None, "w", json!("stuck"))).unwrap();
    wait_for("both claimed", Duration::from_secs(5), || exec_a.count() == 2);
    let t0 = Instant::now();
    a.shutdown(Duration::from_millis(500));
    let took = t0.elapsed();
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(h.job(&a, &quick).status, JobStatus::Completed, "finished within the grace period and recorded");
    assert_eq!(h.job(&a, &stuck).status, JobStatus::Running, "still leased");
    // A no longer takes work.
    let later = h.block(a.push(None, "w", json!("quick"))).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(exec_a.count(), 2);
    // Another instance takes over the stuck job (A's heartbeat went stale) and the new one.
    let b = h.queue_instance(fast);
    b.set_definitions(vec![w], vec![]);
    let exec_b = Exec::ok();
    let started = Instant::now();
    b.start(exec_b.clone());
    wait_for("B to finish both", Duration::from_secs(10), || h.job(&b, &stuck).status == JobStatus::Completed && h.job(&b, &later).status == JobStatus::Completed);
    eprintln!("[{kind:?}] after a shutdown that left a job running, another instance took it over in {:?}", started.elapsed());
}

/// The jobs of an instance that stopped heartbeating are taken back before their lease ends.
fn heartbeat_takeover(kind: Kind) {
    let h = Harness::new(kind);
    let opts = QueueOptions { heartbeat_interval: Duration::from_millis(200), instance_dead_after: Some(Duration::from_millis(1500)), ..Default::default() };
    let a = h.queue_instance(opts.clone());
    a.set_definitions(vec![worker("w")], vec![]); // 60 s timeout: a lease of 65 s
    let stuck = Exec::stuck();
    a.start(stuck.clone());
    let id = h.block(a.push(None, "w", json!(1))).unwrap();
    wait_for("claim", Duration::from_secs(5), || stuck.count() == 1);
    let b = h.queue_instance(opts);
    b.set_definitions(vec![worker("w")], vec![]);
    let ok = Exec::ok();
    b.start(ok.clone());
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(ok.count(), 0, "A is alive: its job stays with it");
    let killed = Instant::now();
    drop(a);
    wait_for("B to take over", Duration::from_secs(5), || ok.count() == 1);
    let took = killed.elapsed();
    wait_for("completion", Duration::from_secs(5), || h.job(&b, &id).status == JobStatus::Completed);
    eprintln!("[{kind:?}] instance gone → job taken over in {took:?} (heartbeat 200 ms, dead after 1.5 s)");
    assert!(took < Duration::from_secs(5));
}

fn definitions_reload(kind: Kind) {
    let h = Harness::new(kind);
    let q = h.queue(QueueOptions::default());
    let errs = q.set_definitions(vec![worker("a"), worker("a"), WorkerSpec { concurrency: Some(0), ..worker("z") }], vec![JobSpec::new("j", "not cron"), JobSpec { timezone: Some("Nowhere/City".into()), ..JobSpec::new("k", "@daily") }]);
    assert_eq!(errs.len(), 4, "{errs:?}");
    let reg = h.registry(&q);
    h.call(&reg, None, "queue.push", json!({"name": "a"})).unwrap();
    let e = h.call(&reg, None, "queue.push", json!({"name": "z"})).unwrap_err();
    assert_eq!(e.code, "unknown_worker");
    // A reload that removes `a`: pushes are refused, queued jobs wait.
    q.set_definitions(vec![worker("b")], vec![]);
    let e = h.call(&reg, None, "queue.push", json!({"name": "a"})).unwrap_err();
    assert_eq!(e.code, "unknown_worker");
    let exec = Exec::ok();
    q.start(exec.clone());
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(exec.count(), 0, "no worker `a` to run it");
    q.set_definitions(vec![worker("a")], vec![]);
    wait_for("a's job once a is back", Duration::from_secs(5), || exec.count() == 1);
}

/// A native worker answering from a script: one outcome per attempt, in order.
struct Scripted {
    seen: Mutex<Vec<NativeTask>>,
    script: Mutex<Vec<Result<(), JobFailure>>>,
}

impl NativeHandler for Scripted {
    fn run(&self, task: NativeTask) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), JobFailure>> + Send>> {
        self.seen.lock().unwrap().push(task);
        let mut s = self.script.lock().unwrap();
        let r = if s.is_empty() { Ok(()) } else { s.remove(0) };
        Box::pin(async move { r })
    }
}

/// A native worker (a Rust service's) survives `set_definitions`, keeps its name from JS
/// workers, runs without the executor, and its failures choose the retry: `Retry { after }`
/// replaces the backoff, `Permanent` is dead at once.
fn native_workers_run_natively_and_say_how_to_retry(kind: Kind) {
    let h = Harness::new(kind);
    let clock = ManualClock::new(ts("2026-03-01T12:00:00Z"));
    let q = h.queue(fake_opts(clock.clone()));
    let handler = Arc::new(Scripted {
        seen: Mutex::new(Vec::new()),
        script: Mutex::new(vec![
            Err(JobFailure::Retry { error: "429 slow down".into(), after: Some(Duration::from_secs(120)) }),
            Err("plain string failure".to_owned().into()),
            Ok(()),
            Err(JobFailure::Permanent { error: "400 invalid address".into() }),
        ]),
    });
    q.set_native_worker(WorkerSpec { retry: 5, ..worker("svc:deliver") }, handler.clone());
    // Reloads keep it, and a JS worker cannot take its name.
    let errs = q.set_definitions(vec![worker("svc:deliver"), worker("js")], vec![]);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].message.contains("reserved"), "{errs:?}");
    let exec = Exec::ok();
    q.start(exec.clone());
    let id = h.block(q.push(None, "svc:deliver", json!({"m": 1}))).unwrap();
    wait_for("first attempt", Duration::from_secs(10), || h.job(&q, &id).errors.len() == 1);
    let j = h.job(&q, &id);
    assert_eq!(j.status, JobStatus::Queued);
    let delay = j.run_at.unwrap().duration_since(j.errors[0].at).as_secs_f64();
    assert!((delay - 120.0).abs() < 0.01, "Retry-After replaces the backoff: {delay}s");
    clock.set(j.run_at.unwrap());
    wait_for("second attempt", Duration::from_secs(10), || h.job(&q, &id).errors.len() == 2);
    let j = h.job(&q, &id);
    assert_eq!(j.errors[1].error, "plain string failure");
    let delay = j.run_at.unwrap().duration_since(j.errors[1].at).as_secs_f64();
    assert!((9.0..=11.0).contains(&delay), "a plain failure takes the worker's backoff (attempt 2: 10 s ±10%): {delay}s");
    clock.set(j.run_at.unwrap());
    wait_for("third attempt succeeds", Duration::from_secs(10), || h.job(&q, &id).status == JobStatus::Completed);
    // Permanent: dead after one attempt although retries remain.
    let id2 = h.block(q.push(None, "svc:deliver", json!({"m": 2}))).unwrap();
    wait_for("permanent failure", Duration::from_secs(10), || h.job(&q, &id2).status == JobStatus::Dead);
    let j = h.job(&q, &id2);
    assert_eq!((j.attempts, j.last_error.as_deref()), (1, Some("400 invalid address")));
    let seen = handler.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 4);
    assert_eq!((seen[0].attempt, seen[0].max_attempts, seen[0].payload.clone()), (1, 6, json!({"m": 1})));
    assert_eq!(seen[2].attempt, 3);
    assert_eq!(exec.count(), 0, "native jobs never reach the executor");
    // A later reload still keeps it.
    q.set_definitions(vec![], vec![]);
    let id3 = h.block(q.push(None, "svc:deliver", json!({"m": 3}))).unwrap();
    wait_for("after a reload", Duration::from_secs(10), || h.job(&q, &id3).status == JobStatus::Completed);
}
