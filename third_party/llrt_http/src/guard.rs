// Palbase patch (not part of upstream llrt_http): a filter on the addresses `fetch` connects to,
// applied to the resolved addresses at connect time (so DNS rebinding cannot bypass it) and to
// literal IP addresses in URLs (which skip the resolver), and checked again on the connected
// socket's peer address.
use std::{
    future::Future,
    io,
    net::{IpAddr, SocketAddr},
    pin::Pin,
    sync::{Arc, RwLock},
    task::{self, Poll},
};

use hyper::Uri;
use hyper_util::{client::legacy::connect::dns::Name, rt::TokioIo};
use llrt_dns_cache::CachedDnsResolver;
use tower_service::Service;

/// Decides whether `host` (as written in the URL) may be reached at `ip`: `Err(reason)` refuses.
pub type ConnectFilter = Arc<dyn Fn(&str, IpAddr) -> Result<(), String> + Send + Sync>;

static FILTER: RwLock<Option<ConnectFilter>> = RwLock::new(None);

/// Installs (or with `None` removes) the process-wide filter.
pub fn set_connect_filter(filter: Option<ConnectFilter>) {
    *FILTER.write().unwrap_or_else(|p| p.into_inner()) = filter;
}

fn filter() -> Option<ConnectFilter> {
    FILTER.read().unwrap_or_else(|p| p.into_inner()).clone()
}

fn refused(reason: String) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, reason)
}

/// The DNS cache, keeping only the addresses the filter allows.
#[derive(Clone, Debug)]
pub struct GuardedResolver(pub CachedDnsResolver);

impl Service<Name> for GuardedResolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<Self::Response>> + Send>>;

    fn poll_ready(&mut self, cx: &mut task::Context<'_>) -> Poll<io::Result<()>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let fut = self.0.call(name.clone());
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = fut.await?.collect();
            let Some(f) = filter() else { return Ok(addrs.into_iter()) };
            let mut last = None;
            let allowed: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| match f(name.as_str(), a.ip()) {
                    Ok(()) => true,
                    Err(e) => {
                        last = Some(e);
                        false
                    },
                })
                .collect();
            match (allowed.is_empty(), last) {
                (true, Some(e)) => Err(refused(e)),
                _ => Ok(allowed.into_iter()),
            }
        })
    }
}

/// The HTTP connector, refusing literal addresses the filter does not allow and checking the
/// peer of every connection it makes.
#[derive(Clone, Debug)]
pub struct Guarded<C>(pub C);

impl<C> Service<Uri> for Guarded<C>
where
    C: Service<Uri, Response = TokioIo<tokio::net::TcpStream>> + Send + 'static,
    C::Future: Send + 'static,
    C::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = TokioIo<tokio::net::TcpStream>;
    type Error = Box<dyn std::error::Error + Send + Sync>;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut task::Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let f = filter();
        let host = dst.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_string();
        if let (Some(f), Ok(ip)) = (&f, host.parse::<IpAddr>()) {
            if let Err(e) = f(&host, ip) {
                return Box::pin(async move { Err(refused(e).into()) });
            }
        }
        let fut = self.0.call(dst);
        Box::pin(async move {
            let stream = fut.await.map_err(Into::into)?;
            if let Some(f) = f {
                let peer = stream.inner().peer_addr()?;
                f(&host, peer.ip()).map_err(refused)?;
            }
            Ok(stream)
        })
    }
}
