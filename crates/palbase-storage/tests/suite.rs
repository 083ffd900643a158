//! The shared suite: every test runs on the local backend and on a real S3-compatible server.

mod common;

use std::time::Duration;

use bytes::Bytes;
use common::{Fixture, chunks, code, md5_etag, read_all};
use futures::stream;
use palbase_storage::{Body, ByteRange, EventKind, MAX_SIGNED_URL_EXPIRY, UploadOptions};

suite!(
    round_trip,
    upsert_or_already_exists,
    size_limit_leaves_no_partial_object,
    content_type_allow_list,
    traversal_refused_everywhere,
    undeclared_bucket,
    list_pages_with_cursors,
    list_folder_semantics,
    remove_paths,
    remove_prefix,
    move_and_copy,
    ranged_download,
    streamed_multipart_upload,
    failed_body_leaves_nothing,
    events_follow_publication,
    signed_url_expiry_rules,
    public_urls,
);

fn opts(ct: &str) -> UploadOptions {
    UploadOptions { content_type: Some(ct.into()), ..Default::default() }
}

async fn round_trip(f: &Fixture) {
    let (s, _) = f.storage();
    let body = b"hello world".to_vec();
    let o = UploadOptions { content_type: Some("text/plain; charset=utf-8".into()), upsert: false, cache_control: Some("max-age=60".into()) };
    let info = s.upload("docs", "greetings/héllo wörld.txt", body.clone().into(), o).await.unwrap();
    assert_eq!((info.path.as_str(), info.size), ("greetings/héllo wörld.txt", 11));
    assert_eq!(info.content_type, "text/plain; charset=utf-8");
    assert_eq!(info.etag, md5_etag(&body), "a single PUT's ETag is the MD5 of the bytes on both backends");
    let (got, stream) = s.download("docs", "greetings/héllo wörld.txt", None).await.unwrap();
    assert_eq!(stream.range(), 0..11);
    assert_eq!(read_all(stream).await, body);
    assert_eq!((got.size, got.etag.as_str(), got.content_type.as_str()), (11, info.etag.as_str(), "text/plain; charset=utf-8"));
    assert_eq!(got.cache_control.as_deref(), Some("max-age=60"));
    let age = got.last_modified.elapsed().unwrap_or_default();
    assert!(age < Duration::from_secs(120), "{age:?}");
    assert_eq!(s.info("docs", "greetings/héllo wörld.txt").await.unwrap(), got);
    // Default content type from the extension; empty objects work.
    let i = s.upload("docs", "a/empty.json", Bytes::new().into(), UploadOptions::default()).await.unwrap();
    assert_eq!((i.size, i.content_type.as_str()), (0, "application/json"));
    let (_, st) = s.download("docs", "a/empty.json", None).await.unwrap();
    assert!(read_all(st).await.is_empty());
    let i = s.upload("docs", "noext", b"x".to_vec().into(), UploadOptions::default()).await.unwrap();
    assert_eq!(i.content_type, "application/octet-stream");
    // Missing objects.
    for e in [s.download("docs", "nope", None).await.err().unwrap(), s.info("docs", "nope").await.unwrap_err()] {
        assert_eq!(code(&e), (404, "object_not_found".into()));
    }
    // Namespaces do not collide: a second project sees nothing.
    let (other, _) = f.storage();
    assert_eq!(code(&other.info("docs", "noext").await.unwrap_err()).1, "object_not_found");
    assert!(other.list("docs", "", None, None).await.unwrap().items.is_empty());
}

async fn upsert_or_already_exists(f: &Fixture) {
    let (s, _) = f.storage();
    s.upload("docs", "f.txt", "one".into(), UploadOptions::default()).await.unwrap();
    let e = s.upload("docs", "f.txt", "two".into(), UploadOptions::default()).await.unwrap_err();
    assert_eq!(code(&e), (409, "already_exists".into()));
    let (_, st) = s.download("docs", "f.txt", None).await.unwrap();
    assert_eq!(read_all(st).await, b"one");
    let i = s.upload("docs", "f.txt", "three".into(), UploadOptions { upsert: true, ..opts("text/plain") }).await.unwrap();
    assert_eq!(i.size, 5);
    let (got, st) = s.download("docs", "f.txt", None).await.unwrap();
    assert_eq!((read_all(st).await, got.content_type), (b"three".to_vec(), "text/plain".to_owned()));
    // A streamed upload without upsert is refused too, and leaves the object.
    let body = Body::from_stream(stream::iter(chunks(3, 10).into_iter().map(Ok::<_, std::io::Error>)));
    assert_eq!(code(&s.upload("docs", "f.txt", body, UploadOptions::default()).await.unwrap_err()).1, "already_exists");
    let (_, st) = s.download("docs", "f.txt", None).await.unwrap();
    assert_eq!(read_all(st).await, b"three");
}

async fn size_limit_leaves_no_partial_object(f: &Fixture) {
    let (s, events) = f.storage();
    // Exactly the limit is fine.
    s.upload("small", "exact", vec![1u8; 100].into(), UploadOptions::default()).await.unwrap();
    let e = s.upload("small", "big", vec![1u8; 101].into(), UploadOptions::default()).await.unwrap_err();
    assert_eq!(code(&e), (413, "payload_too_large".into()));
    let api: palbase_core::ApiError = e.into();
    assert_eq!(api.data, Some(serde_json::json!({"limit": 100})));
    // A stream is counted as it arrives.
    let body = Body::from_stream(stream::iter(chunks(11, 10).into_iter().map(Ok::<_, std::io::Error>)));
    assert_eq!(code(&s.upload("small", "streamed", body, UploadOptions::default()).await.unwrap_err()).1, "payload_too_large");
    for p in ["big", "streamed"] {
        assert_eq!(code(&s.info("small", p).await.unwrap_err()).1, "object_not_found", "{p}");
    }
    // Over the limit with upsert: the old object stays whole.
    let body = Body::from_stream(stream::iter(chunks(20, 10).into_iter().map(Ok::<_, std::io::Error>)));
    let e = s.upload("small", "exact", body, UploadOptions { upsert: true, ..Default::default() }).await.unwrap_err();
    assert_eq!(code(&e).1, "payload_too_large");
    let (_, st) = s.download("small", "exact", None).await.unwrap();
    assert_eq!(read_all(st).await, vec![1u8; 100]);
    let names: Vec<String> = s.list("small", "", None, None).await.unwrap().items.into_iter().map(|i| i.path).collect();
    assert_eq!(names, ["exact"]);
    assert_eq!(events.take().len(), 1, "only the published upload is an event");
}

async fn content_type_allow_list(f: &Fixture) {
    let (s, _) = f.storage();
    for (path, ct) in [("a.png", Some("image/png")), ("b", Some("IMAGE/JPEG")), ("c.svg", Some("image/svg+xml")), ("d.webp", None)] {
        let o = UploadOptions { content_type: ct.map(Into::into), ..Default::default() };
        s.upload("avatars", path, b"img".to_vec().into(), o).await.unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    for (path, ct) in [("e.txt", None), ("f.png", Some("text/plain")), ("g.png", Some("imagex/png")), ("h", Some("application/pdf"))] {
        let o = UploadOptions { content_type: ct.map(Into::into), ..Default::default() };
        let e = s.upload("avatars", path, b"img".to_vec().into(), o).await.unwrap_err();
        assert_eq!(code(&e), (415, "content_type_not_allowed".into()), "{path}");
    }
    for bad in ["png", "image/", "image/png\r\nx-evil: 1", ""] {
        let e = s.upload("docs", "x", b"1".to_vec().into(), opts(bad)).await.unwrap_err();
        assert_eq!(code(&e).1, "content_type_not_allowed", "{bad:?}");
    }
    let e = s.upload("docs", "x", b"1".to_vec().into(), UploadOptions { cache_control: Some("a\nb".into()), ..Default::default() }).await.unwrap_err();
    assert_eq!(code(&e).1, "invalid_arguments");
    assert_eq!(s.list("avatars", "", None, None).await.unwrap().items.len(), 4);
}

async fn traversal_refused_everywhere(f: &Fixture) {
    let (s, _) = f.storage();
    s.upload("docs", "ok.txt", "x".into(), UploadOptions::default()).await.unwrap();
    let long = "a/".repeat(600) + "b";
    for bad in ["", "/abs", "../up", "a/../../b", "a/./b", "a//b", "a/", "a\\b", "a\0b", "a\nb", "%2e%2e/x", "a%2Fb", "x\u{202E}y", long.as_str()] {
        let e = s.upload("docs", bad, "x".into(), UploadOptions::default()).await.unwrap_err();
        assert_eq!(code(&e), (400, "invalid_path".into()), "{bad:?}");
        assert_eq!(code(&s.download("docs", bad, None).await.err().unwrap()).1, "invalid_path", "{bad:?}");
        assert_eq!(code(&s.remove("docs", &[bad.to_owned()]).await.unwrap_err()).1, "invalid_path", "{bad:?}");
        assert_eq!(code(&s.signed_url("docs", bad, 60, None).await.unwrap_err()).1, "invalid_path", "{bad:?}");
        assert_eq!(code(&s.copy_object("docs", "ok.txt", bad).await.unwrap_err()).1, "invalid_path", "{bad:?}");
    }
    for bad in ["../", "/x", "a//"] {
        assert_eq!(code(&s.list("docs", bad, None, None).await.unwrap_err()).1, "invalid_path", "{bad:?}");
        assert_eq!(code(&s.remove_prefix("docs", bad).await.unwrap_err()).1, "invalid_path", "{bad:?}");
    }
    let names: Vec<String> = s.list("docs", "", None, None).await.unwrap().items.into_iter().map(|i| i.path).collect();
    assert_eq!(names, ["ok.txt"]);
    // The key limit counts the prefix and the bucket.
    let max = s.max_path_bytes("docs");
    let mut fits = String::new();
    while fits.len() < max {
        if !fits.is_empty() {
            fits.push('/');
        }
        let n = (max - fits.len()).min(200);
        fits.push_str(&"w".repeat(n));
    }
    assert_eq!(fits.len(), max);
    s.upload("docs", &fits, "x".into(), UploadOptions::default()).await.unwrap();
    let e = s.upload("docs", &format!("{fits}w"), "x".into(), UploadOptions::default()).await.unwrap_err();
    assert_eq!(code(&e).1, "invalid_path");
}

async fn undeclared_bucket(f: &Fixture) {
    let (s, _) = f.storage();
    let nf = |e: palbase_storage::StorageError| assert_eq!(code(&e), (404, "bucket_not_found".into()));
    nf(s.upload("nope", "a", "x".into(), UploadOptions::default()).await.unwrap_err());
    nf(s.download("nope", "a", None).await.err().unwrap());
    nf(s.list("nope", "", None, None).await.unwrap_err());
    nf(s.remove("nope", &["a".into()]).await.unwrap_err());
    nf(s.remove_prefix("nope", "").await.unwrap_err());
    nf(s.move_object("nope", "a", "b").await.unwrap_err());
    nf(s.signed_url("nope", "a", 60, None).await.unwrap_err());
    nf(s.signed_upload_url("nope", "a").await.unwrap_err());
    nf(s.public_url("nope", "a").unwrap_err());
}

async fn list_pages_with_cursors(f: &Fixture) {
    let (s, _) = f.storage();
    // Byte order of whole paths: "a-c" < "a/b" ('-' < '/'), "B" < "a", "é" after ASCII.
    let paths = ["a/b", "a-c", "a/b/c", "B", "z", "é", "a/a", "m/n/o/p", "a0"];
    for p in paths {
        let e = s.upload("docs", p, p.as_bytes().to_vec().into(), opts("text/plain")).await;
        if let Err(e) = e {
            // `a/b` and `a/b/c` cannot both exist on a filesystem.
            assert!(!f.is_s3() && p == "a/b/c" && code(&e) == (409, "path_conflict".into()), "{p}: {e}");
        }
    }
    let mut expected: Vec<&str> = paths.iter().copied().filter(|p| f.is_s3() || *p != "a/b/c").collect();
    expected.sort();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = s.list("docs", "", Some(2), cursor.as_deref()).await.unwrap();
        pages += 1;
        assert!(page.items.len() <= 2);
        for i in &page.items {
            assert_eq!((i.size, i.content_type.as_str()), (i.path.len() as u64, "text/plain"), "{}", i.path);
            assert_eq!(i.etag, md5_etag(i.path.as_bytes()));
            seen.push(i.path.clone());
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(pages, expected.len().div_ceil(2));
    // One page with everything, and bad limits and cursors.
    assert_eq!(s.list("docs", "", Some(1000), None).await.unwrap().items.len(), expected.len());
    assert_eq!(s.list("docs", "", None, None).await.unwrap().next_cursor, None);
    for bad in [Some(0), Some(1001)] {
        assert_eq!(code(&s.list("docs", "", bad, None).await.unwrap_err()), (400, "invalid_arguments".into()));
    }
    assert_eq!(code(&s.list("docs", "", None, Some("../x")).await.unwrap_err()).1, "invalid_arguments");
    // After a cursor that is no object's path; past the end is an empty last page.
    let p = s.list("docs", "", None, Some("zz")).await.unwrap();
    assert_eq!(p.items.iter().map(|i| i.path.as_str()).collect::<Vec<_>>(), ["é"]);
    let p = s.list("docs", "", None, Some("ÿ")).await.unwrap();
    assert!(p.items.is_empty() && p.next_cursor.is_none());
}

async fn list_folder_semantics(f: &Fixture) {
    let (s, _) = f.storage();
    for p in ["u1/a.png", "u1/sub/b.png", "u10/c.png", "u1x", "top.png"] {
        s.upload("docs", p, "x".into(), UploadOptions::default()).await.unwrap();
    }
    let names = |prefix: &'static str| {
        let s = s.clone();
        async move { s.list("docs", prefix, None, None).await.unwrap().items.into_iter().map(|i| i.path).collect::<Vec<_>>() }
    };
    assert_eq!(names("u1").await, ["u1/a.png", "u1/sub/b.png"]);
    assert_eq!(names("u1/").await, ["u1/a.png", "u1/sub/b.png"]);
    assert_eq!(names("u1/sub").await, ["u1/sub/b.png"]);
    assert_eq!(names("u1/a.png").await, Vec::<String>::new(), "an object is not a folder");
    assert_eq!(names("nothing").await, Vec::<String>::new());
    assert_eq!(names("").await.len(), 5);
    // Paging inside a folder.
    let p = s.list("docs", "u1", Some(1), None).await.unwrap();
    assert_eq!((p.items[0].path.as_str(), p.next_cursor.as_deref()), ("u1/a.png", Some("u1/a.png")));
    let p = s.list("docs", "u1", Some(1), p.next_cursor.as_deref()).await.unwrap();
    assert_eq!((p.items[0].path.as_str(), p.next_cursor.as_deref()), ("u1/sub/b.png", None));
}

async fn remove_paths(f: &Fixture) {
    let (s, events) = f.storage();
    for p in ["a.txt", "b/c.txt", "d.txt"] {
        s.upload("docs", p, "xy".into(), opts("text/plain")).await.unwrap();
    }
    events.take();
    let removed = s.remove("docs", &["b/c.txt".into(), "missing".into(), "a.txt".into(), "a.txt".into()]).await.unwrap();
    let names: Vec<&str> = removed.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(names, ["b/c.txt", "a.txt"]);
    let ev = events.take();
    assert_eq!(ev.len(), 2);
    for (e, p) in ev.iter().zip(["b/c.txt", "a.txt"]) {
        assert_eq!((e.kind, e.bucket.as_str(), e.path.as_str(), e.size, e.content_type.as_deref()), (EventKind::Deleted, "docs", p, 2, Some("text/plain")));
    }
    assert_eq!(code(&s.info("docs", "a.txt").await.unwrap_err()).1, "object_not_found");
    assert_eq!(s.list("docs", "", None, None).await.unwrap().items.len(), 1);
    // Removing again is not an error and removes nothing.
    assert!(s.remove("docs", &["a.txt".into()]).await.unwrap().is_empty());
    assert!(events.take().is_empty());
    let many: Vec<String> = (0..1001).map(|i| format!("p{i}")).collect();
    assert_eq!(code(&s.remove("docs", &many).await.unwrap_err()).1, "invalid_arguments");
    // The folder of a removed object can hold an object of that name again.
    s.upload("docs", "b", "now a file".into(), UploadOptions::default()).await.unwrap();
}

async fn remove_prefix(f: &Fixture) {
    let (s, events) = f.storage();
    for p in ["u1/a", "u1/b/c", "u1/b/d", "u10/e", "u1x", "other/f"] {
        s.upload("docs", p, "12345".into(), UploadOptions::default()).await.unwrap();
    }
    events.take();
    assert_eq!(s.remove_prefix("docs", "u1").await.unwrap(), 3);
    let mut ev: Vec<_> = events.take().into_iter().map(|e| (e.kind, e.path, e.size)).collect();
    ev.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(ev, [(EventKind::Deleted, "u1/a".into(), 5), (EventKind::Deleted, "u1/b/c".into(), 5), (EventKind::Deleted, "u1/b/d".into(), 5)]);
    let names: Vec<String> = s.list("docs", "", None, None).await.unwrap().items.into_iter().map(|i| i.path).collect();
    assert_eq!(names, ["other/f", "u10/e", "u1x"]);
    assert_eq!(s.remove_prefix("docs", "u1/").await.unwrap(), 0);
    // A folder of more than one page of listing.
    for i in 0..30 {
        s.upload("docs", &format!("many/{i:02}"), "x".into(), UploadOptions::default()).await.unwrap();
    }
    assert_eq!(s.remove_prefix("docs", "many").await.unwrap(), 30);
    assert_eq!(s.remove_prefix("docs", "").await.unwrap(), 3, "the whole bucket");
    assert!(s.list("docs", "", None, None).await.unwrap().items.is_empty());
    // Other buckets are untouched.
    s.upload("small", "keep", "x".into(), UploadOptions::default()).await.unwrap();
    assert_eq!(s.remove_prefix("docs", "").await.unwrap(), 0);
    s.info("small", "keep").await.unwrap();
}

async fn move_and_copy(f: &Fixture) {
    let (s, events) = f.storage();
    let o = UploadOptions { content_type: Some("text/markdown".into()), cache_control: Some("no-cache".into()), upsert: false };
    s.upload("docs", "src/a.md", "# title".into(), o).await.unwrap();
    s.upload("docs", "taken", "t".into(), UploadOptions::default()).await.unwrap();
    events.take();
    let c = s.copy_object("docs", "src/a.md", "copies/a.md").await.unwrap();
    assert_eq!((c.path.as_str(), c.size, c.content_type.as_str(), c.cache_control.as_deref()), ("copies/a.md", 7, "text/markdown", Some("no-cache")));
    for p in ["src/a.md", "copies/a.md"] {
        let (i, st) = s.download("docs", p, None).await.unwrap();
        assert_eq!((read_all(st).await, i.content_type), (b"# title".to_vec(), "text/markdown".to_owned()), "{p}");
    }
    let ev = events.take();
    assert_eq!(ev.iter().map(|e| (e.kind, e.path.as_str())).collect::<Vec<_>>(), [(EventKind::Uploaded, "copies/a.md")]);
    for (from, to, want) in [("src/a.md", "taken", (409, "already_exists")), ("src/a.md", "src/a.md", (409, "already_exists")), ("missing", "x", (404, "object_not_found"))] {
        let e = s.copy_object("docs", from, to).await.unwrap_err();
        assert_eq!(code(&e), (want.0, want.1.to_owned()), "copy {from} → {to}");
        let e = s.move_object("docs", from, to).await.unwrap_err();
        assert_eq!(code(&e), (want.0, want.1.to_owned()), "move {from} → {to}");
    }
    let (_, st) = s.download("docs", "taken", None).await.unwrap();
    assert_eq!(read_all(st).await, b"t", "a refused copy leaves the target");
    assert!(events.take().is_empty());
    let m = s.move_object("docs", "src/a.md", "moved/deep/a.md").await.unwrap();
    assert_eq!((m.path.as_str(), m.content_type.as_str(), m.cache_control.as_deref()), ("moved/deep/a.md", "text/markdown", Some("no-cache")));
    assert_eq!(code(&s.info("docs", "src/a.md").await.unwrap_err()).1, "object_not_found");
    let (_, st) = s.download("docs", "moved/deep/a.md", None).await.unwrap();
    assert_eq!(read_all(st).await, b"# title");
    let ev: Vec<_> = events.take().into_iter().map(|e| (e.kind, e.path, e.size)).collect();
    assert_eq!(ev, [(EventKind::Uploaded, "moved/deep/a.md".into(), 7), (EventKind::Deleted, "src/a.md".into(), 7)]);
    // The emptied folder is gone: `src` can now be an object.
    s.upload("docs", "src", "file".into(), UploadOptions::default()).await.unwrap();
}

async fn ranged_download(f: &Fixture) {
    let (s, _) = f.storage();
    let body: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    s.upload("docs", "r.bin", body.clone().into(), UploadOptions::default()).await.unwrap();
    for (r, want) in [(ByteRange::FromTo { start: 0, end: 10 }, 0..10), (ByteRange::FromTo { start: 990, end: 5000 }, 990..1000), (ByteRange::From(500), 500..1000), (ByteRange::Suffix(7), 993..1000), (ByteRange::Suffix(5000), 0..1000)] {
        let (info, st) = s.download("docs", "r.bin", Some(r)).await.unwrap();
        assert_eq!((info.size, st.range()), (1000, want.clone()), "{r:?}");
        assert_eq!(read_all(st).await, body[want.start as usize..want.end as usize], "{r:?}");
    }
    for r in [ByteRange::From(1000), ByteRange::FromTo { start: 2000, end: 3000 }, ByteRange::FromTo { start: 5, end: 5 }, ByteRange::Suffix(0)] {
        let e = s.download("docs", "r.bin", Some(r)).await.err().unwrap();
        assert_eq!(code(&e), (416, "range_not_satisfiable".into()), "{r:?}");
    }
    assert_eq!(code(&s.download("docs", "missing", Some(ByteRange::From(0))).await.err().unwrap()).1, "object_not_found");
}

async fn streamed_multipart_upload(f: &Fixture) {
    // 20 MiB in 1 MiB chunks: on S3 three parts (8 + 8 + 4 MiB) of a multipart upload.
    let (s, _) = f.storage();
    let parts = chunks(20, 1 << 20);
    let whole: Vec<u8> = parts.iter().flat_map(|b| b.iter().copied()).collect();
    let body = Body::from_stream(stream::iter(parts.clone().into_iter().map(Ok::<_, std::io::Error>)));
    let info = s.upload("docs", "big/file.bin", body, UploadOptions::default()).await.unwrap();
    assert_eq!(info.size, 20 << 20);
    if f.is_s3() {
        assert!(info.etag.ends_with("-3\""), "a 3-part multipart ETag: {}", info.etag);
    } else {
        assert_eq!(info.etag, md5_etag(&whole));
    }
    let (got, st) = s.download("docs", "big/file.bin", None).await.unwrap();
    assert_eq!((got.size, got.content_type.as_str()), (20 << 20, "application/octet-stream"));
    let back = read_all(st).await;
    assert!(back == whole, "the bytes came back unchanged");
    let (_, st) = s.download("docs", "big/file.bin", Some(ByteRange::FromTo { start: (8 << 20) - 3, end: (8 << 20) + 3 })).await.unwrap();
    assert_eq!(read_all(st).await, whole[(8 << 20) - 3..(8 << 20) + 3]);
    // Over a limit after several parts: aborted, no object.
    let mut cfg = f.config();
    cfg.buckets.get_mut("docs").unwrap().max_file_size = Some(18 << 20);
    let (limited, events) = f.storage_with(cfg);
    let body = Body::from_stream(stream::iter(parts.into_iter().map(Ok::<_, std::io::Error>)));
    assert_eq!(code(&limited.upload("docs", "too/big.bin", body, UploadOptions::default()).await.unwrap_err()).1, "payload_too_large");
    assert_eq!(code(&limited.info("docs", "too/big.bin").await.unwrap_err()).1, "object_not_found");
    assert!(events.take().is_empty());
}

async fn failed_body_leaves_nothing(f: &Fixture) {
    let (s, events) = f.storage();
    for (name, n) in [("small-fail", 3usize), ("multipart-fail", 12)] {
        let mut items: Vec<Result<Bytes, std::io::Error>> = chunks(n, 1 << 20).into_iter().map(Ok).collect();
        items.push(Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "client went away")));
        let e = s.upload("docs", name, Body::from_stream(stream::iter(items)), UploadOptions::default()).await.unwrap_err();
        assert_eq!(code(&e), (400, "upload_incomplete".into()), "{name}");
        assert_eq!(code(&s.info("docs", name).await.unwrap_err()).1, "object_not_found", "{name}");
    }
    assert!(s.list("docs", "", None, None).await.unwrap().items.is_empty());
    assert!(events.take().is_empty());
}

async fn events_follow_publication(f: &Fixture) {
    let (s, events) = f.storage();
    let before = std::time::SystemTime::now();
    s.upload("avatars", "u/1.png", vec![0u8; 42].into(), opts("image/png")).await.unwrap();
    let ev = events.take();
    assert_eq!(ev.len(), 1);
    let e = &ev[0];
    assert_eq!((e.kind, e.bucket.as_str(), e.path.as_str(), e.size, e.content_type.as_deref()), (EventKind::Uploaded, "avatars", "u/1.png", 42, Some("image/png")));
    assert!(e.at >= before);
    let j = e.to_json();
    assert_eq!((j["kind"].as_str(), j["contentType"].as_str(), j["size"].as_u64()), (Some("uploaded"), Some("image/png"), Some(42)));
    assert!(j["at"].as_str().unwrap().ends_with('Z'));
    // Refused uploads record nothing.
    let _ = s.upload("avatars", "u/1.png", vec![0u8; 42].into(), opts("image/png")).await.unwrap_err();
    let _ = s.upload("avatars", "u/2.txt", vec![0u8; 42].into(), opts("text/plain")).await.unwrap_err();
    assert!(events.take().is_empty());
    s.remove("avatars", &["u/1.png".into()]).await.unwrap();
    let ev = events.take();
    assert_eq!((ev[0].kind, ev[0].size, ev[0].content_type.as_deref()), (EventKind::Deleted, 42, Some("image/png")));
    // The object is published before the sink runs: a failing sink's error reaches the caller,
    // and the object is there.
    struct Failing;
    impl palbase_storage::EventSink for Failing {
        fn record(&self, _: palbase_storage::StorageEvent) -> Result<(), palbase_storage::StorageError> {
            Err(palbase_storage::StorageError::Unavailable("queue down".into()))
        }
    }
    let cfg = f.config();
    let failing = match f {
        Fixture::Local(d) => palbase_storage::Storage::local(d.path(), cfg, std::sync::Arc::new(Failing)).unwrap(),
        Fixture::S3(t) => palbase_storage::Storage::s3(Fixture::s3_config(t), cfg, std::sync::Arc::new(Failing)).unwrap(),
    };
    let e = failing.upload("docs", "x", "x".into(), UploadOptions::default()).await.unwrap_err();
    assert_eq!(code(&e).1, "storage_unavailable");
    failing.info("docs", "x").await.unwrap();
}

async fn signed_url_expiry_rules(f: &Fixture) {
    let (s, _) = f.storage();
    s.upload("docs", "a b/ü.pdf", "pdf".into(), opts("application/pdf")).await.unwrap();
    for bad in [0, MAX_SIGNED_URL_EXPIRY.as_secs() + 1, u64::MAX] {
        let e = s.signed_url("docs", "a b/ü.pdf", bad, None).await.unwrap_err();
        assert_eq!(code(&e), (400, "invalid_expiry".into()), "{bad}");
    }
    let url = s.signed_url("docs", "a b/ü.pdf", MAX_SIGNED_URL_EXPIRY.as_secs(), None).await.unwrap();
    if f.is_s3() {
        assert!(url.contains("X-Amz-Expires=604800") && url.contains("/a%20b/%C3%BC.pdf"), "{url}");
    } else {
        assert!(url.starts_with(&format!("{}/storage/v1/object/sign/docs/a%20b/%C3%BC.pdf?exp=", common::BASE)), "{url}");
    }
    assert_eq!(code(&s.signed_url("docs", "missing", 60, None).await.unwrap_err()).1, "object_not_found");
    assert_eq!(code(&s.signed_url("docs", "a b/ü.pdf", 60, Some("a/b")).await.unwrap_err()).1, "invalid_arguments");
    let up = s.signed_upload_url("docs", "incoming/new.bin").await.unwrap();
    assert!(up.url.ends_with(&up.token) && !up.token.is_empty(), "{up:?}");
    if f.is_s3() {
        assert!(up.url.contains("X-Amz-Expires=7200"), "{}", up.url);
    } else {
        assert!(up.url.starts_with(&format!("{}/storage/v1/object/upload/sign/docs/incoming/new.bin?exp=", common::BASE)));
    }
}

async fn public_urls(f: &Fixture) {
    let (s, _) = f.storage();
    assert_eq!(s.public_url("avatars", "u 1/a.png").unwrap(), format!("{}/storage/v1/object/public/avatars/u%201/a.png", common::BASE));
    assert_eq!(code(&s.public_url("docs", "a.pdf").unwrap_err()), (403, "bucket_not_public".into()));
    assert_eq!(code(&s.public_url("avatars", "../a").unwrap_err()).1, "invalid_path");
    s.check_public("avatars").unwrap();
    let mut cfg = f.config();
    cfg.public_base_url = Some("https://cdn.example.test/".into());
    let (s, _) = f.storage_with(cfg);
    assert_eq!(s.public_url("avatars", "x.png").unwrap(), "https://cdn.example.test/storage/v1/object/public/avatars/x.png");
}
