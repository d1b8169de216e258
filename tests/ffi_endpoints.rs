//! Every endpoint through the C functions, against the emulator, with both authentication
//! methods.

mod common;

use common::*;
use serde_json::Value;
use std::ptr;
use tasklist::ffi::tasklist_client_login;
use tasklist::ffi::*;

fn search(client: &Client, query: &str) -> Vec<Value> {
    let q = cstring(query);
    let text =
        call_json(|out, err| unsafe { tasklist_search_tasks(client.ptr(), q.as_ptr(), out, err) })
            .unwrap_or_else(|f| panic!("search failed: {f:?}"));
    json(&text).as_array().unwrap().clone()
}

fn first_open_unassigned(client: &Client) -> String {
    let tasks = search(client, r#"{"state":"CREATED","assigned":false}"#);
    tasks[0]["id"].as_str().unwrap().to_string()
}

/// The shape shared by assign, complete and variables search: a task id and an optional body.
type TaskCall = unsafe extern "C" fn(
    *const tasklist::ffi::tasklist_client,
    *const std::ffi::c_char,
    *const std::ffi::c_char,
    *mut *mut std::ffi::c_char,
    *mut *mut tasklist::ffi::tasklist_error,
) -> tasklist::ffi::tasklist_status;

fn task_call(f: TaskCall, client: &Client, id: &str, body: Option<&str>) -> Result<Value, Failure> {
    let id = cstring(id);
    let body = body.map(cstring);
    call_json(|out, err| unsafe {
        f(
            client.ptr(),
            id.as_ptr(),
            body.as_ref().map_or(ptr::null(), |b| b.as_ptr()),
            out,
            err,
        )
    })
    .map(|t| json(&t))
}

fn assign(client: &Client, id: &str, body: Option<&str>) -> Result<Value, Failure> {
    task_call(tasklist_assign_task, client, id, body)
}

fn complete(client: &Client, id: &str, body: Option<&str>) -> Result<Value, Failure> {
    task_call(tasklist_complete_task, client, id, body)
}

fn variables(client: &Client, id: &str, body: Option<&str>) -> Vec<Value> {
    let found = task_call(tasklist_search_task_variables, client, id, body).unwrap();
    found.as_array().unwrap().clone()
}

#[test]
fn oauth_client_claims_and_completes_a_task_with_variables() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    call_status(|err| unsafe { tasklist_client_login(client.ptr(), err) }).unwrap();

    let id = first_open_unassigned(&client);
    let task = assign(&client, &id, Some(r#"{"assignee":"demo"}"#)).unwrap();
    assert_eq!(task["assignee"], "demo");
    assert_eq!(task["id"].as_str(), Some(id.as_str()));

    let done = complete(
        &client,
        &id,
        Some(r#"{"variables":[{"name":"approved","value":"true"},{"name":"note","value":"\"he said \\\"ok\\\"\""}]}"#),
    )
    .unwrap();
    assert_eq!(done["taskState"], "COMPLETED");

    let vars = variables(
        &client,
        &id,
        Some(r#"{"variableNames":["approved","note"]}"#),
    );
    let by_name = |n: &str| vars.iter().find(|v| v["name"] == n).unwrap().clone();
    assert_eq!(by_name("approved")["value"], "true");
    assert_eq!(by_name("note")["value"], r#""he said \"ok\"""#);
    assert_eq!(token_requests(&emu), 1, "one token served every call");
}

#[test]
fn cookie_session_claims_for_itself_and_completes() {
    let emu = emulator();
    let client = Options::cookie(&emu.base_url(), "demo", "demo").client();
    let id = first_open_unassigned(&client);
    // A session user may claim without naming anyone: the task becomes theirs.
    let task = assign(&client, &id, None).unwrap();
    assert_eq!(task["assignee"], "demo");
    let done = complete(&client, &id, None).unwrap();
    assert_eq!(done["taskState"], "COMPLETED");
    assert_eq!(logins(&emu), 1);
}

#[test]
fn get_unassign_and_get_task() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    let id = first_open_unassigned(&client);
    assign(&client, &id, Some(r#"{"assignee":"someone"}"#)).unwrap();
    let cid = cstring(&id);
    let task =
        call_json(|o, e| unsafe { tasklist_unassign_task(client.ptr(), cid.as_ptr(), o, e) })
            .unwrap();
    assert_eq!(json(&task)["assignee"], Value::Null);
    let task =
        call_json(|o, e| unsafe { tasklist_get_task(client.ptr(), cid.as_ptr(), o, e) }).unwrap();
    assert_eq!(json(&task)["id"].as_str(), Some(id.as_str()));
    assert_eq!(json(&task)["taskState"], "CREATED");
}

#[test]
fn drafts_are_saved_replaced_and_read_back() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    let id = first_open_unassigned(&client);
    let cid = cstring(&id);
    let body = cstring(r#"{"variables":[{"name":"draftOnly","value":"{\"a\":[1,null]}"}]}"#);
    call_status(|e| unsafe {
        tasklist_save_draft_variables(client.ptr(), cid.as_ptr(), body.as_ptr(), e)
    })
    .unwrap();
    let vars = variables(&client, &id, None);
    let draft = vars
        .iter()
        .find(|v| v["name"] == "draftOnly")
        .expect("draft listed");
    assert_eq!(draft["draft"]["value"], r#"{"a":[1,null]}"#);

    // The variable id from the search reads back the full draft.
    let vid = cstring(draft["id"].as_str().unwrap());
    let var = call_json(|o, e| unsafe { tasklist_get_variable(client.ptr(), vid.as_ptr(), o, e) })
        .unwrap();
    assert_eq!(json(&var)["draft"]["value"], r#"{"a":[1,null]}"#);

    // Saving again replaces the whole draft set.
    let empty = cstring(r#"{"variables":[]}"#);
    call_status(|e| unsafe {
        tasklist_save_draft_variables(client.ptr(), cid.as_ptr(), empty.as_ptr(), e)
    })
    .unwrap();
    assert!(variables(&client, &id, None)
        .iter()
        .all(|v| v["name"] != "draftOnly"));
}

#[test]
fn long_values_are_truncated_in_searches_and_whole_by_id() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    let tasks = search(&client, r#"{"pageSize":200}"#);
    let truncated = tasks
        .iter()
        .filter_map(|t| t["id"].as_str())
        .flat_map(|id| variables(&client, id, None))
        .find(|v| v["isValueTruncated"] == true)
        .expect("the demo data has a value over 8191 characters");
    assert_eq!(truncated["value"], Value::Null);
    assert_eq!(
        truncated["previewValue"].as_str().unwrap().chars().count(),
        8191
    );
    let vid = cstring(truncated["id"].as_str().unwrap());
    let full = call_json(|o, e| unsafe { tasklist_get_variable(client.ptr(), vid.as_ptr(), o, e) })
        .unwrap();
    assert!(json(&full)["value"].as_str().unwrap().chars().count() > 8191);
}

#[test]
fn forms_are_found_by_task_references() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    let tasks = search(&client, r#"{"pageSize":200}"#);
    let embedded = tasks
        .iter()
        .find(|t| t["isFormEmbedded"] == true)
        .expect("a task with an embedded form");
    let form_id = embedded["formKey"]
        .as_str()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    let (fid, key) = (
        cstring(&form_id),
        cstring(embedded["processDefinitionKey"].as_str().unwrap()),
    );
    let form = call_json(|o, e| unsafe {
        tasklist_get_form(client.ptr(), fid.as_ptr(), key.as_ptr(), ptr::null(), o, e)
    })
    .unwrap();
    assert!(json(&form)["schema"].as_str().is_some());

    let linked = tasks
        .iter()
        .find(|t| t["isFormEmbedded"] == false)
        .expect("a task with a linked form");
    let (fid, key) = (
        cstring(linked["formId"].as_str().unwrap()),
        cstring(linked["processDefinitionKey"].as_str().unwrap()),
    );
    let version = cstring(&linked["formVersion"].as_i64().unwrap().to_string());
    let form = call_json(|o, e| unsafe {
        tasklist_get_form(
            client.ptr(),
            fid.as_ptr(),
            key.as_ptr(),
            version.as_ptr(),
            o,
            e,
        )
    })
    .unwrap();
    assert_eq!(json(&form)["version"], linked["formVersion"]);

    let missing = cstring("no-such-form");
    let f = call_json(|o, e| unsafe {
        tasklist_get_form(
            client.ptr(),
            missing.as_ptr(),
            key.as_ptr(),
            ptr::null(),
            o,
            e,
        )
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_NOT_FOUND");
    let bad_version = cstring("latest");
    let f = call_json(|o, e| unsafe {
        tasklist_get_form(
            client.ptr(),
            fid.as_ptr(),
            key.as_ptr(),
            bad_version.as_ptr(),
            o,
            e,
        )
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT");
}

#[test]
fn search_all_tasks_walks_every_page() {
    let emu = emulator_with(|c| c.generated_tasks = 130);
    let client = Options::oauth(&emu.base_url()).client();
    let query = cstring(r#"{"state":"CREATED","pageSize":25}"#);
    let all = call_json(|o, e| unsafe {
        tasklist_search_all_tasks(client.ptr(), query.as_ptr(), 0, o, e)
    })
    .unwrap();
    let all = json(&all).as_array().unwrap().clone();
    let mut ids: Vec<&str> = all.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert!(all.len() >= 130, "got {}", all.len());
    assert!(all.iter().all(|t| t["taskState"] == "CREATED"));
    let before = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), before, "no task twice");

    // The same tasks, in the same order, as one big page.
    let one_page = search(&client, r#"{"state":"CREATED","pageSize":1000}"#);
    let order: Vec<&Value> = one_page.iter().map(|t| &t["id"]).collect();
    assert_eq!(order, all.iter().map(|t| &t["id"]).collect::<Vec<_>>());

    let limited = call_json(|o, e| unsafe {
        tasklist_search_all_tasks(client.ptr(), query.as_ptr(), 60, o, e)
    })
    .unwrap();
    assert_eq!(json(&limited).as_array().unwrap().len(), 60);

    let with_cursor = cstring(r#"{"searchAfter":["1","2"]}"#);
    let f = call_json(|o, e| unsafe {
        tasklist_search_all_tasks(client.ptr(), with_cursor.as_ptr(), 0, o, e)
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT");
}

#[test]
fn process_definitions_and_generic_requests() {
    let emu = emulator();
    let client = Options::cookie(&emu.base_url(), "demo", "demo").client();
    let text = call_json(|o, e| unsafe {
        tasklist_search_process_definitions(client.ptr(), ptr::null(), o, e)
    })
    .unwrap();
    let defs = json(&text);
    assert!(defs["total"].as_u64().unwrap() > 0);
    assert!(!defs["items"].as_array().unwrap().is_empty());

    let (get, path) = (cstring("GET"), cstring("/v1/internal/processes"));
    let text = call_json(|o, e| unsafe {
        tasklist_request(client.ptr(), get.as_ptr(), path.as_ptr(), ptr::null(), o, e)
    })
    .unwrap();
    assert!(json(&text).as_array().is_some());

    // A 204 gives "". (A session user must hold the task to save drafts.)
    let id = first_open_unassigned(&client);
    assign(&client, &id, None).unwrap();
    let (post, path) = (
        cstring("POST"),
        cstring(&format!("/v1/tasks/{id}/variables")),
    );
    let body = cstring(r#"{"variables":[]}"#);
    let text = call_json(|o, e| unsafe {
        tasklist_request(
            client.ptr(),
            post.as_ptr(),
            path.as_ptr(),
            body.as_ptr(),
            o,
            e,
        )
    })
    .unwrap();
    assert_eq!(text, "");

    for bad in ["http://evil.example/v1/tasks", "/v1/../admin", "v1/tasks"] {
        let p = cstring(bad);
        let f = call_json(|o, e| unsafe {
            tasklist_request(client.ptr(), get.as_ptr(), p.as_ptr(), ptr::null(), o, e)
        })
        .unwrap_err();
        assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT", "{bad}");
    }
    let trace = cstring("TRACE");
    let f = call_json(|o, e| unsafe {
        tasklist_request(
            client.ptr(),
            trace.as_ptr(),
            path.as_ptr(),
            ptr::null(),
            o,
            e,
        )
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT");
}

#[test]
fn answers_pass_through_unchanged() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    let text = call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
        .unwrap();
    // The server's text, byte for byte: fetch the same page by hand and compare.
    let token: Value = json(
        &ureq::post(&format!("{}/oauth/token", emu.base_url()))
            .send_form([
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
            ])
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    );
    let by_hand = ureq::post(&format!("{}/v1/tasks/search", emu.base_url()))
        .header(
            "authorization",
            &format!("Bearer {}", token["access_token"].as_str().unwrap()),
        )
        .content_type("application/json")
        .send("{}")
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(text, by_hand);
    let tasks = json(&text);
    assert_eq!(tasks.as_array().unwrap().len(), 50, "default page size");
    assert!(tasks
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["taskState"] != "CANCELED"));
}
