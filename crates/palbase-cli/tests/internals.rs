//! Handler code cannot reach the runtime's internals: the ops bridge and the completion
//! callback are not on the global object, and `@palbase/backend` exports none of the `__pb_*`
//! entry points (with which a handler could answer another client's request).

mod common;

use common::*;

#[tokio::test]
async fn runtime_internals_are_out_of_reach() {
    let p = Project::new(&[(
        "endpoints/probe/get.ts",
        r#"import { defineEndpoint, Cache } from "@palbase/backend";
import * as sdk from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => {
  const g = globalThis as any;
  await Cache.set("still", "works");
  return {
    host: typeof g.__pb_host, complete: typeof g.__pb_complete, dispatch: typeof g.__pb_dispatch,
    exported: Object.keys(sdk).filter((k) => k.startsWith("__pb")),
    globals: Object.getOwnPropertyNames(globalThis).filter((k) => k.startsWith("__pb")),
    cache: await Cache.get("still"),
  };
} });
"#,
    )]);
    let s = p.serve();
    let r = send(client().get(s.url("/probe"))).await;
    assert_eq!(r.status, 200, "{}\n{}", r.text, s.err());
    assert_eq!(r.json(), serde_json::json!({"host": "undefined", "complete": "undefined", "dispatch": "undefined", "exported": [], "globals": [], "cache": "works"}));

    // Importing an entry point by name is a load error naming the file, not a way in.
    p.write(
        "endpoints/forge/get.ts",
        "import { __pb_dispatch } from \"@palbase/backend\";\nimport { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ t: typeof __pb_dispatch }) });\n",
    );
    let (ok, out, err) = palbase(&["check", p.path().to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(err.contains("endpoints/forge/get.ts") && err.contains("__pb_dispatch"), "{err}");
}

/// A handler that gets hold of another request's transaction (here through a global the two
/// share on one engine; an attacker could also guess its id) cannot write through it, commit
/// it or roll it back: an op acts only for the request that called it.
#[tokio::test]
async fn a_transaction_serves_only_the_request_that_opened_it() {
    let p = Project::new(&[
        ("db/schema.ts", "import { defineSchema, table, uuid, text } from \"@palbase/backend\";\nexport default defineSchema({ notes: table(\"notes\", { id: uuid().primaryKey().defaultRandom(), body: text().notNull() }) });\n"),
        (
            "endpoints/open/post.ts",
            r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "POST", handler: async () => {
  await Database.transaction(async (tx) => {
    (globalThis as any).leaked = tx;
    await tx.insert("notes", { body: "mine" });
    await new Promise((r) => setTimeout(r, 700));
  });
  return { committed: true };
} });
"#,
        ),
        (
            "endpoints/steal/post.ts",
            r#"import { defineEndpoint } from "@palbase/backend";
export default defineEndpoint({ method: "POST", handler: async () => {
  const tx = (globalThis as any).leaked;
  if (!tx) return { found: false };
  const attempt = async (f: () => Promise<unknown>) => { try { await f(); return "ok"; } catch (e: any) { return e?.code ?? String(e); } };
  return {
    found: true,
    insert: await attempt(() => tx.insert("notes", { body: "forged" })),
    read: await attempt(() => tx.findById("notes", "00000000-0000-0000-0000-000000000000")),
  };
} });
"#,
        ),
        (
            "endpoints/notes/get.ts",
            "import { defineEndpoint, Database } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ bodies: (await Database.findMany(\"notes\")).map((n: any) => n.body) }) });\n",
        ),
    ]);
    // One engine: the two handlers share the global.
    let s = Server::start(p.path(), &["--threads", "1"]);
    let c = client();
    let open = tokio::spawn(send(c.post(s.url("/open"))));
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    let stolen = send(c.post(s.url("/steal"))).await;
    assert_eq!(stolen.status, 200, "{}", stolen.text);
    assert_eq!(stolen.json(), serde_json::json!({ "found": true, "insert": "transaction_closed", "read": "transaction_closed" }), "{}", s.err());
    let open = open.await.unwrap();
    assert_eq!(open.json(), serde_json::json!({ "committed": true }), "{}", open.text);
    assert_eq!(send(c.get(s.url("/notes"))).await.json(), serde_json::json!({ "bodies": ["mine"] }));
}
