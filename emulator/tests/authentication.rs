//! Token endpoint, cookie login, CSRF and external-issuer JWTs
//! (reference §9, brief items 4a–4d).

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tasklist_emulator::{Config, TokenErrorStyle};

fn token_request(addr: std::net::SocketAddr, headers: &[(&str, &str)], body: &str) -> Reply {
    send(addr, "POST", "/oauth/token", headers, body.as_bytes()).unwrap()
}

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

#[test]
fn token_endpoint_accepts_form_json_and_basic() {
    let emulator = start_default();
    let addr = emulator.addr();
    let form = token_request(addr, &[FORM], "grant_type=client_credentials&client_id=tasklist-client&client_secret=tasklist-secret&audience=tasklist.camunda.io");
    assert_eq!(form.status, 200, "{}", form.text());
    let body = form.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 300);
    assert!(body["scope"].is_string());
    let basic = format!(
        "Basic {}",
        STANDARD.encode("tasklist-client:tasklist-secret")
    );
    let with_basic = token_request(
        addr,
        &[FORM, ("Authorization", &basic)],
        "grant_type=client_credentials",
    );
    assert_eq!(with_basic.status, 200, "{}", with_basic.text());
    let json_body = token_request(
        addr,
        &[("Content-Type", "application/json")],
        r#"{"grant_type":"client_credentials","client_id":"tasklist-client","client_secret":"tasklist-secret"}"#,
    );
    assert_eq!(json_body.status, 200);
    // The token is a JWT with the expected claims and works on /v1.
    let token = json_body.json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["aud"], "tasklist.camunda.io");
    assert_eq!(claims["iss"], emulator.base_url());
    assert_eq!(claims["sub"], "tasklist-client");
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
    let auth = format!("Bearer {token}");
    assert_eq!(
        send(
            addr,
            "POST",
            "/v1/tasks/search",
            &[("Authorization", &auth)],
            b"{}"
        )
        .unwrap()
        .status,
        200
    );
    // The API user's id is the client id.
    let me = send(
        addr,
        "GET",
        "/v1/internal/users/current",
        &[("Authorization", &auth)],
        b"",
    )
    .unwrap()
    .json();
    assert_eq!(me["userId"], "tasklist-client");
}

#[test]
fn token_endpoint_refusals() {
    let emulator = start_default();
    let addr = emulator.addr();
    let grant = token_request(
        addr,
        &[FORM],
        "grant_type=password&client_id=tasklist-client&client_secret=tasklist-secret",
    );
    assert_eq!(grant.status, 400);
    assert_eq!(grant.json()["error"], "unsupported_grant_type");
    let wrong = token_request(
        addr,
        &[FORM],
        "grant_type=client_credentials&client_id=tasklist-client&client_secret=nope",
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json()["error"], "invalid_client");
    let audience = token_request(addr, &[FORM], "grant_type=client_credentials&client_id=tasklist-client&client_secret=tasklist-secret&audience=operate.camunda.io");
    assert_ne!(audience.status, 200);

    let saas = start(Config {
        token_error_style: TokenErrorStyle::Saas,
        ..Config::default()
    });
    let wrong = token_request(
        saas.addr(),
        &[("Content-Type", "application/json")],
        r#"{"grant_type":"client_credentials","client_id":"x","client_secret":"y"}"#,
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.json(),
        json!({"error":"access_denied","error_description":"Unauthorized"})
    );
}

#[test]
fn bad_tokens_are_refused_before_controllers() {
    let emulator = start_default();
    let addr = emulator.addr();
    let missing = send(addr, "GET", "/v1/tasks/1", &[], b"").unwrap();
    assert_eq!(missing.status, 401);
    assert_eq!(missing.header("content-type"), Some("application/json"));
    assert_eq!(missing.json(), json!({"message": ""}));
    let token = token(addr);
    let mut bytes = token.clone().into_bytes();
    let i = bytes.len() - 10;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let tampered = format!("Bearer {}", String::from_utf8(bytes).unwrap());
    let reply = send(
        addr,
        "GET",
        "/v1/tasks/1",
        &[("Authorization", &tampered)],
        b"",
    )
    .unwrap();
    assert_eq!(reply.status, 401);
    assert!(reply.message().contains("Invalid signature"));
    // Revocation and expiry.
    let good = format!("Bearer {token}");
    assert_eq!(
        send(addr, "GET", "/v1/tasks/1", &[("Authorization", &good)], b"")
            .unwrap()
            .status,
        404
    );
    send(addr, "POST", "/__emulator/revoke-tokens", &[], b"").unwrap();
    assert_eq!(
        send(addr, "GET", "/v1/tasks/1", &[("Authorization", &good)], b"")
            .unwrap()
            .status,
        401
    );
    let fresh = format!("Bearer {}", common::token(addr));
    assert_eq!(
        send(
            addr,
            "GET",
            "/v1/tasks/1",
            &[("Authorization", &fresh)],
            b""
        )
        .unwrap()
        .status,
        404
    );
    send(
        addr,
        "POST",
        "/__emulator/token-lifetime",
        &[],
        br#"{"seconds":1}"#,
    )
    .unwrap();
    let short = common::token(addr);
    std::thread::sleep(Duration::from_millis(2100));
    let expired = send(
        addr,
        "GET",
        "/v1/tasks/1",
        &[("Authorization", &format!("Bearer {short}"))],
        b"",
    )
    .unwrap();
    assert_eq!(expired.status, 401);
    assert!(
        expired.message().starts_with("Jwt expired at"),
        "{}",
        expired.message()
    );
}

#[test]
fn cookie_login_logout_and_expiry() {
    let emulator = start(Config {
        session_timeout_secs: 1,
        ..Config::default()
    });
    let addr = emulator.addr();
    // JSON bodies are not read; form bodies and query strings are.
    let json_login = send(
        addr,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json")],
        br#"{"username":"demo","password":"demo"}"#,
    )
    .unwrap();
    assert_eq!(json_login.status, 401);
    assert_eq!(json_login.json(), json!({"message": ""}));
    assert!(json_login.header("set-cookie").is_none());
    let bad = send(
        addr,
        "POST",
        "/api/login?username=demo&password=wrong",
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(bad.status, 401);
    let form = send(
        addr,
        "POST",
        "/api/login",
        &[FORM],
        b"username=demo&password=demo",
    )
    .unwrap();
    assert_eq!(form.status, 204);
    let cookie = form.header("set-cookie").unwrap();
    assert!(
        cookie.ends_with("; Path=/; HttpOnly; SameSite=Lax"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();
    let id = session.strip_prefix("TASKLIST-SESSION=").unwrap();
    assert!(id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()));
    let me = send(
        addr,
        "GET",
        "/v1/internal/users/current",
        &[("Cookie", &session)],
        b"",
    )
    .unwrap();
    assert_eq!(me.json()["userId"], "demo");
    // Idle timeout of one second.
    std::thread::sleep(Duration::from_millis(1500));
    let idle = send(
        addr,
        "POST",
        "/v1/tasks/search",
        &[("Cookie", &session)],
        b"",
    )
    .unwrap();
    assert_eq!(idle.status, 401);
    // Logout and expire-sessions.
    let client = Client::session(&emulator, "demo", "demo");
    let logout = client.post("/api/logout", "");
    assert_eq!(logout.status, 204);
    assert!(logout.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(client.post("/v1/tasks/search", "").status, 401);
    let client = Client::session(&emulator, "demo", "demo");
    send(addr, "POST", "/__emulator/expire-sessions", &[], b"").unwrap();
    let expired = client.post("/v1/tasks/search", "");
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json(), json!({"message": ""}));
}

#[test]
fn csrf_rule_for_session_users() {
    let emulator = start(Config {
        csrf: true,
        ..Config::default()
    });
    let addr = emulator.addr();
    let login = send(
        addr,
        "POST",
        "/api/login?username=demo&password=demo",
        &[],
        b"",
    )
    .unwrap();
    let token = login
        .header("x-csrf-token")
        .expect("token header after login")
        .to_string();
    let cookies: Vec<String> = login
        .headers_named("set-cookie")
        .iter()
        .map(|c| c.split(';').next().unwrap().to_string())
        .collect();
    assert!(cookies
        .iter()
        .any(|c| *c == format!("X-CSRF-TOKEN={token}")));
    let cookie = cookies.join("; ");
    let get = send(addr, "GET", "/v1/tasks/1", &[("Cookie", &cookie)], b"").unwrap();
    assert_eq!(
        get.header("x-csrf-token"),
        Some(token.as_str()),
        "authenticated GETs carry the token"
    );
    let refused = send(
        addr,
        "POST",
        "/v1/tasks/search",
        &[("Cookie", &cookie)],
        b"{}",
    )
    .unwrap();
    assert_eq!(refused.status, 403);
    assert_eq!(refused.header("content-type"), Some("application/json"));
    assert_eq!(
        refused.json(),
        json!({"error": "Access denied due to invalid CSRF token."})
    );
    let wrong = send(
        addr,
        "POST",
        "/v1/tasks/search",
        &[("Cookie", &cookie), ("X-CSRF-TOKEN", "nope")],
        b"{}",
    )
    .unwrap();
    assert_eq!(wrong.status, 403);
    let accepted = send(
        addr,
        "POST",
        "/v1/tasks/search",
        &[("Cookie", &cookie), ("x-csrf-token", &token)],
        b"{}",
    )
    .unwrap();
    assert_eq!(accepted.status, 200);
    // Bearer requests are exempt.
    assert_eq!(
        Client::bearer(&emulator)
            .post("/v1/tasks/search", "{}")
            .status,
        200
    );
    // Without --csrf nothing is required.
    let plain = start_default();
    assert_eq!(
        Client::session(&plain, "demo", "demo")
            .post("/v1/tasks/search", "{}")
            .status,
        200
    );
}

/// A JWKS endpoint on a loopback port, serving `jwks` until the test ends.
fn serve_jwks(jwks: Value) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let body = jwks.to_string();
            let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    format!("http://{addr}")
}

fn sign_rs256(key: &RsaPrivateKey, kid: &str, claims: &Value) -> String {
    let header =
        URL_SAFE_NO_PAD.encode(json!({"alg":"RS256","typ":"at+jwt","kid":kid}).to_string());
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("{header}.{payload}");
    let digest = Sha256::digest(input.as_bytes());
    let signature = key.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[test]
fn external_issuer_tokens_are_checked_against_its_jwks() {
    let mut rng = rand::thread_rng();
    let key = RsaPrivateKey::new(&mut rng, 2048).unwrap();
    let public = key.to_public_key();
    let jwks = json!({"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"k1",
        "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be())}]});
    let issuer = serve_jwks(jwks);
    let emulator = start(Config {
        issuer: Some(issuer.clone()),
        audience: "tasklist-api".into(),
        ..Config::default()
    });
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let claims = |iss: &str, aud: Value, exp: i64| json!({"iss": iss, "aud": aud, "exp": exp, "iat": now, "client_id": "m2m-client", "sub": "m2m-client"});
    let call = |token: &str| {
        send(
            emulator.addr(),
            "GET",
            "/v1/internal/users/current",
            &[("Authorization", &format!("Bearer {token}"))],
            b"",
        )
        .unwrap()
    };

    let good = call(&sign_rs256(
        &key,
        "k1",
        &claims(&issuer, json!(["tasklist-api", "other"]), now + 60),
    ));
    assert_eq!(good.status, 200, "{}", good.text());
    assert_eq!(good.json()["userId"], "m2m-client");
    let wrong_aud = call(&sign_rs256(
        &key,
        "k1",
        &claims(&issuer, json!("operate-api"), now + 60),
    ));
    assert_eq!(wrong_aud.status, 401);
    let wrong_iss = call(&sign_rs256(
        &key,
        "k1",
        &claims("http://elsewhere", json!("tasklist-api"), now + 60),
    ));
    assert_eq!(wrong_iss.status, 401);
    let expired = call(&sign_rs256(
        &key,
        "k1",
        &claims(&issuer, json!("tasklist-api"), now - 10),
    ));
    assert_eq!(expired.status, 401);
    assert!(expired.message().starts_with("Jwt expired at"));
    let unknown_kid = call(&sign_rs256(
        &key,
        "k2",
        &claims(&issuer, json!("tasklist-api"), now + 60),
    ));
    assert_eq!(unknown_kid.status, 401);
    // A valid token whose claims were altered after signing.
    let signed = sign_rs256(
        &key,
        "k1",
        &claims(&issuer, json!("tasklist-api"), now + 60),
    );
    let parts: Vec<&str> = signed.split('.').collect();
    let altered =
        URL_SAFE_NO_PAD.encode(claims(&issuer, json!("tasklist-api"), now + 3600).to_string());
    let forged = call(&format!("{}.{altered}.{}", parts[0], parts[2]));
    assert_eq!(forged.status, 401);
    assert!(forged.message().contains("Invalid signature"));
    // Our own HS256 tokens keep working next to the issuer's.
    let own = start(Config {
        issuer: Some(issuer),
        ..Config::default()
    });
    assert_eq!(
        Client::bearer(&own).post("/v1/tasks/search", "").status,
        200
    );
}
