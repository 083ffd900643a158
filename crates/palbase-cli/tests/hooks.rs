//! Hooks (events.md) through the real server: storage and document events reach every hook
//! that subscribes (several per file, several files per event, filters), with the documented
//! event shapes and one event id across retries; a rolled-back write emits nothing; a hook that
//! always throws ends dead-lettered while the write that caused it succeeded.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

const DOCS_HOOKS: &str = r#"import { documents } from "@palbase/backend";
export const created = documents.onDocumentCreated(async (ctx, event) => {
  ctx.log.info(`hook created ${event.path} ${event.collection} ${event.id} name=${event.data.name} ${event.eventId.startsWith("evt_")}`);
});
export const roomsOnly = documents.onDocumentCreated("rooms/*", async (ctx, event) => {
  ctx.log.info(`hook rooms-only ${event.path}`);
});
export const updated = documents.onDocumentUpdated("rooms", async (ctx, event) => {
  ctx.log.info(`hook updated ${event.path} ${event.before.name}->${event.after.name}`);
});
export const deleted = documents.onDocumentDeleted(async (ctx, event) => {
  ctx.log.info(`hook deleted ${event.path} name=${event.data.name}`);
});
export const helper = 42; // not a hook: ignored
"#;

const MORE_HOOKS: &str = r#"import { documents, storage } from "@palbase/backend";
export const second = documents.onDocumentCreated(async (ctx, event) => {
  ctx.log.info(`hook second-file ${event.path}`);
});
export const uploaded = storage.onFileUploaded(async (ctx, event) => {
  ctx.log.info(`hook uploaded ${event.bucket}/${event.path} ${event.size} ${event.contentType}`);
});
export const removed = storage.onFileDeleted(async (ctx, event) => {
  ctx.log.info(`hook removed ${event.bucket}/${event.path}`);
});
// Fails the first attempt of v=1: v=2 of the same document must still come after it.
export const seq = documents.onDocumentUpdated("seq", async (ctx, event) => {
  const n = await ctx.cache.incr(`seq-${event.after.v}`);
  if (event.after.v === 1 && n === 1) throw new Error("first attempt fails");
  ctx.log.info(`hook seq update v=${event.after.v}`);
});
export const flaky = documents.onDocumentCreated("flaky", async (ctx, event) => {
  ctx.log.info(`hook flaky attempt ${event.eventId}`);
  throw new Error("flaky hook fails");
});
"#;

const WRITE: &str = r#"import { defineEndpoint, Documents, Database, Storage, HttpError } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
    const b = req.input as any;
    if (b.op === "set") return await Documents.doc(b.path).set(b.data);
    if (b.op === "update") return await Documents.doc(b.path).update(b.data);
    if (b.op === "delete") return await Documents.doc(b.path).delete();
    if (b.op === "upload") return await Storage.bucket("files").upload(b.path, b.text, { contentType: "text/plain" });
    if (b.op === "remove") return await Storage.bucket("files").remove([b.path]);
    if (b.op === "rollback") {
      try {
        await Database.transaction(async () => {
          await Documents.doc(b.path).set(b.data);
          throw new HttpError(409, "on_purpose", "rolled back");
        });
      } catch (e) {}
      return await Documents.doc(b.path).get();
    }
    return null;
  },
});
"#;

fn project() -> Project {
    Project::new(&[("hooks/docs.ts", DOCS_HOOKS), ("hooks/more.ts", MORE_HOOKS), ("endpoints/write/post.ts", WRITE), ("palbase.toml", "[queue]\nbackoff_base_ms = 20\npoll_interval_ms = 100\n\n[storage.buckets.files]\n")])
}

async fn write(c: &reqwest::Client, s: &Server, body: serde_json::Value) -> serde_json::Value {
    let r = send(c.post(s.url("/write")).json(&body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn wait_log(s: &Server, needle: &str) {
    assert!(s.wait_for_err(|e| e.contains(needle).then_some(()), Duration::from_secs(10)).is_some(), "never logged {needle:?}:\n{}", s.err());
}

async fn storage_and_document_events(p: &Project, s: &Server, env: &[(&str, &str)]) {
    let c = client();
    // The terminal lists every hook.
    assert!(s.wait_for(|o| o.contains("hooks:").then_some(()), Duration::from_secs(5)).is_some(), "{}", s.out());
    assert!(s.out().contains("documents.onDocumentCreated") && s.out().contains("hooks/docs.ts#roomsOnly (only rooms/*)"), "{}", s.out());

    write(&c, s, json!({ "op": "set", "path": "rooms/abc", "data": { "name": "Lobby" } })).await;
    wait_log(s, "hook created rooms/abc rooms abc name=Lobby true");
    wait_log(s, "hook rooms-only rooms/abc");
    wait_log(s, "hook second-file rooms/abc");
    write(&c, s, json!({ "op": "update", "path": "rooms/abc", "data": { "name": "Hall" } })).await;
    wait_log(s, "hook updated rooms/abc Lobby->Hall");
    write(&c, s, json!({ "op": "delete", "path": "rooms/abc" })).await;
    wait_log(s, "hook deleted rooms/abc name=Hall");
    // Filters: a document elsewhere reaches the unfiltered hooks only.
    write(&c, s, json!({ "op": "set", "path": "users/u1", "data": { "name": "Ann" } })).await;
    wait_log(s, "hook second-file users/u1");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!s.err().contains("hook rooms-only users/u1"), "{}", s.err());

    // Storage.
    write(&c, s, json!({ "op": "upload", "path": "a/b.txt", "text": "hello" })).await;
    wait_log(s, "hook uploaded files/a/b.txt 5 text/plain");
    write(&c, s, json!({ "op": "remove", "path": "a/b.txt" })).await;
    wait_log(s, "hook removed files/a/b.txt");

    // The events of one document reach a hook in commit order, even when one is retried.
    write(&c, s, json!({ "op": "set", "path": "seq/a", "data": { "v": 0 } })).await;
    write(&c, s, json!({ "op": "update", "path": "seq/a", "data": { "v": 1 } })).await;
    write(&c, s, json!({ "op": "update", "path": "seq/a", "data": { "v": 2 } })).await;
    wait_log(s, "hook seq update v=2");
    let log = s.err();
    let (v1, v2) = (log.find("hook seq update v=1"), log.find("hook seq update v=2"));
    assert!(v1.is_some() && v1 < v2, "v=1 (retried) before v=2:\n{log}");

    // A rolled-back write emits nothing.
    let r = write(&c, s, json!({ "op": "rollback", "path": "rooms/ghost", "data": { "name": "x" } })).await;
    assert_eq!(r["data"], json!(null), "{r}");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!s.err().contains("rooms/ghost"), "{}", s.err());

    // A hook that always throws: retried with the worker policy (3 retries), then dead with every
    // attempt's error; the write that caused it succeeded; every attempt saw the same event id.
    let r = write(&c, s, json!({ "op": "set", "path": "flaky/f1", "data": { "n": 1 } })).await;
    assert_eq!(r["error"], json!(null), "{r}");
    let dir = p.path().to_str().unwrap().to_string();
    let t0 = Instant::now();
    let dead = loop {
        let (_, out, _) = palbase_env(&["jobs", "list", &dir, "--status", "dead"], env);
        if let Some(line) = out.lines().find(|l| l.contains("hook:hooks/more.ts#flaky")) {
            break line.split_whitespace().next().unwrap().to_string();
        }
        assert!(t0.elapsed() < Duration::from_secs(20), "never dead:\n{out}\n{}", s.err());
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let (ok, out, err) = palbase_env(&["jobs", "show", &dir, &dead], env);
    assert!(ok, "{err}");
    assert_eq!(out.matches("flaky hook fails").count(), 4, "retry + 1 attempts, every error kept:\n{out}");
    let log = s.err();
    let attempts: Vec<&str> = log.lines().filter_map(|l| l.split("hook flaky attempt ").nth(1)).map(|r| r.split(['"', ' ']).next().unwrap()).collect::<Vec<_>>();
    assert_eq!(attempts.len(), 4, "{}", s.err());
    assert!(attempts.iter().all(|a| *a == attempts[0]), "one event id across retries: {attempts:?}");
    assert_eq!(write(&c, s, json!({ "op": "set", "path": "flaky/f2", "data": {} })).await["error"], json!(null), "a failing hook never fails the write");
}

#[tokio::test]
async fn storage_and_document_events_sqlite() {
    let p = project();
    storage_and_document_events(&p, &p.serve(), &[]).await;
}

#[tokio::test]
async fn storage_and_document_events_postgresql() {
    let Some(db) = PgDb::new() else { return };
    let p = project();
    let env = [("PALBASE_DATABASE_URL", db.url())];
    storage_and_document_events(&p, &Server::start_env(p.path(), &[], &env), &env).await;
}

#[test]
fn hooks_files_are_checked() {
    let p = Project::new(&[("hooks/empty.ts", "export const x = 1;\n"), ("workers/bad.ts", "import { defineWorker } from \"@palbase/backend\";\nexport default defineWorker({ name: \"hook:mine\", handler: async () => {} });\n")]);
    let (ok, out, err) = palbase(&["check", p.path().to_str().unwrap()]);
    let text = format!("{out}{err}");
    assert!(!ok && text.contains("hooks/empty.ts") && text.contains("exports no hook"), "{text}");
    assert!(text.contains("reserved"), "{text}");
}
