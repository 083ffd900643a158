// `{ data, error }` results: how Storage, Documents, Notifications and Flags answer.

import { HttpError } from "./errors.js";
import { op, opSync } from "./host.js";
import type { OpName, PlannedOp } from "./ops.js";
import type { PalbaseResult, ServiceError } from "./types.js";

// Turns a failing op into `{ data: null, error }`. Only HttpErrors (the host's
// op errors) are captured; anything else is a bug or "not inside the runtime"
// and is rethrown.
export function toResultError(err: unknown): { data: null; error: ServiceError } {
  if (err instanceof HttpError) {
    const error: ServiceError = { status: err.status, code: err.code, message: err.description };
    if (err.data !== undefined) error.data = err.data;
    return { data: null, error };
  }
  throw err;
}

export async function result<T>(name: OpName | PlannedOp, args: object): Promise<PalbaseResult<T>> {
  try {
    return { data: (await op(name, args as never)) as T, error: null };
  } catch (err) {
    return toResultError(err);
  }
}

export function resultSync<T>(name: OpName | PlannedOp, args: object): PalbaseResult<T> {
  try {
    return { data: opSync(name, args as never) as T, error: null };
  } catch (err) {
    return toResultError(err);
  }
}
