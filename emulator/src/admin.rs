//! Test instrumentation: counters, a request log and injected faults, and
//! the `/__emulator/*` controller that reads and steers them (only with
//! --admin). It is no part of any Tasklist API, so it sits beside the
//! router rather than in a route table.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use serde_json::{json, Value};

use crate::http::{Request, Response};
use crate::problem::spring_error;
use crate::router::{demo_data, App};

const LOG_CAPACITY: usize = 10_000;

/// Which traffic a fault applies to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    Api,
    Token,
    Login,
}

impl Target {
    fn parse(text: &str) -> Option<Target> {
        match text {
            "api" => Some(Target::Api),
            "token" => Some(Target::Token),
            "login" => Some(Target::Login),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub enum FaultAction {
    Status {
        status: u16,
        retry_after: Option<u64>,
        body: Option<String>,
    },
    Drop,
    Delay(u64),
}

/// How long a simulated blocking task listener holds a v2 command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListenerHold {
    /// It completes after this many milliseconds (the command then
    /// applies); at or beyond the request timeout it counts as `Forever`.
    For(u64),
    /// It never completes: the command answers 504, the task stays held.
    Forever,
}

/// A listener fault: which command intent it holds (`ASSIGN` also holds
/// unassign, `UPDATE`, `COMPLETE`) and how often.
struct ListenerFault {
    intent: &'static str,
    hold: ListenerHold,
    remaining: Option<u64>,
}

struct Fault {
    target: Target,
    action: FaultAction,
    /// `None`: until cleared.
    remaining: Option<u64>,
}

/// What the faults say about one request.
#[derive(Default)]
pub struct Verdict {
    pub delay_ms: u64,
    /// An answer replacing the real one (status or dropped connection).
    pub answer: Option<Response>,
}

#[derive(Default)]
pub struct Counters {
    pub token_requests: AtomicU64,
    pub token_successes: AtomicU64,
    pub logins: AtomicU64,
    pub requests: AtomicU64,
    by_endpoint: Mutex<HashMap<String, u64>>,
}

struct LogEntry {
    at_ms: u64,
    method: String,
    path: String,
    status: u16,
}

pub struct Instruments {
    started: Instant,
    pub counters: Counters,
    log: Mutex<VecDeque<LogEntry>>,
    faults: Mutex<Vec<Fault>>,
    /// Lets the hot path skip the faults lock when there are none.
    any_faults: AtomicBool,
    listeners: Mutex<Vec<ListenerFault>>,
}

impl Default for Instruments {
    fn default() -> Self {
        Instruments {
            started: Instant::now(),
            counters: Counters::default(),
            log: Mutex::new(VecDeque::with_capacity(1024)),
            faults: Mutex::new(Vec::new()),
            any_faults: AtomicBool::new(false),
            listeners: Mutex::new(Vec::new()),
        }
    }
}

impl Instruments {
    pub fn millis_since_start(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    pub fn count_api_request(&self, endpoint: &str) {
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let mut map = self.counters.by_endpoint.lock().unwrap();
        match map.get_mut(endpoint) {
            Some(n) => *n += 1,
            None => {
                map.insert(endpoint.to_string(), 1);
            }
        }
    }

    pub fn record(&self, at_ms: u64, method: &str, path: &str, status: u16) {
        let mut log = self.log.lock().unwrap();
        if log.len() == LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(LogEntry {
            at_ms,
            method: method.to_string(),
            path: path.to_string(),
            status,
        });
    }

    /// Consumes a listener fault for a v2 command of `intent`, if any.
    pub fn take_listener(&self, intent: &str) -> Option<ListenerHold> {
        let mut listeners = self.listeners.lock().unwrap();
        let index = listeners.iter().position(|l| l.intent == intent)?;
        let listener = &mut listeners[index];
        let hold = listener.hold;
        if let Some(n) = listener.remaining.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                listeners.remove(index);
            }
        }
        Some(hold)
    }

    fn add_listener(&self, spec: &Value) -> Result<(), String> {
        let intent = match spec.get("listener").and_then(Value::as_str) {
            Some("assign") => "ASSIGN",
            Some("update") => "UPDATE",
            Some("complete") => "COMPLETE",
            _ => return Err("listener must be one of assign, update, complete".into()),
        };
        let hold = if spec.get("never").and_then(Value::as_bool) == Some(true) {
            ListenerHold::Forever
        } else {
            ListenerHold::For(
                spec.get("hold_ms")
                    .and_then(Value::as_u64)
                    .ok_or("a listener fault needs hold_ms or never: true")?,
            )
        };
        // Once unless told otherwise.
        let remaining = Some(spec.get("count").and_then(Value::as_u64).unwrap_or(1));
        if remaining == Some(0) {
            return Ok(());
        }
        self.listeners.lock().unwrap().push(ListenerFault {
            intent,
            hold,
            remaining,
        });
        Ok(())
    }

    /// Consumes the faults that apply to this request: every delay adds
    /// up, the first status/drop fault answers. `v2_instance` is the path
    /// of a v2 request: injected statuses then answer v2 problem bodies.
    pub fn take_faults(&self, target: Target, v2_instance: Option<&String>) -> Verdict {
        let mut verdict = Verdict::default();
        if !self.any_faults.load(Ordering::Acquire) {
            return verdict;
        }
        let mut faults = self.faults.lock().unwrap();
        for fault in faults.iter_mut().filter(|f| f.target == target) {
            let applies = match &fault.action {
                FaultAction::Delay(ms) => {
                    verdict.delay_ms += ms;
                    true
                }
                _ if verdict.answer.is_some() => false,
                FaultAction::Drop => {
                    verdict.answer = Some(Response::dropped());
                    true
                }
                FaultAction::Status {
                    status,
                    retry_after,
                    body,
                } => {
                    let mut answer = Response::new(*status);
                    if let Some(secs) = retry_after {
                        answer = answer.with_header("Retry-After", secs.to_string());
                    }
                    answer = match (body, v2_instance) {
                        (Some(text), _) => answer.with_header("Content-Type", "text/plain").with_body(text.clone()),
                        (None, Some(path)) => {
                            let problem = crate::api::v2::problem::injected(*status, path);
                            let mut answer = answer;
                            answer.headers.extend(problem.headers);
                            answer.with_body(problem.body)
                        }
                        (None, None) => answer
                            .with_header("Content-Type", "application/json")
                            .with_body(json!({"status": status, "message": "fault injected by the emulator", "instance": null}).to_string()),
                    };
                    verdict.answer = Some(answer);
                    true
                }
            };
            if applies {
                if let Some(n) = fault.remaining.as_mut() {
                    *n = n.saturating_sub(1);
                }
            }
        }
        faults.retain(|f| f.remaining != Some(0));
        self.any_faults.store(!faults.is_empty(), Ordering::Release);
        verdict
    }

    pub fn add_fault(&self, spec: &Value) -> Result<(), String> {
        if spec.get("listener").is_some() {
            return self.add_listener(spec);
        }
        let target = spec
            .get("target")
            .and_then(Value::as_str)
            .and_then(Target::parse)
            .ok_or("target must be one of api, token, login")?;
        let count = spec.get("count").and_then(Value::as_u64);
        let action = if spec.get("drop").and_then(Value::as_bool) == Some(true) {
            FaultAction::Drop
        } else if let Some(status) = spec.get("status").and_then(Value::as_u64) {
            if !(100..=599).contains(&status) {
                return Err("status must be an HTTP status code".into());
            }
            FaultAction::Status {
                status: status as u16,
                retry_after: spec.get("retry_after").and_then(Value::as_u64),
                body: spec.get("body").and_then(Value::as_str).map(str::to_string),
            }
        } else if let Some(ms) = spec.get("delay_ms").and_then(Value::as_u64) {
            FaultAction::Delay(ms)
        } else {
            return Err("a fault needs status, drop or delay_ms".into());
        };
        // Status and drop faults without a count happen once.
        let remaining = match (&action, count) {
            (_, Some(n)) => Some(n),
            (FaultAction::Delay(_), None) => None,
            (_, None) => Some(1),
        };
        if remaining == Some(0) {
            return Ok(());
        }
        let mut faults = self.faults.lock().unwrap();
        faults.push(Fault {
            target,
            action,
            remaining,
        });
        self.any_faults.store(true, Ordering::Release);
        Ok(())
    }

    pub fn clear_faults(&self) {
        self.faults.lock().unwrap().clear();
        self.listeners.lock().unwrap().clear();
        self.any_faults.store(false, Ordering::Release);
    }

    /// Counters, log and faults back to nothing (POST /__emulator/reset).
    pub fn reset(&self) {
        let c = &self.counters;
        for counter in [
            &c.token_requests,
            &c.token_successes,
            &c.logins,
            &c.requests,
        ] {
            counter.store(0, Ordering::SeqCst);
        }
        c.by_endpoint.lock().unwrap().clear();
        self.log.lock().unwrap().clear();
        self.clear_faults();
    }

    pub fn counters_json(&self) -> String {
        let c = &self.counters;
        let by_endpoint: serde_json::Map<String, Value> = c
            .by_endpoint
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        json!({
            "token_requests": c.token_requests.load(Ordering::SeqCst),
            "token_successes": c.token_successes.load(Ordering::SeqCst),
            "logins": c.logins.load(Ordering::SeqCst),
            "requests": c.requests.load(Ordering::SeqCst),
            "by_endpoint": by_endpoint,
        })
        .to_string()
    }

    pub fn log_json(&self) -> String {
        let entries: Vec<Value> = self
            .log
            .lock()
            .unwrap()
            .iter()
            .map(|e| json!({"at_ms": e.at_ms, "method": e.method, "path": e.path, "status": e.status}))
            .collect();
        Value::Array(entries).to_string()
    }
}

fn admin_error(message: &str) -> Response {
    Response::json(400, json!({"error": message}).to_string())
}

/// The `/__emulator/*` controller (only with --admin): reads and steers the
/// instruments, tokens, sessions and data of a running emulator.
pub fn handle(app: &App, request: &Request) -> Response {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let ok = || Response::json(200, "{\"ok\":true}");
    let path: Vec<&str> = request
        .segments
        .iter()
        .skip(1)
        .map(String::as_str)
        .collect();
    match (request.method.as_str(), path.as_slice()) {
        ("GET", ["counters"]) => Response::json(200, app.instruments.counters_json()),
        ("GET", ["log"]) => Response::json(200, app.instruments.log_json()),
        ("POST", ["faults"]) => match app.instruments.add_fault(&body) {
            Ok(()) => ok(),
            Err(message) => admin_error(&message),
        },
        ("DELETE", ["faults"]) => {
            app.instruments.clear_faults();
            ok()
        }
        ("POST", ["release-listeners"]) => {
            // Tasks held by listeners that never end go back to CREATED
            // (their commands are dropped).
            let mut data = app.data.write().unwrap();
            let held: Vec<i64> = data
                .tasks()
                .iter()
                .filter(|t| t.transition.is_some())
                .map(|t| t.key)
                .collect();
            for key in held {
                data.update_task(key, |t| t.transition = None);
            }
            ok()
        }
        ("POST", ["revoke-tokens"]) => {
            app.tokens.revoke_all();
            ok()
        }
        ("POST", ["expire-sessions"]) => {
            app.sessions.expire_all();
            ok()
        }
        ("POST", ["token-lifetime"]) => match body.get("seconds").and_then(Value::as_u64) {
            Some(seconds) => {
                app.tokens.set_lifetime(seconds);
                ok()
            }
            None => admin_error("body must be {\"seconds\": N}"),
        },
        ("POST", ["reset"]) => {
            *app.data.write().unwrap() = demo_data(&app.config);
            app.instruments.reset();
            ok()
        }
        ("GET", ["data"]) => {
            let data = app.data.read().unwrap();
            let mut summary = serde_json::Map::new();
            for (name, value) in &data.landmarks {
                summary.insert(name.to_string(), json!(value));
            }
            summary.insert("taskCount".into(), json!(data.tasks().len()));
            summary.insert(
                "processes".into(),
                json!(data
                    .processes
                    .iter()
                    .map(|p| json!({"key": p.key.to_string(), "bpmnProcessId": p.bpmn_process_id, "name": p.name, "version": p.version}))
                    .collect::<Vec<_>>()),
            );
            Response::json(200, Value::Object(summary).to_string())
        }
        _ => spring_error(404, "Not Found", &request.path),
    }
}
