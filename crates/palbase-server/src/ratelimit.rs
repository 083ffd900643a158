//! Per-endpoint rate limits (`rateLimit: {max, window}`) with governor's keyed GCRA.
//!
//! The quota is a burst of `max` refilled at `max` per `window`, so in any window a key gets at
//! most `max` plus what refilled meanwhile. Keys are the user id when authenticated, else the
//! client address. Limiters live for the process and are shared by every worker thread and
//! kept across reloads while the endpoint's file and limit are unchanged.

use std::{
    collections::HashMap,
    num::NonZeroU32,
    sync::{Arc, Mutex},
    time::Duration,
};

use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};

type Inner = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

pub struct Limiter {
    inner: Inner,
    pub max: u32,
    pub window: f64,
    /// The endpoint's file: with `max` and `window`, the limit's identity in a shared store.
    pub scope: String,
}

pub enum Decision {
    Allowed { remaining: u32 },
    Limited { retry_after: Duration },
}

impl Limiter {
    fn new(scope: &str, max: u32, window: f64) -> Self {
        let max_nz = NonZeroU32::new(max.max(1)).unwrap_or(NonZeroU32::MIN);
        let period = Duration::from_secs_f64(window / f64::from(max.max(1))).max(Duration::from_nanos(1));
        let quota = Quota::with_period(period).unwrap_or_else(|| Quota::per_second(max_nz)).allow_burst(max_nz);
        Self { inner: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(), max, window, scope: format!("{scope}:{max}:{window}") }
    }

    pub fn check(&self, key: &str) -> Decision {
        match self.inner.check_key(&key.to_string()) {
            Ok(snapshot) => Decision::Allowed { remaining: snapshot.remaining_burst_capacity() },
            Err(not_until) => Decision::Limited { retry_after: not_until.wait_time_from(DefaultClock::default().now()) },
        }
    }

    pub fn reset_after(&self) -> u64 {
        self.window.ceil() as u64
    }

    /// Forgets keys whose state is back to full, bounding memory under many distinct clients.
    pub fn shrink(&self) {
        self.inner.retain_recent();
    }
}

/// A rate-limit store shared by every instance (Redis): the same GCRA, evaluated atomically
/// in the store, so N instances behind a load balancer apply one limit. When the store fails,
/// the server falls back to its own per-process limiter (docs/runtime.md).
pub trait SharedLimiter: Send + Sync + 'static {
    fn check<'a>(&'a self, key: &'a str, max: u32, window: f64) -> std::pin::Pin<Box<dyn Future<Output = Result<Decision, String>> + Send + 'a>>;
}

#[derive(Default)]
pub struct Limiters {
    map: Mutex<HashMap<(String, u32, u64), Arc<Limiter>>>,
}

impl Limiters {
    pub fn get(&self, file: &str, max: u32, window: f64) -> Arc<Limiter> {
        let key = (file.to_string(), max, window.to_bits());
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key).or_insert_with(|| Arc::new(Limiter::new(file, max, window))).clone()
    }

    pub fn shrink_all(&self) {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        for l in map.values() {
            l.shrink();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_max_then_limits_per_key() {
        let l = Limiters::default().get("f", 3, 60.0);
        for left in [2, 1, 0] {
            assert!(matches!(l.check("a"), Decision::Allowed { remaining } if remaining == left));
        }
        match l.check("a") {
            Decision::Limited { retry_after } => assert!(retry_after > Duration::from_secs(15) && retry_after <= Duration::from_secs(20)),
            Decision::Allowed { .. } => panic!("4th request allowed"),
        }
        assert!(matches!(l.check("b"), Decision::Allowed { .. }));
    }
}
