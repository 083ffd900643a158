//! database.md and schema.md through HTTP, on the embedded SQLite and on PostgreSQL: the spec's
//! examples (examples/spec-project, verbatim) plus the behaviour the Database issue names.

mod common;

use common::*;
use serde_json::json;

/// The spec project, copied, with tables the database.md snippets use (todos, order_items,
/// posts) added after schema.md's verbatim tables, and a few test endpoints.
fn project() -> Project {
    let p = Project::new(&[]);
    let src = workspace_root().join("examples/spec-project");
    copy_dir(&src, p.path());
    let schema = std::fs::read_to_string(src.join("db/schema.ts")).unwrap();
    let extra = r#"todos: table("todos", {
id: uuid().primaryKey().defaultRandom(),
title: text().notNull(),
done: boolean().default(false),
locked: boolean().default(false),
created_at: timestamp().defaultNow(),
}),
order_items: table("order_items", {
id: uuid().primaryKey().defaultRandom(),
order_id: uuid().notNull().references("orders", "id").onDelete("cascade"),
sku: text().notNull(),
}),
posts: table("posts", {
id: uuid().primaryKey().defaultRandom(),
title: text().notNull(),
}),
});
"#;
    let cut = schema.rfind("});").unwrap();
    p.write("db/schema.ts", &format!("{}{}", &schema[..cut], extra));
    p.write(
        "endpoints/test/count/get.ts",
        r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async (req) => {
  const rows = await Database.query(`SELECT count(*) AS n FROM ${req.query.table}`);
  return { n: Number(rows[0]!.n) };
} });
"#,
    );
    p.write(
        "endpoints/test/sql/post.ts",
        r#"import { defineEndpoint, Database, z } from "@palbase/backend";
export default defineEndpoint({ method: "POST", input: z.object({ sql: z.string(), params: z.array(z.any()).optional() }), handler: async (req) => ({ rows: await Database.query(req.input.sql, req.input.params) }) });
"#,
    );
    p.write(
        "endpoints/test/rollback/post.ts",
        r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "POST", handler: async () => {
  try {
    await Database.transaction(async (tx) => {
      const order = await tx.insert("orders", { amount: 5, status: "pending" });
      await tx.insert("order_items", { order_id: order.id, sku: "X" });
      throw new Error("changed my mind");
    });
  } catch (e) { return { rolledBack: (e as Error).message }; }
  return { rolledBack: null };
} });
"#,
    );
    p.write(
        "endpoints/test/session/post.ts",
        r#"import { defineEndpoint, Database, z } from "@palbase/backend";
export default defineEndpoint({ method: "POST", input: z.object({ room_id: z.string() }), handler: async (req) =>
  Database.insert("sessions", { room_id: req.input.room_id, user_id: "00000000-0000-4000-8000-000000000001", data: { nested: [1, true, null] } }) });
"#,
    );
    p.write(
        "endpoints/test/order/post.ts",
        r#"import { defineEndpoint, Database, z } from "@palbase/backend";
export default defineEndpoint({ method: "POST", input: z.object({ status: z.string() }), handler: async (req) =>
  Database.insert("orders", { amount: 1, status: req.input.status }) });
"#,
    );
    p
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "node_modules" || name == ".palbase" {
            continue;
        }
        let dest = to.join(&name);
        if e.path().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

async fn suite(p: &Project, s: &Server) {
    let c = client();
    let t = token(p.path(), "00000000-0000-4000-8000-000000000009", "member");

    // endpoints.md typed input/output (Database.insert with a nullable column).
    let r = send(c.post(s.url("/rooms")).bearer_auth(&t).json(&json!({"name": "Lobby"}))).await;
    let room = r.json();
    assert_eq!((r.status, &room["name"], &room["capacity"]), (200, &json!("Lobby"), &json!(null)), "{}", r.text);
    let r = send(c.post(s.url("/rooms")).bearer_auth(&t).json(&json!({"name": "Big", "capacity": 40}))).await;
    assert_eq!(r.json()["capacity"], 40);

    // schema.md typedDatabase.
    let r = send(c.post(s.url("/typed-rooms")).json(&json!({"name": "Typed"}))).await;
    assert_eq!(r.json()["name"], "Typed", "{}", r.text);
    assert_eq!(r.json()["id"].as_str().unwrap().len(), 36);

    // database.md: every operation, the read-only query and the transaction, verbatim.
    let r = send(c.post(s.url("/todos")).json(&json!({}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let j = r.json();
    assert_eq!(j["one"]["title"], "buy milk");
    assert_eq!(j["one"]["done"], false, "booleans are true/false on every backend");
    assert!(j["one"]["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(j["open"].as_array().unwrap().iter().any(|t| t["id"] == j["one"]["id"]));
    assert!(j["rows"].is_array());
    let count = |table: &'static str| {
        let (c, u) = (c.clone(), s.url(&format!("/test/count?table={table}")));
        async move { send(c.get(u)).await.json()["n"].as_i64().unwrap() }
    };
    assert_eq!(count("todos").await, 0, "the todo was deleted");
    assert_eq!(count("order_items").await, 1, "the transaction committed");

    // Throwing inside a transaction rolls it back.
    let (orders, items) = (count("orders").await, count("order_items").await);
    assert_eq!(send(c.post(s.url("/test/rollback"))).await.json(), json!({"rolledBack": "changed my mind"}));
    assert_eq!((count("orders").await, count("order_items").await), (orders, items));

    // routing.md: GET /posts/:id → 404 envelope for a missing post.
    send(c.get(s.url("/posts/00000000-0000-4000-8000-00000000abcd"))).await.envelope(404, "post_not_found");

    // Database.query is read-only for real, and parameters bind on both backends.
    for sql in
        ["INSERT INTO todos (id, title) VALUES ('00000000-0000-4000-8000-000000000001', 'x')", "DELETE FROM rooms", "DROP TABLE rooms", "WITH d AS (DELETE FROM rooms RETURNING id) SELECT count(*) FROM d", "SELECT 1; DELETE FROM rooms"]
    {
        let r = send(c.post(s.url("/test/sql")).json(&json!({"sql": sql}))).await;
        assert!(r.status == 400 || r.status == 500, "{sql}: {}", r.text);
        assert!(!r.text.contains("DELETE") && !r.text.contains("DROP"), "no SQL leaked: {}", r.text);
    }
    assert!(count("rooms").await >= 3, "nothing was deleted");
    let r = send(c.post(s.url("/test/sql")).json(&json!({"sql": "SELECT name, capacity, is_active FROM rooms WHERE name = $1", "params": ["Lobby"]}))).await;
    assert_eq!(r.json()["rows"], json!([{"name": "Lobby", "capacity": null, "is_active": true}]), "{}", r.text);

    // Foreign keys and enums are enforced; the envelope names the constraint, not the SQL.
    let r = send(c.post(s.url("/test/session")).json(&json!({"room_id": "00000000-0000-4000-8000-00000000ffff"}))).await;
    let e = r.envelope(409, "foreign_key_violation");
    assert!(!e["error_description"].as_str().unwrap().contains("INSERT"));
    let r = send(c.post(s.url("/test/session")).json(&json!({"room_id": room["id"]}))).await;
    assert_eq!(r.json()["data"], json!({"nested": [1, true, null]}), "jsonb round-trips: {}", r.text);
    send(c.post(s.url("/test/order")).json(&json!({"status": "lost"}))).await.envelope(400, "invalid_enum_value");
    assert_eq!(send(c.post(s.url("/test/order")).json(&json!({"status": "paid"}))).await.json()["status"], "paid");
}

#[tokio::test]
async fn database_examples_on_sqlite() {
    let p = project();
    let s = Server::start(p.path(), &["--no-watch"]);
    suite(&p, &s).await;
    assert!(p.path().join(".palbase/palbase.db").exists());
}

#[tokio::test]
async fn database_examples_on_postgresql() {
    let Some(db) = PgDb::new() else { return };
    let p = project();
    let s = Server::start_env(p.path(), &["--no-watch"], &[("PALBASE_DATABASE_URL", db.url())]);
    suite(&p, &s).await;
    assert!(!p.path().join(".palbase/palbase.db").exists(), "PostgreSQL, not SQLite");
}

#[tokio::test]
async fn destructive_schema_change_is_refused_until_palbase_migrate() {
    let p = Project::new(&[
        (
            "db/schema.ts",
            "import { defineSchema, table, uuid, text } from \"@palbase/backend\";\nexport default defineSchema({ notes: table(\"notes\", { id: uuid().primaryKey().defaultRandom(), body: text().notNull(), extra: text().nullable() }) });\n",
        ),
        ("endpoints/notes/post.ts", "import { defineEndpoint, Database } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"POST\", handler: async () => Database.insert(\"notes\", { body: \"hi\" }) });\n"),
    ]);
    let s = p.serve();
    let c = client();
    assert_eq!(send(c.post(s.url("/notes"))).await.json()["extra"], json!(null));
    // Dropping a column is destructive: refused with the command that applies it.
    p.write("db/schema.ts", "import { defineSchema, table, uuid, text } from \"@palbase/backend\";\nexport default defineSchema({ notes: table(\"notes\", { id: uuid().primaryKey().defaultRandom(), body: text().notNull() }) });\n");
    assert!(s.wait_for_err(|e| e.contains("palbase migrate --accept-data-loss").then_some(()), std::time::Duration::from_secs(5)).is_some(), "{}", s.err());
    drop(s);
    let dir = p.path().to_str().unwrap();
    let (ok, out, _) = palbase(&["migrate", dir, "--dry-run"]);
    assert!(!ok, "refused without the flag: {out}");
    let (ok, out, err) = palbase(&["migrate", dir, "--dry-run", "--accept-data-loss"]);
    assert!(ok && (out.contains("DROP COLUMN") || out.contains("notes_palbase_new")) && out.contains("dry run"), "{out}{err}");
    let (ok, out, err) = palbase(&["migrate", dir, "--accept-data-loss"]);
    assert!(ok && out.contains("applied"), "{out}{err}");
    let (ok, out, _) = palbase(&["migrate", dir]);
    assert!(ok && out.contains("up to date"), "{out}");
    let s = p.serve();
    assert_eq!(send(client().post(s.url("/notes"))).await.json().get("extra"), None);
}
