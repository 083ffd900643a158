// The module the engine loads as `palbase:runtime`: the public SDK, Zod, and the internal entry
// points the host calls. Bundled with esbuild into crates/palbase-engine/js/runtime.js.

import * as zod from "zod";

declare function queueMicrotask(f: () => void): void;

// Handlers see no host process: a minimal `process` for packages that read NODE_ENV.
(globalThis as Record<string, unknown>).process ??= { env: { NODE_ENV: "production" }, platform: "palbase", version: "v20.0.0", versions: {}, nextTick: (f: (...a: unknown[]) => void, ...a: unknown[]) => queueMicrotask(() => f(...a)) };

export * from "../index.js";
export { __pb_register, __pb_dispatch, __pb_settle, __pb_endpoint, __pb_req_proto } from "./dispatch.js";
export const __pb_zod = zod;
export { __pb_describe } from "./describe.js";
export { __pb_init_background, __pb_register_background, __pb_run } from "./background.js";
