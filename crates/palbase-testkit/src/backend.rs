//! One test body per backend, and the skip rule (see the crate docs).
//!
//! [`backend_suite!`](crate::backend_suite) writes, for each backend, a module of tests named
//! after the test functions of the including file; each test sets its backend up and calls the
//! function with it, or reports the skip ([`ready`]). [`db_suite!`](crate::db_suite) is that suite
//! for the database backends ([`DbKind`]: SQLite and PostgreSQL).

use std::io::Write;

use crate::pg;

/// Whether this run is CI's: `CI` set to anything but empty, `0` or `false` (CI services set
/// `CI=true`). Under CI a skip fails the test.
pub fn ci() -> bool {
    is_ci(std::env::var("CI").ok().as_deref())
}

fn is_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false"))
}

/// Reports that `backend` cannot run here: prints `skipped: <backend>: <why> (<test>)` to the
/// terminal (past the test harness's output capture, so `cargo test` shows it). Under CI
/// ([`ci`]) it panics with the reason instead: CI never passes by skipping.
#[track_caller]
pub fn skip(backend: &str, why: &str) {
    if ci() {
        panic!("{backend} cannot run here ({why}), and under CI a skipped backend is a failure");
    }
    let thread = std::thread::current();
    let test = thread.name().filter(|n| *n != "main").map(|n| format!(" ({n})")).unwrap_or_default();
    let _ = writeln!(std::io::stderr().lock(), "skipped: {backend}: {why}{test}");
}

/// The value of a backend's set-up, or `None` after reporting the skip ([`skip`]): `Err` says
/// why the backend cannot run here.
#[track_caller]
pub fn ready<T>(backend: &str, setup: Result<T, String>) -> Option<T> {
    match setup {
        Ok(v) => Some(v),
        Err(why) => {
            skip(backend, &why);
            None
        }
    }
}

/// The database backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub const ALL: [DbKind; 2] = [DbKind::Sqlite, DbKind::Postgres];

    /// `sqlite` or `postgres` (the suites' module names).
    pub fn name(self) -> &'static str {
        match self {
            DbKind::Sqlite => "sqlite",
            DbKind::Postgres => "postgres",
        }
    }

    /// `self` when this backend can run here, else why not: SQLite always can; PostgreSQL when
    /// [`pg::available`] says so.
    #[track_caller]
    pub fn setup(self) -> Result<DbKind, String> {
        match self {
            DbKind::Sqlite => Ok(self),
            DbKind::Postgres => pg::available().map(|()| self),
        }
    }

    /// Runs `body(self)` when this backend can run here; else reports the skip.
    #[track_caller]
    pub fn run(self, body: impl FnOnce(DbKind)) {
        if let Some(kind) = ready(self.name(), self.setup()) {
            body(kind);
        }
    }
}

/// One test per backend and name: `mod <backend> { fn <name>() }` for each, which sets the
/// backend up (an expression of type `Result<T, String>`, evaluated in the including module's
/// scope; `Err` says why the backend cannot run here, see [`ready`]) and calls `<name>` of the
/// including module with it: by value (`fn name(b: T)`), or lent to an async body
/// (`async fn name(b: &T)`) when `async` follows the test attribute.
///
/// ```ignore
/// palbase_testkit::backend_suite! {
///     #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async
///     memory => Fixture::memory(),
///     redis => Fixture::redis();
///     get_set_round_trip, ttl_expires,
/// }
/// ```
#[macro_export]
macro_rules! backend_suite {
    (@backends $head:tt [$($backend:ident => $setup:expr),+] $tests:tt) => {
        $( $crate::backend_suite!(@module $head $backend => $setup; $tests); )+
    };
    (@module [#$attr:tt async] $backend:ident => $setup:expr; [$($test:ident),*]) => {
        mod $backend {
            #[allow(unused_imports)]
            use super::*;
            $(
                #$attr
                async fn $test() {
                    if let Some(b) = $crate::backend::ready(stringify!($backend), $setup) {
                        super::$test(&b).await;
                    }
                }
            )*
        }
    };
    (@module [#$attr:tt] $backend:ident => $setup:expr; [$($test:ident),*]) => {
        mod $backend {
            #[allow(unused_imports)]
            use super::*;
            $(
                #$attr
                fn $test() {
                    if let Some(b) = $crate::backend::ready(stringify!($backend), $setup) {
                        super::$test(b);
                    }
                }
            )*
        }
    };
    (#$attr:tt async $($backend:ident => $setup:expr),+ $(,)? ; $($test:ident),* $(,)?) => {
        $crate::backend_suite!(@backends [#$attr async] [$($backend => $setup),+] [$($test),*]);
    };
    (#$attr:tt $($backend:ident => $setup:expr),+ $(,)? ; $($test:ident),* $(,)?) => {
        $crate::backend_suite!(@backends [#$attr] [$($backend => $setup),+] [$($test),*]);
    };
}

/// The database suite: `mod sqlite` and `mod postgres`, one `#[test]` per name in each, calling
/// `fn name(kind: DbKind)` of the including module (the PostgreSQL half follows the skip rule).
#[macro_export]
macro_rules! db_suite {
    ($($test:ident),* $(,)?) => {
        $crate::backend_suite! {
            #[test]
            sqlite => $crate::DbKind::Sqlite.setup(),
            postgres => $crate::DbKind::Postgres.setup();
            $($test),*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_counts_as_ci() {
        for v in ["true", "1", "yes", "TRUE"] {
            assert!(is_ci(Some(v)), "{v}");
        }
        for v in [None, Some(""), Some("0"), Some("false"), Some("False")] {
            assert!(!is_ci(v), "{v:?}");
        }
    }

    #[test]
    fn ready_hands_over_the_value() {
        assert_eq!(ready("here", Ok::<_, String>(7)), Some(7));
    }
}
