//! `palbase codegen swift`: a Swift package. `Sources/<Module>/Palbase.swift` is the fixed
//! runtime (client, error envelope, JSON value); `Models.swift` holds a Codable type per schema;
//! `Endpoints.swift` holds, per operation, an error enum and an `async throws(<Op>Error)`
//! function on `PalbaseClient`.

use std::fmt::Write;

use serde_json::{Map, Value};

use crate::model::{Api, Operation, PathPart, camel, pascal, path_parts};

const KEYWORDS: &[&str] = &[
    "associatedtype",
    "class",
    "deinit",
    "enum",
    "extension",
    "fileprivate",
    "func",
    "import",
    "init",
    "inout",
    "internal",
    "let",
    "open",
    "operator",
    "private",
    "protocol",
    "public",
    "rethrows",
    "static",
    "struct",
    "subscript",
    "typealias",
    "var",
    "break",
    "case",
    "continue",
    "default",
    "defer",
    "do",
    "else",
    "fallthrough",
    "for",
    "guard",
    "if",
    "in",
    "repeat",
    "return",
    "switch",
    "where",
    "while",
    "as",
    "Any",
    "catch",
    "false",
    "is",
    "nil",
    "super",
    "self",
    "Self",
    "throw",
    "throws",
    "true",
    "try",
    "Type",
    "Protocol",
];

fn ident(name: &str) -> String {
    let c = camel(name);
    if KEYWORDS.contains(&c.as_str()) { format!("`{c}`") } else { c }
}

/// Swift type declarations made while mapping schemas, by name (one declaration per name).
#[derive(Default)]
pub struct Models {
    decls: Vec<(String, String)>,
}

impl Models {
    fn has(&self, name: &str) -> bool {
        self.decls.iter().any(|(n, _)| n == name)
    }

    /// The Swift type of `s`; object and enum schemas become named declarations (`hint`).
    pub fn swift_type(&mut self, s: &Value, hint: &str, components: &Map<String, Value>) -> String {
        let Some(o) = s.as_object() else { return "JSONValue".into() };
        if let Some(r) = o.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/")) {
            let name = pascal(r);
            if !self.has(&name) {
                // Reserve the name first: a schema may refer to itself.
                self.decls.push((name.clone(), String::new()));
                let body = components.get(r).cloned().unwrap_or(Value::Null);
                // An object or enum fills the slot under its name; anything else is an alias.
                let t = self.swift_type(&body, &name, components);
                if t != name {
                    self.replace(&name, format!("public typealias {name} = {t}\n"));
                }
            }
            return name;
        }
        if o.contains_key("const") {
            return match &o["const"] {
                Value::String(_) => "String".into(),
                Value::Bool(_) => "Bool".into(),
                Value::Number(n) if n.is_i64() => "Int".into(),
                Value::Number(_) => "Double".into(),
                _ => "JSONValue".into(),
            };
        }
        if let Some(e) = o.get("enum").and_then(Value::as_array) {
            let strings: Vec<&str> = e.iter().filter_map(Value::as_str).collect();
            if strings.len() == e.len() && !strings.is_empty() {
                let mut decl = format!("public enum {hint}: String, Codable, Sendable, CaseIterable {{\n");
                for v in &strings {
                    let _ = writeln!(decl, "    case {} = {}", ident(v), Value::String((*v).to_string()));
                }
                decl.push_str("}\n");
                self.replace(hint, decl);
                return hint.to_string();
            }
            return "JSONValue".into();
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(all) = o.get(key).and_then(Value::as_array) {
                let non_null: Vec<&Value> = all.iter().filter(|s| s.get("type").and_then(Value::as_str) != Some("null")).collect();
                if non_null.len() == 1 && non_null.len() < all.len() {
                    return format!("{}?", self.swift_type(non_null[0], hint, components).trim_end_matches('?'));
                }
                return "JSONValue".into();
            }
        }
        if let Some(all) = o.get("allOf").and_then(Value::as_array)
            && all.len() == 1
        {
            return self.swift_type(&all[0], hint, components);
        }
        match o.get("type") {
            Some(Value::Array(types)) => {
                let non_null: Vec<&str> = types.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect();
                let nullable = non_null.len() < types.len();
                let t = if non_null.len() == 1 { self.of_type(non_null[0], o, hint, components) } else { "JSONValue".into() };
                if nullable && !t.ends_with('?') { format!("{t}?") } else { t }
            }
            Some(Value::String(t)) => self.of_type(t, o, hint, components),
            _ => "JSONValue".into(),
        }
    }

    fn replace(&mut self, name: &str, decl: String) {
        match self.decls.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = decl,
            None => self.decls.push((name.to_string(), decl)),
        }
    }

    fn of_type(&mut self, t: &str, o: &Map<String, Value>, hint: &str, components: &Map<String, Value>) -> String {
        match t {
            "string" => "String".into(),
            "integer" => "Int".into(),
            "number" => "Double".into(),
            "boolean" => "Bool".into(),
            "null" => "JSONValue".into(),
            "array" => {
                let item = o.get("items").map_or("JSONValue".into(), |i| self.swift_type(i, &format!("{hint}Item"), components));
                format!("[{item}]")
            }
            "object" => match o.get("properties").and_then(Value::as_object) {
                Some(props) if !props.is_empty() => {
                    self.structure(hint, o, props, components);
                    hint.to_string()
                }
                _ => match o.get("additionalProperties") {
                    Some(s @ Value::Object(_)) => format!("[String: {}]", self.swift_type(s, &format!("{hint}Value"), components)),
                    _ => "[String: JSONValue]".into(),
                },
            },
            _ => "JSONValue".into(),
        }
    }

    fn structure(&mut self, name: &str, o: &Map<String, Value>, props: &Map<String, Value>, components: &Map<String, Value>) {
        if self.decls.iter().any(|(n, d)| n == name && !d.is_empty()) {
            return;
        }
        if !self.has(name) {
            self.decls.push((name.to_string(), String::new()));
        }
        let required: Vec<&str> = o.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let mut fields = Vec::new();
        for (k, v) in props {
            let mut t = self.swift_type(v, &format!("{name}{}", pascal(k)), components);
            if !required.contains(&k.as_str()) && !t.ends_with('?') {
                t.push('?');
            }
            fields.push((k.clone(), ident(k), t));
        }
        let mut decl = format!("public struct {name}: Codable, Sendable, Equatable {{\n");
        for (_, id, t) in &fields {
            let _ = writeln!(decl, "    public var {id}: {t}");
        }
        let params: Vec<String> = fields.iter().map(|(_, id, t)| format!("{}: {t}{}", id.trim_matches('`'), if t.ends_with('?') { " = nil" } else { "" })).collect();
        let _ = writeln!(decl, "\n    public init({}) {{", params.join(", "));
        for (_, id, _) in &fields {
            let _ = writeln!(decl, "        self.{id} = {}", id.trim_matches('`'));
        }
        decl.push_str("    }\n");
        if fields.iter().any(|(k, id, _)| id.trim_matches('`') != k) {
            decl.push_str("\n    enum CodingKeys: String, CodingKey {\n");
            for (k, id, _) in &fields {
                let _ = writeln!(decl, "        case {id} = {}", Value::String(k.clone()));
            }
            decl.push_str("    }\n");
        }
        decl.push_str("}\n");
        self.replace(name, decl);
    }

    fn render(&self) -> String {
        self.decls.iter().filter(|(_, d)| !d.is_empty()).map(|(_, d)| d.as_str()).collect::<Vec<_>>().join("\n")
    }
}

/// The Swift module (and package) name: the API title in PascalCase.
pub fn module_name(api: &Api) -> String {
    let n = pascal(&api.title);
    if n.starts_with('_') { format!("Api{n}") } else { n }
}

pub fn package_swift(api: &Api) -> String {
    let m = module_name(api);
    format!(
        "// swift-tools-version: 6.0\n// Generated by `palbase codegen swift` from the OpenAPI document of {} {}. Do not edit.\nimport PackageDescription\n\nlet package = Package(\n    name: \"{m}\",\n    platforms: [.iOS(.v15), .macOS(.v12), .tvOS(.v15), .watchOS(.v8)],\n    products: [.library(name: \"{m}\", targets: [\"{m}\"])],\n    targets: [.target(name: \"{m}\")]\n)\n",
        api.title, api.version
    )
}

pub const RUNTIME: &str = include_str!("swift_runtime.swift");

fn error_enum(op: &Operation, p: &str, models: &mut Models, components: &Map<String, Value>) -> String {
    let mut cases = String::new();
    let mut decode = String::new();
    for e in &op.errors {
        let case = ident(&e.name);
        match &e.data {
            Some(d) => {
                let t = models.swift_type(d, &format!("{p}{}Data", pascal(&e.name)), components);
                let _ = writeln!(cases, "    /// `{}` ({}), with its `data`.\n    case {case}({t}, ErrorEnvelope)", e.code, e.status);
                let _ = writeln!(
                    decode,
                    "        case ({}, {:?}):\n            guard let envelope, let data = try? decoder.decode(DataOf<{t}>.self, from: body).data else {{ return nil }}\n            return .{case}(data, envelope)",
                    e.status, e.code
                );
            }
            None => {
                let _ = writeln!(cases, "    /// `{}` ({}).\n    case {case}(ErrorEnvelope)", e.code, e.status);
                let _ = writeln!(decode, "        case ({}, {:?}):\n            return envelope.map {{ .{case}($0) }}", e.status, e.code);
            }
        }
    }
    format!(
        "/// The errors of `{method} {path}`: its declared errors, then the runtime's.\npublic enum {p}Error: PalbaseError {{\n{cases}    /// 400 `invalid_request`: the input failed the endpoint's schema.\n    case invalidRequest(issues: [Issue], ErrorEnvelope)\n    /// 401: authentication required, or the token was refused.\n    case unauthorized(ErrorEnvelope)\n    /// 403: the user lacks the endpoint's role.\n    case forbidden(ErrorEnvelope)\n    /// 404.\n    case notFound(ErrorEnvelope)\n    /// 429: retry after `retryAfter` seconds.\n    case rateLimited(retryAfter: Int?, ErrorEnvelope)\n    /// A 5xx answer.\n    case server(status: Int, code: String, ErrorEnvelope?)\n    /// Any other status.\n    case other(status: Int, code: String, ErrorEnvelope?)\n    /// No answer, or one that could not be decoded.\n    case transport(any Error)\n\n    public static func declared(status: Int, code: String, envelope: ErrorEnvelope?, body: Data, decoder: JSONDecoder) -> Self? {{\n        switch (status, code) {{\n{decode}        default:\n            return nil\n        }}\n    }}\n\n    public static func runtime(_ failure: RuntimeFailure) -> Self {{\n        switch failure {{\n        case let .invalidRequest(issues, e): return .invalidRequest(issues: issues, e)\n        case let .unauthorized(e): return .unauthorized(e)\n        case let .forbidden(e): return .forbidden(e)\n        case let .notFound(e): return .notFound(e)\n        case let .rateLimited(after, e): return .rateLimited(retryAfter: after, e)\n        case let .server(status, code, e): return .server(status: status, code: code, e)\n        case let .other(status, code, e): return .other(status: status, code: code, e)\n        case let .transport(error): return .transport(error)\n        }}\n    }}\n}}\n",
        method = op.method,
        path = op.path,
    )
}

fn function(op: &Operation, p: &str, models: &mut Models, components: &Map<String, Value>) -> String {
    let mut params: Vec<String> = op.path_params.iter().map(|n| format!("{}: String", ident(n).trim_matches('`'))).collect();
    let mut path = String::new();
    for part in path_parts(&op.path) {
        match part {
            PathPart::Literal(l) => path.push_str(l),
            PathPart::Param(name) => {
                let _ = write!(path, "\\(pathSegment({}))", ident(name));
            }
        }
    }
    // A typed `nil`: Swift cannot infer a generic parameter from a bare one.
    let (mut query, mut body) = ("nil as Empty?".to_string(), "nil as Empty?".to_string());
    if let Some(b) = &op.body {
        let t = models.swift_type(b, &format!("{p}Input"), components);
        params.push(format!("_ input: {t}{}", if op.body_required || t.ends_with('?') { "" } else { "? = nil" }));
        body = "input".into();
    } else if !op.query.is_empty() {
        let mut schema = serde_json::json!({ "type": "object", "properties": {}, "required": [] });
        for q in &op.query {
            schema["properties"][&q.name] = q.schema.clone();
            if q.required
                && let Some(r) = schema["required"].as_array_mut()
            {
                r.push(Value::String(q.name.clone()));
            }
        }
        let t = models.swift_type(&schema, &format!("{p}Input"), components);
        let optional = !op.query.iter().any(|q| q.required);
        params.push(format!("_ input: {t}{}", if optional { "? = nil" } else { "" }));
        query = "input".into();
    }
    if op.multipart {
        params.push("file: UploadFile? = nil".into());
    }
    let output = op.output.as_ref().map_or("JSONValue".to_string(), |o| models.swift_type(o, &format!("{p}Output"), components));
    let mut doc = format!("    /// `{} {}`", op.method, op.path);
    if let Some(s) = &op.summary {
        doc = format!("    /// {s}\n{doc}");
    }
    if op.deprecated {
        doc.push_str("\n    @available(*, deprecated)");
    }
    let file = if op.multipart { "file" } else { "nil" };
    format!(
        "{doc}\n    public func {}({}) async throws({p}Error) -> {output} {{\n        try await send(method: {:?}, path: \"{path}\", query: {query}, body: {body}, file: {file}, as: {output}.self, errors: {p}Error.self)\n    }}\n",
        ident(&op.id),
        params.join(", "),
        op.method,
    )
}

/// The files of the package: (path, contents).
pub fn package(api: &Api) -> Vec<(String, String)> {
    let m = module_name(api);
    let mut models = Models::default();
    let mut enums = String::new();
    let mut functions = String::new();
    for op in &api.operations {
        let p = pascal(&op.id);
        enums.push_str(&error_enum(op, &p, &mut models, &api.schemas));
        enums.push('\n');
        functions.push_str(&function(op, &p, &mut models, &api.schemas));
    }
    let header = format!("// Generated by `palbase codegen swift` from the OpenAPI document of {} {}. Do not edit.\n", api.title, api.version);
    let endpoints = format!("{header}import Foundation\n\n{enums}extension PalbaseClient {{\n{functions}}}\n");
    let models = format!("{header}import Foundation\n\n{}", models.render());
    vec![("Package.swift".into(), package_swift(api)), (format!("Sources/{m}/Palbase.swift"), format!("{header}{RUNTIME}")), (format!("Sources/{m}/Models.swift"), models), (format!("Sources/{m}/Endpoints.swift"), endpoints)]
}
