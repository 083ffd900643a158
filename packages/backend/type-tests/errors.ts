// Declared errors (`req.errors`) and HttpError.
import { defineEndpoint, HttpError, z, type DeclaredErrorThrowers } from "@palbase/backend";
import type { Equal, Expect } from "./helpers.js";

defineEndpoint({
  method: "POST",
  errors: {
    notFound: { status: 404, code: "todo_not_found", description: "No such todo" },
    locked: { status: 423, code: "todo_locked", data: z.object({ retryAfter: z.number() }) },
    plain: { status: 409, code: "conflict" },
  },
  handler: async (req) => {
    type _nf = Expect<Equal<typeof req.errors.notFound, () => HttpError>>;
    type _lk = Expect<Equal<typeof req.errors.locked, (data: { retryAfter: number }) => HttpError>>;

    const which = Math.random();
    if (which < 0.1) throw req.errors.notFound();
    if (which < 0.2) throw req.errors.plain();
    if (which < 0.3) throw req.errors.locked({ retryAfter: 30 });

    // @ts-expect-error: no data declared → no arguments
    req.errors.notFound({ retryAfter: 30 });
    // @ts-expect-error: no data declared → not even undefined
    req.errors.plain(undefined);
    // @ts-expect-error: data declared → the payload is required
    req.errors.locked();
    // @ts-expect-error: wrong payload shape
    req.errors.locked({ retryAfter: "soon" });
    // @ts-expect-error: missing payload field
    req.errors.locked({});
    // @ts-expect-error: unknown payload field
    req.errors.locked({ retryAfter: 1, extra: true });
    // @ts-expect-error: undeclared error
    req.errors.nope();
  },
});

// The payload is the schema's input type (it is parsed before it is sent).
defineEndpoint({
  method: "GET",
  errors: {
    limited: { status: 429, code: "rate_limited", data: z.object({ seconds: z.number().default(60) }) },
  },
  handler: (req) => {
    type _ = Expect<Equal<Parameters<typeof req.errors.limited>, [data: { seconds?: number | undefined }]>>;
    throw req.errors.limited({});
  },
});

// Declared error config is checked.
defineEndpoint({
  method: "GET",
  errors: {
    // @ts-expect-error: status is a number
    bad: { status: "404", code: "x" },
  },
  handler: () => {},
});
defineEndpoint({
  method: "GET",
  errors: {
    // @ts-expect-error: code is required
    bad: { status: 404 },
  },
  handler: () => {},
});
defineEndpoint({
  method: "GET",
  errors: {
    // @ts-expect-error: data must be a zod schema
    bad: { status: 400, code: "x", data: { retryAfter: "number" } },
  },
  handler: () => {},
});

// The thrower map type on its own.
type Throwers = DeclaredErrorThrowers<{
  a: { status: 400; code: "a" };
  b: { status: 400; code: "b"; data: z.ZodString };
}>;
type _throwers = Expect<Equal<Throwers, { readonly a: () => HttpError; readonly b: (data: string) => HttpError }>>;

// HttpError: (status, code, description, data?)
const e1 = new HttpError(404, "todo_not_found", "No such todo");
const e2 = new HttpError(423, "todo_locked", "Locked", { retryAfter: 30 });
type _fields = Expect<Equal<[typeof e1.status, typeof e1.code, typeof e1.description], [number, string, string]>>;
const _isError: Error = e2;
// @ts-expect-error: description is required
new HttpError(404, "todo_not_found");
// @ts-expect-error: status is a number
new HttpError("404", "todo_not_found", "No such todo");
