// The request path inside the engine. The Rust host calls `__pb_register` once per endpoint
// when a project version loads, and `__pb_dispatch` once per request; results go back through
// the host global `__pb_complete(id, status, payload, isError)`.
//
// Error envelopes are built by the host from `{status, code, description, data}` (one place);
// this file only classifies what went wrong.

import { HttpError, buildDeclaredErrors } from "../errors.js";
import { opSync } from "../host.js";
import { compile, FAIL, type Fast } from "./fastcheck.js";
import type { Logger, User } from "../types.js";

declare const __pb_complete: (id: number, status: number, payload: string | undefined, isError: boolean) => void;

interface Schema {
  safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: { issues: unknown[] } };
}

interface EndpointDef {
  __pb?: string;
  method?: string;
  auth?: boolean | { required?: boolean; role?: string };
  rateLimit?: { max: number; window: number };
  input?: Schema;
  output?: Schema;
  errors?: Record<string, { status: number; code: string; description?: string; data?: unknown }>;
  middleware?: Array<{ __pb?: string; handler: (ctx: unknown, next: () => Promise<void>) => unknown }>;
  handler?: (req: unknown) => unknown;
}

interface RequestMeta {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  user: User | null;
  requestId: string;
  traceId: string;
  spanId: string;
  fields: Record<string, string> | null;
  file: { name: string; fieldName: string; contentType: string; size: number } | null;
}

const endpoints: EndpointDef[] = [];
// Compiled validators of plain schemas (see fastcheck.ts); `null` means "use Zod".
const fast = new Map<EndpointDef, { input: Fast | null; output: Fast | null }>();
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function isSchema(v: unknown): v is Schema {
  return typeof v === "object" && v !== null && typeof (v as Schema).safeParse === "function";
}

/** Validates one endpoint module; returns `{ok: meta}` or `{error, hint}` as JSON. */
export function __pb_register(index: number, ns: Record<string, unknown>, file: string, fileMethod: string): string {
  const fail = (error: string, hint?: string) => JSON.stringify({ error, hint });
  const def = ns.default as EndpointDef | undefined;
  if (def === undefined) {
    return fail("has no default export", "end the file with `export default defineEndpoint({ ... })`");
  }
  if (typeof def !== "object" || def === null || def.__pb !== "endpoint") {
    return fail("the default export is not a defineEndpoint(...) result", "wrap the config: `export default defineEndpoint({ method, handler })`");
  }
  if (typeof def.handler !== "function") return fail("defineEndpoint config has no `handler` function");
  const method = String(def.method ?? "").toUpperCase();
  if (!METHODS.includes(method)) return fail(`\`method: ${JSON.stringify(def.method)}\` is not one of ${METHODS.join(", ")}`);
  if (method !== fileMethod) {
    return fail(`\`method: "${def.method}"\` contradicts the file name (${fileMethod.toLowerCase()}.ts serves ${fileMethod})`, `rename the file to ${method.toLowerCase()}.ts or set method: "${fileMethod}"`);
  }
  if (def.input !== undefined && !isSchema(def.input)) return fail("`input` is not a Zod schema");
  if (def.output !== undefined && !isSchema(def.output)) return fail("`output` is not a Zod schema");
  for (const m of def.middleware ?? []) {
    if (!m || m.__pb !== "middleware") return fail("`middleware` lists something that is not a defineMiddleware(...) result");
  }
  const rl = def.rateLimit;
  if (rl !== undefined && !(rl.max >= 1 && rl.window > 0 && Number.isInteger(rl.max))) {
    return fail("`rateLimit` needs a whole `max` >= 1 and a `window` in seconds > 0");
  }
  endpoints[index] = def;
  fast.set(def, { input: def.input ? compile(def.input) : null, output: def.output ? compile(def.output) : null });
  const a = def.auth;
  let auth: { role: string | null } | null = null;
  if (a === true) auth = { role: null };
  else if (typeof a === "object" && a !== null) {
    // `{ role }` without `required` counts as authenticated (endpoints.md).
    const required = a.required ?? a.role !== undefined;
    if (required) auth = { role: a.role ?? null };
  }
  return JSON.stringify({ ok: { method, auth, rateLimit: rl ?? null, hasInput: def.input !== undefined } });
}

function logger(requestId: string): Logger {
  const at = (level: string) => (message: string, data?: unknown) =>
    opSync("log", { level, message: String(message), data: serialisable(data), requestId });
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export function serialisable(data: unknown): unknown {
  if (data instanceof Error) return { name: data.name, message: data.message, stack: data.stack };
  return data;
}

interface Failure {
  status: number;
  code: string;
  description: string;
  data?: unknown;
}

class Fail {
  constructor(readonly f: Failure) {}
}

function classify(e: unknown, requestId: string): Failure {
  if (e instanceof Fail) return e.f;
  if (e instanceof HttpError) {
    const status = Number.isInteger(e.status) && e.status >= 400 && e.status <= 599 ? e.status : 500;
    return { status, code: String(e.code), description: String(e.description), data: e.data };
  }
  const err = e as { name?: string; message?: string; stack?: string };
  // Everything else is a bug in the handler: the stack goes to the log, never to the client.
  opSync("log", { level: "error", message: `unhandled ${err?.name ?? "error"}: ${err?.message ?? String(e)}`, data: { stack: err?.stack }, requestId });
  if (err?.message === "out of memory") return { status: 500, code: "out_of_memory", description: "The handler ran out of memory" };
  if (err?.name === "RangeError" && /call stack|stack overflow/i.test(err.message ?? "")) {
    return { status: 500, code: "stack_overflow", description: "The handler exceeded the maximum call stack size" };
  }
  return { status: 500, code: "internal_error", description: "Internal server error" };
}

function parseInput(def: EndpointDef, meta: RequestMeta, body: string | null | undefined): unknown {
  if (meta.method === "GET" || meta.method === "DELETE") return meta.query;
  if (meta.fields) return meta.fields;
  if (body == null || body === "") return {};
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new Fail({ status: 400, code: "invalid_json", description: `The request body is not valid JSON: ${(e as Error).message}` });
  }
}

type Reply = [number, string | undefined];

/**
 * `req` (PBRequest). Headers arrive as a JSON string and are parsed on first use: most handlers
 * never read them, and parsing them is the largest fixed cost of a request.
 */
class Req {
  readonly input: unknown;
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
  readonly user: User | null;
  readonly file: unknown;
  readonly method: string;
  readonly requestId: string;
  readonly traceId: string;
  readonly spanId: string;
  errors?: unknown;
  private _hj: string;
  private _h: Record<string, string> | undefined = undefined;
  private _c: unknown = undefined;

  constructor(meta: RequestMeta, headersJson: string, input: unknown, file: unknown) {
    this.input = input;
    this.params = meta.params;
    this.query = meta.query;
    this.user = meta.user;
    this.file = file;
    this.method = meta.method;
    this.requestId = meta.requestId;
    this.traceId = meta.traceId;
    this.spanId = meta.spanId;
    this._hj = headersJson;
  }

  get headers(): Record<string, string> {
    return (this._h ??= JSON.parse(this._hj) as Record<string, string>);
  }

  /** From the headers the Palbase client SDKs send (docs/runtime.md). */
  get client(): unknown {
    if (this._c === undefined) {
      const h = this.headers;
      this._c = {
        sdkVersion: h["x-palbase-sdk-version"] ?? null,
        appVersion: h["x-palbase-app-version"] ?? null,
        platform: h["x-palbase-platform"] ?? null,
        osVersion: h["x-palbase-os-version"] ?? null,
      };
    }
    return this._c;
  }

  toJSON() {
    const { input, params, query, user, method, requestId, traceId, spanId } = this;
    return { input, params, query, headers: this.headers, user, client: this.client, method, requestId, traceId, spanId };
  }
}

function finish(def: EndpointDef, meta: RequestMeta, result: unknown): Reply {
  const quick = def.output ? fast.get(def)?.output?.(result) ?? FAIL : FAIL;
  if (quick !== FAIL) {
    result = quick;
  } else if (def.output) {
    const r = def.output.safeParse(result);
    if (!r.success) {
      opSync("log", { level: "error", message: "handler output does not match the endpoint's output schema", data: { issues: r.error.issues }, requestId: meta.requestId });
      throw new Fail({ status: 500, code: "invalid_response", description: "The server produced an invalid response" });
    }
    result = r.data;
  }
  return result === undefined ? [204, undefined] : [200, JSON.stringify(result)];
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}

/** Runs the middleware chain around the handler; resolves to the handler's result. */
async function withMiddleware(def: EndpointDef, meta: RequestMeta, req: Record<string, unknown>): Promise<unknown> {
  const r = req as unknown as Req;
  const chain = def.middleware!;
  let result: unknown;
  const ctx = {
    log: logger(meta.requestId),
    requestId: meta.requestId,
    traceId: meta.traceId,
    method: meta.method,
    path: meta.path,
    get headers() {
      return r.headers;
    },
    user: meta.user,
    params: meta.params,
    query: meta.query,
    state: {} as Record<string, unknown>,
  };
  const step = async (i: number): Promise<void> => {
    if (i === chain.length) {
      result = await def.handler!(req);
      return;
    }
    let called = false;
    await chain[i]!.handler(ctx, () => {
      if (called) return Promise.reject(new Error("next() called twice by one middleware"));
      called = true;
      return step(i + 1);
    });
  };
  await step(0);
  return result;
}

// Per-endpoint `req.errors` objects: the throwers are stateless, so build them once.
const throwers = new Map<EndpointDef, unknown>();

/**
 * Validates input and calls the handler. Synchronous up to the handler's first `await`, so a
 * plain handler costs one promise reaction, not a chain of async frames (the hot path).
 */
function start(def: EndpointDef, meta: RequestMeta, headersJson: string, body: string | null | undefined, file: ArrayBuffer | undefined, id: number): void {
  const raw = parseInput(def, meta, body);
  let input = raw;
  const quick = def.input ? fast.get(def)?.input?.(raw) ?? FAIL : FAIL;
  if (quick !== FAIL) {
    input = quick;
  } else if (def.input) {
    const r = def.input.safeParse(raw);
    if (!r.success) {
      throw new Fail({ status: 400, code: "invalid_request", description: "The request input is invalid", data: { issues: r.error.issues } });
    }
    input = r.data;
  }
  const req = new Req(meta, headersJson, input, meta.file && file ? { ...meta.file, bytes: new Uint8Array(file) } : null) as unknown as Record<string, unknown>;
  if (def.errors) {
    let t = throwers.get(def);
    if (t === undefined) {
      t = buildDeclaredErrors(def.errors as never);
      throwers.set(def, t);
    }
    req.errors = t;
  }
  const out = def.middleware && def.middleware.length > 0 ? withMiddleware(def, meta, req) : def.handler!(req);
  if (isThenable(out)) {
    // One promise reaction per request: finish and report in the same job.
    out.then(
      (v) => {
        let r: Reply;
        try {
          r = finish(def, meta, v);
        } catch (e) {
          report(id, e, meta.requestId);
          return;
        }
        __pb_complete(id, r[0], r[1], false);
      },
      (e) => report(id, e, meta.requestId),
    );
  } else {
    const r = finish(def, meta, out);
    __pb_complete(id, r[0], r[1], false);
  }
}

/** Runs endpoint `index` for one request and reports through `__pb_complete`. Never throws. */
export function __pb_dispatch(
  index: number,
  method: string,
  path: string,
  requestId: string,
  traceId: string,
  spanId: string,
  paramsJson: string | undefined,
  queryJson: string | undefined,
  userJson: string | undefined,
  headersJson: string,
  formJson: string | undefined,
  body: string | null | undefined,
  file: ArrayBuffer | undefined,
  id: number,
): void {
  let meta: RequestMeta | undefined;
  try {
    const form = formJson === undefined ? undefined : (JSON.parse(formJson) as Pick<RequestMeta, "fields" | "file">);
    meta = {
      method,
      path,
      requestId,
      traceId,
      spanId,
      params: paramsJson === undefined ? {} : JSON.parse(paramsJson),
      query: queryJson === undefined ? {} : JSON.parse(queryJson),
      user: userJson === undefined ? null : JSON.parse(userJson),
      fields: form?.fields ?? null,
      file: form?.file ?? null,
    };
    const def = endpoints[index];
    if (!def) throw new Error(`no endpoint registered at index ${index}`);
    start(def, meta, headersJson, body, file, id);
  } catch (e) {
    report(id, e, meta?.requestId ?? "-");
  }
}

function report(id: number, e: unknown, requestId: string) {
  let f: Failure;
  try {
    f = classify(e, requestId);
    __pb_complete(id, f.status, JSON.stringify(f), true);
  } catch {
    __pb_complete(id, 500, undefined, true);
  }
}
