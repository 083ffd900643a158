//! Storage errors and their envelope codes (stable: JavaScript and HTTP clients match on them).

use palbase_core::ApiError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// 404 `bucket_not_found`: the bucket is not declared in `palbase.toml`.
    #[error("no bucket named {0:?} is declared in [storage.buckets]")]
    BucketNotFound(String),
    /// 404 `object_not_found`.
    #[error("no object {path:?} in bucket {bucket:?}")]
    ObjectNotFound { bucket: String, path: String },
    /// 409 `already_exists`: upload without `upsert`, or the target of a move/copy exists.
    #[error("an object {path:?} already exists in bucket {bucket:?}")]
    AlreadyExists { bucket: String, path: String },
    /// 409 `path_conflict`: local backend only: the path needs a folder where an object is, or
    /// an object where a folder is (`a` and `a/b` cannot both exist on a filesystem).
    #[error("{path:?} in bucket {bucket:?} conflicts with an existing object or folder of the same name")]
    PathConflict { bucket: String, path: String },
    /// 400 `invalid_path`.
    #[error("invalid path: {0}")]
    InvalidPath(String),
    /// 413 `payload_too_large`: over the bucket's `max_file_size`.
    #[error("the object is larger than this bucket's limit of {limit} bytes")]
    PayloadTooLarge { limit: u64 },
    /// 415 `content_type_not_allowed`: not in the bucket's allow list, or malformed.
    #[error("{0}")]
    ContentTypeNotAllowed(String),
    /// 400 `invalid_expiry`.
    #[error("{0}")]
    InvalidExpiry(String),
    /// 403 `signature_invalid`: a signed URL whose method, bucket, path, expiry, download flag
    /// or signature was changed, or that was signed with a key since rotated.
    #[error("the signed URL is not valid")]
    SignatureInvalid,
    /// 403 `signature_expired`.
    #[error("the signed URL has expired")]
    SignatureExpired,
    /// 416 `range_not_satisfiable`: the requested byte range is outside the object.
    #[error("the requested range is not satisfiable for an object of {size} bytes")]
    RangeNotSatisfiable { size: u64 },
    /// 400 `upload_incomplete`: the upload's body failed before its end (client went away).
    #[error("the upload body ended with an error: {0}")]
    UploadIncomplete(String),
    /// 403 `bucket_not_public`: a public URL of a private bucket.
    #[error("bucket {0:?} is not public; use a signed URL")]
    BucketNotPublic(String),
    /// 400 `invalid_arguments`: a bad limit, cursor, cache-control or download file name.
    #[error("{0}")]
    InvalidArgument(String),
    /// 405 `method_not_allowed`: a storage URL used with another method than it answers (the
    /// methods it answers, for `Allow`).
    #[error("this URL answers {0} only")]
    MethodNotAllowed(&'static str),
    /// 501 `not_supported`: the backend cannot do this (e.g. rotating the key of S3 presigned URLs).
    #[error("{0}")]
    NotSupported(String),
    /// 503 `storage_unavailable`: the backend did not answer or failed (detail is logged, not shown).
    #[error("the storage backend is unavailable: {0}")]
    Unavailable(String),
    /// A bad construction argument (bucket names, data directory, S3 settings): a start-up error.
    #[error("{0}")]
    Config(String),
    /// 500 `internal_error`.
    #[error("{0}")]
    Internal(String),
}

impl StorageError {
    pub fn code(&self) -> &'static str {
        match self {
            StorageError::BucketNotFound(_) => "bucket_not_found",
            StorageError::ObjectNotFound { .. } => "object_not_found",
            StorageError::AlreadyExists { .. } => "already_exists",
            StorageError::PathConflict { .. } => "path_conflict",
            StorageError::InvalidPath(_) => "invalid_path",
            StorageError::PayloadTooLarge { .. } => "payload_too_large",
            StorageError::ContentTypeNotAllowed(_) => "content_type_not_allowed",
            StorageError::InvalidExpiry(_) => "invalid_expiry",
            StorageError::SignatureInvalid => "signature_invalid",
            StorageError::SignatureExpired => "signature_expired",
            StorageError::RangeNotSatisfiable { .. } => "range_not_satisfiable",
            StorageError::UploadIncomplete(_) => "upload_incomplete",
            StorageError::BucketNotPublic(_) => "bucket_not_public",
            StorageError::InvalidArgument(_) => "invalid_arguments",
            StorageError::MethodNotAllowed(_) => "method_not_allowed",
            StorageError::NotSupported(_) => "not_supported",
            StorageError::Unavailable(_) => "storage_unavailable",
            StorageError::Config(_) => "invalid_storage_config",
            StorageError::Internal(_) => "internal_error",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            StorageError::BucketNotFound(_) | StorageError::ObjectNotFound { .. } => 404,
            StorageError::AlreadyExists { .. } | StorageError::PathConflict { .. } => 409,
            StorageError::InvalidPath(_) | StorageError::InvalidExpiry(_) | StorageError::UploadIncomplete(_) | StorageError::InvalidArgument(_) => 400,
            StorageError::PayloadTooLarge { .. } => 413,
            StorageError::ContentTypeNotAllowed(_) => 415,
            StorageError::RangeNotSatisfiable { .. } => 416,
            StorageError::SignatureInvalid | StorageError::SignatureExpired | StorageError::BucketNotPublic(_) => 403,
            StorageError::MethodNotAllowed(_) => 405,
            StorageError::NotSupported(_) => 501,
            StorageError::Unavailable(_) => 503,
            StorageError::Config(_) | StorageError::Internal(_) => 500,
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> ApiError {
        match &e {
            StorageError::Internal(m) | StorageError::Config(m) => {
                tracing::error!(target: "palbase::storage", error = %m, "storage failure");
                ApiError::internal()
            }
            StorageError::Unavailable(m) => {
                tracing::warn!(target: "palbase::storage", error = %m, "storage backend unavailable");
                ApiError::new(503, "storage_unavailable", "The storage backend is unavailable")
            }
            StorageError::PayloadTooLarge { limit } => ApiError::new(413, e.code(), e.to_string()).with_data(serde_json::json!({ "limit": limit })),
            StorageError::RangeNotSatisfiable { size } => ApiError::new(416, e.code(), e.to_string()).with_data(serde_json::json!({ "size": size })),
            _ => ApiError::new(e.status(), e.code(), e.to_string()),
        }
    }
}

/// An I/O error of the local backend that is not one of the classified cases.
pub(crate) fn io(what: &str, e: std::io::Error) -> StorageError {
    StorageError::Unavailable(format!("{what}: {e}"))
}

/// An `object_store` error for `bucket`/`path`.
pub(crate) fn store(bucket: &str, path: &str, e: object_store::Error) -> StorageError {
    match e {
        object_store::Error::NotFound { .. } => StorageError::ObjectNotFound { bucket: bucket.into(), path: path.into() },
        object_store::Error::AlreadyExists { .. } | object_store::Error::Precondition { .. } => StorageError::AlreadyExists { bucket: bucket.into(), path: path.into() },
        other => StorageError::Unavailable(format!("S3 ({bucket}/{path}): {other}")),
    }
}
