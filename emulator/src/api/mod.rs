//! The REST controllers, one module per API generation: Tasklist v1 and
//! the v2 Orchestration Cluster API, serving the same store with their
//! own routes, rendering and problem bodies. Only what joins the
//! generations is here.

pub mod v1;
pub mod v2;

use crate::store::Renderers;

/// Every generation's task renderer, given to the store so that it keeps
/// each task's JSON current for all of them.
pub const RENDERERS: Renderers = Renderers {
    v1: v1::render::task_fields,
    v2: v2::render::task_fields,
    v2_sparse: v2::render::task_fields_sparse,
};
