//! An endpoint described as data: one row says everything the request loop needs to call it
//! (method, path template, what the body may be, what the answer must look like, whether it
//! may be sent twice), so adding an endpoint is adding a row.

use crate::api::body::Shape;
use crate::api::path::{query_value, segment};
use crate::error::{Error, Result};
use crate::transport::retry::{Idempotency, RefusalRule};
use crate::transport::Method;

/// What an API generation says about every one of its endpoints.
pub(crate) struct Generation {
    /// How error messages name the server, e.g. "Tasklist".
    pub(crate) server: &'static str,
    /// The human part of an error body, if the body is this generation's problem document.
    pub(crate) problem: fn(&str) -> Option<String>,
    /// Path parameters are the engine's keys, decimal strings: anything else is refused
    /// before it is sent (the server would only answer 400).
    pub(crate) numeric_keys: bool,
    /// What an error answer's body adds to its status for retries (v2's backpressure).
    pub(crate) refusal: RefusalRule,
    /// Which API this is, for telling a caller that the server does not offer it.
    pub(crate) api: Api,
}

/// The API generations a server may offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Api {
    /// Tasklist's v1 REST API (Camunda 8.3 to 8.9; removed in 8.10).
    TasklistV1,
    /// The v2 Orchestration Cluster REST API (Camunda 8.8 and later).
    OrchestrationV2,
    /// Whatever the base URL serves (`tasklist_request`).
    Any,
}

/// What the request body of an endpoint may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyRule {
    /// The request has no body.
    None,
    /// A JSON object, optional; without one `{}` is sent (a search's first page).
    OrEmptyObject(&'static str),
    /// A JSON value, optional; without one no body is sent at all.
    Optional(&'static str),
    /// A JSON value that must be given.
    Required(&'static str),
    /// A JSON object that must be given, for a command that acts in a tenant: the configured
    /// tenant (`tasklist_options_set_tenant_id`) is added when the object names none.
    RequiredInTenant(&'static str),
}

/// A query parameter of an endpoint, filled from an argument of the call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct QueryParam {
    pub(crate) name: &'static str,
    /// How error messages call it, e.g. "process definition key".
    pub(crate) what: &'static str,
    pub(crate) required: bool,
    /// Only ASCII digits are accepted (a version number, say).
    pub(crate) digits: bool,
}

/// One endpoint of an API generation.
pub(crate) struct Endpoint {
    /// The name the bindings use: the C function is `tasklist_<name>`, the Python method
    /// `<name>`, the Go method its CamelCase (checked by the table's tests, hence unread by
    /// the library itself).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) name: &'static str,
    pub(crate) method: Method,
    /// The path below the base URL; `{camelCaseName}` segments are filled, in order, from the
    /// call's path arguments, each percent-encoded and refused when empty.
    pub(crate) path: &'static str,
    pub(crate) query: &'static [QueryParam],
    pub(crate) body: BodyRule,
    pub(crate) answer: Shape,
    pub(crate) idempotency: Idempotency,
    pub(crate) generation: &'static Generation,
    /// The `name` of the other generation's endpoint that does this job ("" when it has
    /// none), offered when the server does not serve this one.
    pub(crate) instead: &'static str,
}

impl Endpoint {
    /// The path of one call, with its segments and query filled and checked.
    pub(crate) fn path_for(&self, segments: &[&str], query: &[Option<&str>]) -> Result<String> {
        let mut path = String::with_capacity(self.path.len() + 32);
        let mut rest = self.path;
        let mut given = segments.iter();
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}').expect("a closed path parameter");
            let value = given.next().expect("one argument per path parameter");
            let what = words(&rest[open + 1..close]);
            if self.generation.numeric_keys {
                check_key(value, &what)?;
            }
            path.push_str(&rest[..open]);
            path.push_str(&segment(value, &what)?);
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        debug_assert!(
            given.next().is_none(),
            "more arguments than path parameters"
        );
        debug_assert_eq!(
            query.len(),
            self.query.len(),
            "one value per query parameter"
        );
        let mut separator = '?';
        for (param, value) in self.query.iter().zip(query) {
            let Some(value) = value else {
                if param.required {
                    return Err(Error::invalid_argument(format!(
                        "the {} is missing",
                        param.what
                    )));
                }
                continue;
            };
            if value.is_empty() {
                return Err(Error::invalid_argument(format!(
                    "the {} is empty",
                    param.what
                )));
            }
            if param.digits && !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::invalid_argument(format!(
                    "the {} must be a whole number",
                    param.what
                )));
            }
            path.push(separator);
            path.push_str(param.name);
            path.push('=');
            path.push_str(&query_value(value));
            separator = '&';
        }
        Ok(path)
    }
}

/// The longest key the servers accept (`^-?[0-9]+$`, at most 25 characters).
const MAX_KEY_CHARS: usize = 25;

/// A key of the engine: a decimal string.
fn check_key(value: &str, what: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_argument(format!("the {what} is empty")));
    }
    if value.len() > MAX_KEY_CHARS || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_argument(format!(
            "the {what} must be a decimal number of at most {MAX_KEY_CHARS} digits, as the \
             server gives keys (e.g. \"2251799813685249\")"
        )));
    }
    Ok(())
}

/// `taskId` -> `task id`: how a path parameter is named in error messages.
fn words(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push(' ');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_names_read_as_words() {
        assert_eq!(words("taskId"), "task id");
        assert_eq!(words("processDefinitionKey"), "process definition key");
    }
}
