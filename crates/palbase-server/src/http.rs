//! One HTTP request: route, limits, auth, rate limit, body, then the engine. Every failure
//! answers the spec's error envelope, built in one place ([`err`]).

use std::{convert::Infallible, net::SocketAddr, rc::Rc};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Response, StatusCode, header};
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::{Request, body::Incoming};
use palbase_core::ApiError;
use palbase_engine::{Outcome, RequestArgs};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::{
    ratelimit::Decision,
    worker::{Loaded, Worker},
};

/// A streamed body: what a service's route answers (a download).
type Streamed = http_body_util::StreamBody<futures::stream::BoxStream<'static, Result<hyper::body::Frame<Bytes>, crate::service::BoxError>>>;
type Res = Response<Either<Full<Bytes>, Streamed>>;

/// W3C trace context: `traceparent: 00-<32 hex trace id>-<16 hex parent id>-<flags>`.
struct Trace {
    trace_id: String,
    span_id: String,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends at most 16 bytes as lowercase hex (through a buffer: `String::push` per digit checks
/// capacity and encodes a `char` each time).
fn push_hex(out: &mut String, bytes: &[u8]) {
    let mut buf = [0u8; 32];
    for (pair, b) in buf.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 15)];
    }
    out.push_str(std::str::from_utf8(&buf[..2 * bytes.len().min(16)]).unwrap_or_default());
}

// Ids need to be unique, not secret: a thread-local fast RNG instead of a getrandom syscall
// per id (three per request showed up as the top syscall in profiles).
fn hex_id(bytes: usize) -> String {
    let v = fastrand::u128(1..).to_le_bytes();
    let mut s = String::with_capacity(bytes * 2);
    push_hex(&mut s, &v[..bytes]);
    s
}

/// `req_` + a UUIDv7 (time-ordered, so logs sort by arrival), 32 hex digits.
fn request_id() -> String {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let rand: [u8; 10] = fastrand::u128(..).to_le_bytes()[..10].try_into().unwrap_or([0; 10]);
    let uuid = uuid::Builder::from_unix_timestamp_millis(ms, &rand).into_uuid();
    let mut s = String::with_capacity(36);
    s.push_str("req_");
    push_hex(&mut s, uuid.as_bytes());
    s
}

fn trace(headers: &HeaderMap) -> Trace {
    let parent = headers.get(TRACEPARENT).and_then(|v| v.to_str().ok()).and_then(|v| {
        let p: Vec<&str> = v.trim().split('-').collect();
        let ok = p.len() == 4 && p[0].len() == 2 && p[1].len() == 32 && p[2].len() == 16 && p[1].bytes().all(|b| b.is_ascii_hexdigit()) && p[1] != "00000000000000000000000000000000";
        ok.then(|| p[1].to_ascii_lowercase())
    });
    Trace { trace_id: parent.unwrap_or_else(|| hex_id(16)), span_id: hex_id(8) }
}

fn traceparent(t: &Trace) -> String {
    let mut s = String::with_capacity(55);
    s.push_str("00-");
    s.push_str(&t.trace_id);
    s.push('-');
    s.push_str(&t.span_id);
    s.push_str("-01");
    s
}

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");
const RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
const RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
const RATELIMIT_RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// A response with the headers every answer carries; `json` bodies get their content type.
fn reply(status: StatusCode, json: Option<String>, request_id: &str, t: &Trace) -> Res {
    let is_json = json.is_some();
    let mut r = Response::new(Either::Left(Full::new(json.map(Bytes::from).unwrap_or_default())));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert(X_REQUEST_ID, v);
    }
    if let Ok(v) = HeaderValue::from_maybe_shared(Bytes::from(traceparent(t))) {
        h.insert(TRACEPARENT, v);
    }
    if is_json {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    r
}

/// The shared rate-limit store failed: this instance applies its own limit meanwhile. Warned at
/// most every 10 s.
fn shared_limiter_down(e: &str) {
    static LAST: std::sync::Mutex<Option<std::time::Instant>> = std::sync::Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    if last.is_none_or(|t| t.elapsed() > std::time::Duration::from_secs(10)) {
        *last = Some(std::time::Instant::now());
        tracing::warn!(target: "palbase::ratelimit", "the shared rate-limit store is unavailable ({e}); limiting per instance until it is back");
    }
}

/// The error envelope: the one place an error becomes a response.
fn err(e: ApiError, request_id: &str, t: &Trace) -> Res {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = reply(status, Some(e.envelope(request_id).to_string()), request_id, t);
    // RFC 6750 §3: a 401 names the Bearer scheme; `error` only when a token was sent and refused.
    if e.status == 401 {
        let challenge = if e.code == "invalid_token" { "Bearer error=\"invalid_token\"" } else { "Bearer" };
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    }
    r
}

/// Decoded `(name, value)` pairs, in order.
type Pairs = Vec<(String, String)>;

/// The query string's pairs, decoded, in order.
fn query_of(uri: &http::Uri) -> Pairs {
    uri.query().map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default()
}

/// Route parameters, percent-decoded as UTF-8 (invalid bytes replaced).
fn decoded<'a>(params: impl Iterator<Item = (String, &'a str)>) -> Pairs {
    params.map(|(k, v)| (k, percent_decode_str(v).decode_utf8_lossy().into_owned())).collect()
}

/// The 503 of a project that is not loaded. The detail (errors with JavaScript stacks, which
/// name internal modules and functions) goes to the log, once per distinct detail; the body has a
/// fixed description and, in `data.errors`, only the first line of each located error
/// (`file:line:col: message`).
fn not_loaded(why: &str, request_id: &str) -> ApiError {
    static LOGGED: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());
    if let Ok(mut last) = LOGGED.lock()
        && *last != why
    {
        why.clone_into(&mut last);
        tracing::warn!(target: "palbase::http", request_id, "answering 503 project_not_loaded: {why}");
    }
    let errors: Vec<Value> = why
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .map(|e| {
            let e = e.trim();
            // an unlocated load failure, or a message naming the runtime's internals
            if e.starts_with("project: ") || e.contains("palbase:") || e.contains("__pb") {
                let file = e.split(':').next().unwrap_or("project");
                Value::String(format!("{file}: failed to load (the server log has the details)"))
            } else {
                Value::String(e.to_string())
            }
        })
        .collect();
    if errors.is_empty() {
        return ApiError::new(503, "project_not_loaded", "The project is not loaded yet");
    }
    ApiError::new(503, "project_not_loaded", "The project failed to load; the server log has the errors").with_data(serde_json::json!({ "errors": errors }))
}

pub(crate) async fn handle(worker: Rc<Worker>, req: Request<Incoming>, peer: SocketAddr) -> Result<Res, Infallible> {
    let request_id = request_id();
    let t = trace(req.headers());
    let max_uri = worker.shared.settings.server.max_uri_bytes;
    if req.uri().path_and_query().map_or(0, |p| p.as_str().len()) > max_uri {
        return Ok(err(ApiError::new(414, "uri_too_long", format!("The request target is longer than {max_uri} bytes")), &request_id, &t));
    }
    if let Some(r) = worker.shared.routes.iter().find(|r| req.uri().path().starts_with(r.prefix())) {
        return Ok(service_route(r.as_ref(), req, &request_id, &t).await);
    }
    let loaded = worker.current.borrow().clone();
    let Some(loaded) = loaded else {
        let why = worker.shared.not_loaded.lock().map(|g| g.clone()).unwrap_or_default().unwrap_or_default();
        return Ok(err(not_loaded(&why, &request_id), &request_id, &t));
    };
    if req.uri().path() == crate::openapi::PATH && req.method() == Method::GET {
        return Ok(openapi(&worker, &loaded, &request_id, &t).await.unwrap_or_else(|e| err(e, &request_id, &t)));
    }
    Ok(route(&worker, &loaded, req, peer, &request_id, &t).await.unwrap_or_else(|e| err(e, &request_id, &t)))
}

/// `GET /openapi.json`: the document of the version this worker serves, made once per version.
async fn openapi(worker: &Worker, loaded: &Loaded, request_id: &str, t: &Trace) -> Result<Res, ApiError> {
    let body = match loaded.openapi.get() {
        Some(b) => b.clone(),
        None => {
            let doc = crate::openapi::document(&loaded.version.graph, &loaded.engine, &worker.shared.api_info).await.map_err(|e| {
                tracing::error!(target: "palbase::http", request_id, "the OpenAPI document failed: {e}");
                ApiError::internal()
            })?;
            let b: Rc<str> = Rc::from(doc.to_string());
            loaded.openapi.get_or_init(|| b).clone()
        }
    };
    Ok(reply(StatusCode::OK, Some(body.to_string()), request_id, t))
}

/// A request to a service's own routes ([`crate::service::Routes`]).
async fn service_route(routes: &dyn crate::service::Routes, req: Request<Incoming>, request_id: &str, t: &Trace) -> Res {
    use crate::service::RouteBody;
    use futures::StreamExt;
    let (parts, body) = req.into_parts();
    let chunks = http_body_util::BodyStream::new(body).filter_map(|f| async move {
        match f {
            Ok(frame) => frame.into_data().ok().map(Ok),
            Err(e) => Some(Err(Box::new(e) as crate::service::BoxError)),
        }
    });
    match routes.handle(Request::from_parts(parts, chunks.boxed())).await {
        Ok(resp) => {
            let (parts, body) = resp.into_parts();
            let mut r = reply(parts.status, None, request_id, t);
            r.headers_mut().extend(parts.headers);
            match body {
                RouteBody::Empty => {}
                RouteBody::Full(b) => *r.body_mut() = Either::Left(Full::new(b)),
                RouteBody::Stream(s) => *r.body_mut() = Either::Right(http_body_util::StreamBody::new(s.map(|c| c.map(hyper::body::Frame::data)).boxed())),
            }
            r
        }
        Err(e) => {
            let mut r = err(e.error, request_id, t);
            r.headers_mut().extend(e.headers);
            r
        }
    }
}

async fn route(worker: &Worker, loaded: &Loaded, req: Request<Incoming>, peer: SocketAddr, request_id: &str, t: &Trace) -> Result<Res, ApiError> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let matched = loaded.version.router.at(&path).map_err(|_| ApiError::not_found("not_found", format!("No endpoint at {path}")))?;
    let lookup = if method == Method::HEAD { "GET" } else { method.as_str() };
    let Some(&(_, index)) = matched.value.iter().find(|(m, _)| m == lookup) else {
        let allow: Vec<&str> = matched.value.iter().map(|(m, _)| m.as_str()).collect();
        let allow = allow.join(", ");
        let e = ApiError::new(405, "method_not_allowed", format!("{method} is not allowed on {path}; allowed: {allow}"));
        let mut r = err(e, request_id, t);
        if let Ok(v) = HeaderValue::from_str(&allow) {
            r.headers_mut().insert(header::ALLOW, v);
        }
        return Ok(r);
    };
    let params = decoded(matched.params.iter().map(|(k, v)| (k.to_string(), v)));
    let meta = &loaded.engine.endpoints[index];
    let settings = &worker.shared.settings;

    // Auth: a presented token must be valid, even on a public endpoint.
    let user = match req.headers().get(header::AUTHORIZATION) {
        Some(v) => {
            let v = v.to_str().unwrap_or("");
            let token = v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")).ok_or_else(|| ApiError::new(401, "unauthorized", "The Authorization header must be `Bearer <token>`"))?;
            match worker.shared.auth.verify(token.trim()) {
                Ok(u) => Some(u),
                Err(e) => return Err(ApiError::new(401, "invalid_token", e.to_string())),
            }
        }
        None => None,
    };
    if let Some(rule) = &meta.auth {
        let Some(u) = &user else {
            return Err(ApiError::new(401, "unauthorized", "This endpoint requires authentication: send `Authorization: Bearer <token>`"));
        };
        if let Some(role) = &rule.role
            && u.get("role").and_then(Value::as_str) != Some(role)
        {
            let mut r = err(ApiError::new(403, "forbidden", format!("This endpoint requires the role `{role}`")), request_id, t);
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"insufficient_scope\""));
            return Ok(r);
        }
    }

    // Rate limit.
    let mut rl_headers = None;
    if let Some(limiter) = &loaded.limiters[index] {
        let key = match &user {
            Some(u) => format!("u:{}", u.get("id").and_then(Value::as_str).unwrap_or("")),
            None => format!("ip:{}", crate::forwarded::client_ip(peer, req.headers())),
        };
        let decision = match &worker.shared.shared_limiter {
            Some(shared) => match shared.check(&format!("{}:{key}", limiter.scope), limiter.max, limiter.window).await {
                Ok(d) => d,
                Err(e) => {
                    shared_limiter_down(&e);
                    limiter.check(&key)
                }
            },
            None => limiter.check(&key),
        };
        match decision {
            Decision::Allowed { remaining } => rl_headers = Some((limiter.max, remaining, limiter.reset_after())),
            Decision::Limited { retry_after } => {
                let secs = retry_after.as_secs_f64().ceil().max(1.0) as u64;
                let e = ApiError::new(429, "rate_limited", format!("Too many requests: at most {} per {} s; retry in {secs} s", limiter.max, limiter.window));
                let mut r = err(e, request_id, t);
                let h = r.headers_mut();
                h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
                h.insert(RATELIMIT_LIMIT, HeaderValue::from(limiter.max));
                h.insert(RATELIMIT_REMAINING, HeaderValue::from(0));
                h.insert(RATELIMIT_RESET, HeaderValue::from(secs));
                return Ok(r);
            }
        }
    }

    // Body.
    let has_body = matches!(method, Method::POST | Method::PUT | Method::PATCH);
    let limit = settings.limits.max_body_bytes;
    let too_large = || ApiError::new(413, "payload_too_large", format!("The request body is larger than {limit} bytes"));
    if let Some(len) = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok())
        && len > limit as u64
    {
        return Err(too_large());
    }
    let (parts, body) = req.into_parts();
    let headers = parts.headers;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let query = query_of(&parts.uri);
    let body_bytes = if has_body {
        let wait = std::time::Duration::from_millis(worker.shared.settings.server.body_read_timeout_ms.max(1));
        let Ok(collected) = tokio::time::timeout(wait, Limited::new(body, limit).collect()).await else {
            return Err(ApiError::new(408, "request_timeout", format!("The request body did not arrive within {} ms", wait.as_millis())));
        };
        match collected {
            Ok(c) => c.to_bytes(),
            Err(e) => {
                return Err(if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() { too_large() } else { ApiError::bad_request("invalid_body", "The request body could not be read") });
            }
        }
    } else {
        Bytes::new()
    };

    let Body { body, form_json, file: file_bytes } = if has_body { parse_body(&content_type, body_bytes).await? } else { Body::default() };
    let args = RequestArgs { path: path.clone(), request_id: Rc::from(request_id), trace_id: t.trace_id.clone(), span_id: t.span_id.clone(), params, query, user, headers, form_json, body, file: file_bytes };
    let outcome = loaded.engine.dispatch(index, args).await;
    worker.shared.ops.request_ended(request_id);
    let mut r = match outcome {
        Outcome::Success { body: Some(json), status } => {
            let json = if method == Method::HEAD { String::new() } else { json };
            reply(StatusCode::from_u16(status).unwrap_or(StatusCode::OK), Some(json), request_id, t)
        }
        Outcome::Success { body: None, .. } => reply(StatusCode::NO_CONTENT, None, request_id, t),
        Outcome::Error(e) => {
            if e.status >= 500 {
                tracing::warn!(target: "palbase::http", request_id, code = %e.code, "{} {} -> {}", lookup, path, e.status);
            }
            err(e, request_id, t)
        }
    };
    if let Some((max, remaining, reset)) = rl_headers {
        let h = r.headers_mut();
        h.insert(RATELIMIT_LIMIT, HeaderValue::from(max));
        h.insert(RATELIMIT_REMAINING, HeaderValue::from(remaining));
        h.insert(RATELIMIT_RESET, HeaderValue::from(reset));
    }
    Ok(r)
}

/// A request body as the engine receives it.
#[derive(Debug, Default)]
pub(crate) struct Body {
    /// JSON text.
    pub body: Option<String>,
    /// `{fields, file}` of a form.
    pub form_json: Option<String>,
    pub file: Option<Vec<u8>>,
}

/// Reads a body by its content type: JSON (kept as text), urlencoded or multipart form fields.
pub(crate) async fn parse_body(content_type: &str, body_bytes: Bytes) -> Result<Body, ApiError> {
    let mut out = Body::default();
    if body_bytes.is_empty() {
        return Ok(out);
    }
    let mut fields = None;
    let mut file_meta = None;
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if mime == "application/json" || mime.ends_with("+json") || mime.is_empty() && body_bytes.first().is_some_and(|b| *b == b'{' || *b == b'[') {
        out.body = Some(String::from_utf8(body_bytes.to_vec()).map_err(|_| ApiError::bad_request("invalid_json", "The request body is not UTF-8"))?);
    } else if mime == "application/x-www-form-urlencoded" {
        let mut f = Map::new();
        for (k, v) in form_urlencoded::parse(&body_bytes) {
            f.insert(k.into_owned(), Value::String(v.into_owned()));
        }
        fields = Some(f);
    } else if mime == "multipart/form-data" {
        let (f, meta_f, bytes) = multipart(content_type, body_bytes).await?;
        fields = Some(f);
        file_meta = meta_f;
        out.file = bytes;
    } else {
        return Err(ApiError::new(415, "unsupported_media_type", format!("Send the body as application/json, multipart/form-data or application/x-www-form-urlencoded (got `{}`)", if mime.is_empty() { "none" } else { mime })));
    }
    out.form_json = (fields.is_some() || file_meta.is_some()).then(|| serde_json::json!({"fields": fields, "file": file_meta}).to_string());
    Ok(out)
}

/// What a handler would receive for `req`, without an engine or a route table: the fuzz
/// targets' view of the request path (the path's segments stand for route parameters).
#[doc(hidden)]
pub async fn shape(req: Request<Incoming>, max_body: usize) -> Result<(RequestArgs, Option<String>), ApiError> {
    let t = trace(req.headers());
    let path = req.uri().path().to_string();
    let params = decoded(path.split('/').filter(|s| !s.is_empty()).enumerate().map(|(i, v)| (i.to_string(), v)));
    if let Some(v) = req.headers().get(header::AUTHORIZATION) {
        let _ = v.to_str().ok().and_then(|v| v.strip_prefix("Bearer "));
    }
    let (parts, body) = req.into_parts();
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let query = query_of(&parts.uri);
    let bytes = Limited::new(body, max_body).collect().await.map_err(|_| ApiError::bad_request("invalid_body", "unreadable"))?.to_bytes();
    let Body { body, form_json, file } = parse_body(&content_type, bytes).await?;
    // What JavaScript would parse: the JSON parts must be JSON.
    for j in [&form_json, &body].into_iter().flatten() {
        let _ = serde_json::from_str::<Value>(j);
    }
    let args = RequestArgs { path, request_id: Rc::from(request_id().as_str()), trace_id: t.trace_id.clone(), span_id: t.span_id.clone(), params, query, user: None, headers: parts.headers, form_json, body, file };
    Ok((args, Some(traceparent(&t))))
}

/// Parses a multipart body: text fields become `req.input`, the first file part `req.file`.
async fn multipart(content_type: &str, body: Bytes) -> Result<(Map<String, Value>, Option<Value>, Option<Vec<u8>>), ApiError> {
    let bad = |m: String| ApiError::bad_request("invalid_multipart", m);
    let boundary = multer::parse_boundary(content_type).map_err(|e| bad(e.to_string()))?;
    let stream = futures::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut fields = Map::new();
    let mut file = None;
    let mut bytes = None;
    while let Some(field) = mp.next_field().await.map_err(|e| bad(e.to_string()))? {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) if file.is_none() => {
                let ct = field.content_type().map_or("application/octet-stream".to_string(), |m| m.to_string());
                let data = field.bytes().await.map_err(|e| bad(e.to_string()))?;
                file = Some(serde_json::json!({"name": file_name, "fieldName": name, "contentType": ct, "size": data.len()}));
                bytes = Some(data.to_vec());
            }
            Some(_) => return Err(bad("only one file per request is supported".into())),
            None => {
                let text = field.text().await.map_err(|e| bad(e.to_string()))?;
                fields.insert(name, Value::String(text));
            }
        }
    }
    Ok((fields, file, bytes))
}
