// Builds dist/: the self-contained package folder the `palbase` binary embeds
// and `palbase types` writes to a project's node_modules/@palbase/backend/.
//
//   dist/package.json            name/version/exports, no dependencies
//   dist/index.js                the SDK, ESM, with zod bundled in
//   dist/index.d.ts              the types, with zod's types inlined
//   dist/THIRD_PARTY_NOTICES.txt zod's license (it ships inside both files)
//
// The output is deterministic (no timestamps, no absolute paths), so dist/ can
// be committed and rebuilt without spurious diffs. `--out DIR` builds
// elsewhere (the tests build to a temp dir and compare it with dist/).

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outFlag = process.argv.indexOf("--out");
const dist = outFlag > 0 ? resolve(process.argv[outFlag + 1] ?? "") : join(root, "dist");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const zodPkgPath = require.resolve("zod/package.json", { paths: [root] });
const zodPkg = JSON.parse(readFileSync(zodPkgPath, "utf8"));

if (dist === root || dist === dirname(dist)) throw new Error(`refusing to build into ${dist}`);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// --- index.js ------------------------------------------------------------------

await build({
  absWorkingDir: root,
  entryPoints: ["src/index.ts"],
  outfile: join(dist, "index.js"),
  bundle: true,
  format: "esm",
  // Not "node" or "browser": the host is the embedded runtime, and the SDK
  // must not pull in either environment's shims.
  platform: "neutral",
  mainFields: ["module", "main"],
  target: "es2022",
  // Readable output: the binary embeds it, and stack traces into it should
  // make sense. Size is dominated by zod either way.
  minify: false,
  legalComments: "eof",
  banner: {
    js: `// @palbase/backend ${pkg.version}. Bundles zod ${zodPkg.version} (MIT); see THIRD_PARTY_NOTICES.txt.`,
  },
  logLevel: "warning",
});

// --- index.d.ts --------------------------------------------------------------

const { generateDtsBundle } = require("dts-bundle-generator");
const [bundled] = generateDtsBundle(
  [
    {
      filePath: join(root, "src/index.ts"),
      libraries: {
        inlinedLibraries: ["zod"],
        importedLibraries: [],
        allowedTypesLibraries: [],
      },
      output: { noBanner: true, exportReferencedTypes: false, sortNodes: false },
    },
  ],
  { preferredConfigPath: join(root, "tsconfig.json") },
);

// The result must stand alone: a user project has no zod and maybe no
// @types/node or DOM lib.
const foreign = bundled.match(/^\s*(import\s.*from\s|\/\/\/\s*<reference\s.*)$/m);
if (foreign) throw new Error(`dist/index.d.ts is not self-contained: ${foreign[0].trim()}`);

// zod 4.6.7's declarations name the global `URL` (a DOM / @types/node type) in
// a few internal helpers. Without either, tsc reports "Cannot find name 'URL'"
// unless skipLibCheck is on. A module-local `URL` shadows the global inside
// this file only: it is the real URL instance type when the project has one,
// and a minimal structural stand-in otherwise. (zod does the same for `File`.)
if (/^(?:export\s+)?(?:declare\s+)?(?:type|interface|class)\s+URL\b/m.test(bundled)) {
  throw new Error("dist/index.d.ts already declares URL; revisit the URL shim in scripts/build.mjs");
}
const urlShim = `// Module-local stand-in for the global URL (see scripts/build.mjs).
type URL = typeof globalThis extends {
	URL: infer U extends abstract new (...args: any) => any;
} ? InstanceType<U> : {
	readonly href: string;
	readonly protocol: string;
	readonly hostname: string;
};
`;
const header = `// Type definitions for @palbase/backend ${pkg.version}.
// Self-contained: includes the type declarations of zod ${zodPkg.version} (MIT).
`;
writeFileSync(join(dist, "index.d.ts"), header + urlShim + bundled);

// --- package.json, notices -----------------------------------------------------

const distPkg = {
  name: pkg.name,
  version: pkg.version,
  description: pkg.description,
  license: pkg.license,
  type: "module",
  main: "./index.js",
  types: "./index.d.ts",
  exports: {
    ".": { types: "./index.d.ts", default: "./index.js" },
    "./package.json": "./package.json",
  },
};
writeFileSync(join(dist, "package.json"), JSON.stringify(distPkg, null, 2) + "\n");

const zodLicense = readFileSync(join(dirname(zodPkgPath), "LICENSE"), "utf8").trim();
writeFileSync(
  join(dist, "THIRD_PARTY_NOTICES.txt"),
  `@palbase/backend ${pkg.version} includes zod ${zodPkg.version} (index.js, index.d.ts):\n\n${zodLicense}\n`,
);

// The documentation for AI coding tools (README.md: "llms-full.txt (and an index at llms.txt)"):
// the SDK's docs/ in reading order, then the runtime's notes (docs/ of the repository).
const DOCS = ["README.md", "getting-started.md", "routing.md", "endpoints.md", "database.md", "schema.md", "services.md", "errors.md", "background.md", "events.md", "api.md"];
const RUNTIME_DOCS = [["runtime.md", "../../docs/runtime.md"], ["runtime-background.md", "../../docs/background.md"]];
const docText = (rel) => readFileSync(join(root, rel), "utf8").trim() + "\n";
const titleOf = (text) => (text.match(/^# (.+)$/m)?.[1] ?? "").trim();
const sections = [...DOCS.map((f) => [f, docText(join("docs", f))]), ...RUNTIME_DOCS.map(([name, rel]) => [name, docText(rel)])];
const index = [
  `# ${pkg.name} ${pkg.version}`,
  "",
  "> File-based TypeScript backend SDK. Endpoints use `req` (PBRequest) + imported service singletons (`Database`, `Cache`, …). Workers/jobs/hooks/webhooks use a `ctx` object. Not Express, not Supabase Edge Functions.",
  "",
  "## Docs",
  "",
  ...DOCS.map((f) => `- [${titleOf(docText(join("docs", f)))}](docs/${f})`),
  "",
  "## Optional",
  "",
  "- [llms-full.txt](llms-full.txt): every page above and the runtime's behaviour notes (limits, configuration, each service's guarantees), in one file",
  "",
].join("\n");
writeFileSync(join(dist, "llms.txt"), index);
writeFileSync(
  join(dist, "llms-full.txt"),
  `# ${pkg.name} ${pkg.version}\n\n` + sections.map(([name, text]) => `<!-- ===== ${name} ===== -->\n\n${text}`).join("\n\n"),
);

console.log(`built ${outFlag > 0 ? dist : "dist/"} (zod ${zodPkg.version} bundled)`);
