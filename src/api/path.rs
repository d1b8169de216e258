//! Building request paths: ids become percent-encoded path segments, and caller-supplied
//! paths for generic requests must stay below the base URL.

use crate::error::{Error, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// RFC 3986 unreserved characters stay; everything else in an id is encoded, so an id can
/// never add a path segment or a query.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One path segment from an id; `what` names the argument in the error.
pub(crate) fn segment(id: &str, what: &str) -> Result<String> {
    if id.is_empty() {
        return Err(Error::invalid_argument(format!("the {what} is empty")));
    }
    if id == "." || id == ".." {
        return Err(Error::invalid_argument(format!(
            "the {what} '{id}' is not an id"
        )));
    }
    Ok(utf8_percent_encode(id, SEGMENT).to_string())
}

/// One query parameter value.
pub(crate) fn query_value(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// Accepts a path for `tasklist_request`: absolute below the base URL, no scheme or host,
/// no `..` segment (also percent-encoded), no characters that would change the request line.
pub(crate) fn check_relative_path(path: &str) -> Result<()> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(Error::invalid_argument(
            "the path must start with a single '/' (absolute URLs are refused)",
        ));
    }
    if path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\' || c == '#')
    {
        return Err(Error::invalid_argument(
            "the path contains spaces, control characters, '\\' or '#'",
        ));
    }
    let path_part = path.split('?').next().unwrap_or("");
    let leaves_base = path_part.split('/').any(|segment| {
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
        decoded == ".." || decoded == "."
    });
    if leaves_base {
        return Err(Error::invalid_argument(
            "the path contains a '.' or '..' segment",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn ids_cannot_escape_their_segment() {
        assert_eq!(
            segment("2251799813685249", "task id").unwrap(),
            "2251799813685249"
        );
        assert_eq!(
            segment("a/b?c=d#e", "task id").unwrap(),
            "a%2Fb%3Fc%3Dd%23e"
        );
        assert_eq!(segment("ü x", "task id").unwrap(), "%C3%BC%20x");
        assert_eq!(
            segment("", "task id").unwrap_err().code(),
            Code::InvalidArgument
        );
        assert!(segment("..", "task id").is_err());
    }

    #[test]
    fn generic_paths_stay_below_the_base_url() {
        assert!(check_relative_path("/v1/internal/processes?query=x").is_ok());
        for bad in [
            "v1/tasks",
            "//evil.example/x",
            "http://evil.example/x",
            "/v1/../../admin",
            "/v1/%2e%2e/admin",
            "/v1/./x",
            "/v1/tasks search",
            "/v1/tasks\r\nX: y",
            "/v1\\x",
        ] {
            assert!(check_relative_path(bad).is_err(), "{bad}");
        }
    }
}
