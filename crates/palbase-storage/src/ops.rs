//! The `storage.*` ops (`Storage.bucket(name)` in `packages/backend`). `storage.upload` and
//! `storage.download` are bytes ops: their bytes travel next to the JSON (`opBytes`), never in it.
//!
//! | op | arguments | result |
//! |---|---|---|
//! | `storage.upload` (bytes in) | `{bucket, path, text?, contentType?, upsert?, cacheControl?}` + the body's bytes (or `text`) | the new object's item and `path` |
//! | `storage.download` (bytes out) | `{bucket, path}` | the object's item + its bytes (up to the caller's memory budget) |
//! | `storage.list` | `{bucket, prefix?, limit?, cursor?}` | `{items: [{name, size, contentType, etag, updatedAt}], nextCursor}` |
//! | `storage.info` | `{bucket, path}` | `{name, size, contentType, etag, updatedAt, cacheControl}` |
//! | `storage.remove` | `{bucket, paths}` | `{removed: [name, …]}` (paths that had an object) |
//! | `storage.removePrefix` | `{bucket, prefix}` | `{removed: n}` |
//! | `storage.move` / `storage.copy` | `{bucket, from, to}` | the new object's item |
//! | `storage.signedUrl` | `{bucket, path, expiresIn, download?}` (seconds; `true` or a file name) | `{signedUrl}` |
//! | `storage.signedUploadUrl` | `{bucket, path}` | `{signedUrl, token}` |
//! | `storage.publicUrl` (sync) | `{bucket, path}` | `{publicUrl}` |
//!
//! `updatedAt` is RFC 3339 with milliseconds; `nextCursor` is `null` on the last page.

use std::sync::Arc;

use bytes::Bytes;
use palbase_core::{
    ApiError,
    ops::{BytesOut, OpRegistry, OpScope, SyncFn, parse_args},
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{Body, ObjectInfo, Storage, StorageError, UploadOptions, rfc3339};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathArgs {
    bucket: String,
    path: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UploadArgs {
    bucket: String,
    path: String,
    /// The body as text (a string body: no trip through bytes in JavaScript).
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    upsert: Option<bool>,
    #[serde(default)]
    cache_control: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    bucket: String,
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveArgs {
    bucket: String,
    paths: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrefixArgs {
    bucket: String,
    prefix: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferArgs {
    bucket: String,
    from: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SignArgs {
    bucket: String,
    path: String,
    expires_in: Value,
    #[serde(default)]
    download: Option<Value>,
}

/// The JSON item of an object.
pub fn item(i: &ObjectInfo) -> Value {
    json!({
        "name": i.path,
        "size": i.size,
        "contentType": i.content_type,
        "etag": i.etag,
        "updatedAt": rfc3339(i.last_modified),
    })
}

fn expires_in(v: &Value) -> Result<u64, StorageError> {
    match v.as_f64() {
        Some(f) if f.is_finite() && f.fract() == 0.0 && f >= 1.0 && f <= u64::MAX as f64 => Ok(f as u64),
        _ => Err(StorageError::InvalidExpiry(format!("expiresIn must be a whole positive number of seconds, got {v}"))),
    }
}

fn download(v: Option<Value>) -> Result<Option<String>, StorageError> {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Ok(None),
        Some(Value::Bool(true)) => Ok(Some(String::new())),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(StorageError::InvalidArgument(format!("download must be a boolean or a file name, got {other}"))),
    }
}

/// Registers the `storage.*` ops. `max_download_bytes` bounds what `storage.download` gathers in
/// memory for its caller (a handler's memory limit).
pub fn register_ops(reg: &mut OpRegistry, storage: Arc<Storage>, max_download_bytes: u64) {
    let st = storage.clone();
    reg.register_bytes("storage.upload", st.clone(), |s: Arc<Storage>, _, a: UploadArgs, bytes: Option<Bytes>| async move {
        let body = match (a.text, bytes) {
            (Some(t), None) => Bytes::from(t),
            (None, Some(b)) => b,
            (None, None) => Bytes::new(),
            (Some(_), Some(_)) => return Err(ApiError::bad_request("invalid_arguments", "storage.upload: give the body as text or as bytes, not both")),
        };
        let opts = UploadOptions { content_type: a.content_type, upsert: a.upsert.unwrap_or(false), cache_control: a.cache_control };
        let info = s.upload(&a.bucket, &a.path, Body::Bytes(body), opts).await?;
        let mut json = item(&info);
        json["path"] = Value::String(info.path);
        Ok(BytesOut { json, bytes: None })
    });
    reg.register_bytes("storage.download", st.clone(), move |s: Arc<Storage>, _, a: PathArgs, _bytes: Option<Bytes>| async move {
        let (info, stream) = s.download(&a.bucket, &a.path, None).await?;
        let bytes = stream.bytes(max_download_bytes).await.map_err(|e| match e {
            StorageError::PayloadTooLarge { limit } => ApiError::new(413, "payload_too_large", format!("{} is {} bytes: more than a handler may hold in memory ({limit} bytes); hand out `createSignedUrl` instead", a.path, info.size))
                .with_data(json!({ "limit": limit, "size": info.size })),
            e => e.into(),
        })?;
        Ok(BytesOut { json: item(&info), bytes: Some(bytes) })
    });
    reg.register_async("storage.list", st.clone(), |s: Arc<Storage>, _, a: ListArgs| async move {
        let page = s.list(&a.bucket, a.prefix.as_deref().unwrap_or(""), a.limit, a.cursor.as_deref()).await?;
        Ok(json!({ "items": page.items.iter().map(item).collect::<Vec<_>>(), "nextCursor": page.next_cursor }))
    });
    reg.register_async("storage.info", st.clone(), |s: Arc<Storage>, _, a: PathArgs| async move {
        let i = s.info(&a.bucket, &a.path).await?;
        let mut v = item(&i);
        v["cacheControl"] = json!(i.cache_control);
        Ok(v)
    });
    reg.register_async("storage.remove", st.clone(), |s: Arc<Storage>, _, a: RemoveArgs| async move {
        let removed = s.remove(&a.bucket, &a.paths).await?;
        Ok(json!({ "removed": removed.iter().map(|i| i.path.as_str()).collect::<Vec<_>>() }))
    });
    reg.register_async("storage.removePrefix", st.clone(), |s: Arc<Storage>, _, a: PrefixArgs| async move { Ok(json!({ "removed": s.remove_prefix(&a.bucket, &a.prefix).await? })) });
    reg.register_async("storage.move", st.clone(), |s: Arc<Storage>, _, a: TransferArgs| async move { Ok(item(&s.move_object(&a.bucket, &a.from, &a.to).await?)) });
    reg.register_async("storage.copy", st.clone(), |s: Arc<Storage>, _, a: TransferArgs| async move { Ok(item(&s.copy_object(&a.bucket, &a.from, &a.to).await?)) });
    reg.register_async("storage.signedUrl", st.clone(), |s: Arc<Storage>, _, a: SignArgs| async move {
        let secs = expires_in(&a.expires_in)?;
        let dl = download(a.download)?;
        Ok(json!({ "signedUrl": s.signed_url(&a.bucket, &a.path, secs, dl.as_deref()).await? }))
    });
    reg.register_async("storage.signedUploadUrl", st, |s: Arc<Storage>, _, a: PathArgs| async move {
        let u = s.signed_upload_url(&a.bucket, &a.path).await?;
        Ok(json!({ "signedUrl": u.url, "token": u.token }))
    });
    let s = storage;
    reg.register(
        "storage.publicUrl",
        SyncFn(move |_scope: OpScope, args: Value| -> Result<Value, ApiError> {
            let a: PathArgs = parse_args("storage.publicUrl", args)?;
            Ok(json!({ "publicUrl": s.public_url(&a.bucket, &a.path)? }))
        }),
    );
}
