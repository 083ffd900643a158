//! Notifications errors and their envelope codes.

use palbase_core::ApiError;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// 400 `invalid_arguments`: a field is missing, empty or malformed (named in `data.field`).
    #[error("{message}")]
    InvalidArguments { field: String, message: String },
    /// 400 `invalid_recipient`: an address or phone number that is not one.
    #[error("{message}")]
    InvalidRecipient { field: String, message: String },
    /// 413 `payload_too_large`: over the channel's (provider's) limit.
    #[error("{field} is {size} {unit}; the limit is {limit}")]
    TooLarge { field: String, size: usize, limit: usize, unit: &'static str },
    /// 400 `template_not_found`.
    #[error("no template `{0}` under notifications/")]
    TemplateNotFound(String),
    /// 400 `invalid_template`: the template does not render.
    #[error("{0}")]
    InvalidTemplate(String),
    /// A `[notifications]` setting that cannot be used (a start-up error).
    #[error("{0}")]
    Config(String),
}

pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> NotifyError {
    NotifyError::InvalidArguments { field: field.into(), message: message.into() }
}

pub(crate) fn recipient(field: impl Into<String>, message: impl Into<String>) -> NotifyError {
    NotifyError::InvalidRecipient { field: field.into(), message: message.into() }
}

impl NotifyError {
    pub fn code(&self) -> &'static str {
        match self {
            NotifyError::InvalidArguments { .. } => "invalid_arguments",
            NotifyError::InvalidRecipient { .. } => "invalid_recipient",
            NotifyError::TooLarge { .. } => "payload_too_large",
            NotifyError::TemplateNotFound(_) => "template_not_found",
            NotifyError::InvalidTemplate(_) => "invalid_template",
            NotifyError::Config(_) => "invalid_config",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            NotifyError::TooLarge { .. } => 413,
            NotifyError::Config(_) => 500,
            _ => 400,
        }
    }
}

impl From<NotifyError> for ApiError {
    fn from(e: NotifyError) -> ApiError {
        let base = ApiError::new(e.status(), e.code(), e.to_string());
        match e {
            NotifyError::InvalidArguments { field, .. } | NotifyError::InvalidRecipient { field, .. } => base.with_data(json!({ "field": field })),
            NotifyError::TooLarge { field, size, limit, .. } => base.with_data(json!({ "field": field, "size": size, "limit": limit })),
            _ => base,
        }
    }
}
