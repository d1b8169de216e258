//! Token endpoints that answer with absurd lifetimes: the client must neither hang, nor
//! crash, nor hammer the endpoint, whatever number the server puts in `expires_in` or `exp`.
//!
//! Each test runs a tiny canned-answer server (the recorder) that plays both the token
//! endpoint and Tasklist, and counts the token requests it saw.

mod common;

use base64::Engine;
use common::recorder::{Recorded, Recorder, Reply};
use common::*;
use std::ptr;
use std::sync::{mpsc, Arc, Barrier};
use std::time::{Duration, Instant};
use tasklist::ffi::*;

const TOKEN_PATH: &str = "/oauth/token";
const SEARCH_PATH: &str = "/v1/tasks/search";
const THREADS: usize = 8;
/// How long the threads of one test may take in all before the test calls it a hang.
const HANG_BOUND: Duration = Duration::from_secs(30);

fn search(client: &Client) -> Result<String, Failure> {
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

/// A server whose token endpoint always gives `token_answer` and whose task search always
/// finds nothing.
fn hostile_server(token_answer: String) -> Recorder {
    Recorder::start(move |request: &Recorded| match request.target.as_str() {
        TOKEN_PATH => Reply::json(&token_answer),
        SEARCH_PATH => Reply::json("[]"),
        _ => Reply {
            status: 404,
            headers: Vec::new(),
            body: String::new(),
        },
    })
}

/// A client of `server` authenticating with client credentials at its token endpoint.
fn client_of(server: &Recorder) -> Client {
    let secret = secret("Hostile-Endpoint-Secret-9f3c");
    Options::oauth_with(&server.url(), "hostile-test-client", &secret)
        // Short enough that a thread stuck waiting for a fetch would show within HANG_BOUND.
        .timeouts(2_000, 5_000)
        .retries(0)
        .client()
}

fn token_requests(server: &Recorder) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.target == TOKEN_PATH)
        .count()
}

/// An unsigned JWT with these claims (the client reads `exp` but checks no signature).
fn jwt(claims: &str) -> String {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{}",
        b64(r#"{"alg":"none","typ":"JWT"}"#),
        b64(claims),
        b64("no signature")
    )
}

/// Eight threads call one fresh client at the same moment; every one of them must come
/// back within HANG_BOUND with the task list, and the endpoint must be asked once.
fn eight_threads_share_one_token(token_answer: &str) {
    let server = hostile_server(token_answer.to_string());
    let client = Arc::new(client_of(&server));
    let start = Arc::new(Barrier::new(THREADS));
    let (done, outcomes) = mpsc::channel();
    for thread in 0..THREADS {
        let (client, start, done) = (Arc::clone(&client), Arc::clone(&start), done.clone());
        // Not joined: a thread that hangs must not hang the test suite with it.
        std::thread::spawn(move || {
            start.wait();
            let _ = done.send((thread, search(&client)));
        });
    }
    drop(done);

    let deadline = Instant::now() + HANG_BOUND;
    let mut returned = Vec::new();
    while returned.len() < THREADS {
        let left = deadline.saturating_duration_since(Instant::now());
        match outcomes.recv_timeout(left) {
            Ok(outcome) => returned.push(outcome),
            Err(why) => panic!(
                "only {} of {THREADS} threads returned within {HANG_BOUND:?} ({why}); \
                 they returned {returned:?}",
                returned.len()
            ),
        }
    }
    for (thread, outcome) in &returned {
        assert!(
            matches!(outcome.as_deref(), Ok("[]")),
            "thread {thread} got {outcome:?}"
        );
    }
    assert_eq!(
        token_requests(&server),
        1,
        "the threads share one fetch of a token that lives long"
    );
    search(&client).expect("the kept token keeps working");
    assert_eq!(
        token_requests(&server),
        1,
        "the token is kept, not refetched"
    );
}

#[test]
fn expires_in_of_java_long_max_value_neither_hangs_nor_crashes() {
    eight_threads_share_one_token(
        r#"{"access_token":"long-max-token","token_type":"Bearer","expires_in":9223372036854775807}"#,
    );
}

#[test]
fn expires_in_of_1e300_neither_hangs_nor_crashes() {
    eight_threads_share_one_token(
        r#"{"access_token":"float-token","token_type":"Bearer","expires_in":1e300}"#,
    );
}

#[test]
fn expires_in_of_u64_max_neither_hangs_nor_crashes() {
    eight_threads_share_one_token(
        r#"{"access_token":"u64-max-token","token_type":"Bearer","expires_in":18446744073709551615}"#,
    );
}

#[test]
fn a_jwt_whose_exp_is_huge_neither_hangs_nor_crashes() {
    let token = jwt(r#"{"sub":"hostile","exp":18446744073709551615}"#);
    eight_threads_share_one_token(&format!(
        r#"{{"access_token":"{token}","token_type":"Bearer"}}"#
    ));
    let token = jwt(r#"{"sub":"hostile","exp":1e300}"#);
    eight_threads_share_one_token(&format!(
        r#"{{"access_token":"{token}","token_type":"Bearer"}}"#
    ));
}

#[test]
fn a_huge_retry_after_from_the_token_endpoint_is_an_error_not_a_crash() {
    let server = Recorder::start(|request: &Recorded| match request.target.as_str() {
        TOKEN_PATH => {
            // A slow endpoint: over a second has passed when its Retry-After is weighed,
            // so a careless `elapsed + retry_after` overflows.
            std::thread::sleep(Duration::from_millis(1_100));
            Reply {
                status: 503,
                headers: vec![("retry-after".into(), "18446744073709551615".into())],
                body: String::new(),
            }
        }
        _ => Reply::json("[]"),
    });
    let secret = secret("Hostile-Endpoint-Secret-9f3c");
    let client = Options::oauth_with(&server.url(), "hostile-test-client", &secret)
        .retries(2)
        .client();
    let failure = search(&client).unwrap_err();
    assert_eq!(failure.name, "TASKLIST_ERR_AUTH_UNAVAILABLE", "{failure:?}");
    assert_eq!(failure.http_status, 503);
    assert_eq!(token_requests(&server), 1, "no retry is worth that wait");
}

/// Calls `search` one after another for `span`; returns how long that took and how many
/// calls were made. Every call must succeed, or with `failing` fail with that status.
fn call_for(client: &Client, span: Duration, failing: Option<&str>) -> (Duration, usize) {
    let started = Instant::now();
    let mut calls = 0;
    while started.elapsed() < span {
        match (search(client), failing) {
            (Ok(_), None) => {}
            (Err(failure), Some(expected)) => assert_eq!(failure.name, expected, "{failure:?}"),
            (outcome, _) => panic!("call {calls}: {outcome:?}, expected {failing:?}"),
        }
        calls += 1;
    }
    (started.elapsed(), calls)
}

#[test]
fn a_two_second_token_is_used_for_most_of_its_life() {
    let server = hostile_server(r#"{"access_token":"short","expires_in":2}"#.into());
    let client = client_of(&server);
    let (elapsed, calls) = call_for(&client, Duration::from_secs(6), None);
    let fetched = token_requests(&server);
    // Each token serves at least 70 % of its 2 s, so fetches start at least 1.4 s apart:
    // the first, then one per 1.4 s, and one more for slack (a 0.5 s use would be 12).
    let bound = (elapsed.as_secs_f64() / 1.4) as usize + 2;
    assert!(
        fetched <= bound,
        "{fetched} token fetches in {elapsed:?} ({calls} calls), at most {bound} expected"
    );
    assert!(
        fetched >= 2,
        "a 2 s token is replaced within {elapsed:?} ({fetched} fetches)"
    );
}

#[test]
fn a_one_millisecond_token_is_not_fetched_on_every_call() {
    let server = hostile_server(r#"{"access_token":"blink","expires_in":0.001}"#.into());
    let client = client_of(&server);
    let (elapsed, calls) = call_for(&client, Duration::from_secs(1), None);
    let fetched = token_requests(&server);
    // At most one fetch per 100 ms, the first included, and one more for slack.
    assert_at_most_ten_a_second(fetched, calls, elapsed);
}

#[test]
fn a_tasklist_that_refuses_every_token_gets_at_most_ten_fetches_a_second() {
    let server = Recorder::start(|request: &Recorded| match request.target.as_str() {
        TOKEN_PATH => Reply::json(r#"{"access_token":"refused","expires_in":300}"#),
        _ => Reply {
            status: 401,
            headers: Vec::new(),
            body: String::new(),
        },
    });
    let client = client_of(&server);
    let (elapsed, calls) = call_for(&client, SECOND, Some("TASKLIST_ERR_UNAUTHORIZED"));
    let fetched = token_requests(&server);
    // Each call drops its token and fetches another; the fetches still keep 100 ms apart.
    assert_at_most_ten_a_second(fetched, calls, elapsed);
}

#[test]
fn a_failing_token_endpoint_is_asked_at_most_ten_times_a_second() {
    let server = Recorder::start(|request: &Recorded| match request.target.as_str() {
        TOKEN_PATH => Reply {
            status: 500,
            headers: Vec::new(),
            body: String::new(),
        },
        _ => Reply::json("[]"),
    });
    let client = client_of(&server);
    let (elapsed, calls) = call_for(&client, SECOND, Some("TASKLIST_ERR_AUTH_UNAVAILABLE"));
    let fetched = token_requests(&server);
    // Every call asks again (an outage is not remembered), but not sooner than 100 ms after
    // the previous answer.
    assert_at_most_ten_a_second(fetched, calls, elapsed);
    assert_eq!(
        fetched, calls,
        "every call asked once (no retries configured)"
    );
}

const SECOND: Duration = Duration::from_secs(1);

/// Token fetches kept 100 ms apart: at most ten a second in `elapsed`, one more at each end.
fn assert_at_most_ten_a_second(fetched: usize, calls: usize, elapsed: Duration) {
    let bound = (elapsed.as_secs_f64() / 0.1) as usize + 2;
    assert!(
        fetched <= bound,
        "{fetched} token fetches for {calls} calls in {elapsed:?}, at most {bound} expected"
    );
}
