//! Authentication through the C functions: token caching and renewal, cookie sessions with
//! re-login and CSRF, sharing one client between threads, configuration from the
//! environment, and secrets never appearing in error messages.

mod common;

use common::*;
use std::ptr;
use std::sync::Arc;
use tasklist::ffi::endpoints::*;
use tasklist::ffi::options::*;
use tasklist::ffi::*;

fn search(client: &Client) -> Result<String, Failure> {
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

fn open_task(client: &Client) -> String {
    let q = cstring(r#"{"state":"CREATED","assigned":false}"#);
    let text =
        call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), q.as_ptr(), o, e) }).unwrap();
    json(&text)[0]["id"].as_str().unwrap().to_string()
}

#[test]
fn one_client_shared_by_16_threads_fetches_one_token() {
    let emu = emulator();
    let client = Arc::new(Options::oauth(&emu.base_url()).client());
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                for _ in 0..20 {
                    let tasks = json(&search(&client).unwrap());
                    assert_eq!(tasks.as_array().unwrap().len(), 50);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        token_requests(&emu),
        1,
        "concurrent first calls share one fetch"
    );
    assert_eq!(admin_get(&emu, "counters")["requests"], 320);
}

#[test]
fn a_revoked_token_costs_one_fetch_and_one_retry() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    search(&client).unwrap();
    admin_post(&emu, "revoke-tokens", "{}");
    search(&client).expect("the refused token is replaced and the call repeated");
    assert_eq!(token_requests(&emu), 2);
    let counters = admin_get(&emu, "counters");
    assert_eq!(
        counters["requests"], 3,
        "first call, refused call, repeated call"
    );
}

#[test]
fn a_token_refused_twice_is_unauthorized_not_a_loop() {
    // Tokens for another audience are issued but refused by Tasklist.
    let emu = emulator_with(|c| c.audience = "tasklist-api".into());
    let o = Options::new(&emu.base_url());
    let (url, id, secret, aud) = (
        cstring(&format!("{}/oauth/token", emu.base_url())),
        cstring(CLIENT_ID),
        cstring(CLIENT_SECRET),
        cstring("tasklist-api"),
    );
    unsafe {
        tasklist_options_set_oauth(
            o.0,
            url.as_ptr(),
            id.as_ptr(),
            secret.as_ptr(),
            aud.as_ptr(),
        )
    };
    let client = o.client();
    search(&client).expect("matching audience works");
    admin_post(&emu, "revoke-tokens", "{}");
    search(&client).expect("one renewal");
    assert_eq!(token_requests(&emu), 2);

    let bearer = Options::new(&emu.base_url());
    let t = cstring("abc.def.ghi");
    unsafe { tasklist_options_set_bearer_token(bearer.0, t.as_ptr()) };
    let f = search(&bearer.client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_UNAUTHORIZED");
    assert!(f.body.is_some(), "the server's reason is kept");
}

#[test]
fn json_token_bodies_work_like_form_bodies() {
    let emu = emulator();
    let o = Options::oauth(&emu.base_url());
    assert_eq!(
        unsafe { tasklist_options_set_token_format(o.0, TASKLIST_TOKEN_FORMAT_JSON) },
        TASKLIST_OK
    );
    search(&o.client()).unwrap();
    assert_eq!(token_requests(&emu), 1);
}

#[test]
fn short_token_lifetimes_are_refreshed_before_they_run_out() {
    let emu = emulator_with(|c| c.token_lifetime_secs = 4);
    let client = Options::oauth(&emu.base_url()).client();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_millis(6500) {
        search(&client).expect("no call fails around an expiry");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let fetched = token_requests(&emu);
    assert!((2..=6).contains(&fetched), "tokens fetched: {fetched}");
    let renewals = admin_get(&emu, "log")
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == 401)
        .count();
    assert_eq!(
        renewals, 0,
        "tokens are replaced before Tasklist refuses them"
    );
}

#[test]
fn an_expired_session_logs_in_again_once() {
    let emu = emulator();
    let client = Options::cookie(&emu.base_url(), "demo", "demo").client();
    search(&client).unwrap();
    admin_post(&emu, "expire-sessions", "{}");
    search(&client).expect("re-login and repeat");
    assert_eq!(logins(&emu), 2);
    search(&client).unwrap();
    assert_eq!(logins(&emu), 2, "the new session is kept");
}

#[test]
fn csrf_tokens_are_echoed_on_writes() {
    let emu = emulator_with(|c| c.csrf = true);
    let client = Options::cookie(&emu.base_url(), "demo", "demo").client();
    let id = cstring(&open_task(&client));
    let task = call_json(|o, e| unsafe {
        tasklist_assign_task(client.ptr(), id.as_ptr(), ptr::null(), o, e)
    })
    .expect("a write with the CSRF token passes");
    assert_eq!(json(&task)["assignee"], "demo");
    call_json(|o, e| unsafe {
        tasklist_complete_task(client.ptr(), id.as_ptr(), ptr::null(), o, e)
    })
    .expect("and the next one too");
    // After the session is gone, login, new CSRF token, and the write goes through.
    admin_post(&emu, "expire-sessions", "{}");
    let next = cstring(&open_task(&client));
    call_json(|o, e| unsafe {
        tasklist_assign_task(client.ptr(), next.as_ptr(), ptr::null(), o, e)
    })
    .unwrap();
    assert_eq!(logins(&emu), 2);
}

#[test]
fn logins_are_single_flight_across_threads() {
    let emu = emulator();
    let client = Arc::new(Options::cookie(&emu.base_url(), "demo", "demo").client());
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || search(&client).unwrap())
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(logins(&emu), 1);
}

#[test]
fn options_from_the_environment() {
    let emu = emulator();
    // The only test in this binary that touches the environment.
    std::env::set_var("CAMUNDA_TASKLIST_BASE_URL", emu.base_url());
    std::env::set_var(
        "ZEEBE_AUTHORIZATION_SERVER_URL",
        format!("{}/oauth/token", emu.base_url()),
    );
    std::env::set_var("ZEEBE_CLIENT_ID", CLIENT_ID);
    std::env::set_var("ZEEBE_CLIENT_SECRET", CLIENT_SECRET);
    let mut o = ptr::null_mut();
    call_status(|e| unsafe { tasklist_options_from_env(&mut o, e) }).unwrap();
    let options = Options(o);
    search(&options.client()).unwrap();
    assert_eq!(token_requests(&emu), 1);

    std::env::set_var("CAMUNDA_AUTH_STRATEGY", "KERBEROS");
    let mut o = ptr::null_mut();
    let f = call_status(|e| unsafe { tasklist_options_from_env(&mut o, e) }).unwrap_err();
    assert!(o.is_null());
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT");
    assert!(f.message.contains("CAMUNDA_AUTH_STRATEGY"), "{}", f.message);
    for name in [
        "CAMUNDA_AUTH_STRATEGY",
        "CAMUNDA_TASKLIST_BASE_URL",
        "ZEEBE_AUTHORIZATION_SERVER_URL",
        "ZEEBE_CLIENT_ID",
        "ZEEBE_CLIENT_SECRET",
    ] {
        std::env::remove_var(name);
    }
}

#[test]
fn zz_no_error_message_contains_a_secret() {
    // Provoke the failures most likely to echo what was configured.
    let emu = emulator();
    let secret = "S3cr3t-Value-That-Must-Not-Leak";
    let f = search(&Options::oauth_with(&emu.base_url(), CLIENT_ID, secret).client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED");
    let f = search(&Options::cookie(&emu.base_url(), "demo", secret).client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED");
    let o = Options::new(&emu.base_url());
    let t = cstring(secret);
    unsafe { tasklist_options_set_bearer_token(o.0, t.as_ptr()) };
    search(&o.client()).unwrap_err();
    let o = Options::oauth_with(&closed_port_url(), CLIENT_ID, secret).retries(0);
    search(&o.client()).unwrap_err();
    for message in messages_seen() {
        assert!(!message.contains(secret), "leaked: {message}");
        assert!(!message.contains(CLIENT_SECRET), "leaked: {message}");
    }
}
