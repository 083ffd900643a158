//! Waiting (real time) for something another thread or process does.

use std::time::{Duration, Instant};

/// How often the helpers below look again.
pub const POLL_INTERVAL: Duration = Duration::from_millis(5);

/// Polls `f` until it gives a value; `None` once `timeout` has passed.
pub fn poll<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let t0 = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if t0.elapsed() >= timeout {
            return None;
        }
        std::thread::sleep(POLL_INTERVAL);
    }
}

/// Polls until `cond` holds; panics with `what` once `timeout` has passed.
#[track_caller]
pub fn wait_for(what: &str, timeout: Duration, mut cond: impl FnMut() -> bool) {
    if poll(timeout, || cond().then_some(())).is_none() {
        panic!("timed out after {timeout:?} waiting for {what}");
    }
}
