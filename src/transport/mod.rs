//! HTTP exchanges with Tasklist and with the authorization server, as the rest of the crate
//! sees them: the request and answer types, and [`Transport::send`], which sends a request
//! again while the retry policy allows and the time budget lasts, and logs one record per
//! call. This module knows HTTP, never Tasklist.
//!
//! The request timeout bounds a whole call: every attempt gets only what is left of it, so
//! retries can never stretch a call past the limit the caller set. How the agent is built
//! lives in `agent`, one exchange on the wire in `exchange`, when to send again in `retry`.

mod agent;
pub(crate) mod connection_watch;
mod exchange;
pub(crate) mod proxy;
pub(crate) mod resolver;
pub(crate) mod retry;
pub(crate) mod tls;
pub(crate) mod tls_connection;

pub(crate) use exchange::Failure;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::log::{Level, Record, Target};
use crate::transport::retry::{Backoff, Idempotency, Refusal, RefusalRule};
use std::time::{Duration, Instant};
use ureq::http::HeaderMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub(crate) fn parse(name: &str) -> Result<Method> {
        match name {
            "GET" => Ok(Method::Get),
            "POST" => Ok(Method::Post),
            "PUT" => Ok(Method::Put),
            "PATCH" => Ok(Method::Patch),
            "DELETE" => Ok(Method::Delete),
            _ => Err(Error::invalid_argument(format!(
                "unsupported method '{name}' (use GET, POST, PUT, PATCH or DELETE)"
            ))),
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// What is sent as the request body.
#[derive(Clone, Copy)]
pub(crate) enum Body<'a> {
    None,
    Json(&'a str),
    Form(&'a str),
}

/// One request, described before it is sent so it can be sent again.
pub(crate) struct Outgoing<'a> {
    pub method: Method,
    pub url: &'a str,
    /// Header values may be secrets (tokens, cookies): they go on the wire and nowhere else.
    pub headers: Vec<(&'static str, String)>,
    pub body: Body<'a>,
    pub idempotency: Idempotency,
    /// How the API generation reads an answer's body for retries (`retry::status_only` for
    /// the token endpoint and the login).
    pub refusal: RefusalRule,
    /// How the request is named in error messages, e.g. "POST /v1/tasks/search".
    pub label: &'a str,
}

/// A complete HTTP answer, whatever its status.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
    pub headers: AnswerHeaders,
}

/// An answer's headers, moved out of the response (no copy); the modules that act on a header
/// (retries on `retry-after`, the cookie session on its cookies and tokens) read it here.
#[derive(Default)]
pub(crate) struct AnswerHeaders(HeaderMap);

impl AnswerHeaders {
    /// The first value of `name` (lower case), if it is text.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every text value of `name` (lower case), in order.
    pub(crate) fn all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .get_all(name)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
    }

    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&'static str, &str)]) -> AnswerHeaders {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().expect("a header value"));
        }
        AnswerHeaders(map)
    }
}

pub(crate) struct Transport {
    agent: ureq::Agent,
    max_response_bytes: u64,
    max_retries: u32,
    request_timeout: Duration,
}

impl Transport {
    /// `base_url` picks the proxy variable when the environment is obeyed (by its scheme).
    pub(crate) fn new(config: &Config, base_url: &str) -> Result<Transport> {
        Ok(Transport {
            agent: agent::build(config, base_url)?,
            max_response_bytes: config.max_response_bytes,
            max_retries: config.max_retries,
            request_timeout: config.request_timeout,
        })
    }

    /// The largest answer accepted, in bytes.
    pub(crate) fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    /// The time one call may take, retries included.
    pub(crate) fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// Sends the request, retrying what the retry policy allows, and returns the final
    /// answer whatever its status. Only a failure to get an answer is an error here.
    pub(crate) fn send(&self, request: &Outgoing<'_>) -> Result<Answer> {
        let started = Instant::now();
        let mut backoff = Backoff::new(self.max_retries, self.request_timeout);
        loop {
            let outcome = match self.request_timeout.checked_sub(started.elapsed()) {
                Some(left) if !left.is_zero() => self.send_once(request, left, backoff.retries()),
                _ => Err(Failure::out_of_time(request.label)),
            };
            let wait = match &outcome {
                Ok(answer) => backoff.after_answer(
                    request.idempotency,
                    answer.status,
                    answer.headers.get("retry-after"),
                    // Only refusals are read: a success body may be megabytes.
                    if answer.status >= 400 {
                        (request.refusal)(answer.status, &answer.body)
                    } else {
                        Refusal::None
                    },
                    started.elapsed(),
                ),
                Err(failure) => {
                    backoff.after_failure(request.idempotency, failure, started.elapsed())
                }
            };
            match wait {
                Some(delay) => {
                    log_retry(
                        request,
                        &outcome,
                        started.elapsed(),
                        delay,
                        backoff.retries(),
                    );
                    std::thread::sleep(delay);
                }
                None => {
                    log_exchange(request, &outcome, started.elapsed(), backoff.retries());
                    return outcome.map_err(|failure| failure.error);
                }
            }
        }
    }

    /// One logged attempt within what is left of `budget` since `started`, for callers with
    /// a retry policy of their own (the token endpoint retries every 5xx).
    pub(crate) fn attempt(
        &self,
        request: &Outgoing<'_>,
        started: Instant,
        budget: Duration,
        retries: u32,
    ) -> std::result::Result<Answer, Failure> {
        let outcome = match budget.checked_sub(started.elapsed()) {
            Some(left) if !left.is_zero() => self.send_once(request, left, retries),
            _ => Err(Failure::out_of_time(request.label)),
        };
        log_exchange(request, &outcome, started.elapsed(), retries);
        outcome
    }
}

/// The path of a URL without its query, which may carry values a log should not hold.
fn loggable_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

/// What the request was, for a log line: "POST /v1/tasks/search", or for the token endpoint
/// and the login, their label first ("token endpoint ...: POST /oauth/token").
fn loggable_request(request: &Outgoing<'_>) -> String {
    let method = request.method.as_str();
    let path = loggable_path(request.url);
    if request.label.starts_with(method) {
        format!("{method} {path}")
    } else {
        let what = request.label.split(" http").next().unwrap_or(request.label);
        format!("{what}: {method} {path}")
    }
}

/// Where a request's records come from: the API's labels start with their method ("POST
/// /v1/tasks/search"), the token endpoint's and the login's name them first.
fn log_target(request: &Outgoing<'_>) -> Target {
    if request.label.starts_with(request.method.as_str()) {
        Target::Http
    } else {
        Target::Auth
    }
}

/// Why a request failed, for a log record. Messages start with the label, which for reads
/// may hold a query string: records name method and path already, so only the reason is kept.
fn failure_reason<'a>(request: &Outgoing<'_>, failure: &'a Failure) -> &'a str {
    let message = failure.error.message();
    message
        .strip_prefix(request.label)
        .map_or(message, |rest| rest.trim_start_matches(": "))
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A record about `request` with the given outcome; `message` and `line` are its texts.
fn request_record<'a>(
    level: Level,
    request: &Outgoing<'a>,
    outcome: &std::result::Result<Answer, Failure>,
    elapsed: Duration,
    retries: u32,
    message: String,
    line: String,
) -> Record<'a> {
    let (status, error) = match outcome {
        Ok(answer) => (answer.status, None),
        Err(failure) => (0, Some(failure.error.code())),
    };
    Record {
        level,
        target: log_target(request),
        method: request.method.as_str(),
        path: loggable_path(request.url),
        status,
        duration_ms: millis(elapsed),
        retries,
        retry_after_ms: None,
        error,
        message,
        line,
    }
}

/// One record per call: what, the final status or error, how long, how many retries.
fn log_exchange(
    request: &Outgoing<'_>,
    outcome: &std::result::Result<Answer, Failure>,
    elapsed: Duration,
    retries: u32,
) {
    let level = match outcome {
        Ok(answer) if answer.status >= 500 || answer.status == 429 => Level::Warn,
        Ok(_) => Level::Info,
        Err(_) => Level::Warn,
    };
    crate::log::emit(level, || {
        let what = loggable_request(request);
        let (message, result) = match outcome {
            Ok(answer) => (what.clone(), format!("status={}", answer.status)),
            Err(failure) => {
                let reason = failure_reason(request, failure);
                (
                    format!("{what}: {reason}"),
                    // Debug formatting quotes the reason and escapes quotes inside it, so
                    // the line stays readable as key=value pairs.
                    format!(
                        "status=0 error={} message={reason:?}",
                        failure.error.code().name()
                    ),
                )
            }
        };
        let line = format!(
            "{what} {result} duration_ms={} retries={retries}",
            millis(elapsed)
        );
        request_record(level, request, outcome, elapsed, retries, message, line)
    });
}

/// A record that announces retry number `retry`, after `delay`.
fn log_retry(
    request: &Outgoing<'_>,
    outcome: &std::result::Result<Answer, Failure>,
    elapsed: Duration,
    delay: Duration,
    retry: u32,
) {
    crate::log::emit(Level::Debug, || {
        let what = loggable_request(request);
        let (message, why) = match outcome {
            Ok(answer) => (what.clone(), format!("status={}", answer.status)),
            Err(failure) => (
                format!("{what}: {}", failure_reason(request, failure)),
                format!("error={}", failure.error.code().name()),
            ),
        };
        let line = format!("{what} {why} retry={retry} after_ms={}", millis(delay));
        Record {
            retry_after_ms: Some(millis(delay)),
            ..request_record(
                Level::Debug,
                request,
                outcome,
                elapsed,
                retry,
                message,
                line,
            )
        }
    });
}

/// A note that an attempt broke on a kept-alive connection the server had closed, and is
/// sent again on a new one.
fn log_resend(request: &Outgoing<'_>, failure: &Failure, elapsed: Duration, retries: u32) {
    const NOTE: &str = "the kept-alive connection was closed by the server; sending on a new one";
    crate::log::emit(Level::Debug, || {
        let what = loggable_request(request);
        Record {
            level: Level::Debug,
            target: log_target(request),
            method: request.method.as_str(),
            path: loggable_path(request.url),
            status: 0,
            duration_ms: millis(elapsed),
            retries,
            retry_after_ms: None,
            error: Some(failure.error.code()),
            message: format!("{what}: {NOTE}"),
            line: format!("{what} {NOTE}"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_paths_drop_the_origin_and_the_query() {
        assert_eq!(
            loggable_path("http://h:1/v1/forms/f?processDefinitionKey=1"),
            "/v1/forms/f"
        );
        assert_eq!(loggable_path("https://u:p@h/oauth/token"), "/oauth/token");
        assert_eq!(loggable_path("http://h"), "/");
    }
}
