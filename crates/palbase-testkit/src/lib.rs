//! Test support shared by the crates' test suites (never a dependency of the product). What a
//! suite needs that is not about its own crate lives here, once:
//!
//! - [`backend_suite!`] / [`db_suite!`]: the same test body run against each backend — SQLite and
//!   PostgreSQL ([`DbKind`]) for the database and the queue, in-process and Redis for the cache;
//!   [`DbKind::run`] for a single test. ([`backend`])
//! - [`PgTemp`]: a throwaway PostgreSQL database; [`TestDb`]: a test's data directory plus, on
//!   PostgreSQL, its database, and the crash tests' child process on it. ([`pg`], [`db`])
//! - [`redis::TestRedis`]: a Redis server with a key prefix per test; [`s3::TestS3`]: a
//!   throwaway S3-compatible server (moto) with a bucket of its own.
//! - [`temp_dir`]; [`wait::wait_for`] and [`wait::poll`] (poll a condition until a timeout);
//!   [`ops::call`] (an op called the way the engine calls it).
//!
//! # When a backend cannot run here: one rule
//!
//! - A backend that cannot run here is **skipped**: the test prints `skipped: <backend>: <why>
//!   (<test>)` to the terminal (past the test harness's capture, so `cargo test` shows it) and
//!   passes without running its body. PostgreSQL cannot run when no server answers at
//!   `PALBASE_TEST_PG_URL` (default [`pg::DEFAULT_ADMIN_URL`]) or when `PALBASE_TEST_SKIP_PG=1`
//!   says so; Redis when none answers at `PALBASE_TEST_REDIS_ADDR` (default
//!   [`redis::SHARED_ADDR`]) and `redis-server` cannot be started; S3 when `moto_server` cannot
//!   be started.
//! - Under CI (`CI=true`: any value of `CI` but empty, `0` or `false`) a skip is a **failure**:
//!   the test panics with the reason. CI runs every backend or goes red; `PALBASE_TEST_SKIP_PG=1`
//!   does not change that.
//! - A server you name must work: when `PALBASE_TEST_PG_URL` (`scripts/test` always exports it,
//!   from `scripts/ensure-postgres`) or `PALBASE_TEST_REDIS_ADDR` is set and that server cannot
//!   be used, the test fails, CI or not (`PALBASE_TEST_SKIP_PG=1` still skips PostgreSQL).
//!
//! Every skip is reported by [`backend::skip`] (suites and constructors that hand out an `Option`
//! go through [`backend::ready`]); nothing else prints one or reads `CI`.

pub mod backend;
pub mod db;
pub mod ops;
pub mod pg;
pub mod redis;
pub mod s3;
pub mod wait;

pub use backend::{DbKind, ci, skip};
pub use db::TestDb;
pub use pg::{DEFAULT_ADMIN_URL, PgTemp, admin_url, skip_pg};
pub use wait::wait_for;

/// A fresh temp directory (`palbase-test-<random>`), deleted on drop.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("palbase-test-").tempdir().expect("a temp directory")
}
