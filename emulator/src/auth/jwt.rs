//! Compact JWS handling shared by our HS256 tokens and external RS256 ones:
//! splitting, base64url, HMAC-SHA256 and the claim checks Spring's
//! `JwtDecoder` applies (exp, nbf, iss, aud).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::dates::format_instant;

pub struct Jws<'a> {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: &'a str,
    pub signature: Vec<u8>,
}

pub fn b64(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

pub fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

fn json_object(part: &str) -> Option<Map<String, Value>> {
    match serde_json::from_slice(&unb64(part)?).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

pub const MALFORMED: &str = "An error occurred while attempting to decode the Jwt: Malformed token";

pub fn parse(token: &str) -> Result<Jws<'_>, String> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(MALFORMED.into());
    };
    let header = json_object(h).ok_or(MALFORMED)?;
    let claims = json_object(p).ok_or(MALFORMED)?;
    let signature = unb64(s).ok_or(MALFORMED)?;
    Ok(Jws {
        header,
        claims,
        signing_input: &token[..h.len() + 1 + p.len()],
        signature,
    })
}

pub fn hs256(key: &[u8], input: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(input);
    mac.finalize().into_bytes().to_vec()
}

pub fn hs256_verify(key: &[u8], input: &[u8], signature: &[u8]) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(input);
    mac.verify_slice(signature).is_ok()
}

pub fn sign_hs256(key: &[u8], claims: &Value) -> String {
    let header = b64(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = b64(claims.to_string().as_bytes());
    let input = format!("{header}.{payload}");
    let signature = b64(&hs256(key, input.as_bytes()));
    format!("{input}.{signature}")
}

/// exp/nbf (seconds), iss and aud, with Spring's messages.
pub fn check_claims(
    claims: &Map<String, Value>,
    issuer: &str,
    audience: &str,
    now_ms: i64,
) -> Result<(), String> {
    let now = now_ms / 1000;
    match claims.get("exp").and_then(Value::as_i64) {
        Some(exp) if exp <= now => {
            return Err(format!("Jwt expired at {}", format_instant(exp * 1000)))
        }
        Some(_) => {}
        None => return Err("The exp claim is missing".into()),
    }
    if let Some(nbf) = claims.get("nbf").and_then(Value::as_i64) {
        if nbf > now {
            return Err(format!("Jwt used before {}", format_instant(nbf * 1000)));
        }
    }
    let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
    if iss.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err("The iss claim is not valid".into());
    }
    let has_audience = match claims.get("aud") {
        Some(Value::String(a)) => a == audience,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
        _ => false,
    };
    if !has_audience {
        return Err("The aud claim is not valid".into());
    }
    Ok(())
}

/// The user id of an M2M token: `client_id`, else `azp`, else `sub`.
pub fn client_id(claims: &Map<String, Value>) -> String {
    ["client_id", "azp", "sub"]
        .iter()
        .find_map(|c| claims.get(*c).and_then(Value::as_str))
        .unwrap_or("")
        .to_string()
}
