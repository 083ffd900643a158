//! Paths, field paths, document data and the index entries a document has.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::encode::{encode_dir_into, encode_into};
use crate::error::DocsError;

/// Longest path segment (a collection name or a document id), in bytes (Firestore's limit).
pub const MAX_SEGMENT_BYTES: usize = 1500;
/// Longest whole path, in bytes.
pub const MAX_PATH_BYTES: usize = 6 * 1024;
/// Deepest nesting of collections (segments in a path).
pub const MAX_SEGMENTS: usize = 100;
/// Deepest nesting of maps and arrays in a document (Firestore: 20 levels of maps).
pub const MAX_DEPTH: usize = 20;
/// Largest document, as JSON text.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 20;
/// Most index entries one document may have.
pub const MAX_ENTRIES: usize = 40_000;

/// The field name that stands for the document id in queries (`orderBy("__name__")`).
pub const NAME_FIELD: &str = "__name__";

fn segments<'a>(path: &'a str, what: &str) -> Result<Vec<&'a str>, DocsError> {
    let bad = |m: String| DocsError::InvalidPath(format!("invalid {what} path `{}`: {m}", shorten(path)));
    if path.is_empty() {
        return Err(bad("it is empty".into()));
    }
    if path.len() > MAX_PATH_BYTES {
        return Err(bad(format!("it is {} bytes long; the limit is {MAX_PATH_BYTES}", path.len())));
    }
    let segs: Vec<&str> = path.split('/').collect();
    if segs.len() > MAX_SEGMENTS {
        return Err(bad(format!("it has {} segments; the limit is {MAX_SEGMENTS}", segs.len())));
    }
    for s in &segs {
        if s.is_empty() {
            return Err(bad("it has an empty segment (a leading, trailing or doubled `/`)".into()));
        }
        if *s == "." || *s == ".." {
            return Err(bad(format!("`{s}` is not a valid segment")));
        }
        if s.len() > MAX_SEGMENT_BYTES {
            return Err(bad(format!("a segment is {} bytes long; the limit is {MAX_SEGMENT_BYTES}", s.len())));
        }
        if s.starts_with("__") && s.ends_with("__") {
            return Err(bad(format!("`{s}`: names of the form __name__ are reserved")));
        }
        if s.contains('\0') {
            return Err(bad("a segment contains NUL".into()));
        }
    }
    Ok(segs)
}

fn shorten(s: &str) -> String {
    if s.len() <= 80 {
        return s.to_owned();
    }
    let mut end = 80;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// A collection path (`rooms`, `rooms/abc/messages`): an odd number of segments.
pub fn collection_path(path: &str) -> Result<(), DocsError> {
    let segs = segments(path, "collection")?;
    if segs.len() % 2 == 0 {
        return Err(DocsError::InvalidPath(format!("invalid collection path `{}`: a collection path has an odd number of segments (`rooms`, `rooms/abc/messages`); this one names a document", shorten(path))));
    }
    Ok(())
}

/// A document path (`rooms/abc`): an even number of segments. Returns (collection, id).
pub fn document_path(path: &str) -> Result<(&str, &str), DocsError> {
    let segs = segments(path, "document")?;
    if segs.len() % 2 == 1 {
        return Err(DocsError::InvalidPath(format!("invalid document path `{}`: a document path has an even number of segments (`rooms/abc`); this one names a collection", shorten(path))));
    }
    let cut = path.rfind('/').unwrap_or(0);
    Ok((&path[..cut], &path[cut + 1..]))
}

/// A document id on its own (`doc(id)`, `add`'s generated ids).
pub fn document_id(id: &str) -> Result<(), DocsError> {
    if id.contains('/') {
        return Err(DocsError::InvalidPath(format!("invalid document id `{}`: an id contains no `/`", shorten(id))));
    }
    segments(id, "document id").map(|_| ())
}

/// The last segment of a collection path: what a composite index names.
pub fn collection_id(collection: &str) -> &str {
    collection.rsplit('/').next().unwrap_or(collection)
}

/// A dotted field path (`address.city`) split into its segments.
pub fn field_path(path: &str) -> Result<Vec<&str>, DocsError> {
    let bad = |m: &str| DocsError::InvalidFieldPath(format!("invalid field path `{}`: {m}", shorten(path)));
    if path.is_empty() {
        return Err(bad("it is empty"));
    }
    if path.len() > MAX_SEGMENT_BYTES {
        return Err(bad("it is longer than 1500 bytes"));
    }
    let segs: Vec<&str> = path.split('.').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return Err(bad("it has an empty segment (a leading, trailing or doubled `.`)"));
    }
    if segs.len() > MAX_DEPTH {
        return Err(bad("it nests deeper than 20 maps"));
    }
    if path != NAME_FIELD && segs.iter().any(|s| s.starts_with("__") && s.ends_with("__")) {
        return Err(bad("names of the form __name__ are reserved"));
    }
    Ok(segs)
}

/// The value at a field path of `data` (`None`: missing; `__name__` is the id).
pub fn get_field<'a>(data: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut v = data.get(*first)?;
    for s in rest {
        v = v.as_object()?.get(*s)?;
    }
    Some(v)
}

/// Sets the value at a field path, creating (or replacing with) maps on the way.
pub fn set_field(data: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((last, init)) = path.split_last() else { return };
    let mut m = data;
    for s in init {
        let slot = m.entry((*s).to_owned()).or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(next) = slot else { return };
        m = next;
    }
    m.insert((*last).to_owned(), value);
}

/// `set(data, { merge: true })`: maps merge key by key, at every depth; anything else replaces.
pub fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(Value::Object(a)), Value::Object(b)) => merge(a, b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// Checks that data nests at most [`MAX_DEPTH`] levels.
pub fn check_depth(v: &Value, depth: usize) -> Result<(), DocsError> {
    if depth > MAX_DEPTH {
        return Err(DocsError::InvalidData(format!("the document nests deeper than {MAX_DEPTH} levels of maps and arrays")));
    }
    match v {
        Value::Array(a) => a.iter().try_for_each(|e| check_depth(e, depth + 1)),
        Value::Object(m) => m.values().try_for_each(|e| check_depth(e, depth + 1)),
        _ => Ok(()),
    }
}

/// One field of an index: a value (ascending, or `desc`: descending), or (`contains`) each
/// element of an array value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndexField {
    pub path: String,
    pub contains: bool,
    pub desc: bool,
}

/// A composite index declared in `palbase.toml` (`[[documents.indexes]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDef {
    /// The collection id (last segment) it covers, in every parent (`messages` covers
    /// `rooms/a/messages` and `rooms/b/messages`), as Firestore's collection scope does.
    pub collection: String,
    pub fields: Vec<IndexField>,
    /// The direction of the id that ends every key: the last field's unless `"__name__ asc|desc"`
    /// ends the declaration.
    pub id_desc: bool,
}

impl IndexDef {
    /// Parses `fields = ["active", "tags array-contains", "name", "score desc"]`.
    pub fn parse(collection: &str, fields: &[String]) -> Result<IndexDef, DocsError> {
        let bad = |m: String| DocsError::InvalidIndex(format!("[[documents.indexes]] for `{collection}`: {m}"));
        if collection.is_empty() || collection.contains('/') {
            return Err(bad("`collection` is a collection id (the last segment of its path), like `messages`".into()));
        }
        if fields.len() < 2 {
            return Err(bad("a composite index has at least two fields (single fields are indexed automatically)".into()));
        }
        let mut out = Vec::new();
        let mut id_desc = None;
        for (i, f) in fields.iter().enumerate() {
            let words: Vec<&str> = f.split_whitespace().collect();
            if words.len() > 2 {
                return Err(bad(format!("`{f}`: write `field`, `field asc`, `field desc` or `field array-contains`")));
            }
            let (path, contains, desc) = match words.as_slice() {
                [p] | [p, "asc"] => (*p, false, false),
                [p, "desc"] => (*p, false, true),
                [p, "array-contains"] => (*p, true, false),
                [_, m] => return Err(bad(format!("`{f}`: `{m}` is not a field mode (write `field`, `field asc`, `field desc` or `field array-contains`)"))),
                _ => return Err(bad("a field is empty".into())),
            };
            field_path(path).map_err(|e| bad(e.to_string()))?;
            if path == NAME_FIELD {
                if contains || i + 1 != fields.len() {
                    return Err(bad("`__name__` ends every index already; it may only be the last field, to give the id's direction (`\"__name__ desc\"`)".into()));
                }
                id_desc = Some(desc);
                continue;
            }
            out.push(IndexField { path: path.to_owned(), contains, desc });
        }
        if out.iter().filter(|f| f.contains).count() > 1 {
            return Err(bad("at most one field may be `array-contains`".into()));
        }
        let distinct: BTreeSet<_> = out.iter().map(|f| &f.path).collect();
        if distinct.len() != out.len() {
            return Err(bad("a field is listed twice".into()));
        }
        let mut def = IndexDef { collection: collection.to_owned(), fields: out, id_desc: false };
        def.id_desc = id_desc.unwrap_or_else(|| def.default_id_desc());
        Ok(def)
    }

    /// The id's direction when the declaration does not give one: the last field's.
    pub fn default_id_desc(&self) -> bool {
        self.fields.last().is_some_and(|f| f.desc)
    }

    /// The fields as declared (`"a"`, `"b desc"`, `"tags array-contains"`), with `"__name__ …"`
    /// last when the id's direction is not the last field's.
    pub fn field_names(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .fields
            .iter()
            .map(|f| {
                format!(
                    "{}{}",
                    f.path,
                    if f.contains {
                        " array-contains"
                    } else if f.desc {
                        " desc"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        if self.id_desc != self.default_id_desc() {
            out.push(format!("{NAME_FIELD} {}", if self.id_desc { "desc" } else { "asc" }));
        }
        out
    }

    /// The index's name in the entries table (an all-ascending index keeps its name of before
    /// directions existed: `x:rooms:active,name`; `x:rooms:active,score desc` is another index).
    pub fn name(&self) -> String {
        let mut fields: Vec<String> = self.fields.iter().map(describe_field).collect();
        if self.id_desc != self.default_id_desc() {
            fields.push(format!("{NAME_FIELD}{}", if self.id_desc { " desc" } else { " asc" }));
        }
        format!("x:{}:{}", self.collection, fields.join(","))
    }

    /// How it is written in `palbase.toml`.
    pub fn toml(&self) -> String {
        let fields: Vec<String> = self.field_names().iter().map(|f| format!("\"{f}\"")).collect();
        format!("[[documents.indexes]]\ncollection = \"{}\"\nfields = [{}]", self.collection, fields.join(", "))
    }
}

fn describe_field(f: &IndexField) -> String {
    if f.contains {
        format!("{}[]", f.path)
    } else if f.desc {
        format!("{} desc", f.path)
    } else {
        f.path.clone()
    }
}

/// The automatic single-field index of a field (`contains`: of its array elements).
pub fn single_name(path: &str, contains: bool) -> String {
    if contains { format!("c:{path}") } else { format!("v:{path}") }
}

/// Every index entry of one document: `(index name, key)`. Keys end with the encoded id.
pub fn entries(collection: &str, id: &str, data: &Map<String, Value>, composites: &[IndexDef]) -> Result<Vec<(String, Vec<u8>)>, DocsError> {
    let mut tail = Vec::new();
    encode_into(&Value::String(id.to_owned()), &mut tail);
    let mut out = Vec::new();
    let mut name_key = tail.clone();
    name_key.extend_from_slice(&tail);
    out.push((single_name(NAME_FIELD, false), name_key));
    single_entries(data, &mut String::new(), 0, &tail, &mut out);
    let cid = collection_id(collection);
    for def in composites.iter().filter(|d| d.collection == cid) {
        composite_entries(def, data, &tail, &mut out);
    }
    if out.len() > MAX_ENTRIES {
        return Err(DocsError::InvalidData(format!("the document has {} indexed values (fields and array elements); the limit is {MAX_ENTRIES}", out.len())));
    }
    Ok(out)
}

fn key_of(v: &Value, tail: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(16 + tail.len());
    encode_into(v, &mut k);
    k.extend_from_slice(tail);
    k
}

fn single_entries(m: &Map<String, Value>, prefix: &mut String, depth: usize, tail: &[u8], out: &mut Vec<(String, Vec<u8>)>) {
    for (k, v) in m {
        // A key with a `.` (or empty) cannot be named by a dotted field path: not indexed.
        if k.is_empty() || k.contains('.') || depth >= MAX_DEPTH {
            continue;
        }
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(k);
        out.push((single_name(prefix, false), key_of(v, tail)));
        match v {
            Value::Array(a) => {
                let mut seen = BTreeSet::new();
                for e in a {
                    let key = key_of(e, tail);
                    if seen.insert(key.clone()) {
                        out.push((single_name(prefix, true), key));
                    }
                }
            }
            Value::Object(inner) => single_entries(inner, prefix, depth + 1, tail, out),
            _ => {}
        }
        prefix.truncate(len);
    }
}

fn composite_entries(def: &IndexDef, data: &Map<String, Value>, tail: &[u8], out: &mut Vec<(String, Vec<u8>)>) {
    // The key parts before and after the `array-contains` field, and that field's elements.
    let mut keys: Vec<Vec<u8>> = vec![Vec::new()];
    for f in &def.fields {
        let segs: Vec<&str> = f.path.split('.').collect();
        // A document without one of the fields is not in the index (Firestore does the same).
        let Some(v) = get_field(data, &segs) else { return };
        if f.contains {
            let Value::Array(elems) = v else { return };
            let mut parts: BTreeSet<Vec<u8>> = BTreeSet::new();
            for e in elems {
                parts.insert(crate::encode::encode(e));
            }
            keys = keys.iter().flat_map(|k| parts.iter().map(move |p| [k.as_slice(), p.as_slice()].concat())).collect();
        } else {
            for k in &mut keys {
                encode_dir_into(v, f.desc, k);
            }
        }
    }
    let name = def.name();
    let mut tail = tail.to_vec();
    if def.id_desc {
        crate::encode::invert(&mut tail);
    }
    for mut k in keys {
        k.extend_from_slice(&tail);
        out.push((name.clone(), k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert!(collection_path("rooms").is_ok());
        assert!(collection_path("rooms/abc/messages").is_ok());
        assert_eq!(document_path("rooms/abc").unwrap(), ("rooms", "abc"));
        assert_eq!(document_path("rooms/abc/messages/m1").unwrap(), ("rooms/abc/messages", "m1"));
        for bad in ["", "/rooms", "rooms/", "rooms//x", "rooms/abc", "rooms/../x", "__x__"] {
            assert!(collection_path(bad).is_err(), "{bad}");
        }
        for bad in ["rooms", "rooms/", "rooms/abc/messages", "a/.."] {
            assert!(document_path(bad).is_err(), "{bad}");
        }
        assert!(document_path(&format!("rooms/{}", "x".repeat(1501))).is_err());
        assert!(field_path("a.b").is_ok());
        for bad in ["", ".a", "a.", "a..b"] {
            assert!(field_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn index_declarations() {
        let d = IndexDef::parse("rooms", &["active".into(), "name".into()]).unwrap();
        assert_eq!(d.name(), "x:rooms:active,name");
        assert!(IndexDef::parse("rooms", &["a".into()]).is_err());
        let d = IndexDef::parse("rooms", &["a".into(), "b desc".into()]).unwrap();
        assert_eq!((d.name(), d.id_desc), ("x:rooms:a,b desc".into(), true));
        assert_eq!(IndexDef::parse("rooms", &["a asc".into(), "b desc".into(), "__name__ desc".into()]).unwrap(), d);
        let d = IndexDef::parse("rooms", &["a".into(), "__name__ desc".into()]).unwrap();
        assert_eq!((d.name(), d.field_names()), ("x:rooms:a,__name__ desc".into(), vec!["a".to_owned(), "__name__ desc".to_owned()]));
        assert!(d.toml().contains(r#"fields = ["a", "__name__ desc"]"#));
        assert!(IndexDef::parse("rooms", &["a up".into(), "b".into()]).is_err());
        assert!(IndexDef::parse("rooms", &["a desc".into(), "a".into()]).is_err());
        assert!(IndexDef::parse("rooms", &["__name__".into(), "a".into()]).is_err());
        assert!(IndexDef::parse("rooms", &["a array-contains desc".into(), "b".into()]).is_err());
        assert!(IndexDef::parse("rooms/x/m", &["a".into(), "b".into()]).is_err());
        assert!(IndexDef::parse("rooms", &["a array-contains".into(), "b array-contains".into()]).is_err());
    }
}
