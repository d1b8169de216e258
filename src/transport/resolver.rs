//! Host name resolution for the HTTP agent.
//!
//! ureq resolves the host of every request, even one that reuses a pooled connection, and
//! when a timeout applies (ours always do) it resolves in a newly spawned thread. That thread
//! cost more than the whole rest of a request on loopback. This resolver answers IP literals
//! directly and keeps names for a short while, so a thread is spawned at most once per host
//! and [`NAME_TTL`]; a lookup that does happen still runs under the request's timeout.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a looked-up name is reused. Short enough to follow DNS changes of a cluster
/// (a new connection after this picks up new addresses), long enough to keep lookups off
/// the hot path.
pub(crate) const NAME_TTL: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    lookup: DefaultResolver,
    names: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        if let Some(addr) = ip_literal(uri) {
            let mut found = self.empty();
            for wanted in config.ip_family().keep_wanted(std::iter::once(addr)) {
                found.push(wanted);
            }
            if found.is_empty() {
                return Err(ureq::Error::HostNotFound);
            }
            return Ok(found);
        }
        let key = uri
            .authority()
            .map(|a| a.as_str().to_string())
            .unwrap_or_default();
        if let Some(found) = self.cached(&key) {
            return Ok(found);
        }
        // The system resolver reports an unknown name as an I/O error ("failed to lookup
        // address information"), which would read as a broken connection (and change
        // whether a write is retried): it is a host that was not found.
        let found = self
            .lookup
            .resolve(uri, config, timeout)
            .map_err(|e| match e {
                ureq::Error::Io(io) if io.kind() != std::io::ErrorKind::TimedOut => {
                    ureq::Error::HostNotFound
                }
                other => other,
            })?;
        self.lock().insert(key, (Instant::now(), found.clone()));
        Ok(found)
    }
}

impl CachingResolver {
    fn cached(&self, key: &str) -> Option<ResolvedSocketAddrs> {
        let names = self.lock();
        let (at, found) = names.get(key)?;
        (at.elapsed() < NAME_TTL).then(|| found.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, ResolvedSocketAddrs)>> {
        // The map only ever holds complete entries, so a poisoned lock is still consistent.
        self.names.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The socket address of a URI whose host is an IP address (with its port or the scheme's).
fn ip_literal(uri: &Uri) -> Option<SocketAddr> {
    let host = uri.host()?;
    let ip: IpAddr = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()?;
    let port = uri.port_u16().or(match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    })?;
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        text.parse().unwrap()
    }

    #[test]
    fn ip_literals_need_no_lookup() {
        assert_eq!(
            ip_literal(&uri("http://127.0.0.1:8080/v1/tasks")),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            ip_literal(&uri("https://[::1]/x")),
            Some("[::1]:443".parse().unwrap())
        );
        assert_eq!(ip_literal(&uri("http://localhost:8080/")), None);
    }

    #[test]
    fn names_are_looked_up_once_and_reused() {
        let resolver = CachingResolver::default();
        let config = Config::default();
        let target = uri("http://localhost:9/");
        let first = resolver
            .resolve(&target, &config, NextTimeout::default())
            .unwrap();
        assert!(!first.is_empty());
        assert!(resolver.cached("localhost:9").is_some());
        let again = resolver
            .resolve(&target, &config, NextTimeout::default())
            .unwrap();
        assert_eq!(first.len(), again.len());
    }
}
