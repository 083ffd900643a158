//! Control-API tokens: random, shown once, kept only as SHA-256 hashes in `tokens.json`.
//! An admin token reaches every project; a deploy token one project.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{Error, manifest::sha256_hex};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Public id (for `revoke`): `tok_` + the first hash characters.
    pub id: String,
    pub sha256: String,
    /// `None`: an admin token.
    pub project: Option<String>,
    pub created_at: jiff::Timestamp,
}

/// What a valid token may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Admin,
    Project(String),
}

impl Access {
    pub fn allows(&self, project: &str) -> bool {
        match self {
            Access::Admin => true,
            Access::Project(p) => p == project,
        }
    }
}

pub struct Tokens {
    file: PathBuf,
    /// `PALBASE_SERVER_TOKEN`: an admin token given by the environment.
    env_admin: Option<String>,
}

fn random_token() -> String {
    let mut b = [0u8; 24];
    getrandom::fill(&mut b).expect("the operating system's random source");
    let mut s = String::from("pbs_");
    for x in b {
        s.push_str(&format!("{x:02x}"));
    }
    s
}

impl Tokens {
    pub fn new(data: &Path, env_admin: Option<String>) -> Self {
        Self { file: data.join("tokens.json"), env_admin: env_admin.filter(|t| !t.is_empty()) }
    }

    fn read(&self) -> Result<Vec<TokenRecord>, Error> {
        match std::fs::read(&self.file) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| Error::Corrupt(format!("{}: {e}", self.file.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    fn write(&self, v: &[TokenRecord]) -> Result<(), Error> {
        crate::store::write_atomic(&self.file, &serde_json::to_vec_pretty(v).map_err(|e| Error::Corrupt(e.to_string()))?)?;
        Ok(())
    }

    /// On first start (no token file, none from the environment): a new admin token, to be
    /// printed once.
    pub fn first_start(&self) -> Result<Option<String>, Error> {
        if self.env_admin.is_some() || self.file.exists() {
            return Ok(None);
        }
        self.create(None).map(|(t, _)| Some(t))
    }

    /// A new token (shown once) and its record.
    pub fn create(&self, project: Option<&str>) -> Result<(String, TokenRecord), Error> {
        if let Some(p) = project {
            crate::names::check("project", p).map_err(Error::Invalid)?;
        }
        let token = random_token();
        let sha = sha256_hex(token.as_bytes());
        let rec = TokenRecord { id: format!("tok_{}", &sha[..12]), sha256: sha, project: project.map(str::to_owned), created_at: jiff::Timestamp::now() };
        let mut all = self.read()?;
        all.push(rec.clone());
        self.write(&all)?;
        Ok((token, rec))
    }

    /// Revokes by id; false when no token has it.
    pub fn revoke(&self, id: &str) -> Result<bool, Error> {
        let mut all = self.read()?;
        let n = all.len();
        all.retain(|t| t.id != id);
        if all.len() == n {
            return Ok(false);
        }
        self.write(&all)?;
        Ok(true)
    }

    pub fn list(&self) -> Result<Vec<TokenRecord>, Error> {
        self.read()
    }

    /// What `token` may reach (read from the file each time: `token create|revoke` apply to
    /// a running server at once).
    pub fn verify(&self, token: &str) -> Option<Access> {
        if let Some(admin) = &self.env_admin
            && constant_time_eq(admin.as_bytes(), token.as_bytes())
        {
            return Some(Access::Admin);
        }
        let sha = sha256_hex(token.as_bytes());
        let all = self.read().ok()?;
        all.into_iter().find(|t| constant_time_eq(t.sha256.as_bytes(), sha.as_bytes())).map(|t| t.project.map_or(Access::Admin, Access::Project))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_verify_revoke() {
        let d = tempfile::tempdir().unwrap();
        let t = Tokens::new(d.path(), None);
        let admin = t.first_start().unwrap().unwrap();
        assert!(t.first_start().unwrap().is_none(), "only the first start creates one");
        assert!(!std::fs::read_to_string(d.path().join("tokens.json")).unwrap().contains(&admin), "only the hash is stored");
        assert_eq!(t.verify(&admin), Some(Access::Admin));
        let (a, rec) = t.create(Some("shop")).unwrap();
        assert_eq!(t.verify(&a), Some(Access::Project("shop".into())));
        assert!(!t.verify(&a).unwrap().allows("blog"));
        assert_eq!(t.verify("pbs_nope"), None);
        assert!(t.revoke(&rec.id).unwrap());
        assert_eq!(t.verify(&a), None);
        let env = Tokens::new(d.path(), Some("from-env".into()));
        assert_eq!(env.verify("from-env"), Some(Access::Admin));
    }
}
