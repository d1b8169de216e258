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

/// A command on a CREATED task waiting for its blocking task listeners
/// (v2 `ASSIGNING`, `UPDATING`, `COMPLETING`); other commands meanwhile
/// get 409. v1 still shows such a task as CREATED.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Assigning,
    Updating,
    Completing,
}

/// What v2 reads see of a task while its latest change is not yet
/// exported (`Config::export_delay_ms`).
#[derive(Clone, Debug)]
pub struct Export {
    /// When (epoch ms) reads start to see the task as it is now.
    pub visible_from_ms: i64,
    /// The task as reads see it until then; `None`: not at all (new).
    pub previous: Option<Box<Task>>,
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
    /// The BPMN process id and version of the task's process definition.
    pub bpmn_process_id: String,
    pub process_version: i32,
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
    /// Set while a simulated blocking listener holds a command.
    pub transition: Option<Transition>,
    /// Not yet exported to v2 reads; kept by the store (`update_task`).
    pub(super) export: Option<Export>,
    /// Filled in by the store (`Data::add_task`, `Data::update_task`).
    pub(super) rendered: Rendered,
}

impl Task {
    /// A new CREATED task with the given key and defaults elsewhere (no
    /// name, form, dates or candidates; priority 50; a Camunda user task),
    /// for the caller to fill in before `Data::add_new_task`.
    pub fn created(key: i64, creation_ms: i64) -> Task {
        Task {
            key,
            name: None,
            task_definition_id: String::new(),
            process_name: String::new(),
            bpmn_process_id: String::new(),
            process_version: 1,
            process_definition_key: 0,
            process_instance_key: 0,
            element_instance_key: 0,
            creation_ms,
            completion_ms: None,
            assignee: None,
            state: TaskState::Created,
            form_key: None,
            form_id: None,
            form_version: None,
            is_form_embedded: None,
            due_ms: None,
            follow_up_ms: None,
            candidate_groups: None,
            candidate_users: None,
            implementation: Implementation::ZeebeUserTask,
            priority: 50,
            transition: None,
            export: None,
            rendered: Rendered::default(),
        }
    }

    pub fn key_text(&self) -> String {
        self.key.to_string()
    }

    /// The task's JSON as of its last change, per API generation.
    pub fn rendered(&self) -> &Rendered {
        &self.rendered
    }

    /// The task as v2 reads see it at `now_ms`: itself once its latest
    /// change is exported, before that its previous state (or nothing for
    /// a task too new to be exported).
    pub fn exported(&self, now_ms: i64) -> Option<&Task> {
        match &self.export {
            Some(export) if now_ms < export.visible_from_ms => export.previous.as_deref(),
            _ => Some(self),
        }
    }
}

/// A task's JSON per API generation.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// The v1 TaskResponse fields, without the braces.
    pub v1: String,
    /// The v2 UserTask fields every version shares, empty ones as `null`
    /// (8.9+), without the braces.
    pub v2: String,
    /// The same without the empty fields (8.8 leaves them out).
    pub v2_sparse: String,
}

/// How each API generation renders a task; `api::RENDERERS` in the app.
#[derive(Clone, Copy, Debug)]
pub struct Renderers {
    pub v1: fn(&Task) -> String,
    pub v2: fn(&Task) -> String,
    pub v2_sparse: fn(&Task) -> String,
}

impl Renderers {
    pub(super) fn render(&self, task: &Task) -> Rendered {
        Rendered {
            v1: (self.v1)(task),
            v2: (self.v2)(task),
            v2_sparse: (self.v2_sparse)(task),
        }
    }
}
