//! Hostile handlers, hot reload, project errors and module resolution.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

fn ep(body: &str) -> String {
    format!("import {{ defineEndpoint }} from \"@palbase/backend\";\nexport default defineEndpoint({{ method: \"GET\", handler: async (req) => {{ {body} }} }});\n")
}

#[tokio::test]
async fn hostile_handlers_are_stopped_and_the_server_keeps_serving() {
    let p = Project::new(&[
        ("palbase.toml", "[limits]\nhandler_timeout_ms = 300\nmemory_limit_mb = 64\n"),
        ("endpoints/ok/get.ts", &ep("return { ok: true };")),
        ("endpoints/spin/get.ts", &ep("while (true) {}")),
        ("endpoints/swallow/get.ts", &ep("try { while (true) {} } catch (e) {} return { escaped: true };")),
        ("endpoints/spin-later/get.ts", &ep("await new Promise((r) => setTimeout(r, 1)); for (;;) {}")),
        ("endpoints/alloc/get.ts", &ep("const a: number[][] = []; while (true) a.push(new Array(1e5).fill(1));")),
        ("endpoints/recurse/get.ts", &ep("const f = (n: number): number => f(n + 1) + 1; return f(0);")),
        ("endpoints/regex/get.ts", &ep("return { m: /^(a+)+$/.test('a'.repeat(40) + 'b') };")),
        ("endpoints/hang/get.ts", &ep("await new Promise(() => {}); return 1;")),
    ]);
    let s = p.serve();
    let c = client();
    for (path, code) in [("/spin", "timeout"), ("/swallow", "timeout"), ("/spin-later", "timeout"), ("/regex", "timeout"), ("/hang", "timeout"), ("/recurse", "stack_overflow")] {
        let t0 = Instant::now();
        let r = send(c.get(s.url(path))).await;
        r.envelope(500, code);
        assert!(t0.elapsed() < Duration::from_secs(3), "{path} took {:?}", t0.elapsed());
        assert_eq!(send(c.get(s.url("/ok"))).await.json(), json!({"ok": true}), "after {path}");
    }
    let r = send(c.get(s.url("/alloc"))).await;
    assert_eq!(r.status, 500, "{}", r.text);
    assert!(["out_of_memory", "internal_error", "timeout"].contains(&r.json()["error"].as_str().unwrap()), "{}", r.text);
    // The engine is reused and others keep being served, concurrently too.
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (c, u) = (c.clone(), s.url("/ok"));
        tasks.push(tokio::spawn(async move { send(c.get(u)).await.status }));
    }
    let spin = tokio::spawn({
        let (c, u) = (c.clone(), s.url("/spin"));
        async move { send(c.get(u)).await.status }
    });
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert_eq!(spin.await.unwrap(), 500);
}

#[tokio::test]
async fn hot_reload_edit_add_delete_and_broken_edits() {
    let p = Project::new(&[("endpoints/a/get.ts", &ep("return { v: 1 };"))]);
    let s = p.serve();
    let c = client();
    assert_eq!(send(c.get(s.url("/a"))).await.json(), json!({"v": 1}));

    let wait_json = |path: &'static str, want: serde_json::Value| {
        let (c, url) = (c.clone(), s.url(path));
        async move {
            let t0 = Instant::now();
            loop {
                let r = send(c.get(&url)).await;
                if r.status == 200 && r.json() == want {
                    return t0.elapsed();
                }
                assert!(t0.elapsed() < Duration::from_secs(5), "{path} never became {want}: {} {}", r.status, r.text);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    };
    p.write("endpoints/a/get.ts", &ep("return { v: 2 };"));
    let took = wait_json("/a", json!({"v": 2})).await;
    assert!(took < Duration::from_secs(1), "edit live in {took:?}");

    p.write("endpoints/b/post.ts", &ep("return { b: true };").replace("\"GET\"", "\"POST\""));
    let t0 = Instant::now();
    loop {
        if send(c.post(s.url("/b"))).await.status == 200 {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // A syntax error keeps the previous version and is printed with file:line:col.
    p.write("endpoints/a/get.ts", "import { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({\n  method: \"GET\",\n  handler: async () => ({ v: 3, }}),\n});\n");
    assert!(s.wait_for_err(|e| e.contains("endpoints/a/get.ts:4:").then_some(()), Duration::from_secs(5)).is_some(), "{}", s.err());
    assert_eq!(send(c.get(s.url("/a"))).await.json(), json!({"v": 2}), "previous version keeps serving");
    // A load error (throws at import) also keeps the previous version.
    p.write("endpoints/a/get.ts", "throw new Error(\"boom at load\");\nexport default 1;\n");
    assert!(s.wait_for_err(|e| e.contains("boom at load").then_some(()), Duration::from_secs(5)).is_some(), "{}", s.err());
    assert_eq!(send(c.get(s.url("/a"))).await.json(), json!({"v": 2}));
    // Fixing it serves the new code.
    p.write("endpoints/a/get.ts", &ep("return { v: 4 };"));
    wait_json("/a", json!({"v": 4})).await;
    // Deleting a file removes its route.
    p.remove("endpoints/b/post.ts");
    let t0 = Instant::now();
    loop {
        if send(c.post(s.url("/b"))).await.status == 404 {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The schema is read from the first engine the workers load for a version (no engine of its
/// own): a schema that throws is reported with its file, and each fixed or changed one migrates.
#[tokio::test]
async fn the_schema_of_each_version_is_evaluated_and_migrated() {
    let schema = |columns: &str| format!("import {{ defineSchema, table, text }} from \"@palbase/backend\";\nexport default defineSchema({{ notes: table(\"notes\", {{ id: text().primaryKey(){columns} }}) }});\n");
    let p = Project::new(&[
        ("db/schema.ts", "import { defineSchema } from \"@palbase/backend\";\nif (1 > 0) throw new Error(\"schema boom\");\nexport default defineSchema({});\n"),
        ("endpoints/notes/get.ts", "import { defineEndpoint, Database } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ notes: await Database.findMany(\"notes\") }) });\n"),
        (
            "endpoints/notes/post.ts",
            "import { defineEndpoint, Database, z } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"POST\", input: z.record(z.string(), z.string()), handler: async (req) => Database.insert(\"notes\", req.input) });\n",
        ),
    ]);
    let s = p.serve();
    let c = client();
    let r = send(c.get(s.url("/notes"))).await;
    assert!(r.status == 503 && r.text.contains("db/schema.ts") && r.text.contains("schema boom"), "{} {}", r.status, r.text);
    p.write("db/schema.ts", &schema(""));
    let t0 = Instant::now();
    while send(c.get(s.url("/notes"))).await.status != 200 {
        assert!(t0.elapsed() < Duration::from_secs(5), "the fixed schema never served: {}", s.err());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(send(c.post(s.url("/notes")).json(&json!({"id": "n1"}))).await.status, 200);
    // A new column: migrated on reload, before the version serves.
    p.write("db/schema.ts", &schema(", body: text().nullable()"));
    let t0 = Instant::now();
    loop {
        let r = send(c.post(s.url("/notes")).json(&json!({"id": "n2", "body": "hi"}))).await;
        if r.status == 200 {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(5), "the new column never arrived: {} {}\n{}", r.status, r.text, s.err());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(send(c.get(s.url("/notes"))).await.json()["notes"], json!([{"id": "n1", "body": null}, {"id": "n2", "body": "hi"}]));
}

#[tokio::test]
async fn project_errors_name_the_file() {
    let cases: &[(&str, &str, &str)] = &[
        ("endpoints/x/get.ts", "export const a = 1;\n", "endpoints/x/get.ts: has no default export"),
        ("endpoints/x/get.ts", "export default { method: 'GET', handler: () => 1 };\n", "endpoints/x/get.ts: the default export is not a defineEndpoint(...) result"),
        ("endpoints/x/get.ts", "import { defineEndpoint } from '@palbase/backend';\nexport default defineEndpoint({ method: 'POST', handler: async () => 1 } as any);\n", "contradicts the file name"),
        ("endpoints/x/index.ts", "export default 1;\n", "endpoints/x/index.ts: not a method file"),
        ("endpoints/x/get.ts", "import { nope } from './missing.js';\nexport default nope;\n", "endpoints/x/get.ts:1:22: cannot resolve import \"./missing.js\""),
        ("endpoints/x/get.ts", "import { defineEndpointt } from '@palbase/backend';\nexport default defineEndpointt({});\n", "endpoints/x/get.ts: imports `defineEndpointt` from \"@palbase/backend\""),
        ("endpoints/x/get.ts", "const x = ;\n", "endpoints/x/get.ts:1:11"),
        // A load-time throw is located in the TypeScript source, not the compiled JavaScript.
        ("endpoints/x/get.ts", "// comment\n\ninterface A { x: number }\n\nconst a: A = { x: 1 };\nif (a.x === 1) throw new Error(\"boom at load\");\nexport default a;\n", "endpoints/x/get.ts:6:"),
    ];
    for (file, text, want) in cases {
        let p = Project::new(&[(file, text)]);
        let (ok, out, err) = palbase(&["check", p.path().to_str().unwrap()]);
        assert!(!ok, "{file} should fail: {out}");
        assert!(err.contains(want), "want `{want}` in:\n{err}");
    }
    let p = Project::new(&[("endpoints/p/[id]/get.ts", &ep("return 1;")), ("endpoints/p/[slug]/get.ts", &ep("return 2;"))]);
    let (ok, _, err) = palbase(&["check", p.path().to_str().unwrap()]);
    assert!(!ok && err.contains("GET /p/:slug is also defined by endpoints/p/[id]/get.ts"), "{err}");
    // Serving a broken project answers 503 with the reason until it is fixed.
    let p = Project::new(&[("endpoints/x/get.ts", "export const a = 1;\n")]);
    let s = p.serve();
    let r = send(client().get(s.url("/x"))).await;
    assert!(r.status == 503 && r.text.contains("has no default export"), "{}", r.text);
}

#[tokio::test]
async fn imports_relative_bare_esm_cjs_json_and_node_builtins() {
    let p = Project::new(&[
        ("lib/util.ts", "export const twice = (n: number): number => n * 2;\nexport enum Color { Red = 'red' }\n"),
        ("lib/data.json", "{\"answer\": 42}"),
        ("node_modules/esm-pkg/package.json", r#"{"name":"esm-pkg","type":"module","exports":{".":{"import":"./index.js","require":"./index.cjs"}}}"#),
        ("node_modules/esm-pkg/index.js", "export const hello = (n) => `esm ${n}`;\n"),
        ("node_modules/cjs-pkg/package.json", r#"{"name":"cjs-pkg","main":"lib/index.js"}"#),
        ("node_modules/cjs-pkg/lib/index.js", "const dep = require('./dep');\nexports.add = (a, b) => a + b + dep.zero;\nexports.env = process.env.NODE_ENV;\n"),
        ("node_modules/cjs-pkg/lib/dep.js", "module.exports = { zero: 0 };\n"),
        (
            "endpoints/mix/get.ts",
            r#"import { defineEndpoint } from "@palbase/backend";
import { twice, Color } from "../../lib/util.js";
import data from "../../lib/data.json";
import { hello } from "esm-pkg";
import cjs, { add } from "cjs-pkg";
import { z } from "zod";
import { Buffer } from "node:buffer";
export default defineEndpoint({ method: "GET", handler: async () => ({
  twice: twice(21), color: Color.Red, data, hello: hello(1), add: add(2, 3), def: cjs.add(1, 1), env: cjs.env,
  zod: z.string().safeParse("x").success, b64: Buffer.from("hi").toString("base64"),
  uuid: typeof crypto.randomUUID(), url: new URL("https://a.b/c?d=1").searchParams.get("d"),
  text: new TextDecoder().decode(new TextEncoder().encode("ok")),
}) });
"#,
        ),
    ]);
    let s = p.serve();
    let r = send(client().get(s.url("/mix"))).await;
    assert_eq!(r.json(), json!({"twice": 42, "color": "red", "data": {"answer": 42}, "hello": "esm 1", "add": 5, "def": 2, "env": "production", "zod": true, "b64": "aGk=", "uuid": "string", "url": "1", "text": "ok"}), "{}", s.err());
}

/// Imports and project files are confined to the project directory, also through symbolic links
/// and packages' manifests; a package linked from outside loads only when allowed.
#[tokio::test]
async fn nothing_outside_the_project_is_loaded() {
    let outside = tempfile::tempdir().unwrap();
    let out = outside.path();
    std::fs::write(out.join("secret.ts"), "export default 'outside';\n").unwrap();
    std::fs::create_dir_all(out.join("pkg")).unwrap();
    std::fs::write(out.join("pkg/package.json"), r#"{"main":"index.js"}"#).unwrap();
    std::fs::write(out.join("pkg/index.js"), "export default 'linked';\n").unwrap();
    let link = |p: &Project, target: &str, at: &str| {
        let at = p.path().join(at);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(out.join(target), at).unwrap();
    };
    let importing = |spec: &str| format!("import {{ defineEndpoint }} from \"@palbase/backend\";\nimport x from \"{spec}\";\nexport default defineEndpoint({{ method: \"GET\", handler: async () => ({{ x }}) }});\n");
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        // (import, link target in `out`, link path in the project, package.json to write, error)
        ("", "secret.ts", "endpoints/x/get.ts", "", "endpoints/x/get.ts: leads outside the project directory through a symbolic link"),
        ("../../lib/h.js", "secret.ts", "lib/h.ts", "", "endpoints/x/get.ts:2:15: cannot resolve import \"../../lib/h.js\": `lib/h.ts` leads outside the project directory through a symbolic link"),
        ("evil", "", "", r#"{"main":"../../../secret.ts"}"#, "cannot resolve import \"evil\": the `main` of `node_modules/evil/package.json` (\"../../../secret.ts\") points outside the package"),
        ("evil/../../../secret.ts", "", "", r#"{"main":"index.js"}"#, "a package specifier cannot have `.` or `..` segments"),
        ("linked", "pkg", "node_modules/linked", "", "package `linked` (`node_modules/linked`) is a symbolic link to a directory outside the project"),
    ];
    for (spec, target, at, manifest, want) in cases {
        let p = if spec.is_empty() { Project::new(&[]) } else { Project::new(&[("endpoints/x/get.ts", &importing(spec))]) };
        if !target.is_empty() {
            link(&p, target, at);
        }
        if !manifest.is_empty() {
            p.write("node_modules/evil/package.json", manifest);
            p.write("node_modules/evil/index.js", "export default 1;\n");
        }
        let (ok, out, err) = palbase(&["check", p.path().to_str().unwrap()]);
        assert!(!ok, "{spec} {at} should fail: {out}");
        assert!(err.contains(want), "want `{want}` in:\n{err}");
        assert!(err.contains("hint:"), "{err}");
    }
    // With the opt-in, the linked package loads.
    let p = Project::new(&[("endpoints/x/get.ts", &importing("linked")), ("palbase.toml", "[imports]\nallow_symlinked_packages = true\n")]);
    link(&p, "pkg", "node_modules/linked");
    let s = p.serve();
    let r = send(client().get(s.url("/x"))).await;
    assert_eq!(r.json(), json!({"x": "linked"}), "{}", s.err());
}

#[tokio::test]
async fn handlers_cannot_reach_the_host() {
    let p = Project::new(&[("endpoints/x/get.ts", &ep("return { require: typeof (globalThis as any).require, fs: typeof (globalThis as any).__pb_fs, env: Object.keys((globalThis as any).process.env) };"))]);
    let s = p.serve();
    let r = send(client().get(s.url("/x"))).await;
    assert_eq!(r.json(), json!({"require": "undefined", "fs": "undefined", "env": ["NODE_ENV"]}));
    for spec in ["node:fs", "fs", "node:child_process", "../../../../etc/passwd"] {
        let p = Project::new(&[("endpoints/x/get.ts", &format!("import x from \"{spec}\";\nexport default x;\n"))]);
        let (ok, _, err) = palbase(&["check", p.path().to_str().unwrap()]);
        assert!(!ok && err.contains("cannot resolve import"), "{spec}: {err}");
    }
}

/// A log file written into the project (`palbase serve > serve.log`) does not make the server
/// reload; a source edit still does.
#[tokio::test]
async fn only_sources_and_configuration_reload() {
    let p = Project::new(&[("endpoints/a/get.ts", &ep("return { v: 1 };"))]);
    let s = p.serve();
    let c = client();
    assert_eq!(send(c.get(s.url("/a"))).await.json(), json!({"v": 1}));
    for i in 0..20 {
        p.write("serve.log", &format!("line {i}\n").repeat(i + 1));
        p.write("notes/todo.md", "- write docs\n");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!s.out().contains("change:"), "reloaded for a log file:\n{}", s.out());
    p.write("endpoints/a/get.ts", &ep("return { v: 2 };"));
    let t0 = Instant::now();
    while send(c.get(s.url("/a"))).await.json() != json!({"v": 2}) {
        assert!(t0.elapsed() < Duration::from_secs(5), "the source edit never reloaded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
