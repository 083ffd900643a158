//! Object paths, folder prefixes, bucket names and content types: what is accepted, and why.
//!
//! A path is taken literally (never percent-decoded by this crate) and checked at upload time and
//! again whenever it is served. Refused:
//!
//! - the empty path, a leading `/` (absolute), a trailing `/` and `//` (empty segments);
//! - `.` and `..` segments;
//! - `\` (a separator on Windows and in some URL parsers);
//! - NUL, every other control character (C0, DEL, C1) and the Unicode bidirectional controls
//!   (U+202A–U+202E, U+2066–U+2069), which make a name display as another;
//! - a percent-encoded triplet (`%` followed by two hex digits, e.g. `%2e%2e`, `%2F`): stored
//!   literally it would be harmless here, but a layer that decodes once more (a proxy, a CDN, a
//!   client library) would see `..` or `/`; refusing it keeps every layer's view the same. A `%`
//!   not followed by two hex digits (`100% done.txt`) is accepted;
//! - a segment over 255 bytes (a filesystem name) or a full key (`<prefix>/<bucket>/<path>`)
//!   over 1024 bytes (S3's limit).
//!
//! Anything else, Unicode included, is accepted and compared byte for byte (no normalisation).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::StorageError;

/// Longest full key (`<prefix>/<bucket>/<path>`), in bytes.
pub const MAX_KEY_BYTES: usize = 1024;
/// Longest path segment, in bytes.
pub const MAX_SEGMENT_BYTES: usize = 255;

/// Why `path` is not an acceptable object path, or `Ok`. `max` is the longest path in bytes.
pub fn check_path(path: &str, max: usize) -> Result<(), String> {
    if path.is_empty() {
        return Err("the path is empty".into());
    }
    if path.len() > max {
        return Err(format!("the path is {} bytes long; the limit is {max} bytes", path.len()));
    }
    if path.starts_with('/') {
        return Err("the path must be relative (no leading `/`)".into());
    }
    if path.contains('\\') {
        return Err("the path contains a backslash".into());
    }
    if let Some(c) = path.chars().find(|c| c.is_control() || is_bidi_control(*c)) {
        return Err(format!("the path contains the control character U+{:04X}", c as u32));
    }
    if has_percent_triplet(path) {
        return Err("the path contains a percent-encoded sequence (`%XX`); paths are taken literally, so send the decoded name".into());
    }
    for seg in path.split('/') {
        if seg.is_empty() {
            return Err("the path has an empty segment (`//` or a trailing `/`)".into());
        }
        if seg == "." || seg == ".." {
            return Err(format!("the path has a `{seg}` segment"));
        }
        if seg.len() > MAX_SEGMENT_BYTES {
            return Err(format!("a path segment is {} bytes long; the limit is {MAX_SEGMENT_BYTES} bytes", seg.len()));
        }
    }
    Ok(())
}

/// [`check_path`] with the full-key limit for an object directly under a bucket and no prefix.
pub fn validate_path(path: &str) -> Result<(), StorageError> {
    check_path(path, MAX_KEY_BYTES).map_err(StorageError::InvalidPath)
}

/// A folder prefix for `list` and `remove_prefix`: `""` (the whole bucket) or a path, with an
/// optional trailing `/`. Returns it without the trailing `/`.
pub fn folder(prefix: &str, max: usize) -> Result<&str, StorageError> {
    let p = prefix.strip_suffix('/').unwrap_or(prefix);
    if p.is_empty() {
        return Ok("");
    }
    check_path(p, max).map_err(StorageError::InvalidPath)?;
    Ok(p)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn has_percent_triplet(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(3).any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// Bucket names: 1–63 bytes of `a-z 0-9 . _ -`, starting and ending with a letter or digit,
/// no `..`.
pub fn check_bucket_name(name: &str) -> Result<(), String> {
    let ok_char = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-');
    let edge = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 63 || !b.iter().all(|c| ok_char(*c)) || !edge(b[0]) || !edge(b[b.len() - 1]) || name.contains("..") {
        return Err(format!("bucket name {name:?} is not valid: use 1-63 characters of a-z, 0-9, `.`, `_` and `-`, starting and ending with a letter or digit"));
    }
    Ok(())
}

/// The project prefix: a path (see [`check_path`]) of at most 128 bytes.
pub fn check_prefix(prefix: &str) -> Result<(), String> {
    check_path(prefix, 128).map_err(|e| format!("storage prefix {prefix:?}: {e}"))
}

/// Characters kept as they are in a URL path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `path` as a URL path: each segment percent-encoded, joined with `/`.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(seg, SEGMENT));
    }
    out
}

// ---- content types ----

/// The `type/subtype` of a content type, lower-cased, parameters dropped; `None` when malformed.
pub fn essence(content_type: &str) -> Option<String> {
    if content_type.len() > 255 || !content_type.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    let main = content_type.split(';').next()?.trim();
    let (t, s) = main.split_once('/')?;
    let token = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b));
    if !token(t) || !token(s) {
        return None;
    }
    Some(main.to_ascii_lowercase())
}

/// An allow-list entry: `*`, `*/*`, `type/*` or `type/subtype`.
pub fn check_pattern(p: &str) -> Result<(), String> {
    let p = p.trim();
    if p == "*" || p == "*/*" {
        return Ok(());
    }
    if let Some(t) = p.strip_suffix("/*") {
        if essence(&format!("{t}/x")).is_some() {
            return Ok(());
        }
    } else if essence(p).is_some() && !p.contains(';') {
        return Ok(());
    }
    Err(format!("allowed content type {p:?} is not `type/subtype`, `type/*` or `*/*`"))
}

/// Whether `essence` (see [`essence`]) is allowed by `patterns` (empty: everything).
pub fn type_allowed(patterns: &[String], essence: &str) -> bool {
    if patterns.is_empty() {
        return true;
    }
    let ty = essence.split('/').next().unwrap_or("");
    patterns.iter().any(|p| {
        let p = p.trim().to_ascii_lowercase();
        p == "*" || p == "*/*" || p == essence || p.strip_suffix("/*").is_some_and(|t| t == ty)
    })
}

/// The content type for an upload that names none: from the file extension, else
/// `application/octet-stream`.
pub fn guess_content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => return "application/octet-stream",
    };
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv",
        "md" => "text/markdown",
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "xml" => "application/xml",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// A `Cache-Control` value: printable ASCII, at most 256 bytes.
pub fn check_cache_control(v: &str) -> Result<(), StorageError> {
    if v.is_empty() || v.len() > 256 || !v.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(StorageError::InvalidArgument("cacheControl must be 1-256 printable ASCII characters".into()));
    }
    Ok(())
}

/// A download file name (`createSignedUrl(..., {download: "name"})`): no control characters, no
/// `/`, `\` or `"`, at most 255 bytes.
pub fn check_download_name(v: &str) -> Result<(), StorageError> {
    if v.len() > 255 || v.chars().any(|c| c.is_control() || is_bidi_control(c) || matches!(c, '/' | '\\' | '"')) {
        return Err(StorageError::InvalidArgument("download must be a file name of at most 255 bytes without control characters, `/`, `\\` or `\"`".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_table() {
        let long_seg = "a".repeat(256);
        let ok_seg = "a".repeat(255);
        let seg = |c: &str, n: usize| c.repeat(n);
        let exactly = [seg("b", 255), seg("c", 255), seg("d", 255), seg("e", 254), seg("f", 1)].join("/");
        assert_eq!(exactly.len(), 1024);
        let too_long = [seg("b", 255), seg("c", 255), seg("d", 255), seg("e", 255), seg("f", 1)].join("/");
        let cases: &[(&str, bool)] = &[
            ("avatar.png", true),
            ("users/42/avatar.png", true),
            ("a b/c d.txt", true),
            ("héllo/wörld 日本.txt", true),
            ("100% done.txt", true),
            ("50%.txt", true),
            ("%zz", true),
            ("a..b", true),
            ("...", true),
            (".hidden", true),
            ("a/.b/c", true),
            ("q?x=1#frag", true),
            ("", false),
            ("/etc/passwd", false),
            ("/", false),
            ("a/", false),
            ("a//b", false),
            ("./a", false),
            ("a/./b", false),
            ("..", false),
            ("../a", false),
            ("a/../b", false),
            ("a/..", false),
            ("a\\b", false),
            ("..\\..\\win.ini", false),
            ("a\0b", false),
            ("a\nb", false),
            ("a\rb", false),
            ("a\tb", false),
            ("a\u{7f}b", false),
            ("a\u{85}b", false),
            ("evil\u{202E}gnp.exe", false),
            ("a\u{2066}b", false),
            ("%2e%2e/secret", false),
            ("%2E%2E", false),
            ("a%2Fb", false),
            ("a%00b", false),
            ("%252e", false),
        ];
        for (p, ok) in cases {
            assert_eq!(check_path(p, MAX_KEY_BYTES).is_ok(), *ok, "{p:?}: {:?}", check_path(p, MAX_KEY_BYTES));
        }
        assert!(check_path(&ok_seg, MAX_KEY_BYTES).is_ok());
        assert!(check_path(&long_seg, MAX_KEY_BYTES).unwrap_err().contains("segment"));
        assert!(check_path(&exactly, MAX_KEY_BYTES).is_ok());
        assert!(check_path(&too_long, MAX_KEY_BYTES).unwrap_err().contains("1025 bytes"));
        assert!(check_path(&exactly, 1023).is_err(), "the limit is the caller's");
    }

    #[test]
    fn folders() {
        assert_eq!(folder("", 100).unwrap(), "");
        assert_eq!(folder("/", 100).unwrap(), "");
        assert_eq!(folder("a/b/", 100).unwrap(), "a/b");
        assert_eq!(folder("a/b", 100).unwrap(), "a/b");
        for bad in ["a//", "../x", "/a", "a/../b/"] {
            assert!(folder(bad, 100).is_err(), "{bad}");
        }
    }

    #[test]
    fn bucket_names() {
        for ok in ["avatars", "a", "user-files", "v1.docs", "a_b", "0"] {
            assert!(check_bucket_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Avatars", "-a", "a-", "a..b", "a/b", "a b", &"x".repeat(64), "é"] {
            assert!(check_bucket_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(essence("Image/PNG").as_deref(), Some("image/png"));
        assert_eq!(essence("text/plain; charset=utf-8").as_deref(), Some("text/plain"));
        for bad in ["", "png", "image/", "/png", "image/png\r\nx: y", "ima ge/png", "a/b/c"] {
            assert_eq!(essence(bad), None, "{bad:?}");
        }
        let pats = vec!["image/*".to_owned(), "application/pdf".to_owned()];
        assert!(type_allowed(&pats, "image/png"));
        assert!(type_allowed(&pats, "image/svg+xml"));
        assert!(type_allowed(&pats, "application/pdf"));
        assert!(!type_allowed(&pats, "application/json"));
        assert!(!type_allowed(&pats, "imagex/png"));
        assert!(!type_allowed(&pats, "text/plain"));
        assert!(type_allowed(&[], "anything/else"));
        assert!(type_allowed(&["*/*".into()], "a/b"));
        assert!(type_allowed(&["IMAGE/*".into()], "image/gif"));
        for ok in ["image/*", "*/*", "*", "application/pdf"] {
            assert!(check_pattern(ok).is_ok(), "{ok}");
        }
        for bad in ["image", "*/png", "image/png; q=1", "", "a/b/*"] {
            assert!(check_pattern(bad).is_err(), "{bad}");
        }
        assert_eq!(guess_content_type("a/b.PNG"), "image/png");
        assert_eq!(guess_content_type("a/.png"), "application/octet-stream");
        assert_eq!(guess_content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn url_encoding() {
        assert_eq!(encode_path("a b/c%d/é?#+&.txt"), "a%20b/c%25d/%C3%A9%3F%23%2B%26.txt");
        assert_eq!(encode_path("x-y_z~.png"), "x-y_z~.png");
    }
}
