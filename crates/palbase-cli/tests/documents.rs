//! The Documents of services.md through the real server, on SQLite and on PostgreSQL: the
//! example verbatim, `{ data, error }` results with stable codes, batches, cursors and writes
//! inside `Database.transaction`.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;

/// services.md's Documents example, verbatim, inside an endpoint that reports what it saw.
const EXAMPLE: &str = r#"import { defineEndpoint, Documents } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
const col = Documents.collection("rooms");
const { data: ref } = await col.add({ name: "Lobby" });
const snap = await col.where("active", "==", true).orderBy("name").limit(10).get();
const { data: doc } = await Documents.doc("rooms/abc").get();
    return { ref, snap, doc };
  },
});
"#;

/// Generic document calls driven by the request body.
const OPS: &str = r#"import { defineEndpoint, Documents, Database, HttpError } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
    const b = req.input as any;
    switch (b.op) {
      case "seed": {
        const batch = Documents.batch();
        for (const [id, data] of Object.entries(b.docs)) batch.set(Documents.doc(`rooms/${id}`), data as any);
        return await batch.commit();
      }
      case "get": return await Documents.doc(b.path).get();
      case "update": return await Documents.doc(b.path).update(b.data);
      case "page": {
        const q = Documents.collection("rooms").orderBy("name").limit(2);
        const first = await q.get();
        if (first.error) return first;
        const last = first.data[first.data.length - 1]!;
        const next = await q.startAfter(last).get();
        return { first: first.data.map((d) => d.id), next: next.data?.map((d) => d.id) ?? null, count: (await Documents.collection("rooms").count()).data };
      }
      case "sub": {
        await Documents.doc("rooms/abc").collection("messages").add({ text: "hi" });
        return await Documents.collection("rooms/abc/messages").count();
      }
      case "needsIndex": return await Documents.collection("rooms").where("name", "==", "x").orderBy("size").get();
      case "badPath": return await Documents.doc("rooms").get();
      case "tx": {
        try {
          await Database.transaction(async () => {
            await Documents.doc("rooms/tx").set({ name: "in tx" });
            if (b.fail) throw new HttpError(409, "on_purpose", "rolled back");
          });
        } catch (e) {
          if (!(e instanceof HttpError)) throw e;
        }
        return await Documents.doc("rooms/tx").get();
      }
    }
    throw new HttpError(400, "bad_op", String(b.op));
  },
});
"#;

const TOML: &str = "[[documents.indexes]]\ncollection = \"rooms\"\nfields = [\"active\", \"name\"]\n";

fn project() -> Project {
    Project::new(&[("endpoints/example/post.ts", EXAMPLE), ("endpoints/docs/post.ts", OPS), ("palbase.toml", TOML)])
}

async fn call(s: &Server, body: serde_json::Value) -> serde_json::Value {
    let r = send(client().post(s.url("/docs")).json(&body)).await;
    assert_eq!(r.status, 200, "{body}: {}\n{}", r.text, s.err());
    r.json()
}

async fn example_and_calls(s: &Server) {
    let seeded = call(s, json!({"op": "seed", "docs": {"abc": {"name": "Abc", "active": true}, "def": {"name": "Def", "active": false}, "ghi": {"name": "Ghi", "active": true}}})).await;
    assert_eq!(seeded, json!({"data": null, "error": null}));

    let r = send(client().post(s.url("/example"))).await;
    assert_eq!(r.status, 200, "{}\n{}", r.text, s.err());
    let v = r.json();
    let id = v["ref"]["id"].as_str().unwrap();
    assert_eq!(id.len(), 20);
    assert_eq!(v["ref"]["path"], format!("rooms/{id}"));
    // The new room has no `active`: a missing field never matches.
    assert_eq!(v["snap"]["error"], json!(null));
    let names: Vec<&str> = v["snap"]["data"].as_array().unwrap().iter().map(|d| d["data"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Abc", "Ghi"]);
    assert_eq!(v["doc"]["id"], "abc");
    assert_eq!(v["doc"]["path"], "rooms/abc");
    assert_eq!(v["doc"]["data"], json!({"name": "Abc", "active": true}));
    assert!(v["doc"]["createTime"].as_str().unwrap().ends_with('Z'));

    // Pagination with a snapshot cursor; count.
    let page = call(s, json!({"op": "page"})).await;
    assert_eq!(page["first"], json!(["abc", "def"]));
    assert_eq!(page["next"], json!(["ghi", id]));
    assert_eq!(page["count"], json!({"count": 4}));
    assert_eq!(call(s, json!({"op": "sub"})).await["data"], json!({"count": 1}));

    // Errors come back as `{ data: null, error }` with stable codes.
    let e = call(s, json!({"op": "update", "path": "rooms/nope", "data": {"a": 1}})).await;
    assert_eq!(e["data"], json!(null));
    assert_eq!((e["error"]["status"].clone(), e["error"]["code"].clone()), (json!(404), json!("not_found")));
    let e = call(s, json!({"op": "needsIndex"})).await;
    assert_eq!(e["error"]["code"], "index_required");
    assert!(e["error"]["message"].as_str().unwrap().contains("fields = [\"name\", \"size\"]"), "{e}");
    assert_eq!(call(s, json!({"op": "badPath"})).await["error"]["code"], "invalid_path");
    let e = call(s, json!({"op": "update", "path": "rooms/abc", "data": {"big": "x".repeat(1100 << 10)}})).await;
    assert_eq!((e["error"]["status"].clone(), e["error"]["code"].clone()), (json!(413), json!("document_too_large")));

    // Inside Database.transaction: rolled back with it, committed with it.
    assert_eq!(call(s, json!({"op": "tx", "fail": true})).await, json!({"data": null, "error": null}));
    assert_eq!(call(s, json!({"op": "tx"})).await["data"]["data"], json!({"name": "in tx"}));
}

#[tokio::test]
async fn services_md_example_on_sqlite() {
    let p = project();
    example_and_calls(&p.serve()).await;
}

#[tokio::test]
async fn services_md_example_on_postgresql() {
    let Some(db) = PgDb::new() else { return };
    let p = project();
    example_and_calls(&Server::start_env(p.path(), &[], &[("PALBASE_DATABASE_URL", db.url())])).await;
}

/// Document writes become jobs of the `event:documents.*` workers (what document hooks define),
/// in the write's transaction: a rolled-back write leaves no event.
async fn events_reach_the_event_workers(s: &Server, dir: &std::path::Path) {
    call(s, json!({"op": "seed", "docs": {"e1": {"name": "one"}}})).await;
    call(s, json!({"op": "update", "path": "rooms/e1", "data": {"name": "uno"}})).await;
    call(s, json!({"op": "tx", "fail": true})).await;
    let mut seen = json!(null);
    for _ in 0..100 {
        seen = send(client().get(s.url("/events"))).await.json();
        if seen.as_array().is_some_and(|a| a.len() >= 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let seen = send(client().get(s.url("/events"))).await.json();
    assert_eq!(
        seen,
        json!([
            {"kind": "created", "path": "rooms/e1", "before": "null", "after": "{\"name\":\"one\"}"},
            {"kind": "updated", "path": "rooms/e1", "before": "{\"name\":\"one\"}", "after": "{\"name\":\"uno\"}"},
        ]),
        "{}\n{:?}",
        s.err(),
        palbase(&["jobs", "list", dir.to_str().unwrap()])
    );
}

fn events_project() -> Project {
    let p = project();
    p.write(
        "db/schema.ts",
        r#"import { defineSchema, table, text } from "@palbase/backend";
export default defineSchema({ events: table("events", { n: text().primaryKey(), kind: text().notNull(), path: text().notNull(), before: text(), after: text() }) });
"#,
    );
    for kind in ["created", "updated", "deleted"] {
        p.write(
            &format!("workers/{kind}.ts"),
            &format!(
                r#"import {{ defineWorker }} from "@palbase/backend";
export default defineWorker({{ name: "event:documents.{kind}", concurrency: 1, handler: async (ctx, e: any) => {{
  const at = e.at + ({{ created: "0", updated: "1", deleted: "2" }} as any)["{kind}"];
  await ctx.db.insert("events", {{ n: at, kind: "{kind}", path: e.path, before: JSON.stringify(e.before), after: JSON.stringify(e.after) }});
}} }});
"#
            ),
        );
    }
    p.write(
        "endpoints/events/get.ts",
        r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => Database.query("SELECT kind, path, before, after FROM events ORDER BY n") });
"#,
    );
    p
}

#[tokio::test]
async fn document_events_reach_the_queue_on_sqlite() {
    let p = events_project();
    events_reach_the_event_workers(&p.serve(), p.path()).await;
}

#[tokio::test]
async fn document_events_reach_the_queue_on_postgresql() {
    let Some(db) = PgDb::new() else { return };
    let p = events_project();
    events_reach_the_event_workers(&Server::start_env(p.path(), &[], &[("PALBASE_DATABASE_URL", db.url())]), p.path()).await;
}
