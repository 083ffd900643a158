//! The only crate that knows QuickJS.
//!
//! An [`Engine`] is one QuickJS runtime + context with a project's modules loaded. Engines are
//! `!Send`: the server runs one per worker thread (current-thread tokio + `LocalSet`).
//!
//! ## How a request runs (see ARCHITECTURE.md)
//! 1. [`Engine::dispatch`] builds `req` (request.rs) from the request's parts ([`RequestArgs`])
//!    and calls the handler directly (a GET or DELETE without middleware whose input the host
//!    validated, or that has none) or the runtime's `__pb_dispatch(index, req, id, …)`,
//!    synchronously, then drains the microtask queue.
//! 2. JavaScript validates what the host did not, runs middleware and the handler. A handler
//!    that finishes within the call (sync, or async without waiting on I/O: its promise is read
//!    by its state after the microtasks ran) answers through the return value, written by the
//!    host or by `__pb_settle`.
//!    Otherwise — and for every failure — JavaScript reports back through the Rust global
//!    `__pb_complete(id, status, payload, isError)` and the request awaits a oneshot. (Awaiting
//!    the JS promise from each request task hangs rquickjs 0.11: one waker slot.)
//! 3. Services are reached through `__pb_host.opValue(name, args)` (arguments and result cross
//!    as values, converted by `values`; `op(name, json)` is the JSON-text form): an op done at
//!    once settles its promise in the call, else it runs as a local tokio task and its result is
//!    delivered back into JS by [`bridge`], which also drains microtasks.
//!
//! ## Limits
//! Each entry into JavaScript (a dispatch, an op result, a timer via `rt.drive()`) is a
//! *segment*; the interrupt handler stops a segment that runs longer than the CPU limit (an
//! uncatchable exception, so `try { while(true){} } catch {}` is stopped too). Because an
//! interrupted promise job leaves its promise pending forever, every request also has a
//! Rust-side deadline. The heap and stack limits make runaway allocation and recursion
//! ordinary exceptions. While a segment runs, nothing else runs on the engine's thread: the
//! engine publishes that it is running (an [`Activity`]) so the server can hand new work to
//! another thread.

mod bridge;
pub mod fetch;
mod guards;
mod input;
pub mod loader;
mod output;
pub mod plan;
mod request;
mod values;

use std::{
    cell::{Cell, RefCell},
    collections::{HashMap, HashSet},
    rc::Rc,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use palbase_core::{
    ApiError,
    ops::{CallerKind, OpRegistry},
};
use palbase_project::{ProjectError, graph::ProjectGraph};
use rquickjs::{AsyncContext, AsyncRuntime, CatchResultExt, CaughtError, Function, Module, Persistent, Value, prelude::Func, promise::PromiseState};
use serde::Deserialize;
use tokio::sync::oneshot;

use crate::output::Written;

#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub memory_limit: usize,
    pub stack_limit: usize,
    /// Longest uninterrupted run of JavaScript (one segment; `limits.cpu_limit_ms`).
    pub cpu_limit: Duration,
    /// Longest a request may take, wall clock.
    pub timeout: Duration,
    pub role: Role,
    /// The project's environment as a JSON object (`ctx.env` in background engines).
    pub env_json: Arc<str>,
    /// Where the engine publishes whether it is running JavaScript (shared by the engines of one
    /// thread), so that other threads can steer work away from it while it is stuck.
    pub activity: Option<Arc<Activity>>,
}

/// Whether a thread is running JavaScript, and since when, readable from any thread.
///
/// Written by the engines of one thread: on entering and leaving a segment we entered (two
/// relaxed stores), and, for segments we did not enter (timers, fetch callbacks), by the
/// interrupt handler that QuickJS calls every few thousand operations. Read by the acceptor
/// and the background dispatcher to hand new work to a thread that is not stuck.
#[derive(Debug)]
pub struct Activity {
    base: Instant,
    /// Start of the running stretch (nanoseconds after `base`, + 1); 0: not running.
    since: AtomicU64,
    /// `u64::MAX` while in a segment we entered; else the last interrupt tick of a segment we
    /// did not enter (nanoseconds after `base`): a stale tick means it has ended.
    tick: AtomicU64,
}

impl Default for Activity {
    fn default() -> Self {
        Self { base: Instant::now(), since: AtomicU64::new(0), tick: AtomicU64::new(0) }
    }
}

impl Activity {
    fn nanos(&self, t: Instant) -> u64 {
        t.saturating_duration_since(self.base).as_nanos() as u64 + 1
    }

    fn entered(&self, at: Instant) {
        self.tick.store(u64::MAX, Ordering::Relaxed);
        self.since.store(self.nanos(at), Ordering::Relaxed);
    }

    fn left(&self) {
        self.since.store(0, Ordering::Relaxed);
    }

    fn ticked(&self, since: Instant, now: Instant) {
        self.since.store(self.nanos(since), Ordering::Relaxed);
        self.tick.store(self.nanos(now), Ordering::Relaxed);
    }

    /// How long the thread has been running one stretch of JavaScript, when that is longer
    /// than `threshold`.
    pub fn stuck_for(&self, now: Instant, threshold: Duration) -> Option<Duration> {
        let since = self.since.load(Ordering::Relaxed);
        if since == 0 {
            return None;
        }
        let tick = self.tick.load(Ordering::Relaxed);
        let now = self.nanos(now);
        // An untracked stretch whose ticks stopped has ended (ticks come every fraction of a ms).
        if tick != u64::MAX && now.saturating_sub(tick) > 2_000_000 {
            return None;
        }
        let ran = Duration::from_nanos(now.saturating_sub(since));
        (ran > threshold).then_some(ran)
    }
}

/// What an engine loads and serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The method files of `endpoints/` (and what they import).
    Endpoints,
    /// `workers/` and `jobs/`: the `ctx` model.
    Background,
    /// Only `db/schema.ts`, to read the schema for migrations.
    Schema,
}

impl Role {
    fn caller(self) -> CallerKind {
        match self {
            Role::Background => CallerKind::Background,
            _ => CallerKind::Endpoint,
        }
    }
}

/// A unit of background code as its file declares it: a worker or cron job (its
/// `defineWorker`/`defineJob` config), a hook (one per hook export of a `hooks/` file), a
/// webhook (`defineWebhook`). Hooks and webhooks run as queue workers named `worker`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BackgroundMeta {
    Worker { name: String, retry: u32, timeout: Option<f64>, backoff: String, concurrency: Option<u32> },
    Job { name: String, schedule: String, timeout: Option<f64>, timezone: Option<String> },
    Hook { worker: String, file: String, export: String, event: String, filter: Option<String> },
    Webhook { worker: String, file: String, name: String, provider: String, secret_env: String, events: Vec<String> },
}

/// What the server needs to know about an endpoint before running it (read from its
/// `defineEndpoint` config when the module loads).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EndpointMeta {
    pub method: String,
    /// `None`: public. `Some(role)`: authentication required, with an optional role.
    pub auth: Option<AuthRule>,
    pub rate_limit: Option<RateLimit>,
    /// Whether the endpoint validates its input (for documentation and OpenAPI).
    pub has_input: bool,
    /// Whether it declares an output schema.
    #[serde(default)]
    pub has_output: bool,
    /// The output schema as the host's writer takes it (output.rs), when it can.
    #[serde(default)]
    pub output: Option<plan::Plan>,
    /// The input schema of a GET or DELETE as the host validates a query string (input.rs), when
    /// it can.
    #[serde(default)]
    pub query: Option<plan::Plan>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct AuthRule {
    pub role: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
pub struct RateLimit {
    pub max: u32,
    pub window: f64,
}

/// A request as the engine passes it to JavaScript: plain arguments, with JSON only for the
/// parts that are objects and only when they are not empty (parsing JSON is the largest fixed
/// cost of a call into QuickJS; empty maps are `undefined` and become `{}` there).
#[derive(Debug, Default)]
pub struct RequestArgs {
    pub path: String,
    pub request_id: Rc<str>,
    /// 32 lowercase hex digits.
    pub trace_id: String,
    /// 16 lowercase hex digits.
    pub span_id: String,
    /// The route's parameters, decoded.
    pub params: Vec<(String, String)>,
    /// The query string's pairs, decoded, in order (for the host's own validation, input.rs).
    pub query: Vec<(String, String)>,
    /// The authenticated user (`req.user`).
    pub user: Option<serde_json::Value>,
    /// Made into an object only when the handler reads `req.headers` (request.rs).
    pub headers: http::HeaderMap,
    /// `{fields, file}` of a form body.
    pub form_json: Option<String>,
    pub body: Option<String>,
    pub file: Option<Vec<u8>>,
}

/// A request's result.
#[derive(Debug)]
pub enum Outcome {
    /// `body` is JSON; `None` means the handler returned nothing (204).
    Success {
        status: u16,
        body: Option<String>,
    },
    Error(ApiError),
}

#[derive(Debug, thiserror::Error)]
#[error("{}", palbase_project::ProjectErrors(self.0.clone()))]
pub struct LoadError(pub Vec<ProjectError>);

type Pending = RefCell<HashMap<u64, (oneshot::Sender<Outcome>, Run)>>;

/// State shared by the engine and the host functions it installed in JavaScript.
pub(crate) struct State {
    pending: Pending,
    next_id: Cell<u64>,
    /// Start of the current segment of JavaScript we entered, if we entered it.
    segment: Cell<Option<Instant>>,
    /// For segments we did not enter (timers, fetch): when ticks started coming without a gap.
    untracked_since: Cell<Instant>,
    last_tick: Cell<Instant>,
    cpu_limit: Duration,
    activity: Option<Arc<Activity>>,
    /// Set when the interrupt handler stopped a segment we entered: its run has failed.
    interrupted: Cell<bool>,
    /// Runs that created timers or fetches (guards.rs): released when they end.
    pub(crate) owners: RefCell<HashSet<Rc<str>>>,
    /// The request (or job run) whose JavaScript is running: propagated to the ops it calls and
    /// restored when their results come back, so `Log` lines carry the right request id and
    /// its deadline applies to its continuations.
    current: RefCell<Option<Run>>,
    ops: Arc<OpRegistry>,
    kind: CallerKind,
    ctx: RefCell<Option<AsyncContext>>,
    /// For mapping stack traces back to TypeScript positions.
    graph: Arc<ProjectGraph>,
}

/// One unit of work in flight: a request or a background run.
#[derive(Clone)]
pub(crate) struct Run {
    pub id: Rc<str>,
    pub deadline: Instant,
}

impl State {
    pub(crate) fn enter(&self, run: Option<Run>) -> Option<Run> {
        let now = Instant::now();
        self.segment.set(Some(now));
        if let Some(a) = &self.activity {
            a.entered(now);
        }
        self.current.replace(run)
    }

    pub(crate) fn leave(&self, prev: Option<Run>) {
        self.segment.set(None);
        if let Some(a) = &self.activity {
            a.left();
        }
        self.current.replace(prev);
    }

    /// After a segment: when it was interrupted, the run it was entered for fails at once
    /// (the promise it left pending would never settle).
    pub(crate) fn after_segment(&self, run: Option<&Run>) {
        if !self.interrupted.take() {
            return;
        }
        let Some(run) = run else { return };
        let id = self.pending.borrow().iter().find(|(_, (_, r))| Rc::ptr_eq(&r.id, &run.id)).map(|(id, _)| *id);
        if let Some((tx, _)) = id.and_then(|id| self.pending.borrow_mut().remove(&id)) {
            let _ = tx.send(Outcome::Error(cpu_exceeded()));
        }
    }

    pub(crate) fn current_run(&self) -> Option<Run> {
        self.current.borrow().clone()
    }

    /// The request JavaScript is running for: the one we entered for, else — for code resumed
    /// by a timer or fetch, which we do not enter — the only request in flight, if just one is.
    pub(crate) fn current_request(&self) -> Option<Rc<str>> {
        if let Some(r) = self.current.borrow().as_ref() {
            return Some(r.id.clone());
        }
        let pending = self.pending.borrow();
        if pending.len() == 1 { pending.values().next().map(|(_, r)| r.id.clone()) } else { None }
    }

    fn interrupt(&self) -> bool {
        let now = Instant::now();
        if let Some(start) = self.segment.get() {
            let past_deadline = self.current.borrow().as_ref().is_some_and(|r| now > r.deadline);
            let stop = past_deadline || now.duration_since(start) > self.cpu_limit;
            if stop {
                self.interrupted.set(true);
            }
            return stop;
        }
        // A gap of more than a few ms between ticks means JavaScript was idle in between.
        if now.duration_since(self.last_tick.get()) > Duration::from_millis(5) {
            self.untracked_since.set(now);
        }
        self.last_tick.set(now);
        if let Some(a) = &self.activity {
            a.ticked(self.untracked_since.get(), now);
        }
        now.duration_since(self.untracked_since.get()) > self.cpu_limit
    }
}

/// The runtime's driver (`AsyncRuntime::drive`): every poll runs JavaScript (timer callbacks,
/// fetch continuations) as one segment, so the CPU limit and the thread's [`Activity`] apply to
/// it exactly as to the segments we enter.
struct Drive<F> {
    inner: std::pin::Pin<Box<F>>,
    state: Rc<State>,
}

impl<F: Future> Future for Drive<F> {
    type Output = F::Output;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<F::Output> {
        let this = self.get_mut();
        let prev = this.state.enter(None);
        let r = this.inner.as_mut().poll(cx);
        this.state.leave(prev);
        // No run was entered: a run stopped here fails at its own deadline.
        this.state.interrupted.set(false);
        r
    }
}

/// What the engine calls in the loaded runtime, kept across calls.
struct Exports {
    dispatch: Persistent<Function<'static>>,
    release: Persistent<Function<'static>>,
    settle: Persistent<Function<'static>>,
    run: Persistent<Function<'static>>,
    describe: Persistent<Function<'static>>,
    /// The prototypes of `RequestParts` objects and of `req` (looked up once, not per request).
    parts_proto: Persistent<rquickjs::Object<'static>>,
    req_proto: Persistent<rquickjs::Object<'static>>,
    /// Per endpoint, by route index (`__pb_endpoint` in dispatch.ts).
    endpoints: Vec<EndpointJs>,
}

/// What the host calls or hands over for one endpoint.
struct EndpointJs {
    /// The handler, when the host may call it directly (a GET or DELETE without middleware).
    handler: Option<Persistent<Function<'static>>>,
    /// `req.errors`, when the endpoint declares errors.
    errors: Option<Persistent<Value<'static>>>,
    /// The method, as `req.method` reads it.
    method: Persistent<rquickjs::String<'static>>,
}

/// One loaded project version in one QuickJS runtime.
///
/// Field order matters: `Persistent`s (`js`) must drop before the runtime.
pub struct Engine {
    js: Exports,
    state: Rc<State>,
    pub endpoints: Vec<EndpointMeta>,
    pub background: Vec<BackgroundMeta>,
    config: EngineConfig,
    ctx: AsyncContext,
    /// Owned so the runtime outlives the context and every `Persistent` above (drop order).
    _rt: AsyncRuntime,
}

impl Drop for Engine {
    fn drop(&mut self) {
        // Break the cycle context → host closure → state → context.
        self.state.ctx.borrow_mut().take();
        for (_, (tx, _)) in self.state.pending.borrow_mut().drain() {
            let _ = tx.send(Outcome::Error(ApiError::new(503, "reloading", "The project was reloaded while this request ran; retry it")));
        }
    }
}

fn llrt_globals() -> llrt_modules::module_builder::ModuleBuilder {
    use llrt_modules as m;
    // Chosen one by one: no `module`/`require`, no fs, no process, no child_process. The
    // `node:*` modules themselves are served by our own loader (loader.rs).
    m::module_builder::ModuleBuilder::new()
        .with_global(m::abort::init)
        .with_global(m::buffer::init)
        .with_global(m::console::init)
        .with_global(m::crypto::init)
        .with_global(m::events::init)
        .with_global(m::exceptions::init)
        .with_global(llrt_fetch::init)
        .with_global(m::stream_web::init)
        .with_global(m::timers::init)
        .with_global(m::url::init)
        .with_global(m::util::init)
}

/// The generated module that imports every entry of the engine's role and registers it.
fn entry_source(graph: &ProjectGraph, role: Role, env_json: &str) -> String {
    let mut s = String::from("import { __pb_register, __pb_register_background, __pb_init_background } from \"palbase:runtime\";\n");
    let mut metas = Vec::new();
    let q = |f: &str| serde_json::to_string(f).unwrap_or_default();
    match role {
        Role::Endpoints => {
            for (i, r) in graph.routes.iter().enumerate() {
                s.push_str(&format!("import * as m{i} from {};\n", q(&r.file)));
                metas.push(format!("__pb_register({i}, m{i}, {}, {:?})", q(&r.file), r.method));
            }
        }
        Role::Background => {
            s.push_str(&format!("__pb_init_background({});\n", q(env_json)));
            for (i, b) in graph.background.iter().enumerate() {
                s.push_str(&format!("import * as m{i} from {};\n", q(&b.file)));
                // A webhook's name (its route) is decided here, once.
                let name = (b.kind == palbase_project::kinds::Kind::Webhook).then(|| palbase_project::kinds::webhook_name(&b.file));
                metas.push(format!("__pb_register_background(m{i}, {}, {:?}, {})", q(&b.file), b.kind.dir(), serde_json::to_string(&name).unwrap_or_default()));
            }
        }
        Role::Schema => {}
    }
    if let Some(schema) = &graph.schema {
        s.push_str(&format!("import * as schema from {};\nexport const schemaJson = JSON.stringify(schema.default ?? null);\n", serde_json::to_string(schema).unwrap_or_default()));
    } else {
        s.push_str("export const schemaJson = \"null\";\n");
    }
    s.push_str(&format!("export const metas = [{}];\n", metas.join(", ")));
    s
}

/// One stack line's `file:line:col`, split (`    at f (endpoints/a/get.ts:3:9)` or `    at endpoints/a/get.ts:3:9`).
fn stack_position(line: &str) -> Option<(&str, u32, u32)> {
    let inner = line.trim().rsplit_once('(').map_or(line.trim().trim_start_matches("at "), |(_, r)| r.trim_end_matches(')'));
    let mut parts = inner.rsplitn(3, ':');
    let (col, ln, file) = (parts.next()?, parts.next()?, parts.next()?);
    Some((file, ln.parse().ok()?, col.parse().ok()?))
}

/// A JavaScript stack with the positions in project files mapped back to their TypeScript source.
pub(crate) fn map_stack(graph: &ProjectGraph, stack: &str) -> String {
    let mut out = String::with_capacity(stack.len());
    for (i, line) in stack.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mapped = stack_position(line).and_then(|(file, l, c)| {
            let (ol, oc) = graph.modules.get(file)?.positions.original(l, c)?;
            Some(line.replacen(&format!("{file}:{l}:{c}"), &format!("{file}:{ol}:{oc}"), 1))
        });
        out.push_str(mapped.as_deref().unwrap_or(line));
    }
    out
}

/// Turns a JavaScript load failure into located project errors (`file:line:col` from the stack).
fn load_error(graph: &ProjectGraph, e: CaughtError<'_>) -> Vec<ProjectError> {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("error").trim().to_string();
    // Link errors carry no stack: find the importing file ourselves.
    if let Some(rest) = first.split("Could not find export '").nth(1)
        && let Some((name, module)) = rest.split_once("' in module '")
    {
        let module = module.trim_end_matches('\'');
        let mut hits: Vec<_> = graph
            .modules
            .values()
            .filter(|m| m.deps.iter().any(|(_, d)| matches!(d, palbase_project::graph::Dep::Module(id) | palbase_project::graph::Dep::Builtin(id) if id == module)))
            .filter(|m| m.code.contains(name))
            .map(|m| m.id.clone())
            .collect();
        hits.sort();
        if let Some(file) = hits.first() {
            return vec![ProjectError::new(file, format!("imports `{name}` from \"{module}\", which does not export it")).hint("check the spelling, and whether the name is a default export")];
        }
    }
    for line in text.lines().skip(1) {
        if let Some((f, l, c)) = stack_position(line)
            && let Some(m) = graph.modules.get(f)
        {
            let err = ProjectError::new(f, format!("failed to load: {first}"));
            return vec![match m.positions.original(l, c) {
                Some((l, c)) => err.at(l, c),
                None => err.at(l, c).hint("line and column refer to the compiled JavaScript of this file"),
            }];
        }
    }
    vec![ProjectError::new("project", format!("failed to load: {text}"))]
}

impl Engine {
    /// Loads `graph` into a fresh runtime. Must run inside a tokio `LocalSet`.
    pub async fn new(graph: Arc<ProjectGraph>, ops: Arc<OpRegistry>, config: EngineConfig) -> Result<(Self, serde_json::Value), LoadError> {
        let fail = |m: String| LoadError(vec![ProjectError::new("runtime", m)]);
        let rt = AsyncRuntime::new().map_err(|e| fail(e.to_string()))?;
        rt.set_memory_limit(config.memory_limit).await;
        rt.set_max_stack_size(config.stack_limit).await;
        rt.set_gc_threshold(4 << 20).await;

        let now = Instant::now();
        let state = Rc::new(State {
            pending: RefCell::default(),
            next_id: Cell::new(0),
            segment: Cell::new(None),
            untracked_since: Cell::new(now),
            last_tick: Cell::new(now),
            cpu_limit: config.cpu_limit,
            activity: config.activity.clone(),
            interrupted: Cell::new(false),
            owners: RefCell::default(),
            current: RefCell::new(None),
            ops,
            kind: config.role.caller(),
            ctx: RefCell::new(None),
            graph: graph.clone(),
        });
        let s = state.clone();
        rt.set_interrupt_handler(Some(Box::new(move || s.interrupt()))).await;

        let (_, _, globals) = llrt_globals().build();
        let entry = entry_source(&graph, config.role, &config.env_json);
        let mk = || loader::GraphLoader { graph: graph.clone(), entry: entry.clone() };
        rt.set_loader(mk(), mk()).await;

        let ctx = AsyncContext::full(&rt).await.map_err(|e| fail(e.to_string()))?;
        state.ctx.replace(Some(ctx.clone()));

        let st = state.clone();
        let g2 = graph.clone();
        let loaded = rquickjs::async_with!(ctx => |ctx| {
            let run = async {
                globals.attach(&ctx)?;
                let release = guards::install(&ctx, st.clone())?;
                bridge::install(&ctx, st.clone())?;
                let s2 = st.clone();
                ctx.globals().set("__pb_complete", Func::from(move |id: u64, status: u16, payload: rquickjs::Value<'_>, is_error: bool| {
                    complete(&s2, id, status, payload, is_error);
                }))?;
                let (m, done) = Module::declare(ctx.clone(), "palbase:boot", "export { metas, schemaJson } from \"palbase:entry\"; export { __pb_dispatch, __pb_settle, __pb_run, __pb_describe, __pb_endpoint, __pb_req_proto } from \"palbase:runtime\";")?.eval()?;
                done.into_future::<()>().await?;
                let metas: Vec<String> = m.get("metas")?;
                let schema: String = m.get("schemaJson")?;
                let dispatch: Function = m.get("__pb_dispatch")?;
                let settle: Function = m.get("__pb_settle")?;
                let run: Function = m.get("__pb_run")?;
                let describe: Function = m.get("__pb_describe")?;
                let parts_proto = rquickjs::Class::<request::RequestParts>::prototype(&ctx)?.ok_or(rquickjs::Error::Unknown)?;
                let req_proto: rquickjs::Object = m.get("__pb_req_proto")?;
                let endpoint: Function = m.get("__pb_endpoint")?;
                let mut endpoints = Vec::new();
                if config.role == Role::Endpoints {
                    for i in 0..metas.len() {
                        // `undefined` for a module that failed to register (reported below).
                        let Some(e) = endpoint.call::<_, Option<rquickjs::Array>>((i as u32,))? else { continue };
                        let (handler, errors, method): (Option<Function>, Option<Value>, rquickjs::String) = (e.get(0)?, e.get(1)?, e.get(2)?);
                        endpoints.push(EndpointJs {
                            handler: handler.map(|f| Persistent::save(&ctx, f)),
                            errors: errors.map(|e| Persistent::save(&ctx, e)),
                            method: Persistent::save(&ctx, method),
                        });
                    }
                }
                let js = Exports {
                    dispatch: Persistent::save(&ctx, dispatch),
                    settle: Persistent::save(&ctx, settle),
                    run: Persistent::save(&ctx, run),
                    describe: Persistent::save(&ctx, describe),
                    release,
                    parts_proto: Persistent::save(&ctx, parts_proto),
                    req_proto: Persistent::save(&ctx, req_proto),
                    endpoints,
                };
                Ok::<_, rquickjs::Error>((metas, schema, js))
            };
            run.await.catch(&ctx).map_err(|e| load_error(&g2, e))
        })
        .await;
        let (metas, schema, js) = match loaded {
            Ok(v) => v,
            Err(errors) => {
                state.ctx.borrow_mut().take();
                return Err(LoadError(errors));
            }
        };

        #[derive(Deserialize)]
        struct Reg<T> {
            ok: Option<T>,
            error: Option<String>,
            hint: Option<String>,
        }
        fn parse<T: serde::de::DeserializeOwned>(file: &str, raw: &str, errors: &mut Vec<ProjectError>) -> Option<T> {
            match serde_json::from_str::<Reg<T>>(raw) {
                Ok(Reg { ok: Some(meta), .. }) => Some(meta),
                Ok(Reg { error, hint, .. }) => {
                    let mut e = ProjectError::new(file, error.unwrap_or_else(|| "invalid definition".into()));
                    if let Some(h) = hint {
                        e = e.hint(h);
                    }
                    errors.push(e);
                    None
                }
                Err(e) => {
                    errors.push(ProjectError::new(file, format!("internal: bad registration {e}")));
                    None
                }
            }
        }
        let mut endpoints = Vec::new();
        let mut background = Vec::new();
        let mut errors = Vec::new();
        match config.role {
            Role::Endpoints => {
                for (route, raw) in graph.routes.iter().zip(&metas) {
                    endpoints.extend(parse::<EndpointMeta>(&route.file, raw, &mut errors));
                }
            }
            Role::Background => {
                // A file declares one unit (a worker, a job, a webhook) or several (hooks).
                for (b, raw) in graph.background.iter().zip(&metas) {
                    background.extend(parse::<Vec<BackgroundMeta>>(&b.file, raw, &mut errors).into_iter().flatten());
                }
            }
            Role::Schema => {}
        }
        if !errors.is_empty() {
            drop(js);
            state.ctx.borrow_mut().take();
            return Err(LoadError(errors));
        }
        // Timers, fetch and the other futures JavaScript spawned run when the runtime's driver
        // is polled: each poll is a segment, timed like the ones we enter.
        tokio::task::spawn_local(Drive { inner: Box::pin(rt.drive()), state: state.clone() });
        // Loading leaves the parse garbage of the bundle and the project behind.
        rt.run_gc().await;
        let schema = serde_json::from_str(&schema).unwrap_or(serde_json::Value::Null);
        Ok((Self { js, state, endpoints, background, config, ctx, _rt: rt }, schema))
    }

    /// Runs endpoint `index` for one request.
    pub async fn dispatch(&self, index: usize, r: RequestArgs) -> Outcome {
        self.invoke(r.request_id.clone(), self.config.timeout, move |ctx, id| {
            let Some(js) = self.js.endpoints.get(index) else {
                return Err(rquickjs::Error::Unknown);
            };
            let meta = self.endpoints.get(index);
            // The input of a GET or DELETE, validated here when the plan allows it.
            let checked = match meta.and_then(|m| m.query.as_ref()) {
                Some(plan) => input::validate(ctx, plan, &r.query)?,
                None => None,
            };
            // The handler is called directly when the input needs nothing of JavaScript: validated
            // here, or no schema at all (then the input is the query).
            let has_input = meta.is_some_and(|m| m.has_input);
            let direct = js.handler.as_ref().filter(|_| checked.is_some() || !has_input);
            let (input, query) = match checked {
                Some(input) => (input.into_value(), Value::new_undefined(ctx.clone())),
                None if direct.is_some() => {
                    let query = values::string_record(ctx, r.query.iter().map(|(k, v)| (k.as_str(), v.as_str())))?.into_value();
                    (query.clone(), query)
                }
                None => (Value::new_undefined(ctx.clone()), Value::new_undefined(ctx.clone())),
            };
            // The ids travel as one string (see `requestIdOf` in dispatch.ts).
            let mut ids = String::with_capacity(r.request_id.len() + 48);
            ids.push_str(&r.request_id);
            ids.push_str(&r.trace_id);
            ids.push_str(&r.span_id);
            let slots = request::Slots {
                params: values::string_record(ctx, r.params.iter().map(|(k, v)| (k.as_str(), v.as_str())))?.into_value(),
                query,
                user: match &r.user {
                    Some(user) => values::json_to_js(ctx, user)?,
                    None => Value::new_null(ctx.clone()),
                },
                method: js.method.clone().restore(ctx)?.into_value(),
                ids: rquickjs::String::from_str(ctx.clone(), &ids)?.into_value(),
                path: rquickjs::String::from_str(ctx.clone(), &r.path)?.into_value(),
                parts: rquickjs::Class::instance_proto(request::RequestParts::new(r.headers, r.query), self.js.parts_proto.clone().restore(ctx)?)?.into_value(),
            };
            let req = request::build(ctx, &self.js.req_proto.clone().restore(ctx)?, input, slots)?;
            let called = match direct {
                Some(handler) => {
                    if let Some(errors) = &js.errors {
                        values::define(&req, "errors", errors.clone().restore(ctx)?)?;
                    }
                    handler.clone().restore(ctx)?.call::<_, Value>((req.clone(),))
                }
                None => {
                    // The parts a GET never has come last, and are left off when absent
                    // (JavaScript sees `undefined`): every argument costs a value conversion.
                    let tail = [r.form_json.is_some(), r.body.is_some(), r.file.is_some()];
                    let extra = tail.iter().rposition(|present| *present).map_or(0, |i| i + 1);
                    let mut a = rquickjs::function::Args::new(ctx.clone(), 3 + extra);
                    a.push_arg(index as u32)?;
                    a.push_arg(req.clone())?;
                    a.push_arg(id)?;
                    if extra > 0 {
                        a.push_arg(r.form_json)?;
                    }
                    if extra > 1 {
                        a.push_arg(r.body)?;
                    }
                    if let Some(bytes) = r.file {
                        a.push_arg(rquickjs::ArrayBuffer::new(ctx.clone(), bytes)?)?;
                    }
                    // Never throws (failures are reported), unless stopped.
                    self.js.dispatch.clone().restore(ctx)?.call_arg(a)
                }
            };
            let out = match called {
                Ok(out) => out,
                // A handler that threw, called directly: reported as `__pb_dispatch` reports it.
                // One that was stopped (CPU limit) is not catchable: it fails the call.
                Err(rquickjs::Error::Exception) if direct.is_some() && !self.state.interrupted.get() => {
                    let thrown = ctx.catch();
                    return self.settle(ctx, 2, thrown, index, req, id);
                }
                Err(e) => return Err(e),
            };
            // What the handler gave, by state: 1 = a value, 2 = a failure, 0 = still pending.
            let (state, value) = match out.as_promise() {
                Some(promise) => {
                    // An async handler: run what it queued, then settle it by its state (no
                    // `.then` round trip when it never waited on I/O).
                    while ctx.execute_pending_job() {}
                    match promise.state() {
                        PromiseState::Resolved => (1, promise.result::<Value>().and_then(Result::ok).unwrap_or_else(|| Value::new_undefined(ctx.clone()))),
                        PromiseState::Rejected => {
                            let _ = promise.result::<Value>();
                            (2, ctx.catch())
                        }
                        PromiseState::Pending => (0, out.clone()),
                    }
                }
                // A synchronous handler's object, or a thenable that is not a native promise
                // (`start` in dispatch.ts leaves telling them apart to the host).
                None if out.is_object() => match out.as_object().map(|o| o.get::<_, Value>("then")) {
                    Some(Ok(then)) if then.is_function() => (0, out),
                    Some(Err(rquickjs::Error::Exception)) => (2, ctx.catch()),
                    Some(Err(e)) => return Err(e),
                    _ => (1, out),
                },
                // A synchronous handler's other value, called directly.
                None if direct.is_some() => (1, out),
                // What `__pb_dispatch` answered (see `finish_answer`).
                None => {
                    finish_answer(&self.state, id, out);
                    return Ok(());
                }
            };
            if state == 1 {
                // Written here when the host can (no second call into JavaScript).
                match self.write_result(index, &value) {
                    Some(Written::Json(json)) => {
                        complete_with(&self.state, id, Outcome::Success { status: 200, body: Some(json) });
                        return Ok(());
                    }
                    Some(Written::Empty) => {
                        complete_with(&self.state, id, Outcome::Success { status: 204, body: None });
                        return Ok(());
                    }
                    Some(Written::Threw) => return self.settle(ctx, 2, ctx.catch(), index, req, id),
                    Some(Written::Fallback) | None => {}
                }
            }
            self.settle(ctx, state, value, index, req, id)
        })
        .await
    }

    /// Finishes request `id` in JavaScript (`__pb_settle`, see `dispatch` for `state`).
    fn settle<'js>(&self, ctx: &rquickjs::Ctx<'js>, state: u8, value: Value<'js>, index: usize, req: rquickjs::Object<'js>, id: u64) -> rquickjs::Result<()> {
        let answer = self.js.settle.clone().restore(ctx)?.call::<_, Value>((state, value, index as u32, req, id))?;
        finish_answer(&self.state, id, answer);
        Ok(())
    }

    /// A handler's settled result written as the response body by the host: through the output
    /// schema's plan, or — without an output schema — as `JSON.stringify` would write an object
    /// or array. `None`: JavaScript finishes the request (`__pb_settle`).
    fn write_result(&self, index: usize, value: &Value<'_>) -> Option<Written> {
        let meta = self.endpoints.get(index)?;
        if let Some(plan) = &meta.output {
            return Some(output::write(plan, value));
        }
        if meta.has_output {
            return None;
        }
        if value.is_undefined() {
            return Some(Written::Empty);
        }
        if !matches!(value.type_of(), rquickjs::Type::Object | rquickjs::Type::Array) {
            return None;
        }
        match values::js_to_json_text(value) {
            Ok(Some(json)) => Some(Written::Json(json)),
            Ok(None) => None,
            Err(rquickjs::Error::Exception) => Some(Written::Threw),
            Err(_) => None,
        }
    }

    /// What the OpenAPI document needs to know of every endpoint, by route index (JSON written by
    /// `__pb_describe`, packages/backend/src/runtime/describe.ts).
    pub async fn describe(&self) -> Result<String, String> {
        let f = &self.js.describe;
        self.ctx.with(|ctx| f.clone().restore(&ctx).and_then(|f| f.call::<_, String>(())).catch(&ctx).map_err(|e| e.to_string())).await
    }

    /// Runs one job of worker `name` (`payload` is JSON) or one tick of cron job `name`
    /// (`payload` is `None`), within `timeout`.
    pub async fn run_background(&self, worker: bool, name: &str, payload: Option<String>, run_id: Rc<str>, timeout: Duration) -> Outcome {
        let f = &self.js.run;
        let kind = if worker { "worker" } else { "job" };
        let rid = run_id.to_string();
        self.invoke(run_id, timeout, move |ctx, id| f.clone().restore(ctx)?.call::<_, ()>((kind, name, payload, rid, id))).await
    }

    async fn invoke<F>(&self, run_id: Rc<str>, timeout: Duration, call: F) -> Outcome
    where
        F: for<'js> FnOnce(&rquickjs::Ctx<'js>, u64) -> rquickjs::Result<()>,
    {
        let out = self.invoke_once(run_id.clone(), timeout, call).await;
        // Stop what the run left behind (guards.rs); most runs leave nothing.
        if !self.state.owners.borrow().is_empty() && self.state.owners.borrow_mut().remove(&run_id) {
            let f = &self.js.release;
            self.ctx
                .with(|ctx| {
                    if let Ok(f) = f.clone().restore(&ctx) {
                        let _ = f.call::<_, ()>((run_id.to_string(),));
                    }
                })
                .await;
        }
        out
    }

    async fn invoke_once<F>(&self, run_id: Rc<str>, timeout: Duration, call: F) -> Outcome
    where
        F: for<'js> FnOnce(&rquickjs::Ctx<'js>, u64) -> rquickjs::Result<()>,
    {
        let id = self.state.next_id.get();
        self.state.next_id.set(id + 1);
        let (tx, rx) = oneshot::channel();
        let run = Run { id: run_id, deadline: Instant::now() + timeout };
        self.state.pending.borrow_mut().insert(id, (tx, run.clone()));

        let state = self.state.clone();
        let called = self
            .ctx
            .with(|ctx| {
                let prev = state.enter(Some(run.clone()));
                let r = call(&ctx, id).catch(&ctx).map_err(|e| e.to_string());
                while ctx.execute_pending_job() {}
                state.leave(prev);
                if r.is_ok() {
                    state.after_segment(Some(&run));
                } else {
                    state.interrupted.set(false);
                }
                r
            })
            .await;
        if let Err(e) = called {
            self.state.pending.borrow_mut().remove(&id);
            return Outcome::Error(js_failure(&e));
        }
        // Handlers that never wait on anything have answered already: skip the timer.
        let mut rx = rx;
        if let Ok(out) = rx.try_recv() {
            return out;
        }
        match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(out)) => out,
            Ok(Err(_)) => Outcome::Error(ApiError::internal()),
            Err(_) => {
                self.state.pending.borrow_mut().remove(&id);
                Outcome::Error(ApiError::new(500, "timeout", format!("The handler did not finish within {} ms", timeout.as_millis())))
            }
        }
    }
}

/// A failure of the synchronous part of a dispatch: interrupted, out of memory, or a bug.
fn js_failure(message: &str) -> ApiError {
    if message.contains("interrupted") {
        cpu_exceeded()
    } else if message.contains("out of memory") {
        ApiError::new(500, "out_of_memory", "The handler ran out of memory")
    } else if message.contains("stack overflow") {
        ApiError::new(500, "stack_overflow", "The handler exceeded the maximum call stack size")
    } else {
        tracing::error!(target: "palbase::engine", "dispatch failed: {message}");
        ApiError::internal()
    }
}

fn cpu_exceeded() -> ApiError {
    ApiError::new(500, "timeout", "The handler used more CPU time than allowed and was stopped")
}

/// Finishes request `id` with what `__pb_dispatch` or `__pb_settle` answered: a string is the
/// JSON of a 200, `null` a 204; `undefined` was (or will be) reported through `__pb_complete`
/// (a failure, or a handler still waiting).
fn finish_answer(state: &State, id: u64, answer: Value<'_>) {
    let status = if answer.is_null() {
        204
    } else if answer.is_string() {
        200
    } else {
        return;
    };
    complete(state, id, status, answer, false);
}

fn complete_with(state: &State, id: u64, out: Outcome) {
    if let Some((tx, _)) = state.pending.borrow_mut().remove(&id) {
        let _ = tx.send(out);
    }
}

fn complete(state: &State, id: u64, status: u16, payload: Value<'_>, is_error: bool) {
    let Some((tx, _)) = state.pending.borrow_mut().remove(&id) else { return };
    let text = payload.as_string().and_then(|s| s.to_string().ok());
    let out = if is_error {
        match text.as_deref().map(serde_json::from_str::<ApiError>) {
            Some(Ok(e)) => Outcome::Error(e),
            _ => Outcome::Error(ApiError::internal()),
        }
    } else {
        Outcome::Success { status, body: text }
    };
    let _ = tx.send(out);
}
