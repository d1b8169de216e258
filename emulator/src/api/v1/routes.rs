//! The v1 route table: every endpoint of Tasklist's v1 controllers (plus
//! Operate's process-definition search, which the authentication guide
//! calls on the same base URL), as data the generic matcher in
//! `router.rs` walks.
//!
//! Rows are tried in order and the first row whose path and method match
//! wins; a path that only matches with another method is a 405. That is
//! Spring's precedence as long as a literal path comes before a pattern
//! that also matches it: `POST /v1/tasks/search` is the search, while
//! `GET /v1/tasks/search` finds only `GET /v1/tasks/{taskId}` and so is
//! GetTask("search"), a 404 problem, as on the real server.

use super::{forms, processes, tasks, variables};
use crate::problem::spring_error;
use crate::router::{route, Route};

pub static ROUTES: &[Route] = &[
    // Before `/v1/tasks/{taskId}`, which also matches this path.
    route("POST", "/v1/tasks/search", |c| {
        tasks::search(c.data, c.caller, c.request, c.profile)
    }),
    route("GET", "/v1/tasks/{taskId}", |c| {
        tasks::get(c.data, c.params[0], c.profile)
    }),
    route("PATCH", "/v1/tasks/{taskId}/assign", |c| {
        tasks::assign(c.data, c.caller, c.params[0], c.request, c.profile)
    }),
    route("PATCH", "/v1/tasks/{taskId}/unassign", |c| {
        tasks::unassign(c.data, c.caller, c.params[0], c.profile)
    }),
    route("PATCH", "/v1/tasks/{taskId}/complete", |c| {
        tasks::complete(c.data, c.caller, c.params[0], c.request, c.profile)
    }),
    route("POST", "/v1/tasks/{taskId}/variables", |c| {
        variables::save_drafts(c.data, c.caller, c.params[0], c.request, c.profile)
    }),
    route("POST", "/v1/tasks/{taskId}/variables/search", |c| {
        variables::search(c.data, c.params[0], c.request, c.profile)
    }),
    route("GET", "/v1/variables/{variableId}", |c| {
        variables::get(c.data, c.params[0])
    }),
    route("GET", "/v1/forms/{formId}", |c| {
        forms::get(c.data, c.params[0], c.request)
    }),
    // Operate's, served only where the profile (or --with-operate) says.
    route("POST", "/v1/process-definitions/search", |c| {
        if c.operate {
            processes::search_definitions(c.data, c.request)
        } else {
            spring_error(404, "Not Found", &c.request.path)
        }
    }),
    route("GET", "/v1/internal/processes", |c| {
        processes::internal_processes(c.data, c.request)
    }),
    route("GET", "/v1/internal/users/current", |c| {
        processes::current_user(c.caller)
    }),
];
