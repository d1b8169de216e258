//! The panic boundary of every exported function: catch panics (quietly), and turn a
//! `Result` into a status plus an optional error object. The macros wrap function *bodies*,
//! so cbindgen still sees plain signatures. Pointer and string checks are in `handle.rs` and
//! `strings.rs`.

use crate::error::{Code, Error, Result};
use crate::ffi::error::tasklist_error;
use crate::ffi::tasklist_status;
use std::cell::{Cell, RefCell};

use std::panic::UnwindSafe;
use std::sync::Once;

/// Runs a fallible body: `*err_out` is cleared first, a panic becomes `TASKLIST_ERR_PANIC`,
/// and a failure is stored in `*err_out` when the caller passed one.
macro_rules! ffi_status {
    ($err_out:expr, $body:block) => {{
        let err_out: *mut *mut $crate::ffi::error::tasklist_error = $err_out;
        // SAFETY: err_out is NULL or points to writable storage, as documented.
        unsafe { $crate::ffi::handle::clear(err_out) };
        $crate::ffi::boundary::status_of(
            $crate::ffi::boundary::catch(std::panic::AssertUnwindSafe(
                || -> $crate::error::Result<()> { $body },
            )),
            err_out,
        )
    }};
}

/// Runs an infallible body, answering `$on_panic` if it panics.
macro_rules! ffi_value {
    ($on_panic:expr, $body:block) => {{
        $crate::ffi::boundary::value_of(std::panic::AssertUnwindSafe(|| $body), $on_panic)
    }};
}

pub(crate) use ffi_status;
pub(crate) use ffi_value;

pub(crate) fn value_of<T>(body: impl FnOnce() -> T + UnwindSafe, on_panic: T) -> T {
    catch(body).unwrap_or(on_panic)
}

thread_local! {
    /// How many exported calls are running on this thread (a log callback may call in).
    static CALLS_IN_PROGRESS: Cell<u32> = const { Cell::new(0) };
    /// Where the last panic caught on this thread happened, kept by the panic hook.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static QUIET_HOOK: Once = Once::new();

/// Installs, once per process, a panic hook that keeps panics inside libtasklist's calls
/// quiet: the default hook would print them (with a backtrace under `RUST_BACKTRACE=1`) to
/// the host program's stderr, which a library must not write to. The text goes into the
/// error object and the log callback instead. Panics elsewhere in the process still reach
/// the hook that was installed before.
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CALLS_IN_PROGRESS.with(Cell::get) > 0 {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PANIC_LOCATION.with(|p| *p.borrow_mut() = location);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `body` with panics caught and kept quiet (see [`install_quiet_hook`]).
pub(crate) fn catch<T>(body: impl FnOnce() -> T + UnwindSafe) -> std::thread::Result<T> {
    install_quiet_hook();
    CALLS_IN_PROGRESS.with(|c| c.set(c.get() + 1));
    let outcome = std::panic::catch_unwind(body);
    CALLS_IN_PROGRESS.with(|c| c.set(c.get().saturating_sub(1)));
    outcome
}

pub(crate) fn status_of(
    outcome: std::thread::Result<Result<()>>,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    let error = match outcome {
        Ok(Ok(())) => return crate::ffi::TASKLIST_OK,
        Ok(Err(error)) => error,
        Err(panic) => {
            let error = Error::new(
                Code::Panic,
                format!(
                    "a bug inside libtasklist was caught: {}",
                    panic_text(&panic)
                ),
            );
            // A caught panic is a bug worth seeing even where callers only check codes.
            log_panic(&error);
            error
        }
    };
    let code = error.code() as tasklist_status;
    if !err_out.is_null() {
        // SAFETY: checked non-NULL; the caller provides writable storage.
        unsafe { *err_out = tasklist_error::into_raw(error) };
    }
    code
}

fn log_panic(error: &Error) {
    use crate::log::{Level, Record, Target};
    crate::log::emit(Level::Error, || Record {
        level: Level::Error,
        target: Target::Panic,
        method: "",
        path: "",
        status: 0,
        duration_ms: 0,
        retries: 0,
        retry_after_ms: None,
        error: Some(error.code()),
        message: error.message().to_string(),
        line: error.message().to_string(),
    });
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    };
    match PANIC_LOCATION.with(|p| p.borrow_mut().take()) {
        Some(location) => format!("{text} (at {location})"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static HOST_HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);
    const MARK: &str = "boundary test:";

    // The only unit test that panics on purpose or touches the panic hook: the hook is
    // process-wide, so the host's hook is put in place before any call installs ours.
    #[test]
    fn panics_inside_calls_reach_the_error_not_the_host_hook() {
        // Other unit tests panic on purpose on other threads meanwhile: only this test's
        // panics are counted, the rest go on to the default hook.
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let text = info.payload().downcast_ref::<&str>().copied().unwrap_or("");
            if text.starts_with(MARK) {
                HOST_HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
            } else {
                default(info);
            }
        }));
        // The caught panic is also an ERROR log record.
        let sink_lock = crate::log::TEST_SINK_LOCK
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let records = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink_records = std::sync::Arc::clone(&records);
        crate::log::set_sink(
            crate::log::Level::Error,
            Box::new(move |record| {
                if record.message.contains("boom inside") {
                    let r = record;
                    let fields = (r.level, r.target, r.method, r.path.is_empty(), r.status);
                    let texts = (r.error, r.message.clone(), r.line.clone());
                    sink_records.lock().unwrap().push((fields, texts));
                }
            }),
        );
        let mut err: *mut tasklist_error = std::ptr::null_mut();
        let status = status_of(catch(|| -> Result<()> { panic!("boom inside") }), &mut err);
        crate::log::restore_default_sink();
        drop(sink_lock);
        assert_eq!(status, Code::Panic as tasklist_status);
        let records = records.lock().unwrap();
        assert_eq!(records.len(), 1, "{records:?}");
        let (fields, (error, message, line)) = &records[0];
        use crate::log::{Level, Target};
        assert_eq!(*fields, (Level::Error, Target::Panic, "", true, 0));
        assert_eq!(*error, Some(Code::Panic));
        assert!(
            message.starts_with("a bug inside libtasklist was caught: boom inside"),
            "{message}"
        );
        assert_eq!(line, message);
        // SAFETY: status_of just stored a live error, freed right after reading it.
        let message = unsafe {
            let text = CStr::from_ptr(crate::ffi::error::tasklist_error_message(err))
                .to_string_lossy()
                .into_owned();
            crate::ffi::error::tasklist_error_free(err);
            text
        };
        assert!(message.contains("boom inside"), "{message}");
        assert!(
            message.contains("boundary.rs:"),
            "the location is kept: {message}"
        );
        assert_eq!(HOST_HOOK_CALLS.load(Ordering::SeqCst), 0, "nothing printed");

        // A panic outside any call still goes to the host's hook.
        let outside = std::panic::catch_unwind(|| panic!("boundary test: the host's own panic"));
        assert!(outside.is_err());
        assert_eq!(HOST_HOOK_CALLS.load(Ordering::SeqCst), 1);
    }
}
