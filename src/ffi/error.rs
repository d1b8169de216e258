//! `tasklist_error`: the detail of a failed call, owned by the caller.

use crate::error::{Code, Error};
use crate::ffi::boundary::ffi_value;
use crate::ffi::handle::{free_handle, into_handle};
use crate::ffi::{tasklist_status, TASKLIST_ERR_INTERNAL};
use once_cell::sync::Lazy;
use std::ffi::{c_char, CStr, CString};
use std::ptr;

/// The detail of a failed call: a status code, a one-line message (never containing
/// secrets), the HTTP status and the server's body when there was an answer.
///
/// Immutable once created, so it may be read from any thread. Owned by the caller, who frees
/// it with `tasklist_error_free`.
pub struct tasklist_error {
    code: tasklist_status,
    message: CString,
    http_status: u16,
    body: Option<CString>,
}

impl tasklist_error {
    pub(crate) fn into_raw(error: Error) -> *mut tasklist_error {
        into_handle(tasklist_error {
            code: error.code() as tasklist_status,
            message: c_string_lossy(error.message()),
            http_status: error.http_status(),
            body: error.body().map(c_string_lossy),
        })
    }
}

/// C strings cannot hold NUL; a NUL inside a server's body is shown as U+FFFD rather than
/// silently cutting the text short.
fn c_string_lossy(text: &str) -> CString {
    CString::new(text.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

/// The status code of `err` (the same value the failed call returned).
///
/// Returns `TASKLIST_ERR_NULL_ARGUMENT` when `err` is NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn tasklist_error_code(err: *const tasklist_error) -> tasklist_status {
    ffi_value!(TASKLIST_ERR_INTERNAL, {
        match err.as_ref() {
            Some(e) => e.code,
            None => Code::NullArgument as tasklist_status,
        }
    })
}

/// A one-line, human-readable description: what was attempted and why it failed. Never
/// contains a secret (client secret, password, token, cookie, CSRF value).
///
/// Borrowed: valid until `tasklist_error_free(err)`; do not free it. Returns NULL when `err`
/// is NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn tasklist_error_message(err: *const tasklist_error) -> *const c_char {
    ffi_value!(ptr::null(), {
        match err.as_ref() {
            Some(e) => e.message.as_ptr(),
            None => ptr::null(),
        }
    })
}

/// The HTTP status of the answer that caused the error; 0 when there was no HTTP answer
/// (connection failure, timeout, invalid argument, ...) or `err` is NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn tasklist_error_http_status(err: *const tasklist_error) -> u16 {
    ffi_value!(0, { err.as_ref().map_or(0, |e| e.http_status) })
}

/// The body of the answer that caused the error (for Tasklist errors, its JSON problem
/// document `{"status":..,"message":..,"instance":..}`), or NULL when there was none.
///
/// Borrowed: valid until `tasklist_error_free(err)`; do not free it. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn tasklist_error_body(err: *const tasklist_error) -> *const c_char {
    ffi_value!(ptr::null(), {
        match err.as_ref().and_then(|e| e.body.as_ref()) {
            Some(body) => body.as_ptr(),
            None => ptr::null(),
        }
    })
}

/// Frees an error. NULL is accepted and ignored. Must be called exactly once per error;
/// strings borrowed from it become invalid.
#[no_mangle]
pub unsafe extern "C" fn tasklist_error_free(err: *mut tasklist_error) {
    ffi_value!((), { free_handle(err) })
}

static STATUS_NAMES: Lazy<Vec<(tasklist_status, CString)>> = Lazy::new(|| {
    let mut names = vec![(0, CString::new("TASKLIST_OK").unwrap_or_default())];
    names.extend(Code::ALL.iter().map(|c| {
        (
            *c as tasklist_status,
            CString::new(c.name()).unwrap_or_default(),
        )
    }));
    names
});

const UNKNOWN_STATUS: &CStr = c"TASKLIST_ERR_UNKNOWN";

/// The macro name of a status code, e.g. `"TASKLIST_ERR_NOT_FOUND"` for 303, `"TASKLIST_OK"`
/// for 0, and `"TASKLIST_ERR_UNKNOWN"` for a number this library does not know.
///
/// Static: never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn tasklist_status_name(code: tasklist_status) -> *const c_char {
    ffi_value!(UNKNOWN_STATUS.as_ptr(), {
        STATUS_NAMES
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(UNKNOWN_STATUS.as_ptr(), |(_, name)| name.as_ptr())
    })
}
