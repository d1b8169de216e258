//! POST /v1/tasks/search: the 8.4 filters, ordering and the four cursors,
//! following TaskStoreElasticSearch (reference §2.1, §5.1, §7).
//! The request shape and the `sortValues` cursors are v1's own (v2
//! searches page differently), so the search lives with the v1 API; it
//! reads the store's tasks and copies their cached v1 JSON.

use super::body::{self, Object};
use super::problem::{problem, problem_without_instance};
use super::render::{push_variable_search, push_version_fields};
use crate::auth::Caller;
use crate::dates::{millis_of, parse_request_date};
use crate::http::Response;
use crate::json_text::push_json_opt_string;
use crate::profile::Profile;
use crate::store::{Data, Implementation, Task, TaskState};
use serde_json::Value;
use std::cmp::Ordering;

const DEFAULT_PAGE_SIZE: i64 = 50;
/// Elasticsearch's `index.max_result_window`: larger pages fail in the store.
const MAX_RESULT_WINDOW: i64 = 10_000;
const TASK_STATE: &str = "io.camunda.tasklist.webapp.api.rest.v1.entities.TaskState";

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortField {
    CreationTime,
    CompletionTime,
    FollowUpDate,
    DueDate,
    Priority,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cursor {
    After,
    AfterOrEqual,
    Before,
    BeforeOrEqual,
}

struct DateRange {
    from: Option<i64>,
    to: Option<i64>,
}

impl DateRange {
    fn contains(&self, value: Option<i64>) -> bool {
        let Some(v) = value else { return false };
        self.from.is_none_or(|f| v >= f) && self.to.is_none_or(|t| v <= t)
    }
}

/// `{eq, gt, gte, lt, lte}` on the priority (8.6).
#[derive(Default)]
struct RangeFilter {
    eq: Option<i64>,
    gt: Option<i64>,
    gte: Option<i64>,
    lt: Option<i64>,
    lte: Option<i64>,
}

impl RangeFilter {
    fn contains(&self, v: i64) -> bool {
        self.eq.is_none_or(|x| v == x)
            && self.gt.is_none_or(|x| v > x)
            && self.gte.is_none_or(|x| v >= x)
            && self.lt.is_none_or(|x| v < x)
            && self.lte.is_none_or(|x| v <= x)
    }
}

pub struct TaskQuery {
    state: Option<TaskState>,
    /// `state: FAILED` (8.5+): the emulator has no failed tasks.
    failed_only: bool,
    assignees: Option<Vec<String>>,
    candidate_groups: Option<Vec<String>>,
    candidate_users: Option<Vec<String>>,
    implementation: Option<Implementation>,
    priority: Option<RangeFilter>,
    assigned: Option<bool>,
    assignee: Option<String>,
    task_definition_id: Option<String>,
    candidate_group: Option<String>,
    candidate_user: Option<String>,
    process_definition_key: Option<String>,
    process_instance_key: Option<String>,
    page_size: usize,
    follow_up: Option<DateRange>,
    due: Option<DateRange>,
    task_variables: Vec<(String, String)>,
    /// (field, descending)
    sort: Vec<(SortField, bool)>,
    cursor: Option<(Cursor, Vec<String>)>,
    /// (name, alwaysReturnFullValue: 8.5+)
    include_variables: Option<Vec<(String, bool)>>,
}

/// Parses and validates the body, in the order TaskService checks it.
/// Fields a version does not know are ignored, as Jackson ignores unknown
/// properties.
pub fn parse(
    obj: Option<&Object>,
    profile: &Profile,
    caller: &Caller,
) -> Result<TaskQuery, Response> {
    let empty = Object::new();
    let obj = obj.unwrap_or(&empty);
    let states: &[&str] = if profile.v85_task_fields {
        &["CREATED", "COMPLETED", "CANCELED", "FAILED"]
    } else {
        &["CREATED", "COMPLETED", "CANCELED"]
    };
    let state_text = body::enumeration(obj, "state", TASK_STATE, states)?;
    let failed_only = state_text.as_deref() == Some("FAILED");
    let state = state_text.map(|s| match s.as_str() {
        "CREATED" => TaskState::Created,
        "COMPLETED" => TaskState::Completed,
        _ => TaskState::Canceled,
    });
    let sort_fields: &[&str] = if profile.priority {
        &[
            "completionTime",
            "creationTime",
            "followUpDate",
            "dueDate",
            "priority",
        ]
    } else {
        &["completionTime", "creationTime", "followUpDate", "dueDate"]
    };
    let mut sort = Vec::new();
    for entry in body::object_list(obj, "sort", "TaskOrderBy")? {
        let field = body::enumeration(
            entry,
            "field",
            "io.camunda.tasklist.webapp.graphql.entity.TaskSortFields",
            sort_fields,
        )?;
        let order = body::enumeration(
            entry,
            "order",
            "io.camunda.tasklist.webapp.api.rest.v1.entities.SortDirection",
            &["ASC", "DESC"],
        )?;
        let (Some(field), Some(order)) = (field, order) else {
            // The store dereferences both without a null check.
            return Err(problem_without_instance(
                500,
                "Unexpected server error occurred.",
            ));
        };
        let field = match field.as_str() {
            "creationTime" => SortField::CreationTime,
            "completionTime" => SortField::CompletionTime,
            "followUpDate" => SortField::FollowUpDate,
            "priority" => SortField::Priority,
            _ => SortField::DueDate,
        };
        sort.push((field, order == "DESC"));
    }
    let mut task_variables = Vec::new();
    for clause in body::object_list(obj, "taskVariables", "TaskByVariables")? {
        body::enumeration(
            clause,
            "operator",
            "io.camunda.tasklist.webapp.graphql.entity.TaskByVariables$Operator",
            &["eq"],
        )?;
        task_variables.push((
            body::string(clause, "name")?.unwrap_or_default(),
            body::string(clause, "value")?.unwrap_or_default(),
        ));
    }
    let include_variables = match obj.get("includeVariables") {
        None | Some(Value::Null) => None,
        Some(_) => Some(
            body::object_list(obj, "includeVariables", "IncludeVariable")?
                .into_iter()
                .map(|v| include_variable(v, profile))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let mut cursors = Vec::new();
    for (field, kind) in [
        ("searchAfter", Cursor::After),
        ("searchAfterOrEqual", Cursor::AfterOrEqual),
        ("searchBefore", Cursor::Before),
        ("searchBeforeOrEqual", Cursor::BeforeOrEqual),
    ] {
        if let Some(values) = body::string_list(obj, field)? {
            cursors.push((kind, values));
        }
    }
    // An explicit null unboxes to 0 (and fails the positive-number check).
    let page_size = match obj.get("pageSize") {
        Some(Value::Null) => 0,
        _ => body::integer(obj, "pageSize", "java.lang.Integer")?.unwrap_or(DEFAULT_PAGE_SIZE),
    };
    let (mut assignees, mut candidate_groups, mut candidate_users) = (None, None, None);
    let (mut implementation, mut priority) = (None, None);
    if profile.v85_task_fields {
        assignees = body::string_list(obj, "assignees")?;
        candidate_groups = body::string_list(obj, "candidateGroups")?;
        candidate_users = body::string_list(obj, "candidateUsers")?;
        implementation = body::enumeration(
            obj,
            "implementation",
            "io.camunda.tasklist.webapp.api.rest.v1.entities.TaskImplementation",
            &["JOB_WORKER", "ZEEBE_USER_TASK"],
        )?
        .map(|i| match i.as_str() {
            "JOB_WORKER" => Implementation::JobWorker,
            _ => Implementation::ZeebeUserTask,
        });
    }
    if profile.session_search_job_workers_only && !caller.is_api_user() {
        implementation = Some(Implementation::JobWorker);
    }
    if profile.priority {
        if let Some(range) = body::nested_object(
            obj,
            "priority",
            "io.camunda.tasklist.webapp.api.rest.v1.entities.RangeValueFilter",
        )? {
            let bound = |name| body::integer(range, name, "java.lang.Integer");
            priority = Some(RangeFilter {
                eq: bound("eq")?,
                gt: bound("gt")?,
                gte: bound("gte")?,
                lt: bound("lt")?,
                lte: bound("lte")?,
            });
        }
    }
    let follow_up = date_range(obj, "followUpDate")?;
    let due = date_range(obj, "dueDate")?;
    let query = TaskQuery {
        state,
        failed_only,
        assignees,
        candidate_groups,
        candidate_users,
        implementation,
        priority,
        assigned: body::boolean(obj, "assigned")?,
        assignee: body::string(obj, "assignee")?,
        task_definition_id: body::string(obj, "taskDefinitionId")?,
        candidate_group: body::string(obj, "candidateGroup")?,
        candidate_user: body::string(obj, "candidateUser")?,
        process_definition_key: body::string(obj, "processDefinitionKey")?,
        process_instance_key: body::string(obj, "processInstanceKey")?,
        page_size: 0,
        follow_up,
        due,
        task_variables,
        sort,
        cursor: None,
        include_variables,
    };
    if cursors.len() > 1 {
        return Err(problem(400, "Only one of [searchAfter, searchAfterOrEqual, searchBefore, searchBeforeOrEqual] must be present in request."));
    }
    if page_size <= 0 {
        return Err(problem(400, profile.page_size_message));
    }
    if page_size > MAX_RESULT_WINDOW {
        return Err(problem_without_instance(
            500,
            &format!("Exception occurred, while obtaining tasks: Result window is too large, from + size must be less than or equal to: [{MAX_RESULT_WINDOW}] but was [{page_size}]."),
        ));
    }
    Ok(TaskQuery {
        page_size: page_size as usize,
        cursor: cursors.pop(),
        ..query
    })
}

/// An IncludeVariable: `{name}`, plus `alwaysReturnFullValue` from 8.5.
pub fn include_variable(v: &Object, profile: &Profile) -> Result<(String, bool), Response> {
    let name = body::string(v, "name")?.unwrap_or_default();
    let full =
        profile.v85_task_fields && body::boolean(v, "alwaysReturnFullValue")?.unwrap_or(false);
    Ok((name, full))
}

fn date_range(obj: &Object, field: &str) -> Result<Option<DateRange>, Response> {
    let Some(range) = body::nested_object(obj, field, "io.camunda.tasklist.queries.DateFilter")?
    else {
        return Ok(None);
    };
    let bound = |name: &str| -> Result<Option<i64>, Response> {
        match range.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
            Some(Value::String(s)) => parse_request_date(s).map(Some).ok_or_else(|| {
                body::unreadable(&format!(
                    "Cannot deserialize value of type `java.util.Date` from String \"{s}\": not a valid representation (error: Failed to parse Date value '{s}')"
                ))
            }),
            Some(v) => Err(body::unreadable(&format!("Cannot deserialize value of type `java.util.Date` from {v}"))),
        }
    };
    Ok(Some(DateRange {
        from: bound("from")?,
        to: bound("to")?,
    }))
}

impl TaskQuery {
    fn matches(&self, data: &Data, task: &Task) -> bool {
        let eq =
            |wanted: &Option<String>, actual: &str| wanted.as_deref().is_none_or(|w| w == actual);
        let state_ok = match self.state {
            Some(state) => task.state == state,
            None => task.state != TaskState::Canceled,
        };
        let any_of = |wanted: &Option<Vec<String>>, actual: Option<&[String]>| {
            wanted
                .as_ref()
                .is_none_or(|w| actual.is_some_and(|a| a.iter().any(|x| w.iter().any(|y| y == x))))
        };
        state_ok
            && !self.failed_only
            && self.assignees.as_ref().is_none_or(|w| {
                task.assignee
                    .as_ref()
                    .is_some_and(|a| w.iter().any(|x| x == a))
            })
            && any_of(&self.candidate_groups, task.candidate_groups.as_deref())
            && any_of(&self.candidate_users, task.candidate_users.as_deref())
            && self.implementation.is_none_or(|i| i == task.implementation)
            && self
                .priority
                .as_ref()
                .is_none_or(|r| r.contains(task.priority as i64))
            && self.assigned.is_none_or(|a| a == task.assignee.is_some())
            && self
                .assignee
                .as_deref()
                .is_none_or(|a| task.assignee.as_deref() == Some(a))
            && eq(&self.task_definition_id, &task.task_definition_id)
            && self.candidate_group.as_deref().is_none_or(|g| {
                task.candidate_groups
                    .as_ref()
                    .is_some_and(|gs| gs.iter().any(|x| x == g))
            })
            && self.candidate_user.as_deref().is_none_or(|u| {
                task.candidate_users
                    .as_ref()
                    .is_some_and(|us| us.iter().any(|x| x == u))
            })
            && self
                .process_definition_key
                .as_deref()
                .is_none_or(|k| k == task.process_definition_key.to_string())
            && self
                .process_instance_key
                .as_deref()
                .is_none_or(|k| k == task.process_instance_key.to_string())
            && self
                .follow_up
                .as_ref()
                .is_none_or(|r| r.contains(task.follow_up_ms))
            && self.due.as_ref().is_none_or(|r| r.contains(task.due_ms))
            && self.matches_variables(data, task)
    }

    /// Every clause must find a visible variable whose stored JSON text
    /// equals the given text (a term match on the stored value).
    fn matches_variables(&self, data: &Data, task: &Task) -> bool {
        if self.task_variables.is_empty() {
            return true;
        }
        let visible = data.visible_variables(task);
        self.task_variables
            .iter()
            .all(|(name, value)| visible.iter().any(|v| &v.name == name && &v.value == value))
    }

    /// Number of sort values of every hit: one per sort entry (or the
    /// default field), then the key.
    fn sort_len(&self) -> usize {
        self.sort.len().max(1) + 1
    }

    /// The i-th sort value of a task, computed without allocating: the
    /// search compares thousands of tasks per request.
    fn sort_value(&self, task: &Task, i: usize) -> i64 {
        if i + 1 == self.sort_len() {
            return task.key;
        }
        if self.sort.is_empty() {
            return match self.default_field() {
                SortField::CompletionTime => task.completion_ms.unwrap_or(i64::MIN),
                _ => task.creation_ms,
            };
        }
        let (field, descending) = self.sort[i];
        let value = match field {
            SortField::CreationTime => Some(task.creation_ms),
            SortField::CompletionTime => task.completion_ms,
            SortField::FollowUpDate => task.follow_up_ms,
            SortField::DueDate => task.due_ms,
            SortField::Priority => Some(task.priority as i64),
        };
        // Missing dates sort as far-away sentinels (the store's script sort).
        value.unwrap_or_else(|| if descending { far_past() } else { far_future() })
    }

    fn descending(&self, i: usize) -> bool {
        if i + 1 == self.sort_len() {
            false
        } else if self.sort.is_empty() {
            true
        } else {
            self.sort[i].1
        }
    }

    fn default_field(&self) -> SortField {
        match self.state {
            Some(TaskState::Completed | TaskState::Canceled) => SortField::CompletionTime,
            _ => SortField::CreationTime,
        }
    }

    fn compare_by(&self, a: impl Fn(usize) -> i64, b: impl Fn(usize) -> i64) -> Ordering {
        for i in 0..self.sort_len() {
            let (x, y) = (a(i), b(i));
            let ord = if self.descending(i) {
                y.cmp(&x)
            } else {
                x.cmp(&y)
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }

    fn compare_tasks(&self, a: &Task, b: &Task) -> Ordering {
        self.compare_by(|i| self.sort_value(a, i), |i| self.sort_value(b, i))
    }

    fn compare_to_cursor(&self, task: &Task, cursor: &[i64]) -> Ordering {
        self.compare_by(|i| self.sort_value(task, i), |i| cursor[i])
    }
}

fn far_future() -> i64 {
    millis_of(2099, 12, 31, 0, 0, 0)
}

fn far_past() -> i64 {
    millis_of(1900, 1, 1, 0, 0, 0)
}

/// Runs the query and renders the TaskSearchResponse array.
pub fn search(data: &Data, query: &TaskQuery, profile: &Profile) -> Result<String, Response> {
    let mut hits: Vec<&Task> = data
        .tasks()
        .iter()
        .filter(|t| query.matches(data, t))
        .collect();
    // Tasks are stored in the default creation order already.
    if !query.sort.is_empty() || query.default_field() != SortField::CreationTime {
        hits.sort_by(|a, b| query.compare_tasks(a, b));
    }
    let first_key = hits.first().map(|t| t.key);
    let page: &[&Task] = match &query.cursor {
        None => &hits[..hits.len().min(query.page_size)],
        Some((kind, raw)) => {
            let Some(cursor) = parse_cursor(raw, query.sort_len())? else {
                return Ok("[]".to_string());
            };
            // Hits are sorted, so one boundary splits them: the cursor's own
            // task lies before it for searchAfter and searchBeforeOrEqual.
            let cursor_task_before = matches!(kind, Cursor::After | Cursor::BeforeOrEqual);
            let boundary = hits.partition_point(|t| match query.compare_to_cursor(t, &cursor) {
                Ordering::Less => true,
                Ordering::Equal => cursor_task_before,
                Ordering::Greater => false,
            });
            match kind {
                Cursor::After | Cursor::AfterOrEqual => {
                    &hits[boundary..hits.len().min(boundary + query.page_size)]
                }
                Cursor::Before | Cursor::BeforeOrEqual => {
                    &hits[boundary.saturating_sub(query.page_size)..boundary]
                }
            }
        }
    };
    let mut out = String::with_capacity(page.len() * 900 + 2);
    out.push('[');
    for (i, task) in page.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        out.push_str(&task.rendered().v1);
        push_version_fields(&mut out, task, profile);
        if profile.v85_task_fields {
            out.push_str(",\"context\":");
            push_json_opt_string(&mut out, task_context(data, task));
        }
        out.push_str(",\"sortValues\":[");
        for j in 0..query.sort_len() {
            if j > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(&query.sort_value(task, j).to_string());
            out.push('"');
        }
        out.push_str("],\"isFirst\":");
        out.push_str(if Some(task.key) == first_key {
            "true"
        } else {
            "false"
        });
        out.push_str(",\"variables\":");
        match &query.include_variables {
            None => out.push_str("null"),
            Some(names) => push_included_variables(&mut out, data, task, names),
        }
        out.push('}');
    }
    out.push(']');
    Ok(out)
}

/// The cursor as numbers; `None` when it is empty (no page then).
fn parse_cursor(raw: &[String], expected_len: usize) -> Result<Option<Vec<i64>>, Response> {
    if raw.is_empty() {
        return Ok(None);
    }
    let values: Option<Vec<i64>> = raw.iter().map(|v| v.trim().parse().ok()).collect();
    match values {
        Some(v) if v.len() == expected_len => Ok(Some(v)),
        _ => Err(problem_without_instance(
            500,
            &format!("Exception occurred, while obtaining tasks: search_after has {} value(s) but sort has {expected_len}", raw.len()),
        )),
    }
}

/// `includeVariables`: the named visible variables, without drafts.
fn push_included_variables(out: &mut String, data: &Data, task: &Task, names: &[(String, bool)]) {
    out.push('[');
    let mut first = true;
    for v in data.visible_variables(task) {
        if let Some((_, full)) = names.iter().find(|(n, _)| n == &v.name) {
            if !first {
                out.push(',');
            }
            first = false;
            push_variable_search(out, &v.id, &v.name, Some(&v.value), None, *full);
        }
    }
    out.push(']');
}

/// `context` (8.5+): the process variable `taskContextDisplayName`, with
/// the quotes of its JSON text stripped.
fn task_context<'a>(data: &'a Data, task: &Task) -> Option<&'a str> {
    data.variables
        .get(&task.process_instance_key)?
        .iter()
        .find(|v| v.name == "taskContextDisplayName")
        .map(|v| v.value.trim_matches('"'))
}
