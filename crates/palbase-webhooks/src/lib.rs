//! Verifies inbound webhook deliveries exactly as each provider documents it, with no IO.
//!
//! [`verify`] takes the provider, the endpoint's [`Secrets`] (several while one is rotated), the
//! delivery as received (headers and the RAW body bytes) and [`Options`] (tolerance, body limit,
//! the current time), and gives either a [`Verified`] event (its id for dedupe, its type, its
//! payload parsed only after the signature matched, Slack's `url_verification` challenge) or a
//! [`Refused`] with the HTTP status and the stable code to answer with.
//!
//! Architecture invariant: the body is never parsed before its signature has been checked, and
//! every signature comparison is constant-time. The per-provider rules (headers read, signed
//! content, secret format, tolerance, event id and type) are in this crate's README.md.

mod providers;
mod sig;

use std::{
    fmt,
    str::FromStr,
    time::{Duration, SystemTime},
};

use serde_json::Value;

/// A webhook sender whose signing scheme this crate implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// `Stripe-Signature: t=…,v1=…`.
    Stripe,
    /// `X-Hub-Signature-256: sha256=…`.
    Github,
    /// The Standard Webhooks specification (`webhook-*` headers), and Svix (`svix-*`).
    StandardWebhooks,
    /// `X-Slack-Signature: v0=…` with `X-Slack-Request-Timestamp`.
    Slack,
    /// `X-Shopify-Hmac-Sha256`.
    Shopify,
}

impl Provider {
    /// Every provider, in a stable order.
    pub const ALL: [Provider; 5] = [Provider::Stripe, Provider::Github, Provider::StandardWebhooks, Provider::Slack, Provider::Shopify];

    /// The provider's name as configuration spells it (and [`FromStr`] reads it).
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Stripe => "stripe",
            Provider::Github => "github",
            Provider::StandardWebhooks => "standard-webhooks",
            Provider::Slack => "slack",
            Provider::Shopify => "shopify",
        }
    }

    /// Whether the provider signs a timestamp, so that [`Options::tolerance`] applies.
    pub fn signs_timestamp(self) -> bool {
        matches!(self, Provider::Stripe | Provider::StandardWebhooks | Provider::Slack)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A provider name that is none of [`Provider::as_str`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown webhook provider `{0}` (expected one of: stripe, github, standard-webhooks, slack, shopify)")]
pub struct UnknownProvider(pub String);

impl FromStr for Provider {
    type Err = UnknownProvider;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provider::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| UnknownProvider(s.to_string()))
    }
}

/// The endpoint's signing secrets, as the provider shows them (`whsec_…` for Stripe and Standard
/// Webhooks, the app or signing secret for the others). While a secret is rotated both the old
/// and the new one are listed: a delivery signed with any of them is accepted.
///
/// `Debug` never prints the secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets(Vec<String>);

impl Secrets {
    /// The secrets, any of which may match.
    pub fn new<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Secrets(secrets.into_iter().map(Into::into).collect())
    }

    /// One secret.
    pub fn one(secret: impl Into<String>) -> Self {
        Secrets(vec![secret.into()])
    }

    /// How many secrets there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (then every delivery is refused as [`Refused::BadSignature`]).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets([{} redacted])", self.0.len())
    }
}

impl<S: Into<String>> FromIterator<S> for Secrets {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        Secrets::new(iter)
    }
}

/// Request headers, looked up by name without regard to ASCII case.
///
/// Implemented for [`http::HeaderMap`] and for arrays, slice references and vectors of
/// `(name, value)` pairs (`&[("Stripe-Signature", "t=…")]`).
pub trait Headers {
    /// The first value of the header `name` (compared without regard to ASCII case), as bytes.
    fn header(&self, name: &str) -> Option<&[u8]>;
}

impl Headers for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(http::HeaderValue::as_bytes)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for [(K, V)] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.iter().find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for &[(K, V)] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        (**self).header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> Headers for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

/// One delivery as it arrived: its headers and its body, byte for byte as received (the
/// signature covers the raw bytes, so the body must not have been parsed or re-encoded).
#[derive(Clone, Copy)]
pub struct Delivery<'a> {
    pub headers: &'a dyn Headers,
    pub body: &'a [u8],
}

impl<'a> Delivery<'a> {
    pub fn new(headers: &'a dyn Headers, body: &'a [u8]) -> Self {
        Delivery { headers, body }
    }
}

impl fmt::Debug for Delivery<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery").field("body_len", &self.body.len()).finish_non_exhaustive()
    }
}

/// How strict [`verify`] is, and what time it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How far the signed timestamp may be from [`Options::now`], in either direction (whole
    /// seconds; Stripe, Standard Webhooks and Slack all document 5 minutes). Ignored for the
    /// providers that sign no timestamp (GitHub, Shopify).
    pub tolerance: Duration,
    /// Bodies longer than this are refused ([`Refused::TooLarge`]) before any other work.
    pub max_body_bytes: usize,
    /// The current time, against which the signed timestamp is checked.
    pub now: SystemTime,
}

impl Options {
    /// The default tolerance: 300 s, as every provider here documents.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);
    /// The default body limit: 1 MiB.
    pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

    /// The defaults, at the time `now` (for tests and for a caller that owns the clock).
    pub fn at(now: SystemTime) -> Self {
        Options { tolerance: Self::DEFAULT_TOLERANCE, max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES, now }
    }
}

impl Default for Options {
    /// 300 s tolerance, 1 MiB, and `now` read from the system clock.
    fn default() -> Self {
        Options::at(SystemTime::now())
    }
}

/// An authentic delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    /// The provider's id of this event or delivery, the same on every retry: the key to dedupe on
    /// (see the README for where each provider puts it).
    pub event_id: String,
    /// The event's type as the provider names it (Stripe `invoice.paid`, GitHub `issues`, …).
    pub event_type: String,
    /// The body, parsed after its signature matched. Form-encoded Slack and GitHub bodies become
    /// an object of their fields (or the JSON of their `payload` field).
    pub payload: Value,
    /// For a Slack `url_verification` request: the `challenge` to answer with.
    pub challenge: Option<String>,
    /// The signed timestamp (Unix seconds), for the providers that sign one.
    pub timestamp: Option<u64>,
}

/// Why a delivery was refused. [`Refused::status`] and [`Refused::code`] are what to answer; the
/// messages name at most a header, never a signature or anything an attacker could learn from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// A header the provider always sends is absent (400).
    #[error("missing webhook header `{0}`")]
    MissingHeader(&'static str),
    /// A header is there but not in the provider's format: no `t=`, bad hex or base64, a
    /// timestamp that is not a number, no signature of a known version (400).
    #[error("malformed webhook header `{0}`")]
    MalformedHeader(&'static str),
    /// No signature matches any of the secrets (401).
    #[error("webhook signature does not match")]
    BadSignature,
    /// The signature matches but the signed timestamp is outside the tolerance (401).
    #[error("webhook timestamp is outside the tolerance")]
    Stale,
    /// The body is over [`Options::max_body_bytes`] (413).
    #[error("webhook body is too large")]
    TooLarge,
    /// The body is authentic but not the JSON (or form) payload the provider sends (400).
    #[error("webhook payload is not valid JSON")]
    NotJson,
}

impl Refused {
    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            Refused::MissingHeader(_) | Refused::MalformedHeader(_) | Refused::NotJson => 400,
            Refused::BadSignature | Refused::Stale => 401,
            Refused::TooLarge => 413,
        }
    }

    /// A stable, machine-readable code for the error envelope.
    pub fn code(&self) -> &'static str {
        match self {
            Refused::MissingHeader(_) => "missing_header",
            Refused::MalformedHeader(_) => "malformed_header",
            Refused::BadSignature => "invalid_signature",
            Refused::Stale => "stale_delivery",
            Refused::TooLarge => "payload_too_large",
            Refused::NotJson => "invalid_payload",
        }
    }
}

/// Verifies `delivery` as `provider` signs it, with any of `secrets`.
///
/// In order: the body limit; the headers the provider always sends (present and well formed);
/// the signature over the raw body (constant-time, any secret, any of the signatures sent); the
/// signed timestamp within [`Options::tolerance`] of [`Options::now`] in both directions; and
/// only then the payload is parsed and the event id and type read.
pub fn verify(provider: Provider, secrets: &Secrets, delivery: &Delivery<'_>, options: &Options) -> Result<Verified, Refused> {
    if delivery.body.len() > options.max_body_bytes {
        return Err(Refused::TooLarge);
    }
    match provider {
        Provider::Stripe => providers::stripe(secrets, delivery, options),
        Provider::Github => providers::github(secrets, delivery),
        Provider::StandardWebhooks => providers::standard_webhooks(secrets, delivery, options),
        Provider::Slack => providers::slack(secrets, delivery, options),
        Provider::Shopify => providers::shopify(secrets, delivery),
    }
}
