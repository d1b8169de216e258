//! Tasklist's date formats: responses use `yyyy-MM-dd'T'HH:mm:ss.SSSZZ`
//! (`2023-02-20T18:37:19.214+0000`), requests accept what Jackson accepts
//! for `java.util.Date` (ISO 8601 with `Z` or an offset, or epoch millis).

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Epoch millis of a UTC civil date-time.
pub fn millis_of(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> i64 {
    ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + s * 1000
}

/// Formats epoch millis the way Tasklist serializes dates (always UTC here).
pub fn format_tasklist(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let rem = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+0000",
        y,
        m,
        d,
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// ISO UTC with `Z`, as Spring prints an `Instant` in "Jwt expired at ...".
pub fn format_instant(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let rem = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        y,
        m,
        d,
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60
    )
}

/// Parses a request date: `2023-02-20T18:37:19.214+0000`, `...+00:00`,
/// `...Z`, with or without millis, or a plain date `2023-02-20`.
pub fn parse_request_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let s = text.get(from..from + len)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
    {
        return None;
    }
    if b.len() == 10 {
        return Some(millis_of(y, mo, d, 0, 0, 0));
    }
    if b.get(10) != Some(&b'T') || b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let (h, mi, s) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let mut pos = 19;
    let mut millis = 0;
    if b.get(pos) == Some(&b'.') {
        let start = pos + 1;
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end == start {
            return None;
        }
        let digits = &text[start..end];
        let first3: String = digits.chars().chain("000".chars()).take(3).collect();
        millis = first3.parse::<i64>().ok()?;
        pos = end;
    }
    let offset_minutes = match b.get(pos) {
        Some(b'Z') if b.len() == pos + 1 => 0,
        Some(sign @ (b'+' | b'-')) => {
            let rest = &text[pos + 1..];
            let (oh, om) = match rest.len() {
                5 if rest.as_bytes()[2] == b':' => (num(pos + 1, 2)?, num(pos + 4, 2)?),
                4 => (num(pos + 1, 2)?, num(pos + 3, 2)?),
                2 => (num(pos + 1, 2)?, 0),
                _ => return None,
            };
            let total = oh * 60 + om;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        None => 0,
        _ => return None,
    };
    Some(millis_of(y, mo, d, h, mi, s) + millis - offset_minutes * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_tasklist() {
        let ms = parse_request_date("2023-02-20T18:37:19.214+0000").unwrap();
        assert_eq!(format_tasklist(ms), "2023-02-20T18:37:19.214+0000");
        assert_eq!(
            parse_request_date("2023-02-20T19:37:19.214+01:00"),
            Some(ms)
        );
        assert_eq!(parse_request_date("2023-02-20T18:37:19.214Z"), Some(ms));
        assert_eq!(parse_request_date("2023-02-20T18:37:19Z"), Some(ms - 214));
        assert_eq!(format_tasklist(0), "1970-01-01T00:00:00.000+0000");
        assert_eq!(parse_request_date("garbage"), None);
    }
}
