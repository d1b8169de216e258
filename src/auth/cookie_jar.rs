//! The cookies of one Tasklist origin: every `Set-Cookie` is kept under its own name and path
//! (session cookies are called `TASKLIST-SESSION`, `OPERATE-SESSION` or `camunda-session`
//! depending on the server, and CSRF cookies come beside them), with `Max-Age` and `Expires`.

use crate::secret::Secret;
use std::time::{Duration, SystemTime};

struct Cookie {
    name: String,
    value: Secret,
    path: String,
    expires: Option<SystemTime>,
}

#[derive(Default)]
pub(crate) struct CookieJar {
    cookies: Vec<Cookie>,
}

impl CookieJar {
    /// Takes one `Set-Cookie` header value received for `request_path`.
    pub(crate) fn store(&mut self, set_cookie: &str, request_path: &str) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
            return;
        };
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let mut path = None;
        let mut max_age: Option<i64> = None;
        let mut expires = None;
        for attribute in parts {
            let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
            match key.trim().to_ascii_lowercase().as_str() {
                "path" if val.trim().starts_with('/') => path = Some(val.trim().to_string()),
                "max-age" => max_age = val.trim().parse().ok(),
                "expires" => expires = httpdate::parse_http_date(val.trim()).ok(),
                _ => {}
            }
        }
        // Max-Age wins over Expires (RFC 6265 §5.3).
        let expires = match max_age {
            Some(seconds) if seconds <= 0 => Some(SystemTime::UNIX_EPOCH),
            Some(seconds) => Some(SystemTime::now() + Duration::from_secs(seconds as u64)),
            None => expires,
        };
        let path = path.unwrap_or_else(|| default_path(request_path));
        self.cookies.retain(|c| !(c.name == name && c.path == path));
        let cookie = Cookie {
            name: name.to_string(),
            value: Secret::new(value.trim().trim_matches('"')),
            path,
            expires,
        };
        if !cookie.expired(SystemTime::now()) {
            self.cookies.push(cookie);
        }
    }

    /// The `Cookie` header value for a request to `request_path`, if any cookie applies.
    pub(crate) fn header_for(&self, request_path: &str) -> Option<String> {
        let now = SystemTime::now();
        let mut matching: Vec<&Cookie> = self
            .cookies
            .iter()
            .filter(|c| !c.expired(now) && path_matches(&c.path, request_path))
            .collect();
        if matching.is_empty() {
            return None;
        }
        // More specific paths first, as browsers send them.
        matching.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        Some(
            matching
                .iter()
                .map(|c| format!("{}={}", c.name, c.value.expose()))
                .collect::<Vec<_>>()
                .join("; "),
        )
    }

    pub(crate) fn is_empty(&self) -> bool {
        let now = SystemTime::now();
        self.cookies.iter().all(|c| c.expired(now))
    }

    pub(crate) fn clear(&mut self) {
        self.cookies.clear();
    }
}

impl Cookie {
    fn expired(&self, now: SystemTime) -> bool {
        self.expires.is_some_and(|at| at <= now)
    }
}

/// RFC 6265 §5.1.4: the directory of the request path.
fn default_path(request_path: &str) -> String {
    let path = request_path.split('?').next().unwrap_or("/");
    match path.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => path[..i].to_string(),
    }
}

/// RFC 6265 §5.1.4 path-match.
fn path_matches(cookie_path: &str, request_path: &str) -> bool {
    let request_path = request_path.split('?').next().unwrap_or("/");
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/')
                || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_cookie_by_name() {
        let mut jar = CookieJar::default();
        jar.store(
            "TASKLIST-SESSION=abc; Path=/; HttpOnly; SameSite=Lax",
            "/api/login",
        );
        jar.store("X-CSRF-TOKEN=tok; Path=/", "/api/login");
        assert_eq!(
            jar.header_for("/v1/tasks/search").as_deref(),
            Some("TASKLIST-SESSION=abc; X-CSRF-TOKEN=tok")
        );
    }

    #[test]
    fn a_new_value_replaces_the_old_one() {
        let mut jar = CookieJar::default();
        jar.store("camunda-session=one; Path=/", "/login");
        jar.store("camunda-session=two; Path=/", "/v1/tasks/search");
        assert_eq!(
            jar.header_for("/v1/x").as_deref(),
            Some("camunda-session=two")
        );
    }

    #[test]
    fn max_age_zero_and_past_expires_delete() {
        let mut jar = CookieJar::default();
        jar.store("OPERATE-SESSION=abc; Path=/", "/api/login");
        jar.store("OPERATE-SESSION=; Path=/; Max-Age=0", "/api/logout");
        assert!(jar.header_for("/v1/tasks").is_none());
        assert!(jar.is_empty());
        jar.store("a=1; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT", "/");
        assert!(jar.header_for("/").is_none());
        jar.store("b=2; Path=/; Expires=Wed, 21 Oct 2099 07:28:00 GMT", "/");
        assert_eq!(jar.header_for("/").as_deref(), Some("b=2"));
    }

    #[test]
    fn paths_limit_where_cookies_go() {
        let mut jar = CookieJar::default();
        jar.store("scoped=1; Path=/v1/tasks", "/");
        assert_eq!(
            jar.header_for("/v1/tasks/search").as_deref(),
            Some("scoped=1")
        );
        assert!(jar.header_for("/v1/tasksX").is_none());
        assert!(jar.header_for("/v1/forms/1").is_none());
        jar.store("defaulted=2", "/api/login");
        assert_eq!(
            jar.header_for("/api/logout").as_deref(),
            Some("defaulted=2")
        );
        assert!(jar.header_for("/v1/forms/1").is_none());
    }

    #[test]
    fn garbage_is_ignored() {
        let mut jar = CookieJar::default();
        jar.store("no-equals-sign", "/");
        jar.store("=value", "/");
        assert!(jar.is_empty());
    }
}
