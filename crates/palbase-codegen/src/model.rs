//! The operations of an OpenAPI document as the generators need them. Only what Palbase writes
//! is read (its documents come from palbase-openapi), including the `x-palbase-errors`
//! extension that names each declared error.

use serde_json::{Map, Value};

use crate::CodegenError;

/// A declared error of an operation (`errors` in `defineEndpoint`).
#[derive(Debug, Clone)]
pub struct DeclaredError {
    /// The key in `errors`: the case / member name.
    pub name: String,
    pub status: u16,
    pub code: String,
    /// The JSON Schema of its `data`, when it has one.
    pub data: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub required: bool,
    pub schema: Value,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub method: String,
    /// `/todos/{id}`
    pub path: String,
    pub path_params: Vec<String>,
    pub query: Vec<Param>,
    /// The JSON body's schema (POST/PUT/PATCH with `input`).
    pub body: Option<Value>,
    pub body_required: bool,
    /// Whether the body may be multipart with a `file`.
    pub multipart: bool,
    /// The 200 body's schema; `None` when the endpoint declares no `output`.
    pub output: Option<Value>,
    pub errors: Vec<DeclaredError>,
    pub summary: Option<String>,
    pub deprecated: bool,
}

/// A document's operations (in its order) and its component schemas.
pub struct Api {
    pub title: String,
    pub version: String,
    pub operations: Vec<Operation>,
    pub schemas: Map<String, Value>,
}

fn component<'a>(schemas: &'a Map<String, Value>, reference: &str) -> Option<&'a Value> {
    reference.strip_prefix("#/components/schemas/").and_then(|n| schemas.get(n))
}

impl Api {
    pub fn read(doc: &Value) -> Result<Self, CodegenError> {
        if !doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")) {
            return Err(CodegenError::Document("not an OpenAPI 3.1 document".into()));
        }
        let schemas = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
        let mut operations = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let id = op["operationId"].as_str().ok_or_else(|| CodegenError::Document(format!("{method} {path} has no operationId")))?.to_string();
                let mut path_params = Vec::new();
                let mut query = Vec::new();
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let name = p["name"].as_str().unwrap_or_default().to_string();
                    match p["in"].as_str() {
                        Some("path") => path_params.push(name),
                        Some("query") => query.push(Param { name, required: p["required"].as_bool().unwrap_or(false), schema: p["schema"].clone() }),
                        _ => {}
                    }
                }
                let content = &op["requestBody"]["content"];
                let body = content["application/json"]["schema"].as_object().map(|o| Value::Object(o.clone()));
                let errors = op["x-palbase-errors"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| {
                        let reference = e["schema"].as_str().unwrap_or_default();
                        let data = component(&schemas, reference).and_then(|s| s["properties"].get("data")).cloned();
                        DeclaredError { name: e["name"].as_str().unwrap_or_default().to_string(), status: e["status"].as_u64().unwrap_or(500) as u16, code: e["code"].as_str().unwrap_or_default().to_string(), data }
                    })
                    .collect();
                let has_output = op["responses"]["204"].is_null();
                operations.push(Operation {
                    id,
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    path_params,
                    query,
                    body,
                    body_required: op["requestBody"]["required"].as_bool().unwrap_or(false),
                    multipart: !content["multipart/form-data"].is_null(),
                    output: if has_output { op["responses"]["200"]["content"]["application/json"]["schema"].as_object().map(|o| Value::Object(o.clone())) } else { None },
                    errors,
                    summary: op["summary"].as_str().map(str::to_owned),
                    deprecated: op["deprecated"].as_bool().unwrap_or(false),
                });
            }
        }
        Ok(Self { title: doc["info"]["title"].as_str().unwrap_or("api").to_string(), version: doc["info"]["version"].as_str().unwrap_or("0.0.0").to_string(), operations, schemas })
    }

    /// The component schemas the operations' types refer to (directly or through others), in
    /// name order: each becomes a named type.
    pub fn referenced_components(&self) -> Vec<(&str, &Value)> {
        let mut seen: std::collections::BTreeSet<String> = Default::default();
        let mut todo: Vec<String> = Vec::new();
        for op in &self.operations {
            for v in op.query.iter().map(|p| &p.schema).chain(op.body.iter()).chain(op.output.iter()).chain(op.errors.iter().filter_map(|e| e.data.as_ref())) {
                refs(v, &mut todo);
            }
        }
        while let Some(name) = todo.pop() {
            if seen.insert(name.clone())
                && let Some(s) = self.schemas.get(&name)
            {
                refs(s, &mut todo);
            }
        }
        seen.iter().filter_map(|n| self.schemas.get_key_value(n).map(|(k, v)| (k.as_str(), v))).collect()
    }
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            if let Some(r) = o.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/")) {
                out.push(r.to_string());
            }
            o.values().for_each(|v| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// A piece of a path template: `/todos/{id}` is `Literal("/todos/")`, `Param("id")`.
pub enum PathPart<'a> {
    Literal(&'a str),
    Param(&'a str),
}

pub fn path_parts(path: &str) -> Vec<PathPart<'_>> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(i) = rest.find('{') {
        parts.push(PathPart::Literal(&rest[..i]));
        let end = rest[i..].find('}').map_or(rest.len(), |e| i + e);
        parts.push(PathPart::Param(&rest[i + 1..end]));
        rest = rest.get(end + 1..).unwrap_or("");
    }
    parts.push(PathPart::Literal(rest));
    parts
}

/// `todo_limit` / `limit-reached` / `limitReached` → `limitReached`.
pub fn camel(s: &str) -> String {
    let mut out = String::new();
    for (i, w) in s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).enumerate() {
        let mut cs = w.chars();
        if let Some(f) = cs.next() {
            if i == 0 {
                out.push(f.to_ascii_lowercase());
            } else {
                out.push(f.to_ascii_uppercase());
            }
            out.extend(cs);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `limitReached` → `LimitReached`.
pub fn pascal(s: &str) -> String {
    let c = camel(s);
    let mut cs = c.chars();
    match cs.next() {
        Some('_') => c,
        Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
        None => c,
    }
}
