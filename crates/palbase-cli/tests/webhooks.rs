//! Inbound webhooks and auth events (events.md) through the real server, with deliveries
//! signed by the providers' own libraries (crates/palbase-webhooks/tests/js/deliver.mjs):
//! events.md's examples verbatim, persist-then-acknowledge with one effect per event id, every
//! refusal, the five providers, a burst, and auth events from `palbase hooks fire`.

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use serde_json::{Value, json};

const SCHEMA: &str = r#"import { defineSchema, table, uuid, text, jsonb } from "@palbase/backend";
export default defineSchema({
  orders: table("orders", { id: uuid().primaryKey().defaultRandom(), status: text().notNull(), data: jsonb() }),
  payment_failures: table("payment_failures", { id: uuid().primaryKey().defaultRandom(), data: jsonb() }),
  profiles: table("profiles", { id: uuid().primaryKey().defaultRandom(), user_id: text().notNull(), email: text().notNull() }),
  effects: table("effects", { id: uuid().primaryKey().defaultRandom(), source: text().notNull(), note: text().notNull() }),
});
"#;

/// events.md, verbatim.
const STRIPE: &str = r#"// webhooks/stripe.ts
import { defineWebhook } from "@palbase/backend";

export default defineWebhook({
provider: "stripe",
secret: { env: "STRIPE_WEBHOOK_SECRET" }, // signing secret resolved from env
events: {
"checkout.session.completed": async (ctx, event) => {
await ctx.db.insert("orders", { status: "paid", data: event });
},
"payment_intent.payment_failed": async (ctx, event) => {
ctx.log.error("payment failed");
await ctx.db.insert("payment_failures", { data: event });
},
},
});
"#;

/// events.md, verbatim.
const AUTH_HOOKS: &str = r#"// hooks/auth.ts
import { auth } from "@palbase/backend";

export const onUserCreated = auth.onUserCreated(async (ctx, event) => {
ctx.log.info(`new user: ${event.user.email}`);
await ctx.db.insert("profiles", {
user_id: event.user.id,
email: event.user.email,
});
});

export const onSignIn = auth.onSignIn(async (ctx, event) => {
ctx.log.info(`sign in: ${event.user.email} via ${event.provider}`);
});
"#;

fn effect_webhook(provider: &str, env: &str, event: &str) -> String {
    format!(
        r#"import {{ defineWebhook }} from "@palbase/backend";
export default defineWebhook({{
  provider: "{provider}",
  secret: {{ env: "{env}" }},
  events: {{
    "{event}": async (ctx, event) => {{
      await ctx.db.insert("effects", {{ source: "{provider}", note: JSON.stringify(event).slice(0, 200) }});
    }},
  }},
}});
"#
    )
}

const SECRETS: &[(&str, &str, &str)] = &[
    ("STRIPE_WEBHOOK_SECRET", "stripe", "whsec_test_current_0123456789abcdef"),
    ("GITHUB_SECRET", "github", "a github secret"),
    ("SVIX_SECRET", "standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    ("SLACK_SECRET", "slack", "8f742231b10e8888abcd99yyyzzz85a5"),
    ("SHOPIFY_SECRET", "shopify", "shopify app secret"),
];

const READ: &str = r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async (req) => ({
  orders: await Database.findMany("orders"),
  failures: await Database.findMany("payment_failures"),
  profiles: await Database.findMany("profiles"),
  effects: await Database.findMany("effects"),
}) });
"#;

fn project() -> Project {
    // The Stripe secret is a list: an old one being rotated out, then the current one.
    let env: String = SECRETS.iter().map(|(k, _, v)| if *k == "STRIPE_WEBHOOK_SECRET" { format!("{k}=\"whsec_test_old_secret_zzz,{v}\"\n") } else { format!("{k}=\"{v}\"\n") }).collect();
    Project::new(&[
        ("db/schema.ts", SCHEMA),
        ("webhooks/stripe.ts", STRIPE),
        ("webhooks/github.ts", &effect_webhook("github", "GITHUB_SECRET", "issues")),
        ("webhooks/svix.ts", &effect_webhook("standard-webhooks", "SVIX_SECRET", "user.created")),
        ("webhooks/slack.ts", &effect_webhook("slack", "SLACK_SECRET", "app_mention")),
        ("webhooks/shopify.ts", &effect_webhook("shopify", "SHOPIFY_SECRET", "orders/create")),
        ("hooks/auth.ts", AUTH_HOOKS),
        ("endpoints/state/get.ts", READ),
        (".env", &env),
        ("palbase.toml", "[queue]\nbackoff_base_ms = 20\npoll_interval_ms = 100\n\n[webhooks]\nmax_body_bytes = 65536\n"),
    ])
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Headers for each delivery, from the providers' libraries (one node run for all of them).
fn sign(deliveries: &[Value]) -> Vec<Vec<(String, String)>> {
    let dir = workspace_root().join("crates/palbase-webhooks/tests/js");
    assert!(dir.join("node_modules").is_dir(), "run `npm ci` in {} (scripts/test does)", dir.display());
    use std::io::Write as _;
    let mut child = std::process::Command::new("node").arg("deliver.mjs").current_dir(&dir).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("node runs");
    child.stdin.take().unwrap().write_all(serde_json::to_string(deliveries).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Vec<Vec<(String, String)>> = serde_json::from_slice(&out.stdout).unwrap();
    v
}

fn delivery(provider: &str, secret: &str, body: &str, ts: u64, id: &str) -> Value {
    json!({ "provider": provider, "secret": secret, "body": body, "timestamp": ts, "id": id })
}

/// A signed POST of `body` to `url`.
fn signed(c: &reqwest::Client, url: String, headers: &[(String, String)], body: &str) -> reqwest::RequestBuilder {
    headers.iter().fold(c.post(url).header("content-type", "application/json").body(body.to_string()), |r, (k, v)| r.header(k, v))
}

async fn post(c: &reqwest::Client, s: &Server, name: &str, headers: &[(String, String)], body: &str) -> Resp {
    send(signed(c, s.url(&format!("/webhooks/{name}")), headers, body)).await
}

async fn state(c: &reqwest::Client, s: &Server) -> Value {
    send(c.get(s.url("/state"))).await.json()
}

async fn until(c: &reqwest::Client, s: &Server, what: &str, f: impl Fn(&Value) -> bool) -> Value {
    let t0 = Instant::now();
    loop {
        let v = state(c, s).await;
        if f(&v) {
            return v;
        }
        assert!(t0.elapsed() < Duration::from_secs(30), "{what}: {v}\n{}", s.err());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const STRIPE_SECRET: &str = "whsec_test_current_0123456789abcdef";

fn stripe_body(id: &str, t: &str) -> String {
    json!({ "id": id, "object": "event", "type": t, "data": { "object": { "id": "cs_1", "amount_total": 4200 } } }).to_string()
}

#[tokio::test]
async fn stripe_example_persists_then_acknowledges_once() {
    let p = project();
    let s = p.serve();
    let c = client();
    let table = |o: &str| o.lines().any(|l| l.starts_with("  POST") && l.contains("/webhooks/stripe") && l.ends_with("webhooks/stripe.ts")).then_some(());
    assert!(s.wait_for(table, Duration::from_secs(10)).is_some(), "the route table names the webhook:\n{}", s.out());
    assert!(s.out().contains("webhooks:") && s.out().contains("checkout.session.completed, payment_intent.payment_failed"), "{}", s.out());
    let body = stripe_body("evt_1", "checkout.session.completed");
    let h = sign(&[delivery("stripe", STRIPE_SECRET, &body, now(), "")]).remove(0);
    let r = post(&c, &s, "stripe", &h, &body).await;
    assert_eq!((r.status, r.json()), (200, json!({ "received": true })), "{}", r.text);
    let v = until(&c, &s, "the order", |v| v["orders"].as_array().unwrap().len() == 1).await;
    assert_eq!(v["orders"][0]["status"], json!("paid"));
    assert_eq!(v["orders"][0]["data"]["id"], json!("evt_1"), "the handler's event is the parsed payload");
    // A redelivery: acknowledged, no second effect.
    let r = post(&c, &s, "stripe", &h, &body).await;
    assert_eq!((r.status, r.json()["duplicate"].clone()), (200, json!(true)), "{}", r.text);
    // The other handler; and an event type with no handler is acknowledged and ignored.
    for (id, t) in [("evt_2", "payment_intent.payment_failed"), ("evt_3", "customer.created")] {
        let body = stripe_body(id, t);
        let h = sign(&[delivery("stripe", STRIPE_SECRET, &body, now(), "")]).remove(0);
        assert_eq!(post(&c, &s, "stripe", &h, &body).await.status, 200);
    }
    until(&c, &s, "the failure", |v| v["failures"].as_array().unwrap().len() == 1).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let v = state(&c, &s).await;
    assert_eq!(v["orders"].as_array().unwrap().len(), 1, "{v}");
    // Rotation: a delivery signed with the old secret of the comma-separated list.
    let body = stripe_body("evt_4", "checkout.session.completed");
    let h = sign(&[delivery("stripe", "whsec_test_old_secret_zzz", &body, now(), "")]).remove(0);
    assert_eq!(post(&c, &s, "stripe", &h, &body).await.status, 200);
    until(&c, &s, "the rotated secret's order", |v| v["orders"].as_array().unwrap().len() == 2).await;
}

#[tokio::test]
async fn refused_deliveries_store_nothing() {
    let p = project();
    let s = p.serve();
    let c = client();
    let body = stripe_body("evt_r", "checkout.session.completed");
    let t = now();
    let signed = sign(&[
        delivery("stripe", STRIPE_SECRET, &body, t, ""),
        delivery("stripe", "whsec_wrong", &body, t, ""),
        // Margins wide enough for a slow machine (the server checks some seconds after `t`).
        delivery("stripe", STRIPE_SECRET, &body, t - 400, ""),
        delivery("stripe", STRIPE_SECRET, &body, t + 400, ""),
        delivery("stripe", STRIPE_SECRET, &body, t - 200, ""),
        delivery("stripe", STRIPE_SECRET, &body, t + 200, ""),
        delivery("stripe", STRIPE_SECRET, "not json", t, ""),
    ]);
    type Headers = Vec<(String, String)>;
    let cases: Vec<(&str, Headers, String, u16, &str)> = vec![
        ("no signature", vec![], body.clone(), 400, "missing_header"),
        ("malformed", vec![("Stripe-Signature".into(), "garbage".into())], body.clone(), 400, "malformed_header"),
        ("wrong secret", signed[1].clone(), body.clone(), 401, "invalid_signature"),
        ("tampered", signed[0].clone(), body.replace("4200", "1"), 401, "invalid_signature"),
        ("too old", signed[2].clone(), body.clone(), 401, "stale_delivery"),
        ("from the future", signed[3].clone(), body.clone(), 401, "stale_delivery"),
        ("not JSON", signed[6].clone(), "not json".into(), 400, "invalid_payload"),
        ("too large", signed[0].clone(), format!("{{\"pad\":\"{}\"}}", "x".repeat(70_000)), 413, "payload_too_large"),
    ];
    for (what, h, b, status, code) in cases {
        let r = post(&c, &s, "stripe", &h, &b).await;
        assert_eq!(r.status, status, "{what}: {}", r.text);
        assert_eq!(r.json()["error"], json!(code), "{what}: {}", r.text);
        assert!(!r.text.contains("v1="), "{what}: nothing that helps an attacker: {}", r.text);
    }
    send(c.post(s.url("/webhooks/nope")).body("{}")).await.envelope(404, "webhook_not_found");
    let r = send(c.get(s.url("/webhooks/stripe"))).await;
    assert_eq!((r.status, r.header("allow").as_deref()), (405, Some("POST")));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(state(&c, &s).await["orders"], json!([]), "refused deliveries ran nothing");
    // Within the tolerance, in both directions: accepted (the second is a redelivery of the first event id).
    assert_eq!(post(&c, &s, "stripe", &signed[4], &body).await.json(), json!({ "received": true }));
    assert_eq!(post(&c, &s, "stripe", &signed[5], &body).await.json()["duplicate"], json!(true));
    until(&c, &s, "one order", |v| v["orders"].as_array().unwrap().len() == 1).await;
}

#[tokio::test]
async fn every_provider() {
    let p = project();
    let s = p.serve();
    let c = client();
    let t = now();
    let gh = json!({ "action": "opened", "issue": { "number": 7 } }).to_string();
    let svix = json!({ "type": "user.created", "data": { "id": "user_1" } }).to_string();
    let slack = json!({ "type": "event_callback", "event_id": "Ev1", "event": { "type": "app_mention", "text": "hi" } }).to_string();
    let challenge = json!({ "type": "url_verification", "token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" }).to_string();
    let shop = json!({ "id": 820982911946154508u64, "email": "jon@example.com" }).to_string();
    let secret = |p: &str| SECRETS.iter().find(|(_, q, _)| *q == p).unwrap().2;
    let h = sign(&[
        delivery("github", secret("github"), &gh, t, "d-1"),
        delivery("standard-webhooks", secret("standard-webhooks"), &svix, t, "msg_1"),
        delivery("slack", secret("slack"), &slack, t, ""),
        delivery("slack", secret("slack"), &challenge, t, ""),
        delivery("shopify", secret("shopify"), &shop, t, "wh-1"),
    ]);
    for (name, hi, body) in [("github", 0, &gh), ("svix", 1, &svix), ("slack", 2, &slack), ("shopify", 4, &shop)] {
        let r = post(&c, &s, name, &h[hi], body).await;
        assert_eq!((r.status, r.json()), (200, json!({ "received": true })), "{name}: {}", r.text);
        // Redelivery: no second effect.
        assert_eq!(post(&c, &s, name, &h[hi], body).await.json()["duplicate"], json!(true), "{name}");
    }
    let r = post(&c, &s, "slack", &h[3], &challenge).await;
    assert_eq!(r.json(), json!({ "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" }), "Slack's url_verification is answered");
    let v = until(&c, &s, "four effects", |v| v["effects"].as_array().unwrap().len() == 4).await;
    let mut sources: Vec<&str> = v["effects"].as_array().unwrap().iter().map(|e| e["source"].as_str().unwrap()).collect();
    sources.sort();
    assert_eq!(sources, ["github", "shopify", "slack", "standard-webhooks"]);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(state(&c, &s).await["effects"].as_array().unwrap().len(), 4, "no duplicates");
}

/// A burst of deliveries: every one acknowledged, every one one effect, none lost or doubled.
#[tokio::test]
async fn a_burst_is_neither_lost_nor_duplicated() {
    let p = project();
    let s = p.serve();
    let c = client();
    let n = 1000;
    let t = now();
    let bodies: Vec<String> = (0..n).map(|i| json!({ "type": "user.created", "data": { "i": i } }).to_string()).collect();
    let secret = SECRETS[2].2;
    let heads = sign(&bodies.iter().enumerate().map(|(i, b)| delivery("standard-webhooks", secret, b, t, &format!("msg_{i}"))).collect::<Vec<_>>());
    let mut tasks = Vec::new();
    for (i, (h, b)) in heads.into_iter().zip(bodies).enumerate() {
        let (c, url) = (c.clone(), s.url("/webhooks/svix"));
        tasks.push(tokio::spawn(async move {
            let r = signed(&c, url, &h, &b);
            // Each delivery twice: the second is a duplicate.
            let a = send(r.try_clone().unwrap()).await.status;
            let d = send(r).await.json();
            (i, a, d)
        }));
    }
    for t in tasks {
        let (i, a, d) = t.await.unwrap();
        assert_eq!(a, 200, "delivery {i}");
        assert_eq!(d["duplicate"], json!(true), "delivery {i}: {d}");
    }
    let v = until(&c, &s, "every effect", |v| v["effects"].as_array().unwrap().len() >= n).await;
    assert_eq!(v["effects"].as_array().unwrap().len(), n);
}

#[tokio::test]
async fn auth_events_reach_the_hooks() {
    let p = project();
    let s = p.serve();
    let c = client();
    let dir = p.path().to_str().unwrap();
    let url = s.url("");
    let (ok, out, err) = palbase(&["hooks", "fire", "auth.onUserCreated", "--user", r#"{"id":"u1","email":"ann@example.com"}"#, "--provider", "google", "--url", &url, dir]);
    assert!(ok && out.contains("1 hook queued"), "{out}{err}");
    let v = until(&c, &s, "the profile", |v| v["profiles"].as_array().unwrap().len() == 1).await;
    assert_eq!((&v["profiles"][0]["user_id"], &v["profiles"][0]["email"]), (&json!("u1"), &json!("ann@example.com")));
    assert!(s.wait_for_err(|e| e.contains("new user: ann@example.com").then_some(()), Duration::from_secs(5)).is_some());
    let (ok, out, err) = palbase(&["hooks", "fire", "auth.onSignIn", "--user", r#"{"id":"u1","email":"ann@example.com"}"#, "--provider", "google", "--url", &url, dir]);
    assert!(ok, "{out}{err}");
    assert!(s.wait_for_err(|e| e.contains("sign in: ann@example.com via google").then_some(()), Duration::from_secs(5)).is_some(), "{}", s.err());
    // An event no hook subscribes to is accepted; a bad one is refused.
    let (ok, out, _) = palbase(&["hooks", "fire", "auth.onSignOut", "--user", r#"{"id":"u1"}"#, "--url", &url, dir]);
    assert!(ok && out.contains("0 hooks queued"), "{out}");
    let (ok, _, err) = palbase(&["hooks", "fire", "auth.onUserDeleted", "--user", r#"{"id":"u1"}"#, "--url", &url, dir]);
    assert!(!ok && err.contains("not an auth event"), "{err}");
    // Unsigned, wrongly signed, stale, or replayed deliveries to the ingestion endpoint.
    let body = json!({ "type": "auth.onUserCreated", "data": { "user": { "id": "u2", "email": "bob@example.com" } } }).to_string();
    send(c.post(s.url("/hooks/v1/auth")).body(body.clone())).await.envelope(400, "missing_header");
    let secret = std::fs::read_to_string(p.path().join(".palbase/auth-hook-secret")).unwrap();
    let t = now();
    let h = sign(&[
        delivery("standard-webhooks", &secret, &body, t, "msg_auth_1"),
        delivery("standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &body, t, "msg_auth_2"),
        delivery("standard-webhooks", &secret, &body, t - 600, "msg_auth_3"),
    ]);
    let go = |h: Vec<(String, String)>| {
        let (c, url, body) = (c.clone(), s.url("/hooks/v1/auth"), body.clone());
        async move { send(signed(&c, url, &h, &body)).await }
    };
    assert_eq!(go(h[1].clone()).await.status, 401);
    assert_eq!(go(h[2].clone()).await.status, 401);
    assert_eq!(go(h[0].clone()).await.json()["hooks"], json!(1));
    assert_eq!(go(h[0].clone()).await.json()["duplicate"], json!(true));
    until(&c, &s, "bob's profile", |v| v["profiles"].as_array().unwrap().len() == 2).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(state(&c, &s).await["profiles"].as_array().unwrap().len(), 2, "the replay had no effect");
}

#[test]
fn a_missing_secret_is_a_load_error() {
    let p = Project::new(&[("webhooks/stripe.ts", STRIPE)]);
    let s = p.serve();
    assert!(s.wait_for_err(|e| (e.contains("webhooks/stripe.ts") && e.contains("STRIPE_WEBHOOK_SECRET")).then_some(()), Duration::from_secs(10)).is_some(), "{}", s.err());
}

/// kill -9 of the server after the 2xx and before the handler finished: after a restart the
/// handler runs, and its effect happens exactly once.
#[tokio::test]
async fn a_delivery_acknowledged_before_a_crash_runs_exactly_once() {
    let p = project();
    p.write(
        "webhooks/slow.ts",
        r#"import { defineWebhook } from "@palbase/backend";
export default defineWebhook({
  provider: "standard-webhooks",
  secret: { env: "SVIX_SECRET" },
  events: {
    "user.created": async (ctx, event) => {
      ctx.log.info("slow handler started");
      await new Promise((r) => setTimeout(r, 1500));
      await ctx.db.insert("effects", { source: "slow", note: "done" });
    },
  },
});
"#,
    );
    let body = json!({ "type": "user.created", "data": { "id": "u_crash" } }).to_string();
    let h = sign(&[delivery("standard-webhooks", SECRETS[2].2, &body, now(), "msg_crash")]).remove(0);
    let c = client();
    let s = p.serve();
    assert!(s.wait_for(|o| o.contains("/webhooks/slow").then_some(()), Duration::from_secs(10)).is_some(), "{}", s.out());
    assert_eq!(post(&c, &s, "slow", &h, &body).await.json(), json!({ "received": true }));
    std::process::Command::new("kill").args(["-9", &s.pid().to_string()]).status().unwrap();
    drop(s);
    let s = p.serve();
    let v = until(&c, &s, "the effect after the restart", |v| v["effects"].as_array().is_some_and(|e| !e.is_empty())).await;
    assert_eq!(v["effects"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(post(&c, &s, "slow", &h, &body).await.json()["duplicate"], json!(true), "the delivery was remembered across the crash");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(state(&c, &s).await["effects"].as_array().unwrap().len(), 1, "exactly once");
}

/// The figure of bench/README.md (run by hand, not a timed assertion):
/// `cargo test -p palbase-cli --test webhooks -- --ignored --nocapture burst_latency`.
/// 1,000 Standard Webhooks deliveries sent 50 at a time; the time from sending to the 2xx.
#[tokio::test]
#[ignore = "a benchmark: run by hand"]
async fn burst_latency() {
    let p = project();
    let s = p.serve();
    let c = client();
    let n = 1000;
    let t = now();
    let bodies: Vec<String> = (0..n).map(|i| json!({ "type": "user.created", "data": { "i": i } }).to_string()).collect();
    let heads = sign(&bodies.iter().enumerate().map(|(i, b)| delivery("standard-webhooks", SECRETS[2].2, b, t, &format!("msg_b{i}"))).collect::<Vec<_>>());
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(50));
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for (h, b) in heads.into_iter().zip(bodies) {
        let (c, url, sem) = (c.clone(), s.url("/webhooks/svix"), sem.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.unwrap();
            let r = signed(&c, url, &h, &b);
            let t = Instant::now();
            assert_eq!(send(r).await.status, 200);
            t.elapsed()
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.push(t.await.unwrap());
    }
    let total = t0.elapsed();
    lat.sort();
    let pct = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)].as_secs_f64() * 1000.0;
    until(&c, &s, "every effect", |v| v["effects"].as_array().unwrap().len() >= n).await;
    println!("{n} deliveries in {:.2} s: time to 2xx p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; all {n} handled", total.as_secs_f64(), pct(0.5), pct(0.99), pct(1.0));
}

/// `[webhooks] tolerance_seconds` widens (or narrows) the accepted timestamp window.
#[tokio::test]
async fn the_tolerance_is_configurable() {
    let p = project();
    p.write("palbase.toml", "[queue]\nbackoff_base_ms = 20\npoll_interval_ms = 100\n\n[webhooks]\ntolerance_seconds = 1000\n");
    let s = p.serve();
    let c = client();
    let body = stripe_body("evt_tol", "checkout.session.completed");
    let t = now();
    let h = sign(&[delivery("stripe", STRIPE_SECRET, &body, t - 600, ""), delivery("stripe", STRIPE_SECRET, &body, t - 1400, "")]);
    assert_eq!(post(&c, &s, "stripe", &h[1], &body).await.json()["error"], json!("stale_delivery"), "beyond 1000 s");
    assert_eq!(post(&c, &s, "stripe", &h[0], &body).await.json(), json!({ "received": true }), "600 s old is within 1000 s");
}
