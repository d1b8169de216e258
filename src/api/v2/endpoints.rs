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

    fn read(relative: &str) -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(root.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    /// `search_user_tasks` -> `SearchUserTasks`.
    fn go_name(name: &str) -> String {
        name.split('_')
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or(String::new(), |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect()
    }

    #[test]
    fn every_endpoint_has_its_c_function() {
        // Each row is reachable from every language: the C function under its own name,
        // the Python method of `client.v2` and the Go method of `V2` without the prefix.
        let header = read("include/tasklist.h");
        let python = read("bindings/python/src/tasklist/v2.py");
        let go = read("bindings/go/v2.go");
        let mut missing = Vec::new();
        for endpoint in ALL {
            let name = endpoint.name;
            if !header.contains(&format!(" tasklist_{name}(")) {
                missing.push(format!("C function tasklist_{name} in include/tasklist.h"));
            }
            let method = name.strip_prefix("v2_").unwrap_or_else(|| {
                panic!("v2 endpoint {name} lacks the v2_ prefix");
            });
            if !python.contains(&format!("    def {method}(")) {
                missing.push(format!("Python method V2.{method} in v2.py"));
            }
            let go_method = go_name(method);
            if !go.contains(&format!(") {go_method}(")) {
                missing.push(format!("Go method V2.{go_method} in v2.go"));
            }
        }
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
