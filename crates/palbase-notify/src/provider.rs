//! Providers: what delivers a message of a channel. Each is one implementation of
//! [`Provider`]; the delivery worker picks the channel's provider and turns its answer into the
//! message's status and the queue's retry decision.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::error::NotifyError;
use crate::store::Record;

/// What a provider said when it accepted a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// The provider's id of the message, when it gives one.
    pub provider_id: Option<String>,
    /// Its answer, for the outbox (status line or body, shortened).
    pub answer: String,
}

/// Why a delivery attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth retrying: a timeout, a connection failure, a 5xx or 429 (`retry_after` from its
    /// `Retry-After`).
    #[error("{message}")]
    Transient { message: String, retry_after: Option<Duration> },
    /// Never going to work: the provider refused the request or the recipient (4xx, 5yz SMTP).
    #[error("{message}")]
    Permanent { message: String },
}

pub type DeliveryFuture<'a> = Pin<Box<dyn Future<Output = Result<Delivered, DeliveryError>> + Send + 'a>>;

/// Delivers the messages of one channel.
pub trait Provider: Send + Sync + 'static {
    /// `smtp`, `resend`, … (recorded with each message).
    fn name(&self) -> &'static str;
    /// Delivers `message`; `target` is the one device token or phone number of this request
    /// (push and SMS go one target at a time, and a retry skips the targets already done), or
    /// `None` for an email (all its recipients at once).
    fn deliver<'a>(&'a self, message: &'a Record, target: Option<&'a str>) -> DeliveryFuture<'a>;
}

/// `[notifications.email] provider = "smtp"`.
pub struct Smtp {
    /// Built at the first delivery: the connection pool needs the tokio runtime it runs on.
    builder: std::sync::Mutex<Option<lettre::transport::smtp::AsyncSmtpTransportBuilder>>,
    transport: std::sync::OnceLock<AsyncSmtpTransport<Tokio1Executor>>,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtps://`: TLS from the first byte (port 465 by default).
    Tls,
    /// `smtp://`: STARTTLS, required (port 587 by default).
    StartTls,
    /// `smtp://` to a loopback host (or `?tls=none` to one): no encryption.
    Plain,
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        // `smtp:` is not a special scheme: its IP hosts parse as opaque names.
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost") || d.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok_and(|a| a.is_loopback()),
        url::Host::Ipv4(a) => a.is_loopback(),
        url::Host::Ipv6(a) => a.is_loopback(),
    }
}

impl Smtp {
    /// From `url` (`smtp://[user@]host[:port]`, `smtps://…`; `?tls=none` only for a loopback
    /// host, which is also the default there) and the password (from `password_env`).
    pub fn new(url: &str, password: Option<String>, timeout: Duration) -> Result<(Smtp, SmtpSecurity), NotifyError> {
        let bad = |m: String| NotifyError::Config(format!("[notifications.email] url: {m}"));
        let u = url::Url::parse(url).map_err(|e| bad(format!("`{url}` is not a URL ({e})")))?;
        let host = u.host().ok_or_else(|| bad(format!("`{url}` has no host")))?;
        let loopback = is_loopback(&host);
        let host_str = u.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
        let tls_param = u.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let security = match (u.scheme(), tls_param.as_deref()) {
            ("smtps", None) => SmtpSecurity::Tls,
            ("smtp", Some("required" | "starttls")) => SmtpSecurity::StartTls,
            ("smtp", None) if !loopback => SmtpSecurity::StartTls,
            ("smtp", None | Some("none")) if loopback => SmtpSecurity::Plain,
            ("smtp", Some("none")) => return Err(bad("`tls=none` is only allowed for a loopback host: use STARTTLS (smtp://) or TLS (smtps://)".into())),
            (s, t) => return Err(bad(format!("unsupported scheme `{s}` or tls `{}` (use smtp:// or smtps://, tls=required|none)", t.unwrap_or_default()))),
        };
        let port = u.port().unwrap_or(match security {
            SmtpSecurity::Tls => 465,
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::Plain => 25,
        });
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host_str.clone()).port(port).timeout(Some(timeout));
        match security {
            SmtpSecurity::Tls | SmtpSecurity::StartTls => {
                let params = TlsParameters::new(host_str).map_err(|e| bad(format!("TLS: {e}")))?;
                b = b.tls(if security == SmtpSecurity::Tls { Tls::Wrapper(params) } else { Tls::Required(params) });
            }
            SmtpSecurity::Plain => b = b.tls(Tls::None),
        }
        let user = percent_encoding::percent_decode_str(u.username()).decode_utf8_lossy().into_owned();
        let password = password.or_else(|| u.password().map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned()));
        match (user.is_empty(), password) {
            (false, Some(p)) => b = b.credentials(Credentials::new(user, p)),
            (false, None) => return Err(bad("a user is given but no password: set `password_env` to the variable that holds it".into())),
            (true, Some(_)) => return Err(bad("a password is given but no user: put it in the URL (smtp://user@host)".into())),
            (true, None) => {}
        }
        Ok((Smtp { builder: std::sync::Mutex::new(Some(b)), transport: std::sync::OnceLock::new() }, security))
    }

    fn transport(&self) -> Option<&AsyncSmtpTransport<Tokio1Executor>> {
        if let Some(t) = self.transport.get() {
            return Some(t);
        }
        let mut b = self.builder.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(builder) = b.take() {
            let _ = self.transport.set(builder.build());
        }
        self.transport.get()
    }
}

fn short(s: &str) -> String {
    let mut s = s.trim().to_owned();
    if s.len() > 1000 {
        let mut cut = 1000;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

impl Provider for Smtp {
    fn name(&self) -> &'static str {
        "smtp"
    }

    fn deliver<'a>(&'a self, m: &'a Record, _target: Option<&'a str>) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let permanent = |message: String| DeliveryError::Permanent { message };
            let from = m.envelope["from"].as_str().and_then(|a| a.parse::<Address>().ok());
            let to: Vec<Address> = m.envelope["to"].as_array().into_iter().flatten().filter_map(|a| a.as_str()?.parse().ok()).collect();
            let envelope = Envelope::new(from, to).map_err(|e| permanent(format!("invalid envelope: {e}")))?;
            let Some(transport) = self.transport() else { return Err(DeliveryError::Transient { message: "the SMTP transport is not ready".into(), retry_after: None }) };
            match transport.send_raw(&envelope, m.rendered.as_bytes()).await {
                Ok(r) => {
                    let text = r.message().collect::<Vec<_>>().join(" ");
                    Ok(Delivered { provider_id: None, answer: short(&format!("{} {text}", r.code())) })
                }
                Err(e) if e.is_permanent() => Err(permanent(short(&format!("SMTP: {e}")))),
                Err(e) => Err(DeliveryError::Transient { message: short(&format!("SMTP: {e}")), retry_after: None }),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        let sec = |u: &str| Smtp::new(u, None, Duration::from_secs(1)).map(|(_, s)| s);
        assert_eq!(sec("smtp://127.0.0.1:2525"), Ok(SmtpSecurity::Plain));
        assert_eq!(sec("smtp://localhost"), Ok(SmtpSecurity::Plain));
        assert_eq!(sec("smtp://[::1]:2525"), Ok(SmtpSecurity::Plain));
        assert_eq!(sec("smtp://127.0.0.1:2525?tls=required"), Ok(SmtpSecurity::StartTls));
        assert_eq!(sec("smtp://mail.example.com"), Ok(SmtpSecurity::StartTls));
        assert_eq!(sec("smtp://10.0.0.1:25"), Ok(SmtpSecurity::StartTls));
        assert_eq!(sec("smtps://mail.example.com"), Ok(SmtpSecurity::Tls));
        assert!(sec("smtp://mail.example.com?tls=none").is_err());
        assert!(sec("http://mail.example.com").is_err());
        assert!(sec("smtp://user@mail.example.com").is_err(), "a user without a password");
        assert!(Smtp::new("smtp://user@mail.example.com", Some("pw".into()), Duration::from_secs(1)).is_ok());
    }
}
