//! Upload bodies, download streams and byte ranges.

use std::{
    ops::Range,
    pin::Pin,
    task::{Context, Poll},
};

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt, stream::BoxStream};
use tokio::sync::mpsc;

use crate::StorageError;

/// The error a body stream may end with (a client that went away, a reset connection, …).
pub type BodyError = Box<dyn std::error::Error + Send + Sync>;

/// What an upload reads: bytes already in memory, or a stream of chunks counted against the
/// bucket's limit as they arrive (a stream is never gathered in memory whole).
pub enum Body {
    Bytes(Bytes),
    Stream(BoxStream<'static, Result<Bytes, BodyError>>),
}

impl Body {
    pub fn from_stream<S, E>(s: S) -> Body
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BodyError>,
    {
        Body::Stream(s.map(|r| r.map_err(Into::into)).boxed())
    }

    /// The next chunk; `None` at the end.
    pub(crate) async fn next_chunk(&mut self) -> Option<Result<Bytes, StorageError>> {
        match self {
            Body::Bytes(b) => {
                if b.is_empty() {
                    None
                } else {
                    Some(Ok(std::mem::take(b)))
                }
            }
            Body::Stream(s) => loop {
                match s.next().await? {
                    Ok(b) if b.is_empty() => continue,
                    Ok(b) => return Some(Ok(b)),
                    Err(e) => return Some(Err(StorageError::UploadIncomplete(e.to_string()))),
                }
            },
        }
    }
}

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Body {
        Body::Bytes(b)
    }
}

impl From<Vec<u8>> for Body {
    fn from(b: Vec<u8>) -> Body {
        Body::Bytes(b.into())
    }
}

impl From<&'static [u8]> for Body {
    fn from(b: &'static [u8]) -> Body {
        Body::Bytes(Bytes::from_static(b))
    }
}

impl From<&'static str> for Body {
    fn from(b: &'static str) -> Body {
        Body::Bytes(Bytes::from_static(b.as_bytes()))
    }
}

/// A byte range of a download, as HTTP `Range: bytes=…` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// `bytes=start-last`: `start..end` with `end` exclusive (`last + 1`). An `end` past the
    /// object's end is cut to it.
    FromTo { start: u64, end: u64 },
    /// `bytes=start-`.
    From(u64),
    /// `bytes=-n`: the last `n` bytes (the whole object when it is shorter).
    Suffix(u64),
}

impl ByteRange {
    /// The bytes this range selects of an object of `size` bytes; `range_not_satisfiable` when
    /// none (RFC 9110 §14.1.2: a start at or past the end, an empty range, or any range of an
    /// empty object).
    pub fn resolve(self, size: u64) -> Result<Range<u64>, StorageError> {
        let bad = StorageError::RangeNotSatisfiable { size };
        match self {
            ByteRange::FromTo { start, end } if end > start && start < size => Ok(start..end.min(size)),
            ByteRange::From(start) if start < size => Ok(start..size),
            ByteRange::Suffix(n) if n > 0 && size > 0 => Ok(size.saturating_sub(n)..size),
            _ => Err(bad),
        }
    }
}

/// Chunks of a download. Filled by a task on the storage runtime through a small bounded
/// channel (a few chunks of at most 256 KiB), so any executor can read it and a slow reader
/// holds back the source instead of piling data up in memory.
pub struct ByteStream {
    rx: mpsc::Receiver<Result<Bytes, StorageError>>,
    range: Range<u64>,
    /// Bytes yielded so far; a stream that ends short of its range yields an error, so a
    /// truncated body (the storage shut down mid-download) is never taken for a whole one.
    seen: u64,
    done: bool,
}

/// Chunks in flight per download.
pub(crate) const CHANNEL_CHUNKS: usize = 4;
/// Largest chunk a download yields.
pub(crate) const CHUNK: usize = 256 * 1024;

impl ByteStream {
    pub(crate) fn channel(range: Range<u64>) -> (mpsc::Sender<Result<Bytes, StorageError>>, ByteStream) {
        let (tx, rx) = mpsc::channel(CHANNEL_CHUNKS);
        (tx, ByteStream { rx, range, seen: 0, done: false })
    }

    /// The bytes of the object this stream yields (`start..end`, end exclusive): for
    /// `Content-Range: bytes start-(end-1)/size`.
    pub fn range(&self) -> Range<u64> {
        self.range.clone()
    }

    /// Gathers the whole stream (for small objects, e.g. crossing into JavaScript as an
    /// ArrayBuffer); `payload_too_large` past `max` bytes.
    pub async fn bytes(mut self, max: u64) -> Result<Bytes, StorageError> {
        let len = self.range.end - self.range.start;
        if len > max {
            return Err(StorageError::PayloadTooLarge { limit: max });
        }
        let mut out = BytesMut::with_capacity(len as usize);
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            if (out.len() + chunk.len()) as u64 > max {
                return Err(StorageError::PayloadTooLarge { limit: max });
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out.freeze())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, StorageError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(Ok(b))) => {
                self.seen += b.len() as u64;
                Poll::Ready(Some(Ok(b)))
            }
            Poll::Ready(Some(Err(e))) => {
                self.done = true;
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                self.done = true;
                let want = self.range.end - self.range.start;
                if self.seen != want {
                    let msg = format!("the download ended after {} of {want} bytes", self.seen);
                    return Poll::Ready(Some(Err(StorageError::Unavailable(msg))));
                }
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_short_stream_is_an_error() {
        let (tx, mut st) = ByteStream::channel(0..10);
        tx.send(Ok(Bytes::from_static(b"12345"))).await.unwrap();
        drop(tx);
        assert_eq!(st.next().await.unwrap().unwrap(), "12345");
        assert_eq!(st.next().await.unwrap().unwrap_err().code(), "storage_unavailable");
        assert!(st.next().await.is_none());
        let (tx, st) = ByteStream::channel(0..3);
        tx.send(Ok(Bytes::from_static(b"abc"))).await.unwrap();
        drop(tx);
        assert_eq!(st.bytes(10).await.unwrap(), "abc");
    }

    #[test]
    fn ranges() {
        use ByteRange::*;
        assert_eq!(FromTo { start: 0, end: 10 }.resolve(100).unwrap(), 0..10);
        assert_eq!(FromTo { start: 90, end: 200 }.resolve(100).unwrap(), 90..100);
        assert_eq!(From(99).resolve(100).unwrap(), 99..100);
        assert_eq!(Suffix(10).resolve(100).unwrap(), 90..100);
        assert_eq!(Suffix(500).resolve(100).unwrap(), 0..100);
        for bad in [FromTo { start: 100, end: 101 }, FromTo { start: 5, end: 5 }, From(100), Suffix(0)] {
            assert_eq!(bad.resolve(100), Err(StorageError::RangeNotSatisfiable { size: 100 }), "{bad:?}");
        }
        assert!(From(0).resolve(0).is_err());
        assert!(Suffix(1).resolve(0).is_err());
    }
}
