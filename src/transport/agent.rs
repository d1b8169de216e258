//! Builds the one keep-alive `ureq` agent a client uses, from its `Config`: explicit
//! timeouts, no redirects, no proxy unless configured, the TLS settings, the user agent, and
//! the connector and resolver that the transport relies on.
//!
//! Kept apart from the exchanges so that every choice about what the agent may do on its
//! own (follow a redirect, obey the host's proxy variables) is made in one place.

use crate::config::Config;
use crate::error::Result;
use crate::transport::connection_watch::WatchingConnector;
use crate::transport::resolver::CachingResolver;
use crate::transport::tls_connection::TlsConnector;
use ureq::unversioned::transport::{
    ConnectProxyConnector, Connector, SocksConnector, TcpConnector,
};

const USER_AGENT: &str = concat!("libtasklist/", env!("CARGO_PKG_VERSION"));

/// The agent for requests to `base_url`, which picks the proxy variable when the
/// environment is obeyed (by its scheme).
pub(super) fn build(config: &Config, base_url: &str) -> Result<ureq::Agent> {
    let agent_config = ureq::Agent::config_builder()
        // Error answers carry Tasklist's problem body; the caller needs it.
        .http_status_as_error(false)
        .timeout_connect(Some(config.connect_timeout))
        .timeout_global(Some(config.request_timeout))
        // A redirect could carry credentials to another origin: never follow one.
        .max_redirects(0)
        .max_redirects_will_error(false)
        // A library must not silently obey its host's proxy variables: only an explicit
        // proxy, or the environment when the caller opted in.
        .proxy(crate::transport::proxy::proxy_for(config, base_url)?)
        .user_agent(USER_AGENT)
        .accept("application/json")
        .build();
    // ureq's connectors for the way there (a SOCKS or CONNECT proxy, or TCP), then ours for
    // TLS, which trusts a configured certificate presented as itself.
    let connector = ()
        .chain(SocksConnector::default())
        .chain(ConnectProxyConnector::default())
        .chain(TcpConnector::default())
        .chain(TlsConnector::new(crate::transport::tls::tls_settings(
            config,
        )?)?);
    Ok(ureq::Agent::with_parts(
        agent_config,
        // Marks new connections and answer bytes, so a stale pooled connection is known.
        WatchingConnector::new(connector),
        CachingResolver::default(),
    ))
}
