//! The Cache of services.md through the real server, on the in-process cache and on a real
//! Redis: the examples verbatim, values and limits, `getOrSet` across two instances (one loader,
//! errors shared, a killed loader taken over), Redis going away and coming back, and rate
//! limits shared through Redis.

mod common;

use std::time::{Duration, Instant};

use common::*;
use palbase_testkit::redis::TestRedis;
use serde_json::json;

const SCHEMA: &str = r#"import { defineSchema, table, text } from "@palbase/backend";
export default defineSchema({ users: table("users", { id: text().primaryKey(), name: text().notNull() }) });
"#;

/// services.md's Cache example, verbatim, inside an endpoint that reports what it saw.
const EXAMPLE: &str = r#"import { defineEndpoint, Cache, Database } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
await Cache.set("k", { hits: 1 }, 60); // value + TTL seconds
const v = await Cache.get<{ hits: number }>("k"); // typed, null on miss
await Cache.incr("counter");
await Cache.del("k");

// Stampede-safe read-through: only one caller across all pods runs fn.
const profile = await Cache.getOrSet("user:42", 300, async () => {
return Database.findById("users", "42");
});
    return { v, after: await Cache.get("k"), counter: await Cache.get("counter"), profile };
  },
});
"#;

/// Generic cache calls driven by the request body, for the tests below.
const OPS: &str = r#"import { defineEndpoint, Cache, HttpError } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
    const b = req.input as any;
    switch (b.op) {
      case "get": return { value: await Cache.get(b.key) };
      case "set": await Cache.set(b.key, b.value, b.ttl); return { ok: true };
      case "setBigInt": await Cache.set(b.key, { n: 1n }); return { ok: true };
      case "setCycle": { const o: any = { a: 1 }; o.self = o; await Cache.set(b.key, o); return { ok: true }; }
      case "setFn": await Cache.set(b.key, () => 1); return { ok: true };
      case "setUndefined": await Cache.set(b.key, undefined); return { ok: true };
      case "incr": return { value: await Cache.incr(b.key, b.by) };
      case "del": await Cache.del(b.key); return { ok: true };
      case "fill": {
        const value = await Cache.getOrSet(b.key, b.ttl ?? 60, async () => {
          await Cache.incr(b.key + ":runs");
          if (b.sleep) await new Promise((r) => setTimeout(r, b.sleep));
          if (b.fail) throw new HttpError(418, "loader_failed", "the loader failed");
          return b.value;
        });
        return { value, runs: await Cache.get(b.key + ":runs") };
      }
    }
    throw new HttpError(400, "bad_op", String(b.op));
  },
});
"#;

fn project(toml: &str) -> Project {
    Project::new(&[
        ("db/schema.ts", SCHEMA),
        ("endpoints/example/post.ts", EXAMPLE),
        ("endpoints/cache/post.ts", OPS),
        (
            "endpoints/limited/get.ts",
            r#"import { defineEndpoint } from "@palbase/backend";
export default defineEndpoint({ method: "GET", rateLimit: { max: 10, window: 60 }, handler: async () => ({ ok: true }) });
"#,
        ),
        (
            "middleware/bigint.ts",
            r#"import { defineMiddleware } from "@palbase/backend";
export default defineMiddleware(async (ctx, next) => {
  const cyclic: any = { a: 1 }; cyclic.self = cyclic;
  ctx.log.info("x", { n: 1n });
  ctx.log.info("cyclic", cyclic);
  await next();
});
"#,
        ),
        (
            "endpoints/logs/get.ts",
            r#"import { defineEndpoint, Log } from "@palbase/backend";
import bigint from "../../middleware/bigint.js";
export default defineEndpoint({ method: "GET", middleware: [bigint], handler: async () => {
  const cyclic: any = { b: [1n] }; cyclic.me = cyclic;
  Log.info("endpoint", cyclic);
  return { ok: true };
} });
"#,
        ),
        ("palbase.toml", toml),
    ])
}

/// `[cache]` for Redis under a fresh prefix (deleted with `redis`).
fn redis_toml(redis: &TestRedis, extra: &str) -> String {
    format!("[cache]\nurl = \"{}\"\nprefix = \"{}\"\n{extra}", redis.url(), redis.prefix())
}

/// `n` concurrent requests made by `req(url)`, alternating between the instances `a` and `b`.
async fn across(a: &Server, b: &Server, n: usize, path: &str, req: impl Fn(usize, String) -> reqwest::RequestBuilder) -> Vec<Resp> {
    let calls = (0..n).map(|i| send(req(i, if i % 2 == 0 { a.url(path) } else { b.url(path) })));
    futures::future::join_all(calls).await
}

async fn call(s: &Server, body: serde_json::Value) -> Resp {
    send(client().post(s.url("/cache")).json(&body)).await
}

/// Runs `check` on the in-process cache and on Redis.
async fn on_both(check: impl AsyncFn(&Server)) {
    let p = project("");
    let s = p.serve();
    check(&s).await;
    drop(s);
    let Some(redis) = TestRedis::get() else { return };
    let p = project(&redis_toml(&redis, ""));
    let s = p.serve();
    check(&s).await;
}

#[tokio::test]
async fn services_md_example_on_both_backends() {
    on_both(async |s: &Server| {
        let r = send(client().post(s.url("/example"))).await;
        assert_eq!(r.status, 200, "{}\n{}", r.text, s.err());
        // The user does not exist: getOrSet caches the null (services.md says so).
        assert_eq!(r.json(), json!({"v": {"hits": 1}, "after": null, "counter": 1, "profile": null}));
        let r = send(client().post(s.url("/example"))).await;
        assert_eq!(r.json()["counter"], 2);
    })
    .await;
}

#[tokio::test]
async fn values_limits_and_errors_on_both_backends() {
    on_both(async |s: &Server| {
        // JSON values round-trip; a miss is null; a stored null is a hit for getOrSet.
        let v = json!({"a": [1, 2.5, "x", null, true], "nested": {"é": "ü😀"}});
        assert_eq!(call(s, json!({"op": "set", "key": "v", "value": v})).await.status, 200);
        assert_eq!(call(s, json!({"op": "get", "key": "v"})).await.json()["value"], v);
        assert_eq!(call(s, json!({"op": "get", "key": "missing"})).await.json()["value"], json!(null));
        for _ in 0..3 {
            let r = call(s, json!({"op": "fill", "key": "nul", "value": null})).await;
            assert_eq!(r.json(), json!({"value": null, "runs": 1}), "a cached null is not a miss");
        }
        // incr counts from 0; `by`; a non-integer is a 409.
        assert_eq!(call(s, json!({"op": "incr", "key": "n"})).await.json()["value"], 1);
        assert_eq!(call(s, json!({"op": "incr", "key": "n", "by": 41})).await.json()["value"], 42);
        call(s, json!({"op": "set", "key": "s", "value": "text"})).await;
        call(s, json!({"op": "incr", "key": "s"})).await.envelope(409, "not_an_integer");
        // Values JSON cannot hold: a 400 naming the key, nothing stored.
        for op in ["setBigInt", "setCycle", "setFn", "setUndefined"] {
            let r = call(s, json!({"op": op, "key": "bad"})).await;
            let e = r.envelope(400, "invalid_value");
            assert!(e["error_description"].as_str().unwrap().contains("\"bad\""), "{op}: {e}");
        }
        assert_eq!(call(s, json!({"op": "get", "key": "bad"})).await.json()["value"], json!(null));
        // Limits: key length, value size, TTL.
        call(s, json!({"op": "get", "key": "k".repeat(1025)})).await.envelope(400, "key_too_long");
        call(s, json!({"op": "set", "key": "big", "value": "x".repeat(1100 << 10)})).await.envelope(413, "value_too_large");
        for ttl in [json!(0), json!(-1), json!("10")] {
            let r = call(s, json!({"op": "set", "key": "t", "value": 1, "ttl": ttl})).await;
            assert_eq!(r.status, 400, "ttl {ttl}: {}", r.text);
        }
        // Expiry.
        call(s, json!({"op": "set", "key": "short", "value": 1, "ttl": 0.3})).await;
        assert_eq!(call(s, json!({"op": "get", "key": "short"})).await.json()["value"], 1);
        tokio::time::sleep(Duration::from_millis(450)).await;
        assert_eq!(call(s, json!({"op": "get", "key": "short"})).await.json()["value"], json!(null));
        // A throwing loader caches nothing and its error reaches the caller; the next call runs again.
        call(s, json!({"op": "fill", "key": "f", "fail": true})).await.envelope(418, "loader_failed");
        let r = call(s, json!({"op": "fill", "key": "f", "value": 7})).await;
        assert_eq!(r.json(), json!({"value": 7, "runs": 2}));
        // A log call never fails the request (BigInt, cycles), in middleware and in Log.
        let r = send(client().get(s.url("/logs"))).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(s.wait_for(|o| o.contains("\"cyclic\"").then_some(()), Duration::from_secs(5)).is_some());
        assert!(s.err().contains("1n"), "BigInt written readably: {}", s.err());
    })
    .await;
}

/// 200 concurrent getOrSet calls on one key, split across two instances on one Redis.
#[tokio::test]
async fn get_or_set_runs_one_loader_across_two_instances() {
    let Some(redis) = TestRedis::get() else { return };
    let p = project(&redis_toml(&redis, "[limits]\nhandler_timeout_ms = 3000\n"));
    let (a, b) = (p.serve(), Server::start(p.path(), &[]));
    let c = client();
    let answers = across(&a, &b, 200, "/cache", |i, url| c.post(url).json(&json!({"op": "fill", "key": "hot", "value": {"n": i}, "sleep": 300}))).await;
    let first = answers[0].json()["value"].clone();
    for r in &answers {
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.json()["value"], first, "every caller got the one loaded value");
    }
    assert_eq!(call(&a, json!({"op": "get", "key": "hot:runs"})).await.json()["value"], 1, "fn ran exactly once");

    // A throwing loader: everyone gets its error, nothing is cached, the next call loads again.
    for r in across(&a, &b, 40, "/cache", |_, url| c.post(url).json(&json!({"op": "fill", "key": "bad", "fail": true, "sleep": 300}))).await {
        r.envelope(418, "loader_failed");
    }
    assert_eq!(call(&a, json!({"op": "get", "key": "bad:runs"})).await.json()["value"], 1);
    assert_eq!(call(&b, json!({"op": "get", "key": "bad"})).await.json()["value"], json!(null));
    let r = call(&b, json!({"op": "fill", "key": "bad", "value": 1})).await;
    assert_eq!(r.json(), json!({"value": 1, "runs": 2}));
}

/// kill -9 of the instance whose loader holds the lock: a waiter on the other instance takes
/// over within the lease (the handler timeout) + 1 s.
#[tokio::test]
async fn a_killed_loader_is_taken_over() {
    let Some(redis) = TestRedis::get() else { return };
    let p = project(&redis_toml(&redis, "[limits]\nhandler_timeout_ms = 2000\n"));
    let a = p.serve();
    let b = Server::start(p.path(), &[]);
    let c = client();
    let slow = tokio::spawn(send(c.post(a.url("/cache")).json(&json!({"op": "fill", "key": "k", "value": "from a", "sleep": 60000}))));
    // Wait until a's loader runs (it counted its run), then start b's waiter and kill a.
    let t0 = Instant::now();
    while call(&b, json!({"op": "get", "key": "k:runs"})).await.json()["value"] != 1 {
        assert!(t0.elapsed() < Duration::from_secs(10), "a's loader never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // a's lock lease is its handler timeout (2 s) from its start, and b's waiter has the same 2 s
    // budget: start the waiter well into a's lease, so its wait for the take-over fits its own
    // budget on a slow machine too (it raced at ~1.9 s of 2 s before).
    tokio::time::sleep(Duration::from_millis(800)).await;
    let waiter = tokio::spawn(send(c.post(b.url("/cache")).json(&json!({"op": "fill", "key": "k", "value": "from b"}))));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let killed = Instant::now();
    std::process::Command::new("kill").args(["-9", &a.pid().to_string()]).status().unwrap();
    let r = waiter.await.unwrap();
    assert_eq!(r.json(), json!({"value": "from b", "runs": 2}), "{}", r.text);
    assert!(killed.elapsed() < Duration::from_millis(3000), "taken over after {:?} (lease 2 s + 1 s)", killed.elapsed());
    let _ = slow.await;
}

/// Redis stopped while requests run: 503 cache_unavailable within about a second, the rest of
/// the server keeps serving; Redis back: the cache works again without a restart.
#[tokio::test]
async fn redis_outage_and_recovery() {
    let Some(mut redis) = TestRedis::throwaway() else { return };
    let p = project(&redis_toml(&redis, ""));
    let s = p.serve();
    assert_eq!(call(&s, json!({"op": "set", "key": "a", "value": 1})).await.status, 200);
    redis.kill();
    for _ in 0..5 {
        let t0 = Instant::now();
        call(&s, json!({"op": "get", "key": "a"})).await.envelope(503, "cache_unavailable");
        assert!(t0.elapsed() < Duration::from_millis(2500), "failed after {:?}", t0.elapsed());
    }
    let r = send(client().get(s.url("/logs"))).await;
    assert_eq!(r.status, 200, "everything else keeps serving");
    // Rate-limited endpoints fail open while Redis is down.
    assert_eq!(send(client().get(s.url("/limited"))).await.status, 200);
    redis.restart();
    let t0 = Instant::now();
    loop {
        let r = call(&s, json!({"op": "set", "key": "a", "value": 2})).await;
        if r.status == 200 {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "the cache did not reconnect: {}", r.text);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(call(&s, json!({"op": "get", "key": "a"})).await.json()["value"], 2);
}

/// `rateLimit: { max: 10 }` across two instances on one Redis: exactly 10 successes in all.
#[tokio::test]
async fn rate_limit_is_shared_through_redis() {
    let Some(redis) = TestRedis::get() else { return };
    let p = project(&redis_toml(&redis, ""));
    let (a, b) = (p.serve(), Server::start(p.path(), &[]));
    let c = client();
    let answers = across(&a, &b, 30, "/limited", |_, url| c.get(url)).await;
    let ok = answers.iter().filter(|r| r.status == 200).count();
    assert_eq!(ok, 10, "{:?}", answers.iter().map(|r| r.status).collect::<Vec<_>>());
    for r in answers.iter().filter(|r| r.status != 200) {
        r.envelope(429, "rate_limited");
        assert!(r.header("retry-after").is_some());
    }
}
