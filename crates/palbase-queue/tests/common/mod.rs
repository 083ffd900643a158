//! The queue suites' harness: one throwaway database per test on either backend (the generic
//! parts — backends, the skip rule, temp dirs, PostgreSQL, waiting — are palbase-testkit's), a
//! test [`Executor`] made of closures (it stands in for the JS engine, not for the database), and
//! op calls made the way the engine makes them.

#![allow(dead_code, clippy::result_large_err)]

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use palbase_core::ApiError;
use palbase_core::ops::OpRegistry;
use palbase_db::{Db, MigrateOptions};
use palbase_queue::{Executor, JobInfo, ListFilter, Queue, QueueOptions, Task};
use palbase_testkit::TestDb;
use serde_json::{Value, json};

pub use palbase_testkit::DbKind as Kind;
pub use palbase_testkit::ops::call;
pub use palbase_testkit::wait_for;

/// One database (and its data directory) per test.
pub struct Harness {
    pub kind: Kind,
    db: Option<Arc<Db>>,
    store: TestDb,
    pub rt: tokio::runtime::Runtime,
}

impl Harness {
    pub fn new(kind: Kind) -> Harness {
        let store = TestDb::new(kind);
        let db = Db::open(store.url(), store.dir()).expect("open");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        Harness { kind, db: Some(db), store, rt }
    }

    pub fn db(&self) -> &Arc<Db> {
        self.db.as_ref().unwrap()
    }

    pub fn url(&self) -> Option<String> {
        self.store.url().map(str::to_owned)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.store.dir().to_path_buf()
    }

    pub fn store(&self) -> &TestDb {
        &self.store
    }

    /// Another `Db` on the same database (another instance of the server).
    pub fn open_another(&self) -> Arc<Db> {
        Db::open(self.store.url(), self.store.dir()).expect("open another")
    }

    pub fn queue(&self, opts: QueueOptions) -> Arc<Queue> {
        Queue::open(self.db().clone(), opts).expect("open queue")
    }

    /// A queue on its own `Db` (another instance).
    pub fn queue_instance(&self, opts: QueueOptions) -> Arc<Queue> {
        Queue::open(self.open_another(), opts).expect("open queue")
    }

    pub fn migrate(&self, schema: &Value) {
        self.db().migrate(schema, MigrateOptions::default()).expect("migrate");
    }

    /// A registry with the `db.*` ops and `queue.push` of `queue`.
    pub fn registry(&self, queue: &Arc<Queue>) -> OpRegistry {
        let mut reg = OpRegistry::new();
        palbase_db::register_ops(&mut reg, self.db().clone());
        palbase_queue::register_ops(&mut reg, queue.clone());
        reg
    }

    pub fn call(&self, reg: &OpRegistry, request: Option<&str>, name: &str, args: Value) -> Result<Value, ApiError> {
        call(reg, &self.rt, request, name, args)
    }

    pub fn block<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    pub fn jobs(&self, q: &Queue, filter: ListFilter) -> Vec<JobInfo> {
        self.block(q.list(filter)).unwrap()
    }

    pub fn job(&self, q: &Queue, id: &str) -> JobInfo {
        self.block(q.get(id)).unwrap().unwrap_or_else(|| panic!("no job {id}"))
    }

    pub fn count(&self, q: &Queue) -> usize {
        self.jobs(q, ListFilter { limit: 1_000_000, ..Default::default() }).len()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // The pool's connections go before the database does.
        self.db = None;
    }
}

pub type TaskFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// A test executor: records every task, then runs a closure.
pub struct Exec {
    log: Mutex<Vec<(Instant, Task)>>,
    f: Box<dyn Fn(Task) -> TaskFuture + Send + Sync>,
}

impl Exec {
    pub fn new(f: impl Fn(Task) -> TaskFuture + Send + Sync + 'static) -> Arc<Exec> {
        Arc::new(Exec { log: Mutex::new(Vec::new()), f: Box::new(f) })
    }

    /// Succeeds at once.
    pub fn ok() -> Arc<Exec> {
        Exec::new(|_| Box::pin(async { Ok(()) }))
    }

    /// Fails every time with "boom <attempt>".
    pub fn failing() -> Arc<Exec> {
        Exec::new(|t| {
            let a = match &t {
                Task::Worker { attempt, .. } => *attempt,
                Task::Job { .. } => 0,
            };
            Box::pin(async move { Err(format!("boom {a}")) })
        })
    }

    /// Never returns.
    pub fn stuck() -> Arc<Exec> {
        Exec::new(|_| Box::pin(std::future::pending()))
    }

    pub fn tasks(&self) -> Vec<Task> {
        self.log.lock().unwrap().iter().map(|(_, t)| t.clone()).collect()
    }

    pub fn timed(&self) -> Vec<(Instant, Task)> {
        self.log.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    /// Calls per job id (worker tasks) or per job name (cron runs).
    pub fn per_key(&self) -> HashMap<String, usize> {
        let mut m = HashMap::new();
        for (_, t) in self.log.lock().unwrap().iter() {
            let k = match t {
                Task::Worker { job_id, .. } => job_id.clone(),
                Task::Job { name, .. } => name.clone(),
            };
            *m.entry(k).or_default() += 1;
        }
        m
    }
}

impl Executor for Exec {
    fn run(&self, task: Task) -> TaskFuture {
        self.log.lock().unwrap().push((Instant::now(), task.clone()));
        (self.f)(task)
    }
}

/// Options for fake-clock tests: no heartbeat take-over (every instance shares the clock and
/// big jumps would make them look dead to each other).
pub fn fake_opts(clock: Arc<palbase_queue::ManualClock>) -> QueueOptions {
    QueueOptions { clock, instance_dead_after: None, ..Default::default() }
}

pub fn worker(name: &str) -> palbase_queue::WorkerSpec {
    palbase_queue::WorkerSpec::new(name)
}

pub fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

pub fn effects_schema() -> Value {
    let col = |ty: &str| json!({"type": ty, "primaryKey": false, "notNull": true, "hasDefault": false, "defaultRandom": false, "defaultNow": false});
    let mut pk = col("text");
    pk["primaryKey"] = json!(true);
    json!({"__pb": "schema", "tables": {
        "notes": {"name": "notes", "columns": {"id": pk.clone(), "body": col("text")}},
    }})
}
