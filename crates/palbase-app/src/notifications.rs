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
    pub sms: SmsSettings,
}

/// `[notifications.email]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EmailSettings {
    /// `"outbox"` (the default: kept, never sent) or `"smtp"`.
    pub provider: Option<String>,
    /// SMTP: `smtp://[user@]host[:port]` (STARTTLS; plain only to a loopback host),
    /// `smtps://…` (TLS).
    pub url: Option<String>,
    /// The environment variable (process or `.env`) holding the SMTP password.
    pub password_env: Option<String>,
    /// The sender of emails that give no `from`: `"App <no-reply@example.com>"`.
    pub from: Option<String>,
}

/// `[notifications.sms]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SmsSettings {
    /// The sender number of SMS that give no `from` (E.164).
    pub from: Option<String>,
}

pub fn settings(settings: &Settings) -> Result<NotificationsSettings, ProjectError> {
    settings.section("notifications")
}

fn config_error(e: impl std::fmt::Display) -> AppError {
    AppError::Open { what: "notifications", source: e.to_string().into() }
}

/// A secret named in the settings: the process environment, else the project's `.env`.
fn secret(root: &Path, name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty()).or_else(|| palbase_project::config::load_env(root).ok()?.get(name).cloned().filter(|v| !v.is_empty()))
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
                Some(var) => Some(secret(root, var).ok_or_else(|| config_error(format!("[notifications.email] password_env: the environment variable `{var}` is not set")))?),
                None => None,
            };
            let (smtp, _) = palbase_notify::Smtp::new(url, password, timeout).map_err(config_error)?;
            providers.insert(Channel::Email, Arc::new(smtp));
        }
        other => return Err(config_error(format!("[notifications.email] provider: unknown provider `{other}` (expected \"outbox\" or \"smtp\")"))),
    }
    Ok(NotifyOptions { email_from: s.email.from, sms_from: s.sms.from, providers, retry: s.retry, timeout: Some(timeout) })
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
