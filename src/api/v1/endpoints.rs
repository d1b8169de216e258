//! The Tasklist v1 endpoints, one method each. Bodies go out as given (after a JSON check)
//! and answers come back as the server's JSON text.

use crate::api::body::{check_answer_shape, check_request_body, Shape};
use crate::api::path::{check_relative_path, query_value, segment};
use crate::api::Client;
use crate::error::{Error, Result};
use crate::transport::retry::Idempotency::{Safe, Unsafe};
use crate::transport::{Body, Method};

impl Client {
    /// `POST /v1/tasks/search`; `None` sends `{}` (the first 50 tasks that are not canceled).
    pub fn search_tasks(&self, query: Option<&str>) -> Result<String> {
        self.json_call(
            Method::Post,
            "/v1/tasks/search".into(),
            query,
            "query",
            Shape::Array,
            true,
        )
    }

    /// `GET /v1/tasks/{taskId}`.
    pub fn get_task(&self, task_id: &str) -> Result<String> {
        let path = format!("/v1/tasks/{}", segment(task_id, "task id")?);
        self.json_call(Method::Get, path, None, "", Shape::Object, true)
    }

    /// `PATCH /v1/tasks/{taskId}/assign`; `None` sends no body (a session user claims it).
    pub fn assign_task(&self, task_id: &str, request: Option<&str>) -> Result<String> {
        let path = format!("/v1/tasks/{}/assign", segment(task_id, "task id")?);
        self.json_call(
            Method::Patch,
            path,
            request,
            "assign request",
            Shape::Object,
            false,
        )
    }

    /// `PATCH /v1/tasks/{taskId}/unassign`.
    pub fn unassign_task(&self, task_id: &str) -> Result<String> {
        let path = format!("/v1/tasks/{}/unassign", segment(task_id, "task id")?);
        self.json_call(Method::Patch, path, None, "", Shape::Object, false)
    }

    /// `PATCH /v1/tasks/{taskId}/complete`; `None` completes without variables.
    pub fn complete_task(&self, task_id: &str, request: Option<&str>) -> Result<String> {
        let path = format!("/v1/tasks/{}/complete", segment(task_id, "task id")?);
        self.json_call(
            Method::Patch,
            path,
            request,
            "complete request",
            Shape::Object,
            false,
        )
    }

    /// `POST /v1/tasks/{taskId}/variables`: replaces the task's draft variables (204).
    pub fn save_draft_variables(&self, task_id: &str, request: &str) -> Result<()> {
        let path = format!("/v1/tasks/{}/variables", segment(task_id, "task id")?);
        check_request_body(request, "draft variables request")?;
        self.call(Method::Post, &path, Body::Json(request), Unsafe)
            .map(|_| ())
    }

    /// `POST /v1/tasks/{taskId}/variables/search`; `None` returns every variable.
    pub fn search_task_variables(&self, task_id: &str, request: Option<&str>) -> Result<String> {
        let path = format!(
            "/v1/tasks/{}/variables/search",
            segment(task_id, "task id")?
        );
        self.json_call(
            Method::Post,
            path,
            request,
            "variables query",
            Shape::Array,
            true,
        )
    }

    /// `GET /v1/variables/{variableId}` (the full value, never truncated).
    pub fn get_variable(&self, variable_id: &str) -> Result<String> {
        let path = format!("/v1/variables/{}", segment(variable_id, "variable id")?);
        self.json_call(Method::Get, path, None, "", Shape::Object, true)
    }

    /// `GET /v1/forms/{formId}?processDefinitionKey=...[&version=...]`.
    pub fn get_form(
        &self,
        form_id: &str,
        process_definition_key: &str,
        version: Option<&str>,
    ) -> Result<String> {
        if process_definition_key.is_empty() {
            return Err(Error::invalid_argument(
                "the process definition key is empty",
            ));
        }
        let mut path = format!(
            "/v1/forms/{}?processDefinitionKey={}",
            segment(form_id, "form id")?,
            query_value(process_definition_key)
        );
        if let Some(version) = version {
            if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::invalid_argument(
                    "the form version must be a whole number",
                ));
            }
            path.push_str("&version=");
            path.push_str(version);
        }
        self.json_call(Method::Get, path, None, "", Shape::Object, true)
    }

    /// `POST /v1/process-definitions/search` (Operate's v1 shape, served by combined
    /// deployments on the same base URL).
    pub fn search_process_definitions(&self, query: Option<&str>) -> Result<String> {
        self.json_call(
            Method::Post,
            "/v1/process-definitions/search".into(),
            query,
            "query",
            Shape::Object,
            true,
        )
    }

    /// Any other endpoint below the base URL, with the same authentication, retries and
    /// errors. Reads and searches (`GET`, or a path ending in `/search`) count as safe to
    /// repeat; everything else is retried only when it never reached the server.
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> Result<String> {
        let method = Method::parse(method)?;
        check_relative_path(path)?;
        if let Some(body) = body {
            check_request_body(body, "request body")?;
        }
        let path_only = path.split('?').next().unwrap_or(path);
        let idempotency = if method == Method::Get
            || (method == Method::Post && path_only.ends_with("/search"))
        {
            Safe
        } else {
            Unsafe
        };
        let body = match body {
            Some(text) => Body::Json(text),
            None if method == Method::Get || method == Method::Delete => Body::None,
            None => Body::Json("{}"),
        };
        Ok(self.call(method, path, body, idempotency)?.body)
    }

    fn json_call(
        &self,
        method: Method,
        path: String,
        body: Option<&str>,
        body_name: &str,
        shape: Shape,
        safe: bool,
    ) -> Result<String> {
        if let Some(text) = body {
            check_request_body(text, body_name)?;
        }
        let body = match (method, body) {
            (_, Some(text)) => Body::Json(text),
            (Method::Post, None) => Body::Json("{}"),
            _ => Body::None,
        };
        let answer = self.call(method, &path, body, if safe { Safe } else { Unsafe })?;
        check_answer_shape(&answer.body, shape, &format!("{} {path}", method.as_str()))?;
        Ok(answer.body)
    }
}
