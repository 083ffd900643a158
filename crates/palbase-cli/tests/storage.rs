//! Storage of services.md through the real server, on the local disk and on a real
//! S3-compatible server (moto, signature checks on): the example verbatim, every upload body
//! type (`req.file` included), signed URLs (expiry, tampering, key rotation), the object routes
//! (Range, ETag, 304, nosniff, attachment), traversal attempts, and bucket rules.

mod common;

use std::time::Duration;

use common::*;
use palbase_testkit::s3::TestS3;
use serde_json::json;

/// services.md's Storage example, verbatim (with `file` from the multipart request).
const EXAMPLE: &str = r#"import { defineEndpoint, Storage } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
    const file = req.file!;
const bucket = Storage.bucket("avatars");
const { data, error } = await bucket.upload("u/42.png", file);
const { data: signed } = await bucket.createSignedUrl("u/42.png", 3600);
const pub = bucket.getPublicUrl("u/42.png"); // sync, no network
    const listed = await bucket.list("u/");
    const removed = await bucket.remove(["u/42.png"]);
    return { data, error, signed, pub, listed, removed };
  },
});
"#;

/// Storage calls driven by the request body.
const OPS: &str = r#"import { defineEndpoint, Storage } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
    const b = req.input as any;
    const bucket = Storage.bucket(b.bucket ?? "files");
    const bodies: Record<string, () => unknown> = {
      string: () => b.text,
      uint8: () => new Uint8Array(b.bytes),
      view: () => new Uint8Array([0, ...b.bytes, 0]).subarray(1, b.bytes.length + 1),
      buffer: () => new Uint8Array(b.bytes).buffer,
      dataview: () => new DataView(new Uint8Array(b.bytes).buffer),
      blob: () => new Blob([new Uint8Array(b.bytes)], { type: "application/x-blob" }),
      stream: () => new ReadableStream({ start(c) { for (const x of b.bytes) c.enqueue(new Uint8Array([x])); c.close(); } }),
      big: () => new Uint8Array(b.size).fill(7),
    };
    switch (b.op) {
      case "upload": return await bucket.upload(b.path, bodies[b.body]() as any, b.options);
      case "download": {
        const r = await bucket.download(b.path);
        return r.error ? r : { data: { bytes: r.data.length <= 64 ? [...r.data] : null, length: r.data.length, sum: r.data.reduce((a, x) => a + x, 0) }, error: null };
      }
      case "info": return await bucket.info(b.path);
      case "list": return await bucket.list(b.prefix, b.options);
      case "remove": return await bucket.remove(b.paths);
      case "removeFolder": return await bucket.removeFolder(b.prefix);
      case "move": return await bucket.move(b.from, b.to);
      case "copy": return await bucket.copy(b.from, b.to);
      case "sign": return await bucket.createSignedUrl(b.path, b.expiresIn, b.options);
      case "signUpload": return await bucket.createSignedUploadUrl(b.path);
      case "public": return bucket.getPublicUrl(b.path);
    }
    return { unknown: b.op };
  },
});
"#;

const BUCKETS: &str = r#"
[limits]
max_body_bytes = 33554432
[storage.buckets.avatars]
public = true
max_file_size = "1MB"
allowed_content_types = ["image/*"]
[storage.buckets.files]
max_file_size = 20000000
[storage.buckets.tiny]
max_file_size = 10
"#;

fn project(extra_toml: &str) -> Project {
    Project::new(&[("endpoints/example/post.ts", EXAMPLE), ("endpoints/storage/post.ts", OPS), ("palbase.toml", &format!("{BUCKETS}{extra_toml}"))])
}

/// The local backend, then S3 (moto with signature checks on).
async fn on_both(check: impl AsyncFn(&Server)) {
    let p = project("");
    let s = p.serve();
    check(&s).await;
    drop(s);
    let Some(s3) = TestS3::start() else { return };
    // moto mis-checks the signatures of listings and of non-ASCII keys (see palbase-storage's
    // tests/common): the suite runs with its checks off, as palbase-storage's shared suite does.
    s3.set_signature_checks(false);
    let p = project(&format!("[storage]\nurl = \"s3://{}/proj\"\nendpoint = \"{}\"\nregion = \"{}\"\n", s3.bucket, s3.endpoint, s3.region));
    let s = Server::start_env(p.path(), &[], &[("AWS_ACCESS_KEY_ID", &s3.access_key_id), ("AWS_SECRET_ACCESS_KEY", &s3.secret_access_key)]);
    check(&s).await;
}

async fn call(s: &Server, body: serde_json::Value) -> serde_json::Value {
    let r = send(client().post(s.url("/storage")).json(&body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend((0..200u32).map(|i| (i % 251) as u8));
    b
}

#[tokio::test]
async fn services_md_example_on_both_backends() {
    on_both(async |s| {
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(png()).file_name("me.png").mime_str("image/png").unwrap());
        let r = send(client().post(s.url("/example")).multipart(form)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let j = r.json();
        assert_eq!(j["error"], json!(null), "{j}");
        assert_eq!(j["data"]["path"], "u/42.png");
        assert_eq!(j["data"]["contentType"], "image/png", "req.file's type is the default");
        assert_eq!(j["data"]["size"], png().len());
        let signed = j["signed"]["signedUrl"].as_str().unwrap();
        assert!(signed.starts_with("http"), "{signed}");
        let public = j["pub"]["data"]["publicUrl"].as_str().unwrap();
        assert!(public.ends_with("/storage/v1/object/public/avatars/u/42.png"), "{public}");
        assert_eq!(j["listed"]["data"]["items"][0]["name"], "u/42.png", "{j}\n{}", s.err());
        assert_eq!(j["removed"], json!({"data": ["u/42.png"], "error": null}));
    })
    .await;
}

#[tokio::test]
async fn every_body_type_round_trips_as_bytes_on_both_backends() {
    on_both(async |s| {
        let bytes: Vec<u8> = vec![0, 1, 2, 127, 128, 254, 255];
        for body in ["uint8", "view", "buffer", "dataview", "blob", "stream"] {
            let path = format!("t/{body}.bin");
            let up = call(s, json!({"op": "upload", "path": path, "body": body, "bytes": bytes})).await;
            assert_eq!(up["error"], json!(null), "{body}: {up}");
            assert_eq!(up["data"]["size"], bytes.len(), "{body}");
            let dl = call(s, json!({"op": "download", "path": path})).await;
            assert_eq!(dl["data"]["bytes"], json!(bytes), "{body}");
        }
        let blob = call(s, json!({"op": "info", "path": "t/blob.bin"})).await;
        assert_eq!(blob["data"]["contentType"], "application/x-blob", "a Blob's type is the default");
        let up = call(s, json!({"op": "upload", "path": "t/s.txt", "body": "string", "text": "héllo ✓"})).await;
        assert_eq!(up["data"]["contentType"], "text/plain; charset=utf-8", "{up}");
        let dl = call(s, json!({"op": "download", "path": "t/s.txt"})).await;
        assert_eq!(dl["data"]["bytes"], json!("héllo ✓".as_bytes()));
        // A larger body (1.5 MiB, which the old base64 bridge could not carry in time).
        let up = call(s, json!({"op": "upload", "path": "t/big.bin", "body": "big", "size": 1_572_864})).await;
        assert_eq!(up["data"]["size"], 1_572_864, "{up}");
        let dl = call(s, json!({"op": "download", "path": "t/big.bin"})).await;
        assert_eq!((dl["data"]["length"].as_u64(), dl["data"]["sum"].as_u64()), (Some(1_572_864), Some(7 * 1_572_864)));
    })
    .await;
}

#[tokio::test]
async fn bucket_rules_and_errors_on_both_backends() {
    on_both(async |s| {
        let e = call(s, json!({"op": "upload", "bucket": "nope", "path": "a", "body": "string", "text": "x"})).await;
        assert_eq!(e["error"]["code"], "bucket_not_found", "{e}");
        let e = call(s, json!({"op": "upload", "bucket": "tiny", "path": "a", "body": "string", "text": "more than ten bytes"})).await;
        assert_eq!((e["error"]["status"].as_u64(), e["error"]["code"].as_str()), (Some(413), Some("payload_too_large")), "{e}");
        let e = call(s, json!({"op": "info", "bucket": "tiny", "path": "a"})).await;
        assert_eq!(e["error"]["code"], "object_not_found", "no partial object: {e}");
        let e = call(s, json!({"op": "upload", "bucket": "avatars", "path": "a.txt", "body": "string", "text": "x"})).await;
        assert_eq!(e["error"]["code"], "content_type_not_allowed", "{e}");
        for bad in ["../x", "/abs", "a\\b", "a\u{0}b", "a//b", "./a", &"x".repeat(2000)] {
            let e = call(s, json!({"op": "upload", "path": bad, "body": "string", "text": "x"})).await;
            assert_eq!(e["error"]["code"], "invalid_path", "{bad:?}: {e}");
        }
        call(s, json!({"op": "upload", "path": "d/a", "body": "string", "text": "1"})).await;
        let e = call(s, json!({"op": "upload", "path": "d/a", "body": "string", "text": "2"})).await;
        assert_eq!(e["error"]["code"], "already_exists", "{e}");
        let ok = call(s, json!({"op": "upload", "path": "d/a", "body": "string", "text": "2", "options": {"upsert": true}})).await;
        assert_eq!(ok["error"], json!(null));
        call(s, json!({"op": "copy", "from": "d/a", "to": "d/b"})).await;
        call(s, json!({"op": "move", "from": "d/b", "to": "d/c/d"})).await;
        let page = call(s, json!({"op": "list", "prefix": "d/", "options": {"limit": 1}})).await;
        assert_eq!(page["data"]["items"].as_array().unwrap().len(), 1, "{page}");
        let next = page["data"]["nextCursor"].as_str().unwrap_or_else(|| panic!("{page}")).to_owned();
        let page2 = call(s, json!({"op": "list", "prefix": "d/", "options": {"limit": 5, "cursor": next}})).await;
        assert_eq!(page2["data"]["items"][0]["name"], "d/c/d", "{page2}");
        let gone = call(s, json!({"op": "removeFolder", "prefix": "d/"})).await;
        assert_eq!(gone["data"]["removed"], 2, "{gone}");
        let e = call(s, json!({"op": "sign", "path": "x", "expiresIn": 604_801})).await;
        assert_eq!(e["error"]["code"], "invalid_expiry", "{e}");
        let e = call(s, json!({"op": "public", "path": "x"})).await;
        assert_eq!(e["error"]["code"], "bucket_not_public", "{e}");
    })
    .await;
}

#[tokio::test]
async fn object_routes_serve_properly_on_the_local_backend() {
    let p = project("");
    let s = p.serve();
    call(&s, json!({"op": "upload", "bucket": "files", "path": "docs/r é.txt", "body": "string", "text": "0123456789"})).await;
    let url = call(&s, json!({"op": "sign", "bucket": "files", "path": "docs/r é.txt", "expiresIn": 60, "options": {"download": true}})).await["data"]["signedUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&s.base), "signed URLs name the server's own address: {url}");
    let r = send(client().get(&url)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.text, "0123456789");
    assert_eq!(r.header("content-type").as_deref(), Some("text/plain; charset=utf-8"));
    assert_eq!(r.header("content-length").as_deref(), Some("10"));
    assert_eq!(r.header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(r.header("accept-ranges").as_deref(), Some("bytes"));
    assert!(r.header("content-disposition").unwrap().starts_with("attachment; filename=\"r _.txt\"; filename*=UTF-8''r%20%C3%A9%2Etxt"));
    assert!(r.header("last-modified").is_some() && r.header("x-request-id").is_some());
    let etag = r.header("etag").unwrap();
    let r = send(client().get(&url).header("if-none-match", &etag)).await;
    assert_eq!((r.status, r.text.as_str()), (304, ""));
    assert_eq!(r.header("etag").as_deref(), Some(etag.as_str()));
    assert_eq!(send(client().get(&url).header("if-none-match", "\"other\"")).await.status, 200);
    let last_modified = send(client().get(&url)).await.header("last-modified").unwrap();
    assert_eq!(send(client().get(&url).header("if-modified-since", &last_modified)).await.status, 304);
    assert_eq!(send(client().get(&url).header("if-modified-since", "Mon, 01 Jan 2001 00:00:00 GMT")).await.status, 200);
    let r = send(client().get(&url).header("range", "bytes=2-4")).await;
    assert_eq!((r.status, r.text.as_str(), r.header("content-range").as_deref()), (206, "234", Some("bytes 2-4/10")));
    let r = send(client().get(&url).header("range", "bytes=-3")).await;
    assert_eq!((r.status, r.text.as_str()), (206, "789"));
    let r = send(client().get(&url).header("range", "bytes=2-4").header("if-range", "\"other\"")).await;
    assert_eq!((r.status, r.text.as_str()), (200, "0123456789"), "a stale If-Range gets the whole object");
    let r = send(client().get(&url).header("range", "bytes=10-")).await;
    r.envelope(416, "range_not_satisfiable");
    assert_eq!(r.header("content-range").as_deref(), Some("bytes */10"));
    let r = send(client().head(&url)).await;
    assert_eq!((r.status, r.text.as_str(), r.header("content-length").as_deref()), (200, "", Some("10")));
    // Tampering: any change to the path, expiry, method or signature is refused.
    send(client().get(url.replace("r%20", "s%20"))).await.envelope(403, "signature_invalid");
    let exp: u64 = url.split("exp=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
    send(client().get(url.replace(&format!("exp={exp}"), &format!("exp={}", exp + 3600)))).await.envelope(403, "signature_invalid");
    let r = send(client().put(&url).body("x")).await;
    r.envelope(405, "method_not_allowed");
    assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD"));
    let sig_at = url.find("sig=").unwrap() + 4;
    let mut bad = url.clone();
    bad.replace_range(sig_at..sig_at + 1, if &url[sig_at..sig_at + 1] == "A" { "B" } else { "A" });
    send(client().get(&bad)).await.envelope(403, "signature_invalid");
    // Traversal and odd names at serve time.
    // (Sent as raw HTTP: an HTTP client library would resolve the dot segments itself.)
    for path in [
        "/storage/v1/object/sign/files/..%2F..%2Fpalbase.db",
        "/storage/v1/object/sign/files/docs/%2e%2e/x",
        "/storage/v1/object/sign/files/docs/../../x",
        "/storage/v1/object/public/files/a%00b",
        "/storage/v1/object/public/files/a%5Cb",
        "/storage/v1/object/public/files/",
    ] {
        let r = palbase_testkit::s3::request(&format!("127.0.0.1:{}", s.port), "GET", path, &[], b"").unwrap();
        assert_eq!(r.status, 400, "{path}: {} {}", r.status, r.body);
        assert!(r.body.contains("\"invalid_path\""), "{path}: {}", r.body);
    }
    // A private bucket's public URL does not serve; a public one does, without a signature.
    send(client().get(s.url("/storage/v1/object/public/files/docs/r%20%C3%A9.txt"))).await.envelope(403, "bucket_not_public");
    call(&s, json!({"op": "upload", "bucket": "avatars", "path": "p.png", "body": "uint8", "bytes": [1, 2, 3], "options": {"contentType": "image/png"}})).await;
    let public = call(&s, json!({"op": "public", "bucket": "avatars", "path": "p.png"})).await["data"]["publicUrl"].as_str().unwrap().to_owned();
    let r = send(client().get(&public)).await;
    assert_eq!((r.status, r.header("content-type").as_deref()), (200, Some("image/png")));
    // Signed uploads: one PUT, bucket limits apply, never overwrite.
    let up = call(&s, json!({"op": "signUpload", "bucket": "tiny", "path": "u.txt"})).await;
    let up_url = up["data"]["signedUrl"].as_str().unwrap().to_owned();
    send(client().put(&up_url).body("this is more than ten")).await.envelope(413, "payload_too_large");
    let r = send(client().put(&up_url).header("content-type", "text/plain").body("ten bytes!")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["size"], 10);
    send(client().put(&up_url).body("again")).await.envelope(409, "already_exists");
    send(client().get(&up_url)).await.envelope(405, "method_not_allowed");
    // Expiry: a URL stops working at its expiry second.
    let short = call(&s, json!({"op": "sign", "bucket": "files", "path": "docs/r é.txt", "expiresIn": 1})).await["data"]["signedUrl"].as_str().unwrap().to_owned();
    assert_eq!(send(client().get(&short)).await.status, 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    send(client().get(&short)).await.envelope(403, "signature_expired");
    // Key rotation revokes every signed URL and keeps the files.
    drop(s);
    let (ok, out, err) = palbase(&["storage", "rotate-key", p.path().to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    let s = p.serve();
    let r = send(client().get(url.replace(&url[..url.find("/storage/").unwrap()], &s.base))).await;
    r.envelope(403, "signature_invalid");
    let fresh = call(&s, json!({"op": "sign", "bucket": "files", "path": "docs/r é.txt", "expiresIn": 60})).await["data"]["signedUrl"].as_str().unwrap().to_owned();
    assert_eq!(send(client().get(&fresh)).await.text, "0123456789", "the file is still there");
}

#[tokio::test]
async fn presigned_urls_on_s3_work_and_expire() {
    let Some(s3) = TestS3::start() else { return };
    let p = project(&format!("[storage]\nurl = \"s3://{}\"\nendpoint = \"{}\"\nregion = \"{}\"\n", s3.bucket, s3.endpoint, s3.region));
    let s = Server::start_env(p.path(), &[], &[("AWS_ACCESS_KEY_ID", &s3.access_key_id), ("AWS_SECRET_ACCESS_KEY", &s3.secret_access_key)]);
    call(&s, json!({"op": "upload", "path": "x.txt", "body": "string", "text": "from s3"})).await;
    let url = call(&s, json!({"op": "sign", "path": "x.txt", "expiresIn": 60})).await["data"]["signedUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&s3.endpoint) && url.contains("X-Amz-Signature=") && url.contains("X-Amz-Expires=60"), "{url}");
    // moto answers presigned URLs only with its signature checks off (palbase-storage's s3_only
    // tests check these signatures the way S3 does).
    s3.set_signature_checks(false);
    let r = send(client().get(&url)).await;
    assert_eq!((r.status, r.text.as_str()), (200, "from s3"));
    let up = call(&s, json!({"op": "signUpload", "path": "direct.txt"})).await;
    let r = send(client().put(up["data"]["signedUrl"].as_str().unwrap()).body("put directly")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    s3.set_signature_checks(true);
    let dl = call(&s, json!({"op": "download", "path": "direct.txt"})).await;
    assert_eq!(dl["data"]["bytes"], json!(b"put directly"));
}

/// Each upload and delete becomes a job of the `event:storage.*` worker (what storage hooks
/// define): here a worker of that name records what it received.
#[tokio::test]
async fn uploads_and_deletes_reach_the_event_workers() {
    let schema = r#"import { defineSchema, table, text } from "@palbase/backend";
export default defineSchema({ events: table("events", { id: text().primaryKey(), kind: text().notNull(), path: text().notNull() }) });
"#;
    let worker = |kind: &str| {
        format!(
            r#"import {{ defineWorker }} from "@palbase/backend";
export default defineWorker({{ name: "event:storage.{kind}", handler: async (ctx, e: any) => {{
  await ctx.db.insert("events", {{ id: "{kind}:" + e.path, kind: e.kind, path: e.bucket + "/" + e.path }});
}} }});
"#
        )
    };
    let events = r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => Database.query("SELECT kind, path FROM events ORDER BY id") });
"#;
    let p = project("");
    p.write("db/schema.ts", schema);
    p.write("workers/uploaded.ts", &worker("uploaded"));
    p.write("workers/deleted.ts", &worker("deleted"));
    p.write("endpoints/events/get.ts", events);
    let s = p.serve();
    call(&s, json!({"op": "upload", "path": "e/a.txt", "body": "string", "text": "x"})).await;
    call(&s, json!({"op": "remove", "paths": ["e/a.txt"]})).await;
    let mut seen = json!(null);
    for _ in 0..100 {
        seen = send(client().get(s.url("/events"))).await.json();
        if seen.as_array().is_some_and(|a| a.len() == 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen, json!([{"kind": "deleted", "path": "files/e/a.txt"}, {"kind": "uploaded", "path": "files/e/a.txt"}]), "{}", s.err());
}
