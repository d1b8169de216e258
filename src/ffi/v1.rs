//! The Tasklist endpoints. Every function here:
//! - takes the client as `const tasklist_client *` and may be called from many threads;
//! - returns `TASKLIST_OK` and sets `*json_out` to the server's JSON text (owned by the
//!   caller, freed with `tasklist_string_free`), or a status and, when `err_out` is not NULL,
//!   an error in `*err_out` (freed with `tasklist_error_free`); both are set to NULL first;
//! - refuses NULL required pointers (`TASKLIST_ERR_NULL_ARGUMENT`), strings that are not
//!   UTF-8 (`TASKLIST_ERR_INVALID_UTF8`), request bodies that are not JSON
//!   (`TASKLIST_ERR_INVALID_JSON`) and empty ids (`TASKLIST_ERR_INVALID_ARGUMENT`) before any
//!   network traffic.

use crate::api::v1::endpoints::*;
use crate::api::v1::pages::TaskPages;
use crate::ffi::boundary::ffi_status;
use crate::ffi::call::{call, NO_BODY};
use crate::ffi::client::tasklist_client;
use crate::ffi::error::tasklist_error;
use crate::ffi::pages::collect_pages;
use crate::ffi::tasklist_status;
use std::ffi::c_char;

/// Searches tasks: `POST /v1/tasks/search` with `query_json` (NULL means `{}`: the first 50
/// tasks that are not canceled, newest first). The answer is a JSON array of tasks; each has
/// `sortValues`, which a following search passes as `searchAfter` for the next page (or use
/// `tasklist_search_all_tasks`).
///
/// Statuses: `TASKLIST_OK`; usage errors (see the top of this section); transport errors
/// (`TASKLIST_ERR_CONNECT`, `_TIMEOUT`, `_TLS`, `_IO`, `_BODY_TOO_LARGE`); Tasklist's answers
/// (`TASKLIST_ERR_BAD_REQUEST` for an invalid query, `_UNAUTHORIZED`, `_FORBIDDEN`,
/// `_RATE_LIMITED`, `_SERVER`, `_HTTP`); `TASKLIST_ERR_DECODE` for a 2xx answer that is not
/// an array; `TASKLIST_ERR_AUTH_FAILED` / `_AUTH_UNAVAILABLE` when authenticating failed.
/// The other request functions return the same family of codes.
#[no_mangle]
pub unsafe extern "C" fn tasklist_search_tasks(
    client: *const tasklist_client,
    query_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        call(
            &SEARCH_TASKS,
            client,
            &[],
            &[],
            Some((query_json, "query_json")),
            Some(json_out),
        )
    })
}

/// Searches every page: repeats `POST /v1/tasks/search` with `searchAfter` set to the
/// `sortValues` of the last task of each page, keeping the caller's filters, sort and
/// `pageSize` (default 50), and returns all tasks as one JSON array (each task's JSON as the
/// server sent it). Stops at an empty or short page, or once `max_items` tasks were collected
/// (0 = no limit; a page longer than asked for is cut there).
///
/// `query_json` may be NULL; it must be a JSON object without `searchAfter`,
/// `searchAfterOrEqual`, `searchBefore` or `searchBeforeOrEqual`
/// (`TASKLIST_ERR_INVALID_ARGUMENT`).
///
/// A server cannot keep the walk going forever; each bound ends it with an error:
/// - a page that ends with the cursor of any earlier page (A, B, A, ...):
///   `TASKLIST_ERR_DECODE`, "page N repeated the cursor of page M". Cursors are remembered
///   as 64-bit keyed hashes; two different cursors sharing one (about 1 in 10^9 for the
///   longest walk) would end the walk early with the same error.
/// - the whole answer, all pages together, above the response size limit
///   (`tasklist_options_set_max_response_bytes`, default 64 MiB), or more than 100,000 pages:
///   `TASKLIST_ERR_BODY_TOO_LARGE`. Raise the limit, or use `max_items` (or a larger
///   `pageSize` for the page count).
/// - time: each page has the request timeout (`tasklist_options_set_timeouts`, default 60 s);
///   the walk asks for no further page once it has waited 10 request timeouts for pages
///   (10 minutes by default; 100 pages then may take 6 s each), so it ends at most one page
///   later: `TASKLIST_ERR_TIMEOUT`. For longer walks raise the request timeout, or walk the
///   pages one by one with `tasklist_pages_new`.
///
/// Other statuses as for `tasklist_search_tasks`; on any error no partial result is returned.
#[no_mangle]
pub unsafe extern "C" fn tasklist_search_all_tasks(
    client: *const tasklist_client,
    query_json: *const c_char,
    max_items: u32,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        collect_pages(TaskPages, client, query_json, max_items, json_out)
    })
}

/// Gets one task: `GET /v1/tasks/{task_id}`. The answer is the task as a JSON object.
/// `TASKLIST_ERR_NOT_FOUND` when no task has this id.
#[no_mangle]
pub unsafe extern "C" fn tasklist_get_task(
    client: *const tasklist_client,
    task_id: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        call(
            &GET_TASK,
            client,
            &[(task_id, "task_id")],
            &[],
            NO_BODY,
            Some(json_out),
        )
    })
}

/// Assigns (claims) a task: `PATCH /v1/tasks/{task_id}/assign` with `request_json`, e.g.
/// `{"assignee":"demo","allowOverrideAssignment":false}`. NULL sends no body, which for a
/// cookie-session user means "assign to me" (OAuth clients must name an assignee:
/// `TASKLIST_ERR_BAD_REQUEST` otherwise). The answer is the updated task.
/// `TASKLIST_ERR_BAD_REQUEST` also when the task is not active or already assigned,
/// `TASKLIST_ERR_FORBIDDEN` when the user may not assign it, `TASKLIST_ERR_NOT_FOUND`.
/// Not retried unless the request provably never reached the server.
#[no_mangle]
pub unsafe extern "C" fn tasklist_assign_task(
    client: *const tasklist_client,
    task_id: *const c_char,
    request_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let body = Some((request_json, "request_json"));
        call(
            &ASSIGN_TASK,
            client,
            &[(task_id, "task_id")],
            &[],
            body,
            Some(json_out),
        )
    })
}

/// Unassigns a task: `PATCH /v1/tasks/{task_id}/unassign`. The answer is the updated task.
/// `TASKLIST_ERR_BAD_REQUEST` when the task is not active or not assigned.
#[no_mangle]
pub unsafe extern "C" fn tasklist_unassign_task(
    client: *const tasklist_client,
    task_id: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        call(
            &UNASSIGN_TASK,
            client,
            &[(task_id, "task_id")],
            &[],
            NO_BODY,
            Some(json_out),
        )
    })
}

/// Completes a task: `PATCH /v1/tasks/{task_id}/complete` with `request_json` (NULL: no
/// variables), e.g. `{"variables":[{"name":"approved","value":"true"},
/// {"name":"comment","value":"\"looks good\""}]}`. Each `value` is the variable's JSON
/// *encoded as a string*: a string variable needs its own quotes. The answer is the completed
/// task. `TASKLIST_ERR_BAD_REQUEST` when the task is not active or (for session users) not
/// assigned to the caller; `TASKLIST_ERR_SERVER` when a value is not valid JSON text.
#[no_mangle]
pub unsafe extern "C" fn tasklist_complete_task(
    client: *const tasklist_client,
    task_id: *const c_char,
    request_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let body = Some((request_json, "request_json"));
        call(
            &COMPLETE_TASK,
            client,
            &[(task_id, "task_id")],
            &[],
            body,
            Some(json_out),
        )
    })
}

/// Saves draft variables: `POST /v1/tasks/{task_id}/variables` with `request_json` (required,
/// same shape as for completing). Replaces all drafts of the task; `{"variables":[]}` clears
/// them. Tasklist answers 204, so there is no JSON output. `TASKLIST_ERR_BAD_REQUEST` for an
/// inactive task or a value that is not valid JSON text.
#[no_mangle]
pub unsafe extern "C" fn tasklist_save_draft_variables(
    client: *const tasklist_client,
    task_id: *const c_char,
    request_json: *const c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let body = Some((request_json, "request_json"));
        call(
            &SAVE_DRAFT_VARIABLES,
            client,
            &[(task_id, "task_id")],
            &[],
            body,
            None,
        )
    })
}

/// Searches a task's variables: `POST /v1/tasks/{task_id}/variables/search` with
/// `request_json` (NULL: all variables), e.g. `{"variableNames":["amount"]}`. The answer is a
/// JSON array sorted by name; drafts appear under `draft`; values over 8191 characters come
/// with `isValueTruncated: true` and `value: null` (fetch them with `tasklist_get_variable`).
#[no_mangle]
pub unsafe extern "C" fn tasklist_search_task_variables(
    client: *const tasklist_client,
    task_id: *const c_char,
    request_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let body = Some((request_json, "request_json"));
        let task = [(task_id, "task_id")];
        call(
            &SEARCH_TASK_VARIABLES,
            client,
            &task,
            &[],
            body,
            Some(json_out),
        )
    })
}

/// Gets one variable with its full value: `GET /v1/variables/{variable_id}`.
/// `TASKLIST_ERR_NOT_FOUND` when no variable has this id.
#[no_mangle]
pub unsafe extern "C" fn tasklist_get_variable(
    client: *const tasklist_client,
    variable_id: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let variable = [(variable_id, "variable_id")];
        call(
            &GET_VARIABLE,
            client,
            &variable,
            &[],
            NO_BODY,
            Some(json_out),
        )
    })
}

/// Gets a form: `GET /v1/forms/{form_id}?processDefinitionKey=...&version=...`. Use a task's
/// `formKey`/`formId` and `processDefinitionKey`. `version` may be NULL (latest); otherwise
/// it must be a whole number (`TASKLIST_ERR_INVALID_ARGUMENT`). The answer's `schema` is the
/// form JSON as a string. `TASKLIST_ERR_NOT_FOUND` when there is no such form.
#[no_mangle]
pub unsafe extern "C" fn tasklist_get_form(
    client: *const tasklist_client,
    form_id: *const c_char,
    process_definition_key: *const c_char,
    version: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let form = [(form_id, "form_id")];
        let query = [
            (process_definition_key, "process_definition_key"),
            (version, "version"),
        ];
        call(&GET_FORM, client, &form, &query, NO_BODY, Some(json_out))
    })
}

/// Searches process definitions: `POST /v1/process-definitions/search` with `query_json`
/// (NULL: `{}`), e.g. `{"filter":{"bpmnProcessId":"invoice"},"size":20}`. This is Operate's
/// v1 endpoint, which the Tasklist authentication guide demonstrates and combined
/// deployments serve on the same base URL; a Tasklist-only server answers
/// `TASKLIST_ERR_NOT_FOUND`. The answer is `{"items":[...],"sortValues":[...],"total":N}`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_search_process_definitions(
    client: *const tasklist_client,
    query_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let body = Some((query_json, "query_json"));
        call(
            &SEARCH_PROCESS_DEFINITIONS,
            client,
            &[],
            &[],
            body,
            Some(json_out),
        )
    })
}
