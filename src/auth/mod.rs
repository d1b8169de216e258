//! How each request is authenticated, and how a refused credential is renewed once.

pub(crate) mod basic;
pub(crate) mod cookie_jar;
pub(crate) mod cookie_session;
pub(crate) mod token_request;
pub(crate) mod token_source;

use crate::config::describe::Chosen;
use crate::config::{Auth, Config};
use crate::error::Result;
use crate::secret::Secret;
use crate::transport::{Answer, Method, Transport};
use cookie_session::CookieSession;
use token_source::TokenSource;

/// What the authentication will send where the configuration leaves the choice open.
pub(crate) fn chosen_defaults(config: &Config) -> Chosen<'_> {
    Chosen {
        audience: match &config.auth {
            Auth::OAuth(oauth) => {
                token_request::audience(&oauth.audience, config.base_url.as_deref())
            }
            _ => None,
        },
        login_path: config
            .login_path
            .as_deref()
            .unwrap_or(cookie_session::DISCOVERED_LOGIN_PATH),
    }
}

pub(crate) enum Authenticator {
    None,
    Bearer(Secret),
    /// The `Authorization: Basic ...` value, the same on every request.
    Basic(Secret),
    OAuth(TokenSource),
    Cookie(CookieSession),
}

/// Headers that authenticate one request, and which credential generation they came from.
pub(crate) struct Credentials {
    pub headers: Vec<(&'static str, String)>,
    pub generation: u64,
}

impl Authenticator {
    pub(crate) fn new(config: &Config, base_url: &str) -> Authenticator {
        match &config.auth {
            Auth::None => Authenticator::None,
            Auth::Bearer(token) => {
                Authenticator::Bearer(Secret::new(format!("Bearer {}", token.expose())))
            }
            Auth::Basic(login) => Authenticator::Basic(basic::authorization(login)),
            Auth::OAuth(oauth) => Authenticator::OAuth(TokenSource::new(oauth.clone(), config)),
            Auth::Cookie(login) => Authenticator::Cookie(CookieSession::new(
                base_url,
                config.login_path.as_deref(),
                login.clone(),
                config.request_timeout,
            )),
        }
    }

    pub(crate) fn credentials(
        &self,
        transport: &Transport,
        method: Method,
        path: &str,
    ) -> Result<Credentials> {
        match self {
            Authenticator::None => Ok(Credentials {
                headers: Vec::new(),
                generation: 0,
            }),
            Authenticator::Bearer(header) | Authenticator::Basic(header) => Ok(Credentials {
                headers: vec![("authorization", header.expose().to_string())],
                generation: 0,
            }),
            Authenticator::OAuth(source) => {
                let token = source.token(transport)?;
                Ok(Credentials {
                    headers: vec![("authorization", token.header.expose().to_string())],
                    generation: token.generation,
                })
            }
            Authenticator::Cookie(session) => {
                let creds = session.credentials(transport, method, path)?;
                let mut headers = Vec::with_capacity(2);
                if let Some(cookie) = creds.cookie {
                    headers.push(("cookie", cookie));
                }
                if let Some(csrf) = creds.csrf {
                    headers.push(("x-csrf-token", csrf));
                }
                Ok(Credentials {
                    headers,
                    generation: creds.generation,
                })
            }
        }
    }

    /// Authenticates now instead of on the first request.
    pub(crate) fn authenticate(&self, transport: &Transport) -> Result<()> {
        match self {
            Authenticator::None | Authenticator::Bearer(_) | Authenticator::Basic(_) => Ok(()),
            Authenticator::OAuth(source) => source.token(transport).map(|_| ()),
            Authenticator::Cookie(session) => session.log_in_once(transport, ""),
        }
    }

    /// Keeps what an answer tells the session (new cookies, a new CSRF token), if the
    /// request was sent with the current credentials (`generation` from
    /// [`Authenticator::credentials`]); answers from an older session are ignored.
    pub(crate) fn absorb(&self, answer: &Answer, path: &str, generation: u64) {
        if let Authenticator::Cookie(session) = self {
            session.absorb(&answer.headers, path, generation);
        }
    }

    /// Whether this answer means the credential is stale and a fresh one may succeed: a 401
    /// for tokens and sessions, or a 403 about the CSRF token for sessions. Renewing drops
    /// the stale credential so the next [`Authenticator::credentials`] fetches a new one.
    pub(crate) fn renew_if_stale(&self, answer: &Answer, generation: u64) -> bool {
        match self {
            Authenticator::OAuth(source) if answer.status == 401 => {
                source.invalidate(generation);
                true
            }
            Authenticator::Cookie(session)
                if answer.status == 401 || (answer.status == 403 && is_csrf_refusal(answer)) =>
            {
                session.invalidate(generation);
                true
            }
            _ => false,
        }
    }
}

/// Tasklist's CSRF filter answers `{"error": "Access denied due to invalid CSRF token."}`,
/// unlike its business-rule 403s, which are problem bodies.
fn is_csrf_refusal(answer: &Answer) -> bool {
    answer.body.to_ascii_lowercase().contains("csrf")
}
