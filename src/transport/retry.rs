//! When a request may be sent again, and how long to wait first.
//!
//! Searches and reads are safe to repeat; assign, unassign, complete and save-draft change
//! state, so they are repeated only when the first attempt provably never reached the server
//! (the connection was never made), when the server explicitly asked for a later attempt
//! (429 or 503 with `Retry-After`), or when the API generation reads the answer as refused
//! before anything was done (v2's backpressure, [`Refusal`]). Waits grow exponentially with
//! full jitter, honour `Retry-After`, and never run past the request timeout.

use crate::error::Code;
use crate::transport::Failure;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

const BASE_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads and searches: repeating them changes nothing.
    Safe,
    /// Writes: repeating one that already happened could, e.g., complete a task twice.
    Unsafe,
}

/// What an answer's status and body say beyond the status, as the API generation that sent
/// it reads them: the transport does not know any server's bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Nothing: the status alone decides.
    None,
    /// The server is overloaded and may or may not have acted (v2's 500 with
    /// `RESOURCE_EXHAUSTED`): a read may be sent again, a write may not.
    Overloaded,
    /// The server refused the request before acting on it (v2's backpressure: 503
    /// `RESOURCE_EXHAUSTED`, 429): even a completion may be sent again.
    BeforeActing,
}

/// How a generation reads an answer for [`Refusal`]; [`status_only`] where it has nothing to say.
pub(crate) type RefusalRule = fn(status: u16, body: &str) -> Refusal;

/// The rule of the token endpoint, the login and Tasklist v1: the status says it all.
pub(crate) fn status_only(_status: u16, _body: &str) -> Refusal {
    Refusal::None
}

pub(crate) struct Backoff {
    max_retries: u32,
    budget: Duration,
    retries: u32,
}

impl Backoff {
    pub(crate) fn new(max_retries: u32, budget: Duration) -> Backoff {
        Backoff {
            max_retries,
            budget,
            retries: 0,
        }
    }

    /// How many retries were granted so far.
    pub(crate) fn retries(&self) -> u32 {
        self.retries
    }

    /// How long to wait before sending again after this answer, or `None` to keep it.
    pub(crate) fn after_answer(
        &mut self,
        idempotency: Idempotency,
        status: u16,
        retry_after: Option<&str>,
        refusal: Refusal,
        elapsed: Duration,
    ) -> Option<Duration> {
        let asked_to_retry = retry_after.and_then(parse_retry_after);
        let retryable = match idempotency {
            Idempotency::Safe => {
                matches!(status, 429 | 502 | 503 | 504) || refusal != Refusal::None
            }
            Idempotency::Unsafe => {
                (matches!(status, 429 | 503) && asked_to_retry.is_some())
                    || refusal == Refusal::BeforeActing
            }
        };
        if !retryable {
            return None;
        }
        self.pause(asked_to_retry, elapsed)
    }

    /// How long to wait before trying again after a failed exchange, or `None` to give up.
    pub(crate) fn after_failure(
        &mut self,
        idempotency: Idempotency,
        failure: &Failure,
        elapsed: Duration,
    ) -> Option<Duration> {
        let transient = matches!(
            failure.error.code(),
            Code::Connect | Code::Timeout | Code::Io
        );
        let retryable = match idempotency {
            Idempotency::Safe => transient,
            Idempotency::Unsafe => transient && !failure.reached_server,
        };
        if !retryable {
            return None;
        }
        self.pause(None, elapsed)
    }

    /// The wait before the next retry (`asked` by the server, else full jitter), or `None`
    /// when the retries are used up or the wait would run past the time budget.
    pub(crate) fn pause(&mut self, asked: Option<Duration>, elapsed: Duration) -> Option<Duration> {
        if self.retries >= self.max_retries {
            return None;
        }
        let delay = asked.unwrap_or_else(|| full_jitter(self.retries));
        // `Retry-After` comes from the server and can be as large as u64::MAX seconds:
        // saturate instead of overflowing (such a wait is simply longer than the budget).
        if elapsed.saturating_add(delay) >= self.budget {
            return None;
        }
        self.retries += 1;
        Some(delay)
    }
}

/// A random wait between 0 and the exponential ceiling for this attempt; spreading retries
/// evenly keeps many clients from hitting a recovering server at the same instant.
pub(crate) fn full_jitter(attempt: u32) -> Duration {
    let ceiling = BASE_DELAY
        .saturating_mul(1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX))
        .min(MAX_DELAY);
    let fraction = (random_u64() % 10_001) as f64 / 10_000.0;
    ceiling.mul_f64(fraction)
}

fn random_u64() -> u64 {
    // RandomState is seeded per process from the OS and varied per instance: enough
    // randomness for jitter without another dependency.
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.finish()
}

/// `Retry-After` is either a number of seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn failure(code: Code, reached_server: bool) -> Failure {
        Failure {
            reached_server,
            stale_connection: false,
            error: Error::new(code, "x"),
        }
    }

    #[test]
    fn safe_requests_retry_on_overload_statuses_only() {
        for status in [429, 502, 503, 504] {
            let mut b = Backoff::new(2, Duration::from_secs(60));
            assert!(b
                .after_answer(
                    Idempotency::Safe,
                    status,
                    None,
                    Refusal::None,
                    Duration::ZERO
                )
                .is_some());
        }
        for status in [200, 400, 401, 404, 500] {
            let mut b = Backoff::new(2, Duration::from_secs(60));
            assert!(b
                .after_answer(
                    Idempotency::Safe,
                    status,
                    None,
                    Refusal::None,
                    Duration::ZERO
                )
                .is_none());
        }
    }

    #[test]
    fn writes_retry_only_when_the_server_asks_for_it() {
        let mut b = Backoff::new(2, Duration::from_secs(60));
        assert!(b
            .after_answer(
                Idempotency::Unsafe,
                503,
                None,
                Refusal::None,
                Duration::ZERO
            )
            .is_none());
        assert!(b
            .after_answer(
                Idempotency::Unsafe,
                502,
                Some("1"),
                Refusal::None,
                Duration::ZERO
            )
            .is_none());
        assert_eq!(
            b.after_answer(
                Idempotency::Unsafe,
                503,
                Some("1"),
                Refusal::None,
                Duration::ZERO
            ),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            b.after_answer(
                Idempotency::Unsafe,
                429,
                Some("0"),
                Refusal::None,
                Duration::ZERO
            ),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn a_generation_can_read_a_refusal_from_the_body() {
        let mut b = Backoff::new(5, Duration::from_secs(60));
        let answer = |b: &mut Backoff, idempotency, status, refusal| {
            b.after_answer(idempotency, status, None, refusal, Duration::ZERO)
                .is_some()
        };
        // v2's 500 RESOURCE_EXHAUSTED: reads again, writes never (it may have acted).
        assert!(answer(&mut b, Idempotency::Safe, 500, Refusal::Overloaded));
        assert!(!answer(
            &mut b,
            Idempotency::Unsafe,
            500,
            Refusal::Overloaded
        ));
        // v2's backpressure: refused before acting, so even a completion goes again,
        // without a Retry-After.
        assert!(answer(
            &mut b,
            Idempotency::Unsafe,
            503,
            Refusal::BeforeActing
        ));
        assert!(answer(
            &mut b,
            Idempotency::Unsafe,
            429,
            Refusal::BeforeActing
        ));
        assert!(!answer(&mut b, Idempotency::Unsafe, 503, Refusal::None));
        assert!(!answer(&mut b, Idempotency::Safe, 500, Refusal::None));
    }

    #[test]
    fn writes_retry_after_failures_only_when_nothing_was_sent() {
        let mut b = Backoff::new(2, Duration::from_secs(60));
        let connect = failure(Code::Connect, false);
        let broke = failure(Code::Io, true);
        assert!(b
            .after_failure(Idempotency::Unsafe, &broke, Duration::ZERO)
            .is_none());
        assert!(b
            .after_failure(Idempotency::Unsafe, &connect, Duration::ZERO)
            .is_some());
        assert!(b
            .after_failure(Idempotency::Safe, &broke, Duration::ZERO)
            .is_some());
        let tls = failure(Code::Tls, false);
        assert!(b
            .after_failure(Idempotency::Safe, &tls, Duration::ZERO)
            .is_none());
    }

    #[test]
    fn retries_stop_at_the_limit_and_at_the_time_budget() {
        let mut b = Backoff::new(2, Duration::from_secs(60));
        assert!(b
            .after_answer(Idempotency::Safe, 503, None, Refusal::None, Duration::ZERO)
            .is_some());
        assert!(b
            .after_answer(Idempotency::Safe, 503, None, Refusal::None, Duration::ZERO)
            .is_some());
        assert!(b
            .after_answer(Idempotency::Safe, 503, None, Refusal::None, Duration::ZERO)
            .is_none());

        let mut b = Backoff::new(5, Duration::from_secs(10));
        assert!(b
            .after_answer(
                Idempotency::Safe,
                503,
                Some("30"),
                Refusal::None,
                Duration::ZERO
            )
            .is_none());
        let mut none = Backoff::new(0, Duration::from_secs(10));
        assert!(none
            .after_answer(Idempotency::Safe, 503, None, Refusal::None, Duration::ZERO)
            .is_none());
    }

    #[test]
    fn jitter_stays_under_the_exponential_ceiling() {
        for attempt in 0..20 {
            let d = full_jitter(attempt);
            assert!(d <= MAX_DELAY);
            assert!(d <= BASE_DELAY * 2u32.pow(attempt.min(16)));
        }
    }

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn pauses_follow_the_server_then_jitter_and_stop_at_the_limit_or_budget() {
        let mut b = Backoff::new(2, Duration::from_secs(10));
        let asked = Some(Duration::from_secs(3));
        assert_eq!(b.pause(asked, Duration::ZERO), Some(Duration::from_secs(3)));
        let jittered = b.pause(None, Duration::ZERO).unwrap();
        assert!(jittered <= Duration::from_millis(200), "{jittered:?}");
        assert_eq!(b.pause(None, Duration::ZERO), None, "two retries at most");
        assert_eq!(b.retries(), 2);
        let mut b = Backoff::new(2, Duration::from_secs(10));
        assert_eq!(
            b.pause(asked, Duration::from_secs(8)),
            None,
            "a pause that would outlast the request timeout is not taken"
        );
    }

    #[test]
    fn an_enormous_retry_after_is_longer_than_any_budget() {
        let huge = parse_retry_after("18446744073709551615");
        assert_eq!(huge, Some(Duration::from_secs(u64::MAX)));
        let mut b = Backoff::new(2, Duration::from_secs(10));
        assert_eq!(b.pause(huge, Duration::from_millis(1500)), None);
        assert_eq!(
            b.after_answer(
                Idempotency::Safe,
                503,
                Some("18446744073709551615"),
                Refusal::None,
                Duration::from_secs(2)
            ),
            None
        );
    }
}
