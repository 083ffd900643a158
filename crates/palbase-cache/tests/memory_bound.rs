//! The in-process backend stays within its memory budget and sheds expired entries by itself.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use palbase_cache::{Cache, CacheOptions};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writing_far_more_than_the_budget_stays_under_it() {
    let budget = 1 << 20;
    let c = Arc::new(Cache::memory(CacheOptions { max_memory_bytes: budget, ..Default::default() }).unwrap());
    let value = json!("x".repeat(10_000));
    // 4 threads × 500 × ~10 KB ≈ 20 MB: 20 times the budget.
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let (c, value) = (c.clone(), value.clone());
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    for i in 0..500 {
                        c.set(&format!("t{t}:{i}"), &value, None).await.unwrap();
                        let s = c.memory_stats().unwrap();
                        assert!(s.bytes <= budget, "{} bytes over a {budget} budget", s.bytes);
                    }
                })
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = c.memory_stats().unwrap();
    assert!(s.bytes <= budget && s.bytes > budget / 2, "{s:?}");
    assert!(s.entries < 110, "{s:?}");
    c.set("last", &value, None).await.unwrap();
    assert!(c.get("last").await.unwrap() == Some(value), "the newest entry stays");
    assert!(c.get("t0:0").await.unwrap().is_none(), "the oldest were evicted");
    assert!(c.memory_stats().unwrap().bytes <= budget);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recently_read_entries_survive_eviction() {
    let c = Cache::memory(CacheOptions { max_memory_bytes: 100_000, ..Default::default() }).unwrap();
    let v = json!("x".repeat(1000));
    c.set("hot", &v, None).await.unwrap();
    for i in 0..1000 {
        c.set(&format!("cold{i}"), &v, None).await.unwrap();
        if i % 10 == 0 {
            assert!(c.get("hot").await.unwrap().is_some(), "hot evicted at {i}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_entries_go_before_live_ones_and_by_the_sweep() {
    let c = Cache::memory(CacheOptions { max_memory_bytes: 240_000, sweep_interval: Duration::from_millis(100), ..Default::default() }).unwrap();
    let v = json!("x".repeat(1000));
    c.set("live", &v, None).await.unwrap();
    for i in 0..150 {
        c.set(&format!("short{i}"), &v, Some(Duration::from_millis(50))).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(80)).await;
    // Over budget now only if the expired ones were kept: they go first, "live" stays.
    for i in 0..100 {
        c.set(&format!("new{i}"), &v, None).await.unwrap();
    }
    assert!(c.get("live").await.unwrap().is_some());
    // A TTL long enough that a busy machine still counts all of them before they expire.
    for i in 0..100 {
        c.set(&format!("short2:{i}"), &v, Some(Duration::from_millis(600))).await.unwrap();
    }
    let before = c.memory_stats().unwrap().entries;
    let start = Instant::now();
    while c.memory_stats().unwrap().entries > 101 {
        assert!(start.elapsed() < Duration::from_secs(4), "the periodic sweep did not run");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(before, 201);
    assert_eq!(c.memory_stats().unwrap().entries, 101, "only the live entries are left, without any read");
}
