// What the OpenAPI document needs to know about each loaded endpoint, read from its
// `defineEndpoint` config: JSON Schemas of `input` (as a client sends it) and `output` (as the
// server answers), the declared errors, and the optional documentation fields. The Rust host
// (crate palbase-openapi) turns this into the document.

import { z } from "zod";
import { registeredEndpoints, type EndpointDef } from "./dispatch.js";

type Json = Record<string, unknown>;

interface DescribedError {
  name: string;
  status: number;
  code: string;
  description: string | null;
  data: Json | null;
}

interface Described {
  summary: string | null;
  description: string | null;
  tags: string[] | null;
  deprecated: boolean;
  input: Json | null;
  output: Json | null;
  errors: DescribedError[];
  readsFile: boolean;
  notes: string[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * A schema's JSON Schema (draft 2020-12, which OpenAPI 3.1 uses). What JSON Schema cannot say
 * (a transform's result, a date, a custom type) becomes the widest schema that still holds,
 * and a note says so; nothing here throws.
 */
function jsonSchema(schema: unknown, io: "input" | "output", where: string, notes: string[]): Json {
  const convert = (unrepresentable: "throw" | "any") => {
    const s = z.toJSONSchema(schema as z.ZodType, { target: "draft-2020-12", io, unrepresentable, cycles: "ref", reused: "inline" }) as Json;
    delete s.$schema;
    return s;
  };
  try {
    return convert("throw");
  } catch (e) {
    try {
      const s = convert("any");
      notes.push(`${where}: ${message(e)}; documented with the widest schema that holds`);
      return s;
    } catch (e2) {
      notes.push(`${where}: cannot be described in JSON Schema (${message(e2)}); documented as any value`);
      return {};
    }
  }
}

// Whether the handler reads `req.file` (then the body may also be multipart).
const READS_FILE = /\.file\b|[{,]\s*file\s*[,}:]/;

function describe(def: EndpointDef): Described {
  const notes: string[] = [];
  const errors = Object.entries(def.errors ?? {}).map(([name, e]) => ({
    name,
    status: e.status,
    code: e.code,
    description: e.description ?? null,
    data: e.data === undefined ? null : jsonSchema(e.data, "output", `errors.${name}.data`, notes),
  }));
  return {
    summary: typeof def.summary === "string" ? def.summary : null,
    description: typeof def.description === "string" ? def.description : null,
    tags: Array.isArray(def.tags) ? def.tags.map(String) : null,
    deprecated: def.deprecated === true,
    input: def.input === undefined ? null : jsonSchema(def.input, "input", "input", notes),
    output: def.output === undefined ? null : jsonSchema(def.output, "output", "output", notes),
    errors,
    readsFile: typeof def.handler === "function" && READS_FILE.test(String(def.handler)),
    notes,
  };
}

/** Every registered endpoint, by route index, as JSON. */
export function __pb_describe(): string {
  return JSON.stringify(registeredEndpoints().map((def) => (def ? describe(def) : null)));
}
