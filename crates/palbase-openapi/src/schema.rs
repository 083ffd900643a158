//! JSON Schemas from Zod (`z.toJSONSchema`, draft 2020-12) made fit to live inside an OpenAPI
//! document: their local definitions (`$defs`, and `#` for a schema that refers to itself) move
//! to `components.schemas`, where `#/...` references resolve.

use serde_json::{Map, Value};

/// Moves `schema`'s `$defs` (and the schema itself, when it refers to itself with `#`) into
/// `components` under names starting with `prefix`, rewriting the references; returns what to
/// put where the schema goes.
pub fn hoist(mut schema: Value, prefix: &str, components: &mut Map<String, Value>) -> Value {
    let defs = match schema.as_object_mut().and_then(|o| o.remove("$defs")) {
        Some(Value::Object(defs)) => defs,
        _ => Map::new(),
    };
    let name = |def: &str| format!("{prefix}{}", crate::names::pascal(def));
    let root_ref = format!("#/components/schemas/{prefix}");
    let self_referencing = refers_to(&schema, "#");
    let rewrite = |v: &mut Value| {
        walk_refs(v, &mut |r| {
            if r == "#" { Some(root_ref.clone()) } else { r.strip_prefix("#/$defs/").map(|d| format!("#/components/schemas/{}", name(d))) }
        })
    };
    for (def, mut body) in defs {
        rewrite(&mut body);
        components.insert(name(&def), body);
    }
    rewrite(&mut schema);
    if self_referencing {
        components.insert(prefix.to_string(), schema);
        return serde_json::json!({ "$ref": root_ref });
    }
    schema
}

fn refers_to(v: &Value, target: &str) -> bool {
    match v {
        Value::Object(o) => o.get("$ref").and_then(Value::as_str) == Some(target) || o.values().any(|v| refers_to(v, target)),
        Value::Array(a) => a.iter().any(|v| refers_to(v, target)),
        _ => false,
    }
}

fn walk_refs(v: &mut Value, f: &mut impl FnMut(&str) -> Option<String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref")
                && let Some(new) = f(r)
            {
                *r = new;
            }
            for v in o.values_mut() {
                walk_refs(v, f);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| walk_refs(v, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn definitions_move_to_components() {
        let mut c = Map::new();
        let s = json!({"type": "object", "properties": {"a": {"$ref": "#/$defs/__schema0"}}, "$defs": {"__schema0": {"type": "string"}}});
        assert_eq!(hoist(s, "PostTodosInput", &mut c), json!({"type": "object", "properties": {"a": {"$ref": "#/components/schemas/PostTodosInputSchema0"}}}));
        assert_eq!(c["PostTodosInputSchema0"], json!({"type": "string"}));
    }

    #[test]
    fn a_self_referencing_schema_becomes_a_component() {
        let mut c = Map::new();
        let s = json!({"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}});
        assert_eq!(hoist(s, "GetTreeOutput", &mut c), json!({"$ref": "#/components/schemas/GetTreeOutput"}));
        assert_eq!(c["GetTreeOutput"]["properties"]["children"]["items"], json!({"$ref": "#/components/schemas/GetTreeOutput"}));
    }
}
