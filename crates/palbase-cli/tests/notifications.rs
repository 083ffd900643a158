//! Notifications through the real server: the outbox (the local default) on SQLite and on
//! PostgreSQL, send-on-commit inside `Database.transaction`, idempotency keys, validation
//! errors naming the field, `ctx.notifications` in a worker, `palbase outbox list|show`, and
//! email over SMTP to a real SMTP server on a loopback port (aiosmtpd, tests/support/smtp_sink.py):
//! AUTH, MIME structure (encoded-word subject, multipart/alternative, attachments, Bcc only in
//! the envelope), a permanent refusal and a retried temporary failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

/// Sends driven by the request body.
const OPS: &str = r#"import { defineEndpoint, Notifications, Database, Queue, HttpError } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
    const b = req.input as any;
    switch (b.op) {
      case "email": return await Notifications.email.send(b.params);
      case "push": return await Notifications.push.send(b.params);
      case "sms": return await Notifications.sms.send(b.params);
      case "example": {
        const e = await Notifications.email.send({ /* PalbaseEmailSendParams */ });
        const p = await Notifications.push.send({ /* PalbasePushSendParams */ });
        const s = await Notifications.sms.send({ /* PalbaseSmsSendParams */ });
        return { e, p, s };
      }
      case "bytes": return await Notifications.email.send({ ...b.params, attachments: [{ filename: "data.bin", content: new Uint8Array([0, 1, 2, 255]), contentType: "application/octet-stream" }] });
      case "tx": {
        let sent: unknown = null;
        try {
          await Database.transaction(async () => {
            sent = await Notifications.email.send(b.params);
            if (b.fail) throw new HttpError(409, "on_purpose", "rolled back");
          });
        } catch (e) {
          if (!(e instanceof HttpError)) throw e;
        }
        return sent;
      }
      case "later": return await Queue.push("notify-later", b.params);
    }
    throw new HttpError(400, "bad_op", String(b.op));
  },
});
"#;

const WORKER: &str = r#"import { defineWorker } from "@palbase/backend";
export default defineWorker({
  name: "notify-later",
  handler: async (ctx, payload: any) => {
    const r = await ctx.notifications.email.send(payload);
    if (r.error) throw new Error(r.error.code);
  },
});
"#;

fn project(toml: &str) -> Project {
    Project::new(&[
        ("endpoints/notify/post.ts", OPS),
        ("workers/notify-later.ts", WORKER),
        ("palbase.toml", toml),
        ("notifications/welcome.subject.txt", "Welcome, {{ name }}!\n"),
        ("notifications/welcome.txt", "Hi {{ name }}, you have {{ items | length }} items."),
        ("notifications/welcome.html", "<p>Hi {{ name }}</p><ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul>"),
    ])
}

const OUTBOX_TOML: &str = "[queue]\npoll_interval_ms = 200\n\n[notifications.email]\nfrom = \"App <app@example.com>\"\n";

async fn call(s: &Server, body: Value) -> Value {
    let r = send(client().post(s.url("/notify")).json(&body)).await;
    assert_eq!(r.status, 200, "{body}: {}\n{}", r.text, s.err());
    r.json()
}

fn wait(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let t0 = Instant::now();
    while !f() {
        assert!(t0.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `palbase outbox list DIR` (with the database the server uses).
fn outbox_list(dir: &Path, env: &[(&str, &str)]) -> String {
    let (ok, out, err) = palbase_env(&["outbox", "list", dir.to_str().unwrap()], env);
    assert!(ok, "{err}");
    out
}

fn outbox_show(dir: &Path, id: &str, env: &[(&str, &str)]) -> String {
    let (ok, out, err) = palbase_env(&["outbox", "show", id, dir.to_str().unwrap()], env);
    assert!(ok, "{err}");
    out
}

fn lines_with(text: &str, needle: &str) -> usize {
    text.lines().filter(|l| l.contains(needle)).count()
}

fn status_of(show: &str) -> String {
    show.lines().find_map(|l| l.trim().strip_prefix("status:")).unwrap_or_default().trim().to_owned()
}

fn error_field(v: &Value) -> (String, String) {
    (v["error"]["code"].as_str().unwrap_or_default().to_owned(), v["error"]["data"]["field"].as_str().unwrap_or_default().to_owned())
}

async fn outbox_suite(s: &Server, dir: &Path, env: &[(&str, &str)]) {
    // services.md's example verbatim (`send({})`): each answers `{ error }` naming what is missing.
    let ex = call(s, json!({"op": "example"})).await;
    assert_eq!(error_field(&ex["e"]), ("invalid_arguments".into(), "to".into()), "{ex}");
    assert_eq!(error_field(&ex["p"]), ("invalid_arguments".into(), "token".into()), "{ex}");
    assert_eq!(error_field(&ex["s"]), ("invalid_arguments".into(), "to".into()), "{ex}");
    assert_eq!(ex["e"]["data"], Value::Null);

    // No provider configured: kept in the outbox, logged in one line, never sent.
    let r = call(s, json!({"op": "email", "params": {"to": "ann@example.com", "subject": "Welcome", "text": "Hello Ann"}})).await;
    assert_eq!(r["error"], Value::Null, "{r}");
    assert_eq!(r["data"]["status"], "outbox");
    let id = r["data"]["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("msg_"), "{id}");
    let line = s.wait_for_err(|e| e.lines().find(|l| l.contains(&id) && l.contains("outbox:")).map(str::to_owned), Duration::from_secs(10)).unwrap_or_else(|| panic!("no outbox log line for {id}:\n{}", s.err()));
    assert!(line.contains("ann@example.com") && line.contains("Welcome"), "{line}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(lines_with(&s.err(), "outbox:"), 1, "one line per message:\n{}", s.err());
    let show = outbox_show(dir, &id, env);
    assert_eq!(status_of(&show), "outbox", "{show}");
    assert!(show.contains("Subject: Welcome") && show.contains("Hello Ann") && show.contains("From: App <app@example.com>"), "{show}");

    // Push and SMS too.
    let p = call(s, json!({"op": "push", "params": {"token": ["tok-1"], "title": "Hi", "data": {"k": "v"}}})).await;
    assert_eq!(p["data"]["status"], "outbox", "{p}");
    let m = call(s, json!({"op": "sms", "params": {"to": "+14155550100", "body": "Your code is 123456"}})).await;
    assert_eq!(m["data"]["status"], "outbox", "{m}");
    let show = outbox_show(dir, m["data"]["id"].as_str().unwrap(), env);
    assert!(show.contains("Your code is 123456") && show.contains("+14155550100"), "{show}");

    // Send-on-commit: a rolled-back transaction records nothing (and nothing is logged); a
    // committed one records the message.
    let before = outbox_list(dir, env).lines().count();
    let r = call(s, json!({"op": "tx", "fail": true, "params": {"to": "rollback@example.com", "subject": "Never", "text": "x"}})).await;
    assert_eq!(r["data"]["status"], "outbox", "inside the transaction the send succeeded: {r}");
    let rolled_back_id = r["data"]["id"].as_str().unwrap().to_owned();
    let r = call(s, json!({"op": "tx", "params": {"to": "commit@example.com", "subject": "Committed", "text": "x"}})).await;
    let committed_id = r["data"]["id"].as_str().unwrap().to_owned();
    s.wait_for_err(|e| e.contains(&committed_id).then_some(()), Duration::from_secs(10)).unwrap_or_else(|| panic!("the committed message was not delivered to the outbox:\n{}", s.err()));
    let list = outbox_list(dir, env);
    assert_eq!(list.lines().count(), before + 1, "{list}");
    assert_eq!(lines_with(&list, "rollback@example.com"), 0, "{list}");
    assert!(!s.err().contains(&rolled_back_id));
    let (ok, _, err) = palbase_env(&["outbox", "show", &rolled_back_id, dir.to_str().unwrap()], env);
    assert!(!ok && err.contains("no message"), "{err}");

    // Idempotency: a repeat answers the first result and records nothing.
    let params = json!({"to": "idem@example.com", "subject": "Once", "text": "x", "idempotencyKey": "welcome-u1"});
    let first = call(s, json!({"op": "email", "params": params})).await;
    let again = call(s, json!({"op": "email", "params": params})).await;
    assert_eq!(first["data"]["id"], again["data"]["id"], "{first} {again}");
    let other = call(s, json!({"op": "sms", "params": {"to": "+14155550100", "body": "x", "idempotencyKey": "welcome-u1"}})).await;
    assert_ne!(other["data"]["id"], first["data"]["id"], "keys are per channel");
    let list = outbox_list(dir, env);
    assert_eq!(lines_with(&list, "idem@example.com"), 1, "{list}");

    // Bad input: 400-style `{ error }` naming the field.
    let bad = |params: Value| json!({"op": "email", "params": params});
    let cases = [
        (bad(json!({"to": "not-an-address", "subject": "s", "text": "t"})), "invalid_recipient", "to"),
        (bad(json!({"to": ["a@example.com", "b@"], "subject": "s", "text": "t"})), "invalid_recipient", "to[1]"),
        (bad(json!({"to": "a@example.com", "text": "t"})), "invalid_arguments", "subject"),
        (bad(json!({"to": "a@example.com", "subject": "s"})), "invalid_arguments", "text"),
        (bad(json!({"to": "a@example.com", "subject": "s\r\nBcc: x@example.com", "text": "t"})), "invalid_arguments", "subject"),
        (json!({"op": "sms", "params": {"to": "0555 1234", "body": "x"}}), "invalid_recipient", "to"),
        (json!({"op": "sms", "params": {"to": "+14155550100", "body": "x".repeat(1601)}}), "payload_too_large", "body"),
        (json!({"op": "push", "params": {"token": "t", "body": "x".repeat(4100)}}), "payload_too_large", "payload"),
        (json!({"op": "push", "params": {"token": "t"}}), "invalid_arguments", "body"),
    ];
    for (body, code, field) in cases {
        let r = call(s, body.clone()).await;
        assert_eq!(r["data"], Value::Null, "{body}: {r}");
        assert_eq!(error_field(&r), (code.to_owned(), field.to_owned()), "{body}: {r}");
        let status = r["error"]["status"].as_u64().unwrap();
        assert!(status == 400 || status == 413, "{r}");
    }
    // An unknown field is refused by name.
    let r = call(s, bad(json!({"to": "a@example.com", "subject": "s", "text": "t", "recipient": "x"}))).await;
    assert_eq!(r["error"]["code"], "invalid_arguments");
    assert!(r["error"]["message"].as_str().unwrap().contains("recipient"), "{r}");
    assert_eq!(lines_with(&outbox_list(dir, env), "a@example.com"), 0, "nothing invalid is recorded");

    // Templates from notifications/, HTML autoescaped; a missing one or a missing variable is an error.
    let r = call(s, json!({"op": "email", "params": {"to": "tpl@example.com", "template": "welcome", "data": {"name": "Ann <admin>", "items": ["a&b", "c"]}}})).await;
    assert_eq!(r["error"], Value::Null, "{r}");
    let show = outbox_show(dir, r["data"]["id"].as_str().unwrap(), env);
    assert!(show.contains("Subject: Welcome, Ann <admin>!"), "{show}");
    assert!(show.contains("Hi Ann <admin>, you have 2 items."), "{show}");
    assert!(show.contains("<p>Hi Ann &lt;admin&gt;</p><ul><li>a&amp;b</li><li>c</li></ul>"), "{show}");
    let r = call(s, json!({"op": "email", "params": {"to": "tpl@example.com", "template": "nope"}})).await;
    assert_eq!(r["error"]["code"], "template_not_found", "{r}");
    let r = call(s, json!({"op": "email", "params": {"to": "tpl@example.com", "template": "welcome", "data": {"name": "x"}}})).await;
    assert_eq!(r["error"]["code"], "invalid_template", "{r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("undefined"), "{r}");

    // ctx.notifications in a worker.
    let r = call(s, json!({"op": "later", "params": {"to": "worker@example.com", "subject": "From a worker", "text": "x"}})).await;
    assert!(r["jobId"].as_str().is_some(), "{r}");
    wait("the worker's message", Duration::from_secs(15), || lines_with(&outbox_list(dir, env), "worker@example.com") == 1);
}

#[tokio::test]
async fn outbox_on_sqlite() {
    let p = project(OUTBOX_TOML);
    let s = p.serve();
    outbox_suite(&s, p.path(), &[]).await;
}

#[tokio::test]
async fn outbox_on_postgresql() {
    let Some(db) = PgDb::new() else { return };
    let p = project(OUTBOX_TOML);
    let env = [("PALBASE_DATABASE_URL", db.url())];
    let s = Server::start_env(p.path(), &[], &env);
    outbox_suite(&s, p.path(), &env).await;
}

// ---------------------------------------------------------------------------------------------
// SMTP

/// The SMTP sink (aiosmtpd) on a free loopback port, killed on drop.
struct Sink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Sink {
    /// `None` (a skip; a failure under CI) when aiosmtpd is not installed.
    fn start(user: &str, password: &str) -> Option<Sink> {
        let have = Command::new("python3").args(["-c", "import aiosmtpd"]).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
        palbase_testkit::backend::ready("SMTP (aiosmtpd)", if have { Ok(()) } else { Err("python3 -m pip install aiosmtpd".to_owned()) })?;
        let dir = tempfile::tempdir().unwrap();
        let script: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "support", "smtp_sink.py"].iter().collect();
        let port = free_port();
        let mut child = Command::new("python3").arg(script).arg(port.to_string()).arg(dir.path()).env("SMTP_SINK_USER", user).env("SMTP_SINK_PASSWORD", password).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Some(Sink { child, port, dir })
    }

    fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path()).unwrap().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        files.sort();
        files.iter().map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()).collect()
    }

    fn wait_for(&self, n: usize, s: &Server) -> Vec<Value> {
        let t0 = Instant::now();
        while self.messages().len() < n {
            assert!(t0.elapsed() < Duration::from_secs(20), "timed out waiting for {n} message(s) at the SMTP server; server log:\n{}", s.err());
            std::thread::sleep(Duration::from_millis(50));
        }
        self.messages()
    }
}

#[tokio::test]
async fn email_over_smtp_to_a_real_server() {
    let Some(sink) = Sink::start("mailer", "s3cret pass") else { return };
    let toml = format!(
        "[queue]\npoll_interval_ms = 200\nbackoff_base_ms = 200\n\n[notifications]\nretry = 3\n\n[notifications.email]\nprovider = \"smtp\"\nurl = \"smtp://mailer@127.0.0.1:{}\"\npassword_env = \"TEST_SMTP_PASSWORD\"\nfrom = \"Palbase App <app@example.com>\"\n",
        sink.port
    );
    let p = project(&toml);
    let s = Server::start_env(p.path(), &[], &[("TEST_SMTP_PASSWORD", "s3cret pass")]);
    let dir = p.path();

    let r = call(
        &s,
        json!({"op": "bytes", "params": {
            "to": ["Zoë Ann <ann@example.com>"], "cc": "carl@example.com", "bcc": ["hidden@example.com"], "replyTo": "support@example.com",
            "subject": "Grüße aus Köln 👋", "text": "Hallo Zoë", "html": "<p>Hallo <b>Zoë</b></p>",
            "headers": {"X-Campaign": "spring"}, "tags": {"kind": "welcome"}
        }}),
    )
    .await;
    assert_eq!(r["data"]["status"], "queued", "{r}");
    let id = r["data"]["id"].as_str().unwrap().to_owned();
    let msgs = sink.wait_for(1, &s);
    let m = &msgs[0];
    assert_eq!(m["authenticated"], true, "AUTH with the password from password_env");
    assert_eq!(m["mail_from"], "app@example.com");
    let mut rcpt: Vec<&str> = m["rcpt_tos"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    rcpt.sort_unstable();
    assert_eq!(rcpt, ["ann@example.com", "carl@example.com", "hidden@example.com"]);
    assert_eq!(m["bcc"], Value::Null, "Bcc is in the envelope only");
    assert!(!m["raw"].as_str().unwrap().contains("hidden@example.com"));
    assert_eq!(m["subject"], "Grüße aus Köln 👋");
    let raw = m["raw"].as_str().unwrap();
    let subject_line = raw.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(subject_line.contains("=?utf-8?"), "an RFC 2047 encoded word: {subject_line}");
    assert!(m["to"].as_str().unwrap().contains("ann@example.com"));
    assert_eq!(m["headers"]["X-Campaign"], "spring");
    assert!(m["headers"]["Reply-To"].as_str().unwrap().contains("support@example.com"));
    let types: Vec<&str> = m["parts"].as_array().unwrap().iter().map(|p| p["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/octet-stream"], "{m}");
    let parts = m["parts"].as_array().unwrap();
    assert_eq!(parts[2]["text"].as_str().unwrap().trim_end(), "Hallo Zoë");
    assert_eq!(parts[3]["text"].as_str().unwrap().trim_end(), "<p>Hallo <b>Zoë</b></p>");
    assert_eq!(parts[4]["filename"], "data.bin");
    assert_eq!(parts[4]["base64"], "AAEC/w==", "the attachment's bytes, exactly");
    // The outbox records the delivery with the server's answer.
    wait("status sent", Duration::from_secs(10), || status_of(&outbox_show(dir, &id, &[])) == "sent");
    let show = outbox_show(dir, &id, &[]);
    assert!(show.contains("provider: smtp") && show.contains("queued as sink-1") && show.contains("attempts: 1"), "{show}");

    // A refused recipient: failed at once (permanent), with the server's answer.
    let r = call(&s, json!({"op": "email", "params": {"to": "reject-me@example.com", "subject": "No", "text": "x"}})).await;
    let rejected = r["data"]["id"].as_str().unwrap().to_owned();
    wait("status failed", Duration::from_secs(10), || status_of(&outbox_show(dir, &rejected, &[])) == "failed");
    let show = outbox_show(dir, &rejected, &[]);
    assert!(show.contains("550") && show.contains("attempts: 1"), "{show}");

    // A temporary failure (451) is retried, then delivered.
    let r = call(&s, json!({"op": "email", "params": {"to": "tempfail@example.com", "subject": "Later", "text": "x"}})).await;
    let later = r["data"]["id"].as_str().unwrap().to_owned();
    wait("retried, then sent", Duration::from_secs(20), || status_of(&outbox_show(dir, &later, &[])) == "sent");
    let show = outbox_show(dir, &later, &[]);
    assert!(show.contains("attempts: 2"), "{show}");
    assert_eq!(sink.messages().len(), 2, "the refused message never arrived; the retried one once");

    // Send-on-commit with a real provider: nothing reaches the server from a rolled-back transaction.
    call(&s, json!({"op": "tx", "fail": true, "params": {"to": "rollback@example.com", "subject": "Never", "text": "x"}})).await;
    let r = call(&s, json!({"op": "tx", "params": {"to": "commit@example.com", "subject": "Committed", "text": "x"}})).await;
    assert_eq!(r["data"]["status"], "queued");
    let msgs = sink.wait_for(3, &s);
    std::thread::sleep(Duration::from_millis(500));
    let all: Vec<Value> = sink.messages();
    assert_eq!(all.len(), 3, "{msgs:?}");
    assert!(all.iter().all(|m| !m["raw"].as_str().unwrap().contains("rollback@example.com")));
}

/// `palbase serve` refuses a configuration it cannot use, naming the setting.
#[test]
fn bad_smtp_settings_are_start_up_errors() {
    for (toml, needle) in [
        ("[notifications.email]\nprovider = \"smtp\"\n", "needs `url`"),
        ("[notifications.email]\nprovider = \"smtp\"\nurl = \"smtp://mail.example.com?tls=none\"\n", "only allowed for a loopback host"),
        ("[notifications.email]\nprovider = \"smtp\"\nurl = \"smtp://user@127.0.0.1:2525\"\npassword_env = \"PALBASE_TEST_UNSET_VARIABLE\"\n", "PALBASE_TEST_UNSET_VARIABLE"),
        ("[notifications.email]\nprovider = \"carrier-pigeon\"\n", "unknown provider"),
        ("[notifications.email]\nprovder = \"smtp\"\n", "provder"),
    ] {
        let p = project(toml);
        let mut child = Command::new(bin()).args(["serve", p.path().to_str().unwrap(), "--port", "0"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let t0 = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if t0.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                panic!("serve did not refuse {toml}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!status.success(), "{toml}");
        assert!(text.contains(needle), "{toml}: {text}");
    }
}

/// `ctx.notifications` in a cron job run by `palbase cron run` (no server): recorded in the outbox.
#[test]
fn cron_run_has_ctx_notifications() {
    let job = r#"import { defineJob } from "@palbase/backend";
export default defineJob({
  name: "digest",
  schedule: "0 0 1 1 *",
  handler: async (ctx) => {
    const r = await ctx.notifications.email.send({ to: "digest@example.com", subject: "Digest", text: "x" });
    if (r.error) throw new Error(r.error.code + ": " + r.error.message);
  },
});
"#;
    let p = Project::new(&[("endpoints/notify/post.ts", OPS), ("jobs/digest.ts", job), ("palbase.toml", OUTBOX_TOML)]);
    let dir = p.path().to_str().unwrap();
    let (ok, out, err) = palbase(&["cron", "run", dir, "digest"]);
    assert!(ok, "{out}\n{err}");
    let list = outbox_list(p.path(), &[]);
    assert_eq!(lines_with(&list, "digest@example.com"), 1, "{list}");
}
