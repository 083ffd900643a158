//! The shared suite: every test runs on the in-process backend and on a real Redis.

mod common;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use common::{Fixture, code};
use palbase_cache::{Cache, CacheError, CacheOptions, Fill, MAX_KEY_BYTES, MAX_TTL, ttl_from_secs};
use serde_json::{Value, json};

suite!(
    get_set_round_trip,
    null_stored_is_not_a_miss,
    ttl_expires,
    incr_counts,
    del_removes,
    limits,
    namespaces_do_not_collide,
    fill_lead_then_hit,
    fill_caches_null,
    fill_abort_reaches_waiters,
    fill_takeover_after_lease,
    fill_release_lets_a_waiter_lead,
    stampede_one_loader,
    late_commit_is_harmless,
    abandoned_waiter_does_not_keep_the_lead,
);

async fn get_set_round_trip(f: &Fixture) {
    let c = f.cache();
    assert_eq!(c.get("missing").await.unwrap(), None);
    for (k, v) in [("obj", json!({"hits": 1, "nested": {"a": [1, 2, "x"]}, "z": "last"})), ("arr", json!([1, "two", 3.5, false, null])), ("str", json!("héllo")), ("num", json!(42)), ("float", json!(-0.25)), ("bool", json!(true))] {
        c.set(k, &v, None).await.unwrap();
        assert_eq!(c.get(k).await.unwrap(), Some(v), "{k}");
    }
    // Object key order survives.
    let v = c.get("obj").await.unwrap().unwrap();
    assert_eq!(v.as_object().unwrap().keys().collect::<Vec<_>>(), ["hits", "nested", "z"]);
    c.set("obj", &json!(2), None).await.unwrap();
    assert_eq!(c.get("obj").await.unwrap(), Some(json!(2)), "overwrite");
}

async fn null_stored_is_not_a_miss(f: &Fixture) {
    let c = f.cache();
    c.set("n", &Value::Null, None).await.unwrap();
    assert_eq!(c.get("n").await.unwrap(), Some(Value::Null));
    assert_eq!(c.get("m").await.unwrap(), None);
    assert_eq!(c.fill_begin("n", Duration::from_secs(5)).await.unwrap(), Fill::Hit(Value::Null));
}

async fn ttl_expires(f: &Fixture) {
    let c = f.cache();
    c.set("short", &json!(1), Some(Duration::from_millis(150))).await.unwrap();
    c.set("forever", &json!(2), None).await.unwrap();
    c.set("long", &json!(3), Some(ttl_from_secs(60.0).unwrap())).await.unwrap();
    assert_eq!(c.get("short").await.unwrap(), Some(json!(1)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(c.get("short").await.unwrap(), None, "expired");
    assert_eq!(c.get("forever").await.unwrap(), Some(json!(2)));
    assert_eq!(c.get("long").await.unwrap(), Some(json!(3)));
    // A set without TTL replaces one with a TTL.
    c.set("re", &json!(1), Some(Duration::from_millis(100))).await.unwrap();
    c.set("re", &json!(2), None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(c.get("re").await.unwrap(), Some(json!(2)));
    // Fractional seconds work.
    c.set("frac", &json!(1), Some(ttl_from_secs(0.1).unwrap())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(c.get("frac").await.unwrap(), None);
}

async fn incr_counts(f: &Fixture) {
    let c = f.cache();
    assert_eq!(c.incr("counter", 1).await.unwrap(), 1, "a missing key counts from 0");
    assert_eq!(c.incr("counter", 5).await.unwrap(), 6);
    assert_eq!(c.incr("counter", -10).await.unwrap(), -4);
    assert_eq!(c.get("counter").await.unwrap(), Some(json!(-4)), "the counter reads as a number");
    c.set("seven", &json!(7), None).await.unwrap();
    assert_eq!(c.incr("seven", 1).await.unwrap(), 8, "a value set as a JSON integer counts");

    for (k, v) in [("s", json!("abc")), ("f", json!(1.5)), ("o", json!({"a": 1})), ("n", Value::Null)] {
        c.set(k, &v, None).await.unwrap();
        let e = c.incr(k, 1).await.unwrap_err();
        assert_eq!(code(&e), (409, "not_an_integer".into()), "{k}: {e}");
        assert_eq!(c.get(k).await.unwrap(), Some(v), "{k} untouched");
    }
    c.set("max", &json!(i64::MAX), None).await.unwrap();
    let e = c.incr("max", 1).await.unwrap_err();
    assert_eq!(code(&e), (409, "not_an_integer".into()), "{e}");

    // An increment keeps the key's TTL.
    c.set("ttl", &json!(5), Some(Duration::from_millis(200))).await.unwrap();
    assert_eq!(c.incr("ttl", 1).await.unwrap(), 6);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(c.get("ttl").await.unwrap(), None);
    assert_eq!(c.incr("ttl", 1).await.unwrap(), 1, "an expired key counts from 0");

    // Atomic under concurrency.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move {
                for _ in 0..50 {
                    c.incr("race", 1).await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(c.get("race").await.unwrap(), Some(json!(400)));
}

async fn del_removes(f: &Fixture) {
    let c = f.cache();
    c.set("k", &json!({"a": 1}), None).await.unwrap();
    assert!(c.del("k").await.unwrap());
    assert_eq!(c.get("k").await.unwrap(), None);
    assert!(!c.del("k").await.unwrap(), "deleting a missing key is fine");
}

async fn limits(f: &Fixture) {
    let c = f.cache_with(CacheOptions { max_value_bytes: 1000, ..Default::default() });
    let e = c.get("").await.unwrap_err();
    assert_eq!(code(&e), (400, "empty_key".into()));
    let e = c.set("", &json!(1), None).await.unwrap_err();
    assert_eq!(code(&e), (400, "empty_key".into()));
    let long = "k".repeat(MAX_KEY_BYTES + 1);
    for e in [c.get(&long).await.unwrap_err(), c.set(&long, &json!(1), None).await.unwrap_err(), c.incr(&long, 1).await.unwrap_err(), c.del(&long).await.unwrap_err(), c.fill_begin(&long, Duration::from_secs(1)).await.unwrap_err()] {
        assert_eq!(code(&e), (400, "key_too_long".into()), "{e}");
    }
    let edge = "é".repeat(MAX_KEY_BYTES / 2); // 1024 bytes exactly
    c.set(&edge, &json!(1), None).await.unwrap();
    assert_eq!(c.get(&edge).await.unwrap(), Some(json!(1)));

    let big = json!("x".repeat(1000)); // 1002 bytes as JSON
    let e = c.set("big", &big, None).await.unwrap_err();
    assert_eq!(code(&e), (413, "value_too_large".into()), "{e}");
    assert!(e.to_string().contains("1002") && e.to_string().contains("1000"), "{e}");
    assert_eq!(c.get("big").await.unwrap(), None);
    c.set("fits", &json!("x".repeat(998)), None).await.unwrap();

    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e12] {
        let e = ttl_from_secs(bad).unwrap_err();
        assert_eq!(code(&e), (400, "invalid_ttl".into()), "{bad}");
    }
    let e = c.set("k", &json!(1), Some(Duration::ZERO)).await.unwrap_err();
    assert_eq!(code(&e), (400, "invalid_ttl".into()));
    let e = c.set("k", &json!(1), Some(MAX_TTL + Duration::from_secs(1))).await.unwrap_err();
    assert_eq!(code(&e), (400, "invalid_ttl".into()));
    c.set("k", &json!(1), Some(MAX_TTL)).await.unwrap();
    assert_eq!(ttl_from_secs(0.0001).unwrap(), Duration::from_millis(1), "rounds up to a millisecond");

    // A fill's value obeys the same limit.
    let Fill::Lead(t) = c.fill_begin("fill", Duration::from_secs(5)).await.unwrap() else { panic!("lead") };
    let e = c.fill_commit("fill", &t, &big, None).await.unwrap_err();
    assert_eq!(code(&e), (413, "value_too_large".into()));
}

async fn namespaces_do_not_collide(f: &Fixture) {
    let (a, b) = (f.cache(), f.cache());
    a.set("shared", &json!("a"), None).await.unwrap();
    b.set("shared", &json!("b"), None).await.unwrap();
    assert_eq!(a.get("shared").await.unwrap(), Some(json!("a")));
    assert_eq!(b.get("shared").await.unwrap(), Some(json!("b")));
    assert_eq!(a.incr("n", 1).await.unwrap(), 1);
    assert_eq!(b.incr("n", 1).await.unwrap(), 1);
    assert!(a.del("shared").await.unwrap());
    assert_eq!(b.get("shared").await.unwrap(), Some(json!("b")));
    let Fill::Lead(_) = a.fill_begin("f", Duration::from_secs(5)).await.unwrap() else { panic!("a leads") };
    let Fill::Lead(_) = b.fill_begin("f", Duration::from_secs(5)).await.unwrap() else { panic!("b leads too") };
    // The in-fill lock and the value do not share a key: a user key cannot touch a lock.
    a.set("l:f", &json!(1), None).await.unwrap();
    assert_eq!(a.get("f").await.unwrap(), None);
}

async fn fill_lead_then_hit(f: &Fixture) {
    let c = f.cache();
    let Fill::Lead(token) = c.fill_begin("user:42", Duration::from_secs(5)).await.unwrap() else { panic!("lead") };
    let profile = json!({"id": "42", "name": "Ada"});
    c.fill_commit("user:42", &token, &profile, Some(Duration::from_millis(300))).await.unwrap();
    assert_eq!(c.fill_begin("user:42", Duration::from_secs(5)).await.unwrap(), Fill::Hit(profile.clone()));
    assert_eq!(c.get("user:42").await.unwrap(), Some(profile));
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert!(matches!(c.fill_begin("user:42", Duration::from_secs(5)).await.unwrap(), Fill::Lead(_)), "expired: lead again");
}

async fn fill_caches_null(f: &Fixture) {
    let (a, b) = f.pair();
    let Fill::Lead(token) = a.fill_begin("nothing", Duration::from_secs(5)).await.unwrap() else { panic!("lead") };
    let w = tokio::spawn(async move { b.fill_begin("nothing", Duration::from_secs(5)).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    a.fill_commit("nothing", &token, &Value::Null, Some(Duration::from_secs(60))).await.unwrap();
    assert_eq!(w.await.unwrap().unwrap(), Fill::Hit(Value::Null), "the waiter gets the null");
    assert_eq!(a.fill_begin("nothing", Duration::from_secs(5)).await.unwrap(), Fill::Hit(Value::Null), "null is cached");
}

async fn fill_abort_reaches_waiters(f: &Fixture) {
    let (a, b) = f.pair();
    let lease = Duration::from_secs(10);
    let Fill::Lead(token) = a.fill_begin("k", lease).await.unwrap() else { panic!("lead") };
    let waiters: Vec<_> = (0..20)
        .map(|i| {
            let c = if i % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move { c.fill_begin("k", lease).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let start = Instant::now();
    let err = json!({"status": 404, "code": "user_not_found", "description": "No user 42", "data": {"id": "42"}});
    a.fill_abort("k", &token, &err).await.unwrap();
    for w in waiters {
        match w.await.unwrap() {
            Err(CacheError::Loader(e)) => {
                assert_eq!((e.status, e.code.as_str(), e.description.as_str()), (404, "user_not_found", "No user 42"));
                assert_eq!(e.data, Some(json!({"id": "42"})));
            }
            other => panic!("waiter got {other:?}"),
        }
    }
    assert!(start.elapsed() < Duration::from_secs(2), "waiters learn at once, not at the lease: {:?}", start.elapsed());
    assert_eq!(a.get("k").await.unwrap(), None, "nothing cached");
    assert!(matches!(b.fill_begin("k", lease).await.unwrap(), Fill::Lead(_)), "the next call runs fn again");
    // A malformed error becomes a plain 500 for the waiters.
    let Fill::Lead(t2) = a.fill_begin("k2", lease).await.unwrap() else { panic!("lead") };
    let w = tokio::spawn({
        let b = b.clone();
        async move { b.fill_begin("k2", lease).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    a.fill_abort("k2", &t2, &json!("boom")).await.unwrap();
    let e = w.await.unwrap().unwrap_err();
    assert_eq!(code(&e), (500, "internal_error".into()));
}

async fn fill_takeover_after_lease(f: &Fixture) {
    let (a, b) = f.pair();
    let lease = Duration::from_millis(500);
    let Fill::Lead(crashed) = a.fill_begin("k", lease).await.unwrap() else { panic!("lead") };
    let start = Instant::now();
    let Fill::Lead(next) = b.fill_begin("k", lease).await.unwrap() else { panic!("takes over") };
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(400), "waited for the lease: {took:?}");
    assert!(took <= lease + Duration::from_secs(1), "took over within lease + 1 s: {took:?}");
    assert_ne!(crashed, next);
    // The crashed loader's late abort does not disturb the new lead's waiters.
    let w = tokio::spawn({
        let a = a.clone();
        async move { a.fill_begin("k", Duration::from_secs(10)).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    a.fill_abort("k", &crashed, &json!({"status": 500, "code": "x", "description": "late"})).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!w.is_finished(), "a stale abort is ignored");
    b.fill_commit("k", &next, &json!("v"), None).await.unwrap();
    assert_eq!(w.await.unwrap().unwrap(), Fill::Hit(json!("v")));
}

async fn fill_release_lets_a_waiter_lead(f: &Fixture) {
    let (a, b) = f.pair();
    let lease = Duration::from_secs(10);
    let Fill::Lead(token) = a.fill_begin("k", lease).await.unwrap() else { panic!("lead") };
    let w = tokio::spawn(async move { b.fill_begin("k", lease).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let start = Instant::now();
    a.fill_release("k", &token).await.unwrap();
    assert!(matches!(w.await.unwrap().unwrap(), Fill::Lead(_)));
    assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
}

async fn stampede_one_loader(f: &Fixture) {
    let (a, b) = f.pair();
    let lease = Duration::from_secs(10);
    let value = json!({"profile": "42", "rows": [1, 2, 3]});
    let start = Instant::now();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let c: Arc<Cache> = if i % 2 == 0 { a.clone() } else { b.clone() };
            let value = value.clone();
            tokio::spawn(async move {
                match c.fill_begin("user:42", lease).await.unwrap() {
                    Fill::Lead(token) => {
                        tokio::time::sleep(Duration::from_millis(200)).await; // the loader's query
                        c.fill_commit("user:42", &token, &value, Some(Duration::from_secs(60))).await.unwrap();
                        None
                    }
                    Fill::Hit(v) => Some(v),
                }
            })
        })
        .collect();
    let mut leads = 0;
    for t in tasks {
        match t.await.unwrap() {
            None => leads += 1,
            Some(v) => assert_eq!(v, value),
        }
    }
    assert_eq!(leads, 1, "exactly one loader");
    assert!(start.elapsed() < Duration::from_secs(3), "waiters were woken, not timed out: {:?}", start.elapsed());
}

async fn late_commit_is_harmless(f: &Fixture) {
    let (a, b) = f.pair();
    let Fill::Lead(old) = a.fill_begin("k", Duration::from_millis(200)).await.unwrap() else { panic!("lead") };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let Fill::Lead(new) = b.fill_begin("k", Duration::from_secs(10)).await.unwrap() else { panic!("new lead") };
    a.fill_commit("k", &old, &json!("old"), None).await.unwrap();
    assert_eq!(b.get("k").await.unwrap(), Some(json!("old")), "a late value is still a value");
    b.fill_commit("k", &new, &json!("new"), None).await.unwrap();
    assert_eq!(a.get("k").await.unwrap(), Some(json!("new")));
    assert!(matches!(a.fill_begin("k", Duration::from_secs(1)).await.unwrap(), Fill::Hit(_)));
}

async fn abandoned_waiter_does_not_keep_the_lead(f: &Fixture) {
    let (a, b) = f.pair();
    let Fill::Lead(_crashed) = a.fill_begin("k", Duration::from_millis(300)).await.unwrap() else { panic!("lead") };
    // A waiter whose request gives up: its wait goes on in the cache runtime, and when the lease
    // runs out it would become the lead, for its own 5 s lease, with nobody to load.
    assert!(tokio::time::timeout(Duration::from_millis(100), b.fill_begin("k", Duration::from_secs(5))).await.is_err());
    tokio::time::sleep(Duration::from_millis(600)).await;
    let start = Instant::now();
    assert!(matches!(a.fill_begin("k", Duration::from_secs(5)).await.unwrap(), Fill::Lead(_)));
    assert!(start.elapsed() < Duration::from_millis(500), "the abandoned lead was released: {:?}", start.elapsed());
}
