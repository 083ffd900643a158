//! [`TestRedis`]: a Redis server for a test, with a unique key prefix per test.
//!
//! [`TestRedis::get`] uses the Redis on 127.0.0.1:6379 when it answers PING, else starts a
//! throwaway `redis-server` on a free port (killed on drop); with `PALBASE_TEST_REDIS_ADDR` set it
//! uses that server only, and fails the test when it does not answer. [`TestRedis::throwaway`]
//! always starts its own, for tests that kill or pause the server. When no Redis can be had the
//! test gets `None` after the skip rule ([`crate::backend::skip`]: `skipped: redis: <why>`, a
//! failure under CI).
//!
//! Keys: each [`TestRedis::prefix`] is `palbase:test:<random>:`; on drop every key under the
//! prefixes handed out is deleted (SCAN + DEL). Nothing ever flushes a server it did not start.

use std::{
    io::{BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    sync::Mutex,
    time::Duration,
};

use crate::backend::ready;
use crate::wait::poll;

pub const SHARED_ADDR: &str = "127.0.0.1:6379";

/// The variable that names the shared server (and makes it required: see the crate docs).
pub const ADDR_VAR: &str = "PALBASE_TEST_REDIS_ADDR";

/// The shared server's `host:port`: `PALBASE_TEST_REDIS_ADDR`, else [`SHARED_ADDR`].
pub fn shared_addr() -> String {
    std::env::var(ADDR_VAR).unwrap_or_else(|_| SHARED_ADDR.to_owned())
}

/// A reply of the tiny RESP2 client below.
#[derive(Debug, Clone, PartialEq)]
pub enum Resp {
    Simple(String),
    Error(String),
    Int(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Resp>>),
}

impl Resp {
    pub fn as_str(&self) -> Option<String> {
        match self {
            Resp::Simple(s) => Some(s.clone()),
            Resp::Bulk(Some(b)) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }
}

/// Sends one command on a fresh connection and reads its reply.
pub fn command(addr: &str, args: &[&str]) -> Result<Resp, String> {
    let sock = addr.parse().map_err(|e| format!("{addr}: {e}"))?;
    let mut s = TcpStream::connect_timeout(&sock, Duration::from_millis(500)).map_err(|e| format!("{addr}: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(5))).map_err(|e| e.to_string())?;
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    s.write_all(&out).map_err(|e| e.to_string())?;
    read_reply(&mut BufReader::new(s))
}

fn read_reply(r: &mut impl BufRead) -> Result<Resp, String> {
    let mut line = String::new();
    r.read_line(&mut line).map_err(|e| e.to_string())?;
    let line = line.trim_end_matches(['\r', '\n']);
    let (kind, rest) = line.split_at_checked(1).ok_or("connection closed")?;
    let num = || rest.parse::<i64>().map_err(|e| format!("bad reply {line:?}: {e}"));
    Ok(match kind {
        "+" => Resp::Simple(rest.to_owned()),
        "-" => Resp::Error(rest.to_owned()),
        ":" => Resp::Int(num()?),
        "$" => match num()? {
            n if n < 0 => Resp::Bulk(None),
            n => {
                let mut b = vec![0; n as usize + 2];
                r.read_exact(&mut b).map_err(|e| e.to_string())?;
                b.truncate(n as usize);
                Resp::Bulk(Some(b))
            }
        },
        "*" => match num()? {
            n if n < 0 => Resp::Array(None),
            n => Resp::Array(Some((0..n).map(|_| read_reply(r)).collect::<Result<_, _>>()?)),
        },
        _ => return Err(format!("bad reply {line:?}")),
    })
}

fn answers(addr: &str) -> bool {
    matches!(command(addr, &["PING"]), Ok(Resp::Simple(s)) if s == "PONG")
}

fn free_port() -> Option<u16> {
    TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok().map(|a| a.port())
}

fn spawn_server(port: u16) -> Result<Child, String> {
    let dir = std::env::temp_dir();
    let mut child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .arg("--dir")
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start redis-server: {e}"))?;
    let addr = format!("127.0.0.1:{port}");
    let up = poll(Duration::from_secs(10), || match child.try_wait() {
        Ok(Some(status)) => Some(Err(format!("redis-server exited: {status}"))),
        _ => answers(&addr).then_some(Ok(())),
    });
    match up {
        Some(Ok(())) => Ok(child),
        Some(Err(e)) => Err(e),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            Err("redis-server did not answer within 10 s".into())
        }
    }
}

pub struct TestRedis {
    /// `127.0.0.1:<port>`.
    pub addr: String,
    pub port: u16,
    /// The throwaway server this value started (`None`: the shared one).
    child: Option<Child>,
    throwaway: bool,
    prefixes: Mutex<Vec<String>>,
}

impl TestRedis {
    /// The shared Redis when it answers PING, else a throwaway one; `None` when neither works
    /// (the test should return), after the skip rule. See [`TestRedis::try_get`].
    #[track_caller]
    pub fn get() -> Option<TestRedis> {
        ready("redis", Self::try_get())
    }

    /// The shared Redis when it answers PING, else a throwaway one, else why neither works.
    /// Panics when `PALBASE_TEST_REDIS_ADDR` names a server that does not answer.
    #[track_caller]
    pub fn try_get() -> Result<TestRedis, String> {
        let addr = shared_addr();
        if answers(&addr) {
            let port = addr.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or(6379);
            return Ok(TestRedis { addr, port, child: None, throwaway: false, prefixes: Mutex::default() });
        }
        if std::env::var_os(ADDR_VAR).is_some() {
            panic!("{ADDR_VAR} names a Redis at {addr} that does not answer PING");
        }
        Self::try_throwaway().map_err(|e| format!("nothing answers at {addr} and {e} (or start Redis there)"))
    }

    /// A throwaway server of this test's own, which it may kill, pause and restart; `None` when
    /// none can be started, after the skip rule.
    #[track_caller]
    pub fn throwaway() -> Option<TestRedis> {
        ready("redis", Self::try_throwaway())
    }

    /// A throwaway server, or why none can be started.
    pub fn try_throwaway() -> Result<TestRedis, String> {
        let start = || -> Result<TestRedis, String> {
            let port = free_port().ok_or("no free port")?;
            let child = spawn_server(port)?;
            Ok(TestRedis { addr: format!("127.0.0.1:{port}"), port, child: Some(child), throwaway: true, prefixes: Mutex::default() })
        };
        start().map_err(|e| format!("{e}: install redis-server"))
    }

    pub fn url(&self) -> String {
        format!("redis://{}/", self.addr)
    }

    pub fn is_throwaway(&self) -> bool {
        self.throwaway
    }

    /// A fresh key prefix (`palbase:test:<random>:`) whose keys are deleted on drop.
    pub fn prefix(&self) -> String {
        let p = format!("palbase:test:{}:", uuid::Uuid::new_v4().simple());
        self.prefixes.lock().unwrap_or_else(|e| e.into_inner()).push(p.clone());
        p
    }

    pub fn cmd(&self, args: &[&str]) -> Result<Resp, String> {
        command(&self.addr, args)
    }

    /// Every key matching `pattern` (SCAN, so safe on a shared server).
    pub fn keys(&self, pattern: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cursor = "0".to_owned();
        while let Ok(Resp::Array(Some(parts))) = self.cmd(&["SCAN", &cursor, "MATCH", pattern, "COUNT", "1000"]) {
            let [next, Resp::Array(Some(keys))] = &parts[..] else { break };
            out.extend(keys.iter().filter_map(Resp::as_str));
            cursor = next.as_str().unwrap_or_default();
            if cursor == "0" {
                break;
            }
        }
        out
    }

    fn child(&mut self) -> &mut Child {
        assert!(self.throwaway, "only a throwaway Redis may be killed, paused or restarted");
        self.child.as_mut().expect("the throwaway Redis is not running")
    }

    /// Kills the throwaway server (SIGKILL). Panics on the shared one.
    pub fn kill(&mut self) {
        let mut c = self.child.take().filter(|_| self.throwaway).expect("only a running throwaway Redis may be killed");
        let _ = c.kill();
        let _ = c.wait();
    }

    /// Starts the throwaway server again on the same port (empty).
    pub fn restart(&mut self) {
        assert!(self.throwaway, "only a throwaway Redis may be restarted");
        if self.child.is_some() {
            self.kill();
        }
        self.child = Some(spawn_server(self.port).unwrap_or_else(|e| panic!("restarting Redis on port {}: {e}", self.port)));
    }

    /// Stops (SIGSTOP) the throwaway server: connections stay open, nothing answers.
    pub fn pause(&mut self) {
        let pid = self.child().id().to_string();
        let _ = Command::new("kill").args(["-STOP", &pid]).status();
    }

    /// Continues (SIGCONT) a paused throwaway server.
    pub fn resume(&mut self) {
        let pid = self.child().id().to_string();
        let _ = Command::new("kill").args(["-CONT", &pid]).status();
    }
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill").args(["-CONT", &c.id().to_string()]).status();
            let _ = c.kill();
            let _ = c.wait();
            return;
        }
        if self.throwaway {
            return;
        }
        let prefixes = std::mem::take(&mut *self.prefixes.lock().unwrap_or_else(|e| e.into_inner()));
        for p in prefixes {
            for chunk in self.keys(&format!("{p}*")).chunks(500) {
                let mut args = vec!["DEL"];
                args.extend(chunk.iter().map(String::as_str));
                let _ = self.cmd(&args);
            }
        }
    }
}
