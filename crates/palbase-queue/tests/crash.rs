//! kill -9 (reliability bar, test 1): 1,000 jobs are queued; a child process (this test binary,
//! run as `crash_child`) works them, each handler writing an effect keyed by its job id, and is
//! killed three times mid-work, then restarted. Holds: 1,000 effects, 0 lost, 0 stuck.
//! Reported: duplicate executions and the worst reclaim time (kill → the interrupted job's next
//! attempt starting).

mod common;

use std::collections::HashMap;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use deadpool_postgres::ClientWrapper;
use palbase_core::ApiError;
use palbase_db::{Db, InternalSql, PgFuture};
use palbase_queue::{JobStatus, Queue, QueueOptions, Task};
use serde_json::json;

const CHILD_SLOW: &str = "PALBASE_QUEUE_CRASH_CHILD_SLOW";
const JOBS: usize = 1000;

fn epoch_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

fn db_err<E: std::fmt::Display>(e: E) -> ApiError {
    ApiError::new(500, "test", e.to_string())
}

/// The handler's writes and the parent's reads, in both dialects.
enum Sql {
    Setup,
    /// An attempt started.
    Start {
        run: String,
        job: String,
        attempt: i64,
        at: i64,
    },
    /// Its effect (idempotent: keyed by the job id) and the attempt marked done.
    Effect {
        run: String,
        job: String,
    },
    /// (job, attempt, started, done) of every attempt.
    Runs,
    Effects,
}

enum Out {
    None,
    Runs(Vec<(String, i64, i64, bool)>),
    Count(i64),
}

impl InternalSql for Sql {
    type Output = Out;

    fn sqlite(self, c: &rusqlite::Connection) -> Result<Out, ApiError> {
        match self {
            Sql::Setup => c
                .execute_batch(
                    "CREATE TABLE IF NOT EXISTS effects (job_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
                     CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, job_id TEXT NOT NULL, attempt INTEGER NOT NULL, started INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0);",
                )
                .map(|_| Out::None)
                .map_err(db_err),
            Sql::Start { run, job, attempt, at } => c.execute("INSERT INTO runs (id, job_id, attempt, started) VALUES (?1, ?2, ?3, ?4)", rusqlite::params![run, job, attempt, at]).map(|_| Out::None).map_err(db_err),
            Sql::Effect { run, job } => {
                c.execute("INSERT INTO effects (job_id, at) VALUES (?1, ?2) ON CONFLICT DO NOTHING", rusqlite::params![job, epoch_ms()]).map_err(db_err)?;
                c.execute("UPDATE runs SET done = 1 WHERE id = ?1", [run]).map_err(db_err)?;
                Ok(Out::None)
            }
            Sql::Runs => {
                let mut st = c.prepare("SELECT job_id, attempt, started, done FROM runs").map_err(db_err)?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0))).map_err(db_err)?;
                Ok(Out::Runs(rows.collect::<Result<_, _>>().map_err(db_err)?))
            }
            Sql::Effects => Ok(Out::Count(c.query_row("SELECT count(*) FROM effects", [], |r| r.get(0)).map_err(db_err)?)),
        }
    }

    fn postgres<'c>(self, c: &'c ClientWrapper) -> PgFuture<'c, Out> {
        Box::pin(async move {
            match self {
                Sql::Setup => c
                    .batch_execute(
                        "CREATE TABLE IF NOT EXISTS effects (job_id text PRIMARY KEY, at bigint NOT NULL);
                         CREATE TABLE IF NOT EXISTS runs (id text PRIMARY KEY, job_id text NOT NULL, attempt bigint NOT NULL, started bigint NOT NULL, done boolean NOT NULL DEFAULT false);",
                    )
                    .await
                    .map(|_| Out::None)
                    .map_err(db_err),
                Sql::Start { run, job, attempt, at } => c.execute("INSERT INTO runs (id, job_id, attempt, started) VALUES ($1, $2, $3, $4)", &[&run, &job, &attempt, &at]).await.map(|_| Out::None).map_err(db_err),
                Sql::Effect { run, job } => {
                    c.execute("INSERT INTO effects (job_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&job, &epoch_ms()]).await.map_err(db_err)?;
                    c.execute("UPDATE runs SET done = true WHERE id = $1", &[&run]).await.map_err(db_err)?;
                    Ok(Out::None)
                }
                Sql::Runs => {
                    let rows = c.query("SELECT job_id, attempt, started, done FROM runs", &[]).await.map_err(db_err)?;
                    Ok(Out::Runs(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect()))
                }
                Sql::Effects => Ok(Out::Count(c.query_one("SELECT count(*) FROM effects", &[]).await.map_err(db_err)?.get(0))),
            }
        })
    }
}

fn child_opts() -> QueueOptions {
    QueueOptions { heartbeat_interval: Duration::from_millis(500), instance_dead_after: Some(Duration::from_secs(2)), ..Default::default() }
}

fn spec() -> palbase_queue::WorkerSpec {
    let mut w = worker("effect");
    w.timeout = Some(Duration::from_secs(10));
    w.concurrency = Some(10);
    w
}

fn slow_spec() -> palbase_queue::WorkerSpec {
    let mut w = worker("slow");
    w.timeout = Some(Duration::from_secs(10));
    // Attempt 1 in the child, attempt 2 (the last) in the instance that takes over.
    w.retry = 1;
    w
}

/// The child: works jobs until killed. A no-op in a normal test run.
#[test]
fn crash_child() {
    let Some((dir, url)) = palbase_testkit::db::child_db() else { return };
    let db = Db::open(url.as_deref(), &dir).expect("child open");
    let q = Queue::open(db.clone(), child_opts()).expect("child queue");
    // In the SIGSTOP test each handler takes 1.5 s, so the parent can pause it mid-run.
    let slow = std::env::var(CHILD_SLOW).is_ok();
    q.set_definitions(vec![if slow { slow_spec() } else { spec() }], vec![]);
    let d = db.clone();
    q.start(Exec::new(move |t| {
        let d = d.clone();
        Box::pin(async move {
            let Task::Worker { job_id, attempt, .. } = t else { return Ok(()) };
            let run = uuid::Uuid::new_v4().to_string();
            d.run_internal(Sql::Start { run: run.clone(), job: job_id.clone(), attempt: i64::from(attempt), at: epoch_ms() }).await.map_err(|e| e.description)?;
            let ms = if slow { 1500 } else { fastrand::u64(20..80) };
            tokio::time::sleep(Duration::from_millis(ms)).await;
            d.run_internal(Sql::Effect { run, job: job_id }).await.map_err(|e| e.description)?;
            Ok(())
        })
    }));
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

fn read<T>(db: &Arc<Db>, sql: Sql, f: impl FnOnce(Out) -> T) -> T {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    f(rt.block_on(db.run_internal(sql)).unwrap())
}

fn effects(db: &Arc<Db>) -> i64 {
    read(db, Sql::Effects, |o| match o {
        Out::Count(n) => n,
        _ => unreachable!(),
    })
}

fn kill_while_working(kind: Kind) {
    let h = Harness::new(kind);
    let db = h.db().clone();
    read(&db, Sql::Setup, |_| ());
    let q = h.queue(QueueOptions::default());
    q.set_definitions(vec![spec()], vec![]);
    for i in 0..JOBS {
        h.block(q.push(None, "effect", json!({"i": i}))).unwrap();
    }
    let spawn = || h.store().child("crash_child").spawn().unwrap();
    let mut kills: Vec<i64> = Vec::new();
    for (round, target) in [150i64, 400, 650].into_iter().enumerate() {
        let mut child = spawn();
        let t0 = Instant::now();
        while effects(&db) < target {
            assert!(t0.elapsed() < Duration::from_secs(60), "round {round}: no progress");
            assert!(child.try_wait().unwrap().is_none(), "the child exited");
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(13 * (round as u64 + 1)));
        child.kill().unwrap(); // SIGKILL
        kills.push(epoch_ms());
        child.wait().unwrap();
    }
    let mut child = spawn();
    let t0 = Instant::now();
    loop {
        let c = h.block(q.counts()).unwrap();
        if c.get(&JobStatus::Completed).copied() == Some(JOBS as u64) {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(120), "not all jobs completed: {c:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let runs = read(&db, Sql::Runs, |o| match o {
        Out::Runs(r) => r,
        _ => unreachable!(),
    });
    assert_eq!(effects(&db), JOBS as i64, "every job's effect, once");
    let c = h.block(q.counts()).unwrap();
    assert_eq!(c.get(&JobStatus::Completed).copied(), Some(JOBS as u64), "0 stuck: {c:?}");
    // Duplicates: attempts that ran their handler to the end, beyond one per job.
    let mut done_per_job: HashMap<&str, usize> = HashMap::new();
    for (job, _, _, done) in &runs {
        if *done {
            *done_per_job.entry(job).or_default() += 1;
        }
    }
    let duplicates: usize = done_per_job.values().map(|n| n - 1).sum();
    // Reclaim: for each attempt cut short by a kill, kill → the job's next attempt.
    let mut by_job: HashMap<&str, Vec<(i64, i64, bool)>> = HashMap::new();
    for (job, attempt, started, done) in &runs {
        by_job.entry(job).or_default().push((*attempt, *started, *done));
    }
    let mut worst = 0i64;
    let mut interrupted = 0;
    for attempts in by_job.values_mut() {
        attempts.sort();
        for (i, (_, started, done)) in attempts.iter().enumerate() {
            if *done {
                continue;
            }
            let Some(kill) = kills.iter().copied().find(|k| *k >= *started) else { continue };
            interrupted += 1;
            let next = attempts.get(i + 1).map(|a| a.1).expect("an interrupted attempt was retried");
            worst = worst.max(next - kill);
        }
    }
    let attempts_total = runs.len();
    eprintln!(
        "[{kind:?}] kill -9 ×3 with {JOBS} jobs: {JOBS} effects, 0 lost, 0 stuck; {attempts_total} handler starts, \
         {interrupted} cut short by a kill, {duplicates} duplicate completed executions; worst reclaim {worst} ms \
         (heartbeat 500 ms, instance dead after 2 s, lease 15 s)"
    );
    assert!(worst < 15_000, "reclaimed by the heartbeat rule before the lease ended");
}

#[test]
fn sqlite_kill_while_working() {
    Kind::Sqlite.run(kill_while_working);
}

#[test]
fn postgres_kill_while_working() {
    Kind::Postgres.run(kill_while_working);
}

fn runs_done(db: &Arc<Db>) -> usize {
    read(db, Sql::Runs, |o| match o {
        Out::Runs(r) => r.iter().filter(|r| r.3).count(),
        _ => unreachable!(),
    })
}

/// Test 5 with a real pause: the child claims 5 jobs and is SIGSTOPped mid-handler; another
/// instance takes them over (the child's heartbeat went stale) and fails them for good; the child
/// is resumed, its handlers finish and report success late. Holds: the jobs stay dead with the
/// other instance's error.
fn sigstop_late_completion_is_fenced(kind: Kind) {
    let h = Harness::new(kind);
    let db = h.db().clone();
    read(&db, Sql::Setup, |_| ());
    let q = h.queue(QueueOptions::default());
    q.set_definitions(vec![slow_spec()], vec![]);
    let ids: Vec<String> = (0..5).map(|i| h.block(q.push(None, "slow", json!(i))).unwrap()).collect();
    let mut child = h.store().child("crash_child").env(CHILD_SLOW, "1").spawn().unwrap();
    let pid = child.id().to_string();
    wait_for("the child to start all 5", Duration::from_secs(30), || {
        read(&db, Sql::Runs, |o| match o {
            Out::Runs(r) => r.len(),
            _ => unreachable!(),
        }) == 5
    });
    assert!(Command::new("kill").args(["-STOP", &pid]).status().unwrap().success());
    let b = h.queue_instance(child_opts());
    b.set_definitions(vec![slow_spec()], vec![]);
    b.start(Exec::new(|_| Box::pin(async { Err("B failed it".to_owned()) })));
    wait_for("B to take the jobs over", Duration::from_secs(20), || ids.iter().all(|id| h.job(&b, id).status == JobStatus::Dead));
    assert_eq!(runs_done(&db), 0, "the child was paused before finishing");
    assert!(Command::new("kill").args(["-CONT", &pid]).status().unwrap().success());
    wait_for("the child's handlers to finish late", Duration::from_secs(20), || runs_done(&db) == 5);
    std::thread::sleep(Duration::from_millis(1500)); // its late results reach the database
    child.kill().unwrap();
    child.wait().unwrap();
    for id in &ids {
        let j = h.job(&b, id);
        assert_eq!(j.status, JobStatus::Dead, "a late success overwrote the job another instance took");
        assert_eq!(j.last_error.as_deref(), Some("B failed it"));
        assert!(j.errors[0].error.starts_with("lease expired"), "{:?}", j.errors);
    }
    eprintln!("[{kind:?}] SIGSTOP past the heartbeat window: 5 jobs taken over and failed by another instance; the 5 late successes were fenced");
}

#[test]
fn sqlite_sigstop_late_completion_is_fenced() {
    Kind::Sqlite.run(sigstop_late_completion_is_fenced);
}

#[test]
fn postgres_sigstop_late_completion_is_fenced() {
    Kind::Postgres.run(sigstop_late_completion_is_fenced);
}
