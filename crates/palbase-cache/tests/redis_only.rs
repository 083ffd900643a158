//! Redis-only behaviour: key layout, unavailability and reconnection, the shared rate limiter.

mod common;

use std::time::{Duration, Instant};

use common::code;
use palbase_cache::{Cache, CacheError, CacheOptions, Fill};
use palbase_testkit::redis::TestRedis;
use serde_json::json;

fn cache(r: &TestRedis, prefix: &str) -> Cache {
    Cache::redis(&r.url(), prefix, CacheOptions::default()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_key_lives_under_the_prefix() {
    let Some(r) = TestRedis::get() else { return };
    let p = r.prefix();
    let c = cache(&r, &p);
    c.set("a", &json!(1), Some(Duration::from_secs(60))).await.unwrap();
    c.incr("n", 1).await.unwrap();
    let Fill::Lead(_) = c.fill_begin("f", Duration::from_secs(30)).await.unwrap() else { panic!() };
    c.rate_limiter().unwrap().check("ip:1", 5, 60.0).await.unwrap();
    let mut keys = r.keys(&format!("{p}*"));
    keys.sort();
    let want: Vec<String> = ["c:a", "c:n", "l:f", "r:ip:1"].iter().map(|k| format!("{p}{k}")).collect();
    assert_eq!(keys, want);
    assert_eq!(r.cmd(&["GET", &format!("{p}c:a")]).unwrap().as_str().as_deref(), Some("1"), "values are JSON text");
    assert_eq!(r.cmd(&["PTTL", &format!("{p}l:f")]).ok().and_then(|v| if let palbase_testkit::redis::Resp::Int(i) = v { Some(i) } else { None }).map(|t| t > 25_000 && t <= 30_000), Some(true), "the lock carries the lease");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_server_fails_fast_with_cache_unavailable() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Cache::redis(&format!("redis://127.0.0.1:{port}/"), "palbase:none:", CacheOptions::default()).unwrap();
    for i in 0..3 {
        let start = Instant::now();
        let e = c.get("k").await.unwrap_err();
        assert_eq!(code(&e), (503, "cache_unavailable".into()), "{e}");
        assert!(start.elapsed() < Duration::from_millis(1500), "call {i} took {:?}", start.elapsed());
    }
    assert!(matches!(c.ping().await, Err(CacheError::Unavailable(_))));
    assert!(Cache::redis("http://nope", "p:", CacheOptions::default()).is_err(), "a malformed URL is a start-up error");
}

/// Every operation on a dead or stalled server: 503 within about the timeout.
async fn all_unavailable(c: &Cache, what: &str) {
    type Op<'a> = std::pin::Pin<Box<dyn Future<Output = Result<(), CacheError>> + Send + 'a>>;
    let ops: Vec<(&str, Op<'_>)> = vec![
        ("get", Box::pin(async { c.get("k").await.map(|_| ()) })),
        ("set", Box::pin(async { c.set("k", &json!(1), None).await })),
        ("incr", Box::pin(async { c.incr("n", 1).await.map(|_| ()) })),
        ("del", Box::pin(async { c.del("k").await.map(|_| ()) })),
        ("fill_begin", Box::pin(async { c.fill_begin("f", Duration::from_secs(5)).await.map(|_| ()) })),
        ("fill_commit", Box::pin(async { c.fill_commit("f", "t", &json!(1), None).await })),
        ("fill_abort", Box::pin(async { c.fill_abort("f", "t", &json!({"status": 500, "code": "x", "description": "y"})).await })),
        ("rate_limit", Box::pin(async { c.rate_limiter().unwrap().check("ip", 5, 1.0).await.map(|_| ()) })),
    ];
    for (name, op) in ops {
        let start = Instant::now();
        let e = op.await.unwrap_err();
        let took = start.elapsed();
        eprintln!("{what} {name}: 503 in {took:?}");
        assert_eq!(code(&e), (503, "cache_unavailable".into()), "{what} {name}: {e}");
        assert!(took < Duration::from_millis(1600), "{what} {name} took {took:?}");
    }
}

/// Polls until the server answers again; returns how long it took.
async fn until_back(c: &Cache) -> Duration {
    let start = Instant::now();
    loop {
        if c.set("back", &json!(1), None).await.is_ok() {
            return start.elapsed();
        }
        assert!(start.elapsed() < Duration::from_secs(10), "did not reconnect within 10 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_then_restarted_server() {
    let Some(mut r) = TestRedis::throwaway() else { return };
    let c = cache(&r, "palbase:t:kill:");
    c.set("k", &json!("before"), None).await.unwrap();
    r.kill();
    all_unavailable(&c, "killed").await;
    r.restart();
    let took = until_back(&c).await;
    eprintln!("reconnected {took:?} after the restart");
    assert!(took < Duration::from_secs(3), "{took:?}");
    // The restarted server is empty; everything works again, fills included (resubscribed).
    assert_eq!(c.get("k").await.unwrap(), None);
    assert_eq!(c.incr("n", 2).await.unwrap(), 2);
    let other = cache(&r, "palbase:t:kill:");
    let Fill::Lead(t) = c.fill_begin("f", Duration::from_secs(10)).await.unwrap() else { panic!("lead") };
    let w = tokio::spawn(async move { other.fill_begin("f", Duration::from_secs(10)).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let start = Instant::now();
    c.fill_commit("f", &t, &json!("v"), None).await.unwrap();
    assert_eq!(w.await.unwrap().unwrap(), Fill::Hit(json!("v")));
    assert!(start.elapsed() < Duration::from_secs(1), "pub/sub works after the restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_server_times_out_then_recovers() {
    let Some(mut r) = TestRedis::throwaway() else { return };
    let c = cache(&r, "palbase:t:stall:");
    c.set("kept", &json!(1), None).await.unwrap();
    r.pause();
    all_unavailable(&c, "stalled").await;
    r.resume();
    let took = until_back(&c).await;
    eprintln!("answered again {took:?} after SIGCONT");
    assert_eq!(c.get("kept").await.unwrap(), Some(json!(1)), "same server, data kept");
    // Commands that timed out were still queued on the stalled server and ran on SIGCONT:
    // a timed-out write may or may not have happened.
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiters_fail_when_redis_dies_mid_fill() {
    let Some(mut r) = TestRedis::throwaway() else { return };
    let (a, b) = (cache(&r, "palbase:t:mid:"), cache(&r, "palbase:t:mid:"));
    let Fill::Lead(_) = a.fill_begin("f", Duration::from_secs(30)).await.unwrap() else { panic!("lead") };
    let w = tokio::spawn(async move { b.fill_begin("f", Duration::from_secs(30)).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let start = Instant::now();
    r.kill();
    let e = w.await.unwrap().unwrap_err();
    assert_eq!(code(&e), (503, "cache_unavailable".into()));
    assert!(start.elapsed() < Duration::from_secs(3), "the waiter does not sit out the lease: {:?}", start.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_limiters_share_one_budget() {
    let Some(r) = TestRedis::get() else { return };
    let p = r.prefix();
    let (a, b) = (cache(&r, &p), cache(&r, &p));
    let (la, lb) = (a.rate_limiter().unwrap(), b.rate_limiter().unwrap());
    let mut allowed = 0;
    let mut remaining = Vec::new();
    for i in 0..30 {
        let l = if i % 2 == 0 { &la } else { &lb };
        let d = l.check("user:1", 10, 60.0).await.unwrap();
        if d.allowed {
            allowed += 1;
            remaining.push(d.remaining);
            assert_eq!(d.retry_after, Duration::ZERO);
        } else {
            assert_eq!(d.remaining, 0);
            // One request refills every 6 s.
            assert!(d.retry_after > Duration::from_secs(5) && d.retry_after <= Duration::from_secs(6), "{:?}", d.retry_after);
        }
    }
    assert_eq!(allowed, 10, "exactly the burst, across both instances");
    assert_eq!(remaining, (0..10).rev().collect::<Vec<u32>>());
    // Other keys and other namespaces have budgets of their own.
    assert!(la.check("user:2", 10, 60.0).await.unwrap().allowed);
    let other = cache(&r, &r.prefix()).rate_limiter().unwrap();
    assert!(other.check("user:1", 10, 60.0).await.unwrap().allowed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_limiters_never_overshoot_and_refill() {
    let Some(r) = TestRedis::get() else { return };
    let p = r.prefix();
    let caches: Vec<_> = (0..2).map(|_| std::sync::Arc::new(cache(&r, &p))).collect();
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let l = caches[i % 2].rate_limiter().unwrap();
            tokio::spawn(async move { l.check("burst", 10, 1.0).await.unwrap().allowed })
        })
        .collect();
    let mut n = 0;
    for t in tasks {
        n += t.await.unwrap() as u32;
    }
    assert!((10..=11).contains(&n), "{n} allowed (burst 10, plus at most one refilled meanwhile)");
    // 10 per second: after 250 ms two more are allowed.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let l = caches[0].rate_limiter().unwrap();
    let got: Vec<bool> = futures::future::join_all((0..5).map(|_| l.check("burst", 10, 1.0))).await.into_iter().map(|d| d.unwrap().allowed).collect();
    let more = got.iter().filter(|&&a| a).count();
    assert!((2..=3).contains(&more), "{got:?}");
}
