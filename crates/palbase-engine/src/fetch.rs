//! What handler `fetch` may connect to (`[fetch]` in palbase.toml).
//!
//! With `allow_private = false`, connections to loopback, private, link-local (cloud metadata at
//! 169.254.169.254 / fd00:ec2::254), shared, multicast and reserved addresses are refused unless
//! the host or address is on the allow list. The check runs on the addresses a name resolves to,
//! at connect time, inside the HTTP client (so a DNS answer that changes between a check and the
//! connection, DNS rebinding, cannot get around it), on literal addresses in URLs, on every
//! redirect, and again on the connected socket's peer address.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr},
    sync::Arc,
};

use palbase_project::config::FetchSettings;

/// One allow-list entry.
#[derive(Debug, Clone, PartialEq)]
enum Allow {
    Host(String),
    /// `*.example.com`: the domain's subdomains.
    Suffix(String),
    Net(IpAddr, u8),
}

fn parse_entry(e: &str) -> Result<Allow, String> {
    let e = e.trim();
    if let Some((addr, bits)) = e.split_once('/') {
        let ip: IpAddr = addr.parse().map_err(|_| format!("`{e}`: not an address/prefix"))?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let bits: u8 = bits.parse().ok().filter(|b| *b <= max).ok_or_else(|| format!("`{e}`: the prefix length must be 0 to {max}"))?;
        return Ok(Allow::Net(ip, bits));
    }
    if let Ok(ip) = e.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        return Ok(Allow::Net(ip, if ip.is_ipv4() { 32 } else { 128 }));
    }
    if let Some(domain) = e.strip_prefix("*.") {
        return Ok(Allow::Suffix(format!(".{}", domain.to_ascii_lowercase())));
    }
    if e.is_empty() || e.contains(['/', ':', ' ']) {
        return Err(format!("`{e}`: expected a host name, an address or a network (10.0.0.0/8)"));
    }
    Ok(Allow::Host(e.to_ascii_lowercase()))
}

fn in_net(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - u32::from(bits)) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - u32::from(bits)) };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// Whether `ip` is not a public unicast address.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => {
            // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96)
            // forms reach the embedded IPv4 address.
            let s = v6.segments();
            if let Some(v4) = v6.to_ipv4_mapped() {
                return private_v4(v4);
            }
            if s[..6] == [0, 0, 0, 0, 0, 0] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
                return v6 == Ipv6Addr::UNSPECIFIED || v6 == Ipv6Addr::LOCALHOST || private_v4(v4);
            }
            let first = s[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || first & 0xfe00 == 0xfc00 // unique local fc00::/7 (AWS metadata fd00:ec2::254)
                || first & 0xffc0 == 0xfe80 // link-local fe80::/10
                || first & 0xffc0 == 0xfec0 // site-local (deprecated) fec0::/10
                || first & 0xff00 == 0xff00 // multicast
                || (first == 0x2001 && s[1] == 0x0db8) // documentation
                || first == 0x0100 && s[1..4] == [0, 0, 0] // discard-only 100::/64
        }
    }
}

fn private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0 // "this network"
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 169 && b == 254) // link-local, cloud metadata
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // documentation
        || (a == 192 && b == 168)
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
        || a >= 224 // multicast, reserved, broadcast
}

/// Checks `[fetch]`: every allow-list entry must parse.
pub fn check(settings: &FetchSettings) -> Result<(), String> {
    settings.allow.iter().try_for_each(|e| parse_entry(e).map(drop)).map_err(|e| format!("[fetch] allow: {e}"))
}

/// Applies `[fetch]` to every engine of the process (the HTTP client of `fetch` is shared).
pub fn apply(settings: &FetchSettings) -> Result<(), String> {
    check(settings)?;
    if settings.allow_private {
        llrt_http::guard::set_connect_filter(None);
        return Ok(());
    }
    let allow: Vec<Allow> = settings.allow.iter().filter_map(|e| parse_entry(e).ok()).collect();
    llrt_http::guard::set_connect_filter(Some(Arc::new(move |host: &str, ip: IpAddr| {
        if !is_private(ip) {
            return Ok(());
        }
        let host = host.to_ascii_lowercase();
        let host = host.trim_end_matches('.');
        let listed = allow.iter().any(|a| match a {
            Allow::Host(h) => h == host,
            Allow::Suffix(s) => host.ends_with(s.as_str()),
            Allow::Net(n, bits) => in_net(ip, *n, *bits),
        });
        if listed {
            return Ok(());
        }
        // The handler's `fetch` rejects with the HTTP client's generic "client error (Connect)":
        // the reason goes to the log.
        let reason = format!("fetch to {host} ({ip}) is not allowed: it is a private, loopback or link-local address (allow it in palbase.toml [fetch] allow)");
        tracing::warn!(target: "palbase::fetch", "{reason}");
        Err(reason)
    })));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_public_addresses() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "fc00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "::7f00:1",
            "ff02::1",
        ] {
            assert!(is_private(a.parse().unwrap()), "{a}");
        }
        for a in ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            assert!(!is_private(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn allow_list_entries() {
        assert_eq!(parse_entry("10.1.0.0/16"), Ok(Allow::Net("10.1.0.0".parse().unwrap(), 16)));
        assert_eq!(parse_entry("*.Internal"), Ok(Allow::Suffix(".internal".into())));
        assert_eq!(parse_entry("db.internal"), Ok(Allow::Host("db.internal".into())));
        assert!(parse_entry("10.0.0.0/33").is_err());
        assert!(parse_entry("http://x/").is_err());
        assert!(in_net("10.1.200.3".parse().unwrap(), "10.1.0.0".parse().unwrap(), 16));
        assert!(!in_net("10.2.0.1".parse().unwrap(), "10.1.0.0".parse().unwrap(), 16));
        assert!(in_net("fd00::5".parse().unwrap(), "fd00::".parse().unwrap(), 8));
    }
}
