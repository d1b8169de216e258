//! The OAuth 2.0 token endpoint (client credentials) and the HS256 tokens
//! it issues, modelled on the SaaS endpoint `login.cloud.camunda.io/oauth/token`
//! (JSON or form bodies) and RFC 6749 (HTTP Basic client authentication).

use std::sync::atomic::{AtomicU64, Ordering};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::jwt;
use crate::config::{Config, TokenErrorStyle};
use crate::dates::now_millis;
use crate::http::{parse_form, percent_decode, Request, Response};
use crate::random;

pub struct TokenIssuer {
    /// Per-process signing key: tokens die with the emulator.
    key: [u8; 32],
    issuer: String,
    /// The audiences tokens may be asked for: `Config::audience` first
    /// (the default), plus `Config::v2_audience` where v2 is served.
    audiences: Vec<String>,
    clients: Vec<(String, String)>,
    error_style: TokenErrorStyle,
    lifetime_secs: AtomicU64,
    /// Serial number of the next token, carried in `jti`.
    next_serial: AtomicU64,
    /// Tokens with a smaller serial were revoked.
    revoked_below: AtomicU64,
}

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    Response::json(
        status,
        json!({"error": error, "error_description": description}).to_string(),
    )
    .with_header("Cache-Control", "no-store")
}

impl TokenIssuer {
    pub fn new(config: &Config, base_url: &str) -> TokenIssuer {
        TokenIssuer {
            key: random::bytes::<32>(),
            issuer: base_url.to_string(),
            audiences: {
                let mut audiences = vec![config.audience.clone()];
                if config.profile().serves_v2 && config.v2_audience != config.audience {
                    audiences.push(config.v2_audience.clone());
                }
                audiences
            },
            clients: config.clients.clone(),
            error_style: config.token_error_style,
            lifetime_secs: AtomicU64::new(config.token_lifetime_secs),
            next_serial: AtomicU64::new(0),
            revoked_below: AtomicU64::new(0),
        }
    }

    pub fn set_lifetime(&self, seconds: u64) {
        self.lifetime_secs.store(seconds, Ordering::SeqCst);
    }

    pub fn revoke_all(&self) {
        self.revoked_below
            .store(self.next_serial.load(Ordering::SeqCst), Ordering::SeqCst);
    }

    /// Handles POST <token_path>; the bool says whether a token was issued.
    pub fn handle(&self, request: &Request) -> (Response, bool) {
        if request.method != "POST" {
            return (
                oauth_error(
                    405,
                    "invalid_request",
                    "The token endpoint accepts POST only",
                ),
                false,
            );
        }
        let params = request_params(request);
        let param = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let basic = request.header("authorization").and_then(basic_credentials);
        match param("grant_type") {
            None => {
                return (
                    oauth_error(400, "invalid_request", "Missing parameter: grant_type"),
                    false,
                )
            }
            Some("client_credentials") => {}
            Some(other) => {
                return (
                    oauth_error(
                        400,
                        "unsupported_grant_type",
                        &format!("Unsupported grant type: {other}"),
                    ),
                    false,
                )
            }
        }
        let (client_id, secret) = match &basic {
            Some((id, secret)) => (Some(id.as_str()), Some(secret.as_str())),
            None => (param("client_id"), param("client_secret")),
        };
        let known = self
            .clients
            .iter()
            .any(|(id, s)| Some(id.as_str()) == client_id && Some(s.as_str()) == secret);
        let Some(client_id) = client_id.filter(|_| known) else {
            let refused = match self.error_style {
                TokenErrorStyle::Rfc6749 => oauth_error(
                    401,
                    "invalid_client",
                    "Invalid client or Invalid client credentials",
                )
                .with_header("WWW-Authenticate", "Basic realm=\"tasklist-emulator\""),
                TokenErrorStyle::Saas => oauth_error(401, "access_denied", "Unauthorized"),
            };
            return (refused, false);
        };
        let requested = param("audience").filter(|a| !a.is_empty());
        if let Some(audience) = requested.filter(|a| !self.audiences.iter().any(|known| known == a))
        {
            let refused = match self.error_style {
                TokenErrorStyle::Rfc6749 => oauth_error(
                    400,
                    "invalid_target",
                    &format!("Unknown audience: {audience}"),
                ),
                TokenErrorStyle::Saas => oauth_error(
                    403,
                    "access_denied",
                    &format!("Service not enabled within domain: {audience}"),
                ),
            };
            return (refused, false);
        }
        let scope = param("scope").unwrap_or("").to_string();
        let lifetime = self.lifetime_secs.load(Ordering::SeqCst);
        let audience = requested.unwrap_or(&self.audiences[0]).to_string();
        let token = self.issue(client_id, &scope, lifetime, &audience);
        let body = json!({"access_token": token, "expires_in": lifetime, "token_type": "Bearer", "scope": scope});
        let response = Response::json(200, body.to_string())
            .with_header("Cache-Control", "no-store")
            .with_header("Pragma", "no-cache");
        (response, true)
    }

    fn issue(&self, client_id: &str, scope: &str, lifetime: u64, audience: &str) -> String {
        let serial = self.next_serial.fetch_add(1, Ordering::SeqCst);
        let now = now_millis() / 1000;
        let claims = json!({
            "iss": self.issuer,
            "sub": client_id,
            "azp": client_id,
            "aud": audience,
            "iat": now,
            "exp": now + lifetime as i64,
            "scope": scope,
            "jti": format!("{serial}.{}", random::hex(&random::bytes::<8>())),
        });
        jwt::sign_hs256(&self.key, &claims)
    }

    /// Verifies one of our own tokens; the error is the 401 message.
    pub fn verify(&self, token: &str) -> Result<String, String> {
        let jws = jwt::parse(token)?;
        if !jwt::hs256_verify(&self.key, jws.signing_input.as_bytes(), &jws.signature) {
            return Err("An error occurred while attempting to decode the Jwt: Signed JWT rejected: Invalid signature".into());
        }
        // Any audience of ours will do: both APIs share the port.
        let now = now_millis();
        let checks: Vec<Result<(), String>> = self
            .audiences
            .iter()
            .map(|a| jwt::check_claims(&jws.claims, &self.issuer, a, now))
            .collect();
        if !checks.iter().any(Result::is_ok) {
            checks.into_iter().next().expect("one audience at least")?;
        }
        let serial: u64 = jws
            .claims
            .get("jti")
            .and_then(Value::as_str)
            .and_then(|j| j.split('.').next())
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| jwt::MALFORMED.to_string())?;
        if serial < self.revoked_below.load(Ordering::SeqCst) {
            return Err("Token has been revoked".into());
        }
        Ok(jwt::client_id(&jws.claims))
    }
}

/// Parameters from a JSON body (SaaS docs) or a form body (RFC 6749).
fn request_params(request: &Request) -> Vec<(String, String)> {
    if request.is_json() {
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&request.body) {
            return map
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((k, s)),
                    Value::Null => None,
                    other => Some((k, other.to_string())),
                })
                .collect();
        }
        return Vec::new();
    }
    parse_form(&String::from_utf8_lossy(&request.body))
}

/// RFC 6749 §2.3.1: `Basic base64(urlencode(id):urlencode(secret))`.
fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((percent_decode(id, true), percent_decode(secret, true)))
}
