//! HTTP Basic authentication (Camunda 8.8+): the header on every request and nothing else,
//! configured by the C setter, by `tasklist_options_set_json` and shown by describe without
//! the password.

mod common;

use common::recorder::{Recorded, Recorder, Reply};
use common::*;
use std::ptr;
use tasklist::ffi::*;

fn basic(base_url: &str, user: &str, password: &str) -> Options {
    let options = Options::new(base_url);
    let (user, password) = (cstring(user), cstring(password));
    assert_eq!(
        unsafe { tasklist_options_set_basic_auth(options.0, user.as_ptr(), password.as_ptr()) },
        TASKLIST_OK
    );
    options
}

fn describe(options: &Options) -> serde_json::Value {
    json(&call_json(|o, e| unsafe { tasklist_options_describe(options.0, o, e) }).unwrap())
}

#[test]
fn every_request_carries_the_basic_header_and_nothing_logs_in() {
    let server = Recorder::start(|_| Reply::json(r#"{"items":[],"page":{"totalItems":0}}"#));
    let client = basic(&server.url(), "demo", "dämo").client();
    call_status(|e| unsafe { tasklist_client_login(client.ptr(), e) }).unwrap();
    for _ in 0..2 {
        call_json(|o, e| unsafe { tasklist_v2_search_user_tasks(client.ptr(), ptr::null(), o, e) })
            .unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "no login request, no token request");
    for r in &requests {
        assert_eq!(r.target, "/v2/user-tasks/search");
        assert_eq!(r.header("authorization"), Some("Basic ZGVtbzpkw6Rtbw=="));
    }
}

#[test]
fn a_refused_password_is_unauthorized_at_once_and_never_shown() {
    // A server that echoes the request's Authorization header in its error body.
    let server = Recorder::start(|r: &Recorded| {
        let echoed = r.header("authorization").unwrap_or("").to_string();
        Reply::status(
            401,
            &format!(r#"{{"title":"Unauthorized","detail":"rejected {echoed}"}}"#),
        )
    });
    let client = basic(&server.url(), "demo", "wrong-password").client();
    let f = call_json(|o, e| unsafe { tasklist_v2_get_topology(client.ptr(), o, e) }).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_UNAUTHORIZED", "{}", f.message);
    assert_eq!(
        server.requests().len(),
        1,
        "a fixed credential is not sent again"
    );
    let everything = format!("{} {}", f.message, f.body.unwrap_or_default());
    assert!(!everything.contains("wrong-password"), "{everything}");
    assert!(
        !everything.contains("ZGVtbzp3cm9uZy1wYXNzd29yZA=="),
        "the header leaked: {everything}"
    );
}

#[test]
fn describe_shows_basic_with_the_user_and_never_the_password() {
    let options = basic("http://127.0.0.1:9", "demo", "s3cret");
    let d = describe(&options);
    assert_eq!(d["auth"]["value"], "basic");
    assert_eq!(d["username"]["value"], "demo");
    assert_eq!(d["password"]["value"], "***");
    assert!(!d.to_string().contains("s3cret"));

    // The same through tasklist_options_set_json, which takes describe's keys.
    let from_json = Options::new("http://127.0.0.1:9");
    let text = cstring(r#"{"auth":"basic","username":"demo","password":"s3cret"}"#);
    call_status(|e| unsafe { tasklist_options_set_json(from_json.0, text.as_ptr(), e) }).unwrap();
    assert_eq!(describe(&from_json)["auth"], d["auth"]);
    let no_user = cstring(r#"{"auth":"basic","password":"x"}"#);
    let f = call_status(|e| unsafe { tasklist_options_set_json(from_json.0, no_user.as_ptr(), e) })
        .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT");
    assert!(f.message.contains("username"), "{}", f.message);
}

#[test]
fn unusable_credentials_are_refused_by_the_setter() {
    let options = Options::new("http://127.0.0.1:9");
    for (user, password) in [("", "x"), ("a:b", "x"), ("demo", "line\nbreak")] {
        let (u, p) = (cstring(user), cstring(password));
        assert_eq!(
            unsafe { tasklist_options_set_basic_auth(options.0, u.as_ptr(), p.as_ptr()) },
            TASKLIST_ERR_INVALID_ARGUMENT,
            "{user:?}"
        );
    }
    assert_eq!(
        unsafe { tasklist_options_set_basic_auth(options.0, ptr::null(), ptr::null()) },
        TASKLIST_ERR_NULL_ARGUMENT
    );
}
