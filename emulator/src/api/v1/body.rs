//! Reading request DTOs the way Jackson does in Tasklist: optional bodies,
//! unknown properties ignored, scalars coerced to strings, and unreadable
//! bodies answered 400 with a Jackson-like message and no `instance`.

use super::problem::problem_without_instance;
use crate::http::{Request, Response};
use serde_json::{Map, Value};

const ENTITIES: &str = "io.camunda.tasklist.webapp.api.rest.v1.entities";

pub type Object = Map<String, Value>;

/// 400 `JSON parse error` (8.5+); the router turns it into 8.4's 500.
pub fn unreadable(detail: &str) -> Response {
    problem_without_instance(400, &format!("JSON parse error: {detail}")).raised(NOT_READABLE)
}

pub const NOT_READABLE: &str = "HttpMessageNotReadableException";

/// Parses an optional JSON object body; `None` when absent or `null`.
pub fn optional_object(request: &Request, dto: &str) -> Result<Option<Object>, Response> {
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = without_comments(&request.body);
    let value: Value =
        serde_json::from_slice(&text).map_err(|e| unreadable(&jackson_syntax_message(&e)))?;
    match value {
        Value::Null => Ok(None),
        Value::Object(map) => Ok(Some(map)),
        other => Err(unreadable(&format!(
            "Cannot deserialize value of type `{ENTITIES}.{dto}` from {} value",
            json_kind(&other)
        ))),
    }
}

/// A required body; Spring's message when it is missing.
pub fn required_object(request: &Request, dto: &str, handler: &str) -> Result<Object, Response> {
    optional_object(request, dto)?.ok_or_else(|| {
        problem_without_instance(
            400,
            &format!("Required request body is missing: public org.springframework.http.ResponseEntity io.camunda.tasklist.webapp.api.rest.v1.controllers.{handler}"),
        )
        .raised(NOT_READABLE)
    })
}

/// Tasklist's ObjectMapper allows `//` and `/* */` comments: they are
/// blanked out (outside strings) before parsing.
fn without_comments(body: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !body.contains(&b'/') {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len());
    let (mut i, mut in_string) = (0, false);
    while i < body.len() {
        let c = body[i];
        if in_string {
            out.push(c);
            if c == b'\\' && i + 1 < body.len() {
                out.push(body[i + 1]);
                i += 1;
            } else if c == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match (c, body.get(i + 1)) {
            (b'"', _) => {
                in_string = true;
                out.push(c);
                i += 1;
            }
            (b'/', Some(b'/')) => {
                while i < body.len() && body[i] != b'\n' {
                    i += 1;
                }
                out.push(b' ');
            }
            (b'/', Some(b'*')) => {
                i += 2;
                while i < body.len() && !(body[i] == b'*' && body.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
                out.push(b' ');
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

fn jackson_syntax_message(error: &serde_json::Error) -> String {
    format!(
        "Unexpected character or end of input: {} (line: {}, column: {})",
        error,
        error.line(),
        error.column()
    )
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

fn type_error(java_type: &str, value: &Value) -> Response {
    unreadable(&format!(
        "Cannot deserialize value of type `{java_type}` from {} value ({value})",
        json_kind(value)
    ))
}

/// A string field; Jackson coerces numbers and booleans to their text.
pub fn string(obj: &Object, field: &str) -> Result<Option<String>, Response> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(v.to_string())),
        Some(v) => Err(type_error("java.lang.String", v)),
    }
}

pub fn boolean(obj: &Object, field: &str) -> Result<Option<bool>, Response> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s == "true" || s == "false" => Ok(Some(s == "true")),
        Some(v) => Err(type_error("java.lang.Boolean", v)),
    }
}

pub fn integer(obj: &Object, field: &str, java_type: &str) -> Result<Option<i64>, Response> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        // ACCEPT_FLOAT_AS_INT: 3.7 becomes 3.
        Some(Value::Number(n)) if n.is_f64() => Ok(n.as_f64().map(|f| f.trunc() as i64)),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| {
            unreadable(&format!(
                "Cannot deserialize value of type `{java_type}` from String \"{s}\": not a valid `{java_type}` value"
            ))
        }),
        Some(v) => Err(type_error(java_type, v)),
    }
}

pub fn string_list(obj: &Object, field: &str) -> Result<Option<Vec<String>>, Response> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                v @ (Value::Number(_) | Value::Bool(_)) => Ok(v.to_string()),
                v => Err(type_error("java.lang.String", v)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(v) => Err(type_error("java.lang.String[]", v)),
    }
}

/// An array of objects (e.g. `sort`, `taskVariables`, `variables`).
pub fn object_list<'a>(
    obj: &'a Object,
    field: &str,
    dto: &str,
) -> Result<Vec<&'a Object>, Response> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(o) => Ok(o),
                v => Err(type_error(&format!("{ENTITIES}.{dto}"), v)),
            })
            .collect(),
        Some(v) => Err(type_error(&format!("{ENTITIES}.{dto}[]"), v)),
    }
}

pub fn nested_object<'a>(
    obj: &'a Object,
    field: &str,
    java_type: &str,
) -> Result<Option<&'a Object>, Response> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(v) => Err(type_error(java_type, v)),
    }
}

/// An enum field: Jackson lists the accepted values in its message.
pub fn enumeration(
    obj: &Object,
    field: &str,
    java_type: &str,
    accepted: &[&str],
) -> Result<Option<String>, Response> {
    let Some(text) = string(obj, field)? else {
        return Ok(None);
    };
    if accepted.contains(&text.as_str()) {
        return Ok(Some(text));
    }
    let mut sorted = accepted.to_vec();
    sorted.sort_unstable();
    Err(unreadable(&format!(
        "Cannot deserialize value of type `{java_type}` from String \"{text}\": not one of the values accepted for Enum class: [{}]",
        sorted.join(", ")
    )))
}

/// `[{name, value}]` variable inputs, in order.
pub fn variable_inputs(obj: &Object) -> Result<Vec<(String, String)>, Response> {
    object_list(obj, "variables", "VariableInputDTO")?
        .into_iter()
        .map(|v| {
            Ok((
                string(v, "name")?.unwrap_or_default(),
                string(v, "value")?.unwrap_or_default(),
            ))
        })
        .collect()
}

/// Parses a variable's JSON text; the error text imitates Jackson's.
/// Like `ObjectMapper.readTree`, only the first value is read: trailing
/// tokens (`"1 2"`) are ignored.
pub fn check_json_value(value: &str) -> Result<(), String> {
    let first = serde_json::Deserializer::from_str(value)
        .into_iter::<Value>()
        .next();
    match first {
        Some(Ok(_)) => Ok(()),
        Some(Err(_)) | None => {
            let token: String = value
                .trim_start()
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | ':'))
                .collect();
            if token.is_empty()
                || token.starts_with(['{', '[', '"'])
                || token.starts_with(|c: char| c.is_ascii_digit() || c == '-')
            {
                Err(format!(
                    "Unexpected end-of-input or character in value: {value} (through reference chain: unknown)"
                ))
            } else {
                Err(format!(
                    "Unrecognized token '{token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"{value}\"; line: 1, column: {}]",
                    token.chars().count() + 1
                ))
            }
        }
    }
}
