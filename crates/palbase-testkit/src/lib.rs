//! Test support shared by the test suites (never a dependency of the product).
//!
//! [`PgTemp`]: one throwaway PostgreSQL database per test on the server named by
//! `PALBASE_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`), created as
//! `palbase_t_<random>` and dropped (with its connections) at the end. Tests never touch any
//! other database.

pub mod redis;
pub mod s3;

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn admin_url() -> String {
    std::env::var("PALBASE_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

/// `PALBASE_TEST_SKIP_PG=1` skips the PostgreSQL half of a suite where no server exists.
pub fn skip_pg() -> bool {
    std::env::var("PALBASE_TEST_SKIP_PG").is_ok_and(|v| v == "1")
}

pub struct PgTemp {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PgTemp {
    /// Creates the database; panics when the server is not reachable.
    pub fn create() -> PgTemp {
        Self::try_create().unwrap_or_else(|e| panic!("{e}; start PostgreSQL or set PALBASE_TEST_PG_URL / PALBASE_TEST_SKIP_PG=1"))
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
        let (host, _) = base.rsplit_once('/').ok_or("PALBASE_TEST_PG_URL needs a database name")?;
        let url = format!("{host}/{name}{query}");
        Ok(PgTemp { admin_url, name, url })
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
