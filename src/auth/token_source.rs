//! OAuth 2.0 client credentials: fetch a token, cache it until shortly before it expires,
//! and make sure that however many threads need one, only one request is in flight.

use crate::config::{ClientAuth, Config, OAuth, TokenFormat};
use crate::error::{Code, Error, Result};
use crate::retry::{parse_retry_after, Backoff, Idempotency};
use crate::secret::Secret;
use crate::transport::{Body, Failure, Outgoing, Transport};
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

/// Lifetime assumed when the answer has neither `expires_in` nor a JWT `exp`.
const FALLBACK_LIFETIME: Duration = Duration::from_secs(60);
/// The longest lifetime believed: a token that claims to live longer (Java's `Long.MAX_VALUE`
/// seconds, `1e300`) is kept as if it lived a day, then replaced. Every instant computed from
/// a server's number stays far from overflowing the clock, and a genuinely long-lived token
/// costs one fetch a day.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// Taken off `expires_in`: servers round the token's `exp` down to a whole second, and the
/// answer spent time on the way, so up to a second of the lifetime is gone on arrival. Without
/// it a short-lived token can be refused just before its computed refresh time.
const EXPIRES_IN_ALLOWANCE: Duration = Duration::from_secs(1);
/// After the endpoint rejected the credentials, further attempts fail at once for this long,
/// so a busy program cannot hammer (and get itself blocked by) the authorization server.
pub(crate) const REJECTION_COOLDOWN: Duration = Duration::from_secs(10);

/// Characters left as they are in `application/x-www-form-urlencoded` values.
pub(crate) const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A usable token and the generation it belongs to (to drop exactly this one on a 401).
#[derive(Clone)]
pub(crate) struct Token {
    pub header: Arc<Secret>,
    pub generation: u64,
    refresh_at: Instant,
    expires_at: Instant,
}

#[derive(Default)]
struct State {
    token: Option<Token>,
    fetching: bool,
    /// Completed fetches; a waiter that sees it change knows a fetch ended while it waited.
    fetches_done: u64,
    generation: u64,
    last_failure: Option<Error>,
    rejected_at: Option<Instant>,
    /// After a failed refresh the old token keeps serving; the next attempt waits until then
    /// so that an unavailable endpoint is not asked again on every call.
    next_refresh_attempt: Option<Instant>,
    /// Threads inside `wait_timeout`, so that a unit test can tell they are all waiting.
    #[cfg(test)]
    waiting: usize,
}

/// Pause between refresh attempts while a still-valid token is being served.
const REFRESH_RETRY_PAUSE: Duration = Duration::from_secs(2);
/// A thread waiting for another thread's fetch gives up this long after the request timeout
/// (the budget of that fetch) has passed: the fetch should have ended by then.
const WAIT_GRACE: Duration = Duration::from_secs(1);

/// How persistently an unavailable token endpoint is asked again.
struct RetryLimits {
    max_retries: u32,
    /// All attempts and pauses of one fetch stay within the request timeout.
    budget: Duration,
}

pub(crate) struct TokenSource {
    oauth: OAuth,
    scope: Option<String>,
    format: TokenFormat,
    client_auth: ClientAuth,
    retry: RetryLimits,
    /// How long a thread waits for the fetch of another before it gives up.
    wait_limit: Duration,
    state: Mutex<State>,
    fetch_ended: Condvar,
}

impl TokenSource {
    pub(crate) fn new(oauth: OAuth, config: &Config) -> TokenSource {
        TokenSource {
            oauth,
            scope: config.scope.clone(),
            format: config.token_format,
            client_auth: config.client_auth,
            retry: RetryLimits {
                max_retries: config.max_retries,
                budget: config.request_timeout,
            },
            wait_limit: config.request_timeout.saturating_add(WAIT_GRACE),
            state: Mutex::new(State::default()),
            fetch_ended: Condvar::new(),
        }
    }

    /// A token valid now: the cached one, or a fresh one fetched by this thread or by the
    /// thread already fetching (whose result or error is shared).
    ///
    /// A thread never waits for another one's fetch longer than the request timeout plus
    /// [`WAIT_GRACE`]; past that it answers `AuthUnavailable`.
    pub(crate) fn token(&self, transport: &Transport) -> Result<Token> {
        let deadline = after(Instant::now(), self.wait_limit);
        let mut state = self.lock();
        let fetches_seen = state.fetches_done;
        loop {
            let now = Instant::now();
            if let Some(token) = &state.token {
                // Inside the refresh window the old token still works: threads that find a
                // fetch under way keep using it instead of waiting.
                let refresh_paused = state.next_refresh_attempt.is_some_and(|at| now < at);
                if now < token.refresh_at
                    || ((state.fetching || refresh_paused) && now < token.expires_at)
                {
                    return Ok(token.clone());
                }
            }
            if state.fetching {
                let left = deadline.saturating_duration_since(now);
                if left.is_zero() {
                    return Err(self.gave_up_waiting());
                }
                #[cfg(test)]
                {
                    state.waiting += 1;
                }
                state = self
                    .fetch_ended
                    .wait_timeout(state, left)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
                #[cfg(test)]
                {
                    state.waiting -= 1;
                }
                if state.fetches_done != fetches_seen && state.token.is_none() {
                    if let Some(error) = &state.last_failure {
                        return Err(error.clone());
                    }
                }
                continue;
            }
            if let (Some(at), Some(error)) = (state.rejected_at, &state.last_failure) {
                if now.duration_since(at) < REJECTION_COOLDOWN {
                    return Err(error.clone());
                }
            }
            state.fetching = true;
            let guard = FetchGuard {
                source: self,
                stored: false,
            };
            drop(state);
            let fetched = self.fetch(transport);
            return guard.finish(fetched);
        }
    }

    fn gave_up_waiting(&self) -> Error {
        Error::new(
            Code::AuthUnavailable,
            format!(
                "{}: gave up after {} ms waiting for the token another thread is fetching",
                self.endpoint_label(),
                self.wait_limit.as_millis()
            ),
        )
    }

    /// Forgets the token of this generation (Tasklist refused it); a newer one is kept.
    pub(crate) fn invalidate(&self, generation: u64) {
        let mut state = self.lock();
        if state.token.as_ref().map(|t| t.generation) == Some(generation) {
            state.token = None;
        }
    }

    /// Stores the outcome of a fetch and ends it, under one lock so that no waiter can see
    /// the fetch ended without its result. The fetch is marked ended last: should anything
    /// here panic, it is still in flight, and [`FetchGuard`] ends it.
    fn store(&self, state: &mut State, fetched: Result<(Secret, Duration)>) -> Result<Token> {
        let outcome = self.keep(state, fetched);
        state.fetches_done = state.fetches_done.wrapping_add(1);
        state.fetching = false;
        outcome
    }

    /// Puts the outcome of a fetch into the state, the fetch still marked under way.
    fn keep(&self, state: &mut State, fetched: Result<(Secret, Duration)>) -> Result<Token> {
        match fetched {
            Ok((access_token, lifetime)) => {
                state.generation += 1;
                #[cfg(test)]
                tests::maybe_panic_while_storing();
                let now = Instant::now();
                let token = Token {
                    header: Arc::new(Secret::new(format!("Bearer {}", access_token.expose()))),
                    generation: state.generation,
                    refresh_at: after(now, lifetime.saturating_sub(refresh_margin(lifetime))),
                    expires_at: after(now, lifetime),
                };
                state.token = Some(token.clone());
                state.last_failure = None;
                state.rejected_at = None;
                state.next_refresh_attempt = None;
                Ok(token)
            }
            Err(error) => {
                if error.code() == Code::AuthFailed {
                    state.rejected_at = Some(Instant::now());
                }
                state.last_failure = Some(error.clone());
                // A still-valid token beats an error: the next call tries to refresh again.
                match &state.token {
                    Some(t) if Instant::now() < t.expires_at => {
                        state.next_refresh_attempt =
                            Some(after(Instant::now(), REFRESH_RETRY_PAUSE));
                        Ok(t.clone())
                    }
                    _ => {
                        state.token = None;
                        Err(error)
                    }
                }
            }
        }
    }

    /// Asks the token endpoint until it gives a token, refuses the credentials, or the
    /// retries run out. 429, 5xx and network failures are worth another try after a pause
    /// (the server's `Retry-After`, else exponential back-off with full jitter); the pauses
    /// never run past the request timeout, so waiting threads are never stuck for long.
    fn fetch(&self, transport: &Transport) -> Result<(Secret, Duration)> {
        let started = Instant::now();
        let mut backoff = Backoff::new(self.retry.max_retries, self.retry.budget);
        loop {
            let transient = match self.ask(transport, started, backoff.retries()) {
                Attempt::Token(token, lifetime) => return Ok((token, lifetime)),
                Attempt::Final(error) => return Err(error),
                Attempt::Transient(transient) => transient,
            };
            // Any wait at least as long as the budget ends the fetch; clamping it to the
            // budget keeps that decision and keeps a server's `Retry-After: 18446744073709551615`
            // from overflowing the sum with the time already spent.
            let asked = transient
                .retry_after
                .map(|wait| wait.min(self.retry.budget));
            match backoff.pause(asked, started.elapsed()) {
                Some(pause) => std::thread::sleep(pause),
                None => {
                    let retries = backoff.retries();
                    let out_of_time = retries < self.retry.max_retries;
                    return Err(transient.give_up(retries, out_of_time));
                }
            }
        }
    }

    /// One exchange with the token endpoint, classified.
    fn ask(&self, transport: &Transport, started: Instant, retries: u32) -> Attempt {
        let body = Secret::new(self.request_body());
        let authorization = self.basic_authorization();
        let label = self.endpoint_label();
        let request = Outgoing {
            method: crate::transport::Method::Post,
            url: &self.oauth.token_url,
            headers: authorization
                .iter()
                .map(|value| ("authorization", value.expose().to_string()))
                .collect(),
            body: match self.format {
                TokenFormat::Form => Body::Form(body.expose()),
                TokenFormat::Json => Body::Json(body.expose()),
            },
            // Asking for a token twice is harmless; `fetch` decides about retries.
            idempotency: Idempotency::Safe,
            label: &label,
        };
        let answer = match transport.attempt(&request, started, self.retry.budget, retries) {
            Ok(answer) => answer,
            Err(failure) => return failure_attempt(failure),
        };
        if (200..300).contains(&answer.status) {
            return match parse_token_answer(&answer.body) {
                Ok((token, lifetime)) => Attempt::Token(token, lifetime),
                Err(why) => Attempt::Final(
                    Error::new(
                        Code::AuthUnavailable,
                        format!("{label}: malformed answer: {why}"),
                    )
                    .with_answer(answer.status, None),
                ),
            };
        }
        let reason = oauth_error_text(&answer.body);
        if is_rejection(answer.status, &answer.body) {
            let error = Error::new(
                Code::AuthFailed,
                format!(
                    "{label} rejected the credentials of client '{}' (HTTP {}{reason})",
                    self.oauth.client_id, answer.status
                ),
            );
            return Attempt::Final(error.with_answer(answer.status, Some(answer.body)));
        }
        let why = format!("{label} answered HTTP {}{reason}", answer.status);
        if answer.status == 429 || (500..600).contains(&answer.status) {
            return Attempt::Transient(Transient {
                why,
                retry_after: answer
                    .headers
                    .retry_after
                    .as_deref()
                    .and_then(parse_retry_after),
                status: answer.status,
                body: Some(answer.body),
            });
        }
        Attempt::Final(
            Error::new(Code::AuthUnavailable, why).with_answer(answer.status, Some(answer.body)),
        )
    }

    fn endpoint_label(&self) -> String {
        format!("token endpoint {}", self.oauth.token_url)
    }

    /// `client_secret_basic`: RFC 6749 §2.3.1 form-encodes id and secret before base64.
    fn basic_authorization(&self) -> Option<Secret> {
        if self.client_auth != ClientAuth::Basic {
            return None;
        }
        let pair = Secret::new(format!(
            "{}:{}",
            utf8_percent_encode(&self.oauth.client_id, FORM_VALUE),
            utf8_percent_encode(self.oauth.client_secret.expose(), FORM_VALUE)
        ));
        let encoded = Secret::new(base64::engine::general_purpose::STANDARD.encode(pair.expose()));
        Some(Secret::new(format!("Basic {}", encoded.expose())))
    }

    fn request_body(&self) -> String {
        let mut fields: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        if self.client_auth == ClientAuth::Post {
            fields.push(("client_id", &self.oauth.client_id));
            fields.push(("client_secret", self.oauth.client_secret.expose()));
        }
        if let Some(audience) = &self.oauth.audience {
            fields.push(("audience", audience));
        }
        if let Some(scope) = &self.scope {
            fields.push(("scope", scope));
        }
        match self.format {
            TokenFormat::Form => fields
                .iter()
                .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, FORM_VALUE)))
                .collect::<Vec<_>>()
                .join("&"),
            TokenFormat::Json => {
                let map: serde_json::Map<String, serde_json::Value> = fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                    .collect();
                serde_json::Value::Object(map).to_string()
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent data (every update is a single
        // assignment, and a fetch that panicked is ended by its guard), so recovering the
        // guard is safe.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Ends the fetch in flight whatever happens: normally through [`FetchGuard::finish`]; if
/// the fetch, or the storing of its outcome, panicked, on drop. Either way every waiter is
/// woken, so none is left waiting for an outcome that never comes.
struct FetchGuard<'a> {
    source: &'a TokenSource,
    /// The outcome is stored and the fetch marked ended; nothing is left for `drop` to undo.
    stored: bool,
}

impl FetchGuard<'_> {
    fn finish(mut self, fetched: Result<(Secret, Duration)>) -> Result<Token> {
        let outcome = {
            let mut state = self.source.lock();
            self.source.store(&mut state, fetched)
        };
        self.stored = true;
        outcome
        // `self` drops here, with the lock released, and wakes the waiters.
    }
}

impl Drop for FetchGuard<'_> {
    fn drop(&mut self) {
        if !self.stored {
            // Only assignments, nothing that can panic again while unwinding. The fetch is
            // still ours: no other can start while `fetching` is set.
            let mut state = self.source.lock();
            state.last_failure = Some(Error::internal("the token fetch was interrupted"));
            let now = Instant::now();
            if state.token.as_ref().is_some_and(|t| now < t.expires_at) {
                // As after a failed refresh: the old token serves, the next try waits.
                state.next_refresh_attempt = Some(after(now, REFRESH_RETRY_PAUSE));
            } else {
                state.token = None;
            }
            state.fetches_done = state.fetches_done.wrapping_add(1);
            state.fetching = false;
        }
        self.source.fetch_ended.notify_all();
    }
}

/// What one exchange with the token endpoint came to.
enum Attempt {
    Token(Secret, Duration),
    /// Asking again would not help: rejected credentials, a malformed answer, another 4xx.
    Final(Error),
    /// Worth another try after a pause: 429, 5xx, a connection that failed or broke.
    Transient(Transient),
}

struct Transient {
    /// Names the endpoint and what went wrong; never the secret.
    why: String,
    retry_after: Option<Duration>,
    status: u16,
    body: Option<String>,
}

impl Transient {
    /// The error once no retry is left, or when the next pause would outlast the request
    /// timeout (a long `Retry-After`, say): the message tells which.
    fn give_up(self, retries: u32, out_of_time: bool) -> Error {
        let mut why = self.why;
        match retries {
            0 => {}
            1 => why.push_str(" (after 1 retry)"),
            n => why.push_str(&format!(" (after {n} retries)")),
        }
        if out_of_time {
            match self.retry_after {
                Some(wait) => why.push_str(&format!(
                    "; it asked to retry after {} s, longer than the request timeout allows",
                    wait.as_secs()
                )),
                None => why.push_str("; the request timeout leaves no time for another try"),
            }
        }
        let error = Error::new(Code::AuthUnavailable, why);
        match self.status {
            0 => error,
            status => error.with_answer(status, self.body),
        }
    }
}

/// A failure to get any answer: worth retrying when the network may recover.
fn failure_attempt(failure: Failure) -> Attempt {
    let code = failure.error.code();
    let why = failure.error.message().to_string();
    if matches!(code, Code::Connect | Code::Timeout | Code::Io) {
        Attempt::Transient(Transient {
            why,
            retry_after: None,
            status: 0,
            body: None,
        })
    } else {
        // TLS, a bad URL, an oversized answer: the same request would fail the same way.
        Attempt::Final(Error::new(Code::AuthUnavailable, why))
    }
}

/// The endpoint refused these credentials: asking again with them cannot succeed.
fn is_rejection(status: u16, body: &str) -> bool {
    matches!(status, 401 | 403)
        || (status == 400
            && matches!(
                oauth_error_code(body).as_deref(),
                Some("invalid_client" | "unauthorized_client" | "invalid_grant" | "access_denied")
            ))
}

/// Refresh ahead by max(30 s, 5 % of the lifetime), but never more than a fifth of it, so a
/// short token is not refetched on every call. At least 2 s (or half a very short lifetime)
/// stay as margin, so that a request sent just before the refresh still arrives in time on
/// a slow or loaded machine.
pub(crate) fn refresh_margin(lifetime: Duration) -> Duration {
    Duration::from_secs(30)
        .max(lifetime / 20)
        .min(lifetime / 5)
        .max(Duration::from_secs(2).min(lifetime / 2))
}

/// The access token and its lifetime: `expires_in`, else the JWT `exp`, else 60 s.
fn parse_token_answer(body: &str) -> std::result::Result<(Secret, Duration), String> {
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|_| "the body is not JSON".to_string())?;
    let token = value
        .get("access_token")
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .ok_or("no access_token")?;
    if token.chars().any(|c| c.is_control() || c == ' ') {
        return Err("the access_token contains spaces or control characters".into());
    }
    let expires_in = match value.get("expires_in") {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|s| s.is_finite())
    .and_then(clamped_seconds)
    .map(|lifetime| {
        lifetime
            .saturating_sub(EXPIRES_IN_ALLOWANCE)
            .max(lifetime / 2)
    });
    let lifetime = expires_in
        .or_else(|| jwt_remaining_lifetime(token))
        .unwrap_or(FALLBACK_LIFETIME);
    Ok((Secret::new(token), lifetime))
}

/// Time left until the `exp` claim of a JWT; `None` for opaque tokens.
pub(crate) fn jwt_remaining_lifetime(token: &str) -> Option<Duration> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    clamped_seconds(exp - now)
}

/// A positive number of seconds from a server, at most [`MAX_LIFETIME`]; `None` for zero,
/// negative or NaN. Never panics, unlike `Duration::from_secs_f64` with `1e300`.
fn clamped_seconds(seconds: f64) -> Option<Duration> {
    if seconds.is_nan() || seconds <= 0.0 {
        return None;
    }
    let seconds = seconds.min(MAX_LIFETIME.as_secs_f64());
    Some(Duration::try_from_secs_f64(seconds).unwrap_or(MAX_LIFETIME))
}

/// `base + wait`, with `wait` clamped to [`MAX_LIFETIME`], which no platform's monotonic clock
/// overflows. Should a clock overflow anyway, `base` itself: the token counts as expiring at
/// once, the wait ends at once, which is early but never a panic.
fn after(base: Instant, wait: Duration) -> Instant {
    base.checked_add(wait.min(MAX_LIFETIME)).unwrap_or(base)
}

fn oauth_error_code(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value.get("error")?.as_str().map(str::to_string)
}

/// ": invalid_client: client authentication failed" from an RFC 6749 error body.
fn oauth_error_text(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return String::new();
    };
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).unwrap_or("");
    let text = [field("error"), field("error_description"), field("message")]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(200).collect::<String>())
        .collect::<Vec<_>>()
        .join(": ");
    if text.is_empty() {
        text
    } else {
        format!(": {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_margin_scales_with_the_lifetime() {
        assert_eq!(
            refresh_margin(Duration::from_secs(2)),
            Duration::from_secs(1)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(5)),
            Duration::from_secs(2)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(10)),
            Duration::from_secs(2)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(60)),
            Duration::from_secs(12)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(300)),
            Duration::from_secs(30)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(86_400)),
            Duration::from_secs(4_320)
        );
    }

    #[test]
    fn lifetime_comes_from_expires_in_first() {
        let (t, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":300}"#).unwrap();
        assert_eq!(t.expose(), "abc");
        assert_eq!(
            l,
            Duration::from_secs(299),
            "a second is allowed for rounding"
        );
        let (_, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":"120"}"#).unwrap();
        assert_eq!(l, Duration::from_secs(119));
        let (_, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":1}"#).unwrap();
        assert_eq!(
            l,
            Duration::from_millis(500),
            "a tiny lifetime is not wiped out"
        );
    }

    #[test]
    fn lifetime_falls_back_to_jwt_exp_then_sixty_seconds() {
        let exp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 1000;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let jwt = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"HS256"}"#),
            b64(&format!(r#"{{"exp":{exp}}}"#))
        );
        let (_, l) = parse_token_answer(&format!(r#"{{"access_token":"{jwt}"}}"#)).unwrap();
        assert!(
            l > Duration::from_secs(990) && l <= Duration::from_secs(1000),
            "{l:?}"
        );
        let (_, l) = parse_token_answer(r#"{"access_token":"opaque-token"}"#).unwrap();
        assert_eq!(l, FALLBACK_LIFETIME);
    }

    #[test]
    fn absurd_lifetimes_are_clamped_to_a_day() {
        let lifetime = |answer: &str| parse_token_answer(answer).unwrap().1;
        let a_day = MAX_LIFETIME - EXPIRES_IN_ALLOWANCE;
        for expires_in in [
            "9223372036854775807",
            "18446744073709551615",
            "1e300",
            "\"1e300\"",
            "1.7976931348623157e308",
            "86401",
        ] {
            let answer = format!(r#"{{"access_token":"abc","expires_in":{expires_in}}}"#);
            assert_eq!(lifetime(&answer), a_day, "expires_in {expires_in}");
        }
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        for exp in ["18446744073709551615", "9223372036854775807", "1e300"] {
            let jwt = format!("{}.{}.sig", b64("{}"), b64(&format!(r#"{{"exp":{exp}}}"#)));
            assert_eq!(
                jwt_remaining_lifetime(&jwt),
                Some(MAX_LIFETIME),
                "exp {exp}"
            );
        }
        // Nonsense that is not a lifetime at all falls back as before.
        for expires_in in ["0", "-5", "\"NaN\"", "\"inf\"", "\"soon\""] {
            let answer = format!(r#"{{"access_token":"abc","expires_in":{expires_in}}}"#);
            assert_eq!(
                lifetime(&answer),
                FALLBACK_LIFETIME,
                "expires_in {expires_in}"
            );
        }
    }

    #[test]
    fn instants_never_overflow() {
        let now = Instant::now();
        assert_eq!(after(now, Duration::MAX), now + MAX_LIFETIME);
        assert_eq!(
            after(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
    }

    #[test]
    fn malformed_answers_are_refused() {
        assert!(parse_token_answer("<html>").is_err());
        assert!(parse_token_answer(r#"{"token":"x"}"#).is_err());
        assert!(parse_token_answer(r#"{"access_token":""}"#).is_err());
        assert!(parse_token_answer(r#"{"access_token":"a b"}"#).is_err());
    }

    fn oauth() -> OAuth {
        OAuth {
            token_url: "http://a/token".into(),
            client_id: "my client".into(),
            client_secret: Secret::new("p&ss=word"),
            audience: Some("tasklist.camunda.io".into()),
        }
    }

    fn source(adjust: impl FnOnce(&mut Config)) -> TokenSource {
        let mut config = Config::default();
        adjust(&mut config);
        TokenSource::new(oauth(), &config)
    }

    /// A transport to an address where nothing listens.
    fn nowhere() -> Transport {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        Transport::new(&Config::default(), &url).unwrap()
    }

    /// Calls `token` on another thread; the outcome arrives on the channel.
    fn token_on_a_thread(source: &Arc<TokenSource>) -> std::sync::mpsc::Receiver<Result<Token>> {
        let (done, outcome) = std::sync::mpsc::channel();
        let source = Arc::clone(source);
        std::thread::spawn(move || {
            let _ = done.send(source.token(&nowhere()));
        });
        outcome
    }

    #[test]
    fn a_waiter_gives_up_when_the_fetch_it_waits_for_never_ends() {
        let source = Arc::new(source(|c| c.request_timeout = Duration::from_millis(50)));
        // A fetch under way that never ends (as a fetcher stuck past its budget would be).
        source.lock().fetching = true;
        let outcome = token_on_a_thread(&source)
            .recv_timeout(Duration::from_secs(30))
            .expect("the waiter returns instead of waiting forever");
        let error = outcome.err().expect("no token came");
        assert_eq!(error.code(), Code::AuthUnavailable);
        assert!(
            error
                .message()
                .contains("gave up after 1050 ms waiting for the token another thread"),
            "{}",
            error.message()
        );
    }

    thread_local! {
        static PANIC_WHILE_STORING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// Called by `keep` in unit tests: panics there when this thread asked for it.
    pub(super) fn maybe_panic_while_storing() {
        if PANIC_WHILE_STORING.with(|p| p.get()) {
            panic!("injected: a bug while storing a fetched token");
        }
    }

    /// Four threads wait for a fetch that this thread runs and that panics; every one of them
    /// must be woken with the interruption, and no fetch may be left under way.
    fn waiters_of_a_panicking_fetch_come_back(fetch: impl FnOnce(FetchGuard<'_>)) {
        let source = Arc::new(source(|c| c.max_retries = 0));
        // This thread plays the fetcher: it marks the fetch under way, as `token` does.
        source.lock().fetching = true;
        let waiters: Vec<_> = (0..4).map(|_| token_on_a_thread(&source)).collect();
        let started = Instant::now();
        while source.lock().waiting < waiters.len() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the threads never started waiting"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            fetch(FetchGuard {
                source: &source,
                stored: false,
            })
        }));
        assert!(panicked.is_err());
        // With the default 60 s request timeout, only a wake-up brings them back this soon.
        for waiter in waiters {
            let outcome = waiter
                .recv_timeout(Duration::from_secs(30))
                .expect("a waiter of a fetch that panicked is woken");
            let error = outcome.err().expect("no token came");
            assert_eq!(error.code(), Code::Internal, "{error:?}");
            assert_eq!(error.message(), "the token fetch was interrupted");
        }
        let state = source.lock();
        assert!(!state.fetching, "the fetch is ended");
        assert_eq!(state.fetches_done, 1);
        assert!(state.token.is_none() && state.last_failure.is_some());
    }

    #[test]
    fn a_fetch_that_panics_still_wakes_every_waiter() {
        waiters_of_a_panicking_fetch_come_back(|_guard| {
            panic!("injected: a bug in the middle of a token fetch");
        });
    }

    #[test]
    fn a_panic_while_storing_a_token_still_wakes_every_waiter() {
        waiters_of_a_panicking_fetch_come_back(|guard| {
            PANIC_WHILE_STORING.with(|p| p.set(true));
            let stored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                guard.finish(Ok((Secret::new("fetched"), Duration::from_secs(60))))
            }));
            PANIC_WHILE_STORING.with(|p| p.set(false));
            if let Err(panic) = stored {
                std::panic::resume_unwind(panic);
            }
        });
    }

    #[test]
    fn form_and_json_bodies_carry_every_field_encoded() {
        let form = source(|c| c.scope = Some("api://x/.default".into()));
        assert_eq!(
            form.request_body(),
            "grant_type=client_credentials&client_id=my%20client&client_secret=p%26ss%3Dword\
             &audience=tasklist.camunda.io&scope=api%3A%2F%2Fx%2F.default"
        );
        assert!(form.basic_authorization().is_none());
        let json = source(|c| c.token_format = TokenFormat::Json);
        let body: serde_json::Value = serde_json::from_str(&json.request_body()).unwrap();
        assert_eq!(body["grant_type"], "client_credentials");
        assert_eq!(body["client_secret"], "p&ss=word");
        assert_eq!(body["audience"], "tasklist.camunda.io");
        assert!(body.get("scope").is_none());
    }

    #[test]
    fn client_secret_basic_moves_the_credentials_into_the_header() {
        let basic = source(|c| c.client_auth = ClientAuth::Basic);
        assert_eq!(
            basic.request_body(),
            "grant_type=client_credentials&audience=tasklist.camunda.io"
        );
        let header = basic.basic_authorization().unwrap();
        let encoded = header.expose().strip_prefix("Basic ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        // RFC 6749 §2.3.1: both halves form-encoded, so a ':' in the id cannot split wrongly.
        assert_eq!(decoded, b"my%20client:p%26ss%3Dword");
    }

    #[test]
    fn only_refusals_of_the_credentials_count_as_rejections() {
        assert!(is_rejection(401, ""));
        assert!(is_rejection(403, "<html>"));
        assert!(is_rejection(400, r#"{"error":"invalid_client"}"#));
        assert!(is_rejection(400, r#"{"error":"unauthorized_client"}"#));
        assert!(!is_rejection(400, r#"{"error":"invalid_request"}"#));
        assert!(!is_rejection(429, ""));
        assert!(!is_rejection(500, ""));
    }

    #[test]
    fn oauth_error_bodies_are_summarised() {
        assert_eq!(
            oauth_error_text(r#"{"error":"invalid_client","error_description":"bad secret"}"#),
            ": invalid_client: bad secret"
        );
        assert_eq!(oauth_error_text("not json"), "");
    }
}
