//! background.md and the Queue part of services.md through the real server: `Queue.push` from
//! an endpoint, a worker with the `ctx` model, retries to dead, the singleton guard, cron jobs.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

const SCHEMA: &str = r#"import { defineSchema, table, uuid, text, integer, boolean } from "@palbase/backend";
export default defineSchema({
  orders: table("orders", { id: text().primaryKey(), status: text().notNull(), amount: integer().notNull() }),
  sessions: table("sessions", { id: uuid().primaryKey().defaultRandom(), expired: boolean().default(false) }),
  effects: table("effects", { id: text().primaryKey(), note: text().nullable() }),
});
"#;

fn project() -> Project {
    Project::new(&[
        ("db/schema.ts", SCHEMA),
        ("palbase.toml", "[queue]\nbackoff_base_ms = 50\npoll_interval_ms = 200\n"),
        // background.md, verbatim.
        (
            "workers/process-order.ts",
            r#"// workers/process-order.ts
import { defineWorker } from "@palbase/backend";

interface OrderPayload { orderId: string; amount: number; }

export default defineWorker<OrderPayload>({
name: "process-order", // must match the Queue.push() name
retry: 5, // optional, default 3
timeout: 60, // optional, seconds
backoff: "exponential", // "exponential" | "linear" | "fixed", default exponential
handler: async (ctx, payload) => {
ctx.log.info(`processing ${payload.orderId} for $${payload.amount}`);
await ctx.db.update("orders", payload.orderId, { status: "processed" });
},
});
"#,
        ),
        (
            "jobs/cleanup.ts",
            r#"// jobs/cleanup.ts
import { defineJob } from "@palbase/backend";

export default defineJob({
name: "cleanup-expired",
schedule: "0 3 * * *", // standard cron
timeout: 120, // optional, seconds
handler: async (ctx) => {
const expired = await ctx.db.findMany("sessions", { expired: true });
for (const s of expired) await ctx.db.delete("sessions", s.id as string);
ctx.log.info(`cleaned ${expired.length} sessions`);
},
});
"#,
        ),
        (
            "workers/always-fails.ts",
            r#"import { defineWorker } from "@palbase/backend";
export default defineWorker<{ n: number }>({ name: "always-fails", retry: 2, backoff: "fixed", handler: async (ctx, p) => {
  await ctx.db.insert("effects", { id: `attempt-${Date.now()}-${Math.random()}`, note: String(p.n) });
  throw new Error("nope " + p.n);
} });
"#,
        ),
        (
            "workers/uses-singleton.ts",
            r#"import { defineWorker, Database } from "@palbase/backend";
export default defineWorker({ name: "uses-singleton", retry: 0, handler: async (ctx) => {
  try { await Database.findMany("orders"); } catch (e) { await ctx.db.insert("effects", { id: "singleton", note: (e as Error).message }); }
} });
"#,
        ),
        (
            "workers/spin.ts",
            r#"import { defineWorker } from "@palbase/backend";
export default defineWorker({ name: "spin", retry: 0, timeout: 0.3, handler: async (ctx) => { try { while (true) {} } catch {} } });
"#,
        ),
        (
            "endpoints/orders/post.ts",
            r#"import { defineEndpoint, z, Database, Queue } from "@palbase/backend";
export default defineEndpoint({ method: "POST", input: z.object({ id: z.string(), fail: z.boolean().optional() }), handler: async (req) => {
  await Database.insert("orders", { id: req.input.id, status: "pending", amount: 1000 });
  const { jobId } = await Queue.push("process-order", { orderId: req.input.id, amount: 1000 });
  return { jobId };
} });
"#,
        ),
        (
            "endpoints/push/post.ts",
            r#"import { defineEndpoint, z, Queue, Database } from "@palbase/backend";
export default defineEndpoint({ method: "POST", input: z.object({ name: z.string(), payload: z.any(), rollback: z.boolean().optional() }), handler: async (req) => {
  if (req.input.rollback) {
    try {
      await Database.transaction(async (tx) => {
        await tx.insert("effects", { id: "tx-" + Math.random(), note: "in tx" });
        await Queue.push(req.input.name, req.input.payload);
        throw new Error("roll back");
      });
    } catch {}
    return { rolledBack: true };
  }
  return Queue.push(req.input.name, req.input.payload);
} });
"#,
        ),
        (
            "endpoints/orders/[id]/get.ts",
            r#"import { defineEndpoint, Database, HttpError } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async (req) => {
  const o = await Database.findById("orders", req.params.id!);
  if (!o) throw new HttpError(404, "order_not_found", "No such order");
  return o;
} });
"#,
        ),
        (
            "endpoints/effects/get.ts",
            r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => Database.findMany("effects") });
"#,
        ),
    ])
}

async fn eventually<F, Fut>(what: &str, timeout: Duration, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let t0 = Instant::now();
    loop {
        if f().await {
            return t0.elapsed();
        }
        assert!(t0.elapsed() < timeout, "{what} did not happen within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn push_runs_the_worker_with_ctx_sqlite() {
    let p = project();
    push_runs_the_worker_with_ctx(&p, &p.serve(), &[]).await;
}

#[tokio::test]
async fn push_runs_the_worker_with_ctx_postgresql() {
    let Some(db) = PgDb::new() else { return };
    let p = project();
    let env = [("PALBASE_DATABASE_URL", db.url())];
    push_runs_the_worker_with_ctx(&p, &Server::start_env(p.path(), &[], &env), &env).await;
}

async fn push_runs_the_worker_with_ctx(_p: &Project, s: &Server, _env: &[(&str, &str)]) {
    let out = s.out();
    assert!(out.contains("process-order") && out.contains("cleanup-expired"), "registrations printed at start:\n{out}");
    let c = client();
    let r = send(c.post(s.url("/orders")).json(&json!({"id": "ord_1"}))).await;
    assert!(r.json()["jobId"].is_string(), "{}", r.text);
    let took = eventually("the worker updates the order", Duration::from_secs(5), || {
        let (c, u) = (c.clone(), s.url("/orders/ord_1"));
        async move { send(c.get(u)).await.json()["status"] == "processed" }
    })
    .await;
    eprintln!("push → worker done in {took:?}");
    assert!(s.wait_for_err(|e| e.contains("processing ord_1 for $1000").then_some(()), Duration::from_secs(2)).is_some(), "ctx.log");

    // Unknown worker: a clear error at push time.
    send(c.post(s.url("/push")).json(&json!({"name": "nobody", "payload": {}}))).await.envelope(400, "unknown_worker");

    // The Database singleton inside a worker is a clear error pointing at ctx.db.
    send(c.post(s.url("/push")).json(&json!({"name": "uses-singleton", "payload": null}))).await;
    eventually("the singleton guard", Duration::from_secs(5), || {
        let (c, u) = (c.clone(), s.url("/effects"));
        async move { send(c.get(u)).await.json().as_array().unwrap().iter().any(|e| e["id"] == "singleton" && e["note"].as_str().unwrap().contains("ctx.db")) }
    })
    .await;
}

#[tokio::test]
async fn push_inside_a_rolled_back_transaction_is_not_enqueued_sqlite() {
    let p = project();
    push_inside_a_rolled_back_transaction_is_not_enqueued(&p, &p.serve(), &[]).await;
}

#[tokio::test]
async fn push_inside_a_rolled_back_transaction_is_not_enqueued_postgresql() {
    let Some(db) = PgDb::new() else { return };
    let p = project();
    let env = [("PALBASE_DATABASE_URL", db.url())];
    push_inside_a_rolled_back_transaction_is_not_enqueued(&p, &Server::start_env(p.path(), &[], &env), &env).await;
}

async fn push_inside_a_rolled_back_transaction_is_not_enqueued(p: &Project, s: &Server, env: &[(&str, &str)]) {
    let c = client();
    for _ in 0..20 {
        send(c.post(s.url("/push")).json(&json!({"name": "always-fails", "payload": {"n": 1}, "rollback": true}))).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let effects = send(c.get(s.url("/effects"))).await.json();
    assert_eq!(effects, json!([]), "neither the insert nor the job survived the rollback");
    let (ok, out, err) = palbase_env(&["jobs", "list", p.path().to_str().unwrap()], env);
    assert!(ok, "{err}");
    assert!(!out.contains("always-fails"), "{out}");
}

#[tokio::test]
async fn failing_worker_is_retried_then_dead_and_listed_sqlite() {
    let p = project();
    failing_worker_is_retried_then_dead_and_listed(&p, &p.serve(), &[]).await;
}

#[tokio::test]
async fn failing_worker_is_retried_then_dead_and_listed_postgresql() {
    let Some(db) = PgDb::new() else { return };
    let p = project();
    let env = [("PALBASE_DATABASE_URL", db.url())];
    failing_worker_is_retried_then_dead_and_listed(&p, &Server::start_env(p.path(), &[], &env), &env).await;
}

async fn failing_worker_is_retried_then_dead_and_listed(p: &Project, s: &Server, env: &[(&str, &str)]) {
    let c = client();
    let r = send(c.post(s.url("/push")).json(&json!({"name": "always-fails", "payload": {"n": 7}}))).await;
    let id = r.json()["jobId"].as_str().unwrap().to_string();
    eventually("3 attempts (retry: 2)", Duration::from_secs(10), || {
        let (c, u) = (c.clone(), s.url("/effects"));
        async move { send(c.get(u)).await.json().as_array().unwrap().len() == 3 }
    })
    .await;
    let dir = p.path().to_str().unwrap();
    let listed = eventually("listed as dead", Duration::from_secs(5), || {
        let dir = dir.to_string();
        let id = id.clone();
        async move {
            let (_, out, _) = palbase_env(&["jobs", "list", &dir, "--status", "dead"], env);
            out.contains(&id)
        }
    })
    .await;
    let _ = listed;
    let (ok, out, err) = palbase_env(&["jobs", "show", dir, &id], env);
    assert!(ok, "{err}");
    assert_eq!(out.matches("nope 7").count(), 3, "every attempt's error is kept:\n{out}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(send(c.get(s.url("/effects"))).await.json().as_array().unwrap().len(), 3, "no fourth attempt");
    // Retry it by hand: one more attempt runs.
    let (ok, _, err) = palbase_env(&["jobs", "retry", dir, &id], env);
    assert!(ok, "{err}");
    eventually("a manual retry runs", Duration::from_secs(5), || {
        let (c, u) = (c.clone(), s.url("/effects"));
        async move { send(c.get(u)).await.json().as_array().unwrap().len() >= 4 }
    })
    .await;
}

#[tokio::test]
async fn cpu_bound_worker_is_interrupted_at_its_timeout() {
    let p = project();
    let s = p.serve();
    let c = client();
    let id = send(c.post(s.url("/push")).json(&json!({"name": "spin", "payload": null}))).await.json()["jobId"].as_str().unwrap().to_string();
    let dir = p.path().to_str().unwrap().to_string();
    eventually("the spinning job ends dead", Duration::from_secs(10), || {
        let (dir, id) = (dir.clone(), id.clone());
        async move { palbase(&["jobs", "list", &dir, "--status", "dead"]).1.contains(&id) }
    })
    .await;
    // The background engine still works.
    send(c.post(s.url("/orders")).json(&json!({"id": "after-spin"}))).await;
    eventually("later jobs still run", Duration::from_secs(5), || {
        let (c, u) = (c.clone(), s.url("/orders/after-spin"));
        async move { send(c.get(u)).await.json()["status"] == "processed" }
    })
    .await;
}

#[tokio::test]
async fn cron_jobs_listed_and_run_now() {
    let p = project();
    let dir = p.path().to_str().unwrap();
    let (ok, out, err) = palbase(&["cron", "list", dir]);
    assert!(ok, "{err}");
    assert!(out.contains("cleanup-expired") && out.contains("0 3 * * *"), "{out}");
    let (ok, out, err) = palbase(&["migrate", dir]);
    assert!(ok, "{out}{err}");
    let (ok, out, err) = palbase(&["cron", "run", dir, "cleanup-expired"]);
    assert!(ok, "{out}{err}");
    assert!(err.contains("cleaned 0 sessions"), "the handler ran with ctx.db and ctx.log:\n{out}{err}");
    let (ok, out, err) = palbase(&["cron", "history", dir, "cleanup-expired"]);
    assert!(ok, "{err}");
    assert_eq!(out.lines().filter(|l| l.contains("cleanup-expired")).count(), 1, "the run is recorded once:\n{out}");
}

/// Two `palbase serve` instances against one PostgreSQL share one queue: every job runs once.
#[tokio::test]
async fn two_instances_share_one_queue_on_postgresql() {
    let Some(db) = PgDb::new() else { return };
    let p = Project::new(&[
        (
            "db/schema.ts",
            "import { defineSchema, table, text, integer } from \"@palbase/backend\";\nexport default defineSchema({ effects: table(\"effects\", { id: text().primaryKey(), n: integer().notNull(), by: text().notNull() }) });\n",
        ),
        (
            "workers/count.ts",
            "import { defineWorker } from \"@palbase/backend\";\nexport default defineWorker<{ n: number }>({ name: \"count\", handler: async (ctx, p) => { await new Promise((r) => setTimeout(r, 2)); await ctx.db.insert(\"effects\", { id: crypto.randomUUID(), n: p.n, by: ctx.env.INSTANCE ?? \"?\" }); } });\n",
        ),
        (
            "endpoints/push/post.ts",
            "import { defineEndpoint, Queue, z } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"POST\", input: z.object({ from: z.number(), to: z.number() }), handler: async (req) => { for (let n = req.input.from; n < req.input.to; n++) await Queue.push(\"count\", { n }); return { ok: true }; } });\n",
        ),
        (
            "endpoints/stats/get.ts",
            "import { defineEndpoint, Database } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => (await Database.query(\"SELECT count(*)::int AS total, count(DISTINCT n)::int AS distinct_n, count(DISTINCT by)::int AS instances FROM effects\"))[0] });\n",
        ),
        (".env", "INSTANCE=from-dotenv\n"),
    ]);
    let a = Server::start_env(p.path(), &["--no-watch"], &[("PALBASE_DATABASE_URL", db.url()), ("INSTANCE", "a")]);
    let b = Server::start_env(p.path(), &["--no-watch"], &[("PALBASE_DATABASE_URL", db.url()), ("INSTANCE", "b")]);
    let c = client();
    let (ra, rb) = tokio::join!(send(c.post(a.url("/push")).json(&json!({"from": 0, "to": 200}))), send(c.post(b.url("/push")).json(&json!({"from": 200, "to": 400}))));
    assert_eq!((ra.status, rb.status), (200, 200), "{} {}", ra.text, rb.text);
    eventually("400 jobs done", Duration::from_secs(30), || {
        let (c, u) = (c.clone(), a.url("/stats"));
        async move { send(c.get(u)).await.json()["total"].as_i64().unwrap_or(0) >= 400 }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stats = send(c.get(b.url("/stats"))).await.json();
    assert_eq!((stats["total"].as_i64(), stats["distinct_n"].as_i64()), (Some(400), Some(400)), "no job ran twice: {stats}");
    eprintln!("jobs per instance: {stats}");
}
