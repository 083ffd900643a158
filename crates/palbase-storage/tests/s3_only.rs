//! S3 only: presigned GET/PUT URLs used with a real HTTP client, signatures checked, failures.
//!
//! moto checks the SigV4 `Authorization` header of every request of the store (a wrong secret
//! fails below), but cannot check presigned URLs (with its checks on it answers them 500). So the
//! presigned URLs are (1) used for real against moto with its checks off, and (2) verified the
//! way S3 verifies them by `sigv4_presigned_ok`, an implementation of AWS's SigV4 query-string
//! rules written from the specification, which every tampered field must fail.

mod common;

use std::{sync::Arc, time::Duration};

use common::{Fixture, code, read_all};
use hmac::{Hmac, KeyInit, Mac};
use palbase_storage::{NoEvents, S3Config, Storage, UploadOptions};
use sha2::{Digest, Sha256};

fn s3() -> Option<(Fixture, Arc<Storage>)> {
    let f = Fixture::s3_checked()?;
    let (s, _) = f.storage();
    Some((f, s))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn hmac(key: &[u8], msg: &str) -> Vec<u8> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    m.update(msg.as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// RFC 3986 encoding as SigV4 wants it (unreserved kept, everything else `%XX`).
fn uri_encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned()
}

/// Whether S3 would accept the presigned `url` for `method` at `now_unix` with this secret:
/// the signature over the canonical request, and `X-Amz-Date + X-Amz-Expires > now`.
fn sigv4_presigned_ok(method: &str, url: &str, secret: &str, region: &str, now_unix: i64) -> bool {
    let u = reqwest::Url::parse(url).unwrap();
    let host = match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap()),
        None => u.host_str().unwrap().to_owned(),
    };
    let mut pairs: Vec<(String, String)> = u
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let get = |k: &str| pairs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
    let (Some(sig), Some(date), Some(expires), Some(cred)) = (get("X-Amz-Signature"), get("X-Amz-Date"), get("X-Amz-Expires"), get("X-Amz-Credential")) else {
        return false;
    };
    pairs.retain(|(k, _)| k != "X-Amz-Signature");
    let mut enc: Vec<(String, String)> = pairs.iter().map(|(k, v)| (uri_encode(k), uri_encode(v))).collect();
    enc.sort();
    let query = enc.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let canonical = format!("{method}\n{}\n{query}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD", u.path());
    let day = &date[..8];
    let scope = format!("{day}/{region}/s3/aws4_request");
    if !cred.ends_with(&format!("/{scope}")) {
        return false;
    }
    let to_sign = format!("AWS4-HMAC-SHA256\n{date}\n{scope}\n{}", hex(&Sha256::digest(canonical.as_bytes())));
    let k = hmac(format!("AWS4{secret}").as_bytes(), day);
    let k = hmac(&k, region);
    let k = hmac(&k, "s3");
    let k = hmac(&k, "aws4_request");
    if hex(&hmac(&k, &to_sign)) != sig {
        return false;
    }
    let t = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", &date).unwrap().to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp().as_second();
    let Ok(exp) = expires.parse::<i64>() else { return false };
    (1..=604_800).contains(&exp) && now_unix < t + exp
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presigned_get_and_put_work_and_tampering_fails() {
    // moto answers query-signed requests only with its checks off (and cannot check a non-ASCII
    // key's signature): the signatures are checked by `sigv4_presigned_ok` instead.
    let Some(f) = Fixture::s3() else { return };
    let (s, _) = f.storage();
    let t = f.test_s3();
    s.upload("docs", "reports/q1 é.pdf", b"%PDF-1.7 body".to_vec().into(), UploadOptions { content_type: Some("application/pdf".into()), ..Default::default() }).await.unwrap();
    let get = s.signed_url("docs", "reports/q1 é.pdf", 600, None).await.unwrap();
    let dl = s.signed_url("docs", "reports/q1 é.pdf", 600, Some("")).await.unwrap();
    let up = s.signed_upload_url("docs", "incoming/new.bin").await.unwrap();
    let secret = t.secret_access_key.as_str();
    // (2) Verified as S3 verifies: good as issued, refused with any field changed.
    assert!(sigv4_presigned_ok("GET", &get, secret, &t.region, now()), "{get}");
    assert!(sigv4_presigned_ok("GET", &dl, secret, &t.region, now()), "{dl}");
    assert!(sigv4_presigned_ok("PUT", &up.url, secret, &t.region, now()), "{}", up.url);
    assert!(dl.contains("response-content-disposition=attachment"), "{dl}");
    let date = get.split("X-Amz-Date=").nth(1).unwrap()[..16].to_owned();
    let tampered = [
        ("path", get.replace("q1%20%C3%A9.pdf", "q2%20%C3%A9.pdf")),
        ("expiry", get.replace("X-Amz-Expires=600", "X-Amz-Expires=6000")),
        ("date", get.replace(&date, "20990101T000000Z")),
        ("bucket", get.replace(&format!("/{}/", t.bucket), "/other-bucket/")),
        ("prefix bucket", get.replace("/docs/", "/small/")),
        ("download flag", dl.replace("attachment", "inline")),
        ("download dropped", {
            let (base, q) = dl.split_once('?').unwrap();
            let kept: Vec<&str> = q.split('&').filter(|kv| !kv.starts_with("response-content-disposition=")).collect();
            format!("{base}?{}", kept.join("&"))
        }),
    ];
    for (what, url) in &tampered {
        assert!(url != &get && url != &dl, "{what}: the replacement applied");
        assert!(!sigv4_presigned_ok("GET", url, secret, &t.region, now()), "{what}: {url}");
    }
    assert!(!sigv4_presigned_ok("PUT", &get, secret, &t.region, now()), "method");
    assert!(!sigv4_presigned_ok("GET", &get, "wrong-secret", &t.region, now()), "another key");
    assert!(!sigv4_presigned_ok("GET", &get, secret, &t.region, now() + 600), "expired at X-Amz-Date + 600 s");
    assert!(sigv4_presigned_ok("GET", &get, secret, &t.region, now() + 590));
    // (1) Used for real.
    let http = reqwest::Client::new();
    let r = http.get(&get).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(&r.bytes().await.unwrap()[..], b"%PDF-1.7 body");
    let r = http.get(&dl).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // moto ignores `response-content-disposition` (AWS answers with it); the value is signed
    // into the URL, which the checks above cover.
    let sent = reqwest::Url::parse(&dl).unwrap().query_pairs().find(|(k, _)| k == "response-content-disposition").unwrap().1.into_owned();
    assert_eq!(sent, "attachment; filename=\"q1 _.pdf\"; filename*=UTF-8''q1%20%C3%A9.pdf");
    let r = http.put(&up.url).body(b"uploaded with a signed URL".to_vec()).send().await.unwrap();
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let (info, st) = s.download("docs", "incoming/new.bin", None).await.unwrap();
    assert_eq!(info.size, 26);
    assert_eq!(read_all(st).await, b"uploaded with a signed URL");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_are_refused_by_the_server() {
    let Some(f) = Fixture::s3_checked() else { return };
    let t = f.test_s3();
    let mut cfg = Fixture::s3_config(t);
    cfg.secret_access_key = Some("not-the-secret".into());
    let s = Storage::s3(cfg, f.config(), Arc::new(NoEvents)).unwrap();
    for e in [s.upload("docs", "a", "x".into(), UploadOptions::default()).await.unwrap_err(), s.info("docs", "a").await.unwrap_err(), s.download("docs", "a", None).await.err().unwrap()] {
        assert_eq!(code(&e), (503, "storage_unavailable".into()), "{e}");
        let api: palbase_core::ApiError = e.into();
        assert_eq!(api.description, "The storage backend is unavailable", "no detail leaks");
    }
    // The right secret works against the same server (signature checks are on).
    let (good, _) = f.storage();
    good.upload("docs", "a", "x".into(), UploadOptions::default()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_service_is_unavailable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let cfg = S3Config {
        bucket: "b".into(),
        region: "us-east-1".into(),
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        access_key_id: Some("AKID".into()),
        secret_access_key: Some("secret".into()),
        allow_http: true,
        connect_timeout: Some(Duration::from_millis(200)),
        timeout: Some(Duration::from_secs(2)),
        ..Default::default()
    };
    let f = Fixture::local().unwrap();
    let s = Storage::s3(cfg, f.config(), Arc::new(NoEvents)).unwrap();
    let start = std::time::Instant::now();
    let e = s.upload("docs", "a", "x".into(), UploadOptions::default()).await.unwrap_err();
    assert_eq!(code(&e), (503, "storage_unavailable".into()));
    assert!(start.elapsed() < Duration::from_secs(20), "{:?}", start.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runtime_signing_is_local_only() {
    let Some((_f, s)) = s3() else { return };
    assert_eq!(code(&s.rotate_key().unwrap_err()), (501, "not_supported".into()));
    assert_eq!(code(&s.verify("GET", "docs", "a", "exp=1&sig=x").unwrap_err()).1, "signature_invalid");
    assert!(Storage::s3(S3Config::default(), _f.config(), Arc::new(NoEvents)).is_err(), "a bucket and region are required");
}

/// Every operation moto's SigV4 checks verify correctly, signed by `object_store`, against a
/// server that refuses a bad signature (ASCII keys; listings are not among them, see
/// `common::Fixture::s3`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_are_checked() {
    let Some((f, s)) = s3() else { return };
    let o = UploadOptions { content_type: Some("text/plain".into()), cache_control: Some("max-age=5".into()), upsert: false };
    let i = s.upload("docs", "dir/a.txt", "hello".into(), o).await.unwrap();
    assert_eq!(i.etag, common::md5_etag(b"hello"));
    assert_eq!(code(&s.upload("docs", "dir/a.txt", "again".into(), UploadOptions::default()).await.unwrap_err()).1, "already_exists");
    s.upload("docs", "dir/a.txt", "hello!".into(), UploadOptions { upsert: true, ..Default::default() }).await.unwrap();
    let info = s.info("docs", "dir/a.txt").await.unwrap();
    assert_eq!((info.size, info.cache_control.as_deref()), (6, None), "an upsert without cacheControl clears it");
    let (_, st) = s.download("docs", "dir/a.txt", Some(palbase_storage::ByteRange::From(1))).await.unwrap();
    assert_eq!(read_all(st).await, b"ello!");
    // Multipart (3 parts), streamed.
    let parts = common::chunks(18, 1 << 20);
    let body = palbase_storage::Body::from_stream(futures::stream::iter(parts.clone().into_iter().map(Ok::<_, std::io::Error>)));
    let big = s.upload("docs", "dir/big.bin", body, UploadOptions::default()).await.unwrap();
    assert_eq!(big.size, 18 << 20);
    let (_, st) = s.download("docs", "dir/big.bin", None).await.unwrap();
    assert_eq!(read_all(st).await.len(), 18 << 20);
    s.copy_object("docs", "dir/a.txt", "dir/copy.txt").await.unwrap();
    s.move_object("docs", "dir/copy.txt", "dir/moved.txt").await.unwrap();
    let removed = s.remove("docs", &["dir/a.txt".into(), "dir/moved.txt".into(), "dir/big.bin".into()]).await.unwrap();
    assert_eq!(removed.len(), 3);
    for p in ["dir/a.txt", "dir/moved.txt", "dir/big.bin"] {
        assert_eq!(code(&s.info("docs", p).await.unwrap_err()).1, "object_not_found", "{p}");
    }
    drop(f);
}
