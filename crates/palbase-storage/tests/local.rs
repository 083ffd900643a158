//! Local-backend only: signed URLs of the runtime's routes (HMAC), key rotation, the layout on
//! disk, crash leftovers, and the file/folder conflict a filesystem has.

mod common;

use std::{
    sync::Arc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use common::{BASE, Fixture, code, read_all};
use palbase_storage::{RouteKind, SignedKind, Storage, StorageRoute, UploadOptions, parse_route};

fn local() -> (Fixture, Arc<Storage>) {
    let f = Fixture::local().unwrap();
    let (s, _) = f.storage();
    (f, s)
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// The route and the raw query of a signed URL.
fn split(url: &str) -> (StorageRoute, String) {
    let rest = url.strip_prefix(BASE).unwrap();
    let (path, query) = rest.split_once('?').unwrap();
    (parse_route(path).unwrap().unwrap(), query.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_download_expires_exactly() {
    let (_f, s) = local();
    s.upload("docs", "d/ré port.pdf", "pdf".into(), UploadOptions::default()).await.unwrap();
    let t0 = 1_900_000_000;
    let url = s.signed_url_at("docs", "d/ré port.pdf", 60, None, at(t0) + Duration::from_millis(999)).await.unwrap();
    let (r, q) = split(&url);
    assert_eq!((r.kind, r.bucket.as_str(), r.path.as_str()), (RouteKind::SignedDownload, "docs", "d/ré port.pdf"));
    assert!(q.starts_with(&format!("exp={}&sig=", t0 + 60)), "{q}");
    let ok = s.verify_at("GET", &r.bucket, &r.path, &q, at(t0 + 59) + Duration::from_millis(999)).unwrap();
    assert_eq!((ok.kind, ok.expires_at, ok.download), (SignedKind::Download, t0 + 60, None));
    s.verify_at("HEAD", &r.bucket, &r.path, &q, at(t0)).unwrap();
    for t in [t0 + 60, t0 + 61, t0 + 100_000] {
        let e = s.verify_at("GET", &r.bucket, &r.path, &q, at(t)).unwrap_err();
        assert_eq!(code(&e), (403, "signature_expired".into()), "at {t}");
    }
    // Real clock: a fresh URL verifies now.
    let url = s.signed_url("docs", "d/ré port.pdf", 5, None).await.unwrap();
    let (r, q) = split(&url);
    s.verify("GET", &r.bucket, &r.path, &q).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_url_tampering_is_refused() {
    let (_f, s) = local();
    for p in ["a.txt", "b.txt"] {
        s.upload("docs", p, "x".into(), UploadOptions::default()).await.unwrap();
    }
    s.upload("small", "a.txt", "x".into(), UploadOptions::default()).await.unwrap();
    let now = at(2_000_000_000);
    let url = s.signed_url_at("docs", "a.txt", 3600, Some("report.txt"), now).await.unwrap();
    let (r, q) = split(&url);
    let ok = s.verify_at("GET", "docs", "a.txt", &q, now).unwrap();
    assert_eq!(ok.download.as_deref(), Some("report.txt"));
    let exp = 2_000_003_600u64;
    let sig = q.split('&').find_map(|kv| kv.strip_prefix("sig=")).unwrap().to_owned();
    let mut flipped = sig.clone().into_bytes();
    flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let cases: Vec<(&str, &str, &str, String)> = vec![
        ("method", "docs", "a.txt", q.clone()),
        ("bucket", "small", "a.txt", q.clone()),
        ("path", "docs", "b.txt", q.clone()),
        ("path case", "docs", "A.txt", q.clone()),
        ("later expiry", "docs", "a.txt", q.replace(&format!("exp={exp}"), &format!("exp={}", exp + 1))),
        ("earlier expiry", "docs", "a.txt", q.replace(&format!("exp={exp}"), &format!("exp={}", exp - 1))),
        ("expiry with leading zero", "docs", "a.txt", q.replace(&format!("exp={exp}"), &format!("exp=0{exp}"))),
        ("signature", "docs", "a.txt", q.replace(&sig, &flipped)),
        ("truncated signature", "docs", "a.txt", q.replace(&sig, &sig[..sig.len() - 2])),
        ("download name", "docs", "a.txt", q.replace("download=report.txt", "download=evil.html")),
        ("download dropped", "docs", "a.txt", q.replace("&download=report.txt", "")),
        ("download blanked", "docs", "a.txt", q.replace("download=report.txt", "download=")),
        ("duplicate exp", "docs", "a.txt", format!("{q}&exp={}", exp + 100)),
        ("duplicate sig", "docs", "a.txt", format!("{q}&sig={sig}")),
        ("no sig", "docs", "a.txt", format!("exp={exp}")),
        ("no exp", "docs", "a.txt", format!("sig={sig}")),
        ("empty", "docs", "a.txt", String::new()),
    ];
    for (what, bucket, path, query) in cases {
        let method = if what == "method" { "PUT" } else { "GET" };
        let e = s.verify_at(method, bucket, path, &query, now).expect_err(what);
        assert_eq!(code(&e), (403, "signature_invalid".into()), "{what}");
    }
    assert_eq!(code(&s.verify_at("DELETE", "docs", "a.txt", &q, now).unwrap_err()).1, "signature_invalid");
    // Extra parameters (a cache buster) do not change what is signed.
    s.verify_at("GET", "docs", "a.txt", &format!("{q}&v=2"), now).unwrap();
    let _ = r;
    // A URL without the download flag does not gain one.
    let plain = s.signed_url_at("docs", "a.txt", 3600, None, now).await.unwrap();
    let (_, pq) = split(&plain);
    assert_eq!(code(&s.verify_at("GET", "docs", "a.txt", &format!("{pq}&download="), now).unwrap_err()).1, "signature_invalid");
    // `download: true` (the object's own name) is its own signed value.
    let own = s.signed_url_at("docs", "a.txt", 3600, Some(""), now).await.unwrap();
    let (_, oq) = split(&own);
    assert_eq!(s.verify_at("GET", "docs", "a.txt", &oq, now).unwrap().download.as_deref(), Some(""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_upload_urls() {
    let (_f, s) = local();
    let now = at(2_000_000_000);
    let up = s.signed_upload_url_at("docs", "in/new.bin", now).await.unwrap();
    let (r, q) = split(&up.url);
    assert_eq!((r.kind, r.path.as_str(), q.as_str()), (RouteKind::SignedUpload, "in/new.bin", up.token.as_str()));
    let ok = s.verify_at("PUT", "docs", "in/new.bin", &up.token, now).unwrap();
    assert_eq!((ok.kind, ok.expires_at), (SignedKind::Upload, 2_000_007_200), "2 h by default");
    // Not a download URL, not for another path, expired after 2 h.
    assert_eq!(code(&s.verify_at("GET", "docs", "in/new.bin", &up.token, now).unwrap_err()).1, "signature_invalid");
    assert_eq!(code(&s.verify_at("PUT", "docs", "in/other.bin", &up.token, now).unwrap_err()).1, "signature_invalid");
    assert_eq!(code(&s.verify_at("PUT", "docs", "in/new.bin", &up.token, at(2_000_007_200)).unwrap_err()).1, "signature_expired");
    // A download URL is not an upload URL.
    s.upload("docs", "x", "x".into(), UploadOptions::default()).await.unwrap();
    let dl = s.signed_url_at("docs", "x", 60, None, now).await.unwrap();
    let (_, dq) = split(&dl);
    assert_eq!(code(&s.verify_at("PUT", "docs", "x", &dq, now).unwrap_err()).1, "signature_invalid");
    // The expiry is configurable.
    let f2 = Fixture::local().unwrap();
    let mut cfg = f2.config();
    cfg.signed_upload_expiry = Duration::from_secs(300);
    let (s2, _) = f2.storage_with(cfg);
    let up = s2.signed_upload_url_at("docs", "a", now).await.unwrap();
    assert_eq!(s2.verify_at("PUT", "docs", "a", &up.token, now).unwrap().expires_at, 2_000_000_300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_key_revokes_every_url_and_keeps_files() {
    let f = Fixture::local().unwrap();
    let cfg = f.config();
    let (s, _) = f.storage_with(cfg.clone());
    s.upload("docs", "keep.txt", "data".into(), UploadOptions::default()).await.unwrap();
    let url = s.signed_url("docs", "keep.txt", 3600, None).await.unwrap();
    let up = s.signed_upload_url("docs", "new.txt").await.unwrap();
    let (_, q) = split(&url);
    s.verify("GET", "docs", "keep.txt", &q).unwrap();
    // The key survives a restart: the same URL verifies on a new Storage over the same dir.
    let again = match &f {
        Fixture::Local(d) => Storage::local(d.path(), cfg.clone(), Arc::new(palbase_storage::NoEvents)).unwrap(),
        _ => unreachable!(),
    };
    again.verify("GET", "docs", "keep.txt", &q).unwrap();
    s.rotate_key().unwrap();
    assert_eq!(code(&s.verify("GET", "docs", "keep.txt", &q).unwrap_err()).1, "signature_invalid");
    assert_eq!(code(&s.verify("PUT", "docs", "new.txt", &up.token).unwrap_err()).1, "signature_invalid");
    let (_, st) = s.download("docs", "keep.txt", None).await.unwrap();
    assert_eq!(read_all(st).await, b"data", "rotation deletes nothing");
    let fresh = s.signed_url("docs", "keep.txt", 3600, None).await.unwrap();
    let (_, fq) = split(&fresh);
    s.verify("GET", "docs", "keep.txt", &fq).unwrap();
    // The new key is on disk: a restarted runtime accepts the new URL, not the old one.
    let after = match &f {
        Fixture::Local(d) => Storage::local(d.path(), cfg, Arc::new(palbase_storage::NoEvents)).unwrap(),
        _ => unreachable!(),
    };
    after.verify("GET", "docs", "keep.txt", &fq).unwrap();
    assert_eq!(code(&after.verify("GET", "docs", "keep.txt", &q).unwrap_err()).1, "signature_invalid");
    #[cfg(unix)]
    if let Fixture::Local(d) = &f {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.path().join("signing.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_key_file_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("signing.key"), "not a key").unwrap();
    let f = Fixture::local().unwrap();
    let e = Storage::local(d.path(), f.config(), Arc::new(palbase_storage::NoEvents)).err().unwrap();
    assert!(e.to_string().contains("signing key"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layout_on_disk() {
    let f = Fixture::local().unwrap();
    let mut cfg = f.config();
    cfg.prefix = "proj/main".into();
    let (s, _) = f.storage_with(cfg);
    let o = UploadOptions { content_type: Some("image/png".into()), cache_control: Some("max-age=3600".into()), upsert: false };
    let info = s.upload("avatars", "u/1.png", b"png!".to_vec().into(), o).await.unwrap();
    let Fixture::Local(d) = &f else { unreachable!() };
    let data = d.path().join("objects/proj/main/avatars/u/1.png");
    assert_eq!(std::fs::read(&data).unwrap(), b"png!", "the object's bytes as uploaded");
    let side: serde_json::Value = serde_json::from_slice(&std::fs::read(d.path().join("meta/proj/main/avatars/u/1.png")).unwrap()).unwrap();
    assert_eq!(side["contentType"], "image/png");
    assert_eq!(side["cacheControl"], "max-age=3600");
    assert_eq!(side["size"], 4);
    assert_eq!(side["etag"], info.etag.as_str());
    assert!(std::fs::read_dir(d.path().join("tmp")).unwrap().next().is_none(), "nothing left aside");
    // Leftovers in tmp/ are not objects.
    std::fs::write(d.path().join("tmp/crashed-upload"), b"partial").unwrap();
    assert_eq!(s.list("avatars", "", None, None).await.unwrap().items.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_renames_still_serves_the_object() {
    let (f, s) = local();
    s.upload("docs", "r.txt", "old".into(), UploadOptions::default()).await.unwrap();
    let Fixture::Local(d) = &f else { unreachable!() };
    let prefix = s.config().prefix.clone();
    let data = d.path().join(format!("objects/{prefix}/docs/r.txt"));
    // New bytes published, sidecar not yet (as after a crash between the two renames).
    let tmp = d.path().join("tmp/x");
    std::fs::write(&tmp, b"newer bytes").unwrap();
    std::fs::rename(&tmp, &data).unwrap();
    let (info, st) = s.download("docs", "r.txt", None).await.unwrap();
    assert_eq!(read_all(st).await, b"newer bytes");
    assert_eq!((info.size, info.content_type.as_str()), (11, "text/plain; charset=utf-8"));
    assert!(info.etag.starts_with("W/\""), "a weak ETag from the file: {}", info.etag);
    // A missing sidecar too; an upsert writes a good one again.
    std::fs::remove_file(d.path().join(format!("meta/{prefix}/docs/r.txt"))).unwrap();
    assert_eq!(s.info("docs", "r.txt").await.unwrap().size, 11);
    let i = s.upload("docs", "r.txt", "fixed".into(), UploadOptions { upsert: true, ..Default::default() }).await.unwrap();
    assert_eq!(s.info("docs", "r.txt").await.unwrap().etag, i.etag);
    // An orphan sidecar (a crash during a delete) does not block a folder of that name.
    std::fs::write(d.path().join(format!("meta/{prefix}/docs/orphan")), b"{}").unwrap();
    s.upload("docs", "orphan/child", "x".into(), UploadOptions::default()).await.unwrap();
    assert_eq!(s.info("docs", "orphan/child").await.unwrap().size, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_and_folder_of_one_name_conflict() {
    let (_f, s) = local();
    s.upload("docs", "a", "file".into(), UploadOptions::default()).await.unwrap();
    let e = s.upload("docs", "a/b", "x".into(), UploadOptions::default()).await.unwrap_err();
    assert_eq!(code(&e), (409, "path_conflict".into()));
    s.upload("docs", "c/d", "x".into(), UploadOptions::default()).await.unwrap();
    for upsert in [false, true] {
        let e = s.upload("docs", "c", "x".into(), UploadOptions { upsert, ..Default::default() }).await.unwrap_err();
        assert_eq!(code(&e), (409, "path_conflict".into()), "upsert {upsert}");
    }
    assert_eq!(code(&s.copy_object("docs", "a", "c").await.unwrap_err()).1, "path_conflict");
    assert_eq!(code(&s.move_object("docs", "a", "c/d/e").await.unwrap_err()).1, "path_conflict");
    assert_eq!(code(&s.download("docs", "c", None).await.err().unwrap()).1, "object_not_found", "a folder is not an object");
    s.remove("docs", &["a".into()]).await.unwrap();
    s.upload("docs", "a/b", "now fine".into(), UploadOptions::default()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_of_one_path() {
    let (_f, s) = local();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let body = format!("writer {i:02}").into_bytes();
            s.upload("docs", "hot", body.into(), UploadOptions { upsert: i % 2 == 0, ..Default::default() }).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(code(&e).1, "already_exists"),
        }
    }
    assert!(ok >= 1);
    let (info, st) = s.download("docs", "hot", None).await.unwrap();
    let body = read_all(st).await;
    assert_eq!(info.etag, common::md5_etag(&body), "metadata and bytes agree after racing writers");
    assert!(String::from_utf8(body).unwrap().starts_with("writer "));
}
