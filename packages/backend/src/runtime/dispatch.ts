// The request path inside the engine. The Rust host calls `__pb_register` once per endpoint
// when a project version loads, then builds each request's `req` itself (see `Req`) and calls
// the handler directly (`__pb_endpoint` tells it when it may) or `__pb_dispatch`. A request that
// finishes within that call (the common case) answers through the return value, written by the
// host or by `__pb_settle`; one that waits on I/O, and every failure, reports through the host
// callback `__pb_complete(id, status, payload, isError)` (captured by internal.ts).
//
// Error envelopes are built by the host from `{status, code, description, data}` (one place);
// this file only classifies what went wrong.

import { HttpError, buildDeclaredErrors } from "../errors.js";
import { opSync } from "../host.js";
import { makeLogger } from "../log.js";
import { complete, HOST } from "../internal.js";
import { compile, compileJson, FAIL, OMIT, planOf, type Fast, type FastJson } from "./fastcheck.js";
import type { Logger, User } from "../types.js";


interface Schema {
  safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: { issues: unknown[] } };
}

export interface EndpointDef {
  __pb?: string;
  method?: string;
  auth?: boolean | { required?: boolean; role?: string };
  rateLimit?: { max: number; window: number };
  input?: Schema;
  output?: Schema;
  errors?: Record<string, { status: number; code: string; description?: string; data?: unknown }>;
  middleware?: Array<{ __pb?: string; handler: (ctx: unknown, next: () => Promise<void>) => unknown }>;
  handler?: (req: unknown) => unknown;
  summary?: unknown;
  description?: unknown;
  tags?: unknown;
  deprecated?: unknown;
}

const endpoints: EndpointDef[] = [];
const methods: string[] = [];
// Compiled validators of plain schemas (see fastcheck.ts); `null` means "use Zod".
const fast = new Map<EndpointDef, { input: Fast | null; output: FastJson | null }>();
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
// The host's JSON writer for response bodies (see `finish`); absent outside the runtime.
const writeJson = HOST?.json;

/** The registered endpoints by route index (for the OpenAPI description, describe.ts). */
export function registeredEndpoints(): readonly (EndpointDef | undefined)[] {
  return endpoints;
}

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
  methods[index] = method;
  // A schema the compilers cannot handle goes to Zod for this endpoint only (they return
  // `null`, and should one throw anyway, that is caught here too).
  const writer = def.output ? tryCompile(compileJson, def.output) : null;
  const validator = def.input ? tryCompile(compile, def.input) : null;
  fast.set(def, { input: validator, output: writer });
  // The query string of a GET or DELETE is validated by the host when it can
  // (crates/palbase-engine/src/input.rs): a plan for an object of strings.
  const inPlan = method === "GET" || method === "DELETE" ? planOf(validator) : null;
  const a = def.auth;
  let auth: { role: string | null } | null = null;
  if (a === true) auth = { role: null };
  else if (typeof a === "object" && a !== null) {
    // `{ role }` without `required` counts as authenticated (endpoints.md).
    const required = a.required ?? a.role !== undefined;
    if (required) auth = { role: a.role ?? null };
  }
  // `output`: the host writes a settled result itself with this plan (crates/palbase-engine/src/output.rs).
  return JSON.stringify({ ok: { method, auth, rateLimit: rl ?? null, hasInput: def.input !== undefined, hasOutput: def.output !== undefined, output: planOf(writer), query: inPlan?.t === "object" ? inPlan : null } });
}

function tryCompile<T>(compiler: (schema: unknown) => T | null, schema: unknown): T | null {
  try {
    return compiler(schema);
  } catch {
    return null;
  }
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
  // The engine's caps on timers and fetch calls (crates/palbase-engine/src/guards.rs).
  if (err?.name === "RangeError" && (err.message ?? "").endsWith("(a Palbase limit)")) return { status: 500, code: "limit_exceeded", description: err.message! };
  if (err?.name === "RangeError" && /call stack|stack overflow/i.test(err.message ?? "")) {
    return { status: 500, code: "stack_overflow", description: "The handler exceeded the maximum call stack size" };
  }
  return { status: 500, code: "internal_error", description: "Internal server error" };
}

function parseBody(body: string | null | undefined): unknown {
  if (body == null || body === "") return {};
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new Fail({ status: 400, code: "invalid_json", description: `The request body is not valid JSON: ${(e as Error).message}` });
  }
}

/**
 * What `__pb_dispatch` and `__pb_settle` return to the host: the JSON body of a 200, `null` for a
 * 204, or `undefined` when the outcome was (or will be) reported through `__pb_complete`.
 */
type Answer = string | null | undefined;
/**
 * The request's ids arrive as one string, `<requestId><traceId: 32 hex><spanId: 16 hex>` (one
 * string to create per request instead of three), and are cut out only when read.
 */
function requestIdOf(ids: string): string {
  return ids.slice(0, ids.length - 48);
}

type FileInfo = { name: string; fieldName: string; contentType: string; size: number };

/**
 * The parts of the request the host keeps until they are read (crates/palbase-engine/src/request.rs):
 * the header map and the query string's pairs, made into plain objects on first use.
 */
type HostParts = { headers(): Record<string, string>; query(): Record<string, string> };

/**
 * `req` (PBRequest), built by the host with this prototype (crates/palbase-engine/src/request.rs):
 * in QuickJS every own property costs a shape transition, so `input` (and `errors`, when the
 * endpoint declares errors) are the only own properties, and the rest sit in one array behind
 * getters. Most handlers read one or two of them.
 */
class Req {
  declare input: unknown;
  declare errors?: unknown;
  /** [params, query (made on first use unless it is the input), user, method, ids, path, host parts, file, headers object, client, requestId] */
  declare _x: [Record<string, string>, Record<string, string> | undefined, User | null, string, string, string, HostParts, unknown, Record<string, string> | undefined, unknown, string | undefined];

  get params(): Record<string, string> {
    return this._x[0];
  }

  get query(): Record<string, string> {
    const x = this._x;
    return (x[1] ??= x[6].query());
  }

  get user(): User | null {
    return this._x[2];
  }

  get method(): string {
    return this._x[3];
  }

  get requestId(): string {
    const x = this._x;
    return (x[10] ??= requestIdOf(x[4]));
  }

  get traceId(): string {
    const ids = this._x[4];
    return ids.slice(ids.length - 48, ids.length - 16);
  }

  get spanId(): string {
    return this._x[4].slice(-16);
  }

  get path(): string {
    return this._x[5];
  }

  get file(): unknown {
    return this._x[7];
  }

  get headers(): Record<string, string> {
    const x = this._x;
    return (x[8] ??= x[6].headers());
  }

  /** From the headers the Palbase client SDKs send (docs/runtime.md). */
  get client(): unknown {
    const x = this._x;
    if (x[9] === undefined) {
      const h = this.headers;
      x[9] = {
        sdkVersion: h["x-palbase-sdk-version"] ?? null,
        appVersion: h["x-palbase-app-version"] ?? null,
        platform: h["x-palbase-platform"] ?? null,
        osVersion: h["x-palbase-os-version"] ?? null,
      };
    }
    return x[9];
  }

  toJSON() {
    const { input, params, query, user, method, requestId, traceId, spanId } = this;
    return { input, params, query, headers: this.headers, user, client: this.client, method, requestId, traceId, spanId };
  }
}

/** The prototype of `req` objects, for the host. */
export const __pb_req_proto: object = Req.prototype;

/** The response body: JSON, or `null` for 204 (the handler returned nothing). */
function finish(def: EndpointDef, req: Req, result: unknown): string | null {
  const output = def.output;
  if (output !== undefined) {
    const write = fast.get(def)!.output;
    const json = write === null || result === undefined ? FAIL : write(result);
    if (json !== FAIL && json !== OMIT) return json;
    const r = output.safeParse(result);
    if (!r.success) {
      opSync("log", { level: "error", message: "handler output does not match the endpoint's output schema", data: { issues: r.error.issues }, requestId: req.requestId });
      throw new Fail({ status: 500, code: "invalid_response", description: "The server produced an invalid response" });
    }
    result = r.data;
  }
  if (result === undefined) return null;
  // An object or array: written by the host where it can (exactly what JSON.stringify writes).
  if (typeof result === "object" && result !== null && writeJson !== undefined) {
    const json = writeJson(result);
    if (json !== undefined) return json;
  }
  return JSON.stringify(result) ?? null;
}


/** Runs the middleware chain around the handler; resolves to the handler's result. */
async function withMiddleware(def: EndpointDef, req: Req): Promise<unknown> {
  const chain = def.middleware!;
  let result: unknown;
  const ctx = {
    log: makeLogger(req.requestId),
    requestId: req.requestId,
    traceId: req.traceId,
    method: req.method,
    path: req.path,
    get headers() {
      return req.headers;
    },
    user: req.user,
    params: req.params,
    query: req.query,
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

function throwersOf(def: EndpointDef): unknown {
  let t = throwers.get(def);
  if (t === undefined) {
    t = buildDeclaredErrors(def.errors as never);
    throwers.set(def, t);
  }
  return t;
}

/**
 * What the host keeps of endpoint `index` once loaded: `[handler, errors, method]`. `handler` is
 * set when the host may call it directly, without `__pb_dispatch`: a GET or DELETE without
 * middleware (its input is the query, validated by the host or absent); `errors` is the
 * endpoint's `req.errors` object, if it declares errors. `undefined`: the module did not register.
 */
export function __pb_endpoint(index: number): [((req: unknown) => unknown) | undefined, unknown, string] | undefined {
  const def = endpoints[index];
  const method = methods[index];
  if (def === undefined || method === undefined) return undefined;
  const direct = (method === "GET" || method === "DELETE") && !(def.middleware !== undefined && def.middleware.length > 0);
  return [direct ? def.handler : undefined, def.errors === undefined ? undefined : throwersOf(def), method];
}

/**
 * Runs endpoint `index` for one request whose `req` the host built (see `Req`): computes the
 * input unless the host validated it already (`req.input` set), then calls the handler. Returns
 * the answer (see `Answer`), or the object the handler returned (a promise, another thenable, or
 * its result) for the host to finish (`__pb_settle`). Never throws.
 */
export function __pb_dispatch(
  index: number,
  req: Req,
  id: number,
  // What a GET never has: left off by the host when absent.
  formJson?: string,
  body?: string | null,
  file?: ArrayBuffer,
): object | Answer {
  try {
    const def = endpoints[index];
    if (def === undefined) throw new Error(`no endpoint registered at index ${index}`);
    if (req.input === undefined) {
      const method = methods[index]!;
      let raw: unknown;
      if (method === "GET" || method === "DELETE") {
        raw = req.query;
      } else if (formJson !== undefined) {
        const form = JSON.parse(formJson) as { fields: Record<string, string> | null; file: FileInfo | null };
        raw = form.fields ?? {};
        if (form.file && file) req._x[7] = { ...form.file, bytes: new Uint8Array(file) };
      } else {
        raw = parseBody(body);
      }
      let input = raw;
      if (def.input !== undefined) {
        const check = fast.get(def)!.input;
        const quick = check === null ? FAIL : check(raw);
        if (quick !== FAIL) {
          input = quick;
        } else {
          const r = def.input.safeParse(raw);
          if (!r.success) {
            throw new Fail({ status: 400, code: "invalid_request", description: "The request input is invalid", data: { issues: r.error.issues } });
          }
          input = r.data;
        }
      }
      req.input = input;
    }
    return start(def, req, id);
  } catch (e) {
    report(id, e, req.requestId);
    return undefined;
  }
}

/**
 * Calls the handler (through the middleware, if any). Synchronous up to the handler's first
 * `await`. An object — a native promise, another thenable, or a synchronous handler's result —
 * goes back to the host, which tells them apart, runs the microtasks, reads a promise's state and
 * writes the value or calls `__pb_settle`: an async handler that never waits on I/O then costs no
 * `.then` at all, and no `instanceof` is run here.
 */
function start(def: EndpointDef, req: Req, id: number): object | Answer {
  if (def.errors !== undefined) req.errors = throwersOf(def);
  const out: unknown = def.middleware !== undefined && def.middleware.length > 0 ? withMiddleware(def, req) : def.handler!(req);
  if (typeof out === "object" && out !== null) return out;
  return answer(def, req, id, out);
}

/** Finishes a request with the handler's result; a failure is reported (and `undefined` returned). */
function answer(def: EndpointDef, req: Req, id: number, value: unknown): Answer {
  try {
    return finish(def, req, value);
  } catch (e) {
    report(id, e, req.requestId);
    return undefined;
  }
}

function attach(def: EndpointDef, req: Req, id: number, out: PromiseLike<unknown>): void {
  out.then(
    (v) => {
      const r = answer(def, req, id, v);
      if (r !== undefined) complete(id, r === null ? 204 : 200, r ?? undefined, false);
    },
    (e) => report(id, e, req.requestId),
  );
}

/**
 * The host's answer for request `id` of endpoint `index` (its `req`), once the handler was
 * called and the microtasks ran: `state` 1 = the handler's value is `value` (a fulfilled
 * promise's or a synchronous result), 2 = it failed with `value`, 0 = still pending (`value` is
 * the promise or thenable, which is then awaited the ordinary way).
 */
export function __pb_settle(state: number, value: unknown, index: number, req: Req, id: number): Answer {
  const def = endpoints[index];
  if (def === undefined) return undefined;
  if (state === 1) return answer(def, req, id, value);
  if (state === 2) report(id, value, req.requestId);
  else attach(def, req, id, value as Promise<unknown>);
  return undefined;
}

function report(id: number, e: unknown, requestId: string) {
  let f: Failure;
  try {
    f = classify(e, requestId);
    complete(id, f.status, JSON.stringify(f), true);
  } catch {
    complete(id, 500, undefined, true);
  }
}
