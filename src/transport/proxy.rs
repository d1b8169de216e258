//! Which proxy, if any, carries the client's requests.
//!
//! Nothing by default: a library embedded in someone's service must not silently follow the
//! host's `HTTPS_PROXY`. An explicit proxy URL wins; otherwise, only when the caller opted in,
//! the conventional variables are read once, when the client is built: for an `https` base
//! URL `https_proxy`, `HTTPS_PROXY`, then `all_proxy`, `ALL_PROXY`; for `http` the same with
//! `http_proxy`, `HTTP_PROXY`. `no_proxy`/`NO_PROXY` (comma separated: `host`, `.domain`,
//! `*.domain`, `*`) lists hosts reached directly. Lower case wins over upper case, as in curl.

use crate::config::Config;
use crate::error::{Error, Result};
use ureq::{Proxy, ProxyProtocol};

const HTTPS_NAMES: &[&str] = &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
const HTTP_NAMES: &[&str] = &["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];
const NO_PROXY_NAMES: &[&str] = &["no_proxy", "NO_PROXY"];

/// Refuses a proxy URL that ureq could not use, naming the setting, not the URL (it may hold
/// a password).
pub(crate) fn check_proxy_url(url: &str) -> Result<()> {
    parse(url, &[]).map(|_| ())
}

/// The proxy for a client of `config` whose base URL is `base_url`.
pub(crate) fn proxy_for(config: &Config, base_url: &str) -> Result<Option<Proxy>> {
    if let Some(url) = &config.proxy {
        return parse(url.expose(), &[]).map(Some);
    }
    if config.proxy_from_env {
        return from_lookup(base_url, |name| std::env::var(name).ok());
    }
    Ok(None)
}

/// The proxy the environment (read through `lookup`) names for `base_url`, if any.
pub(crate) fn from_lookup(
    base_url: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<Proxy>> {
    let set = |name: &&str| lookup(name).filter(|v| !v.trim().is_empty());
    let names = if base_url.starts_with("https://") {
        HTTPS_NAMES
    } else {
        HTTP_NAMES
    };
    let Some((name, url)) = names.iter().find_map(|n| set(n).map(|v| (*n, v))) else {
        return Ok(None);
    };
    let no_proxy = NO_PROXY_NAMES.iter().find_map(set).unwrap_or_default();
    let exceptions: Vec<&str> = no_proxy
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    parse(url.trim(), &exceptions)
        .map(Some)
        .map_err(|e| Error::invalid_argument(format!("{name}: {}", e.message())))
}

/// A proxy URL split around its userinfo: `("http://", Some("user:pw"), "proxy:3128")`.
fn split_userinfo(url: &str) -> (&str, Option<&str>, &str) {
    let (prefix, rest) = match url.find("://") {
        Some(at) => url.split_at(at + 3),
        None => ("", url),
    };
    match rest.rsplit_once('@') {
        Some((userinfo, host)) => (prefix, Some(userinfo), host),
        None => (prefix, None, rest),
    }
}

/// The proxy URL without its userinfo: `http://***@proxy:3128`. The whole userinfo goes,
/// because a proxy credential is often a token given as the username alone.
pub(crate) fn redacted(url: &str) -> String {
    match split_userinfo(url) {
        (prefix, Some(_), host) => format!("{prefix}{}@{host}", crate::config::describe::REDACTED),
        (_, None, _) => url.to_string(),
    }
}

/// The user and password of a proxy URL, as written and decoded, to mask them in answers.
pub(crate) fn credentials_of(url: &str) -> Vec<String> {
    let Some(userinfo) = split_userinfo(url).1 else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    for part in userinfo.split(':') {
        parts.push(part.to_string());
        if let Ok(decoded) = percent_encoding::percent_decode_str(part).decode_utf8() {
            parts.push(decoded.into_owned());
        }
    }
    parts
}

/// `[scheme://][user[:password]@]host[:port][/]` into a ureq proxy with its exceptions.
fn parse(url: &str, exceptions: &[&str]) -> Result<Proxy> {
    let bad = |why: &str| Error::invalid_argument(format!("the proxy URL {why}"));
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let protocol = ProxyProtocol::try_from(scheme)
        .map_err(|_| bad("has an unsupported scheme (use http, https, socks4, socks5)"))?;
    let authority = rest.trim_end_matches('/');
    if authority.contains(['/', '?', '#', ' ']) {
        return Err(bad("must be scheme://host:port without a path"));
    }
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        // An IPv6 literal without a port has colons but ends with ']'.
        Some((host, port)) if !port.ends_with(']') => (
            host,
            Some(port.parse::<u16>().map_err(|_| bad("has a bad port"))?),
        ),
        _ => (host_port, None),
    };
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    let mut builder = Proxy::builder(protocol).host(host);
    if let Some(port) = port {
        builder = builder.port(port);
    }
    if let Some(userinfo) = userinfo {
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| bad("has credentials that are not UTF-8"))
        };
        builder = builder.username(&decode(user)?);
        if let Some(password) = password {
            builder = builder.password(&decode(password)?);
        }
    }
    for exception in exceptions {
        builder = builder.no_proxy(exception);
    }
    builder.build().map_err(|_| bad("is not usable"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_variable_follows_the_scheme_of_the_base_url() {
        let vars = env(&[
            ("HTTPS_PROXY", "http://secure-proxy:3128"),
            ("HTTP_PROXY", "http://plain-proxy:8080"),
        ]);
        let p = from_lookup("https://tasklist", &vars).unwrap().unwrap();
        assert_eq!((p.host(), p.port()), ("secure-proxy", 3128));
        let p = from_lookup("http://tasklist", &vars).unwrap().unwrap();
        assert_eq!((p.host(), p.port()), ("plain-proxy", 8080));
    }

    #[test]
    fn lower_case_wins_and_all_proxy_is_the_fallback() {
        let vars = env(&[
            ("https_proxy", "http://lower:1"),
            ("HTTPS_PROXY", "http://upper:2"),
        ]);
        let p = from_lookup("https://t", &vars).unwrap().unwrap();
        assert_eq!(p.host(), "lower");
        let vars = env(&[("ALL_PROXY", "socks5://s:1080")]);
        let p = from_lookup("http://t", &vars).unwrap().unwrap();
        assert_eq!(p.protocol(), ProxyProtocol::Socks5);
        assert!(from_lookup("http://t", env(&[])).unwrap().is_none());
    }

    #[test]
    fn no_proxy_lists_hosts_reached_directly() {
        let vars = env(&[
            ("HTTP_PROXY", "proxy:3128"),
            ("NO_PROXY", "localhost, .internal ,10.0.0.1"),
        ]);
        let p = from_lookup("http://t", &vars).unwrap().unwrap();
        let uri = |s: &str| s.parse::<ureq::http::Uri>().unwrap();
        assert!(p.is_no_proxy(&uri("http://localhost:8080/v1")));
        assert!(p.is_no_proxy(&uri("http://tasklist.internal/v1")));
        assert!(p.is_no_proxy(&uri("http://10.0.0.1/")));
        assert!(!p.is_no_proxy(&uri("http://tasklist.example/v1")));
    }

    #[test]
    fn credentials_are_decoded_and_bad_urls_refused_without_echoing_them() {
        let p = parse("http://us%40er:p%3Ass@proxy:3128", &[]).unwrap();
        assert_eq!(p.username(), Some("us@er"));
        assert_eq!(p.password(), Some("p:ss"));
        for bad in [
            "ftp://proxy:21",
            "http://proxy:notaport",
            "http://:3128",
            "http://p/x",
        ] {
            let e = parse(bad, &[]).unwrap_err();
            assert!(!e.message().contains(bad), "{}", e.message());
        }
        let e = from_lookup("http://t", env(&[("HTTP_PROXY", "http://u:secret@p:x")])).unwrap_err();
        assert!(!e.message().contains("secret"));
        assert_eq!(redacted("http://me:pw@proxy:3128"), "http://***@proxy:3128");
        assert_eq!(redacted("http://T0KEN@proxy:3128"), "http://***@proxy:3128");
        assert_eq!(redacted("proxy:3128"), "proxy:3128");
        assert_eq!(
            credentials_of("http://us%40er:p%3Ass@p:1"),
            ["us%40er", "us@er", "p%3Ass", "p:ss"]
        );
        assert!(e.message().starts_with("HTTP_PROXY"), "{}", e.message());
        assert!(!e.message().contains("secret"));
    }
}
