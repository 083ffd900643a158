//! [`TestDb`]: where one test's database lives, on either backend — a temp data directory (the
//! SQLite file and whatever else a service keeps there) and, on PostgreSQL, a throwaway database:
//! what `palbase_db::Db::open(url, dir)` takes. Plus the crash tests' child process: this test
//! binary run again for one test, on the same database ([`TestDb::child`], [`child_db`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{DbKind, PgTemp};

const CHILD_DIR: &str = "PALBASE_TEST_CHILD_DIR";
const CHILD_URL: &str = "PALBASE_TEST_CHILD_URL";

pub struct TestDb {
    kind: DbKind,
    dir: tempfile::TempDir,
    pg: Option<PgTemp>,
}

impl TestDb {
    /// A fresh data directory and, on PostgreSQL, a fresh database. Panics when PostgreSQL
    /// cannot be had: suites check first ([`db_suite!`](crate::db_suite), [`DbKind::run`]).
    #[track_caller]
    pub fn new(kind: DbKind) -> TestDb {
        let pg = (kind == DbKind::Postgres).then(PgTemp::create);
        TestDb { kind, dir: crate::temp_dir(), pg }
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// The PostgreSQL URL (`None` on SQLite).
    pub fn url(&self) -> Option<&str> {
        self.pg.as_ref().map(PgTemp::url)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// This test binary, run again for the test `test` alone (`--exact`, one thread, output
    /// discarded), with this database in its environment: the child test reads it with
    /// [`child_db`].
    pub fn child(&self, test: &str) -> Command {
        let mut cmd = Command::new(std::env::current_exe().expect("the test binary's path"));
        cmd.args([test, "--exact", "--nocapture", "--test-threads=1"]).env(CHILD_DIR, self.dir()).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        match self.url() {
            Some(u) => cmd.env(CHILD_URL, u),
            None => cmd.env_remove(CHILD_URL),
        };
        cmd
    }
}

/// In a child started by [`TestDb::child`]: its database's data directory and PostgreSQL URL.
/// `None` in a normal test run, where the child test returns at once.
pub fn child_db() -> Option<(PathBuf, Option<String>)> {
    let dir = std::env::var_os(CHILD_DIR)?;
    Some((PathBuf::from(dir), std::env::var(CHILD_URL).ok()))
}
