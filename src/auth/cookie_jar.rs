//! The cookies of one Tasklist origin: every `Set-Cookie` is kept under its own name and path
//! (session cookies are called `TASKLIST-SESSION`, `OPERATE-SESSION` or `camunda-session`
//! depending on the server, and CSRF cookies come beside them), with `Max-Age` and `Expires`.

use crate::secret::Secret;
use std::time::{Duration, SystemTime};

/// The longest a cookie is kept: 400 days, the cap of RFC 6265bis §5.6.1/§5.6.2. Larger
/// `Max-Age` values and later `Expires` dates are reduced to it.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(400 * 24 * 60 * 60);

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
        self.store_at(set_cookie, request_path, SystemTime::now());
    }

    fn store_at(&mut self, set_cookie: &str, request_path: &str, now: SystemTime) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
            return;
        };
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let mut path = None;
        let mut max_age = None;
        let mut expires = None;
        // An invalid attribute is ignored (RFC 6265 §5.2), so the last valid one wins.
        for attribute in parts {
            let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
            let val = val.trim();
            match key.trim().to_ascii_lowercase().as_str() {
                "path" if val.starts_with('/') => path = Some(val.to_string()),
                "max-age" => max_age = max_age_seconds(val).or(max_age),
                "expires" => expires = httpdate::parse_http_date(val).ok().or(expires),
                _ => {}
            }
        }
        let path = path.unwrap_or_else(|| default_path(request_path));
        self.cookies.retain(|c| !(c.name == name && c.path == path));
        let cookie = Cookie {
            name: name.to_string(),
            value: Secret::new(value.trim().trim_matches('"')),
            path,
            expires: expiry(now, max_age, expires),
        };
        if !cookie.expired(now) {
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

/// RFC 6265 §5.2.2: a `Max-Age` value in seconds, `Some(0)` for zero or negative (delete
/// now), saturated when it overflows, `None` when it is not a number (then it is ignored).
fn max_age_seconds(value: &str) -> Option<u64> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if negative {
        return Some(0);
    }
    // Only all-digit text gets here, so the one possible error is overflow.
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// When a cookie ends: `Max-Age` wins over `Expires` (RFC 6265 §5.3), both are capped at
/// [`MAX_LIFETIME`] from now, and `None` means at the end of the client (a session cookie).
fn expiry(
    now: SystemTime,
    max_age: Option<u64>,
    expires: Option<SystemTime>,
) -> Option<SystemTime> {
    let latest = now.checked_add(MAX_LIFETIME);
    match max_age {
        Some(0) => Some(now),
        // `latest` is None only on a clock at the end of time; the cookie then lives as long
        // as the client.
        Some(seconds) => now.checked_add(Duration::from_secs(seconds).min(MAX_LIFETIME)),
        None => expires.map(|at| latest.map_or(at, |latest| at.min(latest))),
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

    fn names(jar: &CookieJar) -> Vec<&str> {
        jar.cookies.iter().map(|c| c.name.as_str()).collect()
    }

    fn expiry_of(jar: &CookieJar, name: &str) -> Option<SystemTime> {
        jar.cookies.iter().find(|c| c.name == name).unwrap().expires
    }

    #[test]
    fn huge_max_age_is_capped_at_400_days() {
        let now = SystemTime::now();
        let cap = now + MAX_LIFETIME;
        for max_age in [
            "9223372036854775807",
            "18446744073709551615",
            "99999999999999999999999999999",
            "34560001",
        ] {
            let mut jar = CookieJar::default();
            jar.store_at(&format!("a=1; Max-Age={max_age}"), "/", now);
            assert_eq!(expiry_of(&jar, "a"), Some(cap), "Max-Age={max_age}");
        }
        let mut jar = CookieJar::default();
        jar.store_at("a=1; Max-Age=60", "/", now);
        assert_eq!(expiry_of(&jar, "a"), Some(now + Duration::from_secs(60)));
    }

    #[test]
    fn far_expires_dates_are_capped_and_max_age_wins_over_expires() {
        let now = SystemTime::now();
        let mut jar = CookieJar::default();
        jar.store_at("a=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", "/", now);
        assert_eq!(expiry_of(&jar, "a"), Some(now + MAX_LIFETIME));
        jar.store_at(
            "b=1; Max-Age=10; Expires=Fri, 31 Dec 9999 23:59:59 GMT",
            "/",
            now,
        );
        assert_eq!(expiry_of(&jar, "b"), Some(now + Duration::from_secs(10)));
    }

    #[test]
    fn negative_and_malformed_max_age() {
        let now = SystemTime::now();
        let mut jar = CookieJar::default();
        for (name, attribute) in [
            ("plus", "Max-Age=+5"),
            ("letters", "Max-Age=5s"),
            ("empty", "Max-Age="),
            ("dash", "Max-Age=-"),
            ("space", "Max-Age=1 2"),
            ("garbage", "Expires=someday"),
        ] {
            jar.store_at(&format!("{name}=1; {attribute}"), "/", now);
            assert_eq!(expiry_of(&jar, name), None, "{attribute} is ignored");
        }
        // The last valid Max-Age counts; an invalid one after it does not undo it.
        jar.store_at("last=1; Max-Age=5; Max-Age=x", "/", now);
        assert_eq!(expiry_of(&jar, "last"), Some(now + Duration::from_secs(5)));
        for deleting in [
            "-1",
            "-0",
            "0",
            "-9223372036854775808",
            "-99999999999999999999",
        ] {
            jar.store_at(&format!("plus=1; Max-Age={deleting}"), "/", now);
            jar.store_at("plus=1", "/", now);
            jar.store_at(&format!("plus=1; Max-Age={deleting}"), "/", now);
            assert!(!names(&jar).contains(&"plus"), "Max-Age={deleting} deletes");
        }
    }
}
