// A fast path for plain Zod schemas. Zod's generic parse is the hot spot of a request in
// QuickJS (no JIT): for schemas made only of objects, strings, numbers, booleans, null,
// literals, enums, arrays, optional and nullable with length/range/int checks, we compile the
// schema once into a direct validator with the same result. Anything else (refine, transform,
// default, formats, coerce, unions, …) is not compiled and goes to Zod. A value the fast path
// rejects is always re-parsed by Zod, so error messages are Zod's own; test/fastcheck.test.mjs
// compares both on generated inputs.

export const FAIL: unique symbol = Symbol("fail");
export type Fast = (v: unknown) => unknown;

interface Def {
  type: string;
  coerce?: boolean;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  shape?: Record<string, { _zod: { def: Def } }>;
  catchall?: unknown;
  innerType?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  entries?: Record<string, unknown>;
  values?: unknown[];
}

interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
}

type Pred = (v: never) => boolean;

const HIGH_SURROGATE = /[\ud800-\udbff]/;

/** Zod measures strings in code points (a surrogate pair counts once) and arrays in elements. */
function lengthOf(v: string | unknown[]): number {
  if (typeof v !== "string" || !HIGH_SURROGATE.test(v)) return v.length;
  let n = v.length;
  for (let i = 0; i < v.length - 1; i++) {
    if ((v.charCodeAt(i) & 0xfc00) === 0xd800 && (v.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}

/** Length checks (strings and arrays), or `null` when a check is not one we know. */
function lengthChecks(def: Def): Pred[] | null {
  const out: Pred[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === "min_length") out.push((v: string | unknown[]) => lengthOf(v) >= d.minimum!);
    else if (d.check === "max_length") out.push((v: string | unknown[]) => lengthOf(v) <= d.maximum!);
    else if (d.check === "length_equals") out.push((v: string | unknown[]) => lengthOf(v) === d.length!);
    else return null;
  }
  return out;
}

function numberChecks(def: Def): Pred[] | null {
  const out: Pred[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === "greater_than") out.push(d.inclusive ? (v: number) => v >= d.value! : (v: number) => v > d.value!);
    else if (d.check === "less_than") out.push(d.inclusive ? (v: number) => v <= d.value! : (v: number) => v < d.value!);
    else if (d.check === "number_format" && d.format === "safeint") out.push((v: number) => Number.isSafeInteger(v));
    else return null;
  }
  return out;
}

// Plain indexed loops on the request path: `for…of` allocates an iterator per call in QuickJS.
const all = (preds: Pred[], v: unknown) => {
  for (let i = 0; i < preds.length; i++) if (!preds[i]!(v as never)) return false;
  return true;
};

/**
 * The fields of an object schema, each compiled with `each`; `null` when the object is not one
 * of Zod's default "strip" objects (strict/passthrough/catchall change the result) or a field
 * does not compile.
 */
function objectFields<F>(def: Def, each: (schema: unknown) => F | null): { keys: string[]; checks: F[]; optional: boolean[] } | null {
  if (def.catchall !== undefined || def.checks?.length) return null;
  const keys: string[] = [];
  const checks: F[] = [];
  const optional: boolean[] = [];
  for (const [key, child] of Object.entries(def.shape ?? {})) {
    const f = each(child);
    if (!f || key === "__proto__") return null;
    keys.push(key);
    checks.push(f);
    optional.push(child._zod.def.type === "optional");
  }
  return { keys, checks, optional };
}

/** A Zod schema's definition, or `null` for anything else and for coercing schemas. */
function defOf(schema: unknown): Def | null {
  const def = (schema as { _zod?: { def?: Def } } | null)?._zod?.def;
  return !def || def.coerce ? null : def;
}

/** Compiles `schema` (a Zod schema) into a fast validator, or returns `null`. */
export function compile(schema: unknown): Fast | null {
  const def = defOf(schema);
  if (!def) return null;
  switch (def.type) {
    case "string": {
      const cs = lengthChecks(def);
      return cs && ((v) => (typeof v === "string" && all(cs, v) ? v : FAIL));
    }
    case "number": {
      const cs = numberChecks(def);
      return cs && ((v) => (typeof v === "number" && Number.isFinite(v) && all(cs, v) ? v : FAIL));
    }
    case "boolean":
      return def.checks?.length ? null : (v) => (typeof v === "boolean" ? v : FAIL);
    case "null":
      return (v) => (v === null ? v : FAIL);
    case "literal": {
      const values = def.values ?? [];
      return (v) => (values.includes(v) ? v : FAIL);
    }
    case "enum": {
      const values = Object.values(def.entries ?? {});
      return (v) => (values.includes(v) ? v : FAIL);
    }
    case "optional": {
      const inner = compile(def.innerType);
      return inner && ((v) => (v === undefined ? undefined : inner(v)));
    }
    case "nullable": {
      const inner = compile(def.innerType);
      return inner && ((v) => (v === null ? null : inner(v)));
    }
    case "array": {
      const el = compile(def.element);
      const cs = lengthChecks(def);
      if (!el || !cs) return null;
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
      const fields = objectFields(def, compile);
      if (!fields) return null;
      const { keys, checks, optional } = fields;
      const n = keys.length;
      return (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return FAIL;
        const src = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = keys[i]!;
          const x = src[key];
          if (x === undefined && optional[i] && !(key in src)) continue;
          const r = checks[i]!(x);
          if (r === FAIL) return FAIL;
          out[key] = r;
        }
        return out;
      };
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Output: validate and write JSON in one pass (what fast-json-stringify does for Fastify).
// `JSON.stringify` in QuickJS looks up `toJSON` and lists the keys of every object; with the
// schema known, the keys and their order are known. The result is exactly
// `JSON.stringify(schema.parse(v))` (test/fastcheck.test.mjs compares them).

/** A field that `JSON.stringify` leaves out (an optional value that is `undefined`). */
export const OMIT: unique symbol = Symbol("omit");
export type FastJson = (v: unknown) => string | typeof FAIL | typeof OMIT;

// `JSON.stringify` of a lone string is the cheapest quoting in QuickJS (a RegExp test to skip
// it costs more: `test` builds a match array; so does a `charCodeAt` loop).
const quote = (s: string) => JSON.stringify(s);

/** Compiles `schema` into a validating JSON writer, or returns `null` (then: Zod + JSON.stringify). */
export function compileJson(schema: unknown): FastJson | null {
  const def = defOf(schema);
  if (!def) return null;
  switch (def.type) {
    case "string": {
      const cs = lengthChecks(def);
      return cs && ((v) => (typeof v === "string" && all(cs, v) ? quote(v) : FAIL));
    }
    case "number": {
      const cs = numberChecks(def);
      return cs && ((v) => (typeof v === "number" && Number.isFinite(v) && all(cs, v) ? String(v) : FAIL));
    }
    case "boolean":
      return def.checks?.length ? null : (v) => (v === true ? "true" : v === false ? "false" : FAIL);
    case "null":
      return (v) => (v === null ? "null" : FAIL);
    case "literal":
    case "enum": {
      const values = def.type === "literal" ? (def.values ?? []) : Object.values(def.entries ?? {});
      if (!values.every((x) => x === null || typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x)))) return null;
      const json = values.map((x) => JSON.stringify(x));
      return (v) => {
        const i = values.indexOf(v);
        return i < 0 ? FAIL : json[i]!;
      };
    }
    case "optional": {
      const inner = compileJson(def.innerType);
      return inner && ((v) => (v === undefined ? OMIT : inner(v)));
    }
    case "nullable": {
      const inner = compileJson(def.innerType);
      return inner && ((v) => (v === null ? "null" : inner(v)));
    }
    case "array": {
      const el = compileJson(def.element);
      const cs = lengthChecks(def);
      if (!el || !cs) return null;
      return (v) => {
        if (!Array.isArray(v) || !all(cs, v)) return FAIL;
        let s = "[";
        for (let i = 0; i < v.length; i++) {
          const r = el(v[i]);
          if (r === FAIL) return FAIL;
          s += (i === 0 ? "" : ",") + (r === OMIT ? "null" : r);
        }
        return s + "]";
      };
    }
    case "object": {
      const fields = objectFields(def, compileJson);
      if (!fields) return null;
      const { keys, checks, optional } = fields;
      const prefixes = keys.map((key) => JSON.stringify(key) + ":");
      const n = keys.length;
      return (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return FAIL;
        const src = v as Record<string, unknown>;
        let s = "{";
        let first = true;
        for (let i = 0; i < n; i++) {
          const key = keys[i]!;
          const x = src[key];
          if (x === undefined && optional[i] && !(key in src)) continue;
          const r = checks[i]!(x);
          if (r === FAIL) return FAIL;
          if (r === OMIT) continue;
          s += (first ? "" : ",") + prefixes[i] + r;
          first = false;
        }
        return s + "}";
      };
    }
    default:
      return null;
  }
}
