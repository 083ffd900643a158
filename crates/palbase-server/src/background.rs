//! Workers and cron jobs run in their own threads and JS engines (role `Background`): the `ctx`
//! model, apart from the request path. The queue (palbase-queue) decides *what* runs and when;
//! this host is its [`palbase_queue::Executor`]: it runs one task in the engine and reports.

use std::{
    cell::RefCell,
    rc::Rc,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use palbase_engine::{Activity, BackgroundMeta, Engine, Outcome, Role};
use palbase_project::{ProjectError, graph::ProjectGraph};
use palbase_queue::{Executor, Task};
use tokio::sync::{mpsc, oneshot};

use crate::coordinator::Shared;

enum Cmd {
    /// A new version of the project. With a reply: load it now and answer with its background
    /// code; without: load it before the next task (see [`BackgroundHost::start`]).
    Load(Arc<ProjectGraph>, Option<std::sync::mpsc::Sender<Result<Vec<BackgroundMeta>, Vec<ProjectError>>>>),
    Run(Task, oneshot::Sender<Result<(), String>>),
}

/// One background thread and its engine.
struct Lane {
    tx: mpsc::UnboundedSender<Cmd>,
    activity: Arc<Activity>,
    /// Tasks handed to it and not finished.
    running: Arc<AtomicUsize>,
}

/// `[server] background_threads` threads, each with its own engine: a task goes to one whose
/// engine is not stuck in a long stretch of JavaScript, the least busy, so a spinning worker
/// holds its own thread only (and at most `limits.cpu_limit_ms` at a time).
pub struct BackgroundHost {
    lanes: Vec<Lane>,
}

impl BackgroundHost {
    /// The first thread loads each version at once (its result is the version's background
    /// code, or its errors); the others only when a task first goes to them, which happens when
    /// the first is busy or stuck: an engine is ~4 MiB that a project without concurrent jobs
    /// never needs.
    pub(crate) fn start(shared: Arc<Shared>) -> std::io::Result<Arc<Self>> {
        let n = shared.settings.server.background_threads.max(1);
        let lanes = (0..n).map(|i| Self::start_lane(i, shared.clone())).collect::<std::io::Result<Vec<_>>>()?;
        Ok(Arc::new(Self { lanes }))
    }

    fn start_lane(index: usize, shared: Arc<Shared>) -> std::io::Result<Lane> {
        let (tx, mut rx) = mpsc::unbounded_channel::<Cmd>();
        let activity = Arc::new(Activity::default());
        let act = activity.clone();
        std::thread::Builder::new().name(format!("palbase-background-{index}")).stack_size(16 << 20).spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            let local = tokio::task::LocalSet::new();
            local.block_on(&rt, async move {
                let current: Rc<RefCell<Option<Rc<Engine>>>> = Rc::default();
                let mut deferred: Option<Arc<ProjectGraph>> = None;
                let load = |graph: Arc<ProjectGraph>| {
                    // Each run carries its own deadline; a stretch of JavaScript is bounded by
                    // the CPU limit, as in handlers.
                    let mut config = crate::worker::engine_config(&shared.settings, Role::Background, shared.env_json.clone());
                    config.cpu_limit = Duration::from_millis(shared.settings.limits.cpu_limit_ms.max(1));
                    config.activity = Some(act.clone());
                    Engine::new(graph, shared.ops.clone(), config)
                };
                while let Some(cmd) = rx.recv().await {
                    match cmd {
                        Cmd::Load(graph, Some(reply)) => {
                            let r = load(graph).await;
                            let _ = reply.send(match r {
                                Ok((engine, _)) => {
                                    let metas = engine.background.clone();
                                    current.replace(Some(Rc::new(engine)));
                                    Ok(metas)
                                }
                                Err(e) => Err(e.0),
                            });
                        }
                        Cmd::Load(graph, None) => {
                            current.replace(None);
                            deferred = Some(graph);
                        }
                        Cmd::Run(task, reply) => {
                            if let Some(graph) = deferred.take()
                                && let Ok((engine, _)) = load(graph).await
                            {
                                current.replace(Some(Rc::new(engine)));
                            }
                            let engine = current.borrow().clone();
                            let ops = shared.ops.clone();
                            tokio::task::spawn_local(async move {
                                let Some(engine) = engine else {
                                    let _ = reply.send(Err("no background code is loaded".into()));
                                    return;
                                };
                                let (worker, name, payload, run_id, timeout) = match task {
                                    Task::Worker { name, payload, job_id, timeout, .. } => (true, name, Some(payload.to_string()), job_id, timeout),
                                    Task::Job { name, run_id, timeout } => (false, name, None, run_id, timeout),
                                };
                                let out = engine.run_background(worker, &name, payload, Rc::from(run_id.as_str()), timeout).await;
                                ops.request_ended(&run_id);
                                let _ = reply.send(match out {
                                    Outcome::Success { .. } => Ok(()),
                                    Outcome::Error(e) if e.code == "timeout" => Err(format!("timed out after {} ms", timeout.as_millis())),
                                    Outcome::Error(e) => Err(e.description),
                                });
                            });
                        }
                    }
                }
            });
        })?;
        Ok(Lane { tx, activity, running: Arc::default() })
    }

    /// Loads the project's `workers/` and `jobs/` into a fresh engine on the first background
    /// thread (blocking) and hands the version to the others, which load it before their next
    /// task; the previous engines keep running tasks already started.
    pub(crate) fn load(&self, graph: Arc<ProjectGraph>) -> Result<Vec<BackgroundMeta>, Vec<ProjectError>> {
        let stopped = || vec![ProjectError::new("workers", "the background thread stopped")];
        let (first, rest) = self.lanes.split_first().ok_or_else(stopped)?;
        let (tx, rx) = std::sync::mpsc::channel();
        if first.tx.send(Cmd::Load(graph.clone(), Some(tx))).is_err() {
            return Err(stopped());
        }
        let r = rx.recv().unwrap_or_else(|_| Err(stopped()));
        // A version that failed to load is not published: every thread keeps the engine it has.
        if r.is_ok() {
            for lane in rest {
                let _ = lane.tx.send(Cmd::Load(graph.clone(), None));
            }
        }
        r
    }

    /// The thread for the next task: not stuck, fewest tasks running; when every thread is in
    /// a stretch of JavaScript, the one whose stretch began last. A short stretch is ordinary
    /// work (a thread loading its engine for its first task takes milliseconds); a long one is
    /// likely a runaway task, which holds its thread until the CPU limit. (New connections,
    /// which another worker can take over, go the other way: accept.rs.)
    fn pick(&self) -> &Lane {
        let now = Instant::now();
        let key = |l: &Lane| (l.activity.stuck_for(now, crate::accept::STUCK).unwrap_or(Duration::ZERO), l.running.load(Ordering::Relaxed));
        self.lanes.iter().min_by_key(|l| key(l)).unwrap_or(&self.lanes[0])
    }
}

/// Counts a task as running on its lane until dropped.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Executor for BackgroundHost {
    fn run(&self, task: Task) -> std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>> {
        let (tx, rx) = oneshot::channel();
        let lane = self.pick();
        lane.running.fetch_add(1, Ordering::Relaxed);
        let running = Running(lane.running.clone());
        let sent = lane.tx.send(Cmd::Run(task, tx));
        Box::pin(async move {
            let _running = running;
            if sent.is_err() {
                return Err("the background thread stopped".into());
            }
            rx.await.unwrap_or_else(|_| Err("the background engine was replaced while the task ran".into()))
        })
    }
}
