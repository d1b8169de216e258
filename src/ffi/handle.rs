//! Handles: the opaque objects a C program holds (`tasklist_options`, `tasklist_client`,
//! `tasklist_pages`, `tasklist_error`). Creating, borrowing and freeing them happens only
//! through these helpers, so no exported function casts a pointer by hand.

use crate::error::{Code, Error, Result};

/// Moves `value` to the heap and gives the caller its pointer, freed with [`free_handle`].
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Frees a handle made by [`into_handle`]; NULL is ignored (rule 6 of the contract).
///
/// # Safety
/// `ptr` is NULL or came from `into_handle::<T>` and is not used again.
pub(crate) unsafe fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        drop(Box::from_raw(ptr));
    }
}

/// Sets `*out = NULL` when `out` is not NULL (rule 1 of the contract).
///
/// # Safety
/// `out` is NULL or valid for writes.
pub(crate) unsafe fn clear<T>(out: *mut *mut T) {
    if !out.is_null() {
        *out = std::ptr::null_mut();
    }
}

/// A required out-parameter, already cleared.
///
/// # Safety
/// `out` is NULL or valid for writes for the duration of the call.
pub(crate) unsafe fn out_param<'a, T>(out: *mut *mut T, name: &str) -> Result<&'a mut *mut T> {
    if out.is_null() {
        return Err(null_argument(name));
    }
    *out = std::ptr::null_mut();
    Ok(&mut *out)
}

/// A required object pointer.
///
/// # Safety
/// `ptr` is NULL or points to a live object of this type.
pub(crate) unsafe fn object<'a, T>(ptr: *const T, name: &str) -> Result<&'a T> {
    ptr.as_ref().ok_or_else(|| null_argument(name))
}

/// A required mutable object pointer.
///
/// # Safety
/// `ptr` is NULL or points to a live object not used by another thread.
pub(crate) unsafe fn object_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T> {
    ptr.as_mut().ok_or_else(|| null_argument(name))
}

pub(crate) fn null_argument(name: &str) -> Error {
    Error::new(Code::NullArgument, format!("the argument {name} is NULL"))
}
