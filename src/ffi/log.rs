//! `tasklist_set_log_callback`: where the library's log records go. The core's sink is a
//! Rust closure; here it becomes a call of the application's C function, with the texts
//! converted to NUL-terminated strings.

use crate::error::{Error, Result};
use crate::ffi::boundary::ffi_status;
use crate::ffi::{
    tasklist_status, TASKLIST_LOG_DEBUG, TASKLIST_LOG_ERROR, TASKLIST_LOG_INFO, TASKLIST_LOG_WARN,
};
use crate::log::Level;
use std::ffi::{c_char, c_void, CString};
use std::ptr;

/// Receives one log line: `level` is a `TASKLIST_LOG_*` value, `message` one line of UTF-8
/// text without a trailing newline, borrowed for the duration of the call only (copy it to
/// keep it), and `userdata` the pointer given to `tasklist_set_log_callback`.
pub type tasklist_log_callback =
    Option<unsafe extern "C" fn(level: u32, message: *const c_char, userdata: *mut c_void)>;

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
            crate::log::restore_default_sink();
            return Ok(());
        };
        let level = level_of(level)?;
        let userdata = Userdata(userdata);
        crate::log::set_sink(
            level,
            Box::new(move |record| {
                let line = c_text(&record.line);
                // SAFETY: the application installed this callback with the documented
                // contract; `line` lives until the call returns.
                unsafe { callback(record.level as u32, line.as_ptr(), userdata.get()) };
            }),
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_never_lose_a_record_to_a_nul() {
        assert_eq!(c_text("a\0b").as_bytes(), b"ab");
    }
}
