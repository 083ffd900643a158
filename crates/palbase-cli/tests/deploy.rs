//! `palbase server` + `palbase push`: real servers on loopback, real child processes, real HTTP.

mod common;

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use common::{Project, bin, pump};

/// A `palbase server` on a free port with its data directory.
struct Deploy {
    child: Child,
    base: String,
    port: u16,
    token: String,
    out: Arc<Mutex<String>>,
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

    /// (pid, port) of every process that went live on `branch` of `project`, oldest first.
    fn live_processes(&self, project: &str, branch: &str) -> Vec<(u32, u16)> {
        let prefix = format!("{branch} of {project} serves ");
        self.output()
            .lines()
            .filter(|l| l.starts_with(&prefix))
            .filter_map(|l| {
                let (pid, port) = l.rsplit_once("(process ")?.1.trim_end_matches(')').split_once(", port ")?;
                Some((pid.parse().ok()?, port.parse().ok()?))
            })
            .collect()
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

/// A GET with extra headers.
fn get_with(base: &str, host: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let mut req = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap().get(format!("{base}{path}")).header("host", host);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        match req.send().await {
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

/// Asserts the router's error envelope: `{error, error_description, status, request_id}`.
fn envelope(status: u16, body: &str, code: &str) {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    assert_eq!((v["error"].as_str(), v["status"].as_u64()), (Some(code), Some(u64::from(status))), "{body}");
    assert!(v["error_description"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
    assert!(v["request_id"].as_str().is_some_and(|r| r.starts_with("req_")), "{body}");
}

#[test]
fn a_crashed_branch_process_is_restarted_with_its_data() {
    let data = tempfile::tempdir().unwrap();
    let s = Deploy::start(data.path(), 0, &[]);
    let p = Project::new(&[("endpoints/notes/post.ts", NOTES_POST), ("endpoints/notes/get.ts", NOTES_GET), ("db/schema.ts", &schema(""))]);
    assert!(push(&s, p.path(), &[]).0);
    assert_eq!(post_json(&s.base, "t.localhost", "/notes", r#"{"text":"kept"}"#).0, 200);
    // Twice: the second crash follows the first closely (a crash loop), so it waits a backoff.
    for round in 0..2 {
        let before = s.live_processes("t", "main");
        let (pid, _) = *before.last().unwrap();
        let t0 = Instant::now();
        assert!(Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap().success());
        // Meanwhile: a clear 503 envelope. The first restart may already be done (it does not
        // wait); the second waits its backoff.
        let (status, body) = get(&s.base, "t.localhost", "/notes");
        if round == 1 || status != 200 {
            assert_eq!(status, 503, "round {round}: {body}");
            envelope(503, &body, "unavailable");
        }
        assert_eq!(s.wait_serving("t.localhost", "/notes"), r#"{"n":1}"#, "the data is intact");
        let took = t0.elapsed();
        assert!(took < Duration::from_secs(5), "round {round}: restarted in {took:?}");
        let after = s.live_processes("t", "main");
        assert_eq!(after.len(), before.len() + 1, "{}", s.output());
        assert_ne!(after.last().unwrap().0, pid);
        eprintln!("round {round}: killed → serving again in {took:?}");
    }
    let out = s.output();
    assert_eq!(out.matches("exited unexpectedly").count(), 2, "the crashes are logged:\n{out}");
    assert!(out.contains("restarting it in 250ms"), "the second crash backs off:\n{out}");
}

#[test]
fn a_push_failing_a_check_migrates_nothing() {
    let data = tempfile::tempdir().unwrap();
    let s = Deploy::start(data.path(), 0, &[]);
    let tables = r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => ({ tables: (await Database.query("select name from sqlite_master where type = 'table' and name in ('notes', 'tags') order by name")).map((r) => r.name) }) });
"#;
    let p = Project::new(&[("endpoints/tables/get.ts", tables), ("db/schema.ts", &schema(""))]);
    let (ok, out, err) = push(&s, p.path(), &[]);
    assert!(ok, "{out}\n{err}");
    assert_eq!(get(&s.base, "t.localhost", "/tables").1, r#"{"tables":["notes"]}"#);

    // A new table and a webhook whose secret is missing: refused before the database migrates.
    p.write(
        "db/schema.ts",
        r#"import { defineSchema, table, uuid, text } from "@palbase/backend";
export default defineSchema({ notes: table("notes", { id: uuid().primaryKey().defaultRandom(), text: text().notNull() }), tags: table("tags", { id: uuid().primaryKey().defaultRandom(), name: text().notNull() }) });
"#,
    );
    p.write(
        "webhooks/users.ts",
        r#"import { defineWebhook } from "@palbase/backend";
export default defineWebhook({ provider: "standard-webhooks", secret: { env: "HOOK_SECRET" }, events: { "user.created": async () => {} } });
"#,
    );
    let (ok, out, err) = push(&s, p.path(), &[]);
    assert!(!ok, "{out}");
    assert!(err.contains("webhooks/users.ts") && err.contains("HOOK_SECRET"), "located: {err}");
    assert!(!out.contains("+ table tags") && !err.contains("+ table tags"), "nothing migrated: {out}{err}");
    assert_eq!(get(&s.base, "t.localhost", "/tables").1, r#"{"tables":["notes"]}"#, "no new table");

    // With the secret set, the same push migrates and serves.
    let (ok, _, err) = cli(&s, &s.token, &["secrets", "set", "HOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "--dir", p.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, out, err) = push(&s, p.path(), &[]);
    assert!(ok && out.contains("+ table tags"), "{out}\n{err}");
    assert_eq!(get(&s.base, "t.localhost", "/tables").1, r#"{"tables":["notes","tags"]}"#);
}

#[test]
fn rate_limits_key_on_the_address_the_router_saw() {
    let data = tempfile::tempdir().unwrap();
    let s = Deploy::start(data.path(), 0, &[]);
    let who = r#"import { defineEndpoint } from "@palbase/backend";
export default defineEndpoint({ method: "GET", rateLimit: { max: 2, window: 60 }, handler: async (req) => ({ xff: req.headers["x-forwarded-for"] ?? null }) });
"#;
    let p = Project::new(&[("endpoints/who/get.ts", who)]);
    assert!(push(&s, p.path(), &[]).0);
    // What a client claims is replaced by the address the router saw (loopback here).
    let spoof = |ip: &str| get_with(&s.base, "t.localhost", "/who", &[("x-forwarded-for", ip)]);
    assert_eq!(spoof("203.0.113.1"), (200, r#"{"xff":"127.0.0.1"}"#.into()));
    assert_eq!(spoof("203.0.113.2, 198.51.100.1"), (200, r#"{"xff":"127.0.0.1"}"#.into()));
    // A spoofed address is no fresh bucket.
    let (status, body) = spoof("203.0.113.3");
    assert_eq!(status, 429, "{body}");

    // The deployment's process (started by the server) keys by the router's header: another
    // address is another bucket, none is the loopback one, spent above.
    let (_, port) = *s.live_processes("t", "main").last().unwrap();
    let child = format!("http://127.0.0.1:{port}");
    assert_eq!(get_with(&child, "t.localhost", "/who", &[("x-forwarded-for", "198.51.100.7")]).0, 200);
    assert_eq!(get_with(&child, "t.localhost", "/who", &[]).0, 429);

    // `palbase serve` trusts no such header: a spoofed one is the same client.
    let served = p.serve();
    let direct = |ip: &str| get_with(&served.base, "localhost", "/who", &[("x-forwarded-for", ip)]).0;
    assert_eq!((direct("192.0.2.1"), direct("192.0.2.2"), direct("192.0.2.3")), (200, 200, 429));
}

#[test]
fn a_client_killed_mid_upload_leaves_no_half_state() {
    use std::io::Write;
    let data = tempfile::tempdir().unwrap();
    let s = Deploy::start(data.path(), 0, &[]);
    let p = Project::new(&[("endpoints/hello/get.ts", &hello(1))]);
    assert!(push(&s, p.path(), &[]).0);

    // The next version has a big file; its upload stops halfway (the client is gone).
    let big: String = (0..40_000).map(|i| format!("{i:07}\n")).collect();
    p.write("assets/big.txt", &big);
    p.write("endpoints/hello/get.ts", &hello(2));
    let sha = palbase_deploy::manifest::sha256_hex(big.as_bytes());
    let mut tcp = std::net::TcpStream::connect(s.base.trim_start_matches("http://")).unwrap();
    write!(tcp, "PUT /_palbase/v1/projects/t/blobs/{sha} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\ncontent-length: {}\r\n\r\n", s.token, big.len()).unwrap();
    tcp.write_all(&big.as_bytes()[..big.len() / 2]).unwrap();
    tcp.flush().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    drop(tcp);
    std::thread::sleep(Duration::from_millis(100));

    // Nothing of it was kept, the old version serves, and the next push sends the file whole.
    assert_eq!(get(&s.base, "t.localhost", "/hello").1, r#"{"v":1}"#);
    let (ok, out, err) = push(&s, p.path(), &[]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("uploading 2"), "the half-sent file travels again: {out}");
    assert_eq!(get(&s.base, "t.localhost", "/hello").1, r#"{"v":2}"#);
    let mut stack = vec![data.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(!name.contains(".tmp") && !name.starts_with(".part"), "half state left: {}", e.path().display());
            if e.path().is_dir() {
                stack.push(e.path());
            }
        }
    }
}

#[test]
fn runaway_code_of_one_project_does_not_stall_another() {
    let data = tempfile::tempdir().unwrap();
    let s = Deploy::start(data.path(), 0, &[]);
    let spin = Project::new(&[
        ("endpoints/spin/get.ts", "import { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: () => { while (true) {} } });\n"),
        ("palbase.toml", "[limits]\nhandler_timeout_ms = 1500\n"),
    ]);
    spin.write("package.json", r#"{"name":"spin","private":true,"type":"module","dependencies":{"@palbase/backend":"2.0.2"}}"#);
    let calm = Project::new(&[("endpoints/hello/get.ts", &hello(1))]);
    assert!(push(&s, spin.path(), &[]).0 && push(&s, calm.path(), &[]).0);

    let base = s.base.clone();
    let spinning: Vec<_> = (0..2)
        .map(|_| {
            let base = base.clone();
            std::thread::spawn(move || {
                let t0 = Instant::now();
                (get(&base, "spin.localhost", "/spin"), t0.elapsed())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(150));
    let t0 = Instant::now();
    let mut slowest = Duration::ZERO;
    while t0.elapsed() < Duration::from_millis(1000) {
        let t = Instant::now();
        assert_eq!(get(&s.base, "t.localhost", "/hello"), (200, r#"{"v":1}"#.into()));
        slowest = slowest.max(t.elapsed());
    }
    assert!(slowest < Duration::from_millis(500), "the other project stalled: {slowest:?}");
    for h in spinning {
        let ((status, body), took) = h.join().unwrap();
        assert_eq!(status, 500, "the runaway handler is stopped: {body}");
        // by the CPU limit (`cpu_limit_ms`, 1 s by default), before the 1.5 s handler timeout
        assert!(took >= Duration::from_millis(900), "{took:?}");
    }
    eprintln!("slowest answer of the other project while one spun: {slowest:?}");
}

/// Scale-out's first step: a second instance on one PostgreSQL finds every table made and
/// says nothing about it (PostgreSQL's `NOTICE: relation … already exists, skipping`).
#[test]
fn a_later_instance_on_one_postgresql_starts_quietly() {
    let Some(db) = common::PgDb::new() else { return };
    let p = Project::new(&[("endpoints/hello/get.ts", &hello(1)), ("db/schema.ts", &schema(""))]);
    let env = [("PALBASE_DATABASE_URL", db.url())];
    let first = common::Server::start_env(p.path(), &["--no-watch"], &env);
    let second = common::Server::start_env(p.path(), &["--no-watch"], &env);
    for s in [&first, &second] {
        let out = s.out() + &s.err();
        assert!(out.contains("ready in"), "{out}");
        assert!(!out.contains("already exists") && !out.to_lowercase().contains("notice"), "not quiet:\n{out}");
    }
}

/// A first push through `a` (of a project with `/hello` and the notes endpoints): `b` serves it
/// too, on the same branch data.
fn first_push_serves_on_both(a: &Deploy, b: &Deploy, dir: &Path, host: &str) {
    let (ok, out, err) = push(a, dir, &[]);
    assert!(ok, "{out}{err}");
    let t0 = Instant::now();
    assert_eq!(b.wait_serving(host, "/hello"), r#"{"v":1}"#);
    eprintln!("the other server started the first push in {:?}", t0.elapsed());
    assert_eq!(post_json(&a.base, host, "/notes", r#"{"text":"one"}"#).0, 200);
    assert_eq!(get(&b.base, host, "/notes").1, r#"{"n":1}"#);
}

/// Deletes the branch `dev` of `t` through `a`: `b` stops serving it within a few seconds.
fn delete_dev_through(a: &Deploy, b: &Deploy, dir: &Path) {
    let (ok, _, err) = cli(a, &a.token, &["branches", "delete", "dev", "--dir", dir.to_str().unwrap()]);
    assert!(ok, "{err}");
    let t0 = Instant::now();
    while get(&b.base, "dev--t.localhost", "/hello").0 != 404 {
        assert!(t0.elapsed() < Duration::from_secs(3), "{}", b.output());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// §8 without PostgreSQL: servers sharing one data directory serve the same projects; a
/// push (or a deletion) through either switches both, and their pushes to a branch are
/// serialised.
#[test]
fn servers_sharing_a_data_directory_follow_each_others_pushes() {
    let data = tempfile::tempdir().unwrap();
    let a = Deploy::start(data.path(), 0, &[]);
    let mut b = Deploy::start(data.path(), 0, &[("PALBASE_DEPLOY_TEST_HOLD_BEFORE_SWITCH_MS", "1500")]);
    b.token = a.token.clone();
    let p = Project::new(&[("endpoints/notes/post.ts", NOTES_POST), ("endpoints/notes/get.ts", NOTES_GET), ("endpoints/hello/get.ts", &hello(1)), ("db/schema.ts", &schema(""))]);
    let host = "t.localhost";

    first_push_serves_on_both(&a, &b, p.path(), host);

    // A push through the other (held before its switch): a push through the first meanwhile is
    // refused; once it switched, the first follows within about a second.
    p.write("endpoints/hello/get.ts", &hello(2));
    let mut pusher = Command::new(bin()).args(["push", p.path().to_str().unwrap(), "--server", &b.base, "--token", &a.token]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let pushed = Arc::new(Mutex::new(String::new()));
    pump(pusher.stdout.take().unwrap(), pushed.clone());
    let t0 = Instant::now();
    while !pushed.lock().unwrap().contains("holding before the switch") {
        assert!(t0.elapsed() < Duration::from_secs(20), "{}", pushed.lock().unwrap());
        std::thread::sleep(Duration::from_millis(10));
    }
    let (ok, _, err) = push(&a, p.path(), &[]);
    assert!(!ok && err.contains("under way on another server"), "{err}");
    assert!(pusher.wait().unwrap().success(), "{}", pushed.lock().unwrap());
    let switched = Instant::now();
    assert_eq!(get(&b.base, host, "/hello").1, r#"{"v":2}"#);
    loop {
        if get(&a.base, host, "/hello").1 == r#"{"v":2}"# {
            break;
        }
        assert!(switched.elapsed() < Duration::from_secs(3), "the first server did not follow:\n{}", a.output());
        std::thread::sleep(Duration::from_millis(20));
    }
    let follow = switched.elapsed();
    eprintln!("the other server followed a push in {follow:?}");
    assert!(follow < Duration::from_millis(1500), "{follow:?}");

    // A branch deleted through one is gone from both.
    assert!(push(&a, p.path(), &["--branch", "dev"]).0);
    b.wait_serving("dev--t.localhost", "/hello");
    delete_dev_through(&a, &b, p.path());
}

const TICKS_SCHEMA: &str = r#"import { defineSchema, table, uuid, text } from "@palbase/backend";
export default defineSchema({
  notes: table("notes", { id: uuid().primaryKey().defaultRandom(), text: text().notNull() }),
  ticks: table("ticks", { id: uuid().primaryKey().defaultRandom(), at: text().notNull() }),
});
"#;
const TICK_JOB: &str = r#"import { defineJob } from "@palbase/backend";
export default defineJob({ name: "tick", schedule: "* * * * *", handler: async (ctx) => { await ctx.db.insert("ticks", { at: new Date().toISOString() }); } });
"#;
const TICKS_GET: &str = r#"import { defineEndpoint, Database } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => ({ n: Number((await Database.query("select count(*) as n from ticks"))[0].n) }) });
"#;
/// Writes a file (S3) and a cache entry (Redis) through one server, read back through the other.
const SHARED_POST: &str = r#"import { defineEndpoint, z, Storage, Cache } from "@palbase/backend";
export default defineEndpoint({ method: "POST", input: z.object({ text: z.string() }), handler: async (req) => {
  const up = await Storage.bucket("files").upload("note.txt", req.input.text);
  await Cache.set("note", req.input.text, 60);
  return { uploaded: up.error === null ? true : up.error.code };
} });
"#;
const SHARED_GET: &str = r#"import { defineEndpoint, Storage, Cache } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => {
  const r = await Storage.bucket("files").download("note.txt");
  return { file: r.error ? r.error.code : String.fromCharCode(...r.data), cache: await Cache.get("note") };
} });
"#;
/// Read-only SQL into places a project must not reach.
const PEEK_GET: &str = r#"import { defineEndpoint, z, Database } from "@palbase/backend";
export default defineEndpoint({ method: "GET", input: z.object({ table: z.string() }), handler: async (req) => {
  try { return { rows: (await Database.query(`select count(*) as n from ${req.input.table}`)).length }; }
  catch (e) { return { refused: String((e as Error).message).slice(0, 200) }; }
} });
"#;

/// §8: two servers on one PostgreSQL serve the same projects. A push through either switches
/// both (NOTIFY, within about a second); migrations run once; the later server starts quietly;
/// branches are schemas with roles of their own (a project's SQL reaches neither the server's
/// tables nor another branch's); files (S3) and the cache (Redis) are shared; a deletion through
/// one is gone from both; cron runs once per tick across both.
#[test]
fn servers_on_one_postgresql_serve_the_same_projects() {
    let Some(db) = common::PgDb::new() else { return };
    let Some(s3) = palbase_testkit::s3::TestS3::start() else { return };
    let Some(redis) = palbase_testkit::redis::TestRedis::throwaway() else { return };
    let key = "5a".repeat(32);
    let (storage, redis_url) = (format!("s3://{}/deploy-{}", s3.bucket, std::process::id()), redis.url());
    let env = [
        ("PALBASE_SERVER_DATABASE_URL", db.url()),
        ("PALBASE_SERVER_SECRET_KEY", key.as_str()),
        ("PALBASE_SERVER_REDIS_URL", redis_url.as_str()),
        ("PALBASE_SERVER_STORAGE_URL", storage.as_str()),
        ("AWS_ENDPOINT_URL", s3.endpoint.as_str()),
        ("AWS_REGION", s3.region.as_str()),
        ("AWS_ACCESS_KEY_ID", s3.access_key_id.as_str()),
        ("AWS_SECRET_ACCESS_KEY", s3.secret_access_key.as_str()),
    ];
    let (da, dbb) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Deploy::start(da.path(), 0, &env);
    let mut b = Deploy::start(dbb.path(), 0, &env);
    assert!(a.token.starts_with("pbs_"), "{}", a.output());
    assert!(b.token.is_empty(), "the admin token is made once for all servers:\n{}", b.output());
    b.token = a.token.clone();
    let p = Project::new(&[
        ("endpoints/notes/post.ts", NOTES_POST),
        ("endpoints/notes/get.ts", NOTES_GET),
        ("endpoints/hello/get.ts", &hello(1)),
        ("endpoints/ticks/get.ts", TICKS_GET),
        ("endpoints/peek/get.ts", PEEK_GET),
        ("endpoints/shared/post.ts", SHARED_POST),
        ("endpoints/shared/get.ts", SHARED_GET),
        ("palbase.toml", "[storage.buckets.files]\npublic = false\n"),
        ("jobs/tick.ts", TICK_JOB),
        ("db/schema.ts", TICKS_SCHEMA),
    ]);
    let host = "t.localhost";

    first_push_serves_on_both(&a, &b, p.path(), host);

    // A push through the other: the first follows within about a second.
    p.write("endpoints/hello/get.ts", &hello(2));
    let (ok, out, err) = push(&b, p.path(), &[]);
    assert!(ok, "{out}{err}");
    let switched = Instant::now();
    assert_eq!(get(&b.base, host, "/hello").1, r#"{"v":2}"#);
    while get(&a.base, host, "/hello").1 != r#"{"v":2}"# {
        assert!(switched.elapsed() < Duration::from_secs(5), "the first server did not follow:\n{}", a.output());
        std::thread::sleep(Duration::from_millis(10));
    }
    let follow = switched.elapsed();
    eprintln!("the other server followed a push in {follow:?}");
    assert!(follow < Duration::from_millis(1500), "{follow:?}");
    // The deployments are the same list on both.
    let (ok, list_a, _) = cli(&a, &a.token, &["deployments", "list", "--dir", p.path().to_str().unwrap()]);
    let (_, list_b, _) = cli(&b, &a.token, &["deployments", "list", "--dir", p.path().to_str().unwrap()]);
    assert!(ok && list_a.lines().count() >= 2 && list_a == list_b, "{list_a}\n{list_b}");

    // Files and the cache are the shared services: written through one, read through the other.
    let (status, body) = post_json(&a.base, host, "/shared", r#"{"text":"shared"}"#);
    assert_eq!((status, body.as_str()), (200, r#"{"uploaded":true}"#));
    assert_eq!(get(&b.base, host, "/shared").1, r#"{"file":"shared","cache":"shared"}"#);
    assert!(redis.keys("palbase:t:main:*").iter().any(|k| k.contains("note")), "{:?}", redis.keys("palbase:*"));

    // Isolation on one database: the server's tables and another project's are out of reach.
    let other = Project::new(&[("endpoints/peek/get.ts", PEEK_GET), ("package.json", r#"{"name":"u"}"#)]);
    assert!(push(&a, other.path(), &[]).0);
    b.wait_serving("u.localhost", "/peek?table=pg_class");
    for table in ["palbase_server.tokens", "palbase_server.blobs", "pb_t__main.notes"] {
        let (status, body) = get(&b.base, "u.localhost", &format!("/peek?table={table}"));
        assert!(status == 200 && body.contains("refused"), "{table}: {status} {body}");
    }
    // The reason goes to the log (never to the client).
    let t0 = Instant::now();
    while !(b.output().contains("permission denied for schema palbase_server") && b.output().contains("permission denied for schema pb_t__main")) {
        assert!(t0.elapsed() < Duration::from_secs(5), "refused for another reason:\n{}", b.output());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(get(&a.base, host, "/peek?table=notes").1.contains(r#""rows":1"#));

    // A branch pushed through one, deleted through the other: its schema goes with it.
    assert!(push(&b, p.path(), &["--branch", "dev"]).0);
    a.wait_serving("dev--t.localhost", "/hello");
    assert_eq!(get(&a.base, "dev--t.localhost", "/notes").1, r#"{"n":0}"#, "a branch has its own database");
    delete_dev_through(&a, &b, p.path());
    assert!(get(&a.base, host, "/peek?table=pb_t__dev.notes").1.contains("refused"));

    // Cron: both servers run the branch's scheduler; each tick runs once.
    let t0 = Instant::now();
    let ticks = || get(&a.base, host, "/ticks").1;
    while ticks() == r#"{"n":0}"# {
        assert!(t0.elapsed() < Duration::from_secs(75), "no tick within a minute:\n{}", a.output());
        std::thread::sleep(Duration::from_millis(250));
    }
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(ticks(), r#"{"n":1}"#, "one tick, one run across both servers");

    // Migrations ran once (on the server that took the push), and nobody logged PostgreSQL's
    // notices.
    let (oa, ob) = (a.output(), b.output());
    assert!(!oa.contains("NOTICE") && !ob.contains("NOTICE") && !oa.contains("already exists") && !ob.contains("already exists"), "not quiet:\n{oa}\n{ob}");
    assert!(!oa.contains(&key) && !ob.contains(&key), "the secret key is never printed");
}
