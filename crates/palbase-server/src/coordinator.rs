//! Compiles the project, publishes versions to the workers and reloads on changes.

use std::{
    io::Write,
    net::{SocketAddr, TcpListener},
    path::PathBuf,
    sync::{Arc, Mutex, mpsc},
    time::{Duration, Instant},
};

use anyhow::Context as _;
use palbase_auth::Verifier;
use palbase_core::ops::OpRegistry;
use palbase_engine::EndpointMeta;
use palbase_project::{ProjectErrors, config::Settings, graph::{Compiler, ProjectGraph}, routes::Route};
use tokio::sync::watch;

use crate::{ratelimit::Limiters, worker};

pub struct ServeOptions {
    pub root: PathBuf,
    pub settings: Settings,
    pub ops: Arc<OpRegistry>,
    pub auth: Arc<Verifier>,
    /// The project's environment (`.env` + process), as a JSON object, for `ctx.env`.
    pub env_json: Arc<str>,
    /// Reload when files change.
    pub watch: bool,
    /// The queue (workers and cron jobs); started with this server's background engine.
    pub queue: Option<Arc<palbase_queue::Queue>>,
    /// The Database service, migrated to `db/schema.ts` on start and on every schema change.
    pub db: Option<Arc<palbase_db::Db>>,
    /// Called with the bound address once listening (before the first load finishes).
    pub on_listen: Option<Box<dyn FnOnce(SocketAddr) + Send>>,
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
    pub env_json: Arc<str>,
    /// Why no version is serving, shown in 503 answers until one loads.
    pub not_loaded: Mutex<Option<String>>,
    pub events: Mutex<mpsc::Sender<Event>>,
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
            env_json,
            not_loaded: Mutex::new(None),
            events: Mutex::new(tx),
        }
    }
}

fn print_errors(errors: &ProjectErrors) {
    let mut out = std::io::stderr().lock();
    let _ = writeln!(out, "{errors}");
}

pub(crate) fn route_table(routes: &[Route], metas: &[EndpointMeta]) -> String {
    let mut s = String::new();
    let w = routes.iter().map(|r| r.path.len()).max().unwrap_or(0).max(4);
    for (r, m) in routes.iter().zip(metas) {
        let mut notes = Vec::new();
        match &m.auth {
            Some(a) => notes.push(match &a.role {
                Some(role) => format!("auth: role {role}"),
                None => "auth: required".into(),
            }),
            None => {}
        }
        if let Some(rl) = &m.rate_limit {
            notes.push(format!("rate: {}/{}s", rl.max, rl.window));
        }
        let notes = if notes.is_empty() { String::new() } else { format!("  [{}]", notes.join(", ")) };
        s.push_str(&format!("  {:<6} {:<w$}  {}{}\n", r.method, r.path, r.file, notes));
    }
    if routes.is_empty() {
        s.push_str("  (no endpoints yet: add endpoints/hello/get.ts)\n");
    }
    s
}

/// Serves the project until the process is stopped.
pub fn serve(mut opts: ServeOptions) -> anyhow::Result<()> {
    let s = &opts.settings;
    let addr: SocketAddr = format!("{}:{}", s.server.host, s.server.port).parse().context("invalid host/port")?;
    // One SO_REUSEPORT socket per worker: the kernel spreads connections evenly across them (a
    // shared accept queue let one worker take most keep-alive connections). The first bind
    // resolves port 0; the others bind the port it got.
    if addr.port() != 0 {
        // SO_REUSEPORT would let us share the port with another running server: refuse instead.
        drop(TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}: is another server using the port? (try --port)"))?);
    }
    let first = reuseport_listener(addr).with_context(|| format!("cannot listen on {addr}: is another server using the port? (try --port)"))?;
    let local = first.local_addr()?;
    let threads = if s.server.threads == 0 { std::thread::available_parallelism().map_or(2, |n| n.get()) } else { s.server.threads };

    println!("palbase serving {} on http://{local} ({threads} threads)", opts.root.display());
    let (events_tx, events_rx) = mpsc::channel::<Event>();
    let shared = Arc::new(Shared {
        settings: opts.settings.clone(),
        ops: opts.ops.clone(),
        auth: opts.auth.clone(),
        limiters: Limiters::default(),
        env_json: opts.env_json.clone(),
        not_loaded: Mutex::new(Some("the project is still loading".into())),
        events: Mutex::new(events_tx.clone()),
    });

    let started = Instant::now();
    let mut compiler = Compiler::new(opts.root.clone(), palbase_engine::loader::builtin);
    let (version_tx, version_rx) = watch::channel::<Option<Arc<Version>>>(None);
    let mut next_id = 1;
    let db = opts.db.clone();
    let mut last_schema: Option<serde_json::Value> = None;
    let background = match &opts.queue {
        Some(_) => Some(crate::background::BackgroundHost::start(shared.clone())?),
        None => None,
    };
    let queue = opts.queue.clone();
    let mut publish = |compiler: &mut Compiler, shared: &Shared| -> Option<(u64, Instant)> {
        let t0 = Instant::now();
        let built = compiler.build().and_then(|g| {
            if let Some(db) = &db {
                migrate_if_changed(db, &g, shared, &mut last_schema)?;
            }
            let g = Arc::new(g);
            if let (Some(bg), Some(q)) = (&background, &queue) {
                let metas = if g.workers.is_empty() && g.jobs.is_empty() { Vec::new() } else { bg.load(g.clone()).map_err(ProjectErrors)? };
                let (workers, jobs) = crate::background::specs(&metas);
                let summary = describe_background(&workers, &jobs);
                for e in q.set_definitions(workers, jobs) {
                    eprintln!("error: {e}");
                }
                if !summary.is_empty() {
                    println!("{summary}");
                }
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
                print_errors(&errors);
                let mut nl = shared.not_loaded.lock().unwrap_or_else(|p| p.into_inner());
                if nl.is_some() {
                    *nl = Some(errors.to_string());
                }
                None
            }
        }
    };
    let mut pending = publish(&mut compiler, &shared);
    if let (Some(bg), Some(q)) = (&background, &opts.queue) {
        q.start(bg.clone());
    }

    let mut listeners = vec![first];
    for _ in 1..threads {
        listeners.push(reuseport_listener(local)?);
    }
    for (i, l) in listeners.into_iter().enumerate() {
        let rx = version_rx.clone();
        let sh = shared.clone();
        std::thread::Builder::new()
            .name(format!("palbase-worker-{i}"))
            .stack_size(16 << 20)
            .spawn(move || {
                if let Err(e) = worker::run(i, l, rx, sh) {
                    eprintln!("error: worker {i} stopped: {e:#}");
                    std::process::exit(1);
                }
            })?;
    }
    if let Some(cb) = opts.on_listen.take() {
        cb(local);
    }

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
                println!("shutting down");
                if let Some(q) = &opts.queue {
                    q.shutdown(Duration::from_secs(10));
                }
                return Ok(());
            }
            Event::Changed(paths) => {
                let names: Vec<String> = paths.iter().map(|p| palbase_project::rel_id(&opts.root, p)).collect();
                println!("change: {}", names.join(", "));
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
                        print_errors(&errors);
                        if first {
                            *shared.not_loaded.lock().unwrap_or_else(|p| p.into_inner()) = Some(errors.to_string());
                        } else {
                            eprintln!("the previous version keeps serving");
                        }
                    }
                    None => {
                        *shared.not_loaded.lock().unwrap_or_else(|p| p.into_inner()) = None;
                        let metas = reports[0].result.as_ref().map(Vec::as_slice).unwrap_or_default();
                        let graph = version_rx.borrow().clone();
                        if let Some(v) = graph {
                            if first {
                                println!("routes:\n{}ready in {} ms", route_table(&v.graph.routes, metas), started.elapsed().as_millis());
                            } else {
                                println!("reloaded in {} ms\n{}", t0.elapsed().as_millis(), route_table(&v.graph.routes, metas));
                            }
                        }
                        first = false;
                    }
                }
                let _ = std::io::stdout().flush();
                reports.clear();
            }
        }
    }
}

fn describe_background(workers: &[palbase_queue::WorkerSpec], jobs: &[palbase_queue::JobSpec]) -> String {
    let mut s = String::new();
    if !workers.is_empty() {
        s.push_str("workers:\n");
        for w in workers {
            s.push_str(&format!("  {:<24} retry {}, {} backoff{}\n", w.name, w.retry, w.backoff.as_str(), w.timeout.map(|t| format!(", timeout {}s", t.as_secs_f64())).unwrap_or_default()));
        }
    }
    if !jobs.is_empty() {
        s.push_str("jobs:\n");
        for j in jobs {
            let next = palbase_queue::Schedule::parse(&j.schedule, j.timezone.as_deref())
                .ok()
                .and_then(|sc| sc.next_after(jiff::Timestamp::now()))
                .map_or_else(|| "invalid schedule".to_string(), |t| format!("next {t}"));
            s.push_str(&format!("  {:<24} {:<14} {next}\n", j.name, j.schedule));
        }
    }
    s.trim_end().to_string()
}

/// Reads `db/schema.ts` (in a throwaway engine) and brings the database to it when it changed.
/// A migration that is refused (destructive) is printed with the command that applies it; the
/// code still reloads, against the previous schema.
fn migrate_if_changed(db: &palbase_db::Db, graph: &ProjectGraph, shared: &Shared, last: &mut Option<serde_json::Value>) -> Result<(), ProjectErrors> {
    let Some(file) = graph.schema.clone() else { return Ok(()) };
    let schema = eval_schema(graph, shared)?;
    if last.as_ref() == Some(&schema) {
        return Ok(());
    }
    match db.migrate(&schema, palbase_db::MigrateOptions::default()) {
        Ok(report) => {
            if !report.refused.is_empty() {
                let mut msg = String::from("the schema change was not applied:");
                for r in &report.refused {
                    msg.push_str(&format!("\n  - {}", r.message));
                }
                msg.push_str("\n  hint: review the change, then run `palbase migrate --accept-data-loss` to apply it");
                eprintln!("warning: {file}: {msg}");
            } else if !report.applied.is_empty() {
                println!("migrated the database ({} statement{}):", report.applied.len(), if report.applied.len() == 1 { "" } else { "s" });
                for sql in &report.applied {
                    println!("  {}", sql.lines().next().unwrap_or(""));
                }
            }
            *last = Some(schema);
            Ok(())
        }
        Err(e) => Err(ProjectErrors(vec![palbase_project::ProjectError::new(file, e.to_string())])),
    }
}

/// Evaluates `db/schema.ts` and returns its default export as JSON.
pub(crate) fn eval_schema(graph: &ProjectGraph, shared: &Shared) -> Result<serde_json::Value, ProjectErrors> {
    let fail = |m: String| ProjectErrors(vec![palbase_project::ProjectError::new("db/schema.ts", m)]);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| fail(e.to_string()))?;
    let local = tokio::task::LocalSet::new();
    let graph = Arc::new(ProjectGraph {
        schema: graph.schema.clone(),
        modules: graph.modules.clone(),
        ..Default::default()
    });
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

fn reuseport_listener(addr: SocketAddr) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.set_reuse_port(true)?;
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

fn watch_files(root: &std::path::Path, tx: mpsc::Sender<Event>) -> anyhow::Result<impl Drop> {
    use notify_debouncer_full::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
    let root_c = root.to_path_buf();
    let mut debouncer = new_debouncer(Duration::from_millis(30), None, move |res: DebounceEventResult| {
        let Ok(events) = res else { return };
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| !e.kind.is_access())
            .flat_map(|e| e.paths.iter().cloned())
            .filter(|p| {
                let rel = p.strip_prefix(&root_c).unwrap_or(p);
                !rel.components().any(|c| matches!(c.as_os_str().to_str(), Some(".palbase" | ".git" | "target")))
            })
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = tx.send(Event::Changed(paths));
        }
    })?;
    debouncer.watch(root, RecursiveMode::Recursive)?;
    Ok(debouncer)
}
