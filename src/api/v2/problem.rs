//! v2's error bodies: RFC 9457 problems, `{"type","title","status","detail","instance"}`.
//! The message keeps both the title (`INVALID_STATE`, `NOT_FOUND`, ...) and the detail (the
//! engine's rejection text, verbatim), since titles differ between lines and endpoints and the
//! detail is what says why.

use crate::api::endpoint::Generation;

pub(crate) static ORCHESTRATION_V2: Generation = Generation {
    server: "the Orchestration Cluster",
    problem: summary,
    numeric_keys: true,
};

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
    use super::summary;

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
