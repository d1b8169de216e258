//! Servers that answer in ways a well-behaved Tasklist never would, and what the client
//! promises anyway: no panic for any input, every call bounded, the status of every answer
//! kept, no secret copied from an echo into an error, bounded messages, and URLs that cannot
//! smuggle credentials.

mod common;

use common::recorder::{read_request, Recorded, Recorder, Reply};
use common::*;
use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tasklist::ffi::*;

fn search(client: &Client) -> Result<String, Failure> {
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

fn assign(client: &Client, id: &str) -> Result<String, Failure> {
    let id = cstring(id);
    call_json(|o, e| unsafe { tasklist_assign_task(client.ptr(), id.as_ptr(), ptr::null(), o, e) })
}

fn describe(options: &Options) -> String {
    call_json(|o, e| unsafe { tasklist_options_describe(options.0, o, e) }).unwrap()
}

/// What a scripted server does with one request.
enum Action {
    /// Send these bytes (a whole HTTP answer) and keep the connection open.
    Answer(Vec<u8>),
    /// Close the connection without answering.
    Close,
}

fn raw_answer(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A keep-alive server, a thread per connection, that decides each answer from the
/// connection's number, the request's number on that connection, and the request.
struct Scripted {
    port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
}

impl Scripted {
    fn start(script: impl Fn(usize, usize, &Recorded) -> Action + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopping, script) = (requests.clone(), stop.clone(), Arc::new(script));
        std::thread::spawn(move || {
            for (connection, stream) in listener.incoming().enumerate() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (seen, script) = (seen.clone(), script.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream);
                    let mut nth = 0;
                    while let Some(request) = read_request(&mut reader) {
                        let action = script(connection, nth, &request);
                        seen.lock().unwrap().push(request);
                        nth += 1;
                        match action {
                            Action::Answer(bytes) => {
                                let stream = reader.get_mut();
                                if stream.write_all(&bytes).and(stream.flush()).is_err() {
                                    return;
                                }
                            }
                            Action::Close => return,
                        }
                    }
                });
            }
        });
        Scripted {
            port,
            requests,
            stop,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// After an answer that took over a second, `elapsed + Retry-After` overflowed a Duration.
#[test]
fn an_enormous_retry_after_on_a_slow_answer_ends_the_call_without_a_panic() {
    let slow_refusal = || {
        std::thread::sleep(Duration::from_millis(1100));
        Reply {
            status: 503,
            headers: vec![("retry-after".into(), "18446744073709551615".into())],
            body: r#"{"message":"busy"}"#.into(),
        }
    };
    let api = Recorder::start(move |_| slow_refusal());
    let client = Options::new(&api.url()).bearer("any-token").client();
    let f = search(&client).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_SERVER", 503)
    );
    assert_eq!(api.requests().len(), 1, "a wait that long is never taken");

    let token_endpoint = Recorder::start(move |_| slow_refusal());
    let options = Options::new(&token_endpoint.url());
    options.set_oauth(
        &format!("{}/oauth/token", token_endpoint.url()),
        "id",
        &secret("slow-secret"),
        None,
    );
    let f = search(&options.client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_UNAVAILABLE", "{}", f.message);
    assert!(
        f.message.contains("longer than the request timeout allows"),
        "{}",
        f.message
    );
    assert_eq!(token_endpoint.requests().len(), 1);
}

/// A load balancer's Latin-1 error page is still an answer: its status, its retries.
#[test]
fn an_error_page_that_is_not_utf8_keeps_its_status_and_is_retried() {
    let page = b"<h1>Service indisponible \xe0 cette heure</h1>".to_vec();
    let server = Scripted::start(move |_, _, _| {
        Action::Answer(raw_answer(
            503,
            &[("content-type", "text/html; charset=iso-8859-1")],
            &page,
        ))
    });
    let client = Options::new(&server.url())
        .bearer("any-token")
        .retries(2)
        .client();
    let f = search(&client).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_SERVER", 503)
    );
    assert_eq!(server.requests().len(), 3, "503 is retried twice");
    let body = f.body.expect("the page is kept");
    assert!(
        body.contains("Service indisponible \u{FFFD} cette heure"),
        "{body}"
    );

    // A 2xx answer must be UTF-8: it is handed to the caller as text.
    let server = Scripted::start(|_, _, _| {
        Action::Answer(raw_answer(
            200,
            &[("content-type", "application/json")],
            b"[\"\xff\"]",
        ))
    });
    let client = Options::new(&server.url()).bearer("any-token").client();
    let f = search(&client).unwrap_err();
    assert_eq!(
        (f.name.as_str(), f.http_status),
        ("TASKLIST_ERR_DECODE", 200)
    );
    assert!(f.message.contains("not UTF-8"), "{}", f.message);
}

/// The server closes each kept-alive connection when the next request arrives on it, as
/// one whose idle timeout just ran out does. The request never reached it: repeating it on
/// a new connection is safe, writes included, and needs no retry from the budget.
#[test]
fn writes_survive_a_kept_alive_connection_that_the_server_just_closed() {
    let assigned = Arc::new(AtomicUsize::new(0));
    let count = assigned.clone();
    let server = Scripted::start(move |_, nth, _| {
        if nth > 0 {
            return Action::Close;
        }
        count.fetch_add(1, Ordering::SeqCst);
        Action::Answer(raw_answer(
            200,
            &[("content-type", "application/json")],
            br#"{"id":"1","assignee":"demo"}"#,
        ))
    });
    let client = Options::new(&server.url())
        .bearer("any-token")
        .retries(0)
        .client();
    for call in 0..50 {
        if let Err(f) = assign(&client, "1") {
            panic!("assign {call} failed: {} {}", f.name, f.message);
        }
    }
    assert_eq!(
        assigned.load(Ordering::SeqCst),
        50,
        "each assign arrived once"
    );
}

/// A failure after the server started answering is not a closed idle connection: a write
/// that may have happened is not repeated.
#[test]
fn a_write_whose_answer_broke_off_is_not_repeated() {
    let server = Scripted::start(|_, _, _| {
        Action::Answer(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\"".to_vec())
    });
    // The server keeps the connection open after the partial answer; a short request
    // timeout ends the wait for the rest.
    let client = Options::new(&server.url())
        .bearer("any-token")
        .timeouts(0, 1500)
        .client();
    let f = assign(&client, "1").unwrap_err();
    assert!(
        matches!(f.name.as_str(), "TASKLIST_ERR_TIMEOUT" | "TASKLIST_ERR_IO"),
        "{} {}",
        f.name,
        f.message
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_huge_id_gives_a_bounded_message() {
    let server = Recorder::start(|_| Reply {
        status: 404,
        headers: Vec::new(),
        body: r#"{"message":"task not found"}"#.into(),
    });
    let client = Options::new(&server.url()).bearer("any-token").client();
    let id = "x".repeat(16 * 1024 * 1024);
    let f = assign(&client, &id).unwrap_err();
    assert!(
        f.message.chars().count() <= 1000,
        "{} chars",
        f.message.len()
    );
    assert!(
        f.message.contains("xxx…"),
        "the cut is marked: {}",
        &f.message[..300]
    );
}

#[test]
fn urls_with_credentials_are_refused_without_showing_them() {
    let options = Options::new("http://127.0.0.1:1");
    for url in [
        "http://user:PASSWORD1@127.0.0.1:1",
        "https://T0KEN1@127.0.0.1:1/api",
    ] {
        let u = cstring(url);
        let status = unsafe { tasklist_options_set_base_url(options.0, u.as_ptr()) };
        assert_eq!(status, TASKLIST_ERR_INVALID_ARGUMENT, "{url}");
        let (token_url, id, secret) = (u, cstring("id"), cstring("secret"));
        let status = unsafe {
            tasklist_options_set_oauth(
                options.0,
                token_url.as_ptr(),
                id.as_ptr(),
                secret.as_ptr(),
                ptr::null(),
            )
        };
        assert_eq!(status, TASKLIST_ERR_INVALID_ARGUMENT, "{url} as token URL");
    }
    let d = describe(&options);
    assert!(!d.contains("PASSWORD1") && !d.contains("T0KEN1"), "{d}");
    assert_eq!(json(&d)["base_url"]["value"], "http://127.0.0.1:1");
}

#[test]
fn a_proxy_credential_given_as_the_user_alone_is_redacted() {
    let options = Options::new("http://127.0.0.1:1");
    let url = cstring("http://PR0XY-T0KEN@127.0.0.1:3128");
    assert_eq!(
        unsafe { tasklist_options_set_proxy(options.0, url.as_ptr()) },
        TASKLIST_OK
    );
    let d = json(&describe(&options));
    assert_eq!(d["proxy"]["value"], "http://***@127.0.0.1:3128");
}

/// A token endpoint that repeats the request body, and an API that repeats the
/// Authorization header: neither echo may carry a secret into the error.
#[test]
fn secrets_echoed_by_a_server_are_masked_in_errors() {
    let client_secret = secret("echoed-client-s3cret&=");
    let token = "echoed-access-t0ken";
    let server = Recorder::start(move |request| {
        if request.target == "/oauth/token" {
            if let Some(basic) = request.header("authorization") {
                let echo = format!(
                    r#"{{"error":"invalid_request","error_description":"header {basic}"}}"#
                );
                return Reply {
                    status: 400,
                    headers: Vec::new(),
                    body: echo,
                };
            }
            if request.body.contains("bad-id") {
                let echo = serde_json::json!({
                    "error": "invalid_request",
                    "error_description": format!("cannot parse {}", request.body),
                });
                return Reply {
                    status: 400,
                    headers: Vec::new(),
                    body: echo.to_string(),
                };
            }
            return Reply::json(&format!(r#"{{"access_token":"{token}","expires_in":300}}"#));
        }
        let echo = serde_json::json!({
            "status": 400,
            "message": format!("bad header authorization: {}", request.header("authorization").unwrap_or("")),
        });
        Reply {
            status: 400,
            headers: Vec::new(),
            body: echo.to_string(),
        }
    });
    let token_url = format!("{}/oauth/token", server.url());

    let options = Options::new(&server.url());
    options.set_oauth(&token_url, "bad-id", &client_secret, None);
    let f = search(&options.client()).unwrap_err();
    assert!(
        f.message
            .contains("cannot parse grant_type=client_credentials"),
        "{}",
        f.message
    );
    let encoded = "echoed-client-s3cret%26%3D";
    for text in [&f.message, f.body.as_ref().unwrap()] {
        assert!(
            !text.contains(encoded) && !text.contains(&client_secret),
            "{text}"
        );
        assert!(text.contains("client_secret=***"), "{text}");
    }

    let options = Options::new(&server.url()).client_auth(TASKLIST_CLIENT_AUTH_BASIC);
    options.set_oauth(&token_url, "basic-id", &client_secret, None);
    let f = search(&options.client()).unwrap_err();
    assert!(f.message.contains("header ***"), "{}", f.message);
    assert!(!f.message.contains("Basic "), "{}", f.message);

    let options = Options::new(&server.url());
    options.set_oauth(&token_url, "good-id", &client_secret, None);
    let f = search(&options.client()).unwrap_err();
    assert_eq!(f.http_status, 400);
    for text in [&f.message, f.body.as_ref().unwrap()] {
        assert!(!text.contains(token), "{text}");
        assert!(text.contains("authorization: ***"), "{text}");
    }
}

/// 407 is the proxy refusing its credentials: an authentication failure, not a broken
/// connection, and asking again with the same credentials cannot help.
#[test]
fn a_proxy_that_refuses_its_credentials_is_an_authentication_failure_not_retried() {
    let proxy = Recorder::start(|_| Reply {
        status: 407,
        headers: vec![("proxy-authenticate".into(), "Basic realm=\"proxy\"".into())],
        body: String::new(),
    });
    let options = Options::new("http://127.0.0.1:1")
        .bearer("any-token")
        .retries(2);
    let url = cstring(&format!(
        "http://proxyuser:{}@127.0.0.1:{}",
        secret("pr0xy-pass"),
        proxy.url().rsplit(':').next().unwrap()
    ));
    assert_eq!(
        unsafe { tasklist_options_set_proxy(options.0, url.as_ptr()) },
        TASKLIST_OK
    );
    let f = search(&options.client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED", "{}", f.message);
    assert!(f.message.contains("407"), "{}", f.message);
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1, "not retried");
    assert_eq!(requests[0].method, "CONNECT");

    // The token endpoint behind the same proxy: the same refusal, not "unavailable".
    options.set_oauth(
        "http://127.0.0.1:1/oauth/token",
        "id",
        "proxied-secret",
        None,
    );
    let f = search(&options.client()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_AUTH_FAILED", "{}", f.message);
    assert!(f.message.contains("407"), "{}", f.message);
    assert_eq!(proxy.requests().len(), 2, "not retried either");
}
