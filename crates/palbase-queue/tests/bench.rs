//! Throughput and latency figures (ignored by default):
//! `cargo test -p palbase-queue --release --test bench -- --ignored --nocapture --test-threads=1`
//!
//! - end to end: 16 concurrent pushers (each waiting for its push, as requests do) while one
//!   instance runs a no-op executor; jobs/s from the first push to the last completion recorded.
//! - drain: jobs already queued, then the instance starts; jobs/s to drain them.
//! - push latency: one push at a time (idle queue), and under the 16-pusher load.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use palbase_queue::{JobStatus, QueueOptions};
use serde_json::json;

const N: usize = 20_000;
const PUSHERS: usize = 16;

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn opts() -> QueueOptions {
    QueueOptions { max_concurrency: 200, default_concurrency: 200, claim_batch: 200, ..Default::default() }
}

fn completed(h: &Harness, q: &palbase_queue::Queue) -> u64 {
    h.block(q.counts()).unwrap().get(&JobStatus::Completed).copied().unwrap_or(0)
}

fn bench(kind: Kind) {
    // 1. End to end.
    let h = Harness::new(kind);
    let q = h.queue(opts());
    q.set_definitions(vec![worker("noop")], vec![]);
    let ran = Arc::new(AtomicUsize::new(0));
    let r = ran.clone();
    q.start(Exec::new(move |_| {
        r.fetch_add(1, Ordering::Relaxed);
        Box::pin(async { Ok(()) })
    }));
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let t0 = Instant::now();
    let lat: Vec<Duration> = rt.block_on(async {
        let mut tasks = Vec::new();
        for p in 0..PUSHERS {
            let q = q.clone();
            tasks.push(tokio::spawn(async move {
                let mut l = Vec::with_capacity(N / PUSHERS);
                for i in 0..N / PUSHERS {
                    let s = Instant::now();
                    q.push(None, "noop", json!({"p": p, "i": i})).await.unwrap();
                    l.push(s.elapsed());
                }
                l
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all
    });
    let pushed_in = t0.elapsed();
    wait_for("all jobs completed", Duration::from_secs(300), || completed(&h, &q) == N as u64);
    let e2e = t0.elapsed();
    let mut lat = lat;
    eprintln!(
        "[{kind:?}] end to end: {N} jobs, {PUSHERS} pushers: pushed in {:.2}s ({:.0} pushes/s), all completed in {:.2}s → {:.0} jobs/s; \
         push latency under load p50 {:?} p99 {:?}",
        pushed_in.as_secs_f64(),
        N as f64 / pushed_in.as_secs_f64(),
        e2e.as_secs_f64(),
        N as f64 / e2e.as_secs_f64(),
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99),
    );
    assert_eq!(ran.load(Ordering::Relaxed), N);
    // 2. One push at a time.
    let mut single = Vec::new();
    for i in 0..500 {
        let s = Instant::now();
        h.block(q.push(None, "noop", json!({"i": i}))).unwrap();
        single.push(s.elapsed());
    }
    eprintln!("[{kind:?}] push latency, one at a time: p50 {:?} p99 {:?}", pct(&mut single, 0.5), pct(&mut single, 0.99));
    q.shutdown(Duration::from_secs(5));
    drop(q);
    drop(h);

    // 3. Drain a backlog.
    let h = Harness::new(kind);
    let q = h.queue(opts());
    q.set_definitions(vec![worker("noop")], vec![]);
    rt.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..PUSHERS {
            let q = q.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..N / PUSHERS {
                    q.push(None, "noop", json!({"i": i})).await.unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    let t0 = Instant::now();
    q.start(Exec::ok());
    wait_for("backlog drained", Duration::from_secs(300), || completed(&h, &q) == N as u64);
    let d = t0.elapsed();
    eprintln!("[{kind:?}] drain: {N} queued jobs in {:.2}s → {:.0} jobs/s", d.as_secs_f64(), N as f64 / d.as_secs_f64());
}

#[test]
#[ignore]
fn bench_sqlite() {
    Kind::Sqlite.run(bench);
}

#[test]
#[ignore]
fn bench_postgres() {
    Kind::Postgres.run(bench);
}
