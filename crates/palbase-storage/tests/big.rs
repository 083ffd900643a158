//! A 100 MiB object streamed up and down on the local backend with bounded memory (its own test
//! binary, so the process's peak RSS is this test's).

mod common;

use std::time::Instant;

use bytes::Bytes;
use futures::StreamExt;
use md5::Digest;
use palbase_storage::{Body, UploadOptions};

const MIB: usize = 1 << 20;
const TOTAL: usize = 100 * MIB;

/// Peak resident memory of this process so far (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok()).unwrap_or(0) * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_mib_streams_with_bounded_memory() {
    let f = common::Fixture::local().unwrap();
    let mut cfg = f.config();
    cfg.buckets.get_mut("docs").unwrap().max_file_size = Some(TOTAL as u64);
    let (s, _) = f.storage_with(cfg);
    let pattern: Vec<u8> = (0..MIB).map(|i| (i % 251) as u8).collect();
    let mut want = md5::Md5::new();
    for _ in 0..100 {
        want.update(&pattern);
    }
    let want = want.finalize();
    let base = peak_rss();
    // Upload: 100 chunks of 1 MiB made as they are read.
    let p = pattern.clone();
    let chunks = futures::stream::iter(0..100).map(move |_| Ok::<_, std::io::Error>(Bytes::copy_from_slice(&p)));
    let t = Instant::now();
    let info = s.upload("docs", "big.bin", Body::from_stream(chunks), UploadOptions::default()).await.unwrap();
    let up = t.elapsed();
    assert_eq!(info.size, TOTAL as u64);
    // Download, hashing as it streams.
    let t = Instant::now();
    let (_, mut st) = s.download("docs", "big.bin", None).await.unwrap();
    let mut got = md5::Md5::new();
    let (mut n, mut largest) = (0usize, 0usize);
    while let Some(c) = st.next().await {
        let c = c.unwrap();
        n += c.len();
        largest = largest.max(c.len());
        got.update(&c);
    }
    let down = t.elapsed();
    assert_eq!(n, TOTAL);
    assert_eq!(got.finalize(), want);
    assert!(largest <= 256 * 1024, "chunks of at most 256 KiB, got {largest}");
    let grew = peak_rss().saturating_sub(base);
    let mibs = |d: std::time::Duration| TOTAL as f64 / MIB as f64 / d.as_secs_f64();
    eprintln!("100 MiB: upload {:.0} MiB/s ({up:?}), download {:.0} MiB/s ({down:?}), peak RSS grew {:.1} MiB", mibs(up), mibs(down), grew as f64 / MIB as f64);
    assert!(grew < 40 * MIB as u64, "peak RSS grew {grew} bytes: the object was held in memory");
    // Over the limit by one byte: refused, nothing left.
    let p = pattern.clone();
    let chunks = futures::stream::iter(0..101).map(move |i| Ok::<_, std::io::Error>(Bytes::copy_from_slice(if i < 100 { &p } else { &p[..1] })));
    let e = s.upload("docs", "big2.bin", Body::from_stream(chunks), UploadOptions::default()).await.unwrap_err();
    assert_eq!(common::code(&e).1, "payload_too_large");
    assert_eq!(common::code(&s.info("docs", "big2.bin").await.unwrap_err()).1, "object_not_found");
}
