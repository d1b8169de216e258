//! get/assign/unassign/complete against reference §2.2–2.5 and §6.3.

mod common;
use common::*;

#[test]
fn get_task_and_not_found() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let id = landmark(&emulator, "unassignedTaskId");
    let reply = client.get(&format!("/v1/tasks/{id}"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let task = reply.json();
    assert_eq!(task["id"], id.as_str());
    assert!(
        task.get("sortValues").is_none() && task.get("isFirst").is_none(),
        "TaskResponse has no search fields"
    );
    assert_eq!(task["tenantId"], "<default>");
    assert_problem(
        &client.get("/v1/tasks/123"),
        404,
        "task with id 123 was not found",
        true,
    );
}

#[test]
fn api_user_assign_rules() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let id = landmark(&emulator, "unassignedTaskId");
    let path = format!("/v1/tasks/{id}/assign");
    assert_problem(
        &client.patch(&path, ""),
        400,
        "Assignee must be specified",
        true,
    );
    assert_problem(
        &client.patch(&path, r#"{"assignee":""}"#),
        400,
        "Assignee must be specified",
        true,
    );
    let reply = client.patch(&path, r#"{"assignee":"jane"}"#);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["assignee"], "jane");
    // allowOverrideAssignment null/absent means true for API users.
    assert_eq!(
        client.patch(&path, r#"{"assignee":"john"}"#).json()["assignee"],
        "john"
    );
    assert_problem(
        &client.patch(
            &path,
            r#"{"assignee":"demo","allowOverrideAssignment":false}"#,
        ),
        400,
        "Task is already assigned",
        true,
    );
    assert_problem(
        &client.patch("/v1/tasks/42/assign", r#"{"assignee":"x"}"#),
        404,
        "task with id 42 was not found",
        true,
    );
    let completed = landmark(&emulator, "completedTaskId");
    assert_problem(
        &client.patch(
            &format!("/v1/tasks/{completed}/assign"),
            r#"{"assignee":"x"}"#,
        ),
        400,
        "Task is not active",
        true,
    );
}

#[test]
fn session_user_assign_rules() {
    let emulator = start_default();
    let demo = Client::session(&emulator, "demo", "demo");
    let id = landmark(&emulator, "unassignedTaskId");
    let path = format!("/v1/tasks/{id}/assign");
    // Checked before the lookup: even an unknown task answers 403.
    let forbidden = "User doesn't have the permission to assign another user to this task";
    assert_problem(
        &demo.patch(&path, r#"{"assignee":"jane"}"#),
        403,
        forbidden,
        true,
    );
    assert_problem(
        &demo.patch("/v1/tasks/1/assign", r#"{"assignee":"jane"}"#),
        403,
        forbidden,
        true,
    );
    let reply = demo.patch(&path, "");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json()["assignee"],
        "demo",
        "empty assignee means the caller"
    );
    // Even the caller's own task counts as already assigned for sessions.
    assert_problem(
        &demo.patch(&path, r#"{"assignee":"demo"}"#),
        400,
        "Task is already assigned",
        true,
    );
}

#[test]
fn unassign_rules() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let other = landmark(&emulator, "assignedToOtherTaskId");
    let demo = Client::session(&emulator, "demo", "demo");
    // No ownership check: demo may unassign someone else's task.
    let reply = demo.patch(&format!("/v1/tasks/{other}/unassign"), "");
    assert_eq!(reply.status, 200);
    assert!(reply.json()["assignee"].is_null());
    assert_problem(
        &client.patch(&format!("/v1/tasks/{other}/unassign"), ""),
        400,
        "Task is not assigned",
        true,
    );
    let canceled = landmark(&emulator, "canceledTaskId");
    assert_problem(
        &client.patch(&format!("/v1/tasks/{canceled}/unassign"), ""),
        400,
        "Task is not active",
        true,
    );
    assert_problem(
        &client.patch("/v1/tasks/7/unassign", ""),
        404,
        "task with id 7 was not found",
        true,
    );
}

#[test]
fn complete_rules_for_session_and_api_users() {
    let emulator = start_default();
    let demo = Client::session(&emulator, "demo", "demo");
    let api = Client::bearer(&emulator);
    let unassigned = landmark(&emulator, "unassignedTaskId");
    let other = landmark(&emulator, "assignedToOtherTaskId");
    assert_problem(
        &demo.patch(&format!("/v1/tasks/{unassigned}/complete"), ""),
        400,
        "Task is not assigned",
        true,
    );
    assert_problem(
        &demo.patch(&format!("/v1/tasks/{other}/complete"), ""),
        400,
        "Task is not assigned to demo",
        true,
    );
    // API users may complete unassigned tasks; the assignee stays null.
    let reply = api.patch(
        &format!("/v1/tasks/{unassigned}/complete"),
        r#"{"variables":[{"name":"approved","value":"true"}]}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let task = reply.json();
    assert_eq!(task["taskState"], "COMPLETED");
    assert!(task["completionDate"].as_str().unwrap().ends_with("+0000"));
    assert!(task["assignee"].is_null());
    assert_problem(
        &api.patch(&format!("/v1/tasks/{unassigned}/complete"), ""),
        400,
        "Task is not active",
        true,
    );
    // Invalid JSON text in a value: 500 with Jackson's message, no instance.
    let reply = api.patch(
        &format!("/v1/tasks/{other}/complete"),
        r#"{"variables":[{"name":"a","value":"notJson"}]}"#,
    );
    assert_eq!(reply.status, 500);
    assert!(reply.json()["instance"].is_null());
    assert!(
        reply.message().starts_with("Unrecognized token 'notJson'"),
        "{}",
        reply.message()
    );
}

#[test]
fn completion_snapshot_overlays_drafts_and_completion_variables() {
    let emulator = start_default();
    let demo = Client::session(&emulator, "demo", "demo");
    let id = landmark(&emulator, "allTypesTaskId");
    let reply = demo.patch(
        &format!("/v1/tasks/{id}/complete"),
        r#"{"variables":[{"name":"approved","value":"\"yes\""},{"name":"extra","value":"[1,2]"}]}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let vars = demo
        .post(&format!("/v1/tasks/{id}/variables/search"), "")
        .json();
    let value = |name: &str| {
        vars.as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .map(|v| v["value"].clone())
    };
    assert_eq!(
        value("approved").unwrap(),
        "\"yes\"",
        "completion variables win"
    );
    assert_eq!(
        value("amount").unwrap(),
        "999.99",
        "the draft overlays the process value"
    );
    assert_eq!(
        value("comment").unwrap(),
        "\"looks fine\"",
        "draft-only variable kept"
    );
    assert_eq!(value("extra").unwrap(), "[1,2]");
    assert!(vars
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["draft"].is_null()));
    assert!(vars
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["id"].as_str().unwrap().starts_with(&format!("{id}-"))));
}

#[test]
fn read_only_users_cannot_write() {
    let emulator = start_default();
    let view = Client::session(&emulator, "view", "view");
    let id = landmark(&emulator, "unassignedTaskId");
    assert_eq!(view.get(&format!("/v1/tasks/{id}")).status, 200);
    for (method, path, body) in [
        ("PATCH", format!("/v1/tasks/{id}/assign"), ""),
        ("PATCH", format!("/v1/tasks/{id}/unassign"), ""),
        ("PATCH", format!("/v1/tasks/{id}/complete"), ""),
        (
            "POST",
            format!("/v1/tasks/{id}/variables"),
            r#"{"variables":[]}"#,
        ),
    ] {
        let reply = view.call(method, &path, body);
        assert_eq!(reply.status, 403, "{method} {path}");
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
    }
}
