//! Shared helpers for the integration tests: an in-process emulator, and thin safe wrappers
//! over the `extern "C"` functions so each test reads like what a C caller does.
#![allow(dead_code)]

use serde_json::Value;
use std::ffi::{c_char, CStr, CString};
use std::ptr;
use tasklist::ffi::tasklist_string_free;
use tasklist::ffi::*;
pub use tasklist_emulator::{CamundaVersion, Config as EmulatorConfig, Emulator};

pub mod recorder;

pub const CLIENT_ID: &str = "tasklist-client";
pub const CLIENT_SECRET: &str = "tasklist-secret";

/// An emulator with the admin API on, on a free port.
pub fn emulator() -> Emulator {
    emulator_with(|_| {})
}

pub fn emulator_with(adjust: impl FnOnce(&mut EmulatorConfig)) -> Emulator {
    let mut config = EmulatorConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        admin: true,
        // The library speaks /api/login and v1 only so far: the emulator as
        // these tests were written against it (see emulator/README.md).
        camunda_version: CamundaVersion::Legacy,
        ..EmulatorConfig::default()
    };
    adjust(&mut config);
    Emulator::start(config).expect("the emulator starts")
}

pub fn cstring(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// What a failed call left in `*err_out`, copied out (and the error freed).
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: tasklist_status,
    pub code: tasklist_status,
    pub name: String,
    pub message: String,
    pub http_status: u16,
    pub body: Option<String>,
}

/// Runs a call that produces JSON through `json_out`, checking the contract's rules on the
/// out-parameters whatever the outcome.
pub fn call_json(
    f: impl FnOnce(*mut *mut c_char, *mut *mut tasklist_error) -> tasklist_status,
) -> Result<String, Failure> {
    // Start from garbage: the library must clear both out-parameters at entry.
    let mut json: *mut c_char = ptr::dangling_mut::<c_char>();
    let mut err: *mut tasklist_error = ptr::dangling_mut::<tasklist_error>();
    let status = f(&mut json, &mut err);
    if status == TASKLIST_OK {
        assert!(err.is_null(), "success must leave *err_out NULL");
        assert!(!json.is_null(), "success must fill *json_out");
        let text = unsafe { CStr::from_ptr(json) }
            .to_str()
            .unwrap()
            .to_string();
        unsafe { tasklist_string_free(json) };
        Ok(text)
    } else {
        assert!(json.is_null(), "failure must leave *json_out NULL");
        Err(take_error(status, err))
    }
}

/// Runs a call without a JSON result.
pub fn call_status(
    f: impl FnOnce(*mut *mut tasklist_error) -> tasklist_status,
) -> Result<(), Failure> {
    let mut err: *mut tasklist_error = ptr::dangling_mut::<tasklist_error>();
    let status = f(&mut err);
    if status == TASKLIST_OK {
        assert!(err.is_null(), "success must leave *err_out NULL");
        Ok(())
    } else {
        Err(take_error(status, err))
    }
}

pub fn take_error(status: tasklist_status, err: *mut tasklist_error) -> Failure {
    assert!(
        !err.is_null(),
        "failure must fill *err_out (status {status})"
    );
    unsafe {
        let message = CStr::from_ptr(tasklist_error_message(err))
            .to_str()
            .unwrap()
            .to_string();
        let body_ptr = tasklist_error_body(err);
        let body =
            (!body_ptr.is_null()).then(|| CStr::from_ptr(body_ptr).to_str().unwrap().to_string());
        let failure = Failure {
            status,
            code: tasklist_error_code(err),
            name: CStr::from_ptr(tasklist_status_name(status))
                .to_str()
                .unwrap()
                .to_string(),
            message,
            http_status: tasklist_error_http_status(err),
            body,
        };
        tasklist_error_free(err);
        assert_eq!(
            failure.code, status,
            "the error carries the returned status"
        );
        assert!(!failure.message.is_empty());
        assert!(!failure.message.contains('\n'), "messages are one line");
        record_message(&failure.message);
        failure
    }
}

/// Every error message the tests saw, so a test can prove no secret ever leaked into one.
static MESSAGES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
/// Secrets the tests configured; every error message is checked against them as it is seen,
/// so a leak is caught even in a test that runs after the final sweep.
static SECRETS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn record_message(message: &str) {
    for secret in secrets_used() {
        assert!(!message.contains(&secret), "a secret leaked: {message}");
    }
    MESSAGES.lock().unwrap().push(message.to_string());
}

/// Registers a secret a test configures (a client secret, a password) and returns it.
pub fn secret(value: &str) -> String {
    let mut secrets = SECRETS.lock().unwrap();
    if !secrets.iter().any(|s| s == value) {
        secrets.push(value.to_string());
    }
    value.to_string()
}

pub fn secrets_used() -> Vec<String> {
    let mut secrets = SECRETS.lock().unwrap().clone();
    secrets.push(CLIENT_SECRET.to_string());
    secrets
}

pub fn messages_seen() -> Vec<String> {
    MESSAGES.lock().unwrap().clone()
}

/// Options built through the C functions.
pub struct Options(pub *mut tasklist_options);

impl Options {
    pub fn new(base_url: &str) -> Options {
        let mut o = ptr::null_mut();
        assert_eq!(unsafe { tasklist_options_new(&mut o) }, TASKLIST_OK);
        let url = cstring(base_url);
        assert_eq!(
            unsafe { tasklist_options_set_base_url(o, url.as_ptr()) },
            TASKLIST_OK
        );
        Options(o)
    }

    /// Options with every default (no base URL).
    pub fn empty() -> Options {
        let mut o = ptr::null_mut();
        assert_eq!(unsafe { tasklist_options_new(&mut o) }, TASKLIST_OK);
        Options(o)
    }

    /// `tasklist_options_set_json`.
    pub fn set_json(&self, json: &str) -> Result<(), Failure> {
        let json = cstring(json);
        call_status(|e| unsafe { tasklist_options_set_json(self.0, json.as_ptr(), e) })
    }

    pub fn oauth(base_url: &str) -> Options {
        Options::oauth_with(base_url, CLIENT_ID, CLIENT_SECRET)
    }

    pub fn oauth_with(base_url: &str, id: &str, secret: &str) -> Options {
        let o = Options::new(base_url);
        o.set_oauth(&format!("{base_url}/oauth/token"), id, secret, None);
        o
    }

    /// `tasklist_options_set_oauth`, which must accept the values.
    pub fn set_oauth(&self, token_url: &str, id: &str, secret: &str, audience: Option<&str>) {
        let (url, id, secret) = (cstring(token_url), cstring(id), cstring(secret));
        let audience = audience.map(cstring);
        let status = unsafe {
            tasklist_options_set_oauth(
                self.0,
                url.as_ptr(),
                id.as_ptr(),
                secret.as_ptr(),
                audience.as_ref().map_or(ptr::null(), |a| a.as_ptr()),
            )
        };
        assert_eq!(status, TASKLIST_OK);
    }

    pub fn cookie(base_url: &str, user: &str, password: &str) -> Options {
        let o = Options::new(base_url);
        let (u, p) = (cstring(user), cstring(password));
        assert_eq!(
            unsafe { tasklist_options_set_cookie_login(o.0, u.as_ptr(), p.as_ptr()) },
            TASKLIST_OK
        );
        o
    }

    pub fn timeouts(self, connect_ms: u64, request_ms: u64) -> Options {
        assert_eq!(
            unsafe { tasklist_options_set_timeouts(self.0, connect_ms, request_ms) },
            TASKLIST_OK
        );
        self
    }

    pub fn retries(self, retries: u32) -> Options {
        assert_eq!(
            unsafe { tasklist_options_set_max_retries(self.0, retries) },
            TASKLIST_OK
        );
        self
    }

    /// A fixed bearer token, which `tasklist_options_set_bearer_token` must accept.
    pub fn bearer(self, token: &str) -> Options {
        let token = cstring(token);
        assert_eq!(
            unsafe { tasklist_options_set_bearer_token(self.0, token.as_ptr()) },
            TASKLIST_OK
        );
        self
    }

    /// `TASKLIST_CLIENT_AUTH_POST` or `TASKLIST_CLIENT_AUTH_BASIC`.
    pub fn client_auth(self, method: u32) -> Options {
        assert_eq!(
            unsafe { tasklist_options_set_oauth_client_auth(self.0, method) },
            TASKLIST_OK
        );
        self
    }

    pub fn client(&self) -> Client {
        Client::new(self).expect("client_new succeeds")
    }
}

impl Drop for Options {
    fn drop(&mut self) {
        unsafe { tasklist_options_free(self.0) };
    }
}

/// A client created through the C functions; freed on drop.
pub struct Client(pub *mut tasklist_client);

// The C contract says a client may be used from many threads at once.
unsafe impl Send for Client {}
unsafe impl Sync for Client {}

impl Client {
    pub fn new(options: &Options) -> Result<Client, Failure> {
        let mut c = ptr::null_mut();
        call_status(|err| unsafe { tasklist_client_new(options.0, &mut c, err) })?;
        assert!(!c.is_null());
        Ok(Client(c))
    }

    pub fn ptr(&self) -> *const tasklist_client {
        self.0
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        unsafe { tasklist_client_free(self.0) };
    }
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Admin API of the emulator.
pub fn admin_get(emulator: &Emulator, path: &str) -> Value {
    let text = ureq::get(&format!("{}/__emulator/{path}", emulator.base_url()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    json(&text)
}

pub fn admin_post(emulator: &Emulator, path: &str, body: &str) {
    let status = ureq::post(&format!("{}/__emulator/{path}", emulator.base_url()))
        .content_type("application/json")
        .send(body)
        .unwrap()
        .status();
    assert!(status.is_success(), "admin {path} answered {status}");
}

pub fn token_requests(emulator: &Emulator) -> u64 {
    admin_get(emulator, "counters")["token_requests"]
        .as_u64()
        .unwrap()
}

/// One request the emulator saw: when it arrived (ms since start) and how it was answered
/// (0 = connection dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub at_ms: u64,
    pub status: u64,
}

/// The emulator's log of requests to `path`, oldest first.
pub fn arrivals(emulator: &Emulator, path: &str) -> Vec<Arrival> {
    admin_get(emulator, "log")
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"] == path)
        .map(|e| Arrival {
            at_ms: e["at_ms"].as_u64().unwrap(),
            status: e["status"].as_u64().unwrap(),
        })
        .collect()
}

pub fn statuses(arrivals: &[Arrival]) -> Vec<u64> {
    arrivals.iter().map(|a| a.status).collect()
}

/// Makes the emulator answer the next `count` requests to `target` with `status`.
pub fn inject(
    emulator: &Emulator,
    target: &str,
    status: u16,
    count: u32,
    retry_after: Option<u64>,
) {
    let mut fault = serde_json::json!({"target": target, "status": status, "count": count});
    if let Some(seconds) = retry_after {
        fault["retry_after"] = seconds.into();
    }
    admin_post(emulator, "faults", &fault.to_string());
}

pub fn logins(emulator: &Emulator) -> u64 {
    admin_get(emulator, "counters")["logins"].as_u64().unwrap()
}

/// A port on which nothing listens.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
