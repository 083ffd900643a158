//! Signed URLs of the runtime's own storage routes (the local backend), and route parsing.
//!
//! URL shapes (paths percent-encoded segment by segment):
//!
//! ```text
//! GET  {base}/storage/v1/object/public/{bucket}/{path}                         public buckets
//! GET  {base}/storage/v1/object/sign/{bucket}/{path}?exp={unix}&sig={b64url}   signed download
//!      … &download=            (attachment under the object's own name)
//!      … &download={name}      (attachment under `name`)
//! PUT  {base}/storage/v1/object/upload/sign/{bucket}/{path}?exp={unix}&sig={b64url}
//! ```
//!
//! `sig` is the unpadded base64url HMAC-SHA256, under the key in `<data_dir>/signing.key`, of
//! `palbase-storage-v1 \n {GET|PUT} \n {bucket} \n {path} \n {exp} \n {download}` where
//! `{download}` is `-` without the flag and `d:{name}` with it (paths and names contain no
//! control characters, so the fields cannot run into each other). A URL is valid while
//! `now < exp` (whole Unix seconds): at the expiry second it has expired.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
    time::{SystemTime, UNIX_EPOCH},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::{StorageError, path};

pub const PUBLIC_PREFIX: &str = "/storage/v1/object/public/";
pub const SIGN_PREFIX: &str = "/storage/v1/object/sign/";
pub const UPLOAD_SIGN_PREFIX: &str = "/storage/v1/object/upload/sign/";

const KEY_FILE: &str = "signing.key";

/// What a signed URL lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedKind {
    /// GET (and HEAD) of the object.
    Download,
    /// One PUT creating the object (signed uploads never overwrite).
    Upload,
}

impl SignedKind {
    fn method(self) -> &'static str {
        match self {
            SignedKind::Download => "GET",
            SignedKind::Upload => "PUT",
        }
    }
}

/// A verified signed URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAccess {
    pub kind: SignedKind,
    pub bucket: String,
    pub path: String,
    /// Unix seconds; the URL is refused from this second on.
    pub expires_at: u64,
    /// `Some("")`: download as an attachment under the object's name; `Some(name)`: under `name`.
    pub download: Option<String>,
}

pub(crate) struct Signer {
    file: PathBuf,
    key: RwLock<Arc<[u8; 32]>>,
}

fn random_key() -> Result<[u8; 32], StorageError> {
    let mut k = [0u8; 32];
    getrandom::fill(&mut k).map_err(|e| StorageError::Internal(format!("no randomness for the signing key: {e}")))?;
    Ok(k)
}

fn write_key(file: &Path, key: &[u8; 32]) -> Result<(), StorageError> {
    use std::io::Write;
    let dir = file.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{KEY_FILE}.{}", uuid::Uuid::new_v4().simple()));
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let r = (|| {
        let mut f = o.open(&tmp)?;
        f.write_all(URL_SAFE_NO_PAD.encode(key).as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r.map_err(|e| StorageError::Config(format!("cannot write the storage signing key {}: {e}", file.display())))
}

impl Signer {
    /// Reads the key under `dir`, creating it on first use. A malformed key file is an error
    /// (replacing it silently would invalidate every outstanding URL without anyone asking).
    pub(crate) fn open(dir: &Path) -> Result<Signer, StorageError> {
        let file = dir.join(KEY_FILE);
        let key = match std::fs::read_to_string(&file) {
            Ok(text) => {
                let bytes =
                    URL_SAFE_NO_PAD.decode(text.trim()).ok().filter(|b| b.len() == 32).ok_or_else(|| StorageError::Config(format!("{} is not a storage signing key (32 bytes, base64url); delete it to make a new one", file.display())))?;
                let mut k = [0u8; 32];
                k.copy_from_slice(&bytes);
                k
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let k = random_key()?;
                write_key(&file, &k)?;
                k
            }
            Err(e) => return Err(StorageError::Config(format!("cannot read {}: {e}", file.display()))),
        };
        Ok(Signer { file, key: RwLock::new(Arc::new(key)) })
    }

    /// A new key, on disk first, then in memory: every URL signed before is refused from now on.
    pub(crate) fn rotate(&self) -> Result<(), StorageError> {
        let k = random_key()?;
        write_key(&self.file, &k)?;
        *self.key.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(k);
        Ok(())
    }

    fn mac(&self, kind: SignedKind, bucket: &str, path: &str, exp: u64, download: Option<&str>) -> Hmac<Sha256> {
        let key = self.key.read().unwrap_or_else(|p| p.into_inner()).clone();
        let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&key[..]).expect("HMAC takes any key length");
        let dl = match download {
            None => "-".to_owned(),
            Some(name) => format!("d:{name}"),
        };
        m.update(format!("palbase-storage-v1\n{}\n{bucket}\n{path}\n{exp}\n{dl}", kind.method()).as_bytes());
        m
    }

    /// The query string (`exp=…&sig=…[&download=…]`) of a signed URL.
    pub(crate) fn query(&self, kind: SignedKind, bucket: &str, path: &str, exp: u64, download: Option<&str>) -> String {
        let sig = URL_SAFE_NO_PAD.encode(self.mac(kind, bucket, path, exp, download).finalize().into_bytes());
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("exp", &exp.to_string());
        q.append_pair("sig", &sig);
        if let Some(d) = download {
            q.append_pair("download", d);
        }
        q.finish()
    }

    /// Checks a request's method, bucket, path and raw query against its signature, then its
    /// expiry (so a changed `exp` is `signature_invalid`, not `signature_expired`).
    pub(crate) fn verify(&self, method: &str, bucket: &str, path: &str, query: &str, now: SystemTime) -> Result<SignedAccess, StorageError> {
        let kind = match method.to_ascii_uppercase().as_str() {
            "GET" | "HEAD" => SignedKind::Download,
            "PUT" => SignedKind::Upload,
            _ => return Err(StorageError::SignatureInvalid),
        };
        let (mut exp, mut sig, mut download) = (None, None, None);
        for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            let slot = match k.as_ref() {
                "exp" => &mut exp,
                "sig" => &mut sig,
                "download" => &mut download,
                _ => continue,
            };
            if slot.replace(v.into_owned()).is_some() {
                return Err(StorageError::SignatureInvalid); // a repeated field is ambiguous
            }
        }
        let (Some(exp), Some(sig)) = (exp, sig) else { return Err(StorageError::SignatureInvalid) };
        if exp.is_empty() || exp.len() > 20 || !exp.bytes().all(|b| b.is_ascii_digit()) || (exp.len() > 1 && exp.starts_with('0')) {
            // Only the canonical form that was signed.
            return Err(StorageError::SignatureInvalid);
        }
        let exp: u64 = exp.parse().map_err(|_| StorageError::SignatureInvalid)?;
        let sig = URL_SAFE_NO_PAD.decode(sig.as_bytes()).map_err(|_| StorageError::SignatureInvalid)?;
        if kind == SignedKind::Upload && download.is_some() {
            return Err(StorageError::SignatureInvalid);
        }
        // Constant-time comparison (`verify_slice`).
        self.mac(kind, bucket, path, exp, download.as_deref()).verify_slice(&sig).map_err(|_| StorageError::SignatureInvalid)?;
        if unix_secs(now) >= exp {
            return Err(StorageError::SignatureExpired);
        }
        Ok(SignedAccess { kind, bucket: bucket.to_owned(), path: path.to_owned(), expires_at: exp, download })
    }
}

pub(crate) fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Which storage route a request path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    /// `/storage/v1/object/public/…`: GET/HEAD of an object of a public bucket.
    Public,
    /// `/storage/v1/object/sign/…`: GET/HEAD with a signed download URL.
    SignedDownload,
    /// `/storage/v1/object/upload/sign/…`: PUT with a signed upload URL.
    SignedUpload,
}

/// A storage request, its path decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageRoute {
    pub kind: RouteKind,
    pub bucket: String,
    pub path: String,
}

/// Reads a request's URL path (without the query): `None` when it is not a storage route,
/// `invalid_path` when it is one with a path that is not valid UTF-8 once percent-decoded or
/// breaks the path rules (checked again here, at serve time).
pub fn parse_route(url_path: &str) -> Option<Result<StorageRoute, StorageError>> {
    let (kind, rest) = if let Some(r) = url_path.strip_prefix(PUBLIC_PREFIX) {
        (RouteKind::Public, r)
    } else if let Some(r) = url_path.strip_prefix(SIGN_PREFIX) {
        (RouteKind::SignedDownload, r)
    } else if let Some(r) = url_path.strip_prefix(UPLOAD_SIGN_PREFIX) {
        (RouteKind::SignedUpload, r)
    } else {
        return None;
    };
    Some((|| {
        let (b, p) = rest.split_once('/').ok_or_else(|| StorageError::InvalidPath("the URL names no object".into()))?;
        let dec = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8().map(|c| c.into_owned()).map_err(|_| StorageError::InvalidPath("the URL path is not UTF-8 once decoded".into()));
        let (bucket, path) = (dec(b)?, dec(p)?);
        path::validate_path(&path)?;
        Ok(StorageRoute { kind, bucket, path })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let r = parse_route("/storage/v1/object/sign/avatars/u%201/a%C3%A9.png").unwrap().unwrap();
        assert_eq!(r, StorageRoute { kind: RouteKind::SignedDownload, bucket: "avatars".into(), path: "u 1/aé.png".into() });
        let r = parse_route("/storage/v1/object/upload/sign/docs/x.pdf").unwrap().unwrap();
        assert_eq!((r.kind, r.bucket.as_str(), r.path.as_str()), (RouteKind::SignedUpload, "docs", "x.pdf"));
        let r = parse_route("/storage/v1/object/public/pub/a/b").unwrap().unwrap();
        assert_eq!((r.kind, r.path.as_str()), (RouteKind::Public, "a/b"));
        assert!(parse_route("/api/x").is_none());
        for bad in [
            "/storage/v1/object/sign/avatars/..%2Fsecret",
            "/storage/v1/object/sign/avatars/%2e%2e/x",
            "/storage/v1/object/sign/avatars/a%00b",
            "/storage/v1/object/sign/avatars/%ff",
            "/storage/v1/object/sign/avatars",
            "/storage/v1/object/sign/avatars/",
            "/storage/v1/object/public/avatars/a%5Cb",
            "/storage/v1/object/public/avatars/%252e%252e/x",
        ] {
            let e = parse_route(bad).unwrap().unwrap_err();
            assert_eq!(e.code(), "invalid_path", "{bad}");
        }
    }
}
