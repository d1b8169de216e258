//! Task endpoints: search, get, assign, unassign, complete (reference §2.1–2.5).

use super::body::{self, check_json_value};
use super::problem::{problem, problem_without_instance, task_not_found};
use super::render::task_response;
use super::search;
use super::{ok_json, require_write};
use crate::auth::Caller;
use crate::dates::now_millis;
use crate::http::{Request, Response};
use crate::profile::Profile;
use crate::store::{Data, Implementation, Task, TaskState, Variable};
use std::sync::RwLock;

pub fn search(
    data: &RwLock<Data>,
    caller: &Caller,
    request: &Request,
    profile: &Profile,
) -> Response {
    let result = body::optional_object(request, "TaskSearchRequest")
        .and_then(|obj| search::parse(obj.as_ref(), profile, caller))
        .and_then(|query| search::search(&data.read().unwrap(), &query, profile));
    match result {
        Ok(json) => ok_json(json),
        Err(response) => response,
    }
}

pub fn get(data: &RwLock<Data>, task_id: &str, profile: &Profile) -> Response {
    match data.read().unwrap().task(task_id) {
        Some(task) => ok_json(task_response(task, profile)),
        None => task_not_found(task_id),
    }
}

/// 8.8: v1 commands cannot act on Camunda user tasks for API callers
/// (session users go through the application's own v2 path).
fn check_v1_can_command(task: &Task, caller: &Caller, profile: &Profile) -> Result<(), Response> {
    if profile.refuses_v1_commands_on_camunda_user_tasks
        && caller.is_api_user()
        && task.implementation == Implementation::ZeebeUserTask
    {
        return Err(problem(
            400,
            "This operation is not supported using Tasklist V1 API. Please use the latest API. For more information, refer to the documentation: https://docs.camunda.io/docs/apis-tools/migration-manuals/migrate-to-camunda-api/",
        ));
    }
    Ok(())
}

pub fn assign(
    data: &RwLock<Data>,
    caller: &Caller,
    task_id: &str,
    request: &Request,
    profile: &Profile,
) -> Response {
    let run = || -> Result<Response, Response> {
        require_write(caller)?;
        let obj = body::optional_object(request, "TaskAssignRequest")?.unwrap_or_default();
        let assignee = body::string(&obj, "assignee")?.filter(|a| !a.is_empty());
        let allow_override = body::boolean(&obj, "allowOverrideAssignment")?.unwrap_or(true);
        if caller.is_api_user() && assignee.is_none() {
            return Err(problem(400, "Assignee must be specified"));
        }
        if !caller.is_api_user() && assignee.as_deref().is_some_and(|a| a != caller.user_id()) {
            // Checked before the lookup: even unknown tasks answer 403 here.
            return Err(problem(
                403,
                "User doesn't have the permission to assign another user to this task",
            ));
        }
        let mut data = data.write().unwrap();
        let task = data.task(task_id).ok_or_else(|| task_not_found(task_id))?;
        check_v1_can_command(task, caller, profile)?;
        if task.state != TaskState::Created {
            return Err(problem(400, "Task is not active"));
        }
        if !(caller.is_api_user() && allow_override) && task.assignee.is_some() {
            return Err(problem(400, "Task is already assigned"));
        }
        let (key, assignee) = (
            task.key,
            assignee.unwrap_or_else(|| caller.user_id().to_string()),
        );
        let task = data
            .update_task(key, |t| t.assignee = Some(assignee))
            .expect("looked up above");
        Ok(ok_json(task_response(task, profile)))
    };
    run().unwrap_or_else(|e| e)
}

pub fn unassign(
    data: &RwLock<Data>,
    caller: &Caller,
    task_id: &str,
    profile: &Profile,
) -> Response {
    let run = || -> Result<Response, Response> {
        require_write(caller)?;
        let mut data = data.write().unwrap();
        let task = data.task(task_id).ok_or_else(|| task_not_found(task_id))?;
        check_v1_can_command(task, caller, profile)?;
        if task.state != TaskState::Created {
            return Err(problem(400, "Task is not active"));
        }
        if task.assignee.is_none() {
            return Err(problem(400, "Task is not assigned"));
        }
        let key = task.key;
        let task = data
            .update_task(key, |t| t.assignee = None)
            .expect("looked up above");
        Ok(ok_json(task_response(task, profile)))
    };
    run().unwrap_or_else(|e| e)
}

/// The checks shared by complete and save-draft (TaskValidator): the task
/// must be active and, for session users, assigned to the caller.
pub fn check_can_work_on(task: &Task, caller: &Caller) -> Result<(), Response> {
    if task.state != TaskState::Created {
        return Err(problem(400, "Task is not active"));
    }
    if !caller.is_api_user() {
        match task.assignee.as_deref() {
            None => return Err(problem(400, "Task is not assigned")),
            Some(a) if a != caller.user_id() => {
                return Err(problem(
                    400,
                    &format!("Task is not assigned to {}", caller.user_id()),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

pub fn complete(
    data: &RwLock<Data>,
    caller: &Caller,
    task_id: &str,
    request: &Request,
    profile: &Profile,
) -> Response {
    let run = || -> Result<Response, Response> {
        require_write(caller)?;
        let obj = body::optional_object(request, "TaskCompleteRequest")?.unwrap_or_default();
        let inputs = body::variable_inputs(&obj)?;
        // TaskService parses the values before it looks at the task, and
        // wraps Jackson's failure in a runtime exception: 500, no instance.
        for (_, value) in &inputs {
            check_json_value(value).map_err(|message| problem_without_instance(500, &message))?;
        }
        let mut data = data.write().unwrap();
        let task = data.task(task_id).ok_or_else(|| task_not_found(task_id))?;
        check_v1_can_command(task, caller, profile)?;
        check_can_work_on(task, caller)?;
        let key = task.key;
        // Snapshot = visible variables, overlaid by drafts, then by the
        // completion variables; the drafts are deleted.
        let mut snapshot: Vec<(String, String)> = data
            .visible_variables(task)
            .into_iter()
            .map(|v| (v.name.clone(), v.value.clone()))
            .collect();
        let drafts = data.drafts.remove(&key).unwrap_or_default();
        for (name, value) in drafts.into_iter().map(|d| (d.name, d.value)).chain(inputs) {
            match snapshot.iter_mut().find(|(n, _)| *n == name) {
                Some(entry) => entry.1 = value,
                None => snapshot.push((name, value)),
            }
        }
        let snapshot = snapshot
            .iter()
            .map(|(name, value)| Variable::new(key, name, value))
            .collect();
        data.snapshots.insert(key, snapshot);
        let task = data
            .update_task(key, |t| {
                t.state = TaskState::Completed;
                t.completion_ms = Some(now_millis());
            })
            .expect("looked up above");
        Ok(ok_json(task_response(task, profile)))
    };
    run().unwrap_or_else(|e| e)
}
