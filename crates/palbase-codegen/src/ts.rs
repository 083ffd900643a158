//! `palbase codegen ts`: one `client.ts` with a type per request, response and error, and a
//! `PalbaseClient` class with a method per operation. Calls resolve to
//! `{ data, error, status }`; `error` is a union told apart by `type`: the endpoint's declared
//! errors by name, then the runtime's (`invalidRequest`, `unauthorized`, …, `network`).

use std::fmt::Write;

use serde_json::Value;

use crate::model::{Api, Operation, PathPart, camel, pascal, path_parts};

/// A TypeScript type for a JSON Schema.
pub fn ts_type(s: &Value) -> String {
    let Some(o) = s.as_object() else {
        return if s.as_bool() == Some(false) { "never".into() } else { "unknown".into() };
    };
    if let Some(r) = o.get("$ref").and_then(Value::as_str) {
        return r.strip_prefix("#/components/schemas/").map_or("unknown".into(), type_name);
    }
    if let Some(c) = o.get("const") {
        return c.to_string();
    }
    if let Some(e) = o.get("enum").and_then(Value::as_array) {
        return e.iter().map(Value::to_string).collect::<Vec<_>>().join(" | ");
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(all) = o.get(key).and_then(Value::as_array) {
            return union(all.iter().map(ts_type));
        }
    }
    if let Some(all) = o.get("allOf").and_then(Value::as_array) {
        return all.iter().map(|s| format!("({})", ts_type(s))).collect::<Vec<_>>().join(" & ");
    }
    match o.get("type") {
        Some(Value::Array(types)) => union(types.iter().filter_map(Value::as_str).map(|t| of_type(t, o))),
        Some(Value::String(t)) => of_type(t, o),
        _ => "unknown".into(),
    }
}

fn union(members: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for m in members {
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    if seen.is_empty() { "never".into() } else { seen.join(" | ") }
}

fn of_type(t: &str, o: &serde_json::Map<String, Value>) -> String {
    match t {
        "string" => "string".into(),
        "number" | "integer" => "number".into(),
        "boolean" => "boolean".into(),
        "null" => "null".into(),
        "array" => {
            if let Some(prefix) = o.get("prefixItems").and_then(Value::as_array) {
                return format!("[{}]", prefix.iter().map(ts_type).collect::<Vec<_>>().join(", "));
            }
            let item = o.get("items").map_or("unknown".into(), ts_type);
            format!("Array<{item}>")
        }
        "object" => object(o),
        _ => "unknown".into(),
    }
}

fn object(o: &serde_json::Map<String, Value>) -> String {
    let required: Vec<&str> = o.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let props = o.get("properties").and_then(Value::as_object);
    let extra = match o.get("additionalProperties") {
        Some(Value::Bool(false)) => None,
        Some(s @ Value::Object(_)) => Some(ts_type(s)),
        _ if props.is_none() => Some("unknown".into()),
        _ => None,
    };
    let mut fields: Vec<String> = props
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let opt = if required.contains(&k.as_str()) { "" } else { "?" };
            format!("{}{opt}: {}", prop_name(k), ts_type(v))
        })
        .collect();
    if let Some(t) = extra {
        if fields.is_empty() {
            return format!("Record<string, {t}>");
        }
        fields.push(format!("[key: string]: {t} | undefined"));
    }
    if fields.is_empty() { "Record<string, never>".into() } else { format!("{{ {} }}", fields.join("; ")) }
}

fn prop_name(k: &str) -> String {
    let ident = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$') && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident { k.to_string() } else { Value::String(k.to_string()).to_string() }
}

/// A component's type name: the component name with anything not an identifier removed.
pub fn type_name(component: &str) -> String {
    let n: String = component.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    if n.starts_with(|c: char| c.is_ascii_digit()) { format!("_{n}") } else { n }
}

const RUNTIME: &str = r#"/** The Palbase error envelope. */
export interface ErrorEnvelope {
  error: string;
  error_description: string;
  status: number;
  request_id: string;
  data?: unknown;
}

/** One problem with the request input (Zod's issue shape). */
export interface Issue {
  code: string;
  path: Array<string | number>;
  message: string;
}

/** What the runtime itself can answer on any endpoint, and a failed request. */
export type RuntimeError =
  | { type: "invalidRequest"; status: 400; issues: Issue[]; envelope: ErrorEnvelope }
  | { type: "unauthorized"; status: 401; envelope: ErrorEnvelope }
  | { type: "forbidden"; status: 403; envelope: ErrorEnvelope }
  | { type: "notFound"; status: 404; envelope: ErrorEnvelope }
  | { type: "rateLimited"; status: 429; retryAfter: number | null; envelope: ErrorEnvelope }
  | { type: "server"; status: number; code: string; envelope: ErrorEnvelope | null }
  | { type: "other"; status: number; code: string; envelope: ErrorEnvelope | null }
  | { type: "network"; status: 0; cause: unknown };

/** A call's outcome: `data` on success, else `error` (the endpoint's declared errors, then the runtime's). */
export type Result<T, E> = { data: T; error: null; status: number } | { data: null; error: E | RuntimeError; status: number };

export interface ClientOptions {
  /** The server, e.g. `http://127.0.0.1:4003`. */
  baseUrl: string;
  /** A bearer token (or a function returning one) sent as `Authorization: Bearer …`. */
  token?: string | null | (() => string | null | undefined | Promise<string | null | undefined>);
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

type Declared = ReadonlyArray<readonly [status: number, code: string, type: string, hasData: boolean]>;

interface Call {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  file?: Blob | null;
  declared: Declared;
}

function runtimeError(status: number, envelope: ErrorEnvelope | null, headers: Headers): RuntimeError {
  const code = envelope?.error ?? "";
  if (envelope && code === "invalid_request") return { type: "invalidRequest", status: 400, issues: ((envelope.data as { issues?: Issue[] } | undefined)?.issues ?? []), envelope };
  if (envelope && status === 401) return { type: "unauthorized", status: 401, envelope };
  if (envelope && status === 403) return { type: "forbidden", status: 403, envelope };
  if (envelope && status === 404) return { type: "notFound", status: 404, envelope };
  if (envelope && status === 429) {
    const after = Number(headers.get("retry-after"));
    return { type: "rateLimited", status: 429, retryAfter: Number.isFinite(after) && headers.has("retry-after") ? after : null, envelope };
  }
  return status >= 500 ? { type: "server", status, code, envelope } : { type: "other", status, code, envelope };
}

class Base {
  constructor(protected readonly options: ClientOptions) {}

  protected async call<T, E>(c: Call, init?: RequestOptions): Promise<Result<T, E>> {
    const url = new URL(c.path, this.options.baseUrl);
    for (const [k, v] of Object.entries(c.query ?? {})) {
      if (v !== undefined && v !== null) url.searchParams.set(k, typeof v === "string" ? v : JSON.stringify(v));
    }
    const headers: Record<string, string> = { accept: "application/json", ...this.options.headers, ...init?.headers };
    const t = typeof this.options.token === "function" ? await this.options.token() : this.options.token;
    if (t) headers.authorization = `Bearer ${t}`;
    let body: BodyInit | undefined;
    if (c.file) {
      const form = new FormData();
      for (const [k, v] of Object.entries((c.body ?? {}) as Record<string, unknown>)) {
        if (v !== undefined && v !== null) form.set(k, typeof v === "string" ? v : JSON.stringify(v));
      }
      form.set("file", c.file);
      body = form;
    } else if (c.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(c.body);
    }
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(url, { method: c.method, headers, body, signal: init?.signal });
    } catch (cause) {
      return { data: null, error: { type: "network", status: 0, cause }, status: 0 };
    }
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text === "" ? null : JSON.parse(text);
    } catch (cause) {
      return { data: null, error: res.ok ? { type: "network", status: 0, cause } : runtimeError(res.status, null, res.headers), status: res.status };
    }
    if (res.ok) return { data: json as T, error: null, status: res.status };
    const envelope = json !== null && typeof json === "object" && typeof (json as ErrorEnvelope).error === "string" ? (json as ErrorEnvelope) : null;
    const declared = envelope && c.declared.find(([s, code]) => s === res.status && code === envelope.error);
    if (envelope && declared) {
      const [status, code, type, hasData] = declared;
      const e = hasData ? { type, status, code, data: envelope.data, envelope } : { type, status, code, envelope };
      return { data: null, error: e as E, status: res.status };
    }
    return { data: null, error: runtimeError(res.status, envelope, res.headers), status: res.status };
  }
}
"#;

fn path_expr(op: &Operation) -> String {
    let mut s = String::from("`");
    for part in path_parts(&op.path) {
        match part {
            PathPart::Literal(l) => s.push_str(l),
            PathPart::Param(name) => {
                let _ = write!(s, "${{encodeURIComponent(params.{})}}", prop_name(name));
            }
        }
    }
    s.push('`');
    s
}

/// The generated `client.ts`.
pub fn client(api: &Api) -> String {
    let mut out = format!("// Generated by `palbase codegen ts` from the OpenAPI document of {} {}. Do not edit.\n\n", api.title, api.version);
    out.push_str(RUNTIME);
    out.push('\n');
    for (name, schema) in api.referenced_components() {
        let _ = writeln!(out, "export type {} = {};", type_name(name), ts_type(schema));
    }
    let mut methods = String::new();
    for op in &api.operations {
        let p = pascal(&op.id);
        let _ = writeln!(out);
        // Input: the query (GET/DELETE) or the body.
        let (input, input_required) = if let Some(body) = &op.body {
            (Some(ts_type(body)), op.body_required)
        } else if !op.query.is_empty() {
            let fields: Vec<String> = op.query.iter().map(|q| format!("{}{}: {}", prop_name(&q.name), if q.required { "" } else { "?" }, ts_type(&q.schema))).collect();
            (Some(format!("{{ {} }}", fields.join("; "))), op.query.iter().any(|q| q.required))
        } else {
            (None, false)
        };
        if let Some(t) = &input {
            let _ = writeln!(out, "export type {p}Input = {t};");
        }
        let _ = writeln!(out, "export type {p}Output = {};", op.output.as_ref().map_or("unknown".into(), ts_type));
        let errors: Vec<String> = op
            .errors
            .iter()
            .map(|e| {
                let data = e.data.as_ref().map(|d| format!("; data: {}", ts_type(d))).unwrap_or_default();
                format!("{{ type: {:?}; status: {}; code: {:?}{data}; envelope: ErrorEnvelope }}", camel(&e.name), e.status, e.code)
            })
            .collect();
        let _ = writeln!(out, "export type {p}Error = {};", if errors.is_empty() { "never".into() } else { format!("\n  | {}", errors.join("\n  | ")) });

        let mut args = Vec::new();
        if !op.path_params.is_empty() {
            let fields: Vec<String> = op.path_params.iter().map(|n| format!("{}: string", prop_name(n))).collect();
            args.push(format!("params: {{ {} }}", fields.join("; ")));
        }
        if input.is_some() {
            args.push(format!("input{}: {p}Input", if input_required { "" } else { "?" }));
        }
        if op.multipart {
            args.push("file?: Blob | null".into());
        }
        args.push("init?: RequestOptions".into());
        let declared: Vec<String> = op.errors.iter().map(|e| format!("[{}, {:?}, {:?}, {}]", e.status, e.code, camel(&e.name), e.data.is_some())).collect();
        let mut call = format!("method: {:?}, path: {}, declared: [{}]", op.method, path_expr(op), declared.join(", "));
        if input.is_some() {
            call.push_str(if op.body.is_some() { ", body: input" } else { ", query: input" });
        } else if op.body.is_none() && op.multipart {
            call.push_str(", body: {}");
        }
        if op.multipart {
            call.push_str(", file");
        }
        let mut doc = vec![format!("`{} {}`", op.method, op.path)];
        if let Some(s) = &op.summary {
            doc.insert(0, s.clone());
        }
        if op.deprecated {
            doc.push("@deprecated".into());
        }
        let _ = writeln!(methods, "\n  /** {} */\n  {}({}): Promise<Result<{p}Output, {p}Error>> {{\n    return this.call({{ {call} }}, init);\n  }}", doc.join(" — "), camel(&op.id), args.join(", "));
    }
    let _ = write!(out, "\n/** A client of {} {}: one method per endpoint. */\nexport class PalbaseClient extends Base {{{methods}}}\n", api.title, api.version);
    out
}
