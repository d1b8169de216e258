//! The v2 Orchestration Cluster API (Camunda 8.8 and later): `<base URL>/v2/...`, with the
//! same options, authentication, retries, errors and threading rules as the v1 functions.
//! Every function here:
//! - takes the client as `const tasklist_client *` and may be called from many threads;
//! - refuses NULL required pointers (`TASKLIST_ERR_NULL_ARGUMENT`), strings that are not
//!   UTF-8 (`TASKLIST_ERR_INVALID_UTF8`), request bodies that are not JSON
//!   (`TASKLIST_ERR_INVALID_JSON`) and keys that are not decimal strings of at most 25 digits
//!   (`TASKLIST_ERR_INVALID_ARGUMENT`) before any network traffic;
//! - reports the server's RFC 9457 problem with its `title` and `detail` in the message and
//!   the whole body in `tasklist_error_body`; 409 (a task busy with a listener, or in the
//!   wrong state) is `TASKLIST_ERR_CONFLICT`.

use crate::api::v2::endpoints::*;
use crate::api::v2::pages::UserTaskPages;
use crate::ffi::boundary::ffi_status;
use crate::ffi::call::{call, respond, NO_BODY};
use crate::ffi::client::tasklist_client;
use crate::ffi::error::tasklist_error;
use crate::ffi::handle::out_param;
use crate::ffi::pages::collect_pages;
use crate::ffi::strings::optional_text;
use crate::ffi::tasklist_status;
use std::ffi::c_char;
use std::time::Duration;

/// Searches user tasks: `POST /v2/user-tasks/search` with `query_json` (NULL means `{}`: the
/// server's first page of 100), e.g. `{"filter":{"state":"CREATED","assignee":"demo"},
/// "sort":[{"field":"creationDate","order":"DESC"}],"page":{"limit":50}}`. The answer is the
/// server's `{"items":[...],"page":{"totalItems":N,"endCursor":...}}` text; pass `endCursor`
/// as `page.after` for the next page, or use `tasklist_v2_search_all_user_tasks`. Searches
/// read secondary storage, which lags commands by up to a few seconds
/// (`tasklist_v2_search_user_tasks_wait`). Retried on network failures, 429, 502, 503, 504.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_search_user_tasks(
    client: *const tasklist_client,
    query_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let body = Some((query_json, "query_json"));
        call(&SEARCH_USER_TASKS, client, &[], &[], body, Some(json_out))
    })
}

/// Searches every page: repeats `POST /v2/user-tasks/search` with `page.after` set to the
/// previous answer's `page.endCursor`, keeping `filter`, `sort` and `page.limit` (default
/// 100), and returns all items as one JSON array. Stops at an empty or short page, a null or
/// absent cursor, or `max_items` items (0 = no limit). `query_json` (NULL means `{}`) must not
/// hold `page.after`, `page.before` or `page.from` (`TASKLIST_ERR_INVALID_ARGUMENT`).
///
/// The bounds of `tasklist_search_all_tasks` hold: a cursor that repeats any earlier one is
/// `TASKLIST_ERR_DECODE`; all pages together above the response size limit, or more than
/// 100,000 pages, `TASKLIST_ERR_BODY_TOO_LARGE`; once the walk has waited 10 request timeouts
/// for pages, `TASKLIST_ERR_TIMEOUT`. On any error no partial result is returned.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_search_all_user_tasks(
    client: *const tasklist_client,
    query_json: *const c_char,
    max_items: u32,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        collect_pages(UserTaskPages, client, query_json, max_items, json_out)
    })
}

/// Searches until the answer holds at least `min_items` items: repeats `POST
/// /v2/user-tasks/search` with `query_json` (NULL means `{}`), pausing 50 ms, then twice as
/// long each time up to 500 ms, until then or until `wait_ms` has passed, which gives
/// `TASKLIST_ERR_TIMEOUT` (its message says how many items the last search held). Searches
/// read secondary storage, which lags commands: use this after a command to see its effect,
/// e.g. wait for a completed task with `{"filter":{"userTaskKey":"...","state":"COMPLETED"}}`
/// and `min_items` 1. `wait_ms` 0 searches once. The answer is the last search's text. Each
/// search has the request timeout, so the call takes at most `wait_ms` plus one search.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_search_user_tasks_wait(
    client: *const tasklist_client,
    query_json: *const c_char,
    min_items: u32,
    wait_ms: u32,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let out = out_param(json_out, "json_out")?;
        let query = optional_text(query_json, "query_json")?;
        let wait = Duration::from_millis(u64::from(wait_ms));
        respond(client, out, |c| {
            crate::api::v2::search_until(c, query, min_items, wait)
        })
    })
}

/// Gets one user task: `GET /v2/user-tasks/{user_task_key}`. `TASKLIST_ERR_NOT_FOUND` when
/// there is no such task, or it has not reached secondary storage yet.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_get_user_task(
    client: *const tasklist_client,
    user_task_key: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(user_task_key, "user_task_key")];
        call(&GET_USER_TASK, client, &key, &[], NO_BODY, Some(json_out))
    })
}

/// Assigns a user task: `POST /v2/user-tasks/{user_task_key}/assignment` with `request_json`
/// (required), e.g. `{"assignee":"demo"}`; `"allowOverride":false` refuses a task someone
/// already holds (`TASKLIST_ERR_CONFLICT`). Tasklist answers 204: there is no JSON output.
/// Repeated on the retryable failures, since assigning the same user again changes nothing.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_assign_user_task(
    client: *const tasklist_client,
    user_task_key: *const c_char,
    request_json: *const c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(user_task_key, "user_task_key")];
        let body = Some((request_json, "request_json"));
        call(&ASSIGN_USER_TASK, client, &key, &[], body, None)
    })
}

/// Unassigns a user task: `DELETE /v2/user-tasks/{user_task_key}/assignee` (204, also when
/// the task had no assignee).
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_unassign_user_task(
    client: *const tasklist_client,
    user_task_key: *const c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(user_task_key, "user_task_key")];
        call(&UNASSIGN_USER_TASK, client, &key, &[], NO_BODY, None)
    })
}

/// Completes a user task: `POST /v2/user-tasks/{user_task_key}/completion` with
/// `request_json` (NULL completes without variables), e.g. `{"variables":{"approved":true}}`:
/// values are plain JSON here, not JSON text as in v1. 204. A task that already left the
/// engine answers 404 (`TASKLIST_ERR_NOT_FOUND`), so a completion is never repeated once it
/// may have reached the server; 409 (`TASKLIST_ERR_CONFLICT`) while a listener is busy with it.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_complete_user_task(
    client: *const tasklist_client,
    user_task_key: *const c_char,
    request_json: *const c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(user_task_key, "user_task_key")];
        let body = Some((request_json, "request_json"));
        call(&COMPLETE_USER_TASK, client, &key, &[], body, None)
    })
}

/// Updates a user task: `PATCH /v2/user-tasks/{user_task_key}` with `request_json`
/// (required), `{"changeset":{...}}` with any of `dueDate`, `followUpDate`, `candidateUsers`,
/// `candidateGroups`, `priority` (0..100). 204.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_update_user_task(
    client: *const tasklist_client,
    user_task_key: *const c_char,
    request_json: *const c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(user_task_key, "user_task_key")];
        let body = Some((request_json, "request_json"));
        call(&UPDATE_USER_TASK, client, &key, &[], body, None)
    })
}

/// Searches a user task's variables: `POST /v2/user-tasks/{user_task_key}/variables/search`
/// with `query_json` (NULL means `{}`), e.g. `{"filter":{"name":"amount"}}`. The answer is
/// `{"items":[...],"page":{...}}`; each `value` is the variable's JSON as text.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_search_user_task_variables(
    client: *const tasklist_client,
    user_task_key: *const c_char,
    query_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(user_task_key, "user_task_key")];
        let body = Some((query_json, "query_json"));
        call(
            &SEARCH_USER_TASK_VARIABLES,
            client,
            &key,
            &[],
            body,
            Some(json_out),
        )
    })
}

/// Searches the variables a user task sees: `POST
/// /v2/user-tasks/{user_task_key}/effective-variables/search` with `query_json` (NULL means
/// `{}`), e.g. `{"filter":{"name":"amount"}}`: one entry per name, the innermost scope's value
/// winning (the task's own over its process instance's). Paged by `page.from` and
/// `page.limit` only. The answer is `{"items":[...],"page":{...}}`, values as JSON text.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_search_user_task_effective_variables(
    client: *const tasklist_client,
    user_task_key: *const c_char,
    query_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(user_task_key, "user_task_key")];
        let body = Some((query_json, "query_json"));
        call(
            &SEARCH_USER_TASK_EFFECTIVE_VARIABLES,
            client,
            &key,
            &[],
            body,
            Some(json_out),
        )
    })
}

/// Sets variables at an element instance: `PUT
/// /v2/element-instances/{element_instance_key}/variables` with `request_json` (required),
/// `{"variables":{"amount":12},"local":true}`. With a task's `elementInstanceKey` and
/// `"local":true` the values stay on the task: the closest v2 has to v1's draft variables
/// (they are real variables, not drafts). 204. Repeated like a read: the values are absolute.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_set_element_instance_variables(
    client: *const tasklist_client,
    element_instance_key: *const c_char,
    request_json: *const c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(element_instance_key, "element_instance_key")];
        let body = Some((request_json, "request_json"));
        call(
            &SET_ELEMENT_INSTANCE_VARIABLES,
            client,
            &key,
            &[],
            body,
            None,
        )
    })
}

/// Gets who the client is to the cluster: `GET /v2/authentication/me`, with `username`,
/// `tenants`, `groups`, `roles` and `authorizedComponents`. Checks the credentials without
/// touching a task.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_get_current_user(
    client: *const tasklist_client,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        call(&GET_CURRENT_USER, client, &[], &[], NO_BODY, Some(json_out))
    })
}

/// Gets a user task's form: `GET /v2/user-tasks/{user_task_key}/form`. A task without a form
/// (204) gives `*json_out = "null"`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_get_user_task_form(
    client: *const tasklist_client,
    user_task_key: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(user_task_key, "user_task_key")];
        call(
            &GET_USER_TASK_FORM,
            client,
            &key,
            &[],
            NO_BODY,
            Some(json_out),
        )
    })
}

/// Searches process definitions: `POST /v2/process-definitions/search` with `query_json`
/// (NULL means `{}`), e.g. `{"filter":{"isLatestVersion":true,"hasStartForm":true}}`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_search_process_definitions(
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

/// Gets a process's start form: `GET /v2/process-definitions/{process_definition_key}/form`;
/// `"null"` when the process has no start form (204).
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_get_process_definition_form(
    client: *const tasklist_client,
    process_definition_key: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let key = [(process_definition_key, "process_definition_key")];
        call(
            &GET_PROCESS_DEFINITION_FORM,
            client,
            &key,
            &[],
            NO_BODY,
            Some(json_out),
        )
    })
}

/// Starts a process: `POST /v2/process-instances` with `request_json` (required), e.g.
/// `{"processDefinitionKey":"2251799813685249","variables":{"amount":12}}` or
/// `{"processDefinitionId":"invoice"}`. The answer holds the new `processInstanceKey`. Never
/// repeated once the request may have reached the server (it would start a second instance).
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_create_process_instance(
    client: *const tasklist_client,
    request_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let body = Some((request_json, "request_json"));
        call(
            &CREATE_PROCESS_INSTANCE,
            client,
            &[],
            &[],
            body,
            Some(json_out),
        )
    })
}

/// Gets the cluster's topology: `GET /v2/topology`, whose `gatewayVersion` says which
/// Camunda version (and so which API generations) the server is.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_get_topology(
    client: *const tasklist_client,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        call(&GET_TOPOLOGY, client, &[], &[], NO_BODY, Some(json_out))
    })
}
