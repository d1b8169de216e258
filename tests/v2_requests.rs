//! The v2 functions on the wire, against a scripted server: what each sends (method, path,
//! body), what it makes of the answers (204, problems, cursors), and what it refuses before
//! sending anything.

mod common;

use common::recorder::{Recorded, Recorder, Reply};
use common::*;
use serde_json::{json, Value};
use std::ptr;
use tasklist::ffi::*;

const PROBLEM_409: &str = r#"{"type":"about:blank","title":"INVALID_STATE","status":409,"detail":"Command 'COMPLETE' rejected with code 'INVALID_STATE': Expected to complete user task with key '7', but it is in state 'COMPLETING'","instance":"/v2/user-tasks/7/completion"}"#;

fn sent(server: &Recorder) -> Vec<(String, String, String)> {
    server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.target, r.body))
        .collect()
}

fn one(method: &str, target: &str, body: &str) -> Vec<(String, String, String)> {
    vec![(method.into(), target.into(), body.into())]
}

#[test]
fn commands_send_their_method_path_and_body_and_take_a_204() {
    let server = Recorder::start(|_| Reply::status(204, ""));
    let client = Options::new(&server.url()).client();
    let key = cstring("2251799813685249");
    let assign = cstring(r#"{"assignee":"demo"}"#);
    call_status(|e| unsafe {
        tasklist_v2_assign_user_task(client.ptr(), key.as_ptr(), assign.as_ptr(), e)
    })
    .unwrap();
    call_status(|e| unsafe { tasklist_v2_unassign_user_task(client.ptr(), key.as_ptr(), e) })
        .unwrap();
    call_status(|e| unsafe {
        tasklist_v2_complete_user_task(client.ptr(), key.as_ptr(), ptr::null(), e)
    })
    .unwrap();
    let change = cstring(r#"{"changeset":{"priority":80}}"#);
    call_status(|e| unsafe {
        tasklist_v2_update_user_task(client.ptr(), key.as_ptr(), change.as_ptr(), e)
    })
    .unwrap();
    let path = "/v2/user-tasks/2251799813685249";
    assert_eq!(
        sent(&server),
        [
            (
                "POST".into(),
                format!("{path}/assignment"),
                r#"{"assignee":"demo"}"#.into()
            ),
            ("DELETE".into(), format!("{path}/assignee"), String::new()),
            ("POST".into(), format!("{path}/completion"), "{}".into()),
            (
                "PATCH".into(),
                path.into(),
                r#"{"changeset":{"priority":80}}"#.into()
            ),
        ]
    );
}

#[test]
fn keys_that_are_not_decimal_strings_are_refused_before_sending() {
    let server = Recorder::start(|_| Reply::json("{}"));
    let client = Options::new(&server.url()).client();
    for bad in ["", "12a", "../x", "1 2"] {
        let key = cstring(bad);
        let f = call_json(|o, e| unsafe {
            tasklist_v2_get_user_task(client.ptr(), key.as_ptr(), o, e)
        })
        .unwrap_err();
        assert_eq!(
            f.name, "TASKLIST_ERR_INVALID_ARGUMENT",
            "{bad:?}: {}",
            f.message
        );
        assert!(f.message.contains("user task key"), "{}", f.message);
    }
    let f = call_status(|e| unsafe {
        tasklist_v2_assign_user_task(client.ptr(), cstring("1").as_ptr(), ptr::null(), e)
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_NULL_ARGUMENT", "{}", f.message);
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_form_that_is_not_there_is_null_and_searches_default_to_an_empty_query() {
    let server = Recorder::start(|r: &Recorded| {
        if r.target.ends_with("/form") {
            Reply::status(204, "")
        } else {
            Reply::json(
                r#"{"items":[],"page":{"totalItems":0,"startCursor":null,"endCursor":null}}"#,
            )
        }
    });
    let client = Options::new(&server.url()).client();
    let key = cstring("5");
    let form = call_json(|o, e| unsafe {
        tasklist_v2_get_user_task_form(client.ptr(), key.as_ptr(), o, e)
    });
    assert_eq!(form.unwrap(), "null");
    let start_form = call_json(|o, e| unsafe {
        tasklist_v2_get_process_definition_form(client.ptr(), key.as_ptr(), o, e)
    });
    assert_eq!(start_form.unwrap(), "null");
    let found =
        call_json(|o, e| unsafe { tasklist_v2_search_user_tasks(client.ptr(), ptr::null(), o, e) })
            .unwrap();
    assert_eq!(json(&found)["page"]["totalItems"], 0);
    let requests = sent(&server);
    assert_eq!(requests[2], one("POST", "/v2/user-tasks/search", "{}")[0]);
}

#[test]
fn a_problem_gives_its_title_and_detail_and_409_is_a_conflict() {
    let server = Recorder::start(|_| Reply::status(409, PROBLEM_409));
    let client = Options::new(&server.url()).client();
    let key = cstring("7");
    let f = call_status(|e| unsafe {
        tasklist_v2_complete_user_task(client.ptr(), key.as_ptr(), ptr::null(), e)
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_CONFLICT");
    assert_eq!(f.http_status, 409);
    assert!(
        f.message
            .contains("INVALID_STATE: Command 'COMPLETE' rejected")
            && f.message.contains("in state 'COMPLETING'"),
        "{}",
        f.message
    );
    assert_eq!(f.body.as_deref(), Some(PROBLEM_409));
    assert_eq!(server.requests().len(), 1, "a conflict is not retried");
}

#[test]
fn assignments_are_repeated_on_a_busy_server_but_a_completion_is_not() {
    let server = Recorder::start(|r: &Recorded| {
        if r.target.ends_with("/assignment") {
            Reply::status(503, r#"{"title":"RESOURCE_EXHAUSTED","status":503}"#)
        } else if r.target.ends_with("/completion") {
            Reply::status(502, "")
        } else {
            Reply::status(204, "")
        }
    });
    let client = Options::new(&server.url()).retries(1).client();
    let key = cstring("9");
    let assign = cstring(r#"{"assignee":"demo"}"#);
    let f = call_status(|e| unsafe {
        tasklist_v2_assign_user_task(client.ptr(), key.as_ptr(), assign.as_ptr(), e)
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_SERVER", "{}", f.message);
    assert_eq!(server.requests().len(), 2, "the assignment was sent again");
    let f = call_status(|e| unsafe {
        tasklist_v2_complete_user_task(client.ptr(), key.as_ptr(), ptr::null(), e)
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_SERVER", "{}", f.message);
    assert_eq!(
        server.requests().len(),
        3,
        "a completion that may have happened is not repeated"
    );
}

/// A server with `pages` pages of `limit` items each, cursors "c1", "c2", ...; the last page
/// has a null cursor.
fn paged(pages: u64) -> Recorder {
    Recorder::start(move |r: &Recorded| {
        let query: Value = serde_json::from_str(&r.body).unwrap();
        let limit = query["page"]["limit"].as_u64().unwrap();
        let n = query["page"]["after"]
            .as_str()
            .map_or(0, |c| c[1..].parse::<u64>().unwrap());
        let items: Vec<Value> = (0..limit)
            .map(|i| json!({"userTaskKey": format!("{}", n * 100 + i)}))
            .collect();
        let end = if n + 1 < pages {
            json!(format!("c{}", n + 1))
        } else {
            Value::Null
        };
        Reply::json(
            &json!({"items": items, "page": {"totalItems": pages * limit, "endCursor": end}})
                .to_string(),
        )
    })
}

#[test]
fn searching_every_page_follows_the_end_cursor_until_it_is_null() {
    let server = paged(3);
    let client = Options::new(&server.url()).client();
    let query = cstring(r#"{"filter":{"state":"CREATED"},"page":{"limit":2}}"#);
    let all = call_json(|o, e| unsafe {
        tasklist_v2_search_all_user_tasks(client.ptr(), query.as_ptr(), 0, o, e)
    })
    .unwrap();
    let keys: Vec<String> = json(&all)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["userTaskKey"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys, ["0", "1", "100", "101", "200", "201"]);
    let afters: Vec<Value> = server
        .requests()
        .iter()
        .map(|r| {
            let q: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(q["filter"]["state"], "CREATED", "the filter is kept");
            q["page"]["after"].clone()
        })
        .collect();
    assert_eq!(afters, [Value::Null, json!("c1"), json!("c2")]);

    let cursor = cstring(r#"{"page":{"after":"c1"}}"#);
    let f = call_json(|o, e| unsafe {
        tasklist_v2_search_all_user_tasks(client.ptr(), cursor.as_ptr(), 0, o, e)
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT", "{}", f.message);
}

#[test]
fn a_cursor_that_comes_back_ends_the_walk() {
    let server = Recorder::start(|r: &Recorded| {
        let query: Value = serde_json::from_str(&r.body).unwrap();
        let next = if query["page"]["after"] == "A" {
            "B"
        } else {
            "A"
        };
        Reply::json(
            &json!({"items": [{"userTaskKey": "1"}], "page": {"endCursor": next}}).to_string(),
        )
    });
    let client = Options::new(&server.url()).client();
    let query = cstring(r#"{"page":{"limit":1}}"#);
    let f = call_json(|o, e| unsafe {
        tasklist_v2_search_all_user_tasks(client.ptr(), query.as_ptr(), 0, o, e)
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_DECODE", "{}", f.message);
    assert!(
        f.message.contains("page 3 repeated") && f.message.contains("page.endCursor"),
        "{}",
        f.message
    );
}

#[test]
fn the_v2_page_iterator_gives_each_page_of_items() {
    let server = paged(2);
    let client = Options::new(&server.url()).client();
    let query = cstring(r#"{"page":{"limit":3}}"#);
    let mut pages = ptr::null_mut();
    assert_eq!(
        unsafe {
            tasklist_v2_pages_new(client.ptr(), query.as_ptr(), 0, &mut pages, ptr::null_mut())
        },
        TASKLIST_OK
    );
    let mut sizes = Vec::new();
    loop {
        let page = call_json(|o, e| unsafe { tasklist_pages_next(pages, o, e) });
        match page {
            Ok(text) => sizes.push(json(&text).as_array().unwrap().len()),
            Err(f) => panic!("{}", f.message),
        }
        if sizes.len() == 2 {
            break;
        }
    }
    let mut end = ptr::dangling_mut();
    assert_eq!(
        unsafe { tasklist_pages_next(pages, &mut end, ptr::null_mut()) },
        TASKLIST_OK
    );
    assert!(end.is_null(), "the null cursor ended the walk");
    unsafe { tasklist_pages_free(pages) };
    assert_eq!(sizes, [3, 3]);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn waiting_searches_until_enough_items_show_up_or_the_wait_is_over() {
    let server = Recorder::start(|_| Reply::json(r#"{"items":[],"page":{"totalItems":0}}"#));
    let client = Options::new(&server.url()).client();
    let f = call_json(|o, e| unsafe {
        tasklist_v2_search_user_tasks_wait(client.ptr(), ptr::null(), 1, 300, o, e)
    })
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_TIMEOUT", "{}", f.message);
    assert!(
        f.message.contains("0 item(s)") && f.message.contains("fewer than the 1"),
        "{}",
        f.message
    );
    assert!(
        server.requests().len() >= 2,
        "it searched again before giving up"
    );

    // The third search finds the task.
    let server = Recorder::start({
        let seen = std::sync::atomic::AtomicUsize::new(0);
        move |_| {
            if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 2 {
                Reply::json(r#"{"items":[],"page":{"totalItems":0}}"#)
            } else {
                Reply::json(r#"{"items":[{"userTaskKey":"1"}],"page":{"totalItems":1}}"#)
            }
        }
    });
    let client = Options::new(&server.url()).client();
    let found = call_json(|o, e| unsafe {
        tasklist_v2_search_user_tasks_wait(client.ptr(), ptr::null(), 1, 60_000, o, e)
    })
    .unwrap();
    assert_eq!(json(&found)["items"][0]["userTaskKey"], "1");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn the_topology_and_process_starts_go_where_the_contract_says() {
    let server = Recorder::start(|r: &Recorded| match r.target.as_str() {
        "/v2/topology" => Reply::json(r#"{"gatewayVersion":"8.8.0","brokers":[]}"#),
        _ => Reply::json(r#"{"processInstanceKey":"42"}"#),
    });
    let client = Options::new(&server.url()).client();
    let topology =
        call_json(|o, e| unsafe { tasklist_v2_get_topology(client.ptr(), o, e) }).unwrap();
    assert_eq!(json(&topology)["gatewayVersion"], "8.8.0");
    let start = cstring(r#"{"processDefinitionId":"invoice"}"#);
    let started = call_json(|o, e| unsafe {
        tasklist_v2_create_process_instance(client.ptr(), start.as_ptr(), o, e)
    })
    .unwrap();
    assert_eq!(json(&started)["processInstanceKey"], "42");
    let defs = call_json(|o, e| unsafe {
        tasklist_v2_search_process_definitions(client.ptr(), ptr::null(), o, e)
    });
    assert!(defs.is_ok());
    let requests = sent(&server);
    assert_eq!(
        (requests[0].0.as_str(), requests[0].1.as_str()),
        ("GET", "/v2/topology")
    );
    assert_eq!(
        requests[1],
        one(
            "POST",
            "/v2/process-instances",
            r#"{"processDefinitionId":"invoice"}"#
        )[0]
    );
    assert_eq!(requests[2].1, "/v2/process-definitions/search");
}

#[test]
fn a_configured_tenant_goes_into_process_starts_that_name_none() {
    let server = Recorder::start(|_| Reply::json(r#"{"processInstanceKey":"9"}"#));
    let options = Options::new(&server.url());
    let tenant = cstring("team-a");
    assert_eq!(
        unsafe { tasklist_options_set_tenant_id(options.0, tenant.as_ptr()) },
        TASKLIST_OK
    );
    let client = options.client();
    for start in [
        r#"{"processDefinitionKey":"5","variables":{"amount":1.50}}"#,
        r#"{"processDefinitionKey":"5","tenantId":"team-b"}"#,
    ] {
        let start = cstring(start);
        call_json(|o, e| unsafe {
            tasklist_v2_create_process_instance(client.ptr(), start.as_ptr(), o, e)
        })
        .unwrap();
    }
    let bodies: Vec<String> = server.requests().into_iter().map(|r| r.body).collect();
    assert_eq!(
        bodies,
        [
            r#"{"tenantId":"team-a","processDefinitionKey":"5","variables":{"amount":1.50}}"#,
            r#"{"processDefinitionKey":"5","tenantId":"team-b"}"#,
        ]
    );
    // A start that is not an object is refused before sending.
    let array = cstring("[]");
    let failure = call_json(|o, e| unsafe {
        tasklist_v2_create_process_instance(client.ptr(), array.as_ptr(), o, e)
    })
    .unwrap_err();
    assert_eq!(failure.name, "TASKLIST_ERR_INVALID_ARGUMENT");
    assert_eq!(server.requests().len(), 2);
    // Unusable tenant ids are refused by the setter.
    for bad in ["has space", "a-tenant-id-that-is-far-too-long-for-it"] {
        let bad = cstring(bad);
        assert_eq!(
            unsafe { tasklist_options_set_tenant_id(options.0, bad.as_ptr()) },
            TASKLIST_ERR_INVALID_ARGUMENT
        );
    }
}

#[test]
fn the_inbox_extras_send_their_method_path_and_body() {
    let server = Recorder::start(|request| match request.method.as_str() {
        "PUT" => Reply::status(204, ""),
        _ => Reply::json(r#"{"items":[],"page":{"totalItems":0}}"#),
    });
    let client = Options::new(&server.url()).client();
    let key = cstring("2251799813685249");
    let query = cstring(r#"{"filter":{"name":"amount"}}"#);
    let effective = call_json(|o, e| unsafe {
        tasklist_v2_search_user_task_effective_variables(
            client.ptr(),
            key.as_ptr(),
            query.as_ptr(),
            o,
            e,
        )
    })
    .unwrap();
    assert!(effective.starts_with(r#"{"items""#));
    let set = cstring(r#"{"variables":{"amount":12},"local":true}"#);
    call_status(|e| unsafe {
        tasklist_v2_set_element_instance_variables(client.ptr(), key.as_ptr(), set.as_ptr(), e)
    })
    .unwrap();
    call_json(|o, e| unsafe { tasklist_v2_get_current_user(client.ptr(), o, e) }).unwrap();
    assert_eq!(
        sent(&server),
        [
            (
                "POST".into(),
                "/v2/user-tasks/2251799813685249/effective-variables/search".into(),
                r#"{"filter":{"name":"amount"}}"#.into()
            ),
            (
                "PUT".into(),
                "/v2/element-instances/2251799813685249/variables".into(),
                r#"{"variables":{"amount":12},"local":true}"#.into()
            ),
            ("GET".into(), "/v2/authentication/me".into(), String::new()),
        ]
    );
    // The variables request is required.
    let failure = call_status(|e| unsafe {
        tasklist_v2_set_element_instance_variables(client.ptr(), key.as_ptr(), ptr::null(), e)
    })
    .unwrap_err();
    assert_eq!(failure.name, "TASKLIST_ERR_NULL_ARGUMENT");
}
