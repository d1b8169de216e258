//! How Tasklist v1 pages a task search: `searchAfter` set to the `sortValues` of the last
//! task of the page before, `pageSize` 50 unless asked otherwise, and a short page at the end.

use crate::api::body::check_request_body;
use crate::api::endpoint::Endpoint;
use crate::api::pages::Pager;
use crate::api::v1::endpoints::SEARCH_TASKS;
use crate::error::{Code, Error, Result};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Tasklist's default page size.
const DEFAULT_PAGE_SIZE: u64 = 50;
/// The query fields that position a page; a walk sets them itself.
const CURSORS: [&str; 4] = [
    "searchAfter",
    "searchAfterOrEqual",
    "searchBefore",
    "searchBeforeOrEqual",
];

/// The pages of `POST /v1/tasks/search`.
pub(crate) struct TaskPages;

impl Pager for TaskPages {
    fn endpoint(&self) -> &'static Endpoint {
        &SEARCH_TASKS
    }

    fn first_query(&self, query: Option<&str>) -> Result<Map<String, Value>> {
        let Some(text) = query else {
            return Ok(Map::new());
        };
        check_request_body(text, "query")?;
        let Value::Object(map) = serde_json::from_str::<Value>(text).map_err(|e| {
            Error::new(
                Code::InvalidJson,
                format!("the query is not valid JSON: {e}"),
            )
        })?
        else {
            return Err(Error::invalid_argument("the query must be a JSON object"));
        };
        if let Some(cursor) = CURSORS.iter().find(|c| map.contains_key(**c)) {
            return Err(Error::invalid_argument(format!(
                "the query already holds the cursor '{cursor}'; searching all pages sets it itself"
            )));
        }
        Ok(map)
    }

    fn page_size(&self, query: &Map<String, Value>) -> Result<u64> {
        match query.get("pageSize") {
            None => Ok(DEFAULT_PAGE_SIZE),
            Some(v) => v
                .as_u64()
                .filter(|n| *n > 0)
                .ok_or_else(|| Error::invalid_argument("pageSize must be a whole number above 0")),
        }
    }

    fn set_page(&self, query: &mut Map<String, Value>, size: u64, cursor: Option<&Value>) {
        query.insert("pageSize".into(), Value::from(size));
        if let Some(cursor) = cursor {
            query.insert("searchAfter".into(), cursor.clone());
        }
    }

    fn split(&self, answer: &str) -> Result<(Vec<Box<RawValue>>, Option<Value>)> {
        let tasks: Vec<Box<RawValue>> = serde_json::from_str(answer).map_err(|e| {
            Error::new(
                Code::Decode,
                format!("a task search page is not a JSON array: {e}"),
            )
        })?;
        let cursor = match tasks.last() {
            Some(last) => Some(sort_values(last)?),
            None => None,
        };
        Ok((tasks, cursor))
    }

    fn cursor_name(&self) -> &'static str {
        "cursor (sortValues of its last task)"
    }
}

fn sort_values(task: &RawValue) -> Result<Value> {
    #[derive(serde::Deserialize)]
    struct Cursor {
        #[serde(rename = "sortValues")]
        sort_values: Option<Value>,
    }
    let cursor: Cursor = serde_json::from_str(task.get()).map_err(|e| {
        Error::new(
            Code::Decode,
            format!("a task in the search answer is not an object: {e}"),
        )
    })?;
    match cursor.sort_values {
        Some(v @ Value::Array(_)) => Ok(v),
        _ => Err(Error::new(
            Code::Decode,
            "a task in the search answer has no sortValues to continue from",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_with_a_cursor_are_refused() {
        for cursor in CURSORS {
            let q = format!(r#"{{"{cursor}":["1","2"]}}"#);
            let e = TaskPages.first_query(Some(&q)).unwrap_err();
            assert_eq!(e.code(), Code::InvalidArgument);
            assert!(e.message().contains(cursor));
        }
    }

    #[test]
    fn queries_must_be_objects() {
        assert_eq!(
            TaskPages.first_query(Some("[]")).unwrap_err().code(),
            Code::InvalidArgument
        );
        assert_eq!(
            TaskPages.first_query(Some("{")).unwrap_err().code(),
            Code::InvalidJson
        );
        assert!(TaskPages.first_query(None).unwrap().is_empty());
    }

    #[test]
    fn sort_values_are_required() {
        let task = RawValue::from_string(r#"{"id":"1","sortValues":["5","1"]}"#.into()).unwrap();
        assert_eq!(sort_values(&task).unwrap(), serde_json::json!(["5", "1"]));
        let task = RawValue::from_string(r#"{"id":"1"}"#.into()).unwrap();
        assert_eq!(sort_values(&task).unwrap_err().code(), Code::Decode);
    }
}
