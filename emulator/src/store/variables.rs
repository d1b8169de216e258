//! Process and task variables, drafts and completion snapshots. Values are
//! kept as JSON text, exactly as Tasklist stores and returns them.

use super::{Data, Task, TaskState, DEFAULT_TENANT};
use crate::json_text::{push_json_opt_string, push_json_string};
use std::collections::BTreeMap;

/// Tasklist's importer `variableSizeThreshold`: longer values are truncated
/// in searches and must be fetched with GET /v1/variables/{id}.
pub const TRUNCATION_THRESHOLD: usize = 8191;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    pub id: String,
    pub name: String,
    /// The value as JSON text, e.g. `"\"text\""` or `42`.
    pub value: String,
}

impl Variable {
    pub fn new(scope_key: i64, name: &str, value: &str) -> Variable {
        Variable {
            id: format!("{scope_key}-{name}"),
            name: name.to_string(),
            value: value.to_string(),
        }
    }
}

/// The value as shown by a search: `(value or null, truncated, preview)`.
fn searched_value(value: &str) -> (Option<&str>, bool, &str) {
    match value.char_indices().nth(TRUNCATION_THRESHOLD) {
        Some((cut, _)) => (None, true, &value[..cut]),
        None => (Some(value), false, value),
    }
}

/// A VariableSearchResponse; `original` is None for a draft-only variable.
pub fn push_search_json(
    out: &mut String,
    id: &str,
    name: &str,
    original: Option<&str>,
    draft: Option<&str>,
) {
    out.push_str("{\"id\":");
    push_json_string(out, id);
    out.push_str(",\"name\":");
    push_json_string(out, name);
    let (value, truncated, preview) = match original {
        Some(v) => {
            let (value, truncated, preview) = searched_value(v);
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
            let (value, truncated, preview) = searched_value(d);
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
pub fn variable_response_json(
    id: &str,
    name: &str,
    value: Option<&str>,
    draft: Option<&str>,
) -> String {
    let mut out = String::with_capacity(128 + value.map_or(0, str::len));
    out.push_str("{\"id\":");
    push_json_string(&mut out, id);
    out.push_str(",\"name\":");
    push_json_string(&mut out, name);
    out.push_str(",\"value\":");
    push_json_opt_string(&mut out, value);
    out.push_str(",\"draft\":");
    match draft {
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

impl Data {
    /// Variables a task sees: for an active task its local scope over its
    /// process instance (inner wins); for a completed one the snapshot;
    /// nothing for a canceled one. Sorted by name.
    pub fn visible_variables(&self, task: &Task) -> Vec<&Variable> {
        let mut by_name: BTreeMap<&str, &Variable> = BTreeMap::new();
        match task.state {
            TaskState::Created => {
                for scope in [task.process_instance_key, task.element_instance_key] {
                    for v in self.variables.get(&scope).into_iter().flatten() {
                        by_name.insert(&v.name, v);
                    }
                }
            }
            TaskState::Completed => {
                for v in self.snapshots.get(&task.key).into_iter().flatten() {
                    by_name.insert(&v.name, v);
                }
            }
            TaskState::Canceled => {}
        }
        by_name.into_values().collect()
    }

    pub fn drafts_of(&self, task_key: i64) -> &[Variable] {
        self.drafts.get(&task_key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// GET /v1/variables/{id}: runtime (with its draft), then draft-only,
    /// then completed-task snapshots.
    pub fn variable_response(&self, id: &str) -> Option<String> {
        for v in self.variables.values().flatten() {
            if v.id == id {
                let draft = self.drafts.values().flatten().find(|d| d.id == id);
                return Some(variable_response_json(
                    &v.id,
                    &v.name,
                    Some(&v.value),
                    draft.map(|d| d.value.as_str()),
                ));
            }
        }
        if let Some(d) = self.drafts.values().flatten().find(|d| d.id == id) {
            return Some(variable_response_json(&d.id, &d.name, None, Some(&d.value)));
        }
        self.snapshots
            .values()
            .flatten()
            .find(|v| v.id == id)
            .map(|v| variable_response_json(&v.id, &v.name, Some(&v.value), None))
    }
}
