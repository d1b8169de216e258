//! Error bodies that do not depend on the API generation: the security
//! layer's `{"message": ...}` 401, the CSRF filter's `{"error": ...}` and
//! Spring Boot's default error page for unmapped paths. They come from
//! filters and the servlet container, in front of every controller; each
//! generation's own problem bodies live with its controllers (`api::v1`).

use crate::dates::{format_tasklist, now_millis};
use crate::http::Response;
use crate::json_text::push_json_string;

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
