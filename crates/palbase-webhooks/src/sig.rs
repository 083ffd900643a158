//! HMAC-SHA256, constant-time matching, and the header parsing the providers share.

use std::time::UNIX_EPOCH;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{Delivery, Options, Refused};

/// HMAC-SHA256 of the concatenation of `parts` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    for p in parts {
        mac.update(p);
    }
    let tag = mac.finalize().into_bytes();
    let mut out = [0u8; 32];
    out.copy_from_slice(&tag);
    out
}

/// Whether any of `sent` equals the HMAC of `parts` under any of `keys`. Every pair is compared,
/// in constant time, without stopping at the first match.
pub(crate) fn any_matches<'k>(keys: impl Iterator<Item = &'k [u8]>, parts: &[&[u8]], sent: &[Vec<u8>]) -> bool {
    let mut found = subtle::Choice::from(0u8);
    for key in keys {
        let expected = hmac_sha256(key, parts);
        for s in sent {
            found |= expected.as_slice().ct_eq(s.as_slice());
        }
    }
    found.into()
}

/// SHA-256 as lowercase hex.
pub(crate) fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Exactly 64 hex digits (either case): a SHA-256 signature.
pub(crate) fn unhex_sha256(s: &str, header: &'static str) -> Result<Vec<u8>, Refused> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let b = s.as_bytes();
    if b.len() != 64 {
        return Err(Refused::MalformedHeader(header));
    }
    b.chunks_exact(2).map(|p| Some((nibble(p[0])? << 4) | nibble(p[1])?)).collect::<Option<Vec<u8>>>().ok_or(Refused::MalformedHeader(header))
}

/// Standard base64 (with padding), as Standard Webhooks and Shopify send it.
pub(crate) fn unbase64(s: &str, header: &'static str) -> Result<Vec<u8>, Refused> {
    match base64::engine::general_purpose::STANDARD.decode(s) {
        Ok(v) if !v.is_empty() => Ok(v),
        _ => Err(Refused::MalformedHeader(header)),
    }
}

/// The header `name` (any case) as text, trimmed. Absent → `MissingHeader`; not visible ASCII
/// (or empty) → `MalformedHeader`.
pub(crate) fn header<'a>(d: &Delivery<'a>, name: &'static str) -> Result<&'a str, Refused> {
    let raw = d.headers.header(name).ok_or(Refused::MissingHeader(name))?;
    text(raw, name)
}

/// The first of `names` that is present (`MissingHeader` names the first).
pub(crate) fn header_any<'a>(d: &Delivery<'a>, names: &[&'static str]) -> Result<&'a str, Refused> {
    for &name in names {
        if let Some(raw) = d.headers.header(name) {
            return text(raw, name);
        }
    }
    Err(Refused::MissingHeader(names[0]))
}

fn text<'a>(raw: &'a [u8], name: &'static str) -> Result<&'a str, Refused> {
    let s = std::str::from_utf8(raw).map_err(|_| Refused::MalformedHeader(name))?.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(Refused::MalformedHeader(name));
    }
    Ok(s)
}

/// A Unix timestamp in seconds: ASCII digits only (no sign, no fraction), fitting a `u64`.
pub(crate) fn timestamp(s: &str, header: &'static str) -> Result<u64, Refused> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refused::MalformedHeader(header));
    }
    s.parse().map_err(|_| Refused::MalformedHeader(header))
}

/// `|now - ts| <= tolerance`, in whole seconds.
pub(crate) fn fresh(ts: u64, options: &Options) -> Result<(), Refused> {
    let now = options.now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    if i128::from(now).abs_diff(i128::from(ts)) <= u128::from(options.tolerance.as_secs()) { Ok(()) } else { Err(Refused::Stale) }
}
