//! How v2 pages a search: `page.after` set to the previous answer's `page.endCursor`,
//! `page.limit` 100 unless asked otherwise, and an end at an empty or short page or a null
//! cursor.

use crate::api::body::check_request_body;
use crate::api::endpoint::Endpoint;
use crate::api::pages::Pager;
use crate::api::v2::endpoints::SEARCH_USER_TASKS;
use crate::error::{Code, Error, Result};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The servers' default page size.
const DEFAULT_LIMIT: u64 = 100;
/// Page fields that position a page (or switch to offset paging); a walk sets `after` itself.
const POSITIONS: [&str; 3] = ["after", "before", "from"];

/// The pages of `POST /v2/user-tasks/search`.
pub(crate) struct UserTaskPages;

impl Pager for UserTaskPages {
    fn endpoint(&self) -> &'static Endpoint {
        &SEARCH_USER_TASKS
    }

    fn first_query(&self, query: Option<&str>) -> Result<Map<String, Value>> {
        let Some(text) = query else {
            return Ok(Map::new());
        };
        check_request_body(text, "query")?;
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
            return Err(Error::invalid_argument("the query must be a JSON object"));
        };
        match map.get("page") {
            None => {}
            Some(Value::Object(page)) => {
                if let Some(field) = POSITIONS.iter().find(|f| page.contains_key(**f)) {
                    return Err(Error::invalid_argument(format!(
                        "the query already holds page.{field}; searching all pages sets the \
                         cursor itself"
                    )));
                }
            }
            Some(_) => {
                return Err(Error::invalid_argument(
                    "the query's page must be an object",
                ))
            }
        }
        Ok(map)
    }

    fn page_size(&self, query: &Map<String, Value>) -> Result<u64> {
        match query.get("page").and_then(|p| p.get("limit")) {
            None => Ok(DEFAULT_LIMIT),
            Some(v) => v.as_u64().filter(|n| *n > 0).ok_or_else(|| {
                Error::invalid_argument("page.limit must be a whole number above 0")
            }),
        }
    }

    fn set_page(&self, query: &mut Map<String, Value>, size: u64, cursor: Option<&Value>) {
        let page = query
            .entry("page")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(page) = page {
            page.insert("limit".into(), Value::from(size));
            if let Some(cursor) = cursor {
                page.insert("after".into(), cursor.clone());
            }
        }
    }

    fn split(&self, answer: &str) -> Result<(Vec<Box<RawValue>>, Option<Value>)> {
        #[derive(serde::Deserialize)]
        struct Answer {
            items: Vec<Box<RawValue>>,
            page: Option<PageInfo>,
        }
        #[derive(serde::Deserialize)]
        struct PageInfo {
            #[serde(rename = "endCursor")]
            end_cursor: Option<Value>,
        }
        let answer: Answer = serde_json::from_str(answer).map_err(|e| {
            Error::new(
                Code::Decode,
                format!("a user task search page is not {{\"items\":[...],\"page\":{{...}}}}: {e}"),
            )
        })?;
        let cursor = match answer.page.and_then(|p| p.end_cursor) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(cursor @ Value::String(_)) => Some(cursor),
            Some(_) => {
                return Err(Error::new(
                    Code::Decode,
                    "page.endCursor of a user task search is not a string",
                ))
            }
        };
        Ok((answer.items, cursor))
    }

    fn cursor_name(&self) -> &'static str {
        "cursor (page.endCursor)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_that_positions_its_page_is_refused() {
        for field in POSITIONS {
            let q = format!(r#"{{"page":{{"{field}":"x"}}}}"#);
            let e = UserTaskPages.first_query(Some(&q)).unwrap_err();
            assert!(e.message().contains(field), "{e}");
        }
        assert!(UserTaskPages
            .first_query(Some(r#"{"page":{"limit":5}}"#))
            .is_ok());
    }

    #[test]
    fn the_next_page_starts_after_the_end_cursor_and_a_null_cursor_ends() {
        let mut query = UserTaskPages
            .first_query(Some(r#"{"filter":{"state":"CREATED"},"page":{"limit":2}}"#))
            .unwrap();
        assert_eq!(UserTaskPages.page_size(&query).unwrap(), 2);
        UserTaskPages.set_page(&mut query, 2, Some(&Value::from("abc")));
        assert_eq!(
            Value::Object(query).to_string(),
            r#"{"filter":{"state":"CREATED"},"page":{"after":"abc","limit":2}}"#
        );
        let (items, cursor) = UserTaskPages
            .split(r#"{"items":[{"userTaskKey":"1"}],"page":{"totalItems":1,"endCursor":null}}"#)
            .unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(cursor, None);
        let (_, cursor) = UserTaskPages
            .split(r#"{"items":[],"page":{"totalItems":0,"endCursor":"Zm9v"}}"#)
            .unwrap();
        assert_eq!(cursor, Some(Value::from("Zm9v")));
        assert_eq!(UserTaskPages.split("[]").unwrap_err().code(), Code::Decode);
    }
}
