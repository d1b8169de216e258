//! What is sent to the OAuth 2.0 token endpoint and how its answer is read: the form or
//! JSON body of a client credentials grant, `client_secret_post` or `client_secret_basic`,
//! the audience; then the answer's status classified (a token, a rejection of the
//! credentials, worth another try, or final), and the token and its lifetime taken from the
//! JSON (`expires_in`, else the JWT `exp`, else a fallback).
//!
//! Kept apart from the cache in `token_source`, which decides when to ask and how often:
//! this module knows one exchange with the endpoint and what the server's words mean.

use crate::config::{Audience, ClientAuth, Config, OAuth, TokenFormat};
use crate::error::{Code, Error};
use crate::secret::Secret;
use crate::transport::retry::{parse_retry_after, Idempotency};
use crate::transport::{Body, Failure, Outgoing, Transport};
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::time::{Duration, Instant, SystemTime};

/// The audience Camunda SaaS expects for Tasklist tokens, sent unless configured otherwise.
pub const DEFAULT_AUDIENCE: &str = "tasklist.camunda.io";
/// The audience of the v2 SaaS host (`https://<region>.zeebe.camunda.io/<cluster id>`).
pub const ZEEBE_AUDIENCE: &str = "zeebe.camunda.io";

/// The audience parameter a token request carries, if any. Unless configured, it follows the
/// base URL: the Orchestration Cluster's SaaS host wants `zeebe.camunda.io`, everything else
/// (Tasklist's SaaS host, Self-Managed) `tasklist.camunda.io`.
pub(crate) fn audience<'a>(configured: &'a Audience, base_url: Option<&str>) -> Option<&'a str> {
    match configured {
        Audience::Default if base_url.is_some_and(is_zeebe_saas) => Some(ZEEBE_AUDIENCE),
        Audience::Default => Some(DEFAULT_AUDIENCE),
        Audience::Omitted => None,
        Audience::Named(name) => Some(name),
    }
}

/// Whether the base URL's host is `*.zeebe.camunda.io`.
fn is_zeebe_saas(base_url: &str) -> bool {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let host = after_scheme
        .split(['/', ':', '?', '#'])
        .next()
        .unwrap_or("");
    host.to_ascii_lowercase().ends_with(".zeebe.camunda.io")
}

/// Characters left as they are in `application/x-www-form-urlencoded` values.
pub(crate) const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Lifetime assumed when the answer has neither `expires_in` nor a JWT `exp`.
const FALLBACK_LIFETIME: Duration = Duration::from_secs(60);
/// The longest lifetime believed: a token that claims to live longer (Java's `Long.MAX_VALUE`
/// seconds, `1e300`) is kept as if it lived a day, then replaced. Every instant computed from
/// a server's number stays far from overflowing the clock, and a genuinely long-lived token
/// costs one fetch a day.
pub(super) const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// Taken off `expires_in`: servers round the token's `exp` down to a whole second, and the
/// answer spent time on the way, so up to a second of the lifetime may be gone on arrival.
/// At most this, and at most [`ALLOWANCE_DIVISOR`]th of the lifetime, so that a short token
/// keeps most of its life.
const EXPIRES_IN_ALLOWANCE: Duration = Duration::from_secs(1);
const ALLOWANCE_DIVISOR: u32 = 10;

/// The token request of one OAuth configuration: where it goes, and what it carries.
pub(super) struct TokenRequest {
    oauth: OAuth,
    /// The base URL of the API, which decides the default audience.
    base_url: Option<String>,
    scope: Option<String>,
    format: TokenFormat,
    client_auth: ClientAuth,
}

impl TokenRequest {
    pub(super) fn new(oauth: OAuth, config: &Config) -> TokenRequest {
        TokenRequest {
            oauth,
            base_url: config.base_url.clone(),
            scope: config.scope.clone(),
            format: config.token_format,
            client_auth: config.client_auth,
        }
    }

    /// One exchange with the token endpoint within what is left of `budget` since `started`,
    /// classified.
    pub(super) fn ask(
        &self,
        transport: &Transport,
        started: Instant,
        budget: Duration,
        retries: u32,
    ) -> Attempt {
        let body = Secret::new(self.request_body());
        let authorization = self.basic_authorization();
        let label = self.endpoint_label();
        let request = Outgoing {
            method: crate::transport::Method::Post,
            url: &self.oauth.token_url,
            headers: authorization
                .iter()
                .map(|value| ("authorization", value.expose().to_string()))
                .collect(),
            body: match self.format {
                TokenFormat::Form => Body::Form(body.expose()),
                TokenFormat::Json => Body::Json(body.expose()),
            },
            // Asking for a token twice is harmless; `fetch` decides about retries.
            idempotency: Idempotency::Safe,
            refusal: crate::transport::retry::status_only,
            label: &label,
        };
        // The token cannot have been issued before this: its life is counted from here.
        let sent = Instant::now();
        let answer = match transport.attempt(&request, started, budget, retries) {
            Ok(answer) => answer,
            Err(failure) => return failure_attempt(failure),
        };
        if (200..300).contains(&answer.status) {
            return match parse_token_answer(&answer.body) {
                Ok((token, lifetime)) => Attempt::Token(Fetched {
                    token,
                    lifetime,
                    sent,
                }),
                Err(why) => Attempt::Final(
                    Error::new(
                        Code::AuthUnavailable,
                        format!("{label}: malformed answer: {why}"),
                    )
                    .with_answer(answer.status, None),
                ),
            };
        }
        let reason = oauth_error_text(&answer.body);
        if let Some(hint) = misconfiguration(answer.status, &answer.body) {
            let error = Error::new(
                Code::AuthFailed,
                format!(
                    "{label} refused the token request of client '{}' (HTTP {}{reason}): {hint}",
                    self.oauth.client_id, answer.status
                ),
            );
            return Attempt::Final(error.with_answer(answer.status, Some(answer.body)));
        }
        if is_rejection(answer.status, &answer.body) {
            let error = Error::new(
                Code::AuthFailed,
                format!(
                    "{label} rejected the credentials of client '{}' (HTTP {}{reason})",
                    self.oauth.client_id, answer.status
                ),
            );
            return Attempt::Final(error.with_answer(answer.status, Some(answer.body)));
        }
        let why = format!("{label} answered HTTP {}{reason}", answer.status);
        if answer.status == 429 || (500..600).contains(&answer.status) {
            return Attempt::Transient(Transient {
                code: Code::AuthUnavailable,
                why,
                retry_after: answer
                    .headers
                    .get("retry-after")
                    .and_then(parse_retry_after),
                status: answer.status,
                body: Some(answer.body),
            });
        }
        Attempt::Final(
            Error::new(Code::AuthUnavailable, why).with_answer(answer.status, Some(answer.body)),
        )
    }

    pub(super) fn endpoint_label(&self) -> String {
        format!("token endpoint {}", self.oauth.token_url)
    }

    /// `client_secret_basic`: RFC 6749 §2.3.1 form-encodes id and secret before base64.
    fn basic_authorization(&self) -> Option<Secret> {
        (self.client_auth == ClientAuth::Basic).then(|| client_secret_basic(&self.oauth))
    }

    fn request_body(&self) -> String {
        let mut fields: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        if self.client_auth == ClientAuth::Post {
            fields.push(("client_id", &self.oauth.client_id));
            fields.push(("client_secret", self.oauth.client_secret.expose()));
        }
        if let Some(audience) = audience(&self.oauth.audience, self.base_url.as_deref()) {
            fields.push(("audience", audience));
        }
        if let Some(scope) = &self.scope {
            fields.push(("scope", scope));
        }
        match self.format {
            TokenFormat::Form => fields
                .iter()
                .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, FORM_VALUE)))
                .collect::<Vec<_>>()
                .join("&"),
            TokenFormat::Json => {
                let map: serde_json::Map<String, serde_json::Value> = fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                    .collect();
                serde_json::Value::Object(map).to_string()
            }
        }
    }
}

/// A token from the endpoint, how long it lives, and when the request for it was sent.
pub(super) struct Fetched {
    pub(super) token: Secret,
    pub(super) lifetime: Lifetime,
    pub(super) sent: Instant,
}

/// How long a token lives, by the server's word (clamped to [`MAX_LIFETIME`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Lifetime {
    /// What `expires_in` said, or what the JWT `exp` leaves, or [`FALLBACK_LIFETIME`].
    pub(super) stated: Duration,
    /// How long the token may be sent: `stated` less the allowance for a rounded `exp`.
    pub(super) usable: Duration,
}

impl Lifetime {
    /// From `expires_in`, which counts from when the server issued the token, in seconds
    /// that its `exp` may have rounded down.
    pub(super) fn from_expires_in(stated: Duration) -> Lifetime {
        let stated = stated.min(MAX_LIFETIME);
        let allowance = EXPIRES_IN_ALLOWANCE.min(stated / ALLOWANCE_DIVISOR);
        Lifetime {
            stated,
            usable: stated - allowance,
        }
    }

    /// From a JWT `exp` or the fallback: already the time that is left.
    pub(super) fn exact(stated: Duration) -> Lifetime {
        let stated = stated.min(MAX_LIFETIME);
        Lifetime {
            stated,
            usable: stated,
        }
    }
}

/// What one exchange with the token endpoint came to.
pub(super) enum Attempt {
    Token(Fetched),
    /// Asking again would not help: rejected credentials, a malformed answer, another 4xx.
    Final(Error),
    /// Worth another try after a pause: 429, 5xx, a connection that failed or broke.
    Transient(Transient),
}

pub(super) struct Transient {
    /// What it is once no retry is left: the network's own code (`Connect`, `Timeout`,
    /// `Io`) when no answer came, so "the server is down" is not an authentication error;
    /// `AuthUnavailable` for the endpoint's 429 and 5xx.
    code: Code,
    /// Names the endpoint and what went wrong; never the secret.
    why: String,
    pub(super) retry_after: Option<Duration>,
    status: u16,
    body: Option<String>,
}

impl Transient {
    /// The error once no retry is left, or when the next pause would outlast the request
    /// timeout (a long `Retry-After`, say): the message tells which.
    pub(super) fn give_up(self, retries: u32, out_of_time: bool) -> Error {
        let mut why = self.why;
        match retries {
            0 => {}
            1 => why.push_str(" (after 1 retry)"),
            n => why.push_str(&format!(" (after {n} retries)")),
        }
        if out_of_time {
            match self.retry_after {
                Some(wait) => why.push_str(&format!(
                    "; it asked to retry after {} s, longer than the request timeout allows",
                    wait.as_secs()
                )),
                None => why.push_str("; the request timeout leaves no time for another try"),
            }
        }
        let error = Error::new(self.code, why);
        match self.status {
            0 => error,
            status => error.with_answer(status, self.body),
        }
    }
}

/// The `Authorization` value of `client_secret_basic`: RFC 6749 §2.3.1 form-encodes id and
/// secret before base64.
pub(crate) fn client_secret_basic(oauth: &OAuth) -> Secret {
    let pair = Secret::new(format!(
        "{}:{}",
        utf8_percent_encode(&oauth.client_id, FORM_VALUE),
        utf8_percent_encode(oauth.client_secret.expose(), FORM_VALUE)
    ));
    let encoded = Secret::new(base64::engine::general_purpose::STANDARD.encode(pair.expose()));
    Secret::new(format!("Basic {}", encoded.expose()))
}

/// A failure to get any answer: worth retrying when the network may recover.
fn failure_attempt(failure: Failure) -> Attempt {
    let code = failure.error.code();
    let why = failure.error.message().to_string();
    if matches!(code, Code::Connect | Code::Timeout | Code::Io) {
        Attempt::Transient(Transient {
            code,
            why,
            retry_after: None,
            status: 0,
            body: None,
        })
    } else if matches!(code, Code::AuthFailed | Code::Tls) {
        // The proxy refused its credentials (407): a rejection, like the endpoint's own.
        // A TLS failure is about the connection (a CA to add, a name), not the credentials.
        Attempt::Final(failure.error)
    } else {
        // TLS, a bad URL, an oversized answer: the same request would fail the same way.
        Attempt::Final(Error::new(Code::AuthUnavailable, why))
    }
}

/// A 400 about the request rather than the credentials (RFC 6749 §5.2, RFC 8707): the
/// configuration is wrong, asking again cannot succeed; what to check.
fn misconfiguration(status: u16, body: &str) -> Option<&'static str> {
    if status != 400 {
        return None;
    }
    match oauth_error_code(body).as_deref()? {
        "invalid_target" => Some("check the audience (tasklist_options_set_oauth)"),
        "invalid_scope" => Some("check the scope (tasklist_options_set_oauth_scope)"),
        "unsupported_grant_type" => {
            Some("the endpoint does not allow the client_credentials grant for this client")
        }
        _ => None,
    }
}

/// The endpoint refused these credentials: asking again with them cannot succeed.
fn is_rejection(status: u16, body: &str) -> bool {
    matches!(status, 401 | 403)
        || (status == 400
            && matches!(
                oauth_error_code(body).as_deref(),
                Some("invalid_client" | "unauthorized_client" | "invalid_grant" | "access_denied")
            ))
}

/// The access token and its lifetime: `expires_in`, else the JWT `exp`, else 60 s.
fn parse_token_answer(body: &str) -> std::result::Result<(Secret, Lifetime), String> {
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|_| "the body is not JSON".to_string())?;
    let token = value
        .get("access_token")
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .ok_or("no access_token")?;
    if token.chars().any(|c| c.is_control() || c == ' ') {
        return Err("the access_token contains spaces or control characters".into());
    }
    let expires_in = match value.get("expires_in") {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|s| s.is_finite())
    .and_then(clamped_seconds)
    .map(Lifetime::from_expires_in);
    let lifetime = expires_in
        .or_else(|| jwt_remaining_lifetime(token).map(Lifetime::exact))
        .unwrap_or(Lifetime::exact(FALLBACK_LIFETIME));
    Ok((Secret::new(token), lifetime))
}

/// Time left until the `exp` claim of a JWT; `None` for opaque tokens.
pub(crate) fn jwt_remaining_lifetime(token: &str) -> Option<Duration> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    clamped_seconds(exp - now)
}

/// A positive number of seconds from a server, at most [`MAX_LIFETIME`]; `None` for zero,
/// negative or NaN. Never panics, unlike `Duration::from_secs_f64` with `1e300`.
fn clamped_seconds(seconds: f64) -> Option<Duration> {
    if seconds.is_nan() || seconds <= 0.0 {
        return None;
    }
    let seconds = seconds.min(MAX_LIFETIME.as_secs_f64());
    Some(Duration::try_from_secs_f64(seconds).unwrap_or(MAX_LIFETIME))
}

fn oauth_error_code(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value.get("error")?.as_str().map(str::to_string)
}

/// ": invalid_client: client authentication failed" from an RFC 6749 error body.
fn oauth_error_text(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return String::new();
    };
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).unwrap_or("");
    let text = [field("error"), field("error_description"), field("message")]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(200).collect::<String>())
        .collect::<Vec<_>>()
        .join(": ");
    if text.is_empty() {
        text
    } else {
        format!(": {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_audience_follows_the_base_url() {
        let default = Audience::Default;
        let zeebe = Some("https://bru-2.zeebe.camunda.io/abc-123");
        assert_eq!(audience(&default, zeebe), Some("zeebe.camunda.io"));
        let tasklist = Some("https://bru-2.tasklist.camunda.io/abc-123");
        assert_eq!(audience(&default, tasklist), Some("tasklist.camunda.io"));
        assert_eq!(
            audience(&default, Some("http://localhost:8080")),
            Some("tasklist.camunda.io")
        );
        // Only the host counts, not a path that happens to look like one.
        let path = Some("https://proxy.example/zeebe.camunda.io");
        assert_eq!(audience(&default, path), Some("tasklist.camunda.io"));
        let named = Audience::Named("custom".into());
        assert_eq!(audience(&named, zeebe), Some("custom"));
        assert_eq!(audience(&Audience::Omitted, zeebe), None);
    }

    fn oauth() -> OAuth {
        OAuth {
            token_url: "http://a/token".into(),
            client_id: "my client".into(),
            client_secret: Secret::new("p&ss=word"),
            audience: Audience::Named("tasklist.camunda.io".into()),
        }
    }

    fn request(adjust: impl FnOnce(&mut Config)) -> TokenRequest {
        let mut config = Config::default();
        adjust(&mut config);
        TokenRequest::new(oauth(), &config)
    }

    #[test]
    fn lifetime_comes_from_expires_in_first() {
        let lifetime = |stated_ms, usable_ms| Lifetime {
            stated: Duration::from_millis(stated_ms),
            usable: Duration::from_millis(usable_ms),
        };
        let (t, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":300}"#).unwrap();
        assert_eq!(t.expose(), "abc");
        assert_eq!(
            l,
            lifetime(300_000, 299_000),
            "a second is allowed for rounding"
        );
        let (_, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":"120"}"#).unwrap();
        assert_eq!(l, lifetime(120_000, 119_000));
        let (_, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":1}"#).unwrap();
        assert_eq!(
            l,
            lifetime(1_000, 900),
            "a short lifetime loses a tenth at most"
        );
        let (_, l) = parse_token_answer(r#"{"access_token":"abc","expires_in":0.001}"#).unwrap();
        assert_eq!(l.stated, Duration::from_millis(1));
    }

    #[test]
    fn lifetime_falls_back_to_jwt_exp_then_sixty_seconds() {
        let exp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 1000;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let jwt = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"HS256"}"#),
            b64(&format!(r#"{{"exp":{exp}}}"#))
        );
        let (_, l) = parse_token_answer(&format!(r#"{{"access_token":"{jwt}"}}"#)).unwrap();
        assert!(
            l.stated > Duration::from_secs(990) && l.stated <= Duration::from_secs(1000),
            "{l:?}"
        );
        assert_eq!(l.usable, l.stated, "exp is already what is left");
        let (_, l) = parse_token_answer(r#"{"access_token":"opaque-token"}"#).unwrap();
        assert_eq!(l, Lifetime::exact(FALLBACK_LIFETIME));
    }

    #[test]
    fn absurd_lifetimes_are_clamped_to_a_day() {
        let lifetime = |answer: &str| parse_token_answer(answer).unwrap().1;
        let a_day = Lifetime {
            stated: MAX_LIFETIME,
            usable: MAX_LIFETIME - EXPIRES_IN_ALLOWANCE,
        };
        for expires_in in [
            "9223372036854775807",
            "18446744073709551615",
            "1e300",
            "\"1e300\"",
            "1.7976931348623157e308",
            "86401",
        ] {
            let answer = format!(r#"{{"access_token":"abc","expires_in":{expires_in}}}"#);
            assert_eq!(lifetime(&answer), a_day, "expires_in {expires_in}");
        }
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        for exp in ["18446744073709551615", "9223372036854775807", "1e300"] {
            let jwt = format!("{}.{}.sig", b64("{}"), b64(&format!(r#"{{"exp":{exp}}}"#)));
            assert_eq!(
                jwt_remaining_lifetime(&jwt),
                Some(MAX_LIFETIME),
                "exp {exp}"
            );
        }
        // Nonsense that is not a lifetime at all falls back as before.
        for expires_in in ["0", "-5", "\"NaN\"", "\"inf\"", "\"soon\""] {
            let answer = format!(r#"{{"access_token":"abc","expires_in":{expires_in}}}"#);
            assert_eq!(
                lifetime(&answer),
                Lifetime::exact(FALLBACK_LIFETIME),
                "expires_in {expires_in}"
            );
        }
    }

    #[test]
    fn malformed_answers_are_refused() {
        assert!(parse_token_answer("<html>").is_err());
        assert!(parse_token_answer(r#"{"token":"x"}"#).is_err());
        assert!(parse_token_answer(r#"{"access_token":""}"#).is_err());
        assert!(parse_token_answer(r#"{"access_token":"a b"}"#).is_err());
    }

    #[test]
    fn form_and_json_bodies_carry_every_field_encoded() {
        let form = request(|c| c.scope = Some("api://x/.default".into()));
        assert_eq!(
            form.request_body(),
            "grant_type=client_credentials&client_id=my%20client&client_secret=p%26ss%3Dword\
             &audience=tasklist.camunda.io&scope=api%3A%2F%2Fx%2F.default"
        );
        assert!(form.basic_authorization().is_none());
        let json = request(|c| c.token_format = TokenFormat::Json);
        let body: serde_json::Value = serde_json::from_str(&json.request_body()).unwrap();
        assert_eq!(body["grant_type"], "client_credentials");
        assert_eq!(body["client_secret"], "p&ss=word");
        assert_eq!(body["audience"], "tasklist.camunda.io");
        assert!(body.get("scope").is_none());
    }

    #[test]
    fn client_secret_basic_moves_the_credentials_into_the_header() {
        let basic = request(|c| c.client_auth = ClientAuth::Basic);
        assert_eq!(
            basic.request_body(),
            "grant_type=client_credentials&audience=tasklist.camunda.io"
        );
        let header = basic.basic_authorization().unwrap();
        let encoded = header.expose().strip_prefix("Basic ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        // RFC 6749 §2.3.1: both halves form-encoded, so a ':' in the id cannot split wrongly.
        assert_eq!(decoded, b"my%20client:p%26ss%3Dword");
    }

    #[test]
    fn only_refusals_of_the_credentials_count_as_rejections() {
        assert!(is_rejection(401, ""));
        assert!(is_rejection(403, "<html>"));
        assert!(is_rejection(400, r#"{"error":"invalid_client"}"#));
        for wrong in ["invalid_target", "invalid_scope", "unsupported_grant_type"] {
            let body = format!(r#"{{"error":"{wrong}"}}"#);
            assert!(misconfiguration(400, &body).is_some(), "{wrong}");
            assert!(misconfiguration(500, &body).is_none(), "{wrong}");
        }
        assert!(misconfiguration(400, r#"{"error":"invalid_client"}"#).is_none());
        assert!(is_rejection(400, r#"{"error":"unauthorized_client"}"#));
        assert!(!is_rejection(400, r#"{"error":"invalid_request"}"#));
        assert!(!is_rejection(429, ""));
        assert!(!is_rejection(500, ""));
    }

    #[test]
    fn oauth_error_bodies_are_summarised() {
        assert_eq!(
            oauth_error_text(r#"{"error":"invalid_client","error_description":"bad secret"}"#),
            ": invalid_client: bad secret"
        );
        assert_eq!(oauth_error_text("not json"), "");
    }
}
