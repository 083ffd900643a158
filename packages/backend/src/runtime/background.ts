// Workers and jobs inside the engine: the host registers each module once per project version
// (`__pb_register_background`) and runs one unit of work with `__pb_run` (a job of a worker, or a
// tick of a cron job), reporting through `__pb_complete` like endpoints do.

import { createDatabaseApi, __pb_forbidDatabaseSingleton } from "../database.js";
import { HttpError } from "../errors.js";
import { Notifications } from "../notifications.js";
import { Cache, Queue } from "../services.js";
import { Flags } from "../flags.js";
import type { Ctx } from "../background.js";
import { makeLogger } from "../log.js";
import { complete } from "../internal.js";


interface WorkerDef {
  __pb: "worker";
  name: string;
  retry?: number;
  timeout?: number;
  backoff?: string;
  concurrency?: number;
  handler: (ctx: Ctx, payload: unknown) => unknown;
}

interface JobDef {
  __pb: "job";
  name: string;
  schedule: string;
  timeout?: number;
  timezone?: string;
  handler: (ctx: Ctx) => unknown;
}

const workers = new Map<string, WorkerDef>();
const jobs = new Map<string, JobDef>();
let env: Readonly<Record<string, string | undefined>> = Object.freeze({});

/** Called once per background engine: `Database` is off limits, `ctx.env` is the project's. */
export function __pb_init_background(envJson: string): void {
  __pb_forbidDatabaseSingleton();
  env = Object.freeze(JSON.parse(envJson) as Record<string, string>);
}

const BACKOFFS = ["exponential", "linear", "fixed"];

type Dir = "workers" | "jobs" | "hooks" | "webhooks";

/**
 * Validates one background module and registers what it declares. Returns
 * `{ok: [meta, …]}` (one worker, job or webhook; one entry per hook export) or
 * `{error, hint}`, as JSON. Hooks and webhooks become queue workers with
 * reserved names (`hook:<file>#<export>`, `webhook:<name>`): one run path for
 * all background work.
 */
export function __pb_register_background(ns: Record<string, unknown>, file: string, dir: Dir, webhookName: string | null): string {
  const fail = (error: string, hint?: string) => JSON.stringify({ error, hint });
  if (dir === "hooks") return registerHooks(ns, file, fail);
  if (dir === "webhooks") return registerWebhook(ns, file, webhookName ?? file, fail);
  const def = ns.default as (WorkerDef | JobDef | undefined);
  const want = dir === "workers" ? "worker" : "job";
  const builder = dir === "workers" ? "defineWorker" : "defineJob";
  if (def === undefined) return fail("has no default export", `end the file with \`export default ${builder}({ ... })\``);
  if (typeof def !== "object" || def === null || def.__pb !== want) {
    return fail(`the default export is not a ${builder}(...) result`, `files in ${dir}/ export default ${builder}({ ... })`);
  }
  if (typeof def.name !== "string" || def.name === "") return fail("`name` must be a non-empty string");
  if (typeof def.handler !== "function") return fail("`handler` must be a function");
  if (def.timeout !== undefined && !(typeof def.timeout === "number" && def.timeout > 0)) return fail("`timeout` must be a number of seconds > 0");
  if (def.__pb === "worker") {
    if (/^(hook|webhook):/.test(def.name)) return fail(`the worker name "${def.name}" is reserved (names starting with hook: and webhook: belong to hooks/ and webhooks/)`);
    if (workers.has(def.name)) return fail(`another file already defines the worker "${def.name}"`);
    if (def.retry !== undefined && !(Number.isInteger(def.retry) && def.retry >= 0)) return fail("`retry` must be a whole number >= 0");
    if (def.backoff !== undefined && !BACKOFFS.includes(def.backoff)) return fail(`\`backoff\` must be one of ${BACKOFFS.join(", ")}`);
    if (def.concurrency !== undefined && !(Number.isInteger(def.concurrency) && def.concurrency >= 1)) return fail("`concurrency` must be a whole number >= 1");
    workers.set(def.name, def);
    return JSON.stringify({ ok: [{ kind: "worker", name: def.name, retry: def.retry ?? 3, timeout: def.timeout ?? null, backoff: def.backoff ?? "exponential", concurrency: def.concurrency ?? null }] });
  }
  if (jobs.has(def.name)) return fail(`another file already defines the job "${def.name}"`);
  if (typeof def.schedule !== "string") return fail("`schedule` must be a cron expression string");
  jobs.set(def.name, def);
  return JSON.stringify({ ok: [{ kind: "job", name: def.name, schedule: def.schedule, timeout: def.timeout ?? null, timezone: def.timezone ?? null }] });
}

interface HookDef {
  __pb: "hook";
  event: string;
  filter?: string;
  handler: (ctx: Ctx, event: unknown) => unknown;
}

/** The recorded payload of a platform event → the event a hook receives (events.md). */
function hookEvent(event: string, p: Record<string, unknown>): unknown {
  if (event === "documents.onDocumentCreated") return { eventId: p.eventId, collection: p.collection, id: p.id, path: p.path, data: p.after, at: p.at };
  if (event === "documents.onDocumentUpdated") return { eventId: p.eventId, collection: p.collection, id: p.id, path: p.path, before: p.before, after: p.after, at: p.at };
  if (event === "documents.onDocumentDeleted") return { eventId: p.eventId, collection: p.collection, id: p.id, path: p.path, data: p.before, at: p.at };
  if (event.startsWith("storage.")) return { eventId: p.eventId, bucket: p.bucket, path: p.path, size: p.size ?? null, contentType: p.contentType ?? null, userId: p.userId ?? null, at: p.at };
  return p;
}

function registerHooks(ns: Record<string, unknown>, file: string, fail: (e: string, h?: string) => string): string {
  const metas = [];
  for (const [exp, value] of Object.entries(ns)) {
    const h = value as HookDef | undefined;
    if (typeof h !== "object" || h === null || h.__pb !== "hook") continue;
    const worker = `hook:${file}#${exp}`;
    workers.set(worker, { __pb: "worker", name: worker, handler: (ctx, payload) => h.handler(ctx, hookEvent(h.event, (payload ?? {}) as Record<string, unknown>)) });
    metas.push({ kind: "hook", worker, file, export: exp, event: h.event, filter: h.filter ?? null });
  }
  if (metas.length === 0) return fail("exports no hook", "export hooks built with auth.*, storage.* or documents.*, e.g. `export const onSignIn = auth.onSignIn(async (ctx, event) => { … })`");
  return JSON.stringify({ ok: metas });
}

interface WebhookDef {
  __pb: "webhook";
  provider: unknown;
  secret: unknown;
  events: unknown;
}

const PROVIDERS = ["stripe", "github", "standard-webhooks", "standard", "slack", "shopify"];

function registerWebhook(ns: Record<string, unknown>, file: string, name: string, fail: (e: string, h?: string) => string): string {
  const def = ns.default as WebhookDef | undefined;
  const hint = "files in webhooks/ export default defineWebhook({ provider, secret: { env: \"NAME\" }, events: { … } })";
  if (def === undefined) return fail("has no default export", hint);
  if (typeof def !== "object" || def === null || def.__pb !== "webhook") return fail("the default export is not a defineWebhook(...) result", hint);
  if (typeof def.provider !== "string" || !PROVIDERS.includes(def.provider)) return fail(`\`provider\` must be one of ${PROVIDERS.join(", ")}`);
  const env = (def.secret as { env?: unknown } | null)?.env;
  if (typeof env !== "string" || env === "") return fail("`secret` must be `{ env: \"NAME\" }`, the variable holding the signing secret");
  const events = def.events as Record<string, unknown> | null;
  if (typeof events !== "object" || events === null) return fail("`events` must map event types to handlers");
  for (const [type, h] of Object.entries(events)) if (typeof h !== "function") return fail(`the handler of "${type}" is not a function`);
  const worker = `webhook:${name}`;
  workers.set(worker, {
    __pb: "worker",
    name: worker,
    handler: (ctx, delivery) => {
      const d = delivery as { type: string; event: unknown };
      const h = events[d.type] as ((ctx: Ctx, event: unknown) => unknown) | undefined;
      return h ? h(ctx, d.event) : undefined;
    },
  });
  return JSON.stringify({ ok: [{ kind: "webhook", worker, file, name, provider: def.provider === "standard" ? "standard-webhooks" : def.provider, secret_env: env, events: Object.keys(events) }] });
}

function makeCtx(runId: string): Ctx {
  return {
    db: createDatabaseApi(),
    log: makeLogger(runId),
    cache: Cache,
    queue: Queue,
    flags: Flags,
    notifications: Notifications,
    env,
  };
}

/** Runs one job of worker `name` (kind "worker") or one tick of cron job `name` (kind "job"). */
export function __pb_run(kind: "worker" | "job", name: string, payloadJson: string | null | undefined, runId: string, id: number): void {
  const done = () => complete(id, 200, undefined, false);
  const failed = (e: unknown) => {
    const err = e as { name?: string; message?: string; stack?: string; code?: string };
    const description = e instanceof HttpError ? `${e.code}: ${e.description}` : `${err?.name ?? "Error"}: ${err?.message ?? String(e)}`;
    complete(id, 500, JSON.stringify({ status: 500, code: "handler_failed", description, data: { stack: err?.stack ?? null } }), true);
  };
  try {
    let p: unknown;
    if (kind === "worker") {
      const w = workers.get(name);
      if (!w) throw new Error(`no worker named "${name}"`);
      p = w.handler(makeCtx(runId), payloadJson == null ? undefined : JSON.parse(payloadJson));
    } else {
      const j = jobs.get(name);
      if (!j) throw new Error(`no job named "${name}"`);
      p = j.handler(makeCtx(runId));
    }
    Promise.resolve(p).then(done, failed);
  } catch (e) {
    failed(e);
  }
}
