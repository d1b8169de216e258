//! Tasklist's v1 REST API (8.4 behaviour): one controller module per area,
//! each a set of functions from (caller, request, data) to a response with
//! the checks in Tasklist's order, plus what only v1 speaks: Jackson-style
//! body reading (`body`), the `{status,message,instance}` problem
//! (`problem`) and the task search with its cursors (`search`).

pub mod body;
pub mod forms;
pub mod problem;
pub mod processes;
pub mod render;
pub mod routes;
pub mod search;
pub mod tasks;
pub mod variables;

use crate::auth::Caller;
use crate::http::Response;
use problem::problem;

/// `@PreAuthorize("hasPermission('write')")`: refused before the handler runs.
pub fn require_write(caller: &Caller) -> Result<(), Response> {
    if caller.can_write() {
        Ok(())
    } else {
        // 403 here; the router turns it into 8.4's 500.
        Err(problem(403, "Access is denied").raised(ACCESS_DENIED))
    }
}

pub const ACCESS_DENIED: &str = "AccessDeniedException";

pub fn ok_json(body: String) -> Response {
    Response::json(200, body)
}
