//! The v1 controllers' error bodies: Tasklist's ApiErrorController answers
//! `application/problem+json` as `{status, message, instance}`. The v2 API
//! uses RFC 9457 problem details instead, so these stay with v1.

use crate::http::Response;
use crate::json_text::push_json_string;
use crate::random::uuid_v4;

fn problem_body(status: u16, message: &str, instance: Option<&str>) -> String {
    let mut body = format!("{{\"status\":{status},\"message\":");
    push_json_string(&mut body, message);
    body.push_str(",\"instance\":");
    match instance {
        Some(id) => push_json_string(&mut body, id),
        None => body.push_str("null"),
    }
    body.push('}');
    body
}

/// A handled business error (validation, not found, forbidden): it carries
/// a fresh UUID in `instance` for log correlation.
pub fn problem(status: u16, message: &str) -> Response {
    Response::new(status)
        .with_header("Content-Type", "application/problem+json")
        .with_body(problem_body(status, message, Some(&uuid_v4())))
}

/// Unreadable bodies and runtime failures: ApiErrorController leaves
/// `instance` null for these.
pub fn problem_without_instance(status: u16, message: &str) -> Response {
    Response::new(status)
        .with_header("Content-Type", "application/problem+json")
        .with_body(problem_body(status, message, None))
}

pub fn task_not_found(task_id: &str) -> Response {
    // The reference leaves the casing open (§13.1); the lower-case form is
    // the one of the code path that 8.4's tenant-aware lookup uses.
    problem(404, &format!("task with id {task_id} was not found"))
}
