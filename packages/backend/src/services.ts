// Service singletons for endpoints: Cache, Queue, Log.
// (Database, Storage, Documents, Flags and Notifications live in their own files.) Workers, jobs, hooks
// and webhooks reach the same Cache/Queue/Log surfaces as `ctx.cache`,
// `ctx.queue`, `ctx.log`.
//
// Each call is a host op (see host.ts). Cache/Queue/Log throw on failure (an
// uncaught failure answers the standard error envelope); Storage, Documents,
// Notifications and Flags return `{ data, error }` instead, as the spec says.

import { HttpError } from "./errors.js";
import { op } from "./host.js";
import { makeLogger } from "./log.js";
import type { Logger } from "./types.js";

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
