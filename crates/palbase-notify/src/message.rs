//! The params of each channel (what `Notifications.<channel>.send` takes), their validation, and
//! the message each renders to: an RFC 5322 email (lettre), or the JSON of a push or an SMS.
//! Every error names the field.

use std::collections::BTreeMap;

use base64::Engine;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::error::{NotifyError, invalid, recipient};
use crate::template::Templates;

/// Largest rendered email (MIME, attachments included): 10 MiB.
pub const MAX_EMAIL_BYTES: usize = 10 * 1024 * 1024;
/// Most recipients of one email (to + cc + bcc), as the common HTTP email APIs allow.
pub const MAX_EMAIL_RECIPIENTS: usize = 50;
/// Largest APNs payload (bytes of JSON).
pub const MAX_APNS_BYTES: usize = 4096;
/// Largest FCM message (bytes of JSON).
pub const MAX_FCM_BYTES: usize = 4096;
/// Most device tokens or user ids of one push.
pub const MAX_PUSH_TARGETS: usize = 500;
/// Longest SMS body, in characters (Twilio's limit).
pub const MAX_SMS_CHARS: usize = 1600;
/// Most recipients of one SMS send.
pub const MAX_SMS_RECIPIENTS: usize = 50;
/// Longest idempotency key.
pub const MAX_IDEMPOTENCY_KEY: usize = 256;

/// The three channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Email,
    Push,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Push => "push",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "email" => Some(Channel::Email),
            "push" => Some(Channel::Push),
            "sms" => Some(Channel::Sms),
            _ => None,
        }
    }
}

/// One value or a list.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn list(v: &Option<OneOrMany>) -> Vec<String> {
        match v {
            None => Vec::new(),
            Some(OneOrMany::One(s)) => vec![s.clone()],
            Some(OneOrMany::Many(l)) => l.clone(),
        }
    }
}

/// An attachment: `content` is the bytes in standard base64 (the SDK encodes a `Uint8Array`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AttachmentParams {
    pub filename: String,
    pub content: String,
    pub content_type: Option<String>,
}

/// `Notifications.email.send(params)`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EmailParams {
    pub to: Option<OneOrMany>,
    pub cc: Option<OneOrMany>,
    pub bcc: Option<OneOrMany>,
    pub from: Option<String>,
    pub reply_to: Option<OneOrMany>,
    pub subject: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
    pub attachments: Option<Vec<AttachmentParams>>,
    pub headers: Option<BTreeMap<String, String>>,
    pub tags: Option<BTreeMap<String, String>>,
    pub template: Option<String>,
    pub data: Option<Map<String, Value>>,
    pub idempotency_key: Option<String>,
}

/// `Notifications.push.send(params)`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PushParams {
    pub token: Option<OneOrMany>,
    pub user_id: Option<OneOrMany>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub data: Option<BTreeMap<String, String>>,
    pub badge: Option<u32>,
    pub sound: Option<String>,
    /// Merged over the APNs payload (top-level keys; `aps` merged key by key).
    pub apns: Option<Map<String, Value>>,
    /// Merged over the FCM v1 `message` (e.g. `android`, `webpush`, `apns`).
    pub fcm: Option<Map<String, Value>>,
    pub idempotency_key: Option<String>,
}

/// `Notifications.sms.send(params)`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SmsParams {
    pub to: Option<OneOrMany>,
    pub from: Option<String>,
    pub body: Option<String>,
    pub idempotency_key: Option<String>,
}

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub channel: Channel,
    /// One line for logs and `palbase outbox list`.
    pub summary: String,
    /// The params as recorded (checked and normalized; attachments with their size).
    pub params: Value,
    /// Email: the RFC 5322 message; push and SMS: their JSON.
    pub rendered: String,
    /// Who receives it: email `{from, to: [every address]}`, push `{tokens, userIds}`, SMS `{from, to}`.
    pub envelope: Value,
    pub idempotency_key: Option<String>,
}

fn key(k: &Option<String>) -> Result<Option<String>, NotifyError> {
    match k {
        None => Ok(None),
        Some(k) if k.is_empty() => Err(invalid("idempotencyKey", "idempotencyKey: give a non-empty key")),
        Some(k) if k.len() > MAX_IDEMPOTENCY_KEY => Err(NotifyError::TooLarge { field: "idempotencyKey".into(), size: k.len(), limit: MAX_IDEMPOTENCY_KEY, unit: "bytes" }),
        Some(k) => Ok(Some(k.clone())),
    }
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.trim().is_empty())
}

fn one_line(field: &str, v: &str) -> Result<(), NotifyError> {
    if v.contains(['\r', '\n']) { Err(invalid(field, format!("{field}: line breaks are not allowed"))) } else { Ok(()) }
}

fn mailboxes(field: &str, v: &Option<OneOrMany>) -> Result<Vec<Mailbox>, NotifyError> {
    let list = OneOrMany::list(v);
    let many = matches!(v, Some(OneOrMany::Many(_)));
    let mut out = Vec::with_capacity(list.len());
    for (i, a) in list.iter().enumerate() {
        let f = if many { format!("{field}[{i}]") } else { field.to_owned() };
        out.push(mailbox(&f, a)?);
    }
    Ok(out)
}

fn mailbox(field: &str, a: &str) -> Result<Mailbox, NotifyError> {
    one_line(field, a)?;
    a.trim().parse::<Mailbox>().map_err(|e| recipient(field, format!("{field}: `{a}` is not an email address ({e})")))
}

/// Header names the message builds itself.
const RESERVED_HEADERS: [&str; 11] = ["from", "to", "cc", "bcc", "reply-to", "subject", "date", "mime-version", "content-type", "content-transfer-encoding", "message-id"];

/// Validates and renders an email. `default_from` is `[notifications.email] from`;
/// `templates` renders `template` (its subject, text and html fill the params not given).
pub fn email(p: &EmailParams, default_from: Option<&str>, templates: Option<&Templates>) -> Result<Prepared, NotifyError> {
    let idempotency_key = key(&p.idempotency_key)?;
    let mut filled;
    let p = match &p.template {
        None => p,
        Some(name) => {
            let Some(t) = templates else { return Err(NotifyError::TemplateNotFound(name.clone())) };
            let r = t.render(name, p.data.as_ref().unwrap_or(&Map::new()))?;
            filled = p.clone();
            filled.subject = filled.subject.or(r.subject);
            filled.text = filled.text.or(r.text);
            filled.html = filled.html.or(r.html);
            &filled
        }
    };
    let to = mailboxes("to", &p.to)?;
    let cc = mailboxes("cc", &p.cc)?;
    let bcc = mailboxes("bcc", &p.bcc)?;
    let reply_to = mailboxes("replyTo", &p.reply_to)?;
    let count = to.len() + cc.len() + bcc.len();
    if count == 0 {
        return Err(invalid("to", "to: give at least one recipient (to, cc or bcc)"));
    }
    if count > MAX_EMAIL_RECIPIENTS {
        return Err(NotifyError::TooLarge { field: "to".into(), size: count, limit: MAX_EMAIL_RECIPIENTS, unit: "recipients" });
    }
    let from = match nonempty(&p.from).or(default_from) {
        Some(f) => mailbox("from", f)?,
        None => return Err(invalid("from", "from: no sender: give `from`, or set `from` in [notifications.email] of palbase.toml")),
    };
    let Some(subject) = nonempty(&p.subject) else { return Err(invalid("subject", "subject: an email needs a subject")) };
    one_line("subject", subject)?;
    let text = nonempty(&p.text);
    let html = nonempty(&p.html);
    if text.is_none() && html.is_none() {
        return Err(invalid("text", "text: an email needs a body: give `text`, `html` or both"));
    }
    let mut b = lettre::Message::builder().from(from.clone()).subject(subject);
    for m in &to {
        b = b.to(m.clone());
    }
    for m in &cc {
        b = b.cc(m.clone());
    }
    for m in &bcc {
        b = b.bcc(m.clone());
    }
    for m in &reply_to {
        b = b.reply_to(m.clone());
    }
    for (name, value) in p.headers.iter().flatten() {
        let field = format!("headers.{name}");
        let ok_name = !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
        if !ok_name {
            return Err(invalid(field, format!("headers: `{name}` is not a header name (letters, digits and `-`)")));
        }
        if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(invalid(field, format!("headers: `{name}` is set from the other params, not `headers`")));
        }
        one_line(&field, value)?;
        let hn = HeaderName::new_from_ascii(name.clone()).map_err(|_| invalid(format!("headers.{name}"), format!("headers: `{name}` is not a header name")))?;
        b = b.raw_header(HeaderValue::new(hn, value.clone()));
    }
    let body = match (text, html) {
        (Some(t), Some(h)) => Body::Multi(MultiPart::alternative_plain_html(t.to_owned(), h.to_owned())),
        (Some(t), None) => Body::Single(SinglePart::plain(t.to_owned())),
        (None, Some(h)) => Body::Single(SinglePart::html(h.to_owned())),
        (None, None) => return Err(invalid("text", "text: an email needs a body")),
    };
    let mut recorded_attachments = Vec::new();
    let attachments = p.attachments.as_deref().unwrap_or_default();
    let message = if attachments.is_empty() {
        match body {
            Body::Multi(m) => b.multipart(m),
            Body::Single(s) => b.singlepart(s),
        }
    } else {
        let mut mixed = match body {
            Body::Multi(m) => MultiPart::mixed().multipart(m),
            Body::Single(s) => MultiPart::mixed().singlepart(s),
        };
        for (i, a) in attachments.iter().enumerate() {
            let field = format!("attachments[{i}]");
            if a.filename.trim().is_empty() {
                return Err(invalid(format!("{field}.filename"), format!("{field}.filename: give the file's name")));
            }
            one_line(&format!("{field}.filename"), &a.filename)?;
            let bytes = base64::engine::general_purpose::STANDARD.decode(a.content.as_bytes()).map_err(|e| invalid(format!("{field}.content"), format!("{field}.content: not base64 ({e})")))?;
            let ct_text = a.content_type.as_deref().unwrap_or("application/octet-stream");
            let ct = ContentType::parse(ct_text).map_err(|_| invalid(format!("{field}.contentType"), format!("{field}.contentType: `{ct_text}` is not a MIME type")))?;
            recorded_attachments.push(json!({ "filename": a.filename, "contentType": ct_text, "size": bytes.len(), "content": a.content }));
            mixed = mixed.singlepart(MimeAttachment::new(a.filename.clone()).body(bytes, ct));
        }
        b.multipart(mixed)
    };
    let message = message.map_err(|e| invalid("to", format!("cannot build the email: {e}")))?;
    let formatted = message.formatted();
    if formatted.len() > MAX_EMAIL_BYTES {
        return Err(NotifyError::TooLarge { field: "attachments".into(), size: formatted.len(), limit: MAX_EMAIL_BYTES, unit: "bytes (the whole email)" });
    }
    let rendered = String::from_utf8_lossy(&formatted).into_owned();
    let env = message.envelope();
    let envelope = json!({
        "from": env.from().map(|a| a.to_string()),
        "to": env.to().iter().map(|a| a.to_string()).collect::<Vec<_>>(),
    });
    let list = |v: &[Mailbox]| v.iter().map(|m| m.to_string()).collect::<Vec<_>>();
    let mut params = json!({
        "from": from.to_string(), "to": list(&to), "cc": list(&cc), "bcc": list(&bcc), "replyTo": list(&reply_to),
        "subject": subject, "text": text, "html": html,
        "headers": p.headers.clone().unwrap_or_default(), "tags": p.tags.clone().unwrap_or_default(),
    });
    if let Some(t) = &p.template {
        params["template"] = t.clone().into();
        params["data"] = p.data.clone().map(Value::Object).unwrap_or(Value::Null);
    }
    if !recorded_attachments.is_empty() {
        params["attachments"] = Value::Array(recorded_attachments);
    }
    let who: Vec<String> = to.iter().chain(&cc).chain(&bcc).map(|m| m.email.to_string()).collect();
    Ok(Prepared { channel: Channel::Email, summary: format!("to {}: {subject:?}", who.join(", ")), params, rendered, envelope, idempotency_key })
}

enum Body {
    Single(SinglePart),
    Multi(MultiPart),
}

fn merge(base: &mut Map<String, Value>, over: &Map<String, Value>) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

fn targets(field: &str, v: &Option<OneOrMany>) -> Result<Vec<String>, NotifyError> {
    let list = OneOrMany::list(v);
    for (i, t) in list.iter().enumerate() {
        if t.trim().is_empty() || t.contains(char::is_whitespace) {
            return Err(recipient(format!("{field}[{i}]"), format!("{field}: `{t}` is not a {}", if field == "token" { "device token" } else { "user id" })));
        }
    }
    Ok(list)
}

/// Validates and renders a push: the APNs payload and the FCM v1 message (without its target),
/// each within its 4 KiB limit.
pub fn push(p: &PushParams) -> Result<Prepared, NotifyError> {
    let idempotency_key = key(&p.idempotency_key)?;
    let tokens = targets("token", &p.token)?;
    let users = targets("userId", &p.user_id)?;
    if tokens.is_empty() && users.is_empty() {
        return Err(invalid("token", "token: give device tokens (`token`) or user ids (`userId`)"));
    }
    if tokens.len() + users.len() > MAX_PUSH_TARGETS {
        return Err(NotifyError::TooLarge { field: "token".into(), size: tokens.len() + users.len(), limit: MAX_PUSH_TARGETS, unit: "targets" });
    }
    let title = nonempty(&p.title);
    let body = nonempty(&p.body);
    if title.is_none() && body.is_none() {
        return Err(invalid("body", "body: a push needs a `title` or a `body`"));
    }
    let mut alert = Map::new();
    if let Some(t) = title {
        alert.insert("title".into(), t.into());
    }
    if let Some(b) = body {
        alert.insert("body".into(), b.into());
    }
    let mut aps = Map::new();
    aps.insert("alert".into(), Value::Object(alert.clone()));
    if let Some(b) = p.badge {
        aps.insert("badge".into(), b.into());
    }
    if let Some(s) = &p.sound {
        aps.insert("sound".into(), s.clone().into());
    }
    let mut apns = Map::new();
    apns.insert("aps".into(), Value::Object(aps));
    for (k, v) in p.data.iter().flatten() {
        if k == "aps" {
            return Err(invalid("data.aps", "data: `aps` is the APNs dictionary; use `apns` to change it"));
        }
        apns.insert(k.clone(), v.clone().into());
    }
    if let Some(o) = &p.apns {
        merge(&mut apns, o);
    }
    let apns_len = Value::Object(apns.clone()).to_string().len();
    if apns_len > MAX_APNS_BYTES {
        return Err(NotifyError::TooLarge { field: "payload".into(), size: apns_len, limit: MAX_APNS_BYTES, unit: "bytes (APNs payload)" });
    }
    let mut fcm = Map::new();
    fcm.insert("notification".into(), Value::Object(alert));
    if let Some(d) = &p.data {
        fcm.insert("data".into(), json!(d));
    }
    if let Some(o) = &p.fcm {
        merge(&mut fcm, o);
    }
    let fcm_len = Value::Object(fcm.clone()).to_string().len();
    if fcm_len > MAX_FCM_BYTES {
        return Err(NotifyError::TooLarge { field: "payload".into(), size: fcm_len, limit: MAX_FCM_BYTES, unit: "bytes (FCM message)" });
    }
    let rendered = serde_json::to_string_pretty(&json!({ "apns": apns, "fcm": fcm })).unwrap_or_default();
    let n = tokens.len() + users.len();
    let summary = format!("to {n} target{}: {:?}", if n == 1 { "" } else { "s" }, title.or(body).unwrap_or_default());
    let params = json!({ "token": tokens, "userId": users, "title": title, "body": body, "data": p.data, "badge": p.badge, "sound": p.sound, "apns": p.apns, "fcm": p.fcm });
    Ok(Prepared { channel: Channel::Push, summary, params, rendered, envelope: json!({ "tokens": tokens, "userIds": users }), idempotency_key })
}

/// E.164: `+`, a country code that does not start with 0, at most 15 digits in all.
pub fn is_e164(s: &str) -> bool {
    let Some(d) = s.strip_prefix('+') else { return false };
    (2..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
}

/// Validates an SMS.
pub fn sms(p: &SmsParams, default_from: Option<&str>) -> Result<Prepared, NotifyError> {
    let idempotency_key = key(&p.idempotency_key)?;
    let to = OneOrMany::list(&p.to);
    if to.is_empty() {
        return Err(invalid("to", "to: give the recipient's phone number (E.164, e.g. +14155550100)"));
    }
    if to.len() > MAX_SMS_RECIPIENTS {
        return Err(NotifyError::TooLarge { field: "to".into(), size: to.len(), limit: MAX_SMS_RECIPIENTS, unit: "recipients" });
    }
    let many = matches!(p.to, Some(OneOrMany::Many(_)));
    for (i, n) in to.iter().enumerate() {
        if !is_e164(n) {
            let f = if many { format!("to[{i}]") } else { "to".to_owned() };
            return Err(recipient(f.clone(), format!("{f}: `{n}` is not an E.164 phone number (`+`, country code, number; at most 15 digits)")));
        }
    }
    let from = nonempty(&p.from).or(default_from).map(str::to_owned);
    let Some(body) = nonempty(&p.body) else { return Err(invalid("body", "body: an SMS needs a body")) };
    let chars = body.chars().count();
    if chars > MAX_SMS_CHARS {
        return Err(NotifyError::TooLarge { field: "body".into(), size: chars, limit: MAX_SMS_CHARS, unit: "characters" });
    }
    let rendered = serde_json::to_string_pretty(&json!({ "from": from, "to": to, "body": body })).unwrap_or_default();
    let short: String = body.chars().take(60).collect();
    let summary = format!("to {}: {:?}", to.join(", "), if chars > 60 { format!("{short}…") } else { short });
    Ok(Prepared { channel: Channel::Sms, summary, params: json!({ "to": to, "from": from, "body": body }), rendered, envelope: json!({ "from": from, "to": to }), idempotency_key })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(p: serde_json::Value) -> Result<Prepared, NotifyError> {
        email(&serde_json::from_value(p).unwrap(), Some("App <app@example.com>"), None)
    }

    fn field(r: Result<Prepared, NotifyError>) -> (String, String) {
        let err: palbase_core::ApiError = r.unwrap_err().into();
        (err.code.clone(), err.data.as_ref().and_then(|d| d["field"].as_str()).unwrap_or_default().to_owned())
    }

    #[test]
    fn email_errors_name_the_field() {
        let f = |p| field(e(p));
        assert_eq!(f(json!({"subject": "s", "text": "t"})), ("invalid_arguments".into(), "to".into()));
        assert_eq!(f(json!({"to": ["a@example.com", "nope"], "subject": "s", "text": "t"})), ("invalid_recipient".into(), "to[1]".into()));
        assert_eq!(f(json!({"to": "a@example.com", "cc": "x@", "subject": "s", "text": "t"})), ("invalid_recipient".into(), "cc".into()));
        assert_eq!(f(json!({"to": "a@example.com", "text": "t"})), ("invalid_arguments".into(), "subject".into()));
        assert_eq!(f(json!({"to": "a@example.com", "subject": "s"})), ("invalid_arguments".into(), "text".into()));
        assert_eq!(f(json!({"to": "a@example.com", "subject": "a\r\nBcc: x@example.com", "text": "t"})), ("invalid_arguments".into(), "subject".into()));
        assert_eq!(f(json!({"to": "a@example.com", "subject": "s", "text": "t", "headers": {"Subject": "x"}})), ("invalid_arguments".into(), "headers.Subject".into()));
        assert_eq!(f(json!({"to": "a@example.com", "subject": "s", "text": "t", "attachments": [{"filename": "a", "content": "!!"}]})), ("invalid_arguments".into(), "attachments[0].content".into()));
        let r = email(&serde_json::from_value(json!({"to": "a@example.com", "subject": "s", "text": "t"})).unwrap(), None, None);
        assert_eq!(field(r), ("invalid_arguments".into(), "from".into()));
        let many: Vec<String> = (0..51).map(|i| format!("u{i}@example.com")).collect();
        assert_eq!(f(json!({"to": many, "subject": "s", "text": "t"})), ("payload_too_large".into(), "to".into()));
        let big = base64::engine::general_purpose::STANDARD.encode(vec![0u8; MAX_EMAIL_BYTES]);
        assert_eq!(f(json!({"to": "a@example.com", "subject": "s", "text": "t", "attachments": [{"filename": "a.bin", "content": big}]})), ("payload_too_large".into(), "attachments".into()));
    }

    #[test]
    fn email_renders_mime() {
        let p = e(json!({"to": "Zoë <a@example.com>", "bcc": "hidden@example.com", "subject": "Grüße 👋", "text": "plain", "html": "<b>rich</b>", "headers": {"X-Campaign": "spring"},
            "attachments": [{"filename": "r.txt", "content": "aGVsbG8=", "contentType": "text/plain"}]}))
        .unwrap();
        let r = &p.rendered;
        assert!(r.contains("Subject: =?utf-8?"), "{r}");
        assert!(r.contains("multipart/mixed") && r.contains("multipart/alternative"), "{r}");
        assert!(r.contains("X-Campaign: spring"), "{r}");
        assert!(!r.to_ascii_lowercase().contains("hidden@example.com"), "Bcc is not in the headers: {r}");
        assert_eq!(p.envelope["to"], json!(["a@example.com", "hidden@example.com"]));
        assert_eq!(p.params["attachments"][0]["size"], 5);
    }

    #[test]
    fn push_and_sms_limits() {
        let pp = |v| push(&serde_json::from_value(v).unwrap());
        assert_eq!(field(pp(json!({"title": "t"}))), ("invalid_arguments".into(), "token".into()));
        assert_eq!(field(pp(json!({"token": "abc"}))), ("invalid_arguments".into(), "body".into()));
        assert_eq!(field(pp(json!({"token": "abc", "body": "x".repeat(5000)}))), ("payload_too_large".into(), "payload".into()));
        let ok = pp(json!({"token": ["t1"], "title": "Hi", "badge": 2, "data": {"k": "v"}, "apns": {"aps": {"category": "c"}}})).unwrap();
        let r: Value = serde_json::from_str(&ok.rendered).unwrap();
        assert_eq!(r["apns"], json!({"aps": {"alert": {"title": "Hi"}, "badge": 2, "category": "c"}, "k": "v"}));
        assert_eq!(r["fcm"], json!({"notification": {"title": "Hi"}, "data": {"k": "v"}}));
        let s = |v| sms(&serde_json::from_value(v).unwrap(), None);
        assert_eq!(field(s(json!({"body": "x"}))), ("invalid_arguments".into(), "to".into()));
        assert_eq!(field(s(json!({"to": "5551234", "body": "x"}))), ("invalid_recipient".into(), "to".into()));
        assert_eq!(field(s(json!({"to": ["+14155550100", "+0123"], "body": "x"}))), ("invalid_recipient".into(), "to[1]".into()));
        assert_eq!(field(s(json!({"to": "+14155550100"}))), ("invalid_arguments".into(), "body".into()));
        assert_eq!(field(s(json!({"to": "+14155550100", "body": "é".repeat(1601)}))), ("payload_too_large".into(), "body".into()));
        assert!(s(json!({"to": "+14155550100", "body": "é".repeat(1600)})).is_ok());
    }
}
