//! OAuth 2.0 client credentials: fetch a token, cache it until shortly before it expires,
//! and make sure that however many threads need one, only one request is in flight.
//!
//! This module decides when to ask the token endpoint and how often (refresh ahead of
//! expiry, single-flight fetching, back-off after failures and after a rejection); what is
//! asked and how the answer reads is `token_request`'s job.

use crate::auth::token_request::{Attempt, Fetched, Lifetime, TokenRequest, MAX_LIFETIME};
use crate::config::{Config, OAuth};
use crate::error::{Code, Error, Result};
use crate::secret::Secret;
use crate::transport::retry::Backoff;
use crate::transport::Transport;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

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
    request: TokenRequest,
    retry: RetryLimits,
    /// How long a thread waits for the fetch of another before it gives up.
    wait_limit: Duration,
    state: Mutex<State>,
    fetch_ended: Condvar,
}

impl TokenSource {
    pub(crate) fn new(oauth: OAuth, config: &Config) -> TokenSource {
        TokenSource {
            request: TokenRequest::new(oauth, config),
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
                self.request.endpoint_label(),
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
            let transient =
                match self
                    .request
                    .ask(transport, started, self.retry.budget, backoff.retries())
                {
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

/// The refresh rules, from what the server said a token's lifetime is.
impl Lifetime {
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

/// `base + wait`, with `wait` clamped to [`MAX_LIFETIME`], which no platform's monotonic clock
/// overflows. Should a clock overflow anyway, `base` itself: the token counts as expiring at
/// once, the wait ends at once, which is early but never a panic.
fn after(base: Instant, wait: Duration) -> Instant {
    base.checked_add(wait.min(MAX_LIFETIME)).unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Audience;

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
    fn instants_never_overflow() {
        let now = Instant::now();
        assert_eq!(after(now, Duration::MAX), now + MAX_LIFETIME);
        assert_eq!(
            after(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
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
}
