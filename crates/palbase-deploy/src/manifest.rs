//! A bundle is a manifest of `path → sha256`; the bytes travel as content-addressed blobs, and
//! only those the server lacks.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

/// One file of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Relative to the project, `/`-separated.
    pub path: String,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
    pub size: u64,
}

/// The largest file a bundle may hold, and the most files.
pub const MAX_FILE: u64 = 64 << 20;
pub const MAX_FILES: usize = 20_000;

/// Directories never pushed: local data, VCS, build output. `node_modules` travels only as far
/// as the project imports it.
const SKIPPED_DIRS: [&str; 4] = [".palbase", ".git", "target", "node_modules"];

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Whether `s` looks like a SHA-256 in hex.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks a manifest path on the server: relative, `/`-separated plain segments (no `.`, `..`,
/// empty segments, backslashes or control characters), not into `.palbase/`.
pub fn check_path(p: &str) -> Result<(), String> {
    let bad = p.is_empty() || p.len() > 1024 || p.starts_with('/') || p.contains('\\') || p.chars().any(char::is_control) || p.split('/').any(|s| s.is_empty() || s == "." || s == "..") || p.split('/').next() == Some(".palbase");
    if bad { Err(format!("invalid path in the bundle: {p:?}")) } else { Ok(()) }
}

/// The files `palbase push` sends from `root`: every file outside `.palbase/`, `.git/`,
/// `target/` and `node_modules/` except `.env` files (deploy secrets replace them), plus the
/// files of `node_modules` the project imports (`imported`, relative ids from the project
/// graph) with the `package.json` of every package directory on their way.
pub fn collect(root: &Path, imported: &[String]) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    walk(root, root, &mut out)?;
    let mut extra: Vec<String> = Vec::new();
    for id in imported.iter().filter(|id| id.starts_with("node_modules/")) {
        extra.push(id.clone());
        let mut dir = Path::new(id).parent();
        while let Some(d) = dir {
            if d.as_os_str().is_empty() || d == Path::new("node_modules") {
                break;
            }
            let manifest = d.join("package.json");
            if root.join(&manifest).is_file() {
                extra.push(manifest.to_string_lossy().replace('\\', "/"));
            }
            dir = d.parent();
        }
    }
    extra.sort();
    extra.dedup();
    for id in extra {
        let path = root.join(&id);
        if path.is_file() {
            out.push((id, path));
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let ty = entry.file_type()?;
        if ty.is_dir() {
            if dir == root && SKIPPED_DIRS.contains(&name.as_str()) {
                continue;
            }
            walk(root, &path, out)?;
        } else if ty.is_file() && !(name == ".env" || name.starts_with(".env.")) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((rel, path));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        for ok in ["endpoints/hello/get.ts", "node_modules/@a/b/index.js", ".gitignore"] {
            assert!(check_path(ok).is_ok(), "{ok}");
        }
        for bad in ["", "/etc/passwd", "../x", "a/../b", "a//b", "a/./b", "a\\b", ".palbase/db.sqlite", "a\nb"] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
        assert!(is_sha256(&sha256_hex(b"x")));
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn collects_sources_and_imported_packages_only() {
        let d = tempfile::tempdir().unwrap();
        let w = |p: &str| {
            let p = d.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        };
        for f in ["package.json", "endpoints/a/get.ts", ".env", ".palbase/db.sqlite", ".git/HEAD", "node_modules/used/package.json", "node_modules/used/lib/index.js", "node_modules/unused/index.js"] {
            w(f);
        }
        let files: Vec<String> = collect(d.path(), &["node_modules/used/lib/index.js".into(), "endpoints/a/get.ts".into()]).unwrap().into_iter().map(|(p, _)| p).collect();
        assert_eq!(files, ["endpoints/a/get.ts", "node_modules/used/lib/index.js", "node_modules/used/package.json", "package.json"]);
    }
}
