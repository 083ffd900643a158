//! The fixture behind the shared suite: one backend per test, a fresh namespace per storage.
#![allow(dead_code)]

use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt;
use palbase_storage::{BucketConfig, ByteStream, MemorySink, S3Config, Storage, StorageConfig, StorageError};
use palbase_testkit::s3::TestS3;

pub const BASE: &str = "http://127.0.0.1:4000";

pub enum Fixture {
    Local(tempfile::TempDir),
    S3(TestS3),
}

impl Fixture {
    pub fn local() -> Option<Fixture> {
        Some(Fixture::Local(tempfile::tempdir().unwrap()))
    }

    /// `None` (the test returns) when no S3 server can be had outside CI.
    ///
    /// The shared suite runs with moto's signature checks off: moto 5's SigV4 verification
    /// computes a different canonical request than AWS for non-ASCII keys and for query values
    /// with `/` (every folder listing), and refuses those requests signed by the AWS SDK itself
    /// (boto3) just the same. `tests/s3_only.rs::signatures_are_checked` runs every operation moto
    /// verifies correctly with the checks on.
    pub fn s3() -> Option<Fixture> {
        let t = TestS3::start()?;
        t.set_signature_checks(false);
        Some(Fixture::S3(t))
    }

    /// S3 with moto's signature checks on (ASCII keys, no listings).
    pub fn s3_checked() -> Option<Fixture> {
        TestS3::start().map(Fixture::S3)
    }

    pub fn is_s3(&self) -> bool {
        matches!(self, Fixture::S3(_))
    }

    pub fn test_s3(&self) -> &TestS3 {
        match self {
            Fixture::S3(t) => t,
            Fixture::Local(_) => panic!("not S3"),
        }
    }

    pub fn s3_config(t: &TestS3) -> S3Config {
        S3Config {
            bucket: t.bucket.clone(),
            region: t.region.clone(),
            endpoint: Some(t.endpoint.clone()),
            access_key_id: Some(t.access_key_id.clone()),
            secret_access_key: Some(t.secret_access_key.clone()),
            allow_http: true,
            ..Default::default()
        }
    }

    /// The buckets every test has: `avatars` (public, 1 MiB, images), `docs` (private, any type,
    /// no limit), `small` (100 bytes).
    pub fn config(&self) -> StorageConfig {
        StorageConfig::new(format!("proj-{}/main", &uuid::Uuid::new_v4().simple().to_string()[..8]), BASE)
            .bucket("avatars", BucketConfig { public: true, max_file_size: Some(1 << 20), allowed_content_types: vec!["image/*".into()] })
            .bucket("docs", BucketConfig::default())
            .bucket("small", BucketConfig { public: false, max_file_size: Some(100), allowed_content_types: vec![] })
    }

    pub fn storage(&self) -> (Arc<Storage>, Arc<MemorySink>) {
        self.storage_with(self.config())
    }

    pub fn storage_with(&self, cfg: StorageConfig) -> (Arc<Storage>, Arc<MemorySink>) {
        let sink = Arc::new(MemorySink::default());
        let s = match self {
            Fixture::Local(dir) => Storage::local(dir.path(), cfg, sink.clone()).unwrap(),
            Fixture::S3(t) => Storage::s3(Self::s3_config(t), cfg, sink.clone()).unwrap(),
        };
        (Arc::new(s), sink)
    }
}

/// The envelope status and code of an error.
pub fn code(e: &StorageError) -> (u16, String) {
    let api: palbase_core::ApiError = e.clone().into();
    (api.status, api.code)
}

pub async fn read_all(mut s: ByteStream) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(c) = s.next().await {
        out.extend_from_slice(&c.unwrap());
    }
    out
}

pub fn md5_etag(b: &[u8]) -> String {
    use md5::Digest;
    let d = md5::Md5::digest(b);
    format!("\"{}\"", d.iter().map(|x| format!("{x:02x}")).collect::<String>())
}

/// `n` chunks of `size` deterministic bytes.
pub fn chunks(n: usize, size: usize) -> Vec<Bytes> {
    (0..n).map(|i| Bytes::from((0..size).map(|j| ((i * 31 + j * 7) % 251) as u8).collect::<Vec<u8>>())).collect()
}

/// One test per name on each backend; each is `async fn name(f: &Fixture)` in the including file.
#[macro_export]
macro_rules! suite {
    ($($t:ident),* $(,)?) => {
        mod local {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $t() {
                    let Some(f) = $crate::common::Fixture::local() else { return };
                    super::$t(&f).await;
                }
            )*
        }
        mod s3 {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $t() {
                    let Some(f) = $crate::common::Fixture::s3() else { return };
                    super::$t(&f).await;
                }
            )*
        }
    };
}
