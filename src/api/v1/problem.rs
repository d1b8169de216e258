//! Tasklist v1's error bodies: `{"status":400,"message":"...","instance":"..."}` from its
//! controllers, Spring's `{"error":"Forbidden",...}` from filters (CSRF, for one), and the
//! RFC 9457 `detail` that 8.8's combined application may send for a v1 path.

use crate::api::endpoint::{Api, Generation};
use crate::transport::retry::status_only;

pub(crate) static TASKLIST_V1: Generation = Generation {
    server: "Tasklist",
    problem: summary,
    numeric_keys: false,
    refusal: status_only,
    api: Api::TasklistV1,
};

/// The human part of a v1 error body, if it has one.
fn summary(body: &str) -> Option<String> {
    crate::api::first_text_field(body, &["message", "error", "detail"])
}
