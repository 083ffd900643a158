//! Error responses: the endpoint's declared errors and the runtime's own, each a schema of the
//! Palbase error envelope `{error, error_description, status, request_id, data?}`.

use serde_json::{Map, Value, json};

use crate::{Auth, DeclaredError, Endpoint, names, schema};

/// A declared error's component.
pub(crate) struct Declared {
    pub name: String,
    pub status: u16,
    pub code: String,
    /// `#/components/schemas/...`
    pub reference: String,
    pub has_data: bool,
}

fn envelope(error: Value, status: Value, data: Option<Value>, description: &str) -> Value {
    let mut required = vec!["error", "error_description", "status", "request_id"];
    let mut props = json!({
        "error": error,
        "error_description": { "type": "string" },
        "status": status,
        "request_id": { "type": "string", "description": "`req_` and 32 hex digits, also in the x-request-id header" },
    });
    if let Some(d) = data {
        props["data"] = d;
        required.push("data");
    }
    json!({ "type": "object", "description": description, "required": required, "properties": props })
}

/// One of the runtime's error responses.
struct Runtime {
    status: u16,
    component: &'static str,
    description: &'static str,
    /// Its `error` codes; empty: any code (a handler's own `HttpError` of that status too).
    codes: &'static [&'static str],
}

const RUNTIME: [Runtime; 8] = [
    Runtime { status: 400, component: "InvalidRequestError", description: "The input failed the endpoint's `input` schema", codes: &["invalid_request"] },
    Runtime { status: 400, component: "BadRequestError", description: "The body could not be read: not JSON, not UTF-8, or a malformed multipart form", codes: &["invalid_json", "invalid_body", "invalid_multipart"] },
    Runtime { status: 401, component: "UnauthorizedError", description: "Authentication is required (`unauthorized`), or the bearer token was refused (`invalid_token`)", codes: &["unauthorized", "invalid_token"] },
    Runtime { status: 403, component: "ForbiddenError", description: "The user lacks the endpoint's role", codes: &["forbidden"] },
    Runtime { status: 413, component: "PayloadTooLargeError", description: "The body is over the size limit", codes: &["payload_too_large"] },
    Runtime { status: 415, component: "UnsupportedMediaTypeError", description: "The body is not JSON, multipart/form-data or application/x-www-form-urlencoded", codes: &["unsupported_media_type"] },
    Runtime { status: 429, component: "RateLimitedError", description: "Over the endpoint's rate limit; retry after `Retry-After` seconds", codes: &["rate_limited"] },
    Runtime {
        status: 500,
        component: "ServerError",
        description: "The handler failed (`internal_error`), answered outside its `output` schema (`invalid_response`), or hit a limit (`timeout`, `out_of_memory`, `stack_overflow`)",
        codes: &[],
    },
];

fn code_schema(codes: &[&str]) -> Value {
    match codes {
        [] => json!({ "type": "string" }),
        [one] => json!({ "const": one }),
        many => json!({ "type": "string", "enum": many }),
    }
}

/// `components` every document has: the bearer scheme and the runtime's error schemas.
pub(crate) fn base_components() -> Map<String, Value> {
    let issue = json!({
        "type": "object",
        "required": ["code", "path", "message"],
        "properties": {
            "code": { "type": "string" },
            "path": { "type": "array", "items": { "type": ["string", "integer"] } },
            "message": { "type": "string" },
        },
    });
    let mut schemas = Map::new();
    schemas.insert("Error".into(), envelope(json!({ "type": "string" }), json!({ "type": "integer" }), None, "The Palbase error envelope"));
    for r in &RUNTIME {
        let status = if r.status == 500 { json!({ "type": "integer", "minimum": 500, "maximum": 599 }) } else { json!({ "const": r.status }) };
        let data = (r.component == "InvalidRequestError").then(|| json!({ "type": "object", "required": ["issues"], "properties": { "issues": { "type": "array", "items": issue } } }));
        schemas.insert(r.component.into(), envelope(code_schema(r.codes), status, data, r.description));
    }
    let mut components = Map::new();
    components.insert("schemas".into(), Value::Object(schemas));
    components.insert("securitySchemes".into(), json!({ "bearerAuth": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "A JWT checked as palbase.toml [auth] configures it" } }));
    components
}

/// One component per declared error (with its `data` schema), named `<Operation><Name>Error`.
pub(crate) fn declared_errors(prefix: &str, errors: &[DeclaredError], schemas: &mut Map<String, Value>) -> Vec<Declared> {
    errors
        .iter()
        .map(|e| {
            let component = format!("{prefix}{}Error", names::pascal(&e.name));
            let data = e.data.clone().map(|d| schema::hoist(d, &format!("{prefix}{}Data", names::pascal(&e.name)), schemas));
            let what = e.description.clone().unwrap_or_else(|| format!("`req.errors.{}`", e.name));
            schemas.insert(component.clone(), envelope(json!({ "const": e.code }), json!({ "const": e.status }), data.clone(), &what));
            Declared { name: e.name.clone(), status: e.status, code: e.code.clone(), reference: format!("#/components/schemas/{component}"), has_data: data.is_some() }
        })
        .collect()
}

fn reference(component: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{component}") })
}

/// Adds every error response of `e` to `responses`: the declared ones, then the runtime's; on a
/// status both use, a `oneOf` told apart by `error` (a runtime schema there excludes the
/// declared codes, so exactly one member matches).
pub(crate) fn errors(e: &Endpoint, declared: &[Declared], responses: &mut Map<String, Value>) {
    let mut statuses: Vec<u16> = declared.iter().map(|d| d.status).collect();
    statuses.extend(RUNTIME.iter().filter(|r| applies(e, r.component)).map(|r| r.status));
    statuses.sort_unstable();
    statuses.dedup();
    for status in statuses {
        let mine: Vec<&Declared> = declared.iter().filter(|d| d.status == status).collect();
        let codes: Vec<&str> = mine.iter().map(|d| d.code.as_str()).collect();
        let mut members: Vec<Value> = mine.iter().map(|d| json!({ "$ref": d.reference })).collect();
        // `error` tells the members apart when every member's codes are known.
        let mut mapping: Option<Map<String, Value>> = Some(mine.iter().map(|d| (d.code.clone(), json!(d.reference))).collect());
        let mut what: Vec<String> = mine.iter().map(|d| format!("`{}`", d.code)).collect();
        for r in RUNTIME.iter().filter(|r| r.status == status && applies(e, r.component)) {
            what.push(r.description.to_string());
            let overlaps = r.codes.iter().any(|c| codes.contains(c));
            members.push(if !codes.is_empty() && (r.codes.is_empty() || overlaps) { json!({ "allOf": [reference(r.component), { "properties": { "error": { "not": { "enum": codes } } } }] }) } else { reference(r.component) });
            match (&mut mapping, r.codes.is_empty() || overlaps) {
                (Some(m), false) => {
                    for c in r.codes {
                        m.insert((*c).to_string(), json!(format!("#/components/schemas/{}", r.component)));
                    }
                }
                _ => mapping = None,
            }
        }
        let schema = if members.len() == 1 {
            members.remove(0)
        } else {
            let mut s = json!({ "oneOf": members });
            if let Some(m) = mapping {
                s["discriminator"] = json!({ "propertyName": "error", "mapping": m });
            }
            s
        };
        let mut r = json!({ "description": what.join("; "), "content": { "application/json": { "schema": schema } } });
        if status == 401 {
            r["headers"] = json!({ "WWW-Authenticate": { "description": "`Bearer`, with `error=\"invalid_token\"` when a token was refused (RFC 6750)", "schema": { "type": "string" } } });
        }
        if status == 429 {
            r["headers"] = json!({
                "Retry-After": { "description": "Seconds until a request is allowed again", "schema": { "type": "integer" } },
                "RateLimit-Limit": { "schema": { "type": "integer" } },
                "RateLimit-Remaining": { "schema": { "type": "integer" } },
                "RateLimit-Reset": { "schema": { "type": "integer" } },
            });
        }
        responses.insert(status.to_string(), r);
    }
    responses.insert("default".into(), json!({ "description": "Any other error, in the Palbase error envelope", "content": { "application/json": { "schema": reference("Error") } } }));
}

/// Whether the runtime can answer `component`'s error for `e`.
fn applies(e: &Endpoint, component: &str) -> bool {
    match component {
        "InvalidRequestError" => e.described.input.is_some(),
        "ForbiddenError" => matches!(e.auth, Auth::Required { role: Some(_) }),
        "RateLimitedError" => e.rate_limit.is_some(),
        _ => true,
    }
}
