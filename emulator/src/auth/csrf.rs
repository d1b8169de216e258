//! CSRF protection of session writes (Tasklist 8.5.1+, the 8.8+
//! Orchestration Cluster): session users must echo an `X-CSRF-TOKEN` on
//! every state-changing request. Bearer and Basic requests and the login
//! and logout paths are exempt (CsrfRequireMatcher).
//!
//! Two token styles: `Plain` (the emulator's `--csrf` switch: the header
//! carries the cookie's value) and `Masked`, Spring Security 6's default
//! `XorCsrfTokenRequestAttributeHandler`: each response header carries
//! base64url(random ‖ random XOR token), so the header differs from the
//! cookie on every answer; any masking of the session's token is accepted,
//! the raw cookie value is not.

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine;

use super::Caller;
use crate::config::CsrfMode;
use crate::http::{Request, Response};
use crate::problem::invalid_csrf;
use crate::random;

pub const HEADER: &str = "X-CSRF-TOKEN";

/// A session's raw token (the cookie value).
pub fn new_token() -> String {
    random::hex(&random::bytes::<16>())
}

/// The token as a response header shows it.
pub fn header_value(raw: &str, mode: CsrfMode) -> String {
    match mode {
        CsrfMode::Masked => mask(raw),
        CsrfMode::Plain | CsrfMode::Off => raw.to_string(),
    }
}

pub fn mask(raw: &str) -> String {
    let token = raw.as_bytes();
    let mut combined = Vec::with_capacity(token.len() * 2);
    while combined.len() < token.len() {
        combined.extend_from_slice(&random::bytes::<16>());
    }
    combined.truncate(token.len());
    for i in 0..token.len() {
        combined.push(combined[i] ^ token[i]);
    }
    URL_SAFE.encode(combined)
}

/// The raw token inside a masked one, if it is one.
pub fn unmask(masked: &str) -> Option<String> {
    let bytes = URL_SAFE.decode(masked.trim()).ok()?;
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    let (random, xored) = bytes.split_at(bytes.len() / 2);
    let raw: Vec<u8> = random.iter().zip(xored).map(|(r, x)| r ^ x).collect();
    String::from_utf8(raw).ok()
}

/// Adds the token header (and, at login, the cookie with the raw token).
pub fn attach(response: Response, raw: &str, mode: CsrfMode, with_cookie: bool) -> Response {
    if mode == CsrfMode::Off {
        return response;
    }
    let response = response.with_header(HEADER, header_value(raw, mode));
    if with_cookie {
        response.with_header(
            "Set-Cookie",
            format!("{HEADER}={raw}; Path=/; HttpOnly; SameSite=Lax"),
        )
    } else {
        response
    }
}

/// Whether a request header's token stands for the raw token `raw`.
pub fn accepts(sent: &str, raw: &str, mode: CsrfMode) -> bool {
    match mode {
        CsrfMode::Plain => sent == raw,
        CsrfMode::Masked => unmask(sent).is_some_and(|unmasked| unmasked == raw),
        CsrfMode::Off => true,
    }
}

/// The strict login (`Config::login_requires_csrf`): before any session
/// exists, Spring's cookie repository compares the request header with
/// the token cookie a `GET` on the login path handed out.
pub fn check_login(request: &Request, mode: CsrfMode) -> Result<(), Response> {
    if mode == CsrfMode::Off {
        return Ok(());
    }
    match (request.cookie(HEADER), request.header(HEADER)) {
        (Some(raw), Some(sent)) if !raw.is_empty() && accepts(sent, raw, mode) => Ok(()),
        _ => Err(invalid_csrf()),
    }
}

fn is_safe_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "TRACE" | "OPTIONS")
}

/// `Err(403)` when a session user's unsafe request lacks the right token.
pub fn check(request: &Request, caller: &Caller, mode: CsrfMode) -> Result<(), Response> {
    let Caller::Session { csrf_token, .. } = caller else {
        return Ok(());
    };
    if mode == CsrfMode::Off
        || is_safe_method(&request.method)
        || request
            .header("referer")
            .is_some_and(|r| r.contains("/swagger-ui"))
    {
        return Ok(());
    }
    if request
        .header(HEADER)
        .is_some_and(|sent| accepts(sent, csrf_token, mode))
    {
        Ok(())
    } else {
        Err(invalid_csrf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_tokens_differ_each_time_and_unmask_to_the_raw_one() {
        let raw = new_token();
        let (a, b) = (mask(&raw), mask(&raw));
        assert_ne!(a, b);
        assert_ne!(a, raw);
        assert_eq!(unmask(&a).as_deref(), Some(raw.as_str()));
        assert_eq!(unmask(&b).as_deref(), Some(raw.as_str()));
        assert_ne!(unmask(&raw).as_deref(), Some(raw.as_str()));
    }
}
