//! One worker thread: a current-thread tokio runtime, a `LocalSet`, one JS engine per loaded
//! version, and an accept loop on the shared listener.

use std::{cell::RefCell, net::TcpListener as StdListener, rc::Rc, sync::Arc, time::Duration};

use hyper::{server::conn::http1, service::service_fn};
use hyper_util::rt::TokioIo;
use palbase_engine::{Engine, EngineConfig};
use tokio::sync::watch;

use crate::{
    coordinator::{Event, Report, Shared, Version},
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

pub(crate) fn run(index: usize, listener: StdListener, mut versions: watch::Receiver<Option<Arc<Version>>>, shared: Arc<Shared>) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let worker = Rc::new(Worker { shared: shared.clone(), current: RefCell::new(None) });

        let w = worker.clone();
        tokio::task::spawn_local(async move {
            loop {
                let v = versions.borrow_and_update().clone();
                if let Some(v) = v {
                    load(&w, v, index).await;
                }
                if versions.changed().await.is_err() {
                    return;
                }
            }
        });

        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    // EMFILE and friends: back off instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let w = worker.clone();
            tokio::task::spawn_local(async move {
                let svc = service_fn(move |req| crate::http::handle(w.clone(), req, peer));
                let _ = http1::Builder::new().timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(Duration::from_secs(30)).serve_connection(TokioIo::new(stream), svc).await;
            });
        }
    })
}

pub(crate) fn engine_config(s: &palbase_project::config::Settings, role: palbase_engine::Role, env_json: Arc<str>) -> EngineConfig {
    EngineConfig {
        memory_limit: s.limits.memory_limit_mb << 20,
        stack_limit: s.limits.stack_limit_kb << 10,
        cpu_limit: Duration::from_millis(s.limits.handler_timeout_ms),
        timeout: Duration::from_millis(s.limits.handler_timeout_ms),
        role,
        env_json,
    }
}

async fn load(worker: &Worker, version: Arc<Version>, index: usize) {
    let config = engine_config(&worker.shared.settings, palbase_engine::Role::Endpoints, worker.shared.env_json.clone());
    let result = Engine::new(version.graph.clone(), worker.shared.ops.clone(), config).await;
    let report = match result {
        Ok((engine, _schema)) => {
            let limiters = version.graph.routes.iter().zip(&engine.endpoints).map(|(r, m)| m.rate_limit.map(|rl| worker.shared.limiters.get(&r.file, rl.max, rl.window))).collect();
            let metas = engine.endpoints.clone();
            worker.current.replace(Some(Rc::new(Loaded { version: version.clone(), engine, limiters, openapi: Default::default() })));
            Ok(metas)
        }
        Err(e) => Err(e.0),
    };
    let _ = index;
    let tx = worker.shared.events.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let _ = tx.send(Event::Report(Report { version: version.id, result: report }));
}
