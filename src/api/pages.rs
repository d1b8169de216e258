//! Walking every page of a task search with `searchAfter`, so callers do not have to learn
//! how `sortValues` cursors work (the most common question about this API).

use crate::api::body::check_request_body;
use crate::api::Client;
use crate::error::{Code, Error, Result};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::time::{Duration, Instant};

/// Tasklist's default page size.
const DEFAULT_PAGE_SIZE: u64 = 50;
const CURSORS: [&str; 4] = [
    "searchAfter",
    "searchAfterOrEqual",
    "searchBefore",
    "searchBeforeOrEqual",
];
/// The most pages one walk fetches (5 million tasks at the default page size). It also bounds
/// the set of cursors seen, to a few MiB.
pub(crate) const MAX_PAGES: u64 = 100_000;
/// A walk asks for no further page once this many request timeouts have passed since it
/// began (10 minutes with the default 60 s).
pub(crate) const DEADLINE_IN_REQUEST_TIMEOUTS: u32 = 10;

/// What ends a walk that the server would keep going forever.
#[derive(Clone, Copy, Debug)]
struct Bounds {
    /// The largest answer (the JSON array of every task) in bytes.
    max_bytes: u64,
    max_pages: u64,
    /// No page is asked for once this much time has passed since the walk began.
    deadline: Duration,
}

impl Client {
    /// Every task matching `query` (filters and sort kept), as one JSON array, stopping at an
    /// empty or short page or after `max_items` tasks (0 = no limit). Each task's JSON is
    /// passed through unchanged.
    ///
    /// A walk the server would keep going ends with an error: a repeated cursor
    /// ([`Code::Decode`]), a whole answer above the response size limit or a walk of more
    /// than 100,000 pages ([`Code::BodyTooLarge`]), or a walk still going after 10 request
    /// timeouts ([`Code::Timeout`]).
    pub fn search_all_tasks(&self, query: Option<&str>, max_items: u32) -> Result<String> {
        let bounds = Bounds {
            max_bytes: self.max_response_bytes(),
            max_pages: MAX_PAGES,
            deadline: self
                .request_timeout()
                .saturating_mul(DEADLINE_IN_REQUEST_TIMEOUTS),
        };
        walk(query, max_items, bounds, |page_query| {
            self.search_tasks(Some(page_query))
        })
    }
}

/// The walk itself, with `fetch` sending one page's query and returning its answer.
fn walk(
    query: Option<&str>,
    max_items: u32,
    bounds: Bounds,
    mut fetch: impl FnMut(&str) -> Result<String>,
) -> Result<String> {
    let started = Instant::now();
    let mut query = parse_query(query)?;
    let page_size = match query.get("pageSize") {
        None => DEFAULT_PAGE_SIZE,
        Some(v) => v
            .as_u64()
            .filter(|n| *n > 0)
            .ok_or_else(|| Error::invalid_argument("pageSize must be a whole number above 0"))?,
    };
    let limit = if max_items == 0 {
        u64::MAX
    } else {
        u64::from(max_items)
    };

    // The answer is built as the pages come, so its size is known at every step.
    let mut out = String::from("[");
    let mut count: u64 = 0;
    // Every cursor a page ended with, by a hash of its JSON text, with the page's number:
    // any cursor that comes back (A, B, A, ...) would make the walk go round forever. The
    // hash is keyed per walk, so a server cannot aim for a collision; an accidental one
    // (about 1 in 10^9 for the longest walk) only ends the walk early with this error.
    let hasher = RandomState::new();
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let mut cursor: Option<Value> = None;
    let mut pages: u64 = 0;
    loop {
        if pages > 0 {
            if pages >= bounds.max_pages {
                return Err(Error::new(
                    Code::BodyTooLarge,
                    format!(
                        "searching all pages: {pages} pages fetched and the server has \
                         more, but one search of all pages fetches at most {}; use a larger \
                         pageSize, or max_items",
                        bounds.max_pages
                    ),
                ));
            }
            if started.elapsed() >= bounds.deadline {
                return Err(Error::new(
                    Code::Timeout,
                    format!(
                        "searching all pages: not done after {} ms and {pages} page(s), \
                         but a search of all pages may take {} ms \
                         ({DEADLINE_IN_REQUEST_TIMEOUTS} times the request timeout); raise the \
                         request timeout or use max_items",
                        started.elapsed().as_millis(),
                        bounds.deadline.as_millis()
                    ),
                ));
            }
        }
        let wanted = page_size.min(limit - count);
        query.insert("pageSize".into(), Value::from(wanted));
        if let Some(c) = &cursor {
            query.insert("searchAfter".into(), c.clone());
        }
        let page_text = fetch(&Value::Object(query.clone()).to_string())?;
        pages += 1;
        let mut page: Vec<Box<RawValue>> = serde_json::from_str(&page_text).map_err(|e| {
            Error::new(
                Code::Decode,
                format!("a task search page is not a JSON array: {e}"),
            )
        })?;
        drop(page_text);
        let got = page.len() as u64;
        let next_cursor = match page.last() {
            Some(last) => Some(sort_values(last)?),
            None => None,
        };
        // A server that sends more than asked for must not take the answer past max_items.
        page.truncate(usize::try_from(limit - count).unwrap_or(usize::MAX));
        for task in &page {
            let added = task.get().len() + usize::from(count > 0);
            if (out.len() + added + 1) as u64 > bounds.max_bytes {
                return Err(too_large(out.len() + added + 1, pages, bounds.max_bytes));
            }
            if count > 0 {
                out.push(',');
            }
            out.push_str(task.get());
            count += 1;
        }
        if got < wanted || count >= limit {
            break;
        }
        let Some(next_cursor) = next_cursor else {
            break; // not reached: a full page is not empty
        };
        let key = hasher.hash_one(next_cursor.to_string());
        if let Some(first) = seen.insert(key, pages) {
            return Err(Error::new(
                Code::Decode,
                format!(
                    "the server repeated a task search cursor: page {pages} repeated the cursor \
                     (sortValues of its last task) of page {first}, so the search of all pages \
                     would never end"
                ),
            ));
        }
        cursor = Some(next_cursor);
    }
    out.push(']');
    Ok(out)
}

fn too_large(size: usize, pages: u64, limit: u64) -> Error {
    Error::new(
        Code::BodyTooLarge,
        format!(
            "searching all pages: after {pages} page(s) the whole answer would take at least \
             {size} bytes, more than the response size limit of {limit} bytes (which bounds \
             the total of all pages); raise max_response_bytes \
             (tasklist_options_set_max_response_bytes) or stop earlier with max_items"
        ),
    )
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

    const ROOMY: Bounds = Bounds {
        max_bytes: u64::MAX,
        max_pages: MAX_PAGES,
        deadline: Duration::from_secs(600),
    };

    /// A page of `size` tasks whose last one ends with the cursor `[n]`.
    fn page(size: u64, n: u64) -> String {
        let tasks: Vec<String> = (0..size)
            .map(|i| format!(r#"{{"id":"{n}-{i}","sortValues":[{n}]}}"#))
            .collect();
        format!("[{}]", tasks.join(","))
    }

    /// A server whose cursors never repeat: page n ends with `[n]`.
    fn endless(query: &str) -> Result<String> {
        let query: Value = serde_json::from_str(query).unwrap();
        let n = query["searchAfter"][0].as_u64().map_or(1, |n| n + 1);
        Ok(page(query["pageSize"].as_u64().unwrap(), n))
    }

    #[test]
    fn any_repeated_cursor_ends_the_walk() {
        // Cursors 1, 2, 3, 1: the repeat is not of the page just before.
        let mut fetched = 0;
        let e = walk(Some(r#"{"pageSize":2}"#), 0, ROOMY, |_| {
            fetched += 1;
            Ok(page(2, [1, 2, 3, 1][(fetched - 1) % 4]))
        })
        .unwrap_err();
        assert_eq!(e.code(), Code::Decode);
        assert!(e.message().contains("page 4 repeated the cursor"), "{e}");
        assert!(e.message().contains("of page 1,"), "{e}");
        assert_eq!(fetched, 4);
    }

    #[test]
    fn the_page_count_is_bounded() {
        let mut fetched = 0;
        let bounds = Bounds {
            max_pages: 7,
            ..ROOMY
        };
        let e = walk(Some(r#"{"pageSize":1}"#), 0, bounds, |q| {
            fetched += 1;
            endless(q)
        })
        .unwrap_err();
        assert_eq!(e.code(), Code::BodyTooLarge);
        assert!(e.message().contains("7 pages fetched"), "{e}");
        assert!(e.message().contains("at most 7;"), "{e}");
        assert_eq!(fetched, 7);
    }

    #[test]
    fn the_walk_has_a_deadline_but_a_finished_walk_is_kept() {
        let bounds = Bounds {
            deadline: Duration::ZERO,
            ..ROOMY
        };
        let mut fetched = 0;
        let e = walk(None, 0, bounds, |q| {
            fetched += 1;
            endless(q)
        })
        .unwrap_err();
        assert_eq!(e.code(), Code::Timeout);
        assert!(e.message().contains("may take 0 ms"), "{e}");
        assert_eq!(fetched, 1, "no page is asked for after the deadline");

        // A walk whose last page came after the deadline is complete: it is returned.
        let all = walk(None, 0, bounds, |_| Ok(page(3, 1))).unwrap();
        assert_eq!(all, page(3, 1));
    }

    #[test]
    fn the_whole_answer_is_bounded_to_the_byte() {
        let whole = walk(Some(r#"{"pageSize":3}"#), 10, ROOMY, endless).unwrap();
        let size = whole.len() as u64;
        let exact = Bounds {
            max_bytes: size,
            ..ROOMY
        };
        assert_eq!(
            walk(Some(r#"{"pageSize":3}"#), 10, exact, endless).unwrap(),
            whole
        );
        let short = Bounds {
            max_bytes: size - 1,
            ..ROOMY
        };
        let e = walk(Some(r#"{"pageSize":3}"#), 10, short, endless).unwrap_err();
        assert_eq!(e.code(), Code::BodyTooLarge);
        assert!(
            e.message()
                .contains(&format!("limit of {} bytes", size - 1)),
            "{e}"
        );
    }

    #[test]
    fn answers_are_kept_whole_and_in_order() {
        let all = walk(Some(r#"{"pageSize":2}"#), 5, ROOMY, endless).unwrap();
        let ids: Vec<String> = serde_json::from_str::<Vec<Value>>(&all)
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, ["1-0", "1-1", "2-0", "2-1", "3-0"]);
        // A server sending more than asked for does not take the answer past max_items.
        let all = walk(None, 4, ROOMY, |_| Ok(page(9, 1))).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Value>>(&all).unwrap().len(), 4);
        assert_eq!(walk(None, 0, ROOMY, |_| Ok("[]".into())).unwrap(), "[]");
    }

    #[test]
    fn error_messages_name_the_bound() {
        for (bounds, code) in [
            (
                Bounds {
                    max_bytes: 200,
                    ..ROOMY
                },
                Code::BodyTooLarge,
            ),
            (
                Bounds {
                    max_pages: 3,
                    ..ROOMY
                },
                Code::BodyTooLarge,
            ),
            (
                Bounds {
                    deadline: Duration::ZERO,
                    ..ROOMY
                },
                Code::Timeout,
            ),
        ] {
            let e = walk(None, 0, bounds, endless).unwrap_err();
            assert_eq!(e.code(), code);
            assert!(e.message().starts_with("searching all pages"), "{e}");
            assert!(e.message().contains("max_items"), "{e}");
            eprintln!("{e}");
        }
    }

    #[test]
    fn sort_values_are_required() {
        let task = RawValue::from_string(r#"{"id":"1","sortValues":["5","1"]}"#.into()).unwrap();
        assert_eq!(sort_values(&task).unwrap(), serde_json::json!(["5", "1"]));
        let task = RawValue::from_string(r#"{"id":"1"}"#.into()).unwrap();
        assert_eq!(sort_values(&task).unwrap_err().code(), Code::Decode);
    }
}
