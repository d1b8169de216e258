//! The log callback through the C functions: one line per exchange with method, path,
//! status, duration and retries; token fetches and logins included; levels filter; NULL
//! restores the default sink; no secret ever appears. The sink is process-wide, so this
//! file holds a single test.

mod common;

use common::*;
use std::ffi::{c_char, c_void, CStr};
use std::ptr;
use std::sync::Mutex;
use tasklist::ffi::tasklist_set_log_callback;
use tasklist::ffi::*;

static LINES: Mutex<Vec<(u32, String)>> = Mutex::new(Vec::new());

unsafe extern "C" fn collect(level: u32, message: *const c_char, userdata: *mut c_void) {
    assert_eq!(userdata as usize, 0x5eed, "userdata comes back unchanged");
    let text = CStr::from_ptr(message).to_str().unwrap().to_string();
    LINES.lock().unwrap().push((level, text));
}

fn take_lines() -> Vec<(u32, String)> {
    std::mem::take(&mut *LINES.lock().unwrap())
}

fn install(level: u32) {
    let status = unsafe { tasklist_set_log_callback(level, Some(collect), 0x5eed as *mut c_void) };
    assert_eq!(status, TASKLIST_OK);
}

fn search(client: &Client) -> Result<String, Failure> {
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

#[test]
fn log_lines_through_the_callback() {
    let emu = emulator();
    install(TASKLIST_LOG_DEBUG);

    // OAuth: the token fetch, then the search, each one line.
    let client = Options::oauth(&emu.base_url()).client();
    search(&client).unwrap();
    let lines = take_lines();
    let token = lines
        .iter()
        .find(|(_, l)| l.contains("POST /oauth/token"))
        .unwrap_or_else(|| panic!("no token line in {lines:?}"));
    assert_eq!(token.0, TASKLIST_LOG_INFO);
    assert!(token.1.starts_with("token endpoint"), "{}", token.1);
    let (level, line) = lines
        .iter()
        .find(|(_, l)| l.starts_with("POST /v1/tasks/search "))
        .unwrap_or_else(|| panic!("no search line in {lines:?}"));
    assert_eq!(*level, TASKLIST_LOG_INFO);
    assert!(line.contains("status=200"), "{line}");
    assert!(line.contains("duration_ms="), "{line}");
    assert!(line.contains("retries=0"), "{line}");

    // Retries show at DEBUG, and the final line counts them.
    admin_post(&emu, "faults", r#"{"target":"api","status":503,"count":2}"#);
    search(&client).unwrap();
    let lines = take_lines();
    let retries: Vec<_> = lines.iter().filter(|(_, l)| l.contains("retry=")).collect();
    assert_eq!(retries.len(), 2, "{lines:?}");
    assert!(retries
        .iter()
        .all(|(lvl, l)| *lvl == TASKLIST_LOG_DEBUG && l.contains("status=503")));
    assert!(lines
        .iter()
        .any(|(_, l)| l.contains("status=200") && l.contains("retries=2")));

    // A failure is a WARN line with the error code; a login is logged too.
    let dead = Options::new(&closed_port_url()).retries(0).client();
    search(&dead).unwrap_err();
    let (form, key) = (cstring("f"), cstring("secret-query-value"));
    let _ = call_json(|o, e| unsafe {
        tasklist_get_form(dead.ptr(), form.as_ptr(), key.as_ptr(), ptr::null(), o, e)
    });
    let session = Options::cookie(&emu.base_url(), "demo", "demo").client();
    search(&session).unwrap();
    // A wrong secret and a wrong password: neither may show up in any line.
    let wrong = Options::oauth_with(&emu.base_url(), CLIENT_ID, "oauth-secret-9f8e7d").client();
    search(&wrong).unwrap_err();
    let wrong_login = Options::cookie(&emu.base_url(), "demo", "password-1a2b3c").client();
    search(&wrong_login).unwrap_err();
    let bearer = Options::new(&emu.base_url());
    let token = cstring("bearer-token-4d5e6f");
    unsafe { tasklist_options_set_bearer_token(bearer.0, token.as_ptr()) };
    search(&bearer.client()).unwrap_err();
    let form = cstring("loan-form");
    let key = cstring("secret-query-value");
    let _ = call_json(|o, e| unsafe {
        tasklist_get_form(client.ptr(), form.as_ptr(), key.as_ptr(), ptr::null(), o, e)
    });
    let lines = take_lines();
    assert!(
        lines
            .iter()
            .any(|(lvl, l)| *lvl == TASKLIST_LOG_WARN && l.contains("error=TASKLIST_ERR_CONNECT")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|(_, l)| l.starts_with("login at")),
        "{lines:?}"
    );
    for (_, line) in &lines {
        for secret in [
            CLIENT_SECRET,
            "oauth-secret-9f8e7d",
            "password-1a2b3c",
            "bearer-token-4d5e6f",
            "secret-query-value",
            "Bearer ",
        ] {
            assert!(!line.contains(secret), "{secret} leaked into {line}");
        }
    }

    // WARN: successful exchanges are no longer reported.
    install(TASKLIST_LOG_WARN);
    search(&client).unwrap();
    assert!(take_lines().is_empty());

    // An unknown level is refused and leaves the sink as it was.
    let status = unsafe { tasklist_set_log_callback(9, Some(collect), ptr::null_mut()) };
    assert_eq!(status, TASKLIST_ERR_INVALID_ARGUMENT);

    // NULL restores the default sink: the callback is not called any more.
    assert_eq!(
        unsafe { tasklist_set_log_callback(TASKLIST_LOG_DEBUG, None, ptr::null_mut()) },
        TASKLIST_OK
    );
    search(&dead).unwrap_err();
    assert!(take_lines().is_empty());
}
