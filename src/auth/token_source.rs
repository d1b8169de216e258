//! OAuth 2.0 client credentials: fetch a token, cache it until shortly before it expires,
//! and make sure that however many threads need one, only one request is in flight.

use crate::config::{Audience, ClientAuth, Config, OAuth, TokenFormat};
use crate::error::{Code, Error, Result};
use crate::secret::Secret;
use crate::transport::retry::{parse_retry_after, Backoff, Idempotency};
use crate::transport::{Body, Failure, Outgoing, Transport};
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

/// The audience Camunda SaaS expects for Tasklist tokens, sent unless configured otherwise.
pub const DEFAULT_AUDIENCE: &str = "tasklist.camunda.io";

/// The audience parameter a token request carries, if any.
pub(crate) fn audience(configured: &Audience) -> Option<&str> {
    match configured {
        Audience::Default => Some(DEFAULT_AUDIENCE),
        Audience::Omitted => None,
        Audience::Named(name) => Some(name),
    }
}

/// Lifetime assumed when the answer has neither `expires_in` nor a JWT `exp`.
const FALLBACK_LIFETIME: Duration = Duration::from_secs(60);
/// The longest lifetime believed: a token that claims to live longer (Java's `Long.MAX_VALUE`
/// seconds, `1e300`) is kept as if it lived a day, then replaced. Every instant computed from
/// a server's number stays far from overflowing the clock, and a genuinely long-lived token
/// costs one fetch a day.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// Taken off `expires_in`: servers round the token's `exp` down to a whole second, and the
/// answer spent time on the way, so up to a second of the lifetime may be gone on arrival.
/// At most this, and at most [`ALLOWANCE_DIVISOR`]th of the lifetime, so that a short token
/// keeps most of its life.
const EXPIRES_IN_ALLOWANCE: Duration = Duration::from_secs(1);
const ALLOWANCE_DIVISOR: u32 = 10;
/// A token is used for at least this many tenths of its stated lifetime before it is
/// refreshed, however short the lifetime: the refresh margin below never takes more.
const MIN_USE_TENTHS: u32 = 7;
/// However soon a token claims to expire, it serves this long after it arrived, and no fetch
/// starts sooner than this after the previous one ended: at most ten fetches a second, whatever
/// the token endpoint says (or a Tasklist that refuses every token provokes).
const MIN_FETCH_INTERVAL: Duration = Duration::from_millis(100);
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
    /// When the last fetch ended, however it ended; the next starts [`MIN_FETCH_INTERVAL`]
    /// later at the earliest.
    last_fetch_ended: Option<Instant>,
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
            let pace = state.last_fetch_ended.map_or(Duration::ZERO, |ended| {
                after(ended, MIN_FETCH_INTERVAL).saturating_duration_since(now)
            });
            let guard = FetchGuard {
                source: self,
                stored: false,
            };
            drop(state);
            if !pace.is_zero() {
                // Only right after a token was dropped (a 401) or a fetch failed: a token
                // serves at least MIN_FETCH_INTERVAL, so its refresh never waits here.
                std::thread::sleep(pace);
            }
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
    fn store(&self, state: &mut State, fetched: Result<Fetched>) -> Result<Token> {
        // One instant for the arrival and the end of the fetch: a token's refresh time is then
        // never sooner than MIN_FETCH_INTERVAL after `last_fetch_ended`, so it never waits.
        let now = Instant::now();
        let outcome = self.keep(state, fetched, now);
        state.last_fetch_ended = Some(now);
        state.fetches_done = state.fetches_done.wrapping_add(1);
        state.fetching = false;
        outcome
    }

    /// Puts the outcome of a fetch into the state, the fetch still marked under way.
    fn keep(&self, state: &mut State, fetched: Result<Fetched>, now: Instant) -> Result<Token> {
        match fetched {
            Ok(fetched) => {
                state.generation += 1;
                #[cfg(test)]
                tests::maybe_panic_while_storing();
                let (refresh_at, expires_at) = fetched.lifetime.schedule(fetched.sent, now);
                let token = Token {
                    header: Arc::new(Secret::new(format!("Bearer {}", fetched.token.expose()))),
                    generation: state.generation,
                    refresh_at,
                    expires_at,
                };
                state.token = Some(token.clone());
                state.last_failure = None;
                state.rejected_at = None;
                state.next_refresh_attempt = None;
                Ok(token)
            }
            Err(error) => {
                if error.code() == Code::AuthFailed {
                    state.rejected_at = Some(now);
                }
                state.last_failure = Some(error.clone());
                // A still-valid token beats an error: the next call tries to refresh again.
                match &state.token {
                    Some(t) if now < t.expires_at => {
                        state.next_refresh_attempt = Some(after(now, REFRESH_RETRY_PAUSE));
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
    fn fetch(&self, transport: &Transport) -> Result<Fetched> {
        let started = Instant::now();
        let mut backoff = Backoff::new(self.retry.max_retries, self.retry.budget);
        loop {
            let transient = match self.ask(transport, started, backoff.retries()) {
                Attempt::Token(fetched) => return Ok(fetched),
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
        // The token cannot have been issued before this: its life is counted from here.
        let sent = Instant::now();
        let answer = match transport.attempt(&request, started, self.retry.budget, retries) {
            Ok(answer) => answer,
            Err(failure) => return failure_attempt(failure),
        };
        if (200..300).contains(&answer.status) {
            return match parse_token_answer(&answer.body) {
                Ok((token, lifetime)) => Attempt::Token(Fetched {
                    token,
                    lifetime,
                    sent,
                }),
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
                    .get("retry-after")
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
        (self.client_auth == ClientAuth::Basic).then(|| client_secret_basic(&self.oauth))
    }

    fn request_body(&self) -> String {
        let mut fields: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        if self.client_auth == ClientAuth::Post {
            fields.push(("client_id", &self.oauth.client_id));
            fields.push(("client_secret", self.oauth.client_secret.expose()));
        }
        if let Some(audience) = audience(&self.oauth.audience) {
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
    fn finish(mut self, fetched: Result<Fetched>) -> Result<Token> {
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
            state.last_fetch_ended = Some(now);
            state.fetches_done = state.fetches_done.wrapping_add(1);
            state.fetching = false;
        }
        self.source.fetch_ended.notify_all();
    }
}

/// A token from the endpoint, how long it lives, and when the request for it was sent.
struct Fetched {
    token: Secret,
    lifetime: Lifetime,
    sent: Instant,
}

/// How long a token lives, by the server's word (clamped to [`MAX_LIFETIME`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Lifetime {
    /// What `expires_in` said, or what the JWT `exp` leaves, or [`FALLBACK_LIFETIME`].
    stated: Duration,
    /// How long the token may be sent: `stated` less the allowance for a rounded `exp`.
    usable: Duration,
}

impl Lifetime {
    /// From `expires_in`, which counts from when the server issued the token, in seconds
    /// that its `exp` may have rounded down.
    fn from_expires_in(stated: Duration) -> Lifetime {
        let stated = stated.min(MAX_LIFETIME);
        let allowance = EXPIRES_IN_ALLOWANCE.min(stated / ALLOWANCE_DIVISOR);
        Lifetime {
            stated,
            usable: stated - allowance,
        }
    }

    /// From a JWT `exp` or the fallback: already the time that is left.
    fn exact(stated: Duration) -> Lifetime {
        let stated = stated.min(MAX_LIFETIME);
        Lifetime {
            stated,
            usable: stated,
        }
    }

    /// How long after its request was sent the token is refreshed: the usable lifetime less
    /// [`refresh_margin`], but never before [`MIN_USE_TENTHS`] of the stated lifetime.
    fn refresh_after(self) -> Duration {
        let ahead = self.usable.saturating_sub(refresh_margin(self.usable));
        let least = self.stated / 10 * MIN_USE_TENTHS;
        ahead.max(least).min(self.usable)
    }

    /// When to refresh a token and when to stop sending it, for a request `sent` whose
    /// answer `arrived`. Both are at least [`MIN_FETCH_INTERVAL`] after the arrival.
    fn schedule(self, sent: Instant, arrived: Instant) -> (Instant, Instant) {
        let floor = after(arrived, MIN_FETCH_INTERVAL);
        let refresh_at = after(sent, self.refresh_after()).max(floor);
        let expires_at = after(sent, self.usable).max(refresh_at);
        (refresh_at, expires_at)
    }
}

/// What one exchange with the token endpoint came to.
enum Attempt {
    Token(Fetched),
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

/// The `Authorization` value of `client_secret_basic`: RFC 6749 §2.3.1 form-encodes id and
/// secret before base64.
pub(crate) fn client_secret_basic(oauth: &OAuth) -> Secret {
    let pair = Secret::new(format!(
        "{}:{}",
        utf8_percent_encode(&oauth.client_id, FORM_VALUE),
        utf8_percent_encode(oauth.client_secret.expose(), FORM_VALUE)
    ));
    let encoded = Secret::new(base64::engine::general_purpose::STANDARD.encode(pair.expose()));
    Secret::new(format!("Basic {}", encoded.expose()))
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
    } else if code == Code::AuthFailed {
        // The proxy refused its credentials (407): a rejection, like the endpoint's own.
        Attempt::Final(failure.error)
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
/// a slow or loaded machine; for lifetimes under 10 s, [`Lifetime::refresh_after`] gives up
/// part of that margin so the token still serves 70 % of its life.
pub(crate) fn refresh_margin(lifetime: Duration) -> Duration {
    Duration::from_secs(30)
        .max(lifetime / 20)
        .min(lifetime / 5)
        .max(Duration::from_secs(2).min(lifetime / 2))
}

/// The access token and its lifetime: `expires_in`, else the JWT `exp`, else 60 s.
fn parse_token_answer(body: &str) -> std::result::Result<(Secret, Lifetime), String> {
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
    .map(Lifetime::from_expires_in);
    let lifetime = expires_in
        .or_else(|| jwt_remaining_lifetime(token).map(Lifetime::exact))
        .unwrap_or(Lifetime::exact(FALLBACK_LIFETIME));
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
        let lifetime = |stated_ms, usable_ms| Lifetime {
            stated: Duration::from_millis(stated_ms),
            usable: Duration::from_millis(usable_ms),
        };
        let (t, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":300}"#).unwrap();
        assert_eq!(t.expose(), "abc");
        assert_eq!(
            l,
            lifetime(300_000, 299_000),
            "a second is allowed for rounding"
        );
        let (_, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":"120"}"#).unwrap();
        assert_eq!(l, lifetime(120_000, 119_000));
        let (_, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":1}"#).unwrap();
        assert_eq!(
            l,
            lifetime(1_000, 900),
            "a short lifetime loses a tenth at most"
        );
        let (_, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":0.001}"#).unwrap();
        assert_eq!(l.stated, Duration::from_millis(1));
    }

    #[test]
    fn long_tokens_are_refreshed_a_margin_early_short_ones_after_seventy_percent() {
        let refresh_after = |stated_ms| {
            Lifetime::from_expires_in(Duration::from_millis(stated_ms))
                .refresh_after()
                .as_millis()
        };
        // The margin decides for long lifetimes, as it always did: 5 % or 30 s early.
        assert_eq!(refresh_after(86_400_000), 82_079_050);
        assert_eq!(refresh_after(3_600_000), 3_419_050);
        assert_eq!(refresh_after(300_000), 269_000);
        assert_eq!(refresh_after(60_000), 47_200);
        assert_eq!(refresh_after(10_000), 7_000);
        // Seventy percent decides for short ones.
        assert_eq!(refresh_after(6_000), 4_200);
        assert_eq!(refresh_after(2_000), 1_400);
        assert_eq!(refresh_after(1_000), 700);
        assert_eq!(refresh_after(10), 7);
        // And it holds for every lifetime, never later than the token may be sent.
        let mut stated_ms = 1;
        while stated_ms <= 2 * 86_400_000 {
            let lifetime = Lifetime::from_expires_in(Duration::from_millis(stated_ms));
            let refresh = lifetime.refresh_after();
            assert!(refresh >= lifetime.stated / 10 * 7, "{lifetime:?}");
            assert!(refresh <= lifetime.usable && lifetime.usable <= lifetime.stated);
            stated_ms = stated_ms * 3 / 2 + 1;
        }
    }

    #[test]
    fn a_token_is_counted_from_its_request_and_serves_at_least_100_ms() {
        let sent = Instant::now();
        let arrived = sent + Duration::from_millis(5);
        let ms = Duration::from_millis;
        let two_seconds = Lifetime::from_expires_in(Duration::from_secs(2));
        assert_eq!(
            two_seconds.schedule(sent, arrived),
            (sent + ms(1_400), sent + ms(1_800))
        );
        // Claims to die at once: kept for MIN_FETCH_INTERVAL after it arrived all the same.
        let blink = Lifetime::from_expires_in(ms(1));
        let floor = arrived + MIN_FETCH_INTERVAL;
        assert_eq!(blink.schedule(sent, arrived), (floor, floor));
        // An answer that took longer than the token lives.
        let late = sent + Duration::from_secs(3);
        let floor = late + MIN_FETCH_INTERVAL;
        assert_eq!(two_seconds.schedule(sent, late), (floor, floor));
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
            l.stated > Duration::from_secs(990) && l.stated <= Duration::from_secs(1000),
            "{l:?}"
        );
        assert_eq!(l.usable, l.stated, "exp is already what is left");
        let (_, l) = parse_token_answer(r#"{"access_token":"opaque-token"}"#).unwrap();
        assert_eq!(l, Lifetime::exact(FALLBACK_LIFETIME));
    }

    #[test]
    fn absurd_lifetimes_are_clamped_to_a_day() {
        let lifetime = |answer: &str| parse_token_answer(answer).unwrap().1;
        let a_day = Lifetime {
            stated: MAX_LIFETIME,
            usable: MAX_LIFETIME - EXPIRES_IN_ALLOWANCE,
        };
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
                Lifetime::exact(FALLBACK_LIFETIME),
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
            audience: Audience::Named("tasklist.camunda.io".into()),
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
                guard.finish(Ok(Fetched {
                    token: Secret::new("fetched"),
                    lifetime: Lifetime::exact(Duration::from_secs(60)),
                    sent: Instant::now(),
                }))
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
