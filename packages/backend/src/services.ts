// Service singletons for endpoints: Cache, Queue, Log, Storage, Documents,
// Notifications, Flags. (Database lives in database.ts.) Workers, jobs, hooks
// and webhooks reach the same Cache/Queue/Log surfaces as `ctx.cache`,
// `ctx.queue`, `ctx.log`.
//
// Each call is a host op (see host.ts). Cache/Queue/Log throw on failure (an
// uncaught failure answers the standard error envelope); Storage, Documents,
// Notifications and Flags return `{ data, error }` instead, as the spec says.

import { HttpError } from "./errors.js";
import { op, opSync } from "./host.js";
import { makeLogger } from "./log.js";
import type { OpName, PlannedOp } from "./ops.js";
import type { Logger, PalbaseResult, ServiceError } from "./types.js";

// Turns a failing op into `{ data: null, error }`. Only HttpErrors (the host's
// op errors) are captured; anything else is a bug or "not inside the runtime"
// and is rethrown.
function toResultError(err: unknown): { data: null; error: ServiceError } {
  if (err instanceof HttpError) {
    const error: ServiceError = { status: err.status, code: err.code, message: err.description };
    if (err.data !== undefined) error.data = err.data;
    return { data: null, error };
  }
  throw err;
}

async function result<T>(name: OpName | PlannedOp, args: object): Promise<PalbaseResult<T>> {
  try {
    return { data: (await op(name, args as never)) as T, error: null };
  } catch (err) {
    return toResultError(err);
  }
}

function resultSync<T>(name: OpName | PlannedOp, args: object): PalbaseResult<T> {
  try {
    return { data: opSync(name, args as never) as T, error: null };
  } catch (err) {
    return toResultError(err);
  }
}

// ---------------------------------------------------------------------------
// Cache

/** JSON-typed key/value cache: `Cache` in endpoints, `ctx.cache` elsewhere. */
export interface CacheApi {
  /** The cached value, or `null` on a miss. `T` is trusted, not checked. */
  get<T = unknown>(key: string): Promise<T | null>;
  /** Stores a JSON value, optionally expiring after `ttlSeconds`. */
  set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  /** Atomically adds `by` (default 1) and returns the new value. */
  incr(key: string, by?: number): Promise<number>;
  del(key: string): Promise<void>;
  /** Read-through: the cached value, or `fn()`'s result, cached for `ttlSeconds`. */
  getOrSet<T>(key: string, ttlSeconds: number, fn: () => Promise<T> | T): Promise<T>;
}

/**
 * Checks that `value` is JSON (what the cache stores) and returns it. JSON.stringify would
 * silently drop a function or `undefined` and turn NaN into null, and throws a bare TypeError
 * on a BigInt or a cycle: each is a 400 `invalid_value` naming the key and the place.
 */
function jsonValue(key: string, value: unknown): unknown {
  const bad = (where: string, what: string): never => {
    throw new HttpError(400, "invalid_value", `Cache value for key "${key}" is not JSON: ${what} at ${where}`);
  };
  const path: unknown[] = [];
  const walk = (v: unknown, where: string): void => {
    switch (typeof v) {
      case "string":
      case "boolean":
        return;
      case "number":
        if (!Number.isFinite(v)) bad(where, String(v));
        return;
      case "undefined":
        if (path.length === 0) bad(where, "undefined");
        return;
      case "bigint":
        return bad(where, "a BigInt");
      case "function":
        return bad(where, "a function");
      case "symbol":
        return bad(where, "a symbol");
    }
    if (v === null) return;
    const o = v as Record<string, unknown> & { toJSON?: unknown };
    if (typeof o.toJSON === "function") return; // Date and friends: JSON says how
    if (path.includes(o)) bad(where, "a cycle");
    path.push(o);
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        if (o[i] === undefined) bad(`${where}[${i}]`, "undefined");
        walk(o[i], `${where}[${i}]`);
      }
    } else {
      for (const k of Object.keys(o)) if (o[k] !== undefined) walk(o[k], `${where}.${k}`);
    }
    path.pop();
  };
  walk(value, "value");
  return value;
}

interface FillAnswer {
  hit: boolean;
  value?: unknown;
  token?: string;
}

/** What an aborted fill tells the callers that waited for it. */
function abortError(e: unknown): { status: number; code: string; description: string; data?: unknown } {
  if (e instanceof HttpError) {
    const out: { status: number; code: string; description: string; data?: unknown } = { status: e.status, code: e.code, description: e.description };
    if (e.data !== undefined) out.data = e.data;
    return out;
  }
  return { status: 500, code: "internal_error", description: "Internal server error" };
}

export const Cache: CacheApi = {
  get: async <T>(key: string) => (await op("cache.get", { key })) as T | null,
  set: async (key, value, ttlSeconds) => {
    await op("cache.set", { key, value: jsonValue(key, value), ttl: ttlSeconds });
  },
  incr: (key, by) => op("cache.incr", { key, by }),
  del: async (key) => {
    await op("cache.del", { key });
  },
  // Stampede-safe: `cache.fill.begin` answers the cached value, or makes this caller the one
  // loader while every other caller (in this process or another on the same Redis) waits in
  // the host for the value to land, or for the loader's error.
  getOrSet: async <T>(key: string, ttlSeconds: number, fn: () => Promise<T> | T): Promise<T> => {
    if (!(typeof ttlSeconds === "number" && ttlSeconds > 0 && Number.isFinite(ttlSeconds))) {
      throw new HttpError(400, "invalid_ttl", `getOrSet("${key}"): ttlSeconds must be a positive number of seconds`);
    }
    const begin = await op("cache.fill.begin", { key });
    if (begin.hit) return begin.value as T;
    const token = begin.token!;
    let value: T;
    try {
      value = await fn();
      jsonValue(key, value === undefined ? null : value);
    } catch (e) {
      await op("cache.fill.abort", { key, token, error: abortError(e) });
      throw e;
    }
    // `undefined` is cached as `null`, as JSON has no undefined.
    await op("cache.fill.commit", { key, token, value: value === undefined ? null : value, ttl: ttlSeconds });
    return value;
  },
};

// ---------------------------------------------------------------------------
// Queue

/** Enqueues jobs for workers: `Queue` in endpoints, `ctx.queue` elsewhere. */
export interface QueueApi {
  /** Enqueues `payload` for the worker named `name` (its `defineWorker({ name })`). */
  push<P = unknown>(name: string, payload: P): Promise<{ jobId: string }>;
}

export const Queue: QueueApi = {
  push: (name, payload) => op("queue.push", { name, payload }),
};

// ---------------------------------------------------------------------------
// Log

/** The logger for endpoints. Logs carry the request's ids. */
export const Log: Logger = makeLogger();

// ---------------------------------------------------------------------------
// Storage

// Bytes cross the JSON op boundary as base64. Hand-rolled because the
// embedded runtime is not guaranteed to have `btoa`/`atob` or `Buffer`.
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** @internal */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + "==";
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + "=";
  }
  return out;
}

/** @internal */
export function base64ToBytes(b64: string): Uint8Array {
  const clean = b64.replace(/[^A-Za-z0-9+/]/g, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** A file body for `upload`: raw bytes or a string (sent as UTF-8). */
export type UploadBody = Uint8Array | ArrayBuffer | string;

export interface UploadOptions {
  /** Defaults to a type guessed from the path's extension. */
  contentType?: string;
  /** Overwrite an existing object (default `false`). */
  upsert?: boolean;
  cacheControl?: string;
}

/** One object in a `list` result. */
export interface StorageObject {
  /** Path within the bucket. */
  path: string;
  size: number;
  contentType: string | null;
  /** ISO-8601. */
  updatedAt: string;
}

export interface ListOptions {
  limit?: number;
  offset?: number;
}

/** Operations on one bucket; every async call returns `{ data, error }`. */
export interface StorageBucket {
  upload(path: string, body: UploadBody, options?: UploadOptions): Promise<PalbaseResult<{ path: string }>>;
  download(path: string): Promise<PalbaseResult<Uint8Array>>;
  /** Removes objects; `data` lists the removed paths. */
  remove(paths: string[]): Promise<PalbaseResult<string[]>>;
  /** Objects under `prefix` (the whole bucket without one). */
  list(prefix?: string, options?: ListOptions): Promise<PalbaseResult<StorageObject[]>>;
  /** A time-limited URL, valid for `expiresInSeconds`. */
  createSignedUrl(path: string, expiresInSeconds: number): Promise<PalbaseResult<{ signedUrl: string }>>;
  /** The public URL of an object (public buckets). Synchronous: no network. */
  getPublicUrl(path: string): PalbaseResult<{ publicUrl: string }>;
}

export interface StorageApi {
  bucket(name: string): StorageBucket;
}

function encodeBody(body: UploadBody): { body: string; encoding: "base64" | "utf8" } {
  if (typeof body === "string") return { body, encoding: "utf8" };
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
  return { body: bytesToBase64(bytes), encoding: "base64" };
}

export const Storage: StorageApi = {
  bucket(bucket: string): StorageBucket {
    return {
      upload: (path, body, options) => result("storage.upload", { bucket, path, ...encodeBody(body), ...options }),
      download: async (path) => {
        const r = await result<{ base64: string }>("storage.download", { bucket, path });
        return r.error ? r : { data: base64ToBytes(r.data.base64), error: null };
      },
      remove: (paths) => result("storage.remove", { bucket, paths }),
      list: (prefix, options) => result("storage.list", { bucket, prefix, ...options }),
      createSignedUrl: (path, expiresInSeconds) =>
        result("storage.createSignedUrl", { bucket, path, expiresIn: expiresInSeconds }),
      getPublicUrl: (path) => resultSync("storage.getPublicUrl", { bucket, path }),
    };
  },
};

// ---------------------------------------------------------------------------
// Documents

/** A document's fields. */
export type DocumentData = Record<string, unknown>;

/** A document as read back. */
export interface DocumentSnapshot<T extends DocumentData = DocumentData> {
  id: string;
  /** `collection/id`. */
  path: string;
  data: T;
}

/** Where a written document lives. */
export interface DocumentRef {
  id: string;
  path: string;
}

export type WhereOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not-in" | "array-contains" | "array-contains-any";

export type OrderDirection = "asc" | "desc";

/** An immutable query: each step returns a new query. */
export interface DocumentQuery<T extends DocumentData = DocumentData> {
  where(field: string, op: WhereOp, value: unknown): DocumentQuery<T>;
  orderBy(field: string, direction?: OrderDirection): DocumentQuery<T>;
  limit(n: number): DocumentQuery<T>;
  get(): Promise<PalbaseResult<DocumentSnapshot<T>[]>>;
}

export interface CollectionRef<T extends DocumentData = DocumentData> extends DocumentQuery<T> {
  /** Adds a document with a generated id. */
  add(data: T): Promise<PalbaseResult<DocumentRef>>;
  /** The document `id` of this collection. */
  doc(id: string): DocumentHandle<T>;
}

export interface SetOptions {
  /** Merge into an existing document instead of replacing it. */
  merge?: boolean;
}

export interface DocumentHandle<T extends DocumentData = DocumentData> {
  /** The document, or `data: null` when it does not exist. */
  get(): Promise<PalbaseResult<DocumentSnapshot<T> | null>>;
  set(data: T, options?: SetOptions): Promise<PalbaseResult<DocumentRef>>;
  update(data: Partial<T>): Promise<PalbaseResult<DocumentRef>>;
  delete(): Promise<PalbaseResult<null>>;
}

export interface DocumentsApi {
  collection<T extends DocumentData = DocumentData>(name: string): CollectionRef<T>;
  /** A document by path, `collection/id`. */
  doc<T extends DocumentData = DocumentData>(path: string): DocumentHandle<T>;
}

interface QueryState {
  where: { field: string; op: WhereOp; value: unknown }[];
  orderBy: { field: string; direction: OrderDirection }[];
  limit?: number;
}

function documentQuery<T extends DocumentData>(collection: string, state: QueryState): DocumentQuery<T> {
  return {
    where: (field, op, value) => documentQuery(collection, { ...state, where: [...state.where, { field, op, value }] }),
    orderBy: (field, direction = "asc") =>
      documentQuery(collection, { ...state, orderBy: [...state.orderBy, { field, direction }] }),
    limit: (n) => documentQuery(collection, { ...state, limit: n }),
    get: () => result("docs.query", { collection, ...state }),
  };
}

function documentHandle<T extends DocumentData>(path: string): DocumentHandle<T> {
  return {
    get: () => result("docs.get", { path }),
    set: (data, options) => result("docs.set", { path, data, merge: options?.merge ?? false }),
    update: (data) => result("docs.update", { path, data }),
    delete: () => result("docs.delete", { path }),
  };
}

export const Documents: DocumentsApi = {
  collection<T extends DocumentData>(name: string): CollectionRef<T> {
    return {
      ...documentQuery<T>(name, { where: [], orderBy: [] }),
      add: (data) => result("docs.add", { collection: name, data }),
      doc: (id) => documentHandle<T>(`${name}/${id}`),
    };
  },
  doc: <T extends DocumentData>(path: string) => documentHandle<T>(path),
};

// ---------------------------------------------------------------------------
// Notifications
//
// Every field is optional in the types because the spec's own example calls
// `send({})`; the host validates what a channel needs (e.g. a recipient) and
// answers `{ error }` when it is missing.

export interface PalbaseEmailSendParams {
  /** Recipient address(es). */
  to?: string | string[];
  /** Sender; defaults to the project's configured sender. */
  from?: string;
  replyTo?: string;
  subject?: string;
  text?: string;
  html?: string;
  /** A stored template id, rendered with `data`. */
  template?: string;
  data?: Record<string, unknown>;
}

export interface PalbasePushSendParams {
  /** Send to every device of these users… */
  userId?: string | string[];
  /** …or to these device tokens. */
  token?: string | string[];
  title?: string;
  body?: string;
  /** Custom key/values delivered with the notification. */
  data?: Record<string, string>;
  badge?: number;
  sound?: string;
}

export interface PalbaseSmsSendParams {
  /** Recipient phone number(s), E.164. */
  to?: string | string[];
  body?: string;
}

/** A channel's send result. */
export interface NotificationSendResult {
  /** Provider message id(s). */
  id: string;
}

export interface NotificationChannel<P> {
  send(params: P): Promise<PalbaseResult<NotificationSendResult>>;
}

export interface NotificationsApi {
  email: NotificationChannel<PalbaseEmailSendParams>;
  push: NotificationChannel<PalbasePushSendParams>;
  sms: NotificationChannel<PalbaseSmsSendParams>;
}

export const Notifications: NotificationsApi = {
  email: { send: (params) => result("notify.email", params) },
  push: { send: (params) => result("notify.push", params) },
  sms: { send: (params) => result("notify.sms", params) },
};

// ---------------------------------------------------------------------------
// Flags

/** Who a flag is evaluated for. */
export interface FlagContext {
  userId?: string;
  /** Extra targeting attributes. */
  attributes?: Record<string, unknown>;
}

export interface FlagsApi {
  isEnabled(flag: string, context?: FlagContext): Promise<PalbaseResult<boolean>>;
  /** The variant assigned to the context; `data: null` when the flag has none. */
  getVariant(flag: string, context?: FlagContext): Promise<PalbaseResult<string | null>>;
}

export const Flags: FlagsApi = {
  isEnabled: (flag, context) => result("flags.isEnabled", { flag, ...context }),
  getVariant: (flag, context) => result("flags.getVariant", { flag, ...context }),
};
