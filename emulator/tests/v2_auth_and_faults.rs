//! v2 authentication (Basic, bearer, session with CSRF, none), the
//! cluster endpoints, generations per version, injected faults as problem
//! bodies, and simulated blocking task listeners (409 meanwhile, 504 for
//! a listener that never ends).

mod common;
mod v2_support;
use common::*;
use std::time::{Duration, Instant};
use v2_support::*;

#[test]
fn basic_authentication_and_its_401_problem() {
    let emulator = start_v2("8.9", |_| {});
    assert_eq!(basic(&emulator).get("/v2/topology").status, 200);
    let wrong = basic_as(&emulator, "demo", "wrong").get("/v2/topology");
    assert_v2_problem(&wrong, 401, "Unauthorized", "Bad credentials");
    let none = Client::anonymous(&emulator).post("/v2/user-tasks/search", "{}");
    assert_v2_problem(&none, 401, "Unauthorized", "");
    // A read-only user may read, but not command.
    let viewer = basic_as(&emulator, "view", "view");
    assert_eq!(viewer.post("/v2/user-tasks/search", "{}").status, 200);
    let key = open_task(&viewer, &[]);
    let refused = viewer.post(
        &format!("/v2/user-tasks/{key}/assignment"),
        r#"{"assignee":"view"}"#,
    );
    assert_v2_problem(&refused, 403, "FORBIDDEN", "UPDATE_USER_TASK");
}

#[test]
fn bearer_tokens_of_the_token_endpoint() {
    let emulator = start_v2("8.8", |_| {});
    let client = Client::bearer(&emulator);
    let me = client.get("/v2/authentication/me");
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["username"], "tasklist-client");
    let key = open_task(&client, &[]);
    let reply = client.post(
        &format!("/v2/user-tasks/{key}/assignment"),
        r#"{"assignee":"demo"}"#,
    );
    assert_eq!(reply.status, 204, "{}", reply.text());
    let forged = Client {
        addr: emulator.addr(),
        auth: vec![("Authorization".into(), "Bearer not.a.token".into())],
    };
    assert_eq!(forged.get("/v2/topology").status, 401);
    assert_eq!(
        forged.get("/v2/topology").header("content-type"),
        Some("application/problem+json")
    );
}

#[test]
fn sessions_need_the_csrf_token_on_unsafe_methods() {
    let emulator = start_v2("8.9", |_| {});
    let without = session(&emulator, false);
    let me = without.get("/v2/authentication/me");
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["username"], "demo");
    assert_eq!(me.json()["canLogout"], true);
    assert!(me.header("x-csrf-token").is_some(), "GETs hand out tokens");
    let refused = without.post("/v2/user-tasks/search", "{}");
    assert_v2_problem(&refused, 403, "Forbidden", "CSRF");
    let with = session(&emulator, true);
    assert_eq!(with.post("/v2/user-tasks/search", "{}").status, 200);
    let key = open_task(&with, &[]);
    assert_eq!(
        with.post(
            &format!("/v2/user-tasks/{key}/assignment"),
            r#"{"assignee":"demo"}"#
        )
        .status,
        204
    );
    assert_eq!(with.post("/logout", "").status, 204);
    assert_eq!(with.post("/v2/user-tasks/search", "{}").status, 401);
}

#[test]
fn an_unprotected_api_needs_no_credentials() {
    let emulator = start_v2("8.10", |c| c.unprotected_api = true);
    let client = Client::anonymous(&emulator);
    assert_eq!(client.post("/v2/user-tasks/search", "{}").status, 200);
    let key = open_task(&client, &[]);
    assert_eq!(
        client
            .post(&format!("/v2/user-tasks/{key}/completion"), "")
            .status,
        204
    );
}

#[test]
fn cluster_endpoints_and_public_ones() {
    for (text, gateway) in [("8.8", "8.8.0"), ("8.9", "8.9.0"), ("8.10", "8.10.0")] {
        let emulator = start_v2(text, |_| {});
        let topology = basic(&emulator).get("/v2/topology").json();
        assert_eq!(topology["gatewayVersion"], gateway);
        assert_eq!(topology["brokers"][0]["version"], gateway);
        assert_eq!(topology["clusterSize"], 1);
        assert_eq!(topology["brokers"][0]["partitions"][0]["role"], "leader");
        let anonymous = Client::anonymous(&emulator);
        let license = anonymous.get("/v2/license");
        assert_eq!(license.status, 200, "no credentials needed");
        assert_eq!(license.json()["isCommercial"], false);
        let status = anonymous.get("/v2/status");
        assert_eq!(status.status, 204);
        assert!(status.body.is_empty());
        assert_eq!(anonymous.get("/v2/topology").status, 401);
    }
}

#[test]
fn each_version_serves_its_generations() {
    let e810 = start_v2("8.10", |_| {});
    let client = basic(&e810);
    assert_eq!(client.post("/v1/tasks/search", "{}").status, 404);
    assert_eq!(client.get("/v1/tasks/1").status, 404);
    assert_eq!(client.post("/v2/user-tasks/search", "{}").status, 200);
    let e87 = start_v2("8.7", |_| {});
    assert_eq!(Client::bearer(&e87).get("/v2/topology").status, 404);
    // Unknown v2 paths and methods are problems too.
    let e89 = start_v2("8.9", |_| {});
    let unknown = basic(&e89).get("/v2/nothing");
    assert_v2_problem(&unknown, 404, "Not Found", "No endpoint");
    let wrong = basic(&e89).call("PUT", "/v2/user-tasks/search", "{}");
    assert_v2_problem(&wrong, 405, "Method Not Allowed", "PUT");
}

#[test]
fn injected_faults_answer_v2_problems() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let fault = |body: &str| assert_eq!(admin(&emulator, "POST", "faults", body).status, 200);
    fault(r#"{"target":"api","status":503,"retry_after":2}"#);
    let busy = client.post("/v2/user-tasks/search", "{}");
    assert_v2_problem(&busy, 503, "RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED");
    assert_eq!(busy.header("retry-after"), Some("2"));
    fault(r#"{"target":"api","status":504}"#);
    assert_v2_problem(
        &client.get("/v2/topology"),
        504,
        "DEADLINE_EXCEEDED",
        "timed out",
    );
    // A body of its own (a gateway's HTML page) stays as given.
    fault(r#"{"target":"api","status":504,"body":"<html>Gateway Timeout</html>"}"#);
    let html = client.get("/v2/topology");
    assert_eq!(html.status, 504);
    assert_eq!(html.text(), "<html>Gateway Timeout</html>");
    fault(r#"{"target":"api","drop":true}"#);
    let dropped = send(emulator.addr(), "GET", "/v2/status", &[], b"");
    assert!(dropped.is_err(), "the connection ends mid-answer");
    fault(r#"{"target":"api","delay_ms":150,"count":1}"#);
    let started = Instant::now();
    assert_eq!(client.get("/v2/topology").status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(client.get("/v2/topology").status, 200, "faults are used up");
}

#[test]
fn a_held_listener_makes_other_commands_wait_409() {
    let emulator = start_v2("8.9", |_| {});
    let client = basic(&emulator);
    let key = open_task(&client, &[]);
    let hold_for = Duration::from_millis(3000);
    let hold = r#"{"target":"api","listener":"assign","hold_ms":3000}"#;
    assert_eq!(admin(&emulator, "POST", "faults", hold).status, 200);
    let sent = Instant::now();
    let assigning = {
        let (client, key) = (client.clone(), key.clone());
        std::thread::spawn(move || {
            let started = Instant::now();
            let reply = client.post(
                &format!("/v2/user-tasks/{key}/assignment"),
                r#"{"assignee":"jane"}"#,
            );
            (reply.status, started.elapsed())
        })
    };
    // The hold ends no sooner than `hold_for` after `sent`: what is
    // answered before then was answered while the task was held.
    let mut checked = false;
    while !checked && sent.elapsed() < hold_for {
        let state = task(&client, &key)["state"].clone();
        if state == "ASSIGNING" {
            // An update: harmless should it land after the hold.
            let probe = client.patch(
                &format!("/v2/user-tasks/{key}"),
                r#"{"changeset":{"priority":60}}"#,
            );
            if sent.elapsed() < hold_for {
                assert_v2_problem(
                    &probe,
                    409,
                    "INVALID_STATE",
                    &format!("Command 'UPDATE' rejected with code 'INVALID_STATE': Expected to update user task with key '{key}', but it is in state 'ASSIGNING'"),
                );
                checked = true;
            }
        } else if sent.elapsed() < hold_for {
            assert_eq!(state, "CREATED", "before the hold starts");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let (status, took) = assigning.join().unwrap();
    assert_eq!(status, 204);
    assert!(took >= Duration::from_millis(3000), "{took:?}");
    let body = task(&client, &key);
    assert_eq!(body["state"], "CREATED");
    assert_eq!(body["assignee"], "jane");
}

#[test]
fn a_listener_that_never_ends_answers_504_and_holds_the_task() {
    let emulator = start_v2("8.8", |c| c.request_timeout_ms = 300);
    let client = basic(&emulator);
    let key = open_task(&client, &[]);
    let never = r#"{"target":"api","listener":"complete","never":true}"#;
    assert_eq!(admin(&emulator, "POST", "faults", never).status, 200);
    let started = Instant::now();
    let reply = client.post(&format!("/v2/user-tasks/{key}/completion"), "{}");
    assert_v2_problem(&reply, 504, "DEADLINE_EXCEEDED", "timed out");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(task(&client, &key)["state"], "COMPLETING");
    for (path, body) in [
        ("/completion", "{}"),
        ("/assignment", r#"{"assignee":"demo"}"#),
    ] {
        let reply = client.post(&format!("/v2/user-tasks/{key}{path}"), body);
        assert_v2_problem(
            &reply,
            409,
            "INVALID_STATE",
            "but it is in state 'COMPLETING'",
        );
    }
    let patch = client.patch(
        &format!("/v2/user-tasks/{key}"),
        r#"{"changeset":{"priority":1}}"#,
    );
    assert_v2_problem(&patch, 409, "INVALID_STATE", "Expected to update user task");
    // The admin endpoint lets the task go (the held command is dropped).
    assert_eq!(
        admin(&emulator, "POST", "release-listeners", "").status,
        200
    );
    assert_eq!(task(&client, &key)["state"], "CREATED");
    assert_eq!(
        client
            .post(&format!("/v2/user-tasks/{key}/completion"), "{}")
            .status,
        204
    );
    // Listener faults are one-shot by default, and must name a command.
    let bad = admin(
        &emulator,
        "POST",
        "faults",
        r#"{"listener":"sing","hold_ms":1}"#,
    );
    assert_eq!(bad.status, 400);
}

#[test]
fn tokens_for_the_v2_audience_on_8_8_and_later() {
    let request = |emulator: &tasklist_emulator::Emulator, audience: &str| {
        let body = format!("grant_type=client_credentials&client_id=tasklist-client&client_secret=tasklist-secret&audience={audience}");
        send(
            emulator.addr(),
            "POST",
            "/oauth/token",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
        .unwrap()
    };
    let emulator = start_v2("8.9", |_| {});
    let reply = request(&emulator, "zeebe.camunda.io");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let token = reply.json()["access_token"].as_str().unwrap().to_string();
    let client = Client {
        addr: emulator.addr(),
        auth: vec![("Authorization".into(), format!("Bearer {token}"))],
    };
    assert_eq!(client.get("/v2/topology").status, 200);
    assert_eq!(client.post("/v1/tasks/search", "{}").status, 200);
    assert_eq!(request(&emulator, "tasklist.camunda.io").status, 200);
    assert_eq!(request(&emulator, "elsewhere").status, 400);
    // Before 8.8 there is no v2 audience.
    let old = start_v2("8.7", |_| {});
    assert_eq!(request(&old, "zeebe.camunda.io").status, 400);
}
