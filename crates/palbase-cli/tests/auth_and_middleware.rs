//! Auth (endpoints.md), rate limits, middleware and logs.

mod common;

use common::*;
use serde_json::json;

const WHO: &str = r#"import { defineEndpoint } from "@palbase/backend";
export default defineEndpoint({ method: "GET", AUTH handler: async (req) => ({ user: req.user }) });
"#;

fn who(auth: &str) -> String {
    WHO.replace("AUTH", &if auth.is_empty() { String::new() } else { format!("auth: {auth},") })
}

fn fixture() -> Project {
    Project::new(&[
        ("endpoints/omitted/get.ts", &who("")),
        ("endpoints/required/get.ts", &who("{ required: true }")),
        ("endpoints/truthy/get.ts", &who("true")),
        ("endpoints/optional/get.ts", &who("{ required: false }")),
        ("endpoints/admin/get.ts", &who("{ required: true, role: \"admin\" }")),
        ("endpoints/roleonly/get.ts", &who("{ role: \"admin\" }")),
        (
            "endpoints/limited/get.ts",
            r#"import { defineEndpoint } from "@palbase/backend";
export default defineEndpoint({ method: "GET", rateLimit: { max: 3, window: 60 }, handler: async (req) => ({ ok: true }) });
"#,
        ),
        (
            "middleware/a.ts",
            r#"import { defineMiddleware, HttpError } from "@palbase/backend";
export default defineMiddleware(async (ctx, next) => {
  ctx.log.info(`a-start ${ctx.method} ${ctx.path} ${ctx.user?.id ?? "anon"}`);
  if (ctx.headers["x-block"] === "a") throw new HttpError(418, "blocked_by_a", "A says no");
  ctx.state.seen = ["a"];
  await next();
  ctx.log.info(`a-done`);
});
"#,
        ),
        (
            "middleware/b.ts",
            r#"import { defineMiddleware, HttpError } from "@palbase/backend";
export default defineMiddleware(async (ctx, next) => {
  ctx.log.info(`b-start after ${(ctx.state.seen as string[]).join(",")}`);
  if (ctx.headers["x-block"]) throw new HttpError(418, "blocked_by_b", "B says no");
  await next();
  ctx.log.info(`b-done`);
});
"#,
        ),
        (
            "endpoints/chain/get.ts",
            r#"import { defineEndpoint, Log } from "@palbase/backend";
import a from "../../middleware/a.js";
import b from "../../middleware/b.js";
export default defineEndpoint({ method: "GET", middleware: [a, b], handler: async (req) => { await new Promise((r) => setTimeout(r, 5)); Log.info("in-handler", { id: req.requestId }); return { ok: true }; } });
"#,
        ),
    ])
}

#[tokio::test]
async fn auth_table_tokens_and_roles() {
    let p = fixture();
    let s = p.serve();
    let c = client();
    let user = token(p.path(), "u1", "member");
    let admin = token(p.path(), "boss", "admin");
    let bearer = |t: &str| format!("Bearer {t}");

    for path in ["/omitted", "/optional"] {
        assert_eq!(send(c.get(s.url(path))).await.json(), json!({"user": null}), "{path}");
        let r = send(c.get(s.url(path)).header("authorization", bearer(&user))).await;
        assert_eq!(r.json()["user"], json!({"id": "u1", "email": "u1@example.com", "role": "member", "metadata": {}}));
    }
    for path in ["/required", "/truthy"] {
        send(c.get(s.url(path))).await.envelope(401, "unauthorized");
        assert_eq!(send(c.get(s.url(path)).header("authorization", bearer(&user))).await.json()["user"]["id"], "u1");
    }
    for path in ["/admin", "/roleonly"] {
        send(c.get(s.url(path))).await.envelope(401, "unauthorized");
        send(c.get(s.url(path)).header("authorization", bearer(&user))).await.envelope(403, "forbidden");
        assert_eq!(send(c.get(s.url(path)).header("authorization", bearer(&admin))).await.json()["user"]["role"], "admin");
    }
    // A presented but invalid token is refused even on a public endpoint.
    send(c.get(s.url("/omitted")).header("authorization", "Bearer not.a.token")).await.envelope(401, "invalid_token");
    send(c.get(s.url("/omitted")).header("authorization", "Basic abc")).await.envelope(401, "unauthorized");
    // alg: none and tampering.
    let parts: Vec<&str> = admin.split('.').collect();
    let none_hdr = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";
    send(c.get(s.url("/admin")).header("authorization", format!("Bearer {none_hdr}.{}.", parts[1]))).await.envelope(401, "invalid_token");
    let user_parts: Vec<&str> = user.split('.').collect();
    send(c.get(s.url("/admin")).header("authorization", format!("Bearer {}.{}.{}", user_parts[0], parts[1], user_parts[2]))).await.envelope(401, "invalid_token");
}

/// RFC 6750 §3: a 401 carries a Bearer challenge, with `error="invalid_token"` only when a
/// token was sent and refused; a role failure is a 403 with `error="insufficient_scope"`.
#[tokio::test]
async fn bearer_challenges() {
    let p = fixture();
    let s = p.serve();
    let c = client();
    let user = token(p.path(), "u1", "member");
    let challenge = |r: &Resp| r.header("www-authenticate");
    let r = send(c.get(s.url("/required"))).await;
    assert_eq!(challenge(&r).as_deref(), Some("Bearer"));
    r.envelope(401, "unauthorized");
    let r = send(c.get(s.url("/required")).header("authorization", "Basic abc")).await;
    assert_eq!(challenge(&r).as_deref(), Some("Bearer"));
    for t in ["not.a.token", &user[..user.len() - 2]] {
        let r = send(c.get(s.url("/omitted")).header("authorization", format!("Bearer {t}"))).await;
        assert_eq!(challenge(&r).as_deref(), Some("Bearer error=\"invalid_token\""), "{t}");
        r.envelope(401, "invalid_token");
    }
    let r = send(c.get(s.url("/admin")).header("authorization", format!("Bearer {user}"))).await;
    assert_eq!(challenge(&r).as_deref(), Some("Bearer error=\"insufficient_scope\""));
    r.envelope(403, "forbidden");
    let r = send(c.get(s.url("/required")).header("authorization", format!("Bearer {user}"))).await;
    assert_eq!((r.status, challenge(&r)), (200, None));
}

#[tokio::test]
async fn rate_limit_429_with_headers() {
    let p = fixture();
    let s = p.serve();
    let c = client();
    for left in ["2", "1", "0"] {
        let r = send(c.get(s.url("/limited"))).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("ratelimit-limit").as_deref(), Some("3"));
        assert_eq!(r.header("ratelimit-remaining").as_deref(), Some(left));
    }
    let r = send(c.get(s.url("/limited"))).await;
    r.envelope(429, "rate_limited");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((15..=20).contains(&retry), "{retry}");
    // Keyed per user: an authenticated caller has their own budget.
    let t = token(p.path(), "u9", "member");
    assert_eq!(send(c.get(s.url("/limited")).header("authorization", format!("Bearer {t}"))).await.status, 200);
}

#[tokio::test]
async fn middleware_order_short_circuit_and_logs() {
    let p = fixture();
    let s = p.serve();
    let c = client();
    let r = send(c.get(s.url("/chain"))).await;
    assert_eq!(r.json(), json!({"ok": true}));
    let rid = r.header("x-request-id").unwrap();
    let lines = s
        .wait_for_err(
            |e| {
                let l: Vec<serde_json::Value> = e.lines().filter_map(|l| serde_json::from_str(l).ok()).filter(|j: &serde_json::Value| j["request_id"] == rid.as_str()).collect();
                (l.len() >= 5).then_some(l)
            },
            std::time::Duration::from_secs(5),
        )
        .expect("five log lines carrying the request id");
    let msgs: Vec<_> = lines.iter().map(|l| l["message"].as_str().unwrap().to_string()).collect();
    assert_eq!(msgs, ["a-start GET /chain anon", "b-start after a", "in-handler", "b-done", "a-done"]);
    send(c.get(s.url("/chain")).header("x-block", "a")).await.envelope(418, "blocked_by_a");
    send(c.get(s.url("/chain")).header("x-block", "b")).await.envelope(418, "blocked_by_b");
}

#[tokio::test]
async fn jwks_file_rs256_tokens_and_issuer_audience() {
    let p = fixture();
    p.write("jwks.json", include_str!("../../palbase-auth/tests/keys/jwks.json"));
    p.write("palbase.toml", "[auth]\njwks = \"jwks.json\"\nissuer = \"https://issuer.test\"\naudience = \"app\"\n");
    let s = p.serve();
    let c = client();
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(include_bytes!("../../palbase-auth/tests/keys/rsa.pem")).unwrap();
    let sign = |claims: serde_json::Value| {
        let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        h.kid = Some("rsa-1".into());
        jsonwebtoken::encode(&h, &claims, &key).unwrap()
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let good = sign(json!({"sub": "r1", "role": "admin", "iss": "https://issuer.test", "aud": "app", "exp": now + 60, "user_metadata": {"plan": "pro"}}));
    let r = send(c.get(s.url("/admin")).header("authorization", format!("Bearer {good}"))).await;
    assert_eq!(r.json()["user"], json!({"id": "r1", "email": "", "role": "admin", "metadata": {"plan": "pro"}}));
    for bad in [
        json!({"sub": "r1", "role": "admin", "iss": "https://evil.test", "aud": "app", "exp": now + 60}),
        json!({"sub": "r1", "role": "admin", "iss": "https://issuer.test", "aud": "other", "exp": now + 60}),
        json!({"sub": "r1", "role": "admin", "iss": "https://issuer.test", "aud": "app", "exp": now - 61}),
        json!({"sub": "r1", "role": "admin", "iss": "https://issuer.test", "aud": "app", "exp": now + 600, "nbf": now + 300}),
        // A configured issuer or audience must be present, not only right when present.
        json!({"sub": "r1", "role": "admin", "aud": "app", "exp": now + 60}),
        json!({"sub": "r1", "role": "admin", "iss": "https://issuer.test", "exp": now + 60}),
    ] {
        send(c.get(s.url("/admin")).header("authorization", format!("Bearer {}", sign(bad.clone())))).await.envelope(401, "invalid_token");
    }
    // Missing role claim → default role → 403 on an admin endpoint.
    let norole = sign(json!({"sub": "r2", "iss": "https://issuer.test", "aud": "app", "exp": now + 60}));
    send(c.get(s.url("/admin")).header("authorization", format!("Bearer {norole}"))).await.envelope(403, "forbidden");
}

/// Serves one JSON document over HTTP on a loopback port (a stand-in identity provider).
fn serve_json(body: &'static str) -> u16 {
    use std::io::{Read, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(s, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
        }
    });
    port
}

#[tokio::test]
async fn jwks_url_is_fetched() {
    let p = fixture();
    let port = serve_json(include_str!("../../palbase-auth/tests/keys/jwks.json"));
    p.write("palbase.toml", &format!("[auth]\njwks = \"http://127.0.0.1:{port}/.well-known/jwks.json\"\n"));
    let s = p.serve();
    let key = jsonwebtoken::EncodingKey::from_ec_pem(include_bytes!("../../palbase-auth/tests/keys/ec.pem")).unwrap();
    let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    h.kid = Some("ec-1".into());
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let t = jsonwebtoken::encode(&h, &json!({"sub": "e1", "role": "admin", "exp": now + 60}), &key).unwrap();
    let r = send(client().get(s.url("/admin")).bearer_auth(&t)).await;
    assert_eq!(r.json()["user"]["id"], "e1", "{}", r.text);
}
