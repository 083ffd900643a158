//! Random bodies, header values and clocks never panic, and a refusal is always a 4xx.

use std::time::{Duration, UNIX_EPOCH};

use palbase_webhooks::{Delivery, Options, Provider, Secrets, verify};
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "Stripe-Signature",
    "X-Hub-Signature-256",
    "X-GitHub-Event",
    "X-GitHub-Delivery",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "svix-id",
    "svix-timestamp",
    "svix-signature",
    "X-Slack-Signature",
    "X-Slack-Request-Timestamp",
    "X-Shopify-Hmac-Sha256",
    "X-Shopify-Topic",
    "X-Shopify-Webhook-Id",
    "X-Shopify-Event-Id",
    "Content-Type",
];

/// Header values near the real formats (prefixes, separators, digits, hex, base64) and arbitrary bytes.
fn value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "(t=|v1=|v0=|sha256=|v1,|v1a,| |,|=|[0-9a-fA-F]{0,70}|[A-Za-z0-9+/=]{0,50}|-|\\.)*".prop_map(String::into_bytes),
        "[0-9]{0,25}".prop_map(String::into_bytes),
        Just(b"application/x-www-form-urlencoded".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..80),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![proptest::collection::vec(any::<u8>(), 0..300), "(\\{|\\}|\"|:|,|payload=|%7B|%|&|=|[a-z0-9]{0,8}|\\[|\\])*".prop_map(String::into_bytes),]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics(
        provider in 0..Provider::ALL.len(),
        headers in proptest::collection::vec((0..NAMES.len(), value()), 0..10),
        body in body(),
        secrets in proptest::collection::vec("(whsec_)?[A-Za-z0-9+/=_*]{0,40}", 0..3),
        now in any::<u64>(),
        tolerance in any::<u64>(),
        max in 0usize..400,
    ) {
        let headers: Vec<(&str, Vec<u8>)> = headers.into_iter().map(|(n, v)| (NAMES[n], v)).collect();
        let options = Options { tolerance: Duration::from_secs(tolerance), max_body_bytes: max, now: UNIX_EPOCH.checked_add(Duration::from_secs(now)).unwrap_or(UNIX_EPOCH) };
        let got = verify(Provider::ALL[provider], &Secrets::new(secrets), &Delivery::new(&headers, &body), &options);
        if let Err(refused) = got {
            prop_assert!((400..500).contains(&refused.status()));
            prop_assert!(!refused.code().is_empty() && !refused.to_string().is_empty());
        }
    }
}
