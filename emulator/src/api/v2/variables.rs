//! Variables: a user task's variables (`/variables/search`: every scope
//! the task sees, duplicates included; `/effective-variables/search`: one
//! per name, the innermost scope winning), and setting variables of an
//! element instance (`PUT /v2/element-instances/{key}/variables`).
//! Values are JSON text in answers and filters, JSON in commands.

use super::body::{self, Object};
use super::filter::{self, Cond, Field, Kind};
use super::paging::{self, PageRequest};
use super::problem::Problem;
use super::render::{push_variable, variable_key};
use super::user_tasks::{exported, set_variable, task_key, variables_of};
use super::{no_content, ok_json, parse_key, Answer};
use crate::router::Call;
use crate::store::variables::TRUNCATION_THRESHOLD;
use crate::store::{Variable, DEFAULT_TENANT};

const SORT_FIELDS: &[&str] = &[
    "name",
    "value",
    "tenantId",
    "variableKey",
    "scopeKey",
    "processInstanceKey",
];

/// One variable with where it lives.
struct Scoped<'a> {
    variable: &'a Variable,
    scope_key: i64,
    process_instance_key: i64,
}

impl Scoped<'_> {
    fn key(&self) -> i64 {
        variable_key(self.scope_key, &self.variable.name)
    }
}

fn sort_value<'a>(v: &Scoped<'a>, field: &str) -> Option<Field<'a>> {
    Some(match field {
        "name" => Field::Text(&v.variable.name),
        "value" => Field::Text(&v.variable.value),
        "tenantId" => Field::Text(DEFAULT_TENANT),
        "variableKey" => Field::Int(v.key()),
        "scopeKey" => Field::Int(v.scope_key),
        _ => Field::Int(v.process_instance_key),
    })
}

fn name_filter(obj: &Object) -> Result<Option<Cond>, Problem> {
    let Some(filter) = body::object(obj, "filter", "")? else {
        return Ok(None);
    };
    body::closed(filter, &["name"], "filter")?;
    filter
        .get("name")
        .filter(|v| !v.is_null())
        .map(|v| filter::parse(v, Kind::String, true, "filter.name"))
        .transpose()
}

fn search(c: &Call<'_>, effective: bool) -> Answer {
    let key = task_key(c)?;
    let obj = body::optional_object(c.request)?.unwrap_or_default();
    body::closed(&obj, &["filter", "sort", "page"], "")?;
    let name = name_filter(&obj)?;
    let mut criteria = body::sort(&obj, SORT_FIELDS)?;
    if criteria.is_empty() {
        criteria.push(("name".into(), false));
    }
    // Effective variables page by offset only.
    let page: PageRequest = paging::parse(&obj, c.profile, !effective)?;
    let truncate = truncates(c);
    let data = c.data.read().unwrap();
    let task = exported(&data, key)?;
    let instance = task.process_instance_key;
    let mut found: Vec<Scoped<'_>> = Vec::new();
    // Outer scope first, so that the inner one replaces it below.
    for scope in [instance, task.element_instance_key] {
        for variable in data.variables.get(&scope).into_iter().flatten() {
            if effective {
                found.retain(|s| s.variable.name != variable.name);
            }
            found.push(Scoped {
                variable,
                scope_key: scope,
                process_instance_key: instance,
            });
        }
    }
    let matched: Vec<&Scoped<'_>> = found
        .iter()
        .filter(|s| {
            name.as_ref()
                .is_none_or(|c| c.matches(Some(Field::Text(&s.variable.name))))
        })
        .collect();
    answer_page(c, matched, &criteria, &page, truncate)
}

/// `truncateValues=false` (8.9+) asks for whole values.
fn truncates(c: &Call<'_>) -> bool {
    !(c.profile.v2_effective_variables && c.request.query_param("truncateValues") == Some("false"))
}

/// Sorts and pages `matched` and writes the search answer.
fn answer_page(
    c: &Call<'_>,
    matched: Vec<&Scoped<'_>>,
    criteria: &[(String, bool)],
    page: &PageRequest,
    truncate: bool,
) -> Answer {
    let descending: Vec<bool> = criteria.iter().map(|(_, d)| *d).collect();
    let paged = paging::apply(
        matched,
        false,
        &descending,
        |s: &Scoped<'_>| criteria.iter().map(|(f, _)| sort_value(s, f)).collect(),
        |s| s.key(),
        page,
    );
    let mut out = String::from("{\"items\":[");
    for (i, s) in paged.items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let value = &s.variable.value;
        let cut = value
            .char_indices()
            .nth(TRUNCATION_THRESHOLD)
            .map(|(at, _)| at)
            .filter(|_| truncate);
        push_variable(
            &mut out,
            &s.variable.name,
            cut.map_or(value.as_str(), |at| &value[..at]),
            Some(cut.is_some()),
            s.scope_key,
            s.process_instance_key,
            c.profile,
        );
    }
    out.push_str("],");
    paging::push_page(&mut out, &paged, c.profile);
    out.push('}');
    ok_json(out)
}

/// `POST /v2/user-tasks/{userTaskKey}/variables/search`
pub fn task_variables(c: &Call<'_>) -> Answer {
    search(c, false)
}

/// `POST /v2/user-tasks/{userTaskKey}/effective-variables/search` (8.9+;
/// a 404 on 8.8, where the route does not exist).
pub fn effective_variables(c: &Call<'_>) -> Answer {
    if !c.profile.v2_effective_variables {
        return Err(Problem::new(
            404,
            "Not Found",
            "No endpoint POST ".to_string() + &c.request.path + ".",
        ));
    }
    search(c, true)
}

/// Every variable of the store with its scope and process instance.
fn all_variables(data: &crate::store::Data) -> Vec<Scoped<'_>> {
    let instance_of: std::collections::HashMap<i64, i64> = data
        .tasks()
        .iter()
        .map(|t| (t.element_instance_key, t.process_instance_key))
        .collect();
    data.variables
        .iter()
        .flat_map(|(scope, vars)| {
            let instance = instance_of.get(scope).copied().unwrap_or(*scope);
            vars.iter().map(move |variable| Scoped {
                variable,
                scope_key: *scope,
                process_instance_key: instance,
            })
        })
        .collect()
}

enum VariableCond {
    Text(&'static str, Cond),
    Key(&'static str, Cond),
    Truncated(bool),
}

/// `POST /v2/variables/search`: variables defined at the scopes the filter
/// names (all scopes without one).
pub fn search_all(c: &Call<'_>) -> Answer {
    let obj = body::optional_object(c.request)?.unwrap_or_default();
    body::closed(&obj, &["filter", "sort", "page"], "")?;
    let mut conds = Vec::new();
    if let Some(filter) = body::object(&obj, "filter", "")? {
        for (name, value) in filter {
            if value.is_null() {
                continue;
            }
            let path = format!("filter.{name}");
            conds.push(match name.as_str() {
                "name" => {
                    VariableCond::Text("name", filter::parse(value, Kind::String, true, &path)?)
                }
                "value" => {
                    VariableCond::Text("value", filter::parse(value, Kind::String, true, &path)?)
                }
                "tenantId" => {
                    VariableCond::Text("tenantId", filter::parse(value, Kind::String, true, &path)?)
                }
                "variableKey" => {
                    VariableCond::Key("variableKey", filter::parse(value, Kind::Key, true, &path)?)
                }
                "scopeKey" => {
                    VariableCond::Key("scopeKey", filter::parse(value, Kind::Key, true, &path)?)
                }
                "processInstanceKey" => VariableCond::Key(
                    "processInstanceKey",
                    filter::parse(value, Kind::Key, true, &path)?,
                ),
                "isTruncated" => VariableCond::Truncated(value.as_bool().ok_or_else(|| {
                    Problem::bad_request(format!("Request property [{path}] cannot be parsed"))
                })?),
                _ => {
                    return Err(Problem::bad_request(format!(
                        "Request property [{path}] cannot be parsed"
                    )))
                }
            });
        }
    }
    let mut criteria = body::sort(&obj, SORT_FIELDS)?;
    if criteria.is_empty() {
        criteria.push(("variableKey".into(), false));
    }
    let page: PageRequest = paging::parse(&obj, c.profile, true)?;
    let truncate = truncates(c);
    let data = c.data.read().unwrap();
    let found = all_variables(&data);
    let matched: Vec<&Scoped<'_>> = found
        .iter()
        .filter(|s| {
            conds.iter().all(|cond| match cond {
                VariableCond::Text(field, cond) | VariableCond::Key(field, cond) => {
                    cond.matches(sort_value(s, field))
                }
                VariableCond::Truncated(wanted) => {
                    (truncate && s.variable.value.chars().count() > TRUNCATION_THRESHOLD) == *wanted
                }
            })
        })
        .collect();
    answer_page(c, matched, &criteria, &page, truncate)
}

/// `GET /v2/variables/{variableKey}`: the full value.
pub fn get_one(c: &Call<'_>) -> Answer {
    let key = parse_key(c.params[0], "variableKey")?;
    let data = c.data.read().unwrap();
    let found = all_variables(&data);
    let s = found
        .iter()
        .find(|s| s.key() == key)
        .ok_or_else(|| Problem::not_found(format!("Variable with key '{key}' not found")))?;
    let mut out = String::new();
    push_variable(
        &mut out,
        &s.variable.name,
        &s.variable.value,
        None,
        s.scope_key,
        s.process_instance_key,
        c.profile,
    );
    ok_json(out)
}

/// `PUT /v2/element-instances/{elementInstanceKey}/variables`: `local`
/// sets them at that scope; otherwise each goes to the nearest scope that
/// has a variable of its name, else to the process instance.
pub fn set_element_variables(c: &Call<'_>) -> Answer {
    let scope = parse_key(c.params[0], "elementInstanceKey")?;
    super::require_write(c, "UPDATE_PROCESS_INSTANCE", "PROCESS_DEFINITION")?;
    let obj = body::required_object(c.request)?;
    body::closed(&obj, &["variables", "local", "operationReference"], "")?;
    if body::object(&obj, "variables", "")?.is_none() {
        return Err(Problem::invalid_argument("No variables provided."));
    }
    let variables = variables_of(&obj, "variables")?;
    let local = body::boolean(&obj, "local", "")?.unwrap_or(false);
    body::integer(&obj, "operationReference", "")?;
    let mut data = c.data.write().unwrap();
    if !data.is_scope(scope) {
        return Err(Problem::rejected(
            "UPDATE",
            "NOT_FOUND",
            &format!("Expected to update variables for element with key '{scope}', but no such element was found"),
        ));
    }
    // A task's element instance lies inside its process instance.
    let parent = data
        .tasks()
        .iter()
        .find(|t| t.element_instance_key == scope)
        .map(|t| t.process_instance_key);
    for (name, value) in variables {
        let target = match parent {
            Some(instance) if !local => {
                let here = data
                    .variables
                    .get(&scope)
                    .is_some_and(|vars| vars.iter().any(|v| v.name == name));
                if here {
                    scope
                } else {
                    instance
                }
            }
            _ => scope,
        };
        set_variable(&mut data, target, &name, value);
    }
    no_content()
}
