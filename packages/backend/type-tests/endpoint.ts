// defineEndpoint: `req.input` inference, the other `req` fields, the handler's
// return value vs `output`, `method`, `rateLimit`, `middleware`.
import {
  defineEndpoint,
  defineMiddleware,
  z,
  type ClientInfo,
  type AnyEndpoint,
  type FileContext,
  type PBRequest,
  type User,
} from "@palbase/backend";
import type { Equal, Expect, IsAny, Not } from "./helpers.js";

// --- req.input -------------------------------------------------------------

defineEndpoint({
  method: "POST",
  input: z.object({ name: z.string(), tags: z.array(z.string()).optional() }),
  handler: (req) => {
    type _ = Expect<Equal<typeof req.input, { name: string; tags?: string[] | undefined }>>;
  },
});

// The parsed (output) type: defaults are filled in, transforms applied.
defineEndpoint({
  method: "POST",
  input: z.object({
    page: z.number().default(1),
    when: z.string().transform((s) => s.length),
  }),
  handler: (req) => {
    type _ = Expect<Equal<typeof req.input, { page: number; when: number }>>;
  },
});

// Any schema, not only objects.
defineEndpoint({
  method: "PUT",
  input: z.array(z.number()),
  handler: (req) => {
    type _ = Expect<Equal<typeof req.input, number[]>>;
  },
});

// No input schema → `{}`: reading a property is an error.
defineEndpoint({
  method: "GET",
  handler: (req) => {
    type _ = Expect<Equal<typeof req.input, {}>>;
    // @ts-expect-error: no input schema declared
    req.input.name;
  },
});

defineEndpoint({
  method: "POST",
  input: z.object({ name: z.string() }),
  handler: (req) => {
    // @ts-expect-error: not in the input schema
    req.input.nope;
    // @ts-expect-error: string, not number
    const n: number = req.input.name;
  },
});

// --- the rest of req ---------------------------------------------------------

defineEndpoint({
  method: "GET",
  handler: (req) => {
    type _params = Expect<Equal<typeof req.params, Record<string, string>>>;
    type _query = Expect<Equal<typeof req.query, Record<string, string>>>;
    type _headers = Expect<Equal<typeof req.headers, Record<string, string>>>;
    type _client = Expect<Equal<typeof req.client, ClientInfo>>;
    type _file = Expect<Equal<typeof req.file, FileContext | null>>;
    type _method = Expect<Equal<typeof req.method, string>>;
    type _ids = Expect<Equal<[typeof req.requestId, typeof req.traceId, typeof req.spanId], [string, string, string]>>;
    type _noAny = Expect<Not<IsAny<typeof req>>>;
    // @ts-expect-error: req.errors exists only when errors are declared
    req.errors;
    // @ts-expect-error: services are not on req
    req.db;
  },
});

type _clientInfo = Expect<
  Equal<ClientInfo, { sdkVersion: string | null; appVersion: string | null; platform: string | null; osVersion: string | null }>
>;
type _fileContext = Expect<
  Equal<FileContext, { name: string; fieldName: string; contentType: string; size: number; bytes: Uint8Array }>
>;
type _user = Expect<Equal<User, { id: string; email: string; role: string; metadata: Record<string, unknown> }>>;

// PBRequest is usable on its own, e.g. for helper functions.
function greet(req: PBRequest<{ name: string }, User>): string {
  return `${req.input.name} (${req.user.email})`;
}
defineEndpoint({
  method: "POST",
  auth: true,
  input: z.object({ name: z.string() }),
  handler: (req) => greet(req),
});

// --- handler return vs output --------------------------------------------------

defineEndpoint({
  method: "GET",
  output: z.object({ id: z.string(), n: z.number().nullable() }),
  handler: async () => ({ id: "a", n: null }),
});

defineEndpoint({
  method: "GET",
  output: z.object({ id: z.string() }),
  handler: () => ({ id: "sync return is fine too" }),
});

defineEndpoint({
  method: "GET",
  output: z.object({ id: z.string() }),
  // @ts-expect-error: id must be a string
  handler: async () => ({ id: 1 }),
});

defineEndpoint({
  method: "GET",
  output: z.object({ id: z.string() }),
  // @ts-expect-error: id is missing
  handler: async () => ({}),
});

// Note: TypeScript does not excess-property-check an arrow function's returned
// literal against a contextual return type, so `({ id: "a", extra: true })`
// compiles; the runtime's output parse strips unknown keys.

// The output schema's *input* type is what the handler returns: the runtime
// parses the return value, so a default may be left out…
defineEndpoint({
  method: "GET",
  output: z.object({ id: z.string(), page: z.number().default(1) }),
  handler: async () => ({ id: "a" }),
});
// …and a transform's input type is what must be returned.
defineEndpoint({
  method: "GET",
  output: z.object({ len: z.string().transform((s) => s.length) }),
  handler: async () => ({ len: "abc" }),
});

// Without an output schema anything goes.
defineEndpoint({
  method: "GET",
  handler: async () => ({ whatever: [1, 2, 3] }),
});

// Inference still works when the handler is declared with a block body and
// the endpoint uses every option.
const logger = defineMiddleware(async (_ctx, next) => {
  await next();
});
const full = defineEndpoint({
  method: "PATCH",
  auth: { required: true },
  rateLimit: { max: 100, window: 60 },
  input: z.object({ title: z.string() }),
  output: z.object({ title: z.string() }),
  errors: { gone: { status: 410, code: "gone" } },
  middleware: [logger],
  handler: async (req) => {
    if (req.input.title === "") throw req.errors.gone();
    return { title: req.input.title.toUpperCase() + req.user.id };
  },
});
type _brand = Expect<Equal<typeof full.__pb, "endpoint">>;
const asEndpoint: AnyEndpoint = full;

// --- method ------------------------------------------------------------------

for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
  defineEndpoint({ method: m, handler: () => {} });
}
// @ts-expect-error: not one of the five methods
defineEndpoint({ method: "HEAD", handler: () => {} });
// @ts-expect-error: methods are uppercase
defineEndpoint({ method: "get", handler: () => {} });
// @ts-expect-error: method is required
defineEndpoint({ handler: () => {} });
// @ts-expect-error: handler is required
defineEndpoint({ method: "GET" });

// --- other config fields ---------------------------------------------------------

defineEndpoint({
  method: "GET",
  // @ts-expect-error: window is required
  rateLimit: { max: 10 },
  handler: () => {},
});
defineEndpoint({
  method: "GET",
  // @ts-expect-error: middleware must be defineMiddleware() values
  middleware: [async () => {}],
  handler: () => {},
});
defineEndpoint({
  method: "GET",
  // @ts-expect-error: input must be a zod schema
  input: { name: "string" },
  handler: () => {},
});
// @ts-expect-error: the handler takes exactly one argument
defineEndpoint({ method: "GET", handler: (req, extra: number) => {} });

// --- OpenAPI fields (Palbase additions to the 2.0.2 config) -------------------

defineEndpoint({ method: "GET", summary: "List todos", description: "All of them.", tags: ["todos"], deprecated: true, handler: () => ({}) });
// @ts-expect-error: summary is a string
defineEndpoint({ method: "GET", summary: 5, handler: () => {} });
// @ts-expect-error: tags are strings
defineEndpoint({ method: "GET", tags: "todos", handler: () => {} });
// @ts-expect-error: deprecated is a boolean
defineEndpoint({ method: "GET", deprecated: "yes", handler: () => {} });
