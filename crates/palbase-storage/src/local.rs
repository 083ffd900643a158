//! The local filesystem backend.
//!
//! Layout under the data directory (`<prefix>` is the project namespace):
//!
//! ```text
//! signing.key                              HMAC key of signed URLs (0600)
//! objects/<prefix>/<bucket>/<path>         the object's bytes, as uploaded
//! meta/<prefix>/<bucket>/<path>            its sidecar: JSON {v, contentType, size, etag,
//!                                          cacheControl, updatedMs, ino}
//! tmp/<uuid>, tmp/<uuid>.meta              uploads being written
//! ```
//!
//! Publishing an upload: the body streams into `tmp/<uuid>` (counted against the limit, MD5 for
//! the ETag), is fsynced, then, under the path's lock, linked into place (`link(2)`: fails when
//! the object exists, so "no upsert" is atomic) or renamed over the old object (upsert), then the
//! sidecar is renamed into place and both directories fsynced. `tmp/` is inside the data
//! directory, so rename stays on one filesystem. A crash leaves the old object or the new one
//! whole, never a part; leftovers in `tmp/` older than a day are removed at start.
//!
//! The sidecar records the inode of the bytes it describes. A reader checks it: should a crash
//! fall between the two renames, the sidecar does not match and the object is served with
//! metadata read from the file (content type from the extension, a weak ETag) until rewritten.
//!
//! `a` and `a/b` cannot both exist on a filesystem: the second is `path_conflict` (409). S3
//! allows both; code that works here works there.
//!
//! One process per data directory: locks are in-process (64 stripes hashed by bucket and path).

use std::{
    collections::hash_map::DefaultHasher,
    fs,
    hash::{Hash, Hasher},
    io::{self, ErrorKind, Read, Seek, SeekFrom, Write},
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use bytes::BytesMut;
use md5::{Digest, Md5};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{
    ByteRange, ByteStream, ListPage, Loc, ObjectInfo, PutSpec, StorageError,
    error::io as io_err,
    path::guess_content_type,
    stream::{Body, CHUNK},
};

const STRIPES: usize = 64;

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sidecar {
    v: u32,
    content_type: String,
    size: u64,
    etag: String,
    #[serde(default)]
    cache_control: Option<String>,
    updated_ms: u64,
    ino: u64,
}

pub(crate) struct Local {
    objects: PathBuf,
    meta: PathBuf,
    tmp: PathBuf,
    locks: Vec<RwLock<()>>,
}

fn ino(md: &fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::ino(md)
    }
    #[cfg(not(unix))]
    {
        let _ = md;
        0
    }
}

fn millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn sync_dir(p: &Path) {
    if let Ok(f) = fs::File::open(p) {
        let _ = f.sync_all();
    }
}

fn is_missing(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory)
}

/// Removes its files on drop unless disarmed.
struct TmpFiles(Vec<PathBuf>);

impl Drop for TmpFiles {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = fs::remove_file(p);
        }
    }
}

impl Local {
    pub(crate) fn open<'a>(dir: &Path, prefix: &str, buckets: impl Iterator<Item = &'a String>) -> Result<Local, StorageError> {
        let l = Local { objects: dir.join("objects").join(prefix), meta: dir.join("meta").join(prefix), tmp: dir.join("tmp"), locks: (0..STRIPES).map(|_| RwLock::new(())).collect() };
        let mk = |p: &Path| fs::create_dir_all(p).map_err(|e| StorageError::Config(format!("cannot create {}: {e}", p.display())));
        mk(&l.tmp)?;
        for b in buckets {
            mk(&l.objects.join(b))?;
            mk(&l.meta.join(b))?;
        }
        // Leftovers of uploads that never finished (a crash): anything older than a day.
        if let Ok(rd) = fs::read_dir(&l.tmp) {
            for e in rd.flatten() {
                let old = e.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok()).is_some_and(|age| age > Duration::from_secs(86_400));
                if old {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        Ok(l)
    }

    fn data_path(&self, loc: &Loc) -> PathBuf {
        self.objects.join(&loc.bucket).join(&loc.path)
    }

    fn meta_path(&self, loc: &Loc) -> PathBuf {
        self.meta.join(&loc.bucket).join(&loc.path)
    }

    fn stripe(&self, loc: &Loc) -> usize {
        let mut h = DefaultHasher::new();
        (&loc.bucket, &loc.path).hash(&mut h);
        (h.finish() % STRIPES as u64) as usize
    }

    fn conflict(loc: &Loc) -> StorageError {
        StorageError::PathConflict { bucket: loc.bucket.clone(), path: loc.path.clone() }
    }

    /// The open object and its metadata, consistent with each other (taken under the read lock).
    fn open_object(&self, loc: &Loc) -> Result<Option<(fs::File, ObjectInfo)>, StorageError> {
        let _g = self.locks[self.stripe(loc)].read().unwrap_or_else(|p| p.into_inner());
        let f = match fs::File::open(self.data_path(loc)) {
            Ok(f) => f,
            Err(e) if is_missing(&e) => return Ok(None),
            Err(e) => return Err(io_err("opening an object", e)),
        };
        let md = f.metadata().map_err(|e| io_err("reading an object's metadata", e))?;
        if !md.is_file() {
            return Ok(None);
        }
        let side = fs::read(self.meta_path(loc)).ok().and_then(|b| serde_json::from_slice::<Sidecar>(&b).ok());
        let info = match side {
            Some(s) if s.ino == ino(&md) && s.size == md.len() => {
                ObjectInfo { path: loc.path.clone(), size: s.size, content_type: s.content_type, etag: s.etag, last_modified: UNIX_EPOCH + Duration::from_millis(s.updated_ms), cache_control: s.cache_control }
            }
            _ => {
                // No sidecar, or one of another version of the bytes (a crash between renames).
                let mtime = md.modified().unwrap_or(UNIX_EPOCH);
                ObjectInfo {
                    path: loc.path.clone(),
                    size: md.len(),
                    content_type: guess_content_type(&loc.path).to_owned(),
                    etag: format!("W/\"{:x}-{:x}-{:x}\"", ino(&md), md.len(), millis(mtime)),
                    last_modified: mtime,
                    cache_control: None,
                }
            }
        };
        Ok(Some((f, info)))
    }

    pub(crate) async fn head(self: &Arc<Self>, loc: &Loc) -> Result<Option<ObjectInfo>, StorageError> {
        let (this, loc) = (self.clone(), loc.clone());
        blocking(move || Ok(this.open_object(&loc)?.map(|(_, i)| i))).await
    }

    pub(crate) async fn put(self: &Arc<Self>, spec: PutSpec, mut body: Body) -> Result<ObjectInfo, StorageError> {
        let tmp = self.tmp.join(uuid::Uuid::new_v4().simple().to_string());
        let guard = TmpFiles(vec![tmp.clone()]);
        let mut f = tokio::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).await.map_err(|e| io_err("creating an upload file", e))?;
        let mut md5 = Md5::new();
        let mut size: u64 = 0;
        while let Some(chunk) = body.next_chunk().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            if let Some(limit) = spec.limit
                && size > limit
            {
                return Err(StorageError::PayloadTooLarge { limit });
            }
            md5.update(&chunk);
            f.write_all(&chunk).await.map_err(|e| io_err("writing an upload", e))?;
        }
        f.flush().await.map_err(|e| io_err("writing an upload", e))?;
        f.sync_all().await.map_err(|e| io_err("syncing an upload", e))?;
        drop(f);
        let etag = format!("\"{}\"", hex(&md5.finalize()));
        let this = self.clone();
        blocking(move || {
            let _guard = guard; // removes the temp file once linked (no upsert) or after a failure
            this.publish(&spec.loc, &tmp, size, etag, spec.content_type, spec.cache_control, spec.upsert)
        })
        .await
    }

    /// Creates the parent folders of `p`; a file in the way is a conflict.
    fn ensure_parent(p: &Path, loc: &Loc) -> Result<(), StorageError> {
        let parent = p.parent().expect("object paths have a parent");
        match fs::create_dir_all(parent) {
            Ok(()) => Ok(()),
            Err(e) if matches!(e.kind(), ErrorKind::NotADirectory | ErrorKind::AlreadyExists) => Err(Self::conflict(loc)),
            Err(e) => Err(io_err("creating folders", e)),
        }
    }

    /// The sidecar tree mirrors the objects tree, so once the object's folders exist a file in
    /// the way of its sidecar's folders is an orphan (a crash during a delete): removed.
    fn ensure_meta_parent(&self, loc: &Loc) -> Result<(), StorageError> {
        let m = self.meta_path(loc);
        if Self::ensure_parent(&m, loc).is_ok() {
            return Ok(());
        }
        let root = self.meta.join(&loc.bucket);
        let mut cur = m.parent();
        while let Some(dir) = cur {
            if dir == root {
                break;
            }
            if fs::symlink_metadata(dir).is_ok_and(|md| md.is_file()) {
                let _ = fs::remove_file(dir);
            }
            cur = dir.parent();
        }
        Self::ensure_parent(&m, loc)
    }

    fn write_sidecar(&self, side: &Sidecar) -> Result<PathBuf, StorageError> {
        let p = self.tmp.join(format!("{}.meta", uuid::Uuid::new_v4().simple()));
        let r = (|| {
            let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&p)?;
            f.write_all(&serde_json::to_vec(side).map_err(io::Error::other)?)?;
            f.sync_all()
        })();
        if let Err(e) = r {
            let _ = fs::remove_file(&p);
            return Err(io_err("writing a sidecar", e));
        }
        Ok(p)
    }

    /// Puts the finished file `tmp` in place as `loc` with its sidecar (see the module docs).
    #[allow(clippy::too_many_arguments)]
    fn publish(&self, loc: &Loc, tmp: &Path, size: u64, etag: String, content_type: String, cache_control: Option<String>, upsert: bool) -> Result<ObjectInfo, StorageError> {
        let md = fs::metadata(tmp).map_err(|e| io_err("reading an upload", e))?;
        let now = SystemTime::now();
        let side = Sidecar { v: 1, content_type, size, etag, cache_control, updated_ms: millis(now), ino: ino(&md) };
        let side_tmp = self.write_sidecar(&side)?;
        let _side_guard = TmpFiles(vec![side_tmp.clone()]);
        let (data, meta) = (self.data_path(loc), self.meta_path(loc));
        let _g = self.locks[self.stripe(loc)].write().unwrap_or_else(|p| p.into_inner());
        let mut attempt = 0;
        loop {
            attempt += 1;
            Self::ensure_parent(&data, loc)?;
            self.ensure_meta_parent(loc)?;
            let placed = if upsert { fs::rename(tmp, &data) } else { fs::hard_link(tmp, &data) };
            match placed {
                Ok(()) => break,
                // A folder emptied by a concurrent delete was pruned between the two steps.
                Err(e) if e.kind() == ErrorKind::NotFound && attempt < 4 => continue,
                Err(e) if data.is_dir() || matches!(e.kind(), ErrorKind::IsADirectory | ErrorKind::DirectoryNotEmpty) => return Err(Self::conflict(loc)),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    return Err(StorageError::AlreadyExists { bucket: loc.bucket.clone(), path: loc.path.clone() });
                }
                Err(e) => return Err(io_err("publishing an upload", e)),
            }
        }
        if let Err(e) = fs::rename(&side_tmp, &meta) {
            // The bytes are published; readers fall back to metadata from the file.
            tracing::error!(target: "palbase::storage", path = %meta.display(), error = %e, "writing a sidecar failed");
        }
        if let Some(p) = data.parent() {
            sync_dir(p);
        }
        if let Some(p) = meta.parent() {
            sync_dir(p);
        }
        Ok(ObjectInfo { path: loc.path.clone(), size, content_type: side.content_type, etag: side.etag, last_modified: UNIX_EPOCH + Duration::from_millis(side.updated_ms), cache_control: side.cache_control })
    }

    pub(crate) async fn get(self: &Arc<Self>, loc: Loc, range: Option<ByteRange>) -> Result<(ObjectInfo, ByteStream), StorageError> {
        let this = self.clone();
        let (file, info, span) = blocking(move || {
            let Some((mut f, info)) = this.open_object(&loc)? else {
                return Err(StorageError::ObjectNotFound { bucket: loc.bucket, path: loc.path });
            };
            let span = match range {
                Some(r) => r.resolve(info.size)?,
                None => 0..info.size,
            };
            f.seek(SeekFrom::Start(span.start)).map_err(|e| io_err("reading an object", e))?;
            Ok((f, info, span))
        })
        .await?;
        let (tx, stream) = ByteStream::channel(span.clone());
        tokio::spawn(async move {
            let mut f = tokio::fs::File::from_std(file);
            let mut left = span.end - span.start;
            while left > 0 {
                let mut buf = BytesMut::with_capacity(CHUNK.min(left as usize));
                match f.read_buf(&mut buf).await {
                    Ok(0) => {
                        let _ = tx.send(Err(StorageError::Unavailable("the object was shorter than its size".into()))).await;
                        return;
                    }
                    Ok(n) => {
                        left -= n as u64;
                        if tx.send(Ok(buf.freeze())).await.is_err() {
                            return; // the reader went away
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(io_err("reading an object", e))).await;
                        return;
                    }
                }
            }
        });
        Ok((info, stream))
    }

    /// Removes the object's files (bytes first: once they are gone the object is) and the
    /// folders left empty. `None` when there was no object.
    fn remove_one(&self, loc: &Loc) -> Result<Option<ObjectInfo>, StorageError> {
        let info = match self.open_object(loc)? {
            Some((_, i)) => i,
            None => return Ok(None),
        };
        let _g = self.locks[self.stripe(loc)].write().unwrap_or_else(|p| p.into_inner());
        let data = self.data_path(loc);
        match fs::remove_file(&data) {
            Ok(()) => {}
            Err(e) if is_missing(&e) => return Ok(None),
            Err(e) => return Err(io_err("removing an object", e)),
        }
        let _ = fs::remove_file(self.meta_path(loc));
        self.prune(loc);
        if let Some(p) = data.parent() {
            sync_dir(p);
        }
        Ok(Some(info))
    }

    /// Removes the empty folders above `loc`, up to its bucket.
    fn prune(&self, loc: &Loc) {
        for (root, p) in [(self.objects.join(&loc.bucket), self.data_path(loc)), (self.meta.join(&loc.bucket), self.meta_path(loc))] {
            let mut cur = p.parent();
            while let Some(dir) = cur {
                if dir == root || fs::remove_dir(dir).is_err() {
                    break;
                }
                cur = dir.parent();
            }
        }
    }

    pub(crate) async fn delete(self: &Arc<Self>, _bucket: &str, locs: Vec<Loc>) -> Result<Vec<ObjectInfo>, StorageError> {
        let this = self.clone();
        blocking(move || {
            let mut out = Vec::new();
            for l in &locs {
                if let Some(i) = this.remove_one(l)? {
                    out.push(i);
                }
            }
            Ok(out)
        })
        .await
    }

    pub(crate) async fn delete_prefix(self: &Arc<Self>, bucket: &str, folder: &str) -> Result<Vec<ObjectInfo>, StorageError> {
        let (this, bucket, folder) = (self.clone(), bucket.to_owned(), folder.to_owned());
        blocking(move || {
            let mut out = Vec::new();
            for path in this.walk(&bucket, &folder)? {
                if let Some(i) = this.remove_one(&Loc { bucket: bucket.clone(), path })? {
                    out.push(i);
                }
            }
            Ok(out)
        })
        .await
    }

    /// Every object path under `folder` (`""`: the bucket), unsorted.
    fn walk(&self, bucket: &str, folder: &str) -> Result<Vec<String>, StorageError> {
        let root = self.objects.join(bucket);
        let start = if folder.is_empty() { root.clone() } else { root.join(folder) };
        let mut out = Vec::new();
        let mut stack = vec![(start, folder.to_owned())];
        while let Some((dir, rel)) = stack.pop() {
            let rd = match fs::read_dir(&dir) {
                Ok(rd) => rd,
                Err(e) if is_missing(&e) => continue,
                Err(e) => return Err(io_err("listing a folder", e)),
            };
            for e in rd {
                let e = e.map_err(|e| io_err("listing a folder", e))?;
                let Ok(name) = e.file_name().into_string() else { continue };
                let Ok(ft) = e.file_type() else { continue };
                let key = if rel.is_empty() { name } else { format!("{rel}/{name}") };
                if ft.is_dir() {
                    stack.push((e.path(), key));
                } else if ft.is_file() {
                    out.push(key);
                }
            }
        }
        Ok(out)
    }

    pub(crate) async fn list(self: &Arc<Self>, bucket: &str, folder: &str, cursor: Option<String>, limit: usize) -> Result<ListPage, StorageError> {
        let (this, bucket, folder) = (self.clone(), bucket.to_owned(), folder.to_owned());
        blocking(move || {
            let mut keys = this.walk(&bucket, &folder)?;
            if let Some(c) = &cursor {
                keys.retain(|k| k.as_str() > c.as_str());
            }
            keys.sort_unstable();
            let more = keys.len() > limit;
            keys.truncate(limit);
            let next_cursor = if more { keys.last().cloned() } else { None };
            let mut items = Vec::with_capacity(keys.len());
            for path in keys {
                if let Some((_, info)) = this.open_object(&Loc { bucket: bucket.clone(), path })? {
                    items.push(info);
                }
            }
            Ok(ListPage { items, next_cursor })
        })
        .await
    }

    /// Copy or move `src` to `dst` (which must not exist). Returns the source's and the new
    /// object's metadata.
    pub(crate) async fn transfer(self: &Arc<Self>, src: Loc, dst: Loc, remove_source: bool) -> Result<(ObjectInfo, ObjectInfo), StorageError> {
        let this = self.clone();
        blocking(move || {
            let Some((mut f, old)) = this.open_object(&src)? else {
                return Err(StorageError::ObjectNotFound { bucket: src.bucket, path: src.path });
            };
            if remove_source {
                return this.rename(&src, &dst, old);
            }
            // Copy from the open file (its inode never changes: objects are replaced, not
            // rewritten), then publish like an upload.
            let tmp = this.tmp.join(uuid::Uuid::new_v4().simple().to_string());
            let _guard = TmpFiles(vec![tmp.clone()]);
            let r = (|| {
                let mut out = fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
                let n = io::copy(&mut (&mut f).take(old.size), &mut out)?;
                out.sync_all()?;
                Ok::<u64, io::Error>(n)
            })();
            let n = r.map_err(|e| io_err("copying an object", e))?;
            if n != old.size {
                return Err(StorageError::Unavailable("the source object changed during the copy".into()));
            }
            let new = this.publish(&dst, &tmp, old.size, old.etag.clone(), old.content_type.clone(), old.cache_control.clone(), false)?;
            Ok((old, new))
        })
        .await
    }

    fn rename(&self, src: &Loc, dst: &Loc, old: ObjectInfo) -> Result<(ObjectInfo, ObjectInfo), StorageError> {
        let (a, b) = (self.stripe(src), self.stripe(dst));
        let _g1 = self.locks[a.min(b)].write().unwrap_or_else(|p| p.into_inner());
        let _g2 = if a != b { Some(self.locks[a.max(b)].write().unwrap_or_else(|p| p.into_inner())) } else { None };
        let (sdata, ddata) = (self.data_path(src), self.data_path(dst));
        let md = match fs::metadata(&sdata) {
            Ok(m) if m.is_file() => m,
            _ => return Err(StorageError::ObjectNotFound { bucket: src.bucket.clone(), path: src.path.clone() }),
        };
        Self::ensure_parent(&ddata, dst)?;
        self.ensure_meta_parent(dst)?;
        // link + unlink: never replaces an existing object (a crash between leaves both).
        match fs::hard_link(&sdata, &ddata) {
            Ok(()) => {}
            Err(_) if ddata.is_dir() => return Err(Self::conflict(dst)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                return Err(StorageError::AlreadyExists { bucket: dst.bucket.clone(), path: dst.path.clone() });
            }
            Err(e) => return Err(io_err("moving an object", e)),
        }
        let now = SystemTime::now();
        let side = Sidecar { v: 1, content_type: old.content_type.clone(), size: old.size, etag: old.etag.clone(), cache_control: old.cache_control.clone(), updated_ms: millis(now), ino: ino(&md) };
        let side_tmp = self.write_sidecar(&side)?;
        let _guard = TmpFiles(vec![side_tmp.clone()]);
        if let Err(e) = fs::rename(&side_tmp, self.meta_path(dst)) {
            tracing::error!(target: "palbase::storage", error = %e, "writing a sidecar failed");
        }
        fs::remove_file(&sdata).map_err(|e| io_err("moving an object", e))?;
        let _ = fs::remove_file(self.meta_path(src));
        self.prune(src);
        for p in [ddata.parent(), sdata.parent()].into_iter().flatten() {
            sync_dir(p);
        }
        let new = ObjectInfo { path: dst.path.clone(), size: side.size, content_type: side.content_type, etag: side.etag, last_modified: UNIX_EPOCH + Duration::from_millis(side.updated_ms), cache_control: side.cache_control };
        Ok((old, new))
    }
}

async fn blocking<T, F>(f: F) -> Result<T, StorageError>
where
    F: FnOnce() -> Result<T, StorageError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|e| StorageError::Internal(format!("storage I/O task failed: {e}")))?
}
