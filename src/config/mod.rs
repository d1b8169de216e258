//! What a client is configured with. Plain data, validated when a client is built from it.

pub(crate) mod describe;
pub(crate) mod env;
pub(crate) mod settings;

use crate::error::{Error, Result};
use crate::secret::Secret;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

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
    pub audience: Audience,
}

/// The `audience` parameter of a token request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The authentication module picks the one the server expects (see `auth::token_source`).
    Default,
    /// No audience parameter (Keycloak maps the audience itself).
    Omitted,
    Named(String),
}

/// A username and password: for the cookie login, or for HTTP Basic authentication.
#[derive(Clone, Debug)]
pub struct Login {
    pub username: String,
    pub password: Secret,
}

/// How requests are authenticated; the last one configured wins.
#[derive(Clone, Debug, Default)]
pub enum Auth {
    #[default]
    None,
    OAuth(OAuth),
    Cookie(Login),
    /// HTTP Basic on every request (Camunda 8.8+ Self-Managed), no session.
    Basic(Login),
    Bearer(Secret),
}

#[derive(Clone, Debug)]
pub struct Config {
    pub base_url: Option<String>,
    pub auth: Auth,
    /// Applies to OAuth; kept apart from [`OAuth`] so it can be set before or after it.
    pub scope: Option<String>,
    pub token_format: TokenFormat,
    /// `None` leaves the choice to the cookie session (see `auth::cookie_session`).
    pub login_path: Option<String>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub ca_file: Option<PathBuf>,
    pub max_retries: u32,
    pub max_response_bytes: u64,
    /// Applies to OAuth; like `scope`, it can be set before or after it.
    pub client_auth: ClientAuth,
    /// Extra CA certificates as PEM text, trusted in addition to the default roots (and to
    /// `ca_file`).
    pub ca_pem: Option<String>,
    /// A client certificate for mutual TLS, with Tasklist and with the token endpoint.
    pub client_certificate: Option<ClientCertificate>,
    /// An explicit proxy URL (may hold credentials, hence a secret); wins over the
    /// environment.
    pub proxy: Option<Secret>,
    /// Whether `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` are obeyed (off by default:
    /// a library must not silently follow its host's environment).
    pub proxy_from_env: bool,
    /// The tenant that v2 commands which take one (a process start) act in when their
    /// request names none; `None` leaves the server's default.
    pub tenant_id: Option<String>,
    /// Where each setting came from, for `tasklist_options_describe`.
    pub sources: Sources,
}

/// Where a PEM item comes from: a file read when the client is built, or text given now.
#[derive(Clone, Debug)]
pub enum Pem {
    File(PathBuf),
    /// Private keys are secrets; certificate chains are not, but one type keeps it simple.
    Text(Secret),
}

/// A certificate chain and its private key, for mutual TLS.
#[derive(Clone, Debug)]
pub struct ClientCertificate {
    pub chain: Pem,
    pub key: Pem,
}

/// Where one setting's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// An explicit setter call.
    Set,
    /// This environment variable.
    Env(&'static str),
}

/// The origin of every setting that does not have its default value; a setting absent here
/// is at its default.
#[derive(Clone, Debug, Default)]
pub struct Sources(BTreeMap<&'static str, Source>);

impl Sources {
    pub fn mark(&mut self, keys: &[&'static str], source: Source) {
        for key in keys {
            self.0.insert(key, source);
        }
    }

    pub fn forget(&mut self, keys: &[&'static str]) {
        for key in keys {
            self.0.remove(key);
        }
    }

    /// "default", "set", or the environment variable's name.
    pub fn of(&self, key: &str) -> &'static str {
        match self.0.get(key) {
            None => "default",
            Some(Source::Set) => "set",
            Some(Source::Env(name)) => name,
        }
    }
}

/// The setting names used by [`Sources`] and by `tasklist_options_describe`.
pub mod key {
    pub const BASE_URL: &str = "base_url";
    pub const AUTH: &str = "auth";
    pub const TOKEN_URL: &str = "token_url";
    pub const CLIENT_ID: &str = "client_id";
    pub const CLIENT_SECRET: &str = "client_secret";
    pub const AUDIENCE: &str = "audience";
    pub const SCOPE: &str = "scope";
    pub const TOKEN_FORMAT: &str = "token_format";
    pub const CLIENT_AUTH: &str = "client_auth";
    pub const USERNAME: &str = "username";
    pub const PASSWORD: &str = "password";
    pub const BEARER_TOKEN: &str = "bearer_token";
    pub const LOGIN_PATH: &str = "login_path";
    pub const CONNECT_TIMEOUT: &str = "connect_timeout_ms";
    pub const REQUEST_TIMEOUT: &str = "request_timeout_ms";
    pub const MAX_RETRIES: &str = "max_retries";
    pub const MAX_RESPONSE_BYTES: &str = "max_response_bytes";
    pub const CA_FILE: &str = "ca_file";
    pub const CA_PEM: &str = "ca_pem";
    pub const CLIENT_CERTIFICATE: &str = "client_certificate";
    pub const CLIENT_KEY: &str = "client_key";
    pub const PROXY: &str = "proxy";
    pub const PROXY_FROM_ENV: &str = "proxy_from_env";
    pub const TENANT_ID: &str = "tenant_id";

    /// Everything that belongs to one authentication method; switching methods resets them.
    pub const ALL_AUTH: &[&str] = &[
        AUTH,
        TOKEN_URL,
        CLIENT_ID,
        CLIENT_SECRET,
        AUDIENCE,
        USERNAME,
        PASSWORD,
        BEARER_TOKEN,
    ];
}

impl Default for Config {
    fn default() -> Config {
        Config {
            base_url: None,
            auth: Auth::None,
            scope: None,
            token_format: TokenFormat::Form,
            login_path: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            ca_file: None,
            max_retries: DEFAULT_MAX_RETRIES,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            client_auth: ClientAuth::Post,
            ca_pem: None,
            client_certificate: None,
            proxy: None,
            proxy_from_env: false,
            tenant_id: None,
            sources: Sources::default(),
        }
    }
}

impl Config {
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        check_http_url(url, "base URL")?;
        self.base_url = Some(url.trim_end_matches('/').to_string());
        self.sources.mark(&[key::BASE_URL], Source::Set);
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
        self.switch_auth(&[
            key::AUTH,
            key::TOKEN_URL,
            key::CLIENT_ID,
            key::CLIENT_SECRET,
        ]);
        if audience.is_some() {
            self.sources.mark(&[key::AUDIENCE], Source::Set);
        }
        let audience = match audience {
            None => Audience::Default,
            Some("") => Audience::Omitted,
            Some(a) => Audience::Named(a.to_string()),
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
        self.sources.mark(&[key::SCOPE], Source::Set);
    }

    pub fn set_token_format(&mut self, format: TokenFormat) {
        self.token_format = format;
        self.sources.mark(&[key::TOKEN_FORMAT], Source::Set);
    }

    pub fn set_client_auth(&mut self, method: ClientAuth) {
        self.client_auth = method;
        self.sources.mark(&[key::CLIENT_AUTH], Source::Set);
    }

    pub fn set_max_retries(&mut self, retries: u32) {
        self.max_retries = retries;
        self.sources.mark(&[key::MAX_RETRIES], Source::Set);
    }

    /// Forgets where the previous authentication's values came from and marks the new
    /// method's values as set.
    fn switch_auth(&mut self, keys: &[&'static str]) {
        self.sources.forget(key::ALL_AUTH);
        self.sources.mark(keys, Source::Set);
    }

    pub fn set_cookie_login(&mut self, username: &str, password: &str) -> Result<()> {
        if username.is_empty() {
            return Err(Error::invalid_argument("the login username is empty"));
        }
        self.switch_auth(&[key::AUTH, key::USERNAME, key::PASSWORD]);
        self.auth = Auth::Cookie(Login {
            username: username.to_string(),
            password: Secret::new(password),
        });
        Ok(())
    }

    pub fn set_basic_auth(&mut self, username: &str, password: &str) -> Result<()> {
        if username.is_empty() {
            return Err(Error::invalid_argument(
                "the Basic authentication username is empty",
            ));
        }
        // RFC 7617: the user-id cannot hold a colon, and neither part a control character.
        if username.contains(':') {
            return Err(Error::invalid_argument(
                "the Basic authentication username contains ':', which Basic cannot carry",
            ));
        }
        if username
            .chars()
            .chain(password.chars())
            .any(char::is_control)
        {
            return Err(Error::invalid_argument(
                "the Basic authentication username or password contains control characters",
            ));
        }
        self.switch_auth(&[key::AUTH, key::USERNAME, key::PASSWORD]);
        self.auth = Auth::Basic(Login {
            username: username.to_string(),
            password: Secret::new(password),
        });
        Ok(())
    }

    pub fn set_bearer_token(&mut self, token: &str) -> Result<()> {
        check_bearer_token(token)?;
        self.switch_auth(&[key::AUTH, key::BEARER_TOKEN]);
        self.auth = Auth::Bearer(Secret::new(token));
        Ok(())
    }

    pub fn set_login_path(&mut self, path: &str) -> Result<()> {
        if !path.starts_with('/') {
            return Err(Error::invalid_argument(
                "the login path must start with '/'",
            ));
        }
        self.login_path = Some(path.to_string());
        self.sources.mark(&[key::LOGIN_PATH], Source::Set);
        Ok(())
    }

    /// 0 keeps the current value: a library must never wait forever.
    pub fn set_timeouts(&mut self, connect_ms: u64, request_ms: u64) {
        if connect_ms > 0 {
            self.connect_timeout = Duration::from_millis(connect_ms);
            self.sources.mark(&[key::CONNECT_TIMEOUT], Source::Set);
        }
        if request_ms > 0 {
            self.request_timeout = Duration::from_millis(request_ms);
            self.sources.mark(&[key::REQUEST_TIMEOUT], Source::Set);
        }
    }

    pub fn set_ca_file(&mut self, path: &str) -> Result<()> {
        if path.is_empty() {
            return Err(Error::invalid_argument("the CA file path is empty"));
        }
        self.ca_file = Some(PathBuf::from(path));
        self.sources.mark(&[key::CA_FILE], Source::Set);
        Ok(())
    }

    pub fn set_max_response_bytes(&mut self, limit: u64) -> Result<()> {
        if limit == 0 {
            return Err(Error::invalid_argument(
                "the response size limit must be above 0",
            ));
        }
        self.max_response_bytes = limit;
        self.sources.mark(&[key::MAX_RESPONSE_BYTES], Source::Set);
        Ok(())
    }

    /// Extra CA certificates as PEM text (one or several); `None` or `""` removes them.
    /// Checked now, so a broken PEM is reported by the setter that received it.
    pub fn set_ca_pem(&mut self, pem: Option<&str>) -> Result<()> {
        match pem.filter(|p| !p.trim().is_empty()) {
            None => {
                self.ca_pem = None;
                self.sources.forget(&[key::CA_PEM]);
            }
            Some(pem) => {
                crate::transport::tls::certificates_in(pem.as_bytes(), "the CA PEM text")?;
                self.ca_pem = Some(pem.to_string());
                self.sources.mark(&[key::CA_PEM], Source::Set);
            }
        }
        Ok(())
    }

    /// A client certificate chain and its private key for mutual TLS; `None` removes it.
    /// PEM text is checked now; files are read when the client is built.
    pub fn set_client_certificate(&mut self, certificate: Option<ClientCertificate>) -> Result<()> {
        if let Some(c) = &certificate {
            crate::transport::tls::check_client_certificate(c)?;
            self.sources
                .mark(&[key::CLIENT_CERTIFICATE, key::CLIENT_KEY], Source::Set);
        } else {
            self.sources
                .forget(&[key::CLIENT_CERTIFICATE, key::CLIENT_KEY]);
        }
        self.client_certificate = certificate;
        Ok(())
    }

    /// An explicit proxy (`http://[user:password@]host:port`, `https://`, `socks5://`);
    /// `None` or `""` means none.
    pub fn set_proxy(&mut self, url: Option<&str>) -> Result<()> {
        match url.filter(|u| !u.is_empty()) {
            None => {
                self.proxy = None;
                self.sources.forget(&[key::PROXY]);
            }
            Some(url) => {
                crate::transport::proxy::check_proxy_url(url)?;
                self.proxy = Some(Secret::new(url));
                self.sources.mark(&[key::PROXY], Source::Set);
            }
        }
        Ok(())
    }

    pub fn set_proxy_from_env(&mut self, enabled: bool) {
        self.proxy_from_env = enabled;
        self.sources.mark(&[key::PROXY_FROM_ENV], Source::Set);
    }

    /// `None` or `""`: no default tenant.
    pub fn set_tenant_id(&mut self, tenant: Option<&str>) -> Result<()> {
        match tenant.filter(|t| !t.is_empty()) {
            None => {
                self.tenant_id = None;
                self.sources.forget(&[key::TENANT_ID]);
            }
            Some(tenant) => {
                // The server's rule for tenant ids: letters, digits, `_`, `-` and `.`, at
                // most 31 characters, or its own `<default>`; refused here rather than by a
                // 400 on the first start.
                if tenant != "<default>" && tenant.len() > 31
                    || !tenant
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
                {
                    return Err(Error::invalid_argument(
                        "a tenant id is <default> or at most 31 letters, digits, '_', '-' or '.'",
                    ));
                }
                self.tenant_id = Some(tenant.to_string());
                self.sources.mark(&[key::TENANT_ID], Source::Set);
            }
        }
        Ok(())
    }
}

/// A bearer token must be one header value: not empty, no spaces or control characters.
pub fn check_bearer_token(token: &str) -> Result<()> {
    if token.is_empty() {
        return Err(Error::invalid_argument("the bearer token is empty"));
    }
    if token.chars().any(|c| c.is_control() || c == ' ') {
        return Err(Error::invalid_argument(
            "the bearer token contains spaces or control characters",
        ));
    }
    Ok(())
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
    // `user:password@host` would put a password where describe, error messages and logs
    // show the URL, and ureq would send it as a second Authorization header.
    if host.contains('@') {
        return Err(Error::invalid_argument(format!(
            "the {what} must not contain a user or password (user:password@host); give \
             credentials to the authentication settings instead (OAuth client credentials, \
             cookie login or bearer token)"
        )));
    }
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
            "http://user:PASS@host",
            "https://TOKEN@host/path",
        ] {
            let e = c.set_base_url(bad).unwrap_err();
            assert_eq!(e.code(), Code::InvalidArgument, "{bad}");
            assert!(!e.message().contains("PASS") && !e.message().contains("TOKEN"));
        }
        let e = c
            .set_oauth("http://id:s3cret@kc/token", "id", "secret", None)
            .unwrap_err();
        assert!(e
            .message()
            .contains("token URL must not contain a user or password"));
        assert!(!e.message().contains("s3cret"));
        assert!(
            c.set_base_url("http://host/a@b").is_ok(),
            "an @ in the path is no userinfo"
        );
    }

    #[test]
    fn audience_defaults_to_saas_and_empty_means_none() {
        let mut c = Config::default();
        c.set_oauth("http://a/token", "id", "secret", None).unwrap();
        let Auth::OAuth(o) = &c.auth else { panic!() };
        assert_eq!(o.audience, Audience::Default);
        c.set_oauth("http://a/token", "id", "secret", Some(""))
            .unwrap();
        let Auth::OAuth(o) = &c.auth else { panic!() };
        assert_eq!(o.audience, Audience::Omitted);
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
