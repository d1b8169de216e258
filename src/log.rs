//! Where the library's log records go: a process-wide sink, by default standard error
//! filtered by `TASKLIST_LOG` (read once), replaceable by any Rust closure (the C surface
//! installs one that calls the application's C callback).
//!
//! A [`Record`] holds fields (target, method, path, status, duration, retries, error code,
//! message) and the one-line text that the default sink prints. Both are built only from
//! things that are never secret (methods, paths without their query, statuses, durations,
//! counts, error messages, which by contract hold no secrets), and only when the record's
//! level is enabled, so logging costs one atomic load per record when it is off.
//!
//! The sink is global because logging is a property of the process, like libcurl's debug
//! callback or Python's `logging`: one configuration serves every client.

use crate::error::Code;
use once_cell::sync::Lazy;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::RwLock;

/// Severity of a record; the numbers are the `TASKLIST_LOG_*` constants of the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Level {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }

    /// `TASKLIST_LOG` values; anything else (or unset) means off.
    fn from_env_value(value: &str) -> Option<Level> {
        match value.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Level::Error),
            "warn" | "warning" => Some(Level::Warn),
            "info" => Some(Level::Info),
            "debug" | "trace" => Some(Level::Debug),
            _ => None,
        }
    }
}

/// Where a record comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A request to the Tasklist API.
    Http,
    /// An exchange with the token endpoint or the cookie login.
    Auth,
    /// A bug inside the library, caught at the C boundary.
    Panic,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Http => "http",
            Target::Auth => "auth",
            Target::Panic => "panic",
        }
    }
}

/// One log record. Every text in it is free of secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    pub level: Level,
    pub target: Target,
    /// The HTTP method, or "" when the record is not about a request (a panic).
    pub method: &'static str,
    /// The request's path without its query, or "" when not about a request.
    pub path: &'a str,
    /// The HTTP status of the answer; 0 when there was none (a transport error).
    pub status: u16,
    /// Milliseconds the call has taken so far, retries and waits included (on a note about
    /// one attempt, that attempt's).
    pub duration_ms: u64,
    /// Retries made so far; on a record that announces a retry, that retry included.
    pub retries: u32,
    /// Set on a record that announces a retry: how long the library waits before it.
    pub retry_after_ms: Option<u64>,
    /// The error code of a failure; `None` when the exchange got an answer.
    pub error: Option<Code>,
    /// What happened, in words and without the fields: the request as it is named
    /// ("POST /v1/tasks/search", "token endpoint: POST /oauth/token"), followed for a
    /// failure or a note by ": " and the reason; for a panic, its text.
    pub message: String,
    /// The whole record as one line of text, e.g.
    /// `POST /v1/tasks/search status=200 duration_ms=3 retries=0`.
    pub line: String,
}

/// A replacement sink: called with every record at or below its level, on whichever thread
/// logs, possibly from several at once.
pub type SinkFn = dyn Fn(&Record<'_>) + Send + Sync;

enum Sink {
    /// Standard error, records at or above this level (`None`: off).
    Stderr(Option<Level>),
    Custom {
        max_level: Level,
        sink: Box<SinkFn>,
    },
}

impl Sink {
    fn max_level(&self) -> Option<Level> {
        match self {
            Sink::Stderr(max) => *max,
            Sink::Custom { max_level, .. } => Some(*max_level),
        }
    }
}

/// `MAX_LEVEL` before the sink was first used.
const UNSET: u32 = u32::MAX;
/// `MAX_LEVEL` when nothing is logged.
const OFF: u32 = 0;

/// The current sink's level as a number (`OFF`, or a `Level`), so that a disabled record
/// costs one atomic load. It only changes while `SINK`'s write lock is held; the lock, not
/// this copy, decides whether a record reaches the sink.
static MAX_LEVEL: AtomicU32 = AtomicU32::new(UNSET);

/// The current sink. `TASKLIST_LOG` is read once, at the first use, so a program that
/// changes its environment later (from another thread) cannot race with us. Records hold
/// the read lock while the sink runs, so replacing the sink waits for calls in progress.
static SINK: Lazy<RwLock<Sink>> = Lazy::new(|| {
    let sink = default_sink();
    store_max_level(&sink);
    RwLock::new(sink)
});

fn default_sink() -> Sink {
    Sink::Stderr(
        std::env::var("TASKLIST_LOG")
            .ok()
            .and_then(|v| Level::from_env_value(&v)),
    )
}

fn store_max_level(sink: &Sink) {
    let max = sink.max_level().map_or(OFF, |level| level as u32);
    MAX_LEVEL.store(max, Ordering::Relaxed);
}

fn replace(sink: Sink) {
    let mut current = SINK.write().unwrap_or_else(|p| p.into_inner());
    let previous = std::mem::replace(&mut *current, sink);
    store_max_level(&current);
    drop(current);
    // Dropped outside the lock: whatever the old sink owned goes without blocking loggers.
    drop(previous);
}

/// Sends records at `max_level` and more severe to `sink`, for the whole process. When this
/// returns, calls of the previous sink have finished and no new ones start.
pub fn set_sink(max_level: Level, sink: Box<SinkFn>) {
    replace(Sink::Custom { max_level, sink });
}

/// Restores the default sink: standard error, filtered by `TASKLIST_LOG`. When this returns,
/// calls of the previous sink have finished and no new ones start.
pub fn restore_default_sink() {
    replace(default_sink());
}

/// Whether a record at this level would go anywhere (to skip building it otherwise).
pub fn enabled(level: Level) -> bool {
    let mut max = MAX_LEVEL.load(Ordering::Relaxed);
    if max == UNSET {
        Lazy::force(&SINK);
        max = MAX_LEVEL.load(Ordering::Relaxed);
    }
    level as u32 <= max
}

/// Hands the record made by `build` to the sink; `build` runs only if `level` is enabled,
/// so a disabled record costs nothing but the check.
pub fn emit<'a>(level: Level, build: impl FnOnce() -> Record<'a>) {
    if !enabled(level) {
        return;
    }
    let sink = SINK.read().unwrap_or_else(|p| p.into_inner());
    // The sink may have changed since the check above.
    if sink.max_level().is_none_or(|max| level > max) {
        return;
    }
    let record = build();
    debug_assert_eq!(record.level, level, "{}", record.line);
    match &*sink {
        Sink::Stderr(_) => eprintln!("libtasklist {}: {}", record.level.name(), record.line),
        Sink::Custom { sink, .. } => sink(&record),
    }
}

/// Held by the unit tests that install a sink, which is process-wide, so that they do not
/// replace each other's.
#[cfg(test)]
pub(crate) static TEST_SINK_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_values_map_to_levels() {
        assert_eq!(Level::from_env_value("DEBUG"), Some(Level::Debug));
        assert_eq!(Level::from_env_value(" info "), Some(Level::Info));
        assert_eq!(Level::from_env_value("warn"), Some(Level::Warn));
        assert_eq!(Level::from_env_value("error"), Some(Level::Error));
        assert_eq!(Level::from_env_value("off"), None);
        assert_eq!(Level::from_env_value(""), None);
        assert!(Level::Error < Level::Debug);
    }

    fn note(level: Level, message: &str) -> Record<'static> {
        Record {
            level,
            target: Target::Http,
            method: "GET",
            path: "/x",
            status: 200,
            duration_ms: 1,
            retries: 0,
            retry_after_ms: None,
            error: None,
            message: message.to_string(),
            line: format!("GET /x {message}"),
        }
    }

    /// The sink is process-wide and other unit tests may log meanwhile: this test looks only
    /// at its own records, told apart by their message.
    #[test]
    fn a_closure_sink_gets_enabled_records_only_until_replaced() {
        use std::sync::{Arc, Mutex};
        const MARK: &str = "log-unit-test-mark";
        let _sink = TEST_SINK_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let built = Arc::new(Mutex::new(0));
        let emit_marked = |level: Level| {
            let built = Arc::clone(&built);
            emit(level, move || {
                *built.lock().unwrap() += 1;
                note(level, MARK)
            });
        };

        let sink_seen = Arc::clone(&seen);
        set_sink(
            Level::Info,
            Box::new(move |record| {
                if record.message == MARK {
                    sink_seen
                        .lock()
                        .unwrap()
                        .push((record.level, record.line.clone()));
                }
            }),
        );
        assert!(enabled(Level::Info) && enabled(Level::Error) && !enabled(Level::Debug));
        emit_marked(Level::Info);
        emit_marked(Level::Debug);
        emit_marked(Level::Warn);
        assert_eq!(
            *seen.lock().unwrap(),
            [
                (Level::Info, format!("GET /x {MARK}")),
                (Level::Warn, format!("GET /x {MARK}"))
            ]
        );
        // The debug record was never built.
        assert_eq!(*built.lock().unwrap(), 2);

        // Another sink replaces this one: the first is not called any more.
        set_sink(Level::Debug, Box::new(|_| {}));
        emit_marked(Level::Error);
        assert_eq!(seen.lock().unwrap().len(), 2);
        restore_default_sink();
        // Once replaced, the first sink (and what it captured) has been dropped.
        assert_eq!(Arc::strong_count(&seen), 1);
    }
}
