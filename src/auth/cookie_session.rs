//! Cookie login for both generations: log in with a form body, keep every cookie the server
//! sets, echo the CSRF token on writes, and log in again when the session is gone.
//!
//! Up to 8.7 Tasklist takes logins at `/api/login` (`TASKLIST-SESSION`); from 8.8 the
//! Orchestration Cluster takes them at `/login` (`camunda-session`), where the client first
//! `GET`s the login page so that a server that wants a CSRF token on the login itself hands
//! one out. Unless a path is pinned, the first login tries the likelier one for the call that
//! needs it (`/login` for a v2 path) and the other when the server does not map it (404/405);
//! the path that worked is kept for every later login.

use crate::auth::cookie_jar::{CookieJar, Source};
use crate::auth::token_request::FORM_VALUE;
use crate::config::Login;
use crate::error::{Code, Error, Result};
use crate::secret::Secret;
use crate::transport::retry::Idempotency;
use crate::transport::{AnswerHeaders, Body, Method, Outgoing, Transport};
use percent_encoding::utf8_percent_encode;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Where Tasklist up to 8.7 takes cookie logins.
pub const TASKLIST_LOGIN_PATH: &str = "/api/login";

/// Where the Orchestration Cluster (8.8+) takes cookie logins.
pub const ORCHESTRATION_LOGIN_PATH: &str = "/login";

/// What describe shows as the login path when none is pinned.
pub const DISCOVERED_LOGIN_PATH: &str = "/api/login or /login, whichever the server maps";

/// Response headers that carry the CSRF token to echo on writes, by server generation.
const CSRF_HEADERS: [&str; 3] = [
    "x-csrf-token",
    "tasklist-x-csrf-token",
    "operate-x-csrf-token",
];

/// The CSRF token an answer hands out, if any.
fn csrf_token(headers: &AnswerHeaders) -> Option<&str> {
    CSRF_HEADERS
        .iter()
        .find_map(|name| headers.get(name))
        .filter(|token| !token.is_empty())
}

#[derive(Default)]
struct State {
    jar: CookieJar,
    csrf: Option<Secret>,
    logged_in: bool,
    /// Bumped by every login. A request carries the generation it was sent with, so a 401
    /// ends, and an answer's cookies and CSRF token feed, only the session it belongs to.
    generation: u64,
    /// A thread is logging in; the others wait for its outcome instead of logging in too.
    logging_in: bool,
    /// Login attempts finished, so a waiter knows when the one it waited for is over.
    attempts_done: u64,
    /// The outcome of the last attempt, shared with the threads that waited for it.
    last_failure: Option<Error>,
    /// Threads waiting for a login now (seen by tests).
    waiting: usize,
    /// The path the last successful login used, when it was found rather than pinned.
    found_path: Option<&'static str>,
}

/// What a successful login answer makes: the new session, installed in one step.
pub(crate) struct NewSession {
    jar: CookieJar,
    csrf: Option<Secret>,
    /// The discovered path it was made at, if it was discovered.
    found_path: Option<&'static str>,
}

/// Where logins go.
enum LoginPath {
    /// Configured (`tasklist_options_set_login_path`): only there.
    Pinned(String),
    /// Found at the first login between the two generations' paths.
    Discover,
}

pub(crate) struct CookieSession {
    base_url: String,
    path: LoginPath,
    login: Login,
    /// The longest a thread waits for another thread's login: a login is at most two sends
    /// (see [`CookieSession::log_in`]), each bounded by the request timeout, plus slack.
    login_wait: Duration,
    state: Mutex<State>,
    /// Signalled whenever a login attempt ends, however it ends.
    login_done: Condvar,
}

/// Header values to send with one request, and the session generation they belong to.
pub(crate) struct SessionCredentials {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub generation: u64,
}

impl CookieSession {
    /// `login_path` `None` finds the path at the first login.
    pub(crate) fn new(
        base_url: &str,
        login_path: Option<&str>,
        login: Login,
        request_timeout: Duration,
    ) -> CookieSession {
        CookieSession {
            base_url: base_url.to_string(),
            path: match login_path {
                Some(path) => LoginPath::Pinned(path.to_string()),
                None => LoginPath::Discover,
            },
            login,
            login_wait: request_timeout
                .saturating_mul(2)
                .saturating_add(Duration::from_secs(5)),
            state: Mutex::new(State::default()),
            login_done: Condvar::new(),
        }
    }

    /// The cookies (and the CSRF token, for writes) for a request, logging in first if needed.
    pub(crate) fn credentials(
        &self,
        transport: &Transport,
        method: Method,
        path: &str,
    ) -> Result<SessionCredentials> {
        {
            let state = self.lock();
            if state.logged_in {
                return Ok(credentials_from(&state, method, path));
            }
        }
        self.log_in_once(transport, path)?;
        Ok(credentials_from(&self.lock(), method, path))
    }

    /// Logs in, unless a session exists; when another thread is logging in already, waits
    /// for its outcome (bounded by `login_wait`) and shares it. `for_path` is the API path
    /// that needs the session ("" for none), which says where a login is likelier to be.
    pub(crate) fn log_in_once(&self, transport: &Transport, for_path: &str) -> Result<()> {
        self.single_flight(|| self.log_in(transport, for_path))
    }

    /// Where the session is made, for messages: the pinned or found path, else both.
    fn where_(&self) -> String {
        match &self.path {
            LoginPath::Pinned(path) => format!("{}{path}", self.base_url),
            LoginPath::Discover => match self.lock().found_path {
                Some(path) => format!("{}{path}", self.base_url),
                None => format!("{} (/api/login or /login)", self.base_url),
            },
        }
    }

    fn single_flight(&self, log_in: impl FnOnce() -> Result<NewSession>) -> Result<()> {
        let mut state = self.lock();
        if state.logged_in {
            return Ok(());
        }
        if state.logging_in {
            return self.wait_for_login(state);
        }
        state.logging_in = true;
        drop(state);
        // Ends the attempt even if `log_in` panics, so that no waiter is left waiting.
        let attempt = Attempt {
            session: self,
            finished: false,
        };
        attempt.finish(log_in())
    }

    fn wait_for_login(&self, mut state: MutexGuard<'_, State>) -> Result<()> {
        let attempt = state.attempts_done;
        let started = Instant::now();
        state.waiting += 1;
        while state.attempts_done == attempt {
            let left = self
                .login_wait
                .checked_sub(started.elapsed())
                .filter(|left| !left.is_zero());
            let Some(left) = left else {
                state.waiting -= 1;
                return Err(Error::new(
                    Code::Timeout,
                    format!(
                        "waited {} ms for another thread's login at {} to finish",
                        self.login_wait.as_millis(),
                        self.where_()
                    ),
                ));
            };
            state = self
                .login_done
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        state.waiting -= 1;
        match &state.last_failure {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    }

    /// Ends the session of this generation (the server no longer knows it).
    pub(crate) fn invalidate(&self, generation: u64) {
        let mut state = self.lock();
        if state.generation == generation && state.logged_in {
            state.logged_in = false;
            state.jar.clear();
            state.csrf = None;
        }
    }

    /// Keeps the cookies and CSRF token of an answer to a request sent in session
    /// `generation`, if that session is still the current one. A late answer from an older
    /// session (or one that arrives while logging in again) would otherwise replace the new
    /// session's cookies and token with dead ones.
    pub(crate) fn absorb(&self, headers: &AnswerHeaders, path: &str, generation: u64) {
        let csrf = csrf_token(headers);
        if headers.all("set-cookie").next().is_none() && csrf.is_none() {
            return;
        }
        let mut state = self.lock();
        if !state.logged_in || state.generation != generation {
            return;
        }
        for set_cookie in headers.all("set-cookie") {
            state.jar.store(set_cookie, path, Source::Answer);
        }
        if let Some(token) = csrf {
            state.csrf = Some(Secret::new(token));
        }
    }

    fn log_in(&self, transport: &Transport, for_path: &str) -> Result<NewSession> {
        let candidates: &[&str] = match &self.path {
            LoginPath::Pinned(path) => return self.log_in_at(transport, path, None),
            LoginPath::Discover => match self.lock().found_path {
                Some(path) => return self.log_in_at(transport, path, Some(path)),
                None if for_path.starts_with("/v2/") => {
                    &[ORCHESTRATION_LOGIN_PATH, TASKLIST_LOGIN_PATH]
                }
                None => &[TASKLIST_LOGIN_PATH, ORCHESTRATION_LOGIN_PATH],
            },
        };
        let mut unmapped = Vec::new();
        for path in candidates {
            match self.log_in_at(transport, path, Some(path)) {
                Err(error) if matches!(error.http_status(), 404 | 405) => unmapped.push(error),
                outcome => return outcome,
            }
        }
        let statuses: Vec<String> = unmapped
            .iter()
            .zip(candidates)
            .map(|(error, path)| format!("{path} answered HTTP {}", error.http_status()))
            .collect();
        let last = unmapped.pop().expect("two candidates were tried");
        Err(Error::new(
            Code::AuthUnavailable,
            format!(
                "no login at {}: {}; check the base URL (the server's root, without /v1 or \
                 /v2) or pin the login path",
                self.base_url,
                statuses.join(", ")
            ),
        )
        .with_answer(last.http_status(), last.body().map(str::to_string)))
    }

    /// One login at `path`; `found` is the path to remember when it was discovered.
    fn log_in_at(
        &self,
        transport: &Transport,
        path: &str,
        found: Option<&'static str>,
    ) -> Result<NewSession> {
        let url = format!("{}{path}", self.base_url);
        let label = format!("login at {url}");
        // No answer at all keeps the network's code (the server is down, not the login);
        // anything else that keeps the login from working is "unavailable".
        let unavailable = |e: Error| match e.code() {
            Code::Connect | Code::Timeout | Code::Io => e,
            _ => Error::new(Code::AuthUnavailable, e.message().to_string()),
        };
        // The login answer's cookies are the new session, whatever came before; a login
        // page's cookies (its CSRF cookie) go with the login and stay, as a browser's would.
        let mut page_cookies = Vec::new();
        let mut login_csrf = None;
        if !path.ends_with(TASKLIST_LOGIN_PATH) {
            let page_label = format!("login page at {url}");
            let page = transport
                .send(&Outgoing {
                    method: Method::Get,
                    url: &url,
                    headers: Vec::new(),
                    body: Body::None,
                    idempotency: Idempotency::Safe,
                    refusal: crate::transport::retry::status_only,
                    label: &page_label,
                })
                .map_err(unavailable)?;
            if matches!(page.status, 404 | 405) {
                return Err(Error::new(
                    Code::AuthUnavailable,
                    format!("{page_label} answered HTTP {}", page.status),
                )
                .with_answer(page.status, Some(page.body)));
            }
            page_cookies.extend(page.headers.all("set-cookie").map(str::to_string));
            login_csrf = csrf_token(&page.headers).map(Secret::new);
        }
        // In a form body, never in the URL: URLs end up in proxy and server logs.
        let body = Secret::new(format!(
            "username={}&password={}",
            utf8_percent_encode(&self.login.username, FORM_VALUE),
            utf8_percent_encode(self.login.password.expose(), FORM_VALUE)
        ));
        let mut jar = CookieJar::default();
        for set_cookie in &page_cookies {
            jar.store(set_cookie, path, Source::Login);
        }
        let mut headers = Vec::new();
        if let Some(cookie) = jar.header_for(path) {
            headers.push(("cookie", cookie));
        }
        if let Some(token) = &login_csrf {
            headers.push(("x-csrf-token", token.expose().to_string()));
        }
        let request = Outgoing {
            method: Method::Post,
            url: &url,
            headers,
            body: Body::Form(body.expose()),
            idempotency: Idempotency::Safe,
            refusal: crate::transport::retry::status_only,
            label: &label,
        };
        let send = || transport.send(&request).map_err(unavailable);
        let mut answer = send()?;
        if answer.status == 500 {
            // Some Tasklist versions answer a wrong password with 500 (camunda/camunda#29874):
            // one more try tells a passing fault from a steady refusal.
            answer = send()?;
        }
        let mut session_cookies = CookieJar::default();
        for set_cookie in answer.headers.all("set-cookie") {
            session_cookies.store(set_cookie, path, Source::Login);
            jar.store(set_cookie, path, Source::Login);
        }
        let user = &self.login.username;
        match answer.status {
            200..=299 if session_cookies.is_empty() => Err(Error::new(
                Code::AuthUnavailable,
                format!(
                    "{label} answered HTTP {} but set no session cookie",
                    answer.status
                ),
            )
            .with_answer(answer.status, Some(answer.body))),
            200..=299 => Ok(NewSession {
                jar,
                csrf: csrf_token(&answer.headers).map(Secret::new).or(login_csrf),
                found_path: found,
            }),
            401 | 403 => Err(Error::new(
                Code::AuthFailed,
                format!(
                    "{label} rejected the username '{user}' or its password (HTTP {})",
                    answer.status
                ),
            )
            .with_answer(answer.status, Some(answer.body))),
            500 => Err(Error::new(
                Code::AuthFailed,
                format!(
                    "{label} answered HTTP 500 twice for user '{user}'; Tasklist does that for \
                     wrong credentials, so check the username and password"
                ),
            )
            .with_answer(500, Some(answer.body))),
            300..=399 => Err(Error::new(
                Code::AuthUnavailable,
                format!(
                    "{label} answered a redirect (HTTP {}) to {}; check the login path",
                    answer.status,
                    answer.headers.get("location").unwrap_or("nowhere")
                ),
            )
            .with_answer(answer.status, Some(answer.body))),
            status => Err(Error::new(
                Code::AuthUnavailable,
                format!("{label} answered HTTP {status}"),
            )
            .with_answer(status, Some(answer.body))),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing that can panic runs under this lock (the login runs outside it), and every
        // update is a plain assignment, so data behind a poisoned lock is consistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One login attempt in flight. Finishing it (or dropping it unfinished, when the login
/// panicked) clears `logging_in`, counts the attempt and wakes every waiter.
struct Attempt<'a> {
    session: &'a CookieSession,
    finished: bool,
}

impl Attempt<'_> {
    fn finish(mut self, outcome: Result<NewSession>) -> Result<()> {
        self.finished = true;
        let result = {
            let mut state = self.session.lock();
            let result = match outcome {
                Ok(new) => {
                    // One step: no answer can slip between the new cookies, the new token
                    // and the new generation.
                    state.jar = new.jar;
                    state.csrf = new.csrf;
                    if new.found_path.is_some() {
                        state.found_path = new.found_path;
                    }
                    state.generation += 1;
                    state.logged_in = true;
                    state.last_failure = None;
                    Ok(())
                }
                Err(error) => {
                    state.last_failure = Some(error.clone());
                    Err(error)
                }
            };
            state.logging_in = false;
            state.attempts_done += 1;
            result
        };
        self.session.login_done.notify_all();
        result
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        {
            let mut state = self.session.lock();
            state.logging_in = false;
            state.attempts_done += 1;
            state.last_failure = Some(Error::new(
                Code::Panic,
                format!(
                    "the login at {} failed with a bug inside libtasklist (a panic) on another thread",
                    self.session.base_url
                ),
            ));
        }
        self.session.login_done.notify_all();
    }
}

fn credentials_from(state: &State, method: Method, path: &str) -> SessionCredentials {
    SessionCredentials {
        cookie: state.jar.header_for(path),
        csrf: match method {
            Method::Get => None,
            _ => state.csrf.as_ref().map(|t| t.expose().to_string()),
        },
        generation: state.generation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;
    use std::sync::Arc;

    fn session() -> Arc<CookieSession> {
        Arc::new(CookieSession::new(
            "http://127.0.0.1:9",
            Some("/api/login"),
            Login {
                username: "demo".into(),
                password: Secret::new("demo"),
            },
            Duration::from_secs(30),
        ))
    }

    fn new_session(cookie: &str, token: &str) -> Result<NewSession> {
        let mut jar = CookieJar::default();
        jar.store(cookie, "/api/login", Source::Login);
        Ok(NewSession {
            jar,
            csrf: Some(Secret::new(token)),
            found_path: None,
        })
    }

    fn headers(set_cookie: &str, token: &str) -> AnswerHeaders {
        AnswerHeaders::from_pairs(&[("set-cookie", set_cookie), ("x-csrf-token", token)])
    }

    fn sent(session: &CookieSession) -> (Option<String>, Option<String>, u64) {
        let c = credentials_from(&session.lock(), Method::Post, "/v1/x");
        (c.cookie, c.csrf, c.generation)
    }

    /// Runs `single_flight` on another thread with a login that starts, then waits for the
    /// test's go; returns once that login is in flight.
    fn hold_a_login(
        session: &Arc<CookieSession>,
        outcome: impl FnOnce() -> Result<NewSession> + Send + 'static,
    ) -> (
        std::sync::mpsc::Sender<()>,
        std::thread::JoinHandle<Result<()>>,
    ) {
        let (started_tx, started_rx) = channel();
        let (go_tx, go_rx) = channel::<()>();
        let holder = {
            let session = session.clone();
            std::thread::spawn(move || {
                session.single_flight(|| {
                    started_tx.send(()).unwrap();
                    let _ = go_rx.recv();
                    outcome()
                })
            })
        };
        started_rx.recv().unwrap();
        (go_tx, holder)
    }

    /// Starts a thread that must wait for the login in flight, and returns once it waits.
    fn wait_behind(session: &Arc<CookieSession>) -> std::thread::JoinHandle<Result<()>> {
        let waiter = {
            let session = session.clone();
            std::thread::spawn(move || {
                session.single_flight(|| panic!("a waiter must not log in itself"))
            })
        };
        while session.lock().waiting == 0 {
            assert!(!waiter.is_finished(), "the waiter did not wait");
            std::thread::yield_now();
        }
        waiter
    }

    #[test]
    fn waiters_share_the_login_in_flight() {
        let session = session();
        let (go, holder) = hold_a_login(&session, || new_session("S=1; Path=/", "t1"));
        let waiter = wait_behind(&session);
        go.send(()).unwrap();
        holder.join().unwrap().unwrap();
        waiter.join().unwrap().unwrap();
        assert_eq!(sent(&session), (Some("S=1".into()), Some("t1".into()), 1));
    }

    #[test]
    fn waiters_share_a_failed_login() {
        let session = session();
        let (go, holder) = hold_a_login(&session, || Err(Error::new(Code::AuthFailed, "refused")));
        let waiter = wait_behind(&session);
        go.send(()).unwrap();
        assert_eq!(holder.join().unwrap().unwrap_err().code(), Code::AuthFailed);
        assert_eq!(waiter.join().unwrap().unwrap_err().code(), Code::AuthFailed);
    }

    #[test]
    fn a_login_that_panics_releases_its_waiters_and_leaves_a_usable_session() {
        let session = session();
        let (go, holder) = hold_a_login(&session, || panic!("a bug in the login"));
        let waiter = wait_behind(&session);
        go.send(()).unwrap();
        assert!(
            holder.join().is_err(),
            "the holder's panic reaches its caller"
        );
        let shared = waiter.join().unwrap().unwrap_err();
        assert_eq!(shared.code(), Code::Panic);
        {
            let state = session.lock();
            assert!(!state.logging_in && !state.logged_in && state.waiting == 0);
        }
        session
            .single_flight(|| new_session("S=2; Path=/", "t2"))
            .expect("the next login runs");
        assert_eq!(sent(&session).2, 1);
    }

    #[test]
    fn waiting_for_a_login_that_never_ends_is_bounded() {
        let mut session = session();
        Arc::get_mut(&mut session).unwrap().login_wait = Duration::from_millis(20);
        let (go, holder) = hold_a_login(&session, || new_session("S=1; Path=/", "t1"));
        // Nothing releases the holder until the waiter gave up.
        let error = session
            .single_flight(|| panic!("a waiter must not log in itself"))
            .unwrap_err();
        assert_eq!(error.code(), Code::Timeout);
        assert_eq!(session.lock().waiting, 0);
        go.send(()).unwrap();
        holder.join().unwrap().unwrap();
    }

    #[test]
    fn answers_feed_only_the_session_they_were_sent_in() {
        let session = session();
        session.absorb(&headers("S=early; Path=/", "early"), "/v1/x", 0);
        assert_eq!(sent(&session), (None, None, 0), "nothing while logged out");
        session
            .single_flight(|| new_session("S=1; Path=/", "t1"))
            .unwrap();
        session.absorb(&headers("S=rotated; Path=/", "t1b"), "/v1/x", 1);
        assert_eq!(
            sent(&session),
            (Some("S=rotated".into()), Some("t1b".into()), 1)
        );
        session.invalidate(1);
        session.absorb(&headers("S=late; Path=/", "late"), "/v1/x", 1);
        session
            .single_flight(|| new_session("S=2; Path=/", "t2"))
            .unwrap();
        session.absorb(&headers("S=late; Path=/", "late"), "/v1/x", 1);
        assert_eq!(sent(&session), (Some("S=2".into()), Some("t2".into()), 2));
        session.invalidate(1);
        assert!(
            session.lock().logged_in,
            "a stale 401 does not end the new session"
        );
    }
}
