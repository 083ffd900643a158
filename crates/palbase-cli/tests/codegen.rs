//! Generated clients: `palbase codegen ts` compiles under `tsc --strict` (declared errors narrow
//! to their `data`; misuse is a type error) and calls a running server; `palbase codegen swift`
//! writes a package that tree-sitter-swift parses without an error (snapshots of both).

mod common;

use std::{path::Path, process::Command};

use common::{contract::contract, *};

fn codegen(target: &str, dir: &Path, out: &Path) {
    let (ok, stdout, err) = palbase(&["codegen", target, dir.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "palbase codegen {target} failed: {err}");
    assert!(stdout.contains("wrote the"), "{stdout}");
}

fn node_tool(path: &Path, what: &str) -> bool {
    if path.exists() {
        return true;
    }
    palbase_testkit::skip(what, &format!("missing ({})", path.display()));
    false
}

#[test]
fn the_swift_package_parses_and_has_an_error_enum_per_endpoint() {
    let checker = workspace_root().join("crates/palbase-codegen/tests/js/node_modules/tree-sitter-swift");
    let p = contract();
    let out = tempfile::tempdir().unwrap();
    codegen("swift", p.path(), out.path());
    let src = out.path().join("Sources/ContractApi");
    let read = |f: &str| std::fs::read_to_string(src.join(f)).unwrap();
    insta::assert_snapshot!("swift_package", std::fs::read_to_string(out.path().join("Package.swift")).unwrap());
    insta::assert_snapshot!("swift_endpoints", read("Endpoints.swift"));
    insta::assert_snapshot!("swift_models", read("Models.swift"));
    let endpoints = read("Endpoints.swift");
    assert!(endpoints.contains("public func postTodos(_ input: PostTodosInput) async throws(PostTodosError) -> PostTodosOutput"), "{endpoints}");
    assert!(endpoints.contains("case limitReached(PostTodosLimitReachedData, ErrorEnvelope)"), "{endpoints}");
    assert!(endpoints.contains("case rateLimited(retryAfter: Int?, ErrorEnvelope)"));
    assert!(endpoints.contains("public func deleteTodosById(id: String) async throws(DeleteTodosByIdError) -> JSONValue"), "{endpoints}");
    if !node_tool(&checker, "tree-sitter-swift (npm ci --ignore-scripts in crates/palbase-codegen/tests/js)") {
        return;
    }
    let files: Vec<_> = ["Palbase.swift", "Models.swift", "Endpoints.swift"].iter().map(|f| src.join(f)).chain([out.path().join("Package.swift")]).collect();
    let o = Command::new("node").arg(workspace_root().join("crates/palbase-codegen/tests/js/check-swift.mjs")).args(&files).output().unwrap();
    assert!(o.status.success(), "the generated Swift does not parse:\n{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    // The checker can fail: a broken file is reported with its position.
    let broken = out.path().join("Broken.swift");
    std::fs::write(&broken, "public struct A {\n    public var x: = 1\n}\n").unwrap();
    let o = Command::new("node").arg(workspace_root().join("crates/palbase-codegen/tests/js/check-swift.mjs")).arg(&broken).output().unwrap();
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("Broken.swift:2:"), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Uses the generated client as an application would; the `@ts-expect-error` lines must be errors.
const USE: &str = r#"import { PalbaseClient } from "./client.js";

const [base, token] = process.argv.slice(2);
const api = new PalbaseClient({ baseUrl: base, token });
const out: unknown[] = [];

const list = await api.getTodos({ q: "milk" });
if (list.error === null) {
  const title: string = list.data.items[0].title;
  out.push(["list", title, list.data.total]);
}

const made = await api.postTodos({ title: "write tests" });
if (made.error) throw new Error("create failed: " + made.error.type);
const owner: string = made.data.owner;
out.push(["create", owner]);

const many = await api.postTodos({ title: "many" });
if (many.error?.type === "limitReached") {
  const max: number = many.error.data.max; // narrowed to the declared error's data
  out.push(["limitReached", many.error.code, max, many.status]);
}
const dup = await api.postTodos({ title: "dup" });
if (dup.error?.type === "duplicate") {
  // @ts-expect-error a declared error without a data schema has no `data`
  dup.error.data;
  out.push(["duplicate", dup.error.envelope.error]);
}
const bad = await api.postTodos({ title: "" });
if (bad.error?.type === "invalidRequest") out.push(["invalidRequest", bad.error.issues.length > 0]);

const anonymous = new PalbaseClient({ baseUrl: base });
const denied = await anonymous.postTodos({ title: "x" });
out.push([denied.error?.type, denied.status]);

const gone = await api.deleteTodosById({ id: "t1" });
out.push([gone.error?.type, gone.status]);

if (out.length < 0) {
  // @ts-expect-error the input is required
  api.postTodos();
  // @ts-expect-error `title` must be a string
  api.postTodos({ title: 5 });
  // @ts-expect-error path parameters are required
  api.deleteTodosById({});
}

console.log(JSON.stringify(out));
"#;

#[tokio::test]
async fn the_typescript_client_compiles_strict_and_calls_the_server() {
    let tsc = workspace_root().join("packages/backend/node_modules/.bin/tsc");
    if !node_tool(&tsc, "tsc (npm ci in packages/backend)") {
        return;
    }
    let p = contract();
    let out = tempfile::tempdir().unwrap();
    codegen("ts", p.path(), out.path());
    insta::assert_snapshot!("ts_client", std::fs::read_to_string(out.path().join("client.ts")).unwrap());
    std::fs::write(out.path().join("use.ts"), USE).unwrap();
    std::fs::write(out.path().join("package.json"), r#"{"type":"module"}"#).unwrap();
    std::fs::write(
        out.path().join("tsconfig.json"),
        r#"{"compilerOptions":{"strict":true,"target":"ES2022","module":"ES2022","moduleResolution":"Bundler","lib":["ES2022","DOM"],"types":[],"outDir":"js","skipLibCheck":false,"noUnusedLocals":false},"include":["*.ts"]}"#,
    )
    .unwrap();
    // `process` without @types/node:
    std::fs::write(out.path().join("node.d.ts"), "declare const process: { argv: string[] };\n").unwrap();
    let o = Command::new(&tsc).arg("-p").arg(out.path()).output().unwrap();
    assert!(o.status.success(), "tsc --strict failed:\n{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));

    let s = p.serve();
    let tok = token(p.path(), "u1", "authenticated");
    let o = Command::new("node").arg(out.path().join("js/use.js")).arg(&s.base).arg(&tok).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(got, serde_json::json!([["list", "milk", 1], ["create", "u1"], ["limitReached", "todo_limit", 3, 409], ["duplicate", "todo_duplicate"], ["invalidRequest", true], ["unauthorized", 401], ["forbidden", 403]]));
}
