//! The Notifications service (palbase-notify): `[notifications]`, outbox-only unless a
//! channel's provider is configured.

use std::{collections::HashMap, path::Path, sync::Arc, time::Duration};

use palbase_core::ops::OpRegistry;
use palbase_notify::{Channel, NotifyOptions, Provider};
use palbase_project::{ProjectError, config::Settings};
use palbase_server::Service;
use serde::Deserialize;

use crate::AppError;

/// `[notifications]` in `palbase.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NotificationsSettings {
    /// Retries of a delivery after its first attempt (default 5).
    pub retry: Option<u32>,
    /// Timeout of one delivery attempt, ms (default 30000).
    pub timeout_ms: Option<u64>,
    pub email: EmailSettings,
    pub push: PushSettings,
    pub sms: SmsSettings,
}

/// `[notifications.email]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EmailSettings {
    /// `"outbox"` (the default: kept, never sent), `"smtp"` or `"resend"`.
    pub provider: Option<String>,
    /// Resend: the environment variable holding the API key.
    pub api_key_env: Option<String>,
    /// Resend: the API's base URL (default `https://api.resend.com`).
    pub base_url: Option<String>,
    /// SMTP: `smtp://[user@]host[:port]` (STARTTLS; plain only to a loopback host),
    /// `smtps://…` (TLS).
    pub url: Option<String>,
    /// The environment variable (process or `.env`) holding the SMTP password.
    pub password_env: Option<String>,
    /// The sender of emails that give no `from`: `"App <no-reply@example.com>"`.
    pub from: Option<String>,
}

/// `[notifications.push]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PushSettings {
    /// `"outbox"` (the default), `"apns"` or `"fcm"`.
    pub provider: Option<String>,
    /// The provider's base URL (APNs default `https://api.push.apple.com`; FCM
    /// `https://fcm.googleapis.com`). An `http://` APNs URL speaks h2c (for loopback tests).
    pub base_url: Option<String>,
    /// APNs: the `.p8` token key file (relative to the project) or `key_env`, its key id, team
    /// id and the app's bundle id (`apns-topic`).
    pub key_file: Option<String>,
    pub key_env: Option<String>,
    pub key_id: Option<String>,
    pub team_id: Option<String>,
    pub topic: Option<String>,
    /// FCM: the service account JSON file (relative to the project) or `service_account_env`.
    pub service_account_file: Option<String>,
    pub service_account_env: Option<String>,
}

/// `[notifications.sms]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SmsSettings {
    /// `"outbox"` (the default) or `"twilio"`.
    pub provider: Option<String>,
    /// Twilio: the account SID, and the environment variable holding its auth token.
    pub account_sid: Option<String>,
    pub auth_token_env: Option<String>,
    /// Twilio: the API's base URL (default `https://api.twilio.com`).
    pub base_url: Option<String>,
    /// The sender number of SMS that give no `from` (E.164).
    pub from: Option<String>,
}

pub fn settings(settings: &Settings) -> Result<NotificationsSettings, ProjectError> {
    settings.section("notifications")
}

fn config_error(e: impl std::fmt::Display) -> AppError {
    AppError::Open { what: "notifications", source: e.to_string().into() }
}

fn need_secret(root: &Path, setting: &str, var: Option<&str>) -> Result<String, AppError> {
    let var = var.ok_or_else(|| config_error(format!("{setting}: name the environment variable that holds the secret")))?;
    crate::project_var(root, var).ok_or_else(|| config_error(format!("{setting}: the environment variable `{var}` is not set")))
}

/// A key given as a file of the project or in an environment variable.
fn key_material(root: &Path, file_key: &str, file: Option<&str>, env_key: &str, env: Option<&str>) -> Result<String, AppError> {
    match (file, env) {
        (Some(f), _) => std::fs::read_to_string(root.join(f)).map_err(|e| config_error(format!("[notifications.push] {file_key}: cannot read {f}: {e}"))),
        (None, Some(_)) => need_secret(root, &format!("[notifications.push] {env_key}"), env),
        (None, None) => Err(config_error(format!("[notifications.push] give `{file_key}` or `{env_key}`"))),
    }
}

pub fn options(root: &Path, settings: &Settings) -> Result<NotifyOptions, AppError> {
    let s = self::settings(settings)?;
    let timeout = Duration::from_millis(s.timeout_ms.unwrap_or(30_000).max(1));
    let mut providers: HashMap<Channel, Arc<dyn Provider>> = HashMap::new();
    match s.email.provider.as_deref().unwrap_or("outbox") {
        "outbox" => {}
        "smtp" => {
            let url = s.email.url.as_deref().ok_or_else(|| config_error("[notifications.email] provider = \"smtp\" needs `url` (smtp://user@host:587)"))?;
            let password = match &s.email.password_env {
                Some(var) => Some(crate::project_var(root, var).ok_or_else(|| config_error(format!("[notifications.email] password_env: the environment variable `{var}` is not set")))?),
                None => None,
            };
            let (smtp, _) = palbase_notify::Smtp::new(url, password, timeout).map_err(config_error)?;
            providers.insert(Channel::Email, Arc::new(smtp));
        }
        "resend" => {
            let key = need_secret(root, "[notifications.email] api_key_env", s.email.api_key_env.as_deref())?;
            let r = palbase_notify::Resend::new(s.email.base_url.as_deref().unwrap_or(palbase_notify::Resend::DEFAULT_BASE), key, timeout).map_err(config_error)?;
            providers.insert(Channel::Email, Arc::new(r));
        }
        other => return Err(config_error(format!("[notifications.email] provider: unknown provider `{other}` (expected \"outbox\", \"smtp\" or \"resend\")"))),
    }
    let p = &s.push;
    match p.provider.as_deref().unwrap_or("outbox") {
        "outbox" => {}
        "apns" => {
            let key = key_material(root, "key_file", p.key_file.as_deref(), "key_env", p.key_env.as_deref())?;
            let need = |v: &Option<String>, k: &str| v.clone().ok_or_else(|| config_error(format!("[notifications.push] provider = \"apns\" needs `{k}`")));
            let a = palbase_notify::Apns::new(p.base_url.as_deref().unwrap_or(palbase_notify::Apns::DEFAULT_BASE), key.as_bytes(), need(&p.key_id, "key_id")?, need(&p.team_id, "team_id")?, need(&p.topic, "topic")?, timeout)
                .map_err(config_error)?;
            providers.insert(Channel::Push, Arc::new(a));
        }
        "fcm" => {
            let sa = key_material(root, "service_account_file", p.service_account_file.as_deref(), "service_account_env", p.service_account_env.as_deref())?;
            let f = palbase_notify::Fcm::new(p.base_url.as_deref().unwrap_or(palbase_notify::Fcm::DEFAULT_BASE), &sa, timeout).map_err(config_error)?;
            providers.insert(Channel::Push, Arc::new(f));
        }
        other => return Err(config_error(format!("[notifications.push] provider: unknown provider `{other}` (expected \"outbox\", \"apns\" or \"fcm\")"))),
    }
    match s.sms.provider.as_deref().unwrap_or("outbox") {
        "outbox" => {}
        "twilio" => {
            let sid = s.sms.account_sid.clone().ok_or_else(|| config_error("[notifications.sms] provider = \"twilio\" needs `account_sid`"))?;
            let token = need_secret(root, "[notifications.sms] auth_token_env", s.sms.auth_token_env.as_deref())?;
            let t = palbase_notify::Twilio::new(s.sms.base_url.as_deref().unwrap_or(palbase_notify::Twilio::DEFAULT_BASE), sid, token, timeout).map_err(config_error)?;
            providers.insert(Channel::Sms, Arc::new(t));
        }
        other => return Err(config_error(format!("[notifications.sms] provider: unknown provider `{other}` (expected \"outbox\" or \"twilio\")"))),
    }
    Ok(NotifyOptions { email_from: s.email.from, sms_from: s.sms.from, providers, retry: s.retry, timeout: Some(timeout), templates_dir: Some(root.join("notifications")) })
}

pub fn open(root: &Path, db: &Arc<palbase_db::Db>, queue: &Arc<palbase_queue::Queue>, settings: &Settings) -> Result<Arc<palbase_notify::Notifications>, AppError> {
    let o = options(root, settings)?;
    palbase_notify::Notifications::open(db.clone(), queue.clone(), o).map_err(|e| AppError::Open { what: "notifications", source: format!("{}: {}", e.code, e.description).into() })
}

pub(crate) struct NotificationsService {
    n: Arc<palbase_notify::Notifications>,
}

impl NotificationsService {
    pub(crate) fn new(n: Arc<palbase_notify::Notifications>) -> Self {
        Self { n }
    }
}

impl Service for NotificationsService {
    fn name(&self) -> &'static str {
        "notifications"
    }

    fn register_ops(&self, ops: &mut OpRegistry) {
        palbase_notify::ops::register_ops(ops, self.n.clone());
    }
}
