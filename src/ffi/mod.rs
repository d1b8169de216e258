//! The C surface of libtasklist: the only module with `unsafe` and `extern "C"`.
//! `include/tasklist.h` is generated from these files by cbindgen; their doc comments are the
//! header's documentation.

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)] // documented per function in the header's words

pub(crate) mod boundary;
pub mod call;
pub mod client;
pub mod error;
pub mod log;
pub mod options;
pub mod pages;
pub mod v1;
pub mod version;

/// The result of every fallible function: 0 (`TASKLIST_OK`) on success, otherwise one of the
/// `TASKLIST_ERR_*` codes. Codes are stable numbers, never renumbered or reused; programs
/// should treat an unknown number like `TASKLIST_ERR_INTERNAL`.
pub type tasklist_status = i32;

/// Success.
pub const TASKLIST_OK: tasklist_status = 0;
/// A required pointer argument was NULL.
pub const TASKLIST_ERR_NULL_ARGUMENT: tasklist_status = 100;
/// A value is unusable: bad URL, empty id, unknown option value, options without a base URL.
pub const TASKLIST_ERR_INVALID_ARGUMENT: tasklist_status = 101;
/// A string argument is not UTF-8.
pub const TASKLIST_ERR_INVALID_UTF8: tasklist_status = 102;
/// A request body argument is not valid JSON (refused before any network traffic).
pub const TASKLIST_ERR_INVALID_JSON: tasklist_status = 103;
/// The server could not be reached (DNS, refused, unreachable).
pub const TASKLIST_ERR_CONNECT: tasklist_status = 200;
/// A connect or request timeout elapsed.
pub const TASKLIST_ERR_TIMEOUT: tasklist_status = 201;
/// The TLS handshake or certificate verification failed.
pub const TASKLIST_ERR_TLS: tasklist_status = 202;
/// The connection broke mid-exchange, or the body was cut short.
pub const TASKLIST_ERR_IO: tasklist_status = 203;
/// The answer exceeded the configured size limit.
pub const TASKLIST_ERR_BODY_TOO_LARGE: tasklist_status = 204;
/// Tasklist answered 400.
pub const TASKLIST_ERR_BAD_REQUEST: tasklist_status = 300;
/// Tasklist answered 401 even after one fresh authentication.
pub const TASKLIST_ERR_UNAUTHORIZED: tasklist_status = 301;
/// Tasklist answered 403.
pub const TASKLIST_ERR_FORBIDDEN: tasklist_status = 302;
/// Tasklist answered 404.
pub const TASKLIST_ERR_NOT_FOUND: tasklist_status = 303;
/// Tasklist answered 409.
pub const TASKLIST_ERR_CONFLICT: tasklist_status = 304;
/// Tasklist answered 429, still after the allowed retries.
pub const TASKLIST_ERR_RATE_LIMITED: tasklist_status = 305;
/// Tasklist answered 5xx, still after the allowed retries.
pub const TASKLIST_ERR_SERVER: tasklist_status = 306;
/// Tasklist answered with another non-2xx status (including an unfollowed redirect).
pub const TASKLIST_ERR_HTTP: tasklist_status = 307;
/// A 2xx answer whose body is not the JSON the endpoint returns.
pub const TASKLIST_ERR_DECODE: tasklist_status = 308;
/// The token endpoint or the login rejected the credentials.
pub const TASKLIST_ERR_AUTH_FAILED: tasklist_status = 400;
/// The token endpoint or the login could not be used (down, 5xx, 429, malformed answer).
pub const TASKLIST_ERR_AUTH_UNAVAILABLE: tasklist_status = 401;
/// A bug inside the library was caught at the boundary; the call had no effect it can vouch for.
pub const TASKLIST_ERR_PANIC: tasklist_status = 900;
/// Anything else that is the library's fault.
pub const TASKLIST_ERR_INTERNAL: tasklist_status = 901;

/// Token request body encoding: `application/x-www-form-urlencoded` (RFC 6749; Keycloak,
/// Identity, Entra ID, Camunda SaaS). The default.
pub const TASKLIST_TOKEN_FORMAT_FORM: u32 = 0;
/// Token request body encoding: `application/json`, as the Camunda 8.4 SaaS guide shows.
pub const TASKLIST_TOKEN_FORMAT_JSON: u32 = 1;

/// OAuth client authentication `client_secret_post`: `client_id` and `client_secret` travel
/// in the token request body. The default.
pub const TASKLIST_CLIENT_AUTH_POST: u32 = 0;
/// OAuth client authentication `client_secret_basic`: `Authorization: Basic
/// base64(urlencode(client_id):urlencode(client_secret))`, and no secret in the body.
pub const TASKLIST_CLIENT_AUTH_BASIC: u32 = 1;
/// Log level: a bug inside the library, caught at the C boundary (`TASKLIST_ERR_PANIC`).
pub const TASKLIST_LOG_ERROR: u32 = 1;
/// Log level: calls that failed or met 5xx/429 answers.
pub const TASKLIST_LOG_WARN: u32 = 2;
/// Log level: one line per HTTP exchange (method, path, status, duration, retries).
pub const TASKLIST_LOG_INFO: u32 = 3;
/// Log level: also every retry and its wait.
pub const TASKLIST_LOG_DEBUG: u32 = 4;

/// Bumped on every change that breaks the ABI; equals `tasklist_abi_version()` of a
/// compatible library.
pub const TASKLIST_ABI_VERSION: u32 = 1;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn log_level_constants_match_the_core_levels() {
        use crate::log::Level;
        assert_eq!(TASKLIST_LOG_ERROR, Level::Error as u32);
        assert_eq!(TASKLIST_LOG_WARN, Level::Warn as u32);
        assert_eq!(TASKLIST_LOG_INFO, Level::Info as u32);
        assert_eq!(TASKLIST_LOG_DEBUG, Level::Debug as u32);
    }

    #[test]
    fn header_constants_match_the_core_codes() {
        let pairs = [
            (TASKLIST_ERR_NULL_ARGUMENT, Code::NullArgument),
            (TASKLIST_ERR_INVALID_ARGUMENT, Code::InvalidArgument),
            (TASKLIST_ERR_INVALID_UTF8, Code::InvalidUtf8),
            (TASKLIST_ERR_INVALID_JSON, Code::InvalidJson),
            (TASKLIST_ERR_CONNECT, Code::Connect),
            (TASKLIST_ERR_TIMEOUT, Code::Timeout),
            (TASKLIST_ERR_TLS, Code::Tls),
            (TASKLIST_ERR_IO, Code::Io),
            (TASKLIST_ERR_BODY_TOO_LARGE, Code::BodyTooLarge),
            (TASKLIST_ERR_BAD_REQUEST, Code::BadRequest),
            (TASKLIST_ERR_UNAUTHORIZED, Code::Unauthorized),
            (TASKLIST_ERR_FORBIDDEN, Code::Forbidden),
            (TASKLIST_ERR_NOT_FOUND, Code::NotFound),
            (TASKLIST_ERR_CONFLICT, Code::Conflict),
            (TASKLIST_ERR_RATE_LIMITED, Code::RateLimited),
            (TASKLIST_ERR_SERVER, Code::Server),
            (TASKLIST_ERR_HTTP, Code::Http),
            (TASKLIST_ERR_DECODE, Code::Decode),
            (TASKLIST_ERR_AUTH_FAILED, Code::AuthFailed),
            (TASKLIST_ERR_AUTH_UNAVAILABLE, Code::AuthUnavailable),
            (TASKLIST_ERR_PANIC, Code::Panic),
            (TASKLIST_ERR_INTERNAL, Code::Internal),
        ];
        assert_eq!(pairs.len(), Code::ALL.len());
        for (constant, code) in pairs {
            assert_eq!(constant, code as i32, "{}", code.name());
        }
    }
}
