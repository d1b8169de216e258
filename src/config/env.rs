//! Configuration from the environment variable names Camunda's own clients use, so a
//! service that already has them set needs nothing new.
//!
//! The variables of each setting, in precedence order, are those of its row in the settings
//! table (`settings::SETTINGS`); the first one that is set and not empty wins
//! (docs/configuration.md has the same table). Most settings are read by one generic loop;
//! the rules below handle what spans several settings: the authentication strategy and its
//! credentials, the SaaS shorthand for the base and token URLs, the login URL that gives the
//! login path, and the client certificate with its key.

use crate::config::settings::{
    env_names, setting, Env, Given, Kind, BASIC_PASSWORD, BASIC_USERNAME, CLUSTER_ID,
    CLUSTER_REGION, COOKIE_URL, SAAS_SHORTHAND, SAAS_TOKEN_URL_DEFAULT, SETTINGS,
};
use crate::config::{key, ClientCertificate, Config, Pem, Source};
use crate::error::{Error, Result};
use crate::secret::Secret;

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

    let saas = match (get(&[CLUSTER_REGION]), get(&[CLUSTER_ID])) {
        (Some((_, region)), Some((_, id))) => Some((region, id)),
        _ => None,
    };
    if let Some((name, url)) = get(env_names(key::BASE_URL)) {
        let url = if name == env_names(key::BASE_URL)[0] {
            url
        } else {
            // The v2 SDKs' REST address may end in the API's `/v2`, which our paths carry.
            rest_root(&url)
        };
        config.set_base_url(&url).map_err(|e| named(e, name))?;
        config.sources.mark(&[key::BASE_URL], Source::Env(name));
    } else if let Some((region, id)) = &saas {
        config.set_base_url(&format!("https://{region}.tasklist.camunda.io/{id}"))?;
        config
            .sources
            .mark(&[key::BASE_URL], Source::Env(SAAS_SHORTHAND));
    }

    read_auth(&mut config, &get, saas.is_some())?;
    if let Some((name, url)) = get(&[COOKIE_URL]) {
        let path =
            login_path_below(config.base_url.as_deref(), &url).map_err(|e| named(e, name))?;
        config.set_login_path(&path).map_err(|e| named(e, name))?;
        config.sources.mark(&[key::LOGIN_PATH], Source::Env(name));
    }
    if let Some((name, path)) = get(env_names(key::LOGIN_PATH)) {
        config.set_login_path(&path).map_err(|e| named(e, name))?;
        config.sources.mark(&[key::LOGIN_PATH], Source::Env(name));
    }
    read_client_certificate(&mut config, &get)?;

    // Every other setting: its first variable set, applied as `tasklist_options_set_json`
    // applies a value of the same kind.
    for s in SETTINGS.iter().filter(|s| !s.env.own_rule) {
        let Some((name, text)) = get(s.env.names) else {
            continue;
        };
        let given = from_text(s.kind, name, &text)?;
        // 0 keeps the default, as with the C setter, so it is not recorded as a source either.
        if s.kind == Kind::Millis && given == Given::Number(0) {
            continue;
        }
        (s.apply)(&mut config, given).map_err(|e| named(e, name))?;
        config.sources.mark(&[s.key], Source::Env(name));
    }
    Ok(config)
}

/// The authentication method (`CAMUNDA_AUTH_STRATEGY`, or the one whose values are present)
/// and its credentials.
fn read_auth(
    config: &mut Config,
    get: &impl Fn(&'static [&'static str]) -> Option<Found>,
    saas: bool,
) -> Result<()> {
    let client_id = get(env_names(key::CLIENT_ID));
    let client_secret = get(env_names(key::CLIENT_SECRET));
    // Without a token URL, a client id and secret mean Camunda SaaS, as in the official
    // SDKs (they used to mean no authentication at all, silently).
    let token_url = get(env_names(key::TOKEN_URL))
        .or_else(|| saas.then(|| (SAAS_SHORTHAND, SAAS_TOKEN_URL.to_string())))
        .or_else(|| {
            (client_id.is_some() && client_secret.is_some())
                .then(|| (SAAS_TOKEN_URL_DEFAULT, SAAS_TOKEN_URL.to_string()))
        });
    let username = get(env_names(key::USERNAME));
    let basic_username = get(&[BASIC_USERNAME]);
    let bearer = get(env_names(key::BEARER_TOKEN));
    let (strategy, decided_by) = match get(env_names(key::AUTH)) {
        Some((name, s)) => (Strategy::parse(&s).map_err(|e| named(e, name))?, name),
        // Like the Node SDK: OAuth as soon as its three values are present.
        None => match (&token_url, &client_id, &client_secret, &username, &bearer) {
            (Some(_), Some((id_name, _)), Some(_), _, _) => (Strategy::OAuth, *id_name),
            (_, _, _, Some((name, _)), _) => (Strategy::Cookie, *name),
            _ if basic_username.is_some() => (Strategy::Basic, BASIC_USERNAME),
            (_, _, _, _, Some((name, _))) => (Strategy::Bearer, *name),
            _ => (Strategy::None, ""),
        },
    };

    match strategy {
        Strategy::OAuth => {
            let missing: Vec<&str> = [
                (token_url.is_none(), key::TOKEN_URL),
                (client_id.is_none(), key::CLIENT_ID),
                (client_secret.is_none(), key::CLIENT_SECRET),
            ]
            .iter()
            .filter(|(absent, _)| *absent)
            .map(|(_, key)| env_names(key)[0])
            .collect();
            let (Some((url_name, url)), Some((id_name, id)), Some((secret_name, secret))) =
                (&token_url, &client_id, &client_secret)
            else {
                return Err(Error::invalid_argument(format!(
                    "OAuth is selected but {} not set",
                    missing.join(", ")
                )));
            };
            let audience = get(env_names(key::AUDIENCE));
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
            let password = get(env_names(key::PASSWORD));
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
        Strategy::Basic => {
            let (user_name, user) = basic_username.ok_or_else(|| {
                Error::invalid_argument(format!(
                    "{} is BASIC but {BASIC_USERNAME} is not set",
                    env_names(key::AUTH)[0]
                ))
            })?;
            let password = get(&[BASIC_PASSWORD]);
            config
                .set_basic_auth(&user, password.as_ref().map_or("", |(_, p)| p.as_str()))
                .map_err(|e| named(e, user_name))?;
            config
                .sources
                .mark(&[key::USERNAME], Source::Env(user_name));
            match &password {
                Some((name, _)) => config.sources.mark(&[key::PASSWORD], Source::Env(name)),
                None => config.sources.forget(&[key::PASSWORD]),
            }
        }
        Strategy::Bearer => {
            let (name, token) = bearer.ok_or_else(|| {
                Error::invalid_argument(format!(
                    "{} is BEARER but {} is not set",
                    env_names(key::AUTH)[0],
                    env_names(key::BEARER_TOKEN)[0]
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
    Ok(())
}

/// An environment value as a value of `kind`.
fn from_text<'t>(kind: Kind, name: &str, text: &'t str) -> Result<Given<'t>> {
    match kind {
        Kind::Number | Kind::Millis => text
            .parse::<u64>()
            .map(Given::Number)
            .map_err(|_| Error::invalid_argument(format!("{name} is not a whole number"))),
        Kind::Bool => flag(name, text).map(Given::Bool),
        _ => Ok(Given::Text(text)),
    }
}

/// The client certificate and its key, each from a file or from PEM text.
fn read_client_certificate(
    config: &mut Config,
    get: &impl Fn(&'static [&'static str]) -> Option<Found>,
) -> Result<()> {
    let (Some(chain_env), Some(key_env)) =
        (setting(key::CLIENT_CERTIFICATE), setting(key::CLIENT_KEY))
    else {
        return Ok(());
    };
    let read = |env: &Env| {
        get(env.names)
            .map(|(n, p)| (n, Pem::File(p.into())))
            .or_else(|| get(env.pem_text).map(|(n, t)| (n, Pem::Text(Secret::new(t)))))
    };
    match (read(&chain_env.env), read(&key_env.env)) {
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
            key_env.env.names[0], key_env.env.pem_text[0]
        ))),
        (None, Some((name, _))) => Err(Error::invalid_argument(format!(
            "{name} is set but no certificate chain ({} or {})",
            chain_env.env.names[0], chain_env.env.pem_text[0]
        ))),
    }
}

/// `https://host/cluster/v2/` -> `https://host/cluster`: the root below which the library's
/// paths (`/v2/...`, `/v1/...`, `/login`) lie.
fn rest_root(address: &str) -> String {
    let trimmed = address.trim_end_matches('/');
    trimmed.strip_suffix("/v2").unwrap_or(trimmed).to_string()
}

/// The path of a full login URL, which must start with the base URL.
fn login_path_below(base_url: Option<&str>, login_url: &str) -> Result<String> {
    let base = base_url.ok_or_else(|| {
        Error::invalid_argument(format!(
            "a login URL needs a base URL ({})",
            env_names(key::BASE_URL)[0]
        ))
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
    Basic,
    Bearer,
    None,
}

impl Strategy {
    fn parse(value: &str) -> Result<Strategy> {
        match value.to_ascii_uppercase().as_str() {
            "OAUTH" => Ok(Strategy::OAuth),
            "COOKIE" => Ok(Strategy::Cookie),
            "BASIC" => Ok(Strategy::Basic),
            "BEARER" => Ok(Strategy::Bearer),
            "NONE" => Ok(Strategy::None),
            other => Err(Error::invalid_argument(format!(
                "unsupported authentication strategy '{other}' (use OAUTH, COOKIE, BASIC, BEARER \
                 or NONE)"
            ))),
        }
    }
}

/// Says which variable held the bad value; the value itself may be a secret.
fn named(error: Error, variable: &str) -> Error {
    Error::invalid_argument(format!("{variable}: {}", error.message()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Audience, Auth, ClientAuth, TokenFormat};
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
    fn the_v2_sdks_rest_address_gives_the_base_url_without_its_v2() {
        for (address, root) in [
            ("http://localhost:8080/v2", "http://localhost:8080"),
            ("http://localhost:8080/v2/", "http://localhost:8080"),
            (
                "https://bru-2.zeebe.camunda.io/abc/",
                "https://bru-2.zeebe.camunda.io/abc",
            ),
        ] {
            let c = from(&[("CAMUNDA_REST_ADDRESS", address)]).unwrap();
            assert_eq!(c.base_url.as_deref(), Some(root), "{address}");
            assert_eq!(c.sources.of(key::BASE_URL), "CAMUNDA_REST_ADDRESS");
        }
        let c = from(&[("ZEEBE_REST_ADDRESS", "http://old:8080/v2")]).unwrap();
        assert_eq!(c.base_url.as_deref(), Some("http://old:8080"));
        // Tasklist's own name wins, and is taken as it is.
        let c = from(&[
            ("CAMUNDA_TASKLIST_BASE_URL", "http://tasklist:8082"),
            ("CAMUNDA_REST_ADDRESS", "http://cluster:8080"),
        ])
        .unwrap();
        assert_eq!(c.base_url.as_deref(), Some("http://tasklist:8082"));
    }

    #[test]
    fn a_client_id_and_secret_without_a_token_url_mean_camunda_saas() {
        let c = from(&[
            ("CAMUNDA_REST_ADDRESS", "https://bru-2.zeebe.camunda.io/abc"),
            ("CAMUNDA_CLIENT_ID", "id"),
            ("CAMUNDA_CLIENT_SECRET", "s"),
        ])
        .unwrap();
        let Auth::OAuth(o) = &c.auth else {
            panic!("not oauth: {:?}", c.auth)
        };
        assert_eq!(o.token_url, SAAS_TOKEN_URL);
        assert_eq!(c.sources.of(key::TOKEN_URL), SAAS_TOKEN_URL_DEFAULT);
        // The audience follows the SaaS host of the v2 API.
        let chosen = crate::auth::chosen_defaults(&c);
        assert_eq!(chosen.audience, Some("zeebe.camunda.io"));
        // Also when OAuth is asked for by name.
        let c = from(&[
            ("CAMUNDA_AUTH_STRATEGY", "OAUTH"),
            ("CAMUNDA_CLIENT_ID", "id"),
            ("CAMUNDA_CLIENT_SECRET", "s"),
        ])
        .unwrap();
        assert!(matches!(c.auth, Auth::OAuth(_)));
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
    fn basic_strategy_takes_the_v2_sdks_variables() {
        let c = from(&[
            ("CAMUNDA_TASKLIST_BASE_URL", "http://localhost:8080"),
            ("CAMUNDA_AUTH_STRATEGY", "BASIC"),
            ("CAMUNDA_BASIC_AUTH_USERNAME", "demo"),
            ("CAMUNDA_BASIC_AUTH_PASSWORD", "s3cret"),
        ])
        .unwrap();
        let Auth::Basic(l) = &c.auth else {
            panic!("not basic: {:?}", c.auth)
        };
        assert_eq!(
            (l.username.as_str(), l.password.expose()),
            ("demo", "s3cret")
        );
        assert_eq!(c.sources.of(key::USERNAME), "CAMUNDA_BASIC_AUTH_USERNAME");
        assert_eq!(c.sources.of(key::PASSWORD), "CAMUNDA_BASIC_AUTH_PASSWORD");
        assert_eq!(c.sources.of(key::AUTH), "CAMUNDA_AUTH_STRATEGY");
        // The username alone is enough to choose Basic, as the cookie username chooses cookies.
        let c = from(&[("CAMUNDA_BASIC_AUTH_USERNAME", "demo")]).unwrap();
        assert!(matches!(c.auth, Auth::Basic(_)));
        let e = from(&[("CAMUNDA_AUTH_STRATEGY", "basic")]).unwrap_err();
        assert!(
            e.message().contains("CAMUNDA_BASIC_AUTH_USERNAME"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn oauth_without_its_values_names_the_missing_variables() {
        let e = from(&[
            ("CAMUNDA_AUTH_STRATEGY", "OAUTH"),
            ("CAMUNDA_OAUTH_URL", "http://kc/token"),
            ("CAMUNDA_CLIENT_ID", "id"),
        ])
        .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument);
        assert!(
            e.message().contains("CAMUNDA_CLIENT_SECRET"),
            "{}",
            e.message()
        );
        let e = from(&[("CAMUNDA_AUTH_STRATEGY", "OAUTH")]).unwrap_err();
        assert!(e.message().contains("CAMUNDA_CLIENT_ID"), "{}", e.message());
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
