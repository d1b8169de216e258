//! The v2 Orchestration Cluster API (Camunda 8.8+), on the same store as
//! Tasklist v1: user tasks, their variables and forms, process
//! definitions and instances, variables of element instances and the
//! cluster endpoints. It speaks RFC 9457 problems (`problem`), reads
//! closed request envelopes (`body`), filters with operator objects
//! (`filter`) and pages with cursors (`paging`). What differs between
//! 8.8, 8.9 and 8.10 is asked of the `Profile` (`v2_*` switches).
//!
//! Reads see the store through each task's export view
//! (`Task::exported`), commands act on it directly.

pub mod body;
pub mod cluster;
pub mod filter;
pub mod paging;
pub mod problem;
pub mod processes;
pub mod render;
pub mod routes;
pub mod user_tasks;
pub mod variables;

use crate::http::Response;
use crate::router::Call;
use problem::Problem;

/// What a v2 handler returns; `run` turns the problem into its body.
pub type Answer = Result<Response, Problem>;

/// Calls a handler, answering its problem with the request path as
/// `instance`.
pub fn run(call: &Call<'_>, handler: fn(&Call<'_>) -> Answer) -> Response {
    handler(call).unwrap_or_else(|p| p.respond(&call.request.path))
}

/// A key of a path or body: a decimal `i64` (Zeebe keys are positive).
pub fn parse_key(text: &str, name: &str) -> Result<i64, Problem> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.len() <= 19 && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(key) = text.parse() {
            return Ok(key);
        }
    }
    Err(Problem::bad_request(format!(
        "Failed to convert '{name}' with value: '{text}'"
    )))
}

/// Read-only users (`--user NAME:PW:ro`) may read but not command: 403
/// naming the permission, as an authorization check would.
pub fn require_write(call: &Call<'_>, permission: &str, resource: &str) -> Result<(), Problem> {
    if call.caller.can_write() {
        Ok(())
    } else {
        Err(Problem::new(
            403,
            "FORBIDDEN",
            format!("Unauthorized to perform operation '{permission}' on resource '{resource}'"),
        ))
    }
}

pub fn ok_json(body: String) -> Answer {
    Ok(Response::json(200, body))
}

pub fn no_content() -> Answer {
    Ok(Response::new(204))
}
