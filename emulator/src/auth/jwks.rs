//! RS256 bearer tokens of an external issuer (e.g. Identity/Keycloak, or
//! oidc-provider in tests), verified against the issuer's JWKS like Spring's
//! `NimbusJwtDecoder`: keys are cached and refetched when a token names a
//! key id the cache does not know (key rotation).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::{BigUint, RsaPublicKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::jwt;
use crate::dates::now_millis;

/// Refetch at most this often, so a flood of bad kids cannot hammer the issuer.
const MIN_REFETCH_INTERVAL: Duration = Duration::from_millis(500);
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

pub struct JwksVerifier {
    url: String,
    issuer: String,
    audience: String,
    cache: Mutex<KeyCache>,
}

#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, RsaPublicKey>,
    fetched_at: Option<Instant>,
}

impl JwksVerifier {
    pub fn new(url: String, issuer: String, audience: String) -> JwksVerifier {
        JwksVerifier {
            url,
            issuer,
            audience,
            cache: Mutex::new(KeyCache::default()),
        }
    }

    /// Verifies signature and claims; returns the caller's client id.
    pub fn verify(&self, token: &str) -> Result<String, String> {
        let jws = jwt::parse(token)?;
        if jws.header.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err(
                "An error occurred while attempting to decode the Jwt: Unsupported algorithm"
                    .into(),
            );
        }
        let kid = jws
            .header
            .get("kid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let digest = Sha256::digest(jws.signing_input.as_bytes());
        let verified = {
            let mut cache = self.cache.lock().unwrap();
            if !cache.keys.contains_key(&kid) {
                self.refresh(&mut cache)?;
            }
            let candidates: Vec<&RsaPublicKey> = match cache.keys.get(&kid) {
                Some(key) => vec![key],
                // A token without kid: any key of the set may have signed it.
                None if kid.is_empty() => cache.keys.values().collect(),
                None => Vec::new(),
            };
            if candidates.is_empty() {
                return Err(format!(
                    "An error occurred while attempting to decode the Jwt: Signed JWT rejected: Another algorithm expected, or no matching key(s) found (kid {kid})"
                ));
            }
            candidates.iter().any(|key| {
                key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &jws.signature)
                    .is_ok()
            })
        };
        if !verified {
            return Err("An error occurred while attempting to decode the Jwt: Signed JWT rejected: Invalid signature".into());
        }
        jwt::check_claims(&jws.claims, &self.issuer, &self.audience, now_millis())?;
        Ok(jwt::client_id(&jws.claims))
    }

    fn refresh(&self, cache: &mut KeyCache) -> Result<(), String> {
        if cache
            .fetched_at
            .is_some_and(|t| t.elapsed() < MIN_REFETCH_INTERVAL)
        {
            return Ok(());
        }
        cache.fetched_at = Some(Instant::now());
        let body = http_get(&self.url).map_err(|e| {
            format!("An error occurred while attempting to decode the Jwt: Couldn't retrieve remote JWK set: {e}")
        })?;
        cache.keys = parse_jwks(&body)?;
        Ok(())
    }
}

/// RSA keys of a JWK set by kid (keys without kid under "").
pub fn parse_jwks(body: &[u8]) -> Result<HashMap<String, RsaPublicKey>, String> {
    let set: Value = serde_json::from_slice(body).map_err(|e| format!("Invalid JWK set: {e}"))?;
    let mut keys = HashMap::new();
    for jwk in set
        .get("keys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if jwk.get("kty").and_then(Value::as_str) != Some("RSA") {
            continue;
        }
        if jwk
            .get("use")
            .and_then(Value::as_str)
            .is_some_and(|u| u != "sig")
        {
            continue;
        }
        let part = |name: &str| jwk.get(name).and_then(Value::as_str).and_then(jwt::unb64);
        let (Some(n), Some(e)) = (part("n"), part("e")) else {
            continue;
        };
        let Ok(key) = RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))
        else {
            continue;
        };
        let kid = jwk
            .get("kid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        keys.insert(kid, key);
    }
    Ok(keys)
}

/// A minimal HTTP/1.1 GET for `http://` URLs (the issuer runs on loopback
/// in tests; TLS issuers are out of scope for an emulator).
pub fn http_get(url: &str) -> Result<Vec<u8>, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("only http:// JWKS URLs are supported: {url}"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let with_port = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let addr = with_port
        .to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or("no address")?;
    let mut stream = TcpStream::connect_timeout(&addr, FETCH_TIMEOUT).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(FETCH_TIMEOUT))
        .map_err(|e| e.to_string())?;
    // One write: a server may answer (and close) as soon as it sees bytes.
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nAccept: application/json\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("malformed HTTP answer")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let body = &raw[split + 4..];
    let status = head.split_whitespace().nth(1).unwrap_or("");
    if status != "200" {
        return Err(format!("HTTP status {status}"));
    }
    if head.contains("transfer-encoding: chunked") {
        return Ok(dechunk(body));
    }
    Ok(body.to_vec())
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&body[..eol]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        if size == 0 || body.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
        body = &body[(eol + 4 + size).min(body.len())..];
    }
    out
}
