// The fast validators (src/runtime/fastcheck.ts) must agree with Zod exactly: same verdict and,
// on success, the same data (same keys, same order). Inputs are generated around each schema's
// edges; the runtime falls back to Zod whenever the fast path says no, so the dangerous case is
// a fast "yes" where Zod says no — or different data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { z } from "zod";

const { outputFiles } = await build({ entryPoints: [new URL("../src/runtime/fastcheck.ts", import.meta.url).pathname], bundle: true, format: "esm", write: false, platform: "neutral" });
const { compile, compileJson, FAIL, OMIT } = await import("data:text/javascript;base64," + Buffer.from(outputFiles[0].text).toString("base64"));

const schemas = {
  hello: z.object({ name: z.string().optional() }),
  helloOut: z.object({ message: z.string(), user: z.string().nullable() }),
  todo: z.object({ title: z.string().min(1).max(200), done: z.boolean().optional() }),
  room: z.object({ name: z.string().min(1).max(100), capacity: z.number().int().positive().optional() }),
  nested: z.object({ a: z.array(z.object({ n: z.number().min(0).max(10), s: z.enum(["x", "y"]) })).min(1).max(3), l: z.literal("k").nullable() }),
  nums: z.object({ i: z.number().int(), g: z.number().gte(-5).lt(5), len: z.string().length(2) }),
};

const pool = [undefined, null, true, false, 0, 1, -1, 1.5, 7, 10, 11, -5, 5, 2 ** 53, NaN, Infinity, "", "a", "ab", "x", "y", "k", "world", "x".repeat(201), 'q"t', "b\\s", "l\nf", "\u0001", "é", "\u2028", "\ud800", "\ude00x", "😀", "k\u007f", [], [1], {}, { n: 1, s: "x" }, { n: 11, s: "x" }, { n: 1, s: "z" }, [{ n: 1, s: "y" }], [{ n: 1, s: "q" }]];
const pick = (r) => pool[Math.floor(r() * pool.length)];

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function sample(shape, r) {
  const o = {};
  for (const k of Object.keys(shape)) {
    const roll = r();
    if (roll < 0.15) continue; // absent
    o[k] = roll < 0.2 ? undefined : pick(r);
  }
  if (r() < 0.3) o.extra = pick(r); // unknown keys are stripped
  return o;
}

for (const [name, schema] of Object.entries(schemas)) {
  test(`fast path agrees with Zod: ${name}`, () => {
    const fast = compile(schema);
    assert.ok(fast, `${name} compiles`);
    const r = rng(name.length * 7919);
    let accepted = 0;
    for (let i = 0; i < 20000; i++) {
      const v = r() < 0.05 ? pick(r) : sample(schema.shape, r);
      const z1 = schema.safeParse(v);
      const f = fast(v);
      if (f === FAIL) {
        assert.equal(z1.success, false, `fast rejected what Zod accepts: ${JSON.stringify(v)}`);
      } else {
        accepted++;
        assert.equal(z1.success, true, `fast accepted what Zod rejects: ${JSON.stringify(v)}`);
        assert.deepStrictEqual(f, z1.data);
        assert.deepStrictEqual(Object.keys(f), Object.keys(z1.data));
      }
    }
    assert.ok(accepted > 0, "some inputs are valid");
  });

  test(`fast JSON writer agrees with Zod + JSON.stringify: ${name}`, () => {
    const write = compileJson(schema);
    assert.ok(write, `${name} compiles`);
    const r = rng(name.length * 104729);
    let accepted = 0;
    for (let i = 0; i < 20000; i++) {
      const v = r() < 0.05 ? pick(r) : sample(schema.shape, r);
      const z1 = schema.safeParse(v);
      const json = write(v);
      if (json === FAIL) {
        assert.equal(z1.success, false, `fast writer rejected what Zod accepts: ${JSON.stringify(v)}`);
      } else {
        accepted++;
        assert.equal(z1.success, true, `fast writer accepted what Zod rejects: ${JSON.stringify(v)}`);
        assert.notEqual(json, OMIT);
        assert.equal(json, JSON.stringify(z1.data));
      }
    }
    assert.ok(accepted > 0, "some inputs are valid");
  });
}

test("the JSON writer escapes every string JSON.stringify escapes", () => {
  const write = compileJson(z.object({ s: z.string(), a: z.array(z.string().optional()), e: z.enum(["a\"b", "c"]).optional() }));
  for (let c = 0; c < 0x10000; c += c < 0x3000 ? 1 : 61) {
    const s = "a" + String.fromCharCode(c) + "b";
    const v = { s, a: [s, undefined], e: c % 2 ? 'a"b' : undefined };
    assert.equal(write(v), JSON.stringify(v));
  }
  assert.equal(write({ s: "\ud83d\ude00", a: [] }), JSON.stringify({ s: "\ud83d\ude00", a: [] }));
});

test("schemas the fast path does not handle are left to Zod", () => {
  for (const s of [z.url(), z.base64(), z.hostname(), z.string().trim(), z.string().min(1, { when: () => true }), z.object({ a: z.string().default("x") }), z.union([z.string(), z.number()]), z.coerce.date(), z.object({ a: z.string() }).refine(() => true), z.object({ a: z.string() }).readonly(), z.lazy(() => z.string()), z.string().exactOptional().nonoptional()]) {
    assert.equal(compile(s), null);
    assert.equal(compileJson(s), null);
  }
});
