//! The library's error model: a stable numeric [`Code`] plus a one-line message, the HTTP
//! status when there was an answer, and the server's body when it sent one.
//!
//! Messages never contain secrets: every place that builds an [`Error`] from something the
//! user configured names the setting, never its value.

use std::fmt;

/// Declares the status codes from one table: the [`Code`] enum, its names, and the C
/// constants (`c_constants`, re-exported by `ffi`). `build.rs` reads the same table to write
/// the header's `#define`s with these doc comments, so the list exists once.
macro_rules! status_codes {
    (
        $(#[doc = $ok_doc:literal])* ok $ok_name:ident = 0;
        $( $(#[doc = $doc:literal])* $variant:ident = $number:literal => $c_name:ident, )*
    ) => {
        /// Stable status codes, grouped by origin (100s usage, 200s transport, 300s answers
        /// from the server, 400s authentication, 900s internal). Numbers are never renumbered
        /// or reused; the C header exposes them as `TASKLIST_*` macros.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(i32)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant = $number, )*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The C macro name of this code, e.g. `TASKLIST_ERR_NOT_FOUND`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => stringify!($c_name),)*
                }
            }
        }

        /// The codes under their C names, for the `ffi` module and its tests.
        pub mod c_constants {
            $(#[doc = $ok_doc])*
            pub const $ok_name: i32 = 0;
            $( $(#[doc = $doc])* pub const $c_name: i32 = $number; )*
        }
    };
}

// The one table of status codes. build.rs parses these lines: keep one `///` doc line or more
// and then `Variant = number => TASKLIST_NAME,` per code.
status_codes! {
    /// Success.
    ok TASKLIST_OK = 0;
    /// A required pointer argument was NULL.
    NullArgument = 100 => TASKLIST_ERR_NULL_ARGUMENT,
    /// A value is unusable: bad URL, empty id, unknown option value, options without a base URL.
    InvalidArgument = 101 => TASKLIST_ERR_INVALID_ARGUMENT,
    /// A string argument is not UTF-8.
    InvalidUtf8 = 102 => TASKLIST_ERR_INVALID_UTF8,
    /// A request body argument is not valid JSON (refused before any network traffic).
    InvalidJson = 103 => TASKLIST_ERR_INVALID_JSON,
    /// The server could not be reached (DNS, refused, unreachable).
    Connect = 200 => TASKLIST_ERR_CONNECT,
    /// A connect or request timeout elapsed.
    Timeout = 201 => TASKLIST_ERR_TIMEOUT,
    /// The TLS handshake or certificate verification failed.
    Tls = 202 => TASKLIST_ERR_TLS,
    /// The connection broke mid-exchange, or the body was cut short.
    Io = 203 => TASKLIST_ERR_IO,
    /// The answer exceeded the configured size limit.
    BodyTooLarge = 204 => TASKLIST_ERR_BODY_TOO_LARGE,
    /// Tasklist answered 400.
    BadRequest = 300 => TASKLIST_ERR_BAD_REQUEST,
    /// Tasklist answered 401 even after one fresh authentication.
    Unauthorized = 301 => TASKLIST_ERR_UNAUTHORIZED,
    /// Tasklist answered 403.
    Forbidden = 302 => TASKLIST_ERR_FORBIDDEN,
    /// Tasklist answered 404.
    NotFound = 303 => TASKLIST_ERR_NOT_FOUND,
    /// Tasklist answered 409.
    Conflict = 304 => TASKLIST_ERR_CONFLICT,
    /// Tasklist answered 429, still after the allowed retries.
    RateLimited = 305 => TASKLIST_ERR_RATE_LIMITED,
    /// Tasklist answered 5xx, still after the allowed retries.
    Server = 306 => TASKLIST_ERR_SERVER,
    /// Tasklist answered with another non-2xx status (including an unfollowed redirect).
    Http = 307 => TASKLIST_ERR_HTTP,
    /// A 2xx answer whose body is not the JSON the endpoint returns.
    Decode = 308 => TASKLIST_ERR_DECODE,
    /// The server does not offer the API generation that was called: a v1 function against
    /// a server without Tasklist v1 (Camunda 8.10+), or a v2 function against one without
    /// the v2 API (8.7 and earlier). The message names the server's version where it could
    /// be learned and the function to call instead.
    Unsupported = 309 => TASKLIST_ERR_UNSUPPORTED,
    /// The token endpoint or the login rejected the credentials.
    AuthFailed = 400 => TASKLIST_ERR_AUTH_FAILED,
    /// The token endpoint or the login could not be used (down, 5xx, 429, malformed answer).
    AuthUnavailable = 401 => TASKLIST_ERR_AUTH_UNAVAILABLE,
    /// A bug inside the library was caught at the boundary; the call had no effect it can vouch for.
    Panic = 900 => TASKLIST_ERR_PANIC,
    /// Anything else that is the library's fault.
    Internal = 901 => TASKLIST_ERR_INTERNAL,
}

impl Code {
    /// The code for a number, if the number is one of ours.
    pub fn from_i32(value: i32) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| *c as i32 == value)
    }

    /// The code for a non-2xx answer from Tasklist (after retries and re-authentication).
    pub fn for_http_status(status: u16) -> Code {
        match status {
            400 => Code::BadRequest,
            401 => Code::Unauthorized,
            403 => Code::Forbidden,
            404 => Code::NotFound,
            409 => Code::Conflict,
            429 => Code::RateLimited,
            500..=599 => Code::Server,
            _ => Code::Http,
        }
    }
}

/// A failed operation: what went wrong, in a form a program can branch on and a person can read.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    code: Code,
    message: String,
    http_status: u16,
    body: Option<String>,
}

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Error {
        Error {
            code,
            message: shorten(&one_line(message.into()), MAX_MESSAGE_CHARS).into_owned(),
            http_status: 0,
            body: None,
        }
    }

    /// An error that carries the HTTP answer that caused it.
    pub fn with_answer(mut self, http_status: u16, body: Option<String>) -> Error {
        self.http_status = http_status;
        self.body = body.filter(|b| !b.is_empty());
        self
    }

    pub fn code(&self) -> Code {
        self.code
    }
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The HTTP status of the answer that caused the error, 0 when there was none.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }
    /// The body of that answer, when it had one.
    pub fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }

    /// The same error with its message and body rewritten (to mask secrets).
    pub(crate) fn map_text(mut self, rewrite: impl Fn(&str) -> String) -> Error {
        self.message = rewrite(&self.message);
        self.body = self.body.map(|body| rewrite(&body));
        self
    }

    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(Code::InvalidArgument, message)
    }
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(Code::Internal, message)
    }
}

/// No message is longer than this many characters, whatever a caller or a server passed in
/// (a 16 MiB id must not become a 16 MiB "one-line" message).
pub(crate) const MAX_MESSAGE_CHARS: usize = 1000;
/// How much of a label (a request's method and path, which hold ids) a message quotes.
pub(crate) const MAX_LABEL_CHARS: usize = 200;

/// `text` cut to at most `max_chars` characters, the cut marked with an ellipsis.
pub(crate) fn shorten(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars.saturating_sub(1)) {
        Some((at, _)) if text[at..].chars().nth(1).is_some() => {
            std::borrow::Cow::Owned(format!("{}…", &text[..at]))
        }
        _ => std::borrow::Cow::Borrowed(text),
    }
}

/// Messages are documented as one line; a stray newline from a lower layer must not break
/// log lines built from them.
fn one_line(message: String) -> String {
    if message.contains(['\n', '\r']) {
        message.replace(['\n', '\r'], " ")
    } else {
        message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("code", &self.code.name())
            .field("message", &self.message)
            .field("http_status", &self.http_status)
            .field("body", &self.body)
            .finish()
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_number() {
        for &code in Code::ALL {
            assert_eq!(Code::from_i32(code as i32), Some(code));
            assert!(code.name().starts_with("TASKLIST_ERR_"));
        }
        assert_eq!(Code::from_i32(0), None);
        assert_eq!(Code::from_i32(12345), None);
    }

    #[test]
    fn http_statuses_map_to_the_documented_codes() {
        assert_eq!(Code::for_http_status(400), Code::BadRequest);
        assert_eq!(Code::for_http_status(401), Code::Unauthorized);
        assert_eq!(Code::for_http_status(403), Code::Forbidden);
        assert_eq!(Code::for_http_status(404), Code::NotFound);
        assert_eq!(Code::for_http_status(409), Code::Conflict);
        assert_eq!(Code::for_http_status(429), Code::RateLimited);
        assert_eq!(Code::for_http_status(503), Code::Server);
        assert_eq!(Code::for_http_status(418), Code::Http);
        assert_eq!(Code::for_http_status(302), Code::Http);
    }

    #[test]
    fn messages_are_kept_on_one_line() {
        let e = Error::new(Code::Io, "first\nsecond\r\nthird");
        assert_eq!(e.message(), "first second  third");
    }

    #[test]
    fn long_messages_are_cut_with_an_ellipsis() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abcd", 4), "abcd");
        assert_eq!(shorten("ééééé", 3), "éé…");
        let e = Error::new(Code::NotFound, "x".repeat(5_000_000));
        assert_eq!(e.message().chars().count(), MAX_MESSAGE_CHARS);
        assert!(e.message().ends_with('…'));
    }

    #[test]
    fn an_empty_body_is_no_body() {
        let e = Error::new(Code::Server, "x").with_answer(500, Some(String::new()));
        assert_eq!(e.body(), None);
        assert_eq!(e.http_status(), 500);
    }
}
