//! The API contract: `palbase openapi` and `GET /openapi.json` describe every route as the
//! server enforces it (snapshot), the document is valid OpenAPI 3.1 (checked by
//! openapi-spec-validator), and schemathesis finds no 5xx and no response outside the document
//! when it fuzzes a served example project.

mod common;

use std::{path::Path, process::Command, time::Duration};

use common::{contract::contract, *};
use serde_json::Value;

fn openapi(dir: &Path) -> Value {
    let (ok, out, err) = palbase(&["openapi", dir.to_str().unwrap()]);
    assert!(ok, "palbase openapi failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

#[test]
fn the_document_describes_every_route_as_served() {
    let p = contract();
    let doc = openapi(p.path());
    insta::assert_snapshot!("contract_document", serde_json::to_string_pretty(&doc).unwrap());

    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "contract-api");
    assert_eq!(doc["info"]["version"], "1.4.0");
    let list = &doc["paths"]["/todos"]["get"];
    assert_eq!(list["operationId"], "getTodos");
    assert_eq!(list["summary"], "List todos");
    let q: Vec<&str> = list["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(q, ["q", "limit"], "GET input becomes query parameters");

    let create = &doc["paths"]["/todos"]["post"];
    assert_eq!(create["security"], serde_json::json!([{ "bearerAuth": [] }]));
    let conflict = &create["responses"]["409"]["content"]["application/json"]["schema"];
    assert_eq!(conflict["oneOf"].as_array().unwrap().len(), 2, "two declared errors on one status: {conflict}");
    assert_eq!(conflict["discriminator"]["propertyName"], "error");
    assert!(create["responses"]["429"]["headers"]["Retry-After"].is_object());
    assert!(create["responses"]["401"].is_object() && create["responses"]["400"].is_object() && create["responses"]["413"].is_object() && create["responses"]["415"].is_object() && create["responses"]["500"].is_object());
    let limit = &doc["components"]["schemas"]["PostTodosLimitReachedError"];
    assert_eq!(limit["properties"]["error"]["const"], "todo_limit");
    assert_eq!(limit["properties"]["data"]["properties"]["max"]["type"], "integer");

    let delete = &doc["paths"]["/todos/{id}"]["delete"];
    assert_eq!(delete["x-palbase-role"], "admin");
    assert!(delete["responses"]["403"].is_object());
    assert_eq!(delete["deprecated"], true);
    assert_eq!(delete["tags"], serde_json::json!(["admin", "todos"]));
    assert_eq!(delete["parameters"][0]["in"], "path");

    let upload = &doc["paths"]["/avatars"]["post"]["requestBody"]["content"];
    assert!(upload["multipart/form-data"]["schema"]["properties"]["file"].is_object(), "an endpoint reading req.file takes multipart: {upload}");

    let shapes = &doc["paths"]["/shapes/{kind}"]["put"];
    let notes = shapes["x-palbase-notes"].as_array().expect("notes on what JSON Schema cannot say");
    assert!(notes.iter().any(|n| n.as_str().unwrap().starts_with("output:")), "{notes:?}");
    // Input as a client sends it, output as the server answers: a transform's input is its
    // string; its result cannot be said in JSON Schema (any value).
    let body = &shapes["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["properties"]["at"]["type"], "string", "{body}");
    assert!(body["properties"]["tree"]["$ref"].as_str().unwrap().starts_with("#/components/schemas/"), "a recursive schema is a component: {body}");
    let out = &shapes["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(out["properties"]["big"], serde_json::json!({}), "{out}");
    assert!(doc["paths"]["/"]["get"]["responses"]["204"].is_object());
}

#[tokio::test]
async fn the_served_document_is_the_printed_one() {
    let p = contract();
    let printed = openapi(p.path());
    let s = p.serve();
    let r = send(client().get(s.url("/openapi.json"))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("content-type").as_deref(), Some("application/json"));
    assert_eq!(r.json(), printed);
    // What the document says is what the server does: a declared error, a runtime error.
    let tok = token(p.path(), "u1", "authenticated");
    let r = send(client().post(s.url("/todos")).bearer_auth(&tok).json(&serde_json::json!({ "title": "many" }))).await;
    assert_eq!(r.envelope(409, "todo_limit")["data"], serde_json::json!({ "max": 3 }));
    let r = send(client().post(s.url("/todos")).bearer_auth(&tok).json(&serde_json::json!({ "title": "" }))).await;
    assert!(r.envelope(400, "invalid_request")["data"]["issues"].is_array());
    let r = send(client().post(s.url("/avatars")).multipart(reqwest::multipart::Form::new().text("caption", "me").part("file", reqwest::multipart::Part::bytes(vec![1, 2, 3]).file_name("a.png")))).await;
    assert_eq!(r.json()["size"], 3, "{}", r.text);
}

/// A Python tool of the test command (.ci/run installs them); skipped locally when missing,
/// a failure under CI (palbase-testkit's rule).
fn tool(name: &str) -> Option<&str> {
    let found = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        palbase_testkit::skip(name, "not installed: .ci/run installs it from PyPI");
        return None;
    }
    Some(name)
}

fn copy_example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = workspace_root().join("examples").join(name);
    let status = Command::new("cp").arg("-r").arg(format!("{}/.", src.display())).arg(dir.path()).status().unwrap();
    assert!(status.success());
    let _ = std::fs::remove_dir_all(dir.path().join(".palbase"));
    dir
}

#[test]
fn documents_are_valid_openapi_3_1() {
    let Some(validator) = tool("openapi-spec-validator") else { return };
    let contract = contract();
    let hello = copy_example("hello");
    let spec = copy_example("spec-project");
    for dir in [contract.path(), hello.path(), spec.path()] {
        let file = dir.join("openapi.json");
        let (ok, _, err) = palbase(&["openapi", dir.to_str().unwrap(), "--out", file.to_str().unwrap()]);
        assert!(ok, "{err}");
        let out = Command::new(validator).arg(&file).output().unwrap();
        assert!(out.status.success(), "{} is not valid OpenAPI:\n{}{}", dir.display(), String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
}

/// schemathesis fuzzes the served example projects from their documents: no 5xx, every
/// status, header and body as documented (bounded: a few examples per operation).
#[test]
fn schemathesis_finds_nothing_outside_the_document() {
    let Some(st) = tool("schemathesis") else { return };
    for (name, p) in [("contract", None), ("hello", Some(copy_example("hello")))] {
        let owned;
        let dir = match &p {
            Some(d) => d.path(),
            None => {
                owned = contract();
                owned.path()
            }
        };
        let s = Server::start(dir, &[]);
        let tok = token(dir, "st-user", "authenticated");
        let out = Command::new(st)
            .args([
                "run",
                &s.url("/openapi.json"),
                "--checks",
                "all",
                "--exclude-checks",
                "ignored_auth,positive_data_acceptance,use_after_free,ensure_resource_availability,missing_required_header,unsupported_method",
                "--max-examples",
                "15",
                "--phases",
                "examples,coverage,fuzzing",
                "--workers",
                "1",
                "--suppress-health-check",
                "all",
                "--generation-deterministic",
                "-H",
                &format!("Authorization: Bearer {tok}"),
            ])
            .current_dir(dir) // its cache (.schemathesis/) goes there
            .env("NO_COLOR", "1")
            .env("SCHEMATHESIS_HOOKS", "")
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "schemathesis found problems in {name}:\n{text}\n--- server log ---\n{}", s.err());
        drop(s);
        std::thread::sleep(Duration::from_millis(50));
    }
}
