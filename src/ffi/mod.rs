//! The C surface of libtasklist: the only module with `unsafe` and `extern "C"`.
//! `include/tasklist.h` is generated from these files by cbindgen; their doc comments are the
//! header's documentation.

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)] // documented per function in the header's words

// Modules in the order a program meets them, which is also the header's order (cbindgen
// follows these declarations; the blank-line groups keep rustfmt from sorting them).

// Plumbing that exports nothing: the panic boundary, handles, strings.
pub(crate) mod boundary;

pub(crate) mod handle;

pub mod strings;

// Which library this is.
pub mod version;

// What a failure looks like.
pub mod error;

// Configuring, then creating a client.
pub mod options;

pub mod client;

// Calls: the generic request, paging, then each API generation's endpoints.
pub mod call;

pub mod pages;

pub mod v1;

pub mod v2;

// Where the library's log lines go.
pub mod log;

pub use call::*;
pub use client::*;
pub use error::*;
pub use log::*;
pub use options::*;
pub use pages::*;
pub use strings::*;
pub use v1::*;
pub use v2::*;
pub use version::*;

/// The result of every fallible function: 0 (`TASKLIST_OK`) on success, otherwise one of the
/// `TASKLIST_ERR_*` codes. Codes are stable numbers, never renumbered or reused; programs
/// should treat an unknown number like `TASKLIST_ERR_INTERNAL`.
pub type tasklist_status = i32;

// The status codes, declared once in `crate::error` (build.rs writes them into the header).
pub use crate::error::c_constants::*;

/// Token request body encoding: `application/x-www-form-urlencoded` (RFC 6749; Keycloak,
/// Identity, Entra ID, Camunda SaaS). The default.
pub const TASKLIST_TOKEN_FORMAT_FORM: u32 = 0;
/// Token request body encoding: `application/json`, as the Camunda 8.4 SaaS guide shows.
pub const TASKLIST_TOKEN_FORMAT_JSON: u32 = 1;

/// OAuth client authentication `client_secret_post`: `client_id` and `client_secret` travel
/// in the token request body. The default.
pub const TASKLIST_CLIENT_AUTH_POST: u32 = 0;
/// OAuth client authentication `client_secret_basic`: `Authorization: Basic
/// base64(urlencode(client_id):urlencode(client_secret))`, and no secret in the body.
pub const TASKLIST_CLIENT_AUTH_BASIC: u32 = 1;
/// Log level: a bug inside the library, caught at the C boundary (`TASKLIST_ERR_PANIC`).
pub const TASKLIST_LOG_ERROR: u32 = 1;
/// Log level: calls that failed or met 5xx/429 answers.
pub const TASKLIST_LOG_WARN: u32 = 2;
/// Log level: one line per HTTP exchange (method, path, status, duration, retries).
pub const TASKLIST_LOG_INFO: u32 = 3;
/// Log level: also every retry and its wait.
pub const TASKLIST_LOG_DEBUG: u32 = 4;

/// Bumped on every change that breaks the ABI; equals `tasklist_abi_version()` of a
/// compatible library.
pub const TASKLIST_ABI_VERSION: u32 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_level_constants_match_the_core_levels() {
        use crate::log::Level;
        assert_eq!(TASKLIST_LOG_ERROR, Level::Error as u32);
        assert_eq!(TASKLIST_LOG_WARN, Level::Warn as u32);
        assert_eq!(TASKLIST_LOG_INFO, Level::Info as u32);
        assert_eq!(TASKLIST_LOG_DEBUG, Level::Debug as u32);
    }
}
