//! The index figure of bench/README.md, run by hand (not a timed assertion):
//!
//! ```text
//! cargo test --release -p palbase-docs --test bench -- --ignored --nocapture
//! ```
//!
//! 100,000 documents in one collection; an equality filter + orderBy + limit 20 (through a
//! composite index), timed end to end through the `docs.query` op, on SQLite and PostgreSQL.

#![allow(clippy::result_large_err)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use palbase_testkit::DbKind;
use serde_json::json;

const DOCS: usize = 100_000;

fn bench(kind: DbKind) {
    let f = Fx::with_indexes(kind, &[("rooms", &["status", "score"])]);
    let t = Instant::now();
    for chunk in 0..DOCS / 500 {
        let writes: Vec<_> = (0..500)
            .map(|j| {
                let i = chunk * 500 + j;
                let status = ["open", "closed", "archived", "draft"][i % 4];
                json!({"op": "set", "path": format!("rooms/r{i:06}"), "data": {"status": status, "score": (i * 7919) % 100_003, "name": format!("room {i}"), "tags": ["a", "b"]}})
            })
            .collect();
        f.ok("docs.batch", json!({ "writes": writes }));
    }
    let load = t.elapsed();
    let query = json!({"collection": "rooms", "where": [{"field": "status", "op": "==", "value": "open"}], "orderBy": [{"field": "score", "direction": "desc"}], "limit": 20});
    let single = json!({"collection": "rooms", "where": [{"field": "status", "op": "==", "value": "draft"}], "limit": 20});
    for (name, q) in [("status == open, orderBy score desc, limit 20", &query), ("status == draft, limit 20 (single-field index)", &single)] {
        for _ in 0..20 {
            f.ok("docs.query", q.clone());
        }
        let mut times: Vec<Duration> = (0..200)
            .map(|_| {
                let t = Instant::now();
                let r = f.ok("docs.query", q.clone());
                assert_eq!(r.as_array().unwrap().len(), 20);
                t.elapsed()
            })
            .collect();
        times.sort();
        eprintln!("{}: {DOCS} docs loaded in {:.1} s; {name}: p50 {:.2} ms, p99 {:.2} ms", kind.name(), load.as_secs_f64(), times[100].as_secs_f64() * 1e3, times[197].as_secs_f64() * 1e3);
    }
    let t = Instant::now();
    let c = f.ok("docs.count", json!({"collection": "rooms", "where": [{"field": "status", "op": "==", "value": "open"}]}));
    eprintln!("{}: count of 25,000 matches: {:.2} ms ({c})", kind.name(), t.elapsed().as_secs_f64() * 1e3);
}

#[test]
#[ignore = "a benchmark: run by hand with --ignored --nocapture"]
fn equality_order_limit_on_100k_documents() {
    DbKind::Sqlite.run(bench);
    DbKind::Postgres.run(bench);
}
