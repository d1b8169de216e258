//! A string that must never be shown: client secrets, passwords, tokens, cookies, CSRF values.
//! Its memory is wiped when dropped, and `Debug` prints a placeholder.

use std::fmt;
use zeroize::Zeroizing;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(Zeroizing::new(value.into()))
    }

    /// The value, for the one place that must send it. Never format it into a message.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Secrets shorter than this are not masked: replacing every "ab" in a server's text would
/// garble it, and a secret that short protects nothing anyway.
pub(crate) const SHORTEST_MASKED: usize = 4;

/// The secrets a client holds, to mask in text that a server sent back (an error body that
/// repeats the request, a message that quotes a header): a server's echo must not carry a
/// secret into an error message, a log line or the caller's error object.
#[derive(Clone, Default)]
pub(crate) struct Mask {
    needles: Vec<Secret>,
}

impl Mask {
    /// Adds a secret in the forms a server may echo it: as sent, form-encoded (a repeated
    /// request body) and JSON-escaped (a repeated JSON body).
    pub(crate) fn add(&mut self, secret: &str) {
        if secret.len() < SHORTEST_MASKED {
            return;
        }
        let form =
            percent_encoding::utf8_percent_encode(secret, crate::auth::token_request::FORM_VALUE)
                .to_string();
        let json = serde_json::Value::from(secret).to_string();
        let json = json[1..json.len() - 1].to_string();
        for form in [secret.to_string(), form, json] {
            if !self.needles.iter().any(|n| n.expose() == form) {
                self.needles.push(Secret::new(form));
            }
        }
        // Longest first, so that a secret containing another is replaced whole.
        self.needles
            .sort_by_key(|n| std::cmp::Reverse(n.expose().len()));
    }

    /// Adds what authenticates one request: a header value, the credential after its scheme
    /// (`Bearer <token>`), and each value of a `Cookie` header.
    pub(crate) fn add_header_value(&mut self, value: &str) {
        self.add(value);
        if let Some((_, credential)) = value.split_once(' ') {
            self.add(credential.trim());
        }
        for pair in value.split(';') {
            if let Some((_, cookie)) = pair.split_once('=') {
                self.add(cookie.trim());
            }
        }
    }

    /// `text` with every secret replaced by `***`.
    pub(crate) fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for needle in &self.needles {
            if out.contains(needle.expose()) {
                out = out.replace(needle.expose(), crate::config::describe::REDACTED);
            }
        }
        out
    }

    /// The error with every secret masked in its message and in the body it carries.
    pub(crate) fn error(&self, error: crate::error::Error) -> crate::error::Error {
        if self.needles.is_empty() {
            return error;
        }
        error.map_text(|text| self.apply(text))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn masks_a_secret_as_sent_form_encoded_and_json_escaped() {
        let mut mask = Mask::default();
        mask.add("p&ss w\"rd");
        assert_eq!(mask.apply("a p&ss w\"rd b"), "a *** b");
        assert_eq!(
            mask.apply("client_secret=p%26ss%20w%22rd&x"),
            "client_secret=***&x"
        );
        assert_eq!(mask.apply(r#"{"echo":"p&ss w\"rd"}"#), r#"{"echo":"***"}"#);
        mask.add("abc");
        assert_eq!(mask.apply("abc"), "abc", "too short to mask");
    }

    #[test]
    fn masks_the_parts_of_credential_headers() {
        let mut mask = Mask::default();
        mask.add_header_value("Bearer eyJ0b2tlbg");
        mask.add_header_value("camunda-session=s3ss10n; XSRF=t0k3n-value");
        assert_eq!(
            mask.apply("bad token eyJ0b2tlbg in Bearer eyJ0b2tlbg"),
            "bad token *** in ***"
        );
        assert_eq!(
            mask.apply("session s3ss10n, csrf t0k3n-value"),
            "session ***, csrf ***"
        );
    }
}
