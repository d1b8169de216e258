//! Every status code that can be provoked, through the C functions: usage errors before any
//! traffic, transport failures, Tasklist's answers, and authentication failures.

mod common;

use common::*;
use std::ffi::c_char;
use std::ptr;
use tasklist::ffi::*;

fn search(client: &Client, query: Option<&str>) -> Result<String, Failure> {
    let q = query.map(cstring);
    call_json(|o, e| unsafe {
        tasklist_search_tasks(
            client.ptr(),
            q.as_ref().map_or(ptr::null(), |q| q.as_ptr()),
            o,
            e,
        )
    })
}

fn get_task(client: &Client, id: &str) -> Result<String, Failure> {
    let id = cstring(id);
    call_json(|o, e| unsafe { tasklist_get_task(client.ptr(), id.as_ptr(), o, e) })
}

fn fault(emu: &Emulator, spec: &str) {
    admin_post(emu, "faults", spec);
}

#[test]
fn null_arguments_are_refused_without_crashing() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    let id = cstring("1");
    let f =
        call_json(|o, e| unsafe { tasklist_get_task(ptr::null(), id.as_ptr(), o, e) }).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_NULL_ARGUMENT");
    assert!(f.message.contains("client"), "{}", f.message);
    let f = call_json(|o, e| unsafe { tasklist_get_task(client.ptr(), ptr::null(), o, e) })
        .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_NULL_ARGUMENT");
    assert!(f.message.contains("task_id"), "{}", f.message);

    // A NULL json_out is refused too, and err_out may be NULL.
    let mut err = ptr::null_mut();
    let status = unsafe { tasklist_get_task(client.ptr(), id.as_ptr(), ptr::null_mut(), &mut err) };
    assert_eq!(status, TASKLIST_ERR_NULL_ARGUMENT);
    unsafe { tasklist_error_free(err) };
    let status =
        unsafe { tasklist_get_task(client.ptr(), ptr::null(), ptr::null_mut(), ptr::null_mut()) };
    assert_eq!(status, TASKLIST_ERR_NULL_ARGUMENT);

    // Options and client constructors.
    assert_eq!(
        unsafe { tasklist_options_new(ptr::null_mut()) },
        TASKLIST_ERR_NULL_ARGUMENT
    );
    let url = cstring("http://x");
    assert_eq!(
        unsafe { tasklist_options_set_base_url(ptr::null_mut(), url.as_ptr()) },
        TASKLIST_ERR_NULL_ARGUMENT
    );
    let mut c: *mut tasklist_client = ptr::dangling_mut();
    let status = unsafe { tasklist_client_new(ptr::null(), &mut c, ptr::null_mut()) };
    assert_eq!(status, TASKLIST_ERR_NULL_ARGUMENT);
    assert!(
        c.is_null(),
        "out-parameters are cleared even when an input is NULL"
    );

    // Accessors and frees accept NULL.
    unsafe {
        assert_eq!(tasklist_error_code(ptr::null()), TASKLIST_ERR_NULL_ARGUMENT);
        assert!(tasklist_error_message(ptr::null()).is_null());
        assert!(tasklist_error_body(ptr::null()).is_null());
        assert_eq!(tasklist_error_http_status(ptr::null()), 0);
        tasklist_error_free(ptr::null_mut());
        tasklist_options_free(ptr::null_mut());
        tasklist_client_free(ptr::null_mut());
        tasklist::ffi::tasklist_string_free(ptr::null_mut());
    }
}

#[test]
fn invalid_utf8_and_invalid_json_are_refused_before_any_traffic() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    let bad: [u8; 4] = [b'a', 0xff, b'b', 0];
    let f = call_json(|o, e| unsafe {
        tasklist_get_task(client.ptr(), bad.as_ptr() as *const c_char, o, e)
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_UTF8");

    for body in ["{", "{\"pageSize\": }", "", "{} {}"] {
        let f = search(&client, Some(body)).unwrap_err();
        assert_eq!(f.name, "TASKLIST_ERR_INVALID_JSON", "{body:?}");
        assert_eq!(f.http_status, 0);
    }
    let counters = admin_get(&emu, "counters");
    assert_eq!(counters["requests"], 0, "nothing was sent: {counters}");
    assert_eq!(counters["token_requests"], 0);
}

#[test]
fn unusable_values_are_invalid_arguments() {
    let mut o = ptr::null_mut();
    assert_eq!(unsafe { tasklist_options_new(&mut o) }, TASKLIST_OK);
    for url in ["", "localhost:8080", "ftp://x", "http://"] {
        let u = cstring(url);
        assert_eq!(
            unsafe { tasklist_options_set_base_url(o, u.as_ptr()) },
            TASKLIST_ERR_INVALID_ARGUMENT,
            "{url:?}"
        );
    }
    assert_eq!(
        unsafe { tasklist_options_set_token_format(o, 7) },
        TASKLIST_ERR_INVALID_ARGUMENT
    );
    // No base URL: the client cannot be built.
    let mut c = ptr::null_mut();
    let mut err = ptr::null_mut();
    let status = unsafe { tasklist_client_new(o, &mut c, &mut err) };
    assert_eq!(status, TASKLIST_ERR_INVALID_ARGUMENT);
    let f = take_error(status, err);
    assert!(f.message.contains("base URL"), "{}", f.message);
    unsafe { tasklist_options_free(o) };

    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    let f = get_task(&client, "").unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT");
}

#[test]
fn tasklist_answers_map_to_their_codes_with_the_server_body() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();

    let f = get_task(&client, "999999").unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_NOT_FOUND", 404)
    );
    let body = json(f.body.as_deref().unwrap());
    assert_eq!(body["status"], 404);
    assert!(body["instance"].is_string());
    assert!(f.message.contains("999999"), "{}", f.message);

    let f = search(&client, Some(r#"{"pageSize":0}"#)).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_BAD_REQUEST", 400)
    );
    assert!(f.message.contains("Page size"), "{}", f.message);

    // A read-only user may read but not write.
    let viewer = Options::cookie(&emu.base_url(), "view", "view").client();
    let tasks = json(&search(&viewer, Some(r#"{"state":"CREATED","assigned":false}"#)).unwrap());
    let id = cstring(tasks[0]["id"].as_str().unwrap());
    let f = call_json(|o, e| unsafe {
        tasklist_assign_task(viewer.ptr(), id.as_ptr(), ptr::null(), o, e)
    })
    .unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_FORBIDDEN", 403)
    );
}

#[test]
fn injected_statuses_map_to_their_codes() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).retries(0).client();
    client_login(&client);
    let cases = [
        (503, "TASKLIST_ERR_SERVER"),
        (500, "TASKLIST_ERR_SERVER"),
        (429, "TASKLIST_ERR_RATE_LIMITED"),
        (409, "TASKLIST_ERR_CONFLICT"),
        (418, "TASKLIST_ERR_HTTP"),
    ];
    for (status, name) in cases {
        fault(
            &emu,
            &format!(r#"{{"target":"api","status":{status},"count":1}}"#),
        );
        let f = search(&client, None).unwrap_err();
        assert_eq!((f.name.as_str(), f.http_status), (name, status));
    }
    // A 2xx answer that is not the endpoint's JSON.
    fault(
        &emu,
        r#"{"target":"api","status":200,"count":1,"body":"<html>maintenance</html>"}"#,
    );
    let f = search(&client, None).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_DECODE");
    // A 2xx answer holding a NUL byte cannot become a C string.
    fault(
        &emu,
        r#"{"target":"api","status":200,"count":1,"body":"[\u0000]"}"#,
    );
    let f = search(&client, None).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_DECODE");
    assert!(f.message.contains("NUL"), "{}", f.message);
    // A connection dropped mid-answer.
    fault(&emu, r#"{"target":"api","drop":true,"count":1}"#);
    let f = search(&client, None).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_IO", "{f:?}");
    // And everything works again afterwards.
    search(&client, None).unwrap();
}

fn client_login(client: &Client) {
    call_status(|e| unsafe { tasklist_client_login(client.ptr(), e) }).unwrap();
}

#[test]
fn searches_are_retried_on_overload_and_writes_are_not() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).retries(2).client();
    client_login(&client);
    fault(&emu, r#"{"target":"api","status":503,"count":2}"#);
    search(&client, None).expect("two 503s are absorbed by two retries");

    let tasks = json(&search(&client, Some(r#"{"state":"CREATED","assigned":false}"#)).unwrap());
    let id = cstring(tasks[0]["id"].as_str().unwrap());
    let body = cstring(r#"{"assignee":"demo"}"#);
    fault(&emu, r#"{"target":"api","status":503,"count":1}"#);
    let f = call_json(|o, e| unsafe {
        tasklist_assign_task(client.ptr(), id.as_ptr(), body.as_ptr(), o, e)
    })
    .unwrap_err();
    assert_eq!(
        f.name, "TASKLIST_ERR_SERVER",
        "a write is not repeated blindly"
    );
    // ...unless the server asks for it with Retry-After.
    fault(
        &emu,
        r#"{"target":"api","status":503,"count":1,"retry_after":0}"#,
    );
    call_json(|o, e| unsafe {
        tasklist_assign_task(client.ptr(), id.as_ptr(), body.as_ptr(), o, e)
    })
    .expect("503 with Retry-After is retried");
}

#[test]
fn transport_failures_have_their_codes() {
    let client = Options::oauth(&closed_port_url()).retries(0).client();
    let f = search(&client, None).unwrap_err();
    assert_eq!(
        f.name, "TASKLIST_ERR_CONNECT",
        "the token endpoint is down too, which is not an authentication failure"
    );

    let client = Options::new(&closed_port_url()).retries(0).client();
    let f = search(&client, None).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_CONNECT", 0)
    );

    // A name that does not resolve (.invalid never does, RFC 2606) is a connection
    // failure, not a broken connection.
    let client = Options::new("http://no-such-host.invalid:8080")
        .retries(0)
        .client();
    let f = search(&client, None).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_CONNECT", "{}", f.message);
    assert!(f.message.contains("host not found"), "{}", f.message);

    let emu = emulator();
    let client = Options::oauth(&emu.base_url())
        .retries(0)
        .timeouts(0, 300)
        .client();
    client_login(&client);
    fault(&emu, r#"{"target":"api","delay_ms":2000,"count":1}"#);
    let started = std::time::Instant::now();
    let f = search(&client, None).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_TIMEOUT");
    assert!(started.elapsed() < std::time::Duration::from_millis(1900));

    let small = Options::oauth(&emu.base_url());
    assert_eq!(
        unsafe { tasklist_options_set_max_response_bytes(small.0, 1000) },
        TASKLIST_OK
    );
    let client = small.client();
    let f = search(&client, None).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_BODY_TOO_LARGE");
}

#[test]
fn authentication_failures_are_classified() {
    let emu = emulator();
    let client = Options::oauth_with(&emu.base_url(), CLIENT_ID, "wrong-secret-value").client();
    let f = search(&client, None).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_AUTH_FAILED", 401)
    );
    assert!(f.message.contains("tasklist-client"), "{}", f.message);
    assert!(!f.message.contains("wrong-secret-value"));
    // Rejected credentials are remembered for a while: no second token request.
    let f = search(&client, None).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED");
    assert_eq!(token_requests(&emu), 1);

    let client = Options::cookie(&emu.base_url(), "demo", "not-the-password").client();
    let f = search(&client, None).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_AUTH_FAILED", 401)
    );
    assert!(!f.message.contains("not-the-password"));

    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).retries(0).client();
    fault(&emu, r#"{"target":"token","status":503,"count":1}"#);
    let f = search(&client, None).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_AUTH_UNAVAILABLE", 503)
    );
    search(&client, None).expect("a passing fault is not remembered");

    // A fixed token that Tasklist refuses.
    let o = Options::new(&emu.base_url());
    let t = cstring("not-a-valid-token");
    assert_eq!(
        unsafe { tasklist_options_set_bearer_token(o.0, t.as_ptr()) },
        TASKLIST_OK
    );
    let f = search(&o.client(), None).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_UNAUTHORIZED", 401)
    );
}

#[test]
fn status_names_are_the_macro_names() {
    let name = |c| unsafe {
        std::ffi::CStr::from_ptr(tasklist_status_name(c))
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(name(TASKLIST_OK), "TASKLIST_OK");
    assert_eq!(name(TASKLIST_ERR_NOT_FOUND), "TASKLIST_ERR_NOT_FOUND");
    assert_eq!(
        name(TASKLIST_ERR_AUTH_UNAVAILABLE),
        "TASKLIST_ERR_AUTH_UNAVAILABLE"
    );
    assert_eq!(name(-5), "TASKLIST_ERR_UNKNOWN");
    assert_eq!(name(305), "TASKLIST_ERR_RATE_LIMITED");
}
