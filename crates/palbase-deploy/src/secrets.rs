//! Deploy secrets: AES-256-GCM at rest under the server's key (`<data>/secret.key`, 0600), one
//! file per branch; the project, branch and name are the associated data, so a ciphertext moved
//! to another name or branch does not decrypt. Values leave only into a deployment's process.

use std::{collections::BTreeMap, path::Path};

use aes_gcm::{
    Aes256Gcm, Nonce,
    aead::{Aead, KeyInit, Payload},
};
use serde::{Deserialize, Serialize};

use crate::Error;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Sealed {
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

impl Secrets {
    /// Opens (or, on first start, creates) the server's key.
    pub fn open(data: &Path) -> Result<Self, Error> {
        let file = data.join("secret.key");
        let key = match std::fs::read(&file) {
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
        };
        let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| Error::Corrupt("secret key".into()))?;
        Ok(Self { cipher })
    }

    fn read(file: &Path) -> Result<BTreeMap<String, Sealed>, Error> {
        match std::fs::read(file) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| Error::Corrupt(format!("{}: {e}", file.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(e.into()),
        }
    }

    fn write(file: &Path, all: &BTreeMap<String, Sealed>) -> Result<(), Error> {
        crate::store::write_atomic(file, &serde_json::to_vec_pretty(all).map_err(|e| Error::Corrupt(e.to_string()))?)?;
        Ok(())
    }

    fn aad(project: &str, branch: &str, name: &str) -> Vec<u8> {
        format!("palbase-secret\0{project}\0{branch}\0{name}").into_bytes()
    }

    pub fn set(&self, file: &Path, project: &str, branch: &str, name: &str, value: &str) -> Result<(), Error> {
        check_name(name).map_err(Error::Invalid)?;
        if value.len() > MAX_VALUE {
            return Err(Error::Invalid(format!("the value of {name} is larger than {} KiB", MAX_VALUE >> 10)));
        }
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let aad = Self::aad(project, branch, name);
        let ct = self.cipher.encrypt(&Nonce::from(nonce), Payload { msg: value.as_bytes(), aad: &aad }).map_err(|_| Error::Corrupt("encryption failed".into()))?;
        let mut all = Self::read(file)?;
        all.insert(name.to_string(), Sealed { nonce: hex(&nonce), ciphertext: hex(&ct), updated_at: jiff::Timestamp::now() });
        Self::write(file, &all)
    }

    /// Removes a secret; false when there was none.
    pub fn unset(&self, file: &Path, name: &str) -> Result<bool, Error> {
        let mut all = Self::read(file)?;
        if all.remove(name).is_none() {
            return Ok(false);
        }
        Self::write(file, &all)?;
        Ok(true)
    }

    pub fn list(&self, file: &Path) -> Result<Vec<SecretInfo>, Error> {
        Ok(Self::read(file)?.into_iter().map(|(name, s)| SecretInfo { name, updated_at: s.updated_at }).collect())
    }

    /// Every secret of a branch, decrypted: for its deployment's environment only.
    pub fn reveal(&self, file: &Path, project: &str, branch: &str) -> Result<Vec<(String, String)>, Error> {
        let mut out = Vec::new();
        for (name, s) in Self::read(file)? {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_at_rest_bound_to_branch_and_name() {
        let d = tempfile::tempdir().unwrap();
        let s = Secrets::open(d.path()).unwrap();
        let f = d.path().join("secrets.json");
        s.set(&f, "p", "main", "STRIPE_KEY", "sk_live_very_secret").unwrap();
        let raw = std::fs::read_to_string(&f).unwrap();
        assert!(!raw.contains("sk_live_very_secret"));
        assert_eq!(s.reveal(&f, "p", "main").unwrap(), [("STRIPE_KEY".to_string(), "sk_live_very_secret".to_string())]);
        assert!(s.reveal(&f, "p", "dev").is_err(), "bound to its branch");
        let again = Secrets::open(d.path()).unwrap();
        assert_eq!(again.list(&f).unwrap()[0].name, "STRIPE_KEY");
        assert!(again.unset(&f, "STRIPE_KEY").unwrap());
        assert!(again.list(&f).unwrap().is_empty());
        assert!(check_name("1X").is_err() && check_name("A-B").is_err() && check_name("OK_1").is_ok());
    }
}
