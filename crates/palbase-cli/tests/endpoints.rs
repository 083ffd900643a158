//! Issue "runtime foundation": routing, req, validation, errors, auth, rate limits, middleware,
//! limits — against the real binary over HTTP.

mod common;

use common::*;
use serde_json::json;

const ECHO: &str = r#"
import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "GET",
  handler: async (req) => ({
    params: req.params, query: req.query, input: req.input, method: req.method,
    requestId: req.requestId, traceId: req.traceId, spanId: req.spanId,
    ua: req.headers["x-custom"] ?? null, twice: req.headers["x-twice"] ?? null, client: req.client, user: req.user, file: req.file,
    plain: Object.getPrototypeOf(req.headers) === Object.prototype && req.headers === req.headers,
    proto: Object.hasOwn(req.headers, "__proto__") ? req.headers["__proto__"] : null, latin1: req.headers["x-latin1"] ?? null,
  }),
});
"#;

fn fixture() -> Project {
    Project::new(&[
        (
            "endpoints/hello/get.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";

export default defineEndpoint({
method: "GET",
input: z.object({ name: z.string().optional() }),
output: z.object({ message: z.string(), user: z.string().nullable() }),
handler: async (req) => ({
message: `hello, ${req.input.name ?? "world"}!`,
user: req.user?.id ?? null,
}),
});
"#,
        ),
        ("endpoints/rooms/[id]/sessions/[sid]/get.ts", ECHO),
        ("endpoints/rooms/[id]/sessions/[sid]/delete.ts", &ECHO.replace("\"GET\"", "\"DELETE\"")),
        (
            "endpoints/upload/post.ts",
            r#"import { defineEndpoint } from "@palbase/backend";
export default defineEndpoint({ method: "POST", handler: async (req) => ({ input: req.input, file: req.file && { name: req.file.name, fieldName: req.file.fieldName, contentType: req.file.contentType, size: req.file.size, first: req.file.bytes[0], len: req.file.bytes.length } }) });
"#,
        ),
        (
            "endpoints/items/post.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  input: z.object({ name: z.string().min(1).max(100), capacity: z.number().int().positive().optional() }),
  output: z.object({ name: z.string(), capacity: z.number().nullable() }),
  handler: async (req) => ({ name: req.input.name, capacity: req.input.capacity ?? null }),
});
"#,
        ),
        (
            "endpoints/bad-output/get.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({ method: "GET", output: z.object({ ok: z.boolean() }), handler: async () => ({ ok: "yes" } as any) });
"#,
        ),
        (
            "endpoints/nothing/delete.ts",
            r#"import { defineEndpoint } from "@palbase/backend";
export default defineEndpoint({ method: "DELETE", handler: async () => {} });
"#,
        ),
        (
            "endpoints/errors/http/get.ts",
            r#"import { defineEndpoint, HttpError } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async (req) => {
  if (req.query.kind === "data") throw new HttpError(423, "todo_locked", "Locked", { retryAfter: 30 });
  if (req.query.kind === "plain") throw new HttpError(404, "todo_not_found", "No such todo");
  if (req.query.kind === "type") { const o: any = null; return o.boom; }
  throw "a string";
} });
"#,
        ),
        (
            "endpoints/errors/declared/post.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  input: z.object({ id: z.string() }),
  output: z.object({ ok: z.boolean() }),
  errors: {
    notFound: { status: 404, code: "todo_not_found", description: "No such todo" },
    locked: { status: 423, code: "todo_locked", data: z.object({ retryAfter: z.number() }) },
  },
  handler: async (req) => {
    if (req.input.id === "missing") throw req.errors.notFound();
    if (req.input.id === "locked") throw req.errors.locked({ retryAfter: 30 });
    if (req.input.id === "badpayload") throw (req.errors.locked as any)({ retryAfter: "soon" });
    return { ok: true };
  },
});
"#,
        ),
        // The same errors on a GET without middleware: its handler is called by the host directly.
        (
            "endpoints/errors/declared/get.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "GET",
  input: z.object({ id: z.string() }),
  errors: {
    notFound: { status: 404, code: "todo_not_found", description: "No such todo" },
    locked: { status: 423, code: "todo_locked", data: z.object({ retryAfter: z.number() }) },
  },
  handler: (req) => {
    if (req.input.id === "missing") throw req.errors.notFound();
    if (req.input.id === "locked") throw req.errors.locked({ retryAfter: 30 });
    return { ok: true };
  },
});
"#,
        ),
    ])
}

#[tokio::test]
async fn hello_routing_and_route_table() {
    let p = fixture();
    let s = p.serve();
    let c = client();
    let r = send(c.get(s.url("/hello?name=x"))).await;
    assert_eq!((r.status, r.json()), (200, json!({"message": "hello, x!", "user": null})));
    assert_eq!(r.header("content-type").as_deref(), Some("application/json"));
    let r = send(c.get(s.url("/hello"))).await;
    assert_eq!(r.json(), json!({"message": "hello, world!", "user": null}));
    // Route table printed at start.
    let out = s.out();
    assert!(out.contains("GET    /rooms/:id/sessions/:sid"), "{out}");
    assert!(out.contains("endpoints/hello/get.ts"), "{out}");

    // Nested params.
    let r = send(c.get(s.url("/rooms/r1/sessions/s%202"))).await;
    assert_eq!(r.json()["params"], json!({"id": "r1", "sid": "s 2"}));
    // decoded as UTF-8 (invalid bytes replaced), and plain own values, as JSON.parse made them
    let r = send(c.get(s.url("/rooms/%F0%9F%98%80%22%5C/sessions/%FF%00"))).await;
    assert_eq!(r.json()["params"], json!({"id": "😀\"\\", "sid": "\u{fffd}\u{0}"}), "{}", r.text);
    let r = send(c.delete(s.url("/rooms/r1/sessions/s2?x=1"))).await;
    assert_eq!(r.json()["method"], "DELETE");
    assert_eq!(r.json()["input"], json!({"x": "1"}), "DELETE input comes from the query");

    // 404 / 405.
    send(c.get(s.url("/nope"))).await.envelope(404, "not_found");
    let r = send(c.post(s.url("/hello")).json(&json!({}))).await;
    r.envelope(405, "method_not_allowed");
    assert_eq!(r.header("allow").as_deref(), Some("GET"));
    let r = send(c.put(s.url("/rooms/a/sessions/b"))).await;
    assert_eq!(r.header("allow").as_deref(), Some("DELETE, GET"));
}

#[tokio::test]
async fn request_fields() {
    let p = fixture();
    let s = p.serve();
    let c = client();
    let tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let r =
        send(c.get(s.url("/rooms/1/sessions/2?a=b&c=d")).header("X-Custom", "yes").header("x-twice", "one").header("x-twice", "two").header("traceparent", tp).header("x-palbase-platform", "ios").header("x-palbase-sdk-version", "2.0.2"))
            .await;
    let j = r.json();
    assert_eq!(j["query"], json!({"a": "b", "c": "d"}));
    assert_eq!(j["input"], json!({"a": "b", "c": "d"}));
    assert_eq!(j["ua"], "yes", "headers are lowercase");
    assert_eq!(j["twice"], "one, two", "repeated headers are joined");
    assert_eq!(j["method"], "GET");
    assert_eq!(j["requestId"].as_str(), r.header("x-request-id").as_deref());
    assert!(j["requestId"].as_str().unwrap().starts_with("req_"));
    assert_eq!(j["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736", "trace id propagates");
    let span = j["spanId"].as_str().unwrap();
    assert_eq!(span.len(), 16);
    assert_eq!(r.header("traceparent").unwrap(), format!("00-4bf92f3577b34da6a3ce929d0e0e4736-{span}-01"));
    assert_eq!(j["client"], json!({"sdkVersion": "2.0.2", "appVersion": null, "platform": "ios", "osVersion": null}));
    assert_eq!(j["user"], json!(null));
    assert_eq!(j["file"], json!(null));
    assert_eq!(j["plain"], true, "req.headers is one plain object");
    assert_eq!(j["proto"], json!(null));
    // A `__proto__` header is an own property, as JSON.parse would make it; bytes that are not
    // UTF-8 are replaced.
    let latin1 = reqwest::header::HeaderValue::from_bytes(b"caf\xe9").unwrap();
    let j = send(c.get(s.url("/rooms/1/sessions/2")).header("__proto__", "p").header("x-latin1", latin1)).await.json();
    assert_eq!((&j["proto"], &j["latin1"]), (&json!("p"), &json!("caf\u{fffd}")));
    // A fresh trace when none (or a malformed one) is sent.
    let r = send(c.get(s.url("/rooms/1/sessions/2")).header("traceparent", "garbage")).await;
    assert_eq!(r.json()["traceId"].as_str().unwrap().len(), 32);

    // Multipart upload: text fields become input, the file is req.file.
    let form = reqwest::multipart::Form::new().text("title", "cat").part("photo", reqwest::multipart::Part::bytes(vec![7u8, 1, 2, 3]).file_name("cat.png").mime_str("image/png").unwrap());
    let r = send(c.post(s.url("/upload")).multipart(form)).await;
    assert_eq!(r.json(), json!({"input": {"title": "cat"}, "file": {"name": "cat.png", "fieldName": "photo", "contentType": "image/png", "size": 4, "first": 7, "len": 4}}));
}

#[tokio::test]
async fn validation_and_bodies() {
    let p = fixture();
    p.write("palbase.toml", "[limits]\nmax_body_bytes = 1000\n");
    let s = p.serve();
    let c = client();
    let r = send(c.post(s.url("/items")).json(&json!({"name": "Lobby", "capacity": 3}))).await;
    assert_eq!((r.status, r.json()), (200, json!({"name": "Lobby", "capacity": 3})));
    let r = send(c.post(s.url("/items")).json(&json!({"name": "", "capacity": -1}))).await;
    let j = r.envelope(400, "invalid_request");
    let paths: Vec<_> = j["data"]["issues"].as_array().unwrap().iter().map(|i| i["path"][0].as_str().unwrap().to_string()).collect();
    assert_eq!(paths, ["name", "capacity"]);
    send(c.post(s.url("/items")).header("content-type", "application/json").body("{\"name\":")).await.envelope(400, "invalid_json");
    send(c.post(s.url("/items")).header("content-type", "text/plain").body("hi")).await.envelope(415, "unsupported_media_type");
    send(c.post(s.url("/items")).json(&json!({"name": "x".repeat(2000)}))).await.envelope(413, "payload_too_large");
    // Chunked body without content-length over the limit.
    let chunks = futures::stream::iter(vec![Ok::<_, std::io::Error>(vec![b'{'; 600]), Ok(vec![b' '; 600])]);
    send(c.post(s.url("/items")).header("content-type", "application/json").body(reqwest::Body::wrap_stream(chunks))).await.envelope(413, "payload_too_large");
    // Output validation failure: 500, no details leaked.
    let r = send(c.get(s.url("/bad-output"))).await;
    let j = r.envelope(500, "invalid_response");
    assert!(j.get("data").is_none());
    assert!(s.wait_for_err(|e| e.contains("output schema").then_some(()), std::time::Duration::from_secs(5)).is_some(), "logged");
    // Handler returning nothing.
    let r = send(c.delete(s.url("/nothing"))).await;
    assert_eq!((r.status, r.text.as_str()), (204, ""));
    // Still serving.
    assert_eq!(send(c.get(s.url("/hello"))).await.status, 200);
}

#[tokio::test]
async fn errors_md() {
    let p = fixture();
    let s = p.serve();
    let c = client();
    let j = send(c.get(s.url("/errors/http?kind=data"))).await.envelope(423, "todo_locked");
    assert_eq!(j["error_description"], "Locked");
    assert_eq!(j["data"], json!({"retryAfter": 30}));
    let j = send(c.get(s.url("/errors/http?kind=plain"))).await.envelope(404, "todo_not_found");
    assert!(j.get("data").is_none());
    let keys: Vec<_> = j.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["error", "error_description", "status", "request_id"]);
    for kind in ["type", "string"] {
        let r = send(c.get(s.url(&format!("/errors/http?kind={kind}")))).await;
        let j = r.envelope(500, "internal_error");
        assert!(!r.text.contains("boom") && !r.text.contains("at "), "no stack in the body: {}", r.text);
        assert!(j.get("data").is_none());
    }
    assert!(s.wait_for_err(|e| e.contains("TypeError").then_some(()), std::time::Duration::from_secs(5)).is_some(), "stack goes to the log");
    // … with positions in the TypeScript source (the compiled JavaScript puts `o.boom` on line 7).
    assert!(s.wait_for_err(|e| e.contains("endpoints/errors/http/get.ts:5:").then_some(()), std::time::Duration::from_secs(5)).is_some(), "stack positions are TypeScript positions");

    let j = send(c.post(s.url("/errors/declared")).json(&json!({"id": "missing"}))).await.envelope(404, "todo_not_found");
    assert_eq!(j["error_description"], "No such todo");
    let j = send(c.post(s.url("/errors/declared")).json(&json!({"id": "locked"}))).await.envelope(423, "todo_locked");
    assert_eq!(j["data"], json!({"retryAfter": 30}));
    send(c.post(s.url("/errors/declared")).json(&json!({"id": "badpayload"}))).await.envelope(500, "internal_error");
    let r = send(c.post(s.url("/errors/declared")).json(&json!({"id": "fine"}))).await;
    assert_eq!(r.json(), json!({"ok": true}));
    let j = send(c.get(s.url("/errors/declared?id=missing"))).await.envelope(404, "todo_not_found");
    assert_eq!(j["error_description"], "No such todo");
    let j = send(c.get(s.url("/errors/declared?id=locked"))).await.envelope(423, "todo_locked");
    assert_eq!(j["data"], json!({"retryAfter": 30}));
    assert_eq!(send(c.get(s.url("/errors/declared?id=fine"))).await.json(), json!({"ok": true}));
}

/// Every kind of value a handler can give back, synchronous or not: the host tells a native
/// promise, another thenable and a plain result apart (engine `dispatch`), and each ends as the
/// JavaScript semantics say.
#[tokio::test]
async fn handler_results_of_every_kind() {
    let ep = |output: &str, body: &str| format!("import {{ defineEndpoint, z }} from \"@palbase/backend\";\nexport default defineEndpoint({{ method: \"GET\", {output} handler: (req: any): any => {{ {body} }} }});\n");
    let out = "output: z.object({ n: z.number() }),";
    let files = [
        ("endpoints/sync-object/get.ts", ep("", "return { n: 1, list: [1, \"a\"] };")),
        ("endpoints/sync-typed/get.ts", ep(out, "return { n: 2, extra: true };")),
        ("endpoints/sync-invalid/get.ts", ep(out, "return { n: \"no\" };")),
        ("endpoints/sync-string/get.ts", ep("", "return \"text\";")),
        ("endpoints/sync-array/get.ts", ep("", "return [1, 2];")),
        ("endpoints/sync-nothing/get.ts", ep("", "return undefined;")),
        ("endpoints/sync-throws/get.ts", ep("", "throw new Error(\"boom\");")),
        ("endpoints/sync-date/get.ts", ep("", "return new Date(0);")),
        ("endpoints/thenable/get.ts", ep(out, "return { then(ok: (v: unknown) => void) { ok({ n: 3 }); } };")),
        ("endpoints/thenable-late/get.ts", ep("", "return { then(ok: (v: unknown) => void) { setTimeout(() => ok({ late: true }), 5); } };")),
        ("endpoints/thenable-rejects/get.ts", ep("", "return { then(_ok: unknown, no: (e: unknown) => void) { no(new Error(\"nope\")); } };")),
        ("endpoints/then-getter-throws/get.ts", ep("", "return { get then() { throw new Error(\"getter\"); } };")),
        ("endpoints/then-not-function/get.ts", ep("", "return { then: 5, n: 4 };")),
        ("endpoints/async-object/get.ts", ep(out, "return (async () => ({ n: 5 }))();")),
        ("endpoints/async-thenable/get.ts", ep("", "return (async () => ({ then(ok: (v: unknown) => void) { ok({ via: \"thenable\" }); } }))();")),
    ];
    let p = Project::new(&files.iter().map(|(f, s)| (*f, s.as_str())).collect::<Vec<_>>());
    let s = p.serve();
    let c = client();
    let get = |path: &str| send(c.get(s.url(path)));
    let ok = |r: Resp| {
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    };
    assert_eq!(ok(get("/sync-object").await), json!({"n": 1, "list": [1, "a"]}));
    assert_eq!(ok(get("/sync-typed").await), json!({"n": 2}), "the output schema strips");
    get("/sync-invalid").await.envelope(500, "invalid_response");
    assert_eq!(ok(get("/sync-string").await), json!("text"));
    assert_eq!(ok(get("/sync-array").await), json!([1, 2]));
    assert_eq!(get("/sync-nothing").await.status, 204);
    get("/sync-throws").await.envelope(500, "internal_error");
    assert_eq!(ok(get("/sync-date").await), json!("1970-01-01T00:00:00.000Z"), "toJSON, as JSON.stringify");
    assert_eq!(ok(get("/thenable").await), json!({"n": 3}));
    assert_eq!(ok(get("/thenable-late").await), json!({"late": true}));
    get("/thenable-rejects").await.envelope(500, "internal_error");
    get("/then-getter-throws").await.envelope(500, "internal_error");
    assert_eq!(ok(get("/then-not-function").await), json!({"then": 5, "n": 4}));
    assert_eq!(ok(get("/async-object").await), json!({"n": 5}));
    assert_eq!(ok(get("/async-thenable").await), json!({"via": "thenable"}));
}
