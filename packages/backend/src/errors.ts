// Errors a handler throws to fail a request. Both `HttpError` and declared
// errors (`req.errors.<name>(...)`) serialise to the standard Palbase envelope:
//   { error: code, error_description: description, status, request_id, data? }
// The envelope itself is built by the runtime; this module only carries the
// fields across.

import type { z } from "zod";

/** An ad-hoc request failure: `throw new HttpError(404, "todo_not_found", "No such todo")`. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly description: string;
  /** Optional structured payload; rides along under `data` in the envelope. */
  readonly data?: unknown;

  constructor(status: number, code: string, description: string, data?: unknown) {
    super(description);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.description = description;
    this.data = data;
  }
}

/** One entry of an endpoint's `errors` config. */
export interface DeclaredError {
  status: number;
  code: string;
  /** Defaults to `code`. */
  description?: string;
  /** When present, `req.errors.<name>(payload)` requires a payload of this schema's input type. */
  data?: z.ZodType;
}

/** The `errors` config of an endpoint: name → declared error. */
export type ErrorsConfig = Record<string, DeclaredError>;

/**
 * The typed throwers on `req.errors`: an error declared with a `data` schema
 * requires exactly that payload; one without `data` takes no arguments.
 */
export type DeclaredErrorThrowers<E extends ErrorsConfig> = {
  readonly [K in keyof E]: E[K] extends { data: infer D extends z.ZodType }
    ? (data: z.input<D>) => HttpError
    : () => HttpError;
};

/**
 * Builds the runtime `req.errors` object from an endpoint's `errors` config.
 * Each thrower *returns* the error (the handler writes `throw req.errors.x()`),
 * which keeps control flow visible to TypeScript.
 */
export function buildDeclaredErrors<E extends ErrorsConfig>(errorsConfig: E): DeclaredErrorThrowers<E> {
  const out: Record<string, (data?: unknown) => HttpError> = {};
  for (const [name, decl] of Object.entries(errorsConfig)) {
    const description = decl.description ?? decl.code;
    const schema = decl.data;
    out[name] = schema
      ? (data?: unknown) => {
          const parsed = schema.safeParse(data);
          if (!parsed.success) {
            // A payload that breaks its own declaration is a server bug, not a
            // client error: answer 500 rather than leak a malformed envelope.
            return new HttpError(500, "internal_error", "declared error data did not match its schema");
          }
          return new HttpError(decl.status, decl.code, description, parsed.data);
        }
      : () => new HttpError(decl.status, decl.code, description);
  }
  return out as DeclaredErrorThrowers<E>;
}
