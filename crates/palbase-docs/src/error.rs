//! Documents errors and their envelope codes.

use palbase_core::ApiError;
use serde_json::Value;

#[derive(Debug, Clone, thiserror::Error)]
pub enum DocsError {
    /// 400 `invalid_path`: a collection or document path that is not one.
    #[error("{0}")]
    InvalidPath(String),
    /// 400 `invalid_field_path`.
    #[error("{0}")]
    InvalidFieldPath(String),
    /// 400 `invalid_data`: the data is not an object, or nests too deeply.
    #[error("{0}")]
    InvalidData(String),
    /// 400 `invalid_query`: the query breaks a rule (named in the message).
    #[error("{0}")]
    InvalidQuery(String),
    /// 400 `index_required`: no index serves the query; `data.index` is the one to declare.
    #[error("{message}")]
    IndexRequired { message: String, index: Value },
    /// 404 `not_found`: `update` of a document that does not exist.
    #[error("no document at `{0}`")]
    NotFound(String),
    /// 409 `already_exists`.
    #[error("a document already exists at `{0}`")]
    AlreadyExists(String),
    /// 413 `document_too_large`.
    #[error("the document `{path}` is {size} bytes as JSON; the limit is {limit} bytes")]
    TooLarge { path: String, size: usize, limit: usize },
    /// 400 `invalid_index`: a `[[documents.indexes]]` entry that is not one (a start-up error).
    #[error("{0}")]
    InvalidIndex(String),
}

impl DocsError {
    pub fn code(&self) -> &'static str {
        match self {
            DocsError::InvalidPath(_) => "invalid_path",
            DocsError::InvalidFieldPath(_) => "invalid_field_path",
            DocsError::InvalidData(_) => "invalid_data",
            DocsError::InvalidQuery(_) => "invalid_query",
            DocsError::IndexRequired { .. } => "index_required",
            DocsError::NotFound(_) => "not_found",
            DocsError::AlreadyExists(_) => "already_exists",
            DocsError::TooLarge { .. } => "document_too_large",
            DocsError::InvalidIndex(_) => "invalid_index",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            DocsError::NotFound(_) => 404,
            DocsError::AlreadyExists(_) => 409,
            DocsError::TooLarge { .. } => 413,
            _ => 400,
        }
    }
}

impl From<DocsError> for ApiError {
    fn from(e: DocsError) -> ApiError {
        let base = ApiError::new(e.status(), e.code(), e.to_string());
        match e {
            DocsError::IndexRequired { index, .. } => base.with_data(serde_json::json!({ "index": index })),
            DocsError::TooLarge { size, limit, .. } => base.with_data(serde_json::json!({ "size": size, "limit": limit })),
            _ => base,
        }
    }
}

pub(crate) fn query(m: impl Into<String>) -> ApiError {
    DocsError::InvalidQuery(m.into()).into()
}
