//! `tasklist_set_log_callback` and `tasklist_set_log_record_callback`: where the library's
//! log records go. The core's sink is a Rust closure; here it becomes a call of the
//! application's C function, with the texts converted to NUL-terminated strings.

use crate::error::{Error, Result};
use crate::ffi::boundary::ffi_status;
use crate::ffi::{
    tasklist_status, TASKLIST_LOG_DEBUG, TASKLIST_LOG_ERROR, TASKLIST_LOG_INFO, TASKLIST_LOG_WARN,
};
use crate::log::{Level, Record};
use std::ffi::{c_char, c_void, CString};
use std::ptr;

/// Receives one log line: `level` is a `TASKLIST_LOG_*` value, `message` one line of UTF-8
/// text without a trailing newline, borrowed for the duration of the call only (copy it to
/// keep it), and `userdata` the pointer given to `tasklist_set_log_callback`.
pub type tasklist_log_callback =
    Option<unsafe extern "C" fn(level: u32, message: *const c_char, userdata: *mut c_void)>;

/// Receives one log record: `level` is a `TASKLIST_LOG_*` value; `line` the record as one
/// line of UTF-8 text without a trailing newline, exactly what `tasklist_log_callback` gets;
/// `fields_json` the same record as a JSON object (UTF-8); `userdata` the pointer given to
/// `tasklist_set_log_record_callback`. Both strings are borrowed for the duration of the call
/// only (copy them to keep them).
///
/// The members of `fields_json`, always all present:
/// - `level`: `"error"`, `"warn"`, `"info"` or `"debug"`, the same as `level`;
/// - `target`: where the record comes from: `"http"` (a request to the Tasklist API),
///   `"auth"` (an exchange with the token endpoint or the cookie login) or `"panic"` (a bug
///   inside the library, caught at the C boundary); other values may come in later versions;
/// - `method`: the HTTP method, e.g. `"POST"`, or null when the record is not about a request;
/// - `path`: the request's path without its query, e.g. `"/v1/tasks/search"`, or null;
/// - `status`: the HTTP status of the answer, 0 when there was none (a transport error);
/// - `duration_ms`: milliseconds the call has taken so far, retries and their waits included
///   (on a DEBUG note about one attempt, that attempt's);
/// - `retries`: retries made so far; on a record that announces a retry, that retry included;
/// - `retry_after_ms`: on a record that announces a retry (at `TASKLIST_LOG_DEBUG`), the wait
///   before it in milliseconds; null on every other record;
/// - `error`: the `TASKLIST_ERR_*` name of a failure, e.g. `"TASKLIST_ERR_CONNECT"`, or null
///   when the exchange got an answer (whatever its status);
/// - `message`: what happened in words, without the other members: the request as the line
///   names it (`"POST /v1/tasks/search"`, `"token endpoint: POST /oauth/token"`), followed
///   for a failure or a DEBUG note by `": "` and the reason; for a panic, its text.
///
/// No member and no line ever holds a secret (no bodies, headers, query strings, tokens,
/// cookies or passwords).
pub type tasklist_log_record_callback = Option<
    unsafe extern "C" fn(
        level: u32,
        line: *const c_char,
        fields_json: *const c_char,
        userdata: *mut c_void,
    ),
>;

/// The application's userdata pointer, carried into the sink closure.
struct Userdata(*mut c_void);

// SAFETY: the pointer is only handed back to the application's callback, whose contract (in
// the header) says it is called from any thread; the library never dereferences it.
unsafe impl Send for Userdata {}
unsafe impl Sync for Userdata {}

impl Userdata {
    /// A method rather than `.0`, so a closure captures the whole (Send) wrapper and not
    /// just its raw pointer field.
    fn get(&self) -> *mut c_void {
        self.0
    }
}

/// What both setters do around their sink: NULL restores the default sink, otherwise the
/// level is checked and `sink` wraps the callback and its userdata.
fn install<C>(
    level: u32,
    callback: Option<C>,
    userdata: *mut c_void,
    sink: impl FnOnce(C, Userdata) -> Box<crate::log::SinkFn>,
) -> Result<()> {
    let Some(callback) = callback else {
        crate::log::restore_default_sink();
        return Ok(());
    };
    let level = level_of(level)?;
    crate::log::set_sink(level, sink(callback, Userdata(userdata)));
    Ok(())
}

fn level_of(level: u32) -> Result<Level> {
    match level {
        TASKLIST_LOG_ERROR => Ok(Level::Error),
        TASKLIST_LOG_WARN => Ok(Level::Warn),
        TASKLIST_LOG_INFO => Ok(Level::Info),
        TASKLIST_LOG_DEBUG => Ok(Level::Debug),
        other => Err(Error::invalid_argument(format!(
            "unknown log level {other} (use TASKLIST_LOG_ERROR .. TASKLIST_LOG_DEBUG)"
        ))),
    }
}

/// A record's text as a C string. Texts are NUL-free by construction; a stray NUL is
/// dropped rather than losing the record.
fn c_text(text: &str) -> CString {
    CString::new(text.replace('\0', "")).unwrap_or_else(|_| CString::from(c"(unprintable)"))
}

/// The record as the JSON object that `tasklist_log_record_callback` documents.
fn fields_json(record: &Record<'_>) -> String {
    let text_or_null = |text: &str| (!text.is_empty()).then(|| text.to_string());
    serde_json::json!({
        "level": record.level.name(),
        "target": record.target.name(),
        "method": text_or_null(record.method),
        "path": text_or_null(record.path),
        "status": record.status,
        "duration_ms": record.duration_ms,
        "retries": record.retries,
        "retry_after_ms": record.retry_after_ms,
        "error": record.error.map(|code| code.name()),
        "message": record.message,
    })
    .to_string()
}

/// Sends the library's log lines at `level` and more severe (`TASKLIST_LOG_ERROR` <
/// `TASKLIST_LOG_WARN` < `TASKLIST_LOG_INFO` < `TASKLIST_LOG_DEBUG`) to `callback`, for the
/// whole process and every client. INFO gives one line per HTTP exchange (method, path
/// without query, final status or error, duration, retries), including token fetches and
/// logins; WARN only failed ones (5xx, 429, transport errors); DEBUG adds every retry. Lines
/// never contain secrets (no bodies, headers, query strings, tokens, cookies or passwords).
///
/// `callback` NULL restores the default sink (then `level` is ignored): standard error,
/// filtered by the `TASKLIST_LOG` environment variable (`error`, `warn`, `info`, `debug`;
/// unset or anything else: nothing), which is read once, at the first log line.
///
/// Threads and lifetime: thread-safe. The callback is called on whichever thread makes a
/// request, possibly from several threads at once, until it is replaced. When this function
/// returns, calls of the previous callback have finished and no new ones start, so its
/// `userdata` may be freed then. The callback must return normally (no longjmp, no
/// exception) and must not call any libtasklist function (that could deadlock).
///
/// Returns `TASKLIST_OK`, or `TASKLIST_ERR_INVALID_ARGUMENT` for a `level` that is not one
/// of the `TASKLIST_LOG_*` values (the sink is then left unchanged).
#[no_mangle]
pub unsafe extern "C" fn tasklist_set_log_callback(
    level: u32,
    callback: tasklist_log_callback,
    userdata: *mut c_void,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        install(level, callback, userdata, |callback, userdata| {
            Box::new(move |record| {
                let line = c_text(&record.line);
                // SAFETY: the application installed this callback with the documented
                // contract; `line` lives until the call returns.
                unsafe { callback(record.level as u32, line.as_ptr(), userdata.get()) };
            })
        })
    })
}

/// Sends the library's log records at `level` and more severe to `callback`, each as its
/// line and as JSON fields (see `tasklist_log_record_callback`), for the whole process and
/// every client. The levels and what they give are those of `tasklist_set_log_callback`.
///
/// There is one sink per process: this function and `tasklist_set_log_callback` replace each
/// other's callback. `callback` NULL restores the default sink (then `level` is ignored):
/// standard error, filtered by the `TASKLIST_LOG` environment variable.
///
/// Threads and lifetime: thread-safe. The callback is called on whichever thread makes a
/// request, possibly from several threads at once, until it is replaced. When this function
/// (or `tasklist_set_log_callback`) returns, calls of the previous callback have finished and
/// no new ones start, so its `userdata` may be freed then. The callback must return normally
/// (no longjmp, no exception) and must not call any libtasklist function (that could
/// deadlock).
///
/// Returns `TASKLIST_OK`, or `TASKLIST_ERR_INVALID_ARGUMENT` for a `level` that is not one
/// of the `TASKLIST_LOG_*` values (the sink is then left unchanged).
#[no_mangle]
pub unsafe extern "C" fn tasklist_set_log_record_callback(
    level: u32,
    callback: tasklist_log_record_callback,
    userdata: *mut c_void,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        install(level, callback, userdata, |callback, userdata| {
            Box::new(move |record| {
                let line = c_text(&record.line);
                let fields = c_text(&fields_json(record));
                // SAFETY: the application installed this callback with the documented
                // contract; both strings live until the call returns.
                unsafe {
                    callback(
                        record.level as u32,
                        line.as_ptr(),
                        fields.as_ptr(),
                        userdata.get(),
                    )
                };
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;
    use crate::log::Target;

    #[test]
    fn fields_are_the_documented_json_object() {
        let record = Record {
            level: Level::Warn,
            target: Target::Http,
            method: "GET",
            path: "/v1/tasks/1",
            status: 0,
            duration_ms: 7,
            retries: 2,
            retry_after_ms: None,
            error: Some(Code::Connect),
            message: "GET /v1/tasks/1: connection \"refused\"".to_string(),
            line: "unused here".to_string(),
        };
        let fields: serde_json::Value = serde_json::from_str(&fields_json(&record)).unwrap();
        assert_eq!(
            fields,
            serde_json::json!({
                "level": "warn", "target": "http", "method": "GET", "path": "/v1/tasks/1",
                "status": 0, "duration_ms": 7, "retries": 2, "retry_after_ms": null,
                "error": "TASKLIST_ERR_CONNECT",
                "message": "GET /v1/tasks/1: connection \"refused\"",
            })
        );

        let panic = Record {
            level: Level::Error,
            target: Target::Panic,
            method: "",
            path: "",
            error: Some(Code::Panic),
            retry_after_ms: Some(250),
            ..record
        };
        let fields: serde_json::Value = serde_json::from_str(&fields_json(&panic)).unwrap();
        assert_eq!(fields["method"], serde_json::Value::Null);
        assert_eq!(fields["path"], serde_json::Value::Null);
        assert_eq!(fields["target"], "panic");
        assert_eq!(fields["error"], "TASKLIST_ERR_PANIC");
        assert_eq!(fields["retry_after_ms"], 250);
    }

    #[test]
    fn texts_never_lose_a_record_to_a_nul() {
        assert_eq!(c_text("a\0b").as_bytes(), b"ab");
    }
}
