//! A runaway handler or worker stalls no one else (issue 15 §1, reliability bar 21): while one
//! handler spins, fresh connections keep their latency; keep-alive neighbours of the spinning
//! thread wait at most `limits.cpu_limit_ms`; a spinning worker delays no other job.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

fn ep(body: &str) -> String {
    format!("import {{ defineEndpoint }} from \"@palbase/backend\";\nexport default defineEndpoint({{ method: \"GET\", handler: async (req) => {{ {body} }} }});\n")
}

/// One `GET path` on a fresh connection: (status, elapsed).
fn fresh_get(port: u16, path: &str) -> (u16, Duration) {
    let t0 = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, t0.elapsed())
}

/// 50 requests on fresh connections, 10 at a time: every latency, sorted.
fn burst(port: u16) -> Vec<Duration> {
    let threads: Vec<_> = (0..10)
        .map(|_| {
            std::thread::spawn(move || {
                (0..5)
                    .map(|_| {
                        let (status, took) = fresh_get(port, "/hello");
                        assert_eq!(status, 200);
                        took
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<Duration> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    all.sort();
    all
}

fn p99(sorted: &[Duration]) -> Duration {
    sorted[(sorted.len() * 99).div_ceil(100) - 1]
}

#[test]
fn a_spinning_handler_stalls_no_fresh_connection() {
    // The spin is stopped only after 4 s: a request that waited for it would take seconds.
    let p = Project::new(&[("palbase.toml", "[limits]\nhandler_timeout_ms = 10000\ncpu_limit_ms = 4000\n"), ("endpoints/hello/get.ts", &ep("return { hello: 'world' };")), ("endpoints/spin/get.ts", &ep("while (true) {}"))]);
    let s = p.serve();
    let port = s.port;
    burst(port); // warm-up
    let idle = burst(port);

    let spin = std::thread::spawn(move || fresh_get(port, "/spin"));
    std::thread::sleep(Duration::from_millis(300));
    let t0 = Instant::now();
    let busy = burst(port);
    let burst_took = t0.elapsed();
    let (idle99, busy99) = (p99(&idle), p99(&busy));
    println!("fresh connections, GET /hello: idle p50 {:?} p99 {idle99:?}; while a handler spins p50 {:?} p99 {busy99:?} (max {:?}, burst {burst_took:?})", idle[25], busy[25], busy[49]);
    // The main assertion: no request waited for the spin (stopped at 4 s).
    assert!(busy[49] < Duration::from_millis(1500), "a request waited {:?} while a handler spun", busy[49]);
    assert!(burst_took < Duration::from_secs(3), "the burst took {burst_took:?}");
    // And latency stays of the same order (generous: a shared 2-core machine, one core spinning).
    assert!(busy99 <= idle99 * 10 + Duration::from_millis(100), "p99 {busy99:?} while spinning vs {idle99:?} idle");

    let (status, took) = spin.join().unwrap();
    assert_eq!(status, 500);
    assert!(took >= Duration::from_millis(3500) && took < Duration::from_secs(9), "the spin was stopped after {took:?}");
}

/// A keep-alive connection: sends `GET path` and reads one response.
struct KeepAlive(TcpStream);

impl KeepAlive {
    fn open(port: u16) -> Self {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Self(s)
    }

    fn get(&mut self, path: &str) -> (u16, Duration) {
        let t0 = Instant::now();
        self.0.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = self.0.read(&mut chunk).unwrap();
            assert!(n > 0, "closed");
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf);
            if let Some(end) = text.find("\r\n\r\n") {
                let len: usize = text[..end].lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())).unwrap_or(0);
                if buf.len() >= end + 4 + len {
                    return (text.split_whitespace().nth(1).unwrap().parse().unwrap(), t0.elapsed());
                }
            }
        }
    }
}

#[test]
fn keep_alive_neighbours_of_a_spinning_handler_wait_at_most_the_cpu_limit() {
    let p = Project::new(&[("palbase.toml", "[limits]\nhandler_timeout_ms = 10000\ncpu_limit_ms = 400\n"), ("endpoints/hello/get.ts", &ep("return { hello: 'world' };")), ("endpoints/spin/get.ts", &ep("while (true) {}"))]);
    let s = p.serve();
    let port = s.port;
    // Connections on both worker threads, kept open.
    let mut conns: Vec<KeepAlive> = (0..4).map(|_| KeepAlive::open(port)).collect();
    for c in &mut conns {
        assert_eq!(c.get("/hello").0, 200);
    }
    let t0 = Instant::now();
    let spin = std::thread::spawn(move || fresh_get(port, "/spin"));
    std::thread::sleep(Duration::from_millis(100));
    let mut worst = Duration::ZERO;
    for c in &mut conns {
        let (status, took) = c.get("/hello");
        assert_eq!(status, 200);
        worst = worst.max(took);
    }
    let (status, spun) = spin.join().unwrap();
    println!("keep-alive neighbours during a spin with cpu_limit_ms = 400: worst {worst:?}; the spin stopped after {spun:?} (all done {:?})", t0.elapsed());
    assert_eq!(status, 500);
    // Stopped by the CPU limit, long before the 10 s handler timeout.
    assert!(spun < Duration::from_secs(3), "spin took {spun:?}");
    assert!(worst < Duration::from_secs(3), "a keep-alive neighbour waited {worst:?}");
    // The engine keeps serving afterwards, on every connection.
    for c in &mut conns {
        assert_eq!(c.get("/hello").0, 200);
    }
}

#[tokio::test]
async fn a_spinning_worker_delays_no_other_job() {
    let p = Project::new(&[
        ("palbase.toml", "[limits]\ncpu_limit_ms = 6000\n[queue]\npoll_interval_ms = 100\n"),
        ("db/schema.ts", "import { defineSchema, table, text } from \"@palbase/backend\";\nexport default defineSchema({ effects: table(\"effects\", { id: text().primaryKey() }) });\n"),
        ("workers/spin.ts", "import { defineWorker } from \"@palbase/backend\";\nexport default defineWorker({ name: \"spin\", retry: 0, timeout: 8, handler: async () => { while (true) {} } });\n"),
        (
            "workers/quick.ts",
            // Loading takes 300 ms of JavaScript: the second thread, which loads the project for
            // its first task, is busy meanwhile, and the tasks that come then must wait for it,
            // not go to the spinning one.
            "import { defineWorker } from \"@palbase/backend\";\nconst t0 = Date.now();\nwhile (Date.now() - t0 < 300) {}\nexport default defineWorker<{ id: string }>({ name: \"quick\", retry: 0, concurrency: 10, handler: async (ctx, p) => { await ctx.db.insert(\"effects\", { id: p.id }); } });\n",
        ),
        (
            "endpoints/push/post.ts",
            "import { defineEndpoint, z, Queue } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"POST\", input: z.object({ name: z.string(), payload: z.any() }), handler: async (req) => Queue.push(req.input.name, req.input.payload) });\n",
        ),
        ("endpoints/effects/get.ts", "import { defineEndpoint, Database } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ n: (await Database.findMany(\"effects\")).length }) });\n"),
    ]);
    let s = p.serve();
    let c = client();
    assert_eq!(send(c.post(s.url("/push")).json(&json!({"name": "spin", "payload": {}}))).await.status, 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let t0 = Instant::now();
    for i in 0..5 {
        assert_eq!(send(c.post(s.url("/push")).json(&json!({"name": "quick", "payload": {"id": format!("q{i}")}}))).await.status, 200);
    }
    loop {
        let n = send(c.get(s.url("/effects"))).await.json()["n"].as_u64().unwrap();
        if n == 5 {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(4), "only {n} of 5 jobs ran in {:?} while a worker spins (stopped at 6 s)", t0.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("5 jobs done {:?} after being pushed, while another worker spins", t0.elapsed());
}
