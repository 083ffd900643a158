//! Queries: their arguments, the rules they must follow, and the plan that runs them — one index,
//! a set of key prefixes (the equality filters' values) and a sorted list of disjoint key ranges
//! after the prefix (the inequality filter and the cursors). docs/runtime.md ("Documents") lists
//! the rules and why.

use std::collections::BTreeSet;

use palbase_core::ApiError;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::encode::{self, NULL, TOP, encode, encode_dir_into, successor};
use crate::error::{DocsError, query as bad};
use crate::model::{self, IndexDef, IndexField, NAME_FIELD};

/// Most values of an `in` or `array-contains-any` filter (Firestore's limit).
pub const MAX_IN: usize = 30;
/// Most values of a `not-in` filter (Firestore's limit).
pub const MAX_NOT_IN: usize = 10;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Where {
    pub field: String,
    pub op: String,
    pub value: Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderBy {
    pub field: String,
    #[serde(default)]
    pub direction: Option<String>,
}

/// A snapshot given as a cursor: its id and data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotCursor {
    pub id: String,
    pub data: Map<String, Value>,
}

/// `startAt(...values)` or `startAt(snapshot)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cursor {
    #[serde(default)]
    pub values: Option<Vec<Value>>,
    #[serde(default)]
    pub snapshot: Option<SnapshotCursor>,
}

/// The arguments of `docs.query` and `docs.count`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    pub collection: String,
    #[serde(default, rename = "where")]
    pub filters: Vec<Where>,
    #[serde(default, rename = "orderBy")]
    pub order_by: Vec<OrderBy>,
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default, rename = "startAt")]
    pub start_at: Option<Cursor>,
    #[serde(default, rename = "startAfter")]
    pub start_after: Option<Cursor>,
    #[serde(default, rename = "endAt")]
    pub end_at: Option<Cursor>,
    #[serde(default, rename = "endBefore")]
    pub end_before: Option<Cursor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Contains,
    ContainsAny,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "in" => Op::In,
            "not-in" => Op::NotIn,
            "array-contains" => Op::Contains,
            "array-contains-any" => Op::ContainsAny,
            _ => return None,
        })
    }
    fn inequality(self) -> bool {
        matches!(self, Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::NotIn)
    }
}

/// How a query runs.
#[derive(Debug, Clone)]
pub struct Plan {
    pub collection: String,
    pub index: String,
    /// One key prefix per combination of equality values (`in`/`array-contains-any` give
    /// several); results of different prefixes are merged by the rest of the key.
    pub prefixes: Vec<Vec<u8>>,
    /// Sorted, disjoint `[lo, hi)` ranges of the key after the prefix.
    pub ranges: Vec<(Vec<u8>, Vec<u8>)>,
    /// Scan the index backwards (every `orderBy` is descending).
    pub desc: bool,
    pub limit: Option<u64>,
    /// Results can repeat across prefixes (`array-contains-any`): keep each document once.
    pub dedupe: bool,
}

impl Plan {
    /// The `[lo, hi)` key ranges of the whole plan.
    pub fn key_ranges(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut out = Vec::new();
        for p in &self.prefixes {
            for (lo, hi) in &self.ranges {
                out.push(([p.as_slice(), lo].concat(), [p.as_slice(), hi].concat()));
            }
        }
        out
    }
}

struct Equality {
    field: IndexField,
    values: Vec<Value>,
}

/// Checks `q` against the rules and plans it on the indexes there are.
pub fn plan(q: &Query, composites: &[IndexDef]) -> Result<Plan, ApiError> {
    model::collection_path(&q.collection)?;
    let mut equalities: Vec<Equality> = Vec::new();
    let mut inequalities: Vec<(Op, &Value)> = Vec::new();
    let mut inequality_field: Option<&str> = None;
    let (mut disjunctive, mut contains, mut not_equal) = (None::<&str>, None::<&str>, None::<&str>);
    for w in &q.filters {
        model::field_path(&w.field)?;
        let Some(op) = Op::parse(&w.op) else {
            return Err(bad(format!("`{}` is not a filter operator (use ==, !=, <, <=, >, >=, in, not-in, array-contains, array-contains-any)", w.op)));
        };
        let list = |max: usize| -> Result<Vec<Value>, ApiError> {
            match &w.value {
                Value::Array(a) if !a.is_empty() && a.len() <= max => {
                    // Each distinct value once, in value order.
                    let mut seen = BTreeSet::new();
                    Ok(a.iter().filter(|v| seen.insert(encode(v))).cloned().collect())
                }
                Value::Array(a) if a.len() > max => Err(bad(format!("`{}` takes at most {max} values; this one has {}", w.op, a.len()))),
                _ => Err(bad(format!("`{}` on `{}` takes a non-empty array of values", w.op, w.field))),
            }
        };
        if matches!(op, Op::In | Op::NotIn | Op::ContainsAny) {
            if let Some(other) = disjunctive {
                return Err(bad(format!("a query has at most one `in`, `not-in` or `array-contains-any` filter; it has `{other}` and `{}`", w.op)));
            }
            disjunctive = Some(&w.op);
        }
        if matches!(op, Op::Contains | Op::ContainsAny) {
            if let Some(other) = contains {
                return Err(bad(format!("a query has at most one `array-contains` or `array-contains-any` filter; it has `{other}` and `{}`", w.op)));
            }
            contains = Some(&w.op);
        }
        if matches!(op, Op::Ne | Op::NotIn) {
            if let Some(other) = not_equal {
                return Err(bad(format!("a query has at most one `!=` or `not-in` filter; it has `{other}` and `{}`", w.op)));
            }
            not_equal = Some(&w.op);
        }
        if op.inequality() {
            if let Some(f) = inequality_field
                && f != w.field
            {
                return Err(bad(format!("inequality filters (<, <=, >, >=, !=, not-in) must all be on one field; this query has them on `{f}` and `{}`", w.field)));
            }
            inequality_field = Some(&w.field);
            match op {
                Op::Lt | Op::Le | Op::Gt | Op::Ge if w.value.is_null() => return Err(bad(format!("`{}` with null: null only supports `==` and `!=`", w.op))),
                Op::NotIn => inequalities.push((op, &w.value)),
                _ => inequalities.push((op, &w.value)),
            }
            if op == Op::NotIn {
                list(MAX_NOT_IN)?;
            }
            continue;
        }
        let (contains, values) = match op {
            Op::Eq => (false, vec![w.value.clone()]),
            Op::In => (false, list(MAX_IN)?),
            Op::Contains => (true, vec![w.value.clone()]),
            _ => (true, list(MAX_IN)?),
        };
        let field = IndexField { path: w.field.clone(), contains, desc: false };
        if equalities.iter().any(|e| e.field == field) {
            return Err(bad(format!("two equality filters on `{}`: combine them into one (`in` for several values)", w.field)));
        }
        equalities.push(Equality { field, values });
    }
    if let Some(f) = inequality_field
        && equalities.iter().any(|e| !e.field.contains && e.field.path == f)
    {
        return Err(bad(format!("`{f}` has both an equality and an inequality filter")));
    }

    // The sort order: explicit orderBy, else the inequality field; `__name__` always ends it.
    let mut order: Vec<(String, bool)> = Vec::new();
    let mut seen = BTreeSet::new();
    for o in &q.order_by {
        model::field_path(&o.field)?;
        let desc = match o.direction.as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(d) => return Err(bad(format!("`{d}` is not a direction (asc or desc)"))),
        };
        if !seen.insert(o.field.clone()) {
            return Err(bad(format!("`orderBy(\"{}\")` is given twice", o.field)));
        }
        order.push((o.field.clone(), desc));
    }
    if let Some(pos) = order.iter().position(|(f, _)| f == NAME_FIELD)
        && pos + 1 != order.len()
    {
        return Err(bad("`orderBy(\"__name__\")` must be the last orderBy"));
    }
    if let Some(f) = inequality_field {
        match order.first() {
            None => order.push((f.to_owned(), false)),
            Some((first, _)) if first != f => {
                return Err(bad(format!("a query with an inequality filter on `{f}` must order by `{f}` first; its first orderBy is `{first}`")));
            }
            Some(_) => {}
        }
    }
    // The direction of the last orderBy is the id's (the tie-break), even when that orderBy is
    // on a field fixed by `==`, which otherwise changes nothing and is dropped.
    let id_desc = order.last().is_some_and(|(_, d)| *d);
    // Cursor values follow the orderBy clauses as written, the dropped ones included.
    let written: Vec<Component> = order
        .iter()
        .map(|(f, d)| match equalities.iter().find(|e| !e.field.contains && e.field.path == *f && e.values.len() == 1) {
            _ if f == NAME_FIELD => Component::Id,
            Some(e) => Component::Fixed(f.clone(), e.values[0].clone(), *d),
            None => Component::Key(f.clone()),
        })
        .collect();
    order.retain(|(f, _)| !equalities.iter().any(|e| !e.field.contains && e.field.path == *f && e.values.len() == 1));
    if let Some(e) = equalities.iter().find(|e| !e.field.contains && e.values.len() > 1 && order.iter().any(|(f, _)| *f == e.field.path)) {
        return Err(bad(format!("ordering by `{}`, which has an `in` filter, is not supported yet: drop the orderBy (results come in the order of the other orderBy fields)", e.field.path)));
    }
    if order.last().is_some_and(|(f, _)| f == NAME_FIELD) {
        order.pop();
    }

    // The index: the equality fields (any order, any direction), then the orderBy fields (in
    // order), whose directions and the id's are the query's, or all reversed (scanned backwards).
    let eq_set: BTreeSet<(&str, bool)> = equalities.iter().map(|e| (e.field.path.as_str(), e.field.contains)).collect();
    let single = match (equalities.as_slice(), order.as_slice()) {
        ([], []) => Some(Chosen { index: model::single_name(NAME_FIELD, false), prefix_fields: vec![], suffix_desc: vec![], id_desc: false, backwards: id_desc }),
        ([e], []) => Some(Chosen { index: model::single_name(&e.field.path, e.field.contains), prefix_fields: vec![e.field.clone()], suffix_desc: vec![], id_desc: false, backwards: id_desc }),
        // A single-field index's key is the value then the id, both ascending.
        ([], [(f, d)]) if *d == id_desc => Some(Chosen { index: model::single_name(f, false), prefix_fields: vec![], suffix_desc: vec![false], id_desc: false, backwards: id_desc }),
        _ => None,
    };
    let cid = model::collection_id(&q.collection);
    let chosen = match single {
        Some(c) => c,
        None => {
            let serves = |d: &IndexDef| -> Option<Chosen> {
                if d.collection != cid || d.fields.len() != eq_set.len() + order.len() {
                    return None;
                }
                let (pre, suf) = d.fields.split_at(eq_set.len());
                if pre.iter().map(|f| (f.path.as_str(), f.contains)).collect::<BTreeSet<_>>() != eq_set {
                    return None;
                }
                let backwards = d.id_desc != id_desc;
                if suf.iter().zip(&order).any(|(f, (p, od))| f.contains || f.path != *p || (f.desc != backwards) != *od) {
                    return None;
                }
                Some(Chosen { index: d.name(), prefix_fields: pre.to_vec(), suffix_desc: suf.iter().map(|f| f.desc).collect(), id_desc: d.id_desc, backwards })
            };
            match composites.iter().find_map(serves) {
                Some(c) => c,
                None => {
                    let mut fields: Vec<IndexField> = equalities.iter().map(|e| e.field.clone()).collect();
                    fields.extend(order.iter().map(|(f, d)| IndexField { path: f.clone(), contains: false, desc: *d }));
                    let mut def = IndexDef { collection: cid.to_owned(), fields, id_desc: false };
                    // With no orderBy field left, the scan direction gives the id's.
                    def.id_desc = if order.is_empty() { def.default_id_desc() } else { id_desc };
                    let names = def.field_names();
                    return Err(DocsError::IndexRequired {
                        message: format!("this query needs a composite index on `{cid}` ({}); hint: add to palbase.toml:\n{}", names.join(", "), def.toml()),
                        index: json!({ "collection": cid, "fields": names }),
                    }
                    .into());
                }
            }
        }
    };
    let desc = chosen.backwards;

    // Prefixes: the equality values in index-field order (one list may hold several values).
    let mut prefixes: Vec<Vec<u8>> = vec![Vec::new()];
    for f in &chosen.prefix_fields {
        let e = equalities.iter().find(|e| e.field.path == f.path && e.field.contains == f.contains).ok_or_else(ApiError::internal)?;
        let encoded: Vec<Vec<u8>> = e
            .values
            .iter()
            .map(|v| {
                let mut b = Vec::new();
                encode_dir_into(v, f.desc, &mut b);
                b
            })
            .collect();
        prefixes = prefixes.iter().flat_map(|p| encoded.iter().map(move |v| [p.as_slice(), v].concat())).collect();
    }
    let dedupe = equalities.iter().any(|e| e.field.contains && e.values.len() > 1);

    // Ranges: the inequality on the first key component after the prefix (the first orderBy
    // field, or the id), in that component's direction, then the cursors.
    let first_desc = chosen.suffix_desc.first().copied().unwrap_or(chosen.id_desc);
    let mut ranges: Vec<(Vec<u8>, Vec<u8>)> = vec![(Vec::new(), TOP.to_vec())];
    for (op, v) in inequalities {
        let mut r = filter_ranges(op, v);
        if first_desc {
            r = r.iter().rev().map(|(lo, hi)| encode::descending_range(lo, hi)).collect();
        }
        ranges = intersect_all(&ranges, &r);
    }
    let layout = KeyLayout { written: &written, dirs: &chosen.suffix_desc, id_desc: chosen.id_desc };
    // The cursor is key bytes in the index's directions. A cursor decided by a field fixed by `==` (its value
    // differs from the cursor's) bounds at the key prefix before it, inclusive when it passes.
    let up = |c: &[u8]| successor(c).unwrap_or_else(|| TOP.to_vec());
    let cursors = [(&q.start_at, "startAt", true, true), (&q.start_after, "startAfter", true, false), (&q.end_at, "endAt", false, true), (&q.end_before, "endBefore", false, false)];
    for (cursor, name, start, inclusive) in cursors {
        let Some(c) = cursor else { continue };
        let (c, decided) = cursor_bytes(c, name, &layout, start)?;
        // Scanning forward, a start bound is a lower one; backward, an upper one.
        let b = match (start != desc, decided.unwrap_or(inclusive)) {
            (true, true) => (c, TOP.to_vec()),
            (true, false) => (up(&c), TOP.to_vec()),
            (false, true) => (Vec::new(), up(&c)),
            (false, false) => (Vec::new(), c),
        };
        ranges = intersect_all(&ranges, &[b]);
    }
    Ok(Plan { collection: q.collection.clone(), index: chosen.index, prefixes, ranges, desc, limit: q.limit, dedupe })
}

/// The index a query runs on, and how its keys are laid out.
struct Chosen {
    index: String,
    /// The equality fields, in the index's order (with their directions).
    prefix_fields: Vec<IndexField>,
    /// The directions of the orderBy fields' components in the index.
    suffix_desc: Vec<bool>,
    /// The direction of the id component.
    id_desc: bool,
    /// Scan the index backwards.
    backwards: bool,
}

/// The key ranges (of the first suffix field) one inequality filter keeps.
fn filter_ranges(op: Op, v: &Value) -> Vec<(Vec<u8>, Vec<u8>)> {
    let e = encode(v);
    let after = successor(&e).unwrap_or_else(|| TOP.to_vec());
    // Range filters keep values of the filter value's type only (numbers with numbers, …).
    let r = encode::rank(v);
    let (type_start, type_end) = (vec![r], vec![r + 1]);
    // `!=` and `not-in` keep every existing value except null and the listed ones.
    let non_null = vec![NULL + 1];
    match op {
        Op::Gt => vec![(after, type_end)],
        Op::Ge => vec![(e, type_end)],
        Op::Lt => vec![(type_start, e)],
        Op::Le => vec![(type_start, after)],
        Op::Ne => intersect_all(&[(non_null, TOP.to_vec())], &[(Vec::new(), e), (after, TOP.to_vec())]),
        Op::NotIn => {
            let mut excluded: Vec<Vec<u8>> = v.as_array().map(|a| a.iter().map(encode).collect()).unwrap_or_default();
            excluded.sort();
            excluded.dedup();
            let mut out = Vec::new();
            let mut lo = non_null;
            for x in excluded {
                if x > lo {
                    out.push((lo.clone(), x.clone()));
                }
                let next = successor(&x).unwrap_or_else(|| TOP.to_vec());
                if next > lo {
                    lo = next;
                }
            }
            out.push((lo, TOP.to_vec()));
            out
        }
        _ => vec![(Vec::new(), TOP.to_vec())],
    }
}

/// The intersection of two sorted lists of disjoint ranges.
fn intersect_all(a: &[(Vec<u8>, Vec<u8>)], b: &[(Vec<u8>, Vec<u8>)]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    for (alo, ahi) in a {
        for (blo, bhi) in b {
            let lo = alo.max(blo);
            let hi = ahi.min(bhi);
            if lo < hi {
                out.push((lo.clone(), hi.clone()));
            }
        }
    }
    out.sort();
    out
}

/// A cursor as key bytes after the prefix: its values (a prefix of the orderBy fields) or a
/// snapshot's orderBy values followed by its id, each in its component's direction.
/// One orderBy clause as a cursor sees it.
enum Component {
    /// A component of the index key (after the equality prefix).
    Key(String),
    /// A field fixed by `==` (dropped from the key): its value and the clause's direction.
    Fixed(String, Value, bool),
    /// `orderBy("__name__")`: the id component.
    Id,
}

impl Component {
    fn field(&self) -> &str {
        match self {
            Component::Key(f) | Component::Fixed(f, ..) => f,
            Component::Id => NAME_FIELD,
        }
    }
}

/// How cursor values map onto index keys.
struct KeyLayout<'a> {
    written: &'a [Component],
    /// The directions of the key's orderBy components in the index.
    dirs: &'a [bool],
    id_desc: bool,
}

/// A cursor as key bytes (a prefix of the key, in the index's directions), and whether a
/// field fixed by `==` already decided it: `Some(true)` when every key with that prefix is
/// inside the bound (the fixed value lies beyond the cursor's, for a `start` bound), `Some(false)`
/// when none is.
fn cursor_bytes(c: &Cursor, name: &str, k: &KeyLayout, start: bool) -> Result<(Vec<u8>, Option<bool>), ApiError> {
    let mut out = Vec::new();
    let mut key_dirs = k.dirs.iter();
    // Each written clause with the cursor's value for it.
    let mut push = |comp: &Component, v: &Value, out: &mut Vec<u8>| -> Option<bool> {
        match comp {
            Component::Key(_) => encode_dir_into(v, key_dirs.next().copied().unwrap_or(false), out),
            Component::Id => encode_dir_into(v, k.id_desc, out),
            Component::Fixed(_, fixed, desc) => {
                let mut o = encode(fixed).cmp(&encode(v));
                if *desc {
                    o = o.reverse();
                }
                if o != std::cmp::Ordering::Equal {
                    return Some((o == std::cmp::Ordering::Greater) == start);
                }
            }
        }
        None
    };
    match (&c.values, &c.snapshot) {
        (Some(values), None) => {
            if values.is_empty() {
                return Err(bad(format!("`{name}` needs at least one value")));
            }
            if values.len() > k.written.len() {
                let names: Vec<&str> = k.written.iter().map(Component::field).collect();
                return Err(bad(format!("`{name}` has {} values but the query orders by {} field(s) ({}); give at most one value per orderBy field", values.len(), names.len(), names.join(", "))));
            }
            for (comp, v) in k.written.iter().zip(values) {
                if let Some(d) = push(comp, v, &mut out) {
                    return Ok((out, Some(d)));
                }
            }
        }
        (None, Some(snap)) => {
            model::document_id(&snap.id)?;
            for comp in k.written {
                if matches!(comp, Component::Id) {
                    continue;
                }
                let f = comp.field();
                let segs: Vec<&str> = f.split('.').collect();
                let Some(v) = model::get_field(&snap.data, &segs) else {
                    return Err(bad(format!("`{name}`: the snapshot has no `{f}`, which the query orders by")));
                };
                if let Some(d) = push(comp, v, &mut out) {
                    return Ok((out, Some(d)));
                }
            }
            encode_dir_into(&Value::String(snap.id.clone()), k.id_desc, &mut out);
        }
        _ => return Err(bad(format!("`{name}` takes either values or a snapshot"))),
    }
    Ok((out, None))
}
