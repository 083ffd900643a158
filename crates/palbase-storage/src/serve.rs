//! The runtime's object routes (`/storage/v1/object/…`, see [`parse_route`]) as HTTP:
//! conditional and ranged downloads of public and signed objects, and signed uploads.
//!
//! - `GET`/`HEAD` `public/<bucket>/<path>` (public buckets) and `sign/<bucket>/<path>?exp&sig`:
//!   `Content-Type`, `Content-Length`, `ETag`, `Last-Modified`, `Cache-Control` (the object's,
//!   else `no-cache`: revalidate by ETag), `Accept-Ranges: bytes`, one `Range` (206; several
//!   ranges answer the whole object, as RFC 9110 allows), `If-Range`, `If-None-Match` and
//!   `If-Modified-Since` (304), `Content-Disposition: attachment` when the URL was signed for
//!   download. Every answer carries `X-Content-Type-Options: nosniff` and
//!   `Content-Security-Policy: sandbox`, so an uploaded HTML or SVG file cannot run script in
//!   the runtime's origin.
//! - `PUT upload/sign/<bucket>/<path>?exp&sig&tok`: the body streams into the object (bucket
//!   limits apply as it arrives; signed uploads never overwrite). Answers `200 {path, size,
//!   contentType, etag}`.
//!
//! There are no listings: a path that names no object is `404 object_not_found`.

use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};

use crate::{Body, ByteRange, ByteStream, ObjectInfo, RouteKind, SignedAccess, Storage, StorageError, UploadOptions, parse_route};

/// What a route answers: nothing (HEAD, 304), a small JSON document, or the object's bytes.
pub enum Served {
    Empty,
    Json(Bytes),
    Stream(ByteStream),
}

/// A failed request: the error, and the headers its answer needs (`Content-Range` on a 416,
/// `Allow` on a 405).
#[derive(Debug)]
pub struct ServeError {
    pub error: StorageError,
    pub headers: HeaderMap,
}

impl From<StorageError> for ServeError {
    fn from(error: StorageError) -> Self {
        let mut headers = HeaderMap::new();
        match &error {
            StorageError::RangeNotSatisfiable { size } => put(&mut headers, header::CONTENT_RANGE, &format!("bytes */{size}")),
            StorageError::MethodNotAllowed(allow) => put(&mut headers, header::ALLOW, allow),
            _ => {}
        }
        ServeError { error, headers }
    }
}

fn method_not_allowed(allow: &'static str) -> ServeError {
    StorageError::MethodNotAllowed(allow).into()
}

/// Answers one request to a storage route: `path` is the URL path as sent (still
/// percent-encoded), `query` the raw query string (what signed URLs are checked against).
pub async fn serve(storage: &Storage, method: &Method, path: &str, query: &str, headers: &HeaderMap, body: Body) -> Result<Response<Served>, ServeError> {
    let route = match parse_route(path) {
        None => return Err(StorageError::ObjectNotFound { bucket: String::new(), path: path.to_owned() }.into()),
        Some(r) => r?,
    };
    let (bucket, path) = (route.bucket.as_str(), route.path.as_str());
    match route.kind {
        RouteKind::Public => {
            if !(method == Method::GET || method == Method::HEAD) {
                return Err(method_not_allowed("GET, HEAD"));
            }
            storage.check_public(bucket)?;
            download(storage, method, bucket, path, headers, None).await
        }
        RouteKind::SignedDownload => {
            if !(method == Method::GET || method == Method::HEAD) {
                return Err(method_not_allowed("GET, HEAD"));
            }
            let access = storage.verify(method.as_str(), bucket, path, query)?;
            download(storage, method, bucket, path, headers, Some(access)).await
        }
        RouteKind::SignedUpload => {
            if method != Method::PUT {
                return Err(method_not_allowed("PUT"));
            }
            storage.verify("PUT", bucket, path, query)?;
            let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let cache_control = headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let info = storage.upload(bucket, path, body, UploadOptions { content_type, upsert: false, cache_control }).await?;
            let json = serde_json::json!({ "path": info.path, "size": info.size, "contentType": info.content_type, "etag": info.etag });
            let mut r = Response::new(Served::Json(Bytes::from(json.to_string())));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Ok(r)
        }
    }
}

async fn download(storage: &Storage, method: &Method, bucket: &str, path: &str, headers: &HeaderMap, access: Option<SignedAccess>) -> Result<Response<Served>, ServeError> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let mut range = text(header::RANGE).and_then(parse_range);
    // If-Range: the range only if the object is still the one the client has.
    if range.is_some()
        && let Some(if_range) = text(header::IF_RANGE)
    {
        let info = storage.info(bucket, path).await?;
        if !if_range_matches(if_range, &info) {
            range = None;
        }
    }
    let (info, stream) = storage.download(bucket, path, range).await?;
    let mut r = Response::new(Served::Empty);
    let h = r.headers_mut();
    put(h, header::ETAG, &info.etag);
    put(h, header::LAST_MODIFIED, &httpdate::fmt_http_date(info.last_modified));
    put(h, header::CACHE_CONTROL, info.cache_control.as_deref().unwrap_or("no-cache"));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    if not_modified(headers, &info) {
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        return Ok(r);
    }
    let h = r.headers_mut();
    put(h, header::CONTENT_TYPE, &info.content_type);
    if let Some(name) = access.as_ref().and_then(|a| a.download.as_deref()) {
        let name = if name.is_empty() { path.rsplit('/').next().unwrap_or(path) } else { name };
        put(h, header::CONTENT_DISPOSITION, &attachment(name));
    }
    let bytes = stream.range();
    put(h, header::CONTENT_LENGTH, &(bytes.end - bytes.start).to_string());
    if range.is_some() {
        *r.status_mut() = StatusCode::PARTIAL_CONTENT;
        put(r.headers_mut(), header::CONTENT_RANGE, &format!("bytes {}-{}/{}", bytes.start, bytes.end - 1, info.size));
    }
    if method != Method::HEAD {
        *r.body_mut() = Served::Stream(stream);
    }
    Ok(r)
}

fn put(h: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}

/// `Range: bytes=a-b | a- | -n` (one range). Anything else, several ranges included, is
/// ignored: the whole object is served (RFC 9110 §14.2 lets a server ignore Range).
fn parse_range(v: &str) -> Option<ByteRange> {
    let spec = v.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let num = |s: &str| if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) { s.parse::<u64>().ok() } else { None };
    match (a.trim(), b.trim()) {
        ("", n) => num(n).map(ByteRange::Suffix),
        (s, "") => num(s).map(ByteRange::From),
        (s, e) => {
            let (s, e) = (num(s)?, num(e)?);
            // last < first is a syntactically invalid range: ignored.
            (e >= s).then(|| ByteRange::FromTo { start: s, end: e.saturating_add(1) })
        }
    }
}

fn if_range_matches(v: &str, info: &ObjectInfo) -> bool {
    let v = v.trim();
    if v.starts_with('"') {
        return v == info.etag;
    }
    // A date: only an exact match of a strong validator counts; ours are strong to the second.
    httpdate::parse_http_date(v).is_ok_and(|t| secs(t) == secs(info.last_modified))
}

/// RFC 9110 §13.2.2: If-None-Match decides when present; else If-Modified-Since.
fn not_modified(headers: &HeaderMap, info: &ObjectInfo) -> bool {
    if let Some(inm) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        let strip = |t: &str| t.trim().trim_start_matches("W/").to_owned();
        let ours = strip(&info.etag);
        return inm.split(',').any(|t| t.trim() == "*" || strip(t) == ours);
    }
    match headers.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()).and_then(|v| httpdate::parse_http_date(v).ok()) {
        Some(t) => secs(info.last_modified) <= secs(t),
        None => false,
    }
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266).
fn attachment(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9"), Some(ByteRange::FromTo { start: 0, end: 10 }));
        assert_eq!(parse_range("bytes=5-"), Some(ByteRange::From(5)));
        assert_eq!(parse_range("bytes=-5"), Some(ByteRange::Suffix(5)));
        for ignored in ["bytes=0-1,3-4", "bytes=9-2", "items=0-1", "bytes=a-b", "bytes=-", "bytes=+1-2", "bytes=99999999999999999999999-"] {
            assert_eq!(parse_range(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn attachment_names() {
        assert_eq!(attachment("a b.pdf"), "attachment; filename=\"a b.pdf\"; filename*=UTF-8''a%20b%2Epdf");
        assert_eq!(attachment("é\"\n.txt"), "attachment; filename=\"___.txt\"; filename*=UTF-8''%C3%A9%22%0A%2Etxt");
    }
}
