//! Tasklist's cookie login: log in with a form body, keep every cookie the server sets, echo
//! the CSRF token on writes (Tasklist 8.5.1+), and log in again when the session is gone.

use crate::auth::cookie_jar::{CookieJar, Source};
use crate::auth::token_source::FORM_VALUE;
use crate::config::CookieLogin;
use crate::error::{Code, Error, Result};
use crate::retry::Idempotency;
use crate::secret::Secret;
use crate::transport::{AnswerHeaders, Body, Method, Outgoing, Transport};
use percent_encoding::utf8_percent_encode;
use std::sync::{Mutex, MutexGuard};

#[derive(Default)]
struct State {
    jar: CookieJar,
    csrf: Option<Secret>,
    logged_in: bool,
    /// Bumped by every login. A request carries the generation it was sent with, so a 401
    /// ends, and an answer's cookies and CSRF token feed, only the session it belongs to.
    generation: u64,
    /// Login attempts finished, to let threads that waited for one share its failure.
    attempts_done: u64,
    last_failure: Option<Error>,
}

/// What a successful login answer makes: the new session, installed in one step.
pub(crate) struct NewSession {
    jar: CookieJar,
    csrf: Option<Secret>,
}

pub(crate) struct CookieSession {
    login_url: String,
    login_path: String,
    login: CookieLogin,
    state: Mutex<State>,
    /// Held while logging in: one login in flight, whatever the number of threads.
    in_flight: Mutex<()>,
}

/// Header values to send with one request, and the session generation they belong to.
pub(crate) struct SessionCredentials {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub generation: u64,
}

impl CookieSession {
    pub(crate) fn new(base_url: &str, login_path: &str, login: CookieLogin) -> CookieSession {
        CookieSession {
            login_url: format!("{base_url}{login_path}"),
            login_path: login_path.to_string(),
            login,
            state: Mutex::new(State::default()),
            in_flight: Mutex::new(()),
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
        self.log_in_once(transport)?;
        Ok(credentials_from(&self.lock(), method, path))
    }

    /// Logs in unless another thread did so while this one waited for its turn.
    pub(crate) fn log_in_once(&self, transport: &Transport) -> Result<()> {
        let attempts_seen = self.lock().attempts_done;
        let _turn = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        {
            let state = self.lock();
            if state.logged_in {
                return Ok(());
            }
            if state.attempts_done != attempts_seen {
                if let Some(error) = &state.last_failure {
                    return Err(error.clone());
                }
            }
        }
        let outcome = self.log_in(transport);
        let mut state = self.lock();
        state.attempts_done += 1;
        match outcome {
            Ok(new) => {
                // One step: no answer can slip between the new cookies, the new token and
                // the new generation.
                state.jar = new.jar;
                state.csrf = new.csrf;
                state.generation += 1;
                state.logged_in = true;
                state.last_failure = None;
                Ok(())
            }
            Err(error) => {
                state.last_failure = Some(error.clone());
                Err(error)
            }
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
        if headers.set_cookies.is_empty() && headers.csrf_token.is_none() {
            return;
        }
        let mut state = self.lock();
        if !state.logged_in || state.generation != generation {
            return;
        }
        for set_cookie in &headers.set_cookies {
            state.jar.store(set_cookie, path, Source::Answer);
        }
        if let Some(token) = &headers.csrf_token {
            state.csrf = Some(Secret::new(token.as_str()));
        }
    }

    fn log_in(&self, transport: &Transport) -> Result<NewSession> {
        // In a form body, never in the URL: URLs end up in proxy and server logs.
        let body = Secret::new(format!(
            "username={}&password={}",
            utf8_percent_encode(&self.login.username, FORM_VALUE),
            utf8_percent_encode(self.login.password.expose(), FORM_VALUE)
        ));
        let label = format!("login at {}", self.login_url);
        let request = Outgoing {
            method: Method::Post,
            url: &self.login_url,
            headers: Vec::new(),
            body: Body::Form(body.expose()),
            idempotency: Idempotency::Safe,
            label: &label,
        };
        let send = || {
            transport
                .send(&request)
                .map_err(|e| Error::new(Code::AuthUnavailable, e.message().to_string()))
        };
        let mut answer = send()?;
        if answer.status == 500 {
            // Some Tasklist versions answer a wrong password with 500 (camunda/camunda#29874):
            // one more try tells a passing fault from a steady refusal.
            answer = send()?;
        }
        // The login answer's cookies are the new session, whatever came before; the jar
        // evicts them last.
        let mut jar = CookieJar::default();
        for set_cookie in &answer.headers.set_cookies {
            jar.store(set_cookie, &self.login_path, Source::Login);
        }
        let user = &self.login.username;
        match answer.status {
            200..=299 if jar.is_empty() => Err(Error::new(
                Code::AuthUnavailable,
                format!(
                    "{label} answered HTTP {} but set no session cookie",
                    answer.status
                ),
            )
            .with_answer(answer.status, Some(answer.body))),
            200..=299 => Ok(NewSession {
                jar,
                csrf: answer.headers.csrf_token.map(Secret::new),
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
                    answer.headers.location.as_deref().unwrap_or("nowhere")
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
        // Every update is a plain assignment, so data behind a poisoned lock is consistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
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
