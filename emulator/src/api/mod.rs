//! The REST controllers, one module per API generation. Tasklist v1 is
//! the only one so far; Camunda 8.8's v2 Orchestration Cluster API will
//! sit beside it as `v2`, serving the same store with its own routes,
//! rendering and problem bodies.

pub mod v1;
