//! `tasklist_client`: a configured, authenticated connection to one Tasklist.

use crate::api::Client;
use crate::ffi::boundary::{ffi_status, ffi_value};
use crate::ffi::error::tasklist_error;
use crate::ffi::handle::{free_handle, into_handle, object, out_param};
use crate::ffi::options::tasklist_options;
use crate::ffi::tasklist_status;
use std::sync::Arc;

/// A Tasklist client. Internally synchronized: one client may be used from many threads at
/// once (all request functions take `const tasklist_client *`), and it keeps one pool of
/// keep-alive connections, one cached token or session, and at most one token fetch or login
/// in flight. Only `tasklist_client_free` must not run concurrently with other calls on it.
pub struct tasklist_client {
    pub(crate) inner: Arc<Client>,
}

/// Creates a client from `options` (read, not consumed: the caller still frees the options
/// and may reuse them). No network traffic happens here; see `tasklist_client_login`.
///
/// On success `*client_out` is a new client that the caller frees with
/// `tasklist_client_free`. Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, or
/// `TASKLIST_ERR_INVALID_ARGUMENT` (no base URL; unreadable CA file).
#[no_mangle]
pub unsafe extern "C" fn tasklist_client_new(
    options: *const tasklist_options,
    client_out: *mut *mut tasklist_client,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let out = out_param(client_out, "client_out")?;
        let options = object(options, "options")?;
        let inner = Client::new(&options.config)?;
        *out = into_handle(tasklist_client {
            inner: Arc::new(inner),
        });
        Ok(())
    })
}

/// Frees a client: closes its connections and wipes its secrets (client secret, password,
/// token, cookies, CSRF token) from memory. NULL is accepted and ignored. Must be called
/// exactly once, after every other call on this client has returned.
#[no_mangle]
pub unsafe extern "C" fn tasklist_client_free(client: *mut tasklist_client) {
    ffi_value!((), { free_handle(client) })
}

/// Authenticates now (fetches a token, or logs in) instead of on the first request, so a
/// configuration mistake shows at start-up. Does nothing for a bearer token, Basic or no
/// authentication. Thread-safe.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, `TASKLIST_ERR_AUTH_FAILED` (the token
/// endpoint or login rejected the credentials; repeated attempts within 10 s fail at once
/// without asking the server again), or `TASKLIST_ERR_AUTH_UNAVAILABLE` (unreachable,
/// 5xx, 429 after retries, or a malformed answer).
#[no_mangle]
pub unsafe extern "C" fn tasklist_client_login(
    client: *const tasklist_client,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let client = object(client, "client")?;
        client.inner.login()
    })
}
