//! The schema model: what `defineSchema(...)` serialises to, validated and normalised.
//!
//! The JSON comes from `packages/backend/src/schema.ts`:
//! `{__pb:"schema", tables:{key:{name, columns:{col:{type, primaryKey, notNull, hasDefault, default,
//! defaultRandom, defaultNow, references, onDelete, enum}}}}}`. The keys of `tables` only name the
//! typed facade's properties; the database knows tables by their SQL `name`.
//!
//! The normalised [`Schema`] is also the migration snapshot stored in `_palbase_migrations`, so it
//! derives serde and compares structurally. Pure: no IO here.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::value::{self, SqlVal};

/// Longest identifier PostgreSQL keeps (NAMEDATALEN - 1); SQLite follows the same rule here.
pub const MAX_IDENT: usize = 63;

/// Names the runtime keeps for itself.
pub const MIGRATIONS_TABLE: &str = "_palbase_migrations";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// Tables in declaration order.
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    /// Columns in declaration order (the order rows come back in).
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColType,
    #[serde(default)]
    pub primary_key: bool,
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<ColDefault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<Reference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ColType {
    Uuid,
    Text,
    Integer,
    Boolean,
    Timestamp,
    Jsonb,
    Enum { name: String, values: Vec<String> },
}

impl ColType {
    /// The schema builder's name of the type (`uuid`, `enum order_status`, …), for messages.
    pub fn describe(&self) -> String {
        match self {
            ColType::Uuid => "uuid".into(),
            ColType::Text => "text".into(),
            ColType::Integer => "integer".into(),
            ColType::Boolean => "boolean".into(),
            ColType::Timestamp => "timestamp".into(),
            ColType::Jsonb => "jsonb".into(),
            ColType::Enum { name, .. } => format!("enum {name}"),
        }
    }

    pub fn enum_name(&self) -> Option<&str> {
        match self {
            ColType::Enum { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// A column default. A literal `NULL` default is normalised away (it is what "no default" means).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum ColDefault {
    /// `.default(value)`: the value, normalised for the column type (timestamps in canonical form,
    /// uuids lower-case).
    Value(Value),
    /// `.defaultRandom()`: a v4 UUID.
    Random,
    /// `.defaultNow()`: the current time (millisecond precision).
    Now,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub table: String,
    pub column: String,
    pub on_delete: OnDelete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDelete {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
}

impl OnDelete {
    pub fn sql(self) -> &'static str {
        match self {
            OnDelete::NoAction => "NO ACTION",
            OnDelete::Restrict => "RESTRICT",
            OnDelete::Cascade => "CASCADE",
            OnDelete::SetNull => "SET NULL",
        }
    }
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Every enum type of the schema (name → values), first declaration first.
    pub fn enums(&self) -> Vec<(&str, &[String])> {
        let mut out: Vec<(&str, &[String])> = Vec::new();
        for t in &self.tables {
            for c in &t.columns {
                if let ColType::Enum { name, values } = &c.ty
                    && !out.iter().any(|(n, _)| n == name)
                {
                    out.push((name, values));
                }
            }
        }
        out
    }

    /// Tables ordered so that a table comes after the tables it references (self-references and
    /// cycles are ignored: the later ones keep declaration order).
    pub fn creation_order(&self) -> Vec<&Table> {
        let mut done: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        let mut remaining: Vec<&Table> = self.tables.iter().collect();
        while !remaining.is_empty() {
            let pos = remaining.iter().position(|t| {
                t.columns.iter().all(|c| match &c.references {
                    Some(r) => r.table == t.name || done.contains(&r.table.as_str()) || self.table(&r.table).is_none(),
                    None => true,
                })
            });
            // A cycle: take the first remaining table; the caller adds what it cannot inline later.
            let t = remaining.remove(pos.unwrap_or(0));
            done.push(&t.name);
            out.push(t);
        }
        out
    }
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn primary_key(&self) -> Vec<&Column> {
        self.columns.iter().filter(|c| c.primary_key).collect()
    }

    /// The one primary-key column `findById`/`update`/`delete` address rows by.
    pub fn single_pk(&self) -> Option<&Column> {
        let pk = self.primary_key();
        if pk.len() == 1 { Some(pk[0]) } else { None }
    }
}

/// Parses and validates the JSON of `defineSchema(...)`.
pub fn parse(json: &Value) -> Result<Schema, String> {
    let obj = json.as_object().ok_or("the schema must be an object (the default export of db/schema.ts)")?;
    if let Some(tag) = obj.get("__pb")
        && tag != "schema"
    {
        return Err("the schema is not the result of defineSchema(...)".into());
    }
    let tables_json = match obj.get("tables") {
        Some(Value::Object(m)) => m,
        Some(_) => return Err("`tables` must be an object".into()),
        None => return Err("the schema has no `tables`".into()),
    };
    let mut tables = Vec::with_capacity(tables_json.len());
    for (key, tj) in tables_json {
        tables.push(parse_table(key, tj)?);
    }
    let schema = Schema { tables };
    validate(&schema)?;
    Ok(schema)
}

fn parse_table(key: &str, tj: &Value) -> Result<Table, String> {
    let t = tj.as_object().ok_or_else(|| format!("table `{key}` must be an object"))?;
    let name = t.get("name").and_then(Value::as_str).ok_or_else(|| format!("table `{key}` has no `name`"))?;
    check_ident(name, "table name")?;
    if name.starts_with("_palbase") || name.to_ascii_lowercase().starts_with("sqlite_") || name.starts_with("pg_") {
        return Err(format!("table name `{name}` is reserved (names starting with `_palbase`, `sqlite_` or `pg_` are)"));
    }
    let cols = t.get("columns").and_then(Value::as_object).ok_or_else(|| format!("table `{name}` has no `columns` object"))?;
    if cols.is_empty() {
        return Err(format!("table `{name}` has no columns"));
    }
    let mut columns = Vec::with_capacity(cols.len());
    for (cname, cj) in cols {
        columns.push(parse_column(name, cname, cj)?);
    }
    Ok(Table { name: name.to_owned(), columns })
}

fn parse_column(table: &str, name: &str, cj: &Value) -> Result<Column, String> {
    let at = || format!("column `{name}` of table `{table}`");
    check_ident(name, "column name").map_err(|e| format!("{}: {e}", at()))?;
    let c = cj.as_object().ok_or_else(|| format!("{} must be an object", at()))?;
    let flag = |k: &str| c.get(k).and_then(Value::as_bool).unwrap_or(false);
    let ty = match c.get("type").and_then(Value::as_str) {
        Some("uuid") => ColType::Uuid,
        Some("text") => ColType::Text,
        Some("integer") => ColType::Integer,
        Some("boolean") => ColType::Boolean,
        Some("timestamp") => ColType::Timestamp,
        Some("jsonb") => ColType::Jsonb,
        Some("enum") => {
            let e = c.get("enum").and_then(Value::as_object).ok_or_else(|| format!("{}: an enum column needs `enum`", at()))?;
            let ename = e.get("name").and_then(Value::as_str).ok_or_else(|| format!("{}: the enum has no name", at()))?;
            check_ident(ename, "enum name").map_err(|e| format!("{}: {e}", at()))?;
            let vals = e.get("values").and_then(Value::as_array).ok_or_else(|| format!("{}: the enum has no values", at()))?;
            let mut values: Vec<String> = Vec::with_capacity(vals.len());
            for v in vals {
                let s = v.as_str().ok_or_else(|| format!("{}: enum values must be strings", at()))?;
                if s.is_empty() || s.len() > MAX_IDENT || s.contains('\0') {
                    return Err(format!("{}: enum value {s:?} must be 1 to {MAX_IDENT} bytes", at()));
                }
                if values.iter().any(|x| x == s) {
                    return Err(format!("{}: enum value {s:?} appears twice", at()));
                }
                values.push(s.to_owned());
            }
            if values.is_empty() {
                return Err(format!("{}: enum `{ename}` needs at least one value", at()));
            }
            ColType::Enum { name: ename.to_owned(), values }
        }
        Some(other) => return Err(format!("{}: unknown column type `{other}`", at())),
        None => return Err(format!("{}: missing `type`", at())),
    };
    let primary_key = flag("primaryKey");
    let not_null = primary_key || c.get("notNull").and_then(Value::as_bool).unwrap_or(true);
    let default = if flag("defaultRandom") {
        if ty != ColType::Uuid {
            return Err(format!("{}: defaultRandom() applies to uuid() columns only", at()));
        }
        Some(ColDefault::Random)
    } else if flag("defaultNow") {
        if ty != ColType::Timestamp {
            return Err(format!("{}: defaultNow() applies to timestamp() columns only", at()));
        }
        Some(ColDefault::Now)
    } else if flag("hasDefault") || c.contains_key("default") {
        let v = c.get("default").cloned().unwrap_or(Value::Null);
        if v.is_null() {
            if not_null {
                return Err(format!("{}: default(null) on a NOT NULL column (call .nullable() first)", at()));
            }
            None
        } else {
            let probe = Column { name: name.to_owned(), ty: ty.clone(), primary_key, not_null, default: None, references: None };
            let sv = value::from_input(table, &probe, &v).map_err(|e| format!("{}: invalid default: {}", at(), e.description))?;
            Some(ColDefault::Value(value::canonical_json(&sv)))
        }
    } else {
        None
    };
    let references = match c.get("references") {
        None | Some(Value::Null) => None,
        Some(Value::Object(r)) => {
            let rt = r.get("table").and_then(Value::as_str).ok_or_else(|| format!("{}: references() needs a table", at()))?;
            let rc = r.get("column").and_then(Value::as_str).ok_or_else(|| format!("{}: references() needs a column", at()))?;
            let on_delete = match c.get("onDelete").and_then(Value::as_str) {
                None => OnDelete::NoAction,
                Some("no action") => OnDelete::NoAction,
                Some("restrict") => OnDelete::Restrict,
                Some("cascade") => OnDelete::Cascade,
                Some("set null") => OnDelete::SetNull,
                Some(o) => return Err(format!("{}: unknown onDelete action `{o}`", at())),
            };
            Some(Reference { table: rt.to_owned(), column: rc.to_owned(), on_delete })
        }
        Some(_) => return Err(format!("{}: `references` must be an object", at())),
    };
    Ok(Column { name: name.to_owned(), ty, primary_key, not_null, default, references })
}

/// Identifiers are ASCII letters, digits and `_`, not starting with a digit, at most 63 bytes.
/// They are always quoted in SQL anyway; the rule keeps names portable between both backends.
pub fn check_ident(s: &str, what: &str) -> Result<(), String> {
    let ok = !s.is_empty() && s.len() <= MAX_IDENT && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !s.as_bytes()[0].is_ascii_digit();
    if ok { Ok(()) } else { Err(format!("{what} `{s}` is not valid: use 1 to {MAX_IDENT} letters, digits or `_`, not starting with a digit")) }
}

fn validate(s: &Schema) -> Result<(), String> {
    for (i, t) in s.tables.iter().enumerate() {
        if s.tables[..i].iter().any(|o| o.name == t.name) {
            return Err(format!("two tables are named `{}`", t.name));
        }
        for c in &t.columns {
            if let Some(r) = &c.references {
                let target = s.table(&r.table).ok_or_else(|| format!("column `{}` of table `{}` references table `{}`, which the schema does not define", c.name, t.name, r.table))?;
                let tc = target.column(&r.column).ok_or_else(|| format!("column `{}` of table `{}` references `{}.{}`, which does not exist", c.name, t.name, r.table, r.column))?;
                let pk = target.primary_key();
                if !(pk.len() == 1 && pk[0].name == tc.name) {
                    return Err(format!("column `{}` of table `{}` references `{}.{}`, which is not the primary key of `{}`", c.name, t.name, r.table, r.column, r.table));
                }
                if tc.ty != c.ty {
                    return Err(format!("column `{}` of table `{}` ({}) references `{}.{}` ({}): the types must match", c.name, t.name, c.ty.describe(), r.table, r.column, tc.ty.describe()));
                }
                if r.on_delete == OnDelete::SetNull && c.not_null {
                    return Err(format!("column `{}` of table `{}` uses onDelete(\"set null\") but is NOT NULL (call .nullable())", c.name, t.name));
                }
            }
        }
    }
    // One enum name, one definition; an enum and a table cannot share a name (PostgreSQL gives
    // every table a type of the same name).
    let mut seen: Vec<(&str, &[String], String)> = Vec::new();
    for t in &s.tables {
        for c in &t.columns {
            if let ColType::Enum { name, values } = &c.ty {
                if let Some((_, v, at)) = seen.iter().find(|(n, _, _)| n == name) {
                    if *v != values.as_slice() {
                        return Err(format!("enum `{name}` is declared with different values by {at} and by `{}.{}`", t.name, c.name));
                    }
                } else {
                    seen.push((name, values, format!("`{}.{}`", t.name, c.name)));
                }
                if s.table(name).is_some() {
                    return Err(format!("enum `{name}` has the name of a table; rename one of them"));
                }
            }
        }
    }
    Ok(())
}

/// The value type a default literal normalises to (used by SQL rendering).
pub fn default_literal(c: &Column) -> Option<SqlVal> {
    match &c.default {
        Some(ColDefault::Value(v)) => value::from_input("", c, v).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn col(ty: &str) -> Value {
        json!({"type": ty, "primaryKey": false, "notNull": true, "hasDefault": false, "defaultRandom": false, "defaultNow": false})
    }

    #[test]
    fn parses_the_docs_example() {
        let mut id = col("uuid");
        id["primaryKey"] = json!(true);
        id["hasDefault"] = json!(true);
        id["defaultRandom"] = json!(true);
        let mut room = col("uuid");
        room["references"] = json!({"table": "rooms", "column": "id"});
        room["onDelete"] = json!("cascade");
        let s = parse(&json!({"__pb": "schema", "tables": {
            "sessions": {"name": "sessions", "columns": {"id": id.clone(), "room_id": room}},
            "rooms": {"name": "rooms", "columns": {"id": id}},
        }}))
        .unwrap();
        assert_eq!(s.tables.len(), 2);
        let order: Vec<_> = s.creation_order().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(order, ["rooms", "sessions"]);
        assert_eq!(s.tables[0].columns[1].references.as_ref().unwrap().on_delete, OnDelete::Cascade);
    }

    #[test]
    fn rejects_bad_schemas() {
        let bad = [
            json!({"tables": {"t": {"name": "t; drop", "columns": {"a": col("text")}}}}),
            json!({"tables": {"t": {"name": "t", "columns": {"a": col("float")}}}}),
            json!({"tables": {"t": {"name": "_palbase_x", "columns": {"a": col("text")}}}}),
            json!({"tables": {"t": {"name": "t", "columns": {"a": {"type": "text", "references": {"table": "x", "column": "id"}}}}}}),
            json!({"tables": {"t": {"name": "t", "columns": {"a": {"type": "integer", "hasDefault": true, "default": "x"}}}}}),
        ];
        for b in bad {
            assert!(parse(&b).is_err(), "{b}");
        }
    }
}
