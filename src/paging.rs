//! Walking every page of a task search with `searchAfter`, so callers do not have to learn
//! how `sortValues` cursors work (the most common question about this API).

use crate::client::Client;
use crate::error::{Code, Error, Result};
use crate::json::check_request_body;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Tasklist's default page size.
const DEFAULT_PAGE_SIZE: u64 = 50;
const CURSORS: [&str; 4] = [
    "searchAfter",
    "searchAfterOrEqual",
    "searchBefore",
    "searchBeforeOrEqual",
];

impl Client {
    /// Every task matching `query` (filters and sort kept), as one JSON array, stopping at an
    /// empty or short page or after `max_items` tasks (0 = no limit). Each task's JSON is
    /// passed through unchanged.
    pub fn search_all_tasks(&self, query: Option<&str>, max_items: u32) -> Result<String> {
        let mut query = parse_query(query)?;
        let page_size = match query.get("pageSize") {
            None => DEFAULT_PAGE_SIZE,
            Some(v) => v.as_u64().filter(|n| *n > 0).ok_or_else(|| {
                Error::invalid_argument("pageSize must be a whole number above 0")
            })?,
        };
        let limit = if max_items == 0 {
            u64::MAX
        } else {
            u64::from(max_items)
        };

        let mut tasks: Vec<Box<RawValue>> = Vec::new();
        let mut cursor: Option<Value> = None;
        loop {
            let wanted = page_size.min(limit - tasks.len() as u64);
            query.insert("pageSize".into(), Value::from(wanted));
            if let Some(c) = &cursor {
                query.insert("searchAfter".into(), c.clone());
            }
            let page_text = self.search_tasks(Some(&Value::Object(query.clone()).to_string()))?;
            let page: Vec<Box<RawValue>> = serde_json::from_str(&page_text).map_err(|e| {
                Error::new(
                    Code::Decode,
                    format!("a task search page is not a JSON array: {e}"),
                )
            })?;
            let got = page.len() as u64;
            let next_cursor = match page.last() {
                Some(last) => Some(sort_values(last)?),
                None => None,
            };
            tasks.extend(page);
            if got < wanted || tasks.len() as u64 >= limit {
                break;
            }
            // A server that hands back the cursor it was given would make us loop forever.
            if next_cursor == cursor {
                return Err(Error::new(
                    Code::Decode,
                    "the task search cursor did not advance (the server returned the same page twice)",
                ));
            }
            cursor = next_cursor;
        }
        let mut out =
            String::with_capacity(tasks.iter().map(|t| t.get().len() + 1).sum::<usize>() + 2);
        out.push('[');
        for (i, task) in tasks.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(task.get());
        }
        out.push(']');
        Ok(out)
    }
}

fn parse_query(query: Option<&str>) -> Result<Map<String, Value>> {
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
            let e = parse_query(Some(&q)).unwrap_err();
            assert_eq!(e.code(), Code::InvalidArgument);
            assert!(e.message().contains(cursor));
        }
    }

    #[test]
    fn queries_must_be_objects() {
        assert_eq!(
            parse_query(Some("[]")).unwrap_err().code(),
            Code::InvalidArgument
        );
        assert_eq!(
            parse_query(Some("{")).unwrap_err().code(),
            Code::InvalidJson
        );
        assert!(parse_query(None).unwrap().is_empty());
    }

    #[test]
    fn sort_values_are_required() {
        let task = RawValue::from_string(r#"{"id":"1","sortValues":["5","1"]}"#.into()).unwrap();
        assert_eq!(sort_values(&task).unwrap(), serde_json::json!(["5", "1"]));
        let task = RawValue::from_string(r#"{"id":"1"}"#.into()).unwrap();
        assert_eq!(sort_values(&task).unwrap_err().code(), Code::Decode);
    }
}
