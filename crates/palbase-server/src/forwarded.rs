//! The client's address behind a trusted front router (`palbase server`).
//!
//! A deployment's process only sees the router's loopback address, so the router sends the
//! client's in `X-Forwarded-For` (replacing whatever the client sent). The runtime trusts that
//! header only when its parent said so, at start ([`trust_forwarded_for`], which
//! `palbase __deployment` calls): never from `palbase.toml`, `.env` or a request, so a client
//! of `palbase serve` cannot pick its own rate-limit bucket.

use std::{
    net::{IpAddr, SocketAddr},
    sync::atomic::{AtomicBool, Ordering},
};

use http::HeaderMap;

static TRUST: AtomicBool = AtomicBool::new(false);

/// Trust `X-Forwarded-For` from loopback peers for the rest of this process.
pub fn trust_forwarded_for() {
    TRUST.store(true, Ordering::Relaxed);
}

/// The address rate limits are keyed by: the peer's, or, behind the trusted router, the last
/// `X-Forwarded-For` entry (the one the router appended).
pub(crate) fn client_ip(peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if !TRUST.load(Ordering::Relaxed) || !peer.ip().is_loopback() {
        return peer.ip();
    }
    from_header(headers).unwrap_or(peer.ip())
}

fn from_header(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
    last.rsplit(',').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_entry_counts() {
        let mut h = HeaderMap::new();
        assert_eq!(from_header(&h), None);
        h.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        assert_eq!(from_header(&h), Some("203.0.113.9".parse().unwrap()));
        h.insert("x-forwarded-for", "1.2.3.4, 2001:db8::1".parse().unwrap());
        assert_eq!(from_header(&h), Some("2001:db8::1".parse().unwrap()));
        h.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(from_header(&h), None);
    }
}
