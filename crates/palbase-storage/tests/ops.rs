//! The `storage.*` ops as JavaScript calls them, on both backends.
#![allow(clippy::result_large_err)] // palbase_core::ApiError is what ops return

mod common;

use std::sync::Arc;

use common::Fixture;
use palbase_core::{
    ApiError,
    ops::{CallerKind, OpRegistry, OpScope},
};
use palbase_storage::{UploadOptions, ops::register_ops};
use serde_json::{Value, json};

suite!(op_shapes, op_errors, bytes_ops);

fn scope() -> OpScope {
    OpScope { kind: CallerKind::Endpoint, request_id: Some(Arc::from("req_test")) }
}

async fn call(reg: &OpRegistry, name: &str, args: Value) -> Result<Value, ApiError> {
    reg.get(name).unwrap_or_else(|| panic!("{name} registered")).call(scope(), args).await
}

async fn op_shapes(f: &Fixture) {
    let (s, _) = f.storage();
    let mut reg = OpRegistry::new();
    register_ops(&mut reg, s.clone(), 1 << 20);
    let mut names: Vec<&str> = reg.names().copied().collect();
    names.sort();
    assert_eq!(names, ["storage.copy", "storage.download", "storage.info", "storage.list", "storage.move", "storage.publicUrl", "storage.remove", "storage.removePrefix", "storage.signedUploadUrl", "storage.signedUrl", "storage.upload"]);
    for p in ["u1/a.png", "u1/b.png", "u2/c.png"] {
        s.upload("avatars", p, b"png".to_vec().into(), UploadOptions { content_type: Some("image/png".into()), ..Default::default() }).await.unwrap();
    }
    let page = call(&reg, "storage.list", json!({"bucket": "avatars", "prefix": "u1", "limit": 1})).await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let it = &items[0];
    assert_eq!((it["name"].as_str(), it["size"].as_u64(), it["contentType"].as_str()), (Some("u1/a.png"), Some(3), Some("image/png")));
    assert!(it["etag"].as_str().unwrap().starts_with('"'));
    let updated = it["updatedAt"].as_str().unwrap();
    assert!(updated.len() == 24 && updated.ends_with('Z'), "{updated}");
    assert_eq!(page["nextCursor"], "u1/a.png");
    let page = call(&reg, "storage.list", json!({"bucket": "avatars", "prefix": "u1", "cursor": "u1/a.png"})).await.unwrap();
    assert_eq!((page["items"][0]["name"].as_str(), &page["nextCursor"]), (Some("u1/b.png"), &Value::Null));
    assert_eq!(call(&reg, "storage.list", json!({"bucket": "avatars"})).await.unwrap()["items"].as_array().unwrap().len(), 3);
    let info = call(&reg, "storage.info", json!({"bucket": "avatars", "path": "u2/c.png"})).await.unwrap();
    assert_eq!((info["name"].as_str(), &info["cacheControl"]), (Some("u2/c.png"), &Value::Null));
    let c = call(&reg, "storage.copy", json!({"bucket": "avatars", "from": "u2/c.png", "to": "u3/c.png"})).await.unwrap();
    assert_eq!((c["name"].as_str(), c["contentType"].as_str()), (Some("u3/c.png"), Some("image/png")));
    let m = call(&reg, "storage.move", json!({"bucket": "avatars", "from": "u3/c.png", "to": "u4/c.png"})).await.unwrap();
    assert_eq!(m["name"], "u4/c.png");
    let r = call(&reg, "storage.remove", json!({"bucket": "avatars", "paths": ["u4/c.png", "missing.png"]})).await.unwrap();
    assert_eq!(r, json!({"removed": ["u4/c.png"]}));
    let u = call(&reg, "storage.signedUrl", json!({"bucket": "avatars", "path": "u1/a.png", "expiresIn": 60})).await.unwrap();
    assert!(u["signedUrl"].as_str().unwrap().starts_with("http://127.0.0.1:"), "{u}");
    for dl in [json!(true), json!("name.png"), json!(false), Value::Null] {
        call(&reg, "storage.signedUrl", json!({"bucket": "avatars", "path": "u1/a.png", "expiresIn": 60.0, "download": dl})).await.unwrap();
    }
    let up = call(&reg, "storage.signedUploadUrl", json!({"bucket": "avatars", "path": "new.png"})).await.unwrap();
    assert!(up["signedUrl"].as_str().unwrap().ends_with(up["token"].as_str().unwrap()));
    // publicUrl is synchronous.
    let op = reg.get("storage.publicUrl").unwrap();
    let p = op.call_sync(scope(), json!({"bucket": "avatars", "path": "u1/a.png"})).unwrap();
    assert_eq!(p, json!({"publicUrl": format!("{}/storage/v1/object/public/avatars/u1/a.png", common::BASE)}));
    let n = call(&reg, "storage.removePrefix", json!({"bucket": "avatars", "prefix": "u1"})).await.unwrap();
    assert_eq!(n, json!({"removed": 2}));
}

async fn op_errors(f: &Fixture) {
    let (s, _) = f.storage();
    let mut reg = OpRegistry::new();
    register_ops(&mut reg, s.clone(), 1 << 20);
    s.upload("docs", "a.txt", "x".into(), UploadOptions::default()).await.unwrap();
    for (name, args, status, code) in [
        ("storage.list", json!({}), 400, "invalid_arguments"),
        ("storage.list", json!({"bucket": "docs", "limit": -1}), 400, "invalid_arguments"),
        ("storage.list", json!({"bucket": "docs", "limit": 5000}), 400, "invalid_arguments"),
        ("storage.list", json!({"bucket": "docs", "extra": 1}), 400, "invalid_arguments"),
        ("storage.list", json!({"bucket": "nope"}), 404, "bucket_not_found"),
        ("storage.info", json!({"bucket": "docs", "path": "missing"}), 404, "object_not_found"),
        ("storage.info", json!({"bucket": "docs", "path": "../a.txt"}), 400, "invalid_path"),
        ("storage.remove", json!({"bucket": "docs", "paths": "a.txt"}), 400, "invalid_arguments"),
        ("storage.remove", json!({"bucket": "docs", "paths": ["/etc/passwd"]}), 400, "invalid_path"),
        ("storage.removePrefix", json!({"bucket": "docs"}), 400, "invalid_arguments"),
        ("storage.move", json!({"bucket": "docs", "from": "a.txt", "to": "a.txt"}), 409, "already_exists"),
        ("storage.copy", json!({"bucket": "docs", "from": "missing", "to": "b"}), 404, "object_not_found"),
        ("storage.signedUrl", json!({"bucket": "docs", "path": "a.txt", "expiresIn": 0}), 400, "invalid_expiry"),
        ("storage.signedUrl", json!({"bucket": "docs", "path": "a.txt", "expiresIn": 1.5}), 400, "invalid_expiry"),
        ("storage.signedUrl", json!({"bucket": "docs", "path": "a.txt", "expiresIn": "60"}), 400, "invalid_expiry"),
        ("storage.signedUrl", json!({"bucket": "docs", "path": "a.txt", "expiresIn": 604801}), 400, "invalid_expiry"),
        ("storage.signedUrl", json!({"bucket": "docs", "path": "a.txt", "expiresIn": 60, "download": 1}), 400, "invalid_arguments"),
        ("storage.signedUrl", json!({"bucket": "docs", "path": "a.txt"}), 400, "invalid_arguments"),
        ("storage.signedUploadUrl", json!({"bucket": "docs", "path": "a//b"}), 400, "invalid_path"),
    ] {
        let e = call(&reg, name, args.clone()).await.unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (status, code), "{name} {args}");
    }
    let op = reg.get("storage.publicUrl").unwrap();
    let e = op.call_sync(scope(), json!({"bucket": "docs", "path": "a.txt"})).unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (403, "bucket_not_public"));
}

/// `storage.upload` / `storage.download` carry bytes next to their JSON; a download larger than
/// the caller's memory budget is 413 and says what to do instead.
async fn bytes_ops(f: &Fixture) {
    let (s, _) = f.storage();
    let mut reg = OpRegistry::new();
    register_ops(&mut reg, s.clone(), 8);
    let up = |args: Value, bytes: Option<&'static [u8]>| reg.get("storage.upload").unwrap().call_bytes(scope(), args, bytes.map(bytes::Bytes::from_static));
    let out = up(json!({"bucket": "docs", "path": "b.bin", "contentType": "application/x-test"}), Some(&[0, 1, 255])).await.unwrap();
    assert_eq!((out.json["path"].as_str(), out.json["size"].as_u64(), out.json["contentType"].as_str(), out.bytes), (Some("b.bin"), Some(3), Some("application/x-test"), None));
    up(json!({"bucket": "docs", "path": "t.txt", "text": "héllo"}), None).await.unwrap();
    let e = up(json!({"bucket": "docs", "path": "x", "text": "a"}), Some(b"b")).await.unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (400, "invalid_arguments"));
    let down = |path: &str| reg.get("storage.download").unwrap().call_bytes(scope(), json!({"bucket": "docs", "path": path}), None);
    let got = down("b.bin").await.unwrap();
    assert_eq!((got.json["size"].as_u64(), got.bytes.as_deref()), (Some(3), Some(&[0u8, 1, 255][..])));
    assert_eq!(down("t.txt").await.unwrap().bytes.as_deref(), Some("héllo".as_bytes()));
    up(json!({"bucket": "docs", "path": "big.bin"}), Some(b"more than eight")).await.unwrap();
    let e = down("big.bin").await.unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (413, "payload_too_large"), "{}", e.description);
    assert!(e.description.contains("createSignedUrl"), "{}", e.description);
}
