//! Library version and ABI version.

use crate::ffi::boundary::ffi_value;
use crate::ffi::TASKLIST_ABI_VERSION;
use std::ffi::{c_char, CStr};

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => c"unknown",
    };

/// The library version, e.g. `"0.1.0"` (equals `TASKLIST_VERSION` of the matching header).
/// Static: never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn tasklist_version() -> *const c_char {
    ffi_value!(VERSION.as_ptr(), { VERSION.as_ptr() })
}

/// The ABI version of the loaded library. A program compiled against a header whose
/// `TASKLIST_ABI_VERSION` differs must not use it (the Python and Go bindings check this at
/// load time). Thread-safe.
#[no_mangle]
pub extern "C" fn tasklist_abi_version() -> u32 {
    ffi_value!(TASKLIST_ABI_VERSION, { TASKLIST_ABI_VERSION })
}
