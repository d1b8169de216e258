//! Error bodies in the shapes the real server produces: ApiErrorController's
//! problem+json `{status, message, instance}`, the security layer's
//! `{"message": ...}`, the CSRF filter's `{"error": ...}` and Spring's
//! default error page for unmapped paths.

use crate::dates::{format_tasklist, now_millis};
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

/// The security layer's 401, sent before any controller runs.
pub fn unauthorized(message: &str) -> Response {
    let mut body = String::from("{\"message\":");
    push_json_string(&mut body, message);
    body.push('}');
    Response::json(401, body)
}

pub fn invalid_csrf() -> Response {
    Response::json(
        403,
        "{\"error\":\"Access denied due to invalid CSRF token.\"}",
    )
}

/// Spring Boot's whitelabel JSON for paths no controller maps.
pub fn spring_error(status: u16, error: &str, path: &str) -> Response {
    let mut body = String::from("{\"timestamp\":");
    push_json_string(&mut body, &format_tasklist(now_millis()));
    body.push_str(&format!(",\"status\":{status},\"error\":"));
    push_json_string(&mut body, error);
    body.push_str(",\"path\":");
    push_json_string(&mut body, path);
    body.push('}');
    Response::json(status, body)
}

pub fn task_not_found(task_id: &str) -> Response {
    // The reference leaves the casing open (§13.1); the lower-case form is
    // the one of the code path that 8.4's tenant-aware lookup uses.
    problem(404, &format!("task with id {task_id} was not found"))
}
