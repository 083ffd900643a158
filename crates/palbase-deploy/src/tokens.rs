//! Control-API tokens: random, shown once, kept only as SHA-256 hashes (`tokens.json`, or the
//! `palbase_server.tokens` table).
//! An admin token reaches every project; a deploy token one project.

use serde::{Deserialize, Serialize};

use crate::{Error, manifest::sha256_hex, store::Store};

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
    pub fn new(env_admin: Option<String>) -> Self {
        Self { env_admin: env_admin.filter(|t| !t.is_empty()) }
    }

    /// On first start (no token stored, none from the environment): a new admin token, to be
    /// printed once.
    pub async fn first_start(&self, store: &Store) -> Result<Option<String>, Error> {
        if self.env_admin.is_some() || store.has_token_records().await? {
            return Ok(None);
        }
        self.create(store, None).await.map(|(t, _)| Some(t))
    }

    /// A new token (shown once) and its record.
    pub async fn create(&self, store: &Store, project: Option<&str>) -> Result<(String, TokenRecord), Error> {
        if let Some(p) = project {
            crate::names::check("project", p).map_err(Error::Invalid)?;
        }
        let token = random_token();
        let sha = sha256_hex(token.as_bytes());
        let rec = TokenRecord { id: format!("tok_{}", &sha[..12]), sha256: sha, project: project.map(str::to_owned), created_at: jiff::Timestamp::now() };
        store.add_token_record(&rec).await?;
        Ok((token, rec))
    }

    /// Revokes by id; false when no token has it.
    pub async fn revoke(&self, store: &Store, id: &str) -> Result<bool, Error> {
        store.remove_token_record(id).await
    }

    pub async fn list(&self, store: &Store) -> Result<Vec<TokenRecord>, Error> {
        store.token_records().await
    }

    /// What `token` may reach (read from the store each time: `token create|revoke` apply to
    /// a running server at once).
    pub async fn verify(&self, store: &Store, token: &str) -> Option<Access> {
        if let Some(admin) = &self.env_admin
            && constant_time_eq(admin.as_bytes(), token.as_bytes())
        {
            return Some(Access::Admin);
        }
        let sha = sha256_hex(token.as_bytes());
        let all = store.token_records().await.ok()?;
        all.into_iter().find(|t| constant_time_eq(t.sha256.as_bytes(), sha.as_bytes())).map(|t| t.project.map_or(Access::Admin, Access::Project))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
