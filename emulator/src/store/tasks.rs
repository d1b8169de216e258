//! User tasks. Next to its data a task carries its JSON as each API
//! generation renders it (`Rendered`), refreshed by the store after every
//! change, so a 50-task search mostly copies strings. The store does not
//! know those shapes: it is given the renderers (`Renderers`) when built,
//! and `Data::update_task` is the only way to change a task, so the cache
//! cannot go stale.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Created,
    Completed,
    Canceled,
}

/// How the BPMN user task is implemented (v1 `implementation`, 8.5+).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Implementation {
    /// A job-worker task, the only kind up to 8.4.
    JobWorker,
    /// A Camunda (Zeebe) user task, handled by the engine itself (8.5+).
    ZeebeUserTask,
}

#[derive(Clone, Debug)]
pub struct Task {
    pub key: i64,
    /// BPMN element name; `None` shows the element id instead.
    pub name: Option<String>,
    pub task_definition_id: String,
    pub process_name: String,
    pub process_definition_key: i64,
    pub process_instance_key: i64,
    /// Scope of the task's local variables.
    pub element_instance_key: i64,
    pub creation_ms: i64,
    pub completion_ms: Option<i64>,
    pub assignee: Option<String>,
    pub state: TaskState,
    pub form_key: Option<String>,
    pub form_id: Option<String>,
    pub form_version: Option<i64>,
    pub is_form_embedded: Option<bool>,
    pub due_ms: Option<i64>,
    pub follow_up_ms: Option<i64>,
    pub candidate_groups: Option<Vec<String>>,
    pub candidate_users: Option<Vec<String>>,
    pub implementation: Implementation,
    /// 0..100, 50 by default (8.6+ shows it).
    pub priority: i32,
    /// Filled in by the store (`Data::add_task`, `Data::update_task`).
    pub(super) rendered: Rendered,
}

impl Task {
    pub fn key_text(&self) -> String {
        self.key.to_string()
    }

    /// The task's JSON as of its last change, per API generation.
    pub fn rendered(&self) -> &Rendered {
        &self.rendered
    }
}

/// A task's JSON per API generation (room for `v2`).
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// The v1 TaskResponse fields, without the braces.
    pub v1: String,
}

/// How each API generation renders a task; `api::RENDERERS` in the app.
#[derive(Clone, Copy, Debug)]
pub struct Renderers {
    pub v1: fn(&Task) -> String,
}

impl Renderers {
    pub(super) fn render(&self, task: &Task) -> Rendered {
        Rendered {
            v1: (self.v1)(task),
        }
    }
}
