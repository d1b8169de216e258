//! Drafts, variable search and get, forms and process listings
//! (reference §2.6–2.9, §3, §4).

mod common;
use common::*;
use serde_json::Value;

fn by_name<'a>(vars: &'a Value, name: &str) -> &'a Value {
    vars.as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn variables_search_has_every_json_type_drafts_and_truncation() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let id = landmark(&emulator, "allTypesTaskId");
    let vars = client
        .post(&format!("/v1/tasks/{id}/variables/search"), "")
        .json();
    let names: Vec<&str> = vars
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by name");
    let big: Value =
        serde_json::from_str(by_name(&vars, "bigIntVar")["value"].as_str().unwrap()).unwrap();
    assert_eq!(big.to_string(), "9007199254740993");
    let text: String =
        serde_json::from_str(by_name(&vars, "stringVar")["value"].as_str().unwrap()).unwrap();
    assert!(
        text.contains("\"hi\"") && text.contains('\\') && text.contains('\n') && text.contains('✓')
    );
    for (name, json) in [
        ("numberVar", "42"),
        ("floatVar", "3.14159"),
        ("boolVar", "true"),
        ("nullVar", "null"),
    ] {
        assert_eq!(by_name(&vars, name)["value"], json);
        assert_eq!(by_name(&vars, name)["previewValue"], json);
    }
    assert!(by_name(&vars, "objectVar")["value"]
        .as_str()
        .unwrap()
        .starts_with('{'));
    assert!(by_name(&vars, "arrayVar")["value"]
        .as_str()
        .unwrap()
        .starts_with('['));
    let long = by_name(&vars, "longText");
    assert_eq!(long["isValueTruncated"], true);
    assert!(long["value"].is_null());
    assert_eq!(long["previewValue"].as_str().unwrap().chars().count(), 8191);
    // Draft attached to an existing variable, and a draft-only entry.
    let amount = by_name(&vars, "amount");
    assert_eq!(amount["draft"]["value"], "999.99");
    assert_eq!(amount["draft"]["isValueTruncated"], false);
    let comment = by_name(&vars, "comment");
    assert!(comment["value"].is_null() && comment["previewValue"].is_null());
    assert_eq!(comment["isValueTruncated"], false);
    assert_eq!(comment["draft"]["value"], "\"looks fine\"");
    assert_eq!(comment["id"], format!("{id}-comment"));
    // variableNames narrows; unknown names are ignored.
    let some = client
        .post(
            &format!("/v1/tasks/{id}/variables/search"),
            r#"{"variableNames":["boolVar","nope"]}"#,
        )
        .json();
    assert_eq!(some.as_array().unwrap().len(), 1);
    assert_problem(
        &client.post("/v1/tasks/5/variables/search", ""),
        404,
        "task with id 5 was not found",
        true,
    );
    let canceled = landmark(&emulator, "canceledTaskId");
    assert_eq!(
        client
            .post(&format!("/v1/tasks/{canceled}/variables/search"), "")
            .json(),
        Value::Array(vec![])
    );
}

#[test]
fn long_drafts_are_truncated_in_search() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let id = landmark(&emulator, "longDraftTaskId");
    let vars = client
        .post(&format!("/v1/tasks/{id}/variables/search"), "")
        .json();
    let draft = &by_name(&vars, "longDraft")["draft"];
    assert_eq!(draft["isValueTruncated"], true);
    assert!(draft["value"].is_null());
    assert_eq!(
        draft["previewValue"].as_str().unwrap().chars().count(),
        8191
    );
    let full = client.get(&format!("/v1/variables/{id}-longDraft")).json();
    assert!(full["value"].is_null());
    assert_eq!(full["draft"]["value"].as_str().unwrap().len(), 9002);
}

#[test]
fn get_variable_returns_the_full_value() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let long_id = landmark(&emulator, "longVariableId");
    let reply = client.get(&format!("/v1/variables/{long_id}"));
    assert_eq!(reply.status, 200);
    let var = reply.json();
    assert_eq!(var["name"], "longText");
    assert!(var["value"].as_str().unwrap().len() > 8191);
    assert!(var["draft"].is_null());
    assert_eq!(var["tenantId"], "<default>");
    assert_problem(
        &client.get("/v1/variables/nope"),
        404,
        "Variable with id nope not found.",
        true,
    );
}

#[test]
fn save_drafts_replaces_and_validates() {
    let emulator = start_default();
    let demo = Client::session(&emulator, "demo", "demo");
    let api = Client::bearer(&emulator);
    let id = landmark(&emulator, "allTypesTaskId");
    let path = format!("/v1/tasks/{id}/variables");
    let reply = demo.post(&path, r#"{"variables":[{"name":"numberVar","value":"43"},{"name":"boolVar","value":"true"},{"name":"fresh","value":"{\"a\":1}"},{"name":"fresh","value":"2"}]}"#);
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert!(reply.body.is_empty());
    let vars = demo.post(&format!("{path}/search"), "").json();
    assert_eq!(by_name(&vars, "numberVar")["draft"]["value"], "43");
    assert!(
        by_name(&vars, "boolVar")["draft"].is_null(),
        "same value: no draft"
    );
    assert_eq!(
        by_name(&vars, "fresh")["draft"]["value"],
        "2",
        "last duplicate wins"
    );
    assert!(
        by_name(&vars, "amount")["draft"].is_null(),
        "replace semantics drop older drafts"
    );
    assert!(vars
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["name"] != "comment"));
    let numbervar_id = by_name(&vars, "numberVar")["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        api.get(&format!(
            "/v1/variables/{numberVar_id}",
            numberVar_id = numbervar_id
        ))
        .json()["draft"]["value"],
        "43"
    );
    assert_eq!(
        api.get(&format!("/v1/variables/{id}-fresh")).json()["draft"]["value"],
        "2"
    );
    let bad = demo.post(
        &path,
        r#"{"variables":[{"name":"x","value":"strWithoutQuotes"}]}"#,
    );
    assert_eq!(bad.status, 400);
    assert!(bad.message().starts_with("Unrecognized token 'strWithoutQuotes': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"), "{}", bad.message());
    assert_eq!(bad.json()["instance"].as_str().unwrap().len(), 36);
    let missing = demo.post(&path, "");
    assert_eq!(missing.status, 400);
    assert!(missing
        .message()
        .starts_with("Required request body is missing"));
    let other = landmark(&emulator, "assignedToOtherTaskId");
    assert_problem(
        &demo.post(
            &format!("/v1/tasks/{other}/variables"),
            r#"{"variables":[]}"#,
        ),
        400,
        "Task is not assigned to demo",
        true,
    );
    assert_eq!(
        api.post(
            &format!("/v1/tasks/{other}/variables"),
            r#"{"variables":[]}"#
        )
        .status,
        204,
        "API users skip the assignment checks"
    );
    let completed = landmark(&emulator, "completedTaskId");
    assert_problem(
        &api.post(
            &format!("/v1/tasks/{completed}/variables"),
            r#"{"variables":[]}"#,
        ),
        400,
        "Task is not active",
        true,
    );
    // An empty list clears the drafts.
    assert_eq!(demo.post(&path, r#"{"variables":[]}"#).status, 204);
    let vars = demo.post(&format!("{path}/search"), "").json();
    assert!(vars
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["draft"].is_null()));
}

#[test]
fn forms_embedded_and_linked() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let embedded_pdk = landmark(&emulator, "embeddedFormProcessDefinitionKey");
    let form = client
        .get(&format!(
            "/v1/forms/userTaskForm_1?processDefinitionKey={embedded_pdk}"
        ))
        .json();
    assert_eq!(form["id"], "userTaskForm_1");
    assert_eq!(form["processDefinitionKey"], embedded_pdk.as_str());
    assert!(form["version"].is_null());
    assert_eq!(form["isDeleted"], false);
    assert!(form.get("title").is_none());
    assert!(serde_json::from_str::<Value>(form["schema"].as_str().unwrap()).is_ok());
    let linked_pdk = landmark(&emulator, "linkedFormProcessDefinitionKey");
    let latest = client
        .get(&format!(
            "/v1/forms/loan-form?processDefinitionKey={linked_pdk}"
        ))
        .json();
    assert_eq!(latest["version"], 2, "highest non-deleted version");
    let v1 = client
        .get(&format!(
            "/v1/forms/loan-form?processDefinitionKey={linked_pdk}&version=1"
        ))
        .json();
    assert_eq!(v1["version"], 1);
    assert_ne!(v1["schema"], latest["schema"]);
    let v3 = client
        .get(&format!(
            "/v1/forms/loan-form?processDefinitionKey={linked_pdk}&version=3"
        ))
        .json();
    assert_eq!(v3["isDeleted"], true);
    assert_problem(
        &client.get(&format!("/v1/forms/nope?processDefinitionKey={linked_pdk}")),
        404,
        "form with id nope was not found",
        true,
    );
    let missing = client.get("/v1/forms/loan-form");
    assert_eq!(missing.status, 400);
    assert!(missing.message().contains("processDefinitionKey"));
    assert_eq!(missing.json()["instance"].as_str().unwrap().len(), 36);
}

#[test]
fn process_definitions_search_in_operate_shape() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let all = client.post("/v1/process-definitions/search", "{}").json();
    assert_eq!(all["total"], 5);
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert!(items
        .windows(2)
        .all(|w| w[0]["key"].as_i64() < w[1]["key"].as_i64()));
    assert_eq!(all["sortValues"], serde_json::json!([items[4]["key"]]));
    let invoice = client.post("/v1/process-definitions/search", r#"{"filter":{"bpmnProcessId":"invoice-approval"},"sort":[{"field":"version","order":"DESC"}],"size":1}"#).json();
    assert_eq!(invoice["total"], 2);
    assert_eq!(invoice["items"][0]["version"], 2);
    let next = client.post("/v1/process-definitions/search", &format!(r#"{{"filter":{{"bpmnProcessId":"invoice-approval"}},"sort":[{{"field":"version","order":"DESC"}}],"size":1,"searchAfter":{}}}"#, invoice["sortValues"])).json();
    assert_eq!(next["items"][0]["version"], 1);
    let internal = client.get("/v1/internal/processes?query=invoice").json();
    let internal = internal.as_array().unwrap();
    assert_eq!(internal.len(), 1, "latest version only");
    assert_eq!(internal[0]["version"], 2);
    assert!(internal[0]["id"].is_string());
}

#[test]
fn unknown_routes_and_wrong_methods() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let reply = client.get("/v1/nothing/here");
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json()["error"], "Not Found");
    assert_problem(
        &client.get("/v1/tasks/search"),
        404,
        "task with id search was not found",
        true,
    );
    assert_eq!(client.call("DELETE", "/v1/tasks/1", "").status, 405);
    // Percent-encoded path segments are decoded.
    assert_problem(
        &client.get("/v1/variables/a%20b"),
        404,
        "Variable with id a b not found.",
        true,
    );
}
