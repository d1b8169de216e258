//! The in-memory Tasklist data: processes, tasks, variables, drafts,
//! completion snapshots and forms. One `RwLock` guards it all: reads (every
//! search) run in parallel, the rare writes (assign, complete, drafts) are
//! short.
//!
//! The data is the same whichever API generation reads it; what v1 (and
//! later v2) send is rendered under `api/`. The one exception is each
//! task's cached JSON, which the store refreshes itself on every change
//! through the renderers it is given, without depending on `api/`.

pub mod forms;
pub mod seed;
pub mod tasks;
pub mod variables;

use std::collections::HashMap;

pub use forms::{Form, FoundForm};
pub use tasks::{Export, Implementation, Rendered, Renderers, Task, TaskState, Transition};
pub use variables::{FoundVariable, Variable};

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceState {
    Active,
    Completed,
    Terminated,
}

/// A process instance as v2 shows it: one per task of the demo data, and
/// one per `POST /v2/process-instances`.
#[derive(Clone, Debug)]
pub struct ProcessInstance {
    pub key: i64,
    pub process_definition_key: i64,
    pub state: InstanceState,
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    /// v2 reads see the instance from then on (export delay).
    pub visible_from_ms: i64,
}

#[derive(Clone)]
pub struct Data {
    pub processes: Vec<Process>,
    /// Kept in the default search order (creation time descending, key
    /// ascending) so the common search needs no sort. Private, so that
    /// every change goes through `update_task` and re-renders the task.
    tasks: Vec<Task>,
    task_index: HashMap<i64, usize>,
    /// Runtime variables by scope key (process instance or element instance).
    pub variables: HashMap<i64, Vec<Variable>>,
    /// Draft variables by task key.
    pub drafts: HashMap<i64, Vec<Variable>>,
    /// Variables stored for a task when it was completed.
    pub snapshots: HashMap<i64, Vec<Variable>>,
    pub forms: Vec<Form>,
    /// Ids of notable seeded objects, for tests (`GET /__emulator/data`).
    pub landmarks: Vec<(&'static str, String)>,
    /// Process instances by key.
    pub instances: HashMap<i64, ProcessInstance>,
    /// The next key handed out to a new object.
    pub next_key: i64,
    /// `Config::export_delay_ms`: how long a change stays hidden from v2 reads.
    export_delay_ms: i64,
    renderers: Renderers,
}

impl Data {
    /// No data yet; tasks will be rendered with `renderers`.
    pub fn new(renderers: Renderers) -> Data {
        Data {
            processes: Vec::new(),
            tasks: Vec::new(),
            task_index: HashMap::new(),
            variables: HashMap::new(),
            drafts: HashMap::new(),
            snapshots: HashMap::new(),
            forms: Vec::new(),
            landmarks: Vec::new(),
            instances: HashMap::new(),
            next_key: 1,
            export_delay_ms: 0,
            renderers,
        }
    }

    pub fn set_export_delay(&mut self, delay_ms: u64) {
        self.export_delay_ms = delay_ms.min(i64::MAX as u64) as i64;
    }

    pub fn export_delay_ms(&self) -> i64 {
        self.export_delay_ms
    }

    pub fn new_key(&mut self) -> i64 {
        let key = self.next_key;
        self.next_key += 1;
        key
    }

    /// Keys of every variable scope a command may name (instances and
    /// tasks' element instances).
    pub fn is_scope(&self, key: i64) -> bool {
        self.instances.contains_key(&key)
            || self.tasks.iter().any(|t| t.element_instance_key == key)
    }

    pub fn process(&self, key: i64) -> Option<&Process> {
        self.processes.iter().find(|p| p.key == key)
    }

    /// A new task (v2 process start), hidden from v2 reads for the export
    /// delay; it joins the default order.
    pub fn add_new_task(&mut self, mut task: Task, now_ms: i64) {
        if self.export_delay_ms > 0 {
            task.export = Some(Export {
                visible_from_ms: now_ms + self.export_delay_ms,
                previous: None,
            });
        }
        self.add_task(task);
        self.reindex();
    }

    /// One instance per demo task, in the state its task implies.
    fn seed_instances(&mut self) {
        for task in &self.tasks {
            let state = match task.state {
                TaskState::Created => InstanceState::Active,
                TaskState::Completed => InstanceState::Completed,
                TaskState::Canceled => InstanceState::Terminated,
            };
            self.instances.insert(
                task.process_instance_key,
                ProcessInstance {
                    key: task.process_instance_key,
                    process_definition_key: task.process_definition_key,
                    state,
                    start_ms: task.creation_ms,
                    end_ms: if state == InstanceState::Active {
                        None
                    } else {
                        task.completion_ms
                    },
                    visible_from_ms: 0,
                },
            );
        }
    }

    /// All tasks, in the default search order.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    pub fn task(&self, key_text: &str) -> Option<&Task> {
        let key: i64 = key_text.parse().ok()?;
        self.task_index.get(&key).map(|&i| &self.tasks[i])
    }

    /// Applies `change` to the task with `key` and re-renders its JSON;
    /// `None` if there is no such task. Changes must leave the creation
    /// time and key alone (the order of `tasks` depends on them).
    pub fn update_task(&mut self, key: i64, change: impl FnOnce(&mut Task)) -> Option<&Task> {
        let index = *self.task_index.get(&key)?;
        let task = &mut self.tasks[index];
        let (creation_ms, key) = (task.creation_ms, task.key);
        if self.export_delay_ms > 0 {
            let now = crate::dates::now_millis();
            let visible_from_ms = now + self.export_delay_ms;
            match &mut task.export {
                // Reads still see an older state: they keep seeing it
                // until this change is exported too.
                Some(export) if now < export.visible_from_ms => {
                    export.visible_from_ms = visible_from_ms;
                }
                _ => {
                    let mut previous = task.clone();
                    previous.export = None;
                    task.export = Some(Export {
                        visible_from_ms,
                        previous: Some(Box::new(previous)),
                    });
                }
            }
        }
        change(task);
        debug_assert!(task.creation_ms == creation_ms && task.key == key);
        task.rendered = self.renderers.render(task);
        Some(task)
    }

    /// Adds a task, rendered; `reindex` must follow before lookups.
    fn add_task(&mut self, mut task: Task) {
        task.rendered = self.renderers.render(&task);
        self.tasks.push(task);
    }

    /// Sorts tasks into the default order and rebuilds the key index.
    fn reindex(&mut self) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn task(key: i64, creation_ms: i64) -> Task {
        Task {
            key,
            name: None,
            task_definition_id: "t".into(),
            process_name: "p".into(),
            bpmn_process_id: "p".into(),
            process_version: 1,
            process_definition_key: 1,
            process_instance_key: 2,
            element_instance_key: 3,
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
            implementation: Implementation::JobWorker,
            priority: 50,
            transition: None,
            export: None,
            rendered: Rendered::default(),
        }
    }

    /// A stand-in for a generation's renderer: the store only calls it.
    fn render_assignee(task: &Task) -> String {
        format!("{}:{}", task.key, task.assignee.as_deref().unwrap_or("-"))
    }

    #[test]
    fn tasks_are_rendered_when_added_and_after_every_change() {
        let mut data = Data::new(Renderers {
            v1: render_assignee,
            v2: render_assignee,
            v2_sparse: render_assignee,
        });
        data.add_task(task(5, 100));
        data.add_task(task(4, 200));
        data.reindex();
        let order: Vec<(i64, &str)> = data
            .tasks()
            .iter()
            .map(|t| (t.key, t.rendered().v1.as_str()))
            .collect();
        assert_eq!(order, [(4, "4:-"), (5, "5:-")], "newest first");
        let changed = data
            .update_task(5, |t| t.assignee = Some("demo".into()))
            .unwrap();
        assert_eq!(changed.rendered().v1, "5:demo");
        assert_eq!(data.task("5").unwrap().rendered().v1, "5:demo");
        assert_eq!(data.task("4").unwrap().rendered().v1, "4:-");
        assert!(data.update_task(6, |_| {}).is_none());
        assert!(data.task("six").is_none());
    }
}
