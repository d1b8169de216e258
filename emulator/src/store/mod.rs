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
    /// v2 reads see the instance as it is from then on (export delay).
    pub visible_from_ms: i64,
    /// What reads see before that: the state and end of before the
    /// latest change; `None`: nothing (a new instance).
    pub previous: Option<(InstanceState, Option<i64>)>,
}

impl ProcessInstance {
    /// The instance as v2 reads see it at `now_ms`.
    pub fn exported(&self, now_ms: i64) -> Option<ProcessInstance> {
        if now_ms >= self.visible_from_ms {
            return Some(self.clone());
        }
        let (state, end_ms) = self.previous?;
        Some(ProcessInstance {
            state,
            end_ms,
            ..self.clone()
        })
    }
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
    /// `Config::export_jitter_ms`: up to this much more, drawn per change.
    export_jitter_ms: u64,
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
            export_jitter_ms: 0,
            renderers,
        }
    }

    /// Every change stays hidden from v2 reads for `delay_ms` plus a
    /// random part of up to `jitter_ms`.
    pub fn set_export_delay(&mut self, delay_ms: u64, jitter_ms: u64) {
        self.export_delay_ms = delay_ms.min(i64::MAX as u64 / 2) as i64;
        self.export_jitter_ms = jitter_ms.min(i64::MAX as u64 / 2);
    }

    fn delays_export(&self) -> bool {
        self.export_delay_ms > 0 || self.export_jitter_ms > 0
    }

    /// The delay of one change: the fixed part plus its share of jitter.
    fn export_delay(&self) -> i64 {
        let jitter = match self.export_jitter_ms {
            0 => 0,
            j => u64::from_le_bytes(crate::random::bytes::<8>()) % (j + 1),
        };
        self.export_delay_ms + jitter as i64
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
        if self.delays_export() {
            task.export = Some(Export {
                visible_from_ms: now_ms + self.export_delay(),
                previous: None,
            });
        }
        self.add_task(task);
        self.reindex();
    }

    /// Ends an instance; reads see it ended after the export delay.
    pub fn end_instance(&mut self, key: i64, state: InstanceState, now_ms: i64) {
        let delay = if self.delays_export() {
            self.export_delay()
        } else {
            0
        };
        let Some(instance) = self.instances.get_mut(&key) else {
            return;
        };
        if delay > 0 {
            if now_ms >= instance.visible_from_ms {
                instance.previous = Some((instance.state, instance.end_ms));
            }
            instance.visible_from_ms = now_ms + delay;
        }
        instance.state = state;
        instance.end_ms = Some(now_ms);
    }

    /// A new instance, hidden from v2 reads for the export delay.
    pub fn add_instance(&mut self, key: i64, process_definition_key: i64, now_ms: i64) {
        self.instances.insert(
            key,
            ProcessInstance {
                key,
                process_definition_key,
                state: InstanceState::Active,
                start_ms: now_ms,
                end_ms: None,
                visible_from_ms: now_ms + self.export_delay(),
                previous: None,
            },
        );
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
                    previous: None,
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
        let delay = self.delays_export().then(|| self.export_delay());
        let task = &mut self.tasks[index];
        let (creation_ms, key) = (task.creation_ms, task.key);
        if let Some(delay) = delay {
            let now = crate::dates::now_millis();
            let visible_from_ms = now + delay;
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
            task_definition_id: "t".into(),
            process_name: "p".into(),
            bpmn_process_id: "p".into(),
            process_definition_key: 1,
            process_instance_key: 2,
            element_instance_key: 3,
            implementation: Implementation::JobWorker,
            ..Task::created(key, creation_ms)
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

    fn data_with_delay(delay_ms: u64) -> Data {
        let mut data = Data::new(Renderers {
            v1: render_assignee,
            v2: render_assignee,
            v2_sparse: render_assignee,
        });
        data.set_export_delay(delay_ms, 0);
        data.add_task(task(5, 100));
        data.reindex();
        data
    }

    #[test]
    fn reads_see_the_state_before_the_latest_change_until_it_is_exported() {
        let mut data = data_with_delay(60_000);
        let now = crate::dates::now_millis();
        assert_eq!(data.task("5").unwrap().exported(now).unwrap().key, 5);
        data.update_task(5, |t| t.assignee = Some("a".into()));
        data.update_task(5, |t| t.assignee = Some("b".into()));
        let current = data.task("5").unwrap();
        assert_eq!(
            current.assignee.as_deref(),
            Some("b"),
            "commands see it at once"
        );
        let seen = current.exported(now).unwrap();
        assert_eq!(seen.assignee, None, "the state before both changes");
        assert_eq!(seen.rendered().v2, "5:-");
        let later = now + 61_000;
        assert_eq!(
            current.exported(later).unwrap().assignee.as_deref(),
            Some("b")
        );
        // New tasks are invisible until exported.
        data.add_new_task(task(9, now), now);
        assert!(data.task("9").unwrap().exported(now).is_none());
        assert!(data.task("9").unwrap().exported(later).is_some());
        assert_eq!(data.tasks()[0].key, 9, "newest first");
    }

    #[test]
    fn jitter_adds_up_to_its_bound() {
        let mut data = data_with_delay(100);
        data.set_export_delay(100, 50);
        for _ in 0..20 {
            let before = crate::dates::now_millis();
            data.update_task(5, |t| t.priority += 1);
            let after = crate::dates::now_millis();
            let visible = data
                .task("5")
                .unwrap()
                .export
                .as_ref()
                .unwrap()
                .visible_from_ms;
            assert!(
                visible >= before + 100 && visible <= after + 150,
                "{visible}"
            );
        }
    }

    #[test]
    fn without_a_delay_nothing_is_kept() {
        let mut data = data_with_delay(0);
        data.update_task(5, |t| t.assignee = Some("a".into()));
        let current = data.task("5").unwrap();
        assert!(current.export.is_none());
        assert_eq!(current.exported(0).unwrap().assignee.as_deref(), Some("a"));
    }
}
