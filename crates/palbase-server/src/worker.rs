//! One worker thread: a current-thread tokio runtime, a `LocalSet`, one JS engine per loaded
//! version, and the connections the acceptor hands it (accept.rs), each with a watchdog for the
//! keep-alive and send timeouts.

use std::{
    cell::{Cell, RefCell},
    pin::Pin,
    rc::Rc,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use hyper::{server::conn::http1, service::service_fn};
use hyper_util::rt::TokioIo;
use palbase_engine::{Engine, EngineConfig};
use palbase_project::graph::ProjectGraph;
use tokio::sync::watch;

use crate::{
    accept::{Connections, Lane, Open},
    coordinator::{Event, Prepare, Report, Shared, Version},
    ratelimit::Limiter,
};

/// A version loaded in this worker's engine.
pub(crate) struct Loaded {
    pub version: Arc<Version>,
    pub engine: Engine,
    pub limiters: Vec<Option<Arc<Limiter>>>,
    /// The OpenAPI document of this version, made at its first request.
    pub openapi: std::cell::OnceCell<Rc<str>>,
}

pub(crate) struct Worker {
    pub shared: Arc<Shared>,
    pub current: RefCell<Option<Rc<Loaded>>>,
}

/// An engine created for a version's graph before the version is published (`prepare` in
/// coordinator.rs).
type Prepared = (Arc<ProjectGraph>, Result<(Engine, serde_json::Value), palbase_engine::LoadError>);

pub(crate) fn run(lane: Arc<Lane>, all: Arc<Connections>, mut versions: watch::Receiver<Option<Arc<Version>>>, mut prepare: watch::Receiver<Option<Arc<Prepare>>>, shared: Arc<Shared>) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let worker = Rc::new(Worker { shared: shared.clone(), current: RefCell::new(None) });

        let w = worker.clone();
        let activity = lane.activity.clone();
        tokio::task::spawn_local(async move {
            // One loop for both channels: a version whose graph is being prepared waits for it.
            let mut prepared: Option<Prepared> = None;
            let (mut new_graph, mut new_version) = (true, true);
            loop {
                // A graph that arrived with (or before) its version is prepared first.
                new_graph |= prepare.has_changed().unwrap_or(false);
                new_version |= versions.has_changed().unwrap_or(false);
                if std::mem::take(&mut new_graph) {
                    let p = prepare.borrow_and_update().clone();
                    prepared = None;
                    if let Some(p) = p {
                        let engine = Engine::new(p.graph.clone(), w.shared.ops.clone(), config(&w, &activity)).await;
                        p.loaded(&engine);
                        prepared = Some((p.graph.clone(), engine));
                    }
                }
                if std::mem::take(&mut new_version) {
                    let v = versions.borrow_and_update().clone();
                    if let Some(v) = v {
                        let mine = prepared.as_ref().is_some_and(|(g, _)| Arc::ptr_eq(g, &v.graph));
                        let engine = if mine { prepared.take().map(|(_, e)| e) } else { None };
                        load(&w, v, engine, &activity).await;
                    }
                }
                tokio::select! {
                    r = prepare.changed() => {
                        if r.is_err() {
                            return;
                        }
                        new_graph = true;
                    }
                    r = versions.changed() => {
                        if r.is_err() {
                            return;
                        }
                        new_version = true;
                    }
                }
            }
        });

        let server = &shared.settings.server;
        let mut builder = http1::Builder::new();
        builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(Duration::from_millis(server.header_read_timeout_ms.max(1))).max_header_size(server.max_header_bytes.max(64));
        // hyper keeps up to 100 headers on the stack; another limit moves them to the heap.
        if server.max_headers != 100 {
            builder.max_headers(server.max_headers.max(1));
        }
        let builder = Rc::new(builder);
        let timeouts = Timeouts { keep_alive: Duration::from_millis(server.keep_alive_timeout_ms.max(1)), send: Duration::from_millis(server.send_timeout_ms.max(1)) };
        loop {
            let (stream, peer) = lane.next().await;
            let open = Open::new(lane.clone(), all.clone());
            let Ok(stream) = tokio::net::TcpStream::from_std(stream) else { continue };
            let w = worker.clone();
            let builder = builder.clone();
            tokio::task::spawn_local(async move {
                let _open = open;
                let track = Rc::new(Track::default());
                let t = track.clone();
                let svc = service_fn(move |req| {
                    let busy = InFlight::new(t.clone());
                    let w = w.clone();
                    async move {
                        let _busy = busy;
                        crate::http::handle(w, req, peer).await
                    }
                });
                let conn = builder.serve_connection(TokioIo::new(Tracked { io: stream, track: track.clone() }), svc);
                tokio::select! {
                    _ = conn => {}
                    _ = watchdog(&track, timeouts) => {}
                }
            });
        }
    })
}

#[derive(Clone, Copy)]
struct Timeouts {
    keep_alive: Duration,
    send: Duration,
}

/// What a connection's watchdog looks at: progress of reads and writes, a write waiting for the
/// client, requests in progress.
#[derive(Default)]
struct Track {
    reads: Cell<u64>,
    writes: Cell<u64>,
    write_blocked: Cell<bool>,
    in_flight: Cell<u32>,
}

struct InFlight(Rc<Track>);

impl InFlight {
    fn new(t: Rc<Track>) -> Self {
        t.in_flight.set(t.in_flight.get() + 1);
        Self(t)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.set(self.0.in_flight.get() - 1);
    }
}

/// Ends when the connection should be closed: idle (no request in progress, no byte received)
/// for the keep-alive timeout, or a response stuck for the send timeout because the client
/// takes nothing. (The request head's own deadline is hyper's header read timeout.)
async fn watchdog(t: &Track, to: Timeouts) {
    let tick = (to.keep_alive.min(to.send) / 4).max(Duration::from_millis(5));
    let mut last = (t.reads.get(), t.writes.get());
    let mut quiet = Duration::ZERO;
    loop {
        tokio::time::sleep(tick).await;
        let now = (t.reads.get(), t.writes.get());
        if now != last {
            last = now;
            quiet = Duration::ZERO;
            continue;
        }
        quiet += tick;
        if t.write_blocked.get() {
            if quiet >= to.send {
                return;
            }
        } else if t.in_flight.get() == 0 && quiet >= to.keep_alive {
            return;
        }
    }
}

/// The socket, counting progress for the watchdog.
struct Tracked {
    io: tokio::net::TcpStream,
    track: Rc<Track>,
}

impl tokio::io::AsyncRead for Tracked {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut tokio::io::ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let r = Pin::new(&mut self.io).poll_read(cx, buf);
        if r.is_ready() {
            let t = &self.track;
            t.reads.set(t.reads.get() + 1);
        }
        r
    }
}

impl Tracked {
    fn wrote<T>(&self, r: Poll<std::io::Result<T>>) -> Poll<std::io::Result<T>> {
        let t = &self.track;
        match &r {
            Poll::Pending => t.write_blocked.set(true),
            Poll::Ready(_) => {
                t.write_blocked.set(false);
                t.writes.set(t.writes.get() + 1);
            }
        }
        r
    }
}

impl tokio::io::AsyncWrite for Tracked {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.io).poll_write(cx, buf);
        self.wrote(r)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[std::io::IoSlice<'_>]) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.wrote(r)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

pub(crate) fn engine_config(s: &palbase_project::config::Settings, role: palbase_engine::Role, env_json: Arc<str>) -> EngineConfig {
    EngineConfig {
        memory_limit: s.limits.memory_limit_mb << 20,
        stack_limit: s.limits.stack_limit_kb << 10,
        cpu_limit: Duration::from_millis(s.limits.cpu_limit_ms.clamp(1, s.limits.handler_timeout_ms.max(1))),
        timeout: Duration::from_millis(s.limits.handler_timeout_ms),
        role,
        env_json,
        activity: None,
    }
}

fn config(worker: &Worker, activity: &Arc<palbase_engine::Activity>) -> EngineConfig {
    let mut config = engine_config(&worker.shared.settings, palbase_engine::Role::Endpoints, worker.shared.env_json.clone());
    config.activity = Some(activity.clone());
    config
}

/// Serves `version` from now on: with the engine prepared for its graph, or a new one.
async fn load(worker: &Worker, version: Arc<Version>, prepared: Option<Result<(Engine, serde_json::Value), palbase_engine::LoadError>>, activity: &Arc<palbase_engine::Activity>) {
    let result = match prepared {
        Some(r) => r,
        None => Engine::new(version.graph.clone(), worker.shared.ops.clone(), config(worker, activity)).await,
    };
    let report = match result {
        Ok((engine, _schema)) => {
            let limiters = version.graph.routes.iter().zip(&engine.endpoints).map(|(r, m)| m.rate_limit.map(|rl| worker.shared.limiters.get(&r.file, rl.max, rl.window))).collect();
            let metas = engine.endpoints.clone();
            worker.current.replace(Some(Rc::new(Loaded { version: version.clone(), engine, limiters, openapi: Default::default() })));
            Ok(metas)
        }
        Err(e) => Err(e.0),
    };
    let tx = worker.shared.events.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let _ = tx.send(Event::Report(Report { version: version.id, result: report }));
}
