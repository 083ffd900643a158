//! The `cache.*` ops as JavaScript calls them, on both backends.
#![allow(clippy::result_large_err)] // palbase_core::ApiError is what ops return

mod common;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use common::Fixture;
use palbase_cache::{CacheOptions, ops::register_ops};
use palbase_core::{
    ApiError,
    ops::{CallerKind, OpRegistry, OpScope},
};
use serde_json::{Value, json};

suite!(op_shapes, op_argument_errors, op_fill_protocol, op_request_end_releases_leads);

fn registry(f: &Fixture, lease: Duration) -> OpRegistry {
    let mut reg = OpRegistry::new();
    register_ops(&mut reg, f.cache_with(CacheOptions { fill_lease: lease, ..Default::default() }));
    reg
}

fn scope(rid: &str) -> OpScope {
    OpScope { kind: CallerKind::Endpoint, request_id: Some(Arc::from(rid)) }
}

async fn call(reg: &OpRegistry, name: &str, args: Value) -> Result<Value, ApiError> {
    call_as(reg, "req_test", name, args).await
}

async fn call_as(reg: &OpRegistry, rid: &str, name: &str, args: Value) -> Result<Value, ApiError> {
    reg.get(name).unwrap_or_else(|| panic!("{name} registered")).call(scope(rid), args).await
}

async fn op_shapes(f: &Fixture) {
    let reg = registry(f, Duration::from_secs(10));
    assert_eq!(call(&reg, "cache.get", json!({"key": "k"})).await.unwrap(), Value::Null);
    assert_eq!(call(&reg, "cache.set", json!({"key": "k", "value": {"hits": 1}, "ttl": 60})).await.unwrap(), Value::Null);
    assert_eq!(call(&reg, "cache.get", json!({"key": "k"})).await.unwrap(), json!({"hits": 1}));
    assert_eq!(call(&reg, "cache.set", json!({"key": "k2", "value": [1], "ttl": null})).await.unwrap(), Value::Null);
    assert_eq!(call(&reg, "cache.set", json!({"key": "k3", "value": null})).await.unwrap(), Value::Null);
    assert_eq!(call(&reg, "cache.incr", json!({"key": "counter"})).await.unwrap(), json!(1));
    assert_eq!(call(&reg, "cache.incr", json!({"key": "counter", "by": 10})).await.unwrap(), json!(11));
    assert_eq!(call(&reg, "cache.del", json!({"key": "k"})).await.unwrap(), Value::Null);
    assert_eq!(call(&reg, "cache.get", json!({"key": "k"})).await.unwrap(), Value::Null);
    let e = call(&reg, "cache.incr", json!({"key": "k2"})).await.unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (409, "not_an_integer"));
}

async fn op_argument_errors(f: &Fixture) {
    let reg = registry(f, Duration::from_secs(10));
    for (name, args, status, code) in [
        ("cache.get", json!({}), 400, "invalid_arguments"),
        ("cache.get", json!({"key": 1}), 400, "invalid_arguments"),
        ("cache.get", json!({"key": "k", "extra": 1}), 400, "invalid_arguments"),
        ("cache.set", json!({"key": "k"}), 400, "invalid_arguments"),
        ("cache.set", json!({"key": "k", "value": 1, "ttl": "60"}), 400, "invalid_arguments"),
        ("cache.set", json!({"key": "k", "value": 1, "ttl": 0}), 400, "invalid_ttl"),
        ("cache.set", json!({"key": "k", "value": 1, "ttl": -5}), 400, "invalid_ttl"),
        ("cache.set", json!({"key": "", "value": 1}), 400, "empty_key"),
        ("cache.set", json!({"key": "k".repeat(1025), "value": 1}), 400, "key_too_long"),
        ("cache.set", json!({"key": "k", "value": "x".repeat(2 << 20)}), 413, "value_too_large"),
        ("cache.incr", json!({"key": "k", "by": 1.5}), 400, "invalid_arguments"),
        ("cache.fill.commit", json!({"key": "k", "value": 1, "ttl": 1}), 400, "invalid_arguments"),
        ("cache.fill.abort", json!({"key": "k", "token": "t"}), 400, "invalid_arguments"),
    ] {
        let e = call(&reg, name, args.clone()).await.unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (status, code), "{name} {args}: {}", e.description);
        if code == "invalid_arguments" {
            assert!(e.description.starts_with(name), "{}", e.description);
        }
    }
}

async fn op_fill_protocol(f: &Fixture) {
    let reg = Arc::new(registry(f, Duration::from_secs(10)));
    let begin = call(&reg, "cache.fill.begin", json!({"key": "user:42"})).await.unwrap();
    assert_eq!(begin["hit"], json!(false));
    let token = begin["token"].as_str().unwrap().to_owned();
    assert_eq!(begin.as_object().unwrap().len(), 2);
    let r = call(&reg, "cache.fill.commit", json!({"key": "user:42", "token": token, "value": {"id": "42"}, "ttl": 300})).await;
    assert_eq!(r.unwrap(), Value::Null);
    assert_eq!(call(&reg, "cache.fill.begin", json!({"key": "user:42"})).await.unwrap(), json!({"hit": true, "value": {"id": "42"}}));

    // Abort: a waiter (another request) gets the loader's error.
    let begin = call(&reg, "cache.fill.begin", json!({"key": "gone"})).await.unwrap();
    let token = begin["token"].as_str().unwrap().to_owned();
    let waiter = {
        let reg = reg.clone();
        // The op future is not Send: drive it on a thread of its own.
        std::thread::spawn(move || tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(call_as(&reg, "req_w", "cache.fill.begin", json!({"key": "gone"}))))
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    let err = json!({"status": 404, "code": "not_found", "description": "No such user"});
    assert_eq!(call(&reg, "cache.fill.abort", json!({"key": "gone", "token": token, "error": err})).await.unwrap(), Value::Null);
    let e = waiter.join().unwrap().unwrap_err();
    assert_eq!((e.status, e.code.as_str(), e.description.as_str()), (404, "not_found", "No such user"));
    assert_eq!(call(&reg, "cache.get", json!({"key": "gone"})).await.unwrap(), Value::Null);

    // A commit that cannot be stored ends the fill for its waiters with that error.
    let begin = call(&reg, "cache.fill.begin", json!({"key": "huge"})).await.unwrap();
    let token = begin["token"].as_str().unwrap().to_owned();
    let e = call(&reg, "cache.fill.commit", json!({"key": "huge", "token": token, "value": "x".repeat(2 << 20), "ttl": 5})).await.unwrap_err();
    assert_eq!(e.code, "value_too_large");
    assert_eq!(call(&reg, "cache.fill.begin", json!({"key": "huge"})).await.unwrap()["hit"], json!(false), "lock released");
}

async fn op_request_end_releases_leads(f: &Fixture) {
    let reg = Arc::new(registry(f, Duration::from_secs(30)));
    let begin = call_as(&reg, "req_a", "cache.fill.begin", json!({"key": "k"})).await.unwrap();
    assert_eq!(begin["hit"], json!(false));
    let waiter = {
        let reg = reg.clone();
        std::thread::spawn(move || tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(call_as(&reg, "req_b", "cache.fill.begin", json!({"key": "k"}))))
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    let start = Instant::now();
    reg.request_ended("req_a"); // the loader's request ended without commit or abort
    let r = waiter.join().unwrap().unwrap();
    assert_eq!(r["hit"], json!(false), "the waiter leads now");
    assert!(start.elapsed() < Duration::from_secs(2), "not after the 30 s lease: {:?}", start.elapsed());
    // A finished lead is not released again by its request's end.
    let t = r["token"].as_str().unwrap();
    call_as(&reg, "req_b", "cache.fill.commit", json!({"key": "k", "token": t, "value": 1, "ttl": 60})).await.unwrap();
    reg.request_ended("req_b");
    assert_eq!(call(&reg, "cache.get", json!({"key": "k"})).await.unwrap(), json!(1));
}
