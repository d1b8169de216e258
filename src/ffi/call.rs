//! What every request function does at the C edge, once: clear the out-parameters, check
//! each argument (NULL, UTF-8), run the endpoint's row through the client's `execute`, and
//! hand the answer to the caller. Also `tasklist_request`, for any endpoint without a row.

use crate::api::endpoint::{BodyRule, Endpoint};
use crate::api::Client;
use crate::error::Result;
use crate::ffi::boundary::ffi_status;
use crate::ffi::client::tasklist_client;
use crate::ffi::error::tasklist_error;
use crate::ffi::handle::{object, out_param};
use crate::ffi::strings::{give_string, optional_text, text};
use crate::ffi::tasklist_status;
use std::ffi::c_char;

/// A C string argument and its parameter name (for "`task_id` is NULL").
pub(crate) type Arg = (*const c_char, &'static str);

/// No request body argument.
pub(crate) const NO_BODY: Option<Arg> = None;

/// Calls `endpoint` with C arguments: `segments` fill its path, `query` its query parameters
/// (NULL allowed where the parameter is optional), `body` is its request body argument (NULL
/// allowed unless the body is required); `json_out` receives the answer (`None` for an
/// endpoint without one). Runs inside the caller's panic boundary.
pub(crate) unsafe fn call(
    endpoint: &Endpoint,
    client: *const tasklist_client,
    segments: &[Arg],
    query: &[Arg],
    body: Option<Arg>,
    json_out: Option<*mut *mut c_char>,
) -> Result<()> {
    {
        let out = match json_out {
            Some(json_out) => Some(out_param(json_out, "json_out")?),
            None => None,
        };
        let mut segment_texts = [""; 4];
        for (slot, (ptr, name)) in segment_texts.iter_mut().zip(segments) {
            *slot = text(*ptr, name)?;
        }
        let mut query_texts = [None; 4];
        for ((slot, (ptr, name)), param) in query_texts.iter_mut().zip(query).zip(endpoint.query) {
            *slot = if param.required {
                Some(text(*ptr, name)?)
            } else {
                optional_text(*ptr, name)?
            };
        }
        let body = match (body, endpoint.body) {
            (None, _) => None,
            (Some((ptr, name)), BodyRule::Required(_)) => Some(text(ptr, name)?),
            (Some((ptr, name)), _) => optional_text(ptr, name)?,
        };
        let client = object(client, "client")?;
        let answer = client.inner.execute(
            endpoint,
            &segment_texts[..segments.len()],
            &query_texts[..query.len()],
            body,
        )?;
        match out {
            Some(out) => give_string(out, answer),
            None => Ok(()),
        }
    }
}

/// The common shape of functions that are not one endpoint row: check the client, run the
/// call, hand the JSON to the caller. The out-parameter was cleared first, before any other
/// check could return.
pub(crate) unsafe fn respond(
    client: *const tasklist_client,
    out: &mut *mut c_char,
    call: impl FnOnce(&Client) -> Result<String>,
) -> Result<()> {
    let client = object(client, "client")?;
    give_string(out, call(&client.inner)?)
}

/// Sends any other request below the base URL, with the same authentication, retries and
/// errors. `method` is `"GET"`, `"POST"`, `"PATCH"`, `"PUT"` or `"DELETE"`; `path` must start
/// with a single `/` and may carry a query (absolute URLs and `..` segments are refused with
/// `TASKLIST_ERR_INVALID_ARGUMENT`); `body_json` may be NULL (`{}` is sent for POST, PATCH
/// and PUT). `*json_out` is the answer body as sent, `""` for a 204. GET and POST to a path
/// ending in `/search` are retried like searches; other methods like writes.
#[no_mangle]
pub unsafe extern "C" fn tasklist_request(
    client: *const tasklist_client,
    method: *const c_char,
    path: *const c_char,
    body_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let out = out_param(json_out, "json_out")?;
        let method = text(method, "method")?;
        let path = text(path, "path")?;
        let body = optional_text(body_json, "body_json")?;
        respond(client, out, |c| c.request(method, path, body))
    })
}
