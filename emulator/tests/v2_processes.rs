//! v2 process definitions and instances, and element-instance variables.

mod common;
mod v2_support;
use common::*;
use serde_json::{json, Value};
use v2_support::*;

fn definitions(client: &Client, body: &str) -> Value {
    let reply = client.post("/v2/process-definitions/search", body);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

#[test]
fn process_definitions_search_get_form_and_xml() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let all = definitions(&client, "");
    assert_eq!(all["page"]["totalItems"], 5);
    let first = &all["items"][0];
    assert_eq!(first["processDefinitionId"], "invoice-approval");
    assert_eq!(first["resourceName"], "invoice-approval.bpmn");
    assert_eq!(first["state"], "ACTIVE");
    assert!(first["versionTag"].is_null());
    let latest = definitions(
        &client,
        r#"{"filter":{"processDefinitionId":"invoice-approval","isLatestVersion":true}}"#,
    );
    assert_eq!(latest["items"].as_array().unwrap().len(), 1);
    assert_eq!(latest["items"][0]["version"], 2);
    let with_form = definitions(&client, r#"{"filter":{"hasStartForm":true}}"#);
    let loan = with_form["items"][0].clone();
    assert_eq!(loan["processDefinitionId"], "loan-application");
    let by_name = definitions(
        &client,
        r#"{"filter":{"name":{"$like":"*Onboarding"}},"sort":[{"field":"version","order":"DESC"}]}"#,
    );
    assert_eq!(
        by_name["items"][0]["processDefinitionId"],
        "employee-onboarding"
    );
    assert_v2_problem(
        &client.post(
            "/v2/process-definitions/search",
            r#"{"filter":{"colour":1}}"#,
        ),
        400,
        "Bad Request",
        "[filter.colour]",
    );
    let key = loan["processDefinitionKey"].as_str().unwrap();
    let one = client.get(&format!("/v2/process-definitions/{key}"));
    assert_eq!(one.json(), loan);
    let form = client.get(&format!("/v2/process-definitions/{key}/form"));
    assert_eq!(form.status, 200, "{}", form.text());
    assert_eq!(form.json()["formId"], "loan-form");
    assert_eq!(form.json()["version"], 2, "the highest version not deleted");
    let other = first["processDefinitionKey"].as_str().unwrap();
    assert_eq!(
        client
            .get(&format!("/v2/process-definitions/{other}/form"))
            .status,
        204
    );
    let xml = client.get(&format!("/v2/process-definitions/{key}/xml"));
    assert_eq!(xml.status, 200);
    assert_eq!(xml.header("content-type"), Some("text/xml"));
    assert!(xml.text().contains("id=\"loan-application\""));
    assert!(xml.text().contains("reviewApplication"));
    assert_v2_problem(
        &client.get("/v2/process-definitions/1"),
        404,
        "NOT_FOUND",
        "Process definition with key '1' not found",
    );
    assert_v2_problem(
        &client.get("/v2/process-definitions/x/xml"),
        400,
        "Bad Request",
        "Failed to convert 'processDefinitionKey'",
    );
    // 8.8 sends no state and leaves null fields out.
    let old = start_v2("8.8", |_| {});
    let old_first = definitions(&basic(&old), "")["items"][0].clone();
    assert!(old_first.get("state").is_none() && old_first.get("versionTag").is_none());
}

#[test]
fn starting_an_instance_creates_its_user_task() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let reply = client.post(
        "/v2/process-instances",
        r#"{"processDefinitionId":"invoice-approval","variables":{"invoiceId":"INV-9","amount":12.5,"vendor":{"name":"X"}},"fetchVariables":["amount"]}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let created = reply.json();
    assert_eq!(created["processDefinitionVersion"], 2, "latest by default");
    assert_eq!(created["variables"], json!({"amount": 12.5}));
    assert_eq!(created["tenantId"], "<default>");
    assert_eq!(created["tags"], json!([]));
    assert!(created["businessId"].is_null());
    let instance = created["processInstanceKey"].as_str().unwrap().to_string();
    let found = search(
        &client,
        &json!({"filter": {"processInstanceKey": instance}}).to_string(),
    );
    let task_item = items(&found)[0].clone();
    assert_eq!(task_item["state"], "CREATED");
    assert_eq!(task_item["elementId"], "approveInvoice");
    assert_eq!(task_item["processDefinitionVersion"], 2);
    // The variables are JSON text in answers and filters.
    let by_var = search(
        &client,
        r#"{"filter":{"processInstanceVariables":[{"name":"invoiceId","value":"\"INV-9\""}]}}"#,
    );
    assert_eq!(keys(&by_var), [task_item["userTaskKey"].as_str().unwrap()]);
    // The instance can be read and searched.
    let got = client.get(&format!("/v2/process-instances/{instance}"));
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(got.json()["state"], "ACTIVE");
    assert_eq!(got.json()["processDefinitionId"], "invoice-approval");
    let searched = client.post(
        "/v2/process-instances/search",
        &json!({"filter": {"processInstanceKey": instance, "state": "ACTIVE"}}).to_string(),
    );
    assert_eq!(searched.json()["page"]["totalItems"], 1);
    // Completing the task completes the instance.
    let task_key = task_item["userTaskKey"].as_str().unwrap();
    assert_eq!(
        client
            .post(&format!("/v2/user-tasks/{task_key}/completion"), "")
            .status,
        204
    );
    assert_eq!(
        client
            .get(&format!("/v2/process-instances/{instance}"))
            .json()["state"],
        "COMPLETED"
    );
    // By key, and a specific version by id.
    let pdk = task_item["processDefinitionKey"].as_str().unwrap();
    let by_key = client.post(
        "/v2/process-instances",
        &json!({"processDefinitionKey": pdk}).to_string(),
    );
    assert_eq!(by_key.status, 200, "{}", by_key.text());
    let v1 = client.post(
        "/v2/process-instances",
        r#"{"processDefinitionId":"invoice-approval","processDefinitionVersion":1}"#,
    );
    assert_eq!(v1.json()["processDefinitionVersion"], 1);
    assert_v2_problem(
        &client.post("/v2/process-instances", r#"{"processDefinitionId":"nope"}"#),
        404,
        "NOT_FOUND",
        "Command 'CREATE' rejected with code 'NOT_FOUND'",
    );
    assert_v2_problem(
        &client.post(
            "/v2/process-instances",
            r#"{"processDefinitionKey":"1","x":1}"#,
        ),
        400,
        "Bad Request",
        "[x]",
    );
    assert_v2_problem(
        &client.post("/v2/process-instances", "{}"),
        400,
        "INVALID_ARGUMENT",
        "processDefinitionKey",
    );
    assert_v2_problem(
        &client.get("/v2/process-instances/1"),
        404,
        "NOT_FOUND",
        "Process Instance with key '1' not found",
    );
    // businessId is an 8.9+ field.
    let old = start_v2("8.8", |_| {});
    let reply = basic(&old).post(
        "/v2/process-instances",
        r#"{"processDefinitionId":"invoice-approval","businessId":"b-1"}"#,
    );
    assert_v2_problem(&reply, 400, "Bad Request", "[businessId]");
}

#[test]
fn element_instance_variables_are_set_locally_or_propagated() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let key = landmark(&emulator, "allTypesTaskId");
    let element = task(&client, &key)["elementInstanceKey"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/v2/element-instances/{element}/variables");
    let local = put(
        &client,
        &path,
        r#"{"variables":{"draftNote":"hi"},"local":true}"#,
    );
    assert_eq!(local.status, 204, "{}", local.text());
    // Not local: `approved` exists at the task's scope, `amount` only in
    // the process instance.
    assert_eq!(
        put(
            &client,
            &path,
            r#"{"variables":{"approved":false,"amount":1}}"#
        )
        .status,
        204
    );
    let vars = client
        .post(&format!("/v2/user-tasks/{key}/variables/search"), "{}")
        .json();
    let find = |name: &str| -> Vec<(String, String)> {
        vars["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["name"] == name)
            .map(|v| {
                (
                    v["scopeKey"].as_str().unwrap().to_string(),
                    v["value"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(find("draftNote"), [(element.clone(), "\"hi\"".to_string())]);
    assert!(find("approved").contains(&(element.clone(), "false".to_string())));
    let amount = find("amount");
    assert_eq!(amount.len(), 1);
    assert_ne!(amount[0].0, element);
    assert_eq!(amount[0].1, "1");
    assert_v2_problem(
        &put(
            &client,
            "/v2/element-instances/5/variables",
            r#"{"variables":{}}"#,
        ),
        404,
        "NOT_FOUND",
        "Expected to update variables for element with key '5'",
    );
    assert_v2_problem(
        &put(&client, &path, r#"{"local":true}"#),
        400,
        "INVALID_ARGUMENT",
        "No variables",
    );
    assert_v2_problem(
        &put(&client, &path, r#"{"variables":{},"scope":"x"}"#),
        400,
        "Bad Request",
        "[scope]",
    );
}

#[test]
fn variables_search_and_get_by_key() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let key = landmark(&emulator, "allTypesTaskId");
    let t = task(&client, &key);
    let instance = t["processInstanceKey"].as_str().unwrap();
    let element = t["elementInstanceKey"].as_str().unwrap();
    let at_scope = |scope: &str| {
        let reply = client.post(
            "/v2/variables/search",
            &json!({"filter": {"scopeKey": scope}, "page": {"limit": 50}}).to_string(),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()
    };
    let local = at_scope(element);
    assert_eq!(local["page"]["totalItems"], 1);
    assert_eq!(local["items"][0]["name"], "approved");
    assert_eq!(local["items"][0]["processInstanceKey"], instance);
    let outer = at_scope(instance);
    assert!(outer["page"]["totalItems"].as_u64().unwrap() > 10);
    let long = outer["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "longText")
        .unwrap()
        .clone();
    assert_eq!(long["isTruncated"], true);
    let variable_key = long["variableKey"].as_str().unwrap();
    let one = client.get(&format!("/v2/variables/{variable_key}"));
    assert_eq!(one.status, 200, "{}", one.text());
    assert!(one.json().get("isTruncated").is_none());
    assert!(one.json()["value"].as_str().unwrap().len() > 10_000);
    let by_value = client
        .post(
            "/v2/variables/search",
            r#"{"filter":{"name":"numberVar","value":"42"}}"#,
        )
        .json();
    assert_eq!(by_value["page"]["totalItems"], 1);
    assert_v2_problem(
        &client.get("/v2/variables/1"),
        404,
        "NOT_FOUND",
        "Variable with key '1' not found",
    );
    assert_v2_problem(
        &client.post("/v2/variables/search", r#"{"filter":{"colour":1}}"#),
        400,
        "Bad Request",
        "[filter.colour]",
    );
}
