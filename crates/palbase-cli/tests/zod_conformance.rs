//! Issue 8 "Validation must agree with Zod exactly", over HTTP against the real binary: a project
//! whose endpoints use a recursive schema (the Zod 4 getter way), top-level formats
//! (`z.email()`), the `z.int32()` family and numeric TypeScript enums loads, and each endpoint
//! answers what Zod says; a project that fails to load answers a 503 without stack frames.
//! (The exhaustive comparison with Zod is packages/backend/test/fastcheck-conformance.test.mjs.)

mod common;

use common::*;
use serde_json::json;

fn fixture() -> Project {
    Project::new(&[
        (
            "endpoints/tree/post.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";

const Node = z.object({
  name: z.string().min(1),
  get children() {
    return z.array(Node).optional();
  },
});
type Node = z.infer<typeof Node>;
const count = (n: Node): number => 1 + (n.children ?? []).reduce((s, c) => s + count(c), 0);

export default defineEndpoint({
  method: "POST",
  input: Node,
  output: z.object({ count: z.int(), tree: Node }),
  handler: async (req) => ({ count: count(req.input), tree: req.input }),
});
"#,
        ),
        (
            "endpoints/email/post.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  input: z.object({ email: z.email(), id: z.uuid().optional() }),
  handler: async (req) => ({ email: req.input.email }),
});
"#,
        ),
        (
            "endpoints/int32/get.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "GET",
  output: z.object({ n: z.int32() }),
  handler: async (req) => ({ n: Number(req.query.n) }),
});
"#,
        ),
        (
            "endpoints/color/post.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";
enum Color { Red, Green }
export default defineEndpoint({
  method: "POST",
  input: z.object({ c: z.enum(Color) }),
  handler: async (req) => ({ c: req.input.c }),
});
"#,
        ),
        (
            "endpoints/keys/post.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  input: z.object({ a: z.string().optional().nullable(), u: z.literal(undefined), b: z.string() }),
  handler: async (req) => ({ keys: Object.keys(req.input), hasA: Object.hasOwn(req.input, "a") }),
});
"#,
        ),
    ])
}

#[tokio::test]
async fn a_recursive_schema_loads_and_every_endpoint_answers_what_zod_says() {
    let p = fixture();
    let s = p.serve();
    let c = client();

    // recursive input (getter), validated at every depth
    let tree = json!({"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}, {"name": "d"}]});
    let r = send(c.post(s.url("/tree")).json(&tree)).await;
    assert_eq!(r.status, 200, "{}\n{}", r.text, s.err());
    assert_eq!(r.json(), json!({"count": 4, "tree": tree}));
    let r = send(c.post(s.url("/tree")).json(&json!({"name": "a", "children": [{"name": "b", "children": [{"name": ""}]}]}))).await;
    let e = r.envelope(400, "invalid_request");
    assert_eq!(e["data"]["issues"][0]["path"], json!(["children", 0, "children", 0, "name"]), "{}", r.text);

    // top-level string formats
    let r = send(c.post(s.url("/email")).json(&json!({"email": "ada@example.com"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json(), json!({"email": "ada@example.com"}));
    for bad in [json!({"email": "not-an-email"}), json!({"email": "ada@example.com", "id": "nope"}), json!({"email": 1})] {
        let r = send(c.post(s.url("/email")).json(&bad)).await;
        r.envelope(400, "invalid_request");
    }

    // the int32 family on output: 500 invalid_response where Zod refuses
    let r = send(c.get(s.url("/int32?n=2147483647"))).await;
    assert_eq!((r.status, r.text.as_str()), (200, r#"{"n":2147483647}"#));
    for bad in ["2147483648", "1.5", "-2147483649", "9007199254740992"] {
        let r = send(c.get(s.url(&format!("/int32?n={bad}")))).await;
        r.envelope(500, "invalid_response");
    }

    // numeric TypeScript enums take the values, not the member names
    let r = send(c.post(s.url("/color")).json(&json!({"c": 1}))).await;
    assert_eq!(r.json(), json!({"c": 1}), "{}", r.text);
    for bad in [json!({"c": "Red"}), json!({"c": "Green"}), json!({"c": 2})] {
        send(c.post(s.url("/color")).json(&bad)).await.envelope(400, "invalid_request");
    }

    // `z.literal(undefined)` is a required key: absent, Zod refuses (JSON has no `undefined`)
    send(c.post(s.url("/keys")).json(&json!({"b": "x"}))).await.envelope(400, "invalid_request");
}

#[tokio::test]
async fn key_presence_matches_zod() {
    let p = Project::new(&[(
        "endpoints/keys/post.ts",
        r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  input: z.object({ a: z.string().optional().nullable(), n: z.number().nullish(), b: z.string() }),
  handler: async (req) => ({ keys: Object.keys(req.input), hasA: Object.hasOwn(req.input, "a") }),
});
"#,
    )]);
    let s = p.serve();
    let c = client();
    let r = send(c.post(s.url("/keys")).json(&json!({"b": "x"}))).await;
    assert_eq!(r.json(), json!({"keys": ["b"], "hasA": false}), "{}", r.text);
    let r = send(c.post(s.url("/keys")).json(&json!({"b": "x", "a": null, "extra": 1}))).await;
    assert_eq!(r.json(), json!({"keys": ["a", "b"], "hasA": true}), "{}", r.text);
}

#[tokio::test]
async fn a_project_that_fails_to_load_answers_503_without_stack_frames() {
    // `middleware: 5` throws inside the runtime's registration: the error's stack names only
    // internal frames.
    let p = Project::new(&[
        ("endpoints/ok/get.ts", "import { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ ok: true }) });\n"),
        ("endpoints/x/get.ts", "import { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", middleware: 5 as any, handler: async () => ({}) });\n"),
    ]);
    let s = p.serve();
    for path in ["/ok", "/x", "/nowhere"] {
        let r = send(client().get(s.url(path))).await;
        let e = r.envelope(503, "project_not_loaded");
        assert_eq!(e["error_description"], "The project failed to load; the server log has the errors");
        for leak in ["palbase:runtime", "__pb", " at ", "\\n", "<eval>"] {
            assert!(!r.text.contains(leak), "503 body leaks `{leak}`: {}", r.text);
        }
    }
    // the detail is in the log
    let log = s.out() + &s.err();
    assert!(log.contains("failed to load"), "{log}");
}

/// Output schemas the host writes itself (crates/palbase-engine/src/output.rs) and ones it leaves
/// to JavaScript, each with values around their edges.
const OUTPUT_SCHEMAS: &[&str] = &[
    r#"z.object({ message: z.string(), user: z.string().nullable() })"#,
    r#"z.object({ a: z.string().optional(), b: z.number() })"#,
    r#"z.object({ n: z.int(), f: z.number(), b: z.boolean() })"#,
    r#"z.array(z.string())"#,
    r#"z.array(z.object({ id: z.int(), tags: z.array(z.string()).optional() }))"#,
    r#"z.object({ k: z.literal("x"), e: z.enum(["a", "b"]), l: z.literal(3).optional() })"#,
    r#"z.object({ u: z.undefined(), n: z.null() })"#,
    r#"z.object({ a: z.string().nullish() })"#,
    r#"z.object({ a: z.string().optional().nullable(), b: z.number().nullable().optional() })"#,
    r#"z.object({ inner: z.object({ x: z.number() }).optional() })"#,
    r#"z.string()"#,
    r#"z.number()"#,
    r#"z.int()"#,
    r#"z.object({ a: z.literal(undefined), b: z.string() })"#,
    r#"z.object({ a: z.never().optional(), b: z.number().optional() })"#,
    r#"z.object({ a: z.string().default("d") })"#,
    r#"z.enum(["x", "y"]).nullable()"#,
    r#"z.object({ list: z.array(z.number().nullable()) })"#,
    r#"z.object({ e: z.string().exactOptional(), a: z.boolean().optional() })"#,
    r#"z.object({ a: z.boolean(), b: z.literal(true) })"#,
    r#"z.looseObject({ a: z.string() })"#,
    r#"z.strictObject({ a: z.string() })"#,
    r#"z.object({})"#,
    r#"z.object({ a: z.string().min(2), b: z.int32() })"#,
    r#"z.undefined()"#,
];

const OUTPUT_VALUES: &str = r#"class Thing { constructor() { this.a = "own"; this.message = "m"; this.user = null; } get b() { return 1; } }
const VALUES: unknown[] = [
  undefined, null, true, false, 0, -0, 1, -1, 1.5, 0.1, 1e21, 1e-7, NaN, Infinity, 2 ** 53, 2 ** 53 - 1, 2 ** 31,
  "", "x", "a", "b", "\ud800", "q\"t\n\u0001", "é😀", [], ["a", "b"], ["a", 1], [1, null, 2.5], [, "x"], [1, undefined],
  {}, { message: "hi", user: null }, { message: "hi", user: "u", extra: 1 }, { message: "hi" }, { a: "s", b: 1 }, { b: 2 },
  { a: undefined, b: 3 }, { n: 3, f: 1.25, b: true }, { n: 3.5, f: 1, b: false }, { n: 2 ** 53, f: 1e300, b: true },
  [{ id: 1 }, { id: 2, tags: ["t"] }], [{ id: 1.5 }], [{ id: 1, tags: [1] }], { k: "x", e: "a" }, { k: "x", e: "c" },
  { k: "x", e: "b", l: 3 }, { k: "x", e: "b", l: 4 }, { u: undefined, n: null }, { n: null }, { a: null }, { a: undefined },
  { inner: { x: 1 } }, { inner: null }, { inner: { x: "1" } }, { list: [1, null, 2] }, { list: [1, undefined] },
  new Thing(), Object.assign(Object.create(null), { a: "n", b: 5 }), Object.create({ a: "proto", b: 1 }),
  { get message() { return "g"; }, user: null }, { get a() { throw new Error("boom"); }, b: 1 },
  new Proxy({ message: "p", user: null }, {}), new Date(0), { toJSON() { return "j"; }, message: "m", user: null },
  { message: "\ud800", user: null }, { message: "a\u2028b\\", user: "é" }, { a: true, b: true }, { e: "x" }, { e: undefined },
  { a: "ab", b: 2147483647 }, { a: "ab", b: 2147483648 }, { a: "é", b: 1 }, ["x", "y"], "y",
];
"#;

#[tokio::test]
async fn output_written_by_the_host_is_what_zod_and_json_stringify_write() {
    // `/w<i>` declares schema i as its output and returns value `v`; `/z<i>` says what Zod and
    // JSON.stringify make of the same pair.
    let mut files = Vec::new();
    for (i, schema) in OUTPUT_SCHEMAS.iter().enumerate() {
        let head = format!("import {{ defineEndpoint, z }} from \"@palbase/backend\";\n{OUTPUT_VALUES}const schema = {schema};\n");
        files.push((format!("endpoints/w{i}/get.ts"), format!("{head}export default defineEndpoint({{ method: \"GET\", output: schema, handler: async (req) => VALUES[Number(req.query.v)] as never }});\n")));
        files.push((
            format!("endpoints/z{i}/get.ts"),
            format!(
                "{head}export default defineEndpoint({{ method: \"GET\", handler: async (req) => {{
  try {{
    const r = schema.safeParse(VALUES[Number(req.query.v)]);
    return r.success ? {{ ok: true, text: JSON.stringify(r.data) ?? null }} : {{ ok: false }};
  }} catch {{
    return {{ threw: true }};
  }}
}} }});\n"
            ),
        ));
    }
    files.push(("endpoints/count/get.ts".into(), format!("import {{ defineEndpoint }} from \"@palbase/backend\";\n{OUTPUT_VALUES}export default defineEndpoint({{ method: \"GET\", handler: async () => ({{ n: VALUES.length }}) }});\n")));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let p = Project::new(&refs);
    let s = p.serve();
    let c = client();
    let count = send(c.get(s.url("/count"))).await;
    assert_eq!(count.status, 200, "{}\n{}", count.text, s.err());
    let values = count.json()["n"].as_u64().unwrap();
    let (mut checked, mut written) = (0, 0);
    for (i, schema) in OUTPUT_SCHEMAS.iter().enumerate() {
        for v in 0..values {
            let truth = send(c.get(s.url(&format!("/z{i}?v={v}")))).await;
            assert_eq!(truth.status, 200, "{}", truth.text);
            let truth = truth.json();
            let r = send(c.get(s.url(&format!("/w{i}?v={v}")))).await;
            let what = format!("schema {schema} value #{v}: {} → {} {}", truth, r.status, r.text);
            checked += 1;
            if truth["threw"] == true {
                assert_eq!(r.status, 500, "{what}");
            } else if truth["ok"] == false {
                r.envelope(500, "invalid_response");
            } else if truth["text"].is_null() {
                assert_eq!(r.status, 204, "{what}");
            } else {
                written += 1;
                assert_eq!((r.status, r.text.as_str()), (200, truth["text"].as_str().unwrap()), "{what}");
            }
        }
    }
    assert!(checked > 500 && written > 100, "{checked} pairs checked, {written} written");
}

/// Input schemas of GET endpoints: the host validates the query string for some
/// (crates/palbase-engine/src/input.rs), JavaScript for the rest.
const QUERY_SCHEMAS: &[&str] = &[
    r#"z.object({ name: z.string().optional() })"#,
    r#"z.object({ a: z.string(), b: z.string().optional() })"#,
    r#"z.object({ e: z.enum(["x", "y"]), l: z.literal("k").optional() })"#,
    r#"z.object({ a: z.string().nullable(), b: z.string().nullish() })"#,
    r#"z.object({ c: z.coerce.string() })"#,
    r#"z.object({ n: z.enum(["1", "2"]).optional(), m: z.literal(["a", 1, undefined]) })"#,
    r#"z.object({ toString: z.string().optional(), a: z.string().optional() })"#,
    r#"z.object({ a: z.string().min(2) })"#,
    r#"z.object({ a: z.string().exactOptional() })"#,
    r#"z.object({ a: z.string().default("d") })"#,
    r#"z.looseObject({ a: z.string() })"#,
    r#"z.strictObject({ a: z.string().optional() })"#,
    r#"z.object({})"#,
    r#"z.object({ a: z.string().optional(), b: z.literal(undefined) })"#,
];

const QUERIES: &[&str] = &[
    "",
    "?name=x",
    "?name=",
    "?name=a&name=b",
    "?a=1",
    "?a=1&b=2",
    "?e=x",
    "?e=z",
    "?e=x&l=k",
    "?e=y&l=K",
    "?l=k",
    "?a=%00%F0%9F%98%80",
    "?b=1",
    "?c=3",
    "?toString=x",
    "?m=a",
    "?m=1",
    "?n=1&m=a",
    "?n=3",
    "?a=xy",
    "?__proto__=x",
    "?name=x&extra=1",
    "?a",
    "?a=&a=",
    "?n=2",
    "?a=%E9&b=%ZZ",
    "?a=x&b=",
    "?a=1&a=22",
];

#[tokio::test]
async fn a_query_validated_by_the_host_is_what_zod_parses() {
    // `/w<i>` declares schema i as its input and shows what the handler got; `/z<i>` parses the
    // same query with Zod.
    let mut files = Vec::new();
    for (i, schema) in QUERY_SCHEMAS.iter().enumerate() {
        let head = format!("import {{ defineEndpoint, z }} from \"@palbase/backend\";\nconst schema = {schema};\n");
        files.push((
            format!("endpoints/w{i}/get.ts"),
            format!("{head}export default defineEndpoint({{ method: \"GET\", input: schema, handler: async (req) => ({{ input: req.input, keys: Object.keys(req.input), query: req.query }}) }});\n"),
        ));
        files.push((
            format!("endpoints/z{i}/get.ts"),
            format!(
                "{head}export default defineEndpoint({{ method: \"GET\", handler: async (req) => {{
  const r = schema.safeParse(req.query);
  return r.success ? {{ input: r.data, keys: Object.keys(r.data), query: req.query }} : {{ issues: r.error.issues }};
}} }});\n"
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let p = Project::new(&refs);
    let s = p.serve();
    let c = client();
    let (mut accepted, mut refused) = (0, 0);
    for (i, schema) in QUERY_SCHEMAS.iter().enumerate() {
        for q in QUERIES {
            let truth = send(c.get(s.url(&format!("/z{i}{q}")))).await;
            assert_eq!(truth.status, 200, "{}\n{}", truth.text, s.err());
            let truth = truth.json();
            let r = send(c.get(s.url(&format!("/w{i}{q}")))).await;
            let what = format!("schema {schema} query {q:?}: Zod {truth} → {} {}", r.status, r.text);
            if truth.get("issues").is_some() {
                refused += 1;
                let e = r.envelope(400, "invalid_request");
                assert_eq!(e["data"]["issues"], truth["issues"], "{what}");
            } else {
                accepted += 1;
                assert_eq!((r.status, r.json()), (200, truth), "{what}");
            }
        }
    }
    assert!(accepted > 100 && refused > 50, "{accepted} accepted, {refused} refused");
}
