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
//! ```

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use crate::{Error, manifest::Entry};

#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
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
    pub fn open(root: &Path) -> Result<Self, Error> {
        std::fs::create_dir_all(root.join("projects"))?;
        Ok(Self { root: root.to_path_buf() })
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

    pub fn deployment_dir(&self, project: &str, id: &str) -> PathBuf {
        self.project_dir(project).join("deployments").join(id)
    }

    pub fn code_dir(&self, project: &str, id: &str) -> PathBuf {
        self.deployment_dir(project, id).join("code")
    }

    fn blob(&self, project: &str, sha: &str) -> PathBuf {
        self.project_dir(project).join("blobs").join(sha)
    }

    /// The hashes of `wanted` this project's blob store lacks.
    pub fn missing(&self, project: &str, wanted: &[String]) -> Vec<String> {
        let mut m: Vec<String> = wanted.iter().filter(|h| !self.blob(project, h).is_file()).cloned().collect();
        m.sort();
        m.dedup();
        m
    }

    /// Stores a blob after checking that `bytes` hash to `sha` (written aside, then renamed:
    /// an interrupted upload leaves nothing).
    pub fn put_blob(&self, project: &str, sha: &str, bytes: &[u8]) -> Result<(), Error> {
        let got = crate::manifest::sha256_hex(bytes);
        if got != sha {
            return Err(Error::Invalid(format!("the blob's content hashes to {got}, not {sha}")));
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

    /// Materialises a bundle into a new deployment directory (hard links to the blobs, else
    /// copies) and records it as pending.
    pub fn create_deployment(&self, project: &str, branch: &str, files: &[Entry]) -> Result<Deployment, Error> {
        let id = new_deployment_id();
        let code = self.code_dir(project, &id);
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
        let d = Deployment { id, project: project.into(), branch: branch.into(), created_at: jiff::Timestamp::now(), files: files.len(), bytes: files.iter().map(|f| f.size).sum(), status: Status::Pending, error: None };
        self.save_deployment(&d)?;
        Ok(d)
    }

    pub fn save_deployment(&self, d: &Deployment) -> Result<(), Error> {
        write_json(&self.deployment_dir(&d.project, &d.id).join("deployment.json"), d)
    }

    pub fn deployment(&self, project: &str, id: &str) -> Result<Option<Deployment>, Error> {
        if crate::names::check("deployment", id).is_err() {
            return Ok(None);
        }
        read_json(&self.deployment_dir(project, id).join("deployment.json"))
    }

    /// Every deployment of a project (of one branch), newest first.
    pub fn deployments(&self, project: &str, branch: Option<&str>) -> Result<Vec<Deployment>, Error> {
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

    pub fn live(&self, project: &str, branch: &str) -> Result<Option<Live>, Error> {
        read_json(&self.branch_dir(project, branch).join("live.json"))
    }

    /// THE switch: from this rename on, a (re)started server serves `id` on the branch.
    pub fn set_live(&self, project: &str, branch: &str, id: &str) -> Result<Live, Error> {
        let mut live = self.live(project, branch)?.unwrap_or_default();
        if !live.deployment.is_empty() && live.deployment != id {
            let previous = std::mem::take(&mut live.deployment);
            live.history.retain(|h| h != &previous);
            live.history.push(previous);
        }
        live.history.retain(|h| h != id);
        live.deployment = id.to_string();
        live.since = Some(jiff::Timestamp::now());
        write_json(&self.branch_dir(project, branch).join("live.json"), &live)?;
        Ok(live)
    }

    pub fn projects(&self) -> Vec<String> {
        list_dirs(&self.root.join("projects"))
    }

    pub fn branches(&self, project: &str) -> Vec<String> {
        list_dirs(&self.project_dir(project).join("branches"))
    }

    /// Removes a branch: its live pointer, data and secrets, and its deployments.
    pub fn delete_branch(&self, project: &str, branch: &str) -> Result<(), Error> {
        // The pointer first: once it is gone nothing restarts the branch.
        let live = self.branch_dir(project, branch).join("live.json");
        if live.exists() {
            std::fs::remove_file(live)?;
        }
        for d in self.deployments(project, Some(branch))? {
            let _ = std::fs::remove_dir_all(self.deployment_dir(project, &d.id));
        }
        std::fs::remove_dir_all(self.branch_dir(project, branch))?;
        Ok(())
    }

    /// Marks deployments left pending by a killed server as interrupted.
    pub fn mark_interrupted(&self) -> Result<(), Error> {
        for p in self.projects() {
            for mut d in self.deployments(&p, None)? {
                if d.status == Status::Pending {
                    d.status = Status::Interrupted;
                    self.save_deployment(&d)?;
                }
            }
        }
        Ok(())
    }
}

fn list_dirs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).map(|d| d.flatten().filter(|e| e.path().is_dir()).filter_map(|e| e.file_name().to_str().map(str::to_owned)).collect()).unwrap_or_default();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_deployments_and_the_live_pointer() {
        let d = tempfile::tempdir().unwrap();
        let s = Store::open(d.path()).unwrap();
        let sha = crate::manifest::sha256_hex(b"hello");
        let one = std::slice::from_ref(&sha);
        assert_eq!(s.missing("p", one), one);
        assert!(s.put_blob("p", &sha, b"tampered").is_err());
        s.put_blob("p", &sha, b"hello").unwrap();
        assert!(s.missing("p", one).is_empty());
        assert_eq!(s.missing("other", one), one, "blob stores are per project");
        let a = s.create_deployment("p", "main", &[Entry { path: "a/b.ts".into(), sha256: sha.clone(), size: 5 }]).unwrap();
        assert_eq!(std::fs::read_to_string(s.code_dir("p", &a.id).join("a/b.ts")).unwrap(), "hello");
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = s.create_deployment("p", "main", &[]).unwrap();
        assert!(b.id > a.id);
        s.set_live("p", "main", &a.id).unwrap();
        let l = s.set_live("p", "main", &b.id).unwrap();
        assert_eq!((l.deployment.as_str(), l.history.as_slice()), (b.id.as_str(), [a.id.clone()].as_slice()));
        assert_eq!(s.deployments("p", Some("main")).unwrap().iter().map(|d| d.id.clone()).collect::<Vec<_>>(), [b.id.clone(), a.id.clone()]);
        s.mark_interrupted().unwrap();
        assert_eq!(s.deployment("p", &a.id).unwrap().unwrap().status, Status::Interrupted);
    }
}
