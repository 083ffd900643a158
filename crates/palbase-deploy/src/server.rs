//! `palbase server`: the control API (`/_palbase/v1/…`, Bearer token) and the front router
//! (by `Host`, to each branch's live child process).

use std::{
    collections::{HashMap, HashSet},
    convert::Infallible,
    net::SocketAddr,
    path::PathBuf,
    process::Stdio,
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::{Frame, Incoming};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::{TokioExecutor, TokioIo},
};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::{
    child::{ChildEvent, Mode, SECRETS_VAR},
    manifest::{self, Entry},
    names,
    secrets::Secrets,
    store::{BranchLock, Deployment, Stamp, Status, Store},
    tokens::{Access, Tokens},
};

type Body = UnsyncBoxBody<Bytes, BoxError>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How to start a deployment's process: the `palbase` binary and its hidden subcommand.
#[derive(Debug, Clone)]
pub struct ChildCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

pub struct ServerOptions {
    pub data: PathBuf,
    /// The server's state (and each branch's database, a schema of it) in PostgreSQL: several
    /// servers on one database serve the same projects.
    pub database_url: Option<String>,
    /// `PALBASE_SERVER_SECRET_KEY` (else `<data>/secret.key`).
    pub secret_key: Option<String>,
    /// The shared services every deployment's process uses (`PALBASE_REDIS_URL`,
    /// `PALBASE_STORAGE_URL`, the `AWS_*` settings of S3).
    pub services_env: Vec<(String, String)>,
    pub host: String,
    pub port: u16,
    /// Hosts are `<project>.<domain>` and `<branch>--<project>.<domain>`.
    pub domain: String,
    /// Worker threads of each deployment's process.
    pub threads: usize,
    pub child: ChildCommand,
    /// `PALBASE_SERVER_TOKEN`.
    pub env_token: Option<String>,
    /// Environment variables every deployment's process inherits (PATH, log settings).
    pub child_env: Vec<(String, String)>,
    pub on_event: Box<dyn Fn(ServerEvent) + Send + Sync>,
}

/// What the server reports; the CLI prints these (the library prints nothing).
#[derive(Debug)]
pub enum ServerEvent {
    /// First start: the admin token, shown this once.
    AdminToken(String),
    Listening(SocketAddr),
    /// A branch serves a deployment (at start, after a push, a rollback).
    Live {
        project: String,
        branch: String,
        deployment: String,
        url: String,
        /// The deployment's process and its loopback port.
        pid: Option<u32>,
        port: u16,
    },
    /// A branch's deployment could not start.
    StartFailed {
        project: String,
        branch: String,
        deployment: String,
        errors: String,
    },
    /// A branch's live process exited without being stopped; it restarts after `restart_in`.
    Crashed {
        project: String,
        branch: String,
        deployment: String,
        status: String,
        restart_in: Duration,
    },
    /// A line a deployment's process logged.
    Log {
        project: String,
        branch: String,
        line: String,
    },
}

/// A running deployment process.
struct Instance {
    deployment: String,
    port: u16,
    /// Requests forwarded and not finished (their bodies included).
    inflight: AtomicUsize,
    /// Closing it stops the child gracefully.
    stdin: Mutex<Option<tokio::process::ChildStdin>>,
    pid: Option<u32>,
    /// Set (by the server) before it stops the child: its exit is then no crash.
    stopping: AtomicBool,
    /// Set by the task that reaps the child, when it has exited.
    exited: tokio::sync::watch::Receiver<bool>,
}

impl Instance {
    fn is_dead(&self) -> bool {
        *self.exited.borrow()
    }

    /// Closes the child's stdin (it shuts down gracefully) and waits for it; killed after 15 s.
    async fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        drop(self.stdin.lock().unwrap_or_else(|p| p.into_inner()).take());
        let mut exited = self.exited.clone();
        if tokio::time::timeout(Duration::from_secs(15), exited.wait_for(|e| *e)).await.is_err() {
            self.kill();
            let _ = exited.wait_for(|e| *e).await;
        }
    }

    fn kill(&self) {
        if let Some(pid) = self.pid.and_then(|p| rustix::process::Pid::from_raw(p as i32)) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
        }
    }
}

type Key = (String, String);

struct State {
    opts: ServerOptions,
    store: Store,
    tokens: Tokens,
    secrets: Secrets,
    routes: RwLock<HashMap<Key, Arc<Instance>>>,
    /// Branches with a push, rollback or restart under way: a second one is refused.
    busy: Mutex<HashSet<Key>>,
    /// Per branch: what this server last started (see [`follow`]).
    applied: Mutex<HashMap<Key, Stamp>>,
    /// Per branch: crashes in the current crash loop and when the last one was.
    crashes: Mutex<HashMap<Key, (u32, Instant)>>,
    client: Client<HttpConnector, Incoming>,
    port: std::sync::OnceLock<u16>,
}

/// The branch is busy here (and, for a change, its push lock is held against the other servers
/// of the data directory or database) until this is dropped.
struct BusyGuard(Arc<State>, Key, Option<BranchLock>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.busy.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.1);
    }
}

fn lock_branch(st: &Arc<State>, project: &str, branch: &str) -> Result<BusyGuard, ApiErr> {
    {
        let key = (project.to_string(), branch.to_string());
        if !st.busy.lock().unwrap_or_else(|p| p.into_inner()).insert(key.clone()) {
            return Err(ApiErr::new(409, "push_in_progress", format!("another push (or rollback) to {branch} of {project} is under way; nothing was changed: try again when it has finished")));
        }
        Ok(BusyGuard(st.clone(), key, None))
    }
}

/// [`lock_branch`] for a push, rollback, secret change or deletion: also refused while another
/// server sharing the data directory or database changes the branch.
async fn lock_for_change(st: &Arc<State>, project: &str, branch: &str) -> Result<BusyGuard, ApiErr> {
    let mut guard = lock_branch(st, project, branch)?;
    match st.store.lock_branch(project, branch).await? {
        Some(f) => guard.2 = Some(f),
        None => return Err(ApiErr::new(409, "push_in_progress", format!("another push (or rollback) to {branch} of {project} is under way on another server; nothing was changed: try again when it has finished"))),
    }
    Ok(guard)
}

impl State {
    fn url(&self, project: &str, branch: &str) -> String {
        format!("http://{}:{}/", names::host(project, branch, &self.opts.domain), self.port.get().copied().unwrap_or(self.opts.port))
    }

    fn live_instance(&self, project: &str, branch: &str) -> Option<Arc<Instance>> {
        self.routes.read().unwrap_or_else(|p| p.into_inner()).get(&(project.to_string(), branch.to_string())).cloned()
    }
}

/// Runs the server until the process is stopped.
pub fn run(opts: ServerOptions) -> Result<(), crate::Error> {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(run_async(opts))
}

async fn run_async(opts: ServerOptions) -> Result<(), crate::Error> {
    let store = Store::open(&opts.data, opts.database_url.as_deref()).await?;
    let secrets = Secrets::open(&opts.data, opts.secret_key.as_deref())?;
    store.check_key(&secrets.fingerprint()).await?;
    let tokens = Tokens::new(opts.env_token.clone());
    if let Some(t) = tokens.first_start(&store).await? {
        (opts.on_event)(ServerEvent::AdminToken(t));
    }
    store.mark_interrupted().await?;
    let addr: SocketAddr = format!("{}:{}", opts.host, opts.port).parse().map_err(|e| crate::Error::Invalid(format!("invalid host/port: {e}")))?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| crate::Error::Invalid(format!("cannot listen on {addr}: {e} (is another server using the port? try --port)")))?;
    let local = listener.local_addr()?;
    let client = Client::builder(TokioExecutor::new()).pool_idle_timeout(Duration::from_secs(30)).build_http();
    let state = Arc::new(State {
        opts,
        store,
        tokens,
        secrets,
        routes: RwLock::new(HashMap::new()),
        busy: Mutex::new(HashSet::new()),
        crashes: Mutex::new(HashMap::new()),
        applied: Mutex::new(HashMap::new()),
        client,
        port: std::sync::OnceLock::new(),
    });
    let _ = state.port.set(local.port());
    (state.opts.on_event)(ServerEvent::Listening(local));

    // What served before a restart serves again (the live pointers are the truth): the
    // follower's first look starts every live branch.
    tokio::spawn(follow(state.clone()));

    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(x) => x,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let st = state.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| {
                let st = st.clone();
                async move { Ok::<_, Infallible>(handle(st, req, peer).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), svc).await;
        });
    }
}

/// An error answer: `{error, error_description, status}`.
#[derive(Debug)]
struct ApiErr {
    status: u16,
    code: &'static str,
    message: String,
}

impl ApiErr {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }
}

impl From<crate::Error> for ApiErr {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Invalid(m) => ApiErr::new(400, "invalid_request", m),
            e => ApiErr::new(500, "internal_error", e.to_string()),
        }
    }
}

fn full(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()).map_err(|e| match e {}).boxed_unsync());
    *r.status_mut() = status;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn json<T: Serialize>(v: &T) -> Response<Body> {
    full(StatusCode::OK, "application/json", serde_json::to_vec(v).unwrap_or_default())
}

fn error(e: ApiErr) -> Response<Body> {
    let request_id = format!("req_{}", uuid::Uuid::now_v7().simple());
    let body = serde_json::json!({ "error": e.code, "error_description": e.message, "status": e.status, "request_id": request_id });
    let mut r = full(StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), "application/json", serde_json::to_vec(&body).unwrap_or_default());
    if e.status == 401 {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    if e.status == 503 {
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        r.headers_mut().insert("x-request-id", v);
    }
    r
}

async fn handle(st: Arc<State>, req: Request<Incoming>, peer: SocketAddr) -> Response<Body> {
    if req.uri().path().starts_with("/_palbase/") {
        return control(st, req).await.unwrap_or_else(error);
    }
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).or_else(|| req.uri().host()).unwrap_or("").to_string();
    let Some((project, branch)) = names::from_host(&host, &st.opts.domain) else {
        return error(ApiErr::new(404, "not_found", format!("no project at host `{host}`: address a branch as <project>.{d} (main) or <branch>--<project>.{d}", d = st.opts.domain)));
    };
    proxy(&st, req, peer, &project, &branch).await.unwrap_or_else(error)
}

/// Decrements an instance's in-flight count when the answer's body is done (or dropped).
struct Inflight(Arc<Instance>);

impl Drop for Inflight {
    fn drop(&mut self) {
        self.0.inflight.fetch_sub(1, Ordering::AcqRel);
    }
}

struct Tracked {
    inner: Incoming,
    _guard: Inflight,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        std::pin::Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

const HOP_BY_HOP: [&str; 7] = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "transfer-encoding"];

async fn proxy(st: &State, req: Request<Incoming>, peer: SocketAddr, project: &str, branch: &str) -> Result<Response<Body>, ApiErr> {
    // Taken and counted under the read lock: once a switch has the write lock, the old
    // instance's count only goes down.
    let inst = {
        let routes = st.routes.read().unwrap_or_else(|p| p.into_inner());
        let inst = routes.get(&(project.to_string(), branch.to_string())).cloned();
        if let Some(i) = &inst {
            i.inflight.fetch_add(1, Ordering::AcqRel);
        }
        inst
    };
    let Some(inst) = inst else {
        let known = st.store.live(project, branch).await.ok().flatten().is_some();
        return Err(if known {
            ApiErr::new(503, "unavailable", format!("{branch} of {project} is starting"))
        } else {
            ApiErr::new(404, "not_found", format!("nothing is deployed to {branch} of {project}: `palbase push{}`", if branch == names::MAIN { String::new() } else { format!(" --branch {branch}") }))
        });
    };
    let guard = Inflight(inst.clone());
    let restarting = || ApiErr::new(503, "unavailable", format!("the deployment of {branch} of {project} stopped unexpectedly and is restarting: try again in a moment"));
    if inst.is_dead() {
        return Err(restarting());
    }
    let (mut parts, body) = req.into_parts();
    let pq = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    parts.uri = format!("http://127.0.0.1:{}{pq}", inst.port).parse().map_err(|_| ApiErr::new(400, "invalid_request", "invalid request target"))?;
    for h in HOP_BY_HOP {
        parts.headers.remove(h);
    }
    // The client's address as this server saw it. What a client sent is replaced, not
    // appended to: the deployment's process trusts this header (from us) for rate limits.
    if let Ok(v) = HeaderValue::from_str(&peer.ip().to_string()) {
        parts.headers.insert("x-forwarded-for", v);
    }
    let resp = match st.client.request(Request::from_parts(parts, body)).await {
        Ok(r) => r,
        Err(e) => {
            // Refused or reset because the process just died: the reaper says so in a moment.
            let mut exited = inst.exited.clone();
            let _ = tokio::time::timeout(Duration::from_millis(100), exited.wait_for(|e| *e)).await;
            return Err(if inst.is_dead() { restarting() } else { ApiErr::new(502, "bad_gateway", format!("the deployment of {branch} of {project} did not answer: {e}")) });
        }
    };
    let (mut parts, body) = resp.into_parts();
    for h in HOP_BY_HOP {
        parts.headers.remove(h);
    }
    Ok(Response::from_parts(parts, Tracked { inner: body, _guard: guard }.map_err(|e| Box::new(e) as BoxError).boxed_unsync()))
}

/// Starts a deployment's process, waits until it serves (or reports its errors), makes it the
/// branch's live deployment and drains the one it replaces.
async fn activate(st: &Arc<State>, project: &str, branch: &str, id: &str, mode: Mode, tx: &Progress) -> Result<(), String> {
    let r = switch_to(st, project, branch, id, mode, tx).await;
    // Started or failed, the follower leaves this state alone until it changes.
    let now = st.store.stamp(project, branch).await.unwrap_or_default();
    st.applied.lock().unwrap_or_else(|p| p.into_inner()).insert((project.to_string(), branch.to_string()), now);
    r
}

async fn switch_to(st: &Arc<State>, project: &str, branch: &str, id: &str, mode: Mode, tx: &Progress) -> Result<(), String> {
    let inst = start_child(st, project, branch, id, mode, tx).await?;
    if let Some(ms) = std::env::var("PALBASE_DEPLOY_TEST_HOLD_BEFORE_SWITCH_MS").ok().and_then(|v| v.parse::<u64>().ok())
        && mode != Mode::Restart
    {
        // Test hook: a window in which to kill the server between "ready" and the switch.
        send(tx, ChildEvent::Progress { message: "holding before the switch (test hook)".into() });
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let switch = mode != Mode::Restart || st.store.live(project, branch).await.ok().flatten().is_none_or(|l| l.deployment != id);
    if switch && let Err(e) = st.store.set_live(project, branch, id).await {
        inst.stop().await;
        return Err(format!("cannot switch {branch} of {project}: {e}"));
    }
    let (pid, port) = (inst.pid, inst.port);
    let old = st.routes.write().unwrap_or_else(|p| p.into_inner()).insert((project.to_string(), branch.to_string()), inst);
    (st.opts.on_event)(ServerEvent::Live { project: project.into(), branch: branch.into(), deployment: id.into(), url: st.url(project, branch), pid, port });
    if let Some(old) = old {
        tokio::spawn(async move {
            let t0 = Instant::now();
            while old.inflight.load(Ordering::Acquire) > 0 && t0.elapsed() < Duration::from_secs(120) {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            old.stop().await;
        });
    }
    Ok(())
}

type Progress = tokio::sync::mpsc::UnboundedSender<Bytes>;

fn send(tx: &Progress, ev: ChildEvent) {
    let mut line = serde_json::to_vec(&ev).unwrap_or_default();
    line.push(b'\n');
    let _ = tx.send(Bytes::from(line));
}

async fn start_child(st: &Arc<State>, project: &str, branch: &str, id: &str, mode: Mode, tx: &Progress) -> Result<Arc<Instance>, String> {
    let code = st.store.materialise(project, id).await.map_err(|e| format!("deployment {id}: {e}"))?;
    if !code.is_dir() {
        return Err(format!("deployment {id} has no code on this server"));
    }
    let data = st.store.branch_data(project, branch);
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let database = st.store.branch_database(project, branch, &st.secrets.derive("postgres-role", project, branch)).await.map_err(|e| e.to_string())?;
    let secrets = st.secrets.reveal(&st.store, project, branch).await.map_err(|e| e.to_string())?;
    let mut cmd = tokio::process::Command::new(&st.opts.child.program);
    cmd.args(&st.opts.child.args).arg(&code).arg("--mode").arg(mode.as_arg()).arg("--threads").arg(st.opts.threads.to_string()).arg("--trust-forwarded-for");
    // Nothing of the server's own environment (its token, its database URL) reaches a project.
    cmd.env_clear().envs(st.opts.child_env.iter().cloned()).envs(st.opts.services_env.iter().cloned());
    cmd.env("PALBASE_DATA_DIR", &data).env("PALBASE_PROJECT", project).env("PALBASE_BRANCH", branch).env("PALBASE_LOG_FORMAT", "json");
    if let Some(url) = &database {
        cmd.env("PALBASE_DATABASE_URL", url);
    }
    cmd.env(SECRETS_VAR, secrets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(","));
    for (n, v) in &secrets {
        cmd.env(n, v);
    }
    cmd.current_dir(&code).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    let mut child = cmd.spawn().map_err(|e| format!("cannot start the deployment's process: {e}"))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");
    {
        let st = st.clone();
        let (p, b) = (project.to_string(), branch.to_string());
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                (st.opts.on_event)(ServerEvent::Log { project: p.clone(), branch: b.clone(), line });
            }
        });
    }
    let mut lines = BufReader::new(stdout).lines();
    let mut addr: Option<u16> = None;
    let wait = async {
        loop {
            match lines.next_line().await {
                Ok(Some(line)) => match serde_json::from_str::<ChildEvent>(&line) {
                    Ok(ChildEvent::Listening { addr: a }) => addr = a.rsplit(':').next().and_then(|p| p.parse().ok()),
                    Ok(ChildEvent::Ready { .. }) => return Ok(()),
                    Ok(ChildEvent::Failed { errors }) => return Err(errors),
                    Ok(ev @ ChildEvent::Progress { .. }) => send(tx, ev),
                    Err(_) => {}
                },
                _ => return Err("the deployment's process stopped before it was ready".to_string()),
            }
        }
    };
    let outcome = match tokio::time::timeout(Duration::from_secs(120), wait).await {
        Ok(r) => r,
        Err(_) => Err("the deployment did not become ready within 120 s".into()),
    };
    match (outcome, addr) {
        (Ok(()), Some(port)) => {
            // Keep reading what it says (a later reload, a warning) so the pipe never fills.
            let (st2, p, b) = (st.clone(), project.to_string(), branch.to_string());
            tokio::spawn(async move {
                while let Ok(Some(line)) = lines.next_line().await {
                    (st2.opts.on_event)(ServerEvent::Log { project: p.clone(), branch: b.clone(), line });
                }
            });
            let (exited_tx, exited) = tokio::sync::watch::channel(false);
            let inst = Arc::new(Instance { deployment: id.to_string(), port, inflight: AtomicUsize::new(0), stdin: Mutex::new(child.stdin.take()), pid: child.id(), stopping: AtomicBool::new(false), exited });
            // The reaper: a child that exits without being stopped crashed; the supervisor
            // restarts its branch.
            let (st, weak) = (st.clone(), Arc::downgrade(&inst));
            let (p, b) = (project.to_string(), branch.to_string());
            tokio::spawn(async move {
                let status = child.wait().await;
                let _ = exited_tx.send(true);
                if let Some(inst) = weak.upgrade()
                    && !inst.stopping.load(Ordering::Acquire)
                {
                    let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
                    supervise(st, p, b, inst, status).await;
                }
            });
            Ok(inst)
        }
        (Ok(()), None) => {
            let _ = child.kill().await;
            Err("the deployment's process did not say where it listens".into())
        }
        (Err(e), _) => {
            let _ = child.kill().await;
            Err(e)
        }
    }
}

/// Restarts a branch whose live process exited on its own (crashed, killed), with backoff when
/// it keeps crashing. A push or rollback under way goes first; if it replaced the dead process,
/// there is nothing to do.
///
/// Boxed: it starts processes whose reapers call it again.
fn supervise(st: Arc<State>, project: String, branch: String, dead: Arc<Instance>, status: String) -> futures::future::BoxFuture<'static, ()> {
    Box::pin(supervise_inner(st, project, branch, dead, status))
}

async fn supervise_inner(st: Arc<State>, project: String, branch: String, dead: Arc<Instance>, status: String) {
    let key = (project.clone(), branch.clone());
    // The delay grows with crashes close together (a crash loop), and is 0 after a quiet while.
    let mut attempt = {
        let mut crashes = st.crashes.lock().unwrap_or_else(|p| p.into_inner());
        let e = crashes.entry(key.clone()).or_insert((0, Instant::now()));
        e.0 = if e.1.elapsed() < CRASH_WINDOW { e.0 + 1 } else { 1 };
        e.1 = Instant::now();
        e.0 - 1
    };
    let live_here = |st: &State| st.live_instance(&project, &branch).is_some_and(|i| Arc::ptr_eq(&i, &dead));
    if !live_here(&st) && !st.busy.lock().unwrap_or_else(|p| p.into_inner()).contains(&key) {
        return;
    }
    (st.opts.on_event)(ServerEvent::Crashed { project: project.clone(), branch: branch.clone(), deployment: dead.deployment.clone(), status, restart_in: backoff(attempt) });
    loop {
        tokio::time::sleep(backoff(attempt)).await;
        let _guard = loop {
            match lock_branch(&st, &project, &branch) {
                Ok(g) => break g,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        if !live_here(&st) {
            return;
        }
        let Ok(Some(live)) = st.store.live(&project, &branch).await else { return };
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        match activate(&st, &project, &branch, &live.deployment, Mode::Restart, &tx).await {
            Ok(()) => return,
            Err(errors) => {
                attempt += 1;
                (st.opts.on_event)(ServerEvent::StartFailed { project: project.clone(), branch: branch.clone(), deployment: live.deployment, errors: format!("{errors}\n(restarting again in {:?})", backoff(attempt)) });
            }
        }
    }
}

/// How often a server looks at the live pointers for switches made by another server (with
/// PostgreSQL, `NOTIFY` wakes it at once; this is the fallback).
const FOLLOW_EVERY: Duration = Duration::from_millis(250);
const FOLLOW_EVERY_PG: Duration = Duration::from_secs(1);

/// Starts every live branch, then keeps them as the store says: servers that share one follow
/// each other. Each look (every [`FOLLOW_EVERY`], or on a PostgreSQL notification) compares each
/// branch's live pointer and secrets with what this server last started; when they differ, it
/// starts the live deployment (as a restart: the server that took the push compiled, loaded and
/// migrated it) and switches the same way; a deleted branch stops.
async fn follow(st: Arc<State>) {
    let mut listener = None;
    loop {
        if st.store.is_postgres() && listener.is_none() {
            listener = st.store.listen().await;
        }
        look(&st).await;
        let every = if st.store.is_postgres() { FOLLOW_EVERY_PG } else { FOLLOW_EVERY };
        let woke = match &mut listener {
            Some(l) => tokio::select! {
                w = l.rx.recv() => Some(w.is_some()),
                _ = tokio::time::sleep(every) => None,
            },
            None => {
                tokio::time::sleep(every).await;
                None
            }
        };
        if woke == Some(false) {
            listener = None;
        }
        // Changes come in bursts (a switch, its secrets): one look for all of them.
        if let Some(l) = &mut listener {
            while l.rx.try_recv().is_ok() {}
        }
    }
}

/// One look of [`follow`].
async fn look(st: &Arc<State>) {
    let Ok(stamps) = st.store.stamps().await else { return };
    let mut seen = HashSet::new();
    for (key, now) in stamps {
        seen.insert(key.clone());
        let Some(deployment) = now.deployment.clone() else { continue };
        if st.applied.lock().unwrap_or_else(|p| p.into_inner()).get(&key) == Some(&now) {
            continue;
        }
        let (project, branch) = key;
        let Ok(guard) = lock_branch(st, &project, &branch) else { continue };
        let (st, tx) = (st.clone(), tokio::sync::mpsc::unbounded_channel().0);
        tokio::spawn(async move {
            let _guard = guard;
            if let Err(errors) = activate(&st, &project, &branch, &deployment, Mode::Restart, &tx).await {
                (st.opts.on_event)(ServerEvent::StartFailed { project, branch, deployment, errors });
            }
        });
    }
    // Branches deleted through another server.
    let gone: Vec<Key> = st.routes.read().unwrap_or_else(|p| p.into_inner()).keys().filter(|k| !seen.contains(*k)).cloned().collect();
    for (project, branch) in gone {
        let Ok(_guard) = lock_branch(st, &project, &branch) else { continue };
        if st.store.branch_exists(&project, &branch).await.unwrap_or(true) {
            continue;
        }
        let old = st.routes.write().unwrap_or_else(|p| p.into_inner()).remove(&(project.clone(), branch.clone()));
        st.applied.lock().unwrap_or_else(|p| p.into_inner()).remove(&(project.clone(), branch.clone()));
        let id = old.as_ref().map(|o| o.deployment.clone());
        if let Some(old) = old {
            old.stop().await;
        }
        if st.store.is_postgres() {
            // What this server kept of it (its local data, its code).
            st.store.forget_branch(&project, &branch, id.iter().map(String::as_str));
        }
    }
}

/// Crashes closer together than this count as one crash loop.
const CRASH_WINDOW: Duration = Duration::from_secs(60);

/// The wait before restart `attempt` of a crash loop: none for the first, then 250 ms doubling
/// up to 30 s.
fn backoff(attempt: u32) -> Duration {
    if attempt == 0 { Duration::ZERO } else { Duration::from_millis(250u64.saturating_mul(1 << (attempt - 1).min(7))).min(Duration::from_secs(30)) }
}

fn bearer(req: &Request<Incoming>) -> Option<String> {
    req.headers().get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(|s| s.trim().to_string())
}

async fn body_bytes(req: Request<Incoming>, limit: usize) -> Result<Bytes, ApiErr> {
    let limited = http_body_util::Limited::new(req.into_body(), limit);
    limited.collect().await.map(|c| c.to_bytes()).map_err(|e| ApiErr::new(413, "payload_too_large", format!("the request body was not read: {e}")))
}

async fn body_json<T: serde::de::DeserializeOwned>(req: Request<Incoming>) -> Result<T, ApiErr> {
    let b = body_bytes(req, 16 << 20).await?;
    serde_json::from_slice(&b).map_err(|e| ApiErr::new(400, "invalid_json", e.to_string()))
}

#[derive(Deserialize)]
struct MissingReq {
    hashes: Vec<String>,
}

#[derive(Deserialize)]
struct DeployReq {
    files: Vec<Entry>,
    #[serde(default)]
    accept_data_loss: bool,
}

#[derive(Deserialize)]
struct RollbackReq {
    to: Option<String>,
}

#[derive(Deserialize)]
struct SecretReq {
    value: String,
}

/// The deployments list row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeploymentRow {
    #[serde(flatten)]
    pub deployment: Deployment,
    pub live: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BranchRow {
    pub name: String,
    pub deployment: Option<String>,
    pub since: Option<jiff::Timestamp>,
    pub serving: bool,
    pub url: String,
}

async fn control(st: Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, ApiErr> {
    let path = req.uri().path().to_string();
    if path == "/_palbase/health" {
        return Ok(full(StatusCode::OK, "text/plain", "ok"));
    }
    let Some(rest) = path.strip_prefix("/_palbase/v1/") else { return Err(ApiErr::new(404, "not_found", "unknown control API path")) };
    let segs: Vec<&str> = rest.split('/').collect();
    let token = bearer(&req).ok_or_else(|| ApiErr::new(401, "unauthorized", "the control API needs `Authorization: Bearer <token>` (`palbase server token create`)"))?;
    let access = st.tokens.verify(&st.store, &token).await.ok_or_else(|| ApiErr::new(401, "invalid_token", "this token is not valid on this server (revoked, or from another server)"))?;
    let ["projects", project, rest @ ..] = segs.as_slice() else { return Err(ApiErr::new(404, "not_found", "unknown control API path")) };
    let project = project.to_string();
    names::check("project", &project).map_err(|m| ApiErr::new(400, "invalid_request", m))?;
    if let Access::Project(own) = &access
        && !access.allows(&project)
    {
        return Err(ApiErr::new(403, "forbidden", format!("this token may deploy only to the project `{own}`, not `{project}`")));
    }
    let branch_ok = |b: &str| names::check("branch", b).map_err(|m| ApiErr::new(400, "invalid_request", m));
    let method = req.method().clone();
    match (method, rest) {
        (Method::POST, ["blobs", "missing"]) => {
            let r: MissingReq = body_json(req).await?;
            if let Some(bad) = r.hashes.iter().find(|h| !manifest::is_sha256(h)) {
                return Err(ApiErr::new(400, "invalid_request", format!("`{bad}` is not a SHA-256")));
            }
            Ok(json(&serde_json::json!({ "missing": st.store.missing(&project, &r.hashes).await? })))
        }
        (Method::PUT, ["blobs", sha]) => {
            let sha = sha.to_string();
            if !manifest::is_sha256(&sha) {
                return Err(ApiErr::new(400, "invalid_request", "not a SHA-256"));
            }
            let bytes = body_bytes(req, manifest::MAX_FILE as usize).await?;
            st.store.put_blob(&project, &sha, &bytes).await?;
            Ok(json(&serde_json::json!({ "stored": sha })))
        }
        (Method::POST, ["branches", branch, "deployments"]) => {
            let branch = branch.to_string();
            branch_ok(&branch)?;
            let r: DeployReq = body_json(req).await?;
            if r.files.len() > manifest::MAX_FILES {
                return Err(ApiErr::new(400, "invalid_request", format!("a bundle holds at most {} files", manifest::MAX_FILES)));
            }
            for f in &r.files {
                manifest::check_path(&f.path).map_err(|m| ApiErr::new(400, "invalid_request", m))?;
                if !manifest::is_sha256(&f.sha256) {
                    return Err(ApiErr::new(400, "invalid_request", format!("{}: not a SHA-256", f.path)));
                }
            }
            let hashes: Vec<String> = r.files.iter().map(|f| f.sha256.clone()).collect();
            let missing = st.store.missing(&project, &hashes).await?;
            if !missing.is_empty() {
                return Err(ApiErr::new(409, "blobs_missing", format!("{} file(s) of the bundle were not uploaded", missing.len())));
            }
            let guard = lock_for_change(&st, &project, &branch).await?;
            Ok(stream_task(st, move |st, tx| async move {
                let _guard = guard;
                let t0 = Instant::now();
                let mut d = match st.store.create_deployment(&project, &branch, &r.files).await {
                    Ok(d) => d,
                    Err(e) => return send(&tx, ChildEvent::Failed { errors: e.to_string() }),
                };
                send(&tx, ChildEvent::Progress { message: format!("deployment {}: compiling, loading and migrating", d.id) });
                match activate(&st, &project, &branch, &d.id, Mode::Push { accept_data_loss: r.accept_data_loss }, &tx).await {
                    Ok(()) => {
                        d.status = Status::Ready;
                        let _ = st.store.save_deployment(&d).await;
                        send_live(&st, &tx, &project, &branch, &d.id, t0);
                    }
                    Err(errors) => {
                        d.status = Status::Failed;
                        d.error = Some(errors.clone());
                        let _ = st.store.save_deployment(&d).await;
                        send(&tx, ChildEvent::Failed { errors });
                    }
                }
            }))
        }
        (Method::POST, ["branches", branch, "rollback"]) => {
            let branch = branch.to_string();
            branch_ok(&branch)?;
            let r: RollbackReq = body_json(req).await?;
            let live = st.store.live(&project, &branch).await?.ok_or_else(|| ApiErr::new(404, "not_found", format!("nothing is deployed to {branch} of {project}")))?;
            let target = match r.to {
                Some(id) => id,
                None => live.history.last().cloned().ok_or_else(|| ApiErr::new(409, "nothing_to_roll_back_to", format!("{} is the only deployment {branch} has served", live.deployment)))?,
            };
            let d = st.store.deployment(&project, &target).await?.filter(|d| d.branch == branch).ok_or_else(|| ApiErr::new(404, "not_found", format!("no deployment {target} on {branch} of {project} (`palbase deployments list`)")))?;
            if d.status != Status::Ready {
                return Err(ApiErr::new(409, "not_deployable", format!("deployment {target} never served ({:?}): roll back to one that did", d.status)));
            }
            if target == live.deployment {
                return Err(ApiErr::new(409, "already_live", format!("{target} is already live on {branch}")));
            }
            let guard = lock_for_change(&st, &project, &branch).await?;
            Ok(stream_task(st, move |st, tx| async move {
                let _guard = guard;
                let t0 = Instant::now();
                send(&tx, ChildEvent::Progress { message: format!("rolling {branch} back to {target} (schema changes are not undone)") });
                match activate(&st, &project, &branch, &target, Mode::Rollback, &tx).await {
                    Ok(()) => send_live(&st, &tx, &project, &branch, &target, t0),
                    Err(errors) => send(&tx, ChildEvent::Failed { errors }),
                }
            }))
        }
        (Method::GET, ["deployments"]) => {
            let q = req.uri().query().unwrap_or("");
            let branch = form_value(q, "branch");
            let mut live: HashMap<String, String> = HashMap::new();
            for b in st.store.branches(&project).await? {
                if let Some(l) = st.store.live(&project, &b).await? {
                    live.insert(b, l.deployment);
                }
            }
            let rows: Vec<DeploymentRow> = st.store.deployments(&project, branch.as_deref()).await?.into_iter().map(|d| DeploymentRow { live: live.get(&d.branch) == Some(&d.id), deployment: d }).collect();
            Ok(json(&rows))
        }
        (Method::GET, ["branches"]) => {
            let mut rows: Vec<BranchRow> = Vec::new();
            for b in st.store.branches(&project).await? {
                let live = st.store.live(&project, &b).await?;
                let serving = st.live_instance(&project, &b).map(|i| i.deployment.clone());
                rows.push(BranchRow {
                    url: st.url(&project, &b),
                    serving: serving.is_some() && serving == live.as_ref().map(|l| l.deployment.clone()),
                    deployment: live.as_ref().map(|l| l.deployment.clone()),
                    since: live.and_then(|l| l.since),
                    name: b,
                });
            }
            Ok(json(&rows))
        }
        (Method::DELETE, ["branches", branch]) => {
            let branch = branch.to_string();
            branch_ok(&branch)?;
            if branch == names::MAIN {
                return Err(ApiErr::new(400, "invalid_request", "the main branch cannot be deleted"));
            }
            if !st.store.branch_exists(&project, &branch).await? {
                return Err(ApiErr::new(404, "not_found", format!("no branch {branch} in {project}")));
            }
            let _guard = lock_for_change(&st, &project, &branch).await?;
            let old = st.routes.write().unwrap_or_else(|p| p.into_inner()).remove(&(project.clone(), branch.clone()));
            if let Some(old) = old {
                old.stop().await;
            }
            st.store.delete_branch(&project, &branch).await?;
            Ok(json(&serde_json::json!({ "deleted": branch })))
        }
        (Method::GET, ["branches", branch, "secrets"]) => {
            branch_ok(branch)?;
            Ok(json(&st.secrets.list(&st.store, &project, branch).await?))
        }
        (method @ (Method::PUT | Method::DELETE), ["branches", branch, "secrets", name]) => {
            let (branch, name) = (branch.to_string(), name.to_string());
            branch_ok(&branch)?;
            crate::secrets::check_name(&name).map_err(|m| ApiErr::new(400, "invalid_request", m))?;
            let _guard = lock_for_change(&st, &project, &branch).await?;
            let changed = if method == Method::PUT {
                let r: SecretReq = body_json(req).await?;
                st.secrets.set(&st.store, &project, &branch, &name, &r.value).await?;
                true
            } else {
                st.secrets.unset(&st.store, &project, &branch, &name).await?
            };
            if !changed {
                return Err(ApiErr::new(404, "not_found", format!("no secret {name} on {branch} of {project}")));
            }
            // The live deployment restarts with the new environment (the same switch as a push).
            let mut restarted = None;
            if let Some(live) = st.store.live(&project, &branch).await? {
                let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
                activate(&st, &project, &branch, &live.deployment, Mode::Restart, &tx).await.map_err(|e| ApiErr::new(500, "restart_failed", format!("the secret is saved, but {} did not restart: {e}", live.deployment)))?;
                restarted = Some(live.deployment);
            }
            Ok(json(&serde_json::json!({ "name": name, "restarted": restarted })))
        }
        _ => Err(ApiErr::new(404, "not_found", "unknown control API path")),
    }
}

fn send_live(st: &State, tx: &Progress, project: &str, branch: &str, id: &str, t0: Instant) {
    let line = serde_json::json!({ "event": "live", "deployment": id, "url": st.url(project, branch), "ms": t0.elapsed().as_millis() as u64 });
    let mut b = serde_json::to_vec(&line).unwrap_or_default();
    b.push(b'\n');
    let _ = tx.send(Bytes::from(b));
}

fn form_value(q: &str, key: &str) -> Option<String> {
    q.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == key).map(|(_, v)| v.to_string()).filter(|v| !v.is_empty())
}

/// Runs `task` on its own (a client that goes away does not interrupt it) and streams what it
/// sends as NDJSON.
fn stream_task<F, Fut>(st: Arc<State>, task: F) -> Response<Body>
where
    F: FnOnce(Arc<State>, Progress) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Bytes>();
    tokio::spawn(task(st, tx));
    let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (Ok::<_, BoxError>(Frame::data(b)), rx)) });
    let mut r = Response::new(StreamBody::new(stream).boxed_unsync());
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    r
}
