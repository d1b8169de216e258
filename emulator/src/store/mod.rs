//! The in-memory Tasklist data: processes, tasks, variables, drafts,
//! completion snapshots and forms. One `RwLock` guards it all: reads (every
//! search) run in parallel, the rare writes (assign, complete, drafts) are
//! short.

pub mod forms;
pub mod seed;
pub mod tasks;
pub mod variables;

use std::collections::HashMap;

pub use forms::Form;
pub use tasks::{Task, TaskState};
pub use variables::Variable;

/// Tenant of every object when multi-tenancy is off.
pub const DEFAULT_TENANT: &str = "<default>";

#[derive(Clone, Debug)]
pub struct Process {
    pub key: i64,
    pub bpmn_process_id: String,
    pub name: Option<String>,
    pub version: i32,
    pub start_event_form_id: Option<String>,
}

impl Process {
    /// Tasklist shows the bpmnProcessId where a process has no name.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.bpmn_process_id)
    }
}

#[derive(Clone, Default)]
pub struct Data {
    pub processes: Vec<Process>,
    /// Kept in the default search order (creation time descending, key
    /// ascending) so the common search needs no sort.
    pub tasks: Vec<Task>,
    pub task_index: HashMap<i64, usize>,
    /// Runtime variables by scope key (process instance or element instance).
    pub variables: HashMap<i64, Vec<Variable>>,
    /// Draft variables by task key.
    pub drafts: HashMap<i64, Vec<Variable>>,
    /// Variables stored for a task when it was completed.
    pub snapshots: HashMap<i64, Vec<Variable>>,
    pub forms: Vec<Form>,
    /// Ids of notable seeded objects, for tests (`GET /__emulator/data`).
    pub landmarks: Vec<(&'static str, String)>,
}

impl Data {
    pub fn task(&self, key_text: &str) -> Option<&Task> {
        let key: i64 = key_text.parse().ok()?;
        self.task_index.get(&key).map(|&i| &self.tasks[i])
    }

    pub fn task_mut(&mut self, key_text: &str) -> Option<&mut Task> {
        let key: i64 = key_text.parse().ok()?;
        let index = *self.task_index.get(&key)?;
        Some(&mut self.tasks[index])
    }

    /// Sorts tasks into the default order and rebuilds the key index.
    pub fn reindex(&mut self) {
        self.tasks
            .sort_by(|a, b| b.creation_ms.cmp(&a.creation_ms).then(a.key.cmp(&b.key)));
        self.task_index = self
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.key, i))
            .collect();
    }
}
