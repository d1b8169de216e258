//! v2 paging: `page` is `{from?, limit?}` (offset), `{after, limit?}` or
//! `{before, limit?}` (cursors; `limit` alone is its own variant from 8.9),
//! `limit` 100 by default. A cursor is base64 of the JSON array of an
//! item's sort values followed by its key (as a string), so it stays
//! valid while items come and go. Results are ordered by the sort fields
//! (empty values last in either direction), then by key ascending.

use super::body::{self, Object};
use super::filter::{Field, Scalar};
use super::problem::Problem;
use crate::json_text::push_json_string;
use crate::profile::Profile;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;
use std::cmp::Ordering;

pub const DEFAULT_LIMIT: usize = 100;
/// What Elasticsearch counts up to; `hasMoreTotalItems` says "at least".
pub const TOTAL_CAP: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    After(Vec<Option<Scalar>>, i64),
    Before(Vec<Option<Scalar>>, i64),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub from: usize,
    pub limit: usize,
    pub cursor: Option<Cursor>,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            from: 0,
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

fn cannot_parse(path: &str) -> Problem {
    Problem::bad_request(format!("Request property [{path}] cannot be parsed"))
}

/// Reads `page` of a search body; `cursors: false` for offset-only
/// searches (effective variables).
pub fn parse(request: &Object, profile: &Profile, cursors: bool) -> Result<PageRequest, Problem> {
    let Some(page) = body::object(request, "page", "")? else {
        return Ok(PageRequest::default());
    };
    let known: &[&str] = if cursors {
        &["from", "limit", "after", "before"]
    } else {
        &["from", "limit"]
    };
    body::closed(page, known, "page")?;
    let from = body::integer(page, "from", "page")?;
    let limit = body::integer(page, "limit", "page")?;
    let after = body::string(page, "after", "page")?;
    let before = body::string(page, "before", "page")?;
    if from.is_some() && (after.is_some() || before.is_some()) {
        return Err(Problem::invalid_argument(
            "Both cursor-based (after/before) and offset-based (from) pagination were provided; use only one.",
        ));
    }
    if after.is_some() && before.is_some() {
        return Err(Problem::invalid_argument(
            "Both after and before cursors were provided; use only one.",
        ));
    }
    if from.is_some_and(|f| f < 0) {
        return Err(Problem::invalid_argument(format!(
            "The value for page.from is '{}' but must be a non-negative number.",
            from.unwrap_or_default()
        )));
    }
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(l) if l < 1 => {
            return Err(Problem::invalid_argument(format!(
                "The value for page.limit is '{l}' but must be a positive number."
            )))
        }
        Some(l) => {
            if let Some(max) = profile.v2_max_page_limit.filter(|_| from.is_none()) {
                if l as u64 > max {
                    return Err(Problem::invalid_argument(format!(
                        "The value for page.limit is '{l}' but must be at most {max}."
                    )));
                }
            }
            l as usize
        }
    };
    let cursor = match (after, before) {
        (Some(text), _) => {
            let (values, key) = decode(&text).ok_or_else(|| cannot_parse("page.after"))?;
            Some(Cursor::After(values, key))
        }
        (_, Some(text)) => {
            let (values, key) = decode(&text).ok_or_else(|| cannot_parse("page.before"))?;
            Some(Cursor::Before(values, key))
        }
        _ => None,
    };
    Ok(PageRequest {
        from: from.unwrap_or(0) as usize,
        limit,
        cursor,
    })
}

pub fn encode(values: &[Option<Field<'_>>], key: i64) -> String {
    let mut json = String::from("[");
    for value in values {
        match value {
            None => json.push_str("null"),
            Some(Field::Int(n)) => json.push_str(&n.to_string()),
            Some(Field::Text(t)) => push_json_string(&mut json, t),
        }
        json.push(',');
    }
    json.push('"');
    json.push_str(&key.to_string());
    json.push_str("\"]");
    STANDARD.encode(json)
}

fn decode(text: &str) -> Option<(Vec<Option<Scalar>>, i64)> {
    let bytes = STANDARD.decode(text.trim()).ok()?;
    let Value::Array(mut items) = serde_json::from_slice(&bytes).ok()? else {
        return None;
    };
    let key = match items.pop()? {
        Value::String(s) => s.parse().ok()?,
        Value::Number(n) => n.as_i64()?,
        _ => return None,
    };
    let values = items
        .into_iter()
        .map(|v| match v {
            Value::Null => Some(None),
            Value::Number(n) => n.as_i64().map(|n| Some(Scalar::Int(n))),
            Value::String(s) => Some(Some(Scalar::Text(s))),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((values, key))
}

/// Empty values sort last whatever the direction.
fn compare_one<A: Ord + ?Sized>(a: Option<&A>, b: Option<&A>, descending: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Greater,
        (_, None) => Ordering::Less,
        (Some(a), Some(b)) if descending => b.cmp(a),
        (Some(a), Some(b)) => a.cmp(b),
    }
}

fn field_cmp(a: &Option<Field<'_>>, b: &Option<Field<'_>>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(Field::Int(x)), Some(Field::Int(y))) => compare_one(Some(x), Some(y), descending),
        (Some(Field::Text(x)), Some(Field::Text(y))) => compare_one(Some(*x), Some(*y), descending),
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Greater,
        (_, None) => Ordering::Less,
        _ => Ordering::Equal,
    }
}

fn field_vs_cursor(a: &Option<Field<'_>>, b: &Option<Scalar>, descending: bool) -> Ordering {
    let b = match b {
        None => None,
        Some(Scalar::Int(n)) => Some(Field::Int(*n)),
        Some(Scalar::Text(t)) => Some(Field::Text(t)),
    };
    field_cmp(a, &b, descending)
}

/// One page of `matched` (already filtered). `descending` holds the
/// direction of each sort field, `sort_values` an item's values for them;
/// `presorted` says `matched` is already in that order.
pub struct Paged<'a, T> {
    pub items: Vec<&'a T>,
    pub total: usize,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

pub fn apply<'a, T>(
    mut matched: Vec<&'a T>,
    presorted: bool,
    descending: &[bool],
    sort_values: impl Fn(&'a T) -> Vec<Option<Field<'a>>>,
    key: impl Fn(&T) -> i64,
    page: &PageRequest,
) -> Paged<'a, T> {
    let total = matched.len();
    let order = |a: &Vec<Option<Field<'a>>>, ka: i64, b: &Vec<Option<Field<'a>>>, kb: i64| {
        a.iter()
            .zip(b)
            .zip(descending)
            .map(|((x, y), d)| field_cmp(x, y, *d))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then(ka.cmp(&kb))
    };
    if !presorted {
        let mut keyed: Vec<(Vec<Option<Field<'a>>>, &'a T)> =
            matched.iter().map(|t| (sort_values(t), *t)).collect();
        keyed.sort_by(|(va, a), (vb, b)| order(va, key(a), vb, key(b)));
        matched = keyed.into_iter().map(|(_, t)| t).collect();
    }
    let vs_cursor = |item: &'a T, values: &[Option<Scalar>], cursor_key: i64| {
        let own = sort_values(item);
        own.iter()
            .zip(values)
            .zip(descending)
            .map(|((x, y), d)| field_vs_cursor(x, y, *d))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then(key(item).cmp(&cursor_key))
    };
    let items: Vec<&'a T> = match &page.cursor {
        None => matched
            .into_iter()
            .skip(page.from)
            .take(page.limit)
            .collect(),
        Some(Cursor::After(values, k)) => matched
            .into_iter()
            .filter(|t| vs_cursor(t, values, *k).is_gt())
            .take(page.limit)
            .collect(),
        Some(Cursor::Before(values, k)) => {
            let before: Vec<&'a T> = matched
                .into_iter()
                .filter(|t| vs_cursor(t, values, *k).is_lt())
                .collect();
            let skip = before.len().saturating_sub(page.limit);
            before.into_iter().skip(skip).collect()
        }
    };
    let cursor_of = |t: &'a T| encode(&sort_values(t), key(t));
    Paged {
        start_cursor: items.first().map(|t| cursor_of(t)),
        end_cursor: items.last().map(|t| cursor_of(t)),
        items,
        total,
    }
}

/// `"page":{...}`: 8.8 leaves absent cursors out, 8.9+ sends `null`.
pub fn push_page<T>(out: &mut String, paged: &Paged<'_, T>, profile: &Profile) {
    out.push_str("\"page\":{\"totalItems\":");
    out.push_str(&paged.total.min(TOTAL_CAP).to_string());
    out.push_str(if paged.total > TOTAL_CAP {
        ",\"hasMoreTotalItems\":true"
    } else {
        ",\"hasMoreTotalItems\":false"
    });
    for (name, cursor) in [
        ("startCursor", &paged.start_cursor),
        ("endCursor", &paged.end_cursor),
    ] {
        match cursor {
            Some(c) => {
                out.push_str(&format!(",\"{name}\":"));
                push_json_string(out, c);
            }
            None if profile.v2_sends_every_field => out.push_str(&format!(",\"{name}\":null")),
            None => {}
        }
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let text = encode(&[Some(Field::Int(5)), None, Some(Field::Text("a\"b"))], 42);
        let (values, key) = decode(&text).unwrap();
        assert_eq!(key, 42);
        assert_eq!(
            values,
            vec![
                Some(Scalar::Int(5)),
                None,
                Some(Scalar::Text("a\"b".into()))
            ]
        );
        assert!(decode("not base64!").is_none());
    }

    #[test]
    fn pages_forward_and_back_with_cursors() {
        let items: Vec<(i64, i64)> = (0..10).map(|k| (k, 100 - k / 2)).collect();
        let refs: Vec<&(i64, i64)> = items.iter().collect();
        let values = |t: &(i64, i64)| vec![Some(Field::Int(t.1))];
        let page = |cursor| PageRequest {
            from: 0,
            limit: 3,
            cursor,
        };
        let first = apply(refs.clone(), false, &[false], values, |t| t.0, &page(None));
        let keys = |p: &Paged<'_, (i64, i64)>| p.items.iter().map(|t| t.0).collect::<Vec<_>>();
        // Ascending value 95..100, key breaking ties.
        assert_eq!(keys(&first), [8, 9, 6]);
        let end = decode(first.end_cursor.as_ref().unwrap()).unwrap();
        let second = apply(
            refs.clone(),
            false,
            &[false],
            values,
            |t| t.0,
            &page(Some(Cursor::After(end.0, end.1))),
        );
        assert_eq!(keys(&second), [7, 4, 5]);
        let start = decode(second.start_cursor.as_ref().unwrap()).unwrap();
        let back = apply(
            refs,
            false,
            &[false],
            values,
            |t| t.0,
            &page(Some(Cursor::Before(start.0, start.1))),
        );
        assert_eq!(keys(&back), [8, 9, 6]);
    }
}
