//! Configuration from the environment variable names Camunda's own clients use, so a
//! service that already has them set needs nothing new.
//!
//! For every setting the names are tried in the order listed here; the first one that is set
//! and not empty wins (docs/configuration.md has the same table).

use crate::config::{key, ClientAuth, ClientCertificate, Config, Pem, Source, TokenFormat};
use crate::error::{Error, Result};
use crate::secret::Secret;

pub const BASE_URL: &[&str] = &["CAMUNDA_TASKLIST_BASE_URL"];
pub const CLUSTER_REGION: &[&str] = &["CAMUNDA_CLUSTER_REGION"];
pub const CLUSTER_ID: &[&str] = &["CAMUNDA_CLUSTER_ID"];
pub const TOKEN_URL: &[&str] = &[
    "CAMUNDA_OAUTH_URL",
    "CAMUNDA_AUTHORIZATION_SERVER_URL",
    "ZEEBE_AUTHORIZATION_SERVER_URL",
];
pub const CLIENT_ID: &[&str] = &["CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID"];
pub const CLIENT_SECRET: &[&str] = &["CAMUNDA_CLIENT_SECRET", "ZEEBE_CLIENT_SECRET"];
pub const AUDIENCE: &[&str] = &[
    "CAMUNDA_TASKLIST_OAUTH_AUDIENCE",
    "CAMUNDA_TOKEN_AUDIENCE",
    "ZEEBE_TOKEN_AUDIENCE",
];
pub const SCOPE: &[&str] = &[
    "CAMUNDA_TOKEN_SCOPE",
    "CAMUNDA_OAUTH_SCOPE",
    "ZEEBE_TOKEN_SCOPE",
];
pub const STRATEGY: &[&str] = &["CAMUNDA_AUTH_STRATEGY"];
pub const COOKIE_USERNAME: &[&str] = &["CAMUNDA_COOKIE_AUTH_USERNAME"];
pub const COOKIE_PASSWORD: &[&str] = &["CAMUNDA_COOKIE_AUTH_PASSWORD"];
/// The Node SDK's full login URL; it must lie below the base URL (the session cookie is
/// only sent there), and its path becomes the login path.
pub const COOKIE_URL: &[&str] = &["CAMUNDA_COOKIE_AUTH_URL"];
pub const LOGIN_PATH: &[&str] = &["TASKLIST_LOGIN_PATH"];
pub const BEARER_TOKEN: &[&str] = &["CAMUNDA_OAUTH_TOKEN"];
pub const TOKEN_FORMAT: &[&str] = &["TASKLIST_TOKEN_FORMAT"];
pub const CLIENT_AUTH: &[&str] = &["TASKLIST_OAUTH_CLIENT_AUTH"];
pub const CA_FILE: &[&str] = &[
    "CAMUNDA_CUSTOM_ROOT_CERT_PATH",
    "CAMUNDA_CA_CERTIFICATE_PATH",
    "CAMUNDA_MTLS_CA_PATH",
];
pub const CA_PEM: &[&str] = &["CAMUNDA_CUSTOM_ROOT_CERT_STRING", "CAMUNDA_MTLS_CA"];
pub const CLIENT_CERT_PATH: &[&str] = &["CAMUNDA_CUSTOM_CERT_CHAIN_PATH", "CAMUNDA_MTLS_CERT_PATH"];
pub const CLIENT_KEY_PATH: &[&str] = &["CAMUNDA_CUSTOM_PRIVATE_KEY_PATH", "CAMUNDA_MTLS_KEY_PATH"];
pub const CLIENT_CERT_PEM: &[&str] = &["CAMUNDA_MTLS_CERT"];
pub const CLIENT_KEY_PEM: &[&str] = &["CAMUNDA_MTLS_KEY"];
pub const PROXY: &[&str] = &["TASKLIST_PROXY"];
pub const PROXY_FROM_ENV: &[&str] = &["TASKLIST_PROXY_FROM_ENV"];
pub const CONNECT_TIMEOUT_MS: &[&str] = &["TASKLIST_CONNECT_TIMEOUT_MS"];
pub const REQUEST_TIMEOUT_MS: &[&str] = &["TASKLIST_REQUEST_TIMEOUT_MS"];
pub const MAX_RETRIES: &[&str] = &["TASKLIST_MAX_RETRIES"];
pub const MAX_RESPONSE_BYTES: &[&str] = &["TASKLIST_MAX_RESPONSE_BYTES"];

/// The source named for a base URL built from the SaaS shorthand.
pub const SAAS_SHORTHAND: &str = "CAMUNDA_CLUSTER_REGION+CAMUNDA_CLUSTER_ID";

/// The SaaS token endpoint, used when only a cluster region and id are given.
pub const SAAS_TOKEN_URL: &str = "https://login.cloud.camunda.io/oauth/token";

/// One variable that is set: its name and its trimmed value.
type Found = (&'static str, String);

/// Reads variables through `lookup`, so tests need not touch the process environment.
/// Every value taken is recorded with the name of its variable (for `describe`).
pub fn config_from(lookup: impl Fn(&str) -> Option<String>) -> Result<Config> {
    let get = |names: &'static [&'static str]| -> Option<Found> {
        names.iter().find_map(|name| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (*name, v.trim().to_string()))
        })
    };
    let mut config = Config::default();

    let saas = match (get(CLUSTER_REGION), get(CLUSTER_ID)) {
        (Some((_, region)), Some((_, id))) => Some((region, id)),
        _ => None,
    };
    if let Some((name, url)) = get(BASE_URL) {
        config.set_base_url(&url).map_err(|e| named(e, name))?;
        config.sources.mark(&[key::BASE_URL], Source::Env(name));
    } else if let Some((region, id)) = &saas {
        config.set_base_url(&format!("https://{region}.tasklist.camunda.io/{id}"))?;
        config
            .sources
            .mark(&[key::BASE_URL], Source::Env(SAAS_SHORTHAND));
    }

    let token_url = get(TOKEN_URL).or_else(|| {
        saas.as_ref()
            .map(|_| (SAAS_SHORTHAND, SAAS_TOKEN_URL.to_string()))
    });
    let client_id = get(CLIENT_ID);
    let client_secret = get(CLIENT_SECRET);
    let username = get(COOKIE_USERNAME);
    let bearer = get(BEARER_TOKEN);
    let (strategy, decided_by) = match get(STRATEGY) {
        Some((name, s)) => (Strategy::parse(&s).map_err(|e| named(e, name))?, name),
        // Like the Node SDK: OAuth as soon as its three values are present.
        None => match (&token_url, &client_id, &client_secret, &username, &bearer) {
            (Some((name, _)), Some(_), Some(_), _, _) => (Strategy::OAuth, *name),
            (_, _, _, Some((name, _)), _) => (Strategy::Cookie, *name),
            (_, _, _, _, Some((name, _))) => (Strategy::Bearer, *name),
            _ => (Strategy::None, ""),
        },
    };

    match strategy {
        Strategy::OAuth => {
            let missing: Vec<&str> = [
                (token_url.is_none(), TOKEN_URL[0]),
                (client_id.is_none(), CLIENT_ID[0]),
                (client_secret.is_none(), CLIENT_SECRET[0]),
            ]
            .iter()
            .filter(|(absent, _)| *absent)
            .map(|(_, name)| *name)
            .collect();
            let (Some((url_name, url)), Some((id_name, id)), Some((secret_name, secret))) =
                (&token_url, &client_id, &client_secret)
            else {
                return Err(Error::invalid_argument(format!(
                    "OAuth is selected but {} not set",
                    missing.join(", ")
                )));
            };
            let audience = get(AUDIENCE);
            config
                .set_oauth(url, id, secret, audience.as_ref().map(|(_, a)| a.as_str()))
                .map_err(|e| named(e, url_name))?;
            let sources = &mut config.sources;
            sources.mark(&[key::TOKEN_URL], Source::Env(url_name));
            sources.mark(&[key::CLIENT_ID], Source::Env(id_name));
            sources.mark(&[key::CLIENT_SECRET], Source::Env(secret_name));
            match &audience {
                Some((name, _)) => sources.mark(&[key::AUDIENCE], Source::Env(name)),
                None => sources.forget(&[key::AUDIENCE]),
            }
        }
        Strategy::Cookie => {
            let password = get(COOKIE_PASSWORD);
            config.set_cookie_login(
                username.as_ref().map_or("demo", |(_, u)| u.as_str()),
                password.as_ref().map_or("demo", |(_, p)| p.as_str()),
            )?;
            for (k, found) in [(key::USERNAME, &username), (key::PASSWORD, &password)] {
                match found {
                    Some((name, _)) => config.sources.mark(&[k], Source::Env(name)),
                    None => config.sources.forget(&[k]),
                }
            }
        }
        Strategy::Bearer => {
            let (name, token) = bearer.ok_or_else(|| {
                Error::invalid_argument(format!(
                    "CAMUNDA_AUTH_STRATEGY is BEARER but {} is not set",
                    BEARER_TOKEN[0]
                ))
            })?;
            config
                .set_bearer_token(&token)
                .map_err(|e| named(e, name))?;
            config.sources.mark(&[key::BEARER_TOKEN], Source::Env(name));
        }
        Strategy::None => {}
    }
    if !decided_by.is_empty() {
        config.sources.mark(&[key::AUTH], Source::Env(decided_by));
    }

    if let Some((name, scope)) = get(SCOPE) {
        config.set_scope(Some(&scope));
        config.sources.mark(&[key::SCOPE], Source::Env(name));
    }
    if let Some((name, url)) = get(COOKIE_URL) {
        let path =
            login_path_below(config.base_url.as_deref(), &url).map_err(|e| named(e, name))?;
        config.set_login_path(&path).map_err(|e| named(e, name))?;
        config.sources.mark(&[key::LOGIN_PATH], Source::Env(name));
    }
    if let Some((name, path)) = get(LOGIN_PATH) {
        config.set_login_path(&path).map_err(|e| named(e, name))?;
        config.sources.mark(&[key::LOGIN_PATH], Source::Env(name));
    }
    if let Some((name, format)) = get(TOKEN_FORMAT) {
        config.set_token_format(match format.to_ascii_lowercase().as_str() {
            "form" => TokenFormat::Form,
            "json" => TokenFormat::Json,
            _ => {
                return Err(Error::invalid_argument(format!(
                    "{name} must be 'form' or 'json'"
                )))
            }
        });
        config.sources.mark(&[key::TOKEN_FORMAT], Source::Env(name));
    }
    if let Some((name, method)) = get(CLIENT_AUTH) {
        config.set_client_auth(match method.to_ascii_lowercase().as_str() {
            "post" | "client_secret_post" => ClientAuth::Post,
            "basic" | "client_secret_basic" => ClientAuth::Basic,
            _ => {
                return Err(Error::invalid_argument(format!(
                    "{name} must be 'post' or 'basic'"
                )))
            }
        });
        config.sources.mark(&[key::CLIENT_AUTH], Source::Env(name));
    }
    read_tls(&mut config, &get)?;
    if let Some((name, url)) = get(PROXY) {
        config.set_proxy(Some(&url)).map_err(|e| named(e, name))?;
        config.sources.mark(&[key::PROXY], Source::Env(name));
    }
    if let Some((name, value)) = get(PROXY_FROM_ENV) {
        config.set_proxy_from_env(flag(name, &value)?);
        config
            .sources
            .mark(&[key::PROXY_FROM_ENV], Source::Env(name));
    }
    // 0 keeps the default, as with the setter, so it is not recorded as a source either.
    if let Some((name, ms)) = number(get(CONNECT_TIMEOUT_MS))?.filter(|(_, ms)| *ms > 0) {
        config.set_timeouts(ms, 0);
        config
            .sources
            .mark(&[key::CONNECT_TIMEOUT], Source::Env(name));
    }
    if let Some((name, ms)) = number(get(REQUEST_TIMEOUT_MS))?.filter(|(_, ms)| *ms > 0) {
        config.set_timeouts(0, ms);
        config
            .sources
            .mark(&[key::REQUEST_TIMEOUT], Source::Env(name));
    }
    if let Some((name, retries)) = number(get(MAX_RETRIES))? {
        let retries = u32::try_from(retries)
            .map_err(|_| Error::invalid_argument(format!("{name} is too large")))?;
        config.set_max_retries(retries);
        config.sources.mark(&[key::MAX_RETRIES], Source::Env(name));
    }
    if let Some((name, bytes)) = number(get(MAX_RESPONSE_BYTES))? {
        config
            .set_max_response_bytes(bytes)
            .map_err(|e| named(e, name))?;
        config
            .sources
            .mark(&[key::MAX_RESPONSE_BYTES], Source::Env(name));
    }
    Ok(config)
}

/// CA certificates (file and text) and the client certificate (files or text).
fn read_tls(
    config: &mut Config,
    get: &impl Fn(&'static [&'static str]) -> Option<Found>,
) -> Result<()> {
    if let Some((name, path)) = get(CA_FILE) {
        config.set_ca_file(&path).map_err(|e| named(e, name))?;
        config.sources.mark(&[key::CA_FILE], Source::Env(name));
    }
    if let Some((name, pem)) = get(CA_PEM) {
        config.set_ca_pem(Some(&pem)).map_err(|e| named(e, name))?;
        config.sources.mark(&[key::CA_PEM], Source::Env(name));
    }
    let chain = get(CLIENT_CERT_PATH)
        .map(|(n, p)| (n, Pem::File(p.into())))
        .or_else(|| get(CLIENT_CERT_PEM).map(|(n, t)| (n, Pem::Text(Secret::new(t)))));
    let key = get(CLIENT_KEY_PATH)
        .map(|(n, p)| (n, Pem::File(p.into())))
        .or_else(|| get(CLIENT_KEY_PEM).map(|(n, t)| (n, Pem::Text(Secret::new(t)))));
    match (chain, key) {
        (None, None) => Ok(()),
        (Some((chain_name, chain)), Some((key_name, key))) => {
            config
                .set_client_certificate(Some(ClientCertificate { chain, key }))
                .map_err(|e| named(e, chain_name))?;
            config
                .sources
                .mark(&[key::CLIENT_CERTIFICATE], Source::Env(chain_name));
            config
                .sources
                .mark(&[key::CLIENT_KEY], Source::Env(key_name));
            Ok(())
        }
        (Some((name, _)), None) => Err(Error::invalid_argument(format!(
            "{name} is set but no private key ({} or {})",
            CLIENT_KEY_PATH[0], CLIENT_KEY_PEM[0]
        ))),
        (None, Some((name, _))) => Err(Error::invalid_argument(format!(
            "{name} is set but no certificate chain ({} or {})",
            CLIENT_CERT_PATH[0], CLIENT_CERT_PEM[0]
        ))),
    }
}

/// The path of a full login URL, which must start with the base URL.
fn login_path_below(base_url: Option<&str>, login_url: &str) -> Result<String> {
    let base = base_url.ok_or_else(|| {
        Error::invalid_argument("a login URL needs a base URL (CAMUNDA_TASKLIST_BASE_URL)")
    })?;
    match login_url.trim_end_matches('/').strip_prefix(base) {
        Some(path) if path.starts_with('/') => Ok(path.to_string()),
        _ => Err(Error::invalid_argument(
            "the login URL must lie below the base URL (the session cookie is only sent there)",
        )),
    }
}

fn flag(name: &str, value: &str) -> Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(Error::invalid_argument(format!(
            "{name} must be true or false"
        ))),
    }
}

enum Strategy {
    OAuth,
    Cookie,
    Bearer,
    None,
}

impl Strategy {
    fn parse(value: &str) -> Result<Strategy> {
        match value.to_ascii_uppercase().as_str() {
            "OAUTH" => Ok(Strategy::OAuth),
            "COOKIE" => Ok(Strategy::Cookie),
            "BEARER" => Ok(Strategy::Bearer),
            "NONE" => Ok(Strategy::None),
            other => Err(Error::invalid_argument(format!(
                "unsupported authentication strategy '{other}' (use OAUTH, COOKIE, BEARER or NONE)"
            ))),
        }
    }
}

fn number(entry: Option<Found>) -> Result<Option<(&'static str, u64)>> {
    entry
        .map(|(name, v)| {
            v.parse::<u64>()
                .map(|n| (name, n))
                .map_err(|_| Error::invalid_argument(format!("{name} is not a whole number")))
        })
        .transpose()
}

/// Says which variable held the bad value; the value itself may be a secret.
fn named(error: Error, variable: &str) -> Error {
    Error::invalid_argument(format!("{variable}: {}", error.message()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Audience, Auth};
    use crate::error::Code;
    use std::collections::HashMap;

    fn from(vars: &[(&str, &str)]) -> Result<Config> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        config_from(|name| map.get(name).cloned())
    }

    #[test]
    fn oauth_is_chosen_when_url_id_and_secret_are_set() {
        let c = from(&[
            ("CAMUNDA_TASKLIST_BASE_URL", "http://localhost:8082"),
            ("ZEEBE_AUTHORIZATION_SERVER_URL", "http://kc/token"),
            ("ZEEBE_CLIENT_ID", "zeebe"),
            ("ZEEBE_CLIENT_SECRET", "s"),
        ])
        .unwrap();
        let Auth::OAuth(o) = c.auth else {
            panic!("not oauth")
        };
        assert_eq!(o.token_url, "http://kc/token");
        assert_eq!(o.client_id, "zeebe");
        assert_eq!(o.audience, Audience::Default);
    }

    #[test]
    fn camunda_names_win_over_zeebe_names() {
        let c = from(&[
            ("CAMUNDA_OAUTH_URL", "http://a/token"),
            ("ZEEBE_AUTHORIZATION_SERVER_URL", "http://b/token"),
            ("CAMUNDA_CLIENT_ID", "new"),
            ("ZEEBE_CLIENT_ID", "old"),
            ("CAMUNDA_CLIENT_SECRET", "s"),
            ("CAMUNDA_TASKLIST_OAUTH_AUDIENCE", "tasklist-api"),
        ])
        .unwrap();
        let Auth::OAuth(o) = c.auth else {
            panic!("not oauth")
        };
        assert_eq!(o.token_url, "http://a/token");
        assert_eq!(o.client_id, "new");
        assert_eq!(o.audience, Audience::Named("tasklist-api".into()));
    }

    #[test]
    fn saas_shorthand_builds_base_and_token_urls() {
        let c = from(&[
            ("CAMUNDA_CLUSTER_REGION", "bru-2"),
            ("CAMUNDA_CLUSTER_ID", "abc-123"),
            ("CAMUNDA_CLIENT_ID", "id"),
            ("CAMUNDA_CLIENT_SECRET", "s"),
        ])
        .unwrap();
        assert_eq!(
            c.base_url.as_deref(),
            Some("https://bru-2.tasklist.camunda.io/abc-123")
        );
        let Auth::OAuth(o) = c.auth else {
            panic!("not oauth")
        };
        assert_eq!(o.token_url, SAAS_TOKEN_URL);
    }

    #[test]
    fn cookie_strategy_and_its_defaults() {
        let c = from(&[
            ("CAMUNDA_TASKLIST_BASE_URL", "http://localhost:8080"),
            ("CAMUNDA_AUTH_STRATEGY", "cookie"),
        ])
        .unwrap();
        let Auth::Cookie(l) = c.auth else {
            panic!("not cookie")
        };
        assert_eq!(l.username, "demo");
        assert_eq!(l.password.expose(), "demo");
    }

    #[test]
    fn oauth_without_its_values_names_the_missing_variables() {
        let e = from(&[
            ("CAMUNDA_AUTH_STRATEGY", "OAUTH"),
            ("CAMUNDA_CLIENT_ID", "id"),
        ])
        .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument);
        assert!(e.message().contains("CAMUNDA_OAUTH_URL"), "{}", e.message());
        assert!(
            e.message().contains("CAMUNDA_CLIENT_SECRET"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn bad_values_name_the_variable_not_the_value() {
        let e = from(&[("CAMUNDA_AUTH_STRATEGY", "BASIC")]).unwrap_err();
        assert!(e.message().contains("BASIC"));
        let e = from(&[("TASKLIST_REQUEST_TIMEOUT_MS", "soon")]).unwrap_err();
        assert!(e.message().contains("TASKLIST_REQUEST_TIMEOUT_MS"));
        let e = from(&[("CAMUNDA_TASKLIST_BASE_URL", "nope")]).unwrap_err();
        assert!(e.message().starts_with("CAMUNDA_TASKLIST_BASE_URL"));
        let e = from(&[("CAMUNDA_TASKLIST_BASE_URL", "http://demo:PASS@h")]).unwrap_err();
        assert!(e.message().starts_with("CAMUNDA_TASKLIST_BASE_URL"));
        assert!(e.message().contains("user or password") && !e.message().contains("PASS"));
    }

    #[test]
    fn nothing_set_gives_an_unauthenticated_config_without_base_url() {
        let c = from(&[]).unwrap();
        assert!(c.base_url.is_none());
        assert!(matches!(c.auth, Auth::None));
    }

    #[test]
    fn numbers_and_formats_are_read() {
        let c = from(&[
            ("TASKLIST_CONNECT_TIMEOUT_MS", "1500"),
            ("TASKLIST_REQUEST_TIMEOUT_MS", "2500"),
            ("TASKLIST_MAX_RETRIES", "5"),
            ("TASKLIST_TOKEN_FORMAT", "JSON"),
            ("TASKLIST_OAUTH_CLIENT_AUTH", "basic"),
            ("CAMUNDA_TOKEN_SCOPE", "api://x/.default"),
        ])
        .unwrap();
        assert_eq!(c.connect_timeout.as_millis(), 1500);
        assert_eq!(c.request_timeout.as_millis(), 2500);
        assert_eq!(c.max_retries, 5);
        assert_eq!(c.token_format, TokenFormat::Json);
        assert_eq!(c.client_auth, ClientAuth::Basic);
        assert_eq!(c.scope.as_deref(), Some("api://x/.default"));
    }
}
