//! Process and task variables, drafts and completion snapshots. Values are
//! kept as JSON text, exactly as Tasklist stores and returns them.

use super::{Data, Task, TaskState};
use std::collections::BTreeMap;

/// Tasklist's importer `variableSizeThreshold`, in characters: longer
/// values are truncated in searches and must be fetched one by one.
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

/// One variable as `GET .../variables/{id}` finds it: a runtime
/// variable (with its draft, if any), a draft-only variable (no value) or a
/// variable of a completed task's snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundVariable<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub value: Option<&'a str>,
    pub draft: Option<&'a str>,
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

    /// Looks a variable up by id: runtime (with its draft), then
    /// draft-only, then completed-task snapshots.
    pub fn find_variable(&self, id: &str) -> Option<FoundVariable<'_>> {
        let draft_of = |id: &str| self.drafts.values().flatten().find(|d| d.id == id);
        if let Some(v) = self.variables.values().flatten().find(|v| v.id == id) {
            return Some(FoundVariable {
                id: &v.id,
                name: &v.name,
                value: Some(&v.value),
                draft: draft_of(id).map(|d| d.value.as_str()),
            });
        }
        if let Some(d) = draft_of(id) {
            return Some(FoundVariable {
                id: &d.id,
                name: &d.name,
                value: None,
                draft: Some(&d.value),
            });
        }
        self.snapshots
            .values()
            .flatten()
            .find(|v| v.id == id)
            .map(|v| FoundVariable {
                id: &v.id,
                name: &v.name,
                value: Some(&v.value),
                draft: None,
            })
    }
}
