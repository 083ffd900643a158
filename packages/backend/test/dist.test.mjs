// The shipped package folder (dist/): rebuilt into a temp dir, compared with
// the committed dist/, then proven usable exactly as `palbase types` installs
// it: copied alone into a project's node_modules/@palbase/backend (no zod, no
// other packages) and type-checked with tsc --strict, without skipLibCheck.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { pkgRoot, specProject, tempDir, tsc } from "./helpers.mjs";

const require = createRequire(import.meta.url);
let built;

before(() => {
  built = join(tempDir("dist"), "dist");
  const r = spawnSync(process.execPath, [join(pkgRoot, "scripts", "build.mjs"), "--out", built], { encoding: "utf8" });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

test("committed dist/ matches a fresh build (run `npm run build` if not)", () => {
  const committed = join(pkgRoot, "dist");
  assert.ok(existsSync(committed), "dist/ is missing: run `npm run build`");
  const files = readdirSync(built).sort();
  assert.deepEqual(readdirSync(committed).sort(), files, "dist/ file list differs from a fresh build");
  for (const f of files) {
    assert.ok(readFileSync(join(committed, f)).equals(readFileSync(join(built, f))), `dist/${f} is stale: run \`npm run build\``);
  }
});

test("dist is self-contained: no imports in index.js or index.d.ts", () => {
  const js = readFileSync(join(built, "index.js"), "utf8");
  const dts = readFileSync(join(built, "index.d.ts"), "utf8");
  assert.doesNotMatch(js, /^\s*import\s[^(]/m);
  assert.doesNotMatch(js, /\brequire\(/);
  assert.doesNotMatch(dts, /^\s*import\s/m);
  assert.doesNotMatch(dts, /\/\/\/\s*<reference/);
  const pkg = JSON.parse(readFileSync(join(built, "package.json"), "utf8"));
  assert.equal(pkg.name, "@palbase/backend");
  assert.equal(pkg.version, "2.0.2");
  assert.equal(pkg.dependencies, undefined);
});

test("dist/index.js loads and works on its own", async () => {
  const sdk = await import(pathToFileURL(join(built, "index.js")).href);
  const schema = sdk.z.object({ name: sdk.z.string() });
  assert.deepEqual(schema.parse({ name: "x", extra: 1 }), { name: "x" });
  const ep = sdk.defineEndpoint({ method: "GET", input: schema, handler: () => null });
  assert.equal(ep.__pb, "endpoint");
  assert.equal(sdk.defineSchema({ t: sdk.table("t", { id: sdk.uuid() }) }).__pb, "schema");
});

test("type-tests pass against dist/index.d.ts (skipLibCheck off)", () => {
  const dir = tempDir("dts-tests");
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022"],
      module: "ESNext",
      moduleResolution: "Bundler",
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
      paths: { "@palbase/backend": [join(built, "index.d.ts")] },
    },
    include: [join(pkgRoot, "type-tests", "*.ts")],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  const r = tsc(["-p", join(dir, "tsconfig.json")]);
  assert.ok(r.ok, r.output);
});

// A user project as `palbase types` leaves it: the spec examples plus
// node_modules/@palbase/backend = dist/, nothing else (unless `extraPackages`).
function userProject(name, { packageJson, compilerOptions, extraPackages = [] }) {
  const dir = tempDir(name);
  for (const entry of readdirSync(specProject)) {
    if (entry === "tsconfig.json" || entry === "package.json" || entry === "node_modules") continue;
    cpSync(join(specProject, entry), join(dir, entry), { recursive: true });
  }
  cpSync(built, join(dir, "node_modules", "@palbase", "backend"), { recursive: true });
  for (const p of extraPackages) {
    cpSync(dirname(require.resolve(`${p}/package.json`, { paths: [pkgRoot] })), join(dir, "node_modules", p), {
      recursive: true,
    });
  }
  writeFileSync(join(dir, "package.json"), packageJson);
  const tsconfig = { compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, ...compilerOptions } };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  assert.ok(!existsSync(join(dir, "node_modules", "zod")));
  return dir;
}

test("user project: spec examples, ESM + NodeNext, no other packages, tsc --strict", () => {
  const dir = userProject("user-nodenext", {
    packageJson: JSON.stringify({ name: "my-backend", private: true, type: "module" }),
    compilerOptions: { target: "ES2022", lib: ["ES2022"], module: "NodeNext", moduleResolution: "NodeNext", types: [] },
  });
  const r = tsc(["--strict", "--noEmit", "-p", dir], dir);
  assert.ok(r.ok, r.output);
});

test("user project: spec examples, Bundler resolution + DOM lib + stricter flags", () => {
  const dir = userProject("user-bundler", {
    packageJson: JSON.stringify({ name: "my-backend", private: true }),
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      module: "ESNext",
      moduleResolution: "Bundler",
      types: [],
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
    },
  });
  const r = tsc(["-p", dir], dir);
  assert.ok(r.ok, r.output);
});

test("user project: the spec's package.json (no \"type\") + NodeNext + @types/node", () => {
  const dir = userProject("user-spec-pkg", {
    packageJson: readFileSync(join(specProject, "package.json"), "utf8"),
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext" },
    extraPackages: ["@types/node", "undici-types"],
  });
  const r = tsc(["-p", dir], dir);
  assert.ok(r.ok, r.output);
});
