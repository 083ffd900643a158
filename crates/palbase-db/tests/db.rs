//! One suite, run against both backends: `cargo test -p palbase-db` (the PostgreSQL half and
//! when it is skipped: palbase-testkit's crate docs).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use palbase_db::{DbOptions, MigrateOptions, RefusedKind};
use serde_json::{Value, json};

palbase_testkit::db_suite!(
    insert_fills_defaults,
    crud_and_not_found,
    every_type_round_trips,
    find_many_filters,
    query_parameters,
    query_is_read_only,
    query_in_transaction_is_read_only,
    transactions_commit_and_rollback,
    transaction_survives_a_failed_statement,
    transaction_times_out,
    long_query_is_stopped,
    end_request_rolls_back,
    nested_and_outside_writes_are_refused,
    constraint_errors,
    unknown_names_and_bad_values,
    foreign_keys_cascade_and_restrict,
    migrations_create_and_record,
    migrations_safe_changes,
    migrations_refuse_destructive_changes,
    migrations_apply_with_data_loss,
    migrations_dry_run,
    migrations_enum_values,
    concurrent_migrations_apply_once,
    concurrent_writes,
    burst_of_writes_with_failures,
    schema_survives_restart,
);

fn app(kind: Kind) -> Harness {
    let h = Harness::new(kind);
    h.migrate(&app_schema());
    h
}

fn is_iso_ms(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 24 && b[4] == b'-' && b[10] == b'T' && b[19] == b'.' && b[23] == b'Z' && s.parse::<jiff::Timestamp>().is_ok()
}

fn is_uuid_v4(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok_and(|u| u.get_version_num() == 4) && s == s.to_lowercase() && s.len() == 36
}

fn insert_fills_defaults(kind: Kind) {
    let h = app(kind);
    let room = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "Blue"}}));
    let id = room["id"].as_str().unwrap();
    assert!(is_uuid_v4(id), "{id}");
    assert!(is_iso_ms(room["created_at"].as_str().unwrap()), "{room}");
    assert_eq!(room["is_active"], json!(true));
    assert_eq!(room["capacity"], Value::Null);
    assert_eq!(room["name"], "Blue");
    // Columns come back in schema order.
    let keys: Vec<&String> = room.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "name", "capacity", "is_active", "created_at"]);
    // A returned timestamp finds its row again (millisecond precision everywhere).
    let found = h.ok("db.findMany", json!({"table": "rooms", "where": {"created_at": room["created_at"]}}));
    assert_eq!(found, json!([room]));
    // All defaults: DEFAULT VALUES.
    let o = h.op("db.insert", json!({"table": "kitchen", "data": {}})).unwrap();
    assert!(is_uuid_v4(o["id"].as_str().unwrap()));
}

fn crud_and_not_found(kind: Kind) {
    let h = app(kind);
    let room = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "A", "capacity": 4}}));
    let id = room["id"].clone();
    assert_eq!(h.ok("db.findById", json!({"table": "rooms", "id": id})), room);
    let upd = h.ok("db.update", json!({"table": "rooms", "id": id, "data": {"capacity": 10, "is_active": false}}));
    assert_eq!(upd["capacity"], 10);
    assert_eq!(upd["is_active"], false);
    assert_eq!(upd["name"], "A");
    assert_eq!(upd["created_at"], room["created_at"]);
    // Empty update: the row as it is.
    assert_eq!(h.ok("db.update", json!({"table": "rooms", "id": id, "data": {}})), upd);
    assert_eq!(h.ok("db.findMany", json!({"table": "rooms"})), json!([upd]));
    assert_eq!(h.ok("db.delete", json!({"table": "rooms", "id": id})), Value::Null);
    assert_eq!(h.ok("db.findById", json!({"table": "rooms", "id": id})), Value::Null);

    let missing = uuid::Uuid::new_v4().to_string();
    for (op, args) in [
        ("db.update", json!({"table": "rooms", "id": missing, "data": {"name": "x"}})),
        ("db.update", json!({"table": "rooms", "id": missing, "data": {}})),
        ("db.delete", json!({"table": "rooms", "id": missing})),
        ("db.delete", json!({"table": "rooms", "id": "not-a-uuid"})),
    ] {
        let e = h.err(op, args);
        assert_eq!((e.status, e.code.as_str()), (404, "row_not_found"), "{op}");
        assert!(e.description.contains("rooms"));
    }
    // An id that cannot be a key value matches nothing.
    assert_eq!(h.ok("db.findById", json!({"table": "rooms", "id": "not-a-uuid"})), Value::Null);
    assert_eq!(h.ok("db.findById", json!({"table": "rooms", "id": 7})), Value::Null);

    // Integer primary keys are not filled in by SQLite either.
    let e = h.err("db.insert", json!({"table": "items", "data": {"sku": "a"}}));
    assert_eq!(e.code, "not_null_violation");
    let it = h.ok("db.insert", json!({"table": "items", "data": {"id": 7, "sku": "a"}}));
    assert_eq!(h.ok("db.findById", json!({"table": "items", "id": 7})), it);
    assert_eq!(h.ok("db.update", json!({"table": "items", "id": 7, "data": {"sku": "b"}}))["sku"], "b");
}

fn every_type_round_trips(kind: Kind) {
    let h = app(kind);
    let data = json!({
        "u": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "t": "héllo 'quoted' \"double\" ; DROP TABLE kitchen; --",
        "i": -2147483648,
        "b": false,
        "ts": "2026-11-25T17:40:57.852999+01:00",
        "j": {"zeta": [1, 2.5, "x", null, true], "a": {"nested": {"k": "v"}}, "bb": null, "n": 12345678901234567u64},
        "e": "sad",
    });
    let row = h.ok("db.insert", json!({"table": "kitchen", "data": data}));
    let id = row["id"].clone();
    let expected = json!({
        "id": id,
        "u": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "t": "héllo 'quoted' \"double\" ; DROP TABLE kitchen; --",
        "i": -2147483648,
        "b": false,
        "ts": "2026-11-25T16:40:57.852Z",
        // jsonb key order: shorter keys first, then bytewise (what PostgreSQL returns).
        "j": {"a": {"nested": {"k": "v"}}, "n": 12345678901234567u64, "bb": null, "zeta": [1, 2.5, "x", null, true]},
        "e": "sad",
    });
    assert_eq!(row, expected);
    assert_eq!(row.to_string(), expected.to_string(), "key order too");
    assert_eq!(h.ok("db.findById", json!({"table": "kitchen", "id": id})).to_string(), expected.to_string());
    let q = h.query("SELECT * FROM kitchen WHERE id = $1", json!([id]));
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].to_string(), expected.to_string(), "db.query maps types the same way");

    // Other values, including true and null everywhere.
    let row2 = h.ok("db.insert", json!({"table": "kitchen", "data": {"b": true, "i": 0, "j": [{"b": 1, "a": 2}], "t": ""}}));
    assert_eq!(row2["b"], true);
    assert_eq!(row2["j"].to_string(), r#"[{"a":2,"b":1}]"#);
    assert_eq!(row2["u"], Value::Null);
    assert_eq!(row2["ts"], Value::Null);
    assert_eq!(row2["e"], Value::Null);
    let q = h.query("SELECT b, j, ts, e FROM kitchen WHERE id = $1", json!([row2["id"]]));
    assert_eq!(q[0], json!({"b": true, "j": [{"a": 2, "b": 1}], "ts": null, "e": null}));
    // Scalars in jsonb.
    for v in [json!(5), json!("text"), json!(true), json!([]), json!({})] {
        let r = h.ok("db.insert", json!({"table": "kitchen", "data": {"j": v}}));
        assert_eq!(r["j"], v);
        assert_eq!(h.ok("db.findById", json!({"table": "kitchen", "id": r["id"]}))["j"], v);
    }
    // Expressions come back as numbers/strings on both.
    let q = h.query("SELECT count(*) AS n, max(i) AS m, 'x' AS s FROM kitchen WHERE i IS NOT NULL", json!([]));
    assert_eq!(q[0], json!({"n": 2, "m": 0, "s": "x"}));
    // Timestamps compare in their canonical form.
    let q = h.query("SELECT count(*) AS n FROM kitchen WHERE ts > $1", json!(["2026-11-25T16:40:57.000Z"]));
    assert_eq!(q[0]["n"], 1);
}

fn find_many_filters(kind: Kind) {
    let h = app(kind);
    let a = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "a", "capacity": 2}}));
    let b = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "b"}}));
    let c = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "c", "is_active": false}}));
    let ids = |v: Value| -> Vec<String> {
        let mut x: Vec<String> = v.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect();
        x.sort();
        x
    };
    assert_eq!(ids(h.ok("db.findMany", json!({"table": "rooms", "where": {"capacity": null}}))), ["b", "c"]);
    assert_eq!(ids(h.ok("db.findMany", json!({"table": "rooms", "where": {"capacity": null, "is_active": true}}))), ["b"]);
    assert_eq!(ids(h.ok("db.findMany", json!({"table": "rooms", "where": {"is_active": true}}))), ["a", "b"]);
    assert_eq!(ids(h.ok("db.findMany", json!({"table": "rooms", "where": {"capacity": 2, "name": "a"}}))), ["a"]);
    assert_eq!(ids(h.ok("db.findMany", json!({"table": "rooms", "where": {}}))), ["a", "b", "c"]);
    assert_eq!(h.ok("db.findMany", json!({"table": "rooms", "where": {"name": "zzz"}})), json!([]));
    // Primary-key order.
    let all = h.ok("db.findMany", json!({"table": "rooms"}));
    let mut sorted: Vec<String> = [&a, &b, &c].iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    sorted.sort();
    let got: Vec<String> = all.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(got, sorted);
    // jsonb equality.
    let s = h.ok("db.insert", json!({"table": "sessions", "data": {"room_id": a["id"], "user_id": uuid::Uuid::new_v4().to_string(), "data": {"y": 1, "x": [1]}}}));
    let f = h.ok("db.findMany", json!({"table": "sessions", "where": {"data": {"x": [1], "y": 1}}}));
    assert_eq!(f, json!([s]));
}

fn query_parameters(kind: Kind) {
    let h = app(kind);
    for (n, c) in [("a", 1), ("b", 5), ("c", 9)] {
        h.ok("db.insert", json!({"table": "rooms", "data": {"name": n, "capacity": c}}));
    }
    let rows = h.query("SELECT name FROM rooms WHERE capacity > $1 AND capacity < $2 ORDER BY name", json!([2, 10]));
    assert_eq!(rows, vec![json!({"name": "b"}), json!({"name": "c"})]);
    // $2 before $1, and one parameter used twice.
    let rows = h.query("SELECT name FROM rooms WHERE capacity = $2 OR name = $1 OR name = $1 ORDER BY name", json!(["a", 9]));
    assert_eq!(rows, vec![json!({"name": "a"}), json!({"name": "c"})]);
    let rows = h.query("SELECT name FROM rooms WHERE is_active = $1 ORDER BY name LIMIT $2", json!([true, 1]));
    assert_eq!(rows, vec![json!({"name": "a"})]);
    let rows = h.query("SELECT 1 AS one", json!(null));
    assert_eq!(rows, vec![json!({"one": 1})]);
    let rows = h.query("SELECT avg(capacity) AS a, sum(capacity) AS s, count(*) AS n FROM rooms", json!([]));
    assert_eq!(rows, vec![json!({"a": 5.0, "s": 15, "n": 3})]);
    let room = h.ok("db.findMany", json!({"table": "rooms", "where": {"name": "a"}}))[0].clone();
    h.ok("db.insert", json!({"table": "sessions", "data": {"room_id": room["id"], "user_id": room["id"], "data": {"k": [1, 2], "a": "b"}}}));
    let rows = h.query("SELECT count(*) AS n FROM sessions WHERE data = $1 AND room_id = $2", json!([{"a": "b", "k": [1, 2]}, room["id"]]));
    assert_eq!(rows, vec![json!({"n": 1})]);
    let rows = h.query("SELECT r.name, s.data FROM sessions s JOIN rooms r ON r.id = s.room_id WHERE s.user_id = $1", json!([room["id"]]));
    assert_eq!(rows, vec![json!({"name": "a", "data": {"a": "b", "k": [1, 2]}})]);
    if kind == Kind::Postgres {
        let rows = h.query("SELECT array_agg(name ORDER BY name) AS names FROM rooms WHERE name = ANY($1)", json!([["a", "c", "zz"]]));
        assert_eq!(rows, vec![json!({"names": ["a", "c"]})]);
        let e = h.err("db.query", json!({"sql": "SELECT now() - now() AS i", "params": []}));
        assert_eq!(e.code, "unsupported_type");
    }
    for params in [json!([]), json!([1, 2, 3])] {
        let e = h.err("db.query", json!({"sql": "SELECT name FROM rooms WHERE capacity > $1 AND capacity < $2", "params": params}));
        assert_eq!((e.status, e.code.as_str()), (400, "invalid_params"));
    }
}

const ATTACKS_COMMON: &[&str] = &[
    "INSERT INTO rooms (name) VALUES ('evil')",
    "UPDATE rooms SET name = 'evil'",
    "DELETE FROM rooms",
    "DROP TABLE rooms",
    "CREATE TABLE evil (x integer)",
    "ALTER TABLE rooms ADD COLUMN evil integer",
    "CREATE INDEX evil_idx ON rooms (name)",
    "WITH gone AS (DELETE FROM rooms RETURNING id) SELECT * FROM gone",
    "WITH x AS (INSERT INTO rooms (name) VALUES ('evil') RETURNING id) SELECT * FROM x",
    "SELECT 1; DELETE FROM rooms",
    "SELECT 1; SELECT 2",
    "INSERT INTO rooms (name) SELECT name FROM rooms RETURNING *",
];

fn attacks(kind: Kind) -> Vec<(&'static str, bool)> {
    let mut v: Vec<(&str, bool)> = ATTACKS_COMMON.iter().map(|s| (*s, true)).collect();
    // SQLite has no writes inside WITH: those are syntax errors there (rejected all the same).
    if kind == Kind::Sqlite {
        for a in v.iter_mut().filter(|a| a.0.starts_with("WITH")) {
            a.1 = false;
        }
    }
    // Backend-specific ones must fail; `true` = with read_only_query.
    match kind {
        Kind::Sqlite => v.extend([
            ("ATTACH DATABASE 'evil.db' AS evil", true),
            ("ATTACH DATABASE ':memory:' AS evil", true),
            ("DETACH DATABASE main", true),
            ("PRAGMA foreign_keys = OFF", true),
            ("PRAGMA user_version = 42", true),
            ("PRAGMA journal_mode = DELETE", true),
            ("PRAGMA writable_schema = ON", true),
            ("VACUUM", true),
            ("VACUUM INTO 'copy.db'", true),
            ("REINDEX", true),
            ("ANALYZE", true),
            ("BEGIN", true),
            ("SAVEPOINT x", true),
            ("SELECT load_extension('evil')", false),
            ("CREATE TEMP TABLE evil (x)", true),
            ("REPLACE INTO rooms (id, name) SELECT id, 'evil' FROM rooms", true),
        ]),
        Kind::Postgres => v.extend([
            ("CREATE TEMP TABLE evil (x integer)", true),
            ("TRUNCATE rooms", true),
            ("DO $$ BEGIN DELETE FROM rooms; END $$", true),
            ("SELECT nextval('_palbase_migrations_id_seq')", true),
            ("COPY rooms FROM STDIN", false),
            ("COMMIT", true),
            ("ROLLBACK", true),
            ("SET TRANSACTION READ WRITE", true),
            ("SELECT set_config('transaction_read_only', 'off', false)", false),
            ("LOAD 'plpgsql'", true),
            ("CHECKPOINT", true),
            ("NOTIFY evil", true),
            ("VACUUM rooms", false),
            ("ATTACH DATABASE 'evil.db' AS evil", false),
            ("GRANT ALL ON rooms TO PUBLIC", true),
            ("SELECT * FROM rooms FOR UPDATE", true),
        ]),
    }
    v
}

fn snapshot(h: &Harness) -> Value {
    let tables = match h.kind {
        Kind::Sqlite => h.query("SELECT name FROM sqlite_schema ORDER BY name", json!([])),
        Kind::Postgres => {
            h.query("SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1", json!([]))
        }
    };
    let rooms = h.ok("db.findMany", json!({"table": "rooms"}));
    json!({"tables": tables, "rooms": rooms})
}

fn query_is_read_only(kind: Kind) {
    let h = app(kind);
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "keep"}}));
    let before = snapshot(&h);
    for (sql, read_only_code) in attacks(kind) {
        let e = h.err("db.query", json!({"sql": sql, "params": []}));
        if read_only_code {
            assert_eq!((e.status, e.code.as_str()), (400, "read_only_query"), "{sql}: {e}");
        }
        assert!(!e.description.contains("rooms"), "no SQL in the description: {e}");
    }
    assert_eq!(snapshot(&h), before, "nothing changed");
    assert!(!h.data_dir().join("evil.db").exists() && !h.data_dir().join("copy.db").exists());
    if kind == Kind::Sqlite {
        // Writable pragmas really did nothing: foreign keys are still enforced.
        let e = h.err("db.insert", json!({"table": "sessions", "data": {"room_id": uuid::Uuid::new_v4().to_string(), "user_id": uuid::Uuid::new_v4().to_string()}}));
        assert_eq!(e.code, "foreign_key_violation");
        // Read-only introspection still works.
        assert!(!h.query("SELECT name FROM pragma_table_info('rooms')", json!([])).is_empty());
    }
    // The connections are still fine.
    assert_eq!(h.count("rooms"), 1);
}

fn query_in_transaction_is_read_only(kind: Kind) {
    let h = app(kind);
    let tx = h.ok("db.begin", json!({}))["tx"].clone();
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "in-tx"}, "tx": tx}));
    for (sql, read_only_code) in attacks(kind) {
        let e = h.err("db.query", json!({"sql": sql, "params": [], "tx": tx}));
        if read_only_code {
            assert_eq!(e.code, "read_only_query", "{sql}: {e}");
        }
    }
    // Still usable, and the query sees the transaction's own write.
    let rows = h.ok("db.query", json!({"sql": "SELECT name FROM rooms", "tx": tx}));
    assert_eq!(rows, json!([{"name": "in-tx"}]));
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "after"}, "tx": tx}));
    h.ok("db.commit", json!({"tx": tx}));
    assert_eq!(h.count("rooms"), 2);
}

fn transactions_commit_and_rollback(kind: Kind) {
    let h = app(kind);
    let tx = h.ok("db.begin", json!({}))["tx"].as_str().unwrap().to_owned();
    let room = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "t1"}, "tx": tx}));
    // Not visible outside before commit; visible inside.
    assert_eq!(h.op_as(Some("other"), "db.findById", json!({"table": "rooms", "id": room["id"]})).unwrap(), Value::Null);
    assert_eq!(h.ok("db.findById", json!({"table": "rooms", "id": room["id"], "tx": tx})), room);
    assert_eq!(h.ok("db.findMany", json!({"table": "rooms", "tx": tx})), json!([room]));
    h.ok("db.update", json!({"table": "rooms", "id": room["id"], "data": {"capacity": 3}, "tx": tx}));
    assert_eq!(h.ok("db.commit", json!({"tx": tx})), Value::Null);
    assert_eq!(h.ok("db.findById", json!({"table": "rooms", "id": room["id"]}))["capacity"], 3);
    // The id is spent.
    let e = h.err("db.insert", json!({"table": "rooms", "data": {"name": "x"}, "tx": tx}));
    assert_eq!(e.code, "transaction_closed");
    assert_eq!(h.err("db.commit", json!({"tx": tx})).code, "transaction_closed");
    assert_eq!(h.err("db.rollback", json!({"tx": "tx_nope"})).code, "transaction_closed");

    // Rollback undoes inserts, updates and deletes.
    let tx = h.ok("db.begin", json!({}))["tx"].clone();
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "gone"}, "tx": tx}));
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "gone2"}, "tx": tx}));
    h.ok("db.update", json!({"table": "rooms", "id": room["id"], "data": {"capacity": 99}, "tx": tx}));
    h.ok("db.delete", json!({"table": "rooms", "id": room["id"], "tx": tx}));
    assert_eq!(h.ok("db.rollback", json!({"tx": tx})), Value::Null);
    assert_eq!(h.count("rooms"), 1);
    assert_eq!(h.ok("db.findById", json!({"table": "rooms", "id": room["id"]}))["capacity"], 3);
    assert_eq!(h.db().open_transactions(), 0);
}

fn transaction_survives_a_failed_statement(kind: Kind) {
    let h = app(kind);
    let tx = h.ok("db.begin", json!({}))["tx"].clone();
    let r = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "a"}, "tx": tx}));
    let e = h.err("db.insert", json!({"table": "rooms", "data": {"id": r["id"], "name": "dup"}, "tx": tx}));
    assert_eq!(e.code, "unique_violation");
    let e = h.err("db.query", json!({"sql": "SELECT nope FROM rooms", "tx": tx}));
    assert_eq!(e.status, 500);
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "b"}, "tx": tx}));
    h.ok("db.commit", json!({"tx": tx}));
    assert_eq!(h.count("rooms"), 2);
}

fn transaction_times_out(kind: Kind) {
    let h = Harness::with_options(kind, DbOptions { transaction_timeout: Duration::from_millis(300), ..Default::default() });
    h.migrate(&app_schema());
    let tx = h.ok("db.begin", json!({}))["tx"].clone();
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "late"}, "tx": tx}));
    std::thread::sleep(Duration::from_millis(700));
    let e = h.err("db.insert", json!({"table": "rooms", "data": {"name": "x"}, "tx": tx}));
    assert_eq!((e.status, e.code.as_str()), (409, "transaction_closed"));
    assert_eq!(h.err("db.commit", json!({"tx": tx})).code, "transaction_closed");
    // Rolled back, and the writer is free again.
    let t0 = Instant::now();
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "now"}}));
    assert!(t0.elapsed() < Duration::from_secs(2));
    assert_eq!(h.count("rooms"), 1);
}

fn long_query_is_stopped(kind: Kind) {
    let h = Harness::with_options(kind, DbOptions { query_timeout: Duration::from_millis(300), ..Default::default() });
    h.migrate(&app_schema());
    let forever = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) AS n FROM r";
    let t0 = Instant::now();
    let e = h.err("db.query", json!({"sql": forever}));
    assert_eq!((e.status, e.code.as_str()), (504, "query_timeout"));
    assert!(t0.elapsed() < Duration::from_secs(5));
    let tx = h.ok("db.begin", json!({}))["tx"].clone();
    let e = h.err("db.query", json!({"sql": forever, "tx": tx}));
    assert_eq!(e.code, "query_timeout");
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "still fine"}, "tx": tx}));
    h.ok("db.commit", json!({"tx": tx}));
    // The limit applies per query: the next one runs normally.
    assert_eq!(h.count("rooms"), 1);
}

fn end_request_rolls_back(kind: Kind) {
    let h = app(kind);
    let tx = h.op_as(Some("req_a"), "db.begin", json!({})).unwrap()["tx"].clone();
    h.op_as(Some("req_a"), "db.insert", json!({"table": "rooms", "data": {"name": "orphan"}, "tx": tx})).unwrap();
    h.db().end_request("req_b");
    assert_eq!(h.db().open_transactions(), 1);
    h.db().end_request("req_a");
    assert_eq!(h.db().open_transactions(), 0);
    let e = h.op_as(Some("req_a"), "db.insert", json!({"table": "rooms", "data": {"name": "x"}, "tx": tx})).unwrap_err();
    assert_eq!(e.code, "transaction_closed");
    // The rollback runs in the background; a write waits for it (SQLite) or proceeds (PostgreSQL).
    h.op_as(Some("req_c"), "db.insert", json!({"table": "rooms", "data": {"name": "next"}})).unwrap();
    let names: Vec<Value> = h.query("SELECT name FROM rooms", json!([])).into_iter().map(|r| r["name"].clone()).collect();
    assert_eq!(names, vec![json!("next")]);
}

fn nested_and_outside_writes_are_refused(kind: Kind) {
    let h = app(kind);
    let tx = h.op_as(Some("r1"), "db.begin", json!({})).unwrap()["tx"].clone();
    let e = h.op_as(Some("r1"), "db.begin", json!({})).unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (409, "nested_transaction"));
    let e = h.op_as(Some("r1"), "db.insert", json!({"table": "rooms", "data": {"name": "x"}})).unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (409, "transaction_in_progress"));
    // Reads outside the transaction are fine.
    h.op_as(Some("r1"), "db.findMany", json!({"table": "rooms"})).unwrap();
    h.op_as(Some("r1"), "db.rollback", json!({"tx": tx})).unwrap();
    h.op_as(Some("r1"), "db.insert", json!({"table": "rooms", "data": {"name": "x"}})).unwrap();
}

fn constraint_errors(kind: Kind) {
    let h = app(kind);
    let room = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "r"}}));
    let e = h.err("db.insert", json!({"table": "rooms", "data": {"id": room["id"], "name": "dup"}}));
    assert_eq!((e.status, e.code.as_str()), (409, "unique_violation"));
    assert_eq!(e.data.as_ref().unwrap()["columns"], json!(["id"]));
    assert!(e.description.contains("`id`") && e.description.contains("rooms") && !e.description.contains(room["id"].as_str().unwrap()));

    let e = h.err("db.insert", json!({"table": "sessions", "data": {"room_id": uuid::Uuid::new_v4().to_string(), "user_id": uuid::Uuid::new_v4().to_string()}}));
    assert_eq!((e.status, e.code.as_str()), (409, "foreign_key_violation"));
    assert!(e.description.contains("room_id") && e.description.contains("rooms"), "{e}");

    let e = h.err("db.insert", json!({"table": "rooms", "data": {}}));
    assert_eq!((e.status, e.code.as_str()), (400, "not_null_violation"));
    assert!(e.description.contains("`name`"));
    let e = h.err("db.insert", json!({"table": "rooms", "data": {"name": null}}));
    assert_eq!(e.code, "not_null_violation");
    let e = h.err("db.update", json!({"table": "rooms", "id": room["id"], "data": {"name": null}}));
    assert_eq!(e.code, "not_null_violation");

    let e = h.err("db.insert", json!({"table": "orders", "data": {"status": "lost", "amount": 1}}));
    assert_eq!((e.status, e.code.as_str()), (400, "invalid_enum_value"));
    assert!(e.description.contains("pending"), "{e}");
    let o = h.ok("db.insert", json!({"table": "orders", "data": {"status": "paid", "amount": 1}}));
    assert_eq!(o["status"], "paid");
    let e = h.err("db.update", json!({"table": "orders", "id": o["id"], "data": {"status": "PAID"}}));
    assert_eq!(e.code, "invalid_enum_value");
    let e = h.err("db.findMany", json!({"table": "orders", "where": {"status": "nope"}}));
    assert_eq!(e.code, "invalid_enum_value");
}

fn unknown_names_and_bad_values(kind: Kind) {
    let h = app(kind);
    let e = h.err("db.insert", json!({"table": "nope", "data": {}}));
    assert_eq!((e.status, e.code.as_str()), (400, "unknown_table"));
    let e = h.err("db.findMany", json!({"table": "rooms\"; DROP TABLE rooms; --"}));
    assert_eq!(e.code, "unknown_table");
    let e = h.err("db.insert", json!({"table": "rooms", "data": {"name": "x", "nme": 1}}));
    assert_eq!((e.status, e.code.as_str()), (400, "unknown_column"));
    let e = h.err("db.findMany", json!({"table": "rooms", "where": {"name\" OR 1=1 --": "x"}}));
    assert_eq!(e.code, "unknown_column");
    let e = h.err("db.update", json!({"table": "rooms", "id": uuid::Uuid::new_v4().to_string(), "data": {"bogus": 1}}));
    assert_eq!(e.code, "unknown_column");
    let e = h.err("db.findMany", json!({"table": "_palbase_migrations"}));
    assert_eq!(e.code, "unknown_table");
    for (col, v) in [
        ("capacity", json!("12")),
        ("capacity", json!(1.5)),
        ("capacity", json!(4_000_000_000i64)),
        ("is_active", json!(1)),
        ("name", json!(5)),
        ("name", json!({"a": 1})),
        ("created_at", json!("not a time")),
        ("created_at", json!(1700000000)),
    ] {
        let e = h.err("db.insert", json!({"table": "rooms", "data": {"name": "x", col: v}}));
        assert_eq!((e.status, e.code.as_str()), (400, "invalid_value"), "{col} {v}");
        assert!(e.description.contains(col), "{e}");
    }
    let e = h.err("db.insert", json!({"table": "sessions", "data": {"room_id": "123", "user_id": "x"}}));
    assert_eq!(e.code, "invalid_value");
    assert_eq!(h.count("rooms"), 0);
    assert_eq!(h.count("sessions"), 0);
}

fn foreign_keys_cascade_and_restrict(kind: Kind) {
    let h = app(kind);
    let room = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "r"}}));
    for _ in 0..3 {
        h.ok("db.insert", json!({"table": "sessions", "data": {"room_id": room["id"], "user_id": uuid::Uuid::new_v4().to_string()}}));
    }
    let other = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "o"}}));
    h.ok("db.insert", json!({"table": "sessions", "data": {"room_id": other["id"], "user_id": uuid::Uuid::new_v4().to_string()}}));
    assert_eq!(h.count("sessions"), 4);
    h.ok("db.delete", json!({"table": "rooms", "id": room["id"]}));
    assert_eq!(h.count("sessions"), 1, "cascade");

    let order = h.ok("db.insert", json!({"table": "orders", "data": {"status": "pending", "amount": 5}}));
    h.ok("db.insert", json!({"table": "items", "data": {"id": 1, "order_id": order["id"], "sku": "x"}}));
    let e = h.err("db.delete", json!({"table": "orders", "id": order["id"]}));
    assert_eq!((e.status, e.code.as_str()), (409, "foreign_key_violation"));
    assert!(e.description.contains("items") && e.description.contains("order_id"), "{e}");
    assert_eq!(h.count("orders"), 1);
    h.ok("db.update", json!({"table": "items", "id": 1, "data": {"order_id": null}}));
    h.ok("db.delete", json!({"table": "orders", "id": order["id"]}));
}

fn history_rows(h: &Harness) -> Vec<Value> {
    h.query("SELECT id, applied_at, statements FROM _palbase_migrations ORDER BY id", json!([]))
}

fn migrations_create_and_record(kind: Kind) {
    let h = Harness::new(kind);
    let r = h.migrate(&app_schema());
    assert!(r.refused.is_empty());
    assert_eq!(r.applied, r.planned);
    assert!(r.applied.iter().any(|s| s.starts_with("CREATE TABLE \"rooms\"")));
    // Referenced tables first.
    let pos = |name: &str| r.applied.iter().position(|s| s.starts_with(&format!("CREATE TABLE \"{name}\""))).unwrap();
    assert!(pos("rooms") < pos("sessions") && pos("orders") < pos("items"));
    let hist = history_rows(&h);
    assert_eq!(hist.len(), 1);
    assert!(hist[0]["statements"].as_str().unwrap().contains("CREATE TABLE \"rooms\""));
    assert!(is_iso_ms(hist[0]["applied_at"].as_str().unwrap()), "{}", hist[0]);
    assert_eq!(Some(hist[0]["id"].as_i64().unwrap()), r.migration_id);
    // Same schema again: nothing to do, nothing recorded.
    let again = h.migrate(&app_schema());
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(history_rows(&h).len(), 1);
    // Invalid schemas are errors, not migrations.
    let bad = schema(&[table("t", &[("a", col("float"))])]);
    assert!(matches!(h.db().migrate(&bad, MigrateOptions::default()), Err(palbase_db::DbError::InvalidSchema(_))));
}

fn with_rooms(extra: &[(&str, Value)], drop: &[&str]) -> Value {
    let mut cols: Vec<(&str, Value)> = vec![("id", col("uuid").pk().random()), ("name", col("text")), ("capacity", col("integer").nullable()), ("is_active", col("boolean").default(json!(true))), ("created_at", col("timestamp").now())];
    cols.retain(|(n, _)| !drop.contains(n));
    cols.extend(extra.iter().cloned());
    schema(&[table("rooms", &cols)])
}

fn migrations_safe_changes(kind: Kind) {
    let h = Harness::new(kind);
    h.migrate(&with_rooms(&[], &[]));
    let r1 = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "old"}}));
    let s2 = with_rooms(
        &[
            ("floor", col("integer").nullable()),
            ("label", col("text").default(json!("none"))),
            ("tags", col("jsonb").default(json!({"b": 1, "a": [true]}))),
            ("token", col("uuid").random()),
            ("seen_at", col("timestamp").now()),
            ("kind", enum_col("room_kind", &["small", "big"]).default(json!("small"))),
        ],
        &[],
    );
    let r = h.migrate(&s2);
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    assert!(!r.applied.is_empty());
    let got = h.ok("db.findById", json!({"table": "rooms", "id": r1["id"]}));
    assert_eq!(got["floor"], Value::Null);
    assert_eq!(got["label"], "none");
    assert_eq!(got["tags"], json!({"a": [true], "b": 1}));
    assert!(is_uuid_v4(got["token"].as_str().unwrap()), "{got}");
    assert!(is_iso_ms(got["seen_at"].as_str().unwrap()));
    assert_eq!(got["kind"], "small");
    assert_eq!(got["name"], "old");
    assert_eq!(got["created_at"], r1["created_at"]);
    let n = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "new", "floor": 2, "kind": "big"}}));
    assert_eq!(n["floor"], 2);
    assert_ne!(n["token"], got["token"]);
    // A new table with a reference, a dropped NOT NULL, a changed default: all safe.
    let mut s3 = s2.clone();
    s3["tables"]["rooms"]["columns"]["name"] = col("text").nullable().default(json!("unnamed"));
    s3["tables"]["guests"] = table("guests", &[("id", col("uuid").pk().random()), ("room_id", col("uuid").nullable().refs("rooms", "id").on_delete("set null"))]).1;
    let r = h.migrate(&s3);
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    let g = h.ok("db.insert", json!({"table": "guests", "data": {"room_id": n["id"]}}));
    let x = h.ok("db.insert", json!({"table": "rooms", "data": {"name": null}}));
    assert_eq!(x["name"], Value::Null);
    assert_eq!(h.ok("db.insert", json!({"table": "rooms", "data": {}}))["name"], "unnamed");
    h.ok("db.delete", json!({"table": "rooms", "id": n["id"]}));
    assert_eq!(h.ok("db.findById", json!({"table": "guests", "id": g["id"]}))["room_id"], Value::Null, "on delete set null");
    // A required column on an empty table is fine.
    let mut s4 = s3.clone();
    s4["tables"]["guests"]["columns"]["nick"] = col("text");
    h.ok("db.delete", json!({"table": "guests", "id": g["id"]}));
    let r = h.migrate(&s4);
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    assert_eq!(history_rows(&h).len(), 4);
}

fn migrations_refuse_destructive_changes(kind: Kind) {
    let h = Harness::new(kind);
    h.migrate(&app_schema());
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "keep", "capacity": 3}}));
    let before_hist = history_rows(&h).len();

    // Dropping a column (with a safe change alongside: nothing is applied).
    let mut s = app_schema();
    s["tables"]["rooms"]["columns"].as_object_mut().unwrap().remove("capacity");
    s["tables"]["rooms"]["columns"]["extra"] = col("text").nullable();
    let r = h.migrate(&s);
    assert!(r.applied.is_empty());
    assert_eq!(r.refused.len(), 1);
    let rc = &r.refused[0];
    assert_eq!((rc.kind, rc.table.as_str(), rc.column.as_deref()), (RefusedKind::DropColumn, "rooms", Some("capacity")));
    assert!(rc.message.contains("`capacity`") && rc.message.contains("`rooms`"), "{}", rc.message);
    assert!(rc.message.contains("palbase migrate --accept-data-loss"), "{}", rc.message);
    assert!(rc.message.contains("1 value"), "{}", rc.message);
    assert!(r.planned.iter().any(|s| s.contains("capacity") || s.contains("DROP TABLE \"rooms\"")), "{:?}", r.planned);

    // Type change, dropped table, NOT NULL, enum value removal, new required column on a
    // non-empty table.
    let mut s = app_schema();
    s["tables"]["rooms"]["columns"]["capacity"] = col("text").nullable();
    s["tables"].as_object_mut().unwrap().remove("items");
    s["tables"]["orders"]["columns"]["status"] = enum_col("order_status", &["pending", "paid"]);
    s["tables"]["kitchen"]["columns"]["t"] = col("text");
    s["tables"]["rooms"]["columns"]["owner"] = col("text");
    let r = h.migrate(&s);
    assert!(r.applied.is_empty());
    let mut kinds: Vec<RefusedKind> = r.refused.iter().map(|r| r.kind).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(kinds, [RefusedKind::AddRequiredColumn, RefusedKind::ChangeType, RefusedKind::DropTable, RefusedKind::RemoveEnumValues, RefusedKind::SetNotNull]);
    let msg = |k: RefusedKind| r.refused.iter().find(|x| x.kind == k).unwrap().message.clone();
    assert!(msg(RefusedKind::ChangeType).contains("from integer to text"), "{}", msg(RefusedKind::ChangeType));
    assert!(msg(RefusedKind::DropTable).contains("`items`"));
    assert!(msg(RefusedKind::RemoveEnumValues).contains("`shipped`"));
    assert!(msg(RefusedKind::AddRequiredColumn).contains("`owner`") && !msg(RefusedKind::AddRequiredColumn).contains("--accept-data-loss"));
    // Still the old schema, in the database and for the ops.
    assert_eq!(history_rows(&h).len(), before_hist);
    let row = &h.ok("db.findMany", json!({"table": "rooms"}))[0];
    assert_eq!(row["capacity"], 3);
    assert_eq!(h.err("db.insert", json!({"table": "rooms", "data": {"name": "x", "extra": "y"}})).code, "unknown_column");
    h.ok("db.insert", json!({"table": "items", "data": {"id": 1, "sku": "x"}}));
}

fn migrations_apply_with_data_loss(kind: Kind) {
    let h = Harness::new(kind);
    h.migrate(&app_schema());
    let room = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "keep", "capacity": 3}}));
    h.ok("db.insert", json!({"table": "sessions", "data": {"room_id": room["id"], "user_id": uuid::Uuid::new_v4().to_string()}}));
    h.ok("db.insert", json!({"table": "orders", "data": {"status": "paid", "amount": 3}}));
    let mut s = app_schema();
    s["tables"]["rooms"]["columns"].as_object_mut().unwrap().remove("is_active");
    s["tables"]["rooms"]["columns"]["capacity"] = col("text").nullable();
    s["tables"]["rooms"]["columns"]["name"] = col("text").nullable();
    s["tables"].as_object_mut().unwrap().remove("items");
    s["tables"]["orders"]["columns"]["status"] = enum_col("order_status", &["pending", "paid"]);
    s["tables"]["kitchen"]["columns"]["t"] = col("text").default(json!("x"));
    let opts = MigrateOptions { allow_data_loss: true, dry_run: false };
    let r = h.db().migrate(&s, opts).expect("migrate");
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    assert!(!r.applied.is_empty());
    let got = h.ok("db.findById", json!({"table": "rooms", "id": room["id"]}));
    assert_eq!(got.get("is_active"), None);
    assert_eq!(got["capacity"], "3");
    assert_eq!(got["name"], "keep");
    assert_eq!(h.err("db.findMany", json!({"table": "items"})).code, "unknown_table");
    assert_eq!(h.count("sessions"), 1, "a rebuilt parent keeps its children");
    let e = h.err("db.insert", json!({"table": "orders", "data": {"status": "shipped", "amount": 1}}));
    assert_eq!(e.code, "invalid_enum_value");
    // Foreign keys still enforced after the rebuild.
    let e = h.err("db.insert", json!({"table": "sessions", "data": {"room_id": uuid::Uuid::new_v4().to_string(), "user_id": uuid::Uuid::new_v4().to_string()}}));
    assert_eq!(e.code, "foreign_key_violation");
    h.ok("db.delete", json!({"table": "rooms", "id": room["id"]}));
    assert_eq!(h.count("sessions"), 0, "cascade survives the rebuild");

    // Removing an enum value still in use fails the migration, which changes nothing.
    let mut s2 = s.clone();
    s2["tables"]["orders"]["columns"]["status"] = enum_col("order_status", &["pending"]);
    let e = h.db().migrate(&s2, opts).unwrap_err();
    assert!(matches!(e, palbase_db::DbError::Migration(_)), "{e}");
    assert_eq!(h.ok("db.findMany", json!({"table": "orders"}))[0]["status"], "paid");
    // A required column on a table with rows is never applied.
    let mut s3 = s.clone();
    s3["tables"]["orders"]["columns"]["code"] = col("text");
    let r = h.db().migrate(&s3, opts).unwrap();
    assert_eq!(r.refused.len(), 1);
    assert!(r.applied.is_empty());
}

fn migrations_dry_run(kind: Kind) {
    let h = Harness::new(kind);
    let dry = MigrateOptions { allow_data_loss: false, dry_run: true };
    let r = h.db().migrate(&app_schema(), dry).unwrap();
    assert!(r.dry_run && r.applied.is_empty() && !r.planned.is_empty());
    assert!(r.planned.iter().any(|s| s.starts_with("CREATE TABLE \"rooms\"")));
    assert_eq!(h.err("db.findMany", json!({"table": "rooms"})).code, "unknown_table");
    h.migrate(&app_schema());
    h.ok("db.insert", json!({"table": "rooms", "data": {"name": "x", "capacity": 1}}));
    let mut s = app_schema();
    s["tables"]["rooms"]["columns"].as_object_mut().unwrap().remove("capacity");
    let both = MigrateOptions { allow_data_loss: true, dry_run: true };
    let r = h.db().migrate(&s, both).unwrap();
    assert!(r.applied.is_empty() && r.refused.is_empty() && !r.planned.is_empty());
    assert_eq!(h.ok("db.findMany", json!({"table": "rooms"}))[0]["capacity"], 1);
    assert_eq!(history_rows(&h).len(), 1);
}

fn migrations_enum_values(kind: Kind) {
    let h = Harness::new(kind);
    h.migrate(&app_schema());
    h.ok("db.insert", json!({"table": "orders", "data": {"status": "paid", "amount": 1}}));
    let mut s = app_schema();
    s["tables"]["orders"]["columns"]["status"] = enum_col("order_status", &["draft", "pending", "paid", "refunded", "shipped", "cancelled"]);
    let r = h.migrate(&s);
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    h.ok("db.insert", json!({"table": "orders", "data": {"status": "refunded", "amount": 1}}));
    h.ok("db.insert", json!({"table": "orders", "data": {"status": "draft", "amount": 1}}));
    assert_eq!(h.count("orders"), 3);
    if kind == Kind::Postgres {
        assert!(r.applied.iter().any(|s| s == "ALTER TYPE \"order_status\" ADD VALUE 'draft' BEFORE 'pending'"), "{:?}", r.applied);
    }
}

fn concurrent_migrations_apply_once(kind: Kind) {
    let h = Harness::new(kind);
    let dbs = [h.db().clone(), h.open_another(), h.open_another()];
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = dbs.iter().map(|db| s.spawn(|| db.migrate(&app_schema(), MigrateOptions::default()))).collect();
        handles.into_iter().map(|j| j.join().unwrap()).collect()
    });
    let applied = results.iter().filter(|r| r.as_ref().unwrap().migration_id.is_some()).count();
    assert_eq!(applied, 1, "{results:?}");
    assert_eq!(history_rows(&h).len(), 1);
    // Every instance serves the schema.
    for db in &dbs {
        assert_eq!(db.schema().tables.len(), 5);
    }
    // Two threads on one instance too.
    let s2 = {
        let mut s = app_schema();
        s["tables"]["rooms"]["columns"]["floor"] = col("integer").nullable();
        s
    };
    let results: Vec<_> = std::thread::scope(|s| {
        let a = s.spawn(|| h.db().migrate(&s2, MigrateOptions::default()));
        let b = s.spawn(|| h.db().migrate(&s2, MigrateOptions::default()));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    assert_eq!(results.iter().filter(|r| r.as_ref().unwrap().migration_id.is_some()).count(), 1);
    assert_eq!(history_rows(&h).len(), 2);
}

fn concurrent_writes(kind: Kind) {
    let h = app(kind);
    let (threads, per) = (8, 200);
    let errors: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let reg = h.reg.clone();
                s.spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    let mut errs = Vec::new();
                    for i in 0..per {
                        let req = format!("req_{t}_{i}");
                        let r = common::call(&reg, &rt, Some(&req), "db.insert", json!({"table": "rooms", "data": {"name": format!("{t}-{i}"), "capacity": i}}));
                        if let Err(e) = r {
                            errs.push(e.to_string());
                        }
                        // A transaction now and then, and reads in between.
                        if i % 50 == 0 {
                            let tx = common::call(&reg, &rt, Some(&req), "db.begin", json!({})).unwrap()["tx"].clone();
                            common::call(&reg, &rt, Some(&req), "db.insert", json!({"table": "rooms", "data": {"name": "tx"}, "tx": tx})).unwrap();
                            common::call(&reg, &rt, Some(&req), "db.commit", json!({"tx": tx})).unwrap();
                            common::call(&reg, &rt, Some(&req), "db.findMany", json!({"table": "rooms", "where": {"capacity": i}})).unwrap();
                        }
                    }
                    errs
                })
            })
            .collect();
        handles.into_iter().flat_map(|j| j.join().unwrap()).collect()
    });
    assert!(errors.is_empty(), "{} errors, first: {:?}", errors.len(), errors.first());
    assert_eq!(h.count("rooms"), (threads * per + threads * (per / 50)) as i64);
}

/// Many writes in flight at once on one thread (what a worker does under load; on SQLite they
/// share group commits): each gets its own result, a failing write fails alone, and exactly the
/// acknowledged writes are stored.
fn burst_of_writes_with_failures(kind: Kind) {
    let h = app(kind);
    let taken = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "taken"}}));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let n = 300;
    let futures: Vec<_> = (0..n)
        .map(|i| {
            let data = match i % 3 {
                0 => json!({"name": format!("ok-{i}"), "capacity": i}),
                1 => json!({"id": taken["id"], "name": format!("dup-{i}")}),
                _ => json!({"capacity": i}),
            };
            let scope = palbase_core::ops::OpScope { kind: palbase_core::ops::CallerKind::Endpoint, request_id: Some(Arc::from(format!("req_{i}"))) };
            h.reg.get("db.insert").unwrap().call(scope, json!({"table": "rooms", "data": data}))
        })
        .collect();
    let results = tokio::task::LocalSet::new().block_on(&rt, async move {
        let handles: Vec<_> = futures.into_iter().map(tokio::task::spawn_local).collect();
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await.unwrap());
        }
        out
    });
    for (i, r) in results.iter().enumerate() {
        match (i % 3, r) {
            (0, Ok(row)) => assert_eq!(row["name"], format!("ok-{i}")),
            (1, Err(e)) => assert_eq!(e.code, "unique_violation", "write {i}"),
            (2, Err(e)) => assert_eq!(e.code, "not_null_violation", "write {i}"),
            _ => panic!("write {i}: unexpected {r:?}"),
        }
    }
    assert_eq!(h.count("rooms"), 1 + n / 3);
}

fn schema_survives_restart(kind: Kind) {
    let mut h = app(kind);
    let r = h.ok("db.insert", json!({"table": "rooms", "data": {"name": "persist"}}));
    h.reopen();
    assert_eq!(h.ok("db.findById", json!({"table": "rooms", "id": r["id"]})), r);
    assert_eq!(h.db().schema().tables.len(), 5);
    let _ = Arc::strong_count(h.db());
}
