// Workers, jobs, hooks, webhooks, middleware: the `ctx` model.
import {
  auth,
  defineJob,
  defineMiddleware,
  defineWebhook,
  defineWorker,
  documents,
  storage,
  type CacheApi,
  type Ctx,
  type DatabaseApi,
  type Logger,
  type MiddlewareContext,
  type FlagsApi,
  type NotificationsApi,
  type QueueApi,
  type User,
  type StripeEvent,
  type WebhookEvent,
} from "@palbase/backend";
import type { Equal, Expect } from "./helpers.js";

type _ctx = Expect<
  Equal<Ctx, { db: DatabaseApi; log: Logger; cache: CacheApi; queue: QueueApi; flags: FlagsApi; notifications: NotificationsApi; env: Record<string, string | undefined> }>
>;

// --- workers -------------------------------------------------------------------

interface OrderPayload {
  orderId: string;
  amount: number;
}

const worker = defineWorker<OrderPayload>({
  name: "process-order",
  retry: 5,
  timeout: 60,
  backoff: "exponential",
  concurrency: 4,
  handler: async (ctx, payload) => {
    type _p = Expect<Equal<typeof payload, OrderPayload>>;
    type _c = Expect<Equal<typeof ctx, Ctx>>;
    await ctx.notifications.email.send({ to: "a@example.com", subject: "Order", text: `Order ${payload.orderId}` });
    // @ts-expect-error: not in the payload type
    payload.customerId;
  },
});
type _brand = Expect<Equal<typeof worker.__pb, "worker">>;

// Without a type argument the payload is `unknown`…
defineWorker({
  name: "untyped",
  handler: (ctx, payload) => {
    type _p = Expect<Equal<typeof payload, unknown>>;
  },
});
// …unless the handler annotates it.
const annotated = defineWorker({
  name: "annotated",
  handler: (ctx, payload: { n: number }) => {},
});
type _annotated = Expect<Equal<Parameters<typeof annotated.handler>[1], { n: number }>>;

defineWorker<OrderPayload>({
  name: "x",
  // @ts-expect-error: not a backoff strategy
  backoff: "random",
  handler: () => {},
});
// @ts-expect-error: name is required
defineWorker({ handler: () => {} });
defineWorker<OrderPayload>({
  name: "x",
  // @ts-expect-error: payload type mismatch
  handler: (ctx, payload: { orderId: number }) => {},
});

// --- jobs ----------------------------------------------------------------------

const job = defineJob({
  name: "cleanup-expired",
  schedule: "0 3 * * *",
  timeout: 120,
  timezone: "Europe/Istanbul",
  handler: async (ctx) => {
    type _c = Expect<Equal<typeof ctx, Ctx>>;
    const rows = await ctx.db.findMany("sessions", { expired: true });
    type _r = Expect<Equal<typeof rows, Record<string, unknown>[]>>;
    const secret = ctx.env.SECRET;
    type _e = Expect<Equal<typeof secret, string | undefined>>;
  },
});
type _jobBrand = Expect<Equal<typeof job.__pb, "job">>;
// @ts-expect-error: schedule is required
defineJob({ name: "x", handler: () => {} });

// --- hooks ---------------------------------------------------------------------

const created = auth.onUserCreated(async (ctx, event) => {
  type _u = Expect<Equal<typeof event.user, User>>;
  type _p = Expect<Equal<typeof event.provider, string | undefined>>;
});
type _hook = Expect<Equal<[typeof created.__pb, typeof created.event], ["hook", "auth.onUserCreated"]>>;
auth.onSignIn((ctx, event) => {
  type _u = Expect<Equal<typeof event.user, User>>;
});
auth.onSignOut((ctx, event) => {
  type _u = Expect<Equal<typeof event.user, User>>;
});
auth.onPasswordReset((ctx, event) => {
  type _u = Expect<Equal<typeof event.user, User>>;
});
storage.onFileUploaded((ctx, event) => {
  type _ = Expect<Equal<[typeof event.bucket, typeof event.path, typeof event.size], [string, string, number]>>;
});
storage.onFileDeleted((ctx, event) => {
  type _ = Expect<Equal<typeof event.path, string>>;
});
documents.onDocumentCreated((ctx, event) => {
  type _ = Expect<Equal<typeof event.data, Record<string, unknown>>>;
});
documents.onDocumentUpdated((ctx, event) => {
  type _ = Expect<Equal<[typeof event.before, typeof event.after], [Record<string, unknown>, Record<string, unknown>]>>;
});
const deleted = documents.onDocumentDeleted((ctx, event) => {
  type _ = Expect<Equal<typeof event.collection, string>>;
});
type _deleted = Expect<Equal<typeof deleted.event, "documents.onDocumentDeleted">>;
// Document hooks may filter by collection id or path pattern.
const rooms = documents.onDocumentCreated("rooms/*", (ctx, event) => {
  // Every event has an id that is the same on every retry, and a time.
  type _ = Expect<Equal<[typeof event.eventId, typeof event.at, typeof event.id], [string, string, string]>>;
});
type _filter = Expect<Equal<typeof rooms.filter, string | undefined>>;
// @ts-expect-error: a filter is a string
documents.onDocumentUpdated(42, () => {});
// @ts-expect-error: auth hooks take no filter
auth.onSignIn("x", () => {});
// @ts-expect-error: not an auth event
auth.onUserDeleted;
auth.onSignIn((ctx, event) => {
  // @ts-expect-error: hooks have no req-style fields
  event.input;
});

// --- webhooks ------------------------------------------------------------------

const hook = defineWebhook({
  provider: "stripe",
  secret: { env: "STRIPE_WEBHOOK_SECRET" },
  events: {
    "checkout.session.completed": async (ctx, event) => {
      type _c = Expect<Equal<typeof ctx, Ctx>>;
      // Stripe's events are typed as its envelope.
      type _e = Expect<Equal<typeof event, StripeEvent>>;
      type _t = Expect<Equal<[typeof event.type, typeof event.data.object], [string, Record<string, unknown>]>>;
    },
  },
});
defineWebhook({
  provider: "github",
  secret: { env: "GITHUB_SECRET" },
  events: {
    issues: (ctx, event) => {
      type _e = Expect<Equal<typeof event, WebhookEvent>>;
    },
  },
});
type _whBrand = Expect<Equal<typeof hook.__pb, "webhook">>;
// @ts-expect-error: only the providers the runtime verifies
defineWebhook({ provider: "my-own-provider", secret: { env: "S" }, events: {} });
defineWebhook({ provider: "standard-webhooks", secret: { env: "S" }, events: {} });
// @ts-expect-error: the secret comes from env, not inline
defineWebhook({ provider: "github", secret: "s3cret", events: {} });

// --- middleware ----------------------------------------------------------------

const mw = defineMiddleware(async (ctx, next) => {
  type _c = Expect<Equal<typeof ctx, MiddlewareContext>>;
  type _n = Expect<Equal<ReturnType<typeof next>, Promise<void>>>;
  type _u = Expect<Equal<typeof ctx.user, User | null>>;
  ctx.state.startedAt = Date.now();
  await next();
});
type _mwBrand = Expect<Equal<typeof mw.__pb, "middleware">>;
type _mwCtx = Expect<
  Equal<
    MiddlewareContext,
    {
      log: Logger;
      requestId: string;
      traceId: string;
      method: string;
      path: string;
      headers: Record<string, string>;
      user: User | null;
      params: Record<string, string>;
      query: Record<string, string>;
      state: Record<string, unknown>;
    }
  >
>;
