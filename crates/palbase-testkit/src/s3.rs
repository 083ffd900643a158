//! [`TestS3`]: a throwaway S3-compatible server for one test (PyPI `moto[server]`, whose
//! `moto_server` must be on `PATH`), on a free loopback port, killed on drop.
//!
//! Each server gets an IAM user with an access key allowed everything, and one bucket of its own
//! (`palbase-t-<random>`), created with that user. Then request signatures are enforced: from
//! there on moto refuses a request whose SigV4 `Authorization` header does not verify (a wrong
//! secret, a changed header or body), so signing bugs fail. (moto only knows credentials it
//! issued itself, so `INITIAL_NO_AUTH_ACTION_COUNT=0` from the start would leave no credentials
//! it accepts: the checks are switched on through `/moto-api/reset-auth` once the user and the
//! bucket exist, which sets that count to 0.)
//!
//! moto 5 cannot check presigned URLs while signatures are enforced (it only reads the
//! `Authorization` header and fails with a 500 on a query-signed request):
//! [`TestS3::set_signature_checks`]`(false)` turns the checks off for a test that uses them.
//!
//! When `moto_server` is missing or does not start, the skip rule of the crate docs applies: the
//! test prints `skipped: s3: <why>` and gets `None`; under CI that is a failure.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use crate::backend::ready;

pub const REGION: &str = "us-east-1";

/// A reply of the tiny HTTP/1.1 client below.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// Sends one request on a fresh connection (`Connection: close`) and reads the whole reply.
pub fn request(addr: &str, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply, String> {
    let sock = addr.parse().map_err(|e| format!("{addr}: {e}"))?;
    let mut s = TcpStream::connect_timeout(&sock, Duration::from_millis(500)).map_err(|e| format!("{addr}: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(20))).map_err(|e| e.to_string())?;
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).and_then(|_| s.write_all(body)).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| format!("bad reply: {head:?}"))?;
    Ok(Reply { status, body: body.to_owned() })
}

fn free_port() -> Option<u16> {
    TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok().map(|a| a.port())
}

/// An `Authorization` header moto routes by (service from the credential scope); its signature
/// is only checked once the checks are on.
fn routing_auth(service: &str) -> String {
    format!("AWS4-HMAC-SHA256 Credential=AKIDBOOTSTRAP/20250101/{REGION}/{service}/aws4_request, SignedHeaders=host, Signature=00")
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    Some(&text[start..start + text[start..].find(close)?])
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let enc: String = v.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub struct TestS3 {
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// `127.0.0.1:<port>`.
    pub addr: String,
    pub port: u16,
    /// The bucket of this test.
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    child: Child,
}

impl TestS3 {
    /// Starts the server, its user and bucket, and switches signature checks on; `None` (the test
    /// returns) when moto cannot run here, after the skip rule ([`crate::backend::skip`]).
    #[track_caller]
    pub fn start() -> Option<TestS3> {
        ready("s3", Self::try_start().map_err(|e| format!("{e}; install it with `pip install 'moto[server]'`")))
    }

    /// [`TestS3::start`], or why moto cannot run here.
    pub fn try_start() -> Result<TestS3, String> {
        let port = free_port().ok_or("no free port")?;
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("INITIAL_NO_AUTH_ACTION_COUNT", "inf")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start moto_server: {e}"))?;
        let addr = format!("127.0.0.1:{port}");
        let mut s3 = TestS3 {
            endpoint: format!("http://{addr}"),
            addr,
            port,
            bucket: format!("palbase-t-{}", &uuid::Uuid::new_v4().simple().to_string()[..16]),
            region: REGION.to_owned(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
            child,
        };
        s3.bootstrap()?; // on an error, dropping `s3` kills the child
        Ok(s3)
    }

    fn bootstrap(&mut self) -> Result<(), String> {
        let start = Instant::now();
        loop {
            match request(&self.addr, "GET", "/moto-api/data.json", &[], b"") {
                Ok(r) if r.status == 200 => break,
                _ if start.elapsed() > Duration::from_secs(30) => return Err("moto_server did not answer within 30 s".into()),
                _ => {}
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("moto_server exited: {status}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let iam = |pairs: &[(&str, &str)]| -> Result<String, String> {
            let auth = routing_auth("iam");
            let body = form(pairs);
            let r = request(&self.addr, "POST", "/", &[("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", &auth)], body.as_bytes())?;
            if r.status != 200 {
                return Err(format!("IAM {}: {} {}", pairs[0].1, r.status, r.body));
            }
            Ok(r.body)
        };
        iam(&[("Action", "CreateUser"), ("UserName", "palbase"), ("Version", "2010-05-08")])?;
        let key = iam(&[("Action", "CreateAccessKey"), ("UserName", "palbase"), ("Version", "2010-05-08")])?;
        self.access_key_id = between(&key, "<AccessKeyId>", "</AccessKeyId>").ok_or("no AccessKeyId")?.to_owned();
        self.secret_access_key = between(&key, "<SecretAccessKey>", "</SecretAccessKey>").ok_or("no SecretAccessKey")?.to_owned();
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        iam(&[("Action", "PutUserPolicy"), ("UserName", "palbase"), ("PolicyName", "all"), ("PolicyDocument", policy), ("Version", "2010-05-08")])?;
        // The bucket, under the user's credentials (the scope names its access key).
        let auth = format!("AWS4-HMAC-SHA256 Credential={}/20250101/{REGION}/s3/aws4_request, SignedHeaders=host, Signature=00", self.access_key_id);
        let r = request(&self.addr, "PUT", &format!("/{}", self.bucket), &[("Authorization", &auth)], b"")?;
        if r.status != 200 {
            return Err(format!("CreateBucket: {} {}", r.status, r.body));
        }
        self.set_signature_checks(true);
        // Self-check: a request with a bad signature must now be refused.
        let signed = auth.replace("SignedHeaders=host,", "SignedHeaders=host;x-amz-date,");
        let r = request(&self.addr, "PUT", &format!("/{}/probe", self.bucket), &[("Authorization", &signed), ("x-amz-date", "20250101T000000Z")], b"x")?;
        if r.status != 403 {
            return Err(format!("moto accepted a badly signed request ({}) with signature checks on", r.status));
        }
        Ok(())
    }

    /// Switches moto's SigV4 checks on (every later request must be signed with this server's
    /// key) or off (presigned URLs work, but nothing is checked).
    pub fn set_signature_checks(&self, on: bool) {
        let body = if on { "0" } else { "inf" };
        let r = request(&self.addr, "POST", "/moto-api/reset-auth", &[], body.as_bytes());
        assert!(matches!(&r, Ok(r) if r.status == 200), "switching moto's signature checks: {r:?}");
    }
}

impl Drop for TestS3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
