// Type-level checks against the package source: the source itself, the
// type-level tests in type-tests/, and every example of the spec
// (examples/spec-project), all under --strict.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { pkgRoot, specProject, tsc } from "./helpers.mjs";

test("package source type-checks (strict)", () => {
  const r = tsc(["-p", join(pkgRoot, "tsconfig.json")]);
  assert.ok(r.ok, r.output);
});

test("type-tests pass against src (Expect<Equal<…>> and @ts-expect-error cases)", () => {
  const r = tsc(["-p", join(pkgRoot, "type-tests", "tsconfig.json")]);
  assert.ok(r.ok, r.output);
});

test("declared flags: names and variants are checked (type-tests/typed-flags)", () => {
  const r = tsc(["-p", join(pkgRoot, "type-tests", "typed-flags", "tsconfig.json")]);
  assert.ok(r.ok, r.output);
});

test("every spec example type-checks verbatim (examples/spec-project, against src)", () => {
  const r = tsc(["-p", join(specProject, "tsconfig.json")]);
  assert.ok(r.ok, r.output);
});
