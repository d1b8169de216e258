//! The REST controllers, one module per API generation. Tasklist v1 is
//! the only one so far; Camunda 8.8's v2 Orchestration Cluster API will
//! sit beside it as `v2`, serving the same store with its own routes,
//! rendering and problem bodies. Only what joins the generations is here.

pub mod v1;

use crate::store::Renderers;

/// Every generation's task renderer, given to the store so that it keeps
/// each task's JSON current for all of them.
pub const RENDERERS: Renderers = Renderers {
    v1: v1::render::task_fields,
};
