//! Hostile handler code (issue 15 §5, reliability bar 13 and 23): each ends in a limit error
//! for its own request, and the others keep being served; `fetch` to private addresses is
//! refused when `[fetch] allow_private = false`, at connect time, except what the allow list
//! names.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

fn ep(body: &str) -> String {
    format!("import {{ defineEndpoint }} from \"@palbase/backend\";\nexport default defineEndpoint({{ method: \"GET\", handler: async (req) => {{ {body} }} }});\n")
}

#[tokio::test]
async fn hostile_code_fails_its_own_request_only() {
    let p = Project::new(&[
        ("palbase.toml", "[limits]\nhandler_timeout_ms = 5000\ncpu_limit_ms = 300\nmemory_limit_mb = 64\n"),
        ("endpoints/ok/get.ts", &ep("return { ok: true };")),
        ("endpoints/json/get.ts", &ep("const s = '[' + '1,'.repeat(2e7) + '1]'; return { n: JSON.parse(s).length };")),
        ("endpoints/repeat/get.ts", &ep("return { n: 'x'.repeat(2 ** 30).length };")),
        ("endpoints/microtasks/get.ts", &ep("const f = (): void => { Promise.resolve().then(f); }; f(); await new Promise(() => {}); return {};")),
        // The same loop with other periods (an interrupt must stop a loop whatever the phase it lands in).
        ("endpoints/microtasks-async/get.ts", &ep("const g = async (): Promise<void> => { await null; void g(); }; void g(); await new Promise(() => {}); return {};")),
        ("endpoints/microtasks-count/get.ts", &ep("const f = (n: number): void => { Promise.resolve(n).then((v) => f(v + 1)); }; f(0); await new Promise(() => {}); return {};")),
        ("endpoints/intervals/get.ts", &ep("for (let i = 0; i < 1e6; i++) setInterval(() => {}, 0); return { survived: true };")),
        ("endpoints/timeouts/get.ts", &ep("for (let i = 0; i < 1e6; i++) setTimeout(() => {}, 60000); return { survived: true };")),
        ("endpoints/fetches/get.ts", &ep("const u = `http://127.0.0.1:${req.query.port}/ok`; const r = await Promise.all(Array.from({ length: 1000 }, () => fetch(u))); return { n: r.length };")),
        ("endpoints/some-fetches/get.ts", &ep("const u = `http://127.0.0.1:${req.query.port}/ok`; const r = await Promise.all(Array.from({ length: 20 }, () => fetch(u).then((x) => x.json()))); return { n: r.length };")),
    ]);
    let s = p.serve();
    let c = client();
    let port = s.port;
    let cases: [(&str, &[&str]); 9] = [
        ("/json", &["out_of_memory", "internal_error"]),
        ("/repeat", &["out_of_memory", "internal_error"]),
        ("/microtasks", &["timeout"]),
        ("/microtasks-async", &["timeout"]),
        ("/microtasks-count", &["timeout"]),
        ("/intervals", &["limit_exceeded"]),
        ("/timeouts", &["limit_exceeded"]),
        (&*Box::leak(format!("/fetches?port={port}").into_boxed_str()), &["limit_exceeded"]),
        (&*Box::leak(format!("/some-fetches?port={port}").into_boxed_str()), &[]),
    ];
    for (path, codes) in cases {
        // A neighbour, concurrently: answered normally.
        let (c2, u) = (c.clone(), s.url("/ok"));
        let neighbour = tokio::spawn(async move {
            let t0 = Instant::now();
            let r = send(c2.get(u)).await;
            (r.status, t0.elapsed())
        });
        let t0 = Instant::now();
        let r = send(c.get(s.url(path))).await;
        let took = t0.elapsed();
        if codes.is_empty() {
            assert_eq!(r.status, 200, "{path}: {}", r.text);
        } else {
            assert_eq!(r.status, 500, "{path}: {}", r.text);
            let code = r.json()["error"].as_str().unwrap().to_string();
            assert!(codes.contains(&code.as_str()), "{path}: {code} ({})", r.text);
            println!("{path}: 500 {code} in {took:?}");
        }
        assert!(took < Duration::from_secs(4), "{path} took {took:?}");
        let (status, waited) = neighbour.await.unwrap();
        assert_eq!(status, 200, "the neighbour of {path}");
        assert!(waited < Duration::from_secs(2), "the neighbour of {path} waited {waited:?}");
        for _ in 0..5 {
            assert_eq!(send(c.get(s.url("/ok"))).await.json(), json!({"ok": true}), "after {path}");
        }
    }
}

#[tokio::test]
async fn a_request_s_intervals_stop_when_it_ends() {
    let p = Project::new(&[
        ("endpoints/start/get.ts", &ep("(globalThis as any).ticks ??= 0; for (let i = 0; i < 100; i++) setInterval(() => { (globalThis as any).ticks++; }, 1); await new Promise((r) => setTimeout(r, 50)); return { started: true };")),
        ("endpoints/ticks/get.ts", &ep("return { ticks: (globalThis as any).ticks ?? 0 };")),
    ]);
    // One engine: /ticks reads the counter /start's intervals increment.
    let s = Server::start(p.path(), &["--threads", "1"]);
    let c = client();
    assert_eq!(send(c.get(s.url("/start"))).await.json(), json!({"started": true}));
    let first = send(c.get(s.url("/ticks"))).await.json()["ticks"].as_u64().unwrap();
    assert!(first > 0, "the intervals ran while the request did");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let later = send(c.get(s.url("/ticks"))).await.json()["ticks"].as_u64().unwrap();
    assert_eq!(first, later, "intervals kept running after their request ended");
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn fetcher() -> String {
    ep("try { const r = await fetch(req.query.url as string); return { ok: r.status }; } catch (e) { return { refused: String((e as Error).message ?? e) }; }")
}

#[tokio::test]
async fn fetch_to_private_addresses_is_refused_when_configured() {
    let p = Project::new(&[("palbase.toml", "[fetch]\nallow_private = false\nallow = [\"127.0.0.2\", \"*.allowed.test\"]\n"), ("endpoints/ok/get.ts", &ep("return { ok: true };")), ("endpoints/fetch/get.ts", &fetcher())]);
    let s = p.serve();
    let c = client();
    let port = s.port;
    let fetch = |url: String| {
        let (c, u) = (c.clone(), s.url("/fetch"));
        async move {
            let t0 = Instant::now();
            let r = send(c.get(format!("{u}?url={}", enc(&url)))).await;
            assert_eq!(r.status, 200, "{}", r.text);
            (r.json(), t0.elapsed())
        }
    };
    // Literal addresses, a name that resolves to loopback, IPv6, cloud metadata, private ranges.
    for url in [
        format!("http://127.0.0.1:{port}/ok"),
        format!("http://localhost:{port}/ok"),
        format!("http://[::1]:{port}/ok"),
        "http://169.254.169.254/latest/meta-data/".into(),
        "http://10.0.0.1/".into(),
        "http://192.168.0.1/".into(),
        format!("http://[::ffff:127.0.0.1]:{port}/ok"),
        format!("http://0.0.0.0:{port}/ok"),
    ] {
        let (j, took) = fetch(url.clone()).await;
        assert!(j["refused"].is_string(), "{url} was reached: {j}");
        // Refused before connecting: no connect timeout to a black-holed address.
        assert!(took < Duration::from_secs(2), "{url} took {took:?}");
        let host = url.split("//").nth(1).unwrap().split(['/']).next().unwrap().rsplit_once(':').map_or(url.split("//").nth(1).unwrap().split('/').next().unwrap(), |(h, _)| h).trim_matches(['[', ']']).to_string();
        assert!(s.wait_for_err(|e| e.contains(&format!("fetch to {host} (")).then_some(()), Duration::from_secs(2)).is_some(), "{url}: no refusal logged for {host}:\n{}", s.err());
    }
    // The allow list: an address (127.0.0.2 is loopback too, and the server listens on
    // 127.0.0.1 only, so the connection itself fails — but it is attempted, not refused).
    let (j, _) = fetch(format!("http://127.0.0.2:{port}/ok")).await;
    assert!(j["refused"].is_string(), "{j}");
    assert!(!s.err().contains("fetch to 127.0.0.2 ("), "an allowed address was refused");
    // A name that resolves to loopback is refused on the address it resolves to.
    assert!(s.err().contains("fetch to localhost (127.0.0.1) is not allowed") || s.err().contains("fetch to localhost (::1) is not allowed"), "{}", s.err());
    // Public addresses are not refused by the rule (nothing listens on TEST-NET; the connection
    // fails or times out, but never as "not allowed"): not tried here, this machine is offline.
}

#[tokio::test]
async fn palbase_serve_allows_loopback_by_default_and_the_allow_list_opens_a_name() {
    let p = Project::new(&[("endpoints/ok/get.ts", &ep("return { ok: true };")), ("endpoints/fetch/get.ts", &fetcher())]);
    let s = p.serve();
    let c = client();
    let r = send(c.get(format!("{}?url={}", s.url("/fetch"), enc(&format!("http://127.0.0.1:{}/ok", s.port))))).await;
    assert_eq!(r.json(), json!({"ok": 200}));

    let p = Project::new(&[("palbase.toml", "[fetch]\nallow_private = false\nallow = [\"localhost\"]\n"), ("endpoints/ok/get.ts", &ep("return { ok: true };")), ("endpoints/fetch/get.ts", &fetcher())]);
    let s = p.serve();
    let r = send(c.get(format!("{}?url={}", s.url("/fetch"), enc(&format!("http://localhost:{}/ok", s.port))))).await;
    assert_eq!(r.json(), json!({"ok": 200}), "an allowed name");
    let r = send(c.get(format!("{}?url={}", s.url("/fetch"), enc(&format!("http://127.0.0.1:{}/ok", s.port))))).await;
    assert!(r.json()["refused"].is_string(), "the same address by another name: {}", r.text);
    assert!(s.wait_for_err(|e| e.contains("fetch to 127.0.0.1 (127.0.0.1) is not allowed").then_some(()), Duration::from_secs(2)).is_some(), "{}", s.err());
}
