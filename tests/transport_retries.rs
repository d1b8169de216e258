//! Timeouts and the retry rules, through the C functions, against the emulator's fault
//! injection. What was sent is read from the emulator's request log (arrival times in ms
//! since it started), so the assertions do not depend on this machine's scheduling.

mod common;

use common::*;
use std::ptr;
use std::time::{Duration, Instant};
use tasklist::ffi::*;

const SEARCH: &str = "/v1/tasks/search";

fn search(client: &Client) -> Result<String, Failure> {
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

fn assign(client: &Client, id: &str) -> Result<String, Failure> {
    let (id, body) = (
        cstring(id),
        cstring(r#"{"assignee":"demo","allowOverrideAssignment":true}"#),
    );
    call_json(|o, e| unsafe {
        tasklist_assign_task(client.ptr(), id.as_ptr(), body.as_ptr(), o, e)
    })
}

fn login(client: &Client) -> Result<(), Failure> {
    call_status(|e| unsafe { tasklist_client_login(client.ptr(), e) })
}

fn fault(emu: &Emulator, spec: &str) {
    admin_post(emu, "faults", spec);
}

/// The (arrival ms, status) of every logged request to `path`, oldest first.
fn arrivals(emu: &Emulator, path: &str) -> Vec<(u64, u64)> {
    let log = admin_get(emu, "log");
    log.as_array()
        .expect("the log is an array")
        .iter()
        .filter(|e| e["path"].as_str().is_some_and(|p| p.starts_with(path)))
        .map(|e| (e["at_ms"].as_u64().unwrap(), e["status"].as_u64().unwrap()))
        .collect()
}

fn statuses(emu: &Emulator, path: &str) -> Vec<u64> {
    arrivals(emu, path).into_iter().map(|(_, s)| s).collect()
}

/// A fresh emulator and a client that already holds a token, so logs show only API calls.
fn setup(retries: u32, request_ms: u64) -> (Emulator, Client) {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url())
        .retries(retries)
        .timeouts(0, request_ms)
        .client();
    login(&client).unwrap();
    (emu, client)
}

fn unassigned_task(emu: &Emulator) -> String {
    admin_get(emu, "data")["unassignedTaskId"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn searches_are_retried_on_each_overload_status() {
    for status in [429, 502, 503, 504] {
        let (emu, client) = setup(2, 30_000);
        fault(
            &emu,
            &format!(r#"{{"target":"api","status":{status},"count":1}}"#),
        );
        search(&client).unwrap_or_else(|f| panic!("{status} not retried: {f:?}"));
        assert_eq!(statuses(&emu, SEARCH), vec![status, 200], "after {status}");
    }
}

#[test]
fn searches_are_retried_after_a_dropped_connection() {
    let (emu, client) = setup(2, 30_000);
    fault(&emu, r#"{"target":"api","drop":true,"count":1}"#);
    search(&client).expect("a dropped read is repeated");
    assert_eq!(statuses(&emu, SEARCH), vec![0, 200]);
}

#[test]
fn other_error_statuses_are_never_retried() {
    let (emu, client) = setup(2, 30_000);
    for status in [500, 400, 404, 501] {
        fault(
            &emu,
            &format!(r#"{{"target":"api","status":{status},"count":1}}"#),
        );
        search(&client).unwrap_err();
    }
    assert_eq!(statuses(&emu, SEARCH), vec![500, 400, 404, 501]);
}

#[test]
fn writes_are_not_retried_on_502_or_503_without_retry_after() {
    let (emu, client) = setup(3, 30_000);
    let id = unassigned_task(&emu);
    let path = format!("/v1/tasks/{id}/assign");
    fault(&emu, r#"{"target":"api","status":503,"count":1}"#);
    assert_eq!(
        assign(&client, &id).unwrap_err().name,
        "TASKLIST_ERR_SERVER"
    );
    fault(&emu, r#"{"target":"api","status":502,"count":1}"#);
    assert_eq!(
        assign(&client, &id).unwrap_err().name,
        "TASKLIST_ERR_SERVER"
    );
    // A 502 asks for nothing, even with Retry-After: only 429 and 503 do.
    fault(
        &emu,
        r#"{"target":"api","status":502,"count":1,"retry_after":0}"#,
    );
    assert_eq!(
        assign(&client, &id).unwrap_err().name,
        "TASKLIST_ERR_SERVER"
    );
    assert_eq!(
        statuses(&emu, &path),
        vec![503, 502, 502],
        "one attempt each"
    );
}

#[test]
fn writes_are_not_retried_after_a_dropped_connection() {
    let (emu, client) = setup(3, 30_000);
    let id = unassigned_task(&emu);
    fault(&emu, r#"{"target":"api","drop":true,"count":1}"#);
    let f = assign(&client, &id).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_IO", "{f:?}");
    assert_eq!(statuses(&emu, &format!("/v1/tasks/{id}/assign")), vec![0]);
}

#[test]
fn writes_are_retried_when_the_server_asks_with_retry_after() {
    for status in [429, 503] {
        let (emu, client) = setup(2, 30_000);
        let id = unassigned_task(&emu);
        fault(
            &emu,
            &format!(r#"{{"target":"api","status":{status},"count":1,"retry_after":1}}"#),
        );
        assign(&client, &id).unwrap_or_else(|f| panic!("{status}: {f:?}"));
        let seen = arrivals(&emu, &format!("/v1/tasks/{id}/assign"));
        assert_eq!(
            seen.iter().map(|a| a.1).collect::<Vec<_>>(),
            vec![status, 200]
        );
        let waited = seen[1].0 - seen[0].0;
        assert!(
            waited >= 1000,
            "Retry-After: 1 honoured, waited {waited} ms"
        );
    }
}

#[test]
fn retry_after_is_honoured_for_searches_too() {
    let (emu, client) = setup(2, 30_000);
    fault(
        &emu,
        r#"{"target":"api","status":503,"count":1,"retry_after":1}"#,
    );
    search(&client).unwrap();
    let seen = arrivals(&emu, SEARCH);
    assert_eq!(seen.len(), 2);
    assert!(seen[1].0 - seen[0].0 >= 1000, "{seen:?}");
}

#[test]
fn retries_stop_at_max_retries() {
    let (emu, client) = setup(2, 30_000);
    fault(&emu, r#"{"target":"api","status":503,"count":10}"#);
    let f = search(&client).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_SERVER", 503)
    );
    assert_eq!(
        statuses(&emu, SEARCH),
        vec![503, 503, 503],
        "1 try + 2 retries"
    );

    let (emu, client) = setup(0, 30_000);
    fault(&emu, r#"{"target":"api","status":429,"count":10}"#);
    assert_eq!(
        search(&client).unwrap_err().name,
        "TASKLIST_ERR_RATE_LIMITED"
    );
    assert_eq!(statuses(&emu, SEARCH), vec![429], "retries disabled");
}

#[test]
fn a_retry_after_beyond_the_request_timeout_is_not_waited_for() {
    let (emu, client) = setup(5, 2_000);
    fault(
        &emu,
        r#"{"target":"api","status":503,"count":1,"retry_after":30}"#,
    );
    let started = Instant::now();
    let f = search(&client).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_SERVER");
    assert_eq!(statuses(&emu, SEARCH), vec![503], "no second attempt");
    // Generous bound: the point is that 30 s were not slept.
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn the_request_timeout_bounds_the_retries_too() {
    // Each attempt takes 1 s before its 503; with 1.5 s for the whole call the second
    // attempt gets only what is left and times out, instead of starting a fresh 1.5 s.
    let (emu, client) = setup(5, 1_500);
    fault(&emu, r#"{"target":"api","delay_ms":1000,"count":2}"#);
    fault(&emu, r#"{"target":"api","status":503,"count":2}"#);
    let f = search(&client).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_TIMEOUT", "{f:?}");
    // The emulator logs a request when it answers; the second attempt was abandoned
    // during its delay, so only the first shows, and no attempt reached a success.
    assert_eq!(statuses(&emu, SEARCH), vec![503]);
}

#[test]
fn a_hung_server_times_out_within_the_limit() {
    let (emu, client) = setup(2, 500);
    fault(&emu, r#"{"target":"api","delay_ms":5000,"count":3}"#);
    let started = Instant::now();
    let f = search(&client).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_TIMEOUT", 0)
    );
    assert!(f.message.contains("timed out"), "{}", f.message);
    assert!(
        started.elapsed() < Duration::from_millis(4000),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_hung_token_endpoint_or_login_fails_within_the_limit() {
    let emu = emulator();
    fault(&emu, r#"{"target":"token","delay_ms":5000}"#);
    fault(&emu, r#"{"target":"login","delay_ms":5000}"#);
    let oauth = Options::oauth(&emu.base_url()).timeouts(0, 500).client();
    let cookie = Options::cookie(&emu.base_url(), "demo", "demo")
        .timeouts(0, 500)
        .client();
    for client in [&oauth, &cookie] {
        let started = Instant::now();
        let f = login(client).unwrap_err();
        // A timeout is a timeout wherever it happens; the message says where.
        assert_eq!(f.name, "TASKLIST_ERR_TIMEOUT", "{f:?}");
        assert!(f.message.contains("timed out"), "{}", f.message);
        assert!(
            f.message.starts_with("token endpoint ") || f.message.starts_with("login "),
            "{}",
            f.message
        );
        assert!(started.elapsed() < Duration::from_millis(4000));
    }
}
