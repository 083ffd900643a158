//! The server's data directory. Every file that decides what serves is written whole and
//! renamed into place, so a process killed at any instant leaves the old state or the new one.
//!
//! ```text
//! <data>/tokens.json                                   token hashes (never the tokens)
//! <data>/secret.key                                    the key that encrypts secrets (0600)
//! <data>/projects/<p>/blobs/<sha256>                   content-addressed files (read-only)
//! <data>/projects/<p>/deployments/<id>/deployment.json what was pushed, when, its outcome
//! <data>/projects/<p>/deployments/<id>/code/…          the bundle, materialised
//! <data>/projects/<p>/branches/<b>/live.json           the live deployment (the switch)
//! <data>/projects/<p>/branches/<b>/data/               the branch's database, queue, storage
//! <data>/projects/<p>/branches/<b>/secrets.json        encrypted secrets
//! <data>/projects/<p>/branches/<b>/push.lock           held (flock) while a push changes the branch
//! ```
//!
//! Several servers may share one data directory: the lock serialises their pushes to a branch,
//! and each follows the others' switches by reading `live.json`.
//!
//! With `--database-url`, the state that decides what serves lives in PostgreSQL instead
//! ([`crate::pg`]) and the data directory holds only what each server derives from it: the
//! materialised code of the deployments it started (and local storage, when no S3 is set).

use std::{
    collections::BTreeMap,
    io::Write,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use crate::{Error, manifest::Entry, pg, secrets::Sealed, tokens::TokenRecord};

pub struct Store {
    pub root: PathBuf,
    pg: Option<pg::Control>,
}

/// What decides a branch's process: the live deployment and the version of its secrets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    pub deployment: Option<String>,
    pub secrets: String,
}

/// A branch's push lock, held until dropped.
pub enum BranchLock {
    File(std::fs::File),
    Pg(pg::PgLock),
}

/// A deployment's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Deployment {
    pub id: String,
    pub project: String,
    pub branch: String,
    pub created_at: jiff::Timestamp,
    pub files: usize,
    pub bytes: u64,
    pub status: Status,
    /// Why it failed (the located errors), when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being built; found so after a restart, it was interrupted.
    Pending,
    /// Compiled, loaded and migrated: it served, or serves.
    Ready,
    Failed,
    Interrupted,
}

/// `live.json`: what a branch serves, and what it served before (oldest first).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Live {
    pub deployment: String,
    #[serde(default)]
    pub history: Vec<String>,
    pub since: Option<jiff::Timestamp>,
}

/// Writes `bytes` to `path` through a temporary file, fsync and rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().ok_or_else(|| std::io::Error::other("no parent directory"))?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.tmp-{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("f"), std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, Error> {
    match std::fs::read(path) {
        Ok(b) => serde_json::from_slice(&b).map(Some).map_err(|e| Error::Corrupt(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn write_json<T: Serialize>(path: &Path, v: &T) -> Result<(), Error> {
    Ok(write_atomic(path, &serde_json::to_vec_pretty(v).map_err(|e| Error::Corrupt(e.to_string()))?)?)
}

/// A new deployment id: sortable by creation time (milliseconds), then random.
pub fn new_deployment_id() -> String {
    let ms = jiff::Timestamp::now().as_millisecond().max(0) as u64;
    let mut r = [0u8; 3];
    let _ = getrandom::fill(&mut r);
    format!("d{ms:011x}{:06x}", u32::from_be_bytes([0, r[0], r[1], r[2]]))
}

impl Store {
    /// The data directory's state, or (with `database_url`) PostgreSQL's.
    pub async fn open(root: &Path, database_url: Option<&str>) -> Result<Self, Error> {
        std::fs::create_dir_all(root.join("projects"))?;
        let pg = match database_url {
            Some(url) => Some(pg::Control::open(url).await?),
            None => None,
        };
        Ok(Self { root: root.to_path_buf(), pg })
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    pub fn project_dir(&self, project: &str) -> PathBuf {
        self.root.join("projects").join(project)
    }

    pub fn branch_dir(&self, project: &str, branch: &str) -> PathBuf {
        self.project_dir(project).join("branches").join(branch)
    }

    /// The branch's data directory (the child's `PALBASE_DATA_DIR`).
    pub fn branch_data(&self, project: &str, branch: &str) -> PathBuf {
        self.branch_dir(project, branch).join("data")
    }

    /// The branch's `PALBASE_DATABASE_URL` when its database is on PostgreSQL (its own schema
    /// and role, created here; `password` is the role's); `None`: the SQLite file in
    /// [`Store::branch_data`].
    pub async fn branch_database(&self, project: &str, branch: &str, password: &str) -> Result<Option<String>, Error> {
        match &self.pg {
            Some(pg) => pg.branch_database(project, branch, password).await.map(Some),
            None => Ok(None),
        }
    }

    pub fn deployment_dir(&self, project: &str, id: &str) -> PathBuf {
        self.project_dir(project).join("deployments").join(id)
    }

    pub fn code_dir(&self, project: &str, id: &str) -> PathBuf {
        self.deployment_dir(project, id).join("code")
    }

    fn blob(&self, project: &str, sha: &str) -> PathBuf {
        self.project_dir(project).join("blobs").join(sha)
    }

    fn secrets_file(&self, project: &str, branch: &str) -> PathBuf {
        self.branch_dir(project, branch).join("secrets.json")
    }

    /// The hashes of `wanted` this project's blob store lacks.
    pub async fn missing(&self, project: &str, wanted: &[String]) -> Result<Vec<String>, Error> {
        if let Some(pg) = &self.pg {
            return pg.missing(project, wanted).await;
        }
        let mut m: Vec<String> = wanted.iter().filter(|h| !self.blob(project, h).is_file()).cloned().collect();
        m.sort();
        m.dedup();
        Ok(m)
    }

    /// Stores a blob after checking that `bytes` hash to `sha` (written aside, then renamed:
    /// an interrupted upload leaves nothing).
    pub async fn put_blob(&self, project: &str, sha: &str, bytes: &[u8]) -> Result<(), Error> {
        let got = crate::manifest::sha256_hex(bytes);
        if got != sha {
            return Err(Error::Invalid(format!("the blob's content hashes to {got}, not {sha}")));
        }
        if let Some(pg) = &self.pg {
            return pg.put_blob(project, sha, bytes).await;
        }
        let path = self.blob(project, sha);
        if path.is_file() {
            return Ok(());
        }
        write_atomic(&path, bytes)?;
        let mut perm = std::fs::metadata(&path)?.permissions();
        perm.set_readonly(true);
        std::fs::set_permissions(&path, perm)?;
        Ok(())
    }

    /// Records a new pending deployment of a bundle and materialises its code here.
    pub async fn create_deployment(&self, project: &str, branch: &str, files: &[Entry]) -> Result<Deployment, Error> {
        let d = Deployment { id: new_deployment_id(), project: project.into(), branch: branch.into(), created_at: jiff::Timestamp::now(), files: files.len(), bytes: files.iter().map(|f| f.size).sum(), status: Status::Pending, error: None };
        match &self.pg {
            Some(pg) => {
                pg.create_deployment(&d, files).await?;
                self.materialise(project, &d.id).await?;
            }
            None => {
                let code = self.code_dir(project, &d.id);
                for f in files {
                    let to = code.join(&f.path);
                    if let Some(dir) = to.parent() {
                        std::fs::create_dir_all(dir)?;
                    }
                    let from = self.blob(project, &f.sha256);
                    if std::fs::hard_link(&from, &to).is_err() {
                        std::fs::copy(&from, &to)?;
                    }
                }
                self.save_deployment(&d).await?;
            }
        }
        Ok(d)
    }

    /// The deployment's code directory on this server: with PostgreSQL, written from its
    /// manifest and blobs the first time this server starts it (aside, then renamed).
    pub async fn materialise(&self, project: &str, id: &str) -> Result<PathBuf, Error> {
        let code = self.code_dir(project, id);
        let Some(pg) = &self.pg else { return Ok(code) };
        if code.is_dir() {
            return Ok(code);
        }
        let files = pg.files(project, id).await?.ok_or_else(|| Error::Invalid(format!("no deployment {id} of {project}")))?;
        let tmp = self.deployment_dir(project, id).join(format!(".code-{}", uuid::Uuid::new_v4().simple()));
        for f in &files {
            let bytes = pg.blob(project, &f.sha256).await?.ok_or_else(|| Error::Corrupt(format!("{}: blob {} is missing", f.path, f.sha256)))?;
            if crate::manifest::sha256_hex(&bytes) != f.sha256 {
                return Err(Error::Corrupt(format!("{}: blob {} does not hash to its name", f.path, f.sha256)));
            }
            let to = tmp.join(&f.path);
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&to, &bytes)?;
        }
        std::fs::create_dir_all(&tmp)?;
        match std::fs::rename(&tmp, &code) {
            Ok(()) => Ok(code),
            // Another task of this server materialised it first.
            Err(_) if code.is_dir() => {
                let _ = std::fs::remove_dir_all(&tmp);
                Ok(code)
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn save_deployment(&self, d: &Deployment) -> Result<(), Error> {
        match &self.pg {
            Some(pg) => pg.save_deployment(d).await,
            None => write_json(&self.deployment_dir(&d.project, &d.id).join("deployment.json"), d),
        }
    }

    pub async fn deployment(&self, project: &str, id: &str) -> Result<Option<Deployment>, Error> {
        if crate::names::check("deployment", id).is_err() {
            return Ok(None);
        }
        match &self.pg {
            Some(pg) => pg.deployment(project, id).await,
            None => read_json(&self.deployment_dir(project, id).join("deployment.json")),
        }
    }

    /// Every deployment of a project (of one branch), newest first.
    pub async fn deployments(&self, project: &str, branch: Option<&str>) -> Result<Vec<Deployment>, Error> {
        if let Some(pg) = &self.pg {
            return pg.deployments(Some(project), branch).await;
        }
        let mut out = Vec::new();
        let Ok(dir) = std::fs::read_dir(self.project_dir(project).join("deployments")) else { return Ok(out) };
        for e in dir.flatten() {
            if let Some(d) = read_json::<Deployment>(&e.path().join("deployment.json"))?
                && branch.is_none_or(|b| b == d.branch)
            {
                out.push(d);
            }
        }
        out.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(out)
    }

    pub async fn live(&self, project: &str, branch: &str) -> Result<Option<Live>, Error> {
        match &self.pg {
            Some(pg) => pg.live(project, branch).await,
            None => read_json(&self.branch_dir(project, branch).join("live.json")),
        }
    }

    /// THE switch: from this write on, a (re)started server serves `id` on the branch.
    pub async fn set_live(&self, project: &str, branch: &str, id: &str) -> Result<Live, Error> {
        let update = |mut live: Live| {
            if !live.deployment.is_empty() && live.deployment != id {
                let previous = std::mem::take(&mut live.deployment);
                live.history.retain(|h| h != &previous);
                live.history.push(previous);
            }
            live.history.retain(|h| h != id);
            live.deployment = id.to_string();
            live.since = Some(jiff::Timestamp::now());
            live
        };
        match &self.pg {
            Some(pg) => pg.set_live(project, branch, update).await,
            None => {
                let live = update(self.live(project, branch).await?.unwrap_or_default());
                write_json(&self.branch_dir(project, branch).join("live.json"), &live)?;
                Ok(live)
            }
        }
    }

    pub async fn projects(&self) -> Result<Vec<String>, Error> {
        if let Some(pg) = &self.pg {
            let mut p: Vec<String> = pg.branches(None).await?.into_iter().map(|(p, _)| p).collect();
            p.dedup();
            return Ok(p);
        }
        Ok(list_dirs(&self.root.join("projects")))
    }

    pub async fn branches(&self, project: &str) -> Result<Vec<String>, Error> {
        if let Some(pg) = &self.pg {
            return Ok(pg.branches(Some(project)).await?.into_iter().map(|(_, b)| b).collect());
        }
        Ok(list_dirs(&self.project_dir(project).join("branches")))
    }

    pub async fn branch_exists(&self, project: &str, branch: &str) -> Result<bool, Error> {
        Ok(self.branches(project).await?.iter().any(|b| b == branch))
    }

    /// What decides each branch's process, for every branch.
    pub async fn stamps(&self) -> Result<Vec<((String, String), Stamp)>, Error> {
        if let Some(pg) = &self.pg {
            return pg.stamps(None).await;
        }
        let mut out = Vec::new();
        for p in self.projects().await? {
            for b in self.branches(&p).await? {
                let s = self.file_stamp(&p, &b).await;
                out.push(((p.clone(), b), s));
            }
        }
        Ok(out)
    }

    /// What decides one branch's process now (the default when the branch is gone).
    pub async fn stamp(&self, project: &str, branch: &str) -> Result<Stamp, Error> {
        match &self.pg {
            Some(pg) => Ok(pg.stamps(Some((project, branch))).await?.pop().map(|(_, s)| s).unwrap_or_default()),
            None => Ok(self.file_stamp(project, branch).await),
        }
    }

    /// The live pointer and the secrets file's modification time.
    async fn file_stamp(&self, project: &str, branch: &str) -> Stamp {
        let deployment = self.live(project, branch).await.ok().flatten().map(|l| l.deployment);
        let secrets = std::fs::metadata(self.secrets_file(project, branch)).and_then(|m| m.modified()).map(|t| format!("{t:?}")).unwrap_or_default();
        Stamp { deployment, secrets }
    }

    /// Removes a branch: its live pointer, data and secrets, and its deployments.
    pub async fn delete_branch(&self, project: &str, branch: &str) -> Result<(), Error> {
        let deployments = self.deployments(project, Some(branch)).await?;
        if let Some(pg) = &self.pg {
            pg.delete_branch(project, branch).await?;
        } else {
            // The pointer first: once it is gone nothing restarts the branch.
            let live = self.branch_dir(project, branch).join("live.json");
            if live.exists() {
                std::fs::remove_file(live)?;
            }
        }
        self.forget_branch(project, branch, deployments.iter().map(|d| d.id.as_str()));
        Ok(())
    }

    /// Removes what this server keeps of a deleted branch (its local data, its code).
    pub fn forget_branch<'a>(&self, project: &str, branch: &str, deployments: impl Iterator<Item = &'a str>) {
        for id in deployments {
            let _ = std::fs::remove_dir_all(self.deployment_dir(project, id));
        }
        let _ = std::fs::remove_dir_all(self.branch_dir(project, branch));
    }

    /// Takes the branch's push lock (with files: an advisory lock on `push.lock`; with
    /// PostgreSQL: a session advisory lock), released when dropped or when its process dies,
    /// whichever server held it; `None` when it is held.
    pub async fn lock_branch(&self, project: &str, branch: &str) -> Result<Option<BranchLock>, Error> {
        if let Some(pg) = &self.pg {
            return Ok(pg.lock(project, branch).await?.map(BranchLock::Pg));
        }
        let dir = self.branch_dir(project, branch);
        std::fs::create_dir_all(&dir)?;
        let f = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(dir.join("push.lock"))?;
        match f.try_lock() {
            Ok(()) => Ok(Some(BranchLock::File(f))),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }

    /// Marks deployments left pending by a killed server as interrupted (not those of a branch
    /// another server is pushing to right now).
    pub async fn mark_interrupted(&self) -> Result<(), Error> {
        let all = match &self.pg {
            Some(pg) => pg.deployments(None, None).await?,
            None => {
                let mut v = Vec::new();
                for p in self.projects().await? {
                    v.extend(self.deployments(&p, None).await?);
                }
                v
            }
        };
        for mut d in all {
            if d.status == Status::Pending && self.lock_branch(&d.project, &d.branch).await?.is_some() {
                d.status = Status::Interrupted;
                self.save_deployment(&d).await?;
            }
        }
        Ok(())
    }

    // Tokens and secrets: their records (their logic is in `tokens` and `secrets`).

    pub async fn token_records(&self) -> Result<Vec<TokenRecord>, Error> {
        match &self.pg {
            Some(pg) => pg.tokens().await,
            None => Ok(read_json(&self.root.join("tokens.json"))?.unwrap_or_default()),
        }
    }

    /// Whether any token was ever stored (the first start makes the admin token).
    pub async fn has_token_records(&self) -> Result<bool, Error> {
        match &self.pg {
            Some(pg) => Ok(!pg.tokens().await?.is_empty()),
            None => Ok(self.root.join("tokens.json").exists()),
        }
    }

    pub async fn add_token_record(&self, t: &TokenRecord) -> Result<(), Error> {
        match &self.pg {
            Some(pg) => pg.add_token(t).await,
            None => {
                let mut all = self.token_records().await?;
                all.push(t.clone());
                write_json(&self.root.join("tokens.json"), &all)
            }
        }
    }

    pub async fn remove_token_record(&self, id: &str) -> Result<bool, Error> {
        match &self.pg {
            Some(pg) => pg.remove_token(id).await,
            None => {
                let mut all = self.token_records().await?;
                let n = all.len();
                all.retain(|t| t.id != id);
                if all.len() == n {
                    return Ok(false);
                }
                write_json(&self.root.join("tokens.json"), &all)?;
                Ok(true)
            }
        }
    }

    pub(crate) async fn sealed(&self, project: &str, branch: &str) -> Result<BTreeMap<String, Sealed>, Error> {
        match &self.pg {
            Some(pg) => pg.sealed(project, branch).await,
            None => Ok(read_json(&self.secrets_file(project, branch))?.unwrap_or_default()),
        }
    }

    /// Sets (`Some`) or removes (`None`) a sealed secret; false when there was none to remove.
    pub(crate) async fn put_sealed(&self, project: &str, branch: &str, name: &str, sealed: Option<Sealed>) -> Result<bool, Error> {
        if let Some(pg) = &self.pg {
            return pg.put_sealed(project, branch, name, sealed.as_ref()).await;
        }
        let mut all = self.sealed(project, branch).await?;
        let changed = match sealed {
            Some(s) => {
                all.insert(name.to_string(), s);
                true
            }
            None => all.remove(name).is_some(),
        };
        if changed {
            write_json(&self.secrets_file(project, branch), &all)?;
        }
        Ok(changed)
    }

    /// Checks the secret key against the one PostgreSQL's secrets were sealed with.
    pub async fn check_key(&self, fingerprint: &str) -> Result<(), Error> {
        match &self.pg {
            Some(pg) => pg.check_key(fingerprint).await,
            None => Ok(()),
        }
    }

    /// Wake-ups on changes other servers make, when the state tells (PostgreSQL `LISTEN`).
    pub async fn listen(&self) -> Option<pg::Listener> {
        match &self.pg {
            Some(pg) => pg.listen().await.inspect_err(|e| tracing::warn!(target: "palbase::deploy", error = %e, "LISTEN failed; following by polling")).ok(),
            None => None,
        }
    }
}

fn list_dirs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).map(|d| d.flatten().filter(|e| e.path().is_dir()).filter_map(|e| e.file_name().to_str().map(str::to_owned)).collect()).unwrap_or_default();
    v.sort();
    v
}
