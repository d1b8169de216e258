//! `/v2/user-tasks`: search and get (reads, from the export view), and the
//! commands assign, unassign, complete and update (on the store at once,
//! through `Data::update_task` like v1's, so both generations see one
//! task). A command may be held by a simulated blocking task listener (an
//! admin listener fault): the task then sits in ASSIGNING, UPDATING or
//! COMPLETING, other commands get 409, and a listener that outlasts the
//! request timeout makes the command answer 504.

use super::body::{self, Object};
use super::filter::{self, Cond, Field, Kind};
use super::paging::{self, PageRequest};
use super::problem::Problem;
use super::render::{self, push_task, task_state};
use super::{no_content, ok_json, parse_key, Answer};
use crate::admin::ListenerHold;
use crate::dates::{now_millis, parse_request_date};
use crate::profile::Profile;
use crate::router::Call;
use crate::store::{Data, InstanceState, Task, TaskState, Transition, Variable, DEFAULT_TENANT};
use serde_json::Value;
use std::time::Duration;

const STATES: &[&str] = &[
    "CREATING",
    "CREATED",
    "ASSIGNING",
    "UPDATING",
    "COMPLETING",
    "COMPLETED",
    "CANCELING",
    "CANCELED",
    "FAILED",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TaskField {
    State,
    Assignee,
    Priority,
    ElementId,
    Name,
    CandidateGroup,
    CandidateUser,
    TenantId,
    ProcessDefinitionId,
    CreationDate,
    CompletionDate,
    FollowUpDate,
    DueDate,
    UserTaskKey,
    ProcessDefinitionKey,
    ProcessInstanceKey,
    ElementInstanceKey,
    BusinessId,
}

/// The filter fields this version knows: (name, field, kind, operators).
fn filter_field(name: &str, profile: &Profile) -> Option<(TaskField, Kind, bool)> {
    use TaskField::*;
    let process_ops = profile.v2_process_filter_operators;
    Some(match name {
        "state" => (State, Kind::State(STATES), true),
        "assignee" => (Assignee, Kind::String, true),
        "priority" => (Priority, Kind::Integer, true),
        "elementId" => (ElementId, Kind::BasicString, false),
        "name" => (Name, Kind::String, profile.v2_name_filter_operators),
        "candidateGroup" => (CandidateGroup, Kind::String, true),
        "candidateUser" => (CandidateUser, Kind::String, true),
        "tenantId" => (TenantId, Kind::String, true),
        "processDefinitionId" => (ProcessDefinitionId, Kind::String, process_ops),
        "creationDate" => (CreationDate, Kind::DateTime, true),
        "completionDate" => (CompletionDate, Kind::DateTime, true),
        "followUpDate" => (FollowUpDate, Kind::DateTime, true),
        "dueDate" => (DueDate, Kind::DateTime, true),
        "userTaskKey" => (UserTaskKey, Kind::Key, false),
        "processDefinitionKey" => (ProcessDefinitionKey, Kind::Key, process_ops),
        "processInstanceKey" => (ProcessInstanceKey, Kind::Key, process_ops),
        "elementInstanceKey" => (ElementInstanceKey, Kind::Key, false),
        "businessId" if profile.v2_task_business_id => (BusinessId, Kind::String, true),
        _ => return None,
    })
}

fn single(task: &Task, field: TaskField) -> Option<Field<'_>> {
    use TaskField::*;
    match field {
        State => Some(Field::Text(task_state(task))),
        Assignee => task.assignee.as_deref().map(Field::Text),
        Priority => Some(Field::Int(i64::from(task.priority))),
        ElementId => Some(Field::Text(&task.task_definition_id)),
        Name => Some(Field::Text(
            task.name.as_deref().unwrap_or(&task.task_definition_id),
        )),
        TenantId => Some(Field::Text(DEFAULT_TENANT)),
        ProcessDefinitionId => Some(Field::Text(&task.bpmn_process_id)),
        CreationDate => Some(Field::Int(task.creation_ms)),
        CompletionDate => task.completion_ms.map(Field::Int),
        FollowUpDate => task.follow_up_ms.map(Field::Int),
        DueDate => task.due_ms.map(Field::Int),
        UserTaskKey => Some(Field::Int(task.key)),
        ProcessDefinitionKey => Some(Field::Int(task.process_definition_key)),
        ProcessInstanceKey => Some(Field::Int(task.process_instance_key)),
        ElementInstanceKey => Some(Field::Int(task.element_instance_key)),
        BusinessId => None,
        CandidateGroup | CandidateUser => None,
    }
}

#[derive(Default)]
struct TaskFilter {
    fields: Vec<(TaskField, Cond)>,
    /// Required tags (8.9+); tasks have none, so any tag matches nothing.
    tags: Vec<String>,
    instance_variables: Vec<(String, Cond)>,
    local_variables: Vec<(String, Cond)>,
}

fn variable_conditions(list: &Value, path: &str) -> Result<Vec<(String, Cond)>, Problem> {
    let Value::Array(items) = list else {
        return Err(Problem::bad_request(format!(
            "Request property [{path}] cannot be parsed"
        )));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let Value::Object(obj) = item else {
            return Err(Problem::bad_request(format!(
                "Request property [{p}] cannot be parsed"
            )));
        };
        body::closed(obj, &["name", "value"], &p)?;
        let name = body::string(obj, "name", &p)?
            .ok_or_else(|| Problem::invalid_argument("No name provided."))?;
        let value = obj
            .get("value")
            .ok_or_else(|| Problem::invalid_argument("No value provided."))?;
        out.push((
            name,
            filter::parse(value, Kind::String, true, &format!("{p}.value"))?,
        ));
    }
    Ok(out)
}

fn parse_filter(obj: &Object, profile: &Profile) -> Result<TaskFilter, Problem> {
    let mut parsed = TaskFilter::default();
    let Some(filter) = body::object(obj, "filter", "")? else {
        return Ok(parsed);
    };
    for (name, value) in filter {
        let path = format!("filter.{name}");
        if value.is_null() {
            continue;
        }
        match name.as_str() {
            "processInstanceVariables" => {
                parsed.instance_variables = variable_conditions(value, &path)?
            }
            "localVariables" => parsed.local_variables = variable_conditions(value, &path)?,
            "tags" if profile.v2_root_keys_and_tags => {
                parsed.tags = body::string_list(filter, "tags", "filter")?.unwrap_or_default()
            }
            _ => {
                let (field, kind, operators) = filter_field(name, profile).ok_or_else(|| {
                    Problem::bad_request(format!("Request property [{path}] cannot be parsed"))
                })?;
                parsed
                    .fields
                    .push((field, filter::parse(value, kind, operators, &path)?));
            }
        }
    }
    Ok(parsed)
}

fn variable_matches(data: &Data, scope: i64, conditions: &[(String, Cond)]) -> bool {
    if conditions.is_empty() {
        return true;
    }
    let vars = data.variables.get(&scope).map(Vec::as_slice).unwrap_or(&[]);
    conditions.iter().all(|(name, cond)| {
        vars.iter()
            .any(|v| &v.name == name && cond.matches(Some(Field::Text(&v.value))))
    })
}

impl TaskFilter {
    fn matches(&self, data: &Data, task: &Task) -> bool {
        let fields_match = self.fields.iter().all(|(field, cond)| match field {
            TaskField::CandidateGroup => {
                cond.matches_any(task.candidate_groups.as_deref().unwrap_or(&[]))
            }
            TaskField::CandidateUser => {
                cond.matches_any(task.candidate_users.as_deref().unwrap_or(&[]))
            }
            _ => cond.matches(single(task, *field)),
        });
        fields_match
            && self.tags.is_empty()
            && variable_matches(data, task.process_instance_key, &self.instance_variables)
            && variable_matches(data, task.element_instance_key, &self.local_variables)
    }
}

fn sort_fields(profile: &Profile) -> &'static [&'static str] {
    if profile.v2_task_business_id {
        &[
            "creationDate",
            "completionDate",
            "followUpDate",
            "dueDate",
            "priority",
            "name",
            "businessId",
        ]
    } else {
        &[
            "creationDate",
            "completionDate",
            "followUpDate",
            "dueDate",
            "priority",
            "name",
        ]
    }
}

fn sort_value<'a>(task: &'a Task, field: &str) -> Option<Field<'a>> {
    match field {
        "creationDate" => Some(Field::Int(task.creation_ms)),
        "completionDate" => task.completion_ms.map(Field::Int),
        "followUpDate" => task.follow_up_ms.map(Field::Int),
        "dueDate" => task.due_ms.map(Field::Int),
        "priority" => Some(Field::Int(i64::from(task.priority))),
        "name" => Some(Field::Text(
            task.name.as_deref().unwrap_or(&task.task_definition_id),
        )),
        _ => None,
    }
}

/// `POST /v2/user-tasks/search`
pub fn search(c: &Call<'_>) -> Answer {
    let obj = body::optional_object(c.request)?.unwrap_or_default();
    body::closed(&obj, &["filter", "sort", "page"], "")?;
    let filter = parse_filter(&obj, c.profile)?;
    let mut criteria = body::sort(&obj, sort_fields(c.profile))?;
    let page: PageRequest = paging::parse(&obj, c.profile, true)?;
    // The store keeps tasks newest first (key ascending on ties): that
    // is the default order, so the common search sorts nothing.
    let presorted = criteria.is_empty();
    if presorted {
        criteria.push(("creationDate".into(), true));
    }
    let now = now_millis();
    let data = c.data.read().unwrap();
    let matched: Vec<&Task> = data
        .tasks()
        .iter()
        .filter_map(|t| t.exported(now))
        .filter(|t| filter.matches(&data, t))
        .collect();
    let descending: Vec<bool> = criteria.iter().map(|(_, d)| *d).collect();
    let paged = paging::apply(
        matched,
        presorted,
        &descending,
        |t: &Task| criteria.iter().map(|(f, _)| sort_value(t, f)).collect(),
        |t| t.key,
        &page,
    );
    let per_item = paged
        .items
        .first()
        .map_or(0, |t| t.rendered().v2.len() + 96);
    let mut out = String::with_capacity(128 + per_item * paged.items.len());
    out.push_str("{\"items\":[");
    for (i, task) in paged.items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_task(&mut out, task, c.profile);
    }
    out.push_str("],");
    paging::push_page(&mut out, &paged, c.profile);
    out.push('}');
    ok_json(out)
}

pub fn task_key(c: &Call<'_>) -> Result<i64, Problem> {
    parse_key(c.params[0], "userTaskKey")
}

fn read_not_found(key: i64) -> Problem {
    Problem::not_found(format!("User Task with key '{key}' not found"))
}

/// The task as reads see it now, or the read 404.
pub fn exported(data: &Data, key: i64) -> Result<&Task, Problem> {
    data.task(&key.to_string())
        .and_then(|t| t.exported(now_millis()))
        .ok_or_else(|| read_not_found(key))
}

/// `GET /v2/user-tasks/{userTaskKey}`
pub fn get(c: &Call<'_>) -> Answer {
    let key = task_key(c)?;
    let data = c.data.read().unwrap();
    let task = exported(&data, key)?;
    let mut out = String::with_capacity(task.rendered().v2.len() + 96);
    push_task(&mut out, task, c.profile);
    ok_json(out)
}

/// `GET /v2/user-tasks/{userTaskKey}/form`: linked forms only; 204 when
/// the task has none.
pub fn form(c: &Call<'_>) -> Answer {
    let key = task_key(c)?;
    let data = c.data.read().unwrap();
    let task = exported(&data, key)?;
    let (Some(false), Some(form_id), Some(version)) =
        (task.is_form_embedded, &task.form_id, task.form_version)
    else {
        return no_content();
    };
    match data.find_form(
        form_id,
        &task.process_definition_key.to_string(),
        Some(version),
    ) {
        Some(found) => ok_json(render::form(form_id, version, found.schema)),
        None => Err(Problem::new(
            404,
            "Not Found",
            format!(
                "Form with key '{}' not found",
                render::form_key(form_id, version)
            ),
        )),
    }
}

/// A command's verb in the engine's texts and its intent.
#[derive(Clone, Copy)]
struct Command {
    intent: &'static str,
    verb: &'static str,
    transition: Transition,
}

const ASSIGN: Command = Command {
    intent: "ASSIGN",
    verb: "assign",
    transition: Transition::Assigning,
};
const UPDATE: Command = Command {
    intent: "UPDATE",
    verb: "update",
    transition: Transition::Updating,
};
const COMPLETE: Command = Command {
    intent: "COMPLETE",
    verb: "complete",
    transition: Transition::Completing,
};

/// The task as the engine has it: gone once completed or canceled (404),
/// busy while a listener holds a command (409).
fn engine_task(data: &Data, key: i64, command: Command) -> Result<&Task, Problem> {
    let task = data
        .task(&key.to_string())
        .filter(|t| t.state == TaskState::Created)
        .ok_or_else(|| {
            Problem::rejected(
                command.intent,
                "NOT_FOUND",
                &format!(
                    "Expected to {} user task with key '{key}', but no such user task was found",
                    command.verb
                ),
            )
        })?;
    if task.transition.is_some() {
        return Err(Problem::rejected(
            command.intent,
            "INVALID_STATE",
            &format!(
                "Expected to {} user task with key '{key}', but it is in state '{}'",
                command.verb,
                task_state(task)
            ),
        ));
    }
    Ok(task)
}

fn deadline_exceeded() -> Problem {
    Problem::new(
        504,
        "DEADLINE_EXCEEDED",
        "Expected to handle REST API request, but request timed out between gateway and broker",
    )
}

/// Runs a command: `check` against the engine's task, then `apply` to the
/// store, unless a listener fault holds it first (see the module doc).
fn execute(
    c: &Call<'_>,
    key: i64,
    command: Command,
    check: impl FnOnce(&Task) -> Result<(), Problem>,
    apply: impl FnOnce(&mut Data, i64),
) -> Answer {
    super::require_write(c, "UPDATE_USER_TASK", "PROCESS_DEFINITION")?;
    let hold = {
        let mut data = c.data.write().unwrap();
        check(engine_task(&data, key, command)?)?;
        match c.instruments.take_listener(command.intent) {
            None => {
                apply(&mut data, key);
                return no_content();
            }
            Some(hold) => {
                data.update_task(key, |t| t.transition = Some(command.transition));
                hold
            }
        }
    };
    let timeout = c.request_timeout_ms;
    match hold {
        ListenerHold::For(ms) if ms < timeout => {
            std::thread::sleep(Duration::from_millis(ms));
            let mut data = c.data.write().unwrap();
            data.update_task(key, |t| t.transition = None);
            // Reset or release in the meantime: the task may be gone.
            if data
                .task(&key.to_string())
                .is_some_and(|t| t.state == TaskState::Created)
            {
                apply(&mut data, key);
            }
            no_content()
        }
        // The listener outlasts the request: 504, and the task stays
        // held (until `/__emulator/release-listeners` or a reset).
        _ => {
            std::thread::sleep(Duration::from_millis(timeout));
            Err(deadline_exceeded())
        }
    }
}

/// `POST /v2/user-tasks/{userTaskKey}/assignment`
pub fn assign(c: &Call<'_>) -> Answer {
    let key = task_key(c)?;
    let obj = body::required_object(c.request)?;
    body::closed(&obj, &["assignee", "allowOverride", "action"], "")?;
    let assignee = body::string(&obj, "assignee", "")?.filter(|a| !a.is_empty());
    let allow_override = body::boolean(&obj, "allowOverride", "")?.unwrap_or(true);
    body::string(&obj, "action", "")?;
    let Some(assignee) = assignee else {
        return Err(Problem::invalid_argument("No assignee provided."));
    };
    execute(
        c,
        key,
        ASSIGN,
        |task| {
            match &task.assignee {
            Some(current) if !allow_override => Err(Problem::rejected(
                "ASSIGN",
                "INVALID_STATE",
                &format!(
                    "Expected to assign user task with key '{key}', but it is already assigned to '{current}'"
                ),
            )),
            _ => Ok(()),
        }
        },
        |data, key| {
            data.update_task(key, |t| t.assignee = Some(assignee));
        },
    )
}

/// `DELETE /v2/user-tasks/{userTaskKey}/assignee`: idempotent.
pub fn unassign(c: &Call<'_>) -> Answer {
    let key = task_key(c)?;
    execute(
        c,
        key,
        ASSIGN,
        |_| Ok(()),
        |data, key| {
            data.update_task(key, |t| t.assignee = None);
        },
    )
}

/// Sets a variable (JSON text) at `scope`, replacing one of that name.
pub fn set_variable(data: &mut Data, scope: i64, name: &str, value: String) {
    let vars = data.variables.entry(scope).or_default();
    match vars.iter_mut().find(|v| v.name == name) {
        Some(v) => v.value = value,
        None => vars.push(Variable::new(scope, name, &value)),
    }
}

/// Variables of a command body: an object of JSON values, kept as text.
pub fn variables_of(obj: &Object, field: &str) -> Result<Vec<(String, String)>, Problem> {
    Ok(body::object(obj, field, "")?
        .map(|vars| {
            vars.iter()
                .map(|(name, value)| (name.clone(), value.to_string()))
                .collect()
        })
        .unwrap_or_default())
}

/// `POST /v2/user-tasks/{userTaskKey}/completion`: the variables go where
/// a variable of the name exists (the task's scope, else the process
/// instance); the task and its instance complete.
pub fn complete(c: &Call<'_>) -> Answer {
    let key = task_key(c)?;
    let obj = body::optional_object(c.request)?.unwrap_or_default();
    body::closed(&obj, &["variables", "action"], "")?;
    let variables = variables_of(&obj, "variables")?;
    body::string(&obj, "action", "")?;
    execute(
        c,
        key,
        COMPLETE,
        |_| Ok(()),
        |data, key| {
            let Some(task) = data.task(&key.to_string()) else {
                return;
            };
            let (local, instance) = (task.element_instance_key, task.process_instance_key);
            for (name, value) in variables {
                let in_local = data
                    .variables
                    .get(&local)
                    .is_some_and(|vars| vars.iter().any(|v| v.name == name));
                set_variable(data, if in_local { local } else { instance }, &name, value);
            }
            // What v1 shows of a completed task's variables.
            let task = data.task(&key.to_string()).expect("looked up above");
            let snapshot = data
                .visible_variables(task)
                .into_iter()
                .map(|v| Variable::new(key, &v.name, &v.value))
                .collect();
            data.snapshots.insert(key, snapshot);
            data.drafts.remove(&key);
            let now = now_millis();
            data.update_task(key, |t| {
                t.state = TaskState::Completed;
                t.completion_ms = Some(now);
            });
            data.end_instance(instance, InstanceState::Completed, now);
        },
    )
}

fn date_change(changeset: &Object, field: &str) -> Result<Option<Option<i64>>, Problem> {
    match body::string(changeset, field, "changeset")? {
        None => Ok(None),
        Some(text) if text.is_empty() => Ok(Some(None)),
        Some(text) => parse_request_date(&text)
            .map(|ms| Some(Some(ms)))
            .ok_or_else(|| {
                Problem::bad_request(format!(
                    "Request property [changeset.{field}] cannot be parsed"
                ))
            }),
    }
}

/// `PATCH /v2/user-tasks/{userTaskKey}`: absolute values; `""` clears a
/// date, `[]` a list; other changeset keys are ignored.
pub fn update(c: &Call<'_>) -> Answer {
    let key = task_key(c)?;
    let obj = body::optional_object(c.request)?.unwrap_or_default();
    body::closed(&obj, &["changeset", "action"], "")?;
    let action = body::string(&obj, "action", "")?;
    let empty = Object::new();
    let changeset = body::object(&obj, "changeset", "")?.unwrap_or(&empty);
    let due = date_change(changeset, "dueDate")?;
    let follow_up = date_change(changeset, "followUpDate")?;
    let users = body::string_list(changeset, "candidateUsers", "changeset")?;
    let groups = body::string_list(changeset, "candidateGroups", "changeset")?;
    let priority = body::integer(changeset, "priority", "changeset")?;
    if let Some(p) = priority.filter(|p| !(0..=100).contains(p)) {
        return Err(Problem::invalid_argument(format!(
            "The value for priority is '{p}' but must be within the [0,100] range."
        )));
    }
    let nothing = due.is_none()
        && follow_up.is_none()
        && users.is_none()
        && groups.is_none()
        && priority.is_none();
    if nothing && action.is_none() {
        return Err(Problem::invalid_argument(
            "No update data provided. Provide at least an \"action\" or a non-null value for at least one of the following attributes: candidateGroups, candidateUsers, dueDate, followUpDate, priority.",
        ));
    }
    let list = |l: Vec<String>| (!l.is_empty()).then_some(l);
    execute(
        c,
        key,
        UPDATE,
        |_| Ok(()),
        |data, key| {
            data.update_task(key, |t| {
                if let Some(d) = due {
                    t.due_ms = d;
                }
                if let Some(d) = follow_up {
                    t.follow_up_ms = d;
                }
                if let Some(u) = users {
                    t.candidate_users = list(u);
                }
                if let Some(g) = groups {
                    t.candidate_groups = list(g);
                }
                if let Some(p) = priority {
                    t.priority = p as i32;
                }
            });
        },
    )
}
