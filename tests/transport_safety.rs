//! What the library puts on the wire, seen by a recording server: redirects are never
//! followed (so credentials never reach another origin), ids are percent-encoded, generic
//! paths cannot leave the base URL, answers have a size limit, and the User-Agent names the
//! library.

mod common;

use common::recorder::{Recorder, Reply};
use common::*;
use std::ffi::CStr;
use std::ptr;
use tasklist::ffi::tasklist_version;
use tasklist::ffi::*;

fn search(client: &Client) -> Result<String, Failure> {
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

fn with_bearer(options: Options, token: &str) -> Options {
    let token = cstring(token);
    assert_eq!(
        unsafe { tasklist_options_set_bearer_token(options.0, token.as_ptr()) },
        TASKLIST_OK
    );
    options
}

#[test]
fn redirects_to_another_origin_are_not_followed_and_carry_nothing_there() {
    let elsewhere = Recorder::start(|_| Reply::json("[]"));
    let target = format!("{}/v1/tasks/search", elsewhere.url());
    let redirector = Recorder::start(move |request| {
        if request.target == "/api/login" {
            return Reply::json("").with_header(
                "set-cookie",
                "TASKLIST-SESSION=session-cookie-value; Path=/",
            );
        }
        Reply {
            status: 302,
            headers: vec![("location".into(), target.clone())],
            body: String::new(),
        }
    });

    let bearer = with_bearer(Options::new(&redirector.url()), "bearer-secret-value").client();
    let f = search(&bearer).unwrap_err();
    assert_eq!((f.name.as_str(), f.http_status), ("TASKLIST_ERR_HTTP", 302));
    assert!(f.message.contains("not followed"), "{}", f.message);
    assert!(f.message.contains(&elsewhere.url()), "{}", f.message);

    let session = Options::cookie(&redirector.url(), "demo", "demo-password").client();
    assert_eq!(search(&session).unwrap_err().http_status, 302);

    // A token endpoint that redirects is not followed either.
    let oauth = Options::new(&redirector.url());
    oauth.set_oauth(
        &format!("{}/oauth/token", redirector.url()),
        "id",
        "client-secret-value",
        None,
    );
    assert_eq!(
        search(&oauth.client()).unwrap_err().name,
        "TASKLIST_ERR_AUTH_UNAVAILABLE"
    );

    assert!(
        elsewhere.requests().is_empty(),
        "the other origin saw {:?}",
        elsewhere.requests()
    );
    let sent = redirector.requests();
    let with = |header: &str| sent.iter().filter(|r| r.header(header).is_some()).count();
    assert_eq!(
        with("authorization"),
        1,
        "the bearer went only to its own origin"
    );
    assert_eq!(
        with("cookie"),
        1,
        "the session cookie went only to its own origin"
    );
}

#[test]
fn ids_are_percent_encoded_into_one_path_segment() {
    let server = Recorder::start(|_| Reply::json(r#"{"id":"x"}"#));
    let client = Options::new(&server.url()).client();
    let id = cstring("a/b?c=d#e f");
    call_json(|o, e| unsafe { tasklist_get_task(client.ptr(), id.as_ptr(), o, e) }).unwrap();
    let variable = cstring("../admin");
    call_json(|o, e| unsafe { tasklist_get_variable(client.ptr(), variable.as_ptr(), o, e) })
        .unwrap();
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/v1/tasks/a%2Fb%3Fc%3Dd%23e%20f",
            "/v1/variables/..%2Fadmin"
        ]
    );
}

#[test]
fn generic_requests_cannot_leave_the_base_url() {
    let server = Recorder::start(|_| Reply::json("{}"));
    let client = Options::new(&server.url()).client();
    let get = cstring("GET");
    for path in [
        "http://evil.example/v1/tasks",
        "//evil.example/v1/tasks",
        "v1/tasks",
        "/v1/../admin",
        "/v1/%2e%2e/admin",
        "/v1/tasks\r\nHost: evil.example",
    ] {
        let p = cstring(path);
        let f = call_json(|o, e| unsafe {
            tasklist_request(client.ptr(), get.as_ptr(), p.as_ptr(), ptr::null(), o, e)
        })
        .unwrap_err();
        assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT", "{path:?}");
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn answers_above_the_size_limit_are_refused() {
    let big = format!("[{}]", vec!["\"0123456789\""; 200].join(","));
    let server = Recorder::start(move |_| Reply::json(&big));
    let options = Options::new(&server.url());
    assert_eq!(
        unsafe { tasklist_options_set_max_response_bytes(options.0, 1000) },
        TASKLIST_OK
    );
    let f = search(&options.client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_BODY_TOO_LARGE");
    assert!(f.message.contains("1000"), "{}", f.message);
    assert_eq!(
        unsafe { tasklist_options_set_max_response_bytes(options.0, 100_000) },
        TASKLIST_OK
    );
    assert!(search(&options.client()).unwrap().len() > 2000);
    assert_eq!(
        unsafe { tasklist_options_set_max_response_bytes(options.0, 0) },
        TASKLIST_ERR_INVALID_ARGUMENT
    );
}

#[test]
fn the_user_agent_names_the_library_and_its_version() {
    let server = Recorder::start(|_| Reply::json("[]"));
    search(&Options::new(&server.url()).client()).unwrap();
    let version = unsafe { CStr::from_ptr(tasklist_version()) }
        .to_str()
        .unwrap();
    let sent = server.requests();
    assert_eq!(
        sent[0].header("user-agent"),
        Some(format!("libtasklist/{version}").as_str())
    );
    assert_eq!(sent[0].header("accept"), Some("application/json"));
}
