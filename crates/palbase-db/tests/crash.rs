//! kill -9 during writes (reliability bar, test 15): a child process (this test binary, run as
//! `crash_child`) commits 5-row transactions from several threads and is killed three times.
//! Holds: the database is intact and every transaction is all-or-nothing.

mod common;

use std::time::Duration;

use common::*;
use palbase_core::ops::OpRegistry;
use palbase_db::Db;
use palbase_testkit::wait_for;
use serde_json::json;

const BATCH: usize = 5;

fn crash_schema() -> serde_json::Value {
    schema(&[table("entries", &[("id", col("uuid").pk().random()), ("batch", col("uuid")), ("n", col("integer")), ("at", col("timestamp").now())])])
}

/// The child: writes until killed. A no-op in a normal test run.
#[test]
fn crash_child() {
    let Some((dir, url)) = palbase_testkit::db::child_db() else { return };
    let db = Db::open(url.as_deref(), &dir).expect("child open");
    let mut reg = OpRegistry::new();
    palbase_db::register_ops(&mut reg, db.clone());
    std::thread::scope(|s| {
        for t in 0..4 {
            let reg = reg.clone();
            s.spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                for i in 0.. {
                    let req = format!("c{t}_{i}");
                    let tx = call(&reg, &rt, Some(&req), "db.begin", json!({})).unwrap()["tx"].clone();
                    let batch = uuid::Uuid::new_v4().to_string();
                    for n in 0..BATCH {
                        call(&reg, &rt, Some(&req), "db.insert", json!({"table": "entries", "data": {"batch": batch, "n": n}, "tx": tx})).unwrap();
                    }
                    call(&reg, &rt, Some(&req), "db.commit", json!({"tx": tx})).unwrap();
                }
            });
        }
    });
}

fn kill_during_writes(kind: Kind) {
    let h = Harness::new(kind);
    h.migrate(&crash_schema());
    for round in 0..3 {
        let before = h.count("entries");
        let mut child = h.store().child("crash_child").spawn().unwrap();
        wait_for("the child to write", Duration::from_secs(30), || {
            assert!(child.try_wait().unwrap().is_none(), "the child exited");
            h.count("entries") >= before + 50
        });
        std::thread::sleep(Duration::from_millis(37 * (round + 1)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    let torn = h.query("SELECT batch, count(*) AS n FROM entries GROUP BY batch HAVING count(*) <> $1", json!([BATCH]));
    assert!(torn.is_empty(), "partial transactions: {torn:?}");
    assert!(h.count("entries") >= 150);
    if kind == Kind::Sqlite {
        let conn = rusqlite::Connection::open(h.data_dir().join("palbase.db")).unwrap();
        let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
    }
    // Still writable.
    h.ok("db.insert", json!({"table": "entries", "data": {"batch": uuid::Uuid::new_v4().to_string(), "n": 0}}));
}

#[test]
fn sqlite_kill_during_writes() {
    Kind::Sqlite.run(kill_during_writes);
}

#[test]
fn postgres_kill_during_writes() {
    Kind::Postgres.run(kill_during_writes);
}
