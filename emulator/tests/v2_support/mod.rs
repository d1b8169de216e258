//! Helpers of the v2 tests: an emulator per version, clients for each way
//! of authenticating, problem assertions and bounded polling.
#![allow(dead_code)]

use super::common::*;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;
use tasklist_emulator::{CamundaVersion, Config, Emulator};

pub fn version(text: &str) -> CamundaVersion {
    text.parse().expect("a version")
}

/// An emulator of `text` (8.8, 8.9, 8.10) with `adjust` applied.
pub fn start_v2(text: &str, adjust: impl FnOnce(&mut Config)) -> Emulator {
    let mut config = Config::default();
    adjust(&mut config);
    start_version(version(text), config)
}

/// `Authorization: Basic` for demo/demo (a seeded user with write rights).
pub fn basic(emulator: &Emulator) -> Client {
    basic_as(emulator, "demo", "demo")
}

pub fn basic_as(emulator: &Emulator, user: &str, password: &str) -> Client {
    Client {
        addr: emulator.addr(),
        auth: vec![(
            "Authorization".into(),
            format!("Basic {}", STANDARD.encode(format!("{user}:{password}"))),
        )],
    }
}

/// A session from `POST /login` (8.8+): the cookies, and the CSRF header
/// token when `with_csrf`.
pub fn session(emulator: &Emulator, with_csrf: bool) -> Client {
    let reply = send(
        emulator.addr(),
        "POST",
        "/login?username=demo&password=demo",
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(reply.status, 204, "login: {}", reply.text());
    let cookies: Vec<String> = reply
        .headers_named("set-cookie")
        .iter()
        .map(|c| c.split(';').next().unwrap().to_string())
        .collect();
    let mut auth = vec![("Cookie".to_string(), cookies.join("; "))];
    if with_csrf {
        let token = reply.header("x-csrf-token").expect("a CSRF token");
        auth.push(("X-CSRF-TOKEN".into(), token.to_string()));
    }
    Client {
        addr: emulator.addr(),
        auth,
    }
}

pub fn delete(client: &Client, path: &str) -> Reply {
    client.call("DELETE", path, "")
}

pub fn put(client: &Client, path: &str, body: &str) -> Reply {
    client.call("PUT", path, body)
}

/// POST /v2/user-tasks/search, expecting 200.
pub fn search(client: &Client, body: &str) -> Value {
    let reply = client.post("/v2/user-tasks/search", body);
    assert_eq!(reply.status, 200, "search {body}: {}", reply.text());
    reply.json()
}

pub fn items(result: &Value) -> Vec<Value> {
    result["items"].as_array().expect("items").clone()
}

pub fn keys(result: &Value) -> Vec<String> {
    items(result)
        .iter()
        .map(|t| t["userTaskKey"].as_str().unwrap().to_string())
        .collect()
}

/// GET /v2/user-tasks/{key}, expecting 200.
pub fn task(client: &Client, key: &str) -> Value {
    let reply = client.get(&format!("/v2/user-tasks/{key}"));
    assert_eq!(reply.status, 200, "get {key}: {}", reply.text());
    reply.json()
}

/// The key of a CREATED, unassigned task not in `except`.
pub fn open_task(client: &Client, except: &[String]) -> String {
    let result = search(
        client,
        r#"{"filter":{"state":"CREATED","assignee":{"$exists":false}},"page":{"limit":50}}"#,
    );
    keys(&result)
        .into_iter()
        .find(|k| !except.contains(k))
        .expect("an open task")
}

/// Asserts an RFC 9457 problem: status, title, a detail containing
/// `detail`, and the request path as instance.
pub fn assert_v2_problem(reply: &Reply, status: u16, title: &str, detail: &str) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json"),
        "{}",
        reply.text()
    );
    let body = reply.json();
    assert_eq!(body["type"], "about:blank");
    assert_eq!(body["title"], title, "{body}");
    assert_eq!(body["status"], status);
    let text = body["detail"].as_str().expect("a detail");
    assert!(text.contains(detail), "detail {text:?} lacks {detail:?}");
    assert!(
        body["instance"].as_str().unwrap().starts_with("/v2/"),
        "{body}"
    );
}

pub fn admin(emulator: &Emulator, method: &str, path: &str, body: &str) -> Reply {
    send(
        emulator.addr(),
        method,
        &format!("/__emulator/{path}"),
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
    .unwrap()
}

/// Polls `condition` every 20 ms until it holds; fails after `bound`.
pub fn wait_until(what: &str, bound: Duration, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(started.elapsed() < bound, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Generous: the machine may be busy.
pub const PATIENCE: Duration = Duration::from_secs(20);
