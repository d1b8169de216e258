//! The record callback through the C functions: each record comes with its line and with
//! JSON fields that agree with it, for successes, retries and failures alike; the line and
//! the record callbacks replace each other; once a setter returns, the callback it replaced
//! is never called again, even while other threads log. The sink is process-wide, so this
//! file holds a single test (each test file is its own process).

mod common;

use common::*;
use serde_json::Value;
use std::ffi::{c_char, c_void, CStr};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use tasklist::ffi::*;
use tasklist::ffi::{tasklist_set_log_callback, tasklist_set_log_record_callback};

/// What the record callback received: level, line, and the fields parsed from their JSON.
#[derive(Debug, Clone)]
struct Seen {
    level: u32,
    line: String,
    fields: Value,
}

static RECORDS: Mutex<Vec<Seen>> = Mutex::new(Vec::new());
static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

const USERDATA: usize = 0x10c5;

unsafe extern "C" fn collect_record(
    level: u32,
    line: *const c_char,
    fields_json: *const c_char,
    userdata: *mut c_void,
) {
    assert_eq!(userdata as usize, USERDATA, "userdata comes back unchanged");
    let line = CStr::from_ptr(line).to_str().unwrap().to_string();
    let json = CStr::from_ptr(fields_json).to_str().unwrap();
    let fields: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("fields are not JSON ({e}): {json}"));
    RECORDS.lock().unwrap().push(Seen {
        level,
        line,
        fields,
    });
}

unsafe extern "C" fn collect_line(_level: u32, message: *const c_char, _userdata: *mut c_void) {
    let text = CStr::from_ptr(message).to_str().unwrap().to_string();
    LINES.lock().unwrap().push(text);
}

fn take_records() -> Vec<Seen> {
    std::mem::take(&mut *RECORDS.lock().unwrap())
}

fn take_lines() -> Vec<String> {
    std::mem::take(&mut *LINES.lock().unwrap())
}

fn install_records(level: u32) {
    let status = unsafe {
        tasklist_set_log_record_callback(level, Some(collect_record), USERDATA as *mut c_void)
    };
    assert_eq!(status, TASKLIST_OK);
}

fn search(client: &Client) -> Result<String, Failure> {
    call_json(|o, e| unsafe { tasklist_search_tasks(client.ptr(), ptr::null(), o, e) })
}

/// The first record whose fields have every member of `want`.
fn find<'a>(records: &'a [Seen], want: &Value) -> &'a Seen {
    records
        .iter()
        .find(|r| {
            want.as_object()
                .unwrap()
                .iter()
                .all(|(k, v)| r.fields.get(k) == Some(v))
        })
        .unwrap_or_else(|| panic!("no record with {want} in {records:#?}"))
}

/// Every record has exactly the documented members, of the documented types, agreeing with
/// the level argument and with the line.
fn check_shape(record: &Seen) {
    let fields = record.fields.as_object().expect("an object");
    let mut names: Vec<&str> = fields.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "duration_ms",
            "error",
            "level",
            "message",
            "method",
            "path",
            "retries",
            "retry_after_ms",
            "status",
            "target"
        ],
        "{record:?}"
    );
    let level_name = match record.level {
        TASKLIST_LOG_ERROR => "error",
        TASKLIST_LOG_WARN => "warn",
        TASKLIST_LOG_INFO => "info",
        TASKLIST_LOG_DEBUG => "debug",
        other => panic!("level {other}"),
    };
    assert_eq!(fields["level"], level_name, "{record:?}");
    assert!(fields["status"].is_u64() && fields["duration_ms"].is_u64());
    assert!(fields["retries"].is_u64());
    assert!(fields["retry_after_ms"].is_null() || fields["retry_after_ms"].is_u64());
    assert!(fields["error"].is_null() || fields["error"].is_string());
    let message = fields["message"].as_str().unwrap();
    assert!(!message.is_empty() && !message.contains('\n'));
    if let (Some(method), Some(path)) = (fields["method"].as_str(), fields["path"].as_str()) {
        assert!(
            record.line.contains(&format!("{method} {path}")),
            "{record:?}"
        );
        assert!(!path.contains('?'), "{record:?}");
    }
}

#[test]
fn records_through_the_record_callback() {
    let emu = emulator();
    install_records(TASKLIST_LOG_DEBUG);

    // Success: the token fetch and the search, each one INFO record.
    let client = Options::oauth(&emu.base_url()).client();
    search(&client).unwrap();
    let records = take_records();
    records.iter().for_each(check_shape);
    let token = find(
        &records,
        &serde_json::json!({"method": "POST", "path": "/oauth/token"}),
    );
    assert_eq!(token.level, TASKLIST_LOG_INFO);
    assert_eq!(token.fields["target"], "auth");
    assert_eq!(token.fields["status"], 200);
    assert_eq!(token.fields["error"], Value::Null);
    assert_eq!(
        token.fields["message"], "token endpoint: POST /oauth/token",
        "{token:?}"
    );
    let found = find(&records, &serde_json::json!({"path": "/v1/tasks/search"}));
    assert_eq!(found.level, TASKLIST_LOG_INFO);
    assert_eq!(
        found.fields,
        serde_json::json!({
            "level": "info", "target": "http", "method": "POST", "path": "/v1/tasks/search",
            "status": 200, "duration_ms": found.fields["duration_ms"], "retries": 0,
            "retry_after_ms": null, "error": null, "message": "POST /v1/tasks/search",
        })
    );
    // The line reads as it always did, with the same numbers as the fields.
    assert_eq!(
        found.line,
        format!(
            "POST /v1/tasks/search status=200 duration_ms={} retries=0",
            found.fields["duration_ms"]
        )
    );

    // A retry: a DEBUG record that announces it, then the final record that counts it.
    inject(&emu, "api", 503, 1, None);
    search(&client).unwrap();
    let records = take_records();
    records.iter().for_each(check_shape);
    let retry = find(&records, &serde_json::json!({"status": 503}));
    assert_eq!(retry.level, TASKLIST_LOG_DEBUG);
    assert_eq!(retry.fields["retries"], 1);
    let wait = retry.fields["retry_after_ms"].as_u64().expect("the wait");
    assert!(
        retry.line.ends_with(&format!("retry=1 after_ms={wait}")),
        "{retry:?}"
    );
    let last = find(&records, &serde_json::json!({"status": 200, "retries": 1}));
    assert_eq!(last.fields["retry_after_ms"], Value::Null);
    assert!(
        last.fields["duration_ms"].as_u64() >= Some(wait),
        "{last:?}"
    );

    // Failure: no answer, so status 0, the code's name, and the reason in the message.
    let dead = Options::new(&closed_port_url()).retries(0).client();
    search(&dead).unwrap_err();
    let (form, key) = (cstring("f"), cstring("secret-query-value"));
    let _ = call_json(|o, e| unsafe {
        tasklist_get_form(dead.ptr(), form.as_ptr(), key.as_ptr(), ptr::null(), o, e)
    });
    let records = take_records();
    records.iter().for_each(check_shape);
    let failed = find(&records, &serde_json::json!({"path": "/v1/tasks/search"}));
    assert_eq!(failed.level, TASKLIST_LOG_WARN);
    assert_eq!(failed.fields["status"], 0);
    assert_eq!(failed.fields["error"], "TASKLIST_ERR_CONNECT");
    assert_eq!(failed.fields["target"], "http");
    let message = failed.fields["message"].as_str().unwrap();
    let reason = message
        .strip_prefix("POST /v1/tasks/search: ")
        .unwrap_or_else(|| panic!("{failed:?}"));
    assert!(!reason.is_empty());
    assert!(
        failed.line.starts_with(&format!(
            "POST /v1/tasks/search status=0 error=TASKLIST_ERR_CONNECT message={reason:?} "
        )),
        "{failed:?}"
    );
    // The form's query (processDefinitionKey) is in neither the path nor anywhere else.
    let form = find(&records, &serde_json::json!({"path": "/v1/forms/f"}));
    assert_eq!(form.fields["method"], "GET");
    for record in &records {
        assert!(!record.line.contains("secret-query-value"), "{record:?}");
        assert!(
            !record.fields.to_string().contains("secret-query-value"),
            "{record:?}"
        );
    }

    // A cookie login is an auth record; a wrong password shows in no record.
    let wrong_login = Options::cookie(&emu.base_url(), "demo", "password-1a2b3c").client();
    search(&wrong_login).unwrap_err();
    let records = take_records();
    records.iter().for_each(check_shape);
    let login = find(&records, &serde_json::json!({"path": "/api/login"}));
    assert_eq!(login.fields["target"], "auth");
    assert!(login.line.starts_with("login at"), "{login:?}");
    for record in &records {
        let text = format!("{} {}", record.line, record.fields);
        assert!(!text.contains("password-1a2b3c"), "{record:?}");
        assert!(!text.contains(CLIENT_SECRET), "{record:?}");
    }

    // The level filters: at WARN, successes are not reported.
    install_records(TASKLIST_LOG_WARN);
    search(&client).unwrap();
    assert!(take_records().is_empty());
    search(&dead).unwrap_err();
    assert_eq!(take_records().len(), 1);

    // An unknown level is refused and leaves the record callback in place.
    let refused =
        unsafe { tasklist_set_log_record_callback(0, Some(collect_record), ptr::null_mut()) };
    assert_eq!(refused, TASKLIST_ERR_INVALID_ARGUMENT);
    search(&dead).unwrap_err();
    assert_eq!(take_records().len(), 1);

    // The line callback replaces the record callback, and the other way round.
    let status = unsafe {
        tasklist_set_log_callback(TASKLIST_LOG_INFO, Some(collect_line), ptr::null_mut())
    };
    assert_eq!(status, TASKLIST_OK);
    search(&client).unwrap();
    assert!(take_records().is_empty());
    let lines = take_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("POST /v1/tasks/search status=200")),
        "{lines:?}"
    );
    install_records(TASKLIST_LOG_INFO);
    search(&client).unwrap();
    assert!(take_lines().is_empty());
    assert_eq!(take_records().len(), 1);

    // NULL restores the default sink: neither callback is called any more.
    let status =
        unsafe { tasklist_set_log_record_callback(TASKLIST_LOG_DEBUG, None, ptr::null_mut()) };
    assert_eq!(status, TASKLIST_OK);
    search(&client).unwrap();
    search(&dead).unwrap_err();
    assert!(take_records().is_empty() && take_lines().is_empty());

    switching_while_other_threads_log(&emu);
}

/// Each installed callback gets its own userdata: a slot that the test marks retired right
/// after the setter that replaced it returned. A call that finds its slot retired would be a
/// call after the setter returned, when a C program may already have freed its userdata.
static RETIRED: [AtomicBool; 2] = [AtomicBool::new(false), AtomicBool::new(false)];
static CALLS: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];
static LATE_CALLS: AtomicUsize = AtomicUsize::new(0);

fn note_call(userdata: *mut c_void) {
    let slot = userdata as usize;
    CALLS[slot].fetch_add(1, Ordering::SeqCst);
    // Stay inside the callback a little, so a setter really has calls to wait for.
    std::thread::yield_now();
    if RETIRED[slot].load(Ordering::SeqCst) {
        LATE_CALLS.fetch_add(1, Ordering::SeqCst);
    }
}

unsafe extern "C" fn slot_record(
    _: u32,
    _: *const c_char,
    _: *const c_char,
    userdata: *mut c_void,
) {
    note_call(userdata);
}

unsafe extern "C" fn slot_line(_: u32, _: *const c_char, userdata: *mut c_void) {
    note_call(userdata);
}

fn switching_while_other_threads_log(emu: &Emulator) {
    let client = Options::oauth(&emu.base_url()).client();
    search(&client).unwrap();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while !stop.load(Ordering::SeqCst) {
                    search(&client).unwrap();
                }
            });
        }
        for round in 0..200 {
            let slot = round % 2;
            RETIRED[slot].store(false, Ordering::SeqCst);
            let userdata = slot as *mut c_void;
            // Alternate the two kinds of callback, so each setter replaces the other's.
            let status = if round % 4 < 2 {
                unsafe {
                    tasklist_set_log_record_callback(TASKLIST_LOG_INFO, Some(slot_record), userdata)
                }
            } else {
                unsafe { tasklist_set_log_callback(TASKLIST_LOG_INFO, Some(slot_line), userdata) }
            };
            assert_eq!(status, TASKLIST_OK);
            // The setter returned: the other slot's callback is done with for good.
            RETIRED[1 - slot].store(true, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_micros(300));
        }
        assert_eq!(
            unsafe { tasklist_set_log_record_callback(TASKLIST_LOG_INFO, None, ptr::null_mut()) },
            TASKLIST_OK
        );
        RETIRED[0].store(true, Ordering::SeqCst);
        RETIRED[1].store(true, Ordering::SeqCst);
        // Requests keep going for a while with the default sink: no callback may run.
        std::thread::sleep(std::time::Duration::from_millis(50));
        stop.store(true, Ordering::SeqCst);
    });
    assert_eq!(
        LATE_CALLS.load(Ordering::SeqCst),
        0,
        "a replaced callback was called"
    );
    let calls = [
        CALLS[0].load(Ordering::SeqCst),
        CALLS[1].load(Ordering::SeqCst),
    ];
    assert!(
        calls[0] > 0 && calls[1] > 0,
        "both callbacks ran under load: {calls:?}"
    );
}
