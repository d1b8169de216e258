//! Authentication through the C functions: token caching and renewal, cookie sessions with
//! re-login and CSRF, sharing one client between threads, configuration from the
//! environment, and secrets never appearing in error messages.

mod common;

use common::*;
use std::ptr;
use std::sync::Arc;
use std::time::{Duration, Instant};
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
    o.set_oauth(
        &format!("{}/oauth/token", emu.base_url()),
        CLIENT_ID,
        CLIENT_SECRET,
        Some("tasklist-api"),
    );
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
    // 6 s tokens are planned as 5 s and refreshed 2 s early: a new token every 3 s.
    let emu = emulator_with(|c| c.token_lifetime_secs = 6);
    let client = Options::oauth(&emu.base_url()).client();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_millis(8000) {
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

fn token_endpoint_path() -> &'static str {
    "/oauth/token"
}

/// Calls `search` from `threads` threads until `until` has passed since `started`; returns
/// the failures (there should be none) and the number of calls made.
fn search_from_threads(
    client: &Arc<Client>,
    threads: usize,
    started: Instant,
    until: Duration,
    pause: Duration,
) -> (Vec<Failure>, usize) {
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let client = Arc::clone(client);
            std::thread::spawn(move || {
                let (mut failures, mut calls) = (Vec::new(), 0);
                while started.elapsed() < until {
                    if let Err(f) = search(&client) {
                        failures.push(f);
                    }
                    calls += 1;
                    std::thread::sleep(pause);
                }
                (failures, calls)
            })
        })
        .collect();
    workers.into_iter().map(|w| w.join().unwrap()).fold(
        (Vec::new(), 0),
        |(mut all, n), (failures, calls)| {
            all.extend(failures);
            (all, n + calls)
        },
    )
}

#[test]
fn sixty_four_threads_crossing_a_token_expiry_fetch_exactly_one_new_token() {
    // The first token lives 10 s (refreshed after about 7 s); later ones live long, so every
    // fetch after the first is the one refresh this test is about.
    let emu = emulator_with(|c| c.token_lifetime_secs = 10);
    let client = Arc::new(Options::oauth(&emu.base_url()).client());
    let started = Instant::now();
    search(&client).unwrap();
    admin_post(&emu, "token-lifetime", r#"{"seconds":300}"#);
    let (failures, calls) = search_from_threads(
        &client,
        64,
        started,
        Duration::from_millis(9500),
        Duration::from_millis(20),
    );
    assert!(failures.is_empty(), "failed calls: {failures:?}");
    assert!(calls > 64, "the threads kept calling ({calls} calls)");
    assert_eq!(
        token_requests(&emu),
        2,
        "the first token and exactly one refresh, whatever the number of threads"
    );
    let refused = statuses(&arrivals(&emu, "/v1/tasks/search"))
        .iter()
        .filter(|s| **s == 401)
        .count();
    assert_eq!(
        refused, 0,
        "the refresh happened before Tasklist refused a token"
    );
}

#[test]
fn long_ten_second_tokens_over_sixty_seconds_never_fail_a_call() {
    // Runs a full minute (in parallel with the other tests of this file): six expiries.
    let emu = emulator_with(|c| c.token_lifetime_secs = 10);
    let client = Arc::new(Options::oauth(&emu.base_url()).client());
    let (failures, calls) = search_from_threads(
        &client,
        8,
        Instant::now(),
        Duration::from_secs(60),
        Duration::from_millis(100),
    );
    assert!(failures.is_empty(), "failed calls: {failures:?}");
    let fetched = token_requests(&emu);
    // One token per ~7 s of use: 8 or 9, a few more only if a token was refused and renewed.
    assert!(
        (6..=12).contains(&fetched),
        "{fetched} token fetches for {calls} calls"
    );
}

#[test]
fn wrong_credentials_ask_the_token_endpoint_once_per_cool_down() {
    let emu = emulator();
    let wrong = secret("Wrong-Secret-For-Cool-Down");
    let client = Arc::new(Options::oauth_with(&emu.base_url(), CLIENT_ID, &wrong).client());
    let hammer = || {
        let workers: Vec<_> = (0..8)
            .map(|_| {
                let client = Arc::clone(&client);
                std::thread::spawn(move || {
                    for _ in 0..25 {
                        let f = search(&client).unwrap_err();
                        assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED");
                        assert_eq!(f.http_status, 401);
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
    };
    hammer();
    assert_eq!(
        token_requests(&emu),
        1,
        "200 failing calls, one token request"
    );
    // The cool-down (10 s) ends; the next call asks again, once.
    std::thread::sleep(Duration::from_millis(10_500));
    hammer();
    assert_eq!(token_requests(&emu), 2);
    assert_eq!(
        admin_get(&emu, "counters")["requests"],
        0,
        "nothing reached Tasklist"
    );
}

#[test]
fn retry_after_from_the_token_endpoint_is_honoured() {
    let emu = emulator();
    inject(&emu, "token", 429, 1, Some(1));
    search(&Options::oauth(&emu.base_url()).client()).expect("the second attempt gets a token");
    let attempts = arrivals(&emu, token_endpoint_path());
    assert_eq!(statuses(&attempts), [429, 200]);
    let gap = attempts[1].at_ms - attempts[0].at_ms;
    assert!(gap >= 1000, "asked to wait 1 s, came back after {gap} ms");
}

#[test]
fn retry_after_from_tasklist_is_honoured() {
    let emu = emulator();
    let client = Options::oauth(&emu.base_url()).client();
    inject(&emu, "api", 429, 1, Some(1));
    search(&client).expect("the second attempt is answered");
    let attempts = arrivals(&emu, "/v1/tasks/search");
    assert_eq!(statuses(&attempts), [429, 200]);
    let gap = attempts[1].at_ms - attempts[0].at_ms;
    assert!(gap >= 1000, "asked to wait 1 s, came back after {gap} ms");
}

#[test]
fn a_retry_after_beyond_the_request_timeout_ends_the_fetch_at_once() {
    let emu = emulator();
    inject(&emu, "token", 429, 1, Some(120));
    let o = Options::oauth(&emu.base_url()).timeouts(0, 5_000);
    let f = search(&o.client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_UNAVAILABLE");
    assert_eq!(f.http_status, 429);
    assert!(
        f.message.contains("asked to retry after 120 s"),
        "{}",
        f.message
    );
    assert_eq!(token_requests(&emu), 1, "no pointless second attempt");
}

#[test]
fn token_endpoint_errors_and_dropped_connections_are_retried() {
    let emu = emulator();
    // 500 is retried like 502-504: token requests change nothing, so any 5xx may pass.
    inject(&emu, "token", 500, 1, None);
    admin_post(
        &emu,
        "faults",
        r#"{"target":"token","drop":true,"count":1}"#,
    );
    let client = Options::oauth(&emu.base_url()).retries(2).client();
    search(&client).expect("the third attempt gets a token");
    assert_eq!(
        statuses(&arrivals(&emu, token_endpoint_path())),
        [500, 0, 200]
    );
}

#[test]
fn a_token_endpoint_that_stays_down_is_unavailable_and_named() {
    let emu = emulator();
    inject(&emu, "token", 503, 3, None);
    let client = Options::oauth(&emu.base_url()).retries(2).client();
    let f = search(&client).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_UNAVAILABLE");
    assert_eq!(f.http_status, 503);
    let endpoint = format!("{}{}", emu.base_url(), token_endpoint_path());
    assert!(
        f.message.contains(&endpoint),
        "names the endpoint: {}",
        f.message
    );
    assert!(f.message.contains("HTTP 503"), "says why: {}", f.message);
    assert!(f.message.contains("after 2 retries"), "{}", f.message);
    assert_eq!(token_requests(&emu), 3, "one attempt and two retries");
    // Unlike a rejection, an outage is not remembered: the next call asks again.
    search(&client).expect("the endpoint is back");
    assert_eq!(token_requests(&emu), 4);
}

#[test]
fn an_unreachable_token_endpoint_is_a_connection_failure_naming_it() {
    // "The server is down" is not an authentication problem, even when the first thing
    // the client asks is a token.
    let o = Options::oauth_with(&closed_port_url(), CLIENT_ID, CLIENT_SECRET).retries(1);
    let f = search(&o.client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_CONNECT", "{}", f.message);
    assert!(
        f.message.contains("token endpoint http://127.0.0.1:"),
        "{}",
        f.message
    );
    assert!(f.message.contains("after 1 retry"), "{}", f.message);
    assert!(f.message.contains("refused"), "{}", f.message);
}

#[test]
fn a_wrong_audience_is_a_configuration_error_with_the_servers_words() {
    let emu = emulator();
    let options = Options::new(&emu.base_url());
    options.set_oauth(
        &format!("{}{}", emu.base_url(), token_endpoint_path()),
        CLIENT_ID,
        CLIENT_SECRET,
        Some("not-the-audience"),
    );
    let f = search(&options.client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED", "{}", f.message);
    assert!(f.message.contains("check the audience"), "{}", f.message);
    assert_eq!(f.http_status, 400);
    assert_eq!(token_requests(&emu), 1, "never retried");
}

#[test]
fn an_unreachable_login_is_a_connection_failure_naming_it() {
    let f = search(
        &Options::cookie(&closed_port_url(), "demo", "demo")
            .retries(0)
            .client(),
    )
    .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_CONNECT", "{}", f.message);
    assert!(
        f.message.contains("login at http://127.0.0.1:"),
        "{}",
        f.message
    );
}

#[test]
fn client_secret_basic_authenticates_with_an_encoded_header() {
    // Characters that RFC 6749's encoding must protect: ':' would split id and secret.
    let (id, odd_secret) = ("odd:client", secret("p&ss=w:rd/ü +"));
    let emu = emulator_with(|c| c.clients.push((id.into(), odd_secret.clone())));
    let client = Options::oauth_with(&emu.base_url(), id, &odd_secret)
        .client_auth(TASKLIST_CLIENT_AUTH_BASIC)
        .client();
    search(&client).unwrap();
    let user = call_json(|o, e| unsafe {
        let (get, path) = (cstring("GET"), cstring("/v1/internal/users/current"));
        tasklist_request(client.ptr(), get.as_ptr(), path.as_ptr(), ptr::null(), o, e)
    })
    .unwrap();
    assert_eq!(json(&user)["userId"], id, "the token is the basic client's");
    assert_eq!(token_requests(&emu), 1);

    let wrong = secret("Wrong-Basic-Secret");
    let o =
        Options::oauth_with(&emu.base_url(), id, &wrong).client_auth(TASKLIST_CLIENT_AUTH_BASIC);
    let f = search(&o.client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED");
    assert!(f.message.contains(id), "names the client: {}", f.message);
}

#[test]
fn unknown_client_auth_methods_are_refused() {
    let o = Options::new("http://127.0.0.1:1");
    assert_eq!(
        unsafe { tasklist_options_set_oauth_client_auth(o.0, 7) },
        TASKLIST_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        unsafe {
            tasklist_options_set_oauth_client_auth(ptr::null_mut(), TASKLIST_CLIENT_AUTH_POST)
        },
        TASKLIST_ERR_NULL_ARGUMENT
    );
}

#[test]
fn writes_work_without_csrf_when_the_server_does_not_ask_for_it() {
    let emu = emulator_with(|c| c.csrf = false);
    let client = Options::cookie(&emu.base_url(), "demo", "demo").client();
    let id = cstring(&open_task(&client));
    let task = call_json(|o, e| unsafe {
        tasklist_assign_task(client.ptr(), id.as_ptr(), ptr::null(), o, e)
    })
    .expect("no CSRF token is needed or sent");
    assert_eq!(json(&task)["assignee"], "demo");
    assert_eq!(logins(&emu), 1);
}

#[test]
fn a_login_answered_500_once_is_tried_again() {
    let emu = emulator();
    inject(&emu, "login", 500, 1, None);
    search(&Options::cookie(&emu.base_url(), "demo", "demo").client()).unwrap();
    assert_eq!(statuses(&arrivals(&emu, "/api/login")), [500, 204]);
}

#[test]
fn a_login_answered_500_twice_is_reported_as_a_credentials_problem() {
    let emu = emulator();
    inject(&emu, "login", 500, 2, None);
    let f = search(&Options::cookie(&emu.base_url(), "demo", "demo").client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED");
    assert_eq!(f.http_status, 500);
    assert!(
        f.message.contains("/api/login"),
        "names the login: {}",
        f.message
    );
    assert!(
        f.message.contains("check the username and password"),
        "says what to do: {}",
        f.message
    );
    assert_eq!(
        statuses(&arrivals(&emu, "/api/login")),
        [500, 500],
        "one retry, no loop"
    );
}

#[test]
fn zz_no_error_message_contains_a_secret() {
    // Provoke the failures most likely to echo what was configured.
    let emu = emulator();
    let secret = common::secret("S3cr3t-Value-That-Must-Not-Leak");
    let secret = secret.as_str();
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
    // The same secret through HTTP Basic, in a JSON body, and into an endpoint that is down.
    let o = Options::oauth_with(&emu.base_url(), CLIENT_ID, secret)
        .client_auth(TASKLIST_CLIENT_AUTH_BASIC);
    search(&o.client()).unwrap_err();
    let o = Options::oauth_with(&emu.base_url(), CLIENT_ID, secret);
    unsafe { tasklist_options_set_token_format(o.0, TASKLIST_TOKEN_FORMAT_JSON) };
    search(&o.client()).unwrap_err();
    inject(&emu, "token", 503, 1, None);
    search(
        &Options::oauth_with(&emu.base_url(), CLIENT_ID, secret)
            .retries(0)
            .client(),
    )
    .unwrap_err();
    inject(&emu, "login", 500, 2, None);
    search(&Options::cookie(&emu.base_url(), "demo", secret).client()).unwrap_err();

    // Every message any test of this file produced so far, against every secret configured.
    let messages = messages_seen();
    assert!(messages.len() >= 8, "the failures above were recorded");
    for message in messages {
        for secret in secrets_used() {
            assert!(!message.contains(&secret), "leaked: {message}");
        }
    }
}
