//! The v1 JSON of the store's objects: TaskResponse, the variable search
//! and get bodies, FormResponse and the process listings. The store holds
//! version-neutral data; these functions decide how v1 shows it (dates in
//! Tasklist's format, keys as strings, `<default>` tenants, truncation).
//!
//! `task_fields` is the one the store calls itself (through
//! `api::RENDERERS`) after every change of a task, so that searches copy
//! the cached text instead of rendering 50 tasks per request.

use crate::dates::format_tasklist;
use crate::json_text::{push_json_opt_string, push_json_string};
use crate::profile::Profile;
use crate::store::variables::TRUNCATION_THRESHOLD;
use crate::store::{
    FoundForm, FoundVariable, Implementation, Process, Task, TaskState, DEFAULT_TENANT,
};
use serde_json::{json, Value};

pub fn task_state(state: TaskState) -> &'static str {
    match state {
        TaskState::Created => "CREATED",
        TaskState::Completed => "COMPLETED",
        TaskState::Canceled => "CANCELED",
    }
}

/// The TaskResponse fields as JSON, without the braces: the search adds
/// its own fields (`sortValues`, `isFirst`, `variables`) after them.
pub fn task_fields(task: &Task) -> String {
    let mut o = String::with_capacity(640);
    o.push_str("\"id\":\"");
    o.push_str(&task.key.to_string());
    o.push_str("\",\"name\":");
    push_json_string(
        &mut o,
        task.name.as_deref().unwrap_or(&task.task_definition_id),
    );
    o.push_str(",\"taskDefinitionId\":");
    push_json_string(&mut o, &task.task_definition_id);
    o.push_str(",\"processName\":");
    push_json_string(&mut o, &task.process_name);
    o.push_str(",\"creationDate\":");
    push_json_string(&mut o, &format_tasklist(task.creation_ms));
    o.push_str(",\"completionDate\":");
    push_json_opt_string(&mut o, task.completion_ms.map(format_tasklist).as_deref());
    o.push_str(",\"assignee\":");
    push_json_opt_string(&mut o, task.assignee.as_deref());
    o.push_str(",\"taskState\":\"");
    o.push_str(task_state(task.state));
    o.push_str("\",\"formKey\":");
    push_json_opt_string(&mut o, task.form_key.as_deref());
    o.push_str(",\"formId\":");
    push_json_opt_string(&mut o, task.form_id.as_deref());
    o.push_str(",\"formVersion\":");
    match task.form_version {
        Some(v) => o.push_str(&v.to_string()),
        None => o.push_str("null"),
    }
    o.push_str(",\"isFormEmbedded\":");
    o.push_str(match task.is_form_embedded {
        Some(true) => "true",
        Some(false) => "false",
        None => "null",
    });
    o.push_str(",\"processDefinitionKey\":\"");
    o.push_str(&task.process_definition_key.to_string());
    o.push_str("\",\"processInstanceKey\":\"");
    o.push_str(&task.process_instance_key.to_string());
    o.push_str("\",\"tenantId\":");
    push_json_string(&mut o, DEFAULT_TENANT);
    o.push_str(",\"dueDate\":");
    push_json_opt_string(&mut o, task.due_ms.map(format_tasklist).as_deref());
    o.push_str(",\"followUpDate\":");
    push_json_opt_string(&mut o, task.follow_up_ms.map(format_tasklist).as_deref());
    o.push_str(",\"candidateGroups\":");
    push_string_list(&mut o, task.candidate_groups.as_deref());
    o.push_str(",\"candidateUsers\":");
    push_string_list(&mut o, task.candidate_users.as_deref());
    o
}

/// The fields that only some versions send: `implementation` (8.5+) and
/// `priority` (8.6+). The cache holds the 8.4 fields every version shares,
/// so these few are appended per answer.
pub fn push_version_fields(out: &mut String, task: &Task, profile: &Profile) {
    if profile.v85_task_fields {
        out.push_str(match task.implementation {
            Implementation::JobWorker => ",\"implementation\":\"JOB_WORKER\"",
            Implementation::ZeebeUserTask => ",\"implementation\":\"ZEEBE_USER_TASK\"",
        });
    }
    if profile.priority {
        out.push_str(",\"priority\":");
        out.push_str(&task.priority.to_string());
    }
}

/// The TaskResponse body (get, assign, unassign, complete), from the cache.
pub fn task_response(task: &Task, profile: &Profile) -> String {
    let fields = &task.rendered().v1;
    let mut out = String::with_capacity(fields.len() + 64);
    out.push('{');
    out.push_str(fields);
    push_version_fields(&mut out, task, profile);
    out.push('}');
    out
}

fn push_string_list(out: &mut String, list: Option<&[String]>) {
    let Some(list) = list else {
        out.push_str("null");
        return;
    };
    out.push('[');
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, item);
    }
    out.push(']');
}

/// The value as shown by a search: `(value or null, truncated, preview)`.
fn searched_value(value: &str) -> (Option<&str>, bool, &str) {
    match value.char_indices().nth(TRUNCATION_THRESHOLD) {
        Some((cut, _)) => (None, true, &value[..cut]),
        None => (Some(value), false, value),
    }
}

/// A VariableSearchResponse; `original` is None for a draft-only variable.
/// `full` (8.5 `alwaysReturnFullValue`): long values come whole, not
/// truncated; the preview stays the preview.
pub fn push_variable_search(
    out: &mut String,
    id: &str,
    name: &str,
    original: Option<&str>,
    draft: Option<&str>,
    full: bool,
) {
    let searched = |v| {
        let (value, truncated, preview) = searched_value(v);
        if full {
            (Some(v), false, preview)
        } else {
            (value, truncated, preview)
        }
    };
    out.push_str("{\"id\":");
    push_json_string(out, id);
    out.push_str(",\"name\":");
    push_json_string(out, name);
    let (value, truncated, preview) = match original {
        Some(v) => {
            let (value, truncated, preview) = searched(v);
            (value, truncated, Some(preview))
        }
        None => (None, false, None),
    };
    out.push_str(",\"value\":");
    push_json_opt_string(out, value);
    out.push_str(if truncated {
        ",\"isValueTruncated\":true"
    } else {
        ",\"isValueTruncated\":false"
    });
    out.push_str(",\"previewValue\":");
    push_json_opt_string(out, preview);
    out.push_str(",\"draft\":");
    match draft {
        Some(d) => {
            let (value, truncated, preview) = searched(d);
            out.push_str("{\"value\":");
            push_json_opt_string(out, value);
            out.push_str(if truncated {
                ",\"isValueTruncated\":true"
            } else {
                ",\"isValueTruncated\":false"
            });
            out.push_str(",\"previewValue\":");
            push_json_string(out, preview);
            out.push('}');
        }
        None => out.push_str("null"),
    }
    out.push('}');
}

/// A VariableResponse: always the full value.
pub fn variable_response(v: &FoundVariable<'_>) -> String {
    let mut out = String::with_capacity(128 + v.value.map_or(0, str::len));
    out.push_str("{\"id\":");
    push_json_string(&mut out, v.id);
    out.push_str(",\"name\":");
    push_json_string(&mut out, v.name);
    out.push_str(",\"value\":");
    push_json_opt_string(&mut out, v.value);
    out.push_str(",\"draft\":");
    match v.draft {
        Some(d) => {
            out.push_str("{\"value\":");
            push_json_string(&mut out, d);
            out.push('}');
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"tenantId\":");
    push_json_string(&mut out, DEFAULT_TENANT);
    out.push('}');
    out
}

/// A FormResponse; `process_definition_key` as the request gave it.
pub fn form_response(form_id: &str, process_definition_key: &str, form: &FoundForm<'_>) -> String {
    let mut out = String::with_capacity(form.schema.len() + 160);
    out.push_str("{\"id\":");
    push_json_string(&mut out, form_id);
    out.push_str(",\"processDefinitionKey\":");
    push_json_string(&mut out, process_definition_key);
    out.push_str(",\"schema\":");
    push_json_string(&mut out, form.schema);
    out.push_str(",\"version\":");
    match form.version {
        Some(v) => out.push_str(&v.to_string()),
        None => out.push_str("null"),
    }
    out.push_str(",\"tenantId\":");
    push_json_string(&mut out, DEFAULT_TENANT);
    out.push_str(if form.is_deleted {
        ",\"isDeleted\":true}"
    } else {
        ",\"isDeleted\":false}"
    });
    out
}

/// An item of Operate's process-definition search (numeric key).
pub fn process_definition(p: &Process) -> Value {
    json!({
        "key": p.key,
        "name": p.name,
        "version": p.version,
        "bpmnProcessId": p.bpmn_process_id,
        "tenantId": DEFAULT_TENANT,
    })
}

/// An item of `GET /v1/internal/processes` (string id, no XML).
pub fn internal_process(p: &Process) -> Value {
    json!({
        "id": p.key.to_string(),
        "name": p.name,
        "bpmnProcessId": p.bpmn_process_id,
        "version": p.version,
        "startEventFormId": p.start_event_form_id,
        "tenantId": DEFAULT_TENANT,
        "sortValues": [],
        "bpmnXml": null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::seed;

    #[test]
    fn the_seeded_cache_holds_the_v1_task_response() {
        let data = seed::build(3, crate::api::RENDERERS);
        assert_eq!(data.tasks().len(), seed::SEEDED_TASKS + 3);
        for task in data.tasks() {
            assert_eq!(task.rendered().v1, task_fields(task));
            let body: Value =
                serde_json::from_str(&task_response(task, &Profile::default())).unwrap();
            assert_eq!(body["id"], task.key.to_string());
            assert_eq!(body["taskState"], task_state(task.state));
            assert_eq!(body["tenantId"], DEFAULT_TENANT);
        }
    }

    #[test]
    fn search_values_are_truncated_at_the_threshold() {
        let long = "x".repeat(TRUNCATION_THRESHOLD + 1);
        let mut out = String::new();
        push_variable_search(&mut out, "1-a", "a", Some(&long), Some("2"), false);
        let body: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(body["value"], Value::Null);
        assert_eq!(body["isValueTruncated"], true);
        assert_eq!(
            body["previewValue"].as_str().unwrap().len(),
            TRUNCATION_THRESHOLD
        );
        assert_eq!(body["draft"]["value"], "2");
        assert_eq!(body["draft"]["isValueTruncated"], false);
    }
}
