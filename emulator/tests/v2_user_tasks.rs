//! v2 user tasks: search (filters, sort, paging), get, the commands and
//! their rejections, variables and forms, and the per-version deltas.

mod common;
mod v2_support;
use common::*;
use serde_json::{json, Value};
use v2_support::*;

#[test]
fn search_answers_items_and_a_page_with_cursors() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let all = search(&client, "{}");
    assert_eq!(items(&all).len(), 100, "default limit");
    assert_eq!(all["page"]["totalItems"], 120);
    assert_eq!(all["page"]["hasMoreTotalItems"], false);
    let first = &items(&all)[0];
    assert!(first["userTaskKey"]
        .as_str()
        .unwrap()
        .parse::<i64>()
        .is_ok());
    assert!(first["creationDate"].as_str().unwrap().ends_with('Z'));
    // Newest first by default.
    let dates: Vec<String> = items(&all)
        .iter()
        .map(|t| t["creationDate"].as_str().unwrap().to_string())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
    // Forward with `after`, back with `before`.
    let page1 = search(&client, r#"{"page":{"limit":7}}"#);
    let after = page1["page"]["endCursor"].as_str().unwrap();
    let page2 = search(
        &client,
        &json!({"page": {"limit": 7, "after": after}}).to_string(),
    );
    assert_eq!(keys(&page2), keys(&all)[7..14].to_vec());
    let before = page2["page"]["startCursor"].as_str().unwrap();
    let back = search(
        &client,
        &json!({"page": {"limit": 7, "before": before}}).to_string(),
    );
    assert_eq!(keys(&back), keys(&page1));
    // Offset paging.
    let offset = search(&client, r#"{"page":{"from":3,"limit":2}}"#);
    assert_eq!(keys(&offset), keys(&all)[3..5].to_vec());
    // Past the end: no items, null cursors (8.9).
    let last = search(&client, r#"{"page":{"from":120}}"#);
    assert!(items(&last).is_empty());
    assert!(last["page"]["startCursor"].is_null() && last["page"]["endCursor"].is_null());
}

#[test]
fn totals_are_capped_at_ten_thousand() {
    let emulator = start_v2("8.10", |c| c.generated_tasks = 9_900);
    let result = search(&basic(&emulator), r#"{"page":{"limit":1}}"#);
    assert_eq!(result["page"]["totalItems"], 10_000);
    assert_eq!(result["page"]["hasMoreTotalItems"], true);
    let few = search(
        &basic(&emulator),
        r#"{"filter":{"state":"CANCELED"},"page":{"limit":1}}"#,
    );
    assert_eq!(few["page"]["totalItems"], 12);
    assert_eq!(few["page"]["hasMoreTotalItems"], false);
}

#[test]
fn bodies_must_be_json() {
    let emulator = start_v2("8.9", |_| {});
    let auth = basic(&emulator).auth[0].1.clone();
    let reply = send(
        emulator.addr(),
        "POST",
        "/v2/user-tasks/search",
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        b"{}",
    )
    .unwrap();
    assert_v2_problem(&reply, 415, "Unsupported Media Type", "text/plain");
    let broken = basic(&emulator).post("/v2/user-tasks/search", "{\"filter\":");
    assert_v2_problem(&broken, 400, "Bad Request", "not valid JSON");
    let array = basic(&emulator).post("/v2/user-tasks/search", "[]");
    assert_v2_problem(&array, 400, "Bad Request", "JSON object");
}

#[test]
fn paging_mistakes_are_problems() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let search_reply = |body: &str| client.post("/v2/user-tasks/search", body);
    assert_v2_problem(
        &search_reply(r#"{"page":{"limit":10001}}"#),
        400,
        "INVALID_ARGUMENT",
        "page.limit",
    );
    assert_v2_problem(
        &search_reply(r#"{"page":{"limit":0}}"#),
        400,
        "INVALID_ARGUMENT",
        "page.limit",
    );
    assert_v2_problem(
        &search_reply(r#"{"page":{"from":1,"after":"WyIxIl0="}}"#),
        400,
        "INVALID_ARGUMENT",
        "from",
    );
    assert_v2_problem(
        &search_reply(r#"{"page":{"after":"no cursor"}}"#),
        400,
        "Bad Request",
        "[page.after]",
    );
    assert_v2_problem(
        &search_reply(r#"{"filter":{},"nope":1}"#),
        400,
        "Bad Request",
        "Request property [nope] cannot be parsed",
    );
    assert_v2_problem(
        &search_reply(r#"{"sort":[{"field":"state"}]}"#),
        400,
        "Bad Request",
        "sort[0].field",
    );
    // 8.8 has no maximum.
    let old = start_v2("8.8", |_| {});
    let reply = basic(&old).post("/v2/user-tasks/search", r#"{"page":{"limit":10001}}"#);
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn filters_take_values_and_operators() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let count = |filter: Value| {
        search(
            &client,
            &json!({"filter": filter, "page": {"limit": 200}}).to_string(),
        )["page"]["totalItems"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(count(json!({"state": "CREATED"})), 72);
    assert_eq!(count(json!({"state": {"$neq": "CANCELED"}})), 108);
    assert_eq!(
        count(json!({"state": {"$in": ["COMPLETED", "CANCELED"]}})),
        48
    );
    assert_eq!(count(json!({"state": {"$like": "C*ED"}})), 120);
    let unassigned = count(json!({"state": "CREATED", "assignee": {"$exists": false}}));
    let assigned = count(json!({"state": "CREATED", "assignee": {"$exists": true}}));
    assert_eq!(unassigned + assigned, 72);
    assert!(count(json!({"assignee": "demo"})) > 0);
    assert!(count(json!({"assignee": {"$in": ["john", "jane"]}})) > 0);
    assert_eq!(
        count(json!({"name": {"$like": "Appr*"}})),
        count(json!({"elementId": "approveInvoice"}))
    );
    assert!(
        count(json!({"candidateGroup": "accounting"}))
            > count(json!({"candidateGroup": "management"}))
    );
    assert_eq!(count(json!({"candidateUser": "jane"})), 20);
    assert_eq!(count(json!({"priority": {"$gte": 75}})), 12);
    assert_eq!(count(json!({"priority": {"$gt": 25, "$lt": 100}})), 108);
    assert_eq!(
        count(json!({"dueDate": {"$exists": true}})),
        30,
        "every fourth task"
    );
    assert_eq!(
        count(json!({"creationDate": {"$lt": "2024-01-15T08:00:00.001Z"}})),
        1
    );
    assert_eq!(count(json!({"tenantId": "<default>"})), 120);
    // Variables compare JSON text.
    assert_eq!(
        count(
            json!({"processInstanceVariables": [{"name": "invoiceId", "value": "\"INV-0000\""}]})
        ),
        1
    );
    assert!(
        count(
            json!({"processInstanceVariables": [{"name": "invoiceId", "value": {"$like": "\"INV-00*"}}]})
        ) > 1
    );
    // A key as the exact value.
    let one = keys(&search(&client, r#"{"page":{"limit":1}}"#))[0].clone();
    assert_eq!(count(json!({"userTaskKey": one})), 1);
    // Unknown or mistyped fields are 400s.
    let reply = client.post("/v2/user-tasks/search", r#"{"filter":{"colour":"red"}}"#);
    assert_v2_problem(&reply, 400, "Bad Request", "[filter.colour]");
    let reply = client.post(
        "/v2/user-tasks/search",
        r#"{"filter":{"priority":{"$like":"5"}}}"#,
    );
    assert_v2_problem(&reply, 400, "Bad Request", "[filter.priority]");
}

#[test]
fn sorting_by_priority_and_name_breaks_ties_by_key() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let sorted = search(
        &client,
        r#"{"sort":[{"field":"priority","order":"DESC"},{"field":"name"}],"page":{"limit":200}}"#,
    );
    let rows: Vec<(i64, String, i64)> = items(&sorted)
        .iter()
        .map(|t| {
            (
                t["priority"].as_i64().unwrap(),
                t["name"].as_str().unwrap().to_string(),
                t["userTaskKey"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 120);
    assert!(rows.windows(2).all(|w| {
        let (a, b) = (&w[0], &w[1]);
        a.0 > b.0 || (a.0 == b.0 && (a.1 < b.1 || (a.1 == b.1 && a.2 < b.2)))
    }));
    // Empty values last in either direction.
    for order in ["ASC", "DESC"] {
        let by_due = search(
            &client,
            &json!({"sort": [{"field": "dueDate", "order": order}], "page": {"limit": 200}})
                .to_string(),
        );
        let due: Vec<bool> = items(&by_due)
            .iter()
            .map(|t| t["dueDate"].is_null())
            .collect();
        assert!(due.windows(2).all(|w| !w[0] || w[1]), "{order}");
    }
}

#[test]
fn get_answers_the_task_or_problems() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let key = open_task(&client, &[]);
    let body = task(&client, &key);
    assert_eq!(body["userTaskKey"], key.as_str());
    assert_eq!(body["state"], "CREATED");
    assert_eq!(body.as_object().unwrap().len(), 24, "8.9 sends every field");
    assert_v2_problem(
        &client.get("/v2/user-tasks/abc"),
        400,
        "Bad Request",
        "Failed to convert 'userTaskKey' with value: 'abc'",
    );
    assert_v2_problem(
        &client.get("/v2/user-tasks/1"),
        404,
        "NOT_FOUND",
        "User Task with key '1' not found",
    );
}

#[test]
fn assign_unassign_update_and_complete() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let key = open_task(&client, &[]);
    let path = |suffix: &str| format!("/v2/user-tasks/{key}{suffix}");
    assert_eq!(
        client
            .post(&path("/assignment"), r#"{"assignee":"jane"}"#)
            .status,
        204
    );
    assert_eq!(task(&client, &key)["assignee"], "jane");
    // Same user again, and override by default.
    assert_eq!(
        client
            .post(&path("/assignment"), r#"{"assignee":"jane"}"#)
            .status,
        204
    );
    assert_eq!(
        client
            .post(
                &path("/assignment"),
                r#"{"assignee":"john","action":"claim"}"#
            )
            .status,
        204
    );
    assert_v2_problem(
        &client.post(
            &path("/assignment"),
            r#"{"assignee":"demo","allowOverride":false}"#,
        ),
        409,
        "INVALID_STATE",
        "Command 'ASSIGN' rejected with code 'INVALID_STATE'",
    );
    assert_v2_problem(
        &client.post(&path("/assignment"), r#"{"assignee":""}"#),
        400,
        "INVALID_ARGUMENT",
        "No assignee provided",
    );
    assert_v2_problem(
        &client.post(&path("/assignment"), r#"{"assignee":"x","extra":true}"#),
        400,
        "Bad Request",
        "[extra]",
    );
    assert_eq!(delete(&client, &path("/assignee")).status, 204);
    assert_eq!(
        delete(&client, &path("/assignee")).status,
        204,
        "idempotent"
    );
    assert!(task(&client, &key)["assignee"].is_null());
    // Update: absolute values, "" and [] clear.
    let reply = client.patch(
        &path(""),
        r#"{"changeset":{"priority":80,"dueDate":"2030-01-02T03:04:05.678+01:00","candidateGroups":["x","y"],"other":1}}"#,
    );
    assert_eq!(reply.status, 204, "{}", reply.text());
    let body = task(&client, &key);
    assert_eq!(body["priority"], 80);
    assert_eq!(body["dueDate"], "2030-01-02T02:04:05.678Z");
    assert_eq!(body["candidateGroups"], json!(["x", "y"]));
    assert_eq!(
        client
            .patch(
                &path(""),
                r#"{"changeset":{"dueDate":"","candidateGroups":[]}}"#
            )
            .status,
        204
    );
    let body = task(&client, &key);
    assert!(body["dueDate"].is_null());
    assert_eq!(body["candidateGroups"], json!([]));
    assert_v2_problem(
        &client.patch(&path(""), r#"{"changeset":{}}"#),
        400,
        "INVALID_ARGUMENT",
        "No update data provided",
    );
    assert_v2_problem(
        &client.patch(&path(""), r#"{"changeset":{"priority":101}}"#),
        400,
        "INVALID_ARGUMENT",
        "priority",
    );
    // Completion: no assignee needed; then the task has left the engine.
    let reply = client.post(
        &path("/completion"),
        r#"{"variables":{"approved":true,"note":"ok"}}"#,
    );
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_v2_problem(
        &client.post(&path("/completion"), "{}"),
        404,
        "NOT_FOUND",
        &format!("Command 'COMPLETE' rejected with code 'NOT_FOUND': Expected to complete user task with key '{key}', but no such user task was found"),
    );
    assert_v2_problem(
        &client.post(&path("/assignment"), r#"{"assignee":"demo"}"#),
        404,
        "NOT_FOUND",
        "Expected to assign user task",
    );
    assert_v2_problem(
        &delete(&client, &path("/assignee")),
        404,
        "NOT_FOUND",
        "Expected to assign user task",
    );
    assert_v2_problem(
        &client.patch(&path(""), r#"{"changeset":{"priority":1}}"#),
        404,
        "NOT_FOUND",
        "Expected to update user task",
    );
    let body = task(&client, &key);
    assert_eq!(body["state"], "COMPLETED");
    assert!(body["completionDate"].is_string());
    let found = search(
        &client,
        &json!({"filter": {"userTaskKey": key, "state": "COMPLETED"}}).to_string(),
    );
    assert_eq!(keys(&found), vec![key.clone()]);
    // The completion variables reached the process instance.
    let vars = client.post(&path("/variables/search"), r#"{"filter":{"name":"note"}}"#);
    assert_eq!(items(&vars.json())[0]["value"], "\"ok\"");
    // Unknown tasks.
    assert_v2_problem(
        &client.post("/v2/user-tasks/1/completion", ""),
        404,
        "NOT_FOUND",
        "Expected to complete user task with key '1', but no such user task was found",
    );
    assert_v2_problem(
        &client.post("/v2/user-tasks/x1/completion", ""),
        400,
        "Bad Request",
        "Failed to convert 'userTaskKey'",
    );
}

#[test]
fn variables_and_effective_variables_of_a_task() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let key = landmark(&emulator, "allTypesTaskId");
    let all = client.post(&format!("/v2/user-tasks/{key}/variables/search"), "");
    assert_eq!(all.status, 200, "{}", all.text());
    let all = all.json();
    let names: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    // `approved` at both scopes: listed twice here.
    assert_eq!(names.iter().filter(|n| **n == "approved").count(), 2);
    let effective = client
        .post(
            &format!("/v2/user-tasks/{key}/effective-variables/search"),
            "{}",
        )
        .json();
    let approved: Vec<&Value> = effective["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["name"] == "approved")
        .collect();
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0]["value"], "true", "the inner scope wins");
    let string_var = effective["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "stringVar")
        .unwrap()
        .clone();
    // JSON text, parseable to the string.
    let text: Value = serde_json::from_str(string_var["value"].as_str().unwrap()).unwrap();
    assert!(text.as_str().unwrap().contains("She said"));
    assert_eq!(string_var["isTruncated"], false);
    assert!(string_var["variableKey"]
        .as_str()
        .unwrap()
        .parse::<i64>()
        .is_ok());
    // Long values are cut unless truncateValues=false.
    let long = |query: &str| {
        let reply = client.post(
            &format!("/v2/user-tasks/{key}/variables/search{query}"),
            r#"{"filter":{"name":"longText"}}"#,
        );
        items(&reply.json())[0].clone()
    };
    assert_eq!(long("")["isTruncated"], true);
    let full = long("?truncateValues=false");
    assert_eq!(full["isTruncated"], false);
    assert!(full["value"].as_str().unwrap().len() > 10_000);
    // Effective variables page by offset only.
    let reply = client.post(
        &format!("/v2/user-tasks/{key}/effective-variables/search"),
        r#"{"page":{"after":"x"}}"#,
    );
    assert_v2_problem(&reply, 400, "Bad Request", "[page.after]");
    let paged = client
        .post(
            &format!("/v2/user-tasks/{key}/effective-variables/search"),
            r#"{"page":{"from":1,"limit":2},"sort":[{"field":"name","order":"DESC"}]}"#,
        )
        .json();
    assert_eq!(items(&paged).len(), 2);
    // 8.8.0 has no effective variables.
    let old = start_v2("8.8", |_| {});
    let reply = basic(&old).post(
        &format!("/v2/user-tasks/{key}/effective-variables/search"),
        "{}",
    );
    assert_eq!(reply.status, 404);
}

#[test]
fn forms_of_tasks_are_linked_forms_only() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let linked = landmark(&emulator, "linkedFormTaskId");
    let reply = client.get(&format!("/v2/user-tasks/{linked}/form"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let form = reply.json();
    assert_eq!(form["formId"], "loan-form");
    assert_eq!(form["version"], 2);
    let schema: Value = serde_json::from_str(form["schema"].as_str().unwrap()).unwrap();
    assert!(schema["components"].is_array());
    assert_eq!(task(&client, &linked)["formKey"], form["formKey"]);
    let embedded = landmark(&emulator, "embeddedFormTaskId");
    let none = client.get(&format!("/v2/user-tasks/{embedded}/form"));
    assert_eq!(none.status, 204);
    assert!(none.body.is_empty());
    assert_eq!(client.get("/v2/user-tasks/1/form").status, 404);
    // 8.10 also finds the form by its key.
    let form_key = form["formKey"].as_str().unwrap();
    assert_eq!(client.get(&format!("/v2/forms/{form_key}")).status, 404);
    let e810 = start_v2("8.10", |_| {});
    let by_key = basic(&e810).get(&format!("/v2/forms/{form_key}"));
    assert_eq!(by_key.status, 200, "{}", by_key.text());
    assert_eq!(by_key.json(), form);
    assert_v2_problem(
        &basic(&e810).get("/v2/forms/1"),
        404,
        "Not Found",
        "Form with key '1' not found",
    );
}

#[test]
fn field_presence_and_filters_differ_by_version() {
    let key = {
        let e = start_v2("8.8", |_| {});
        landmark(&e, "unassignedTaskId")
    };
    // 8.8 leaves empty fields out and knows no tags or root keys.
    let e88 = start_v2("8.8", |_| {});
    let t88 = task(&basic(&e88), &key);
    assert!(t88.get("assignee").is_none() && t88.get("tags").is_none());
    assert!(t88.as_object().unwrap().values().all(|v| !v.is_null()));
    let reply = basic(&e88).post(
        "/v2/user-tasks/search",
        r#"{"filter":{"name":{"$like":"A*"}}}"#,
    );
    assert_v2_problem(&reply, 400, "Bad Request", "[filter.name]");
    let reply = basic(&e88).post("/v2/user-tasks/search", r#"{"filter":{"tags":["a"]}}"#);
    assert_v2_problem(&reply, 400, "Bad Request", "[filter.tags]");
    let page = search(&basic(&e88), r#"{"page":{"from":500}}"#);
    assert!(page["page"].get("endCursor").is_none(), "absent on 8.8");
    // 8.9: nulls, tags, root keys; process keys still exact.
    let e89 = start_v2("8.9", |_| {});
    let t89 = task(&basic(&e89), &key);
    assert!(t89["assignee"].is_null());
    assert_eq!(t89["tags"], json!([]));
    assert_eq!(t89["rootProcessInstanceKey"], t89["processInstanceKey"]);
    assert!(t89.get("businessId").is_none());
    let pdk = t89["processDefinitionKey"].as_str().unwrap().to_string();
    let by_ops = json!({"filter": {"processDefinitionKey": {"$in": [pdk]}}}).to_string();
    assert_v2_problem(
        &basic(&e89).post("/v2/user-tasks/search", &by_ops),
        400,
        "Bad Request",
        "Request property [filter.processDefinitionKey] cannot be parsed",
    );
    assert_eq!(
        search(&basic(&e89), r#"{"filter":{"tags":["a"]}}"#)["page"]["totalItems"],
        0
    );
    // 8.10: businessId, operators on process keys and a businessId sort.
    let e810 = start_v2("8.10", |_| {});
    let t810 = task(&basic(&e810), &key);
    assert!(t810["businessId"].is_null());
    assert!(
        search(&basic(&e810), &by_ops)["page"]["totalItems"]
            .as_u64()
            .unwrap()
            > 0
    );
    search(&basic(&e810), r#"{"sort":[{"field":"businessId"}]}"#);
}
