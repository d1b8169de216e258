//! `--camunda-version`: what distinguishes each profile on the wire (v1
//! answers of 8.4 and of 8.5-8.7, CSRF with masked tokens, the 8.8/8.9
//! login, Basic authentication, the 8.8 refusal of v1 commands on Camunda
//! user tasks, Operate's endpoint, 8.10 without v1).

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{assert_problem, ids, landmark, send, Client, Reply};
use serde_json::{json, Value};
use tasklist_emulator::{CamundaVersion, Config, Emulator};

fn version(text: &str) -> CamundaVersion {
    text.parse().unwrap()
}

fn start_with(text: &str, adjust: impl FnOnce(&mut Config)) -> Emulator {
    let mut config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        admin: true,
        camunda_version: version(text),
        ..Config::default()
    };
    adjust(&mut config);
    Emulator::start(config).expect("emulator starts")
}

fn start(text: &str) -> Emulator {
    start_with(text, |_| {})
}

/// Cookies of a login answer as one `Cookie` header value.
fn cookies_of(reply: &Reply) -> String {
    reply
        .headers_named("set-cookie")
        .iter()
        .map(|c| c.split(';').next().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

fn cookie_value(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers_named("set-cookie")
        .iter()
        .filter_map(|c| c.split(';').next().unwrap().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

fn login(emulator: &Emulator, path: &str, user: &str, password: &str) -> Reply {
    send(
        emulator.addr(),
        "POST",
        &format!("{path}?username={user}&password={password}"),
        &[],
        b"",
    )
    .unwrap()
}

/// A session client without any CSRF header (the caller adds one).
fn session(emulator: &Emulator, path: &str, user: &str) -> (Client, Reply) {
    let reply = login(emulator, path, user, user);
    assert_eq!(reply.status, 204, "login {path}: {}", reply.text());
    let client = Client {
        addr: emulator.addr(),
        auth: vec![("Cookie".into(), cookies_of(&reply))],
    };
    (client, reply)
}

fn with_header(client: &Client, name: &str, value: &str) -> Client {
    let mut client = client.clone();
    client.auth.push((name.into(), value.into()));
    client
}

fn basic(emulator: &Emulator, user: &str, password: &str) -> Client {
    let encoded = STANDARD.encode(format!("{user}:{password}"));
    Client {
        addr: emulator.addr(),
        auth: vec![("Authorization".into(), format!("Basic {encoded}"))],
    }
}

fn assert_catch_all_500(reply: &Reply) {
    assert_problem(reply, 500, "Unexpected server error occurred.", false);
}

// ---------------------------------------------------------------- 8.4

#[test]
fn unreadable_bodies_are_500_on_8_4_and_400_from_8_5() {
    let old_emulator = start("8.4");
    let old = Client::bearer(&old_emulator);
    let new_emulator = start("8.5");
    let new = Client::bearer(&new_emulator);
    let draft_task = landmark(&new_emulator, "unassignedTaskId");
    for (path, body) in [
        ("/v1/tasks/search", "{not json"),
        ("/v1/tasks/search", r#"{"state":"FOO"}"#),
        ("/v1/tasks/search", r#"{"assigned":[1]}"#),
        (
            "/v1/tasks/search",
            r#"{"sort":[{"field":"priority","order":"ASC"}]}"#,
        ),
    ] {
        assert_catch_all_500(&old.post(path, body));
        let reply = new.post(path, body);
        assert_eq!(reply.status, 400, "{body}: {}", reply.text());
        assert!(reply.message().starts_with("JSON parse error"), "{body}");
        assert!(reply.json()["instance"].is_null());
    }
    // A missing required body (save draft) is unreadable too.
    let path = format!("/v1/tasks/{draft_task}/variables");
    assert_catch_all_500(&old.post(&path, ""));
    let reply = new.post(&path, "");
    assert_eq!(reply.status, 400);
    assert!(reply
        .message()
        .starts_with("Required request body is missing"));
}

#[test]
fn a_missing_write_permission_is_500_on_8_4_and_403_from_8_5() {
    for (text, status) in [("8.4", 500), ("8.5", 403), ("8.7", 403)] {
        let emulator = start_with(text, |c| c.version_csrf = false);
        let task = landmark(&emulator, "unassignedTaskId");
        let (viewer, _) = session(&emulator, "/api/login", "view");
        for (method, path, body) in [
            ("PATCH", format!("/v1/tasks/{task}/assign"), ""),
            ("PATCH", format!("/v1/tasks/{task}/unassign"), ""),
            ("PATCH", format!("/v1/tasks/{task}/complete"), ""),
            (
                "POST",
                format!("/v1/tasks/{task}/variables"),
                r#"{"variables":[]}"#,
            ),
        ] {
            let reply = viewer.call(method, &path, body);
            if status == 500 {
                assert_catch_all_500(&reply);
            } else {
                assert_problem(&reply, 403, "Access is denied", true);
            }
        }
        // Reading stays allowed.
        assert_eq!(viewer.get(&format!("/v1/tasks/{task}")).status, 200);
    }
}

#[test]
fn jackson_leniency_on_8_4() {
    let emulator = start("8.4");
    let client = Client::bearer(&emulator);
    // Comments are allowed, floats are truncated, strings coerced.
    let commented = client.search("/* all but canceled */ {\"pageSize\": 3.7 // three\n}");
    assert_eq!(commented.len(), 3);
    assert_eq!(client.search(r#"{"pageSize":"3"}"#).len(), 3);
    let assigned = client.search(r#"{"assigned":"true","pageSize":100}"#);
    assert!(!assigned.is_empty());
    assert!(assigned.iter().all(|t| !t["assignee"].is_null()));
    // null unboxes to 0 and fails the positive-number check.
    assert_problem(
        &client.post("/v1/tasks/search", r#"{"pageSize":null}"#),
        400,
        "Page size cannot should be a positive number",
        true,
    );
    // Only the first token of a variable's value is read.
    let task = landmark(&emulator, "unassignedTaskId");
    let reply = client.patch(
        &format!("/v1/tasks/{task}/complete"),
        r#"{"variables":[{"name":"n","value":"1 2"}]}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["taskState"], "COMPLETED");
}

#[test]
fn page_sizes_over_the_result_window_are_500() {
    for text in ["8.4", "8.7"] {
        let emulator = start(text);
        let client = Client::bearer(&emulator);
        assert_eq!(client.search(r#"{"pageSize":10000}"#).len(), 108);
        let reply = client.post("/v1/tasks/search", r#"{"pageSize":10001}"#);
        assert_eq!(reply.status, 500, "{}", reply.text());
        assert!(reply.json()["instance"].is_null());
        assert!(reply.message().contains("10000"), "{}", reply.message());
    }
}

#[test]
fn a_non_json_content_type_is_500_on_8_4() {
    let old = start("8.4");
    let new = start("8.5");
    let token = |e: &Emulator| format!("Bearer {}", common::token(e.addr()));
    for content_type in ["application/x-www-form-urlencoded", "text/plain"] {
        let call = |e: &Emulator| {
            send(
                e.addr(),
                "POST",
                "/v1/tasks/search",
                &[("Authorization", &token(e)), ("Content-Type", content_type)],
                b"{}",
            )
            .unwrap()
        };
        assert_catch_all_500(&call(&old));
        assert_eq!(call(&new).status, 200, "{content_type} on 8.5");
    }
    // A JSON type with a charset is JSON.
    let reply = send(
        old.addr(),
        "POST",
        "/v1/tasks/search",
        &[
            ("Authorization", &token(&old)),
            ("Content-Type", "application/json;charset=UTF-8"),
        ],
        b"{}",
    )
    .unwrap();
    assert_eq!(reply.status, 200);
}

#[test]
fn save_draft_null_inputs_are_500_on_8_4() {
    let old = start("8.4");
    let new = start("8.5");
    // 8.5+: no list clears the drafts; a missing value is not JSON (400).
    for (body, status) in [(r#"{}"#, 204), (r#"{"variables":[{"name":"a"}]}"#, 400)] {
        let task = landmark(&old, "unassignedTaskId");
        let reply = Client::bearer(&old).post(&format!("/v1/tasks/{task}/variables"), body);
        assert_catch_all_500(&reply);
        let task = landmark(&new, "unassignedTaskId");
        let reply = Client::bearer(&new).post(&format!("/v1/tasks/{task}/variables"), body);
        assert_eq!(reply.status, status, "{body} on 8.5: {}", reply.text());
    }
}

#[test]
fn a_form_version_that_is_no_number_is_500() {
    for text in ["8.4", "8.7", "8.9"] {
        let emulator = start(text);
        let key = landmark(&emulator, "linkedFormProcessDefinitionKey");
        let client = Client::bearer(&emulator);
        let path = format!("/v1/forms/loan-form?processDefinitionKey={key}");
        assert_eq!(client.get(&path).status, 200, "{text}");
        assert_catch_all_500(&client.get(&format!("{path}&version=abc")));
    }
}

#[test]
fn get_api_logout_logs_out_on_8_4_only() {
    let old = start("8.4");
    let (client, _) = session(&old, "/api/login", "demo");
    assert_eq!(client.search("{}").len(), 50);
    let logout = client.get("/api/logout");
    assert_eq!(logout.status, 204);
    assert!(logout
        .headers_named("set-cookie")
        .iter()
        .any(|c| c.starts_with("TASKLIST-SESSION=;")));
    assert_eq!(client.post("/v1/tasks/search", "{}").status, 401);

    let new = start_with("8.5", |c| c.version_csrf = false);
    let (client, _) = session(&new, "/api/login", "demo");
    assert_eq!(client.get("/api/logout").status, 405);
    assert_eq!(client.post("/v1/tasks/search", "{}").status, 200);
}

// ---------------------------------------------------------------- 8.5-8.7

#[test]
fn implementation_context_and_priority_appear_with_their_versions() {
    for (text, implementation, priority) in [
        ("8.4", false, false),
        ("8.5", true, false),
        ("8.6", true, true),
        ("8.7", true, true),
    ] {
        let emulator = start(text);
        let client = Client::bearer(&emulator);
        let task = landmark(&emulator, "camundaUserTaskId");
        let got = client.get(&format!("/v1/tasks/{task}")).json();
        let searched = client.search(r#"{"pageSize":1}"#);
        for body in [&got, &searched[0]] {
            assert_eq!(
                body.get("implementation").is_some(),
                implementation,
                "{text}"
            );
            assert_eq!(body.get("priority").is_some(), priority, "{text}");
        }
        if implementation {
            assert_eq!(got["implementation"], "ZEEBE_USER_TASK");
            assert!(searched[0].get("context").is_some(), "{text}: context");
        } else {
            assert!(searched[0].get("context").is_none());
        }
        assert!(got.get("context").is_none(), "TaskResponse has no context");
    }
}

#[test]
fn the_implementation_filter_and_failed_state_from_8_5() {
    let new_emulator = start("8.5");
    let new = Client::bearer(&new_emulator);
    let zeebe = new.search(r#"{"implementation":"ZEEBE_USER_TASK","pageSize":200}"#);
    let workers = new.search(r#"{"implementation":"JOB_WORKER","pageSize":200}"#);
    assert!(!zeebe.is_empty() && !workers.is_empty());
    assert!(zeebe
        .iter()
        .all(|t| t["implementation"] == "ZEEBE_USER_TASK"));
    assert!(workers.iter().all(|t| t["implementation"] == "JOB_WORKER"));
    assert_eq!(zeebe.len() + workers.len(), 108);
    assert_eq!(new.search(r#"{"state":"FAILED"}"#), Vec::<Value>::new());
    // 8.4 does not know the filter (ignored) nor FAILED (unreadable).
    let old_emulator = start("8.4");
    let old = Client::bearer(&old_emulator);
    assert_eq!(
        old.search(r#"{"implementation":"ZEEBE_USER_TASK","pageSize":200}"#)
            .len(),
        108
    );
    assert_catch_all_500(&old.post("/v1/tasks/search", r#"{"state":"FAILED"}"#));
}

#[test]
fn session_users_of_8_5_search_job_worker_tasks_only() {
    for (text, session_sees_zeebe) in [("8.5", false), ("8.6", true)] {
        let emulator = start_with(text, |c| c.version_csrf = false);
        let (session, _) = session(&emulator, "/api/login", "demo");
        let kinds = |client: &Client| {
            let tasks = client.search(r#"{"pageSize":200}"#);
            let zeebe = tasks
                .iter()
                .filter(|t| t["implementation"] == "ZEEBE_USER_TASK")
                .count();
            (tasks.len(), zeebe)
        };
        let (all, zeebe) = kinds(&Client::bearer(&emulator));
        assert_eq!(all, 108);
        assert!(zeebe > 0);
        let (seen, seen_zeebe) = kinds(&session);
        if session_sees_zeebe {
            assert_eq!((seen, seen_zeebe), (all, zeebe), "{text}");
        } else {
            assert_eq!((seen, seen_zeebe), (all - zeebe, 0), "{text}");
        }
    }
}

#[test]
fn a_failed_login_names_its_charset_on_real_versions() {
    for (text, path) in [("8.4", "/api/login"), ("8.8", "/login")] {
        let reply = login(&start(text), path, "demo", "wrong");
        assert_eq!(reply.status, 401);
        assert_eq!(
            reply.header("content-type"),
            Some("application/json;charset=UTF-8"),
            "{text}"
        );
        assert_eq!(reply.json(), json!({"message": ""}));
    }
}

#[test]
fn array_filters_from_8_5() {
    let (new_emulator, old_emulator) = (start("8.5"), start("8.4"));
    let new = Client::bearer(&new_emulator);
    let old = Client::bearer(&old_emulator);
    let all_old = ids(&old.search(r#"{"pageSize":200}"#));
    let by_assignees = new.search(r#"{"assignees":["john","jane"],"pageSize":200}"#);
    assert!(!by_assignees.is_empty());
    assert!(by_assignees
        .iter()
        .all(|t| t["assignee"] == "john" || t["assignee"] == "jane"));
    let by_groups = new.search(r#"{"candidateGroups":["support","management"],"pageSize":200}"#);
    assert!(!by_groups.is_empty());
    for task in &by_groups {
        let groups = task["candidateGroups"].as_array().unwrap();
        assert!(groups.iter().any(|g| g == "support" || g == "management"));
    }
    let by_users = new.search(r#"{"candidateUsers":["jane"],"pageSize":200}"#);
    assert!(!by_users.is_empty());
    assert!(by_users.iter().all(|t| t["candidateUsers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == "jane")));
    // 8.4 ignores the unknown properties.
    for body in [
        r#"{"assignees":["john"],"pageSize":200}"#,
        r#"{"candidateGroups":["support"],"pageSize":200}"#,
        r#"{"candidateUsers":["jane"],"pageSize":200}"#,
    ] {
        assert_eq!(ids(&old.search(body)), all_old, "{body}");
    }
}

#[test]
fn include_variables_with_full_values_from_8_5() {
    let new_emulator = start("8.5");
    let old_emulator = start("8.4");
    for (emulator, full) in [(&new_emulator, true), (&old_emulator, false)] {
        let client = Client::bearer(emulator);
        let task = landmark(emulator, "allTypesTaskId");
        let wanted = r#"[{"name":"longText","alwaysReturnFullValue":true}]"#;
        let found = client.search(&format!(
            r#"{{"includeVariables":{wanted},"pageSize":200}}"#
        ));
        let found = found.iter().find(|t| t["id"] == task.as_str()).unwrap();
        let long = &found["variables"][0];
        assert_eq!(long["name"], "longText");
        assert_eq!(long["isValueTruncated"], !full, "search on full={full}");
        assert_eq!(
            long["value"].as_str().map(str::len).unwrap_or(0) > 8191,
            full
        );
        let path = format!("/v1/tasks/{task}/variables/search");
        let reply = client.post(&path, &format!(r#"{{"includeVariables":{wanted}}}"#));
        let variables = reply.json();
        let variables = variables.as_array().unwrap();
        if full {
            assert_eq!(variables.len(), 1, "only the included one");
            assert_eq!(variables[0]["isValueTruncated"], false);
        } else {
            // 8.4 does not know the field: every variable, truncated.
            assert!(variables.len() > 1);
            let long = variables.iter().find(|v| v["name"] == "longText").unwrap();
            assert_eq!(long["isValueTruncated"], true);
        }
        let both = client.post(
            &path,
            &format!(r#"{{"variableNames":["numberVar"],"includeVariables":{wanted}}}"#),
        );
        if full {
            assert_problem(
                &both,
                400,
                "Only one of [variableNames, includeVariables] must be present in request.",
                true,
            );
        } else {
            assert_eq!(both.status, 200);
            assert_eq!(both.json()[0]["name"], "numberVar");
        }
    }
}

#[test]
fn priority_filter_and_sort_from_8_6() {
    let emulator = start("8.6");
    let client = Client::bearer(&emulator);
    let high = client.search(r#"{"priority":{"gte":75},"pageSize":200}"#);
    assert!(!high.is_empty());
    assert!(high.iter().all(|t| t["priority"].as_i64().unwrap() >= 75));
    let exact = client.search(r#"{"priority":{"eq":25},"pageSize":200}"#);
    assert!(!exact.is_empty() && exact.iter().all(|t| t["priority"] == 25));
    let sorted = client.search(r#"{"sort":[{"field":"priority","order":"DESC"}],"pageSize":5}"#);
    assert_eq!(sorted[0]["priority"], 100);
    assert_eq!(sorted[0]["sortValues"][0], "100");
    // 8.6's message for a bad page size.
    assert_problem(
        &client.post("/v1/tasks/search", r#"{"pageSize":0}"#),
        400,
        "Page size should be a positive number",
        true,
    );
    // 8.5 has no priority sort field.
    let older = start("8.5");
    let old = Client::bearer(&older);
    let reply = old.post(
        "/v1/tasks/search",
        r#"{"sort":[{"field":"priority","order":"DESC"}]}"#,
    );
    assert_eq!(reply.status, 400);
    assert!(reply.message().contains("not one of the values accepted"));
}

// ---------------------------------------------------------------- CSRF

#[test]
fn csrf_from_8_5_uses_masked_header_tokens() {
    let emulator = start("8.5");
    let (client, login) = session(&emulator, "/api/login", "demo");
    let header = login
        .header("x-csrf-token")
        .expect("token header")
        .to_string();
    let raw = cookie_value(&login, "X-CSRF-TOKEN").expect("token cookie");
    assert_ne!(header, raw, "the header token is masked");
    // Without a token, and echoing the cookie's value: 403.
    for sent in [None, Some(raw.as_str()), Some("nope")] {
        let caller = match sent {
            Some(token) => with_header(&client, "X-CSRF-TOKEN", token),
            None => client.clone(),
        };
        let reply = caller.post("/v1/tasks/search", "{}");
        assert_eq!(reply.status, 403, "{sent:?}");
        assert_eq!(
            reply.json(),
            json!({"error": "Access denied due to invalid CSRF token."})
        );
    }
    assert_eq!(
        with_header(&client, "X-CSRF-TOKEN", &header)
            .post("/v1/tasks/search", "{}")
            .status,
        200
    );
    // Every GET hands out a fresh masking; each one is accepted.
    let a = client.get("/v1/internal/users/current");
    let b = client.get("/v1/internal/users/current");
    let (a, b) = (
        a.header("x-csrf-token").unwrap(),
        b.header("x-csrf-token").unwrap(),
    );
    assert_ne!(a, b);
    for token in [a, b] {
        assert_eq!(
            with_header(&client, "X-CSRF-TOKEN", token)
                .post("/v1/tasks/search", "{}")
                .status,
            200
        );
    }
    // Bearer calls are exempt.
    assert_eq!(
        Client::bearer(&emulator)
            .post("/v1/tasks/search", "{}")
            .status,
        200
    );
}

#[test]
fn csrf_is_absent_on_8_4_and_can_be_turned_off_from_8_5() {
    for (text, off) in [("8.4", false), ("8.7", true)] {
        let emulator = start_with(text, |c| c.version_csrf = !off);
        let (client, login) = session(&emulator, "/api/login", "demo");
        assert!(login.header("x-csrf-token").is_none(), "{text}");
        assert_eq!(client.post("/v1/tasks/search", "{}").status, 200, "{text}");
    }
    // The plain --csrf switch wins over the version: header = cookie.
    let emulator = start_with("8.7", |c| c.csrf = true);
    let (client, login) = session(&emulator, "/api/login", "demo");
    let header = login.header("x-csrf-token").unwrap().to_string();
    assert_eq!(Some(header.clone()), cookie_value(&login, "X-CSRF-TOKEN"));
    let reply = with_header(&client, "X-CSRF-TOKEN", &header).post("/v1/tasks/search", "{}");
    assert_eq!(reply.status, 200);
}

// ---------------------------------------------------------------- 8.8 / 8.9

#[test]
fn login_at_slash_login_with_camunda_session_and_csrf_on_8_8_and_8_9() {
    for text in ["8.8", "8.9"] {
        let emulator = start(text);
        // The Tasklist login is gone.
        assert_eq!(login(&emulator, "/api/login", "demo", "demo").status, 404);
        assert_eq!(login(&emulator, "/login", "demo", "wrong").status, 401);
        let (client, reply) = session(&emulator, "/login", "demo");
        assert!(cookie_value(&reply, "camunda-session").is_some(), "{text}");
        assert!(cookie_value(&reply, "TASKLIST-SESSION").is_none());
        let header = reply.header("x-csrf-token").expect("token").to_string();
        assert_ne!(Some(header.clone()), cookie_value(&reply, "X-CSRF-TOKEN"));
        assert_eq!(client.get("/v1/internal/users/current").status, 200);
        assert_eq!(client.post("/v1/tasks/search", "{}").status, 403);
        let writer = with_header(&client, "X-CSRF-TOKEN", &header);
        assert_eq!(writer.post("/v1/tasks/search", "{}").status, 200);
        let logout = writer.post("/logout", "");
        assert_eq!(logout.status, 204);
        assert!(logout
            .headers_named("set-cookie")
            .iter()
            .any(|c| c.starts_with("camunda-session=;")));
        assert_eq!(writer.post("/v1/tasks/search", "{}").status, 401);
    }
}

#[test]
fn a_strict_login_needs_the_token_of_a_prior_get_login() {
    let emulator = start_with("8.8", |c| c.login_requires_csrf = true);
    let addr = emulator.addr();
    let page = send(addr, "GET", "/login", &[], b"").unwrap();
    assert_eq!(page.status, 200);
    let masked = page
        .header("x-csrf-token")
        .expect("token header")
        .to_string();
    let raw = cookie_value(&page, "X-CSRF-TOKEN").expect("token cookie");
    let cookie = format!("X-CSRF-TOKEN={raw}");
    let post = |headers: &[(&str, &str)]| {
        send(
            addr,
            "POST",
            "/login?username=demo&password=demo",
            headers,
            b"",
        )
        .unwrap()
    };
    assert_eq!(post(&[]).status, 403, "no token");
    assert_eq!(post(&[("Cookie", &cookie)]).status, 403, "cookie only");
    assert_eq!(
        post(&[("Cookie", &cookie), ("X-CSRF-TOKEN", &raw)]).status,
        403,
        "the cookie's value echoed"
    );
    let answer = post(&[("Cookie", &cookie), ("X-CSRF-TOKEN", &masked)]);
    assert_eq!(answer.status, 204, "{}", answer.text());
    // The session has a token of its own (rotated at login).
    let rotated = cookie_value(&answer, "X-CSRF-TOKEN").unwrap();
    assert_ne!(rotated, raw);
    let client = Client {
        addr,
        auth: vec![
            ("Cookie".into(), cookies_of(&answer)),
            (
                "X-CSRF-TOKEN".into(),
                answer.header("x-csrf-token").unwrap().into(),
            ),
        ],
    };
    assert_eq!(client.post("/v1/tasks/search", "{}").status, 200);
    // Without the option the login needs no token; GET /login is harmless.
    let relaxed = start("8.8");
    assert_eq!(
        send(relaxed.addr(), "GET", "/login", &[], b"")
            .unwrap()
            .status,
        200
    );
    assert_eq!(login(&relaxed, "/login", "demo", "demo").status, 204);
    // Tasklist's own login has no page.
    let older = start("8.7");
    assert_eq!(
        send(older.addr(), "GET", "/api/login", &[], b"")
            .unwrap()
            .status,
        405
    );
}

#[test]
fn an_unprotected_api_on_8_8_needs_no_credentials() {
    let open = start_with("8.8", |c| c.unprotected_api = true);
    let anonymous = Client::anonymous(&open);
    assert_eq!(anonymous.search("{}").len(), 50);
    assert_eq!(
        anonymous.get("/v1/internal/users/current").json()["userId"],
        "anonymousUser"
    );
    // Credentials that are sent are still checked.
    assert_eq!(
        basic(&open, "demo", "wrong")
            .post("/v1/tasks/search", "{}")
            .status,
        401
    );
    for (text, flag) in [("8.8", false), ("8.7", true)] {
        let closed = start_with(text, |c| c.unprotected_api = flag);
        let reply = Client::anonymous(&closed).post("/v1/tasks/search", "{}");
        assert_eq!(reply.status, 401, "{text}");
    }
}

#[test]
fn basic_authentication_on_8_8() {
    let emulator = start("8.8");
    let good = basic(&emulator, "demo", "demo");
    assert_eq!(good.search("{}").len(), 50);
    // No session and no CSRF for Basic callers, even on writes.
    let task = landmark(&emulator, "jobWorkerTaskId");
    let reply = good.patch(
        &format!("/v1/tasks/{task}/assign"),
        r#"{"assignee":"jane"}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.headers_named("set-cookie").is_empty());
    // Checked on every call: a bad password or no credentials are 401.
    for client in [
        basic(&emulator, "demo", "wrong"),
        basic(&emulator, "nobody", "demo"),
        Client::anonymous(&emulator),
    ] {
        let reply = client.post("/v1/tasks/search", "{}");
        assert_eq!(reply.status, 401, "{:?}", client.auth);
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
    // The read-only user may read, not write.
    let viewer = basic(&emulator, "view", "view");
    assert_eq!(viewer.search("{}").len(), 50);
    assert_eq!(
        viewer
            .patch(&format!("/v1/tasks/{task}/unassign"), "")
            .status,
        403
    );
    // Basic is not a way in before 8.8.
    let older = start("8.7");
    assert_eq!(
        basic(&older, "demo", "demo")
            .post("/v1/tasks/search", "{}")
            .status,
        401
    );
}

#[test]
fn v1_commands_on_camunda_user_tasks_are_refused_for_api_callers_on_8_8() {
    let emulator = start("8.8");
    let zeebe = landmark(&emulator, "camundaUserTaskId");
    let worker = landmark(&emulator, "jobWorkerTaskId");
    for api in [Client::bearer(&emulator), basic(&emulator, "demo", "demo")] {
        for (path, body) in [
            (
                format!("/v1/tasks/{zeebe}/assign"),
                r#"{"assignee":"demo"}"#,
            ),
            (format!("/v1/tasks/{zeebe}/unassign"), ""),
            (format!("/v1/tasks/{zeebe}/complete"), ""),
        ] {
            let reply = api.patch(&path, body);
            assert_eq!(reply.status, 400, "{path}: {}", reply.text());
            assert!(reply
                .message()
                .starts_with("This operation is not supported using Tasklist V1 API."));
        }
        // Reading them works.
        assert_eq!(api.get(&format!("/v1/tasks/{zeebe}")).status, 200);
    }
    // Job-worker tasks still work for API callers.
    let api = Client::bearer(&emulator);
    let path = format!("/v1/tasks/{worker}/assign");
    assert_eq!(api.patch(&path, r#"{"assignee":"demo"}"#).status, 200);
    let reply = api.patch(&format!("/v1/tasks/{worker}/complete"), "");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["taskState"], "COMPLETED");
    // A session user may act on the Camunda user task.
    let (client, login) = session(&emulator, "/login", "demo");
    let client = with_header(
        &client,
        "X-CSRF-TOKEN",
        login.header("x-csrf-token").unwrap(),
    );
    let reply = client.patch(&format!("/v1/tasks/{zeebe}/assign"), "");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["assignee"], "demo");
    // 8.7 lets API callers act on them through v1.
    let older = start("8.7");
    let zeebe = landmark(&older, "camundaUserTaskId");
    let reply = Client::bearer(&older).patch(
        &format!("/v1/tasks/{zeebe}/assign"),
        r#"{"assignee":"demo"}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn operates_process_definition_search_is_gated() {
    let search = |e: &Emulator| {
        Client::bearer(e).post(
            "/v1/process-definitions/search",
            r#"{"filter":{"bpmnProcessId":"invoice-approval"}}"#,
        )
    };
    for text in ["8.4", "8.5", "8.7"] {
        let reply = search(&start(text));
        assert_eq!(reply.status, 404, "{text}: {}", reply.text());
        assert_eq!(reply.json()["error"], "Not Found");
        let reply = search(&start_with(text, |c| c.with_operate = true));
        assert_eq!(reply.status, 200, "{text} with Operate");
        assert_eq!(reply.json()["total"], 2);
    }
    for text in ["8.8", "8.9"] {
        let reply = search(&start(text));
        assert_eq!(reply.status, 200, "{text}: {}", reply.text());
        assert_eq!(reply.json()["items"].as_array().unwrap().len(), 2);
    }
}

// ---------------------------------------------------------------- 8.10

#[test]
fn every_v1_path_is_a_404_on_8_10() {
    let emulator = start("8.10");
    let client = Client::bearer(&emulator);
    for (method, path) in [
        ("POST", "/v1/tasks/search"),
        ("GET", "/v1/tasks/1"),
        ("PATCH", "/v1/tasks/1/assign"),
        ("GET", "/v1/variables/1-a"),
        ("GET", "/v1/forms/f?processDefinitionKey=1"),
        ("POST", "/v1/process-definitions/search"),
        ("GET", "/v1/internal/users/current"),
        ("GET", "/v1/nothing"),
    ] {
        let reply = client.call(method, path, if method == "GET" { "" } else { "{}" });
        assert_eq!(reply.status, 404, "{method} {path}");
        assert_eq!(reply.json()["error"], "Not Found");
    }
    // The same request on 8.9 is served.
    let served = start("8.9");
    assert_eq!(Client::bearer(&served).search("{}").len(), 50);
}

#[test]
fn the_default_profile_is_8_8() {
    assert_eq!(Config::default().camunda_version, version("8.8"));
    assert_eq!(Config::default().profile().login.login_path, "/login");
}
