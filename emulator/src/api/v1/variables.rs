//! Variable endpoints: save drafts, search a task's variables, get one
//! variable (reference §2.6–2.8).

use super::body::{self, check_json_value};
use super::problem::{problem, problem_without_instance, task_not_found};
use super::render::{push_variable_search, variable_response};
use super::search::include_variable;
use super::tasks::check_can_work_on;
use super::{ok_json, require_write};
use crate::auth::Caller;
use crate::http::{Request, Response};
use crate::profile::Profile;
use crate::store::{Data, TaskState, Variable};
use serde_json::Value;
use std::sync::RwLock;

pub fn save_drafts(
    data: &RwLock<Data>,
    caller: &Caller,
    task_id: &str,
    request: &Request,
    profile: &Profile,
) -> Response {
    let run = || -> Result<Response, Response> {
        require_write(caller)?;
        let obj = body::required_object(
            request,
            "SaveVariablesRequest",
            "TaskController.saveDraftTaskVariables(java.lang.String,io.camunda.tasklist.webapp.api.rest.v1.entities.SaveVariablesRequest)",
        )?;
        if profile.draft_null_inputs_are_500 && has_null_inputs(&obj) {
            // 8.4 iterates a null list / parses a null value.
            return Err(problem_without_instance(
                500,
                "Unexpected server error occurred.",
            ));
        }
        let inputs = body::variable_inputs(&obj)?;
        let mut data = data.write().unwrap();
        let task = data.task(task_id).ok_or_else(|| task_not_found(task_id))?;
        check_can_work_on(task, caller)?;
        for (_, value) in &inputs {
            check_json_value(value).map_err(|message| problem(400, &message))?;
        }
        let key = task.key;
        let current: Vec<Variable> = data.visible_variables(task).into_iter().cloned().collect();
        // Replace semantics: the new set is all that remains. A draft is kept
        // only when it is new or differs from the variable's value.
        let mut drafts: Vec<Variable> = Vec::new();
        for (name, value) in inputs {
            drafts.retain(|d| d.name != name);
            match current.iter().find(|v| v.name == name) {
                Some(existing) if existing.value == value => {}
                Some(existing) => drafts.push(Variable {
                    id: existing.id.clone(),
                    name,
                    value,
                }),
                None => drafts.push(Variable {
                    id: format!("{key}-{name}"),
                    name,
                    value,
                }),
            }
        }
        if drafts.is_empty() {
            data.drafts.remove(&key);
        } else {
            data.drafts.insert(key, drafts);
        }
        Ok(Response::new(204))
    };
    run().unwrap_or_else(|e| e)
}

/// No `variables` list, or a variable without a `value`.
fn has_null_inputs(obj: &body::Object) -> bool {
    match obj.get("variables") {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items
            .iter()
            .any(|v| matches!(v.get("value"), None | Some(Value::Null))),
        Some(_) => false,
    }
}

pub fn search(
    data: &RwLock<Data>,
    task_id: &str,
    request: &Request,
    profile: &Profile,
) -> Response {
    let run = || -> Result<Response, Response> {
        let obj = body::optional_object(request, "VariablesSearchRequest")?.unwrap_or_default();
        let names = body::string_list(&obj, "variableNames")?.unwrap_or_default();
        // 8.5+: `includeVariables` instead, with `alwaysReturnFullValue`.
        let mut included: Vec<(String, bool)> = Vec::new();
        if profile.v85_task_fields {
            for v in body::object_list(&obj, "includeVariables", "IncludeVariable")? {
                included.push(include_variable(v, profile)?);
            }
            if !names.is_empty() && !included.is_empty() {
                return Err(problem(
                    400,
                    "Only one of [variableNames, includeVariables] must be present in request.",
                ));
            }
        }
        let wanted = |name: &str| {
            (names.is_empty() && included.is_empty())
                || names.iter().any(|n| n == name)
                || included.iter().any(|(n, _)| n == name)
        };
        let full = |name: &str| included.iter().any(|(n, f)| n == name && *f);
        let data = data.read().unwrap();
        let task = data.task(task_id).ok_or_else(|| task_not_found(task_id))?;
        let visible = data.visible_variables(task);
        let drafts = if task.state == TaskState::Created {
            data.drafts_of(task.key)
        } else {
            &[]
        };
        // (name, id, original value, draft value), sorted by name.
        let mut entries: Vec<(&str, &str, Option<&str>, Option<&str>)> = visible
            .iter()
            .map(|v| {
                let draft = drafts
                    .iter()
                    .find(|d| d.name == v.name)
                    .map(|d| d.value.as_str());
                (
                    v.name.as_str(),
                    v.id.as_str(),
                    Some(v.value.as_str()),
                    draft,
                )
            })
            .collect();
        for d in drafts {
            if !visible.iter().any(|v| v.name == d.name) {
                entries.push((&d.name, &d.id, None, Some(&d.value)));
            }
        }
        entries.retain(|(name, ..)| wanted(name));
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::from("[");
        for (i, (name, id, value, draft)) in entries.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_variable_search(&mut out, id, name, value, draft, full(name));
        }
        out.push(']');
        Ok(ok_json(out))
    };
    run().unwrap_or_else(|e| e)
}

pub fn get(data: &RwLock<Data>, variable_id: &str) -> Response {
    match data.read().unwrap().find_variable(variable_id) {
        Some(found) => ok_json(variable_response(&found)),
        None => problem(404, &format!("Variable with id {variable_id} not found.")),
    }
}
