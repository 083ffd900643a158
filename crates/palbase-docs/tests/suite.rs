//! The Documents suite, run on SQLite and on PostgreSQL (the same assertions on both).

#![allow(clippy::result_large_err)]

mod common;

use common::*;
use palbase_testkit::DbKind;
use serde_json::{Value, json};

palbase_testkit::db_suite!(
    documents_crud_and_snapshots,
    values_round_trip_exactly,
    queries_filters_orders_and_cursors,
    mixed_direction_orders_and_cursors,
    cross_type_order_and_string_bytes,
    invalid_input_is_a_clear_error,
    composite_indexes_and_backfill,
    batches_and_transactions_are_all_or_nothing,
);

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect()
}

fn documents_crud_and_snapshots(kind: DbKind) {
    let f = Fx::new(kind);
    let r = f.ok("docs.add", json!({"collection": "rooms", "data": {"name": "Lobby"}}));
    let id = r["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 20);
    assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(r["path"], format!("rooms/{id}"));
    let snap = f.ok("docs.get", json!({"path": format!("rooms/{id}")}));
    assert_eq!(snap["id"], id.as_str());
    assert_eq!(snap["data"], json!({"name": "Lobby"}));
    let created = snap["createTime"].as_str().unwrap().to_owned();
    assert!(created.ends_with('Z') && created.contains('T'), "{created}");
    assert_eq!(snap["updateTime"], snap["createTime"]);

    // set replaces; set with merge merges maps at every depth.
    f.ok("docs.set", json!({"path": "rooms/abc", "data": {"name": "A", "meta": {"x": 1, "y": 2}}}));
    f.ok("docs.set", json!({"path": "rooms/abc", "data": {"meta": {"y": 3, "z": 4}}, "merge": true}));
    assert_eq!(f.ok("docs.get", json!({"path": "rooms/abc"}))["data"], json!({"name": "A", "meta": {"x": 1, "y": 3, "z": 4}}));
    f.ok("docs.set", json!({"path": "rooms/abc", "data": {"only": true}}));
    assert_eq!(f.ok("docs.get", json!({"path": "rooms/abc"}))["data"], json!({"only": true}));

    // update with dotted paths; times move; create time stays.
    std::thread::sleep(std::time::Duration::from_millis(2));
    f.ok("docs.update", json!({"path": "rooms/abc", "data": {"a.b.c": 1, "only": false}}));
    let s = f.ok("docs.get", json!({"path": "rooms/abc"}));
    assert_eq!(s["data"], json!({"only": false, "a": {"b": {"c": 1}}}));
    assert!(s["updateTime"].as_str() > s["createTime"].as_str());
    let e = f.fails("docs.update", json!({"path": "rooms/missing", "data": {"a": 1}}));
    assert_eq!((e.status, e.code.as_str()), (404, "not_found"));

    // Subcollections are their own collections.
    f.ok("docs.set", json!({"path": "rooms/abc/messages/m1", "data": {"text": "hi"}}));
    f.ok("docs.add", json!({"collection": "rooms/abc/messages", "data": {"text": "yo"}}));
    assert_eq!(f.ok("docs.count", json!({"collection": "rooms/abc/messages"})), json!({"count": 2}));
    assert_eq!(f.ok("docs.count", json!({"collection": "rooms"})), json!({"count": 2}));

    // delete; get of a missing document is null; deleting nothing is fine.
    f.ok("docs.delete", json!({"path": "rooms/abc"}));
    assert_eq!(f.ok("docs.get", json!({"path": "rooms/abc"})), Value::Null);
    f.ok("docs.delete", json!({"path": "rooms/abc"}));
    assert_eq!(f.ok("docs.count", json!({"collection": "rooms"})), json!({"count": 1}));

    // Events: one per create/update/delete, with before/after.
    let ev = f.events();
    let kinds: Vec<&str> = ev.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["documents.created", "documents.created", "documents.updated", "documents.updated", "documents.updated", "documents.created", "documents.created", "documents.deleted"]);
    let (_, upd) = &ev[2];
    assert_eq!(upd["path"], "rooms/abc");
    assert_eq!(upd["collection"], "rooms");
    assert_eq!(upd["id"], "abc");
    assert_eq!(upd["before"], json!({"name": "A", "meta": {"x": 1, "y": 2}}));
    assert_eq!(upd["after"], json!({"name": "A", "meta": {"x": 1, "y": 3, "z": 4}}));
    assert!(upd["at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(ev[7].1["after"], Value::Null);
}

fn values_round_trip_exactly(kind: DbKind) {
    let f = Fx::new(kind);
    let data = json!({
        "int": 42, "neg": -17, "big": 9007199254740993u64, "i64min": i64::MIN, "frac": 0.1, "tiny": 5e-324, "huge": 1.7976931348623157e308,
        "s": "héllo 😀 \u{0} \"q\"", "t": true, "f": false, "n": null,
        "nested": {"a": [1, [2, [3]], {"b": null}], "empty": {}, "list": []},
        "when": "2026-12-01T13:00:00.000Z", "zero": 0, "negzero": -0.0,
    });
    f.ok("docs.set", json!({"path": "v/1", "data": data}));
    let got = f.ok("docs.get", json!({"path": "v/1"}))["data"].clone();
    assert_eq!(serde_json::to_string(&got).unwrap(), serde_json::to_string(&data).unwrap());
}

fn seed(f: &Fx) {
    let rows = [
        ("a", json!({"n": 1, "s": "x", "tags": ["red", "blue"], "m": {"k": 1}, "active": true})),
        ("b", json!({"n": 2, "s": "y", "tags": ["blue"], "m": {"k": 2}, "active": false})),
        ("c", json!({"n": 3, "s": "x", "tags": [], "active": true})),
        ("d", json!({"n": null, "s": "z", "tags": ["red"], "active": true})),
        ("e", json!({"s": "y", "active": false})),
        ("f", json!({"n": "3", "s": "x", "active": true})),
        ("g", json!({"n": 2.5, "tags": ["green", "red"], "active": true})),
    ];
    for (id, d) in rows {
        f.ok("docs.set", json!({"path": format!("items/{id}"), "data": d}));
    }
}

fn q(f: &Fx, mut query: Value) -> Vec<String> {
    query["collection"] = json!("items");
    ids(&f.ok("docs.query", query))
}

fn queries_filters_orders_and_cursors(kind: DbKind) {
    let f = Fx::with_indexes(kind, &[("items", &["s", "n"]), ("items", &["tags array-contains", "n"])]);
    seed(&f);
    let w = |field: &str, op: &str, value: Value| json!({"where": [{"field": field, "op": op, "value": value}]});
    // No filter: by id.
    assert_eq!(q(&f, json!({})), ["a", "b", "c", "d", "e", "f", "g"]);
    // == (a missing field never matches; null matches null only).
    assert_eq!(q(&f, w("s", "==", json!("x"))), ["a", "c", "f"]);
    assert_eq!(q(&f, w("n", "==", json!(null))), ["d"]);
    assert_eq!(q(&f, w("m.k", "==", json!(2))), ["b"]);
    assert_eq!(q(&f, w("m", "==", json!({"k": 1}))), ["a"]);
    // Ranges keep the value's type only, ordered by the field.
    assert_eq!(q(&f, w("n", ">", json!(1))), ["b", "g", "c"]);
    assert_eq!(q(&f, w("n", ">=", json!(2))), ["b", "g", "c"]);
    assert_eq!(q(&f, w("n", "<", json!(2.5))), ["a", "b"]);
    assert_eq!(q(&f, w("n", "<=", json!("3"))), ["f"]);
    // != and not-in skip null and missing.
    assert_eq!(q(&f, w("n", "!=", json!(2))), ["a", "g", "c", "f"]);
    assert_eq!(q(&f, w("n", "not-in", json!([1, 3]))), ["b", "g", "f"]);
    // in, array-contains, array-contains-any (each document once).
    assert_eq!(q(&f, w("s", "in", json!(["y", "z"]))), ["b", "d", "e"]);
    assert_eq!(q(&f, w("tags", "array-contains", json!("red"))), ["a", "d", "g"]);
    assert_eq!(q(&f, w("tags", "array-contains-any", json!(["red", "blue"]))), ["a", "b", "d", "g"]);
    // orderBy asc/desc; documents without the field are left out; limit.
    assert_eq!(q(&f, json!({"orderBy": [{"field": "n"}]})), ["d", "a", "b", "g", "c", "f"]);
    assert_eq!(q(&f, json!({"orderBy": [{"field": "n", "direction": "desc"}], "limit": 3})), ["f", "c", "g"]);
    // Equality + orderBy through a composite index; in + orderBy merges the prefixes.
    assert_eq!(q(&f, json!({"where": [{"field": "s", "op": "==", "value": "x"}], "orderBy": [{"field": "n", "direction": "desc"}]})), ["f", "c", "a"]);
    assert_eq!(q(&f, json!({"where": [{"field": "s", "op": "in", "value": ["x", "y"]}], "orderBy": [{"field": "n"}]})), ["a", "b", "c", "f"]);
    assert_eq!(q(&f, json!({"where": [{"field": "s", "op": "==", "value": "x"}, {"field": "n", "op": ">", "value": 1}]})), ["c"]);
    assert_eq!(q(&f, json!({"where": [{"field": "tags", "op": "array-contains-any", "value": ["red", "blue"]}], "orderBy": [{"field": "n"}], "limit": 3})), ["d", "a", "b"]);
    // Cursors by values and by snapshot.
    let by_n = |c: Value| {
        let mut base = json!({"orderBy": [{"field": "n"}]});
        for (k, v) in c.as_object().unwrap() {
            base[k] = v.clone();
        }
        q(&f, base)
    };
    assert_eq!(by_n(json!({"startAt": {"values": [2]}})), ["b", "g", "c", "f"]);
    assert_eq!(by_n(json!({"startAfter": {"values": [2]}})), ["g", "c", "f"]);
    assert_eq!(by_n(json!({"endAt": {"values": [2.5]}})), ["d", "a", "b", "g"]);
    assert_eq!(by_n(json!({"endBefore": {"values": [2.5]}, "startAt": {"values": [1]}})), ["a", "b"]);
    let snap_b = f.ok("docs.get", json!({"path": "items/b"}));
    assert_eq!(by_n(json!({"startAfter": {"snapshot": {"id": "b", "data": snap_b["data"]}}, "limit": 2})), ["g", "c"]);
    let desc = q(&f, json!({"orderBy": [{"field": "n", "direction": "desc"}], "startAfter": {"values": [3]}, "endAt": {"values": [2]}}));
    assert_eq!(desc, ["g", "b"]);
    // count, with and without limit.
    let count = |query: Value| f.ok("docs.count", json!({"collection": "items", "where": query["where"], "limit": query.get("limit")}))["count"].clone();
    assert_eq!(count(w("active", "==", json!(true))), 5);
    assert_eq!(count(json!({"where": [{"field": "active", "op": "==", "value": true}], "limit": 2})), 2);
    assert_eq!(count(w("tags", "array-contains-any", json!(["red", "blue"]))), 4);
    assert_eq!(count(w("n", "!=", json!(2))), 4);
}

fn mixed_direction_orders_and_cursors(kind: DbKind) {
    let indexes: &[(&str, &[&str])] =
        &[("scores", &["status", "score desc"]), ("scores", &["team", "status", "score desc"]), ("scores", &["score desc", "status"]), ("scores", &["score", "__name__ desc"]), ("scores", &["team", "score", "__name__ desc"])];
    let mut f = Fx::new(kind);
    let rows = [("a", "x", "open", 3), ("b", "x", "done", 5), ("c", "y", "open", 5), ("d", "x", "open", 1), ("e", "y", "done", 3), ("f", "x", "open", 3), ("g", "y", "new", 2), ("h", "x", "done", 5)];
    for (id, team, status, score) in rows {
        f.ok("docs.set", json!({"path": format!("scores/{id}"), "data": {"team": team, "status": status, "score": score}}));
    }
    let run = |f: &Fx, mut query: Value| {
        query["collection"] = json!("scores");
        ids(&f.ok("docs.query", query))
    };
    let status_asc_score_desc = json!([{"field": "status"}, {"field": "score", "direction": "desc"}]);
    let status_desc_score_asc = json!([{"field": "status", "direction": "desc"}, {"field": "score", "direction": "asc"}]);
    // Without the index: index_required, naming it with its directions.
    let e = f.fails("docs.query", json!({"collection": "scores", "orderBy": status_asc_score_desc}));
    assert_eq!(e.code, "index_required");
    assert!(e.description.contains(r#"fields = ["status", "score desc"]"#), "{}", e.description);
    // Declared: backfilled at start-up, like any index.
    f.reopen(indexes);
    let with = |order: &Value, extra: Value| {
        let mut query = json!({"orderBy": order});
        for (k, v) in extra.as_object().unwrap() {
            query[k] = v.clone();
        }
        run(&f, query)
    };
    // Ordering (ties by id in the last orderBy's direction), limit, the reversed order.
    assert_eq!(with(&status_asc_score_desc, json!({})), ["h", "b", "e", "g", "c", "f", "a", "d"]);
    assert_eq!(with(&status_asc_score_desc, json!({"limit": 3})), ["h", "b", "e"]);
    assert_eq!(with(&status_desc_score_asc, json!({})), ["d", "a", "f", "c", "g", "e", "b", "h"]);
    assert_eq!(with(&status_desc_score_asc, json!({"limit": 2})), ["d", "a"]);
    // Every cursor kind, by values (all or a prefix of the fields) and by snapshot.
    assert_eq!(with(&status_asc_score_desc, json!({"startAt": {"values": ["done", 3]}})), ["e", "g", "c", "f", "a", "d"]);
    assert_eq!(with(&status_asc_score_desc, json!({"startAfter": {"values": ["open", 5]}})), ["f", "a", "d"]);
    assert_eq!(with(&status_asc_score_desc, json!({"endAt": {"values": ["new"]}})), ["h", "b", "e", "g"]);
    assert_eq!(with(&status_asc_score_desc, json!({"endBefore": {"values": ["open", 3]}})), ["h", "b", "e", "g", "c"]);
    let snap = |id: &str| json!({"snapshot": {"id": id, "data": f.ok("docs.get", json!({"path": format!("scores/{id}")}))["data"]}});
    assert_eq!(with(&status_asc_score_desc, json!({"startAfter": snap("f")})), ["a", "d"]);
    assert_eq!(with(&status_asc_score_desc, json!({"startAt": snap("a"), "limit": 1})), ["a"]);
    assert_eq!(with(&status_asc_score_desc, json!({"endBefore": snap("f")})), ["h", "b", "e", "g", "c"]);
    assert_eq!(with(&status_asc_score_desc, json!({"startAfter": snap("h"), "endAt": snap("c")})), ["b", "e", "g", "c"]);
    assert_eq!(with(&status_desc_score_asc, json!({"startAfter": {"values": ["open", 1]}, "endBefore": {"values": ["done", 5]}})), ["a", "f", "c", "g", "e"]);
    assert_eq!(with(&status_desc_score_asc, json!({"startAt": snap("f"), "endAt": snap("b")})), ["f", "c", "g", "e", "b"]);
    // Equality on a field before them.
    let team_x = json!({"field": "team", "op": "==", "value": "x"});
    assert_eq!(with(&status_asc_score_desc, json!({"where": [team_x]})), ["h", "b", "f", "a", "d"]);
    assert_eq!(with(&status_asc_score_desc, json!({"where": [team_x], "limit": 2})), ["h", "b"]);
    assert_eq!(with(&status_asc_score_desc, json!({"where": [team_x], "startAfter": {"values": ["done", 5]}})), ["f", "a", "d"]);
    assert_eq!(with(&status_asc_score_desc, json!({"where": [team_x], "endAt": {"values": ["open", 3]}})), ["h", "b", "f", "a"]);
    assert_eq!(with(&status_asc_score_desc, json!({"where": [team_x], "startAt": snap("b"), "endBefore": snap("d")})), ["b", "f", "a"]);
    assert_eq!(with(&status_desc_score_asc, json!({"where": [team_x]})), ["d", "a", "f", "b", "h"]);
    assert_eq!(with(&status_desc_score_asc, json!({"where": [{"field": "team", "op": "in", "value": ["x", "y"]}]})), ["d", "a", "f", "c", "g", "e", "b", "h"]);
    // An inequality on the first orderBy field, alone and after an equality.
    let status_gt_done = json!({"field": "status", "op": ">", "value": "done"});
    assert_eq!(with(&status_asc_score_desc, json!({"where": [status_gt_done]})), ["g", "c", "f", "a", "d"]);
    assert_eq!(with(&status_asc_score_desc, json!({"where": [status_gt_done], "startAfter": {"values": ["open", 5]}})), ["f", "a", "d"]);
    assert_eq!(with(&status_asc_score_desc, json!({"where": [status_gt_done], "limit": 2})), ["g", "c"]);
    assert_eq!(with(&status_desc_score_asc, json!({"where": [{"field": "status", "op": "<", "value": "open"}]})), ["g", "e", "b", "h"]);
    assert_eq!(with(&status_desc_score_asc, json!({"where": [{"field": "status", "op": "!=", "value": "new"}], "endAt": {"values": ["done", 3]}})), ["d", "a", "f", "c", "e"]);
    assert_eq!(with(&status_asc_score_desc, json!({"where": [team_x, status_gt_done]})), ["f", "a", "d"]);
    assert_eq!(with(&status_asc_score_desc, json!({"where": [team_x, status_gt_done], "endBefore": {"values": ["open", 1]}})), ["f", "a"]);
    assert_eq!(with(&status_desc_score_asc, json!({"where": [team_x, {"field": "status", "op": "<=", "value": "open"}], "startAfter": snap("a")})), ["f", "b", "h"]);
    let count = f.ok("docs.count", json!({"collection": "scores", "where": [team_x, status_gt_done], "orderBy": status_asc_score_desc}));
    assert_eq!(count, json!({"count": 3}));
    // A descending first index field, with an inequality and cursors on it.
    let score_desc_status_asc = json!([{"field": "score", "direction": "desc"}, {"field": "status"}]);
    let score_asc_status_desc = json!([{"field": "score"}, {"field": "status", "direction": "desc"}]);
    assert_eq!(with(&score_desc_status_asc, json!({"where": [{"field": "score", "op": ">=", "value": 3}]})), ["b", "h", "c", "e", "a", "f"]);
    assert_eq!(with(&score_desc_status_asc, json!({"where": [{"field": "score", "op": "<", "value": 3}]})), ["g", "d"]);
    assert_eq!(with(&score_desc_status_asc, json!({"where": [{"field": "score", "op": "not-in", "value": [2, 5]}]})), ["e", "a", "f", "d"]);
    assert_eq!(with(&score_desc_status_asc, json!({"startAfter": {"values": [5, "done"]}, "endAt": {"values": [3]}})), ["c", "e", "a", "f"]);
    assert_eq!(with(&score_asc_status_desc, json!({"where": [{"field": "score", "op": ">", "value": 3}]})), ["c", "h", "b"]);
    assert_eq!(with(&score_asc_status_desc, json!({"where": [{"field": "score", "op": "<=", "value": 3}], "startAfter": {"values": [2]}, "limit": 2})), ["f", "a"]);
    // The id's own direction: `__name__` ending the orderBys or the index.
    let by_score_then_id_desc = json!([{"field": "score"}, {"field": "__name__", "direction": "desc"}]);
    assert_eq!(with(&by_score_then_id_desc, json!({})), ["d", "g", "f", "e", "a", "h", "c", "b"]);
    assert_eq!(with(&by_score_then_id_desc, json!({"startAfter": snap("e"), "endBefore": {"values": [5]}})), ["a"]);
    assert_eq!(with(&json!([{"field": "score", "direction": "desc"}, {"field": "__name__"}]), json!({"limit": 4})), ["b", "c", "h", "a"]);
    // The last orderBy on a field fixed by `==`: it still gives the id's direction.
    let q = json!({"where": [team_x], "orderBy": [{"field": "score"}, {"field": "team", "direction": "desc"}]});
    assert_eq!(run(&f, q), ["d", "f", "a", "h", "b"]);
    // Cursor values follow the orderBys as written, those on fields fixed by `==` included: a
    // cursor value beyond the fixed one passes every document, before it none, equal to it the
    // next value decides (found by the property test).
    let fixed = |cursor: &str, values: Value| {
        let q = json!({"where": [team_x], "orderBy": [{"field": "team", "direction": "desc"}, {"field": "score"}, {"field": "__name__", "direction": "desc"}], cursor: {"values": values}});
        run(&f, q)
    };
    assert_eq!(fixed("startAt", json!(["y"])), ["d", "f", "a", "h", "b"]);
    assert_eq!(fixed("startAt", json!([[]])), ["d", "f", "a", "h", "b"], "an array sorts after strings: before `x` in descending order");
    assert_eq!(fixed("startAt", json!(["w", 0])), Vec::<String>::new());
    assert_eq!(fixed("startAfter", json!(["x", 3])), ["h", "b"]);
    assert_eq!(fixed("endAt", json!(["x", 3])), ["d", "f", "a"]);
    assert_eq!(fixed("endBefore", json!(["w"])), ["d", "f", "a", "h", "b"]);
    assert_eq!(fixed("endBefore", json!(["y", 9])), Vec::<String>::new());
    let e = f.fails("docs.query", json!({"collection": "scores", "where": [team_x], "orderBy": [{"field": "team"}], "startAt": {"values": ["x", 1]}}));
    assert!(e.description.contains("orders by 1 field(s) (team)"), "{}", e.description);
    // A declared mixed index is not one with the other directions.
    let e = f.fails("docs.query", json!({"collection": "scores", "orderBy": [{"field": "status"}, {"field": "score"}, {"field": "team", "direction": "desc"}]}));
    assert!(e.description.contains(r#"fields = ["status", "score", "team desc"]"#), "{}", e.description);
    // Kept up to date by writes.
    f.ok("docs.update", json!({"path": "scores/d", "data": {"status": "done"}}));
    f.ok("docs.delete", json!({"path": "scores/h"}));
    assert_eq!(with(&status_asc_score_desc, json!({"where": [team_x]})), ["b", "d", "f", "a"]);
}

fn cross_type_order_and_string_bytes(kind: DbKind) {
    let f = Fx::new(kind);
    let values = [json!(null), json!(false), json!(true), json!(-1.5), json!(0), json!(7), json!(""), json!("B"), json!("a"), json!("é"), json!("😀"), json!([1]), json!([1, 0]), json!({"a": 1})];
    for (i, v) in values.iter().enumerate().rev() {
        f.ok("docs.set", json!({"path": format!("x/{i:02}"), "data": {"v": v}}));
    }
    let got: Vec<Value> = f.ok("docs.query", json!({"collection": "x", "orderBy": [{"field": "v"}]})).as_array().unwrap().iter().map(|s| s["data"]["v"].clone()).collect();
    assert_eq!(got, values);
    let got: Vec<Value> = f.ok("docs.query", json!({"collection": "x", "orderBy": [{"field": "v", "direction": "desc"}]})).as_array().unwrap().iter().map(|s| s["data"]["v"].clone()).collect();
    assert_eq!(got, values.iter().rev().cloned().collect::<Vec<_>>());
    // Strings compare by UTF-8 bytes ("B" < "a" < "é"), not a collation.
    let strings: Vec<String> = ids(&f.ok("docs.query", json!({"collection": "x", "where": [{"field": "v", "op": ">=", "value": ""}]})));
    assert_eq!(strings, ["06", "07", "08", "09", "10"]);
}

#[track_caller]
fn code(f: &Fx, op: &str, args: Value, status: u16, code: &str) -> String {
    let e = f.fails(op, args.clone());
    assert_eq!((e.status, e.code.as_str()), (status, code), "{op} {args}: {}", e.description);
    e.description
}

fn invalid_input_is_a_clear_error(kind: DbKind) {
    let f = Fx::new(kind);
    for p in ["", "rooms", "rooms/", "/rooms/a", "rooms//a", "rooms/..", "rooms/a/msgs", "rooms/__x__"] {
        code(&f, "docs.get", json!({"path": p}), 400, "invalid_path");
    }
    code(&f, "docs.get", json!({"path": format!("rooms/{}", "x".repeat(1501))}), 400, "invalid_path");
    for c in ["", "rooms/a", "a//b", "rooms/a/"] {
        code(&f, "docs.add", json!({"collection": c, "data": {}}), 400, "invalid_path");
    }
    for field in ["", ".a", "a.", "a..b"] {
        code(&f, "docs.query", json!({"collection": "r", "where": [{"field": field, "op": "==", "value": 1}]}), 400, "invalid_field_path");
    }
    f.ok("docs.set", json!({"path": "r/a", "data": {"x": 1}}));
    code(&f, "docs.update", json!({"path": "r/a", "data": {"a..b": 1}}), 400, "invalid_field_path");
    code(&f, "docs.set", json!({"path": "r/a", "data": [1]}), 400, "invalid_data");
    code(&f, "docs.add", json!({"collection": "r", "data": "text"}), 400, "invalid_data");
    code(&f, "docs.set", json!({"path": "r/a", "data": {}, "nope": 1}), 400, "invalid_arguments");
    // Over 1 MiB: refused, nothing written.
    let d = code(&f, "docs.set", json!({"path": "r/a", "data": {"big": "x".repeat(1 << 20)}}), 413, "document_too_large");
    assert!(d.contains("1048576"), "{d}");
    assert_eq!(f.ok("docs.get", json!({"path": "r/a"}))["data"], json!({"x": 1}));
    let mut deep = json!(1);
    for _ in 0..30 {
        deep = json!({ "d": deep });
    }
    code(&f, "docs.set", json!({"path": "r/deep", "data": deep}), 400, "invalid_data");
    // Invalid queries name what is wrong.
    let query = |filters: Value, order: Value| json!({"collection": "r", "where": filters, "orderBy": order});
    let cases = [
        (query(json!([{"field": "a", "op": "~", "value": 1}]), json!([])), "not a filter operator"),
        (query(json!([{"field": "a", "op": ">", "value": 1}, {"field": "b", "op": "<", "value": 1}]), json!([])), "one field"),
        (query(json!([{"field": "a", "op": ">", "value": 1}]), json!([{"field": "b"}])), "order by `a` first"),
        (query(json!([{"field": "a", "op": "!=", "value": 1}, {"field": "a", "op": "not-in", "value": [2]}]), json!([])), "at most one `!=` or `not-in`"),
        (query(json!([{"field": "a", "op": "in", "value": [1]}, {"field": "b", "op": "not-in", "value": [2]}]), json!([])), "at most one `in`"),
        (query(json!([{"field": "a", "op": "in", "value": (0..31).collect::<Vec<_>>()}]), json!([])), "at most 30"),
        (query(json!([{"field": "a", "op": "not-in", "value": (0..11).collect::<Vec<_>>()}]), json!([])), "at most 10"),
        (query(json!([{"field": "a", "op": "in", "value": []}]), json!([])), "non-empty array"),
        (query(json!([{"field": "a", "op": "array-contains", "value": 1}, {"field": "b", "op": "array-contains-any", "value": [1]}]), json!([])), "at most one `array-contains`"),
        (query(json!([{"field": "a", "op": "<", "value": null}]), json!([])), "null only supports"),
        (query(json!([]), json!([{"field": "a", "direction": "up"}])), "not a direction"),
        (json!({"collection": "r", "orderBy": [{"field": "a"}], "startAt": {"values": [1, 2]}}), "at most one value per orderBy"),
        (json!({"collection": "r", "orderBy": [{"field": "a"}], "startAt": {"snapshot": {"id": "x", "data": {}}}}), "has no `a`"),
    ];
    for (args, want) in cases {
        let d = code(&f, "docs.query", args.clone(), 400, "invalid_query");
        assert!(d.contains(want), "{args}: {d}");
    }
    // A query no index serves: the error names the index to declare.
    let e = f.fails("docs.query", query(json!([{"field": "a", "op": "==", "value": 1}]), json!([{"field": "b"}])));
    assert_eq!((e.status, e.code.as_str()), (400, "index_required"));
    assert!(e.description.contains("[[documents.indexes]]\ncollection = \"r\"\nfields = [\"a\", \"b\"]"), "{}", e.description);
    assert_eq!(e.data.unwrap()["index"], json!({"collection": "r", "fields": ["a", "b"]}));
    // Mixed directions: the index to declare carries them.
    let e = f.fails("docs.query", query(json!([]), json!([{"field": "a"}, {"field": "b", "direction": "desc"}])));
    assert_eq!((e.status, e.code.as_str()), (400, "index_required"));
    assert!(e.description.contains("fields = [\"a\", \"b desc\"]"), "{}", e.description);
    assert_eq!(e.data.unwrap()["index"], json!({"collection": "r", "fields": ["a", "b desc"]}));
}

fn composite_indexes_and_backfill(kind: DbKind) {
    let mut f = Fx::new(kind);
    for i in 0..20 {
        f.ok("docs.set", json!({"path": format!("rooms/a/msgs/{i:02}"), "data": {"room": "a", "n": i % 5, "k": i}}));
        f.ok("docs.set", json!({"path": format!("rooms/b/msgs/{i:02}"), "data": {"room": "b", "n": i % 5, "k": i}}));
    }
    let query = json!({"collection": "rooms/a/msgs", "where": [{"field": "n", "op": "==", "value": 3}], "orderBy": [{"field": "k", "direction": "desc"}]});
    assert_eq!(f.fails("docs.query", query.clone()).code, "index_required");
    // Declaring the index builds it from the documents already there (in every `msgs`).
    f.reopen(&[("msgs", &["n", "k"])]);
    assert_eq!(ids(&f.ok("docs.query", query.clone())), ["18", "13", "08", "03"]);
    // Kept up to date by writes.
    f.ok("docs.update", json!({"path": "rooms/a/msgs/18", "data": {"n": 4}}));
    f.ok("docs.delete", json!({"path": "rooms/a/msgs/03"}));
    f.ok("docs.set", json!({"path": "rooms/a/msgs/99", "data": {"n": 3, "k": 99}}));
    assert_eq!(ids(&f.ok("docs.query", query.clone())), ["99", "13", "08"]);
    // Dropped when no longer declared, rebuilt when declared again.
    f.reopen(&[]);
    f.ok("docs.set", json!({"path": "rooms/a/msgs/77", "data": {"n": 3, "k": 77}}));
    f.reopen(&[("msgs", &["n", "k"])]);
    assert_eq!(ids(&f.ok("docs.query", query)), ["99", "77", "13", "08"]);
}

fn batches_and_transactions_are_all_or_nothing(kind: DbKind) {
    let f = Fx::new(kind);
    f.ok("docs.set", json!({"path": "acc/a", "data": {"bal": 10}}));
    // A batch whose last write fails leaves nothing of it.
    let e = f.fails(
        "docs.batch",
        json!({"writes": [
            {"op": "set", "path": "acc/b", "data": {"bal": 5}},
            {"op": "update", "path": "acc/a", "data": {"bal": 0}},
            {"op": "update", "path": "acc/missing", "data": {"bal": 1}},
        ]}),
    );
    assert_eq!(e.code, "not_found");
    assert_eq!(f.ok("docs.get", json!({"path": "acc/b"})), Value::Null);
    assert_eq!(f.ok("docs.get", json!({"path": "acc/a"}))["data"], json!({"bal": 10}));
    let events_before = f.events().len();
    f.ok(
        "docs.batch",
        json!({"writes": [
            {"op": "set", "path": "acc/b", "data": {"bal": 5}},
            {"op": "update", "path": "acc/a", "data": {"bal": 0}},
            {"op": "delete", "path": "acc/none"},
        ]}),
    );
    assert_eq!(f.ok("docs.count", json!({"collection": "acc"})), json!({"count": 2}));
    assert_eq!(f.events().len(), events_before + 2);

    // Writes inside Database.transaction join it: rolled back with it, events included.
    let tx = f.op_as(Some("r1"), "db.begin", json!({})).unwrap()["tx"].clone();
    f.op_as(Some("r1"), "docs.set", json!({"path": "acc/c", "data": {"bal": 1}})).unwrap();
    f.op_as(Some("r1"), "docs.add", json!({"collection": "acc", "data": {"bal": 2}})).unwrap();
    // Read your own writes inside the transaction.
    assert_eq!(f.op_as(Some("r1"), "docs.count", json!({"collection": "acc"})).unwrap(), json!({"count": 4}));
    // A failing write inside does not end the transaction.
    assert!(f.op_as(Some("r1"), "docs.update", json!({"path": "acc/zz", "data": {"a": 1}})).is_err());
    f.op_as(Some("r1"), "db.rollback", json!({"tx": tx})).unwrap();
    assert_eq!(f.ok("docs.count", json!({"collection": "acc"})), json!({"count": 2}));
    assert_eq!(f.events().len(), events_before + 2);
    // ... and committed with it.
    let tx = f.op_as(Some("r2"), "db.begin", json!({})).unwrap()["tx"].clone();
    f.op_as(Some("r2"), "docs.set", json!({"path": "acc/c", "data": {"bal": 1}})).unwrap();
    f.op_as(Some("r2"), "db.commit", json!({"tx": tx})).unwrap();
    assert_eq!(f.ok("docs.get", json!({"path": "acc/c"}))["data"], json!({"bal": 1}));
    let ev = f.events();
    assert_eq!(ev.len(), events_before + 3);
    assert_eq!(ev.last().unwrap().0, "documents.created");
}
