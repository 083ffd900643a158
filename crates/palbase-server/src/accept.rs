//! The acceptor: one thread accepts every connection and hands it to a worker thread that is not
//! stuck in JavaScript, the one with the fewest open connections.
//!
//! A worker thread runs JavaScript synchronously: while one handler spins, nothing else on that
//! thread runs, not even its accept loop. With one listening socket per worker (SO_REUSEPORT),
//! the kernel kept queueing about half of the new connections behind a spinning handler. Here a
//! worker only receives connections through its inbox, the acceptor skips a worker whose engine
//! has been running one stretch of JavaScript for longer than [`STUCK`], and connections left in
//! the inbox of a worker that got stuck after they were handed over are moved to another one.
//! Connections a worker already serves (keep-alive) stay with it: their next request waits at
//! most `limits.cpu_limit_ms`, the longest uninterrupted stretch of JavaScript.

use std::{
    collections::VecDeque,
    net::{SocketAddr, TcpListener, TcpStream},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use palbase_engine::Activity;
use tokio::sync::Notify;

/// A worker running one stretch of JavaScript for longer than this gets no new connections.
pub(crate) const STUCK: Duration = Duration::from_millis(2);

/// One worker thread as the acceptor sees it.
#[derive(Default)]
pub(crate) struct Lane {
    inbox: Mutex<VecDeque<(TcpStream, SocketAddr)>>,
    queued: AtomicUsize,
    wake: Notify,
    /// Open connections of this worker (handed over and not yet closed).
    conns: AtomicUsize,
    /// Whether its engines are running JavaScript (written by them).
    pub activity: Arc<Activity>,
}

impl Lane {
    fn push(&self, c: (TcpStream, SocketAddr)) {
        self.inbox.lock().unwrap_or_else(|p| p.into_inner()).push_back(c);
        self.queued.fetch_add(1, Ordering::Relaxed);
        self.wake.notify_one();
    }

    fn pop(&self) -> Option<(TcpStream, SocketAddr)> {
        let c = self.inbox.lock().unwrap_or_else(|p| p.into_inner()).pop_front();
        if c.is_some() {
            self.queued.fetch_sub(1, Ordering::Relaxed);
        }
        c
    }

    /// The next connection handed to this worker (called on the worker's thread).
    pub(crate) async fn next(&self) -> (TcpStream, SocketAddr) {
        loop {
            if let Some(c) = self.pop() {
                return c;
            }
            self.wake.notified().await;
        }
    }
}

/// Every open connection, across the workers.
pub(crate) struct Connections {
    open: AtomicUsize,
    freed: Notify,
    pub max: usize,
}

impl Connections {
    pub(crate) fn new(max: usize) -> Self {
        Self { open: AtomicUsize::new(0), freed: Notify::new(), max: max.max(1) }
    }
}

/// Held by a connection's task while it is open.
pub(crate) struct Open {
    lane: Arc<Lane>,
    all: Arc<Connections>,
}

impl Open {
    pub(crate) fn new(lane: Arc<Lane>, all: Arc<Connections>) -> Self {
        Self { lane, all }
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.lane.conns.fetch_sub(1, Ordering::Relaxed);
        if self.all.open.fetch_sub(1, Ordering::AcqRel) >= self.all.max {
            self.all.freed.notify_one();
        }
    }
}

/// The worker for a new connection: not stuck, fewest connections (if every worker is stuck,
/// the one that has been stuck longest, which its CPU limit frees first).
fn pick(lanes: &[Arc<Lane>], now: Instant) -> usize {
    let mut best = 0;
    let mut best_key = (Duration::MAX, usize::MAX);
    for (i, l) in lanes.iter().enumerate() {
        let stuck = l.activity.stuck_for(now, STUCK).map_or(Duration::ZERO, |d| Duration::MAX - d);
        let key = (stuck, l.conns.load(Ordering::Relaxed));
        if key < best_key {
            best_key = key;
            best = i;
        }
    }
    best
}

fn assign(lanes: &[Arc<Lane>], c: (TcpStream, SocketAddr)) {
    let i = pick(lanes, Instant::now());
    lanes[i].conns.fetch_add(1, Ordering::Relaxed);
    lanes[i].push(c);
}

/// Moves the connections waiting in the inbox of a worker that got stuck to the others.
fn rebalance(lanes: &[Arc<Lane>]) {
    let now = Instant::now();
    // Every worker stuck: the connections stay where they are.
    if lanes[pick(lanes, now)].activity.stuck_for(now, STUCK).is_some() {
        return;
    }
    for l in lanes {
        if l.queued.load(Ordering::Relaxed) == 0 || l.activity.stuck_for(now, STUCK).is_none() {
            continue;
        }
        while let Some(c) = l.pop() {
            l.conns.fetch_sub(1, Ordering::Relaxed);
            assign(lanes, c);
        }
    }
}

/// Accepts connections until the process ends.
pub(crate) fn run(listener: TcpListener, lanes: Arc<[Arc<Lane>]>, all: Arc<Connections>) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        loop {
            let waiting = lanes.iter().any(|l| l.queued.load(Ordering::Relaxed) > 0);
            if all.open.load(Ordering::Acquire) >= all.max {
                // Full: new connections wait in the backlog until one closes.
                tokio::select! {
                    _ = all.freed.notified() => {}
                    _ = tokio::time::sleep(Duration::from_millis(1)), if waiting => rebalance(&lanes),
                }
                continue;
            }
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    // The worker registers the socket with its own reactor.
                    Ok((stream, peer)) => match stream.into_std() {
                        Ok(stream) => {
                            let _ = stream.set_nodelay(true);
                            all.open.fetch_add(1, Ordering::AcqRel);
                            assign(&lanes, (stream, peer));
                        }
                        Err(e) => tracing::warn!("accept failed: {e}"),
                    },
                    Err(e) => {
                        // EMFILE and friends: back off instead of spinning.
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                },
                _ = tokio::time::sleep(Duration::from_millis(1)), if waiting => rebalance(&lanes),
            }
        }
    })
}
