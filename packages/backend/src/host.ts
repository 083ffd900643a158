// The bridge to the Rust host (the `palbase` binary). Only this file knows the
// global the binary installs; everything else calls `op`/`opSync`.
//
// Contract (see ARCHITECTURE.md, "ops"):
//   __pb_host.op(name, argsJson)     -> Promise<string>  (JSON result; rejects with a JSON error string)
//   __pb_host.opSync(name, argsJson) -> string           (JSON result; throws a JSON error string)
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

/** Calls a host op: its arguments and result are those `ops.ts` declares for `name`. */
export async function op<K extends OpName | PlannedOp>(name: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
  let out: string;
  try {
    out = await host().op(name, JSON.stringify(args ?? null));
  } catch (raw) {
    throw toError(raw);
  }
  return JSON.parse(out);
}

export function opSync<K extends OpName | PlannedOp>(name: K, args: ArgsOf<K>): ResultOf<K> {
  let out: string;
  try {
    out = host().opSync(name, JSON.stringify(args ?? null));
  } catch (raw) {
    throw toError(raw);
  }
  return JSON.parse(out);
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
