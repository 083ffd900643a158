//! The internal-SQL seam other services use (`InternalSql`), on both backends.

#![allow(clippy::result_large_err)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use deadpool_postgres::ClientWrapper;
use palbase_core::ApiError;
use palbase_db::{InTransaction, InternalSql, PgFuture};
use serde_json::json;

fn err(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(500, "test", e.to_string())
}

enum Sql {
    Create,
    Insert(i64),
    /// Inserts, then fails: nothing of it stays.
    InsertThenFail(i64),
    Count,
}

impl InternalSql for Sql {
    type Output = i64;

    fn sqlite(self, c: &rusqlite::Connection) -> Result<i64, ApiError> {
        match self {
            Sql::Create => c.execute_batch("CREATE TABLE IF NOT EXISTS _svc (n INTEGER PRIMARY KEY)").map(|_| 0).map_err(err),
            Sql::Insert(n) => c.execute("INSERT INTO _svc (n) VALUES (?1)", [n]).map(|r| r as i64).map_err(err),
            Sql::InsertThenFail(n) => {
                c.execute("INSERT INTO _svc (n) VALUES (?1)", [n]).map_err(err)?;
                Err(err("failed on purpose"))
            }
            Sql::Count => c.query_row("SELECT count(*) FROM _svc", [], |r| r.get(0)).map_err(err),
        }
    }

    fn postgres<'c>(self, c: &'c ClientWrapper) -> PgFuture<'c, i64> {
        Box::pin(async move {
            match self {
                Sql::Create => c.batch_execute("CREATE TABLE IF NOT EXISTS _svc (n bigint PRIMARY KEY)").await.map(|_| 0).map_err(err),
                Sql::Insert(n) => c.execute("INSERT INTO _svc (n) VALUES ($1)", &[&n]).await.map(|r| r as i64).map_err(err),
                Sql::InsertThenFail(n) => {
                    c.execute("INSERT INTO _svc (n) VALUES ($1)", &[&n]).await.map_err(err)?;
                    Err(err("failed on purpose"))
                }
                Sql::Count => Ok(c.query_one("SELECT count(*) FROM _svc", &[]).await.map_err(err)?.get(0)),
            }
        })
    }
}

fn internal_sql_in_transactions(kind: Kind) {
    let h = Harness::new(kind);
    let db = h.db().clone();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(db.run_internal(Sql::Create)).unwrap();
    let count = || rt.block_on(db.run_internal(Sql::Count)).unwrap();
    let commits = Arc::new(AtomicUsize::new(0));
    let hook = || {
        let c = commits.clone();
        Some(Box::new(move || {
            c.fetch_add(1, Ordering::SeqCst);
        }) as palbase_db::OnCommit)
    };

    // Rolled back with the request's transaction; the hook never runs.
    let tx = h.op_as(Some("r1"), "db.begin", json!({})).unwrap()["tx"].clone();
    let r = rt.block_on(db.run_in_request_transaction("r1", Sql::Insert(10), hook())).unwrap();
    assert!(matches!(r, InTransaction::Ran(1)));
    // A failing unit inside rolls back to its savepoint; the transaction stays usable.
    assert!(rt.block_on(db.run_in_request_transaction("r1", Sql::InsertThenFail(11), hook())).is_err());
    let r = rt.block_on(db.run_in_request_transaction("r1", Sql::Insert(12), hook())).unwrap();
    assert!(matches!(r, InTransaction::Ran(1)));
    h.op_as(Some("r1"), "db.rollback", json!({"tx": tx})).unwrap();
    assert_eq!(count(), 0);
    assert_eq!(commits.load(Ordering::SeqCst), 0);

    // Committed with it; the hook runs once per unit that joined it.
    let tx = h.op_as(Some("r2"), "db.begin", json!({})).unwrap()["tx"].clone();
    rt.block_on(db.run_in_request_transaction("r2", Sql::Insert(20), hook())).unwrap();
    rt.block_on(db.run_in_request_transaction("r2", Sql::Insert(21), hook())).unwrap();
    assert_eq!(commits.load(Ordering::SeqCst), 0, "not before the commit");
    h.op_as(Some("r2"), "db.commit", json!({"tx": tx})).unwrap();
    assert_eq!(count(), 2);
    assert_eq!(commits.load(Ordering::SeqCst), 2);
    assert!(!db.has_open_transaction("r2"));

    // A transaction ended by its request: the hook does not run.
    h.op_as(Some("r3"), "db.begin", json!({})).unwrap();
    rt.block_on(db.run_in_request_transaction("r3", Sql::Insert(30), hook())).unwrap();
    db.end_request("r3");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(count(), 2);
    assert_eq!(commits.load(Ordering::SeqCst), 2);
    assert_eq!(db.postgres_config().is_some(), kind == Kind::Postgres);
}

#[test]
fn sqlite_internal_sql() {
    Kind::Sqlite.run(internal_sql_in_transactions);
}

#[test]
fn postgres_internal_sql() {
    Kind::Postgres.run(internal_sql_in_transactions);
}

#[test]
fn sqlite_internal_sql_outside() {
    Kind::Sqlite.run(internal_sql_outside);
}

#[test]
fn postgres_internal_sql_outside() {
    Kind::Postgres.run(internal_sql_outside);
}

fn internal_sql_outside(kind: Kind) {
    let h = Harness::new(kind);
    let db = h.db().clone();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let run = |s: Sql| rt.block_on(db.run_internal(s));
    run(Sql::Create).unwrap();
    assert_eq!(run(Sql::Insert(1)).unwrap(), 1);
    assert!(run(Sql::InsertThenFail(2)).is_err());
    assert_eq!(run(Sql::Count).unwrap(), 1, "a failed unit leaves nothing");
    // No transaction: nothing runs, the statements come back.
    let r = rt.block_on(db.run_in_request_transaction("r0", Sql::Insert(3), None)).unwrap();
    assert!(matches!(r, InTransaction::NoTransaction(Sql::Insert(3))));
    assert_eq!(run(Sql::Count).unwrap(), 1);
}
