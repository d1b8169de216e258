//! `tasklist_pages`: a search walked one page at a time, for programs that process tasks as
//! they come instead of holding all of them (`tasklist_search_all_tasks` collects the same
//! walk into one array). The Python and Go iterators are thin wrappers of these functions.

use crate::api::pages::{page_text, Bounds, Pager, Walk};
use crate::api::v1::pages::TaskPages;
use crate::api::v2::pages::UserTaskPages;
use crate::api::Client;
use crate::error::Result;
use crate::ffi::boundary::{ffi_status, ffi_value};
use crate::ffi::call::respond;
use crate::ffi::client::tasklist_client;
use crate::ffi::error::tasklist_error;
use crate::ffi::handle::{free_handle, into_handle, object, object_mut, out_param};
use crate::ffi::strings::{give_string, optional_text};
use crate::ffi::tasklist_status;
use std::ffi::c_char;
use std::sync::Arc;

/// The pages of one search, walked in order. Not thread-safe: one thread at a time (it may
/// move between threads). It holds its own reference to the client's connections, token and
/// session, so the client may be freed before it.
pub struct tasklist_pages {
    client: Arc<Client>,
    walk: Box<dyn PageSource + Send>,
}

/// A walk of any generation's search, seen from the C edge.
trait PageSource {
    fn next_page(&mut self, client: &Client) -> crate::error::Result<Option<String>>;
}

/// Both generations' constructors: check the arguments, prepare the walk, hand it over.
unsafe fn start<P: Pager + Send + 'static>(
    pager: P,
    client: *const tasklist_client,
    query_json: *const c_char,
    max_items: u32,
    pages_out: *mut *mut tasklist_pages,
) -> Result<()> {
    let out = out_param(pages_out, "pages_out")?;
    let query = optional_text(query_json, "query_json")?;
    let client = object(client, "client")?;
    let walk = Walk::new(pager, query, max_items, Bounds::of(&client.inner))?;
    *out = into_handle(tasklist_pages {
        client: Arc::clone(&client.inner),
        walk: Box::new(walk),
    });
    Ok(())
}

/// Both generations' every-page searches: one walk collected into one JSON array.
pub(crate) unsafe fn collect_pages<P: Pager>(
    pager: P,
    client: *const tasklist_client,
    query_json: *const c_char,
    max_items: u32,
    json_out: *mut *mut c_char,
) -> Result<()> {
    let out = out_param(json_out, "json_out")?;
    let query = optional_text(query_json, "query_json")?;
    respond(client, out, |c| {
        Walk::new(pager, query, max_items, Bounds::of(c))?.collect(c)
    })
}

impl<P: Pager> PageSource for Walk<P> {
    fn next_page(&mut self, client: &Client) -> crate::error::Result<Option<String>> {
        Ok(Walk::next_page(self, client)?.map(|items| page_text(&items)))
    }
}

/// Starts walking the pages of a task search (`POST /v1/tasks/search`) with `query_json`
/// (NULL means `{}`; filters, sort and `pageSize` are kept; it must not hold `searchAfter`,
/// `searchAfterOrEqual`, `searchBefore` or `searchBeforeOrEqual`: `TASKLIST_ERR_INVALID_ARGUMENT`).
/// `max_items` ends the walk after that many tasks (0 = no limit). Nothing is sent yet.
///
/// On success `*pages_out` is a new iterator that the caller frees with `tasklist_pages_free`.
/// Statuses: `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, `TASKLIST_ERR_INVALID_UTF8`,
/// `TASKLIST_ERR_INVALID_JSON`, `TASKLIST_ERR_INVALID_ARGUMENT` (a query that is not an object,
/// holds a cursor, or has a `pageSize` that is not a whole number above 0).
#[no_mangle]
pub unsafe extern "C" fn tasklist_pages_new(
    client: *const tasklist_client,
    query_json: *const c_char,
    max_items: u32,
    pages_out: *mut *mut tasklist_pages,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        start(TaskPages, client, query_json, max_items, pages_out)
    })
}

/// Starts walking the pages of a v2 user-task search (`POST /v2/user-tasks/search`) with
/// `query_json` (NULL means `{}`; `filter`, `sort` and `page.limit` (default 100) are kept; it
/// must not hold `page.after`, `page.before` or `page.from`: `TASKLIST_ERR_INVALID_ARGUMENT`).
/// `max_items` ends the walk after that many tasks (0 = no limit). Nothing is sent yet. Each
/// `tasklist_pages_next` then gives one page's `items` as a JSON array and follows
/// `page.endCursor` into `page.after`; the walk ends at an empty or short page or a null
/// cursor. Freed with `tasklist_pages_free`; statuses as for `tasklist_pages_new`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_v2_pages_new(
    client: *const tasklist_client,
    query_json: *const c_char,
    max_items: u32,
    pages_out: *mut *mut tasklist_pages,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        start(UserTaskPages, client, query_json, max_items, pages_out)
    })
}

/// Fetches the next page of either generation's walk: `*page_json_out` is a JSON array of its
/// tasks (each as the server sent it; owned by the caller, freed with `tasklist_string_free`),
/// or NULL with `TASKLIST_OK` once the walk is over (after an empty or short page, a null v2
/// cursor, or `max_items` tasks). Each call sends one search: v1 with `searchAfter` set to the
/// `sortValues` of the last task before, v2 with `page.after` set to the last `endCursor`;
/// with the client's authentication, retries and timeouts.
///
/// A server cannot keep the walk going forever: a page that ends with the cursor of any
/// earlier page is `TASKLIST_ERR_DECODE`; more than 100,000 pages is
/// `TASKLIST_ERR_BODY_TOO_LARGE`; once the walk has waited 10 request timeouts for pages in
/// total, no further page is asked for (`TASKLIST_ERR_TIMEOUT`). Each page is bounded by the
/// response size limit. An error ends the walk: every later call returns the same error.
/// Other statuses as for `tasklist_search_tasks`.
///
/// Not thread-safe for one iterator; different iterators may be used from different threads.
#[no_mangle]
pub unsafe extern "C" fn tasklist_pages_next(
    pages: *mut tasklist_pages,
    page_json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let out = out_param(page_json_out, "page_json_out")?;
        let pages = object_mut(pages, "pages")?;
        match pages.walk.next_page(&pages.client)? {
            Some(page) => give_string(out, page),
            None => Ok(()),
        }
    })
}

/// Frees an iterator (any time, finished or not). NULL is accepted and ignored. Must be
/// called exactly once, after every other call on this iterator has returned.
#[no_mangle]
pub unsafe extern "C" fn tasklist_pages_free(pages: *mut tasklist_pages) {
    ffi_value!((), { free_handle(pages) })
}
