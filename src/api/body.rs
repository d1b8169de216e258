//! The little JSON checking the library does: request bodies must be JSON before anything is
//! sent, and a 2xx answer must have the shape its endpoint documents. Answers are otherwise
//! passed through byte for byte, so int64 keys and fields added by newer servers survive.

use crate::error::{Code, Error, Result};

/// Refuses text that is not one complete JSON value.
pub(crate) fn check_request_body(text: &str, what: &str) -> Result<()> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(|_| ())
        .map_err(|e| {
            Error::new(
                Code::InvalidJson,
                format!("the {what} is not valid JSON: {e}"),
            )
        })
}

/// The request of a command that acts in a tenant, with `tenant` added when the request is
/// an object that names none. The caller's text is kept as it is, only prefixed: re-encoding
/// it could change how its numbers are written.
pub(crate) fn with_tenant<'a>(
    text: &'a str,
    tenant: Option<&str>,
    what: &str,
) -> Result<std::borrow::Cow<'a, str>> {
    use std::collections::HashMap;
    let fields: HashMap<String, serde::de::IgnoredAny> = serde_json::from_str(text)
        .map_err(|_| Error::invalid_argument(format!("the {what} must be a JSON object")))?;
    let Some(tenant) = tenant.filter(|_| !fields.contains_key("tenantId")) else {
        return Ok(std::borrow::Cow::Borrowed(text));
    };
    let open = text.find('{').expect("a JSON object starts with '{'");
    let mut out = String::with_capacity(text.len() + tenant.len() + 16);
    out.push_str(&text[..=open]);
    out.push_str("\"tenantId\":");
    out.push_str(&serde_json::Value::from(tenant).to_string());
    if !fields.is_empty() {
        out.push(',');
    }
    out.push_str(&text[open + 1..]);
    Ok(std::borrow::Cow::Owned(out))
}

/// The top-level JSON type an endpoint answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Object,
    Array,
    /// No answer body is expected (204); whatever comes is ignored.
    Nothing,
    /// A JSON object, or 204 when there is none, which the caller gets as `null`.
    ObjectOrNull,
}

/// A cheap check of the answer's outer brackets: it catches HTML error pages and proxies'
/// text answers without parsing every byte of a large search result.
/// `label` names the request in the error; it is only built when there is one.
pub(crate) fn check_answer_shape(
    body: &str,
    shape: Shape,
    label: impl FnOnce() -> String,
) -> Result<()> {
    let trimmed = body.trim();
    let (open, close) = match shape {
        Shape::Object | Shape::ObjectOrNull => ('{', '}'),
        Shape::Array => ('[', ']'),
        Shape::Nothing => return Ok(()),
    };
    if trimmed.starts_with(open) && trimmed.ends_with(close) {
        return Ok(());
    }
    let start: String = trimmed.chars().take(60).collect();
    Err(Error::new(
        Code::Decode,
        format!(
            "{}: expected a JSON {} but the answer starts with '{start}'",
            label(),
            shape.name()
        ),
    ))
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Object => "object",
            Shape::Array => "array",
            Shape::Nothing => "empty answer",
            Shape::ObjectOrNull => "object",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_tenant_is_added_only_where_none_is_named() {
        let t = |text, tenant| with_tenant(text, tenant, "request").map(|c| c.into_owned());
        assert_eq!(
            t(r#"{"a":1.50}"#, Some("t1")).unwrap(),
            r#"{"tenantId":"t1","a":1.50}"#
        );
        assert_eq!(t(" { } ", Some("t1")).unwrap(), r#" {"tenantId":"t1" } "#);
        assert_eq!(
            t(r#"{"tenantId":"own"}"#, Some("t1")).unwrap(),
            r#"{"tenantId":"own"}"#
        );
        assert_eq!(t(r#"{"a":1}"#, None).unwrap(), r#"{"a":1}"#);
        assert_eq!(
            t("[1]", Some("t1")).unwrap_err().code(),
            Code::InvalidArgument
        );
        // A nested tenantId is not the request's own.
        assert_eq!(
            t(r#"{"v":{"tenantId":"x"}}"#, Some("t")).unwrap(),
            r#"{"tenantId":"t","v":{"tenantId":"x"}}"#
        );
    }

    #[test]
    fn request_bodies_must_be_one_json_value() {
        assert!(check_request_body("{}", "query").is_ok());
        assert!(check_request_body(" [1, {\"a\": null}] ", "query").is_ok());
        let e = check_request_body("{", "query").unwrap_err();
        assert_eq!(e.code(), Code::InvalidJson);
        assert!(check_request_body("{} {}", "query").is_err());
        assert!(check_request_body("", "query").is_err());
    }

    #[test]
    fn answers_must_have_the_documented_shape() {
        assert!(check_answer_shape(" [ ] \n", Shape::Array, || "x".into()).is_ok());
        assert!(check_answer_shape("{\"id\":\"1\"}", Shape::Object, || "x".into()).is_ok());
        let e = check_answer_shape("<html></html>", Shape::Object, || "GET /v1/tasks/1".into())
            .unwrap_err();
        assert_eq!(e.code(), Code::Decode);
        assert!(e.message().contains("JSON object"), "{}", e.message());
        assert!(check_answer_shape("{}", Shape::Array, || "x".into()).is_err());
    }
}
