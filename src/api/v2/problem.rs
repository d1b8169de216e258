//! v2's error bodies: RFC 9457 problems, `{"type","title","status","detail","instance"}`.
//! The message keeps both the title (`INVALID_STATE`, `NOT_FOUND`, ...) and the detail (the
//! engine's rejection text, verbatim), since titles differ between lines and endpoints and the
//! detail is what says why.

use crate::api::endpoint::{Api, Generation};
use crate::transport::retry::Refusal;

pub(crate) static ORCHESTRATION_V2: Generation = Generation {
    server: "the Orchestration Cluster",
    problem: summary,
    numeric_keys: true,
    refusal,
    api: Api::OrchestrationV2,
};

/// The engine's backpressure (`RESOURCE_EXHAUSTED` in a 503's problem, or a 429 on 8.6/8.7
/// lines and gateways) is answered before the command is written to the log, so even a
/// completion may be sent again; a 500 naming it may come after the command was taken.
fn refusal(status: u16, body: &str) -> Refusal {
    let exhausted = || body.contains("RESOURCE_EXHAUSTED");
    match status {
        429 => Refusal::BeforeActing,
        503 if exhausted() => Refusal::BeforeActing,
        500 if exhausted() => Refusal::Overloaded,
        _ => Refusal::None,
    }
}

fn summary(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let text = |key: &str| value.get(key)?.as_str().filter(|s| !s.is_empty());
    let summary = match (text("title"), text("detail")) {
        (Some(title), Some(detail)) => format!("{title}: {detail}"),
        (Some(only), None) | (None, Some(only)) => only.to_string(),
        (None, None) => return None,
    };
    Some(summary.chars().take(300).collect())
}

#[cfg(test)]
mod tests {
    use super::{refusal, summary};
    use crate::transport::retry::Refusal;

    #[test]
    fn backpressure_is_read_from_the_problem() {
        let exhausted = r#"{"title":"RESOURCE_EXHAUSTED","status":503,"detail":"Expected to handle gRPC request, but request could not be handled: RESOURCE_EXHAUSTED"}"#;
        assert_eq!(refusal(503, exhausted), Refusal::BeforeActing);
        assert_eq!(refusal(429, ""), Refusal::BeforeActing);
        assert_eq!(refusal(500, exhausted), Refusal::Overloaded);
        // A partition that is away, or a gateway's 503 page: not provably unacted.
        assert_eq!(refusal(503, r#"{"title":"UNAVAILABLE"}"#), Refusal::None);
        assert_eq!(refusal(500, r#"{"title":"INTERNAL"}"#), Refusal::None);
    }

    #[test]
    fn title_and_detail_both_reach_the_message() {
        let body = r#"{"type":"about:blank","title":"INVALID_STATE","status":409,
            "detail":"Command 'COMPLETE' rejected with code 'INVALID_STATE': Expected to complete user task with key '1', but it is in state 'COMPLETING'","instance":"/v2/user-tasks/1/completion"}"#;
        let s = summary(body).unwrap();
        assert!(
            s.starts_with("INVALID_STATE: Command 'COMPLETE' rejected"),
            "{s}"
        );
        assert_eq!(
            summary(r#"{"title":"Bad Request"}"#).unwrap(),
            "Bad Request"
        );
        assert_eq!(summary("<html>504</html>"), None);
    }
}
