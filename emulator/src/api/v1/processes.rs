//! Process listings: Operate's `POST /v1/process-definitions/search` (shown
//! by the authentication guide on the same base URL, reference §4) and
//! Tasklist's internal `GET /v1/internal/processes`, plus the current user.

use super::body::{self, Object};
use super::ok_json;
use super::render::{internal_process, process_definition};
use crate::auth::Caller;
use crate::http::{Request, Response};
use crate::store::{Data, Process};
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::sync::RwLock;

const SORTABLE: [&str; 5] = ["key", "name", "version", "bpmnProcessId", "tenantId"];

fn operate_error(message: &str) -> Response {
    Response::json(
        400,
        json!({"status": 400, "message": message, "instance": crate::random::uuid_v4(), "type": "Invalid request"}).to_string(),
    )
}

fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_i64().cmp(&y.as_i64()),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        _ => a.to_string().cmp(&b.to_string()),
    }
}

pub fn search_definitions(data: &RwLock<Data>, request: &Request) -> Response {
    let run = || -> Result<Response, Response> {
        let obj = body::optional_object(request, "Query")?.unwrap_or_default();
        let filter = body::nested_object(&obj, "filter", "ProcessDefinition")?
            .cloned()
            .unwrap_or_default();
        let size = body::integer(&obj, "size", "java.lang.Integer")?.unwrap_or(10);
        if size < 0 {
            return Err(operate_error("size should be greater than zero."));
        }
        let mut sort: Vec<(String, bool)> = Vec::new();
        for entry in body::object_list(&obj, "sort", "Sort")? {
            let field = body::string(entry, "field")?.unwrap_or_default();
            if !SORTABLE.contains(&field.as_str()) {
                return Err(operate_error(&format!(
                    "Sort has invalid field(s): {field}"
                )));
            }
            let descending =
                body::string(entry, "order")?.is_some_and(|o| o.eq_ignore_ascii_case("DESC"));
            sort.push((field, descending));
        }
        let search_after: Option<Vec<Value>> = match obj.get("searchAfter") {
            Some(Value::Array(values)) => Some(values.clone()),
            _ => None,
        };
        let data = data.read().unwrap();
        let mut items: Vec<Value> = data
            .processes
            .iter()
            .map(process_definition)
            .filter(|item| matches_filter(item, &filter))
            .collect();
        let total = items.len();
        let sort_values = |item: &Value| -> Vec<Value> {
            let mut values: Vec<Value> =
                sort.iter().map(|(f, _)| item[f.as_str()].clone()).collect();
            values.push(item["key"].clone());
            values
        };
        let compare = |a: &[Value], b: &[Value]| -> Ordering {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let descending = sort.get(i).is_some_and(|s| s.1);
                let ord = compare_values(x, y);
                let ord = if descending { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        };
        items.sort_by(|a, b| compare(&sort_values(a), &sort_values(b)));
        if let Some(after) = &search_after {
            items.retain(|item| compare(&sort_values(item), after) == Ordering::Greater);
        }
        items.truncate(size as usize);
        let last_sort_values = items.last().map(&sort_values).unwrap_or_default();
        Ok(ok_json(
            json!({"items": items, "sortValues": last_sort_values, "total": total}).to_string(),
        ))
    };
    run().unwrap_or_else(|e| e)
}

fn matches_filter(item: &Value, filter: &Object) -> bool {
    filter.iter().all(|(field, wanted)| {
        if wanted.is_null() || !SORTABLE.contains(&field.as_str()) {
            return true;
        }
        let actual = &item[field.as_str()];
        // Keys and versions may be sent as numbers or strings.
        actual == wanted
            || matches!((actual, wanted.as_str()), (Value::Number(n), Some(w)) if n.to_string() == w)
    })
}

/// Latest version of each process, filtered by `query` over id, name and key.
pub fn internal_processes(data: &RwLock<Data>, request: &Request) -> Response {
    let query = request.query_param("query").unwrap_or("").to_lowercase();
    let data = data.read().unwrap();
    let mut latest: Vec<&Process> = Vec::new();
    for p in &data.processes {
        match latest
            .iter_mut()
            .find(|l| l.bpmn_process_id == p.bpmn_process_id)
        {
            Some(l) if l.version < p.version => *l = p,
            Some(_) => {}
            None => latest.push(p),
        }
    }
    let items: Vec<Value> = latest
        .into_iter()
        .filter(|p| {
            query.is_empty()
                || p.bpmn_process_id.to_lowercase().contains(&query)
                || p.name
                    .as_deref()
                    .is_some_and(|n| n.to_lowercase().contains(&query))
                || p.key.to_string().contains(&query)
        })
        .map(internal_process)
        .collect();
    ok_json(Value::Array(items).to_string())
}

/// GET /v1/internal/users/current: a cheap way to check a session.
pub fn current_user(caller: &Caller) -> Response {
    let permissions: Vec<&str> = if caller.can_write() {
        vec!["READ", "WRITE"]
    } else {
        vec!["READ"]
    };
    ok_json(
        json!({
            "userId": caller.user_id(),
            "displayName": caller.user_id(),
            "permissions": permissions,
            "roles": [],
            "salesPlanType": null,
            "c8Links": [],
            "tenants": [],
        })
        .to_string(),
    )
}
