//! The Orchestration Cluster REST API v2 (Camunda 8.8 and later): its user-task endpoints,
//! its cursor paging by `page.endCursor`, and its RFC 9457 problem bodies. Nothing outside
//! this folder knows a v2 fact.

pub(crate) mod endpoints;
pub(crate) mod pages;
pub(crate) mod problem;

use crate::api::Client;
use crate::error::{Code, Error, Result};
use serde_json::value::RawValue;
use std::time::{Duration, Instant};

/// The first pause between two searches of [`search_until`]; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(50);
const MAX_PAUSE: Duration = Duration::from_millis(500);

/// Searches user tasks until the answer holds at least `min_items` items or `wait` has passed:
/// searches read secondary storage, which lags the commands that changed the tasks. Returns
/// the last answer's text; `Code::Timeout` when the items never came.
pub(crate) fn search_until(
    client: &Client,
    query: Option<&str>,
    min_items: u32,
    wait: Duration,
) -> Result<String> {
    let started = Instant::now();
    let mut pause = FIRST_PAUSE;
    let mut searches = 0u32;
    loop {
        let answer = client.execute(&endpoints::SEARCH_USER_TASKS, &[], &[], query)?;
        searches += 1;
        let held = items_in(&answer)?;
        if held >= min_items as usize {
            return Ok(answer);
        }
        let Some(left) = wait.checked_sub(started.elapsed()).filter(|l| !l.is_zero()) else {
            return Err(Error::new(
                Code::Timeout,
                format!(
                    "POST /v2/user-tasks/search: {held} item(s) after {searches} search(es) in {} ms, \
                     fewer than the {min_items} waited for (searches lag commands; wait longer \
                     or check the filter)",
                    started.elapsed().as_millis()
                ),
            ));
        };
        std::thread::sleep(pause.min(left));
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

fn items_in(answer: &str) -> Result<usize> {
    #[derive(serde::Deserialize)]
    struct Items<'a> {
        #[serde(borrow)]
        items: Vec<&'a RawValue>,
    }
    serde_json::from_str::<Items<'_>>(answer)
        .map(|page| page.items.len())
        .map_err(|e| {
            Error::new(
                Code::Decode,
                format!("a user task search answer has no items array: {e}"),
            )
        })
}
