//! Cookie sessions: Tasklist's "auth" profile (`/api/login`, cookie
//! `TASKLIST-SESSION`) or the 8.8+ Orchestration Cluster (`/login`, cookie
//! `camunda-session`), as the profile's `LoginScheme` says. The login reads
//! servlet parameters (query string or form body, never JSON), answers 204
//! with the cookie, and sessions end after an idle timeout.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use super::{csrf, Caller};
use crate::config::{CsrfMode, User};
use crate::dates::now_millis;
use crate::http::{parse_form, Request, Response};
use crate::problem::unauthorized;
use crate::profile::LoginScheme;
use crate::random;

struct Session {
    username: String,
    can_write: bool,
    csrf_token: String,
    last_seen_ms: AtomicI64,
}

pub struct Sessions {
    users: Vec<User>,
    timeout_ms: i64,
    csrf: CsrfMode,
    scheme: LoginScheme,
    login_requires_csrf: bool,
    failure_content_type: &'static str,
    by_id: RwLock<HashMap<String, Arc<Session>>>,
}

/// What a session lookup found.
pub enum Lookup {
    NoCookie,
    Unknown,
    Found(Caller),
}

impl Sessions {
    pub fn new(
        users: Vec<User>,
        timeout_secs: u64,
        csrf: CsrfMode,
        scheme: LoginScheme,
        login_requires_csrf: bool,
        failure_content_type: &'static str,
    ) -> Sessions {
        Sessions {
            users,
            timeout_ms: timeout_secs as i64 * 1000,
            csrf,
            scheme,
            login_requires_csrf,
            failure_content_type,
            by_id: RwLock::new(HashMap::new()),
        }
    }

    /// The user with these credentials (Basic authentication checks them on
    /// every call).
    pub fn check_password(&self, username: &str, password: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.username == username && u.password == password)
    }

    /// GET on the login path (8.8+): the login page, with a CSRF token for
    /// the login itself (header masked, raw token in the cookie).
    pub fn login_page(&self) -> Response {
        let page = Response::new(200)
            .with_header("Content-Type", "text/html;charset=UTF-8")
            .with_body("<!doctype html><title>Camunda</title>");
        csrf::attach(page, &csrf::new_token(), self.csrf, true)
    }

    /// POST on the login path; the bool says whether a session was created.
    /// The session gets a fresh CSRF token (Spring rotates it at login).
    pub fn login(&self, request: &Request) -> (Response, bool) {
        if self.login_requires_csrf {
            if let Err(refused) = csrf::check_login(request, self.csrf) {
                return (refused, false);
            }
        }
        let mut params = request.query.clone();
        let is_form = request.header("content-type").is_some_and(|ct| {
            ct.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        if is_form {
            params.extend(parse_form(&String::from_utf8_lossy(&request.body)));
        }
        let param = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let user = self.users.iter().find(|u| {
            Some(u.username.as_str()) == param("username")
                && Some(u.password.as_str()) == param("password")
        });
        let Some(user) = user else {
            let mut refused = unauthorized("");
            for (name, value) in &mut refused.headers {
                if name == "Content-Type" {
                    *value = self.failure_content_type.to_string();
                }
            }
            return (refused, false);
        };
        let id = random::session_id();
        let session = Session {
            username: user.username.clone(),
            can_write: user.can_write,
            csrf_token: csrf::new_token(),
            last_seen_ms: AtomicI64::new(now_millis()),
        };
        let mut response = Response::new(204).with_header(
            "Set-Cookie",
            format!(
                "{}={id}; Path=/; HttpOnly; SameSite=Lax",
                self.scheme.session_cookie
            ),
        );
        response = csrf::attach(response, &session.csrf_token, self.csrf, true);
        self.by_id.write().unwrap().insert(id, Arc::new(session));
        (response, true)
    }

    /// The logout path: forget the session and clear the cookies.
    pub fn logout(&self, request: &Request) -> Response {
        if let Some(id) = request.cookie(self.scheme.session_cookie) {
            self.by_id.write().unwrap().remove(id);
        }
        let mut response = Response::new(204).with_header(
            "Set-Cookie",
            format!("{}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax", self.scheme.session_cookie),
        );
        if self.csrf != CsrfMode::Off {
            response = response.with_header(
                "Set-Cookie",
                format!("{}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax", csrf::HEADER),
            );
        }
        response
    }

    /// Finds the caller of a session cookie and refreshes its idle clock.
    pub fn lookup(&self, request: &Request) -> Lookup {
        let Some(id) = request.cookie(self.scheme.session_cookie) else {
            return Lookup::NoCookie;
        };
        let now = now_millis();
        let session = self.by_id.read().unwrap().get(id).cloned();
        let Some(session) = session else {
            return Lookup::Unknown;
        };
        if now - session.last_seen_ms.load(Ordering::Relaxed) > self.timeout_ms {
            self.by_id.write().unwrap().remove(id);
            return Lookup::Unknown;
        }
        session.last_seen_ms.store(now, Ordering::Relaxed);
        Lookup::Found(Caller::Session {
            username: session.username.clone(),
            can_write: session.can_write,
            csrf_token: session.csrf_token.clone(),
        })
    }

    pub fn expire_all(&self) {
        self.by_id.write().unwrap().clear();
    }
}

/// 401 for a missing or dead session, as the "auth" profile answers.
pub fn not_logged_in() -> Response {
    unauthorized("")
}
