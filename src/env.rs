//! Configuration from the environment variable names Camunda's own clients use, so a
//! service that already has them set needs nothing new.
//!
//! For every setting the names are tried in the order listed here; the first one that is set
//! and not empty wins (docs/configuration.md has the same table).

use crate::config::{Config, TokenFormat};
use crate::error::{Error, Result};

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
pub const LOGIN_PATH: &[&str] = &["TASKLIST_LOGIN_PATH"];
pub const BEARER_TOKEN: &[&str] = &["CAMUNDA_OAUTH_TOKEN"];
pub const TOKEN_FORMAT: &[&str] = &["TASKLIST_TOKEN_FORMAT"];
pub const CA_FILE: &[&str] = &[
    "CAMUNDA_CUSTOM_ROOT_CERT_PATH",
    "CAMUNDA_CA_CERTIFICATE_PATH",
];
pub const CONNECT_TIMEOUT_MS: &[&str] = &["TASKLIST_CONNECT_TIMEOUT_MS"];
pub const REQUEST_TIMEOUT_MS: &[&str] = &["TASKLIST_REQUEST_TIMEOUT_MS"];
pub const MAX_RETRIES: &[&str] = &["TASKLIST_MAX_RETRIES"];

/// The SaaS token endpoint, used when only a cluster region and id are given.
pub const SAAS_TOKEN_URL: &str = "https://login.cloud.camunda.io/oauth/token";

/// Reads variables through `lookup`, so tests need not touch the process environment.
pub fn config_from(lookup: impl Fn(&str) -> Option<String>) -> Result<Config> {
    let get = |names: &[&str]| -> Option<(String, String)> {
        names.iter().find_map(|name| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (name.to_string(), v.trim().to_string()))
        })
    };
    let value = |names: &[&str]| get(names).map(|(_, v)| v);
    let mut config = Config::default();

    let saas = match (value(CLUSTER_REGION), value(CLUSTER_ID)) {
        (Some(region), Some(id)) => Some((region, id)),
        _ => None,
    };
    if let Some((name, url)) = get(BASE_URL) {
        config.set_base_url(&url).map_err(|e| named(e, &name))?;
    } else if let Some((region, id)) = &saas {
        config.set_base_url(&format!("https://{region}.tasklist.camunda.io/{id}"))?;
    }

    let token_url = value(TOKEN_URL).or_else(|| saas.as_ref().map(|_| SAAS_TOKEN_URL.to_string()));
    let client_id = value(CLIENT_ID);
    let client_secret = value(CLIENT_SECRET);
    let username = value(COOKIE_USERNAME);
    let strategy = match get(STRATEGY) {
        Some((name, s)) => Strategy::parse(&s).map_err(|e| named(e, &name))?,
        // Like the Node SDK: OAuth as soon as its three values are present.
        None if token_url.is_some() && client_id.is_some() && client_secret.is_some() => {
            Strategy::OAuth
        }
        None if username.is_some() => Strategy::Cookie,
        None if value(BEARER_TOKEN).is_some() => Strategy::Bearer,
        None => Strategy::None,
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
            if !missing.is_empty() {
                return Err(Error::invalid_argument(format!(
                    "OAuth is selected but {} not set",
                    missing.join(", ")
                )));
            }
            let audience = value(AUDIENCE);
            config.set_oauth(
                token_url.as_deref().unwrap_or_default(),
                client_id.as_deref().unwrap_or_default(),
                client_secret.as_deref().unwrap_or_default(),
                audience.as_deref(),
            )?;
        }
        Strategy::Cookie => {
            let username = username.unwrap_or_else(|| "demo".to_string());
            let password = value(COOKIE_PASSWORD).unwrap_or_else(|| "demo".to_string());
            config.set_cookie_login(&username, &password)?;
        }
        Strategy::Bearer => {
            let token = value(BEARER_TOKEN).ok_or_else(|| {
                Error::invalid_argument(format!(
                    "CAMUNDA_AUTH_STRATEGY is BEARER but {} is not set",
                    BEARER_TOKEN[0]
                ))
            })?;
            config.set_bearer_token(&token)?;
        }
        Strategy::None => {}
    }

    config.set_scope(value(SCOPE).as_deref());
    if let Some((name, path)) = get(LOGIN_PATH) {
        config.set_login_path(&path).map_err(|e| named(e, &name))?;
    }
    if let Some((name, format)) = get(TOKEN_FORMAT) {
        config.token_format = match format.to_ascii_lowercase().as_str() {
            "form" => TokenFormat::Form,
            "json" => TokenFormat::Json,
            _ => {
                return Err(Error::invalid_argument(format!(
                    "{name} must be 'form' or 'json'"
                )))
            }
        };
    }
    if let Some(path) = value(CA_FILE) {
        config.set_ca_file(&path)?;
    }
    let connect_ms = number(get(CONNECT_TIMEOUT_MS))?.unwrap_or(0);
    let request_ms = number(get(REQUEST_TIMEOUT_MS))?.unwrap_or(0);
    config.set_timeouts(connect_ms, request_ms);
    if let Some(retries) = number(get(MAX_RETRIES))? {
        config.max_retries = u32::try_from(retries)
            .map_err(|_| Error::invalid_argument(format!("{} is too large", MAX_RETRIES[0])))?;
    }
    Ok(config)
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

fn number(entry: Option<(String, String)>) -> Result<Option<u64>> {
    entry
        .map(|(name, v)| {
            v.parse::<u64>()
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
    use crate::config::Auth;
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
        assert_eq!(o.audience.as_deref(), Some("tasklist.camunda.io"));
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
        assert_eq!(o.audience.as_deref(), Some("tasklist-api"));
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
            ("CAMUNDA_TOKEN_SCOPE", "api://x/.default"),
        ])
        .unwrap();
        assert_eq!(c.connect_timeout.as_millis(), 1500);
        assert_eq!(c.request_timeout.as_millis(), 2500);
        assert_eq!(c.max_retries, 5);
        assert_eq!(c.token_format, TokenFormat::Json);
        assert_eq!(c.scope.as_deref(), Some("api://x/.default"));
    }
}
