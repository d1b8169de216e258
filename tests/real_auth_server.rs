//! Tokens from a real authorization server: oidc-provider (OpenID Certified, from npm) runs
//! `tests/auth-server/server.js` on 127.0.0.1 and issues RS256 JWT access tokens by client
//! credentials; the emulator checks them against its JWKS, issuer, audience and expiry, as
//! Tasklist does with Identity. Everything goes through the C functions.
//!
//! Needs Node.js and `npm ci --prefix tests/auth-server`. Without them these tests fail;
//! set TASKLIST_SKIP_AUTH_SERVER=1 to skip them deliberately.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::ptr;
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::Duration;
use tasklist::ffi::*;

/// The audience oidc-provider puts in its tokens and the emulator requires.
const AUDIENCE: &str = "tasklist-api";
/// The clients of tests/auth-server/server.js.
const POST_CLIENT: (&str, &str) = ("tasklist-post", "post-secret-for-tests-only");
const BASIC_CLIENT: (&str, &str) = ("tasklist-basic", "basic:secret/for tests&only");
/// Node loads oidc-provider in a few seconds; a busy CI machine may need more.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

/// The running oidc-provider. It exits when its stdin closes: when this process ends, even
/// if a test panicked, so it is shared by the tests and never killed explicitly.
struct AuthServer {
    issuer: String,
    _stdin: ChildStdin,
    _process: Child,
}

fn skipped() -> bool {
    if std::env::var("TASKLIST_SKIP_AUTH_SERVER").as_deref() == Ok("1") {
        eprintln!("TASKLIST_SKIP_AUTH_SERVER=1: the real authorization server tests are skipped");
        return true;
    }
    false
}

fn auth_server() -> &'static AuthServer {
    static SERVER: OnceLock<AuthServer> = OnceLock::new();
    SERVER.get_or_init(start_auth_server)
}

fn package_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/auth-server")
}

fn start_auth_server() -> AuthServer {
    let dir = package_dir();
    let how_to_fix = "run `npm ci --prefix tests/auth-server` (or `make auth-server-deps`), \
                      or set TASKLIST_SKIP_AUTH_SERVER=1 to skip these tests";
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "Node.js (`node`) is not installed; install Node.js 20+ and {how_to_fix}"
    );
    assert!(
        dir.join("node_modules/oidc-provider/package.json").exists(),
        "oidc-provider is not installed in {}: {how_to_fix}",
        dir.display()
    );
    let mut process = Command::new("node")
        .arg(dir.join("server.js"))
        .args(["--audience", AUDIENCE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node starts");
    let stdin = process.stdin.take().unwrap();
    let stdout = process.stdout.take().unwrap();
    let (first_line, line_read) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = first_line.send(line);
    });
    let issuer = line_read
        .recv_timeout(STARTUP_LIMIT)
        .expect("the auth server prints its issuer URL")
        .trim()
        .to_string();
    assert!(
        issuer.starts_with("http://127.0.0.1:"),
        "the auth server did not start (first line: {issuer:?}); see its output above"
    );
    AuthServer {
        issuer,
        _stdin: stdin,
        _process: process,
    }
}

/// An emulator that accepts the auth server's tokens (and checks iss, aud, exp, signature).
fn tasklist_trusting(server: &AuthServer) -> Emulator {
    emulator_with(|c| {
        c.issuer = Some(server.issuer.clone());
        c.audience = AUDIENCE.into();
    })
}

fn options(emu: &Emulator, server: &AuthServer, (id, secret): (&str, &str)) -> Options {
    let o = Options::new(&emu.base_url());
    // oidc-provider takes the audience from its resource indicator, not a parameter.
    o.set_oauth(
        &format!("{}/token", server.issuer),
        id,
        &common::secret(secret),
        Some(""),
    );
    o
}

fn current_user(client: &Client) -> Result<String, Failure> {
    let (get, path) = (cstring("GET"), cstring("/v1/internal/users/current"));
    let text = call_json(|o, e| unsafe {
        tasklist_request(client.ptr(), get.as_ptr(), path.as_ptr(), ptr::null(), o, e)
    })?;
    Ok(json(&text)["userId"].as_str().unwrap().to_string())
}

/// Logs in, reads who Tasklist thinks we are, searches tasks and claims one: a write
/// authorized by the external JWT.
fn work_with_tasklist(client: &Client, client_id: &str) {
    call_status(|e| unsafe { tasklist::ffi::tasklist_client_login(client.ptr(), e) })
        .expect("a token from oidc-provider");
    assert_eq!(current_user(client).unwrap(), client_id);
    let q = cstring(r#"{"state":"CREATED","assigned":false}"#);
    let tasks = call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), q.as_ptr(), o, e) })
        .expect("Tasklist accepts the token");
    let id = cstring(json(&tasks)[0]["id"].as_str().unwrap());
    // API users must name the assignee (Tasklist's rule for tokens).
    let body = cstring(&format!(r#"{{"assignee":"{client_id}"}}"#));
    let task = call_json(|o, e| unsafe {
        tasklist_assign_task(client.ptr(), id.as_ptr(), body.as_ptr(), o, e)
    })
    .expect("and lets the client claim a task");
    assert_eq!(json(&task)["assignee"], client_id);
}

#[test]
fn client_secret_post_tokens_from_oidc_provider_open_tasklist() {
    if skipped() {
        return;
    }
    let server = auth_server();
    let emu = tasklist_trusting(server);
    let client = options(&emu, server, POST_CLIENT)
        .client_auth(TASKLIST_CLIENT_AUTH_POST)
        .client();
    work_with_tasklist(&client, POST_CLIENT.0);
}

#[test]
fn client_secret_basic_tokens_from_oidc_provider_open_tasklist() {
    if skipped() {
        return;
    }
    let server = auth_server();
    let emu = tasklist_trusting(server);
    let client = options(&emu, server, BASIC_CLIENT)
        .client_auth(TASKLIST_CLIENT_AUTH_BASIC)
        .client();
    work_with_tasklist(&client, BASIC_CLIENT.0);
}

#[test]
fn oidc_provider_refusals_are_auth_failed() {
    if skipped() {
        return;
    }
    let server = auth_server();
    let emu = tasklist_trusting(server);
    let token_url = format!("{}/token", server.issuer);

    let wrong = options(&emu, server, (POST_CLIENT.0, "not-the-secret")).client();
    let f = call_status(|e| unsafe { tasklist::ffi::tasklist_client_login(wrong.ptr(), e) })
        .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED");
    assert_eq!(f.http_status, 401);
    assert!(
        f.message.contains(&token_url),
        "names the endpoint: {}",
        f.message
    );
    assert!(
        f.message.contains("invalid_client"),
        "says why: {}",
        f.message
    );

    // The same refusal when the wrong secret travels in the Basic header.
    let wrong_basic = options(&emu, server, (BASIC_CLIENT.0, "not-the-basic-secret"))
        .client_auth(TASKLIST_CLIENT_AUTH_BASIC)
        .client();
    let f = current_user(&wrong_basic).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED");
    assert!(
        f.message.contains(BASIC_CLIENT.0),
        "names the client: {}",
        f.message
    );

    for message in messages_seen() {
        for secret in secrets_used() {
            assert!(!message.contains(&secret), "leaked: {message}");
        }
    }
}
