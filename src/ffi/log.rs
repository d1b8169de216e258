//! `tasklist_set_log_callback`: where the library's log lines go.

use crate::error::Error;
use crate::ffi::boundary::ffi_status;
use crate::ffi::{
    tasklist_status, TASKLIST_LOG_DEBUG, TASKLIST_LOG_ERROR, TASKLIST_LOG_INFO, TASKLIST_LOG_WARN,
};
use crate::log::Level;
use std::ffi::{c_char, c_void};
use std::ptr;

/// Receives one log line: `level` is a `TASKLIST_LOG_*` value, `message` one line of UTF-8
/// text without a trailing newline, borrowed for the duration of the call only (copy it to
/// keep it), and `userdata` the pointer given to `tasklist_set_log_callback`.
pub type tasklist_log_callback =
    Option<unsafe extern "C" fn(level: u32, message: *const c_char, userdata: *mut c_void)>;

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
        let Some(callback) = callback else {
            crate::log::set_callback(Level::Debug, None);
            return Ok(());
        };
        let level = match level {
            TASKLIST_LOG_ERROR => Level::Error,
            TASKLIST_LOG_WARN => Level::Warn,
            TASKLIST_LOG_INFO => Level::Info,
            TASKLIST_LOG_DEBUG => Level::Debug,
            other => {
                return Err(Error::invalid_argument(format!(
                    "unknown log level {other} (use TASKLIST_LOG_ERROR .. TASKLIST_LOG_DEBUG)"
                )))
            }
        };
        crate::log::set_callback(level, Some((callback, userdata)));
        Ok(())
    })
}
