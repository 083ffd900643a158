//! Test harness: real projects in temp dirs, the real `palbase` binary on a free loopback port,
//! real HTTP.
#![allow(dead_code)]

pub mod contract;

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_palbase")
}

pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let p = Self { dir };
        p.write("package.json", r#"{"name":"t","private":true,"type":"module","dependencies":{"@palbase/backend":"2.0.2"}}"#);
        for (f, text) in files {
            p.write(f, text);
        }
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, file: &str, text: &str) {
        let p = self.dir.path().join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn remove(&self, file: &str) {
        std::fs::remove_file(self.dir.path().join(file)).unwrap();
    }

    pub fn serve(&self) -> Server {
        Server::start(self.path(), &[])
    }
}

pub struct Server {
    child: Child,
    pub base: String,
    pub port: u16,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

/// Copies a child's output, line by line, into `sink`.
pub fn pump(r: impl std::io::Read + Send + 'static, sink: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
}

impl Server {
    pub fn start(dir: &Path, extra: &[&str]) -> Self {
        Self::start_env(dir, extra, &[])
    }

    pub fn start_env(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(bin());
        cmd.arg("serve").arg(dir).args(["--port", "0"]).args(if extra.contains(&"--threads") { &[][..] } else { &["--threads", "2"][..] }).args(extra);
        cmd.env("PALBASE_LOG_FORMAT", "json").env_remove("PALBASE_PORT");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn palbase");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        pump(child.stdout.take().unwrap(), stdout.clone());
        pump(child.stderr.take().unwrap(), stderr.clone());
        let mut s = Self { child, base: String::new(), port: 0, stdout, stderr };
        let line = s.wait_for(|o| o.lines().find(|l| l.contains(" on http://")).map(str::to_string), Duration::from_secs(30)).unwrap_or_else(|| panic!("server did not start:\n{}\n{}", s.out(), s.err()));
        let addr = line.split(" on http://").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
        s.port = addr.rsplit(':').next().unwrap().parse().unwrap();
        s.base = format!("http://{addr}");
        // Ready (or failed to load: the server still answers 503 then).
        s.wait_for(|o| (o.contains("ready in") || o.contains("error:")).then_some(()), Duration::from_secs(30));
        s
    }

    pub fn out(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub fn err(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn wait_for<T>(&self, f: impl Fn(&str) -> Option<T>, timeout: Duration) -> Option<T> {
        let t0 = Instant::now();
        loop {
            let o = self.out() + &self.err();
            if let Some(v) = f(&o) {
                return Some(v);
            }
            if t0.elapsed() > timeout {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn wait_for_err<T>(&self, f: impl Fn(&str) -> Option<T>, timeout: Duration) -> Option<T> {
        let t0 = Instant::now();
        loop {
            if let Some(v) = f(&self.err()) {
                return Some(v);
            }
            if t0.elapsed() > timeout {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a `palbase` subcommand; returns (exit ok, stdout, stderr).
pub fn palbase(args: &[&str]) -> (bool, String, String) {
    palbase_env(args, &[])
}

pub fn palbase_env(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let mut cmd = Command::new(bin());
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

pub fn token(project: &Path, user: &str, role: &str) -> String {
    let (ok, out, err) = palbase(&["token", "--user", user, "--email", &format!("{user}@example.com"), "--role", role, "--dir", project.to_str().unwrap()]);
    assert!(ok, "{err}");
    out.trim().to_string()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, k: &str) -> Option<String> {
        self.headers.get(k).map(|v| v.to_str().unwrap().to_string())
    }

    /// Asserts the spec's error envelope and returns it.
    pub fn envelope(&self, status: u16, code: &str) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", self.text);
        let j = self.json();
        assert_eq!(j["error"], code, "{}", self.text);
        assert_eq!(j["status"], status);
        assert!(j["error_description"].is_string());
        assert_eq!(j["request_id"].as_str(), self.header("x-request-id").as_deref(), "request_id matches the header");
        j
    }
}

pub async fn send(req: reqwest::RequestBuilder) -> Resp {
    let r = req.send().await.expect("request failed");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    Resp { status, headers, text }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// A throwaway PostgreSQL database for one test (dropped at the end): palbase-testkit's.
/// `PgDb::new()` is `None` when PostgreSQL cannot run here, after the testkit's skip rule (printed
/// as skipped; a failure under CI, or when PALBASE_TEST_PG_URL names the server); `url()` is its
/// connection URL.
pub type PgDb = palbase_testkit::PgTemp;
