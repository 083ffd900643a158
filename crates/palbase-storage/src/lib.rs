//! The Storage service: buckets of objects behind one interface with two backends.
//!
//! - **Local filesystem** ([`Storage::local`], the embedded default): objects under a data
//!   directory, metadata in a JSON sidecar per object, uploads written aside and published by
//!   rename, signed URLs of the runtime's own routes (HMAC-SHA256, key in the data directory).
//! - **S3-compatible** ([`Storage::s3`]): `object_store`'s `AmazonS3` (any endpoint, path-style or
//!   virtual-hosted), single PUT or multipart upload, presigned GET/PUT URLs.
//!
//! Every object of a project lives under `<prefix>/<bucket>/<path>`. Buckets are declared in
//! configuration ([`BucketConfig`]); an undeclared bucket is `bucket_not_found`. Paths follow
//! [`path`]'s rules, checked at upload and at serve time.
//!
//! Threading: a [`Storage`] owns a small tokio runtime; all I/O runs there, so any thread or
//! executor can await the methods and read the streams they return.
//!
//! Events: after an upload or delete is published, [`EventSink::record`] is called with a
//! [`StorageEvent`] (see README: the object is published first, then the event is recorded).

mod error;
mod local;
pub mod ops;
pub mod path;
mod s3;
pub mod serve;
mod signing;
mod stream;

use std::{
    collections::BTreeMap,
    future::Future,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use tokio::runtime::{Handle, Runtime};

pub use error::StorageError;
pub use signing::{RouteKind, SignedAccess, SignedKind, StorageRoute, parse_route};
pub use stream::{Body, BodyError, ByteRange, ByteStream};

/// Longest expiry of a signed URL on either backend: 7 days (S3's own limit).
pub const MAX_SIGNED_URL_EXPIRY: Duration = Duration::from_secs(604_800);
/// Default lifetime of a signed upload URL: 2 hours.
pub const DEFAULT_SIGNED_UPLOAD_EXPIRY: Duration = Duration::from_secs(7200);
/// Most items one `list` page returns (and the most paths one `remove` takes).
pub const MAX_LIST_LIMIT: usize = 1000;
/// Items of a `list` page when the caller gives no limit.
pub const DEFAULT_LIST_LIMIT: usize = 100;

/// One bucket of `[storage.buckets.<name>]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BucketConfig {
    /// Objects are readable by anyone at their public URL.
    pub public: bool,
    /// Largest object, in bytes (none: no limit).
    pub max_file_size: Option<u64>,
    /// Allowed content types: `type/subtype`, `type/*` or `*/*` (empty: any).
    pub allowed_content_types: Vec<String>,
}

/// What both backends share.
#[derive(Debug, Clone)]
pub struct StorageConfig {
    /// Declared buckets by name.
    pub buckets: BTreeMap<String, BucketConfig>,
    /// The project's namespace, e.g. `<project>/<branch>`: every key is `<prefix>/<bucket>/<path>`.
    pub prefix: String,
    /// The runtime's own URL (`http://127.0.0.1:3000`): signed URLs of the local backend and public
    /// URLs start with it.
    pub base_url: String,
    /// Where public URLs point instead of `base_url` (a CDN in front of the runtime).
    pub public_base_url: Option<String>,
    /// Lifetime of signed upload URLs (default 2 h, at most 7 days).
    pub signed_upload_expiry: Duration,
}

impl StorageConfig {
    pub fn new(prefix: impl Into<String>, base_url: impl Into<String>) -> StorageConfig {
        StorageConfig { buckets: BTreeMap::new(), prefix: prefix.into(), base_url: base_url.into(), public_base_url: None, signed_upload_expiry: DEFAULT_SIGNED_UPLOAD_EXPIRY }
    }

    pub fn bucket(mut self, name: impl Into<String>, cfg: BucketConfig) -> StorageConfig {
        self.buckets.insert(name.into(), cfg);
        self
    }
}

/// An S3-compatible service.
#[derive(Debug, Clone, Default)]
pub struct S3Config {
    /// The S3 bucket that holds every project bucket (under `<prefix>/<bucket>/`).
    pub bucket: String,
    pub region: String,
    /// `http(s)://host:port` of an S3-compatible service; none: AWS.
    pub endpoint: Option<String>,
    /// Credentials; when `access_key_id` is none, the `AWS_*` environment (and instance
    /// metadata) is used.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    /// `https://<bucket>.<endpoint>/key` instead of the path-style `https://<endpoint>/<bucket>/key`.
    pub virtual_hosted_style: bool,
    /// Allow plain `http://` endpoints (loopback tests, a local MinIO).
    pub allow_http: bool,
    /// Per-request timeout (default 30 s) and connect timeout (default 5 s).
    pub timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
}

/// Options of an upload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadOptions {
    /// `type/subtype[; params]`; none: guessed from the file extension, else
    /// `application/octet-stream`.
    pub content_type: Option<String>,
    /// Replace an existing object (default: `already_exists`).
    pub upsert: bool,
    /// The `Cache-Control` value to serve the object with.
    pub cache_control: Option<String>,
}

/// What is known about a stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    /// The path inside its bucket.
    pub path: String,
    pub size: u64,
    pub content_type: String,
    /// A quoted strong HTTP ETag: `"<md5 hex>"` of the bytes on the local backend (as S3 gives
    /// for a single PUT); on S3 whatever S3 says (`"<md5>-<parts>"` after a multipart upload).
    pub etag: String,
    pub last_modified: SystemTime,
    pub cache_control: Option<String>,
}

/// One page of `list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    pub items: Vec<ObjectInfo>,
    /// Pass to the next `list` call to get the next page; none: this was the last.
    pub next_cursor: Option<String>,
}

/// A signed upload URL: PUT the body to `url`. `token` is the URL's query string: with the bucket
/// and path it rebuilds the URL (`/storage/v1/object/upload/sign/<bucket>/<path>?<token>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedUpload {
    pub url: String,
    pub token: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Uploaded,
    Deleted,
}

/// An upload or delete, recorded after it was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageEvent {
    pub kind: EventKind,
    pub bucket: String,
    pub path: String,
    pub size: u64,
    /// Always known for uploads; for deletes when the object's metadata was read before removing
    /// it (every delete, except S3's prefix removal, which lists keys without their metadata).
    pub content_type: Option<String>,
    pub at: SystemTime,
}

impl StorageEvent {
    /// `{kind, bucket, path, size, contentType, at}` with `at` in RFC 3339 (ms).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": self.kind,
            "bucket": self.bucket,
            "path": self.path,
            "size": self.size,
            "contentType": self.content_type,
            "at": rfc3339(self.at),
        })
    }
}

/// Where events go. Called once per published upload or delete, on a blocking thread of the
/// storage runtime, after the object is published. An error is returned to the caller of the
/// upload/delete (the object stays published): make the sink durable, not fallible.
pub trait EventSink: Send + Sync + 'static {
    fn record(&self, event: StorageEvent) -> Result<(), StorageError>;
}

/// Drops every event.
pub struct NoEvents;

impl EventSink for NoEvents {
    fn record(&self, _event: StorageEvent) -> Result<(), StorageError> {
        Ok(())
    }
}

/// Keeps events in memory (tests, the local dashboard).
#[derive(Default)]
pub struct MemorySink(Mutex<Vec<StorageEvent>>);

impl MemorySink {
    pub fn take(&self) -> Vec<StorageEvent> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl EventSink for MemorySink {
    fn record(&self, event: StorageEvent) -> Result<(), StorageError> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(event);
        Ok(())
    }
}

/// Which backend a [`Storage`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Local,
    S3,
}

pub(crate) fn rfc3339(t: SystemTime) -> String {
    match jiff::Timestamp::try_from(t) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => "1970-01-01T00:00:00.000Z".into(),
    }
}

enum Backend {
    Local(Arc<local::Local>),
    S3(Arc<s3::S3>),
}

/// The runtime a storage owns; shut down without blocking (dropping a `Runtime` inside another
/// runtime panics).
struct OwnedRuntime {
    rt: Option<Runtime>,
    handle: Handle,
}

impl OwnedRuntime {
    fn new() -> Result<OwnedRuntime, StorageError> {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("palbase-storage").enable_all().build().map_err(|e| StorageError::Config(format!("cannot start the storage runtime: {e}")))?;
        Ok(OwnedRuntime { handle: rt.handle().clone(), rt: Some(rt) })
    }
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// An object's place: a declared bucket and a checked path.
#[derive(Debug, Clone)]
pub(crate) struct Loc {
    pub bucket: String,
    pub path: String,
}

/// The storage of a project (see the crate docs). Share it behind an `Arc`.
pub struct Storage {
    backend: Backend,
    cfg: StorageConfig,
    signer: Option<signing::Signer>,
    sink: Arc<dyn EventSink>,
    rt: OwnedRuntime,
    /// `cfg.base_url` until [`Storage::set_base_url`] (the server learns its port at bind time).
    base_url: std::sync::RwLock<String>,
}

impl Storage {
    /// The local backend under `data_dir` (created when missing).
    pub fn local(data_dir: impl Into<PathBuf>, cfg: StorageConfig, sink: Arc<dyn EventSink>) -> Result<Storage, StorageError> {
        check_config(&cfg)?;
        let dir = data_dir.into();
        std::fs::create_dir_all(&dir).map_err(|e| StorageError::Config(format!("cannot create {}: {e}", dir.display())))?;
        let signer = signing::Signer::open(&dir)?;
        let local = local::Local::open(&dir, &cfg.prefix, cfg.buckets.keys())?;
        Ok(Storage { backend: Backend::Local(Arc::new(local)), base_url: cfg.base_url.clone().into(), cfg, signer: Some(signer), sink, rt: OwnedRuntime::new()? })
    }

    /// An S3-compatible backend. Connects lazily: an unreachable service is not an error here
    /// (calls fail with `storage_unavailable` until it answers).
    pub fn s3(s3cfg: S3Config, cfg: StorageConfig, sink: Arc<dyn EventSink>) -> Result<Storage, StorageError> {
        check_config(&cfg)?;
        let s3 = s3::S3::new(&s3cfg, &cfg.prefix)?;
        Ok(Storage { backend: Backend::S3(Arc::new(s3)), base_url: cfg.base_url.clone().into(), cfg, signer: None, sink, rt: OwnedRuntime::new()? })
    }

    /// Replaces the runtime's own URL that signed (local) and public URLs start with: the server
    /// calls it once it knows the address it listens on, unless one was configured.
    pub fn set_base_url(&self, url: &str) -> Result<(), StorageError> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(StorageError::Config(format!("storage base URL {url:?} must start with http:// or https://")));
        }
        *self.base_url.write().unwrap_or_else(|p| p.into_inner()) = url.trim_end_matches('/').to_owned();
        Ok(())
    }

    fn base_url(&self) -> String {
        self.base_url.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Local(_) => BackendKind::Local,
            Backend::S3(_) => BackendKind::S3,
        }
    }

    pub fn config(&self) -> &StorageConfig {
        &self.cfg
    }

    /// The declared bucket `name`.
    pub fn bucket(&self, name: &str) -> Result<&BucketConfig, StorageError> {
        self.cfg.buckets.get(name).ok_or_else(|| StorageError::BucketNotFound(name.to_owned()))
    }

    /// The longest path of `bucket` so that `<prefix>/<bucket>/<path>` fits in 1024 bytes.
    pub fn max_path_bytes(&self, bucket: &str) -> usize {
        path::MAX_KEY_BYTES.saturating_sub(self.cfg.prefix.len() + bucket.len() + 2)
    }

    fn loc(&self, bucket: &str, p: &str) -> Result<Loc, StorageError> {
        self.bucket(bucket)?;
        path::check_path(p, self.max_path_bytes(bucket)).map_err(StorageError::InvalidPath)?;
        Ok(Loc { bucket: bucket.to_owned(), path: p.to_owned() })
    }

    async fn run<T, F>(&self, f: F) -> Result<T, StorageError>
    where
        F: Future<Output = Result<T, StorageError>> + Send + 'static,
        T: Send + 'static,
    {
        self.rt.handle.spawn(f).await.map_err(|e| StorageError::Internal(format!("storage task failed: {e}")))?
    }

    /// Calls the sink for `events` on a blocking thread; the first error is returned.
    async fn record(&self, events: Vec<StorageEvent>) -> Result<(), StorageError> {
        if events.is_empty() {
            return Ok(());
        }
        let sink = self.sink.clone();
        self.rt
            .handle
            .spawn_blocking(move || {
                let mut first = Ok(());
                for e in events {
                    if let Err(err) = sink.record(e) {
                        tracing::error!(target: "palbase::storage", error = %err, "recording a storage event failed");
                        if first.is_ok() {
                            first = Err(err);
                        }
                    }
                }
                first
            })
            .await
            .map_err(|e| StorageError::Internal(format!("event task failed: {e}")))?
    }

    /// Stores `body` at `bucket`/`path`: written aside, then published whole (the old object or
    /// none stays after a failure or crash). The size limit is counted while the body streams;
    /// the content type is checked against the bucket's allow list before any byte is read.
    pub async fn upload(&self, bucket: &str, path: &str, body: Body, opts: UploadOptions) -> Result<ObjectInfo, StorageError> {
        let loc = self.loc(bucket, path)?;
        let b = self.bucket(bucket)?;
        let content_type = match &opts.content_type {
            Some(ct) => ct.trim().to_owned(),
            None => path::guess_content_type(path).to_owned(),
        };
        let Some(ess) = path::essence(&content_type) else {
            return Err(StorageError::ContentTypeNotAllowed(format!("content type {content_type:?} is not `type/subtype`")));
        };
        if !path::type_allowed(&b.allowed_content_types, &ess) {
            return Err(StorageError::ContentTypeNotAllowed(format!("content type {ess:?} is not allowed in bucket {bucket:?} (allowed: {})", b.allowed_content_types.join(", "))));
        }
        if let Some(cc) = &opts.cache_control {
            path::check_cache_control(cc)?;
        }
        if let (Body::Bytes(bytes), Some(limit)) = (&body, b.max_file_size)
            && bytes.len() as u64 > limit
        {
            return Err(StorageError::PayloadTooLarge { limit });
        }
        let put = PutSpec { loc, content_type, cache_control: opts.cache_control, upsert: opts.upsert, limit: b.max_file_size };
        let info = match &self.backend {
            Backend::Local(l) => {
                let l = l.clone();
                self.run(async move { l.put(put, body).await }).await?
            }
            Backend::S3(s) => {
                let s = s.clone();
                self.run(async move { s.put(put, body).await }).await?
            }
        };
        self.record(vec![StorageEvent { kind: EventKind::Uploaded, bucket: bucket.to_owned(), path: info.path.clone(), size: info.size, content_type: Some(info.content_type.clone()), at: SystemTime::now() }]).await?;
        Ok(info)
    }

    /// The object's metadata and a stream of its bytes (or of `range` of them; the stream's
    /// [`ByteStream::range`] says which).
    pub async fn download(&self, bucket: &str, path: &str, range: Option<ByteRange>) -> Result<(ObjectInfo, ByteStream), StorageError> {
        let loc = self.loc(bucket, path)?;
        match &self.backend {
            Backend::Local(l) => {
                let l = l.clone();
                self.run(async move { l.get(loc, range).await }).await
            }
            Backend::S3(s) => {
                let s = s.clone();
                self.run(async move { s.get(loc, range).await }).await
            }
        }
    }

    /// The object's metadata; `object_not_found` when it does not exist.
    pub async fn info(&self, bucket: &str, path: &str) -> Result<ObjectInfo, StorageError> {
        let loc = self.loc(bucket, path)?;
        let found = self.head(loc.clone()).await?;
        found.ok_or(StorageError::ObjectNotFound { bucket: loc.bucket, path: loc.path })
    }

    async fn head(&self, loc: Loc) -> Result<Option<ObjectInfo>, StorageError> {
        match &self.backend {
            Backend::Local(l) => {
                let l = l.clone();
                self.run(async move { l.head(&loc).await }).await
            }
            Backend::S3(s) => {
                let s = s.clone();
                self.run(async move { s.head(&loc).await }).await
            }
        }
    }

    /// Removes the objects at `paths` (at most [`MAX_LIST_LIMIT`]); paths with no object are
    /// skipped. Returns what was removed, in the order given.
    pub async fn remove(&self, bucket: &str, paths: &[String]) -> Result<Vec<ObjectInfo>, StorageError> {
        if paths.len() > MAX_LIST_LIMIT {
            return Err(StorageError::InvalidArgument(format!("remove takes at most {MAX_LIST_LIMIT} paths, got {}", paths.len())));
        }
        let mut locs = Vec::with_capacity(paths.len());
        for p in paths {
            let l = self.loc(bucket, p)?;
            if !locs.iter().any(|x: &Loc| x.path == l.path) {
                locs.push(l);
            }
        }
        let removed = self.delete(bucket, locs).await?;
        let at = SystemTime::now();
        self.record(removed.iter().map(|i| deleted(bucket, i.path.clone(), i.size, Some(i.content_type.clone()), at)).collect()).await?;
        Ok(removed)
    }

    async fn delete(&self, bucket: &str, locs: Vec<Loc>) -> Result<Vec<ObjectInfo>, StorageError> {
        let bucket = bucket.to_owned();
        match &self.backend {
            Backend::Local(l) => {
                let l = l.clone();
                self.run(async move { l.delete(&bucket, locs).await }).await
            }
            Backend::S3(s) => {
                let s = s.clone();
                self.run(async move { s.delete(&bucket, locs).await }).await
            }
        }
    }

    /// Removes every object under the folder `prefix` (`""`: the whole bucket). Returns how many.
    pub async fn remove_prefix(&self, bucket: &str, prefix: &str) -> Result<u64, StorageError> {
        self.bucket(bucket)?;
        let folder = path::folder(prefix, self.max_path_bytes(bucket))?.to_owned();
        let b = bucket.to_owned();
        let (removed, events): (u64, Vec<StorageEvent>) = match &self.backend {
            Backend::Local(l) => {
                let l = l.clone();
                self.run(async move {
                    let infos = l.delete_prefix(&b, &folder).await?;
                    let at = SystemTime::now();
                    let ev = infos.iter().map(|i| deleted(&b, i.path.clone(), i.size, Some(i.content_type.clone()), at)).collect();
                    Ok((infos.len() as u64, ev))
                })
                .await?
            }
            Backend::S3(s) => {
                let s = s.clone();
                self.run(async move {
                    let gone = s.delete_prefix(&b, &folder).await?;
                    let at = SystemTime::now();
                    let ev = gone.into_iter().map(|(p, size)| deleted(&b, p, size, None, at)).collect::<Vec<_>>();
                    Ok((ev.len() as u64, ev))
                })
                .await?
            }
        };
        self.record(events).await?;
        Ok(removed)
    }

    /// One page of the objects under the folder `prefix` (`""`: the whole bucket), recursively,
    /// in byte order of their paths, after `cursor` (a previous page's `next_cursor`).
    pub async fn list(&self, bucket: &str, prefix: &str, limit: Option<usize>, cursor: Option<&str>) -> Result<ListPage, StorageError> {
        self.bucket(bucket)?;
        let max = self.max_path_bytes(bucket);
        let folder = path::folder(prefix, max)?.to_owned();
        let limit = limit.unwrap_or(DEFAULT_LIST_LIMIT);
        if limit == 0 || limit > MAX_LIST_LIMIT {
            return Err(StorageError::InvalidArgument(format!("limit must be between 1 and {MAX_LIST_LIMIT}, got {limit}")));
        }
        let cursor = match cursor {
            Some(c) if !c.is_empty() => {
                path::check_path(c, max).map_err(|e| StorageError::InvalidArgument(format!("cursor is not a path of this bucket: {e}")))?;
                Some(c.to_owned())
            }
            _ => None,
        };
        let b = bucket.to_owned();
        match &self.backend {
            Backend::Local(l) => {
                let l = l.clone();
                self.run(async move { l.list(&b, &folder, cursor, limit).await }).await
            }
            Backend::S3(s) => {
                let s = s.clone();
                self.run(async move { s.list(&b, &folder, cursor, limit).await }).await
            }
        }
    }

    /// Copies `from` to `to` in `bucket` (metadata included); `already_exists` when `to` exists.
    pub async fn copy_object(&self, bucket: &str, from: &str, to: &str) -> Result<ObjectInfo, StorageError> {
        self.transfer(bucket, from, to, false).await
    }

    /// Moves `from` to `to` in `bucket`; `already_exists` when `to` exists. Records an upload of
    /// `to`, then a delete of `from`.
    pub async fn move_object(&self, bucket: &str, from: &str, to: &str) -> Result<ObjectInfo, StorageError> {
        self.transfer(bucket, from, to, true).await
    }

    async fn transfer(&self, bucket: &str, from: &str, to: &str, remove_source: bool) -> Result<ObjectInfo, StorageError> {
        let (src, dst) = (self.loc(bucket, from)?, self.loc(bucket, to)?);
        if src.path == dst.path {
            return Err(StorageError::AlreadyExists { bucket: dst.bucket, path: dst.path });
        }
        let (old, info) = match &self.backend {
            Backend::Local(l) => {
                let l = l.clone();
                self.run(async move { l.transfer(src, dst, remove_source).await }).await?
            }
            Backend::S3(s) => {
                let s = s.clone();
                self.run(async move { s.transfer(src, dst, remove_source).await }).await?
            }
        };
        let at = SystemTime::now();
        let mut events = vec![StorageEvent { kind: EventKind::Uploaded, bucket: bucket.to_owned(), path: info.path.clone(), size: info.size, content_type: Some(info.content_type.clone()), at }];
        if remove_source {
            events.push(deleted(bucket, old.path, old.size, Some(old.content_type), at));
        }
        self.record(events).await?;
        Ok(info)
    }

    fn check_expiry(&self, secs: u64) -> Result<Duration, StorageError> {
        if secs == 0 || secs > MAX_SIGNED_URL_EXPIRY.as_secs() {
            return Err(StorageError::InvalidExpiry(format!("expiresIn must be a whole number of seconds from 1 to {} (7 days), got {secs}", MAX_SIGNED_URL_EXPIRY.as_secs())));
        }
        Ok(Duration::from_secs(secs))
    }

    /// A URL that lets its holder GET the object for `expires_in` seconds (1 to 7 days).
    /// `download`: `Some("")` serves it as an attachment under its own name, `Some(name)` under
    /// `name`. `object_not_found` when there is no such object.
    pub async fn signed_url(&self, bucket: &str, path: &str, expires_in: u64, download: Option<&str>) -> Result<String, StorageError> {
        self.signed_url_at(bucket, path, expires_in, download, SystemTime::now()).await
    }

    /// [`Storage::signed_url`] as if signed at `now` (the local backend; S3 signs with its clock).
    pub async fn signed_url_at(&self, bucket: &str, path: &str, expires_in: u64, download: Option<&str>, now: SystemTime) -> Result<String, StorageError> {
        let loc = self.loc(bucket, path)?;
        let ttl = self.check_expiry(expires_in)?;
        if let Some(d) = download {
            path::check_download_name(d)?;
        }
        let info = self.info(bucket, path).await?;
        match &self.backend {
            Backend::Local(_) => {
                let exp = signing::unix_secs(now) + ttl.as_secs();
                Ok(self.local_url(signing::SignedKind::Download, &loc, exp, download))
            }
            Backend::S3(s) => {
                let s = s.clone();
                let filename = download.map(|d| if d.is_empty() { file_name(&info.path).to_owned() } else { d.to_owned() });
                self.run(async move { s.sign(&loc, false, ttl, filename.as_deref()).await }).await
            }
        }
    }

    fn local_url(&self, kind: signing::SignedKind, loc: &Loc, exp: u64, download: Option<&str>) -> String {
        let signer = self.signer.as_ref().expect("the local backend has a signer");
        let q = signer.query(kind, &loc.bucket, &loc.path, exp, download);
        let route = match kind {
            signing::SignedKind::Download => signing::SIGN_PREFIX,
            signing::SignedKind::Upload => signing::UPLOAD_SIGN_PREFIX,
        };
        format!("{}{route}{}/{}?{q}", self.base_url().trim_end_matches('/'), path::encode_path(&loc.bucket), path::encode_path(&loc.path))
    }

    /// A URL that lets its holder PUT one object at `path` until
    /// [`StorageConfig::signed_upload_expiry`] (default 2 h) has passed.
    pub async fn signed_upload_url(&self, bucket: &str, path: &str) -> Result<SignedUpload, StorageError> {
        self.signed_upload_url_at(bucket, path, SystemTime::now()).await
    }

    pub async fn signed_upload_url_at(&self, bucket: &str, path: &str, now: SystemTime) -> Result<SignedUpload, StorageError> {
        let loc = self.loc(bucket, path)?;
        let ttl = self.cfg.signed_upload_expiry;
        let url = match &self.backend {
            Backend::Local(_) => self.local_url(signing::SignedKind::Upload, &loc, signing::unix_secs(now) + ttl.as_secs(), None),
            Backend::S3(s) => {
                let s = s.clone();
                self.run(async move { s.sign(&loc, true, ttl, None).await }).await?
            }
        };
        let token = url.split_once('?').map(|(_, q)| q.to_owned()).unwrap_or_default();
        Ok(SignedUpload { url, token })
    }

    /// Checks a request to a signed route (see [`parse_route`]): its method (`GET`/`HEAD` for
    /// downloads, `PUT` for uploads), bucket, decoded path and raw query string. Refuses any
    /// change with `signature_invalid`, and a URL at or past its expiry second with
    /// `signature_expired`.
    pub fn verify(&self, method: &str, bucket: &str, path: &str, query: &str) -> Result<SignedAccess, StorageError> {
        self.verify_at(method, bucket, path, query, SystemTime::now())
    }

    pub fn verify_at(&self, method: &str, bucket: &str, p: &str, query: &str, now: SystemTime) -> Result<SignedAccess, StorageError> {
        let signer = self.signer.as_ref().ok_or(StorageError::SignatureInvalid)?;
        let access = signer.verify(method, bucket, p, query, now)?;
        self.loc(bucket, p)?;
        Ok(access)
    }

    /// Replaces the signing key: every signed URL handed out before is refused from now on;
    /// no object is touched. On S3, presigned URLs are bound to the access key: rotate that at
    /// the provider instead (`not_supported`).
    pub fn rotate_key(&self) -> Result<(), StorageError> {
        match &self.signer {
            Some(s) => s.rotate(),
            None => Err(StorageError::NotSupported("S3 presigned URLs are signed with the S3 access key; rotate the access key to revoke them".into())),
        }
    }

    /// The public URL of an object of a public bucket (no I/O; the object need not exist yet).
    pub fn public_url(&self, bucket: &str, path: &str) -> Result<String, StorageError> {
        let loc = self.loc(bucket, path)?;
        self.check_public(bucket)?;
        let own;
        let base = match self.cfg.public_base_url.as_deref() {
            Some(b) => b,
            None => {
                own = self.base_url();
                &own
            }
        };
        Ok(format!("{}{}{}/{}", base.trim_end_matches('/'), signing::PUBLIC_PREFIX, path::encode_path(&loc.bucket), path::encode_path(&loc.path)))
    }

    /// `Ok` when `bucket` is declared and public (for serving `/storage/v1/object/public/…`).
    pub fn check_public(&self, bucket: &str) -> Result<(), StorageError> {
        if !self.bucket(bucket)?.public {
            return Err(StorageError::BucketNotPublic(bucket.to_owned()));
        }
        Ok(())
    }
}

fn deleted(bucket: &str, path: String, size: u64, content_type: Option<String>, at: SystemTime) -> StorageEvent {
    StorageEvent { kind: EventKind::Deleted, bucket: bucket.to_owned(), path, size, content_type, at }
}

fn file_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// What an upload publishes.
pub(crate) struct PutSpec {
    pub loc: Loc,
    pub content_type: String,
    pub cache_control: Option<String>,
    pub upsert: bool,
    pub limit: Option<u64>,
}

fn check_config(cfg: &StorageConfig) -> Result<(), StorageError> {
    path::check_prefix(&cfg.prefix).map_err(StorageError::Config)?;
    for (name, b) in &cfg.buckets {
        path::check_bucket_name(name).map_err(StorageError::Config)?;
        for p in &b.allowed_content_types {
            path::check_pattern(p).map_err(|e| StorageError::Config(format!("bucket {name:?}: {e}")))?;
        }
    }
    if !(cfg.base_url.starts_with("http://") || cfg.base_url.starts_with("https://")) {
        return Err(StorageError::Config(format!("storage base URL {:?} must start with http:// or https://", cfg.base_url)));
    }
    if cfg.signed_upload_expiry.is_zero() || cfg.signed_upload_expiry > MAX_SIGNED_URL_EXPIRY {
        return Err(StorageError::Config("the signed upload URL expiry must be between 1 s and 7 days".into()));
    }
    Ok(())
}
