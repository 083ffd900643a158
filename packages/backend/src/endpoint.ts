// `defineEndpoint`: one HTTP endpoint per method file. At runtime it only
// brands the config; the value of this module is in the types, which compute
// `req` (input, user, errors) from the config and check the handler's return
// value against the `output` schema.

import type { z } from "zod";
import type { DeclaredErrorThrowers, ErrorsConfig } from "./errors.js";
import type { Middleware } from "./middleware.js";
import type { ClientInfo, FileContext, HttpMethod, MaybePromise, User } from "./types.js";

/**
 * `auth` config. Omitted, `false`, `required: false` or `{}` → public; `true`,
 * `{ required: true }` or an object with a `role` but no `required` key →
 * authenticated.
 */
export type AuthConfig = boolean | { required?: boolean; role?: string };

/** `{ max, window }`: at most `max` requests per `window` seconds. */
export interface RateLimit {
  max: number;
  window: number;
}

// Decides one (non-union) `auth` value. Order matters: `{ required: X }`
// wins over `role`, and a `required` that is only known as `boolean` (not a
// literal) is treated as possibly public. Mirrors the runtime's rule
// (src/runtime/dispatch.ts): authenticated iff `auth === true`, or
// `required ?? (role !== undefined)` for an object.
type UserForAuth<A> = A extends true
  ? User
  : A extends false
    ? User | null
    : A extends { required: true }
      ? User
      : A extends { required: false }
        ? User | null
        : A extends { required: boolean }
          ? User | null
          : A extends { role: string }
            ? User // `{ role: "admin" }`: a role implies authentication
            : User | null; // omitted (`undefined`), or `{}`

/**
 * The type of `req.user` for an `auth` config, exactly per the spec's table:
 *
 * | `auth`                 | `req.user`      |
 * |------------------------|-----------------|
 * | omitted                | `User \| null`  |
 * | `true`                 | `User`          |
 * | `false`                | `User \| null`  |
 * | `{ required: true }`   | `User`          |
 * | `{ required: false }`  | `User \| null`  |
 * | `{ role: "admin" }`    | `User`          |
 *
 * A union (e.g. a widened `boolean`) distributes, so it is nullable unless
 * every member is authenticated.
 */
export type AuthUser<A> = [A] extends [never] ? User | null : UserForAuth<A>;

/**
 * `req.input` when the endpoint declares no `input` schema: an empty object
 * (the runtime passes `{}`). Reading any property of it is a type error.
 */
export type EmptyInput = {};

/** `req.input`'s type: the parsed (output) type of the `input` schema. */
export type InputOf<I> = I extends z.ZodType ? z.output<I> : EmptyInput;

/**
 * What a handler may return: the `output` schema's *input* type (the runtime
 * parses the return value with the schema, so transforms/defaults apply), or
 * anything JSON-serialisable when no `output` is declared.
 */
export type HandlerResult<O> = O extends z.ZodType ? MaybePromise<z.input<O>> : unknown;

/** Fields of `req` that do not depend on the endpoint config. */
export interface PBRequestBase<TInput, TUser extends User | null> {
  /** Validated request input (body for POST/PUT/PATCH); `{}` when no `input` schema. */
  input: TInput;
  /** Route params, e.g. `req.params.id` for `endpoints/posts/[id]/get.ts`. */
  params: Record<string, string>;
  /** Parsed query string. */
  query: Record<string, string>;
  /** Request headers, lowercase keys. */
  headers: Record<string, string>;
  /** The caller; non-null exactly when the `auth` config requires authentication. */
  user: TUser;
  client: ClientInfo;
  /** The uploaded file, if any. */
  file: FileContext | null;
  /** The HTTP method. */
  method: string;
  requestId: string;
  traceId: string;
  spanId: string;
}

/** `req.errors`, present only when the endpoint declares `errors`. */
export type ErrorsField<E> = E extends ErrorsConfig ? { errors: DeclaredErrorThrowers<E> } : {};

/**
 * The single argument of an endpoint handler.
 *
 * @typeParam TInput  `req.input` (see {@link InputOf})
 * @typeParam TUser   `req.user` (see {@link AuthUser})
 * @typeParam TErrors the declared `errors` config, if any
 */
export type PBRequest<
  TInput = EmptyInput,
  TUser extends User | null = User | null,
  TErrors extends ErrorsConfig | undefined = undefined,
> = PBRequestBase<TInput, TUser> & ErrorsField<TErrors>;

/** The object passed to `defineEndpoint`. */
export interface EndpointConfig<
  I extends z.ZodType | undefined = undefined,
  O extends z.ZodType | undefined = undefined,
  A extends AuthConfig | undefined = undefined,
  E extends ErrorsConfig | undefined = undefined,
> {
  /** Must match the file name (`get.ts` → `"GET"`). */
  method: HttpMethod;
  /** Omitted → public (`req.user` may be null). */
  auth?: A;
  rateLimit?: RateLimit;
  /** Validates the request and types `req.input`. */
  input?: I;
  /** Validates (and types) the handler's return value. */
  output?: O;
  /** Declared errors, thrown via `req.errors.<name>(...)`. */
  errors?: E;
  /** Runs around the handler, in order. */
  middleware?: readonly Middleware[];
  /** OpenAPI: a one-line summary of the operation (Palbase addition to the 2.0.2 config). */
  summary?: string;
  /** OpenAPI: a longer description (Markdown). */
  description?: string;
  /** OpenAPI: tags; default: the first path segment (`endpoints/todos/...` → `todos`). */
  tags?: readonly string[];
  /** OpenAPI: marks the operation deprecated. */
  deprecated?: boolean;
  handler: (req: PBRequest<InputOf<I>, AuthUser<A>, E>) => HandlerResult<O>;
}

/** What `defineEndpoint` returns: the config, branded for the runtime. */
export type Endpoint<
  I extends z.ZodType | undefined,
  O extends z.ZodType | undefined,
  A extends AuthConfig | undefined,
  E extends ErrorsConfig | undefined,
> = EndpointConfig<I, O, A, E> & { readonly __pb: "endpoint" };

/** Any endpoint, e.g. a method file's default export as the runtime loads it. */
export interface AnyEndpoint {
  readonly __pb: "endpoint";
  method: HttpMethod;
  auth?: AuthConfig;
  rateLimit?: RateLimit;
  input?: z.ZodType;
  output?: z.ZodType;
  errors?: ErrorsConfig;
  middleware?: readonly Middleware[];
  summary?: string;
  description?: string;
  tags?: readonly string[];
  deprecated?: boolean;
  // Method syntax on purpose: method parameters are compared bivariantly, so
  // every concrete `Endpoint<...>` (whose `req` is narrower) is assignable.
  handler(req: PBRequest<unknown, User | null, ErrorsConfig | undefined>): unknown;
}

const METHODS: readonly string[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Defines the endpoint of a method file: `export default defineEndpoint({...})`.
 *
 * Type parameters are inferred from the config; the handler is typed last
 * (TypeScript defers the context-sensitive `handler` until `input`, `output`,
 * `auth` and `errors` are inferred).
 */
export function defineEndpoint<
  I extends z.ZodType | undefined = undefined,
  O extends z.ZodType | undefined = undefined,
  A extends AuthConfig | undefined = undefined,
  E extends ErrorsConfig | undefined = undefined,
>(config: EndpointConfig<I, O, A, E>): Endpoint<I, O, A, E> {
  // Cheap load-time checks so a JS caller (or a cast) fails at startup with a
  // clear message instead of at the first request.
  if (!METHODS.includes(config.method)) {
    throw new TypeError(`defineEndpoint: method must be one of ${METHODS.join(", ")}; got ${String(config.method)}`);
  }
  if (typeof config.handler !== "function") {
    throw new TypeError("defineEndpoint: handler must be a function");
  }
  return { ...config, __pb: "endpoint" };
}
