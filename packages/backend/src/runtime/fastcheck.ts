// A fast path for plain Zod schemas. Zod's generic parse is the hot spot of a request in
// QuickJS (no JIT): for schemas made only of what this file implements, we compile the schema
// once into a direct validator whose result is exactly Zod's (success or failure, and the parsed
// value including which keys are present). A value the fast path rejects is always re-parsed by
// Zod, so error messages are Zod's own.
//
// The compiler works from an ALLOW LIST. A schema node is compiled only when
//   - its set of Zod core traits ($ZodString, $ZodEmail, $ZodOptional, …) is one listed in KINDS
//     (the traits name the code Zod runs for it, so e.g. `exactOptional()`, whose definition looks
//     like `optional()`'s, is told apart),
//   - every field of its definition is one the compiler reads (or is `undefined`), and
//   - every check in `def.checks` is one listed in CHECKS, with only known fields and the
//     default `when`.
// Anything else (refine, transform, default, catch, unions, URL/base64/IPv6 formats, lazy,
// recursive schemas, …) makes the whole schema go to Zod: never to a looser check. The compiler
// never throws (`compile`/`compileJson` return `null` instead). test/fastcheck*.test.mjs compare
// both paths on generated schemas and inputs.

import { util as zodUtil } from "zod/v4/core";

export const FAIL: unique symbol = Symbol("fail");
export type Fast = (v: unknown) => unknown;

interface Internals {
  def: Record<string, unknown> & { type: string };
  traits: Set<string>;
  constr?: new (def: unknown) => { _zod: Internals };
  values?: unknown;
  optin?: string;
  optout?: string;
}

type Pred = (v: never) => boolean;

// Plain indexed loops on the request path: `for…of` allocates an iterator per call in QuickJS.
const all = (preds: Pred[], v: unknown) => {
  for (let i = 0; i < preds.length; i++) if (!preds[i]!(v as never)) return false;
  return true;
};

/** A schema's (or check's) Zod internals, or `null`. */
function internals(schema: unknown): Internals | null {
  const z = (schema as { _zod?: Internals } | null | undefined)?._zod;
  if (typeof z !== "object" || z === null) return null;
  const def = z.def;
  if (typeof def !== "object" || def === null || !(z.traits instanceof Set)) return null;
  return z;
}

/** The sorted core traits ("$Zod…") of a schema or check: which of Zod's constructors built it. */
function traitKey(z: Internals): string {
  const t: string[] = [];
  z.traits.forEach((name) => {
    if (name.charCodeAt(0) === 36 /* $ */) t.push(name);
  });
  return t.sort().join(",");
}

const key = (...traits: string[]) => [...traits].sort().join(",");

// Schema kinds by core traits.
const KINDS: Record<string, string> = {
  [key("$ZodType", "$ZodString")]: "string",
  [key("$ZodType", "$ZodNumber")]: "number",
  [key("$ZodType", "$ZodNumber", "$ZodNumberFormat", "$ZodCheck", "$ZodCheckNumberFormat")]: "numberFormat",
  [key("$ZodType", "$ZodBoolean")]: "boolean",
  [key("$ZodType", "$ZodNull")]: "null",
  [key("$ZodType", "$ZodUndefined")]: "undefined",
  [key("$ZodType", "$ZodLiteral")]: "literal",
  [key("$ZodType", "$ZodEnum")]: "enum",
  [key("$ZodType", "$ZodOptional")]: "optional",
  [key("$ZodType", "$ZodOptional", "$ZodExactOptional")]: "exactOptional",
  [key("$ZodType", "$ZodNullable")]: "nullable",
  [key("$ZodType", "$ZodArray")]: "array",
  [key("$ZodType", "$ZodObject")]: "object",
  [key("$ZodType", "$ZodObject", "$ZodObjectJIT")]: "object",
  [key("$ZodType", "$ZodAny")]: "any",
  [key("$ZodType", "$ZodUnknown")]: "any",
  [key("$ZodType", "$ZodNever")]: "never",
};

// String formats whose whole check is Zod's default `$ZodCheckStringFormat` one: `def.pattern`
// tested with `lastIndex = 0` (their constructors only choose the pattern). Formats whose
// constructors install a check of their own (URL, IPv6, CIDRv6, base64, base64url, JWT, credit
// card, IBAN, custom formats such as hostname) are not listed, so they go to Zod.
const PATTERN_FORMATS = ["$ZodGUID", "$ZodUUID", "$ZodEmail", "$ZodEmoji", "$ZodNanoID", "$ZodCUID", "$ZodCUID2", "$ZodULID", "$ZodXID", "$ZodKSUID", "$ZodISODateTime", "$ZodISODate", "$ZodISOTime", "$ZodISODuration", "$ZodIPv4", "$ZodMAC", "$ZodCIDRv4", "$ZodE164"];
for (const f of PATTERN_FORMATS) KINDS[key("$ZodType", "$ZodString", "$ZodStringFormat", "$ZodCheck", "$ZodCheckStringFormat", f)] = "stringFormat";

// Definition fields each kind reads. `type`, `error` (messages only: failures are re-parsed by
// Zod) and `checks` (compiled one by one) are allowed everywhere; any other field must be listed
// here or be `undefined`.
const FORMAT_FIELDS = ["coerce", "format", "check", "abort", "pattern", "version", "offset", "local", "precision", "length", "delimiter"];
const FIELDS: Record<string, string[]> = {
  string: ["coerce"],
  stringFormat: FORMAT_FIELDS, // the extra fields only choose the pattern, which is read
  number: ["coerce"],
  numberFormat: ["coerce", "format", "check", "abort"],
  boolean: ["coerce"],
  null: [],
  undefined: [],
  literal: ["values"],
  enum: ["entries"],
  optional: ["innerType"],
  exactOptional: ["innerType"],
  nullable: ["innerType"],
  array: ["element"],
  object: ["shape", "catchall"],
  any: [],
  never: [],
};

function onlyFields(def: Record<string, unknown>, allowed: string[]): boolean {
  const keys = Reflect.ownKeys(def);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k === "type" || k === "error" || k === "checks") continue;
    if (typeof k !== "string" || !allowed.includes(k)) {
      if (def[k as string] !== undefined) return false;
    }
  }
  return true;
}

/** A schema node that passed the allow list: its kind and internals. */
interface Node {
  kind: string;
  z: Internals;
  def: Record<string, unknown> & { type: string };
}

function nodeOf(schema: unknown): Node | null {
  const z = internals(schema);
  if (!z) return null;
  const kind = KINDS[traitKey(z)];
  if (kind === undefined || !onlyFields(z.def, FIELDS[kind]!)) return null;
  const checks = z.def.checks;
  if (checks !== undefined && !Array.isArray(checks)) return null;
  return { kind, z, def: z.def };
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Zod measures strings in code points (a surrogate pair counts once); `util.codePointLength`. */
const HIGH_SURROGATE = /[\ud800-\udbff]/;
function codePoints(s: string): number {
  const units = s.length;
  if (!HIGH_SURROGATE.test(s)) return units;
  let n = units;
  for (let i = 0; i < units - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}

// The `when` Zod's length checks get by default (run on any value with a `length`: every string
// and array). A check with any other `when` may be skipped by Zod, so it is not compiled.
const defaultWhen = new Map<unknown, unknown>();
function hasDefaultWhen(c: Internals): boolean {
  const when = c.def.when;
  if (when === undefined) return true;
  const C = c.constr;
  if (typeof C !== "function") return false;
  let w = defaultWhen.get(C);
  if (w === undefined) {
    w = new C({ check: c.def.check, minimum: 0, maximum: 0, length: 0 })._zod.def.when;
    defaultWhen.set(C, w);
  }
  return when === w;
}

const isNum = (x: unknown): x is number => typeof x === "number";

/** A string format check (`def.pattern` tested as Zod's `$ZodCheckStringFormat` does). */
function patternPred(def: Record<string, unknown>): Pred | null {
  const p = def.pattern;
  if (!(p instanceof RegExp)) return null;
  return (v: string) => {
    p.lastIndex = 0;
    return p.test(v);
  };
}

/** The predicate of one entry of `def.checks`, for values of `base` ("string" | "array" | "number"). */
function checkPred(check: unknown, base: string): Pred | null {
  const c = internals(check);
  if (!c) return null;
  const d = c.def;
  const t = traitKey(c);
  const only = (fields: string[]) => onlyFields(d, fields) && (d.checks === undefined || (Array.isArray(d.checks) && d.checks.length === 0));
  if (base === "string" || base === "array") {
    const str = base === "string";
    if (t === key("$ZodCheck", "$ZodCheckMinLength")) {
      const m = d.minimum;
      if (!isNum(m) || !only(["check", "minimum", "when", "abort"]) || !hasDefaultWhen(c)) return null;
      return str ? (v: string) => (v.length >= m && v.length < m * 2 ? codePoints(v) : v.length) >= m : (v: unknown[]) => v.length >= m;
    }
    if (t === key("$ZodCheck", "$ZodCheckMaxLength")) {
      const m = d.maximum;
      if (!isNum(m) || !only(["check", "maximum", "when", "abort"]) || !hasDefaultWhen(c)) return null;
      return str ? (v: string) => (v.length > m ? codePoints(v) : v.length) <= m : (v: unknown[]) => v.length <= m;
    }
    if (t === key("$ZodCheck", "$ZodCheckLengthEquals")) {
      const n = d.length;
      if (!isNum(n) || !only(["check", "length", "when", "abort"]) || !hasDefaultWhen(c)) return null;
      return str ? (v: string) => (v.length >= n && v.length <= n * 2 ? codePoints(v) : v.length) === n : (v: unknown[]) => v.length === n;
    }
    if (!str) return null;
    // Checks made of a format schema (`z.string().email()`), or a plain pattern check.
    const formatKind = KINDS[t];
    if (formatKind === "stringFormat") {
      if (d.when !== undefined || !only(FORMAT_FIELDS) || d.coerce !== undefined) return null;
      return patternPred(d);
    }
    if (t === key("$ZodCheck", "$ZodCheckStringFormat", "$ZodCheckRegex") || t === key("$ZodCheck", "$ZodCheckStringFormat", "$ZodCheckLowerCase") || t === key("$ZodCheck", "$ZodCheckStringFormat", "$ZodCheckUpperCase")) {
      if (!only(["check", "format", "pattern", "abort"])) return null;
      return patternPred(d);
    }
    if (t === key("$ZodCheck", "$ZodCheckIncludes")) {
      const inc = d.includes;
      const pos = d.position;
      if (typeof inc !== "string" || (pos !== undefined && !isNum(pos)) || !only(["check", "format", "includes", "position", "pattern", "abort"])) return null;
      return (v: string) => v.includes(inc, pos);
    }
    if (t === key("$ZodCheck", "$ZodCheckStartsWith")) {
      const pre = d.prefix;
      if (typeof pre !== "string" || !only(["check", "format", "prefix", "pattern", "abort"])) return null;
      return (v: string) => v.startsWith(pre);
    }
    if (t === key("$ZodCheck", "$ZodCheckEndsWith")) {
      const suf = d.suffix;
      if (typeof suf !== "string" || !only(["check", "format", "suffix", "pattern", "abort"])) return null;
      return (v: string) => v.endsWith(suf);
    }
    return null;
  }
  // numbers
  if (t === key("$ZodCheck", "$ZodCheckGreaterThan") || t === key("$ZodCheck", "$ZodCheckLessThan")) {
    const x = d.value;
    if (!isNum(x) || !only(["check", "value", "inclusive", "abort"])) return null;
    const gt = t.includes("GreaterThan");
    if (gt) return d.inclusive ? (v: number) => v >= x : (v: number) => v > x;
    return d.inclusive ? (v: number) => v <= x : (v: number) => v < x;
  }
  if (t === key("$ZodCheck", "$ZodCheckMultipleOf")) {
    const step = d.value;
    if (!isNum(step) || !only(["check", "value", "abort"])) return null;
    const rem = zodUtil.floatSafeRemainder;
    return (v: number) => rem(v, step) === 0;
  }
  if (KINDS[t] === "numberFormat") {
    // `z.number().int()`: a number-format schema used as a check (only its format check runs)
    if (d.when !== undefined || !only(["check", "format", "abort"])) return null;
    return numberFormatPred(d);
  }
  return null;
}

/** Zod's `$ZodCheckNumberFormat`: integers must be safe integers; every format has a range. */
function numberFormatPred(def: Record<string, unknown>): Pred | null {
  const format = (def.format || "float64") as string;
  const ranges = zodUtil.NUMBER_FORMAT_RANGES as Record<string, [number, number]>;
  if (typeof format !== "string" || !Object.prototype.hasOwnProperty.call(ranges, format)) return null;
  const [min, max] = ranges[format]!;
  if (format.includes("int")) return (v: number) => Number.isSafeInteger(v) && v >= min && v <= max;
  return (v: number) => v >= min && v <= max;
}

function checkPreds(node: Node, base: string): Pred[] | null {
  const out: Pred[] = [];
  if (node.kind === "stringFormat") {
    // the schema is itself a check (run first), then `def.checks`
    if (node.def.when !== undefined) return null;
    const p = patternPred(node.def);
    if (!p) return null;
    out.push(p);
  } else if (node.kind === "numberFormat") {
    if (node.def.when !== undefined) return null;
    const p = numberFormatPred(node.def);
    if (!p) return null;
    out.push(p);
  }
  const checks = (node.def.checks ?? []) as unknown[];
  for (let i = 0; i < checks.length; i++) {
    const p = checkPred(checks[i], base);
    if (!p) return null;
    out.push(p);
  }
  return out;
}

const noChecks = (node: Node) => !(node.def.checks as unknown[] | undefined)?.length;

// ---------------------------------------------------------------------------------------------
// Objects: the fields, with how Zod treats an absent key (its `handlePropertyResult`, from the
// field schema's own `optin`/`optout`).

interface Fields<F> {
  keys: string[];
  checks: F[];
  /** absent key: leave it out without running the field (optin and optout "optional") */
  skipAbsent: boolean[];
  /** absent key: the key is required (optin undefined) */
  required: boolean[];
  /** absent key: a failure is ignored (optin set, optout "optional") */
  swallow: boolean[];
  /** absent key: a result `undefined` is kept as an own key (optin "defaulted", optout not "optional") */
  keepUndefined: boolean[];
  catchall: F | null;
  /** the catchall is `z.never()` (strict object): any unknown key fails */
  strict: boolean;
  known: Record<string, true>;
}

function objectFields<F>(node: Node, each: (schema: unknown) => F | null, catchallOk: (n: Node) => boolean): Fields<F> | null {
  const def = node.def;
  if (!noChecks(node)) return null;
  const shape = def.shape as Record<string, unknown> | undefined;
  if (typeof shape !== "object" || shape === null || Object.getOwnPropertySymbols(shape).length) return null;
  const f: Fields<F> = { keys: [], checks: [], skipAbsent: [], required: [], swallow: [], keepUndefined: [], catchall: null, strict: false, known: Object.create(null) };
  const names = Object.keys(shape);
  for (let i = 0; i < names.length; i++) {
    const k = names[i]!;
    if (k === "__proto__") return null;
    const child = shape[k];
    const c = each(child);
    const z = internals(child);
    if (!c || !z) return null;
    const optin = z.optin;
    const optional = z.optout === "optional";
    if (optin !== undefined && optin !== "optional" && optin !== "defaulted") return null;
    f.keys.push(k);
    f.checks.push(c);
    f.skipAbsent.push(optional && optin === "optional");
    f.required.push(optin === undefined);
    f.swallow.push(optional && optin !== undefined);
    f.keepUndefined.push(optin === "defaulted" && !optional);
    f.known[k] = true;
  }
  if (def.catchall !== undefined) {
    const cn = nodeOf(def.catchall);
    if (!cn) return null;
    if (cn.kind === "never") {
      if (!noChecks(cn)) return null;
      f.strict = true;
    } else {
      if (!catchallOk(cn)) return null;
      const z = cn.z;
      // a catchall field is always present: its result is kept as is
      if (z.optin !== undefined || z.optout !== undefined) return null;
      const c = each(def.catchall);
      if (!c) return null;
      f.catchall = c;
    }
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Cycle detection: a schema reached again while compiling itself (a recursive schema written
// with getters, or anything else that closes a loop) makes the compiler give up.

class GiveUp {}
const GIVE_UP = new GiveUp();

function enter(stack: unknown[], schema: unknown) {
  if (stack.includes(schema) || stack.length > 64) throw GIVE_UP;
  stack.push(schema);
}

// ---------------------------------------------------------------------------------------------
// Input validators

/** Compiles `schema` (a Zod schema) into a fast validator, or returns `null` (then: Zod). */
export function compile(schema: unknown): Fast | null {
  try {
    return compileNode(schema, []);
  } catch {
    return null;
  }
}

function compileNode(schema: unknown, stack: unknown[]): Fast | null {
  enter(stack, schema);
  try {
    return compileInner(schema, stack);
  } finally {
    stack.pop();
  }
}

function compileInner(schema: unknown, stack: unknown[]): Fast | null {
  const node = nodeOf(schema);
  if (!node) return null;
  const def = node.def;
  const coerce = def.coerce === true;
  if (def.coerce !== undefined && def.coerce !== false && def.coerce !== true) return null;
  switch (node.kind) {
    case "string":
    case "stringFormat": {
      const cs = checkPreds(node, "string");
      if (!cs) return null;
      if (coerce) {
        return plannedIn((v) => {
          let s: unknown = v;
          try {
            s = String(v);
          } catch {
            return FAIL;
          }
          return typeof s === "string" && all(cs, s) ? s : FAIL;
        }, cs.length === 0 ? { t: "string" } : null);
      }
      return plannedIn((v) => (typeof v === "string" && all(cs, v) ? v : FAIL), cs.length === 0 ? { t: "string" } : null);
    }
    case "number":
    case "numberFormat": {
      const cs = checkPreds(node, "number");
      if (!cs) return null;
      if (coerce) {
        return (v) => {
          let n: unknown = v;
          try {
            n = Number(v);
          } catch {
            return FAIL;
          }
          return typeof n === "number" && Number.isFinite(n) && all(cs, n) ? n : FAIL;
        };
      }
      return (v) => (typeof v === "number" && Number.isFinite(v) && all(cs, v) ? v : FAIL);
    }
    case "boolean":
      if (!noChecks(node)) return null;
      return coerce ? (v) => Boolean(v) : (v) => (typeof v === "boolean" ? v : FAIL);
    case "null":
      return noChecks(node) ? (v) => (v === null ? v : FAIL) : null;
    case "undefined":
      return noChecks(node) ? (v) => (v === undefined ? v : FAIL) : null;
    case "any":
      return noChecks(node) ? (v) => v : null;
    case "never":
      return noChecks(node) ? () => FAIL : null;
    case "literal":
    case "enum": {
      // the very Set Zod's parse tests (`_zod.values`)
      const values = node.z.values;
      if (!(values instanceof Set) || !noChecks(node)) return null;
      const listed = [...values];
      const strings = listed.filter((x) => typeof x === "string");
      const undef = listed.includes(undefined);
      return plannedIn((v) => (values.has(v) ? v : FAIL), { t: "literal", v: strings, j: [], undef });
    }
    case "optional": {
      if (!noChecks(node)) return null;
      const innerZ = internals(def.innerType);
      if (!innerZ || innerZ.optin === "defaulted") return null;
      const inner = compileNode(def.innerType, stack);
      const of = planOf(inner);
      return inner && plannedIn((v) => (v === undefined ? undefined : inner(v)), of && { t: "optional", of });
    }
    case "exactOptional":
      return noChecks(node) ? compileNode(def.innerType, stack) : null;
    case "nullable": {
      if (!noChecks(node)) return null;
      const inner = compileNode(def.innerType, stack);
      const of = planOf(inner);
      return inner && plannedIn((v) => (v === null ? null : inner(v)), of && { t: "nullable", of });
    }
    case "array": {
      const el = compileNode(def.element, stack);
      const cs = checkPreds(node, "array");
      if (!el || !cs) return null;
      // Zod checks the length after the elements; either order gives the same result.
      return (v) => {
        if (!Array.isArray(v) || !all(cs, v)) return FAIL;
        const out = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const r = el(v[i]);
          if (r === FAIL) return FAIL;
          out[i] = r;
        }
        return out;
      };
    }
    case "object": {
      const f = objectFields(node, (s) => compileNode(s, stack), () => true);
      if (!f) return null;
      const { keys, checks, skipAbsent, required, swallow, keepUndefined, catchall, strict, known } = f;
      const n = keys.length;
      // Only plain objects: no catchall, no strictness, no kept `undefined`, no key that a query
      // object inherits (`"toString" in {}`).
      let plan: Plan | null = strict || catchall !== null ? null : { t: "object", f: [] };
      for (let i = 0; plan && i < n; i++) {
        const of = planOf(checks[i]!);
        if (!of || keepUndefined[i] || keys[i]! in Object.prototype) plan = null;
        else plan.f.push([keys[i]!, of, skipAbsent[i] ? 0 : required[i] ? 1 : swallow[i] ? 2 : 3]);
      }
      return plannedIn((v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return FAIL;
        const src = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = keys[i]!;
          const x = src[key];
          if (x === undefined && !(key in src)) {
            // absent
            if (skipAbsent[i]) continue;
            if (required[i]) return FAIL;
            const r = checks[i]!(undefined);
            if (r === FAIL) {
              if (swallow[i]) continue;
              return FAIL;
            }
            if (r !== undefined || keepUndefined[i]) out[key] = r;
            continue;
          }
          const r = checks[i]!(x);
          if (r === FAIL) return FAIL;
          out[key] = r;
        }
        if (strict) {
          for (const k in src) if (known[k] !== true) return FAIL;
        } else if (catchall !== null) {
          for (const k in src) {
            if (known[k] === true || k === "__proto__") continue;
            const r = catchall(src[k]);
            if (r === FAIL) return FAIL;
            out[k] = r;
          }
        }
        return out;
      }, plan);
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Output: validate and write JSON in one pass (what fast-json-stringify does for Fastify).
// `JSON.stringify` in QuickJS looks up `toJSON` and lists the keys of every object; with the
// schema known, the keys and their order are known. The result is exactly
// `JSON.stringify(schema.parse(v))` (test/fastcheck*.test.mjs compare them).

/** A value that `JSON.stringify` leaves out of an object (the parsed value is `undefined`). */
export const OMIT: unique symbol = Symbol("omit");
export type FastJson = (v: unknown) => string | typeof FAIL | typeof OMIT;

// `JSON.stringify` of a lone string is the cheapest quoting in QuickJS (a RegExp test to skip
// it costs more: `test` builds a match array; so does a `charCodeAt` loop).
const quote = (s: string) => JSON.stringify(s);

/**
 * What the host's own writer needs to do what a compiled writer does, for the subset of schemas
 * it implements (crates/palbase-engine/src/output.rs): sent to Rust as JSON when an endpoint
 * registers. A writer whose schema uses anything else has no plan, and then JavaScript writes.
 * Object fields are `[key, plan, absent]`, `absent` saying what an absent key does: 0 leaves it
 * out, 1 fails, 2 runs the field on `undefined`, leaving the key out if that fails, 3 runs it and
 * fails with it.
 */
export type Plan =
  | { t: "string" | "number" | "safeint" | "boolean" | "null" | "undefined" | "never" }
  | { t: "literal"; v: (string | number | boolean | null)[]; j: string[]; undef: boolean }
  | { t: "optional" | "nullable" | "array"; of: Plan }
  | { t: "object"; f: [string, Plan, 0 | 1 | 2 | 3][] };

const plans = new WeakMap<FastJson, Plan>();

function planned(w: FastJson, plan: Plan | null | undefined): FastJson {
  if (plan) plans.set(w, plan);
  return w;
}

/** The plan of a compiled writer or validator (see `Plan`), or `null` when the host cannot do its work. */
export function planOf(w: FastJson | Fast | null): Plan | null {
  return (w && plans.get(w as FastJson)) ?? null;
}

/**
 * A compiled validator's plan, for the host's own validation of a query string
 * (crates/palbase-engine/src/input.rs): what the validator does to an object whose values are
 * all strings. Only what is exact for strings has one: `string` (coerced or not), literals and
 * enums (the host takes their string values), optional, nullable, and objects of those.
 */
function plannedIn(f: Fast, plan: Plan | null | undefined): Fast {
  if (plan) plans.set(f as unknown as FastJson, plan);
  return f;
}

/** Compiles `schema` into a validating JSON writer, or returns `null` (then: Zod + JSON.stringify). */
export function compileJson(schema: unknown): FastJson | null {
  try {
    return jsonNode(schema, []);
  } catch {
    return null;
  }
}

function jsonNode(schema: unknown, stack: unknown[]): FastJson | null {
  enter(stack, schema);
  try {
    return jsonInner(schema, stack);
  } finally {
    stack.pop();
  }
}

const jsonSafe = (x: unknown) => x === null || typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x));

function jsonInner(schema: unknown, stack: unknown[]): FastJson | null {
  const node = nodeOf(schema);
  if (!node) return null;
  const def = node.def;
  // Coercion on output is rare; Zod handles it.
  if (def.coerce !== undefined && def.coerce !== false) return null;
  switch (node.kind) {
    case "string":
    case "stringFormat": {
      const cs = checkPreds(node, "string");
      return cs && planned((v) => (typeof v === "string" && all(cs, v) ? quote(v) : FAIL), cs.length === 0 ? { t: "string" } : null);
    }
    case "number":
    case "numberFormat": {
      const cs = checkPreds(node, "number");
      // Plain `z.number()` and `z.int()` (the safe-integer format, no other check) have plans.
      const safeint = node.kind === "numberFormat" && node.def.format === "safeint" && noChecks(node);
      const plan: Plan | null = cs?.length === 0 && node.kind === "number" ? { t: "number" } : cs?.length === 1 && safeint ? { t: "safeint" } : null;
      return cs && planned((v) => (typeof v === "number" && Number.isFinite(v) && all(cs, v) ? String(v) : FAIL), plan);
    }
    case "boolean":
      return noChecks(node) ? planned((v) => (v === true ? "true" : v === false ? "false" : FAIL), { t: "boolean" }) : null;
    case "null":
      return noChecks(node) ? planned((v) => (v === null ? "null" : FAIL), { t: "null" }) : null;
    case "undefined":
      return noChecks(node) ? planned((v) => (v === undefined ? OMIT : FAIL), { t: "undefined" }) : null;
    case "never":
      return noChecks(node) ? planned(() => FAIL, { t: "never" }) : null;
    case "literal":
    case "enum": {
      const set = node.z.values;
      if (!(set instanceof Set) || !noChecks(node)) return null;
      const values: unknown[] = [];
      let undef = false;
      for (const x of set) {
        if (x === undefined) undef = true;
        else if (jsonSafe(x)) values.push(x);
        else return null;
      }
      const json = values.map((x) => JSON.stringify(x));
      // Numbers other than safe integers would cross as decimal text: no plan.
      const exact = values.every((x) => typeof x !== "number" || Number.isSafeInteger(x));
      const plan: Plan | null = exact ? { t: "literal", v: values as (string | number | boolean | null)[], j: json, undef } : null;
      return planned((v) => {
        if (v === undefined) return undef ? OMIT : FAIL;
        const i = values.indexOf(v);
        return i < 0 ? FAIL : json[i]!;
      }, plan);
    }
    case "optional": {
      if (!noChecks(node)) return null;
      const innerZ = internals(def.innerType);
      if (!innerZ || innerZ.optin === "defaulted") return null;
      const inner = jsonNode(def.innerType, stack);
      const of = planOf(inner);
      return inner && planned((v) => (v === undefined ? OMIT : inner(v)), of && { t: "optional", of });
    }
    case "exactOptional":
      return noChecks(node) ? jsonNode(def.innerType, stack) : null;
    case "nullable": {
      if (!noChecks(node)) return null;
      const inner = jsonNode(def.innerType, stack);
      const of = planOf(inner);
      return inner && planned((v) => (v === null ? "null" : inner(v)), of && { t: "nullable", of });
    }
    case "array": {
      const el = jsonNode(def.element, stack);
      const cs = checkPreds(node, "array");
      if (!el || !cs) return null;
      const of = planOf(el);
      return planned((v) => {
        if (!Array.isArray(v) || !all(cs, v)) return FAIL;
        let s = "[";
        for (let i = 0; i < v.length; i++) {
          const r = el(v[i]);
          if (r === FAIL) return FAIL;
          s += (i === 0 ? "" : ",") + (r === OMIT ? "null" : r);
        }
        return s + "]";
      }, of && cs.length === 0 ? { t: "array", of } : null);
    }
    case "object": {
      // `z.looseObject`/catchalls copy unknown values, whose JSON (`toJSON(key)`, …) is Zod's job.
      const f = objectFields(node, (s) => jsonNode(s, stack), () => false);
      if (!f) return null;
      const { keys, checks, skipAbsent, required, swallow, strict, known } = f;
      const prefixes = keys.map((key) => JSON.stringify(key) + ":");
      const n = keys.length;
      // A strict object lists its source's keys (`for…in`): left to JavaScript.
      let plan: Plan | null = strict ? null : { t: "object", f: [] };
      for (let i = 0; plan && i < n; i++) {
        const of = planOf(checks[i]!);
        if (!of) plan = null;
        else plan.f.push([keys[i]!, of, skipAbsent[i] ? 0 : required[i] ? 1 : swallow[i] ? 2 : 3]);
      }
      return planned((v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return FAIL;
        const src = v as Record<string, unknown>;
        let s = "{";
        let first = true;
        for (let i = 0; i < n; i++) {
          const key = keys[i]!;
          const x = src[key];
          let r: string | typeof FAIL | typeof OMIT;
          if (x === undefined && !(key in src)) {
            // absent
            if (skipAbsent[i]) continue;
            if (required[i]) return FAIL;
            r = checks[i]!(undefined);
            if (r === FAIL) {
              if (swallow[i]) continue;
              return FAIL;
            }
          } else {
            r = checks[i]!(x);
            if (r === FAIL) return FAIL;
          }
          if (r === OMIT) continue;
          s += (first ? "" : ",") + prefixes[i] + r;
          first = false;
        }
        if (strict) {
          for (const k in src) if (known[k] !== true) return FAIL;
        }
        return s + "}";
      }, plan);
    }
    default:
      return null;
  }
}
