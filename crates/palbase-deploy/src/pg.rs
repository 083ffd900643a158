//! The server's state in PostgreSQL (`palbase server --database-url`), so several servers serve
//! the same projects: tokens, blobs, deployment records, live pointers and sealed secrets in
//! the schema `palbase_server`; each branch's own database is the schema [`branch_schema`] of
//! the same database. A change that decides what serves (a switch, a secret, a deletion) is
//! followed by `NOTIFY palbase_server`, which every server listens to; a push holds a
//! session-level advisory lock on a connection of its own, so a killed server releases it.

use std::collections::BTreeMap;

use deadpool_postgres::{Hook, HookError, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use futures::StreamExt;
use serde_json::Value;
use tokio_postgres::NoTls;

use crate::{
    Error,
    manifest::Entry,
    secrets::Sealed,
    store::{Deployment, Live, Stamp},
    tokens::TokenRecord,
};

/// The `NOTIFY` channel; the payload is `<project>/<branch>`.
pub const CHANNEL: &str = "palbase_server";

/// `pg_advisory_xact_lock` key for creating the tables ("pbserver").
const CREATE_LOCK: i64 = 0x7062_7365_7276_6572;

const SCHEMA: &str = "
CREATE SCHEMA IF NOT EXISTS palbase_server;
CREATE TABLE IF NOT EXISTS palbase_server.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS palbase_server.tokens (id text PRIMARY KEY, sha256 text NOT NULL UNIQUE, project text, created_at text NOT NULL);
CREATE TABLE IF NOT EXISTS palbase_server.blobs (project text NOT NULL, sha256 text NOT NULL, bytes bytea NOT NULL, PRIMARY KEY (project, sha256));
CREATE TABLE IF NOT EXISTS palbase_server.branches (project text NOT NULL, branch text NOT NULL, live jsonb, secrets_version bigint NOT NULL DEFAULT 0, PRIMARY KEY (project, branch));
CREATE TABLE IF NOT EXISTS palbase_server.deployments (id text PRIMARY KEY, project text NOT NULL, branch text NOT NULL, record jsonb NOT NULL, files jsonb NOT NULL);
CREATE INDEX IF NOT EXISTS deployments_by_branch ON palbase_server.deployments (project, branch);
CREATE TABLE IF NOT EXISTS palbase_server.secrets (project text NOT NULL, branch text NOT NULL, name text NOT NULL, sealed jsonb NOT NULL, PRIMARY KEY (project, branch, name));
";

fn db(e: impl std::fmt::Display) -> Error {
    Error::Database(e.to_string())
}

fn corrupt(e: impl std::fmt::Display) -> Error {
    Error::Corrupt(e.to_string())
}

/// The schema of a branch's database: `pb_<project>__<branch>` with `-` as `_` (names have
/// neither `_` nor `--`, so it is unambiguous), shortened with a hash past PostgreSQL's 63 bytes.
pub fn branch_schema(project: &str, branch: &str) -> String {
    let s = format!("pb_{}__{}", project.replace('-', "_"), branch.replace('-', "_"));
    if s.len() <= 63 {
        return s;
    }
    let h = crate::manifest::sha256_hex(format!("{project}/{branch}").as_bytes());
    format!("{}_{}", &s[..46], &h[..16])
}

/// The login role of a branch's deployments: it owns the branch's schema and nothing else, so a
/// project's read-only SQL reaches neither the server's tables nor another branch's. Roles are
/// global to the PostgreSQL cluster, so the name includes the database's.
pub fn branch_role(database: &str, project: &str, branch: &str) -> String {
    let h = crate::manifest::sha256_hex(format!("{database}\0{project}\0{branch}").as_bytes());
    format!("pbr_{}", &h[..24])
}

/// `url` with the branch's schema as its `search_path` (libpq's `options` parameter), logging
/// in as `role` when given.
pub fn branch_url(url: &str, schema: &str, role: Option<(&str, &str)>) -> Result<String, Error> {
    let mut u = url::Url::parse(url).map_err(|e| Error::Invalid(format!("the server's database URL must be a postgres:// URL: {e}")))?;
    if let Some((user, password)) = role {
        u.set_username(user).and_then(|()| u.set_password(Some(password))).map_err(|()| Error::Invalid("the server's database URL cannot carry a user".into()))?;
    }
    // Spelled out: PostgreSQL's URL parsing (libpq's, tokio-postgres's) reads `+` as itself.
    let opt = format!("options=-c%20search_path%3D{schema}");
    let q = match u.query() {
        Some(q) if !q.is_empty() => format!("{q}&{opt}"),
        _ => opt,
    };
    u.set_query(Some(&q));
    Ok(u.to_string())
}

pub struct Control {
    pool: Pool,
    config: tokio_postgres::Config,
    url: String,
}

/// A branch's push lock: a session-level advisory lock held by a connection of its own.
pub struct PgLock {
    _client: tokio_postgres::Client,
    driver: tokio::task::JoinHandle<()>,
}

impl Drop for PgLock {
    fn drop(&mut self) {
        // Closing the session releases the lock.
        self.driver.abort();
    }
}

fn lock_key(project: &str, branch: &str) -> i64 {
    let h = crate::manifest::sha256_hex(format!("palbase-push\0{project}\0{branch}").as_bytes());
    i64::from_str_radix(&h[..15], 16).unwrap_or(0)
}

impl Control {
    pub async fn open(url: &str) -> Result<Control, Error> {
        let config: tokio_postgres::Config = url.parse().map_err(|e| Error::Invalid(format!("invalid PostgreSQL URL: {e}")))?;
        let mgr = Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(mgr)
            .max_size(4)
            .runtime(Runtime::Tokio1)
            .post_create(Hook::async_fn(|client, _| Box::pin(async move { client.batch_execute("SET client_min_messages TO warning").await.map_err(HookError::Backend) })))
            .build()
            .map_err(db)?;
        let c = Control { pool, config, url: url.to_owned() };
        let mut client = c.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CREATE_LOCK]).await.map_err(db)?;
        tx.batch_execute(SCHEMA).await.map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(c)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, Error> {
        self.pool.get().await.map_err(|e| Error::Database(format!("cannot connect to PostgreSQL: {e}")))
    }

    /// Records the secret key's fingerprint on first start; refuses a server whose key differs.
    pub async fn check_key(&self, fingerprint: &str) -> Result<(), Error> {
        let c = self.client().await?;
        c.execute("INSERT INTO palbase_server.meta (key, value) VALUES ('secret_key', $1) ON CONFLICT (key) DO NOTHING", &[&fingerprint]).await.map_err(db)?;
        let row = c.query_one("SELECT value FROM palbase_server.meta WHERE key = 'secret_key'", &[]).await.map_err(db)?;
        let stored: String = row.get(0);
        if stored != fingerprint {
            return Err(Error::Invalid(
                "this server's secret key is not the one the other servers of this database use, so it could not read their secrets; give every server the same key (PALBASE_SERVER_SECRET_KEY, or the same secret.key file in --data)".into(),
            ));
        }
        Ok(())
    }

    async fn notify(&self, tx: &deadpool_postgres::Transaction<'_>, project: &str, branch: &str) -> Result<(), Error> {
        tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &format!("{project}/{branch}")]).await.map_err(db)?;
        Ok(())
    }

    // Tokens -------------------------------------------------------------------------------

    pub async fn tokens(&self) -> Result<Vec<TokenRecord>, Error> {
        let rows = self.client().await?.query("SELECT id, sha256, project, created_at FROM palbase_server.tokens ORDER BY created_at, id", &[]).await.map_err(db)?;
        rows.iter().map(|r| Ok(TokenRecord { id: r.get(0), sha256: r.get(1), project: r.get(2), created_at: r.get::<_, String>(3).parse().map_err(corrupt)? })).collect()
    }

    pub async fn add_token(&self, t: &TokenRecord) -> Result<(), Error> {
        self.client().await?.execute("INSERT INTO palbase_server.tokens (id, sha256, project, created_at) VALUES ($1, $2, $3, $4)", &[&t.id, &t.sha256, &t.project, &t.created_at.to_string()]).await.map_err(db)?;
        Ok(())
    }

    pub async fn remove_token(&self, id: &str) -> Result<bool, Error> {
        Ok(self.client().await?.execute("DELETE FROM palbase_server.tokens WHERE id = $1", &[&id]).await.map_err(db)? > 0)
    }

    // Blobs and deployments ----------------------------------------------------------------

    pub async fn missing(&self, project: &str, wanted: &[String]) -> Result<Vec<String>, Error> {
        let rows = self.client().await?.query("SELECT sha256 FROM palbase_server.blobs WHERE project = $1 AND sha256 = ANY($2)", &[&project, &wanted]).await.map_err(db)?;
        let have: std::collections::HashSet<String> = rows.iter().map(|r| r.get(0)).collect();
        let mut m: Vec<String> = wanted.iter().filter(|h| !have.contains(*h)).cloned().collect();
        m.sort();
        m.dedup();
        Ok(m)
    }

    pub async fn put_blob(&self, project: &str, sha: &str, bytes: &[u8]) -> Result<(), Error> {
        self.client().await?.execute("INSERT INTO palbase_server.blobs (project, sha256, bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", &[&project, &sha, &bytes]).await.map_err(db)?;
        Ok(())
    }

    pub async fn blob(&self, project: &str, sha: &str) -> Result<Option<Vec<u8>>, Error> {
        let row = self.client().await?.query_opt("SELECT bytes FROM palbase_server.blobs WHERE project = $1 AND sha256 = $2", &[&project, &sha]).await.map_err(db)?;
        Ok(row.map(|r| r.get(0)))
    }

    pub async fn create_deployment(&self, d: &Deployment, files: &[Entry]) -> Result<(), Error> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(db)?;
        let record = serde_json::to_value(d).map_err(corrupt)?;
        let files = serde_json::to_value(files).map_err(corrupt)?;
        tx.execute("INSERT INTO palbase_server.branches (project, branch) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&d.project, &d.branch]).await.map_err(db)?;
        tx.execute("INSERT INTO palbase_server.deployments (id, project, branch, record, files) VALUES ($1, $2, $3, $4, $5)", &[&d.id, &d.project, &d.branch, &record, &files]).await.map_err(db)?;
        tx.commit().await.map_err(db)
    }

    pub async fn save_deployment(&self, d: &Deployment) -> Result<(), Error> {
        let record = serde_json::to_value(d).map_err(corrupt)?;
        self.client().await?.execute("UPDATE palbase_server.deployments SET record = $2 WHERE id = $1", &[&d.id, &record]).await.map_err(db)?;
        Ok(())
    }

    pub async fn files(&self, project: &str, id: &str) -> Result<Option<Vec<Entry>>, Error> {
        let row = self.client().await?.query_opt("SELECT files FROM palbase_server.deployments WHERE project = $1 AND id = $2", &[&project, &id]).await.map_err(db)?;
        row.map(|r| serde_json::from_value(r.get::<_, Value>(0)).map_err(corrupt)).transpose()
    }

    pub async fn deployment(&self, project: &str, id: &str) -> Result<Option<Deployment>, Error> {
        let row = self.client().await?.query_opt("SELECT record FROM palbase_server.deployments WHERE project = $1 AND id = $2", &[&project, &id]).await.map_err(db)?;
        row.map(|r| serde_json::from_value(r.get::<_, Value>(0)).map_err(corrupt)).transpose()
    }

    pub async fn deployments(&self, project: Option<&str>, branch: Option<&str>) -> Result<Vec<Deployment>, Error> {
        let rows = self.client().await?.query("SELECT record FROM palbase_server.deployments WHERE ($1::text IS NULL OR project = $1) AND ($2::text IS NULL OR branch = $2) ORDER BY id DESC", &[&project, &branch]).await.map_err(db)?;
        rows.iter().map(|r| serde_json::from_value(r.get::<_, Value>(0)).map_err(corrupt)).collect()
    }

    // Branches -----------------------------------------------------------------------------

    pub async fn live(&self, project: &str, branch: &str) -> Result<Option<Live>, Error> {
        let row = self.client().await?.query_opt("SELECT live FROM palbase_server.branches WHERE project = $1 AND branch = $2", &[&project, &branch]).await.map_err(db)?;
        row.and_then(|r| r.get::<_, Option<Value>>(0)).map(|v| serde_json::from_value(v).map_err(corrupt)).transpose()
    }

    /// The switch: the live pointer changed and every server told, in one transaction.
    pub async fn set_live(&self, project: &str, branch: &str, update: impl FnOnce(Live) -> Live) -> Result<Live, Error> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(db)?;
        tx.execute("INSERT INTO palbase_server.branches (project, branch) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&project, &branch]).await.map_err(db)?;
        let row = tx.query_one("SELECT live FROM palbase_server.branches WHERE project = $1 AND branch = $2 FOR UPDATE", &[&project, &branch]).await.map_err(db)?;
        let cur: Live = row.get::<_, Option<Value>>(0).map(serde_json::from_value).transpose().map_err(corrupt)?.unwrap_or_default();
        let live = update(cur);
        let v = serde_json::to_value(&live).map_err(corrupt)?;
        tx.execute("UPDATE palbase_server.branches SET live = $3 WHERE project = $1 AND branch = $2", &[&project, &branch, &v]).await.map_err(db)?;
        self.notify(&tx, project, branch).await?;
        tx.commit().await.map_err(db)?;
        Ok(live)
    }

    /// Every branch of every project (or of one), sorted.
    pub async fn branches(&self, project: Option<&str>) -> Result<Vec<(String, String)>, Error> {
        let rows = self.client().await?.query("SELECT project, branch FROM palbase_server.branches WHERE ($1::text IS NULL OR project = $1) ORDER BY project, branch", &[&project]).await.map_err(db)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// What decides each branch's process, for every branch (or one): one query.
    pub async fn stamps(&self, only: Option<(&str, &str)>) -> Result<Vec<((String, String), Stamp)>, Error> {
        let (p, b) = (only.map(|o| o.0), only.map(|o| o.1));
        let rows = self.client().await?.query("SELECT project, branch, live->>'deployment', secrets_version FROM palbase_server.branches WHERE ($1::text IS NULL OR (project = $1 AND branch = $2))", &[&p, &b]).await.map_err(db)?;
        Ok(rows.iter().map(|r| ((r.get(0), r.get(1)), Stamp { deployment: r.get::<_, Option<String>>(2).filter(|d| !d.is_empty()), secrets: r.get::<_, i64>(3).to_string() })).collect())
    }

    /// Removes a branch: its records, secrets and database schema.
    pub async fn delete_branch(&self, project: &str, branch: &str) -> Result<(), Error> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(db)?;
        for table in ["branches", "deployments", "secrets"] {
            tx.execute(&format!("DELETE FROM palbase_server.{table} WHERE project = $1 AND branch = $2"), &[&project, &branch]).await.map_err(db)?;
        }
        tx.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE; DROP ROLE IF EXISTS \"{}\"", branch_schema(project, branch), self.role(project, branch))).await.map_err(db)?;
        self.notify(&tx, project, branch).await?;
        tx.commit().await.map_err(db)
    }

    fn role(&self, project: &str, branch: &str) -> String {
        branch_role(self.config.get_dbname().unwrap_or(""), project, branch)
    }

    /// Creates the branch's role (its password: `password`) and its schema, owned by the role,
    /// before its first process starts; the `PALBASE_DATABASE_URL` of its processes.
    pub async fn branch_database(&self, project: &str, branch: &str, password: &str) -> Result<String, Error> {
        let (schema, role) = (branch_schema(project, branch), self.role(project, branch));
        debug_assert!(password.bytes().all(|b| b.is_ascii_hexdigit()));
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(db)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CREATE_LOCK]).await.map_err(db)?;
        let exists = tx.query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&role]).await.map_err(db)?.is_some();
        let verb = if exists { "ALTER" } else { "CREATE" };
        let sql = format!("{verb} ROLE \"{role}\" LOGIN PASSWORD '{password}'; CREATE SCHEMA IF NOT EXISTS \"{schema}\" AUTHORIZATION \"{role}\"; ALTER SCHEMA \"{schema}\" OWNER TO \"{role}\"");
        tx.batch_execute(&sql).await.map_err(|e| Error::Database(format!("cannot give {branch} of {project} its own role and schema ({e}); the server's PostgreSQL user needs CREATEROLE")))?;
        tx.commit().await.map_err(db)?;
        branch_url(&self.url, &schema, Some((&role, password)))
    }

    /// The branch's push lock, or `None` while another server (or this one) holds it.
    pub async fn lock(&self, project: &str, branch: &str) -> Result<Option<PgLock>, Error> {
        let (client, conn) = self.config.connect(NoTls).await.map_err(db)?;
        let driver = tokio::spawn(async move {
            let _ = conn.await;
        });
        let row = client.query_one("SELECT pg_try_advisory_lock($1)", &[&lock_key(project, branch)]).await.map_err(db)?;
        let held: bool = row.get(0);
        let lock = PgLock { _client: client, driver };
        Ok(held.then_some(lock))
    }

    // Secrets ------------------------------------------------------------------------------

    pub(crate) async fn sealed(&self, project: &str, branch: &str) -> Result<BTreeMap<String, Sealed>, Error> {
        let rows = self.client().await?.query("SELECT name, sealed FROM palbase_server.secrets WHERE project = $1 AND branch = $2", &[&project, &branch]).await.map_err(db)?;
        rows.iter().map(|r| Ok((r.get(0), serde_json::from_value(r.get::<_, Value>(1)).map_err(corrupt)?))).collect()
    }

    /// Sets (`Some`) or removes (`None`) a sealed secret; false when there was none to remove.
    pub(crate) async fn put_sealed(&self, project: &str, branch: &str, name: &str, sealed: Option<&Sealed>) -> Result<bool, Error> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(db)?;
        let n = match sealed {
            Some(s) => {
                let v = serde_json::to_value(s).map_err(corrupt)?;
                tx.execute("INSERT INTO palbase_server.secrets (project, branch, name, sealed) VALUES ($1, $2, $3, $4) ON CONFLICT (project, branch, name) DO UPDATE SET sealed = $4", &[&project, &branch, &name, &v]).await.map_err(db)?
            }
            None => tx.execute("DELETE FROM palbase_server.secrets WHERE project = $1 AND branch = $2 AND name = $3", &[&project, &branch, &name]).await.map_err(db)?,
        };
        if n == 0 {
            return Ok(false);
        }
        tx.execute("INSERT INTO palbase_server.branches (project, branch, secrets_version) VALUES ($1, $2, 1) ON CONFLICT (project, branch) DO UPDATE SET secrets_version = palbase_server.branches.secrets_version + 1", &[&project, &branch])
            .await
            .map_err(db)?;
        self.notify(&tx, project, branch).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    // Following ----------------------------------------------------------------------------

    /// Wake-ups on every change another server makes (`LISTEN`); the receiver ends when the
    /// connection is lost (the caller polls meanwhile and listens again).
    pub async fn listen(&self) -> Result<Listener, Error> {
        let (client, mut conn) = self.config.connect(NoTls).await.map_err(db)?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let driver = tokio::spawn(async move {
            let mut messages = futures::stream::poll_fn(move |cx| conn.poll_message(cx));
            while let Some(Ok(m)) = messages.next().await {
                if matches!(m, tokio_postgres::AsyncMessage::Notification(_)) && tx.send(()).is_err() {
                    return;
                }
            }
        });
        if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")).await {
            driver.abort();
            return Err(db(e));
        }
        Ok(Listener { rx, _client: client, driver })
    }
}

/// A `LISTEN` connection and its wake-ups.
pub struct Listener {
    pub rx: tokio::sync::mpsc::UnboundedReceiver<()>,
    _client: tokio_postgres::Client,
    driver: tokio::task::JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.driver.abort();
    }
}
