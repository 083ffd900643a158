//! Bad input at the HTTP layer (reliability bar 18/19): malformed requests, odd paths, huge
//! headers, random bodies and content types. Every answer is a 4xx envelope or a clean close,
//! never a 5xx, and the server keeps serving.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use serde_json::json;

fn raw(port: u16, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = s.write_all(bytes);
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn status(resp: &str) -> Option<u16> {
    resp.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test]
async fn malformed_and_random_requests_never_break_the_server() {
    let p = Project::new(&[
        (
            "endpoints/items/[id]/post.ts",
            r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({ method: "POST", input: z.object({ name: z.string().max(10), n: z.number().int().optional() }), handler: async (req) => ({ id: req.params.id, name: req.input.name }) });
"#,
        ),
        ("endpoints/ok/get.ts", "import { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ ok: true }) });\n"),
    ]);
    let s = p.serve();
    let port = s.port;

    let cases: Vec<Vec<u8>> = vec![
        b"GARBAGE\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"GET /ok HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".to_vec(),
        b"POST /items/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\n{\"na".to_vec(),
        b"POST /items/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n".to_vec(),
        format!("GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "a".repeat(200_000)).into_bytes(),
        b"GET /%ff%fe/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /items/%00 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"POST /items/%e2%82 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"name\":\"ab\"}".to_vec(),
        b"POST /items/1 HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: 10\r\n\r\n--zz\r\nbad\r\n".to_vec(),
        b"POST /items/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n\xff\xfe\xfd\xfc".to_vec(),
        b"POST /items/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer \xff\xfe\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
    ];
    for c in &cases {
        let resp = raw(port, c);
        if let Some(code) = status(&resp) {
            assert!((400..500).contains(&code) || code == 200, "{code} for {:?}:\n{}", String::from_utf8_lossy(&c[..c.len().min(80)]), &resp[..resp.len().min(300)]);
        }
    }

    // Random JSON-ish bodies through validation: only 200 or 4xx, never 5xx.
    let c = client();
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let atoms = ["null", "true", "1", "-1.5e308", "\"x\"", "\"0123456789abc\"", "[]", "{}", "\"\\u0000\"", "1e999", "\"\\ud800\""];
    for _ in 0..300 {
        let mut body = String::from("{");
        for k in 0..(next() % 4) {
            let key = ["name", "n", "other", "__proto__"][(next() % 4) as usize];
            if k > 0 {
                body.push(',');
            }
            body.push_str(&format!("\"{key}\":{}", atoms[(next() % atoms.len() as u64) as usize]));
        }
        if next() % 5 > 0 {
            body.push('}');
        }
        let r = send(c.post(s.url(&format!("/items/{}", next() % 1000))).header("content-type", "application/json").body(body.clone())).await;
        assert!(r.status == 200 || (400..500).contains(&r.status), "{} for {body}: {}", r.status, r.text);
        if r.status >= 400 {
            r.envelope(r.status, r.json()["error"].as_str().unwrap());
        }
    }
    assert_eq!(send(c.get(s.url("/ok"))).await.json(), json!({"ok": true}), "still serving");
    assert!(!s.err().contains("panicked"), "{}", s.err());
}
