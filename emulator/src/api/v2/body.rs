//! Reading v2 request bodies: strict JSON, closed envelopes (an unknown
//! property is a 400, as the gateway's `FAIL_ON_UNKNOWN_PROPERTIES`
//! does), no coercion of scalars. Errors name the property's path.

use super::problem::Problem;
use crate::http::Request;
use serde_json::{Map, Value};

pub type Object = Map<String, Value>;

fn cannot_parse(path: &str) -> Problem {
    Problem::bad_request(format!("Request property [{path}] cannot be parsed"))
}

fn joined(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// An optional object body: `None` when absent or `null`.
pub fn optional_object(request: &Request) -> Result<Option<Object>, Problem> {
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Null) => Ok(None),
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(Problem::bad_request("Request body must be a JSON object")),
        Err(e) => Err(Problem::bad_request(format!(
            "Request body is not valid JSON: {e}"
        ))),
    }
}

pub fn required_object(request: &Request) -> Result<Object, Problem> {
    optional_object(request)?
        .ok_or_else(|| Problem::bad_request("Required request body is missing"))
}

/// Refuses any property not in `known`; `prefix` is the object's path.
pub fn closed(obj: &Object, known: &[&str], prefix: &str) -> Result<(), Problem> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(cannot_parse(&joined(prefix, unknown))),
        None => Ok(()),
    }
}

fn present<'a>(obj: &'a Object, field: &str) -> Option<&'a Value> {
    obj.get(field).filter(|v| !v.is_null())
}

pub fn string(obj: &Object, field: &str, prefix: &str) -> Result<Option<String>, Problem> {
    match present(obj, field) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(cannot_parse(&joined(prefix, field))),
    }
}

pub fn boolean(obj: &Object, field: &str, prefix: &str) -> Result<Option<bool>, Problem> {
    match present(obj, field) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(cannot_parse(&joined(prefix, field))),
    }
}

pub fn integer(obj: &Object, field: &str, prefix: &str) -> Result<Option<i64>, Problem> {
    match present(obj, field) {
        None => Ok(None),
        Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        Some(_) => Err(cannot_parse(&joined(prefix, field))),
    }
}

pub fn string_list(
    obj: &Object,
    field: &str,
    prefix: &str,
) -> Result<Option<Vec<String>>, Problem> {
    match present(obj, field) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                _ => Err(cannot_parse(&joined(prefix, field))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(cannot_parse(&joined(prefix, field))),
    }
}

pub fn object<'a>(
    obj: &'a Object,
    field: &str,
    prefix: &str,
) -> Result<Option<&'a Object>, Problem> {
    match present(obj, field) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(cannot_parse(&joined(prefix, field))),
    }
}

pub fn object_list<'a>(
    obj: &'a Object,
    field: &str,
    prefix: &str,
) -> Result<Vec<&'a Object>, Problem> {
    match present(obj, field) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(o) => Ok(o),
                _ => Err(cannot_parse(&joined(prefix, field))),
            })
            .collect(),
        Some(_) => Err(cannot_parse(&joined(prefix, field))),
    }
}

/// A key given in a body: a decimal string (numbers are accepted too).
pub fn key(obj: &Object, field: &str, prefix: &str) -> Result<Option<i64>, Problem> {
    match present(obj, field) {
        None => Ok(None),
        Some(Value::String(s)) => super::parse_key(s, field)
            .map(Some)
            .map_err(|_| cannot_parse(&joined(prefix, field))),
        Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        Some(_) => Err(cannot_parse(&joined(prefix, field))),
    }
}

/// `[{field, order}]` sort criteria: each field must be in `fields`.
pub fn sort(obj: &Object, fields: &[&str]) -> Result<Vec<(String, bool)>, Problem> {
    let mut criteria = Vec::new();
    for (i, item) in object_list(obj, "sort", "")?.into_iter().enumerate() {
        let prefix = format!("sort[{i}]");
        closed(item, &["field", "order"], &prefix)?;
        let Some(field) = string(item, "field", &prefix)? else {
            return Err(Problem::invalid_argument("Sort field must not be null."));
        };
        if !fields.contains(&field.as_str()) {
            return Err(cannot_parse(&format!("{prefix}.field")));
        }
        let descending = match string(item, "order", &prefix)?.as_deref() {
            None | Some("ASC") | Some("asc") => false,
            Some("DESC") | Some("desc") => true,
            Some(_) => return Err(cannot_parse(&format!("{prefix}.order"))),
        };
        criteria.push((field, descending));
    }
    Ok(criteria)
}
