//! The spec's examples (examples/spec-project, copied verbatim by the SDK package) load and
//! serve; the example project serves; `palbase types` installs the SDK package.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn spec_project_loads_and_serves_the_endpoint_examples() {
    let root = workspace_root().join("examples/spec-project");
    let (ok, out, err) = palbase(&["check", root.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("GET    /hello") && out.contains("GET    /posts/:id"), "{out}");
    let s = Server::start(&root, &["--no-watch"]);
    let c = client();
    let r = send(c.get(s.url("/hello?name=spec"))).await;
    assert_eq!(r.json(), json!({"message": "hello, spec!", "user": null}));
}

#[tokio::test]
async fn example_project_serves() {
    let root = workspace_root().join("examples/hello");
    let s = Server::start(&root, &["--no-watch"]);
    let c = client();
    assert_eq!(send(c.get(s.url("/hello"))).await.json(), json!({"message": "hello, world!", "user": null}));
    let t = token(&root, "u1", "member");
    let r = send(c.post(s.url("/echo/7")).bearer_auth(&t).json(&json!({"text": "hi"}))).await;
    assert_eq!(r.json(), json!({"id": "7", "text": "hi", "by": "u1"}));
    send(c.post(s.url("/echo/7")).bearer_auth(&t).json(&json!({"text": "HI"}))).await.envelope(422, "no_shouting");
    let todo = send(c.post(s.url("/todos")).json(&json!({"title": "buy milk"}))).await.json();
    assert_eq!((&todo["title"], &todo["done"]), (&json!("buy milk"), &json!(false)));
    let r = send(c.get(s.url(&format!("/todos/{}", todo["id"].as_str().unwrap())))).await;
    assert_eq!(r.json(), todo);
    send(c.get(s.url("/todos/00000000-0000-4000-8000-000000000000"))).await.envelope(404, "todo_not_found");
    assert!(s.wait_for_err(|e| e.contains("new todo: buy milk").then_some(()), std::time::Duration::from_secs(5)).is_some(), "the worker ran");
}

#[test]
fn types_command_installs_the_sdk_package() {
    let p = Project::new(&[]);
    let (ok, out, err) = palbase(&["types", p.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("node_modules/@palbase/backend"), "{out}");
    let dist = workspace_root().join("packages/backend/dist");
    for f in ["package.json", "index.js", "index.d.ts"] {
        let got = std::fs::read(p.path().join("node_modules/@palbase/backend").join(f)).unwrap();
        assert_eq!(got, std::fs::read(dist.join(f)).unwrap(), "{f}");
    }
}
