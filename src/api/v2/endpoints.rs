//! The v2 user-task endpoints and what a task inbox needs around them, one row each. Reads are
//! safe to repeat; assign, unassign and update are too (their effect is the same however often
//! they arrive); a completion or a process start is repeated only when it provably did not
//! reach the server.

use crate::api::body::Shape::{Nothing, Object, ObjectOrNull};
use crate::api::endpoint::BodyRule::{None as NoBody, OrEmptyObject, Required, RequiredInTenant};
use crate::api::endpoint::Endpoint;
use crate::api::v2::problem::ORCHESTRATION_V2;
use crate::transport::retry::Idempotency::{Safe, Unsafe};
use crate::transport::Method::{Delete, Get, Patch, Post, Put};

/// `POST /v2/user-tasks/search`: `{"items":[...],"page":{...}}`.
pub(crate) static SEARCH_USER_TASKS: Endpoint = Endpoint {
    name: "v2_search_user_tasks",
    method: Post,
    path: "/v2/user-tasks/search",
    query: &[],
    body: OrEmptyObject("query"),
    answer: Object,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "search_tasks",
};

pub(crate) static GET_USER_TASK: Endpoint = Endpoint {
    name: "v2_get_user_task",
    method: Get,
    path: "/v2/user-tasks/{userTaskKey}",
    query: &[],
    body: NoBody,
    answer: Object,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "get_task",
};

/// 204. Assigning the same user again is a 204 too, so a repeat is harmless.
pub(crate) static ASSIGN_USER_TASK: Endpoint = Endpoint {
    name: "v2_assign_user_task",
    method: Post,
    path: "/v2/user-tasks/{userTaskKey}/assignment",
    query: &[],
    body: Required("assignment request"),
    answer: Nothing,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "assign_task",
};

/// 204, also when the task has no assignee.
pub(crate) static UNASSIGN_USER_TASK: Endpoint = Endpoint {
    name: "v2_unassign_user_task",
    method: Delete,
    path: "/v2/user-tasks/{userTaskKey}/assignee",
    query: &[],
    body: NoBody,
    answer: Nothing,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "unassign_task",
};

/// 204. A second completion of a completed task is a 404, so it is never repeated blindly.
pub(crate) static COMPLETE_USER_TASK: Endpoint = Endpoint {
    name: "v2_complete_user_task",
    method: Post,
    path: "/v2/user-tasks/{userTaskKey}/completion",
    query: &[],
    body: OrEmptyObject("completion request"),
    answer: Nothing,
    idempotency: Unsafe,
    generation: &ORCHESTRATION_V2,
    instead: "complete_task",
};

/// 204. The changeset holds absolute values, so a repeat changes nothing more.
pub(crate) static UPDATE_USER_TASK: Endpoint = Endpoint {
    name: "v2_update_user_task",
    method: Patch,
    path: "/v2/user-tasks/{userTaskKey}",
    query: &[],
    body: Required("update request"),
    answer: Nothing,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "",
};

pub(crate) static SEARCH_USER_TASK_VARIABLES: Endpoint = Endpoint {
    name: "v2_search_user_task_variables",
    method: Post,
    path: "/v2/user-tasks/{userTaskKey}/variables/search",
    query: &[],
    body: OrEmptyObject("variables query"),
    answer: Object,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "search_task_variables",
};

/// The variables a task sees: one per name, the innermost scope's value winning (the task's
/// own, then its process instance's). Offset paging only (`page.from`, `page.limit`).
pub(crate) static SEARCH_USER_TASK_EFFECTIVE_VARIABLES: Endpoint = Endpoint {
    name: "v2_search_user_task_effective_variables",
    method: Post,
    path: "/v2/user-tasks/{userTaskKey}/effective-variables/search",
    query: &[],
    body: OrEmptyObject("variables query"),
    answer: Object,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "",
};

/// Sets variables at an element instance (answered with 204); a task's `elementInstanceKey`
/// with `"local":true` keeps them on the task. The values are absolute, so a repeat changes
/// nothing more.
pub(crate) static SET_ELEMENT_INSTANCE_VARIABLES: Endpoint = Endpoint {
    name: "v2_set_element_instance_variables",
    method: Put,
    path: "/v2/element-instances/{elementInstanceKey}/variables",
    query: &[],
    body: Required("variables request"),
    answer: Nothing,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "",
};

/// Who the client is to the cluster: username, tenants, groups, roles.
pub(crate) static GET_CURRENT_USER: Endpoint = Endpoint {
    name: "v2_get_current_user",
    method: Get,
    path: "/v2/authentication/me",
    query: &[],
    body: NoBody,
    answer: Object,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "",
};

/// 204 when the task has no form: `null`.
pub(crate) static GET_USER_TASK_FORM: Endpoint = Endpoint {
    name: "v2_get_user_task_form",
    method: Get,
    path: "/v2/user-tasks/{userTaskKey}/form",
    query: &[],
    body: NoBody,
    answer: ObjectOrNull,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "get_form",
};

pub(crate) static SEARCH_PROCESS_DEFINITIONS: Endpoint = Endpoint {
    name: "v2_search_process_definitions",
    method: Post,
    path: "/v2/process-definitions/search",
    query: &[],
    body: OrEmptyObject("query"),
    answer: Object,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "search_process_definitions",
};

/// The start form; 204 when the process has none: `null`.
pub(crate) static GET_PROCESS_DEFINITION_FORM: Endpoint = Endpoint {
    name: "v2_get_process_definition_form",
    method: Get,
    path: "/v2/process-definitions/{processDefinitionKey}/form",
    query: &[],
    body: NoBody,
    answer: ObjectOrNull,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "",
};

/// Starts a process: repeating it would start a second instance.
pub(crate) static CREATE_PROCESS_INSTANCE: Endpoint = Endpoint {
    name: "v2_create_process_instance",
    method: Post,
    path: "/v2/process-instances",
    query: &[],
    body: RequiredInTenant("process instance request"),
    answer: Object,
    idempotency: Unsafe,
    generation: &ORCHESTRATION_V2,
    instead: "",
};

/// The cluster and its `gatewayVersion`.
pub(crate) static GET_TOPOLOGY: Endpoint = Endpoint {
    name: "v2_get_topology",
    method: Get,
    path: "/v2/topology",
    query: &[],
    body: NoBody,
    answer: Object,
    idempotency: Safe,
    generation: &ORCHESTRATION_V2,
    instead: "",
};

/// Every v2 endpoint, for the checks below.
#[cfg(test)]
pub(crate) static ALL: [&Endpoint; 15] = [
    &SEARCH_USER_TASKS,
    &GET_USER_TASK,
    &ASSIGN_USER_TASK,
    &UNASSIGN_USER_TASK,
    &COMPLETE_USER_TASK,
    &UPDATE_USER_TASK,
    &SEARCH_USER_TASK_VARIABLES,
    &GET_USER_TASK_FORM,
    &SEARCH_PROCESS_DEFINITIONS,
    &GET_PROCESS_DEFINITION_FORM,
    &CREATE_PROCESS_INSTANCE,
    &GET_TOPOLOGY,
    &SEARCH_USER_TASK_EFFECTIVE_VARIABLES,
    &SET_ELEMENT_INSTANCE_VARIABLES,
    &GET_CURRENT_USER,
];

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn every_endpoint_has_its_c_function() {
        // The Python and Go methods of v2 are checked the same way once the bindings have
        // them; the C surface comes first.
        let header = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("include/tasklist.h"),
        )
        .unwrap();
        let missing: Vec<_> = ALL
            .iter()
            .map(|e| format!(" tasklist_{}(", e.name))
            .filter(|declaration| !header.contains(declaration.as_str()))
            .collect();
        assert!(missing.is_empty(), "missing: {missing:#?}");
    }

    #[test]
    fn keys_are_checked_before_anything_is_sent() {
        let e = super::GET_USER_TASK.path_for(&["12ab"], &[]).unwrap_err();
        assert!(
            e.message()
                .contains("user task key must be a decimal number"),
            "{e}"
        );
        assert_eq!(
            super::GET_USER_TASK
                .path_for(&["2251799813685249"], &[])
                .unwrap(),
            "/v2/user-tasks/2251799813685249"
        );
        assert!(super::GET_USER_TASK.path_for(&[""], &[]).is_err());
        assert!(super::GET_USER_TASK
            .path_for(&["1".repeat(26).as_str()], &[])
            .is_err());
    }
}
