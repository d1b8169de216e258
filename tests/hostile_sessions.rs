//! Cookie sessions against servers that misbehave: cookie lifetimes that overflow the clock,
//! and floods of cookies.
//! Every test goes through the C functions.

mod common;

use common::recorder::{Recorded, Recorder, Reply};
use common::*;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use tasklist::ffi::endpoints::*;

const SESSION: &str = "TASKLIST-SESSION";

fn search(client: &Client) -> Result<String, Failure> {
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

/// The value of one cookie in a recorded request's `Cookie` header.
fn cookie<'a>(request: &'a Recorded, name: &str) -> Option<&'a str> {
    cookies(request)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

fn cookies(request: &Recorded) -> Vec<(&str, &str)> {
    request
        .header("cookie")
        .map(|h| {
            h.split("; ")
                .filter_map(|pair| pair.split_once('='))
                .collect()
        })
        .unwrap_or_default()
}

fn no_content() -> Reply {
    Reply {
        status: 204,
        headers: Vec::new(),
        body: String::new(),
    }
}

fn status(code: u16, body: &str) -> Reply {
    Reply {
        status: code,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_string(),
    }
}

/// A recorder-backed server with one session cookie set at login (with `login_cookie` as
/// its attributes) and `extra` Set-Cookie headers on every other answer.
fn cookie_server(
    login_cookie: &'static str,
    extra: impl Fn(usize) -> Vec<String> + Send + 'static,
) -> Recorder {
    let answers = AtomicUsize::new(0);
    Recorder::start(move |r| {
        if r.target == "/api/login" {
            return no_content().with_header("set-cookie", login_cookie);
        }
        // The emulator's (and many servers') limit on a request head.
        if r.header("cookie").map_or(0, str::len) > 64 * 1024 {
            return status(431, r#"{"message":"Request Header Fields Too Large"}"#);
        }
        if cookie(r, SESSION) != Some("live") {
            return status(401, "");
        }
        let n = answers.fetch_add(1, Ordering::SeqCst);
        let mut reply = Reply::json("[]");
        for set_cookie in extra(n) {
            reply = reply.with_header("set-cookie", &set_cookie);
        }
        reply
    })
}

fn api_requests(recorder: &Recorder) -> Vec<Recorded> {
    recorder
        .requests()
        .into_iter()
        .filter(|r| r.target != "/api/login")
        .collect()
}

fn login_count(recorder: &Recorder) -> usize {
    recorder
        .requests()
        .iter()
        .filter(|r| r.target == "/api/login")
        .count()
}

#[test]
fn a_max_age_of_i64_max_on_the_session_cookie_does_not_panic() {
    let server = cookie_server(
        "TASKLIST-SESSION=live; Path=/; HttpOnly; Max-Age=9223372036854775807",
        |_| Vec::new(),
    );
    let client = Options::cookie(&server.url(), "demo", "demo").client();
    for call in 0..5 {
        if let Err(f) = search(&client) {
            panic!("call {call} failed with {}: {}", f.name, f.message);
        }
    }
    assert_eq!(login_count(&server), 1, "the session is kept, not expired");
}

#[test]
fn far_future_negative_and_malformed_lifetimes_neither_panic_nor_expire_the_session() {
    let server = cookie_server(
        "TASKLIST-SESSION=live; Path=/; Expires=Fri, 31 Dec 9999 23:59:59 GMT",
        |_| {
            [
                "huge=1; Path=/; Max-Age=9223372036854775807",
                "huger=2; Path=/; Max-Age=99999999999999999999999999",
                "u64=3; Path=/; Max-Age=18446744073709551615",
                "negative=4; Path=/; Max-Age=-1",
                "plus=5; Path=/; Max-Age=+5",
                "letters=6; Path=/; Max-Age=soon",
                "garbage=7; Path=/; Expires=someday",
                "year9999=8; Path=/; Expires=Fri, 31 Dec 9999 23:59:59 GMT",
            ]
            .map(str::to_string)
            .to_vec()
        },
    );
    let client = Options::cookie(&server.url(), "demo", "demo").client();
    for call in 0..4 {
        if let Err(f) = search(&client) {
            panic!("call {call} failed with {}: {}", f.name, f.message);
        }
    }
    let last = api_requests(&server).pop().unwrap();
    for kept in [
        "huge", "huger", "u64", "plus", "letters", "garbage", "year9999",
    ] {
        assert!(cookie(&last, kept).is_some(), "{kept} is kept: {last:?}");
    }
    assert_eq!(
        cookie(&last, "negative"),
        None,
        "a negative Max-Age deletes"
    );
    assert_eq!(login_count(&server), 1);
}

#[test]
fn twenty_new_cookies_per_answer_cannot_grow_the_jar_past_fifty() {
    let server = cookie_server("TASKLIST-SESSION=live; Path=/", |n| {
        (0..20)
            .map(|i| format!("flood-{n}-{i}={}; Path=/", "x".repeat(100)))
            .collect()
    });
    let client = Options::cookie(&server.url(), "demo", "demo").client();
    let failed: Vec<String> = (0..100)
        .filter_map(|_| search(&client).err())
        .map(|f| format!("{}: {}", f.name, f.message))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of 100 calls failed: {:?}",
        failed.len(),
        failed.first()
    );
    let sent = api_requests(&server);
    assert_eq!(sent.len(), 100);
    for (i, r) in sent.iter().enumerate() {
        let count = cookies(r).len();
        assert!(count <= 50, "call {i} sent {count} cookies");
        assert_eq!(
            cookie(r, SESSION),
            Some("live"),
            "call {i} kept the session"
        );
    }
    let last = sent.last().unwrap();
    assert_eq!(
        cookie(last, "flood-98-19").map(str::len),
        Some(100),
        "the newest cookies are kept"
    );
    assert_eq!(cookie(last, "flood-0-0"), None, "the oldest are evicted");
    assert_eq!(login_count(&server), 1);
}

#[test]
fn large_cookies_keep_the_cookie_header_small_and_oversized_ones_are_ignored() {
    let server = cookie_server("TASKLIST-SESSION=live; Path=/", |n| {
        let mut flood: Vec<String> = (0..20)
            .map(|i| format!("big-{n}-{i}={}; Path=/", "y".repeat(3000)))
            .collect();
        // Over the 4096-byte limit on a cookie's name and value.
        flood.push(format!("oversized={}; Path=/", "z".repeat(4096)));
        flood
    });
    let client = Options::cookie(&server.url(), "demo", "demo").client();
    let failed: Vec<String> = (0..30)
        .filter_map(|_| search(&client).err())
        .map(|f| format!("{}: {}", f.name, f.message))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of 30 calls failed: {:?}",
        failed.len(),
        failed.first()
    );
    for (i, r) in api_requests(&server).iter().enumerate() {
        let length = r.header("cookie").map_or(0, str::len);
        // 16 KiB of names and values, plus "=" and "; " between at most 50 cookies.
        assert!(
            length <= 16 * 1024 + 3 * 50,
            "call {i} sent a {length}-byte Cookie header"
        );
        assert_eq!(
            cookie(r, SESSION),
            Some("live"),
            "call {i} kept the session"
        );
        assert_eq!(
            cookie(r, "oversized"),
            None,
            "call {i} sent an oversized cookie"
        );
    }
    assert_eq!(login_count(&server), 1);
}
