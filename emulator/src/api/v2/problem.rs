//! RFC 9457 problem details, as the v2 API sends every error:
//! `application/problem+json` with `type`, `title`, `status`, `detail` and
//! `instance` (the request path). The engine's rejections follow one
//! template (`rejected`), reproduced from the reference.

use crate::http::Response;
use crate::json_text::push_json_string;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub status: u16,
    pub title: &'static str,
    pub detail: String,
}

impl Problem {
    pub fn new(status: u16, title: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            title,
            detail: detail.into(),
        }
    }

    /// A body or parameter that cannot be read.
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(400, "Bad Request", detail)
    }

    /// A readable request that breaks a rule (engine or validation).
    pub fn invalid_argument(detail: impl Into<String>) -> Problem {
        Problem::new(400, "INVALID_ARGUMENT", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(404, "NOT_FOUND", detail)
    }

    /// `Command '<INTENT>' rejected with code '<CODE>': <reason>`, with
    /// the status and title the gateway maps the code to.
    pub fn rejected(intent: &str, code: &'static str, reason: &str) -> Problem {
        let status = match code {
            "NOT_FOUND" => 404,
            "INVALID_STATE" => 409,
            "ALREADY_EXISTS" => 409,
            _ => 400,
        };
        Problem::new(
            status,
            code,
            format!("Command '{intent}' rejected with code '{code}': {reason}"),
        )
    }

    pub fn respond(&self, instance: &str) -> Response {
        problem_response(self.status, self.title, &self.detail, instance)
    }
}

pub fn problem_response(status: u16, title: &str, detail: &str, instance: &str) -> Response {
    let mut body = String::with_capacity(96 + detail.len() + instance.len());
    body.push_str("{\"type\":\"about:blank\",\"title\":");
    push_json_string(&mut body, title);
    body.push_str(&format!(",\"status\":{status},\"detail\":"));
    push_json_string(&mut body, detail);
    body.push_str(",\"instance\":");
    push_json_string(&mut body, instance);
    body.push('}');
    Response::new(status)
        .with_header("Content-Type", "application/problem+json")
        .with_body(body)
}

/// The body of an injected status fault (`/__emulator/faults`) on a v2
/// path: backpressure and timeouts as the gateway words them.
pub fn injected(status: u16, instance: &str) -> Response {
    let (title, detail) = match status {
        503 => (
            "RESOURCE_EXHAUSTED",
            "Expected to handle REST API request, but the broker rejected it due to backpressure (RESOURCE_EXHAUSTED)",
        ),
        504 => (
            "DEADLINE_EXCEEDED",
            "Expected to handle REST API request, but request timed out between gateway and broker",
        ),
        502 => ("Bad Gateway", "The connection to the broker was lost"),
        429 => ("Too Many Requests", "Too many requests"),
        401 => ("Unauthorized", "Full authentication is required to access this resource"),
        403 => ("Forbidden", "Access denied"),
        500 => ("Internal Server Error", "Unexpected error occurred (fault injected by the emulator)"),
        _ => ("Fault", "Fault injected by the emulator"),
    };
    problem_response(status, title, detail, instance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_carry_all_five_fields() {
        let response = Problem::rejected(
            "COMPLETE",
            "NOT_FOUND",
            "Expected to complete user task with key '1', but no such user task was found",
        )
        .respond("/v2/user-tasks/1/completion");
        assert_eq!(response.status, 404);
        let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(body["type"], "about:blank");
        assert_eq!(body["title"], "NOT_FOUND");
        assert_eq!(body["status"], 404);
        assert_eq!(body["instance"], "/v2/user-tasks/1/completion");
        assert!(body["detail"]
            .as_str()
            .unwrap()
            .starts_with("Command 'COMPLETE' rejected with code 'NOT_FOUND': Expected"));
    }
}
