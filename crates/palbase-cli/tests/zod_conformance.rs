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
