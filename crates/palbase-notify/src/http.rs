//! The HTTP providers: Resend (email), Twilio (SMS), APNs and FCM HTTP v1 (push). Every base URL
//! is configurable (tests point them at loopback). A 429, a 5xx, a 408, a timeout or a
//! connection failure is transient (`Retry-After` in seconds is honoured); any other 4xx is
//! permanent, with the provider's answer.
//!
//! APNs speaks HTTP/2 only: over `https://` it is negotiated by ALPN; over an `http://` base URL
//! (loopback tests) the client uses HTTP/2 with prior knowledge (h2c).

use std::sync::Mutex;
use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use crate::error::NotifyError;
use crate::provider::{Delivered, DeliveryError, DeliveryFuture, Provider};
use crate::store::Record;

fn client(timeout: Duration, h2c: bool) -> Result<reqwest::Client, NotifyError> {
    let mut b = reqwest::Client::builder().timeout(timeout).connect_timeout(timeout.min(Duration::from_secs(10)));
    if h2c {
        b = b.http2_prior_knowledge();
    }
    b.build().map_err(|e| NotifyError::Config(format!("cannot build the HTTP client: {e}")))
}

fn base(url: &str, what: &str) -> Result<String, NotifyError> {
    let u = url::Url::parse(url).map_err(|e| NotifyError::Config(format!("{what}: `{url}` is not a URL ({e})")))?;
    if u.scheme() != "https" && u.scheme() != "http" {
        return Err(NotifyError::Config(format!("{what}: `{url}` is not an http(s) URL")));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.len() <= 1000 {
        return s.to_owned();
    }
    let mut cut = 1000;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &s[..cut])
}

fn retry_after(h: &HeaderMap) -> Option<Duration> {
    h.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A provider's non-success answer.
fn refused(provider: &str, status: StatusCode, headers: &HeaderMap, body: &str) -> DeliveryError {
    let message = short(&format!("{provider} answered {status}: {body}"));
    if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::REQUEST_TIMEOUT || status.is_server_error() { DeliveryError::Transient { message, retry_after: retry_after(headers) } } else { DeliveryError::Permanent { message } }
}

fn failed(provider: &str, e: reqwest::Error) -> DeliveryError {
    DeliveryError::Transient { message: short(&format!("{provider}: {e}")), retry_after: None }
}

async fn answer(provider: &str, r: Result<reqwest::Response, reqwest::Error>) -> Result<(HeaderMap, String), DeliveryError> {
    let r = r.map_err(|e| failed(provider, e))?;
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.text().await.map_err(|e| failed(provider, e))?;
    if status.is_success() { Ok((headers, body)) } else { Err(refused(provider, status, &headers, &body)) }
}

fn now_secs() -> u64 {
    jiff::Timestamp::now().as_second().max(0) as u64
}

// ---------------------------------------------------------------------------------------------
// Resend

/// `[notifications.email] provider = "resend"`: `POST {base}/emails` with `Authorization: Bearer`.
pub struct Resend {
    http: reqwest::Client,
    base: String,
    api_key: String,
}

impl Resend {
    pub const DEFAULT_BASE: &str = "https://api.resend.com";

    pub fn new(base_url: &str, api_key: String, timeout: Duration) -> Result<Resend, NotifyError> {
        Ok(Resend { http: client(timeout, false)?, base: base(base_url, "[notifications.email] base_url")?, api_key })
    }

    /// The JSON body Resend's `POST /emails` takes, from the recorded params.
    pub fn body(m: &Record) -> Value {
        let p = &m.params;
        let mut b = json!({ "from": p["from"], "to": p["to"], "subject": p["subject"] });
        for (ours, theirs) in [("cc", "cc"), ("bcc", "bcc"), ("replyTo", "reply_to")] {
            if p[ours].as_array().is_some_and(|a| !a.is_empty()) {
                b[theirs] = p[ours].clone();
            }
        }
        for k in ["text", "html"] {
            if p[k].is_string() {
                b[k] = p[k].clone();
            }
        }
        if p["headers"].as_object().is_some_and(|h| !h.is_empty()) {
            b["headers"] = p["headers"].clone();
        }
        if let Some(tags) = p["tags"].as_object().filter(|t| !t.is_empty()) {
            b["tags"] = Value::Array(tags.iter().map(|(k, v)| json!({ "name": k, "value": v })).collect());
        }
        if let Some(a) = p["attachments"].as_array() {
            b["attachments"] = Value::Array(a.iter().map(|a| json!({ "filename": a["filename"], "content": a["content"], "content_type": a["contentType"] })).collect());
        }
        b
    }
}

impl Provider for Resend {
    fn name(&self) -> &'static str {
        "resend"
    }

    fn deliver<'a>(&'a self, m: &'a Record, _target: Option<&'a str>) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let mut req = self.http.post(format!("{}/emails", self.base)).bearer_auth(&self.api_key).json(&Resend::body(m));
            // Resend keeps an idempotency key for 24 h: a retried attempt cannot send twice.
            req = req.header("Idempotency-Key", &m.id);
            let (_, body) = answer("Resend", req.send().await).await?;
            let id = serde_json::from_str::<Value>(&body).ok().and_then(|v| v["id"].as_str().map(str::to_owned));
            Ok(Delivered { provider_id: id, answer: short(&body) })
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Twilio

/// `[notifications.sms] provider = "twilio"`: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`,
/// basic auth, form-encoded `To`, `From`, `Body`; one request per recipient.
pub struct Twilio {
    http: reqwest::Client,
    base: String,
    account_sid: String,
    auth_token: String,
}

impl Twilio {
    pub const DEFAULT_BASE: &str = "https://api.twilio.com";

    pub fn new(base_url: &str, account_sid: String, auth_token: String, timeout: Duration) -> Result<Twilio, NotifyError> {
        Ok(Twilio { http: client(timeout, false)?, base: base(base_url, "[notifications.sms] base_url")?, account_sid, auth_token })
    }
}

impl Provider for Twilio {
    fn name(&self) -> &'static str {
        "twilio"
    }

    fn deliver<'a>(&'a self, m: &'a Record, target: Option<&'a str>) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let to = target.ok_or_else(|| DeliveryError::Permanent { message: "no recipient".into() })?;
            let Some(from) = m.envelope["from"].as_str() else { return Err(DeliveryError::Permanent { message: "no sender number: give `from` or set [notifications.sms] from".into() }) };
            let body = m.params["body"].as_str().unwrap_or_default();
            let form = form_urlencoded::Serializer::new(String::new()).append_pair("To", to).append_pair("From", from).append_pair("Body", body).finish();
            let url = format!("{}/2010-04-01/Accounts/{}/Messages.json", self.base, self.account_sid);
            let req = self.http.post(url).basic_auth(&self.account_sid, Some(&self.auth_token)).header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(form);
            let (_, body) = answer("Twilio", req.send().await).await?;
            let sid = serde_json::from_str::<Value>(&body).ok().and_then(|v| v["sid"].as_str().map(str::to_owned));
            Ok(Delivered { provider_id: sid, answer: short(&body) })
        })
    }
}

// ---------------------------------------------------------------------------------------------
// APNs

/// `[notifications.push] provider = "apns"`: token auth (an ES256 JWT with `kid` = key id,
/// `iss` = team id, `iat`; reused for 50 minutes), `POST {base}/3/device/{token}` over HTTP/2
/// with `apns-topic` and `apns-push-type`.
pub struct Apns {
    http: reqwest::Client,
    base: String,
    key: EncodingKey,
    key_id: String,
    team_id: String,
    topic: String,
    jwt: Mutex<Option<(u64, String)>>,
}

impl Apns {
    pub const DEFAULT_BASE: &str = "https://api.push.apple.com";
    /// Apple refuses a provider token older than an hour: a new one every 50 minutes.
    const JWT_TTL: u64 = 50 * 60;

    pub fn new(base_url: &str, key_pem: &[u8], key_id: String, team_id: String, topic: String, timeout: Duration) -> Result<Apns, NotifyError> {
        let key = EncodingKey::from_ec_pem(key_pem).map_err(|e| NotifyError::Config(format!("[notifications.push] key: not a P-256 private key in PEM (.p8): {e}")))?;
        let base = base(base_url, "[notifications.push] base_url")?;
        let h2c = base.starts_with("http://");
        Ok(Apns { http: client(timeout, h2c)?, base, key, key_id, team_id, topic, jwt: Mutex::new(None) })
    }

    fn token(&self) -> Result<String, DeliveryError> {
        let now = now_secs();
        let mut slot = self.jwt.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, t)) = slot.as_ref()
            && now < at + Self::JWT_TTL
        {
            return Ok(t.clone());
        }
        let mut h = Header::new(Algorithm::ES256);
        h.kid = Some(self.key_id.clone());
        let t = jsonwebtoken::encode(&h, &json!({ "iss": self.team_id, "iat": now }), &self.key).map_err(|e| DeliveryError::Permanent { message: format!("cannot sign the APNs token: {e}") })?;
        *slot = Some((now, t.clone()));
        Ok(t)
    }
}

impl Provider for Apns {
    fn name(&self) -> &'static str {
        "apns"
    }

    fn deliver<'a>(&'a self, m: &'a Record, target: Option<&'a str>) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let token = target.ok_or_else(|| DeliveryError::Permanent { message: "no device token".into() })?;
            let rendered: Value = serde_json::from_str(&m.rendered).unwrap_or(Value::Null);
            let payload = rendered["apns"].to_string();
            let jwt = self.token()?;
            let req = self
                .http
                .post(format!("{}/3/device/{token}", self.base))
                .header("authorization", format!("bearer {jwt}"))
                .header("apns-topic", &self.topic)
                .header("apns-push-type", "alert")
                .header("apns-id", uuid_of(&m.id))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(payload);
            let (headers, body) = answer("APNs", req.send().await).await?;
            let id = headers.get("apns-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
            Ok(Delivered { provider_id: id, answer: short(&format!("200 {body}")) })
        })
    }
}

/// The message id as the canonical UUID APNs takes in `apns-id`.
fn uuid_of(id: &str) -> String {
    id.strip_prefix("msg_").and_then(|h| uuid::Uuid::parse_str(h).ok()).map(|u| u.hyphenated().to_string()).unwrap_or_else(|| uuid::Uuid::new_v4().hyphenated().to_string())
}

// ---------------------------------------------------------------------------------------------
// FCM

/// `[notifications.push] provider = "fcm"`: `POST {base}/v1/projects/{id}/messages:send` with an
/// OAuth 2 bearer token got from the service account: an RS256 JWT (`iss` = client_email,
/// `scope` = firebase.messaging, `aud` = token_uri) exchanged at its `token_uri`
/// (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`), reused until a minute before it
/// expires.
pub struct Fcm {
    http: reqwest::Client,
    base: String,
    project_id: String,
    client_email: String,
    token_uri: String,
    key: EncodingKey,
    access: tokio::sync::Mutex<Option<(u64, String)>>,
}

impl Fcm {
    pub const DEFAULT_BASE: &str = "https://fcm.googleapis.com";
    pub const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

    /// From the service account JSON (`project_id`, `client_email`, `private_key`, `token_uri`).
    pub fn new(base_url: &str, service_account: &str, timeout: Duration) -> Result<Fcm, NotifyError> {
        let bad = |m: String| NotifyError::Config(format!("[notifications.push] service account: {m}"));
        let sa: Value = serde_json::from_str(service_account).map_err(|e| bad(format!("not JSON ({e})")))?;
        let field = |k: &str| sa[k].as_str().map(str::to_owned).ok_or_else(|| bad(format!("no `{k}`")));
        let key = EncodingKey::from_rsa_pem(field("private_key")?.as_bytes()).map_err(|e| bad(format!("`private_key` is not an RSA key in PEM: {e}")))?;
        let token_uri = field("token_uri")?;
        base(&token_uri, "[notifications.push] token_uri")?;
        Ok(Fcm { http: client(timeout, false)?, base: base(base_url, "[notifications.push] base_url")?, project_id: field("project_id")?, client_email: field("client_email")?, token_uri, key, access: tokio::sync::Mutex::new(None) })
    }

    async fn access_token(&self) -> Result<String, DeliveryError> {
        let now = now_secs();
        let mut slot = self.access.lock().await;
        if let Some((until, t)) = slot.as_ref()
            && now + 60 < *until
        {
            return Ok(t.clone());
        }
        let claims = json!({ "iss": self.client_email, "scope": Self::SCOPE, "aud": self.token_uri, "iat": now, "exp": now + 3600 });
        let jwt = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key).map_err(|e| DeliveryError::Permanent { message: format!("cannot sign the FCM token request: {e}") })?;
        let form = form_urlencoded::Serializer::new(String::new()).append_pair("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer").append_pair("assertion", &jwt).finish();
        let r = self.http.post(&self.token_uri).header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(form).send().await;
        let (_, body) = answer("the FCM token endpoint", r).await?;
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let Some(token) = v["access_token"].as_str() else { return Err(DeliveryError::Transient { message: short(&format!("the FCM token endpoint answered no access_token: {body}")), retry_after: None }) };
        let ttl = v["expires_in"].as_u64().unwrap_or(3600);
        *slot = Some((now + ttl, token.to_owned()));
        Ok(token.to_owned())
    }
}

impl Provider for Fcm {
    fn name(&self) -> &'static str {
        "fcm"
    }

    fn deliver<'a>(&'a self, m: &'a Record, target: Option<&'a str>) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let token = target.ok_or_else(|| DeliveryError::Permanent { message: "no device token".into() })?;
            let rendered: Value = serde_json::from_str(&m.rendered).unwrap_or(Value::Null);
            let mut message = rendered["fcm"].clone();
            if !message.is_object() {
                message = json!({});
            }
            message["token"] = token.into();
            let access = self.access_token().await?;
            let url = format!("{}/v1/projects/{}/messages:send", self.base, self.project_id);
            let r = self.http.post(url).bearer_auth(&access).json(&json!({ "message": message })).send().await;
            match answer("FCM", r).await {
                Ok((_, body)) => {
                    let name = serde_json::from_str::<Value>(&body).ok().and_then(|v| v["name"].as_str().map(str::to_owned));
                    Ok(Delivered { provider_id: name, answer: short(&body) })
                }
                Err(DeliveryError::Permanent { message }) if message.contains("401") => {
                    // An access token revoked early: get a new one on the retry.
                    *self.access.lock().await = None;
                    Err(DeliveryError::Transient { message, retry_after: None })
                }
                Err(e) => Err(e),
            }
        })
    }
}
