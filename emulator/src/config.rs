//! What a running emulator is told at start: addresses, clients, users and
//! the switches that select optional real-server behaviour (CSRF, issuer).

use std::net::SocketAddr;

use crate::profile::{CamundaVersion, Profile};

/// A user of the cookie login (`/api/login`), as in Tasklist's "auth" profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub password: String,
    /// OWNER/OPERATOR roles have WRITE; READER (e.g. `view`) only READ.
    pub can_write: bool,
}

impl User {
    pub fn new(username: &str, password: &str, can_write: bool) -> User {
        User {
            username: username.to_string(),
            password: password.to_string(),
            can_write,
        }
    }
}

/// How the token endpoint answers wrong client credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TokenErrorStyle {
    /// 401 `{"error":"invalid_client","error_description":...}` (RFC 6749 §5.2, Keycloak).
    #[default]
    Rfc6749,
    /// 401 `{"error":"access_denied","error_description":"Unauthorized"}` (Camunda SaaS).
    Saas,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// Port 0 picks a free port.
    pub addr: SocketAddr,
    /// Extra generated CREATED tasks on top of the demo set, for paging and benchmarks.
    pub generated_tasks: usize,
    /// Which Camunda the emulator is (`--camunda-version`); see `Profile`.
    pub camunda_version: CamundaVersion,
    /// The emulator's CSRF switch from before the profiles (`--csrf`): session
    /// users must echo `X-CSRF-TOKEN` on unsafe requests, with a plain token
    /// (the header equals the cookie) and on any version. It wins over
    /// `version_csrf`; the project's harnesses use it.
    pub csrf: bool,
    /// The version's own CSRF protection (8.5.1+: masked header tokens), on
    /// by default as on a real server; `--no-csrf` turns it off, as the docs
    /// advise API users of cookie login to do.
    pub version_csrf: bool,
    /// Serve Operate's `/v1/process-definitions/search` also on 8.4-8.7
    /// (a combined deployment behind one base URL).
    pub with_operate: bool,
    /// 8.8+: API calls without credentials are served (as an anonymous API
    /// caller), like `camunda.security.authentication.unprotected-api`.
    pub unprotected_api: bool,
    /// `POST` on the login path needs the CSRF token a prior `GET` on it
    /// handed out (coming in newer patch lines); only where CSRF is on.
    pub login_requires_csrf: bool,
    /// Enables the `/__emulator/*` admin endpoints.
    pub admin: bool,
    /// OAuth clients as (client id, client secret).
    pub clients: Vec<(String, String)>,
    /// Audience carried by issued tokens and required of external ones.
    pub audience: String,
    /// Where v2 is served (8.8+), the token endpoint also issues tokens
    /// for this audience (the v2 API's, `zeebe.camunda.io` on SaaS), and
    /// they are accepted on both APIs (`--v2-audience`).
    pub v2_audience: String,
    pub token_lifetime_secs: u64,
    pub token_path: String,
    pub users: Vec<User>,
    /// Idle timeout of a login session.
    pub session_timeout_secs: u64,
    /// External issuer whose RS256 bearer tokens are accepted (its `iss`).
    pub issuer: Option<String>,
    /// JWKS of that issuer; `<issuer>/jwks` when unset.
    pub jwks_url: Option<String>,
    /// Delay before every API answer.
    pub delay_ms: u64,
    pub token_error_style: TokenErrorStyle,
    /// v2 reads (searches and gets) see a change this many milliseconds
    /// after the command made it (`--export-delay-ms`), as if an exporter
    /// lagged; commands act at once. 0: reads are current.
    pub export_delay_ms: u64,
    /// Each change's export delay gets a random extra of up to this many
    /// milliseconds (`--export-jitter-ms`), for soak tests.
    pub export_jitter_ms: u64,
    /// How long a v2 command waits for a blocking task listener before it
    /// answers 504 (`--request-timeout-ms`; the gateway's request timeout).
    pub request_timeout_ms: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            generated_tasks: 0,
            camunda_version: CamundaVersion::default(),
            csrf: false,
            version_csrf: true,
            with_operate: false,
            unprotected_api: false,
            login_requires_csrf: false,
            admin: false,
            clients: vec![("tasklist-client".into(), "tasklist-secret".into())],
            audience: "tasklist.camunda.io".into(),
            v2_audience: "zeebe.camunda.io".into(),
            token_lifetime_secs: 300,
            token_path: "/oauth/token".into(),
            users: vec![
                User::new("demo", "demo", true),
                User::new("view", "view", false),
            ],
            session_timeout_secs: 1800,
            issuer: None,
            jwks_url: None,
            delay_ms: 0,
            token_error_style: TokenErrorStyle::Rfc6749,
            export_delay_ms: 0,
            export_jitter_ms: 0,
            request_timeout_ms: 10_000,
        }
    }
}

/// How session writes are protected, from the version and the switches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsrfMode {
    Off,
    /// `--csrf`: the header token is the cookie value.
    Plain,
    /// Spring Security 6: each response carries a freshly masked token.
    Masked,
}

impl Config {
    pub fn profile(&self) -> Profile {
        self.camunda_version.profile()
    }

    pub fn csrf_mode(&self) -> CsrfMode {
        if self.csrf {
            CsrfMode::Plain
        } else if self.version_csrf && self.profile().has_csrf_protection {
            CsrfMode::Masked
        } else {
            CsrfMode::Off
        }
    }

    /// Operate's process-definition search is served.
    pub fn serves_operate(&self) -> bool {
        let profile = self.profile();
        profile.serves_v1 && (profile.operate_built_in || self.with_operate)
    }

    /// The JWKS location used for external tokens, if an issuer is configured.
    pub fn effective_jwks_url(&self) -> Option<String> {
        match (&self.jwks_url, &self.issuer) {
            (Some(url), _) => Some(url.clone()),
            (None, Some(issuer)) => Some(format!("{}/jwks", issuer.trim_end_matches('/'))),
            (None, None) => None,
        }
    }
}
