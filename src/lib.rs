//! # libtasklist
//!
//! A client for the Camunda 8 Tasklist REST API (v1), with a C ABI (`include/tasklist.h`) for
//! C, C++, Python (ctypes) and Go (cgo).
//!
//! The crate has two layers:
//! - a safe Rust core ([`Client`], [`Config`], [`Error`]) that authenticates (OAuth 2.0
//!   client credentials, cookie login, or a fixed bearer token), sends requests with explicit
//!   timeouts and idempotency-aware retries, and returns the server's JSON text unchanged;
//! - `ffi`, the C surface: the only module with `unsafe` and `extern "C"`, where every
//!   exported function checks its pointers, catches panics, and reports errors through an
//!   out-parameter (never a thread-local "last error").
//!
//! ## Ownership
//! Strings passed in are borrowed for the call. Strings returned through `char **` belong to
//! the caller and are freed with `tasklist_string_free`; errors with `tasklist_error_free`.
//!
//! ## Threads
//! A client is internally synchronized: one client may serve many threads at once. Only one
//! token fetch or login is in flight per client at any time; other threads wait for it and
//! share its result. Options objects are not synchronized.
//!
//! ## Errors
//! Every failure has a stable [`Code`] (the `TASKLIST_*` status numbers of the header), a
//! one-line message without secrets, the HTTP status when there was an answer, and the
//! server's body when it sent one.

mod api;
mod auth;
mod config;
mod error;
pub mod log;
mod secret;
mod transport;

pub mod ffi;

pub use api::Client;
pub use auth::cookie_session::{ORCHESTRATION_LOGIN_PATH, TASKLIST_LOGIN_PATH};
pub use auth::token_request::DEFAULT_AUDIENCE;
pub use config::{Config, TokenFormat};
pub use error::{Code, Error, Result};

/// Reads a configuration from the environment variables of Camunda's own clients
/// (see `docs/configuration.md` for the names and their precedence).
pub fn config_from_env() -> Result<Config> {
    config::env::config_from(|name| std::env::var(name).ok())
}

/// The library version, e.g. "0.1.0".
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
