//! `tasklist_search_all_tasks` against servers that would keep a walk over every page going
//! forever: cursors that come back (A, B, A, ...), cursors that always advance, and pages
//! that trickle in. Each walk must end with a clear error, and an honest walk of many pages
//! must still work. A walk that hangs fails its test instead of hanging the suite.

mod common;

use common::recorder::{Recorded, Recorder, Reply};
use common::*;
use serde_json::Value;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use tasklist::ffi::*;

/// Runs `f` on its own thread and gives up after `limit`: a walk that never ends fails the
/// test. (A hung walk ends by itself once the test's server is dropped.)
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let _ = sender.send(f());
    });
    receiver
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the walk was still running after {limit:?}"))
}

// The options and the client only move to the walk's thread; the C contract allows it.
struct SendOptions(Options);
unsafe impl Send for SendOptions {}

/// Walks every page through the C function, on a client made from `options` (on the walk's
/// thread), and says how long it took.
fn search_all(
    options: Options,
    query: &str,
    max_items: u32,
) -> (Result<String, Failure>, Duration) {
    let options = SendOptions(options);
    let query = query.to_string();
    within(Duration::from_secs(60), move || {
        let options = options;
        let client = options.0.client();
        let query = cstring(&query);
        let started = Instant::now();
        let result = call_json(|o, e| unsafe {
            tasklist_search_all_tasks(client.ptr(), query.as_ptr(), max_items, o, e)
        });
        (result, started.elapsed())
    })
}

/// The `searchAfter` a page request carried, if any.
fn search_after(request: &Recorded) -> Option<Value> {
    let body: Value = serde_json::from_str(&request.body).unwrap();
    body.get("searchAfter").cloned()
}

fn page_size(request: &Recorded) -> u64 {
    let body: Value = serde_json::from_str(&request.body).unwrap();
    body["pageSize"].as_u64().unwrap()
}

/// A page of `count` tasks, the last one carrying `cursor` as its sortValues.
fn page(count: u64, first_id: u64, cursor: &Value) -> Reply {
    let tasks: Vec<Value> = (0..count)
        .map(|i| {
            serde_json::json!({
                "id": (first_id + i).to_string(),
                "name": "Review",
                "taskState": "CREATED",
                "sortValues": if i + 1 == count { cursor.clone() } else { serde_json::json!(["x"]) },
            })
        })
        .collect();
    Reply::json(&Value::Array(tasks).to_string())
}

/// A server whose every page is full and ends with a cursor it never used before.
fn endless(delay: Duration) -> Recorder {
    Recorder::start(move |request| {
        thread::sleep(delay);
        let n = search_after(request).map_or(0, |c| c[0].as_u64().unwrap());
        page(page_size(request), n * 10, &serde_json::json!([n + 1]))
    })
}

fn set_max_response_bytes(options: &Options, limit: u64) {
    assert_eq!(
        unsafe { tasklist_options_set_max_response_bytes(options.0, limit) },
        TASKLIST_OK
    );
}

#[test]
fn cursors_that_come_back_end_the_walk_with_a_decode_error() {
    // A, B, A, B, ...: each cursor differs from the one before, yet the walk goes round.
    let server = Recorder::start(|request| {
        let cursor = match search_after(request) {
            Some(c) if c == serde_json::json!(["A"]) => serde_json::json!(["B"]),
            _ => serde_json::json!(["A"]),
        };
        page(page_size(request), 1, &cursor)
    });
    let (result, _) = search_all(Options::new(&server.url()), r#"{"pageSize":2}"#, 0);
    let f = result.unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_DECODE", "{}", f.message);
    assert!(
        f.message.contains("repeated")
            && f.message.contains("page 3 ")
            && f.message.contains("page 1"),
        "{}",
        f.message
    );
    assert_eq!(server.requests().len(), 3, "no page after the repeat");
}

#[test]
fn a_cursor_that_does_not_move_still_ends_the_walk() {
    let server = Recorder::start(|request| page(page_size(request), 1, &serde_json::json!(["A"])));
    let (result, _) = search_all(Options::new(&server.url()), r#"{"pageSize":3}"#, 0);
    let f = result.unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_DECODE", "{}", f.message);
    assert!(
        f.message.contains("page 2 ") && f.message.contains("page 1"),
        "{}",
        f.message
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn an_endless_walk_ends_at_the_response_size_limit() {
    let server = endless(Duration::ZERO);
    let options = Options::new(&server.url());
    set_max_response_bytes(&options, 4096);
    let (result, _) = search_all(options, r#"{"pageSize":2}"#, 0);
    let f = result.unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_BODY_TOO_LARGE", "{}", f.message);
    for part in ["4096", "max_response_bytes", "max_items", "all pages"] {
        assert!(f.message.contains(part), "{part:?} in {}", f.message);
    }
    // Each page is about 150 bytes, so the limit is passed after some 30 pages.
    let pages = server.requests().len();
    assert!((20..=40).contains(&pages), "{pages} pages");
}

#[test]
fn the_size_limit_counts_the_whole_answer_to_the_byte() {
    // 3 pages of 4 tasks, then a short one: 14 tasks.
    let server = Recorder::start(|request| {
        let n = search_after(request).map_or(0, |c| c[0].as_u64().unwrap());
        let count = if n == 3 { 2 } else { page_size(request) };
        page(count, n * 10, &serde_json::json!([n + 1]))
    });
    let (whole, _) = search_all(Options::new(&server.url()), r#"{"pageSize":4}"#, 0);
    let whole = whole.unwrap();
    assert_eq!(json(&whole).as_array().unwrap().len(), 14);
    let size = whole.len() as u64;

    let exact = Options::new(&server.url());
    set_max_response_bytes(&exact, size);
    let (result, _) = search_all(exact, r#"{"pageSize":4}"#, 0);
    assert_eq!(
        result.unwrap(),
        whole,
        "an answer of exactly the limit is fine"
    );

    let short = Options::new(&server.url());
    set_max_response_bytes(&short, size - 1);
    let (result, _) = search_all(short, r#"{"pageSize":4}"#, 0);
    assert_eq!(result.unwrap_err().name, "TASKLIST_ERR_BODY_TOO_LARGE");
}

#[test]
fn an_endless_walk_ends_at_its_deadline_with_a_timeout() {
    // Pages come well within the request timeout, and never end: the walk as a whole may
    // take 10 request timeouts (here 10 x 1 s; a page's 1 s leaves room for a busy machine).
    let server = endless(Duration::from_millis(20));
    let options = Options::new(&server.url()).timeouts(0, 1000);
    let (result, took) = search_all(options, r#"{"pageSize":2}"#, 0);
    let f = result.unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_TIMEOUT", "{}", f.message);
    assert!(
        f.message.contains("all pages") && f.message.contains("10000 ms"),
        "{}",
        f.message
    );
    assert!(took >= Duration::from_secs(10), "ended early: {took:?}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(
        server.requests().len() > 10,
        "only {} pages",
        server.requests().len()
    );
}

#[test]
fn an_honest_walk_of_many_pages_still_works_with_the_default_limits() {
    // 5,000 tasks over 100 pages of 50, then an empty page.
    let server = Recorder::start(|request| {
        let n = search_after(request).map_or(0, |c| c[0].as_u64().unwrap());
        let count = if n == 100 { 0 } else { page_size(request) };
        page(count, n * 50, &serde_json::json!([n + 1]))
    });
    let (result, _) = search_all(Options::new(&server.url()), "{}", 0);
    let all = json(&result.unwrap());
    let ids: Vec<u64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids, (0..5000).collect::<Vec<u64>>());
    let sent = server.requests();
    assert_eq!(sent.len(), 101);
    assert_eq!(search_after(&sent[0]), None);
    assert_eq!(search_after(&sent[100]), Some(serde_json::json!([100])));
    assert!(sent.iter().all(|r| page_size(r) == 50));

    // max_items stops early, asking only for what is still missing.
    let (result, _) = search_all(Options::new(&server.url()), "{}", 120);
    assert_eq!(json(&result.unwrap()).as_array().unwrap().len(), 120);
    let sizes: Vec<u64> = server.requests()[101..].iter().map(page_size).collect();
    assert_eq!(sizes, [50, 50, 20]);
}

#[test]
fn a_page_longer_than_asked_for_does_not_pass_max_items() {
    let server = Recorder::start(|request| {
        let n = search_after(request).map_or(0, |c| c[0].as_u64().unwrap());
        page(page_size(request) + 5, n * 100, &serde_json::json!([n + 1]))
    });
    let (result, _) = search_all(Options::new(&server.url()), r#"{"pageSize":10}"#, 12);
    assert_eq!(json(&result.unwrap()).as_array().unwrap().len(), 12);
}

/// Takes `steps` steps of the C page iterator over a search on a client from `options`:
/// each step is the page's task ids, `None` once the walk is over, or the failure.
fn page_steps(
    options: Options,
    query: &str,
    steps: usize,
) -> Vec<Result<Option<Vec<String>>, Failure>> {
    let options = SendOptions(options);
    let query = query.to_string();
    within(Duration::from_secs(60), move || {
        let options = options;
        let client = options.0.client();
        let query = cstring(&query);
        let mut pages = std::ptr::null_mut();
        let status = unsafe {
            tasklist::ffi::tasklist_pages_new(
                client.ptr(),
                query.as_ptr(),
                0,
                &mut pages,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, TASKLIST_OK);
        let mut taken = Vec::new();
        for _ in 0..steps {
            let mut json = std::ptr::dangling_mut();
            let mut err = std::ptr::dangling_mut();
            let status = unsafe { tasklist::ffi::tasklist_pages_next(pages, &mut json, &mut err) };
            taken.push(if status != TASKLIST_OK {
                assert!(json.is_null());
                Err(take_error(status, err))
            } else if json.is_null() {
                assert!(err.is_null());
                Ok(None)
            } else {
                let text = unsafe { std::ffi::CStr::from_ptr(json) }
                    .to_str()
                    .unwrap()
                    .to_string();
                unsafe { tasklist::ffi::tasklist_string_free(json) };
                let tasks: Vec<Value> = serde_json::from_str(&text).unwrap();
                Ok(Some(
                    tasks
                        .iter()
                        .map(|t| t["id"].as_str().unwrap().to_string())
                        .collect(),
                ))
            });
        }
        unsafe { tasklist::ffi::tasklist_pages_free(pages) };
        taken
    })
}

#[test]
fn the_page_iterator_gives_each_page_and_then_nothing_without_asking_again() {
    // Two full pages of 2, then a short page of 1.
    let server = Recorder::start(|request| {
        let n = search_after(request).map_or(0, |c| c[0].as_u64().unwrap());
        let count = if n < 2 { 2 } else { 1 };
        page(count, n * 10, &serde_json::json!([n + 1]))
    });
    let steps = page_steps(Options::new(&server.url()), r#"{"pageSize":2}"#, 5);
    let ids: Vec<Option<Vec<String>>> = steps.into_iter().map(|s| s.unwrap()).collect();
    let page_of = |ids: &[&str]| Some(ids.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(
        ids,
        [
            page_of(&["0", "1"]),
            page_of(&["10", "11"]),
            page_of(&["20"]),
            None,
            None
        ]
    );
    let cursors: Vec<Option<Value>> = server.requests().iter().map(search_after).collect();
    assert_eq!(
        cursors,
        [
            None,
            Some(serde_json::json!([1])),
            Some(serde_json::json!([2]))
        ],
        "one request per page, none after the short page"
    );
}

#[test]
fn the_page_iterator_stops_at_a_cursor_that_comes_back_and_stays_stopped() {
    let server = Recorder::start(|request| {
        let cursor = match search_after(request) {
            Some(c) if c == serde_json::json!(["A"]) => serde_json::json!(["B"]),
            _ => serde_json::json!(["A"]),
        };
        page(page_size(request), 1, &cursor)
    });
    let steps = page_steps(Options::new(&server.url()), r#"{"pageSize":2}"#, 5);
    assert!(steps[0].as_ref().unwrap().is_some() && steps[1].as_ref().unwrap().is_some());
    // The third page repeats the first page's cursor: that step fails, and so does every
    // later one, without another request.
    assert!(
        steps[2].as_ref().is_err(),
        "{:?}",
        steps[2].as_ref().map(|_| ())
    );
    for step in &steps[2..] {
        let f = step.as_ref().unwrap_err();
        assert_eq!(f.name, "TASKLIST_ERR_DECODE", "{}", f.message);
        assert!(
            f.message.contains("page 3 ") && f.message.contains("page 1"),
            "{}",
            f.message
        );
    }
    assert_eq!(server.requests().len(), 3, "no page after the repeat");
}
