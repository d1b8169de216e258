//! Two API generations behind one handle: a function of the generation the server does not
//! offer is `TASKLIST_ERR_UNSUPPORTED`, naming the server's version and the function to call
//! instead, and nothing is ever sent to the other generation on the caller's behalf; v2's
//! backpressure is retried by what its problems say.

mod common;

use common::recorder::{Recorder, Reply};
use common::*;
use std::ptr;
use tasklist::ffi::*;

/// Spring's page for a path no controller maps, as every Camunda line sends it.
fn unmapped(path: &str) -> Reply {
    Reply::status(
        404,
        &format!(
            r#"{{"timestamp":"2026-12-01T10:00:00.000+0000","status":404,"error":"Not Found","path":"{path}"}}"#
        ),
    )
}

fn path_of(target: &str) -> &str {
    target.split('?').next().unwrap_or(target)
}

/// A Camunda 8.10: v2 only.
fn camunda_8_10() -> Recorder {
    Recorder::start(|request| match path_of(&request.target) {
        "/v2/topology" => Reply::json(
            r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.10.2","lastCompletedChangeId":"-1"}"#,
        ),
        path => unmapped(path),
    })
}

/// A Tasklist 8.7: v1 only.
fn tasklist_8_7() -> Recorder {
    Recorder::start(|request| match path_of(&request.target) {
        "/v1/tasks/search" => Reply::json("[]"),
        path => unmapped(path),
    })
}

#[test]
fn a_v1_function_against_8_10_names_the_version_and_the_v2_function() {
    let server = camunda_8_10();
    let client = Options::new(&server.url()).client();
    let failure =
        call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
            .unwrap_err();
    assert_eq!(
        failure.name, "TASKLIST_ERR_UNSUPPORTED",
        "{}",
        failure.message
    );
    assert!(
        failure.message.contains("Camunda 8.10.2"),
        "{}",
        failure.message
    );
    assert!(
        failure.message.contains("tasklist_v2_search_user_tasks"),
        "{}",
        failure.message
    );
    // The 404 that led there stays readable.
    assert_eq!(failure.http_status, 404);
    assert!(failure
        .body
        .as_deref()
        .unwrap_or("")
        .contains("/v1/tasks/search"));
    // Asked the version, never sent the search to v2 on its own.
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(paths, ["/v1/tasks/search", "/v2/topology"]);

    // A command without a v2 twin says so.
    let id = cstring("7");
    let drafts = cstring(r#"{"variables":[]}"#);
    let failure = call_status(|e| unsafe {
        tasklist_save_draft_variables(client.ptr(), id.as_ptr(), drafts.as_ptr(), e)
    })
    .unwrap_err();
    assert_eq!(failure.name, "TASKLIST_ERR_UNSUPPORTED");
    assert!(
        failure.message.contains("no endpoint for this"),
        "{}",
        failure.message
    );
}

#[test]
fn a_v2_function_against_a_v1_server_names_the_v1_function() {
    let server = tasklist_8_7();
    let client = Options::new(&server.url()).client();
    let key = cstring("2251799813685249");
    let failure =
        call_json(|o, e| unsafe { tasklist_v2_get_user_task(client.ptr(), key.as_ptr(), o, e) })
            .unwrap_err();
    assert_eq!(
        failure.name, "TASKLIST_ERR_UNSUPPORTED",
        "{}",
        failure.message
    );
    assert!(
        failure.message.contains("v2 Orchestration Cluster API"),
        "{}",
        failure.message
    );
    assert!(
        failure.message.contains("tasklist_get_task"),
        "{}",
        failure.message
    );
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(paths, ["/v2/user-tasks/2251799813685249", "/v2/topology"]);
}

#[test]
fn a_404_about_a_task_stays_not_found_and_asks_nothing_more() {
    let server = Recorder::start(|request| match path_of(&request.target) {
        "/v1/tasks/7" => Reply::status(
            404,
            r#"{"status":404,"message":"task with id 7 was not found","instance":"b1"}"#,
        ),
        _ => Reply::status(
            404,
            r#"{"type":"about:blank","title":"NOT_FOUND","status":404,"detail":"User Task with key '7' not found","instance":"/v2/user-tasks/7"}"#,
        ),
    });
    let client = Options::new(&server.url()).client();
    let key = cstring("7");
    let v1 = call_json(|o, e| unsafe { tasklist_get_task(client.ptr(), key.as_ptr(), o, e) })
        .unwrap_err();
    assert_eq!(v1.name, "TASKLIST_ERR_NOT_FOUND");
    let v2 =
        call_json(|o, e| unsafe { tasklist_v2_get_user_task(client.ptr(), key.as_ptr(), o, e) })
            .unwrap_err();
    assert_eq!(v2.name, "TASKLIST_ERR_NOT_FOUND");
    assert!(
        v2.message.contains("User Task with key '7' not found"),
        "{}",
        v2.message
    );
    assert_eq!(
        server.requests().len(),
        2,
        "no version probe for a missing task"
    );
}

#[test]
fn an_unknown_v1_path_on_a_server_without_v2_keeps_its_404() {
    // Neither generation answers: a wrong base URL, not a missing API.
    let server = Recorder::start(|request| unmapped(path_of(&request.target)));
    let client = Options::new(&server.url()).client();
    let failure =
        call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
            .unwrap_err();
    assert_eq!(
        failure.name, "TASKLIST_ERR_NOT_FOUND",
        "{}",
        failure.message
    );
}

const EXHAUSTED_503: &str = r#"{"type":"about:blank","title":"RESOURCE_EXHAUSTED","status":503,"detail":"Expected to handle gRPC request, but request could not be handled: RESOURCE_EXHAUSTED","instance":"/v2/user-tasks/7/completion"}"#;

/// Answers the first `refusals` requests with `status` and `body`, then with `then`'s
/// status and body.
fn refusing_then(
    refusals: usize,
    status: u16,
    body: &'static str,
    then: (u16, &'static str),
) -> Recorder {
    let seen = std::sync::atomic::AtomicUsize::new(0);
    Recorder::start(move |_| {
        if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < refusals {
            Reply::status(status, body)
        } else {
            Reply::status(then.0, then.1)
        }
    })
}

/// Refuses the first `refusals` commands, then answers 204.
fn refusing(refusals: usize, status: u16, body: &'static str) -> Recorder {
    refusing_then(refusals, status, body, (204, ""))
}

#[test]
fn a_completion_refused_by_backpressure_is_sent_again() {
    let server = refusing(2, 503, EXHAUSTED_503);
    let client = Options::new(&server.url()).retries(3).client();
    let key = cstring("7");
    call_status(|e| unsafe {
        tasklist_v2_complete_user_task(client.ptr(), key.as_ptr(), ptr::null(), e)
    })
    .unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_completion_is_not_repeated_after_an_answer_that_may_follow_the_act() {
    // A gateway's 503 without the engine's word, a 504, and a 500 naming the exhaustion may
    // all come after the engine took the command: a second completion would be a 404.
    for (status, body) in [
        (503, r#"{"title":"UNAVAILABLE","status":503}"#),
        (504, r#"{"title":"DEADLINE_EXCEEDED","status":504}"#),
        (
            500,
            r#"{"title":"INTERNAL","status":500,"detail":"RESOURCE_EXHAUSTED"}"#,
        ),
    ] {
        let server = refusing(1, status, body);
        let client = Options::new(&server.url()).retries(3).client();
        let key = cstring("7");
        let failure = call_status(|e| unsafe {
            tasklist_v2_complete_user_task(client.ptr(), key.as_ptr(), ptr::null(), e)
        })
        .unwrap_err();
        assert_eq!(failure.http_status, status);
        assert_eq!(server.requests().len(), 1, "{status}");
    }
}

#[test]
fn reads_are_retried_on_an_exhausted_500() {
    let server = refusing_then(
        1,
        500,
        r#"{"title":"INTERNAL","status":500,"detail":"Failed: RESOURCE_EXHAUSTED"}"#,
        (200, r#"{"items":[],"page":{"totalItems":0}}"#),
    );
    let client = Options::new(&server.url()).retries(2).client();
    call_json(|o, e| unsafe { tasklist_v2_search_user_tasks(client.ptr(), ptr::null(), o, e) })
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn errors_name_the_full_url_and_call_a_stranger_the_server() {
    // A base URL that points at some other web server: its 404 page is HTML.
    let server = Recorder::start(|_| Reply::status(404, "<html><body>nginx</body></html>"));
    let client = Options::new(&server.url()).retries(0).client();
    let id = cstring("7");
    let failure = call_json(|o, e| unsafe { tasklist_get_task(client.ptr(), id.as_ptr(), o, e) })
        .unwrap_err();
    let url = format!("GET {}/v1/tasks/7", server.url());
    assert!(failure.message.starts_with(&url), "{}", failure.message);
    assert!(
        failure.message.contains("the server answered HTTP 404")
            && !failure.message.contains("Tasklist"),
        "{}",
        failure.message
    );
}
