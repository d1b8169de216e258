//! The Tasklist v1 endpoints, one row each. The C functions (`src/ffi/v1.rs`), the Python
//! methods and the Go methods carry the rows' names; a test below checks that each row has
//! all three.

use crate::api::body::Shape::{Array, Nothing, Object};
use crate::api::endpoint::BodyRule::{None as NoBody, Optional, OrEmptyObject, Required};
use crate::api::endpoint::{Endpoint, QueryParam};
use crate::api::v1::problem::TASKLIST_V1;
use crate::transport::retry::Idempotency::{Safe, Unsafe};
use crate::transport::Method::{Get, Patch, Post};

/// `POST /v1/tasks/search`: one page of tasks; `{}` gives the first 50 that are not canceled.
pub(crate) static SEARCH_TASKS: Endpoint = Endpoint {
    name: "search_tasks",
    method: Post,
    path: "/v1/tasks/search",
    query: &[],
    body: OrEmptyObject("query"),
    answer: Array,
    idempotency: Safe,
    generation: &TASKLIST_V1,
    instead: "v2_search_user_tasks",
};

pub(crate) static GET_TASK: Endpoint = Endpoint {
    name: "get_task",
    method: Get,
    path: "/v1/tasks/{taskId}",
    query: &[],
    body: NoBody,
    answer: Object,
    idempotency: Safe,
    generation: &TASKLIST_V1,
    instead: "v2_get_user_task",
};

/// Without a body a session user claims the task for themselves.
pub(crate) static ASSIGN_TASK: Endpoint = Endpoint {
    name: "assign_task",
    method: Patch,
    path: "/v1/tasks/{taskId}/assign",
    query: &[],
    body: Optional("assign request"),
    answer: Object,
    idempotency: Unsafe,
    generation: &TASKLIST_V1,
    instead: "v2_assign_user_task",
};

pub(crate) static UNASSIGN_TASK: Endpoint = Endpoint {
    name: "unassign_task",
    method: Patch,
    path: "/v1/tasks/{taskId}/unassign",
    query: &[],
    body: NoBody,
    answer: Object,
    idempotency: Unsafe,
    generation: &TASKLIST_V1,
    instead: "v2_unassign_user_task",
};

pub(crate) static COMPLETE_TASK: Endpoint = Endpoint {
    name: "complete_task",
    method: Patch,
    path: "/v1/tasks/{taskId}/complete",
    query: &[],
    body: Optional("complete request"),
    answer: Object,
    idempotency: Unsafe,
    generation: &TASKLIST_V1,
    instead: "v2_complete_user_task",
};

/// Replaces the task's draft variables; Tasklist answers 204.
pub(crate) static SAVE_DRAFT_VARIABLES: Endpoint = Endpoint {
    name: "save_draft_variables",
    method: Post,
    path: "/v1/tasks/{taskId}/variables",
    query: &[],
    body: Required("draft variables request"),
    answer: Nothing,
    idempotency: Unsafe,
    generation: &TASKLIST_V1,
    instead: "",
};

pub(crate) static SEARCH_TASK_VARIABLES: Endpoint = Endpoint {
    name: "search_task_variables",
    method: Post,
    path: "/v1/tasks/{taskId}/variables/search",
    query: &[],
    body: OrEmptyObject("variables query"),
    answer: Array,
    idempotency: Safe,
    generation: &TASKLIST_V1,
    instead: "v2_search_user_task_variables",
};

/// The full value, never truncated.
pub(crate) static GET_VARIABLE: Endpoint = Endpoint {
    name: "get_variable",
    method: Get,
    path: "/v1/variables/{variableId}",
    query: &[],
    body: NoBody,
    answer: Object,
    idempotency: Safe,
    generation: &TASKLIST_V1,
    instead: "",
};

pub(crate) static GET_FORM: Endpoint = Endpoint {
    name: "get_form",
    method: Get,
    path: "/v1/forms/{formId}",
    query: &[
        QueryParam {
            name: "processDefinitionKey",
            what: "process definition key",
            required: true,
            digits: false,
        },
        QueryParam {
            name: "version",
            what: "form version",
            required: false,
            digits: true,
        },
    ],
    body: NoBody,
    answer: Object,
    idempotency: Safe,
    generation: &TASKLIST_V1,
    instead: "v2_get_user_task_form",
};

/// Operate's v1 shape, served by combined deployments on the same base URL.
pub(crate) static SEARCH_PROCESS_DEFINITIONS: Endpoint = Endpoint {
    name: "search_process_definitions",
    method: Post,
    path: "/v1/process-definitions/search",
    query: &[],
    body: OrEmptyObject("query"),
    answer: Object,
    idempotency: Safe,
    generation: &TASKLIST_V1,
    instead: "v2_search_process_definitions",
};

/// Every v1 endpoint, for the checks that each has its C function and binding methods.
#[cfg(test)]
pub(crate) static ALL: [&Endpoint; 10] = [
    &SEARCH_TASKS,
    &GET_TASK,
    &ASSIGN_TASK,
    &UNASSIGN_TASK,
    &COMPLETE_TASK,
    &SAVE_DRAFT_VARIABLES,
    &SEARCH_TASK_VARIABLES,
    &GET_VARIABLE,
    &GET_FORM,
    &SEARCH_PROCESS_DEFINITIONS,
];

#[cfg(test)]
mod tests {
    use super::ALL;
    use std::path::Path;

    fn read(relative: &str) -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(root.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

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
    fn every_endpoint_has_a_c_function_a_python_method_and_a_go_method() {
        let header = read("include/tasklist.h");
        let python = read("bindings/python/src/tasklist/client.py");
        let go = read("bindings/go/v1.go");
        let mut missing = Vec::new();
        for endpoint in ALL {
            let name = endpoint.name;
            if !header.contains(&format!(" tasklist_{name}(")) {
                missing.push(format!("C function tasklist_{name} in include/tasklist.h"));
            }
            if !python.contains(&format!("    def {name}(")) {
                missing.push(format!("Python method Client.{name} in client.py"));
            }
            let go_method = go_name(name);
            if !go.contains(&format!(") {go_method}(")) {
                missing.push(format!("Go method Client.{go_method} in v1.go"));
            }
        }
        assert!(missing.is_empty(), "missing: {missing:#?}");
    }

    #[test]
    fn names_and_paths_are_unique() {
        for (i, a) in ALL.iter().enumerate() {
            for b in &ALL[i + 1..] {
                assert_ne!(a.name, b.name);
                assert!(
                    a.path != b.path || a.method != b.method,
                    "{} and {} are one endpoint",
                    a.name,
                    b.name
                );
            }
        }
    }
}
