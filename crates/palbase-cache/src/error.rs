//! Cache errors and their envelope codes.

use palbase_core::ApiError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum CacheError {
    /// 400 `empty_key`.
    #[error("the cache key is empty")]
    EmptyKey,
    /// 400 `key_too_long`.
    #[error("the cache key is {len} bytes long; the limit is {max} bytes")]
    KeyTooLong { len: usize, max: usize },
    /// 413 `value_too_large`.
    #[error("the cached value is {len} bytes as JSON; the limit is {max} bytes")]
    ValueTooLarge { len: usize, max: usize },
    /// 400 `invalid_ttl`.
    #[error("{0}")]
    InvalidTtl(String),
    /// 409 `not_an_integer`.
    #[error("{0}")]
    NotAnInteger(String),
    /// 503 `cache_unavailable`: Redis did not answer in time, or refused the command.
    #[error("{0}")]
    Unavailable(String),
    /// The error the loader of a `getOrSet` fill reported (`fill_abort`), delivered as is to
    /// every caller that waited on that fill.
    #[error("{}", .0.description)]
    Loader(Box<ApiError>),
    /// A bad construction argument (Redis URL, options): a start-up error, never a request's.
    #[error("{0}")]
    Config(String),
    /// 500 `internal_error`: the cache's own runtime failed.
    #[error("{0}")]
    Internal(String),
}

impl CacheError {
    pub fn code(&self) -> &'static str {
        match self {
            CacheError::EmptyKey => "empty_key",
            CacheError::KeyTooLong { .. } => "key_too_long",
            CacheError::ValueTooLarge { .. } => "value_too_large",
            CacheError::InvalidTtl(_) => "invalid_ttl",
            CacheError::NotAnInteger(_) => "not_an_integer",
            CacheError::Unavailable(_) => "cache_unavailable",
            CacheError::Loader(_) => "loader_error",
            CacheError::Config(_) => "invalid_cache_config",
            CacheError::Internal(_) => "internal_error",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            CacheError::EmptyKey | CacheError::KeyTooLong { .. } | CacheError::InvalidTtl(_) => 400,
            CacheError::ValueTooLarge { .. } => 413,
            CacheError::NotAnInteger(_) => 409,
            CacheError::Unavailable(_) => 503,
            CacheError::Loader(e) => e.status,
            CacheError::Config(_) | CacheError::Internal(_) => 500,
        }
    }
}

impl From<CacheError> for ApiError {
    fn from(e: CacheError) -> ApiError {
        match e {
            CacheError::Loader(api) => *api,
            CacheError::Internal(ref m) | CacheError::Config(ref m) => {
                tracing::error!(target: "palbase::cache", error = %m, "cache failure");
                ApiError::internal()
            }
            other => ApiError::new(other.status(), other.code(), other.to_string()),
        }
    }
}
