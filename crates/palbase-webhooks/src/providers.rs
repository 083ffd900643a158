//! Each provider's rules: which headers, what is signed, how the secret becomes the key, where the
//! event id and type are. The README's table says the same in prose.

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::{
    Delivery, Options, Refused, Secrets, Verified,
    sig::{any_matches, fresh, header, header_any, sha256_hex, timestamp, unbase64, unhex_sha256},
};

const STRIPE_SIGNATURE: &str = "Stripe-Signature";

/// `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`; HMAC-SHA256 of `"{t}.{body}"` keyed
/// with the whole `whsec_…` string. Any `v1` may match; other schemes are ignored.
pub(crate) fn stripe(secrets: &Secrets, d: &Delivery<'_>, options: &Options) -> Result<Verified, Refused> {
    let value = header(d, STRIPE_SIGNATURE)?;
    let malformed = Refused::MalformedHeader(STRIPE_SIGNATURE);
    let mut t = None;
    let mut v1 = Vec::new();
    for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (k, v) = item.split_once('=').ok_or(malformed.clone())?;
        match k {
            "t" if t.is_some() => return Err(malformed),
            "t" => t = Some((v, timestamp(v, STRIPE_SIGNATURE)?)),
            "v1" => v1.push(unhex_sha256(v, STRIPE_SIGNATURE)?),
            _ => {}
        }
    }
    let (t_text, t) = t.ok_or(malformed.clone())?;
    if v1.is_empty() {
        return Err(malformed);
    }
    if !any_matches(secrets.iter().map(str::as_bytes), &[t_text.as_bytes(), b".", d.body], &v1) {
        return Err(Refused::BadSignature);
    }
    fresh(t, options)?;
    let payload = json(d.body)?;
    let event_id = str_field(&payload, "id").ok_or(Refused::NotJson)?;
    let event_type = str_field(&payload, "type").unwrap_or_default();
    Ok(Verified { event_id, event_type, payload, challenge: None, timestamp: Some(t) })
}

const GITHUB_SIGNATURE: &str = "X-Hub-Signature-256";
const GITHUB_EVENT: &str = "X-GitHub-Event";
const GITHUB_DELIVERY: &str = "X-GitHub-Delivery";

/// `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the body keyed with the secret.
pub(crate) fn github(secrets: &Secrets, d: &Delivery<'_>) -> Result<Verified, Refused> {
    let value = header(d, GITHUB_SIGNATURE)?;
    let event_type = header(d, GITHUB_EVENT)?.to_string();
    let event_id = header(d, GITHUB_DELIVERY)?.to_string();
    let hex = value.strip_prefix("sha256=").ok_or(Refused::MalformedHeader(GITHUB_SIGNATURE))?;
    let sent = [unhex_sha256(hex, GITHUB_SIGNATURE)?];
    if !any_matches(secrets.iter().map(str::as_bytes), &[d.body], &sent) {
        return Err(Refused::BadSignature);
    }
    // A webhook set to `application/x-www-form-urlencoded` sends the JSON as the `payload` field.
    let payload = if is_form(d) { form_payload(d.body)?.ok_or(Refused::NotJson)? } else { json(d.body)? };
    Ok(Verified { event_id, event_type, payload, challenge: None, timestamp: None })
}

const SW_ID: [&str; 2] = ["webhook-id", "svix-id"];
const SW_TIMESTAMP: [&str; 2] = ["webhook-timestamp", "svix-timestamp"];
const SW_SIGNATURE: [&str; 2] = ["webhook-signature", "svix-signature"];

/// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>[ v1,…]`
/// (or the same headers prefixed `svix-`); HMAC-SHA256 of `"{id}.{timestamp}.{body}"` keyed with
/// the base64-decoded part of `whsec_<base64>`.
pub(crate) fn standard_webhooks(secrets: &Secrets, d: &Delivery<'_>, options: &Options) -> Result<Verified, Refused> {
    // Read the `webhook-*` set, or else the `svix-*` set: never a mix of the two.
    let set = usize::from(d.headers.header(SW_ID[0]).is_none() && d.headers.header(SW_ID[1]).is_some());
    let id = header(d, SW_ID[set])?;
    let ts_text = header(d, SW_TIMESTAMP[set])?;
    let value = header(d, SW_SIGNATURE[set])?;
    let sig_header = SW_SIGNATURE[set];
    let ts = timestamp(ts_text, SW_TIMESTAMP[set])?;
    let mut sent = Vec::new();
    for entry in value.split(' ').filter(|e| !e.is_empty()) {
        let (version, sig) = entry.split_once(',').ok_or(Refused::MalformedHeader(sig_header))?;
        // Other versions (`v1a`, asymmetric) are not ours to check.
        if version == "v1" {
            sent.push(unbase64(sig, sig_header)?);
        }
    }
    if sent.is_empty() {
        return Err(Refused::MalformedHeader(sig_header));
    }
    let keys: Vec<Vec<u8>> = secrets.iter().filter_map(standard_webhooks_key).collect();
    if !any_matches(keys.iter().map(Vec::as_slice), &[id.as_bytes(), b".", ts_text.as_bytes(), b".", d.body], &sent) {
        return Err(Refused::BadSignature);
    }
    fresh(ts, options)?;
    let payload = json(d.body)?;
    let event_type = str_field(&payload, "type").unwrap_or_default();
    Ok(Verified { event_id: id.to_string(), event_type, payload, challenge: None, timestamp: Some(ts) })
}

/// `whsec_<base64>` or bare base64 → the key bytes. A secret that does not decode (or decodes to
/// nothing) can match no delivery.
fn standard_webhooks_key(secret: &str) -> Option<Vec<u8>> {
    let b64 = secret.strip_prefix("whsec_").unwrap_or(secret);
    base64::engine::general_purpose::STANDARD.decode(b64).ok().filter(|k| !k.is_empty())
}

const SLACK_SIGNATURE: &str = "X-Slack-Signature";
const SLACK_TIMESTAMP: &str = "X-Slack-Request-Timestamp";

/// `X-Slack-Signature: v0=<hex>`, `X-Slack-Request-Timestamp`; HMAC-SHA256 of `"v0:{ts}:{body}"`
/// keyed with the signing secret.
pub(crate) fn slack(secrets: &Secrets, d: &Delivery<'_>, options: &Options) -> Result<Verified, Refused> {
    let value = header(d, SLACK_SIGNATURE)?;
    let ts_text = header(d, SLACK_TIMESTAMP)?;
    let ts = timestamp(ts_text, SLACK_TIMESTAMP)?;
    let hex = value.strip_prefix("v0=").ok_or(Refused::MalformedHeader(SLACK_SIGNATURE))?;
    let sent = [unhex_sha256(hex, SLACK_SIGNATURE)?];
    if !any_matches(secrets.iter().map(str::as_bytes), &[b"v0:", ts_text.as_bytes(), b":", d.body], &sent) {
        return Err(Refused::BadSignature);
    }
    fresh(ts, options)?;
    let payload = if is_form(d) {
        // Interactivity sends its JSON as the `payload` field; slash commands send plain fields.
        match form_payload(d.body)? {
            Some(p) => p,
            None => form_object(d.body),
        }
    } else {
        json(d.body)?
    };
    let top_type = str_field(&payload, "type");
    let event_type = match top_type.as_deref() {
        Some("event_callback") => payload.get("event").and_then(|e| str_field(e, "type")).unwrap_or_else(|| "event_callback".into()),
        Some(_) => top_type.clone().unwrap_or_default(),
        None => str_field(&payload, "command").unwrap_or_default(),
    };
    let event_id = str_field(&payload, "event_id").unwrap_or_else(|| sha256_hex(&[ts_text.as_bytes(), b":", value.as_bytes()]));
    let challenge = if top_type.as_deref() == Some("url_verification") { str_field(&payload, "challenge") } else { None };
    Ok(Verified { event_id, event_type, payload, challenge, timestamp: Some(ts) })
}

const SHOPIFY_HMAC: &str = "X-Shopify-Hmac-Sha256";
const SHOPIFY_TOPIC: &str = "X-Shopify-Topic";
const SHOPIFY_ID: [&str; 2] = ["X-Shopify-Webhook-Id", "X-Shopify-Event-Id"];

/// `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA256 of the body keyed with the app's secret.
pub(crate) fn shopify(secrets: &Secrets, d: &Delivery<'_>) -> Result<Verified, Refused> {
    let value = header(d, SHOPIFY_HMAC)?;
    let event_type = header(d, SHOPIFY_TOPIC)?.to_string();
    let event_id = header_any(d, &SHOPIFY_ID)?.to_string();
    let sent = [unbase64(value, SHOPIFY_HMAC)?];
    if !any_matches(secrets.iter().map(str::as_bytes), &[d.body], &sent) {
        return Err(Refused::BadSignature);
    }
    let payload = json(d.body)?;
    Ok(Verified { event_id, event_type, payload, challenge: None, timestamp: None })
}

fn json(body: &[u8]) -> Result<Value, Refused> {
    serde_json::from_slice(body).map_err(|_| Refused::NotJson)
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn is_form(d: &Delivery<'_>) -> bool {
    d.headers.header("Content-Type").is_some_and(|ct| {
        let ct = ct.trim_ascii_start();
        ct.len() >= 33 && ct[..33].eq_ignore_ascii_case(b"application/x-www-form-urlencoded")
    })
}

/// The JSON of a form body's `payload` field, if it has one.
fn form_payload(body: &[u8]) -> Result<Option<Value>, Refused> {
    match form_urlencoded::parse(body).find(|(k, _)| k == "payload") {
        Some((_, v)) => serde_json::from_str(&v).map(Some).map_err(|_| Refused::NotJson),
        None => Ok(None),
    }
}

/// A form body as an object of its fields (the last of a repeated field wins).
fn form_object(body: &[u8]) -> Value {
    Value::Object(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), Value::String(v.into_owned()))).collect::<Map<_, _>>())
}
