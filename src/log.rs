//! Where the library's log lines go: a process-wide sink, by default standard error filtered
//! by `TASKLIST_LOG` (read once), replaceable by a C callback.
//!
//! Log lines are built only from things that are never secret (methods, paths without their
//! query, statuses, durations, counts, error messages, which by contract hold no secrets).
//! The sink is global because logging is a property of the process, like libcurl's debug
//! callback or Python's `logging`: one configuration serves every client.

use once_cell::sync::Lazy;
use std::ffi::{c_char, c_void, CString};
use std::sync::RwLock;

/// Severity of a log line; the numbers are the `TASKLIST_LOG_*` constants of the header.
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

/// The C callback: level, one line of UTF-8 text (borrowed for the call), userdata.
pub type Callback = unsafe extern "C" fn(level: u32, message: *const c_char, userdata: *mut c_void);

#[derive(Clone, Copy)]
enum Sink {
    /// Standard error, lines at or above this level (`None`: off).
    Stderr(Option<Level>),
    Callback {
        max_level: Level,
        callback: Callback,
        userdata: *mut c_void,
    },
}

// SAFETY: the userdata pointer is only handed back to the callback, whose contract (in the
// header) says it is called from any thread; the library never dereferences it.
unsafe impl Send for Sink {}
unsafe impl Sync for Sink {}

/// `TASKLIST_LOG` is read once, at the first log call, so a program that changes its
/// environment later (from another thread) cannot race with us.
static DEFAULT_SINK: Lazy<Sink> = Lazy::new(|| {
    Sink::Stderr(
        std::env::var("TASKLIST_LOG")
            .ok()
            .and_then(|v| Level::from_env_value(&v)),
    )
});

/// The current sink. Log calls hold the read lock while the callback runs, so replacing the
/// sink waits for calls in progress: once `set_callback` returns, the old callback is not
/// running and will not be called again, and its userdata may be freed.
static SINK: RwLock<Option<Sink>> = RwLock::new(None);

/// Installs a callback for lines at or above `max_level`; `None` restores the default sink.
pub fn set_callback(max_level: Level, callback: Option<(Callback, *mut c_void)>) {
    let sink = callback.map(|(callback, userdata)| Sink::Callback {
        max_level,
        callback,
        userdata,
    });
    *SINK.write().unwrap_or_else(|p| p.into_inner()) = sink;
}

/// Whether a line at this level would go anywhere (to skip building it otherwise).
pub fn enabled(level: Level) -> bool {
    let sink = SINK.read().unwrap_or_else(|p| p.into_inner());
    match sink.unwrap_or(*DEFAULT_SINK) {
        Sink::Stderr(max) => max.is_some_and(|max| level <= max),
        Sink::Callback { max_level, .. } => level <= max_level,
    }
}

/// Sends one line to the sink. The text must not contain secrets.
pub fn emit(level: Level, message: &str) {
    let guard = SINK.read().unwrap_or_else(|p| p.into_inner());
    match guard.unwrap_or(*DEFAULT_SINK) {
        Sink::Stderr(Some(max)) if level <= max => {
            eprintln!("libtasklist {}: {message}", level.name());
        }
        Sink::Stderr(_) => {}
        Sink::Callback {
            max_level,
            callback,
            userdata,
        } if level <= max_level => {
            // Messages are one line and NUL-free by construction; a stray NUL is dropped
            // rather than losing the line.
            let text = CString::new(message.replace('\0', ""))
                .unwrap_or_else(|_| CString::from(c"(unprintable log line)"));
            // SAFETY: the caller installed this callback with the documented contract.
            unsafe { callback(level as u32, text.as_ptr(), userdata) };
        }
        Sink::Callback { .. } => {}
    }
}

/// Logs a line built lazily, only when the level is enabled.
macro_rules! log_line {
    ($level:expr, $($arg:tt)*) => {
        if $crate::log::enabled($level) {
            $crate::log::emit($level, &format!($($arg)*));
        }
    };
}
pub(crate) use log_line;

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
}
