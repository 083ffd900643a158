// Middleware wraps an endpoint's handler. It uses the `ctx` model (not `req`):
// `defineMiddleware(async (ctx, next) => { ...; await next(); ... })`.

import type { Logger, User } from "./types.js";

/** What a middleware sees of the request. */
export interface MiddlewareContext {
  log: Logger;
  requestId: string;
  traceId: string;
  method: string;
  /** The request path, e.g. `/posts/42`. */
  path: string;
  /** Lowercase header names. */
  headers: Record<string, string>;
  user: User | null;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Scratch space shared by the middleware of one request. */
  state: Record<string, unknown>;
}

/** Runs the rest of the chain (later middleware, then the endpoint handler). */
export type Next = () => Promise<void>;

export type MiddlewareHandler = (ctx: MiddlewareContext, next: Next) => Promise<void> | void;

/** A middleware definition, as listed in an endpoint's `middleware: [...]`. */
export interface Middleware {
  readonly __pb: "middleware";
  readonly handler: MiddlewareHandler;
}

export function defineMiddleware(handler: MiddlewareHandler): Middleware {
  return { __pb: "middleware", handler };
}
