// Shared public types: the authenticated user, request metadata, logging and
// the `{ data, error }` result shape of the service singletons.

/** The authenticated caller. */
export interface User {
  id: string;
  email: string;
  role: string;
  metadata: Record<string, unknown>;
}

/** What the calling client reported about itself; each field is `null` when not sent. */
export interface ClientInfo {
  sdkVersion: string | null;
  appVersion: string | null;
  platform: string | null;
  osVersion: string | null;
}

/** An uploaded file (multipart request), exposed as `req.file`. */
export interface FileContext {
  /** Original file name as sent by the client. */
  name: string;
  /** The multipart form field the file came in. */
  fieldName: string;
  contentType: string;
  /** Size in bytes. */
  size: number;
  bytes: Uint8Array;
}

/** The five HTTP methods an endpoint file can be named after. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Structured logger: `Log` in endpoints, `ctx.log` elsewhere. `data` may be
 * anything JSON-serialisable; `Error` objects are serialised as
 * `{ name, message, stack }`.
 */
export interface Logger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

export type MaybePromise<T> = T | Promise<T>;

/** Why a service call failed (the `error` half of a `{ data, error }` result). */
export interface ServiceError {
  /** HTTP-style status, e.g. 404 for a missing object. */
  status: number;
  /** Machine-readable code, e.g. `"object_not_found"`. */
  code: string;
  /** Human-readable description. */
  message: string;
  data?: unknown;
}

/**
 * The result of Storage/Documents/Notifications/Flags calls. Check `error`
 * before using `data`; after the check, `data` is narrowed to `T`.
 */
export type PalbaseResult<T> = { data: T; error: null } | { data: null; error: ServiceError };
