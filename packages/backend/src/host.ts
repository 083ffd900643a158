// The bridge to the Rust host (the `palbase` binary). Only this file knows the
// global the binary installs; everything else calls `op`/`opSync`.
//
// Contract (see ARCHITECTURE.md, "ops"):
//   __pb_host.op(name, argsJson)     -> Promise<string>  (JSON result; rejects with a JSON error string)
//   __pb_host.opSync(name, argsJson) -> string           (JSON result; throws a JSON error string)
//   __pb_host.opValue(name, args)     -> Promise<unknown> (op with values in and out, no JSON text)
//   __pb_host.opSyncValue(name, args) -> unknown          (opSync with values in and out)
//   __pb_host.opBytes(name, argsJson, bytes?) -> Promise<[string, ArrayBuffer | undefined]>
//                                                        (bytes travel as bytes, never as text)
// An op error is `{status, code, description, data?}` and becomes an `HttpError`,
// so an uncaught service error still answers the spec's error envelope.

import { HttpError } from "./errors.js";
import type { ArgsOf, OpName, PlannedOp, ResultOf } from "./ops.js";
import { HOST, type Host } from "./internal.js";

function host(): Host {
  // Inside the runtime HOST is always set (and the global is gone); the global is read only
  // outside it, where tests install a host of their own.
  const h = HOST ?? (globalThis as { __pb_host?: Host }).__pb_host;
  if (!h) {
    throw new Error(
      "@palbase/backend services only run inside the Palbase runtime (`palbase serve`); " +
        "import the builders freely, but call services from a handler.",
    );
  }
  return h;
}

function toError(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  let e: { status?: number; code?: string; description?: string; data?: unknown };
  try {
    e = JSON.parse(raw);
  } catch {
    return new Error(raw);
  }
  return new HttpError(e.status ?? 500, e.code ?? "internal_error", e.description ?? "internal error", e.data);
}

// The runtime's host takes and answers values (`opValue`, `opSyncValue`: no JSON text on either
// side, which QuickJS would spend more on than most ops cost); a host without them (tests) speaks
// JSON text. Either way the op sees `JSON.parse(JSON.stringify(args))` and the caller gets
// `JSON.parse` of the result's JSON.
/** Calls a host op: its arguments and result are those `ops.ts` declares for `name`. */
export function op<K extends OpName | PlannedOp>(name: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
  let h: Host;
  try {
    h = host();
  } catch (e) {
    return Promise.reject(e);
  }
  if (h.opValue === undefined) return opText(h, name, args);
  // The host's promise itself, rejecting with `toError`'s error: no async wrapper (in QuickJS a
  // promise, its resolving functions and a resumed frame per op). Failing synchronously (the
  // arguments), it still answers a rejected promise, as an async function would.
  try {
    return h.opValue(name, args ?? null, toError) as Promise<ResultOf<K>>;
  } catch (raw) {
    return Promise.reject(toError(raw));
  }
}

async function opText<K extends OpName | PlannedOp>(h: Host, name: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
  try {
    return JSON.parse(await h.op(name, JSON.stringify(args ?? null)));
  } catch (raw) {
    throw toError(raw);
  }
}

export function opSync<K extends OpName | PlannedOp>(name: K, args: ArgsOf<K>): ResultOf<K> {
  const h = host();
  try {
    if (h.opSyncValue !== undefined) return h.opSyncValue(name, args ?? null) as ResultOf<K>;
    return JSON.parse(h.opSync(name, JSON.stringify(args ?? null)));
  } catch (raw) {
    throw toError(raw);
  }
}

/** Calls a bytes op: `bytes` go to the host as they are; the answer may carry bytes back. */
export async function opBytes<K extends OpName>(name: K, args: ArgsOf<K>, bytes?: ArrayBuffer | Uint8Array): Promise<{ json: ResultOf<K>; bytes: Uint8Array | undefined }> {
  let out: [string, ArrayBuffer | undefined];
  try {
    out = await host().opBytes(name, JSON.stringify(args ?? null), bytes);
  } catch (raw) {
    throw toError(raw);
  }
  return { json: JSON.parse(out[0]), bytes: out[1] === undefined ? undefined : new Uint8Array(out[1]) };
}
