//! The cookies of one Tasklist origin: every `Set-Cookie` is kept under its own name and path
//! (session cookies are called `TASKLIST-SESSION`, `OPERATE-SESSION` or `camunda-session`
//! depending on the server, and CSRF cookies come beside them), with `Max-Age` and `Expires`.

use crate::secret::Secret;
use std::time::{Duration, SystemTime};

/// At most this many cookies are kept (RFC 6265 §6.1 asks for at least 50 per domain; the
/// jar holds one origin's cookies). A server that sets more pushes older ones out.
pub(crate) const MAX_COOKIES: usize = 50;
/// A cookie whose name and value together are longer than this is ignored (RFC 6265 §6.1).
pub(crate) const MAX_COOKIE_BYTES: usize = 4096;
/// All names and values together stay below this, so the `Cookie` header stays well under
/// the 64 KiB request heads that servers (and the emulator) accept at most.
pub(crate) const MAX_JAR_BYTES: usize = 16 * 1024;
/// The longest a cookie is kept: 400 days, the cap of RFC 6265bis §5.6.1/§5.6.2. Larger
/// `Max-Age` values and later `Expires` dates are reduced to it.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(400 * 24 * 60 * 60);

/// Which answer set a cookie.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Source {
    /// The login answer: these cookies are the session.
    Login,
    /// Any other answer.
    Answer,
}

struct Cookie {
    name: String,
    value: Secret,
    path: String,
    expires: Option<SystemTime>,
    /// Set by the login answer (or replacing a cookie that was): evicted last.
    session: bool,
    /// When it was last set, as a count of stores, for least-recently-set eviction.
    set: u64,
}

#[derive(Default)]
pub(crate) struct CookieJar {
    cookies: Vec<Cookie>,
    stores: u64,
}

impl CookieJar {
    /// Takes one `Set-Cookie` header value received for `request_path`.
    pub(crate) fn store(&mut self, set_cookie: &str, request_path: &str, source: Source) {
        self.store_at(set_cookie, request_path, source, SystemTime::now());
    }

    fn store_at(&mut self, set_cookie: &str, request_path: &str, source: Source, now: SystemTime) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
            return;
        };
        let name = name.trim();
        let value = value.trim().trim_matches('"');
        if name.is_empty() || name.len() + value.len() > MAX_COOKIE_BYTES {
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
        let mut session = source == Source::Login;
        self.cookies.retain(|c| {
            let replaced = c.name == name && c.path == path;
            // A new value for a session cookie is still the session.
            session |= replaced && c.session;
            !replaced && !c.expired(now)
        });
        let cookie = Cookie {
            name: name.to_string(),
            value: Secret::new(value),
            path,
            expires: expiry(now, max_age, expires),
            session,
            set: self.stores,
        };
        self.stores += 1;
        if cookie.expired(now) {
            return;
        }
        self.cookies.push(cookie);
        self.evict();
    }

    /// Back within the limits: cookies from ordinary answers go first, least recently set
    /// first; the login's cookies only when nothing else is left to evict.
    fn evict(&mut self) {
        let mut bytes: usize = self.cookies.iter().map(Cookie::bytes).sum();
        while self.cookies.len() > MAX_COOKIES || bytes > MAX_JAR_BYTES {
            let Some(victim) = (0..self.cookies.len()).min_by_key(|&i| {
                let c = &self.cookies[i];
                (c.session, c.set)
            }) else {
                return;
            };
            bytes -= self.cookies.remove(victim).bytes();
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

    fn bytes(&self) -> usize {
        self.name.len() + self.value.expose().len()
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
            Source::Answer,
        );
        jar.store("X-CSRF-TOKEN=tok; Path=/", "/api/login", Source::Answer);
        assert_eq!(
            jar.header_for("/v1/tasks/search").as_deref(),
            Some("TASKLIST-SESSION=abc; X-CSRF-TOKEN=tok")
        );
    }

    #[test]
    fn a_new_value_replaces_the_old_one() {
        let mut jar = CookieJar::default();
        jar.store("camunda-session=one; Path=/", "/login", Source::Answer);
        jar.store(
            "camunda-session=two; Path=/",
            "/v1/tasks/search",
            Source::Answer,
        );
        assert_eq!(
            jar.header_for("/v1/x").as_deref(),
            Some("camunda-session=two")
        );
    }

    #[test]
    fn max_age_zero_and_past_expires_delete() {
        let mut jar = CookieJar::default();
        jar.store("OPERATE-SESSION=abc; Path=/", "/api/login", Source::Answer);
        jar.store(
            "OPERATE-SESSION=; Path=/; Max-Age=0",
            "/api/logout",
            Source::Answer,
        );
        assert!(jar.header_for("/v1/tasks").is_none());
        assert!(jar.is_empty());
        jar.store(
            "a=1; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
            "/",
            Source::Answer,
        );
        assert!(jar.header_for("/").is_none());
        jar.store(
            "b=2; Path=/; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
            "/",
            Source::Answer,
        );
        assert_eq!(jar.header_for("/").as_deref(), Some("b=2"));
    }

    #[test]
    fn paths_limit_where_cookies_go() {
        let mut jar = CookieJar::default();
        jar.store("scoped=1; Path=/v1/tasks", "/", Source::Answer);
        assert_eq!(
            jar.header_for("/v1/tasks/search").as_deref(),
            Some("scoped=1")
        );
        assert!(jar.header_for("/v1/tasksX").is_none());
        assert!(jar.header_for("/v1/forms/1").is_none());
        jar.store("defaulted=2", "/api/login", Source::Answer);
        assert_eq!(
            jar.header_for("/api/logout").as_deref(),
            Some("defaulted=2")
        );
        assert!(jar.header_for("/v1/forms/1").is_none());
    }

    #[test]
    fn garbage_is_ignored() {
        let mut jar = CookieJar::default();
        jar.store("no-equals-sign", "/", Source::Answer);
        jar.store("=value", "/", Source::Answer);
        assert!(jar.is_empty());
    }

    fn names(jar: &CookieJar) -> Vec<&str> {
        jar.cookies.iter().map(|c| c.name.as_str()).collect()
    }

    fn expiry_of(jar: &CookieJar, name: &str) -> Option<SystemTime> {
        jar.cookies.iter().find(|c| c.name == name).unwrap().expires
    }

    #[test]
    fn at_most_fifty_cookies_and_the_least_recently_set_go_first() {
        let mut jar = CookieJar::default();
        for i in 0..60 {
            jar.store(&format!("c{i}=v; Path=/"), "/", Source::Answer);
            // c0 is set again each time, so it stays among the most recently set.
            jar.store("c0=again; Path=/", "/", Source::Answer);
        }
        assert_eq!(jar.cookies.len(), MAX_COOKIES);
        let kept = names(&jar);
        assert!(kept.contains(&"c0"));
        for evicted in 1..11 {
            assert!(
                !kept.contains(&format!("c{evicted}").as_str()),
                "c{evicted} kept"
            );
        }
        assert!(kept.contains(&"c11") && kept.contains(&"c59"));
    }

    #[test]
    fn a_flood_does_not_push_the_login_cookies_out() {
        let mut jar = CookieJar::default();
        jar.store("TASKLIST-SESSION=s; Path=/", "/api/login", Source::Login);
        jar.store("X-CSRF-TOKEN=t; Path=/", "/api/login", Source::Login);
        for i in 0..500 {
            jar.store(&format!("flood{i}=x; Path=/"), "/v1/x", Source::Answer);
        }
        assert_eq!(jar.cookies.len(), MAX_COOKIES);
        let header = jar.header_for("/v1/x").unwrap();
        assert!(header.contains("TASKLIST-SESSION=s") && header.contains("X-CSRF-TOKEN=t"));
        assert!(header.contains("flood499=x") && !header.contains("flood449=x"));
        // A new value from an ordinary answer is still the session: it is kept too.
        jar.store("TASKLIST-SESSION=s2; Path=/", "/v1/x", Source::Answer);
        for i in 0..100 {
            jar.store(&format!("more{i}=x; Path=/"), "/v1/x", Source::Answer);
        }
        assert!(jar.header_for("/").unwrap().contains("TASKLIST-SESSION=s2"));
    }

    #[test]
    fn login_cookies_alone_are_limited_too() {
        let mut jar = CookieJar::default();
        for i in 0..MAX_COOKIES + 5 {
            jar.store(&format!("login{i}=v; Path=/"), "/", Source::Login);
        }
        assert_eq!(jar.cookies.len(), MAX_COOKIES);
        assert!(!names(&jar).contains(&"login0"));
        // With the jar full of session cookies, another answer's cookie is the one dropped.
        jar.store("late=v; Path=/", "/", Source::Answer);
        assert!(!names(&jar).contains(&"late"));
        assert_eq!(jar.cookies.len(), MAX_COOKIES);
    }

    #[test]
    fn a_cookie_over_4096_bytes_is_ignored_and_does_not_replace_the_old_one() {
        let mut jar = CookieJar::default();
        jar.store("big=small; Path=/", "/", Source::Answer);
        let name_and_value = MAX_COOKIE_BYTES - "big".len();
        jar.store(
            &format!("big={}; Path=/", "v".repeat(name_and_value)),
            "/",
            Source::Answer,
        );
        assert_eq!(
            jar.header_for("/").unwrap().len(),
            "big=".len() + name_and_value
        );
        jar.store(
            &format!("big={}; Path=/", "w".repeat(name_and_value + 1)),
            "/",
            Source::Answer,
        );
        assert!(jar.header_for("/").unwrap().starts_with("big=v"));
    }

    #[test]
    fn names_and_values_stay_within_16_kib_in_all() {
        let mut jar = CookieJar::default();
        jar.store("TASKLIST-SESSION=s; Path=/", "/api/login", Source::Login);
        for i in 0..40 {
            jar.store(
                &format!("b{i}={}; Path=/", "x".repeat(4000)),
                "/",
                Source::Answer,
            );
        }
        let total: usize = jar.cookies.iter().map(Cookie::bytes).sum();
        assert!(total <= MAX_JAR_BYTES, "{total} bytes");
        let kept = names(&jar);
        assert!(kept.contains(&"TASKLIST-SESSION") && kept.contains(&"b39"));
        assert!(!kept.contains(&"b35"));
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
            jar.store_at(&format!("a=1; Max-Age={max_age}"), "/", Source::Answer, now);
            assert_eq!(expiry_of(&jar, "a"), Some(cap), "Max-Age={max_age}");
        }
        let mut jar = CookieJar::default();
        jar.store_at("a=1; Max-Age=60", "/", Source::Answer, now);
        assert_eq!(expiry_of(&jar, "a"), Some(now + Duration::from_secs(60)));
    }

    #[test]
    fn far_expires_dates_are_capped_and_max_age_wins_over_expires() {
        let now = SystemTime::now();
        let mut jar = CookieJar::default();
        jar.store_at(
            "a=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT",
            "/",
            Source::Answer,
            now,
        );
        assert_eq!(expiry_of(&jar, "a"), Some(now + MAX_LIFETIME));
        jar.store_at(
            "b=1; Max-Age=10; Expires=Fri, 31 Dec 9999 23:59:59 GMT",
            "/",
            Source::Answer,
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
            jar.store_at(&format!("{name}=1; {attribute}"), "/", Source::Answer, now);
            assert_eq!(expiry_of(&jar, name), None, "{attribute} is ignored");
        }
        // The last valid Max-Age counts; an invalid one after it does not undo it.
        jar.store_at("last=1; Max-Age=5; Max-Age=x", "/", Source::Answer, now);
        assert_eq!(expiry_of(&jar, "last"), Some(now + Duration::from_secs(5)));
        for deleting in [
            "-1",
            "-0",
            "0",
            "-9223372036854775808",
            "-99999999999999999999",
        ] {
            jar.store_at(
                &format!("plus=1; Max-Age={deleting}"),
                "/",
                Source::Answer,
                now,
            );
            jar.store_at("plus=1", "/", Source::Answer, now);
            jar.store_at(
                &format!("plus=1; Max-Age={deleting}"),
                "/",
                Source::Answer,
                now,
            );
            assert!(!names(&jar).contains(&"plus"), "Max-Age={deleting} deletes");
        }
    }

    #[test]
    fn expired_cookies_are_dropped_when_storing() {
        let now = SystemTime::now();
        let mut jar = CookieJar::default();
        jar.store_at("short=1; Max-Age=10", "/", Source::Answer, now);
        jar.store_at("long=1; Max-Age=1000", "/", Source::Answer, now);
        assert_eq!(jar.cookies.len(), 2);
        jar.store_at("next=1", "/", Source::Answer, now + Duration::from_secs(11));
        assert_eq!(names(&jar), ["long", "next"]);
    }
}
