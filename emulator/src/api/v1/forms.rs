//! GET /v1/forms/{formId}?processDefinitionKey=&version= (reference §2.9).

use super::ok_json;
use super::problem::problem;
use super::render::form_response;
use crate::http::{Request, Response};
use crate::store::Data;
use std::sync::RwLock;

pub const TYPE_MISMATCH: &str = "MethodArgumentTypeMismatchException";

pub fn get(data: &RwLock<Data>, form_id: &str, request: &Request) -> Response {
    let Some(process_definition_key) = request.query_param("processDefinitionKey") else {
        return problem(
            400,
            "Required request parameter 'processDefinitionKey' for method parameter type String is not present",
        );
    };
    let version = match request.query_param("version").filter(|v| !v.is_empty()) {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                // The router makes this the catch-all 500 where the
                // version has no handler for it.
                return problem(
                    400,
                    &format!("Method parameter 'version': Failed to convert value of type 'java.lang.String' to required type 'java.lang.Long'; For input string: \"{text}\""),
                )
                .raised(TYPE_MISMATCH);
            }
        },
    };
    match data
        .read()
        .unwrap()
        .find_form(form_id, process_definition_key, version)
    {
        Some(form) => ok_json(form_response(form_id, process_definition_key, &form)),
        None => problem(404, &format!("form with id {form_id} was not found")),
    }
}
