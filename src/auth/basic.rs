//! HTTP Basic authentication (RFC 7617), which Camunda 8.8+ Self-Managed accepts on every
//! request: no session, no token, the same header each time, built once.

use crate::config::Login;
use crate::secret::Secret;
use base64::Engine;

/// `Basic base64(username:password)`, the value of the `Authorization` header.
pub(crate) fn authorization(login: &Login) -> Secret {
    let pair = Secret::new(format!("{}:{}", login.username, login.password.expose()));
    let encoded = Secret::new(base64::engine::general_purpose::STANDARD.encode(pair.expose()));
    Secret::new(format!("Basic {}", encoded.expose()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_rfc_7617s() {
        let login = Login {
            username: "demo".into(),
            password: Secret::new("dämo"),
        };
        // base64("demo:dämo") with the password in UTF-8, as RFC 7617's charset says.
        assert_eq!(authorization(&login).expose(), "Basic ZGVtbzpkw6Rtbw==");
    }
}
