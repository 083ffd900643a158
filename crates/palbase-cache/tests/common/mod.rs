//! The fixture behind the shared suite: one backend per test, fresh namespace per cache.
#![allow(dead_code)]

use std::sync::Arc;

use palbase_cache::{Cache, CacheError, CacheOptions};
use palbase_testkit::redis::TestRedis;

pub enum Fixture {
    Memory,
    Redis(TestRedis),
}

impl Fixture {
    pub fn memory() -> Result<Fixture, String> {
        Ok(Fixture::Memory)
    }

    /// `Err` (the suite reports the skip: palbase-testkit's rule) when no Redis can be had.
    pub fn redis() -> Result<Fixture, String> {
        TestRedis::try_get().map(Fixture::Redis)
    }

    pub fn is_redis(&self) -> bool {
        matches!(self, Fixture::Redis(_))
    }

    /// A cache in a namespace of its own.
    pub fn cache(&self) -> Arc<Cache> {
        self.cache_with(CacheOptions::default())
    }

    pub fn cache_with(&self, opts: CacheOptions) -> Arc<Cache> {
        match self {
            Fixture::Memory => Arc::new(Cache::memory(opts).unwrap()),
            Fixture::Redis(r) => Arc::new(Cache::redis(&r.url(), &r.prefix(), opts).unwrap()),
        }
    }

    /// Two handles on one namespace: two `Cache` instances on one Redis (two processes), or
    /// the one in-process cache twice.
    pub fn pair(&self) -> (Arc<Cache>, Arc<Cache>) {
        match self {
            Fixture::Memory => {
                let c = self.cache();
                (c.clone(), c)
            }
            Fixture::Redis(r) => {
                let p = r.prefix();
                let a = Arc::new(Cache::redis(&r.url(), &p, CacheOptions::default()).unwrap());
                let b = Arc::new(Cache::redis(&r.url(), &p, CacheOptions::default()).unwrap());
                (a, b)
            }
        }
    }
}

/// The envelope status and code of an error.
pub fn code(e: &CacheError) -> (u16, String) {
    let api: palbase_core::ApiError = e.clone().into();
    (api.status, api.code)
}

/// One test per name on each backend (palbase-testkit's `backend_suite!`); each is
/// `async fn name(f: &Fixture)` in the including file.
#[macro_export]
macro_rules! suite {
    ($($t:ident),* $(,)?) => {
        palbase_testkit::backend_suite! {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async
            memory => $crate::common::Fixture::memory(),
            redis => $crate::common::Fixture::redis();
            $($t),*
        }
    };
}
