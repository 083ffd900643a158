// Differential test: the compiled validators and JSON writers (src/runtime/fastcheck.ts) against
// Zod itself, on generated schemas covering Zod 4's API × generated inputs around each schema's
// edges. What the runtime does (src/runtime/dispatch.ts) is: the fast result when the schema
// compiled and the fast path said yes, else Zod. So for every pair:
//   - validator: FAIL ⇔ Zod fails; otherwise the value is structurally identical to Zod's data
//     (same types, prototypes, own keys in the same order: an absent key is not an undefined one);
//   - JSON writer: FAIL ⇔ Zod fails; otherwise its text is exactly JSON.stringify(Zod's data).
//
// Bounded by default (well under a minute). Longer runs:
//   PALBASE_FASTCHECK_SCHEMAS=20000 PALBASE_FASTCHECK_SEED=7 npm test
// (PALBASE_FASTCHECK_INPUTS sets the inputs per schema.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { z } from "zod";

const { outputFiles } = await build({ entryPoints: [new URL("../src/runtime/fastcheck.ts", import.meta.url).pathname], bundle: true, format: "esm", write: false, platform: "neutral", mainFields: ["module", "main"] });
const { compile, compileJson, planOf, FAIL, OMIT } = await import("data:text/javascript;base64," + Buffer.from(outputFiles[0].text).toString("base64"));

const SCHEMAS = Number(process.env.PALBASE_FASTCHECK_SCHEMAS ?? 2500);
const INPUTS = Number(process.env.PALBASE_FASTCHECK_INPUTS ?? 40);
const SEED = Number(process.env.PALBASE_FASTCHECK_SEED ?? 20240917);

// mulberry32
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

// ---------------------------------------------------------------------------------------------
// A strict structural comparison: absent keys differ from undefined ones, holes from undefined
// elements, -0 from 0, key order matters, prototypes must match.

function describe(v) {
  try {
    return JSON.stringify(v, (_k, x) => (x === undefined ? "<undefined>" : typeof x === "bigint" ? `${x}n` : typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
  } catch {
    return String(v);
  }
}

function same(a, b, path = "$") {
  if (Object.is(a, b)) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return `${path}: ${describe(a)} vs ${describe(b)}`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: prototypes differ`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs non-array`;
  if (a instanceof Date) return a.getTime() === b.getTime() ? null : `${path}: dates differ`;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return `${path}: keys ${describe(ka.map(String))} vs ${describe(kb.map(String))}`;
  if (Object.isFrozen(a) !== Object.isFrozen(b)) return `${path}: frozen differs`;
  for (const k of ka) {
    const da = Object.getOwnPropertyDescriptor(a, k);
    const db = Object.getOwnPropertyDescriptor(b, k);
    if (da.enumerable !== db.enumerable) return `${path}.${String(k)}: enumerability differs`;
    const d = same(da.value, db.value, `${path}.${String(k)}`);
    if (d) return d;
  }
  return null;
}

test("the structural comparison tells absent keys from undefined ones", () => {
  assert.ok(same({}, { a: undefined }));
  assert.ok(same({ a: 1, b: 2 }, { b: 2, a: 1 }));
  assert.ok(same([undefined], [,]));
  assert.ok(same(0, -0));
  assert.equal(same({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] }), null);
});

// ---------------------------------------------------------------------------------------------
// Values that confuse types.

class Thing {
  constructor() {
    this.a = "x";
  }
  get b() {
    return 1;
  }
}
const withToJSON = { a: "x", toJSON: () => "replaced" };
const nullProto = Object.assign(Object.create(null), { a: "x", n: 1 });
const JUNK = [undefined, null, true, false, 0, -0, 1, -1, 1.5, -1.5, 0.1, NaN, Infinity, -Infinity, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e21, 1e40, -1e40, 3.4028234663852886e38, 3.4028235677973366e38, Number.MAX_VALUE, Number.MIN_VALUE, "", " ", "a", "A", "ab", "abc", "x".repeat(300), "1", "0", "-1", "1.5", "1e3", " 7 ", "0x10", "true", "false", "null", "undefined", "NaN", "Infinity", "Red", "Green", "😀", "😀😀", "a😀", "é", "e\u0301", "\ud800", "\ude00x", "\u2028", "\u0000", 'q"t', "b\\s", "l\nf", [], [1], ["a"], [null], [undefined], {}, { a: 1 }, { a: "x" }, { name: "n" }, new Thing(), withToJSON, nullProto, new Date(0), 10n];

// ---------------------------------------------------------------------------------------------
// Schemas. Each generator returns { s: schema, v: (r) => a candidate value, name }.

const enumRed = (() => {
  const E = {};
  E[(E.Red = 0)] = "Red";
  E[(E.Green = 1)] = "Green";
  return E; // TypeScript's `enum Color { Red, Green }`
})();
const enumMixed = (() => {
  const E = { A: "a" };
  E[(E.B = 2)] = "B";
  return E; // enum { A = "a", B = 2 }
})();
const enumStr = { Up: "UP", Down: "DOWN" };

const S = (strs) => (r) => (r() < 0.75 ? pick(r, strs) : pick(r, JUNK));
const N = (nums) => (r) => (r() < 0.75 ? pick(r, nums) : pick(r, JUNK));

const EMAILS = ["a@b.co", "a@b", "x.y+z@example.com", "A@B.CO", "a@b.c", ".a@b.co", "a..b@c.de", "a@-b.co", "a@b.co ", "é@b.co", "a@b.co\n", ""];
const URLS = ["http://x.com", "https://example.com/p?q=1#f", "ftp://x.org", "http:example.com", "https:/x.com", " http://a.com ", "http://exa\nmple.com", "mailto:a@b.co", "x", "http://localhost:3000", "https://a.b", "https://-a.com", ""];
const UUIDS = ["123e4567-e89b-12d3-a456-426614174000", "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f", "9F1C2D3E-4B5A-4C6D-8E7F-0A1B2C3D4E5F", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "9f1c2d3e-4b5a-0c6d-8e7f-0a1b2c3d4e5f", "9f1c2d3e-4b5a-4c6d-cc7f-0a1b2c3d4e5f", "9f1c2d3e4b5a4c6d8e7f0a1b2c3d4e5f", "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5", ""];
const IDS = ["01ARZ3NDEKTSV4RRFFQ69G5FAV", "81ARZ3NDEKTSV4RRFFQ69G5FAV", "01arz3ndektsv4rrffq69g5fav", "01ARZ3NDEKTSV4RRFFQ69G5FA", "cjld2cjxh0000qzrmn831i7rn", "tz4a98xxat96iws9zmbrgj3a", "V1StGXR8_Z5jdHi6B-myT", "9m4e2mr0ui3e8a215n4g", "0ujsswThIGTUYm2K8FjOOfXtY1K", "a", ""];
const DATES = ["2020-01-01T00:00:00Z", "2020-01-01T00:00:00.123Z", "2020-01-01T00:00:00.1234Z", "2020-01-01T00:00:00+02:00", "2020-01-01T00:00:00", "2020-01-01T00:00Z", "2020-02-30T00:00:00Z", "2020-13-01T00:00:00Z", "2020-01-01", "2021-02-29", "2024-02-29", "1900-02-29", "2000-02-29", "20-01-01", "12:34", "12:34:56", "12:34:56.789", "24:00", "23:59:60", "P1D", "PT1H30M", "P1Y2M3DT4H5M6S", "P", "PT", ""];
const IPS = ["1.2.3.4", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "10.0.0.0/8", "10.0.0.0/33", "192.168.0.1/0", "::1", "2001:db8::1", "2001:db8::/32", "::1\n", "::@1\\", "fe80::1%eth0", "00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e", ""];
const B64 = ["", "aGVsbG8=", "aGVsbG8", "aGVsbA==", "a b=", "aGVsbG8-", "aGVsbG8_", "====", "YQ", "YQ==", "+/+/", "-_-_"];
const PHONES = ["+14155552671", "+0123456", "+1234567", "+123456", "14155552671", "+1234567890123456", ""];
const HOSTS = ["example.com", "-a.com", "a..b", "localhost", "a.b.", "xn--d1acufc.xn--p1ai", "a_b.com", "ex ample.com", ""];
const MISC = ["😀", "😀😀", "a", "abc", "ABC", "aBc", "hello world", "prefix-x", "x-suffix", "has-mid-dle", "aaa", "AAA", ""];

const strLeaves = [
  ["string", () => z.string(), S(MISC)],
  ["string.min(2)", () => z.string().min(2), S(["a", "ab", "😀", "😀😀", "a😀", "\ud800", "\ud800\udc00"])],
  ["string.max(2)", () => z.string().max(2), S(["ab", "abc", "😀😀", "😀😀a", "é", "e\u0301"])],
  ["string.length(2)", () => z.string().length(2), S(["ab", "abc", "😀😀", "😀", "a😀", "\udc00\ud800"])],
  ["string.min(1,msg)", () => z.string().min(1, "required"), S(["", "a"])],
  ["string({error})", () => z.string({ error: "bad" }), S(MISC)],
  ["string.min.when", () => z.string().min(3, { when: () => false }), S(["a", "abc"])],
  ["string.nonempty", () => z.string().nonempty(), S(["", "a"])],
  ["string.regex", () => z.string().regex(/^a+$/), S(["a", "aaa", "ab", ""])],
  ["string.regex/g", () => z.string().regex(/a/g), S(["a", "aa", "b", "ba"])],
  ["string.startsWith", () => z.string().startsWith("prefix"), S(MISC)],
  ["string.endsWith", () => z.string().endsWith("suffix"), S(MISC)],
  ["string.includes", () => z.string().includes("mid"), S(MISC)],
  ["string.includes@pos", () => z.string().includes("a", { position: 1 }), S(["a", "ba", "ab", "bba"])],
  ["string.lowercase", () => z.string().lowercase(), S(MISC)],
  ["string.uppercase", () => z.string().uppercase(), S(MISC)],
  ["string.trim", () => z.string().trim(), S([" a ", "a"])],
  ["string.toLowerCase", () => z.string().toLowerCase(), S(["A", "a"])],
  ["string.email()", () => z.string().email(), S(EMAILS)],
  ["string.uuid().max(40)", () => z.string().uuid().max(40), S(UUIDS)],
  ["string.url()", () => z.string().url(), S(URLS)],
  ["email", () => z.email(), S(EMAILS)],
  ["email.min(6)", () => z.email().min(6), S(EMAILS)],
  ["email({pattern})", () => z.email({ pattern: z.regexes.html5Email }), S(EMAILS)],
  ["url", () => z.url(), S(URLS)],
  ["httpUrl", () => z.httpUrl(), S(URLS)],
  ["url({protocol})", () => z.url({ protocol: /^https$/ }), S(URLS)],
  ["uuid", () => z.uuid(), S(UUIDS)],
  ["uuidv4", () => z.uuidv4(), S(UUIDS)],
  ["uuidv7", () => z.uuidv7(), S(UUIDS)],
  ["guid", () => z.guid(), S(UUIDS)],
  ["ulid", () => z.ulid(), S(IDS)],
  ["cuid", () => z.cuid(), S(IDS)],
  ["cuid2", () => z.cuid2(), S(IDS)],
  ["nanoid", () => z.nanoid(), S(IDS)],
  ["xid", () => z.xid(), S(IDS)],
  ["ksuid", () => z.ksuid(), S(IDS)],
  ["iso.datetime", () => z.iso.datetime(), S(DATES)],
  ["iso.datetime(offset,precision)", () => z.iso.datetime({ offset: true, precision: 3 }), S(DATES)],
  ["iso.datetime(local)", () => z.iso.datetime({ local: true }), S(DATES)],
  ["iso.date", () => z.iso.date(), S(DATES)],
  ["iso.time", () => z.iso.time(), S(DATES)],
  ["iso.time(precision)", () => z.iso.time({ precision: 0 }), S(DATES)],
  ["iso.duration", () => z.iso.duration(), S(DATES)],
  ["ipv4", () => z.ipv4(), S(IPS)],
  ["ipv6", () => z.ipv6(), S(IPS)],
  ["cidrv4", () => z.cidrv4(), S(IPS)],
  ["cidrv6", () => z.cidrv6(), S(IPS)],
  ["mac", () => z.mac(), S(IPS)],
  ["base64", () => z.base64(), S(B64)],
  ["base64url", () => z.base64url(), S(B64)],
  ["e164", () => z.e164(), S(PHONES)],
  ["hostname", () => z.hostname(), S(HOSTS)],
  ["emoji", () => z.emoji(), S(MISC)],
  ["jwt", () => z.jwt(), S(["a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.x", ""])],
  ["stringFormat", () => z.stringFormat("even", (v) => v.length % 2 === 0), S(MISC)],
  ["templateLiteral", () => z.templateLiteral(["id-", z.number()]), S(["id-1", "id-x", "id-"])],
  ["coerce.string", () => z.coerce.string(), (r) => pick(r, JUNK)],
  ["coerce.string.min(2)", () => z.coerce.string().min(2), (r) => pick(r, JUNK)],
  ["stringbool", () => z.stringbool(), S(["true", "false", "yes", "0", "x"])],
];

const NUMS = [0, -0, 1, -1, 0.5, 1.5, 2, 3, 5, 6, 9.99, 10, 10.01, 100, -5, 0.1, 0.3, 0.30000000000000004, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32, -1e-300, 2 ** 53 - 1, 2 ** 53, -(2 ** 53 - 1), -(2 ** 53), 1e40, 3.4028234663852886e38, 3.4028235677973366e38, Number.MAX_VALUE, NaN, Infinity];
const numLeaves = [
  ["number", () => z.number(), N(NUMS)],
  ["number.int", () => z.number().int(), N(NUMS)],
  ["number.int.min(1)", () => z.number().int().min(1), N(NUMS)],
  ["number.positive", () => z.number().positive(), N(NUMS)],
  ["number.nonnegative", () => z.number().nonnegative(), N(NUMS)],
  ["number.negative", () => z.number().negative(), N(NUMS)],
  ["number.gt(0).lt(10)", () => z.number().gt(0).lt(10), N(NUMS)],
  ["number.gte(-5).lte(5)", () => z.number().gte(-5).lte(5), N(NUMS)],
  ["number.multipleOf(3)", () => z.number().multipleOf(3), N(NUMS)],
  ["number.multipleOf(0.1)", () => z.number().multipleOf(0.1), N(NUMS)],
  ["number.safe", () => z.number().safe(), N(NUMS)],
  ["number.finite", () => z.number().finite(), N(NUMS)],
  ["number.min(1,{when})", () => z.number().min(1, { when: () => false }), N(NUMS)],
  ["int", () => z.int(), N(NUMS)],
  ["int.min(1)", () => z.int().min(1), N(NUMS)],
  ["int.max(10)", () => z.int().max(10), N(NUMS)],
  ["int32", () => z.int32(), N(NUMS)],
  ["int32.positive", () => z.int32().positive(), N(NUMS)],
  ["uint32", () => z.uint32(), N(NUMS)],
  ["float32", () => z.float32(), N(NUMS)],
  ["float64", () => z.float64(), N(NUMS)],
  ["coerce.number", () => z.coerce.number(), (r) => pick(r, JUNK)],
  ["coerce.number.int.min(1)", () => z.coerce.number().int().min(1), (r) => pick(r, JUNK)],
  ["nan", () => z.nan(), N(NUMS)],
  ["bigint", () => z.bigint(), (r) => (r() < 0.5 ? 10n : pick(r, JUNK))],
  ["int64", () => z.int64(), (r) => (r() < 0.5 ? 10n : pick(r, JUNK))],
];

const otherLeaves = [
  ["boolean", () => z.boolean(), (r) => pick(r, [true, false, ...JUNK])],
  ["coerce.boolean", () => z.coerce.boolean(), (r) => pick(r, JUNK)],
  ["null", () => z.null(), (r) => pick(r, JUNK)],
  ["undefined", () => z.undefined(), (r) => pick(r, JUNK)],
  ["void", () => z.void(), (r) => pick(r, JUNK)],
  ["any", () => z.any(), (r) => pick(r, JUNK)],
  ["unknown", () => z.unknown(), (r) => pick(r, JUNK)],
  ["never", () => z.never(), (r) => pick(r, JUNK)],
  ["date", () => z.date(), (r) => pick(r, JUNK)],
  ["coerce.date", () => z.coerce.date(), (r) => pick(r, JUNK)],
  ["literal(a)", () => z.literal("a"), S(["a", "b"])],
  ["literal(0)", () => z.literal(0), N([0, -0, 1])],
  ["literal(true)", () => z.literal(true), (r) => pick(r, [true, false, ...JUNK])],
  ["literal(null)", () => z.literal(null), (r) => pick(r, JUNK)],
  ["literal(undefined)", () => z.literal(undefined), (r) => pick(r, JUNK)],
  ["literal([1,'1'])", () => z.literal([1, "1"]), (r) => pick(r, [1, "1", 2, ...JUNK])],
  ["literal(10n)", () => z.literal(10n), (r) => pick(r, [10n, 10, ...JUNK])],
  ["enum", () => z.enum(["a", "b"]), S(["a", "b", "c"])],
  ["enum(numeric TS enum)", () => z.enum(enumRed), (r) => pick(r, [0, 1, 2, "Red", "Green", "0", ...JUNK])],
  ["nativeEnum(numeric)", () => z.nativeEnum(enumRed), (r) => pick(r, [0, 1, 2, "Red", "Green", "0", ...JUNK])],
  ["enum(mixed TS enum)", () => z.enum(enumMixed), (r) => pick(r, ["a", "A", 2, "B", "2", ...JUNK])],
  ["enum(string TS enum)", () => z.enum(enumStr), (r) => pick(r, ["UP", "Up", "DOWN", ...JUNK])],
  ["enum.exclude", () => z.enum(["a", "b", "c"]).exclude(["b"]), S(["a", "b", "c"])],
];

const LEAVES = [...strLeaves, ...numLeaves, ...otherLeaves];

/** A candidate value for `g` (a generated schema), or junk. */
const leaf = (r) => {
  const [name, make, v] = pick(r, LEAVES);
  return { name, s: make(), v };
};

const WRAPPERS = [
  ["optional", (s) => s.optional(), (v) => (r) => (r() < 0.2 ? undefined : v(r))],
  ["nullable", (s) => s.nullable(), (v) => (r) => (r() < 0.2 ? null : v(r))],
  ["nullish", (s) => s.nullish(), (v) => (r) => (r() < 0.1 ? null : r() < 0.1 ? undefined : v(r))],
  ["exactOptional", (s) => s.exactOptional(), (v) => (r) => (r() < 0.2 ? undefined : v(r))],
  ["default", (s) => s.default(undefined).default("dflt"), (v) => (r) => (r() < 0.2 ? undefined : v(r))],
  ["default(obj)", (s) => s.default({ d: 1 }), (v) => (r) => (r() < 0.2 ? undefined : v(r))],
  ["prefault", (s) => s.prefault("pre"), (v) => (r) => (r() < 0.2 ? undefined : v(r))],
  ["catch", (s) => s.catch("caught"), (v) => v],
  ["readonly", (s) => s.readonly(), (v) => v],
  ["nonoptional", (s) => s.nonoptional(), (v) => (r) => (r() < 0.2 ? undefined : v(r))],
  ["describe", (s) => s.describe("d").meta({ x: 1 }).brand(), (v) => v],
  ["refine", (s) => s.refine((x) => typeof x !== "string" || x.length !== 1), (v) => v],
  ["superRefine", (s) => s.superRefine(() => {}), (v) => v],
  ["transform", (s) => s.transform((x) => (typeof x === "string" ? x.toUpperCase() : x)), (v) => v],
  ["pipe(any)", (s) => s.pipe(z.any()), (v) => v],
  ["overwrite", (s) => s.overwrite((x) => x), (v) => v],
  ["lazy", (s) => z.lazy(() => s), (v) => v],
  ["array", (s) => z.array(s), (v) => (r) => (r() < 0.1 ? pick(r, JUNK) : Array.from({ length: Math.floor(r() * 4) }, () => v(r)))],
  ["array.min(1).max(3)", (s) => z.array(s).min(1).max(3), (v) => (r) => Array.from({ length: Math.floor(r() * 5) }, () => v(r))],
  ["array.length(2)", (s) => s.array().length(2), (v) => (r) => Array.from({ length: Math.floor(r() * 4) }, () => v(r))],
  ["array.nonempty", (s) => z.array(s).nonempty(), (v) => (r) => Array.from({ length: Math.floor(r() * 3) }, () => v(r))],
  ["set", (s) => z.set(s), (v) => (r) => new Set([v(r)])],
  ["record", (s) => z.record(z.string(), s), (v) => (r) => ({ k: v(r), ...(r() < 0.5 ? { j: v(r) } : {}) })],
  ["record(enum)", (s) => z.record(z.enum(["k", "j"]), s), (v) => (r) => ({ k: v(r), ...(r() < 0.5 ? { j: v(r) } : {}) })],
  ["partialRecord", (s) => z.partialRecord(z.enum(["k", "j"]), s), (v) => (r) => (r() < 0.5 ? { k: v(r) } : {})],
  ["tuple", (s) => z.tuple([s, z.string()]), (v) => (r) => (r() < 0.8 ? [v(r), pick(r, ["a", 1])] : [v(r)])],
  ["tuple.rest", (s) => z.tuple([z.string()], s), (v) => (r) => ["a", v(r), v(r)]],
  ["union", (s) => z.union([s, z.number()]), (v) => (r) => (r() < 0.7 ? v(r) : pick(r, NUMS))],
  ["union(string first)", (s) => z.union([z.string(), s]), (v) => v],
  ["xor", (s) => z.xor([s, z.number()]), (v) => v],
  ["intersection", (s) => z.intersection(s, z.any()), (v) => v],
  ["or(never)", (s) => s.or(z.never()), (v) => v],
];

const SHAPES = ["a", "b", "c", "constructor", "toString", "__proto__x", "0"];

function object(r, depth) {
  const n = Math.floor(r() * 4);
  const shape = {};
  const gens = {};
  for (let i = 0; i < n; i++) {
    const k = i === 0 && r() < 0.1 ? pick(r, SHAPES) : pick(r, ["a", "b", "c", "d", "e"]);
    const g = gen(r, depth + 1);
    shape[k] = g.s;
    gens[k] = g;
  }
  const mode = r();
  let s;
  let name;
  if (mode < 0.55) [s, name] = [z.object(shape), "object"];
  else if (mode < 0.65) [s, name] = [z.strictObject(shape), "strictObject"];
  else if (mode < 0.7) [s, name] = [z.object(shape).strict(), "object.strict"];
  else if (mode < 0.77) [s, name] = [z.looseObject(shape), "looseObject"];
  else if (mode < 0.8) [s, name] = [z.object(shape).passthrough(), "object.passthrough"];
  else if (mode < 0.85) [s, name] = [z.object(shape).catchall(z.string()), "object.catchall(string)"];
  else if (mode < 0.88) [s, name] = [z.object(shape).catchall(z.string().optional()), "object.catchall(optional)"];
  else if (mode < 0.92) [s, name] = [z.object(shape).partial(), "object.partial"];
  else if (mode < 0.95) [s, name] = [z.object(shape).strip(), "object.strip"];
  else if (mode < 0.97) [s, name] = [z.object(shape).required(), "object.required"];
  else [s, name] = [z.object(shape).extend({ x: z.string().optional() }), "object.extend"];
  const v = (r) => {
    if (r() < 0.05) return pick(r, JUNK);
    const o = r() < 0.03 ? Object.create(null) : {};
    for (const k of Object.keys(gens)) {
      const roll = r();
      if (roll < 0.15) continue; // absent
      o[k] = roll < 0.22 ? undefined : gens[k].v(r);
    }
    if (r() < 0.25) o[pick(r, ["extra", "a", "z"])] = r() < 0.5 ? pick(r, MISC) : pick(r, JUNK);
    if (r() < 0.03) Object.defineProperty(o, "__proto__", { value: "p", enumerable: true, configurable: true, writable: true });
    return o;
  };
  return { name: `${name}{${Object.entries(gens).map(([k, g]) => `${k}: ${g.name}`).join(", ")}}`, s, v };
}

function discriminated(r, depth) {
  const a = gen(r, depth + 1);
  const b = gen(r, depth + 1);
  const s = z.discriminatedUnion("kind", [z.object({ kind: z.literal("a"), x: a.s }), z.object({ kind: z.literal("b"), y: b.s })]);
  const v = (r) => (r() < 0.5 ? { kind: pick(r, ["a", "b", "c"]), x: a.v(r) } : { kind: pick(r, ["a", "b"]), y: b.v(r) });
  return { name: `discriminatedUnion(${a.name}, ${b.name})`, s, v };
}

// Recursive schemas, written the Zod 4 way (getters) and with z.lazy.
function recursive(r) {
  const Node = z.object({
    name: z.string(),
    get children() {
      return z.array(Node).optional();
    },
  });
  const Lazy = z.lazy(() => z.object({ n: z.number(), next: Lazy.nullable() }));
  const tree = (r, d) => {
    const o = { name: r() < 0.9 ? "n" : 1 };
    if (d < 3 && r() < 0.6) o.children = Array.from({ length: Math.floor(r() * 3) }, () => tree(r, d + 1));
    else if (r() < 0.1) o.children = undefined;
    return o;
  };
  const list = (r, d) => ({ n: r() < 0.9 ? d : "x", next: d < 3 && r() < 0.7 ? list(r, d + 1) : null });
  return r() < 0.5 ? { name: "recursive getter Node", s: Node, v: (r) => tree(r, 0) } : { name: "recursive lazy list", s: Lazy, v: (r) => list(r, 0) };
}

function gen(r, depth = 0) {
  const roll = r();
  if (depth >= 3 || roll < 0.35) return leaf(r);
  if (roll < 0.6) return object(r, depth);
  if (roll < 0.63) return discriminated(r, depth);
  if (roll < 0.65) return recursive(r);
  const inner = gen(r, depth + 1);
  const [wname, wrap, wv] = pick(r, WRAPPERS);
  let s;
  try {
    s = wrap(inner.s);
  } catch {
    return inner; // a combination Zod refuses to build
  }
  return { name: `${wname}(${inner.name})`, s, v: wv(inner.v) };
}

// ---------------------------------------------------------------------------------------------

function zodParse(schema, v) {
  try {
    return schema.safeParse(v);
  } catch (e) {
    return { threw: e };
  }
}

// The host's writer (crates/palbase-engine/src/output.rs) follows a writer's plan; this is the
// same walk, step for step, so that every generated schema checks that a plan says what its
// writer does. LEAVE: the host hands the value to JavaScript (a string it cannot read as UTF-8).
const LEAVE = Symbol("leave");
const MAX_SAFE = 2 ** 53 - 1;
const isNumber = (v) => typeof v === "number";
function runPlan(plan, v) {
  switch (plan.t) {
    case "string":
      if (typeof v !== "string") return FAIL;
      return v.isWellFormed() ? JSON.stringify(v) : LEAVE;
    case "number":
      return isNumber(v) && Number.isFinite(v) ? String(v) : FAIL;
    case "safeint":
      return isNumber(v) && Number.isInteger(v) && Math.abs(v) <= MAX_SAFE ? String(v) : FAIL;
    case "boolean":
      return typeof v === "boolean" ? String(v) : FAIL;
    case "null":
      return v === null ? "null" : FAIL;
    case "undefined":
      return v === undefined ? OMIT : FAIL;
    case "never":
      return FAIL;
    case "literal": {
      if (v === undefined) return plan.undef ? OMIT : FAIL;
      const i = plan.v.findIndex((x) => x === v);
      return i < 0 ? FAIL : plan.j[i];
    }
    case "optional":
      return v === undefined ? OMIT : runPlan(plan.of, v);
    case "nullable":
      return v === null ? "null" : runPlan(plan.of, v);
    case "array": {
      if (!Array.isArray(v)) return FAIL;
      let s = "[";
      for (let i = 0; i < v.length; i++) {
        const r = runPlan(plan.of, v[i]);
        if (r === FAIL || r === LEAVE) return r;
        s += (i ? "," : "") + (r === OMIT ? "null" : r);
      }
      return s + "]";
    }
    case "object": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) return FAIL;
      const parts = [];
      for (const [key, p, absent] of plan.f) {
        const x = v[key];
        let r;
        if (x === undefined && !(key in v)) {
          if (absent === 0) continue;
          if (absent === 1) return FAIL;
          r = runPlan(p, undefined);
          if (r === FAIL && absent === 2) continue;
        } else r = runPlan(p, x);
        if (r === FAIL || r === LEAVE) return r;
        if (r !== OMIT) parts.push(JSON.stringify(key) + ":" + r);
      }
      return "{" + parts.join(",") + "}";
    }
  }
  throw new Error(`unknown plan ${plan.t}`);
}

// The host's validation of a query string (crates/palbase-engine/src/input.rs), step for step:
// `q` is an object of strings, as a parsed query is.
function runQueryPlan(plan, q) {
  const field = (p, v) => {
    switch (p.t) {
      case "string":
        return v === undefined ? FAIL : v;
      case "optional":
        return v === undefined ? undefined : field(p.of, v);
      case "nullable":
        return field(p.of, v);
      case "literal":
        if (v === undefined) return p.undef ? undefined : FAIL;
        return p.v.includes(v) ? v : FAIL;
      default:
        return LEAVE;
    }
  };
  if (plan.t !== "object") return LEAVE;
  const out = {};
  for (const [key, p, absent] of plan.f) {
    const v = Object.hasOwn(q, key) ? q[key] : undefined;
    let r;
    if (v === undefined) {
      if (absent === 0) continue;
      if (absent === 1) return FAIL;
      r = field(p, undefined);
      if (r === FAIL && absent === 2) continue;
    } else r = field(p, v);
    if (r === FAIL || r === LEAVE) return r;
    if (r !== undefined) out[key] = r;
  }
  return out;
}

/** Query-like objects (string values, for some of the shape's keys and others) for `plan`. */
function queries(plan, r) {
  const out = [{}];
  const keys = plan.f.map((f) => f[0]);
  const strings = (p) => (p.t === "literal" ? p.v : p.of ? strings(p.of) : []);
  for (let n = 0; n < 12; n++) {
    const q = {};
    for (const [key, p] of plan.f) {
      const c = r();
      if (c < 0.25) continue;
      const lits = strings(p);
      q[key] = c < 0.5 && lits.length ? pick(r, lits) : pick(r, ["x", "", "1", "Red", "a😀"]);
    }
    if (r() < 0.3) q[pick(r, ["extra", "__proto__", keys[0] ?? "k"])] = "y";
    out.push(q);
  }
  return out;
}

const queryRandom = prng(99);

/** Counts a plan in `stats[key]`; it crosses to the host as JSON, so it must survive JSON. */
function counted(stats, key, plan, name) {
  stats[key] = (stats[key] ?? 0) + 1;
  assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan, `${name}: the ${key} plan survives JSON`);
}

function runOne(name, schema, inputs, stats) {
  const fast = compile(schema);
  const write = compileJson(schema);
  const plan = planOf(write);
  const inPlan = planOf(fast);
  if (inPlan?.t === "object") {
    counted(stats, "queryPlanned", inPlan, name);
    for (const q0 of queries(inPlan, queryRandom)) {
      const q = JSON.parse(JSON.stringify(q0)); // as the runtime parses a query
      const want = fast(q);
      const got = runQueryPlan(inPlan, q);
      if (got === LEAVE) continue;
      if (want === FAIL || got === FAIL) assert.equal(got, want, `${name}: the query plan and the validator disagree on ${describe(q)}`);
      else assert.equal(same(got, want), null, `${name}: the query plan's result differs on ${describe(q)}`);
      const zr = zodParse(schema, q);
      if (!zr.threw) assert.equal(got !== FAIL, zr.success, `${name}: the query plan and Zod disagree on ${describe(q)}`);
    }
  }
  if (plan) counted(stats, "planned", plan, name);
  if (fast) stats.compiled++;
  if (write) stats.compiledJson++;
  for (const v of inputs) {
    stats.pairs++;
    const zr = zodParse(schema, v);
    if (zr.threw) continue; // Zod itself throws (e.g. an async refinement): the runtime reports that
    if (fast) {
      const f = fast(v);
      if (f === FAIL) {
        assert.equal(zr.success, false, `${name}: fast path rejected what Zod accepts: ${describe(v)}`);
      } else {
        stats.fastYes++;
        assert.equal(zr.success, true, `${name}: fast path accepted what Zod rejects: ${describe(v)} → ${describe(f)}`);
        const d = same(f, zr.data);
        assert.equal(d, null, `${name}: fast result differs from Zod's on ${describe(v)}: ${d}`);
      }
    }
    if (write) {
      const w = write(v);
      if (w === FAIL) {
        assert.equal(zr.success, false, `${name}: JSON writer rejected what Zod accepts: ${describe(v)}`);
      } else {
        stats.jsonYes++;
        assert.equal(zr.success, true, `${name}: JSON writer accepted what Zod rejects: ${describe(v)}`);
        let expected;
        try {
          expected = JSON.stringify(zr.data);
        } catch (e) {
          assert.fail(`${name}: JSON writer wrote ${w} where JSON.stringify throws ${e}`);
        }
        assert.equal(w === OMIT ? undefined : w, expected, `${name}: JSON writer on ${describe(v)}`);
      }
      if (plan) {
        const p = runPlan(plan, v);
        if (p !== LEAVE) assert.equal(p, w, `${name}: the plan differs from the writer on ${describe(v)}`);
      }
    }
  }
}

test(`fast path = Zod on ${SCHEMAS} generated schemas × ${INPUTS} inputs (seed ${SEED})`, () => {
  const r = prng(SEED);
  const stats = { schemas: 0, compiled: 0, compiledJson: 0, pairs: 0, fastYes: 0, jsonYes: 0 };
  const t0 = Date.now();
  for (let i = 0; i < SCHEMAS; i++) {
    const g = gen(r);
    const inputs = Array.from({ length: INPUTS }, () => g.v(r));
    // JSON-shaped copies too: what a request body really is
    for (let j = 0; j < 4; j++) {
      try {
        const text = JSON.stringify(inputs[j]);
        if (text !== undefined) inputs.push(JSON.parse(text));
      } catch {}
    }
    stats.schemas++;
    runOne(`#${i} ${g.name}`, g.s, inputs, stats);
  }
  console.log(`# fastcheck conformance: ${JSON.stringify(stats)} in ${Date.now() - t0} ms`);
  assert.ok(stats.compiled > SCHEMAS / 10, "a good share of the generated schemas compile");
  assert.ok(stats.planned > SCHEMAS / 20, "a good share of the writers have a plan for the host");
  assert.ok(stats.queryPlanned > SCHEMAS / 50, "some validators have a query plan for the host");
  assert.ok(stats.fastYes > stats.pairs / 20 && stats.jsonYes > stats.pairs / 20, "the fast paths accept a good share of the inputs");
});

// Every leaf and every wrapper of a plain leaf, exhaustively on its own pool of inputs.
test("fast path = Zod on every catalogue leaf, and every wrapper of it", () => {
  const r = prng(SEED + 1);
  const stats = { schemas: 0, compiled: 0, compiledJson: 0, pairs: 0, fastYes: 0, jsonYes: 0 };
  for (const [name, make, v] of LEAVES) {
    const inputs = [...JUNK, ...Array.from({ length: 60 }, () => v(r))];
    stats.schemas++;
    runOne(name, make(), inputs, stats);
    for (const [wname, wrap] of WRAPPERS) {
      let s;
      try {
        s = wrap(make());
      } catch {
        continue;
      }
      stats.schemas += 2;
      runOne(`${wname}(${name})`, s, inputs, stats);
      runOne(`object{a: ${wname}(${name}), b: string}`, z.object({ a: s, b: z.string() }), [...inputs.map((a) => ({ a, b: "x" })), { b: "x" }, { a: undefined, b: "x" }, {}], stats);
    }
  }
  console.log(`# fastcheck catalogue: ${JSON.stringify(stats)}`);
});

// Every order of optional / nullable / nullish / default / catch, two deep, as object fields
// with the key absent, undefined, null and set.
test("every optional/nullable/nullish/default/catch order as an object field", () => {
  const mods = {
    optional: (s) => s.optional(),
    nullable: (s) => s.nullable(),
    nullish: (s) => s.nullish(),
    exactOptional: (s) => s.exactOptional(),
    default: (s) => s.default("d"),
    catch: (s) => s.catch("c"),
    prefault: (s) => s.prefault("p"),
    nonoptional: (s) => s.nonoptional(),
  };
  const stats = { schemas: 0, compiled: 0, compiledJson: 0, pairs: 0, fastYes: 0, jsonYes: 0 };
  const bases = { string: () => z.string(), literalUndefined: () => z.literal(undefined), undefined: () => z.undefined(), unknown: () => z.unknown(), int: () => z.int() };
  for (const [bn, base] of Object.entries(bases)) {
    for (const [m1, f1] of Object.entries(mods)) {
      for (const [m2, f2] of [["", (s) => s], ...Object.entries(mods)]) {
        let field;
        try {
          field = f2(f1(base()));
        } catch {
          continue;
        }
        const s = z.object({ a: field, b: z.string() });
        const inputs = [{ b: "x" }, { a: undefined, b: "x" }, { a: null, b: "x" }, { a: "s", b: "x" }, { a: 1, b: "x" }, { a: 1.5, b: "x" }, {}, { a: "s" }];
        runOne(`object{a: ${bn}.${m1}.${m2}}`, s, inputs, stats);
        runOne(`${bn}.${m1}.${m2}`, field, [undefined, null, "s", 1], stats);
      }
    }
  }
});

test("the reported cases agree with Zod (issue 8)", () => {
  const cases = [
    [z.email(), ["a@b.co", "not-an-email", ""]],
    [z.url(), ["https://x.com", "nope"]],
    [z.uuid(), ["123e4567-e89b-12d3-a456-426614174000", "x"]],
    [z.iso.datetime(), ["2020-01-01T00:00:00Z", "2020-01-01"]],
    [z.ipv4(), ["1.2.3.4", "1.2.3.256"]],
    [z.int(), [1, 1.5, 2 ** 53]],
    [z.int32(), [2147483647, 2147483648]],
    [z.uint32(), [0, -1]],
    [z.float32(), [1, 1e40]],
    [z.int().min(1), [0, 1, 1.5]],
    [z.enum(enumRed), [0, 1, "Red", "Green"]],
    [z.nativeEnum(enumRed), [0, 1, "Red"]],
    [z.object({ a: z.literal(undefined), b: z.string() }), [{ b: "x" }, { a: undefined, b: "x" }]],
    [z.object({ a: z.string().optional().nullable() }), [{}, { a: undefined }, { a: null }]],
  ];
  const stats = { schemas: 0, compiled: 0, compiledJson: 0, pairs: 0, fastYes: 0, jsonYes: 0 };
  for (const [s, inputs] of cases) runOne(JSON.stringify(s._zod.def.type), s, inputs, stats);
  const out = compile(z.object({ a: z.string().optional().nullable() }))({});
  assert.equal(Object.hasOwn(out, "a"), false);
});

test("recursive schemas load: the compilers give up (Zod validates them)", () => {
  const Node = z.object({
    name: z.string(),
    get children() {
      return z.array(Node).optional();
    },
  });
  assert.equal(compile(Node), null);
  assert.equal(compileJson(Node), null);
  // a deep (non-recursive) schema does not throw either
  let deep = z.string();
  for (let i = 0; i < 5000; i++) deep = z.object({ a: deep });
  assert.equal(compile(deep), null);
  assert.equal(compileJson(deep), null);
  // a shape getter that throws
  const bad = z.object({
    get a() {
      throw new Error("boom");
    },
  });
  assert.equal(compile(bad), null);
});

test("plain schemas still compile (the fast path is kept for them)", () => {
  const Color = enumRed;
  for (const s of [
    z.object({ name: z.string().optional() }),
    z.object({ title: z.string().min(1).max(200), done: z.boolean().optional() }),
    z.object({ a: z.array(z.object({ n: z.number().min(0).max(10), s: z.enum(["x", "y"]) })).min(1).max(3), l: z.literal("k").nullable() }),
    z.object({ email: z.email(), id: z.uuid(), at: z.iso.datetime(), n: z.int32(), u: z.uint32().optional(), c: z.enum(Color) }),
    z.strictObject({ a: z.string() }),
    z.object({ q: z.string().regex(/^[a-z]+$/), p: z.number().int().min(1).optional() }),
    z.object({ a: z.string().nullish(), b: z.number().multipleOf(5) }),
  ]) {
    assert.ok(compile(s), `compiles: ${JSON.stringify(Object.keys(s.shape))}`);
    assert.ok(compileJson(s), `JSON writer compiles: ${JSON.stringify(Object.keys(s.shape))}`);
  }
  // query strings: coercion is compiled for input (outputs with coercion go to Zod)
  assert.ok(compile(z.object({ page: z.coerce.number().int().min(1).optional(), q: z.coerce.string(), all: z.coerce.boolean() })));
  assert.ok(compile(z.looseObject({ a: z.string() })));
});
