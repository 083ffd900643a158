//! The S3-compatible backend (`object_store`'s `AmazonS3`).
//!
//! Keys: `<prefix>/<bucket>/<path>` in the one S3 bucket of [`S3Config::bucket`]. Metadata is
//! S3's own: `Content-Type` and `Cache-Control` set at upload, `ETag` and `Last-Modified` as S3
//! reports them.
//!
//! Uploads: a body that fits in one part (8 MiB) is one `PUT` (`If-None-Match: *` without
//! upsert, so "no overwrite" is atomic); a longer stream is a multipart upload of 8 MiB parts,
//! at most two in flight (about 24 MiB of memory), aborted when the stream fails or passes the
//! bucket's limit, so no object appears. Without upsert a multipart upload checks that the key is
//! free before it starts and before it completes (S3 offers no conditional complete here: a
//! concurrent writer may still win in between).
//!
//! `list` is S3's (UTF-8 byte order, `start-after` = the cursor) plus one `HEAD` per item for its
//! content type (at most [`MAX_LIST_LIMIT`](crate::MAX_LIST_LIMIT), 16 at a time).

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt, stream};
use object_store::{
    Attribute, AttributeValue, Attributes, ClientOptions, GetOptions, GetRange, ObjectMeta, ObjectStore, ObjectStoreExt, PutMode, PutMultipartOptions, PutOptions, PutPayload, RetryConfig, WriteMultipart,
    aws::{AmazonS3, AmazonS3Builder},
    path::Path as StorePath,
    signer::{Method, SignedUrlOptions, Signer},
};

use crate::{ByteRange, ByteStream, ListPage, Loc, ObjectInfo, PutSpec, S3Config, StorageError, error::store as store_err, stream::Body};

/// Part size of multipart uploads (S3's minimum is 5 MiB; 10 000 parts make 78 GiB).
const PART: usize = 8 * 1024 * 1024;
/// Parts uploading at once.
const PARTS_IN_FLIGHT: usize = 2;
/// Concurrent `HEAD`s of a list page or a removal.
const HEADS: usize = 16;

pub(crate) struct S3 {
    store: Arc<AmazonS3>,
    prefix: String,
}

fn quoted(etag: Option<String>) -> String {
    match etag {
        Some(e) if e.starts_with('"') || e.starts_with("W/") => e,
        Some(e) => format!("\"{e}\""),
        None => "\"\"".into(),
    }
}

fn info(path: &str, meta: &ObjectMeta, attrs: &Attributes) -> ObjectInfo {
    ObjectInfo {
        path: path.to_owned(),
        size: meta.size,
        content_type: attrs.get(&Attribute::ContentType).map(|v| v.to_string()).unwrap_or_else(|| "application/octet-stream".into()),
        etag: quoted(meta.e_tag.clone()),
        last_modified: meta.last_modified.into(),
        cache_control: attrs.get(&Attribute::CacheControl).map(|v| v.to_string()),
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266), the ASCII form with `_` for others.
pub(crate) fn content_disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii() && !c.is_ascii_control() { c } else { '_' }).collect();
    let enc = crate::path::encode_path(name);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{enc}")
}

impl S3 {
    pub(crate) fn new(cfg: &S3Config, prefix: &str) -> Result<S3, StorageError> {
        if cfg.bucket.is_empty() || cfg.region.is_empty() {
            return Err(StorageError::Config("S3 storage needs a bucket and a region".into()));
        }
        let mut b = if cfg.access_key_id.is_some() { AmazonS3Builder::new() } else { AmazonS3Builder::from_env() };
        b = b
            .with_bucket_name(&cfg.bucket)
            .with_region(&cfg.region)
            .with_virtual_hosted_style_request(cfg.virtual_hosted_style)
            .with_allow_http(cfg.allow_http)
            .with_client_options(ClientOptions::new().with_allow_http(cfg.allow_http).with_timeout(cfg.timeout.unwrap_or(Duration::from_secs(30))).with_connect_timeout(cfg.connect_timeout.unwrap_or(Duration::from_secs(5))))
            .with_retry(RetryConfig { max_retries: 3, retry_timeout: Duration::from_secs(15), ..Default::default() });
        if let Some(ep) = &cfg.endpoint {
            b = b.with_endpoint(ep);
        }
        if let Some(k) = &cfg.access_key_id {
            b = b.with_access_key_id(k).with_secret_access_key(cfg.secret_access_key.clone().unwrap_or_default());
            if let Some(t) = &cfg.session_token {
                b = b.with_token(t);
            }
        }
        let store = b.build().map_err(|e| StorageError::Config(format!("S3 storage: {e}")))?;
        Ok(S3 { store: Arc::new(store), prefix: prefix.to_owned() })
    }

    fn key(&self, bucket: &str, path: &str) -> Result<StorePath, StorageError> {
        let k = if path.is_empty() { format!("{}/{bucket}", self.prefix) } else { format!("{}/{bucket}/{path}", self.prefix) };
        StorePath::parse(&k).map_err(|e| StorageError::InvalidPath(e.to_string()))
    }

    fn name<'a>(&self, bucket: &str, location: &'a StorePath) -> Option<&'a str> {
        location.as_ref().strip_prefix(self.prefix.as_str())?.strip_prefix('/')?.strip_prefix(bucket)?.strip_prefix('/')
    }

    pub(crate) async fn head(&self, loc: &Loc) -> Result<Option<ObjectInfo>, StorageError> {
        let key = self.key(&loc.bucket, &loc.path)?;
        match self.store.get_opts(&key, GetOptions::default().with_head(true)).await {
            Ok(r) => Ok(Some(info(&loc.path, &r.meta, &r.attributes))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(store_err(&loc.bucket, &loc.path, e)),
        }
    }

    async fn ensure_absent(&self, loc: &Loc) -> Result<(), StorageError> {
        if self.head(loc).await?.is_some() {
            return Err(StorageError::AlreadyExists { bucket: loc.bucket.clone(), path: loc.path.clone() });
        }
        Ok(())
    }

    pub(crate) async fn put(&self, spec: PutSpec, mut body: Body) -> Result<ObjectInfo, StorageError> {
        let loc = &spec.loc;
        let key = self.key(&loc.bucket, &loc.path)?;
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, AttributeValue::from(spec.content_type.clone()));
        if let Some(cc) = &spec.cache_control {
            attributes.insert(Attribute::CacheControl, AttributeValue::from(cc.clone()));
        }
        let over = |size: u64| spec.limit.filter(|l| size > *l);
        // Gather up to one part: most uploads end here and become a single PUT.
        let mut first: Vec<Bytes> = Vec::new();
        let mut size: u64 = 0;
        let mut ended = false;
        while size < PART as u64 {
            match body.next_chunk().await {
                Some(c) => {
                    let c = c?;
                    size += c.len() as u64;
                    if let Some(limit) = over(size) {
                        return Err(StorageError::PayloadTooLarge { limit });
                    }
                    first.push(c);
                }
                None => {
                    ended = true;
                    break;
                }
            }
        }
        if ended {
            let mode = if spec.upsert { PutMode::Overwrite } else { PutMode::Create };
            let opts = PutOptions { mode, attributes, ..Default::default() };
            let r = self.store.put_opts(&key, PutPayload::from_iter(first), opts).await.map_err(|e| store_err(&loc.bucket, &loc.path, e))?;
            return Ok(self.published(&spec, size, r.e_tag));
        }
        if !spec.upsert {
            self.ensure_absent(loc).await?;
        }
        let upload = self.store.put_multipart_opts(&key, PutMultipartOptions { attributes, ..Default::default() }).await.map_err(|e| store_err(&loc.bucket, &loc.path, e))?;
        let mut w = WriteMultipart::new_with_chunk_size(upload, PART);
        for c in first {
            w.put(c);
        }
        let failed = loop {
            if let Err(e) = w.wait_for_capacity(PARTS_IN_FLIGHT).await {
                break store_err(&loc.bucket, &loc.path, e);
            }
            match body.next_chunk().await {
                Some(Ok(c)) => {
                    size += c.len() as u64;
                    if let Some(limit) = over(size) {
                        break StorageError::PayloadTooLarge { limit };
                    }
                    w.put(c);
                }
                Some(Err(e)) => break e,
                None => {
                    if !spec.upsert
                        && let Err(e) = self.ensure_absent(loc).await
                    {
                        break e;
                    }
                    let r = w.finish().await.map_err(|e| store_err(&loc.bucket, &loc.path, e))?;
                    return Ok(self.published(&spec, size, r.e_tag));
                }
            }
        };
        if let Err(e) = w.abort().await {
            tracing::warn!(target: "palbase::storage", error = %e, "aborting a multipart upload failed (a lifecycle rule cleans it)");
        }
        Err(failed)
    }

    fn published(&self, spec: &PutSpec, size: u64, etag: Option<String>) -> ObjectInfo {
        ObjectInfo { path: spec.loc.path.clone(), size, content_type: spec.content_type.clone(), etag: quoted(etag), last_modified: std::time::SystemTime::now(), cache_control: spec.cache_control.clone() }
    }

    pub(crate) async fn get(&self, loc: Loc, range: Option<ByteRange>) -> Result<(ObjectInfo, ByteStream), StorageError> {
        let key = self.key(&loc.bucket, &loc.path)?;
        let get_range = range.map(|r| match r {
            ByteRange::FromTo { start, end } => GetRange::Bounded(start..end),
            ByteRange::From(s) => GetRange::Offset(s),
            ByteRange::Suffix(n) => GetRange::Suffix(n),
        });
        let r = match self.store.get_opts(&key, GetOptions::default().with_range(get_range)).await {
            Ok(r) => r,
            Err(object_store::Error::NotFound { .. }) => return Err(StorageError::ObjectNotFound { bucket: loc.bucket, path: loc.path }),
            Err(e) => {
                // A refused range: say so precisely when the object exists.
                if let Some(range) = range
                    && let Ok(Some(i)) = self.head(&loc).await
                {
                    range.resolve(i.size)?;
                }
                return Err(store_err(&loc.bucket, &loc.path, e));
            }
        };
        let meta = info(&loc.path, &r.meta, &r.attributes);
        let (tx, out) = ByteStream::channel(r.range.clone());
        let mut s = r.into_stream();
        tokio::spawn(async move {
            while let Some(c) = s.next().await {
                let item = c.map_err(|e| StorageError::Unavailable(format!("S3 download: {e}")));
                let stop = item.is_err();
                if tx.send(item).await.is_err() || stop {
                    return;
                }
            }
        });
        Ok((meta, out))
    }

    pub(crate) async fn delete(&self, bucket: &str, locs: Vec<Loc>) -> Result<Vec<ObjectInfo>, StorageError> {
        let found: Vec<ObjectInfo> = stream::iter(locs.into_iter().map(|l| async move { self.head(&l).await })).buffered(HEADS).try_filter_map(|x| async move { Ok(x) }).try_collect().await?;
        let keys = found.iter().map(|i| self.key(bucket, &i.path)).collect::<Result<Vec<_>, _>>()?;
        self.delete_keys(bucket, keys).await?;
        Ok(found)
    }

    async fn delete_keys(&self, bucket: &str, keys: Vec<StorePath>) -> Result<(), StorageError> {
        if keys.is_empty() {
            return Ok(());
        }
        let s = stream::iter(keys.into_iter().map(Ok)).boxed();
        self.store.delete_stream(s).try_collect::<Vec<_>>().await.map_err(|e| store_err(bucket, "", e))?;
        Ok(())
    }

    /// Removes everything under `folder`; the paths and sizes removed.
    pub(crate) async fn delete_prefix(&self, bucket: &str, folder: &str) -> Result<Vec<(String, u64)>, StorageError> {
        let p = self.key(bucket, folder)?;
        let metas: Vec<ObjectMeta> = self.store.list(Some(&p)).try_collect().await.map_err(|e| store_err(bucket, folder, e))?;
        let mut out = Vec::with_capacity(metas.len());
        let mut keys = Vec::with_capacity(metas.len());
        for m in metas {
            if let Some(n) = self.name(bucket, &m.location) {
                out.push((n.to_owned(), m.size));
                keys.push(m.location.clone());
            }
        }
        self.delete_keys(bucket, keys).await?;
        Ok(out)
    }

    pub(crate) async fn list(&self, bucket: &str, folder: &str, cursor: Option<String>, limit: usize) -> Result<ListPage, StorageError> {
        let p = self.key(bucket, folder)?;
        let listing = match &cursor {
            Some(c) => self.store.list_with_offset(Some(&p), &self.key(bucket, c)?),
            None => self.store.list(Some(&p)),
        };
        let metas: Vec<ObjectMeta> = listing.take(limit + 1).try_collect().await.map_err(|e| store_err(bucket, folder, e))?;
        let more = metas.len() > limit;
        let names: Vec<String> = metas.iter().take(limit).filter_map(|m| self.name(bucket, &m.location).map(str::to_owned)).collect();
        let next_cursor = if more { names.last().cloned() } else { None };
        let items: Vec<Option<ObjectInfo>> = stream::iter(names.into_iter().map(|path| async move { self.head(&Loc { bucket: bucket.to_owned(), path }).await })).buffered(HEADS).try_collect().await?;
        Ok(ListPage { items: items.into_iter().flatten().collect(), next_cursor })
    }

    pub(crate) async fn transfer(&self, src: Loc, dst: Loc, remove_source: bool) -> Result<(ObjectInfo, ObjectInfo), StorageError> {
        let Some(old) = self.head(&src).await? else {
            return Err(StorageError::ObjectNotFound { bucket: src.bucket, path: src.path });
        };
        self.ensure_absent(&dst).await?;
        let (from, to) = (self.key(&src.bucket, &src.path)?, self.key(&dst.bucket, &dst.path)?);
        self.store.copy(&from, &to).await.map_err(|e| store_err(&src.bucket, &src.path, e))?;
        if remove_source {
            self.store.delete(&from).await.map_err(|e| store_err(&src.bucket, &src.path, e))?;
        }
        let new = self.head(&dst).await?.ok_or_else(|| StorageError::ObjectNotFound { bucket: dst.bucket.clone(), path: dst.path.clone() })?;
        Ok((old, new))
    }

    /// A presigned GET (with `response-content-disposition` for a download name) or PUT URL.
    pub(crate) async fn sign(&self, loc: &Loc, put: bool, ttl: Duration, download: Option<&str>) -> Result<String, StorageError> {
        let key = self.key(&loc.bucket, &loc.path)?;
        let mut opts = SignedUrlOptions::default();
        if let Some(name) = download {
            opts = opts.with_query([("response-content-disposition", content_disposition(name))]);
        }
        let method = if put { Method::PUT } else { Method::GET };
        let url = self.store.signed_url_opts(method, &key, ttl, &opts).await.map_err(|e| store_err(&loc.bucket, &loc.path, e))?;
        Ok(url.to_string())
    }
}
