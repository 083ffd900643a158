//! A project using every part of the endpoint config that reaches the OpenAPI document and
//! the generated clients (tests/openapi.rs, tests/codegen.rs).

use super::Project;

/// A project using every part of the config that reaches the document.
pub const CONTRACT: &[(&str, &str)] = &[
    (
        "endpoints/todos/get.ts",
        r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "GET",
  summary: "List todos",
  input: z.object({ q: z.string().max(50).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
  output: z.object({ items: z.array(z.object({ id: z.string(), title: z.string(), done: z.boolean() })), total: z.number().int() }),
  handler: async (req) => ({ items: [{ id: "t1", title: req.input.q ?? "first", done: false }].slice(0, req.input.limit), total: 1 }),
});
"#,
    ),
    (
        "endpoints/todos/post.ts",
        r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  auth: { required: true },
  rateLimit: { max: 5, window: 60 },
  description: "Creates a todo for the caller.",
  input: z.object({ title: z.string().min(1).max(200), due: z.string().datetime().optional() }),
  output: z.object({ id: z.string(), title: z.string(), owner: z.string() }),
  errors: {
    duplicate: { status: 409, code: "todo_duplicate", description: "A todo with this title exists" },
    limitReached: { status: 409, code: "todo_limit", data: z.object({ max: z.number().int() }) },
    locked: { status: 423, code: "todo_locked", data: z.object({ retryAfter: z.number() }) },
  },
  handler: async (req) => {
    if (req.input.title === "dup") throw req.errors.duplicate();
    if (req.input.title === "many") throw req.errors.limitReached({ max: 3 });
    if (req.input.title === "locked") throw req.errors.locked({ retryAfter: 30 });
    return { id: "t2", title: req.input.title, owner: req.user.id };
  },
});
"#,
    ),
    (
        "endpoints/todos/[id]/delete.ts",
        r#"import { defineEndpoint } from "@palbase/backend";
export default defineEndpoint({
  method: "DELETE",
  auth: { required: true, role: "admin" },
  tags: ["admin", "todos"],
  deprecated: true,
  handler: async () => {},
});
"#,
    ),
    (
        "endpoints/avatars/post.ts",
        r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  input: z.object({ caption: z.string().optional() }),
  output: z.object({ size: z.number(), name: z.string() }),
  handler: async (req) => ({ size: req.file?.size ?? 0, name: req.file?.name ?? "" }),
});
"#,
    ),
    (
        "endpoints/shapes/[kind]/put.ts",
        r#"import { defineEndpoint, z } from "@palbase/backend";
const Node: z.ZodType<{ name: string; children: unknown[] }> = z.lazy(() => z.object({ name: z.string(), children: z.array(Node) }));
export default defineEndpoint({
  method: "PUT",
  input: z.object({ tree: Node, at: z.string().transform((s) => s.length) }),
  output: z.object({ kind: z.string(), stamp: z.date().transform((d) => d.toISOString()), big: z.string().transform((s) => s.length) }),
  handler: async (req) => ({ kind: req.params.kind, stamp: new Date(0), big: "x" }),
});
"#,
    ),
    ("endpoints/get.ts", "import { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ ok: true }) });\n"),
];

pub fn contract() -> Project {
    let p = Project::new(CONTRACT);
    p.write("package.json", r#"{"name":"contract-api","version":"1.4.0","private":true,"type":"module","dependencies":{"@palbase/backend":"2.0.2"}}"#);
    p
}
