//! The /v1 controllers: one module per area, each a set of functions from
//! (caller, request, data) to a response, with the checks in Tasklist's order.

pub mod body;
pub mod forms;
pub mod processes;
pub mod tasks;
pub mod variables;

use crate::auth::Caller;
use crate::http::Response;
use crate::problem::problem;

/// `@PreAuthorize("hasPermission('write')")`: refused before the handler runs.
pub fn require_write(caller: &Caller) -> Result<(), Response> {
    if caller.can_write() {
        Ok(())
    } else {
        Err(problem(403, "Access is denied"))
    }
}

pub fn ok_json(body: String) -> Response {
    Response::json(200, body)
}
