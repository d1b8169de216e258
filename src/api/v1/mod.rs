//! Tasklist REST API v1 (Camunda 8.3 to 8.9; removed in 8.10): its endpoints, its paging by
//! `sortValues` and its problem bodies. Nothing outside this folder knows a v1 fact.

pub(crate) mod endpoints;
pub(crate) mod pages;
pub(crate) mod problem;
