//! Compiles the project, publishes versions to the workers and reloads on changes.

use std::{
    net::{SocketAddr, TcpListener},
    path::PathBuf,
    sync::{Arc, Mutex, mpsc},
    time::{Duration, Instant},
};

use anyhow::Context as _;
use palbase_auth::Verifier;
use palbase_core::ops::OpRegistry;
use palbase_engine::EndpointMeta;
use palbase_project::{
    ProjectErrors,
    config::Settings,
    graph::{Compiler, ProjectGraph},
};
use tokio::sync::watch;

use crate::{
    ratelimit::Limiters,
    service::{Notice, Services, VersionContext},
    worker,
};

pub struct ServeOptions {
    pub root: PathBuf,
    pub settings: Settings,
    /// The infrastructure services (palbase-app builds them from the settings).
    pub services: Services,
    /// The ops of `services`, as JavaScript reaches them.
    pub ops: Arc<OpRegistry>,
    pub auth: Arc<Verifier>,
    /// The project's environment (`.env` + process), as a JSON object, for `ctx.env`.
    pub env_json: Arc<str>,
    /// Reload when files change.
    pub watch: bool,
    /// Rate limits shared across instances (Redis), when configured; else per process.
    pub shared_limiter: Option<Arc<dyn crate::ratelimit::SharedLimiter>>,
    /// What happens, for the terminal: the CLI renders these (the server prints nothing).
    pub on_event: Box<dyn Fn(ServeEvent) + Send>,
}

/// What the server reports while it runs; the CLI renders each one.
#[derive(Debug)]
pub enum ServeEvent {
    /// Bound and accepting (the first load is still running).
    Listening {
        root: PathBuf,
        addr: SocketAddr,
        threads: usize,
    },
    /// Reported by a service while a version loads (a migration, the workers).
    Notice(Notice),
    /// The first version serves.
    Ready {
        routes: Vec<RouteRow>,
        elapsed: Duration,
    },
    /// Files changed (paths relative to the project).
    Changed(Vec<String>),
    /// A changed version serves.
    Reloaded {
        routes: Vec<RouteRow>,
        elapsed: Duration,
    },
    /// A version failed to compile or load; `keeps_serving` when an earlier one still serves.
    LoadFailed {
        errors: ProjectErrors,
        keeps_serving: bool,
    },
    ShuttingDown,
}

/// One line of the route table.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRow {
    pub method: String,
    pub path: String,
    pub file: String,
    /// `Some(None)`: authentication required; `Some(Some(role))`: that role.
    pub auth: Option<Option<String>>,
    /// `(max, window seconds)`.
    pub rate_limit: Option<(u32, f64)>,
}

/// One compiled project version, shared by all workers.
pub struct Version {
    pub id: u64,
    pub graph: Arc<ProjectGraph>,
    /// Pattern → (method, route index) list.
    pub router: matchit::Router<Vec<(String, usize)>>,
}

impl Version {
    fn new(id: u64, graph: Arc<ProjectGraph>) -> Result<Self, ProjectErrors> {
        let mut router = matchit::Router::new();
        let mut by_pattern: std::collections::BTreeMap<&str, Vec<(String, usize)>> = Default::default();
        for (i, r) in graph.routes.iter().enumerate() {
            by_pattern.entry(&r.pattern).or_default().push((r.method.clone(), i));
        }
        let mut errors = Vec::new();
        for (pattern, methods) in by_pattern {
            if let Err(e) = router.insert(pattern, methods.clone()) {
                let file = &graph.routes[methods[0].1].file;
                errors.push(palbase_project::ProjectError::new(file, format!("route conflicts with another: {e}")));
            }
        }
        if !errors.is_empty() {
            return Err(ProjectErrors(errors));
        }
        Ok(Self { id, graph, router })
    }
}

/// A compiled graph handed to the workers before its version is published: each creates its
/// engine for it while the coordinator waits for the schema, which the first engine to load
/// evaluates (every engine does; a separate schema engine would cost one more on the critical
/// path of every start and reload).
pub(crate) struct Prepare {
    pub graph: Arc<ProjectGraph>,
    schema: Mutex<Option<mpsc::Sender<SchemaRead>>>,
}

/// `db/schema.ts`'s default export as JSON, or why the engine did not load.
type SchemaRead = Result<serde_json::Value, Vec<palbase_project::ProjectError>>;

impl Prepare {
    fn new(graph: Arc<ProjectGraph>) -> (Arc<Self>, mpsc::Receiver<SchemaRead>) {
        let (tx, rx) = mpsc::channel();
        (Arc::new(Self { graph, schema: Mutex::new(Some(tx)) }), rx)
    }

    /// Reports what a worker's engine for this graph gave (the first report counts).
    pub(crate) fn loaded(&self, result: &Result<(palbase_engine::Engine, serde_json::Value), palbase_engine::LoadError>) {
        let Some(tx) = self.schema.lock().unwrap_or_else(|p| p.into_inner()).take() else { return };
        let _ = tx.send(match result {
            Ok((_, schema)) => Ok(schema.clone()),
            Err(e) => Err(e.0.clone()),
        });
    }
}

pub(crate) struct Report {
    pub version: u64,
    pub result: Result<Vec<EndpointMeta>, Vec<palbase_project::ProjectError>>,
}

pub(crate) enum Event {
    Changed(Vec<PathBuf>),
    /// SIGINT or SIGTERM.
    Shutdown,
    Report(Report),
}

/// What every worker shares.
pub(crate) struct Shared {
    pub settings: Settings,
    pub ops: Arc<OpRegistry>,
    pub auth: Arc<Verifier>,
    pub limiters: Limiters,
    pub shared_limiter: Option<Arc<dyn crate::ratelimit::SharedLimiter>>,
    pub env_json: Arc<str>,
    /// Why no version is serving, shown in 503 answers until one loads.
    pub not_loaded: Mutex<Option<String>>,
    pub events: Mutex<mpsc::Sender<Event>>,
    /// The services' own HTTP routes, matched by prefix before the endpoints.
    pub routes: Vec<Arc<dyn crate::service::Routes>>,
    /// The title and version of the OpenAPI document (package.json).
    pub api_info: palbase_openapi::Info,
}

impl Shared {
    /// A `Shared` for one-off tools (no server): no ops, no listener.
    pub(crate) fn for_tools(settings: Settings, env_json: Arc<str>) -> Self {
        let (tx, _) = mpsc::channel();
        Self {
            settings,
            ops: Arc::new(OpRegistry::new()),
            auth: Arc::new(Verifier::none()),
            limiters: Limiters::default(),
            shared_limiter: None,
            env_json,
            not_loaded: Mutex::new(None),
            events: Mutex::new(tx),
            routes: Vec::new(),
            api_info: palbase_openapi::Info { title: String::new(), version: String::new() },
        }
    }
}

/// The route table: the endpoints, then the webhooks (`POST /webhooks/<name>`, served by the
/// webhooks service), then the OpenAPI document.
pub(crate) fn route_rows(graph: &ProjectGraph, metas: &[EndpointMeta]) -> Vec<RouteRow> {
    let mut rows: Vec<RouteRow> = graph
        .routes
        .iter()
        .zip(metas)
        .map(|(r, m)| RouteRow { method: r.method.clone(), path: r.path.clone(), file: r.file.clone(), auth: m.auth.as_ref().map(|a| a.role.clone()), rate_limit: m.rate_limit.as_ref().map(|rl| (rl.max, rl.window)) })
        .collect();
    for b in graph.background.iter().filter(|b| b.kind == palbase_project::kinds::Kind::Webhook) {
        let name = palbase_project::kinds::webhook_name(&b.file);
        rows.push(RouteRow { method: "POST".into(), path: format!("/webhooks/{name}"), file: b.file.clone(), auth: None, rate_limit: None });
    }
    if !graph.routes.is_empty() {
        rows.push(RouteRow { method: "GET".into(), path: crate::openapi::PATH.into(), file: "(the OpenAPI 3.1 document of these routes)".into(), auth: None, rate_limit: None });
    }
    rows
}

/// Serves the project until the process is stopped.
pub fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    let s = &opts.settings;
    palbase_engine::fetch::apply(&s.fetch).map_err(|e| anyhow::anyhow!("palbase.toml: {e}"))?;
    let addr: SocketAddr = format!("{}:{}", s.server.host, s.server.port).parse().context("invalid host/port")?;
    // One listening socket; the acceptor hands each connection to a worker that is not stuck in
    // JavaScript (accept.rs).
    let first = listener(addr).with_context(|| format!("cannot listen on {addr}: is another server using the port? (try --port)"))?;
    let local = first.local_addr()?;
    let threads = if s.server.threads == 0 { std::thread::available_parallelism().map_or(2, |n| n.get()) } else { s.server.threads };

    let emit = &opts.on_event;
    emit(ServeEvent::Listening { root: opts.root.clone(), addr: local, threads });
    opts.services.listening(local);
    let (events_tx, events_rx) = mpsc::channel::<Event>();
    let shared = Arc::new(Shared {
        settings: opts.settings.clone(),
        ops: opts.ops.clone(),
        auth: opts.auth.clone(),
        limiters: Limiters::default(),
        shared_limiter: opts.shared_limiter.clone(),
        env_json: opts.env_json.clone(),
        not_loaded: Mutex::new(Some("the project is still loading".into())),
        events: Mutex::new(events_tx.clone()),
        routes: opts.services.routes(),
        api_info: crate::openapi::info(&opts.root),
    });

    let started = Instant::now();
    let mut compiler = Compiler::new(opts.root.clone(), palbase_engine::loader::builtin);
    let (version_tx, version_rx) = watch::channel::<Option<Arc<Version>>>(None);
    // A version's graph goes to the workers as soon as it is compiled: they create its engines
    // (the first hands back the schema), the coordinator migrates and loads the background
    // code, and they serve it once it is published.
    let (prepare_tx, prepare_rx) = watch::channel::<Option<Arc<Prepare>>>(None);
    let mut next_id = 1;
    let services = opts.services.clone();
    let background = crate::background::BackgroundHost::start(shared.clone())?;
    let mut publish = |compiler: &mut Compiler, shared: &Shared| -> Option<(u64, Instant)> {
        let t0 = Instant::now();
        let built = compiler.build().and_then(|g| {
            let g = Arc::new(g);
            let (prepare, loaded) = Prepare::new(g.clone());
            let _ = prepare_tx.send(Some(prepare));
            let schema = match g.schema {
                None => None,
                // The sender lives as long as `prepare_tx` holds this graph: `recv` ends with
                // a worker's report (a worker that stops ends the process).
                Some(_) => Some(loaded.recv().unwrap_or_else(|_| Err(vec![palbase_project::ProjectError::new("db/schema.ts", "no worker loaded the project")])).map_err(ProjectErrors)?),
            };
            let metas = if g.background.is_empty() { Vec::new() } else { background.load(g.clone()).map_err(ProjectErrors)? };
            for n in services.on_version(&VersionContext { graph: &g, schema: schema.as_ref(), background: &metas })? {
                emit(ServeEvent::Notice(n));
            }
            Version::new(next_id, g)
        });
        match built {
            Ok(v) => {
                next_id += 1;
                let id = v.id;
                let _ = version_tx.send(Some(Arc::new(v)));
                Some((id, t0))
            }
            Err(errors) => {
                // The workers drop what they prepared for it.
                let _ = prepare_tx.send(None);
                let mut nl = shared.not_loaded.lock().unwrap_or_else(|p| p.into_inner());
                let keeps_serving = nl.is_none();
                if !keeps_serving {
                    *nl = Some(errors.to_string());
                }
                drop(nl);
                emit(ServeEvent::LoadFailed { errors, keeps_serving });
                None
            }
        }
    };
    let max_connections = connection_budget(s.server.max_connections);
    let all = Arc::new(crate::accept::Connections::new(max_connections));
    let lanes: Arc<[Arc<crate::accept::Lane>]> = (0..threads).map(|_| Arc::new(crate::accept::Lane::default())).collect();
    for (i, lane) in lanes.iter().enumerate() {
        let rx = version_rx.clone();
        let prepare = prepare_rx.clone();
        let sh = shared.clone();
        let (lane, all) = (lane.clone(), all.clone());
        std::thread::Builder::new().name(format!("palbase-worker-{i}")).stack_size(16 << 20).spawn(move || {
            if let Err(e) = worker::run(lane, all, rx, prepare, sh) {
                eprintln!("error: worker {i} stopped: {e:#}");
                std::process::exit(1);
            }
        })?;
    }
    let mut pending = publish(&mut compiler, &shared);
    let executor: Arc<dyn palbase_queue::Executor> = background.clone();
    opts.services.start(&executor);

    std::thread::Builder::new().name("palbase-accept".into()).spawn(move || {
        if let Err(e) = crate::accept::run(first, lanes, all) {
            eprintln!("error: the acceptor stopped: {e:#}");
            std::process::exit(1);
        }
    })?;

    spawn_signal_thread(events_tx.clone());
    let _watcher = if opts.watch { Some(watch_files(&opts.root, events_tx.clone())?) } else { None };

    let mut reports: Vec<Report> = Vec::new();
    let mut first = true;
    loop {
        let ev = match events_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(ev) => ev,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                shared.limiters.shrink_all();
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        match ev {
            Event::Shutdown => {
                // Stop taking jobs; running ones get a grace period, the rest stay leased and are
                // picked up again after their lease (by this or another instance).
                emit(ServeEvent::ShuttingDown);
                opts.services.shutdown(Duration::from_secs(10));
                return Ok(());
            }
            Event::Changed(paths) => {
                emit(ServeEvent::Changed(paths.iter().map(|p| palbase_project::rel_id(&opts.root, p)).collect()));
                if let Some(p) = publish(&mut compiler, &shared) {
                    pending = Some(p);
                    reports.clear();
                }
            }
            Event::Report(r) => {
                let Some((id, t0)) = pending else { continue };
                if r.version != id {
                    continue;
                }
                reports.push(r);
                if reports.len() < threads {
                    continue;
                }
                pending = None;
                let failed = reports.iter().find_map(|r| r.result.as_ref().err());
                match failed {
                    Some(errors) => {
                        let errors = ProjectErrors(errors.clone());
                        if first {
                            *shared.not_loaded.lock().unwrap_or_else(|p| p.into_inner()) = Some(errors.to_string());
                        }
                        emit(ServeEvent::LoadFailed { errors, keeps_serving: !first });
                    }
                    None => {
                        *shared.not_loaded.lock().unwrap_or_else(|p| p.into_inner()) = None;
                        let metas = reports[0].result.as_ref().map(Vec::as_slice).unwrap_or_default();
                        let graph = version_rx.borrow().clone();
                        if let Some(v) = graph {
                            let routes = route_rows(&v.graph, metas);
                            emit(if first { ServeEvent::Ready { routes, elapsed: started.elapsed() } } else { ServeEvent::Reloaded { routes, elapsed: t0.elapsed() } });
                        }
                        // The compiler's and loader's code is not needed until the next change.
                        crate::code_pages::release();
                        first = false;
                    }
                }
                reports.clear();
            }
        }
    }
}

/// Evaluates `db/schema.ts` and returns its default export as JSON.
pub(crate) fn eval_schema(graph: &ProjectGraph, shared: &Shared) -> Result<serde_json::Value, ProjectErrors> {
    let fail = |m: String| ProjectErrors(vec![palbase_project::ProjectError::new("db/schema.ts", m)]);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| fail(e.to_string()))?;
    let local = tokio::task::LocalSet::new();
    let graph = Arc::new(ProjectGraph { schema: graph.schema.clone(), modules: graph.modules.clone(), ..Default::default() });
    let config = crate::worker::engine_config(&shared.settings, palbase_engine::Role::Schema, shared.env_json.clone());
    let r = local.block_on(&rt, async { palbase_engine::Engine::new(graph, shared.ops.clone(), config).await.map(|(_, schema)| schema) });
    r.map_err(|e| ProjectErrors(e.0))
}

fn spawn_signal_thread(tx: mpsc::Sender<Event>) {
    let _ = std::thread::Builder::new().name("palbase-signals".into()).spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        rt.block_on(async {
            let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) else { return };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        });
        let _ = tx.send(Event::Shutdown);
    });
}

fn listener(addr: SocketAddr) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// `max_connections`, within what the file descriptor limit allows: the soft limit is raised
/// to the hard one, and a margin is kept for files, the database and outgoing connections.
fn connection_budget(max: usize) -> usize {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut l = getrlimit(Resource::Nofile);
    if l.current < l.maximum {
        l.current = l.maximum;
        let _ = setrlimit(Resource::Nofile, l);
    }
    let fds = getrlimit(Resource::Nofile).current.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let budget = fds.saturating_sub(256).max(16);
    if max > budget {
        tracing::warn!(target: "palbase::server", "max_connections = {max} exceeds what the file descriptor limit ({fds}) allows: at most {budget} connections");
    }
    max.min(budget)
}

fn watch_files(root: &std::path::Path, tx: mpsc::Sender<Event>) -> anyhow::Result<impl Drop> {
    use notify_debouncer_full::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
    let root_c = root.to_path_buf();
    let mut debouncer = new_debouncer(Duration::from_millis(30), None, move |res: DebounceEventResult| {
        let Ok(events) = res else { return };
        let mut paths: Vec<PathBuf> = events.iter().filter(|e| !e.kind.is_access()).flat_map(|e| e.paths.iter().cloned()).filter(|p| palbase_project::watched(p.strip_prefix(&root_c).unwrap_or(p))).collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = tx.send(Event::Changed(paths));
        }
    })?;
    debouncer.watch(root, RecursiveMode::Recursive)?;
    Ok(debouncer)
}
