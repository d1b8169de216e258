//! Process definitions (search, get, start form, BPMN XML) and process
//! instances (create, get, search). Creating an instance also creates its
//! user task, so that the inbox has work; both become visible to reads
//! after the export delay.

use super::body::{self, Object};
use super::filter::{self, Cond, Field, Kind};
use super::paging::{self, PageRequest};
use super::problem::Problem;
use super::render::{self, push_process_definition, push_process_instance};
use super::user_tasks::set_variable;
use super::{no_content, ok_json, parse_key, Answer};
use crate::dates::now_millis;
use crate::http::Response;
use crate::json_text::push_json_string;
use crate::router::Call;
use crate::store::{Data, Process, ProcessInstance, Task, DEFAULT_TENANT};

const DEFINITION_SORT: &[&str] = &[
    "processDefinitionKey",
    "name",
    "resourceName",
    "version",
    "versionTag",
    "processDefinitionId",
    "tenantId",
];

fn definition_value<'a>(p: &'a Process, field: &str) -> Option<Field<'a>> {
    match field {
        "processDefinitionKey" => Some(Field::Int(p.key)),
        "name" => p.name.as_deref().map(Field::Text),
        "resourceName" | "processDefinitionId" => Some(Field::Text(&p.bpmn_process_id)),
        "version" => Some(Field::Int(i64::from(p.version))),
        "tenantId" => Some(Field::Text(DEFAULT_TENANT)),
        _ => None,
    }
}

fn is_latest(data: &Data, p: &Process) -> bool {
    !data
        .processes
        .iter()
        .any(|q| q.bpmn_process_id == p.bpmn_process_id && q.version > p.version)
}

enum DefinitionCond {
    Field(&'static str, Cond),
    ResourceName(Cond),
    HasStartForm(bool),
    IsLatest(bool),
    VersionTag(Cond),
    State(Cond),
}

fn definition_filter(
    obj: &Object,
    profile: &crate::profile::Profile,
) -> Result<Vec<DefinitionCond>, Problem> {
    let mut conds = Vec::new();
    let Some(filter) = body::object(obj, "filter", "")? else {
        return Ok(conds);
    };
    for (name, value) in filter {
        if value.is_null() {
            continue;
        }
        let path = format!("filter.{name}");
        let cannot = || Problem::bad_request(format!("Request property [{path}] cannot be parsed"));
        conds.push(match name.as_str() {
            "name" => {
                DefinitionCond::Field("name", filter::parse(value, Kind::String, true, &path)?)
            }
            "processDefinitionId" => DefinitionCond::Field(
                "processDefinitionId",
                filter::parse(value, Kind::String, true, &path)?,
            ),
            "resourceName" => {
                DefinitionCond::ResourceName(filter::parse(value, Kind::String, false, &path)?)
            }
            "tenantId" => DefinitionCond::Field(
                "tenantId",
                filter::parse(value, Kind::String, false, &path)?,
            ),
            "version" => DefinitionCond::Field(
                "version",
                filter::parse(value, Kind::Integer, false, &path)?,
            ),
            "processDefinitionKey" => DefinitionCond::Field(
                "processDefinitionKey",
                filter::parse(value, Kind::Key, false, &path)?,
            ),
            "versionTag" => {
                DefinitionCond::VersionTag(filter::parse(value, Kind::String, false, &path)?)
            }
            "hasStartForm" => DefinitionCond::HasStartForm(value.as_bool().ok_or_else(cannot)?),
            "isLatestVersion" => DefinitionCond::IsLatest(value.as_bool().ok_or_else(cannot)?),
            "state" if profile.v2_process_definition_state => DefinitionCond::State(filter::parse(
                value,
                Kind::State(&["ACTIVE", "DELETED", "DRAINING"]),
                true,
                &path,
            )?),
            _ => return Err(cannot()),
        });
    }
    Ok(conds)
}

/// `POST /v2/process-definitions/search`
pub fn search_definitions(c: &Call<'_>) -> Answer {
    let obj = body::optional_object(c.request)?.unwrap_or_default();
    body::closed(&obj, &["filter", "sort", "page"], "")?;
    let conds = definition_filter(&obj, c.profile)?;
    let mut criteria = body::sort(&obj, DEFINITION_SORT)?;
    if criteria.is_empty() {
        criteria.push(("processDefinitionKey".into(), false));
    }
    let page: PageRequest = paging::parse(&obj, c.profile, true)?;
    let data = c.data.read().unwrap();
    let matched: Vec<&Process> = data
        .processes
        .iter()
        .filter(|p| {
            conds.iter().all(|cond| match cond {
                DefinitionCond::Field(f, cond) => cond.matches(definition_value(p, f)),
                DefinitionCond::ResourceName(cond) => {
                    cond.matches(Some(Field::Text(&format!("{}.bpmn", p.bpmn_process_id))))
                }
                DefinitionCond::HasStartForm(b) => p.start_event_form_id.is_some() == *b,
                DefinitionCond::IsLatest(b) => is_latest(&data, p) == *b,
                DefinitionCond::VersionTag(cond) => cond.matches(None),
                DefinitionCond::State(cond) => cond.matches(Some(Field::Text("ACTIVE"))),
            })
        })
        .collect();
    let descending: Vec<bool> = criteria.iter().map(|(_, d)| *d).collect();
    let paged = paging::apply(
        matched,
        false,
        &descending,
        |p: &Process| {
            criteria
                .iter()
                .map(|(f, _)| definition_value(p, f))
                .collect()
        },
        |p| p.key,
        &page,
    );
    let mut out = String::from("{\"items\":[");
    for (i, p) in paged.items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_process_definition(&mut out, p, c.profile);
    }
    out.push_str("],");
    paging::push_page(&mut out, &paged, c.profile);
    out.push('}');
    ok_json(out)
}

fn definition<'d>(data: &'d Data, c: &Call<'_>) -> Result<&'d Process, Problem> {
    let key = parse_key(c.params[0], "processDefinitionKey")?;
    data.process(key)
        .ok_or_else(|| Problem::not_found(format!("Process definition with key '{key}' not found")))
}

/// `GET /v2/process-definitions/{processDefinitionKey}`
pub fn get_definition(c: &Call<'_>) -> Answer {
    let data = c.data.read().unwrap();
    let p = definition(&data, c)?;
    let mut out = String::new();
    push_process_definition(&mut out, p, c.profile);
    ok_json(out)
}

/// `GET /v2/process-definitions/{processDefinitionKey}/form`: the linked
/// start form's latest version; 204 when the process has none.
pub fn definition_form(c: &Call<'_>) -> Answer {
    let data = c.data.read().unwrap();
    let p = definition(&data, c)?;
    let Some(form_id) = p.start_event_form_id.as_deref() else {
        return no_content();
    };
    match data.find_form(form_id, &p.key.to_string(), None) {
        Some(found) => ok_json(render::form(
            form_id,
            found.version.unwrap_or(1),
            found.schema,
        )),
        None => no_content(),
    }
}

/// The user task a process definition's instances wait in: as its demo
/// tasks have it, or a generic one.
fn user_task_of(data: &Data, p: &Process) -> (String, Option<String>, Option<(String, i64)>) {
    match data
        .tasks()
        .iter()
        .find(|t| t.process_definition_key == p.key)
    {
        Some(t) => (
            t.task_definition_id.clone(),
            t.name.clone(),
            match (t.is_form_embedded, &t.form_id, t.form_version) {
                (Some(false), Some(id), Some(v)) => Some((id.clone(), v)),
                _ => None,
            },
        ),
        None => ("userTask".into(), Some("User Task".into()), None),
    }
}

/// `GET /v2/process-definitions/{processDefinitionKey}/xml`
pub fn definition_xml(c: &Call<'_>) -> Answer {
    let data = c.data.read().unwrap();
    let p = definition(&data, c)?;
    let (element_id, name, _) = user_task_of(&data, p);
    let xml = render::bpmn_xml(p, &element_id, name.as_deref().unwrap_or(&element_id));
    Ok(Response::new(200)
        .with_header("Content-Type", "text/xml")
        .with_body(xml))
}

const CREATE_FIELDS: &[&str] = &[
    "processDefinitionKey",
    "processDefinitionId",
    "processDefinitionVersion",
    "variables",
    "tenantId",
    "operationReference",
    "startInstructions",
    "runtimeInstructions",
    "awaitCompletion",
    "fetchVariables",
    "requestTimeout",
    "tags",
];

/// `POST /v2/process-instances`: by key, or by BPMN id and version
/// (latest when absent or -1).
pub fn create_instance(c: &Call<'_>) -> Answer {
    super::require_write(c, "CREATE_PROCESS_INSTANCE", "PROCESS_DEFINITION")?;
    let obj = body::required_object(c.request)?;
    let mut known = CREATE_FIELDS.to_vec();
    if c.profile.v2_root_keys_and_tags {
        known.push("businessId");
    }
    body::closed(&obj, &known, "")?;
    let by_key = body::key(&obj, "processDefinitionKey", "")?;
    let by_id = body::string(&obj, "processDefinitionId", "")?;
    let version = body::integer(&obj, "processDefinitionVersion", "")?.unwrap_or(-1);
    let tenant = body::string(&obj, "tenantId", "")?;
    if tenant.as_deref().is_some_and(|t| t != DEFAULT_TENANT) {
        return Err(Problem::invalid_argument(format!(
            "Expected to handle request Create Process Instance with tenant identifier '{}', but multi-tenancy is disabled",
            tenant.unwrap_or_default()
        )));
    }
    let tags = body::string_list(&obj, "tags", "")?.unwrap_or_default();
    let fetch = body::string_list(&obj, "fetchVariables", "")?;
    let business_id = body::string(&obj, "businessId", "")?;
    let variables = super::user_tasks::variables_of(&obj, "variables")?;
    let mut data = c.data.write().unwrap();
    let process = match (by_key, &by_id) {
        (Some(_), Some(_)) => {
            return Err(Problem::invalid_argument(
                "Expected at most one of processDefinitionKey and processDefinitionId, but both were given",
            ))
        }
        (Some(key), None) => data.process(key).cloned().ok_or_else(|| {
            Problem::rejected(
                "CREATE",
                "NOT_FOUND",
                &format!("Expected to find process definition with key '{key}', but none found"),
            )
        })?,
        (None, Some(id)) => data
            .processes
            .iter()
            .filter(|p| &p.bpmn_process_id == id && (version < 0 || i64::from(p.version) == version))
            .max_by_key(|p| p.version)
            .cloned()
            .ok_or_else(|| {
                Problem::rejected(
                    "CREATE",
                    "NOT_FOUND",
                    &if version < 0 {
                        format!("Expected to find process definition with process ID '{id}', but none found")
                    } else {
                        format!("Expected to find process definition with process ID '{id}' and version '{version}', but none found")
                    },
                )
            })?,
        (None, None) => {
            return Err(Problem::invalid_argument(
                "Expected at least one of [processDefinitionId,processDefinitionKey] to be set",
            ))
        }
    };
    let now = now_millis();
    let (element_id, name, linked) = user_task_of(&data, &process);
    let instance_key = data.new_key();
    let element_key = data.new_key();
    let task_key = data.new_key();
    for (name, value) in &variables {
        set_variable(&mut data, instance_key, name, value.clone());
    }
    data.add_instance(instance_key, process.key, now);
    let mut task = Task::created(task_key, now);
    task.name = name;
    task.task_definition_id = element_id;
    task.process_name = process.display_name().to_string();
    task.bpmn_process_id = process.bpmn_process_id.clone();
    task.process_version = process.version;
    task.process_definition_key = process.key;
    task.process_instance_key = instance_key;
    task.element_instance_key = element_key;
    if let Some((form_id, version)) = linked {
        task.form_id = Some(form_id);
        task.form_version = Some(version);
        task.is_form_embedded = Some(false);
    }
    data.add_new_task(task, now);
    let mut out = String::from("{");
    let mut f = render::Fields::new(&mut out, c.profile.v2_sends_every_field, true);
    f.string("processDefinitionId", Some(&process.bpmn_process_id))
        .key("processDefinitionKey", Some(process.key))
        .int("processDefinitionVersion", Some(i64::from(process.version)))
        .string("tenantId", Some(DEFAULT_TENANT));
    // Only the variables asked for (all with an empty list).
    let mut vars = String::from("{");
    let mut first = true;
    for (name, value) in &variables {
        if fetch
            .as_ref()
            .is_some_and(|f| !f.is_empty() && !f.contains(name))
        {
            continue;
        }
        if !first {
            vars.push(',');
        }
        first = false;
        push_json_string(&mut vars, name);
        vars.push(':');
        vars.push_str(value);
    }
    vars.push('}');
    f.raw("variables", Some(&vars))
        .key("processInstanceKey", Some(instance_key))
        .strings("tags", &tags);
    if c.profile.v2_root_keys_and_tags {
        f.string("businessId", business_id.as_deref());
    }
    out.push('}');
    ok_json(out)
}

fn instance_value<'a>(data: &'a Data, i: &ProcessInstance, field: &str) -> Option<Field<'a>> {
    let process = data.process(i.process_definition_key);
    match field {
        "processInstanceKey" => Some(Field::Int(i.key)),
        "processDefinitionKey" => Some(Field::Int(i.process_definition_key)),
        "processDefinitionId" => process.map(|p| Field::Text(&p.bpmn_process_id)),
        "processDefinitionName" => process.and_then(|p| p.name.as_deref()).map(Field::Text),
        "processDefinitionVersion" => process.map(|p| Field::Int(i64::from(p.version))),
        "state" => Some(Field::Text(render::instance_state(i.state))),
        "startDate" => Some(Field::Int(i.start_ms)),
        "endDate" => i.end_ms.map(Field::Int),
        "tenantId" => Some(Field::Text(DEFAULT_TENANT)),
        _ => None,
    }
}

/// `GET /v2/process-instances/{processInstanceKey}`
pub fn get_instance(c: &Call<'_>) -> Answer {
    let key = parse_key(c.params[0], "processInstanceKey")?;
    let data = c.data.read().unwrap();
    let instance = data
        .instances
        .get(&key)
        .and_then(|i| i.exported(now_millis()))
        .ok_or_else(|| {
            Problem::not_found(format!("Process Instance with key '{key}' not found"))
        })?;
    let mut out = String::new();
    push_process_instance(
        &mut out,
        &instance,
        data.process(instance.process_definition_key),
        c.profile,
    );
    ok_json(out)
}

/// The instance filter fields the emulator evaluates; the spec's others
/// are refused rather than ignored.
fn instance_filter_field(name: &str) -> Option<(&'static str, Kind, bool)> {
    Some(match name {
        "processInstanceKey" => ("processInstanceKey", Kind::Key, true),
        "processDefinitionKey" => ("processDefinitionKey", Kind::Key, true),
        "processDefinitionId" => ("processDefinitionId", Kind::String, true),
        "processDefinitionName" => ("processDefinitionName", Kind::String, true),
        "processDefinitionVersion" => ("processDefinitionVersion", Kind::Integer, true),
        "state" => (
            "state",
            Kind::State(&["ACTIVE", "COMPLETED", "TERMINATED", "SUSPENDED"]),
            true,
        ),
        "startDate" => ("startDate", Kind::DateTime, true),
        "endDate" => ("endDate", Kind::DateTime, true),
        "tenantId" => ("tenantId", Kind::String, true),
        _ => return None,
    })
}

const INSTANCE_SORT: &[&str] = &[
    "processInstanceKey",
    "processDefinitionId",
    "processDefinitionName",
    "processDefinitionVersion",
    "processDefinitionKey",
    "startDate",
    "endDate",
    "state",
    "tenantId",
];

/// `POST /v2/process-instances/search`
pub fn search_instances(c: &Call<'_>) -> Answer {
    let obj = body::optional_object(c.request)?.unwrap_or_default();
    body::closed(&obj, &["filter", "sort", "page"], "")?;
    let mut conds: Vec<(&'static str, Cond)> = Vec::new();
    let mut has_incident = None;
    if let Some(filter) = body::object(&obj, "filter", "")? {
        for (name, value) in filter {
            if value.is_null() {
                continue;
            }
            let path = format!("filter.{name}");
            if name == "hasIncident" {
                has_incident = Some(value.as_bool().ok_or_else(|| {
                    Problem::bad_request(format!("Request property [{path}] cannot be parsed"))
                })?);
                continue;
            }
            let (field, kind, ops) = instance_filter_field(name).ok_or_else(|| {
                Problem::bad_request(format!(
                    "Request property [{path}] cannot be parsed (not supported by the emulator)"
                ))
            })?;
            conds.push((field, filter::parse(value, kind, ops, &path)?));
        }
    }
    let mut criteria = body::sort(&obj, INSTANCE_SORT)?;
    if criteria.is_empty() {
        criteria.push(("processInstanceKey".into(), false));
    }
    let page: PageRequest = paging::parse(&obj, c.profile, true)?;
    let now = now_millis();
    let data = c.data.read().unwrap();
    let exported: Vec<ProcessInstance> = data
        .instances
        .values()
        .filter_map(|i| i.exported(now))
        .collect();
    let matched: Vec<&ProcessInstance> = exported
        .iter()
        .filter(|_| has_incident != Some(true))
        .filter(|i| {
            conds
                .iter()
                .all(|(f, cond)| cond.matches(instance_value(&data, i, f)))
        })
        .collect();
    let descending: Vec<bool> = criteria.iter().map(|(_, d)| *d).collect();
    let paged = paging::apply(
        matched,
        false,
        &descending,
        |i: &ProcessInstance| {
            criteria
                .iter()
                .map(|(f, _)| instance_value(&data, i, f))
                .collect()
        },
        |i| i.key,
        &page,
    );
    let mut out = String::from("{\"items\":[");
    for (n, i) in paged.items.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        push_process_instance(
            &mut out,
            i,
            data.process(i.process_definition_key),
            c.profile,
        );
    }
    out.push_str("],");
    paging::push_page(&mut out, &paged, c.profile);
    out.push('}');
    ok_json(out)
}

/// `GET /v2/forms/{formKey}` (8.10; 404 before): a linked form by the key
/// tasks and definitions name it with.
pub fn form_by_key(c: &Call<'_>) -> Answer {
    if !c.profile.v2_forms_by_key {
        return Err(Problem::new(
            404,
            "Not Found",
            format!("No endpoint GET {}.", c.request.path),
        ));
    }
    let key = parse_key(c.params[0], "formKey")?;
    let data = c.data.read().unwrap();
    data.forms
        .iter()
        .find_map(|f| match f {
            crate::store::Form::Linked {
                form_id,
                version,
                schema,
                ..
            } if render::form_key(form_id, *version) == key => {
                Some(render::form(form_id, *version, schema))
            }
            _ => None,
        })
        .map_or_else(
            || {
                Err(Problem::new(
                    404,
                    "Not Found",
                    format!("Form with key '{key}' not found"),
                ))
            },
            ok_json,
        )
}
