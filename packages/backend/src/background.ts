// Workers (queue consumers) and jobs (cron). Both use the `ctx` model: the
// handler gets a `Ctx` instead of importing the service singletons.

import type { DatabaseApi } from "./database.js";
import type { FlagsApi } from "./flags.js";
import type { NotificationsApi } from "./notifications.js";
import type { CacheApi, QueueApi } from "./services.js";
import type { Logger } from "./types.js";

/** The context of workers, jobs, hooks and webhooks. */
export interface Ctx {
  db: DatabaseApi;
  log: Logger;
  cache: CacheApi;
  queue: QueueApi;
  /** Feature flags (flags.toml), as `Flags` in endpoints. */
  flags: FlagsApi;
  /** Email, push and SMS, as `Notifications` in endpoints. */
  notifications: NotificationsApi;
  /** The project's env/secrets. */
  env: Record<string, string | undefined>;
}

export type Backoff = "exponential" | "linear" | "fixed";

export interface WorkerConfig<P> {
  /** The queue name; must match `Queue.push(name, ...)`. */
  name: string;
  /** Attempts after the first failure (default 3). */
  retry?: number;
  /** Seconds per attempt. */
  timeout?: number;
  /** Delay growth between retries (default `"exponential"`). */
  backoff?: Backoff;
  /** Jobs processed in parallel. */
  concurrency?: number;
  handler: (ctx: Ctx, payload: P) => Promise<void> | void;
}

export type Worker<P = unknown> = WorkerConfig<P> & { readonly __pb: "worker" };

/**
 * Defines the worker of a `workers/*.ts` file. Give the payload type
 * explicitly (`defineWorker<OrderPayload>({...})`) or annotate `payload`; it
 * is `unknown` otherwise. The payload is whatever `Queue.push` sent, as JSON:
 * it is not validated.
 */
export function defineWorker<P = unknown>(config: WorkerConfig<P>): Worker<P> {
  return { ...config, __pb: "worker" };
}

export interface JobConfig {
  name: string;
  /** Standard 5-field cron expression, e.g. `"0 3 * * *"`. */
  schedule: string;
  /** Seconds. */
  timeout?: number;
  /** IANA time zone the schedule is read in (default UTC). */
  timezone?: string;
  handler: (ctx: Ctx) => Promise<void> | void;
}

export type Job = JobConfig & { readonly __pb: "job" };

/** Defines the cron job of a `jobs/*.ts` file. */
export function defineJob(config: JobConfig): Job {
  return { ...config, __pb: "job" };
}
