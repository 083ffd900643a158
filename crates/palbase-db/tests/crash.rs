//! kill -9 during writes (reliability bar, test 15): a child process (this test binary, run as
//! `crash_child`) commits 5-row transactions from several threads and is killed three times.
//! Holds: the database is intact and every transaction is all-or-nothing.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use palbase_core::ops::OpRegistry;
use palbase_db::Db;
use serde_json::json;

const CHILD: &str = "PALBASE_CRASH_CHILD_DIR";
const CHILD_URL: &str = "PALBASE_CRASH_CHILD_URL";
const BATCH: usize = 5;

fn crash_schema() -> serde_json::Value {
    schema(&[table(
        "entries",
        &[("id", col("uuid").pk().random()), ("batch", col("uuid")), ("n", col("integer")), ("at", col("timestamp").now())],
    )])
}

/// The child: writes until killed. A no-op in a normal test run.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD) else { return };
    let url = std::env::var(CHILD_URL).ok();
    let db = Db::open(url.as_deref(), Path::new(&dir)).expect("child open");
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
    let exe = std::env::current_exe().unwrap();
    for round in 0..3 {
        let before = h.count("entries");
        let mut cmd = Command::new(&exe);
        cmd.args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, h.data_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(u) = h.url() {
            cmd.env(CHILD_URL, u);
        }
        let mut child = cmd.spawn().unwrap();
        let t0 = Instant::now();
        while h.count("entries") < before + 50 {
            assert!(t0.elapsed() < Duration::from_secs(30), "the child wrote nothing");
            assert!(child.try_wait().unwrap().is_none(), "the child exited");
            std::thread::sleep(Duration::from_millis(20));
        }
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
    kill_during_writes(Kind::Sqlite);
}

#[test]
fn postgres_kill_during_writes() {
    if !skip_pg() {
        kill_during_writes(Kind::Postgres);
    }
}
