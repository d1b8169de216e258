//! The v2 route table (see `router.rs` for how rows are matched: a
//! literal path comes before a pattern that also matches it). Each row
//! hands the call to `super::run`, which turns a handler's `Problem` into
//! its RFC 9457 body. `/v2/license` and `/v2/status` need no
//! authentication (`public_route`).

use super::{cluster, processes, run, user_tasks, variables};
use crate::router::{public_route, route, Route};

pub static ROUTES: &[Route] = &[
    route("POST", "/v2/user-tasks/search", |c| {
        run(c, user_tasks::search)
    }),
    route("GET", "/v2/user-tasks/{userTaskKey}", |c| {
        run(c, user_tasks::get)
    }),
    route("PATCH", "/v2/user-tasks/{userTaskKey}", |c| {
        run(c, user_tasks::update)
    }),
    route("POST", "/v2/user-tasks/{userTaskKey}/assignment", |c| {
        run(c, user_tasks::assign)
    }),
    route("DELETE", "/v2/user-tasks/{userTaskKey}/assignee", |c| {
        run(c, user_tasks::unassign)
    }),
    route("POST", "/v2/user-tasks/{userTaskKey}/completion", |c| {
        run(c, user_tasks::complete)
    }),
    route("GET", "/v2/user-tasks/{userTaskKey}/form", |c| {
        run(c, user_tasks::form)
    }),
    route(
        "POST",
        "/v2/user-tasks/{userTaskKey}/variables/search",
        |c| run(c, variables::task_variables),
    ),
    route(
        "POST",
        "/v2/user-tasks/{userTaskKey}/effective-variables/search",
        |c| run(c, variables::effective_variables),
    ),
    route("POST", "/v2/process-definitions/search", |c| {
        run(c, processes::search_definitions)
    }),
    route(
        "GET",
        "/v2/process-definitions/{processDefinitionKey}",
        |c| run(c, processes::get_definition),
    ),
    route(
        "GET",
        "/v2/process-definitions/{processDefinitionKey}/form",
        |c| run(c, processes::definition_form),
    ),
    route(
        "GET",
        "/v2/process-definitions/{processDefinitionKey}/xml",
        |c| run(c, processes::definition_xml),
    ),
    route("POST", "/v2/process-instances", |c| {
        run(c, processes::create_instance)
    }),
    route("POST", "/v2/process-instances/search", |c| {
        run(c, processes::search_instances)
    }),
    route("GET", "/v2/process-instances/{processInstanceKey}", |c| {
        run(c, processes::get_instance)
    }),
    route(
        "PUT",
        "/v2/element-instances/{elementInstanceKey}/variables",
        |c| run(c, variables::set_element_variables),
    ),
    route("GET", "/v2/forms/{formKey}", |c| {
        run(c, processes::form_by_key)
    }),
    route("POST", "/v2/variables/search", |c| {
        run(c, variables::search_all)
    }),
    route("GET", "/v2/variables/{variableKey}", |c| {
        run(c, variables::get_one)
    }),
    route("GET", "/v2/topology", |c| run(c, cluster::topology)),
    route("GET", "/v2/authentication/me", |c| run(c, cluster::me)),
    public_route("GET", "/v2/license", |c| run(c, cluster::license)),
    public_route("GET", "/v2/status", |c| run(c, cluster::status)),
];
