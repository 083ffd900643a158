//! Time and sleeping. Every timestamp the queue writes (run times, leases, heartbeats, cron
//! slots) and every wait it makes goes through a [`Clock`], so backoff, leases and cron are
//! tested with a [`ManualClock`] without real waiting.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::oneshot;

pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;

    /// Resolves once [`Clock::now`] has reached `at` (at once if it already has). Must be
    /// awaited inside a tokio runtime.
    fn sleep_until(&self, at: Timestamp) -> Sleep;
}

/// Milliseconds since the Unix epoch: how times are stored.
pub(crate) fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

pub(crate) fn from_ms(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub(crate) fn add(t: Timestamp, d: Duration) -> Timestamp {
    t.saturating_add(SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX)).unwrap_or(Timestamp::MAX)
}

/// The system clock and tokio's timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    fn sleep_until(&self, at: Timestamp) -> Sleep {
        let d = at.duration_since(Timestamp::now());
        let d = if d.is_negative() { Duration::ZERO } else { d.unsigned_abs() };
        Box::pin(tokio::time::sleep(d))
    }
}

/// A clock that moves only when told to ([`ManualClock::advance`], [`ManualClock::set`]);
/// sleepers whose time has come wake then.
pub struct ManualClock {
    state: Mutex<ManualState>,
}

struct ManualState {
    now: Timestamp,
    next_id: u64,
    sleepers: BTreeMap<(Timestamp, u64), oneshot::Sender<()>>,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> Arc<ManualClock> {
        Arc::new(ManualClock { state: Mutex::new(ManualState { now: start, next_id: 0, sleepers: BTreeMap::new() }) })
    }

    pub fn advance(&self, d: Duration) {
        let now = self.now();
        self.set(add(now, d));
    }

    /// Moves the clock to `t` (never backwards) and wakes every sleeper due by then.
    pub fn set(&self, t: Timestamp) {
        let due = {
            let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
            if t > s.now {
                s.now = t;
            }
            let now = s.now;
            let later = s.sleepers.split_off(&(now, u64::MAX));
            std::mem::replace(&mut s.sleepers, later)
        };
        for (_, tx) in due {
            let _ = tx.send(());
        }
    }

    /// How many sleepers wait (tests use it to know a loop has gone to sleep).
    pub fn sleepers(&self) -> usize {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.sleepers.retain(|_, tx| !tx.is_closed());
        s.sleepers.len()
    }

    /// The earliest time a sleeper waits for.
    pub fn next_wake(&self) -> Option<Timestamp> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.sleepers.retain(|_, tx| !tx.is_closed());
        s.sleepers.keys().next().map(|(t, _)| *t)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).now
    }

    fn sleep_until(&self, at: Timestamp) -> Sleep {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if at <= s.now {
            return Box::pin(std::future::ready(()));
        }
        let (tx, rx) = oneshot::channel();
        let id = s.next_id;
        s.next_id += 1;
        s.sleepers.insert((at, id), tx);
        Box::pin(async move {
            // A dropped sender (the clock went away) ends the sleep too.
            let _ = rx.await;
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn manual_clock_wakes_due_sleepers_only() {
        let c = ManualClock::new(Timestamp::from_second(1_000).unwrap());
        let t0 = c.now();
        let a = c.sleep_until(add(t0, Duration::from_secs(5)));
        let b = c.sleep_until(add(t0, Duration::from_secs(10)));
        assert_eq!(c.sleepers(), 2);
        let ha = tokio::spawn(a);
        let hb = tokio::spawn(b);
        c.advance(Duration::from_secs(5));
        ha.await.unwrap();
        assert!(!hb.is_finished());
        assert_eq!(c.sleepers(), 1);
        c.advance(Duration::from_secs(5));
        hb.await.unwrap();
        // Already due: resolves at once.
        c.sleep_until(t0).await;
    }
}
