//! Slow and hostile clients (issue 15 §4, reliability bar 24): idle and slowloris connections,
//! slow readers, oversized heads, the connection limit. New clients keep being served, and no
//! engine is held by a slow client.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;

fn ep(body: &str) -> String {
    format!("import {{ defineEndpoint }} from \"@palbase/backend\";\nexport default defineEndpoint({{ method: \"GET\", handler: async (req) => {{ {body} }} }});\n")
}

/// `GET path` on a fresh connection: (status, elapsed).
fn fresh_get(port: u16, path: &str) -> (u16, Duration) {
    let t0 = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    (text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0), t0.elapsed())
}

fn raw_status(port: u16, bytes: &[u8]) -> u16 {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(bytes);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

/// How long until the server closes `s` (EOF or reset), reading and discarding what comes.
fn closed_after(mut s: TcpStream, limit: Duration) -> Option<Duration> {
    let t0 = Instant::now();
    s.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
    let mut buf = [0u8; 65536];
    while t0.elapsed() < limit {
        match s.read(&mut buf) {
            Ok(0) => return Some(t0.elapsed()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(t0.elapsed()),
        }
    }
    None
}

#[test]
fn a_thousand_idle_and_slowloris_connections_do_not_stop_new_clients() {
    // Timeouts longer than the test: the connections stay open while new clients come.
    let p = Project::new(&[("palbase.toml", "[server]\nheader_read_timeout_ms = 60000\nkeep_alive_timeout_ms = 60000\n"), ("endpoints/hello/get.ts", &ep("return { hello: 'world' };"))]);
    let s = p.serve();
    let port = s.port;
    let t0 = Instant::now();
    let mut idle = Vec::new();
    let mut loris = Vec::new();
    for i in 0..1000 {
        let c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        if i % 2 == 0 {
            idle.push(c);
        } else {
            let mut c = c;
            c.write_all(b"GET /hello HTTP/1.1\r\nHost: x\r\n").unwrap();
            loris.push(c);
        }
    }
    println!("1000 connections open in {:?}", t0.elapsed());
    let mut worst = Duration::ZERO;
    for round in 0..5 {
        // The slowloris clients trickle one more header line each round.
        for c in &mut loris {
            let _ = c.write_all(format!("X-Slow-{round}: a\r\n").as_bytes());
        }
        for _ in 0..10 {
            let (status, took) = fresh_get(port, "/hello");
            assert_eq!(status, 200);
            worst = worst.max(took);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("50 new clients beside 500 idle and 500 slowloris connections: worst {worst:?}");
    assert!(worst < Duration::from_secs(3), "a new client waited {worst:?}");
    // The held connections are still open (they were not dropped to make room).
    let mut c = idle.pop().unwrap();
    c.write_all(b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    c.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
}

#[test]
fn timeouts_close_idle_slowloris_and_stalled_connections_and_a_slow_reader_holds_no_engine() {
    let p = Project::new(&[
        ("palbase.toml", "[server]\nheader_read_timeout_ms = 1000\nkeep_alive_timeout_ms = 400\nsend_timeout_ms = 600\n"),
        ("endpoints/hello/get.ts", &ep("return { hello: 'world' };")),
        ("endpoints/big/get.ts", &ep("return { big: 'x'.repeat(16 << 20) };")),
    ]);
    // One worker thread: whatever a slow client holds, it would hold it from everyone.
    let s = Server::start(p.path(), &["--threads", "1"]);
    let port = s.port;

    // Idle: no byte at all → closed after the keep-alive timeout (0.4–0.5 s).
    let idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let took = closed_after(idle, Duration::from_secs(5)).expect("an idle connection stays open");
    println!("idle connection closed after {took:?}");
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(2), "{took:?}");

    // Idle keep-alive after a request → closed too.
    let mut ka = TcpStream::connect(("127.0.0.1", port)).unwrap();
    ka.write_all(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let took = closed_after(ka, Duration::from_secs(5)).expect("an idle keep-alive connection stays open");
    assert!(took < Duration::from_secs(2), "{took:?}");

    // Slowloris: a byte every 100 ms keeps it from being idle; the header timeout (1 s) ends it.
    let mut loris = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let t0 = Instant::now();
    let mut closed = None;
    for b in b"GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
        std::thread::sleep(Duration::from_millis(100));
        if loris.write_all(&[*b]).is_err() {
            closed = Some(t0.elapsed());
            break;
        }
        loris.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 512];
        let r = loris.read(&mut buf);
        loris.set_nonblocking(false).unwrap();
        if r.is_ok() || matches!(&r, Err(e) if e.kind() != ErrorKind::WouldBlock) {
            closed = Some(t0.elapsed());
            break;
        }
    }
    let closed = closed.expect("a slowloris connection was never closed");
    println!("slowloris connection closed after {closed:?}");
    assert!(closed >= Duration::from_millis(800) && closed < Duration::from_secs(4), "{closed:?}");

    // A slow reader: it asks for 16 MiB and reads nothing. The engine is free at once (others are
    // served by the only worker), and the stalled connection is closed after the send timeout.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.write_all(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..10 {
        let (status, took) = fresh_get(port, "/hello");
        assert_eq!(status, 200);
        assert!(took < Duration::from_secs(2), "{took:?} beside a slow reader");
    }
    std::thread::sleep(Duration::from_millis(1500));
    let mut got = 0usize;
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match slow.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    println!("the slow reader got {got} of 16 MiB before the server closed its connection");
    assert!(got < 16 << 20, "the stalled response was sent in full ({got} bytes)");
}

#[test]
fn oversized_request_heads_are_refused() {
    let p = Project::new(&[("palbase.toml", "[server]\nmax_headers = 20\nmax_header_bytes = 4096\nmax_uri_bytes = 1024\n"), ("endpoints/hello/get.ts", &ep("return { hello: 'world' };"))]);
    let s = p.serve();
    let port = s.port;
    let many: String = (0..21).map(|i| format!("X-H{i}: v\r\n")).collect();
    assert_eq!(raw_status(port, format!("GET /hello HTTP/1.1\r\nHost: x\r\n{many}Connection: close\r\n\r\n").as_bytes()), 431);
    let few: String = (0..10).map(|i| format!("X-H{i}: v\r\n")).collect();
    assert_eq!(raw_status(port, format!("GET /hello HTTP/1.1\r\nHost: x\r\n{few}Connection: close\r\n\r\n").as_bytes()), 200);
    assert_eq!(raw_status(port, format!("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n", "a".repeat(5000)).as_bytes()), 431);
    assert_eq!(raw_status(port, format!("GET /hello?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "a".repeat(1100)).as_bytes()), 414);
    assert_eq!(raw_status(port, format!("GET /hello?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "a".repeat(900)).as_bytes()), 200);
    assert_eq!(fresh_get(port, "/hello").0, 200);
}

#[test]
fn a_body_that_trickles_past_its_timeout_is_408_and_the_connection_limit_queues_new_clients() {
    let p = Project::new(&[
        ("palbase.toml", "[server]\nbody_read_timeout_ms = 500\nmax_connections = 20\nkeep_alive_timeout_ms = 800\n"),
        ("endpoints/hello/get.ts", &ep("return { hello: 'world' };")),
        ("endpoints/echo/post.ts", "import { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"POST\", handler: async (req) => ({ got: req.input }) });\n"),
    ]);
    let s = p.serve();
    let port = s.port;
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":").unwrap();
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("request_timeout"), "{text}");

    // 20 idle connections fill the limit: a new client waits in the backlog until the idle ones
    // are closed (keep-alive timeout), then is served.
    let held: Vec<TcpStream> = (0..20).map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    let (status, took) = fresh_get(port, "/hello");
    println!("with 20 of 20 connections held idle, a new client was served after {took:?}");
    assert_eq!(status, 200);
    assert!(took >= Duration::from_millis(400) && took < Duration::from_secs(5), "{took:?}");
    drop(held);
}
