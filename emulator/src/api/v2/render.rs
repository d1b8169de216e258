//! The v2 JSON of the store's objects. A task's shared fields are
//! rendered by the store after every change (`task_fields`, and
//! `task_fields_sparse` for 8.8, which leaves empty fields out), so a
//! search copies cached text and appends the few per-version fields
//! (`push_version_fields`). Dates are RFC 3339 UTC with milliseconds and
//! `Z`; keys are decimal strings.

use crate::dates::format_tasklist;
use crate::json_text::push_json_string;
use crate::profile::Profile;
use crate::store::{
    InstanceState, Process, ProcessInstance, Task, TaskState, Transition, DEFAULT_TENANT,
};

/// `2024-01-15T08:00:00.000Z`
pub fn format_date(millis: i64) -> String {
    let mut text = format_tasklist(millis);
    text.truncate(text.len() - "+0000".len());
    text.push('Z');
    text
}

/// A stable key for objects the store names by text only (variables,
/// linked forms): FNV-1a of the name, in the range of Zeebe keys.
pub fn derived_key(name: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (1 << 52) + (hash % (1 << 52)) as i64
}

pub fn form_key(form_id: &str, version: i64) -> i64 {
    derived_key(&format!("form:{form_id}:{version}"))
}

pub fn variable_key(scope_key: i64, name: &str) -> i64 {
    derived_key(&format!("variable:{scope_key}:{name}"))
}

pub fn task_state(task: &Task) -> &'static str {
    match (task.transition, task.state) {
        (Some(Transition::Assigning), _) => "ASSIGNING",
        (Some(Transition::Updating), _) => "UPDATING",
        (Some(Transition::Completing), _) => "COMPLETING",
        (None, TaskState::Created) => "CREATED",
        (None, TaskState::Completed) => "COMPLETED",
        (None, TaskState::Canceled) => "CANCELED",
    }
}

/// Writes the fields of a JSON object, leaving empty ones out unless
/// `every` (8.9+ sends them as `null`).
pub struct Fields<'a> {
    out: &'a mut String,
    every: bool,
    first: bool,
}

impl<'a> Fields<'a> {
    /// Continues an object that already has fields when `first` is false.
    pub fn new(out: &'a mut String, every: bool, first: bool) -> Fields<'a> {
        Fields { out, every, first }
    }

    fn name(&mut self, name: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\":");
    }

    /// A JSON fragment as is (`null` when `None`).
    pub fn raw(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => {
                self.name(name);
                self.out.push_str(v);
            }
            None if self.every => {
                self.name(name);
                self.out.push_str("null");
            }
            None => {}
        }
        self
    }

    pub fn string(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => {
                self.name(name);
                push_json_string(self.out, v);
            }
            None => {
                self.raw(name, None);
            }
        }
        self
    }

    pub fn key(&mut self, name: &str, key: Option<i64>) -> &mut Self {
        self.string(name, key.map(|k| k.to_string()).as_deref())
    }

    pub fn int(&mut self, name: &str, value: Option<i64>) -> &mut Self {
        self.raw(name, value.map(|v| v.to_string()).as_deref())
    }

    pub fn date(&mut self, name: &str, millis: Option<i64>) -> &mut Self {
        self.string(name, millis.map(format_date).as_deref())
    }

    pub fn bool(&mut self, name: &str, value: bool) -> &mut Self {
        self.raw(name, Some(if value { "true" } else { "false" }))
    }

    pub fn strings(&mut self, name: &str, values: &[String]) -> &mut Self {
        let mut list = String::from("[");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            push_json_string(&mut list, v);
        }
        list.push(']');
        self.raw(name, Some(&list))
    }
}

fn linked_form_key(task: &Task) -> Option<i64> {
    match (task.is_form_embedded, &task.form_id, task.form_version) {
        (Some(false), Some(id), Some(version)) => Some(form_key(id, version)),
        _ => None,
    }
}

fn push_task_fields(out: &mut String, task: &Task, every: bool) {
    let mut f = Fields::new(out, every, true);
    f.key("userTaskKey", Some(task.key))
        .string(
            "name",
            Some(task.name.as_deref().unwrap_or(&task.task_definition_id)),
        )
        .string("state", Some(task_state(task)))
        .string("assignee", task.assignee.as_deref())
        .string("elementId", Some(&task.task_definition_id))
        .key("elementInstanceKey", Some(task.element_instance_key))
        .strings(
            "candidateGroups",
            task.candidate_groups.as_deref().unwrap_or(&[]),
        )
        .strings(
            "candidateUsers",
            task.candidate_users.as_deref().unwrap_or(&[]),
        )
        .string("processDefinitionId", Some(&task.bpmn_process_id))
        .key("processDefinitionKey", Some(task.process_definition_key))
        .int(
            "processDefinitionVersion",
            Some(i64::from(task.process_version)),
        )
        .string(
            "processName",
            // A process without a name: Tasklist's fallback, not v2's.
            (task.process_name != task.bpmn_process_id).then_some(task.process_name.as_str()),
        )
        .key("processInstanceKey", Some(task.process_instance_key))
        .date("creationDate", Some(task.creation_ms))
        .date("completionDate", task.completion_ms)
        .date("dueDate", task.due_ms)
        .date("followUpDate", task.follow_up_ms)
        .int("priority", Some(i64::from(task.priority)))
        .string("tenantId", Some(DEFAULT_TENANT))
        .key("formKey", linked_form_key(task))
        .string("externalFormReference", None)
        .raw("customHeaders", Some("{}"));
}

/// The UserTask fields of 8.9+ (every field, empty ones `null`) that all
/// v2 versions share, without braces; cached by the store.
pub fn task_fields(task: &Task) -> String {
    let mut out = String::with_capacity(720);
    push_task_fields(&mut out, task, true);
    out
}

/// The same as 8.8 sends them: empty fields left out.
pub fn task_fields_sparse(task: &Task) -> String {
    let mut out = String::with_capacity(640);
    push_task_fields(&mut out, task, false);
    out
}

/// The fields only some versions have: `rootProcessInstanceKey`, `tags`
/// (8.9+), `businessId` (8.10).
pub fn push_version_fields(out: &mut String, task: &Task, profile: &Profile) {
    if profile.v2_root_keys_and_tags {
        out.push_str(",\"rootProcessInstanceKey\":\"");
        out.push_str(&task.process_instance_key.to_string());
        out.push_str("\",\"tags\":[]");
    }
    if profile.v2_task_business_id {
        out.push_str(",\"businessId\":null");
    }
}

/// A UserTask object from the cache.
pub fn push_task(out: &mut String, task: &Task, profile: &Profile) {
    let rendered = task.rendered();
    out.push('{');
    out.push_str(if profile.v2_sends_every_field {
        &rendered.v2
    } else {
        &rendered.v2_sparse
    });
    push_version_fields(out, task, profile);
    out.push('}');
}

/// A Variable of a search (`value` maybe truncated) or a get (`truncated`
/// `None`: no `isTruncated` field).
#[allow(clippy::too_many_arguments)]
pub fn push_variable(
    out: &mut String,
    name: &str,
    value: &str,
    truncated: Option<bool>,
    scope_key: i64,
    process_instance_key: i64,
    profile: &Profile,
) {
    out.push('{');
    let mut f = Fields::new(out, profile.v2_sends_every_field, true);
    f.key("variableKey", Some(variable_key(scope_key, name)))
        .string("name", Some(name))
        .string("value", Some(value));
    if let Some(t) = truncated {
        f.bool("isTruncated", t);
    }
    f.key("scopeKey", Some(scope_key))
        .key("processInstanceKey", Some(process_instance_key))
        .string("tenantId", Some(DEFAULT_TENANT));
    if profile.v2_root_keys_and_tags {
        f.key("rootProcessInstanceKey", Some(process_instance_key));
    }
    out.push('}');
}

/// A FormResult: `schema` is the form's JSON as a string.
pub fn form(form_id: &str, version: i64, schema: &str) -> String {
    let mut out = String::with_capacity(schema.len() + 128);
    out.push('{');
    Fields::new(&mut out, true, true)
        .key("formKey", Some(form_key(form_id, version)))
        .string("formId", Some(form_id))
        .int("version", Some(version))
        .string("tenantId", Some(DEFAULT_TENANT))
        .string("schema", Some(schema));
    out.push('}');
    out
}

pub fn push_process_definition(out: &mut String, p: &Process, profile: &Profile) {
    out.push('{');
    let mut f = Fields::new(out, profile.v2_sends_every_field, true);
    f.key("processDefinitionKey", Some(p.key))
        .string("name", p.name.as_deref())
        .string("resourceName", Some(&format!("{}.bpmn", p.bpmn_process_id)))
        .int("version", Some(i64::from(p.version)))
        .string("versionTag", None)
        .string("processDefinitionId", Some(&p.bpmn_process_id))
        .string("tenantId", Some(DEFAULT_TENANT))
        .bool("hasStartForm", p.start_event_form_id.is_some());
    if profile.v2_process_definition_state {
        f.string("state", Some("ACTIVE"));
    }
    out.push('}');
}

pub fn instance_state(state: InstanceState) -> &'static str {
    match state {
        InstanceState::Active => "ACTIVE",
        InstanceState::Completed => "COMPLETED",
        InstanceState::Terminated => "TERMINATED",
    }
}

pub fn push_process_instance(
    out: &mut String,
    instance: &ProcessInstance,
    process: Option<&Process>,
    profile: &Profile,
) {
    out.push('{');
    let mut f = Fields::new(out, profile.v2_sends_every_field, true);
    f.key("processInstanceKey", Some(instance.key))
        .string(
            "processDefinitionId",
            Some(process.map_or("", |p| &p.bpmn_process_id)),
        )
        .string(
            "processDefinitionName",
            process.and_then(|p| p.name.as_deref()),
        )
        .int(
            "processDefinitionVersion",
            Some(process.map_or(1, |p| i64::from(p.version))),
        )
        .string("processDefinitionVersionTag", None)
        .key(
            "processDefinitionKey",
            Some(instance.process_definition_key),
        )
        .date("startDate", Some(instance.start_ms))
        .date("endDate", instance.end_ms)
        .string("state", Some(instance_state(instance.state)))
        .bool("hasIncident", false)
        .string("tenantId", Some(DEFAULT_TENANT))
        .key("parentProcessInstanceKey", None)
        .key("parentElementInstanceKey", None)
        .raw("tags", Some("[]"));
    if profile.v2_root_keys_and_tags {
        f.key("rootProcessInstanceKey", Some(instance.key))
            .string("businessId", None);
    }
    if profile.v2_instance_suspended_date {
        f.string("suspendedDate", None);
    }
    out.push('}');
}

/// A BPMN document for a definition: one start event, its user task
/// (element id and name as the tasks have them), one end event.
pub fn bpmn_xml(p: &Process, element_id: &str, element_name: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let name = p.name.as_deref().map(escape);
    let name_attr = name.map(|n| format!(" name=\"{n}\"")).unwrap_or_default();
    let form = p
        .start_event_form_id
        .as_deref()
        .map(|id| {
            format!(
                "<bpmn:extensionElements><zeebe:formDefinition formId=\"{}\" /></bpmn:extensionElements>",
                escape(id)
            )
        })
        .unwrap_or_default();
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" ",
            "xmlns:zeebe=\"http://camunda.org/schema/zeebe/1.0\" id=\"Definitions_{id}\" ",
            "targetNamespace=\"http://bpmn.io/schema/bpmn\">\n",
            "  <bpmn:process id=\"{id}\"{name_attr} isExecutable=\"true\">\n",
            "    <bpmn:startEvent id=\"start\">{form}<bpmn:outgoing>toTask</bpmn:outgoing></bpmn:startEvent>\n",
            "    <bpmn:sequenceFlow id=\"toTask\" sourceRef=\"start\" targetRef=\"{element}\" />\n",
            "    <bpmn:userTask id=\"{element}\" name=\"{element_name}\"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>\n",
            "    <bpmn:sequenceFlow id=\"toEnd\" sourceRef=\"{element}\" targetRef=\"end\" />\n",
            "    <bpmn:endEvent id=\"end\" />\n",
            "  </bpmn:process>\n",
            "</bpmn:definitions>\n"
        ),
        id = escape(&p.bpmn_process_id),
        name_attr = name_attr,
        form = form,
        element = escape(element_id),
        element_name = escape(element_name),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::seed;
    use serde_json::Value;

    #[test]
    fn dates_are_utc_with_millis_and_z() {
        assert_eq!(format_date(1_704_067_200_123), "2024-01-01T00:00:00.123Z");
    }

    #[test]
    fn the_cache_holds_both_v2_renderings() {
        let data = seed::build(0, crate::api::RENDERERS);
        let nine = crate::profile::CamundaVersion::V8_9.profile();
        let eight = crate::profile::CamundaVersion::V8_8.profile();
        for task in data.tasks() {
            assert_eq!(task.rendered().v2, task_fields(task));
            let mut full = String::new();
            push_task(&mut full, task, &nine);
            let full: Value = serde_json::from_str(&full).unwrap();
            assert_eq!(full.as_object().unwrap().len(), 24, "{full}");
            assert_eq!(full["userTaskKey"], task.key.to_string());
            let mut sparse = String::new();
            push_task(&mut sparse, task, &eight);
            let sparse: Value = serde_json::from_str(&sparse).unwrap();
            assert!(sparse.as_object().unwrap().values().all(|v| !v.is_null()));
        }
    }

    #[test]
    fn derived_keys_are_stable_and_distinct() {
        assert_eq!(variable_key(1, "a"), variable_key(1, "a"));
        assert_ne!(variable_key(1, "a"), variable_key(2, "a"));
        assert!(form_key("f", 1) > 1 << 52);
    }
}
