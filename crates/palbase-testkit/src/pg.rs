//! [`PgTemp`]: one throwaway PostgreSQL database per test on the server named by
//! `PALBASE_TEST_PG_URL` (default [`DEFAULT_ADMIN_URL`]), created as `palbase_t_<random>` and
//! dropped (with its connections) at the end. Tests never touch any other database.

use std::sync::OnceLock;

use crate::backend::ready;

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The variable that names the server (and makes it required: see the crate docs).
pub const URL_VAR: &str = "PALBASE_TEST_PG_URL";
/// `=1` skips PostgreSQL on purpose (a skip like any other: it fails under CI).
pub const SKIP_VAR: &str = "PALBASE_TEST_SKIP_PG";

pub fn admin_url() -> String {
    std::env::var(URL_VAR).unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

/// `PALBASE_TEST_SKIP_PG=1`: skip the PostgreSQL halves (where no server exists).
pub fn skip_pg() -> bool {
    std::env::var(SKIP_VAR).is_ok_and(|v| v == "1")
}

/// A server named by `PALBASE_TEST_PG_URL` must work: its failure is a failure, not a skip.
#[track_caller]
fn named_must_work<T>(r: Result<T, String>) -> Result<T, String> {
    match r {
        Err(e) if std::env::var_os(URL_VAR).is_some() => panic!("{URL_VAR} names a PostgreSQL that cannot be used: {e}"),
        r => r,
    }
}

/// Whether PostgreSQL can run here: `Err(why)` with `PALBASE_TEST_SKIP_PG=1` or when no server
/// answers at [`admin_url`] (asked once per test binary); panics when `PALBASE_TEST_PG_URL`
/// names a server that does not answer.
#[track_caller]
pub fn available() -> Result<(), String> {
    static ANSWERS: OnceLock<Result<(), String>> = OnceLock::new();
    if skip_pg() {
        return Err(format!("{SKIP_VAR}=1"));
    }
    let answers = ANSWERS.get_or_init(|| admin(&admin_url(), "SELECT 1").map_err(|e| format!("{e}; `eval \"$(scripts/ensure-postgres)\"` starts one")));
    named_must_work(answers.clone())
}

pub struct PgTemp {
    admin_url: String,
    name: String,
    url: String,
}

impl PgTemp {
    /// A database, or `None` after reporting the skip when PostgreSQL cannot run here (the skip
    /// rule: see the crate docs).
    #[track_caller]
    pub fn new() -> Option<PgTemp> {
        ready("postgres", available().and_then(|()| named_must_work(Self::try_create())))
    }

    /// Creates the database; panics when the server is not reachable (for callers that checked
    /// [`available`] first, as the suites do).
    #[track_caller]
    pub fn create() -> PgTemp {
        Self::try_create().unwrap_or_else(|e| panic!("{e}; start PostgreSQL or set {URL_VAR} / {SKIP_VAR}=1"))
    }

    /// Creates the database, or says why it could not.
    pub fn try_create() -> Result<PgTemp, String> {
        let admin_url = admin_url();
        let name = format!("palbase_t_{}", uuid::Uuid::new_v4().simple());
        admin(&admin_url, &format!("CREATE DATABASE {name}"))?;
        let (base, query) = match admin_url.split_once('?') {
            Some((b, q)) => (b.to_owned(), format!("?{q}")),
            None => (admin_url.clone(), String::new()),
        };
        let (host, _) = base.rsplit_once('/').ok_or(format!("{URL_VAR} needs a database name"))?;
        let url = format!("{host}/{name}{query}");
        Ok(PgTemp { admin_url, name, url })
    }

    /// The database's name (`palbase_t_<random>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its connection URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for PgTemp {
    fn drop(&mut self) {
        let _ = admin(&self.admin_url, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}

/// Runs `sql` on the admin connection, on a thread of its own (callers may be inside a runtime).
fn admin(url: &str, sql: &str) -> Result<(), String> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    std::thread::spawn(move || admin_blocking(&url, &sql)).join().map_err(|_| "the admin thread panicked".to_owned())?
}

fn admin_blocking(url: &str, sql: &str) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.map_err(|e| format!("PostgreSQL at {url} is not reachable ({e})"))?;
        let h = tokio::spawn(conn);
        let r = client.batch_execute(sql).await.map_err(|e| format!("{sql}: {e}"));
        drop(client);
        let _ = h.await;
        r
    })
}
