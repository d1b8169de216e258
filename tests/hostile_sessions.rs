//! Cookie sessions against servers that misbehave: late answers from a session that has
//! already been replaced, cookie lifetimes that overflow the clock, and floods of cookies.
//! Every test goes through the C functions. Events are ordered with channels, never sleeps.

mod common;

use common::recorder::{serve, Recorded, Recorder, Reply};
use common::*;
use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::channel;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;
use tasklist::ffi::tasklist_client_login;
use tasklist::ffi::*;

/// How long a test waits for an event that should come at once before it calls it a hang.
const HANG: Duration = Duration::from_secs(30);
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

fn request(
    client: &Client,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<String, Failure> {
    let (m, p) = (cstring(method), cstring(path));
    let b = body.map(cstring);
    call_json(|o, e| unsafe {
        tasklist_request(
            client.ptr(),
            m.as_ptr(),
            p.as_ptr(),
            b.as_ref().map_or(ptr::null(), |b| b.as_ptr()),
            o,
            e,
        )
    })
}

fn log_in(client: &Client) -> Result<(), Failure> {
    call_status(|e| unsafe { tasklist_client_login(client.ptr(), e) })
}

/// A many-threaded version of the recorder: one thread per connection, so one answer can be
/// held back while others are served.
struct HostileServer {
    port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl HostileServer {
    fn start(reply: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> HostileServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let reply = Arc::new(reply);
        let (seen, stopping) = (requests.clone(), stop.clone());
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (reply, seen) = (reply.clone(), seen.clone());
                std::thread::spawn(move || {
                    serve(stream, &*reply, |r| seen.lock().unwrap().push(r));
                });
            }
        });
        HostileServer {
            port,
            requests,
            stop,
            accept: Some(accept),
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests_to(&self, method: &str, target: &str) -> Vec<Recorded> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.method == method && r.target == target)
            .cloned()
            .collect()
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Sessions the way Tasklist keeps them: login `n` creates session `s<n>` with CSRF token
/// `t<n>`; a request with an unknown session is 401, a write without its session's token 403.
#[derive(Default)]
struct Sessions {
    /// Session id to CSRF token, for the sessions the server still knows.
    live: Mutex<HashMap<String, String>>,
    logins: AtomicUsize,
}

impl Sessions {
    fn log_in(&self) -> Reply {
        let n = self.logins.fetch_add(1, Ordering::SeqCst) + 1;
        let (id, token) = (format!("s{n}"), format!("t{n}"));
        self.live.lock().unwrap().insert(id.clone(), token.clone());
        no_content()
            .with_header("set-cookie", &format!("{SESSION}={id}; Path=/; HttpOnly"))
            .with_header("x-csrf-token", &token)
    }

    /// `Err` with the refusal, or `Ok` with the caller's CSRF token.
    fn check(&self, request: &Recorded) -> Result<String, Reply> {
        let live = self.live.lock().unwrap();
        let Some(token) = cookie(request, SESSION).and_then(|id| live.get(id)) else {
            return Err(status(401, ""));
        };
        if request.method != "GET" && request.header("x-csrf-token") != Some(token.as_str()) {
            return Err(status(
                403,
                r#"{"error":"Access denied due to invalid CSRF token."}"#,
            ));
        }
        Ok(token.clone())
    }

    fn end(&self, id: &str) {
        self.live.lock().unwrap().remove(id);
    }
}

/// The race of the issue, made deterministic: a GET sent in session 1 is held by the server
/// until session 1 has ended and the client has logged in to session 2; then its answer
/// arrives, carrying session 1's CSRF token (and, with `stale_cookie`, session 1's cookie).
/// The next write must still be sent in session 2, with session 2's token, and succeed on
/// the first try: no 403, no 401, no third login.
fn late_answer_from_an_ended_session(stale_cookie: bool) {
    let sessions = Arc::new(Sessions::default());
    let (arrived_tx, arrived_rx) = channel::<()>();
    let (release_tx, release_rx) = channel::<()>();
    let (arrived_tx, release_rx) = (Mutex::new(arrived_tx), Mutex::new(release_rx));
    let server = {
        let sessions = sessions.clone();
        HostileServer::start(move |r| {
            if r.target == "/api/login" {
                return sessions.log_in();
            }
            let token = match sessions.check(r) {
                Ok(token) => token,
                Err(refusal) => return refusal,
            };
            if r.target == "/v1/held" {
                arrived_tx.lock().unwrap().send(()).unwrap();
                // Held until the test has renewed the session (or the test is gone).
                let _ = release_rx.lock().unwrap().recv_timeout(HANG);
                let mut late = Reply::json("{}").with_header("x-csrf-token", &token);
                if stale_cookie {
                    late = late.with_header("set-cookie", &format!("{SESSION}=s1; Path=/"));
                }
                return late;
            }
            Reply::json("{}").with_header("x-csrf-token", &token)
        })
    };
    let client = Arc::new(Options::cookie(&server.url(), "demo", "demo").client());
    log_in(&client).expect("session 1");

    let held = {
        let client = client.clone();
        std::thread::spawn(move || request(&client, "GET", "/v1/held", None))
    };
    arrived_rx
        .recv_timeout(HANG)
        .expect("the held request reaches the server");
    sessions.end("s1");
    request(&client, "GET", "/v1/ping", None).expect("a 401, session 2, and the retry");
    assert_eq!(sessions.logins.load(Ordering::SeqCst), 2);
    release_tx.send(()).unwrap();
    held.join()
        .unwrap()
        .expect("the late answer is a success for its caller");

    let written = request(&client, "POST", "/v1/write", Some("{}"));
    let writes = server.requests_to("POST", "/v1/write");
    let first = &writes[0];
    assert_eq!(
        (cookie(first, SESSION), first.header("x-csrf-token")),
        (Some("s2"), Some("t2")),
        "the write must carry session 2's cookie and token, not the late answer's"
    );
    written.expect("the write succeeds");
    assert_eq!(writes.len(), 1, "the write needed no renewal");
    assert_eq!(
        sessions.logins.load(Ordering::SeqCst),
        2,
        "no login beyond the one the ended session needed"
    );
}

#[test]
fn a_late_answer_from_an_ended_session_does_not_replace_the_new_csrf_token() {
    late_answer_from_an_ended_session(false);
}

#[test]
fn a_late_answer_from_an_ended_session_does_not_replace_the_new_session_cookie() {
    late_answer_from_an_ended_session(true);
}

/// For the storm's expirer: the number of expiries so far, and for each worker the
/// expiry count read at the start of its last finished call.
struct Progress {
    expiries: AtomicUsize,
    started_after: Mutex<Vec<usize>>,
    changed: Condvar,
}

/// Many threads reading (GET answers carry the CSRF token) and writing (POSTs need it)
/// while the server forgets every session, again and again. Before each expiry the expirer
/// waits until every worker has finished a call that began after the previous one, so a
/// call never meets two expiries (its session at start is at worst the one the previous
/// expiry ended): one renewal is always enough, and no call may fail.
#[test]
fn a_csrf_storm_with_sessions_ending_under_load_fails_no_call() {
    const WORKERS: usize = 16;
    const EXPIRIES: usize = 25;
    let emu = emulator_with(|c| c.csrf = true);
    let client = Arc::new(Options::cookie(&emu.base_url(), "demo", "demo").client());
    let tasks = json(&search(&client).unwrap());
    let task = cstring(tasks[0]["id"].as_str().expect("the emulator has a task"));
    let task = Arc::new(task);
    let progress = Arc::new(Progress {
        expiries: AtomicUsize::new(0),
        started_after: Mutex::new(vec![0; WORKERS]),
        changed: Condvar::new(),
    });
    let stop = Arc::new(AtomicBool::new(false));
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (client, task, progress) = (client.clone(), task.clone(), progress.clone());
            let (stop, failures) = (stop.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut round = 0u64;
                while !stop.load(Ordering::SeqCst) {
                    let expiries = progress.expiries.load(Ordering::SeqCst);
                    let outcome = if round % 2 == 0 {
                        call_json(|o, e| unsafe {
                            tasklist_get_task(client.ptr(), task.as_ptr(), o, e)
                        })
                    } else {
                        search(&client)
                    };
                    if let Err(f) = outcome {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{}: {}", f.name, f.message));
                    }
                    round += 1;
                    progress.started_after.lock().unwrap()[w] = expiries;
                    progress.changed.notify_all();
                }
            })
        })
        .collect();
    for expiry in 1..=EXPIRIES {
        admin_post(&emu, "expire-sessions", "{}");
        // Calls that read this count begin after the server forgot the sessions.
        progress.expiries.store(expiry, Ordering::SeqCst);
        let mut started_after = progress.started_after.lock().unwrap();
        while started_after.iter().any(|&e| e < expiry) {
            let (guard, timeout) = progress.changed.wait_timeout(started_after, HANG).unwrap();
            assert!(!timeout.timed_out(), "a worker hangs");
            started_after = guard;
        }
    }
    stop.store(true, Ordering::SeqCst);
    for worker in workers {
        worker.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} calls failed, e.g. {:?}",
        failures.len(),
        failures.first()
    );
    assert!(
        logins(&emu) <= 1 + EXPIRIES as u64,
        "one login per ended session, not {}",
        logins(&emu)
    );
}
