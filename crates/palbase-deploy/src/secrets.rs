//! Deploy secrets: AES-256-GCM at rest under the server's key (`PALBASE_SERVER_SECRET_KEY`, else
//! `<data>/secret.key`, 0600), one record per secret (a file per branch, or rows in PostgreSQL);
//! the project, branch and name are the associated data, so a ciphertext moved to another name
//! or branch does not decrypt. Values leave only into a deployment's process.

use std::path::Path;

use aes_gcm::{
    Aes256Gcm, Nonce,
    aead::{Aead, KeyInit, Payload},
};
use serde::{Deserialize, Serialize};

use crate::{Error, store::Store};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Sealed {
    nonce: String,
    ciphertext: String,
    updated_at: jiff::Timestamp,
}

/// A secret as `secrets list` shows it: never its value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SecretInfo {
    pub name: String,
    pub updated_at: jiff::Timestamp,
}

pub struct Secrets {
    cipher: Aes256Gcm,
    key: [u8; 32],
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (s.len().is_multiple_of(2)).then(|| (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect::<Option<Vec<u8>>>()).flatten()
}

/// An environment variable name: `[A-Za-z_][A-Za-z0-9_]*`, at most 128 bytes.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty() && name.len() <= 128 && !name.starts_with(|c: char| c.is_ascii_digit()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok { Ok(()) } else { Err(format!("`{name}` is not a valid secret name: use letters, digits and `_` (an environment variable name)")) }
}

pub const MAX_VALUE: usize = 64 << 10;

/// The environment variable that gives the server's secret key (64 hex digits): every server
/// sharing one PostgreSQL needs the same key.
pub const KEY_VAR: &str = "PALBASE_SERVER_SECRET_KEY";

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p);
        h.update([0u8]);
    }
    h.finalize().into()
}

impl Secrets {
    /// The server's key: `env_key` (hex), else `<data>/secret.key`, made on first start.
    pub fn open(data: &Path, env_key: Option<&str>) -> Result<Self, Error> {
        let file = data.join("secret.key");
        let key: Vec<u8> = match env_key.map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => unhex(k).filter(|k| k.len() == 32).ok_or_else(|| Error::Invalid(format!("{KEY_VAR} must be 64 hex digits (32 bytes; `openssl rand -hex 32` makes one)")))?,
            None => match std::fs::read(&file) {
                Ok(k) if k.len() == 32 => k,
                Ok(_) => return Err(Error::Corrupt(format!("{} is not a 32-byte key", file.display()))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let mut k = vec![0u8; 32];
                    getrandom::fill(&mut k).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
                    crate::store::write_atomic(&file, &k)?;
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
                    k
                }
                Err(e) => return Err(e.into()),
            },
        };
        let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| Error::Corrupt("secret key".into()))?;
        let key: [u8; 32] = key.try_into().map_err(|_| Error::Corrupt("secret key".into()))?;
        Ok(Self { cipher, key })
    }

    /// Names the key without revealing it (servers sharing a database compare it).
    pub fn fingerprint(&self) -> String {
        hex(&sha256(&[b"palbase-secret-key-fingerprint", &self.key])[..16])
    }

    /// A value derived from the server's key for one branch (hex): the same on every server
    /// sharing the key, such as the password of the branch's PostgreSQL role.
    pub fn derive(&self, purpose: &str, project: &str, branch: &str) -> String {
        hex(&sha256(&[b"palbase-derived", purpose.as_bytes(), &self.key, project.as_bytes(), branch.as_bytes()])[..24])
    }

    fn aad(project: &str, branch: &str, name: &str) -> Vec<u8> {
        format!("palbase-secret\0{project}\0{branch}\0{name}").into_bytes()
    }

    pub async fn set(&self, store: &Store, project: &str, branch: &str, name: &str, value: &str) -> Result<(), Error> {
        check_name(name).map_err(Error::Invalid)?;
        if value.len() > MAX_VALUE {
            return Err(Error::Invalid(format!("the value of {name} is larger than {} KiB", MAX_VALUE >> 10)));
        }
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let aad = Self::aad(project, branch, name);
        let ct = self.cipher.encrypt(&Nonce::from(nonce), Payload { msg: value.as_bytes(), aad: &aad }).map_err(|_| Error::Corrupt("encryption failed".into()))?;
        store.put_sealed(project, branch, name, Some(Sealed { nonce: hex(&nonce), ciphertext: hex(&ct), updated_at: jiff::Timestamp::now() })).await?;
        Ok(())
    }

    /// Removes a secret; false when there was none.
    pub async fn unset(&self, store: &Store, project: &str, branch: &str, name: &str) -> Result<bool, Error> {
        store.put_sealed(project, branch, name, None).await
    }

    pub async fn list(&self, store: &Store, project: &str, branch: &str) -> Result<Vec<SecretInfo>, Error> {
        Ok(store.sealed(project, branch).await?.into_iter().map(|(name, s)| SecretInfo { name, updated_at: s.updated_at }).collect())
    }

    /// Every secret of a branch, decrypted: for its deployment's environment only.
    pub async fn reveal(&self, store: &Store, project: &str, branch: &str) -> Result<Vec<(String, String)>, Error> {
        let mut out = Vec::new();
        for (name, s) in store.sealed(project, branch).await? {
            let bad = || Error::Corrupt(format!("the secret {name} of {project}/{branch} does not decrypt with this server's key"));
            let nonce: [u8; 12] = unhex(&s.nonce).and_then(|n| n.try_into().ok()).ok_or_else(bad)?;
            let ct = unhex(&s.ciphertext).ok_or_else(bad)?;
            let aad = Self::aad(project, branch, &name);
            let pt = self.cipher.decrypt(&Nonce::from(nonce), Payload { msg: &ct, aad: &aad }).map_err(|_| bad())?;
            let value = String::from_utf8(pt).map_err(|_| bad())?;
            out.push((name, value));
        }
        Ok(out)
    }
}
