//! The property: generated documents and queries give the same answer on SQLite, on PostgreSQL
//! and on a small in-memory reference evaluator written from Firestore's documented semantics
//! (independent of the index encoding). A query the service refuses must be refused alike by
//! both backends, with an `invalid_query` or `index_required` error.

#![allow(clippy::result_large_err)]

mod common;

use std::cmp::Ordering;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use common::*;
use palbase_testkit::DbKind;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// The reference evaluator

fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// Firestore's value order.
fn cmp(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => x.as_f64().unwrap().partial_cmp(&y.as_f64().unwrap()).unwrap(),
        (Value::String(x), Value::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = cmp(p, q);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Object(x), Value::Object(y)) => {
            let mut xs: Vec<_> = x.iter().collect();
            let mut ys: Vec<_> = y.iter().collect();
            xs.sort_by(|p, q| p.0.as_bytes().cmp(q.0.as_bytes()));
            ys.sort_by(|p, q| p.0.as_bytes().cmp(q.0.as_bytes()));
            for (p, q) in xs.iter().zip(&ys) {
                let o = p.0.as_bytes().cmp(q.0.as_bytes()).then_with(|| cmp(p.1, q.1));
                if o != Ordering::Equal {
                    return o;
                }
            }
            xs.len().cmp(&ys.len())
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

fn field<'a>(d: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut segs = path.split('.');
    let mut v = d.get(segs.next()?)?;
    for s in segs {
        v = v.as_object()?.get(s)?;
    }
    Some(v)
}

fn eq(a: &Value, b: &Value) -> bool {
    cmp(a, b) == Ordering::Equal
}

fn matches(d: &Map<String, Value>, w: &Value) -> bool {
    let Some(v) = field(d, w["field"].as_str().unwrap()) else { return false };
    let x = &w["value"];
    let list = || x.as_array().cloned().unwrap_or_default();
    match w["op"].as_str().unwrap() {
        "==" => eq(v, x),
        "!=" => !v.is_null() && !eq(v, x),
        "<" => rank(v) == rank(x) && cmp(v, x) == Ordering::Less,
        "<=" => rank(v) == rank(x) && cmp(v, x) != Ordering::Greater,
        ">" => rank(v) == rank(x) && cmp(v, x) == Ordering::Greater,
        ">=" => rank(v) == rank(x) && cmp(v, x) != Ordering::Less,
        "in" => list().iter().any(|e| eq(v, e)),
        "not-in" => !v.is_null() && !list().iter().any(|e| eq(v, e)),
        "array-contains" => v.as_array().is_some_and(|a| a.iter().any(|e| eq(e, x))),
        "array-contains-any" => v.as_array().is_some_and(|a| a.iter().any(|e| list().iter().any(|y| eq(e, y)))),
        _ => false,
    }
}

/// The ids a query selects, in order.
fn reference(docs: &[(String, Map<String, Value>)], q: &Value) -> Vec<String> {
    let filters = q["where"].as_array().cloned().unwrap_or_default();
    let mut order: Vec<(String, bool)> = q["orderBy"].as_array().cloned().unwrap_or_default().iter().map(|o| (o["field"].as_str().unwrap().to_owned(), o["direction"] == "desc")).collect();
    if order.is_empty()
        && let Some(w) = filters.iter().find(|w| matches!(w["op"].as_str().unwrap(), "!=" | "<" | "<=" | ">" | ">=" | "not-in"))
    {
        order.push((w["field"].as_str().unwrap().to_owned(), false));
    }
    // Each orderBy field in its direction, then the id in the last one's.
    let mut dirs: Vec<bool> = order.iter().map(|o| o.1).collect();
    dirs.push(order.last().is_some_and(|o| o.1));
    let mut rows: Vec<(&String, Vec<Value>)> = docs
        .iter()
        .filter(|(_, d)| filters.iter().all(|w| matches(d, w)))
        .filter_map(|(id, d)| {
            let vals: Option<Vec<Value>> = order.iter().map(|(f, _)| if f == "__name__" { Some(Value::String(id.clone())) } else { field(d, f).cloned() }).collect();
            Some((id, vals?))
        })
        .collect();
    let tuple = |vals: &[Value], id: &str| {
        let mut t = vals.to_vec();
        t.push(Value::String(id.to_owned()));
        t
    };
    let cmp_tuples = |a: &[Value], b: &[Value]| {
        for ((x, y), desc) in a.iter().zip(b).zip(&dirs) {
            let o = cmp(x, y);
            if o != Ordering::Equal {
                return if *desc { o.reverse() } else { o };
            }
        }
        Ordering::Equal
    };
    rows.sort_by(|a, b| cmp_tuples(&tuple(&a.1, a.0), &tuple(&b.1, b.0)));
    let cursor = |name: &str| q.get(name).and_then(|c| c["values"].as_array().cloned());
    rows.retain(|(id, vals)| {
        let t = tuple(vals, id);
        let at = |c: &[Value]| cmp_tuples(&t[..c.len()], c);
        cursor("startAt").is_none_or(|c| at(&c) != Ordering::Less)
            && cursor("startAfter").is_none_or(|c| at(&c) == Ordering::Greater)
            && cursor("endAt").is_none_or(|c| at(&c) != Ordering::Greater)
            && cursor("endBefore").is_none_or(|c| at(&c) == Ordering::Less)
    });
    let mut ids: Vec<String> = rows.into_iter().map(|(id, _)| id.clone()).collect();
    if let Some(l) = q["limit"].as_u64() {
        ids.truncate(l as usize);
    }
    ids
}

// ---------------------------------------------------------------------------------------------
// Generators

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(Value::from),
        (-3i64..4).prop_map(Value::from),
        prop_oneof![Just(-1.5), Just(0.5), Just(2.25), Just(1e20)].prop_map(Value::from),
        prop_oneof![Just(""), Just("a"), Just("B"), Just("ab"), Just("é"), Just("😀"), Just("2026-01-01T00:00:00Z")].prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => scalar(),
        1 => proptest::collection::vec(scalar(), 0..3).prop_map(Value::from),
        1 => scalar().prop_map(|v| json!({ "k": v })),
    ]
}

/// A value, often one of three small numbers: documents then tie on several fields, which the
/// id's direction must break.
fn tied<S: Strategy<Value = Value>>(s: S) -> impl Strategy<Value = Value> {
    prop_oneof![2 => (0i64..3).prop_map(Value::from), 3 => s]
}

fn document() -> impl Strategy<Value = Map<String, Value>> {
    let some = |p| proptest::option::weighted(p, tied(value()));
    (some(0.8), some(0.8), proptest::option::of(proptest::collection::vec(scalar(), 0..4)), proptest::option::weighted(0.7, tied(scalar()))).prop_map(|(a, b, t, mk)| {
        let mut m = Map::new();
        if let Some(a) = a {
            m.insert("a".into(), a);
        }
        if let Some(b) = b {
            m.insert("b".into(), b);
        }
        if let Some(t) = t {
            m.insert("t".into(), Value::from(t));
        }
        if let Some(k) = mk {
            m.insert("m".into(), json!({ "k": k }));
        }
        m
    })
}

fn filter() -> impl Strategy<Value = Value> {
    let fields = prop_oneof![Just("a"), Just("b"), Just("t"), Just("m.k")];
    let ops = prop_oneof![Just("=="), Just("!="), Just("<"), Just("<="), Just(">"), Just(">="), Just("in"), Just("not-in"), Just("array-contains"), Just("array-contains-any")];
    (fields, ops, tied(value()), proptest::collection::vec(tied(value()), 1..4)).prop_map(|(f, op, v, list)| {
        let value = if matches!(op, "in" | "not-in" | "array-contains-any") { Value::from(list) } else { v };
        json!({ "field": f, "op": op, "value": value })
    })
}

fn query() -> impl Strategy<Value = Value> {
    // Fields in any directions (mixed ones included), sometimes ending with the id.
    let order = proptest::collection::vec((prop_oneof![Just("a"), Just("b"), Just("m.k")], any::<bool>()), 0..3);
    let name = proptest::option::weighted(0.2, any::<bool>());
    let cursor = proptest::option::of((prop_oneof![Just("startAt"), Just("startAfter"), Just("endAt"), Just("endBefore")], proptest::collection::vec(tied(value()), 1..3)));
    (proptest::collection::vec(filter(), 0..3), order, name, proptest::option::of(1u64..6), cursor, any::<bool>()).prop_map(|(mut filters, order, name, limit, cursor, on_first)| {
        let mut seen = std::collections::BTreeSet::new();
        let dir = |desc: bool| if desc { "desc" } else { "asc" };
        let order: Vec<(&str, bool)> = order.into_iter().filter(|(f, _)| seen.insert(*f)).collect();
        // Often, the inequality filters on the first orderBy field (where the rules want them).
        if on_first && let Some((first, _)) = order.first() {
            for w in &mut filters {
                if matches!(w["op"].as_str(), Some("!=" | "<" | "<=" | ">" | ">=" | "not-in")) {
                    w["field"] = json!(first);
                }
            }
        }
        let mut order: Vec<Value> = order.into_iter().map(|(f, desc)| json!({ "field": f, "direction": dir(desc) })).collect();
        if let Some(desc) = name {
            order.push(json!({ "field": "__name__", "direction": dir(desc) }));
        }
        let mut q = json!({ "where": filters, "orderBy": order });
        if let Some(l) = limit {
            q["limit"] = json!(l);
        }
        if let Some((name, values)) = cursor {
            q[name] = json!({ "values": values });
        }
        q
    })
}

// ---------------------------------------------------------------------------------------------
// The property

const INDEXES: &[(&str, &[&str])] = &[
    ("c", &["a", "b"]),
    ("c", &["b", "a"]),
    ("c", &["a", "m.k"]),
    ("c", &["m.k", "a"]),
    ("c", &["b", "m.k"]),
    ("c", &["m.k", "b"]),
    // Mixed directions (each also serves its exact reverse), some descending first.
    ("c", &["a", "b desc"]),
    ("c", &["b desc", "a"]),
    ("c", &["a desc", "m.k"]),
    ("c", &["m.k", "a desc"]),
    ("c", &["b", "m.k desc"]),
    ("c", &["m.k desc", "b"]),
    // The id against the last field's direction (`orderBy(…, "__name__")`, or a last orderBy on
    // a field fixed by `==`).
    ("c", &["a", "__name__ desc"]),
    ("c", &["b desc", "__name__ asc"]),
    ("c", &["a", "b", "__name__ desc"]),
    ("c", &["b", "a desc", "__name__ asc"]),
    ("c", &["t array-contains", "a"]),
    ("c", &["t array-contains", "b"]),
    ("c", &["t array-contains", "m.k"]),
    ("c", &["t array-contains", "a desc", "b"]),
    ("c", &["a", "b", "m.k"]),
    ("c", &["a", "b desc", "m.k"]),
    ("c", &["a", "b", "m.k desc"]),
    ("c", &["a desc", "b desc", "m.k"]),
];

#[test]
fn generated_queries_agree_on_both_backends_and_the_reference() {
    let mut fixtures = vec![Fx::with_indexes(DbKind::Sqlite, INDEXES)];
    if let Some(kind) = palbase_testkit::backend::ready("postgres", DbKind::Postgres.setup()) {
        fixtures.push(Fx::with_indexes(kind, INDEXES));
    }
    let case = AtomicUsize::new(0);
    let (answered, refused, mixed) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let strategy = (proptest::collection::vec(document(), 0..12), proptest::collection::vec(query(), 1..6));
    let result = runner.run(&strategy, |(docs, queries)| {
        let n = case.fetch_add(1, AtomicOrdering::SeqCst);
        let collection = format!("p/{n}/c");
        let docs: Vec<(String, Map<String, Value>)> = docs.into_iter().enumerate().map(|(i, d)| (format!("d{i:02}"), d)).collect();
        for f in &fixtures {
            let writes: Vec<Value> = docs.iter().map(|(id, d)| json!({"op": "set", "path": format!("{collection}/{id}"), "data": d})).collect();
            f.op("docs.batch", json!({ "writes": writes })).map_err(|e| TestCaseError::fail(e.description))?;
        }
        for q in &queries {
            let mut args = q.clone();
            args["collection"] = json!(collection);
            let answers: Vec<Result<Value, palbase_core::ApiError>> = fixtures.iter().map(|f| f.op("docs.query", args.clone())).collect();
            let counts: Vec<Result<Value, palbase_core::ApiError>> = fixtures.iter().map(|f| f.op("docs.count", args.clone())).collect();
            match &answers[0] {
                Ok(v) => {
                    let got: Vec<String> = v.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect();
                    let want = reference(&docs, q);
                    prop_assert_eq!(&got, &want, "query {} on docs {:?}", args, docs);
                    for (a, c) in answers.iter().zip(&counts).skip(1) {
                        // The same documents with the same data (write times differ between backends).
                        let strip = |v: &Value| v.as_array().map(|a| a.iter().map(|s| (s["path"].clone(), s["data"].clone())).collect::<Vec<_>>());
                        prop_assert_eq!(a.as_ref().ok().and_then(strip), strip(v), "backends differ on {}", args);
                        prop_assert_eq!(c.as_ref().ok().map(|c| c["count"].clone()), Some(json!(want.len())), "count on {}", args);
                    }
                    prop_assert_eq!(counts[0].as_ref().ok().map(|c| c["count"].clone()), Some(json!(want.len())), "count on {}", args);
                    answered.fetch_add(1, AtomicOrdering::SeqCst);
                    let dirs: std::collections::BTreeSet<bool> = q["orderBy"].as_array().unwrap().iter().map(|o| o["direction"] == "desc").collect();
                    if dirs.len() > 1 {
                        mixed.fetch_add(1, AtomicOrdering::SeqCst);
                    }
                }
                Err(e) => {
                    prop_assert!(e.code == "invalid_query" || e.code == "index_required", "{}: {} {}", args, e.code, e.description);
                    for other in answers.iter().skip(1) {
                        let o = other.as_ref().err();
                        prop_assert_eq!(o.map(|o| (&o.code, &o.description)), Some((&e.code, &e.description)));
                    }
                    refused.fetch_add(1, AtomicOrdering::SeqCst);
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (a, r, m) = (answered.load(AtomicOrdering::SeqCst), refused.load(AtomicOrdering::SeqCst), mixed.load(AtomicOrdering::SeqCst));
    eprintln!("property: {a} queries answered identically ({m} in mixed directions), {r} refused identically, on {} backend(s)", fixtures.len());
    assert!(m > 0, "no query in mixed directions was answered");
    assert!(a > r / 4, "the generator mostly makes queries that are refused ({a} answered, {r} refused)");
}
