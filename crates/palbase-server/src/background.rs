//! Workers and cron jobs run in their own thread and JS engine (role `Background`): the `ctx`
//! model, apart from the request path. The queue (palbase-queue) decides *what* runs and when;
//! this host is its [`palbase_queue::Executor`]: it runs one task in the engine and reports.

use std::{cell::RefCell, rc::Rc, sync::Arc, time::Duration};

use palbase_engine::{BackgroundMeta, Engine, Outcome, Role};
use palbase_project::{ProjectError, graph::ProjectGraph};
use palbase_queue::{Executor, Task};
use tokio::sync::{mpsc, oneshot};

use crate::coordinator::Shared;

enum Cmd {
    Load(Arc<ProjectGraph>, std::sync::mpsc::Sender<Result<Vec<BackgroundMeta>, Vec<ProjectError>>>),
    Run(Task, oneshot::Sender<Result<(), String>>),
}

pub struct BackgroundHost {
    tx: mpsc::UnboundedSender<Cmd>,
}

impl BackgroundHost {
    pub(crate) fn start(shared: Arc<Shared>) -> std::io::Result<Arc<Self>> {
        let (tx, mut rx) = mpsc::unbounded_channel::<Cmd>();
        std::thread::Builder::new().name("palbase-background".into()).stack_size(16 << 20).spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            let local = tokio::task::LocalSet::new();
            local.block_on(&rt, async move {
                let current: Rc<RefCell<Option<Rc<Engine>>>> = Rc::default();
                while let Some(cmd) = rx.recv().await {
                    match cmd {
                        Cmd::Load(graph, reply) => {
                            // Long enough for any worker: each run carries its own deadline.
                            let mut config = crate::worker::engine_config(&shared.settings, Role::Background, shared.env_json.clone());
                            config.cpu_limit = Duration::from_secs(3600);
                            let r = Engine::new(graph, shared.ops.clone(), config).await;
                            let _ = reply.send(match r {
                                Ok((engine, _)) => {
                                    let metas = engine.background.clone();
                                    current.replace(Some(Rc::new(engine)));
                                    Ok(metas)
                                }
                                Err(e) => Err(e.0),
                            });
                        }
                        Cmd::Run(task, reply) => {
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
        Ok(Arc::new(Self { tx }))
    }

    /// Loads the project's `workers/` and `jobs/` into a fresh engine (blocking); the previous
    /// engine keeps running tasks already started.
    pub(crate) fn load(&self, graph: Arc<ProjectGraph>) -> Result<Vec<BackgroundMeta>, Vec<ProjectError>> {
        let (tx, rx) = std::sync::mpsc::channel();
        if self.tx.send(Cmd::Load(graph, tx)).is_err() {
            return Err(vec![ProjectError::new("workers", "the background thread stopped")]);
        }
        rx.recv().unwrap_or_else(|_| Err(vec![ProjectError::new("workers", "the background thread stopped")]))
    }
}

impl Executor for BackgroundHost {
    fn run(&self, task: Task) -> std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>> {
        let (tx, rx) = oneshot::channel();
        let sent = self.tx.send(Cmd::Run(task, tx));
        Box::pin(async move {
            if sent.is_err() {
                return Err("the background thread stopped".into());
            }
            rx.await.unwrap_or_else(|_| Err("the background engine was replaced while the task ran".into()))
        })
    }
}
