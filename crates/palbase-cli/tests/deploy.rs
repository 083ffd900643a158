//! `palbase server` + `palbase push`: real servers on loopback, real child processes, real HTTP.

mod common;

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use common::{Project, bin};

/// A `palbase server` on a free port with its data directory.
struct Deploy {
    child: Child,
    base: String,
    port: u16,
    token: String,
    out: Arc<Mutex<String>>,
}

fn pump(r: impl std::io::Read + Send + 'static, sink: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
}

impl Deploy {
    fn start(data: &Path, port: u16, env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(bin());
        cmd.args(["server", "--port", &port.to_string(), "--data"]).arg(data);
        cmd.env("PALBASE_LOG_FORMAT", "json").env_remove("PALBASE_SERVER_TOKEN").env_remove("PALBASE_DATABASE_URL");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let out = Arc::new(Mutex::new(String::new()));
        pump(child.stdout.take().unwrap(), out.clone());
        pump(child.stderr.take().unwrap(), out.clone());
        let t0 = Instant::now();
        let addr = loop {
            if let Some(l) = out.lock().unwrap().lines().find(|l| l.starts_with("palbase server on http://")) {
                break l["palbase server on http://".len()..].split(':').take(2).collect::<Vec<_>>().join(":");
            }
            assert!(t0.elapsed() < Duration::from_secs(20), "server did not start:\n{}", out.lock().unwrap());
            std::thread::sleep(Duration::from_millis(10));
        };
        let token = out.lock().unwrap().lines().find_map(|l| l.strip_prefix("admin token (shown once, only its hash is kept): ").map(str::to_owned)).unwrap_or_default();
        let port = addr.rsplit(':').next().unwrap().parse().unwrap();
        Self { child, base: format!("http://{addr}"), port, token, out }
    }

    fn output(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits until `host` answers `path` with 200.
    fn wait_serving(&self, host: &str, path: &str) -> String {
        let t0 = Instant::now();
        loop {
            let (status, body) = get(&self.base, host, path);
            if status == 200 {
                return body;
            }
            assert!(t0.elapsed() < Duration::from_secs(20), "{host}{path} never served ({status} {body}):\n{}", self.output());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Deploy {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// One request through the front router, by `Host` (blocking: the tests are synchronous).
fn call(base: &str, host: &str, path: &str, json_body: Option<&str>) -> (u16, String) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let c = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        let url = format!("{base}{path}");
        let req = match json_body {
            Some(b) => c.post(url).header("content-type", "application/json").body(b.to_string()),
            None => c.get(url),
        };
        match req.header("host", host).send().await {
            Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
            Err(e) => (0, e.to_string()),
        }
    })
}

fn get(base: &str, host: &str, path: &str) -> (u16, String) {
    call(base, host, path, None)
}

fn post_json(base: &str, host: &str, path: &str, body: &str) -> (u16, String) {
    call(base, host, path, Some(body))
}

/// `palbase push|rollback|…` against the server; (ok, stdout, stderr).
fn cli(s: &Deploy, token: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(bin()).args(args).args(["--server", &s.base, "--token", token]).env_remove("PALBASE_SERVER").env_remove("PALBASE_TOKEN").output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn push(s: &Deploy, dir: &Path, extra: &[&str]) -> (bool, String, String) {
    let mut args = vec!["push", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    cli(s, &s.token, &args)
}

fn hello(v: u32) -> String {
    format!(
        r#"import {{ defineEndpoint }} from "@palbase/backend";
export default defineEndpoint({{ method: "GET", handler: async () => ({{ v: {v} }}) }});
"#
    )
}

fn schema(columns: &str) -> String {
    format!(
        r#"import {{ defineSchema, table, uuid, text }} from "@palbase/backend";
export default defineSchema({{ notes: table("notes", {{ id: uuid().primaryKey().defaultRandom(), text: text().notNull(){columns} }}) }});
"#
    )
}

const NOTES_POST: &str = r#"import { defineEndpoint, z, Database } from "@palbase/backend";
export default defineEndpoint({ method: "POST", input: z.object({ text: z.string() }), handler: async (req) => Database.insert("notes", { text: req.input.text }) });
"#;
const NOTES_GET: &str = r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => ({ n: (await Database.query("select count(*) as n from notes")).length ? (await Database.query("select count(*) as n from notes"))[0].n : 0 }) });
"#;

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or("")
}

#[test]
fn push_call_failures_change_nothing_rollback_and_unchanged_uploads_nothing() {
    let data = tempfile::tempdir().unwrap();
    let s = Deploy::start(data.path(), 0, &[]);
    assert!(s.token.starts_with("pbs_"), "first start prints an admin token:\n{}", s.output());
    let p = Project::new(&[("endpoints/hello/get.ts", &hello(1)), ("db/schema.ts", &schema(", extra: text()"))]);
    let host = "t.localhost";

    // Push, then call: the URL is the last line.
    let t0 = Instant::now();
    let (ok, out, err) = push(&s, p.path(), &[]);
    assert!(ok, "{out}\n{err}\n{}", s.output());
    assert_eq!(last_line(&out), format!("http://t.localhost:{}/", s.port), "{out}");
    assert!(out.contains("uploading 3"), "{out}");
    assert!(out.contains("+ table notes"), "the migration is shown: {out}");
    eprintln!("first push: {:?}", t0.elapsed());
    assert_eq!(get(&s.base, host, "/hello"), (200, r#"{"v":1}"#.into()));
    assert_eq!(get(&s.base, "localhost", "/hello").0, 404, "no project, no answer");
    assert_eq!(get(&s.base, "dev--t.localhost", "/hello").0, 404, "nothing on dev");

    // Unchanged: nothing travels.
    let (ok, out, _) = push(&s, p.path(), &[]);
    assert!(ok && out.contains("all already on the server"), "{out}");

    // A syntax error: located, non-zero, the old version serves.
    p.write("endpoints/hello/get.ts", "import { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ v: 2 }) ;\n");
    let (ok, out, err) = push(&s, p.path(), &[]);
    assert!(!ok, "{out}");
    assert!(err.contains("endpoints/hello/get.ts:2:"), "file:line:col: {err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(get(&s.base, host, "/hello"), (200, r#"{"v":1}"#.into()));

    // An error thrown while loading: located too.
    p.write("endpoints/hello/get.ts", "import { defineEndpoint } from \"@palbase/backend\";\nthrow new Error(\"boom at load\");\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ v: 2 }) });\n");
    let (ok, _, err) = push(&s, p.path(), &[]);
    assert!(!ok && err.contains("endpoints/hello/get.ts:2:") && err.contains("boom at load"), "{err}");
    assert_eq!(get(&s.base, host, "/hello").1, r#"{"v":1}"#);

    // A destructive migration is refused unless accepted.
    p.write("endpoints/hello/get.ts", &hello(2));
    p.write("db/schema.ts", &schema(""));
    let (ok, _, err) = push(&s, p.path(), &[]);
    assert!(!ok && err.contains("--accept-data-loss"), "{err}");
    assert_eq!(get(&s.base, host, "/hello").1, r#"{"v":1}"#);
    let (ok, out, err) = push(&s, p.path(), &["--accept-data-loss"]);
    assert!(ok, "{out}\n{err}");
    assert_eq!(get(&s.base, host, "/hello").1, r#"{"v":2}"#);

    // Rollback to v1 is refused: its code needs the column v2 dropped.
    let (ok, _, err) = cli(&s, &s.token, &["rollback", "--dir", p.path().to_str().unwrap()]);
    assert!(!ok && err.contains("+ column notes.extra"), "{err}");
    assert_eq!(get(&s.base, host, "/hello").1, r#"{"v":2}"#);

    // v3 on the same schema; rollback goes back to v2 at once.
    p.write("endpoints/hello/get.ts", &hello(3));
    assert!(push(&s, p.path(), &[]).0);
    assert_eq!(get(&s.base, host, "/hello").1, r#"{"v":3}"#);
    let (ok, out, err) = cli(&s, &s.token, &["rollback", "--dir", p.path().to_str().unwrap()]);
    assert!(ok, "{out}\n{err}");
    assert!(err.contains("schema changes made since are not undone"), "{err}");
    assert_eq!(get(&s.base, host, "/hello").1, r#"{"v":2}"#);

    let (ok, list, _) = cli(&s, &s.token, &["deployments", "list", "--dir", p.path().to_str().unwrap()]);
    assert!(ok);
    assert_eq!(list.lines().count(), 7, "{list}");
    assert_eq!(list.lines().filter(|l| l.starts_with('*')).count(), 1, "{list}");
    assert_eq!(list.lines().filter(|l| l.contains(" failed ")).count(), 3, "{list}");
}

#[test]
fn zero_failed_requests_while_a_push_switches_versions() {
    let data = tempfile::tempdir().unwrap();
    let s = Deploy::start(data.path(), 0, &[]);
    let p = Project::new(&[("endpoints/hello/get.ts", &hello(1))]);
    assert!(push(&s, p.path(), &[]).0);
    s.wait_serving("t.localhost", "/hello");

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let answers = Arc::new(Mutex::new(Vec::<(u16, String)>::new()));
    let base = s.base.clone();
    let (st, an) = (stop.clone(), answers.clone());
    let load = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let c = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
            let tasks: Vec<_> = (0..4)
                .map(|_| {
                    let (c, base, st, an) = (c.clone(), base.clone(), st.clone(), an.clone());
                    async move {
                        while !st.load(std::sync::atomic::Ordering::Relaxed) {
                            let r = c.get(format!("{base}/hello")).header("host", "t.localhost").send().await;
                            let a = match r {
                                Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
                                Err(e) => (0, e.to_string()),
                            };
                            an.lock().unwrap().push(a);
                        }
                    }
                })
                .collect();
            futures::future::join_all(tasks).await;
        });
    });
    std::thread::sleep(Duration::from_millis(200));
    p.write("endpoints/hello/get.ts", &hello(2));
    let t0 = Instant::now();
    let (ok, out, err) = push(&s, p.path(), &[]);
    let push_time = t0.elapsed();
    assert!(ok, "{out}\n{err}");
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    load.join().unwrap();
    let answers = answers.lock().unwrap();
    let failed: Vec<&(u16, String)> = answers.iter().filter(|(st, b)| *st != 200 || (b != r#"{"v":1}"# && b != r#"{"v":2}"#)).collect();
    assert!(failed.is_empty(), "{} of {} failed: {:?}", failed.len(), answers.len(), &failed[..failed.len().min(5)]);
    assert!(answers.iter().any(|a| a.1 == r#"{"v":1}"#) && answers.last().unwrap().1 == r#"{"v":2}"#);
    eprintln!("push of a small change under load: {push_time:?}, {} requests, 0 failed", answers.len());
}

#[test]
fn server_killed_mid_switch_restarts_into_the_old_version() {
    let data = tempfile::tempdir().unwrap();
    let p = Project::new(&[("endpoints/hello/get.ts", &hello(1))]);
    let mut s = Deploy::start(data.path(), 0, &[]);
    let token = s.token.clone();
    assert!(push(&s, p.path(), &[]).0);
    s.kill9();

    // The new version is ready, the switch is held: kill -9 there.
    let mut s = Deploy::start(data.path(), 0, &[("PALBASE_DEPLOY_TEST_HOLD_BEFORE_SWITCH_MS", "10000")]);
    s.token = token.clone();
    assert_eq!(s.wait_serving("t.localhost", "/hello"), r#"{"v":1}"#, "a restart serves what was live");
    p.write("endpoints/hello/get.ts", &hello(2));
    let mut pusher = Command::new(bin()).args(["push", p.path().to_str().unwrap(), "--server", &s.base, "--token", &token]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let pushed = Arc::new(Mutex::new(String::new()));
    pump(pusher.stdout.take().unwrap(), pushed.clone());
    let t0 = Instant::now();
    while !pushed.lock().unwrap().contains("holding before the switch") {
        assert!(t0.elapsed() < Duration::from_secs(20), "{}", pushed.lock().unwrap());
        std::thread::sleep(Duration::from_millis(10));
    }
    // A second push to the branch meanwhile is refused, clearly.
    let (ok, _, err) = cli(&s, &token, &["push", p.path().to_str().unwrap()]);
    assert!(!ok && err.contains("another push (or rollback) to main of t is under way"), "{err}");
    s.kill9();
    assert!(!pusher.wait().unwrap().success(), "the push did not finish");

    let s = Deploy::start(data.path(), 0, &[]);
    assert_eq!(s.wait_serving("t.localhost", "/hello"), r#"{"v":1}"#);
    let (ok, list, _) = cli(&s, &token, &["deployments", "list", "--dir", p.path().to_str().unwrap()]);
    assert!(ok && list.contains("interrupted"), "{list}");
    // And the next push goes through.
    assert!(cli(&s, &token, &["push", p.path().to_str().unwrap()]).0);
    assert_eq!(get(&s.base, "t.localhost", "/hello").1, r#"{"v":2}"#);
}

#[test]
fn branches_are_isolated_secrets_never_shown_tokens_scoped() {
    let data = tempfile::tempdir().unwrap();
    let s = Deploy::start(data.path(), 0, &[]);
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let webhook = r#"import { defineWebhook } from "@palbase/backend";
export default defineWebhook({ provider: "standard-webhooks", secret: { env: "HOOK_SECRET" }, events: { "user.created": async (ctx, event) => { await ctx.db.insert("notes", { text: "hook" }); } } });
"#;
    let p = Project::new(&[("endpoints/notes/post.ts", NOTES_POST), ("endpoints/notes/get.ts", NOTES_GET), ("db/schema.ts", &schema("")), ("webhooks/users.ts", webhook)]);
    let dir = p.path().to_str().unwrap();

    // The webhook's secret is missing: the push fails, located.
    let (ok, _, err) = push(&s, p.path(), &["--branch", "dev"]);
    assert!(!ok && err.contains("HOOK_SECRET"), "{err}");
    let mut outputs = vec![err];
    for branch in ["main", "dev"] {
        let mut c = Command::new(bin());
        c.args(["secrets", "set", "HOOK_SECRET", "--branch", branch, "--dir", dir, "--server", &s.base, "--token", &s.token]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(SECRET.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        outputs.push(String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr));
    }
    for branch in ["main", "dev"] {
        let (ok, out, err) = push(&s, p.path(), &["--branch", branch]);
        assert!(ok, "{out}\n{err}");
        outputs.push(out + &err);
    }
    assert_eq!(last_line(outputs.last().unwrap()), format!("http://dev--t.localhost:{}/", s.port));
    let (ok, out, err) = cli(&s, &s.token, &["secrets", "list", "--dir", dir, "--branch", "dev"]);
    assert!(ok && out.contains("HOOK_SECRET"), "{err}");
    outputs.push(out + &err);

    // Branch isolation: a note on dev is not on main.
    assert_eq!(post_json(&s.base, "dev--t.localhost", "/notes", r#"{"text":"on dev"}"#).0, 200);
    assert_eq!(get(&s.base, "dev--t.localhost", "/notes").1, r#"{"n":1}"#);
    assert_eq!(get(&s.base, "t.localhost", "/notes").1, r#"{"n":0}"#);

    // The deploy secret reached the project: a delivery signed with it is accepted on main.
    let body = r#"{"type":"user.created","data":{"id":"u1"}}"#;
    let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let sig = palbase_webhooks::sign_standard_webhooks(SECRET, "msg_1", ts, body.as_bytes()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (status, text) = rt.block_on(async {
        let r = reqwest::Client::new()
            .post(format!("{}/webhooks/users", s.base))
            .header("host", "t.localhost")
            .header("content-type", "application/json")
            .header("webhook-id", "msg_1")
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", sig)
            .body(body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    });
    assert!(status < 300, "{status} {text}");
    outputs.push(text);

    // A token for another project reaches nothing of this one.
    let made = Command::new(bin()).args(["server", "token", "create", "--project", "other", "--data"]).arg(data.path()).output().unwrap();
    let other = String::from_utf8_lossy(&made.stdout).trim().to_string();
    let (ok, _, err) = cli(&s, &other, &["push", dir]);
    assert!(!ok && err.contains("only to the project `other`"), "{err}");
    let (ok, _, err) = cli(&s, &other, &["secrets", "list", "--dir", dir]);
    assert!(!ok && err.contains("only to the project `other`"), "{err}");
    let (ok, _, err) = cli(&s, "pbs_wrong", &["deployments", "list", "--dir", dir]);
    assert!(!ok && err.contains("not valid"), "{err}");

    let (ok, out, _) = cli(&s, &s.token, &["branches", "list", "--dir", dir]);
    assert!(ok && out.contains("dev ") && out.contains("main "), "{out}");
    let (ok, out, err) = cli(&s, &s.token, &["branches", "delete", "dev", "--dir", dir]);
    assert!(ok, "{out}{err}");
    assert_eq!(get(&s.base, "dev--t.localhost", "/notes").0, 404);
    assert_eq!(get(&s.base, "t.localhost", "/notes").0, 200);

    // The secret's value is nowhere: CLI output, answers, the server's log, its files at rest.
    outputs.push(s.output());
    for o in &outputs {
        assert!(!o.contains(SECRET) && !o.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "the secret leaked:\n{o}");
    }
    let mut stack = vec![data.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else if e.path().extension().is_none_or(|x| x != "sqlite" && x != "sqlite-wal" && x != "sqlite-shm") {
                let bytes = std::fs::read(e.path()).unwrap();
                assert!(!String::from_utf8_lossy(&bytes).contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "plaintext secret in {}", e.path().display());
            }
        }
    }
}
