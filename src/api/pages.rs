//! Walking every page of a search, once for every API generation: a [`Pager`] says how a
//! generation pages (v1: `searchAfter` with the last item's `sortValues`; v2 later:
//! `page.after` with `page.endCursor`), and [`Walk`] does the rest with the guarantees a
//! hostile server cannot break: no cursor is followed twice, the page count and the time
//! spent waiting for pages are bounded, and a collected answer is bounded in bytes.

use crate::api::endpoint::Endpoint;
use crate::api::Client;
use crate::error::{Code, Error, Result};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::time::{Duration, Instant};

/// The most pages one walk fetches (5 million tasks at the default page size). It also bounds
/// the set of cursors seen, to a few MiB.
pub(crate) const MAX_PAGES: u64 = 100_000;
/// A walk asks for no further page once it has waited this many request timeouts for pages
/// (10 minutes with the default 60 s).
pub(crate) const DEADLINE_IN_REQUEST_TIMEOUTS: u32 = 10;

/// How one API generation pages a search.
pub(crate) trait Pager {
    /// The search endpoint each page is fetched from.
    fn endpoint(&self) -> &'static Endpoint;
    /// The caller's query as an object, refused when it already holds a cursor.
    fn first_query(&self, query: Option<&str>) -> Result<Map<String, Value>>;
    /// The page size the query asks for (the server's default when it names none).
    fn page_size(&self, query: &Map<String, Value>) -> Result<u64>;
    /// Sets the page size and, after the first page, the cursor to continue from.
    fn set_page(&self, query: &mut Map<String, Value>, size: u64, cursor: Option<&Value>);
    /// One answer's items and the cursor that continues after them (`None`: no more pages).
    fn split(&self, answer: &str) -> Result<(Vec<Box<RawValue>>, Option<Value>)>;
    /// How error messages name a cursor, e.g. "cursor (sortValues of its last task)".
    fn cursor_name(&self) -> &'static str;
}

/// What ends a walk that the server would keep going forever.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bounds {
    /// The largest collected answer (the JSON array of every item) in bytes.
    pub(crate) max_bytes: u64,
    pub(crate) max_pages: u64,
    /// No page is asked for once this much time was spent waiting for pages.
    pub(crate) deadline: Duration,
}

impl Bounds {
    /// The bounds of a client's walks: its response size limit, 100,000 pages and 10 of its
    /// request timeouts.
    pub(crate) fn of(client: &Client) -> Bounds {
        Bounds {
            max_bytes: client.max_response_bytes(),
            max_pages: MAX_PAGES,
            deadline: client
                .request_timeout()
                .saturating_mul(DEADLINE_IN_REQUEST_TIMEOUTS),
        }
    }
}

/// A walk through the pages of one search, one page per step.
pub(crate) struct Walk<P: Pager> {
    pager: P,
    query: Map<String, Value>,
    page_size: u64,
    limit: u64,
    count: u64,
    pages: u64,
    cursor: Option<Value>,
    // Every cursor a page ended with, by a hash of its JSON text, with the page's number:
    // any cursor that comes back (A, B, A, ...) would make the walk go round forever. The
    // hash is keyed per walk, so a server cannot aim for a collision; an accidental one
    // (about 1 in 10^9 for the longest walk) only ends the walk early with this error.
    hasher: RandomState,
    seen: HashMap<u64, u64>,
    waited: Duration,
    bounds: Bounds,
    /// Set once the last page was given, or an error ended the walk (given again on every
    /// later step, so a caller that goes on cannot mistake a broken walk for a finished one).
    ended: Option<Result<()>>,
}

impl<P: Pager> Walk<P> {
    /// Checks the query and prepares the walk; nothing is sent yet. `max_items` 0 means no
    /// limit.
    pub(crate) fn new(
        pager: P,
        query: Option<&str>,
        max_items: u32,
        bounds: Bounds,
    ) -> Result<Self> {
        let query = pager.first_query(query)?;
        let page_size = pager.page_size(&query)?;
        Ok(Walk {
            pager,
            query,
            page_size,
            limit: if max_items == 0 {
                u64::MAX
            } else {
                u64::from(max_items)
            },
            count: 0,
            pages: 0,
            cursor: None,
            hasher: RandomState::new(),
            seen: HashMap::new(),
            waited: Duration::ZERO,
            bounds,
            ended: None,
        })
    }

    /// The next page's items from `client`, or `None` once the walk is over.
    pub(crate) fn next_page(&mut self, client: &Client) -> Result<Option<Vec<Box<RawValue>>>> {
        let endpoint = self.pager.endpoint();
        self.next_with(|query| client.execute(endpoint, &[], &[], Some(query)))
    }

    /// The step itself, with `fetch` sending one page's query and returning its answer.
    fn next_with(
        &mut self,
        fetch: impl FnOnce(&str) -> Result<String>,
    ) -> Result<Option<Vec<Box<RawValue>>>> {
        match &self.ended {
            Some(Ok(())) => return Ok(None),
            Some(Err(error)) => return Err(error.clone()),
            None => {}
        }
        match self.step(fetch) {
            Ok(page) => Ok(page),
            Err(error) => {
                self.ended = Some(Err(error.clone()));
                Err(error)
            }
        }
    }

    fn step(
        &mut self,
        fetch: impl FnOnce(&str) -> Result<String>,
    ) -> Result<Option<Vec<Box<RawValue>>>> {
        let pages = self.pages;
        if pages > 0 {
            if pages >= self.bounds.max_pages {
                return Err(Error::new(
                    Code::BodyTooLarge,
                    format!(
                        "searching all pages: {pages} pages fetched and the server has \
                         more, but one search of all pages fetches at most {}; use a larger \
                         page size, or max_items",
                        self.bounds.max_pages
                    ),
                ));
            }
            if self.waited >= self.bounds.deadline {
                return Err(Error::new(
                    Code::Timeout,
                    format!(
                        "searching all pages: not done after {} ms and {pages} page(s), \
                         but a search of all pages may take {} ms \
                         ({DEADLINE_IN_REQUEST_TIMEOUTS} times the request timeout); raise the \
                         request timeout or use max_items",
                        self.waited.as_millis(),
                        self.bounds.deadline.as_millis()
                    ),
                ));
            }
        }
        let wanted = self.page_size.min(self.limit - self.count);
        self.pager
            .set_page(&mut self.query, wanted, self.cursor.as_ref());
        let started = Instant::now();
        let answer = fetch(&Value::Object(self.query.clone()).to_string());
        self.waited += started.elapsed();
        let (mut items, next_cursor) = self.pager.split(&answer?)?;
        self.pages += 1;
        let got = items.len() as u64;
        // A server that sends more than asked for must not take the walk past max_items.
        items.truncate(usize::try_from(self.limit - self.count).unwrap_or(usize::MAX));
        self.count += items.len() as u64;
        let last = got < wanted || self.count >= self.limit;
        match next_cursor {
            Some(cursor) if !last => {
                let key = self.hasher.hash_one(cursor.to_string());
                if let Some(first) = self.seen.insert(key, self.pages) {
                    return Err(Error::new(
                        Code::Decode,
                        format!(
                            "the server repeated a search cursor: page {} repeated the {} of \
                             page {first}, so the search of all pages would never end",
                            self.pages,
                            self.pager.cursor_name()
                        ),
                    ));
                }
                self.cursor = Some(cursor);
            }
            _ => self.ended = Some(Ok(())),
        }
        Ok(Some(items))
    }

    /// Every remaining item as one JSON array, each item's JSON as the server sent it,
    /// bounded by the response size limit as a whole.
    pub(crate) fn collect(mut self, client: &Client) -> Result<String> {
        let endpoint = self.pager.endpoint();
        self.collect_with(|query| client.execute(endpoint, &[], &[], Some(query)))
    }

    fn collect_with(&mut self, mut fetch: impl FnMut(&str) -> Result<String>) -> Result<String> {
        // The answer is built as the pages come, so its size is known at every step.
        let mut out = String::from("[");
        let mut count: u64 = 0;
        while let Some(items) = self.next_with(&mut fetch)? {
            for item in &items {
                let added = item.get().len() + usize::from(count > 0);
                if (out.len() + added + 1) as u64 > self.bounds.max_bytes {
                    return Err(too_large(
                        out.len() + added + 1,
                        self.pages,
                        self.bounds.max_bytes,
                    ));
                }
                if count > 0 {
                    out.push(',');
                }
                out.push_str(item.get());
                count += 1;
            }
        }
        out.push(']');
        Ok(out)
    }
}

/// One page's items as a JSON array, each item as the server sent it.
pub(crate) fn page_text(items: &[Box<RawValue>]) -> String {
    let mut out = String::with_capacity(2 + items.iter().map(|i| i.get().len() + 1).sum::<usize>());
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item.get());
    }
    out.push(']');
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::v1::pages::TaskPages;

    /// The old shape of these tests: a whole v1 walk over `fetch`.
    fn walk(
        query: Option<&str>,
        max_items: u32,
        bounds: Bounds,
        fetch: impl FnMut(&str) -> Result<String>,
    ) -> Result<String> {
        Walk::new(TaskPages, query, max_items, bounds)?.collect_with(fetch)
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
}
