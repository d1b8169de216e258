//! User tasks and their JSON form. The invariant part of a task's JSON is
//! rendered once per change, so a 50-task search mostly copies strings.

use super::DEFAULT_TENANT;
use crate::dates::format_tasklist;
use crate::json_text::{push_json_opt_string, push_json_string};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Created,
    Completed,
    Canceled,
}

impl TaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Created => "CREATED",
            TaskState::Completed => "COMPLETED",
            TaskState::Canceled => "CANCELED",
        }
    }

    pub fn parse(text: &str) -> Option<TaskState> {
        match text {
            "CREATED" => Some(TaskState::Created),
            "COMPLETED" => Some(TaskState::Completed),
            "CANCELED" => Some(TaskState::Canceled),
            _ => None,
        }
    }
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
    /// The TaskResponse fields as JSON, without the braces.
    pub rendered: String,
}

impl Task {
    /// Re-renders the cached JSON after any change.
    pub fn refresh(&mut self) {
        self.rendered = self.render_fields();
    }

    pub fn key_text(&self) -> String {
        self.key.to_string()
    }

    fn render_fields(&self) -> String {
        let mut o = String::with_capacity(640);
        o.push_str("\"id\":\"");
        o.push_str(&self.key.to_string());
        o.push_str("\",\"name\":");
        push_json_string(
            &mut o,
            self.name.as_deref().unwrap_or(&self.task_definition_id),
        );
        o.push_str(",\"taskDefinitionId\":");
        push_json_string(&mut o, &self.task_definition_id);
        o.push_str(",\"processName\":");
        push_json_string(&mut o, &self.process_name);
        o.push_str(",\"creationDate\":");
        push_json_string(&mut o, &format_tasklist(self.creation_ms));
        o.push_str(",\"completionDate\":");
        push_json_opt_string(&mut o, self.completion_ms.map(format_tasklist).as_deref());
        o.push_str(",\"assignee\":");
        push_json_opt_string(&mut o, self.assignee.as_deref());
        o.push_str(",\"taskState\":\"");
        o.push_str(self.state.as_str());
        o.push_str("\",\"formKey\":");
        push_json_opt_string(&mut o, self.form_key.as_deref());
        o.push_str(",\"formId\":");
        push_json_opt_string(&mut o, self.form_id.as_deref());
        o.push_str(",\"formVersion\":");
        match self.form_version {
            Some(v) => o.push_str(&v.to_string()),
            None => o.push_str("null"),
        }
        o.push_str(",\"isFormEmbedded\":");
        o.push_str(match self.is_form_embedded {
            Some(true) => "true",
            Some(false) => "false",
            None => "null",
        });
        o.push_str(",\"processDefinitionKey\":\"");
        o.push_str(&self.process_definition_key.to_string());
        o.push_str("\",\"processInstanceKey\":\"");
        o.push_str(&self.process_instance_key.to_string());
        o.push_str("\",\"tenantId\":");
        push_json_string(&mut o, DEFAULT_TENANT);
        o.push_str(",\"dueDate\":");
        push_json_opt_string(&mut o, self.due_ms.map(format_tasklist).as_deref());
        o.push_str(",\"followUpDate\":");
        push_json_opt_string(&mut o, self.follow_up_ms.map(format_tasklist).as_deref());
        o.push_str(",\"candidateGroups\":");
        push_string_list(&mut o, self.candidate_groups.as_deref());
        o.push_str(",\"candidateUsers\":");
        push_string_list(&mut o, self.candidate_users.as_deref());
        o
    }

    /// The TaskResponse body (get, assign, unassign, complete).
    pub fn response_json(&self) -> String {
        format!("{{{}}}", self.rendered)
    }
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
