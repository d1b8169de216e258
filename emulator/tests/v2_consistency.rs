//! One store for both generations (8.8/8.9), and the export delay: v2
//! reads see a command's change only `export_delay_ms` later. Assertions
//! about "not yet" hold only while the delay has provably not passed;
//! "eventually" is polled with a bound.

mod common;
mod v2_support;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};
use v2_support::*;

#[test]
fn v1_and_v2_see_one_task_on_8_9() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    // A job-worker task: v1 commands of API callers may act on it.
    let key = landmark(&emulator, "jobWorkerTaskId");
    let v1_assign = client.patch(&format!("/v1/tasks/{key}/assign"), r#"{"assignee":"jane"}"#);
    assert_eq!(v1_assign.status, 200, "{}", v1_assign.text());
    assert_eq!(task(&client, &key)["assignee"], "jane");
    let found = search(
        &client,
        &json!({"filter": {"assignee": "jane", "userTaskKey": key}}).to_string(),
    );
    assert_eq!(items(&found).len(), 1);
    // And the other way round.
    assert_eq!(
        delete(&client, &format!("/v2/user-tasks/{key}/assignee")).status,
        204
    );
    assert!(client.get(&format!("/v1/tasks/{key}")).json()["assignee"].is_null());
    assert_eq!(
        client
            .post(
                &format!("/v2/user-tasks/{key}/assignment"),
                r#"{"assignee":"john"}"#
            )
            .status,
        204
    );
    assert_eq!(
        client.get(&format!("/v1/tasks/{key}")).json()["assignee"],
        "john"
    );
    assert_eq!(
        client
            .patch(
                &format!("/v2/user-tasks/{key}"),
                r#"{"changeset":{"priority":90}}"#
            )
            .status,
        204
    );
    assert_eq!(
        client.get(&format!("/v1/tasks/{key}")).json()["priority"],
        90
    );
    let done = client.post(
        &format!("/v2/user-tasks/{key}/completion"),
        r#"{"variables":{"ticketId":7}}"#,
    );
    assert_eq!(done.status, 204);
    let v1 = client.get(&format!("/v1/tasks/{key}")).json();
    assert_eq!(v1["taskState"], "COMPLETED");
    // v1 cannot complete it again either.
    assert_eq!(
        client
            .patch(&format!("/v1/tasks/{key}/complete"), "{}")
            .status,
        400
    );
    // A v2-started instance's task shows in v1's search.
    let started = client.post(
        "/v2/process-instances",
        r#"{"processDefinitionId":"support-ticket"}"#,
    );
    let instance = started.json()["processInstanceKey"]
        .as_str()
        .unwrap()
        .to_string();
    let v1_found = client.search(&json!({"processInstanceKey": instance}).to_string());
    assert_eq!(v1_found.len(), 1);
    assert_eq!(v1_found[0]["implementation"], "ZEEBE_USER_TASK");
}

#[test]
fn reads_lag_commands_by_the_export_delay() {
    let delay = Duration::from_millis(1500);
    let emulator = start_v2("8.9", |c| c.export_delay_ms = delay.as_millis() as u64);
    let client = basic(&emulator);
    let key = open_task(&client, &[]);
    let commanded = Instant::now();
    let reply = client.post(
        &format!("/v2/user-tasks/{key}/assignment"),
        r#"{"assignee":"jane"}"#,
    );
    assert_eq!(reply.status, 204);
    let get = task(&client, &key);
    let by_assignee = search(
        &client,
        &json!({"filter": {"userTaskKey": key, "assignee": "jane"}}).to_string(),
    );
    if commanded.elapsed() < delay {
        assert!(get["assignee"].is_null(), "not yet exported: {get}");
        assert!(items(&by_assignee).is_empty());
    }
    // Commands see the change at once: a second claim without override
    // is refused even before the export.
    let claim = client.post(
        &format!("/v2/user-tasks/{key}/assignment"),
        r#"{"assignee":"john","allowOverride":false}"#,
    );
    assert_eq!(claim.status, 409, "{}", claim.text());
    wait_until("the assignment to be exported", PATIENCE, || {
        task(&client, &key)["assignee"] == "jane"
    });
    assert!(commanded.elapsed() >= delay, "never before the delay");
    let found = search(
        &client,
        &json!({"filter": {"userTaskKey": key, "assignee": "jane"}}).to_string(),
    );
    assert_eq!(items(&found).len(), 1);
}

#[test]
fn a_new_instance_and_a_completion_appear_after_the_delay() {
    let delay = Duration::from_millis(1200);
    let emulator = start_v2("8.10", |c| c.export_delay_ms = delay.as_millis() as u64);
    let client = basic(&emulator);
    let started_at = Instant::now();
    let created = client.post(
        "/v2/process-instances",
        r#"{"processDefinitionId":"loan-application","variables":{"applicant":"A"}}"#,
    );
    assert_eq!(created.status, 200, "{}", created.text());
    let instance = created.json()["processInstanceKey"]
        .as_str()
        .unwrap()
        .to_string();
    let filter = json!({"filter": {"processInstanceKey": instance}}).to_string();
    let early = search(&client, &filter);
    let early_get = client.get(&format!("/v2/process-instances/{instance}"));
    if started_at.elapsed() < delay {
        assert!(items(&early).is_empty(), "the task is not exported yet");
        assert_eq!(early_get.status, 404);
    }
    let mut key = String::new();
    wait_until("the new task to be exported", PATIENCE, || {
        match keys(&search(&client, &filter)).first() {
            Some(k) => {
                key = k.clone();
                true
            }
            None => false,
        }
    });
    assert_eq!(
        client
            .get(&format!("/v2/process-instances/{instance}"))
            .status,
        200
    );
    let completed_at = Instant::now();
    assert_eq!(
        client
            .post(&format!("/v2/user-tasks/{key}/completion"), "")
            .status,
        204
    );
    // The engine has it gone at once; reads still show it open a while.
    assert_eq!(
        client
            .post(&format!("/v2/user-tasks/{key}/completion"), "")
            .status,
        404
    );
    let state = task(&client, &key)["state"].clone();
    let instance_path = format!("/v2/process-instances/{instance}");
    let instance_state = client.get(&instance_path).json()["state"].clone();
    if completed_at.elapsed() < delay {
        assert_eq!(state, "CREATED");
        assert_eq!(instance_state, "ACTIVE");
    }
    wait_until("the completion to be exported", PATIENCE, || {
        task(&client, &key)["state"] == "COMPLETED"
    });
    wait_until("the instance's end to be exported", PATIENCE, || {
        client.get(&instance_path).json()["state"] == "COMPLETED"
    });
}

#[test]
fn without_a_delay_reads_are_current() {
    let emulator = start_v2("8.8", |_| {});
    let client = basic(&emulator);
    let key = open_task(&client, &[]);
    assert_eq!(
        client
            .post(
                &format!("/v2/user-tasks/{key}/assignment"),
                r#"{"assignee":"demo"}"#
            )
            .status,
        204
    );
    assert_eq!(task(&client, &key)["assignee"], "demo");
}
