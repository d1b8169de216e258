//! Strings across the boundary: arguments are borrowed NUL-terminated UTF-8, results are
//! owned by the caller until `tasklist_string_free`.

use crate::error::{Code, Error, Result};
use crate::ffi::boundary::ffi_value;
use crate::ffi::handle::null_argument;
use std::ffi::{c_char, CStr, CString};

/// Frees a string returned by this library through a `char **` parameter. NULL is accepted
/// and ignored. Never pass such a string to `free()`, and never pass any other string here.
#[no_mangle]
pub unsafe extern "C" fn tasklist_string_free(s: *mut c_char) {
    ffi_value!((), {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}

/// A required string argument: NUL-terminated UTF-8, borrowed for the call.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, name: &str) -> Result<&'a str> {
    optional_text(ptr, name)?.ok_or_else(|| null_argument(name))
}

/// An optional string argument (NULL is `None`).
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string.
pub(crate) unsafe fn optional_text<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    CStr::from_ptr(ptr).to_str().map(Some).map_err(|e| {
        Error::new(
            Code::InvalidUtf8,
            format!(
                "the argument {name} is not UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Hands a string to the caller, who frees it with `tasklist_string_free`.
pub(crate) fn give_string(out: &mut *mut c_char, text: String) -> Result<()> {
    // memchr's vectorised search instead of CString::new's byte-wise one: answers are tens
    // of kilobytes and this runs on every call.
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return Err(Error::new(
            Code::Decode,
            "the answer contains a NUL character and cannot be a C string",
        ));
    }
    // SAFETY: just checked that there is no interior NUL.
    let owned = unsafe { CString::from_vec_unchecked(text.into_bytes()) };
    *out = owned.into_raw();
    Ok(())
}
