//! The resolved configuration as JSON, with where each value came from and every secret
//! redacted, to answer "which variable won?" without exposing what the variables hold.

use crate::config::{key, Auth, ClientAuth, Config, Pem, TokenFormat};
use serde_json::{json, Map, Value};

/// What a secret is shown as: a fixed text, so not even its length shows.
pub const REDACTED: &str = "***";

/// The values that the authentication module chooses where the configuration leaves them
/// open (`auth::chosen_defaults`), so describe shows what is sent.
pub struct Chosen<'a> {
    pub audience: Option<&'a str>,
    pub login_path: &'a str,
}

/// `{"<setting>": {"value": ..., "source": "default" | "set" | "<VARIABLE>"}, ...}`; unset
/// optional settings have `"value": null`.
pub fn describe(config: &Config, chosen: &Chosen<'_>) -> Value {
    let mut out = Map::new();
    let mut put = |name: &'static str, value: Value| {
        out.insert(
            name.to_string(),
            json!({"value": value, "source": config.sources.of(name)}),
        );
    };
    let secret = |present: bool| {
        if present {
            json!(REDACTED)
        } else {
            Value::Null
        }
    };

    put(key::BASE_URL, json!(config.base_url));
    let (method, oauth, login, bearer) = match &config.auth {
        Auth::None => ("none", None, None, false),
        Auth::OAuth(o) => ("oauth", Some(o), None, false),
        Auth::Cookie(l) => ("cookie", None, Some(l), false),
        Auth::Bearer(_) => ("bearer", None, None, true),
    };
    put(key::AUTH, json!(method));
    put(key::TOKEN_URL, json!(oauth.map(|o| &o.token_url)));
    put(key::CLIENT_ID, json!(oauth.map(|o| &o.client_id)));
    put(key::CLIENT_SECRET, secret(oauth.is_some()));
    put(key::AUDIENCE, json!(oauth.and(chosen.audience)));
    put(key::SCOPE, json!(config.scope));
    put(
        key::TOKEN_FORMAT,
        json!(match config.token_format {
            TokenFormat::Form => "form",
            TokenFormat::Json => "json",
        }),
    );
    put(
        key::CLIENT_AUTH,
        json!(match config.client_auth {
            ClientAuth::Post => "post",
            ClientAuth::Basic => "basic",
        }),
    );
    put(key::USERNAME, json!(login.map(|l| &l.username)));
    put(key::PASSWORD, secret(login.is_some()));
    put(key::BEARER_TOKEN, secret(bearer));
    put(key::LOGIN_PATH, json!(chosen.login_path));
    put(
        key::CONNECT_TIMEOUT,
        json!(config.connect_timeout.as_millis() as u64),
    );
    put(
        key::REQUEST_TIMEOUT,
        json!(config.request_timeout.as_millis() as u64),
    );
    put(key::MAX_RETRIES, json!(config.max_retries));
    put(key::MAX_RESPONSE_BYTES, json!(config.max_response_bytes));
    put(key::CA_FILE, json!(config.ca_file));
    put(
        key::CA_PEM,
        json!(config.ca_pem.as_ref().map(|pem| format!(
            "{} PEM certificate(s)",
            pem.matches("-----BEGIN CERTIFICATE-----").count()
        ))),
    );
    let certificate = config.client_certificate.as_ref();
    put(
        key::CLIENT_CERTIFICATE,
        json!(certificate.map(|c| match &c.chain {
            Pem::File(path) => path.display().to_string(),
            Pem::Text(_) => "PEM text".to_string(),
        })),
    );
    // A key's file path is not secret and helps; key text is.
    put(
        key::CLIENT_KEY,
        json!(certificate.map(|c| match &c.key {
            Pem::File(path) => path.display().to_string(),
            Pem::Text(_) => REDACTED.to_string(),
        })),
    );
    put(
        key::PROXY,
        json!(config
            .proxy
            .as_ref()
            .map(|p| crate::transport::proxy::redacted(p.expose()))),
    );
    put(key::PROXY_FROM_ENV, json!(config.proxy_from_env));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_and_sources_named() {
        let mut c = Config::default();
        c.set_base_url("http://localhost:8080").unwrap();
        c.set_oauth("http://kc/token", "id", "very-secret", None)
            .unwrap();
        c.set_proxy(Some("http://me:pr0xy-pass@proxy:3128"))
            .unwrap();
        let d = describe(&c, &crate::auth::chosen_defaults(&c));
        let text = d.to_string();
        assert!(!text.contains("very-secret"));
        assert!(!text.contains("pr0xy-pass"));
        assert_eq!(d["client_secret"]["value"], REDACTED);
        assert_eq!(d["client_secret"]["source"], "set");
        assert_eq!(d["audience"]["value"], "tasklist.camunda.io");
        assert_eq!(d["audience"]["source"], "default");
        assert_eq!(d["max_retries"]["source"], "default");
        assert_eq!(d["proxy"]["value"], "http://***@proxy:3128");
        assert_eq!(d["password"]["value"], Value::Null);
    }

    #[test]
    fn switching_authentication_forgets_the_old_sources() {
        let mut c = Config::default();
        c.set_oauth("http://kc/token", "id", "s", Some("aud"))
            .unwrap();
        c.set_cookie_login("demo", "pw").unwrap();
        let d = describe(&c, &crate::auth::chosen_defaults(&c));
        assert_eq!(d["auth"]["value"], "cookie");
        assert_eq!(d["audience"]["source"], "default");
        assert_eq!(d["username"]["source"], "set");
        assert_eq!(d["password"]["value"], REDACTED);
    }
}
