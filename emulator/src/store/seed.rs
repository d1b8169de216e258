//! The deterministic demo data set: five processes, 120 tasks across every
//! state, variables of every JSON type (one longer than the truncation
//! threshold), drafts, embedded and linked forms. Same input, same keys.

use super::{Data, Form, Implementation, Process, Rendered, Renderers, Task, TaskState, Variable};
use crate::dates::millis_of;

/// First key handed out; Zeebe keys of partition 1 start near 2^51.
const FIRST_KEY: i64 = 2_251_799_813_685_249;
pub const SEEDED_TASKS: usize = 120;

struct Keys(i64);

impl Keys {
    fn next(&mut self) -> i64 {
        let key = self.0;
        self.0 += 1;
        key
    }
}

struct Template {
    process: usize,
    task_definition_id: &'static str,
    name: Option<&'static str>,
    form: TaskForm,
}

#[derive(Clone, Copy)]
enum TaskForm {
    None,
    Embedded(&'static str),
    Linked(&'static str, i64),
}

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// A JSON string value with quotes, a backslash, a newline and non-ASCII.
pub const TRICKY_STRING: &str = r#""She said \"hi\" \\ then left.\nSecond line: ünïcødé ✓ 日本""#;

/// The demo data, its tasks rendered with `renderers`.
pub fn build(generated_tasks: usize, renderers: Renderers) -> Data {
    let mut keys = Keys(FIRST_KEY);
    let mut data = Data::new(renderers);
    let process = |keys: &mut Keys, id: &str, name: Option<&str>, version: i32| Process {
        key: keys.next(),
        bpmn_process_id: id.to_string(),
        name: name.map(str::to_string),
        version,
        start_event_form_id: None,
    };
    data.processes = vec![
        process(&mut keys, "invoice-approval", Some("Invoice Approval"), 1),
        process(&mut keys, "invoice-approval", Some("Invoice Approval"), 2),
        process(&mut keys, "loan-application", Some("Loan Application"), 1),
        process(
            &mut keys,
            "employee-onboarding",
            Some("Employee Onboarding"),
            3,
        ),
        // No name: Tasklist then shows the bpmnProcessId as processName.
        process(&mut keys, "support-ticket", None, 1),
    ];
    data.processes[2].start_event_form_id = Some("loan-form".into());
    seed_forms(&mut data);

    let templates = [
        Template {
            process: 0,
            task_definition_id: "approveInvoice",
            name: Some("Approve Invoice"),
            form: TaskForm::Embedded("invoiceForm"),
        },
        Template {
            process: 2,
            task_definition_id: "reviewApplication",
            name: Some("Review application"),
            form: TaskForm::Linked("loan-form", 2),
        },
        // No element name: Tasklist shows the element id as the task name.
        Template {
            process: 3,
            task_definition_id: "prepareDesk",
            name: None,
            form: TaskForm::None,
        },
        Template {
            process: 4,
            task_definition_id: "triageTicket",
            name: Some("Triage ticket"),
            form: TaskForm::Embedded("userTaskForm_1"),
        },
        Template {
            process: 2,
            task_definition_id: "reviewApplication",
            name: Some("Review application"),
            form: TaskForm::Linked("loan-form", 1),
        },
    ];
    let base = millis_of(2024, 1, 15, 8, 0, 0);
    for i in 0..SEEDED_TASKS {
        let template = &templates[i % templates.len()];
        // Alternate invoice tasks between the two versions of that process.
        let process_index = if template.process == 0 && (i / 5) % 2 == 1 {
            1
        } else {
            template.process
        };
        // Tasks 10 and 11 share a creation time: the key breaks the tie.
        let created_at = |n: i64| base + n * 37 * MINUTE + (n * 123) % 1000;
        let creation_ms = created_at(if i == 11 { 10 } else { i as i64 });
        let state = match i % 10 {
            0..=5 => TaskState::Created,
            6..=8 => TaskState::Completed,
            _ => TaskState::Canceled,
        };
        let assignee = match (state, i % 3) {
            (TaskState::Created, 0) | (TaskState::Completed, 0 | 1) => Some("demo"),
            (TaskState::Created, 1) | (TaskState::Canceled, _) => None,
            _ => Some(if i % 2 == 0 { "john" } else { "jane" }),
        };
        let completion_ms = match state {
            TaskState::Created => None,
            TaskState::Completed => Some(creation_ms + 2 * HOUR + i as i64 * 1000),
            TaskState::Canceled => Some(creation_ms + HOUR),
        };
        let process = &data.processes[process_index];
        let (form_key, form_id, form_version, is_form_embedded) = match template.form {
            TaskForm::None => (None, None, None, None),
            TaskForm::Embedded(id) => (
                Some(format!("camunda-forms:bpmn:{id}")),
                None,
                None,
                Some(true),
            ),
            TaskForm::Linked(id, version) => {
                (None, Some(id.to_string()), Some(version), Some(false))
            }
        };
        let mut task = Task {
            key: 0,
            name: template.name.map(str::to_string),
            task_definition_id: template.task_definition_id.to_string(),
            process_name: process.display_name().to_string(),
            bpmn_process_id: process.bpmn_process_id.clone(),
            process_version: process.version,
            process_definition_key: process.key,
            process_instance_key: keys.next(),
            element_instance_key: keys.next(),
            creation_ms,
            completion_ms,
            assignee: assignee.map(str::to_string),
            state,
            form_key,
            form_id,
            form_version,
            is_form_embedded,
            due_ms: (i % 4 == 0).then_some(creation_ms + 3 * DAY),
            follow_up_ms: (i % 5 == 0).then_some(creation_ms + DAY),
            candidate_groups: match i % 4 {
                0 => Some(vec!["accounting".into()]),
                1 => Some(vec!["management".into(), "accounting".into()]),
                2 => None,
                _ => Some(vec!["support".into()]),
            },
            candidate_users: (i % 6 == 0).then(|| vec!["demo".into(), "jane".into()]),
            // Onboarding's user task is a Camunda user task, the others
            // job-worker tasks: both kinds, as on an 8.5+ cluster.
            implementation: if template.task_definition_id == "prepareDesk" {
                Implementation::ZeebeUserTask
            } else {
                Implementation::JobWorker
            },
            priority: if template.task_definition_id == "prepareDesk" {
                [25, 50, 75, 100][i % 4]
            } else {
                50
            },
            transition: None,
            export: None,
            rendered: Rendered::default(),
        };
        task.key = keys.next();
        let variables =
            process_variables(template.task_definition_id, i, task.process_instance_key);
        if state == TaskState::Completed {
            let snapshot = variables
                .iter()
                .map(|v| Variable::new(task.key, &v.name, &v.value))
                .collect();
            data.snapshots.insert(task.key, snapshot);
        }
        data.variables.insert(task.process_instance_key, variables);
        data.add_task(task);
    }
    seed_special_cases(&mut data);
    seed_generated(&mut data, &mut keys, generated_tasks);
    data.reindex();
    data.seed_instances();
    data.next_key = keys.0;
    data
}

fn process_variables(task_definition_id: &str, i: usize, scope: i64) -> Vec<Variable> {
    let v = |name: &str, value: String| Variable::new(scope, name, &value);
    match task_definition_id {
        "approveInvoice" => vec![
            v("invoiceId", format!("\"INV-{i:04}\"")),
            v("amount", format!("{}.5", 100 + i * 7)),
            v("approved", "false".into()),
            v(
                "vendor",
                format!("{{\"name\":\"Acme {i}\",\"country\":\"DE\"}}"),
            ),
        ],
        "reviewApplication" => vec![
            v("applicant", format!("\"Applicant {i}\"")),
            v("loanAmount", format!("{}", 5000 + i * 250)),
            v("score", format!("0.{:02}", i % 100)),
        ],
        "prepareDesk" => vec![
            v("employee", format!("\"Employee {i}\"")),
            v("startDate", "\"2024-02-01\"".into()),
        ],
        _ => vec![
            v("ticketId", format!("{}", 1000 + i)),
            v(
                "priority",
                if i % 2 == 0 {
                    "\"high\"".into()
                } else {
                    "\"low\"".into()
                },
            ),
        ],
    }
}

fn seed_forms(data: &mut Data) {
    let schema = |title: &str, field: &str| {
        format!(
            "{{\"components\":[{{\"label\":\"{title}\",\"type\":\"textfield\",\"key\":\"{field}\"}}],\"type\":\"default\",\"id\":\"{field}Form\",\"schemaVersion\":4}}"
        )
    };
    let (invoice_v1, invoice_v2, support) = (
        data.processes[0].key,
        data.processes[1].key,
        data.processes[4].key,
    );
    data.forms = vec![
        Form::Embedded {
            process_definition_key: invoice_v1,
            form_id: "invoiceForm".into(),
            schema: schema("Approve?", "approved"),
        },
        Form::Embedded {
            process_definition_key: invoice_v2,
            form_id: "invoiceForm".into(),
            schema: schema("Approve (v2)?", "approved"),
        },
        Form::Embedded {
            process_definition_key: support,
            form_id: "userTaskForm_1".into(),
            schema: schema("Priority", "priority"),
        },
        Form::Linked {
            form_id: "loan-form".into(),
            version: 1,
            schema: schema("Decision", "decision"),
            is_deleted: false,
        },
        Form::Linked {
            form_id: "loan-form".into(),
            version: 2,
            schema: schema("Decision (v2)", "decision"),
            is_deleted: false,
        },
        // A deleted newer version: "highest version" must skip it.
        Form::Linked {
            form_id: "loan-form".into(),
            version: 3,
            schema: schema("Decision (v3)", "decision"),
            is_deleted: true,
        },
    ];
}

/// Variables of every JSON type, a local variable shadowing a process one,
/// a value over the truncation threshold and drafts, on well-known tasks.
fn seed_special_cases(data: &mut Data) {
    let find = |data: &Data, pred: &dyn Fn(&Task) -> bool| {
        data.tasks
            .iter()
            .find(|t| pred(t))
            .cloned()
            .expect("seed has such a task")
    };
    let all_types = find(data, &|t| {
        t.state == TaskState::Created
            && t.assignee.as_deref() == Some("demo")
            && t.task_definition_id == "approveInvoice"
    });
    let long_text = format!("\"{}\"", "Lorem ipsum dolor sit amet. ".repeat(400));
    let pi = all_types.process_instance_key;
    let scope_vars = data.variables.get_mut(&pi).expect("seeded instance");
    for (name, value) in [
        ("stringVar", TRICKY_STRING.to_string()),
        ("numberVar", "42".into()),
        ("bigIntVar", "9007199254740993".into()),
        ("floatVar", "3.14159".into()),
        ("boolVar", "true".into()),
        ("nullVar", "null".into()),
        ("objectVar", "{\"name\":\"Jane \\\"JJ\\\" Doe\",\"tags\":[\"a\",\"b\"],\"nested\":{\"n\":1.5,\"ok\":false}}".into()),
        ("arrayVar", "[1,\"two\",null,{\"three\":3}]".into()),
        ("longText", long_text),
    ] {
        scope_vars.push(Variable::new(pi, name, &value));
    }
    // Inner scope wins: the task sees approved=true.
    data.variables.insert(
        all_types.element_instance_key,
        vec![Variable::new(
            all_types.element_instance_key,
            "approved",
            "true",
        )],
    );
    let amount_id = format!("{pi}-amount");
    data.drafts.insert(
        all_types.key,
        vec![
            Variable {
                id: amount_id,
                name: "amount".into(),
                value: "999.99".into(),
            },
            Variable {
                id: format!("{}-comment", all_types.key),
                name: "comment".into(),
                value: "\"looks fine\"".into(),
            },
        ],
    );
    let long_draft_task = find(data, &|t| {
        t.state == TaskState::Created
            && t.assignee.as_deref() == Some("demo")
            && t.key != all_types.key
    });
    data.drafts.insert(
        long_draft_task.key,
        vec![Variable {
            id: format!("{}-longDraft", long_draft_task.key),
            name: "longDraft".into(),
            value: format!("\"{}\"", "x".repeat(9000)),
        }],
    );

    let key = |t: &Task| t.key_text();
    let unassigned = find(data, &|t| {
        t.state == TaskState::Created && t.assignee.is_none()
    });
    let other = find(data, &|t| {
        t.state == TaskState::Created && matches!(t.assignee.as_deref(), Some("john" | "jane"))
    });
    let completed = find(data, &|t| t.state == TaskState::Completed);
    let canceled = find(data, &|t| t.state == TaskState::Canceled);
    let linked = find(data, &|t| {
        t.state == TaskState::Created && t.form_version == Some(2)
    });
    let embedded = find(data, &|t| {
        t.state == TaskState::Created
            && t.form_key.as_deref() == Some("camunda-forms:bpmn:userTaskForm_1")
    });
    let camunda_user_task = find(data, &|t| {
        t.state == TaskState::Created
            && t.implementation == Implementation::ZeebeUserTask
            && t.assignee.is_none()
    });
    let job_worker_task = find(data, &|t| {
        t.state == TaskState::Created
            && t.implementation == Implementation::JobWorker
            && t.assignee.is_none()
            && t.key != unassigned.key
    });
    data.landmarks = vec![
        ("allTypesTaskId", key(&all_types)),
        ("longVariableId", format!("{pi}-longText")),
        ("draftTaskId", key(&all_types)),
        ("longDraftTaskId", key(&long_draft_task)),
        ("assignedToDemoTaskId", key(&long_draft_task)),
        ("unassignedTaskId", key(&unassigned)),
        ("assignedToOtherTaskId", key(&other)),
        ("completedTaskId", key(&completed)),
        ("canceledTaskId", key(&canceled)),
        ("linkedFormTaskId", key(&linked)),
        (
            "linkedFormProcessDefinitionKey",
            linked.process_definition_key.to_string(),
        ),
        ("embeddedFormTaskId", key(&embedded)),
        (
            "embeddedFormProcessDefinitionKey",
            embedded.process_definition_key.to_string(),
        ),
        ("camundaUserTaskId", key(&camunda_user_task)),
        ("jobWorkerTaskId", key(&job_worker_task)),
    ];
}

/// `--tasks N`: simple unassigned CREATED tasks of their own process, one
/// second apart, newer than every demo task.
fn seed_generated(data: &mut Data, keys: &mut Keys, count: usize) {
    if count == 0 {
        return;
    }
    let process = Process {
        key: keys.next(),
        bpmn_process_id: "generated-work".into(),
        name: Some("Generated Work".into()),
        version: 1,
        start_event_form_id: None,
    };
    let base = millis_of(2024, 3, 1, 0, 0, 0);
    for n in 0..count {
        let mut task = Task {
            key: 0,
            name: Some(format!("Do work {n}")),
            task_definition_id: "doWork".into(),
            process_name: process.display_name().to_string(),
            bpmn_process_id: process.bpmn_process_id.clone(),
            process_version: process.version,
            process_definition_key: process.key,
            process_instance_key: keys.next(),
            element_instance_key: keys.next(),
            creation_ms: base + n as i64 * 1000,
            completion_ms: None,
            assignee: None,
            state: TaskState::Created,
            form_key: None,
            form_id: None,
            form_version: None,
            is_form_embedded: None,
            due_ms: None,
            follow_up_ms: None,
            candidate_groups: Some(vec!["generated".into()]),
            candidate_users: None,
            implementation: Implementation::JobWorker,
            priority: 50,
            transition: None,
            export: None,
            rendered: Rendered::default(),
        };
        task.key = keys.next();
        data.variables.insert(
            task.process_instance_key,
            vec![Variable::new(
                task.process_instance_key,
                "index",
                &n.to_string(),
            )],
        );
        data.add_task(task);
    }
    data.processes.push(process);
}
