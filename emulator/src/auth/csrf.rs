//! The 8.5.1+ CSRF rule (optional): session users must echo the
//! `X-CSRF-TOKEN` they were given on every state-changing request. Bearer
//! requests and `/api/login|logout` are exempt (CsrfRequireMatcher).

use super::Caller;
use crate::http::{Request, Response};
use crate::problem::invalid_csrf;
use crate::random;

pub const HEADER: &str = "X-CSRF-TOKEN";

pub fn new_token() -> String {
    random::hex(&random::bytes::<16>())
}

/// Adds the token header (and, at login, the cookie) to a response.
pub fn attach(response: Response, token: &str, with_cookie: bool) -> Response {
    let response = response.with_header(HEADER, token);
    if with_cookie {
        response.with_header(
            "Set-Cookie",
            format!("{HEADER}={token}; Path=/; HttpOnly; SameSite=Lax"),
        )
    } else {
        response
    }
}

fn is_safe_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "TRACE" | "OPTIONS")
}

/// `Err(403)` when a session user's unsafe request lacks the right token.
pub fn check(request: &Request, caller: &Caller) -> Result<(), Response> {
    let Caller::Session { csrf_token, .. } = caller else {
        return Ok(());
    };
    if is_safe_method(&request.method)
        || request
            .header("referer")
            .is_some_and(|r| r.contains("/swagger-ui"))
    {
        return Ok(());
    }
    match request.header(HEADER) {
        Some(sent) if sent == csrf_token => Ok(()),
        _ => Err(invalid_csrf()),
    }
}
