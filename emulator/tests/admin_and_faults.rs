//! Counters, request log, injected faults, reset and the command line.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use tasklist_emulator::Config;

fn admin(emulator: &tasklist_emulator::Emulator, method: &str, path: &str, body: &str) -> Reply {
    send(
        emulator.addr(),
        method,
        &format!("/__emulator/{path}"),
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
    .unwrap()
}

#[test]
fn counters_count_tokens_logins_and_requests_per_endpoint() {
    let emulator = start_default();
    let api = Client::bearer(&emulator);
    let session = Client::session(&emulator, "demo", "demo");
    for _ in 0..3 {
        api.search("{}");
    }
    session.get("/v1/tasks/1");
    Client::anonymous(&emulator).post("/v1/tasks/search", "");
    let counters = admin(&emulator, "GET", "counters", "").json();
    assert_eq!(counters["token_requests"], 1);
    assert_eq!(counters["token_successes"], 1);
    assert_eq!(counters["logins"], 1);
    assert_eq!(counters["requests"], 5, "401s count too");
    assert_eq!(counters["by_endpoint"]["POST /v1/tasks/search"], 4);
    assert_eq!(counters["by_endpoint"]["GET /v1/tasks/{taskId}"], 1);
    let log = admin(&emulator, "GET", "log", "").json();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 7, "token + login + 5 API calls");
    assert_eq!(log[0]["path"], "/oauth/token");
    assert_eq!(log[6]["status"], 401);
    assert!(log
        .windows(2)
        .all(|w| w[0]["at_ms"].as_u64() <= w[1]["at_ms"].as_u64()));
}

#[test]
fn status_faults_with_retry_after_then_recovery() {
    let emulator = start_default();
    let api = Client::bearer(&emulator);
    assert_eq!(
        admin(
            &emulator,
            "POST",
            "faults",
            r#"{"target":"api","status":503,"count":2,"retry_after":1,"body":"busy"}"#
        )
        .status,
        200
    );
    for _ in 0..2 {
        let reply = api.post("/v1/tasks/search", "{}");
        assert_eq!(reply.status, 503);
        assert_eq!(reply.header("retry-after"), Some("1"));
        assert_eq!(reply.text(), "busy");
    }
    assert_eq!(api.post("/v1/tasks/search", "{}").status, 200);
    // Token faults hit only the token endpoint.
    admin(
        &emulator,
        "POST",
        "faults",
        r#"{"target":"token","status":429,"count":1,"retry_after":2}"#,
    );
    let refused = send(
        emulator.addr(),
        "POST",
        "/oauth/token",
        &[],
        b"grant_type=client_credentials",
    )
    .unwrap();
    assert_eq!(refused.status, 429);
    assert_eq!(refused.header("retry-after"), Some("2"));
    assert_eq!(api.post("/v1/tasks/search", "{}").status, 200);
    let counters = admin(&emulator, "GET", "counters", "").json();
    assert_eq!(counters["requests"], 4, "faulted requests are counted");
}

#[test]
fn dropped_connections_and_delays() {
    let emulator = start_default();
    let api = Client::bearer(&emulator);
    admin(
        &emulator,
        "POST",
        "faults",
        r#"{"target":"api","drop":true,"count":1}"#,
    );
    let mut stream = TcpStream::connect(emulator.addr()).unwrap();
    let auth = &api.auth[0];
    write!(
        stream,
        "POST /v1/tasks/search HTTP/1.1\r\nHost: x\r\n{}: {}\r\nContent-Length: 2\r\n\r\n{{}}",
        auth.0, auth.1
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    assert!(
        parse_reply(&raw).is_none(),
        "answer cut mid-head: {:?}",
        String::from_utf8_lossy(&raw)
    );
    assert!(!raw.is_empty());
    assert_eq!(
        api.post("/v1/tasks/search", "{}").status,
        200,
        "next request is fine"
    );

    admin(
        &emulator,
        "POST",
        "faults",
        r#"{"target":"api","delay_ms":300,"count":1}"#,
    );
    let started = Instant::now();
    assert_eq!(api.post("/v1/tasks/search", "{}").status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // Without count a delay stays until cleared.
    admin(
        &emulator,
        "POST",
        "faults",
        r#"{"target":"login","delay_ms":200}"#,
    );
    for _ in 0..2 {
        let started = Instant::now();
        Client::session(&emulator, "demo", "demo");
        assert!(started.elapsed() >= Duration::from_millis(200));
    }
    admin(&emulator, "DELETE", "faults", "");
    let started = Instant::now();
    Client::session(&emulator, "demo", "demo");
    assert!(started.elapsed() < Duration::from_millis(200));
}

#[test]
fn reset_restores_the_seed_and_clears_counters() {
    let emulator = start_default();
    let api = Client::bearer(&emulator);
    let id = landmark(&emulator, "unassignedTaskId");
    assert_eq!(
        api.patch(&format!("/v1/tasks/{id}/complete"), "").status,
        200
    );
    admin(
        &emulator,
        "POST",
        "faults",
        r#"{"target":"api","status":500,"count":5}"#,
    );
    assert_eq!(admin(&emulator, "POST", "reset", "").status, 200);
    assert_eq!(
        api.get(&format!("/v1/tasks/{id}")).json()["taskState"],
        "CREATED"
    );
    let counters = admin(&emulator, "GET", "counters", "").json();
    assert_eq!(counters["requests"], 1);
}

#[test]
fn admin_api_is_off_by_default_and_delay_flag_applies() {
    let emulator = tasklist_emulator::Emulator::start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        delay_ms: 150,
        ..Config::default()
    })
    .unwrap();
    assert_eq!(
        send(emulator.addr(), "GET", "/__emulator/counters", &[], b"")
            .unwrap()
            .status,
        404
    );
    let started = Instant::now();
    assert_eq!(
        Client::bearer(&emulator)
            .post("/v1/tasks/search", "{}")
            .status,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(150));
    emulator.shutdown();
}

#[test]
fn keep_alive_and_chunked_bodies() {
    let emulator = start_default();
    let token = token(emulator.addr());
    let mut stream = TcpStream::connect(emulator.addr()).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..3 {
        write!(stream, "POST /v1/tasks/search HTTP/1.1\r\nHost: x\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{{\"pag\r\n9\r\neSize\":1}}\r\n0\r\n\r\n").unwrap();
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let tasks: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(tasks.as_array().unwrap().len(), 1);
    }
}

#[test]
fn binary_prints_its_url_and_exits_on_stdin_eof() {
    let exe = env!("CARGO_BIN_EXE_tasklist-emulator");
    let help = Command::new(exe).arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for flag in [
        "--addr",
        "--tasks",
        "--csrf",
        "--admin",
        "--client",
        "--audience",
        "--token-lifetime",
        "--token-path",
        "--user",
        "--session-timeout",
        "--issuer",
        "--jwks-url",
        "--delay-ms",
        "--token-errors",
        "--exit-on-stdin-eof",
    ] {
        assert!(help.contains(flag), "--help documents {flag}");
    }
    let mut child = Command::new(exe)
        .args([
            "--camunda-version",
            "legacy",
            "--addr",
            "127.0.0.1:0",
            "--client",
            "c1:s1",
            "--user",
            "ro:pw:ro",
            "--token-path",
            "/token",
            "--exit-on-stdin-eof",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let addr = url.trim_start_matches("http://").parse().unwrap();
    let token = send(
        addr,
        "POST",
        "/token",
        &[],
        b"grant_type=client_credentials&client_id=c1&client_secret=s1",
    )
    .unwrap();
    assert_eq!(token.status, 200);
    let old_default = send(
        addr,
        "POST",
        "/token",
        &[],
        b"grant_type=client_credentials&client_id=tasklist-client&client_secret=tasklist-secret",
    )
    .unwrap();
    assert_eq!(old_default.status, 401);
    assert_eq!(
        send(addr, "POST", "/api/login?username=ro&password=pw", &[], b"")
            .unwrap()
            .status,
        204
    );
    assert_eq!(
        send(
            addr,
            "POST",
            "/api/login?username=demo&password=demo",
            &[],
            b""
        )
        .unwrap()
        .status,
        401
    );
    drop(child.stdin.take());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "did not exit on stdin EOF"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let bad = Command::new(exe).arg("--bogus").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(json!(String::from_utf8_lossy(&bad.stdout)), json!(""));
}
