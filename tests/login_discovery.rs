//! Cookie login on every Camunda line from one configuration: `/api/login` up to 8.7,
//! `/login` from 8.8 (its login page fetched first for the CSRF token a strict login wants),
//! found at the first login unless pinned, and kept for every later login.

mod common;

use common::*;
use std::ptr;
use tasklist::ffi::*;
use tasklist_emulator::CamundaVersion;

fn camunda(version: CamundaVersion, strict_login: bool) -> tasklist_emulator::Emulator {
    emulator_with(|c| {
        c.camunda_version = version;
        c.login_requires_csrf = strict_login;
    })
}

/// The login traffic the emulator saw, as "METHOD path status".
fn login_traffic(emulator: &tasklist_emulator::Emulator) -> Vec<String> {
    admin_get(emulator, "log")
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"].as_str().is_some_and(|p| p.ends_with("login")))
        .map(|e| {
            format!(
                "{} {} {}",
                e["method"].as_str().unwrap(),
                e["path"].as_str().unwrap(),
                e["status"]
            )
        })
        .collect()
}

fn search(client: &Client) -> Result<String, Failure> {
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

#[test]
fn tasklist_8_7_is_logged_into_at_api_login_alone() {
    let emulator = camunda(CamundaVersion::V8_7, false);
    let client = Options::cookie(&emulator.base_url(), "demo", "demo").client();
    search(&client).unwrap();
    assert_eq!(login_traffic(&emulator), ["POST /api/login 204"]);
}

#[test]
fn camunda_8_8_is_found_at_login_with_its_csrf_token_and_writes_work() {
    let emulator = camunda(CamundaVersion::V8_8, true);
    let client = Options::cookie(&emulator.base_url(), "demo", "demo").client();
    search(&client).unwrap();
    // A v1 call tries Tasklist's path first; the strict login needs the page's token.
    assert_eq!(
        login_traffic(&emulator),
        ["POST /api/login 404", "GET /login 200", "POST /login 204"]
    );
    // Writes carry the masked CSRF token the server handed out.
    let task = cstring(
        admin_get(&emulator, "data")["jobWorkerTaskId"]
            .as_str()
            .unwrap(),
    );
    let assign = cstring(r#"{"assignee":"demo"}"#);
    call_json(|o, e| unsafe {
        tasklist_assign_task(client.ptr(), task.as_ptr(), assign.as_ptr(), o, e)
    })
    .unwrap();
    // The session expires: the next login goes straight to the path that worked.
    admin_post(&emulator, "expire-sessions", "{}");
    search(&client).unwrap();
    assert_eq!(
        login_traffic(&emulator)[3..],
        ["GET /login 200", "POST /login 204"]
    );
}

#[test]
fn a_v2_call_tries_the_orchestration_login_first() {
    let emulator = camunda(CamundaVersion::V8_8, false);
    let client = Options::cookie(&emulator.base_url(), "demo", "demo").client();
    // Whatever the v2 answer, the session is made at /login at once.
    let _ = call_json(|o, e| unsafe { tasklist_v2_get_topology(client.ptr(), o, e) });
    assert_eq!(
        login_traffic(&emulator),
        ["GET /login 200", "POST /login 204"]
    );
}

#[test]
fn a_pinned_path_is_the_only_one_asked() {
    let emulator = camunda(CamundaVersion::V8_7, false);
    let options = Options::cookie(&emulator.base_url(), "demo", "demo");
    let path = cstring("/login");
    assert_eq!(
        unsafe { tasklist_options_set_login_path(options.0, path.as_ptr()) },
        TASKLIST_OK
    );
    let failure = search(&options.client()).unwrap_err();
    assert_eq!(
        failure.name, "TASKLIST_ERR_AUTH_UNAVAILABLE",
        "{}",
        failure.message
    );
    assert!(failure.message.contains("/login"), "{}", failure.message);
    assert_eq!(login_traffic(&emulator), ["GET /login 404"]);
}

#[test]
fn a_server_with_neither_login_says_which_paths_it_tried() {
    // 8.10 keeps /login: a base URL with a path prefix finds neither.
    let emulator = camunda(CamundaVersion::V8_8, false);
    let base = format!("{}/tasklist", emulator.base_url());
    let failure = search(&Options::cookie(&base, "demo", "demo").client()).unwrap_err();
    assert_eq!(failure.name, "TASKLIST_ERR_AUTH_UNAVAILABLE");
    assert!(
        failure.message.contains("/api/login answered HTTP 404")
            && failure.message.contains("/login answered HTTP 404"),
        "{}",
        failure.message
    );
}

#[test]
fn a_wrong_password_at_login_is_an_authentication_failure() {
    let emulator = camunda(CamundaVersion::V8_9, false);
    let failure =
        search(&Options::cookie(&emulator.base_url(), "demo", "wrong").client()).unwrap_err();
    assert_eq!(
        failure.name, "TASKLIST_ERR_AUTH_FAILED",
        "{}",
        failure.message
    );
    assert!(failure.message.contains("/login"), "{}", failure.message);
}
