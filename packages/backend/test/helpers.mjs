// Shared helpers for the node:test suites.

import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const require = createRequire(import.meta.url);

/** packages/backend */
export const pkgRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
/** examples/spec-project */
export const specProject = join(pkgRoot, "..", "..", "examples", "spec-project");

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `palbase-${prefix}-`));
}

/** Runs tsc with `args` from `cwd`; returns { ok, output }. */
export function tsc(args, cwd = pkgRoot) {
  const bin = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

/** Bundles a source module (default src/index.ts, zod included) to a temp file and imports it. */
export async function loadSdkFromSource(entry = "src/index.ts") {
  const out = join(tempDir("sdk"), "index.mjs");
  await build({
    absWorkingDir: pkgRoot,
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    logLevel: "silent",
  });
  return import(pathToFileURL(out).href);
}

/**
 * Installs a fake `globalThis.__pb_host` that records ops and answers them
 * with `respond(name, args)` (return a value, or throw to make the op fail).
 */
export function fakeHost(respond = () => null) {
  const calls = [];
  const answer = (name, argsJson, bytes) => {
    const args = JSON.parse(argsJson);
    calls.push(bytes === undefined ? { name, args } : { name, args, bytes: [...new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength)] });
    return respond(name, args);
  };
  globalThis.__pb_host = {
    op: async (name, argsJson) => JSON.stringify(answer(name, argsJson) ?? null),
    opSync: (name, argsJson) => JSON.stringify(answer(name, argsJson) ?? null),
    // A respond() answer `{ json, bytes }` answers bytes too.
    opBytes: async (name, argsJson, bytes) => {
      const r = answer(name, argsJson, bytes);
      return r && r.bytes ? [JSON.stringify(r.json), new Uint8Array(r.bytes).buffer] : [JSON.stringify(r ?? null), undefined];
    },
  };
  return calls;
}

/** A host error as the Rust side throws it: a JSON string. */
export function hostError(status, code, description, data) {
  return JSON.stringify({ status, code, description, data });
}
