// Hooks (platform events) and webhooks (inbound provider events). Both use the
// `ctx` model, like workers and jobs.
//
// A hook builder returns `{ __pb: "hook", event: "<group>.<name>", handler }`;
// the runtime dispatches by `event`, so a hooks file may export any number of
// them under any names.

import type { Ctx } from "./background.js";
import type { DocumentData } from "./documents.js";
import type { User } from "./types.js";

export type HookHandler<E> = (ctx: Ctx, event: E) => Promise<void> | void;

export interface Hook<N extends string = string, E = unknown> {
  readonly __pb: "hook";
  /** e.g. `"auth.onUserCreated"`. */
  readonly event: N;
  /** Document hooks: only documents of this collection id or path pattern. */
  readonly filter?: string;
  readonly handler: HookHandler<E>;
}

/** A hook builder, e.g. `auth.onSignIn`: wraps a handler into a `Hook`. */
export type HookBuilder<N extends string, E> = (handler: HookHandler<E>) => Hook<N, E>;

/**
 * A document hook builder: every document, or only those of a collection id
 * (`"rooms"`, in any parent) or a path pattern (`"rooms/*"`,
 * `"rooms/*\/messages/*"`; `*` is one segment).
 */
export interface DocumentHookBuilder<N extends string, E> {
  (handler: HookHandler<E>): Hook<N, E>;
  (filter: string, handler: HookHandler<E>): Hook<N, E>;
}

function hook<N extends string, E>(event: N): HookBuilder<N, E> {
  return (handler) => ({ __pb: "hook", event, handler });
}

function documentHook<N extends string, E>(event: N): DocumentHookBuilder<N, E> {
  return ((a: string | HookHandler<E>, b?: HookHandler<E>) =>
    typeof a === "string" ? { __pb: "hook", event, filter: a, handler: b as HookHandler<E> } : { __pb: "hook", event, handler: a }) as DocumentHookBuilder<N, E>;
}

/** What every platform event carries. */
export interface EventMeta {
  /** Unique per event and the same on every retry of it: make handlers idempotent with it. */
  eventId: string;
  /** When the event happened (ISO 8601). */
  at: string;
}

// --- auth ------------------------------------------------------------------

export interface AuthUserCreatedEvent extends EventMeta {
  user: User;
  /** How the account was created, e.g. `"email"`, `"google"`, `"apple"`. */
  provider?: string;
}

export interface AuthSignInEvent extends EventMeta {
  user: User;
  /** The sign-in method, e.g. `"password"`, `"google"`. */
  provider?: string;
}

export interface AuthSignOutEvent extends EventMeta {
  user: User;
}

export interface AuthPasswordResetEvent extends EventMeta {
  user: User;
}

/** Auth hook builders: `export const onSignIn = auth.onSignIn(async (ctx, event) => ...)`. */
export const auth = {
  onUserCreated: hook<"auth.onUserCreated", AuthUserCreatedEvent>("auth.onUserCreated"),
  onSignIn: hook<"auth.onSignIn", AuthSignInEvent>("auth.onSignIn"),
  onSignOut: hook<"auth.onSignOut", AuthSignOutEvent>("auth.onSignOut"),
  onPasswordReset: hook<"auth.onPasswordReset", AuthPasswordResetEvent>("auth.onPasswordReset"),
};

// --- storage ---------------------------------------------------------------

export interface FileUploadedEvent extends EventMeta {
  bucket: string;
  path: string;
  size: number;
  contentType: string | null;
  /** The uploader, when the upload was authenticated. */
  userId: string | null;
}

export interface FileDeletedEvent extends EventMeta {
  bucket: string;
  path: string;
  userId: string | null;
}

/** Storage hook builders. */
export const storage = {
  onFileUploaded: hook<"storage.onFileUploaded", FileUploadedEvent>("storage.onFileUploaded"),
  onFileDeleted: hook<"storage.onFileDeleted", FileDeletedEvent>("storage.onFileDeleted"),
};

// --- documents -------------------------------------------------------------

export interface DocumentCreatedEvent extends EventMeta {
  collection: string;
  id: string;
  /** `collection/id`. */
  path: string;
  data: DocumentData;
}

export interface DocumentUpdatedEvent extends EventMeta {
  collection: string;
  id: string;
  path: string;
  before: DocumentData;
  after: DocumentData;
}

export interface DocumentDeletedEvent extends EventMeta {
  collection: string;
  id: string;
  path: string;
  /** The document as it was before deletion. */
  data: DocumentData;
}

/** Document hook builders. */
export const documents = {
  onDocumentCreated: documentHook<"documents.onDocumentCreated", DocumentCreatedEvent>("documents.onDocumentCreated"),
  onDocumentUpdated: documentHook<"documents.onDocumentUpdated", DocumentUpdatedEvent>("documents.onDocumentUpdated"),
  onDocumentDeleted: documentHook<"documents.onDocumentDeleted", DocumentDeletedEvent>("documents.onDocumentDeleted"),
};

// --- webhooks --------------------------------------------------------------

/** Providers whose signature schemes the runtime verifies. `"standard"` is another name for `"standard-webhooks"` (Svix, Clerk, Resend…). */
export type WebhookProvider = "stripe" | "github" | "standard-webhooks" | "standard" | "slack" | "shopify";

/** A verified webhook payload: the provider's JSON body, as sent. */
export type WebhookEvent = Record<string, unknown>;

/** Stripe's event envelope (the Event object of Stripe's API reference). */
export interface StripeEvent {
  id: string;
  object: "event";
  /** e.g. `"checkout.session.completed"`. */
  type: string;
  api_version: string | null;
  /** Unix seconds. */
  created: number;
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null } | null;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  [field: string]: unknown;
}

/** The `event` a handler of provider `P` receives. */
export type WebhookEventOf<P extends WebhookProvider> = P extends "stripe" ? StripeEvent : WebhookEvent;

export type WebhookHandler<P extends WebhookProvider = WebhookProvider> = (ctx: Ctx, event: WebhookEventOf<P>) => Promise<void> | void;

export interface WebhookConfig<P extends WebhookProvider = WebhookProvider> {
  provider: P;
  /** The signing secret, read from the project's env/secrets (several, comma-separated, during a rotation). */
  secret: { env: string };
  /** Handlers by provider event type (e.g. `"checkout.session.completed"`). */
  events: Record<string, WebhookHandler<P>>;
}

export type Webhook<P extends WebhookProvider = WebhookProvider> = WebhookConfig<P> & { readonly __pb: "webhook" };

/** Defines the webhook of a `webhooks/*.ts` file, served at `POST /webhooks/<name>`. */
export function defineWebhook<P extends WebhookProvider>(config: WebhookConfig<P>): Webhook<P> {
  return { ...config, __pb: "webhook" };
}
