//! What a client is configured with. Plain data, validated when a client is built from it.

use crate::error::{Error, Result};
use crate::secret::Secret;
use std::path::PathBuf;
use std::time::Duration;

/// The audience Camunda SaaS expects for Tasklist tokens.
pub const DEFAULT_AUDIENCE: &str = "tasklist.camunda.io";
/// Where Tasklist up to 8.7 takes cookie logins.
pub const DEFAULT_LOGIN_PATH: &str = "/api/login";
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Large enough for a 1,000-task page with variables, small enough that a runaway answer
/// cannot exhaust the host's memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// How the token request body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TokenFormat {
    /// `application/x-www-form-urlencoded` (RFC 6749; Keycloak, Identity, Entra ID, SaaS).
    #[default]
    Form,
    /// `application/json`, as the Camunda 8.4 SaaS authentication guide shows.
    Json,
}

/// How the client id and secret reach the token endpoint (RFC 6749 §2.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` in the request body (`client_secret_post`).
    #[default]
    Post,
    /// `Authorization: Basic base64(urlencode(id):urlencode(secret))`, nothing secret in the
    /// body (`client_secret_basic`; the only method every RFC 6749 server must support).
    Basic,
}

/// OAuth 2.0 client credentials.
#[derive(Clone, Debug)]
pub struct OAuth {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// `None` sends no audience parameter (Keycloak maps the audience itself).
    pub audience: Option<String>,
}

/// Username and password for the Tasklist cookie login.
#[derive(Clone, Debug)]
pub struct CookieLogin {
    pub username: String,
    pub password: Secret,
}

/// How requests are authenticated; the last one configured wins.
#[derive(Clone, Debug, Default)]
pub enum Auth {
    #[default]
    None,
    OAuth(OAuth),
    Cookie(CookieLogin),
    Bearer(Secret),
}

#[derive(Clone, Debug)]
pub struct Config {
    pub base_url: Option<String>,
    pub auth: Auth,
    /// Applies to OAuth; kept apart from [`OAuth`] so it can be set before or after it.
    pub scope: Option<String>,
    pub token_format: TokenFormat,
    pub login_path: String,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub ca_file: Option<PathBuf>,
    pub max_retries: u32,
    pub max_response_bytes: u64,
    /// Applies to OAuth; like `scope`, it can be set before or after it.
    pub client_auth: ClientAuth,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            base_url: None,
            auth: Auth::None,
            scope: None,
            token_format: TokenFormat::Form,
            login_path: DEFAULT_LOGIN_PATH.to_string(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            ca_file: None,
            max_retries: DEFAULT_MAX_RETRIES,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            client_auth: ClientAuth::Post,
        }
    }
}

impl Config {
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        check_http_url(url, "base URL")?;
        self.base_url = Some(url.trim_end_matches('/').to_string());
        Ok(())
    }

    /// `audience`: `None` means the SaaS default; an empty string means "send none".
    pub fn set_oauth(
        &mut self,
        token_url: &str,
        client_id: &str,
        client_secret: &str,
        audience: Option<&str>,
    ) -> Result<()> {
        check_http_url(token_url, "token URL")?;
        if client_id.is_empty() {
            return Err(Error::invalid_argument("the OAuth client id is empty"));
        }
        if client_secret.is_empty() {
            return Err(Error::invalid_argument("the OAuth client secret is empty"));
        }
        let audience = match audience {
            None => Some(DEFAULT_AUDIENCE.to_string()),
            Some("") => None,
            Some(a) => Some(a.to_string()),
        };
        self.auth = Auth::OAuth(OAuth {
            token_url: token_url.to_string(),
            client_id: client_id.to_string(),
            client_secret: Secret::new(client_secret),
            audience,
        });
        Ok(())
    }

    pub fn set_scope(&mut self, scope: Option<&str>) {
        self.scope = scope.filter(|s| !s.is_empty()).map(str::to_string);
    }

    pub fn set_cookie_login(&mut self, username: &str, password: &str) -> Result<()> {
        if username.is_empty() {
            return Err(Error::invalid_argument("the login username is empty"));
        }
        self.auth = Auth::Cookie(CookieLogin {
            username: username.to_string(),
            password: Secret::new(password),
        });
        Ok(())
    }

    pub fn set_bearer_token(&mut self, token: &str) -> Result<()> {
        if token.is_empty() {
            return Err(Error::invalid_argument("the bearer token is empty"));
        }
        if token.chars().any(|c| c.is_control() || c == ' ') {
            return Err(Error::invalid_argument(
                "the bearer token contains spaces or control characters",
            ));
        }
        self.auth = Auth::Bearer(Secret::new(token));
        Ok(())
    }

    pub fn set_login_path(&mut self, path: &str) -> Result<()> {
        if !path.starts_with('/') {
            return Err(Error::invalid_argument(
                "the login path must start with '/'",
            ));
        }
        self.login_path = path.to_string();
        Ok(())
    }

    /// 0 keeps the current value: a library must never wait forever.
    pub fn set_timeouts(&mut self, connect_ms: u64, request_ms: u64) {
        if connect_ms > 0 {
            self.connect_timeout = Duration::from_millis(connect_ms);
        }
        if request_ms > 0 {
            self.request_timeout = Duration::from_millis(request_ms);
        }
    }

    pub fn set_ca_file(&mut self, path: &str) -> Result<()> {
        if path.is_empty() {
            return Err(Error::invalid_argument("the CA file path is empty"));
        }
        self.ca_file = Some(PathBuf::from(path));
        Ok(())
    }

    pub fn set_max_response_bytes(&mut self, limit: u64) -> Result<()> {
        if limit == 0 {
            return Err(Error::invalid_argument(
                "the response size limit must be above 0",
            ));
        }
        self.max_response_bytes = limit;
        Ok(())
    }
}

/// Only http and https URLs with a host are usable; anything else is a configuration mistake
/// that should be reported where it was made, not at the first request.
pub fn check_http_url(url: &str, what: &str) -> Result<()> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::invalid_argument(format!("the {what} must start with http:// or https://"))
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err(Error::invalid_argument(format!("the {what} has no host")));
    }
    if url.contains(['?', '#']) {
        return Err(Error::invalid_argument(format!(
            "the {what} must not contain a query or fragment"
        )));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid_argument(format!(
            "the {what} contains spaces or control characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn base_url_must_be_http_with_a_host() {
        let mut c = Config::default();
        assert!(c.set_base_url("http://localhost:8080/").is_ok());
        assert_eq!(c.base_url.as_deref(), Some("http://localhost:8080"));
        assert!(c
            .set_base_url("https://bru-2.tasklist.camunda.io/abc")
            .is_ok());
        for bad in [
            "",
            "localhost:8080",
            "ftp://x",
            "http://",
            "http://:80",
            "http://h/?q=1",
        ] {
            let e = c.set_base_url(bad).unwrap_err();
            assert_eq!(e.code(), Code::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn audience_defaults_to_saas_and_empty_means_none() {
        let mut c = Config::default();
        c.set_oauth("http://a/token", "id", "secret", None).unwrap();
        let Auth::OAuth(o) = &c.auth else { panic!() };
        assert_eq!(o.audience.as_deref(), Some(DEFAULT_AUDIENCE));
        c.set_oauth("http://a/token", "id", "secret", Some(""))
            .unwrap();
        let Auth::OAuth(o) = &c.auth else { panic!() };
        assert_eq!(o.audience, None);
    }

    #[test]
    fn the_last_authentication_setter_wins() {
        let mut c = Config::default();
        c.set_oauth("http://a/token", "id", "secret", None).unwrap();
        c.set_cookie_login("demo", "demo").unwrap();
        assert!(matches!(c.auth, Auth::Cookie(_)));
        c.set_bearer_token("abc").unwrap();
        assert!(matches!(c.auth, Auth::Bearer(_)));
    }

    #[test]
    fn zero_timeouts_keep_the_defaults() {
        let mut c = Config::default();
        c.set_timeouts(0, 0);
        assert_eq!(c.connect_timeout, DEFAULT_CONNECT_TIMEOUT);
        assert_eq!(c.request_timeout, DEFAULT_REQUEST_TIMEOUT);
        c.set_timeouts(5, 7);
        assert_eq!(c.connect_timeout, Duration::from_millis(5));
        assert_eq!(c.request_timeout, Duration::from_millis(7));
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let mut c = Config::default();
        c.set_oauth("http://a/token", "id", "s3cr3t-value", None)
            .unwrap();
        assert!(!format!("{c:?}").contains("s3cr3t-value"));
        c.set_cookie_login("demo", "pa55word").unwrap();
        assert!(!format!("{c:?}").contains("pa55word"));
    }
}
