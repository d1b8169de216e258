//! The settings table: one row per key of `tasklist_options_describe`, holding everything the
//! library knows about that setting in one place: what kind of value it takes, the
//! environment variables it is read from (in precedence order), its default, how describe
//! shows it, and how a value is applied onto a [`Config`].
//!
//! `describe` shows the rows, `env` reads them, and [`apply_json`] (behind
//! `tasklist_options_set_json`) applies a JSON object of them. `env` adds the few rules that
//! span several settings (authentication strategy, SaaS shorthand, login URL, certificate
//! pairs); the variables those rules read are named here too, so no variable name is spelled
//! anywhere else.

use crate::config::describe::{Chosen, REDACTED};
use crate::config::{
    check_bearer_token, check_http_url, key, Audience, Auth, ClientAuth, ClientCertificate, Config,
    Login, OAuth, Pem, Source, TokenFormat, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT,
};
use crate::error::{Code, Error, Result};
use crate::secret::Secret;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;
use zeroize::Zeroize;

/// With [`CLUSTER_ID`], the SaaS shorthand for the base URL and the token URL.
pub const CLUSTER_REGION: &str = "CAMUNDA_CLUSTER_REGION";
pub const CLUSTER_ID: &str = "CAMUNDA_CLUSTER_ID";
/// The source describe names for a value built from the SaaS shorthand.
pub const SAAS_SHORTHAND: &str = "CAMUNDA_CLUSTER_REGION+CAMUNDA_CLUSTER_ID";
/// The official v2 SDKs' address of the Orchestration Cluster's REST API (with or without
/// its `/v2`); `ZEEBE_REST_ADDRESS` is its older name.
pub const REST_ADDRESS: &str = "CAMUNDA_REST_ADDRESS";
/// The source describe names for the token URL chosen because OAuth credentials came
/// without one (the official SDKs' default).
pub const SAAS_TOKEN_URL_DEFAULT: &str = "default (Camunda SaaS, no CAMUNDA_OAUTH_URL given)";
/// The Node SDK's full login URL, from which `env` takes the login path.
pub const COOKIE_URL: &str = "CAMUNDA_COOKIE_AUTH_URL";
/// The official v2 SDKs' Basic credentials (with `CAMUNDA_AUTH_STRATEGY=BASIC`); they give
/// the `username` and `password` settings when the strategy is Basic.
pub const BASIC_USERNAME: &str = "CAMUNDA_BASIC_AUTH_USERNAME";
pub const BASIC_PASSWORD: &str = "CAMUNDA_BASIC_AUTH_PASSWORD";

/// What a setting's value is. Decides which JSON values are accepted, how an environment
/// value is read, and which of describe's placeholders are refused as input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Text,
    /// A string that describe shows as `"***"`.
    Secret,
    /// A whole number, 0 or more.
    Number,
    /// A whole number of milliseconds above 0 (from the environment, 0 keeps the default).
    Millis,
    /// `true` or `false`.
    Bool,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A file path, read when a client is built.
    Path,
    /// PEM text with CA certificates; describe shows how many.
    CaPem,
    /// PEM text (when it contains `-----BEGIN`) or a file path read when a client is built;
    /// describe shows the path, or for text `"PEM text"` (chain) or `"***"` (the key, `secret`).
    PemOrPath { secret: bool },
    /// A proxy URL, whose user and password describe shows as `***`.
    ProxyUrl,
}

impl Kind {
    /// What a JSON value of this kind looks like, for messages.
    pub fn expected(self) -> String {
        match self {
            Kind::Number => "a whole number of 0 or more".into(),
            Kind::Millis => "a whole number of milliseconds".into(),
            Kind::Bool => "true or false".into(),
            Kind::Choice(words) => {
                let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                format!("one of {}", quoted.join(", "))
            }
            Kind::Text
            | Kind::Secret
            | Kind::Path
            | Kind::CaPem
            | Kind::PemOrPath { .. }
            | Kind::ProxyUrl => "a string".into(),
        }
    }

    fn takes_text(self) -> bool {
        !matches!(self, Kind::Number | Kind::Millis | Kind::Bool)
    }

    /// The JSON value as a [`Given`], or why it does not fit (never quoting a string, which
    /// may be a secret).
    fn given(self, value: &Value) -> std::result::Result<Given<'_>, String> {
        match value {
            Value::Null => Ok(Given::Null),
            Value::Number(n) if matches!(self, Kind::Number | Kind::Millis) => n
                .as_u64()
                .map(Given::Number)
                .ok_or_else(|| format!("expected {}, got {n}", self.expected())),
            Value::Bool(b) if self == Kind::Bool => Ok(Given::Bool(*b)),
            Value::String(s) if self.takes_text() => {
                if s.contains('\0') {
                    return Err("contains a NUL character".into());
                }
                match self.placeholder(s) {
                    Some(why) => Err(why.into()),
                    None => Ok(Given::Text(s)),
                }
            }
            other => {
                let hint = match other {
                    Value::Object(o) if o.contains_key("value") => {
                        " (give the plain value, not describe's {\"value\": ..., \"source\": ...})"
                    }
                    _ => "",
                };
                Err(format!(
                    "expected {}, got {}{hint}",
                    self.expected(),
                    type_name(other)
                ))
            }
        }
    }

    /// Why `text` is one of describe's stand-ins for a hidden or summarised value rather
    /// than a value: applying it would replace the real value with the placeholder.
    fn placeholder(self, text: &str) -> Option<&'static str> {
        match self {
            Kind::Secret | Kind::PemOrPath { secret: true } if text == REDACTED => Some(
                "\"***\" is how tasklist_options_describe hides a secret; give the secret \
                 itself, or leave the key out to keep the current one",
            ),
            Kind::PemOrPath { secret: false } if text == PEM_TEXT => Some(
                "\"PEM text\" is how tasklist_options_describe shows a certificate given as \
                 text; give the PEM text itself or a file path",
            ),
            Kind::CaPem if ca_pem_summary(text) => Some(
                "this is how tasklist_options_describe summarises CA certificates; give the \
                 PEM text itself",
            ),
            Kind::ProxyUrl if text.contains("***@") => Some(
                "tasklist_options_describe hides the proxy's user and password as \"***\"; \
                 give the whole URL, or leave the key out to keep the current one",
            ),
            _ => None,
        }
    }
}

/// A value for one setting, already of the row's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Given<'a> {
    /// Unset: back to the default.
    Null,
    Text(&'a str),
    Number(u64),
    Bool(bool),
}

impl<'a> Given<'a> {
    /// The text (`None` for null; the other variants do not reach a text row).
    fn text(self) -> Option<&'a str> {
        match self {
            Given::Text(text) => Some(text),
            _ => None,
        }
    }
    fn number(self) -> Option<u64> {
        match self {
            Given::Number(n) => Some(n),
            _ => None,
        }
    }
    fn flag(self) -> Option<bool> {
        match self {
            Given::Bool(b) => Some(b),
            _ => None,
        }
    }
    fn is_null(self) -> bool {
        self == Given::Null
    }
}

/// Where `tasklist_options_from_env` reads a setting from.
#[derive(Clone, Copy, Debug)]
pub struct Env {
    /// Variables holding the value, in precedence order: the first one set and not empty
    /// wins. For a certificate or key they hold file paths.
    pub names: &'static [&'static str],
    /// For a certificate or key: variables holding PEM text, tried after `names`.
    pub pem_text: &'static [&'static str],
    /// Variables a rule of `env` derives the value from when none of `names` is set.
    pub derived_from: &'static [&'static str],
    /// Whether `env` reads the setting with a rule of its own instead of the generic
    /// "first variable set, applied like a JSON value of the row's kind".
    pub own_rule: bool,
}

const NO_ENV: Env = Env {
    names: &[],
    pem_text: &[],
    derived_from: &[],
    own_rule: false,
};

/// A default as describe shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultValue {
    Null,
    Text(&'static str),
    Number(u64),
    Bool(bool),
    /// Chosen by the authentication module where the configuration leaves it open.
    ChosenByAuth,
}

/// One row of the table.
pub struct Setting {
    /// The key of describe and of `tasklist_options_set_json`.
    pub key: &'static str,
    pub kind: Kind,
    pub env: Env,
    /// Documents the row; a test checks it against what describe shows for a fresh config.
    #[cfg_attr(not(test), allow(dead_code))]
    pub default: DefaultValue,
    /// The value describe shows (secrets already as `"***"`).
    pub show: fn(&Config, &Chosen<'_>) -> Value,
    /// Applies a value and records it as set (null: back to the default, source forgotten).
    /// Messages do not name the key: callers prefix the key or the variable.
    pub apply: fn(&mut Config, Given<'_>) -> Result<()>,
}

const fn row(
    key: &'static str,
    kind: Kind,
    default: DefaultValue,
    show: fn(&Config, &Chosen<'_>) -> Value,
    apply: fn(&mut Config, Given<'_>) -> Result<()>,
) -> Setting {
    Setting {
        key,
        kind,
        env: NO_ENV,
        default,
        show,
        apply,
    }
}

impl Setting {
    const fn env(mut self, names: &'static [&'static str]) -> Setting {
        self.env.names = names;
        self
    }
    const fn pem_text_env(mut self, names: &'static [&'static str]) -> Setting {
        self.env.pem_text = names;
        self
    }
    const fn derived_from(mut self, names: &'static [&'static str]) -> Setting {
        self.env.derived_from = names;
        self
    }
    /// Read by a rule of `env` (see there) rather than the generic loop.
    const fn own_env_rule(mut self) -> Setting {
        self.env.own_rule = true;
        self
    }
}

/// How describe shows a client certificate given as PEM text.
const PEM_TEXT: &str = "PEM text";

const AUTH_METHODS: &[&str] = &["none", "oauth", "cookie", "basic", "bearer"];

/// Every setting, in describe's order, which is also the order `apply_json` applies them in:
/// `auth` comes before the credentials that belong to it.
pub static SETTINGS: &[Setting] = &[
    row(
        key::BASE_URL,
        Kind::Text,
        DefaultValue::Null,
        |c, _| json!(c.base_url),
        |c, v| match v.text() {
            None => {
                c.base_url = None;
                forget(c, key::BASE_URL);
                Ok(())
            }
            Some(url) => c.set_base_url(url),
        },
    )
    .env(&[
        "CAMUNDA_TASKLIST_BASE_URL",
        REST_ADDRESS,
        "ZEEBE_REST_ADDRESS",
    ])
    .derived_from(&[CLUSTER_REGION, CLUSTER_ID])
    .own_env_rule(),
    row(
        key::AUTH,
        Kind::Choice(AUTH_METHODS),
        DefaultValue::Text("none"),
        |c, _| json!(method_name(&c.auth)),
        apply_auth,
    )
    .env(&["CAMUNDA_AUTH_STRATEGY"])
    .own_env_rule(),
    row(
        key::TOKEN_URL,
        Kind::Text,
        DefaultValue::Null,
        |c, _| json!(oauth_of(c).map(|o| &o.token_url)),
        |c, v| {
            let Some(o) = oauth_mut(&mut c.auth, v)? else {
                return Ok(());
            };
            match v.text() {
                None => o.token_url.clear(),
                Some(url) => {
                    check_http_url(url, "token URL")?;
                    o.token_url = url.to_string();
                }
            }
            record(c, key::TOKEN_URL, v);
            Ok(())
        },
    )
    .env(&[
        "CAMUNDA_OAUTH_URL",
        "CAMUNDA_AUTHORIZATION_SERVER_URL",
        "ZEEBE_AUTHORIZATION_SERVER_URL",
    ])
    .derived_from(&[CLUSTER_REGION, CLUSTER_ID])
    .own_env_rule(),
    row(
        key::CLIENT_ID,
        Kind::Text,
        DefaultValue::Null,
        |c, _| json!(oauth_of(c).map(|o| &o.client_id)),
        |c, v| {
            let Some(o) = oauth_mut(&mut c.auth, v)? else {
                return Ok(());
            };
            match v.text() {
                None => o.client_id.clear(),
                Some("") => return Err(Error::invalid_argument("the OAuth client id is empty")),
                Some(id) => o.client_id = id.to_string(),
            }
            record(c, key::CLIENT_ID, v);
            Ok(())
        },
    )
    .env(&["CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID"])
    .own_env_rule(),
    row(
        key::CLIENT_SECRET,
        Kind::Secret,
        DefaultValue::Null,
        |c, _| hidden(oauth_of(c).is_some()),
        |c, v| {
            let Some(o) = oauth_mut(&mut c.auth, v)? else {
                return Ok(());
            };
            match v.text() {
                None => o.client_secret = Secret::new(""),
                Some("") => {
                    return Err(Error::invalid_argument("the OAuth client secret is empty"))
                }
                Some(secret) => o.client_secret = Secret::new(secret),
            }
            record(c, key::CLIENT_SECRET, v);
            Ok(())
        },
    )
    .env(&["CAMUNDA_CLIENT_SECRET", "ZEEBE_CLIENT_SECRET"])
    .own_env_rule(),
    row(
        key::AUDIENCE,
        Kind::Text,
        DefaultValue::ChosenByAuth,
        |c, chosen| json!(oauth_of(c).and(chosen.audience)),
        |c, v| {
            let Some(o) = oauth_mut(&mut c.auth, v)? else {
                return Ok(());
            };
            o.audience = match v.text() {
                None => Audience::Default,
                Some("") => Audience::Omitted,
                Some(audience) => Audience::Named(audience.to_string()),
            };
            record(c, key::AUDIENCE, v);
            Ok(())
        },
    )
    .env(&[
        "CAMUNDA_TASKLIST_OAUTH_AUDIENCE",
        "CAMUNDA_TOKEN_AUDIENCE",
        "ZEEBE_TOKEN_AUDIENCE",
    ])
    .own_env_rule(),
    row(
        key::SCOPE,
        Kind::Text,
        DefaultValue::Null,
        |c, _| json!(c.scope),
        |c, v| {
            c.set_scope(v.text());
            record(c, key::SCOPE, v);
            Ok(())
        },
    )
    .env(&[
        "CAMUNDA_TOKEN_SCOPE",
        "CAMUNDA_OAUTH_SCOPE",
        "ZEEBE_TOKEN_SCOPE",
    ]),
    row(
        key::TOKEN_FORMAT,
        Kind::Choice(&["form", "json"]),
        DefaultValue::Text("form"),
        |c, _| {
            json!(match c.token_format {
                TokenFormat::Form => "form",
                TokenFormat::Json => "json",
            })
        },
        |c, v| {
            let format = match v.text().map(str::to_ascii_lowercase).as_deref() {
                None | Some("form") => TokenFormat::Form,
                Some("json") => TokenFormat::Json,
                Some(_) => {
                    return Err(Error::invalid_argument(
                        "the token format must be 'form' or 'json'",
                    ))
                }
            };
            c.set_token_format(format);
            record(c, key::TOKEN_FORMAT, v);
            Ok(())
        },
    )
    .env(&["TASKLIST_TOKEN_FORMAT"]),
    row(
        key::CLIENT_AUTH,
        Kind::Choice(&["post", "basic"]),
        DefaultValue::Text("post"),
        |c, _| {
            json!(match c.client_auth {
                ClientAuth::Post => "post",
                ClientAuth::Basic => "basic",
            })
        },
        |c, v| {
            let method = match v.text().map(str::to_ascii_lowercase).as_deref() {
                None | Some("post" | "client_secret_post") => ClientAuth::Post,
                Some("basic" | "client_secret_basic") => ClientAuth::Basic,
                Some(_) => {
                    return Err(Error::invalid_argument(
                        "the OAuth client authentication must be 'post' or 'basic'",
                    ))
                }
            };
            c.set_client_auth(method);
            record(c, key::CLIENT_AUTH, v);
            Ok(())
        },
    )
    .env(&["TASKLIST_OAUTH_CLIENT_AUTH"]),
    row(
        key::USERNAME,
        Kind::Text,
        DefaultValue::Null,
        |c, _| json!(login_of(c).map(|l| &l.username)),
        |c, v| {
            let Some(login) = login_mut(&mut c.auth, v)? else {
                return Ok(());
            };
            match v.text() {
                None => login.username.clear(),
                Some("") => return Err(Error::invalid_argument("the login username is empty")),
                Some(name) => login.username = name.to_string(),
            }
            record(c, key::USERNAME, v);
            Ok(())
        },
    )
    .env(&["CAMUNDA_COOKIE_AUTH_USERNAME"])
    .own_env_rule(),
    row(
        key::PASSWORD,
        Kind::Secret,
        DefaultValue::Null,
        |c, _| hidden(login_of(c).is_some()),
        |c, v| {
            let Some(login) = login_mut(&mut c.auth, v)? else {
                return Ok(());
            };
            login.password = Secret::new(v.text().unwrap_or(""));
            record(c, key::PASSWORD, v);
            Ok(())
        },
    )
    .env(&["CAMUNDA_COOKIE_AUTH_PASSWORD"])
    .own_env_rule(),
    row(
        key::BEARER_TOKEN,
        Kind::Secret,
        DefaultValue::Null,
        |c, _| hidden(matches!(c.auth, Auth::Bearer(_))),
        |c, v| {
            let token = match (&c.auth, v.text()) {
                (Auth::Bearer(_), None) => Secret::new(""),
                (Auth::Bearer(_), Some(token)) => {
                    check_bearer_token(token)?;
                    Secret::new(token)
                }
                (_, None) => return Ok(()),
                (other, Some(_)) => return Err(wrong_method("bearer", other)),
            };
            c.auth = Auth::Bearer(token);
            record(c, key::BEARER_TOKEN, v);
            Ok(())
        },
    )
    .env(&["CAMUNDA_OAUTH_TOKEN"])
    .own_env_rule(),
    row(
        key::LOGIN_PATH,
        Kind::Text,
        DefaultValue::ChosenByAuth,
        |_, chosen| json!(chosen.login_path),
        |c, v| match v.text() {
            None => {
                c.login_path = None;
                forget(c, key::LOGIN_PATH);
                Ok(())
            }
            Some(path) => c.set_login_path(path),
        },
    )
    .env(&["TASKLIST_LOGIN_PATH"])
    .derived_from(&[COOKIE_URL])
    .own_env_rule(),
    row(
        key::CONNECT_TIMEOUT,
        Kind::Millis,
        DefaultValue::Number(DEFAULT_CONNECT_TIMEOUT.as_millis() as u64),
        |c, _| json!(c.connect_timeout.as_millis() as u64),
        |c, v| {
            c.connect_timeout = timeout(v, DEFAULT_CONNECT_TIMEOUT, "the connect timeout")?;
            record(c, key::CONNECT_TIMEOUT, v);
            Ok(())
        },
    )
    .env(&["TASKLIST_CONNECT_TIMEOUT_MS"]),
    row(
        key::REQUEST_TIMEOUT,
        Kind::Millis,
        DefaultValue::Number(DEFAULT_REQUEST_TIMEOUT.as_millis() as u64),
        |c, _| json!(c.request_timeout.as_millis() as u64),
        |c, v| {
            c.request_timeout = timeout(v, DEFAULT_REQUEST_TIMEOUT, "the request timeout")?;
            record(c, key::REQUEST_TIMEOUT, v);
            Ok(())
        },
    )
    .env(&["TASKLIST_REQUEST_TIMEOUT_MS"]),
    row(
        key::MAX_RETRIES,
        Kind::Number,
        DefaultValue::Number(DEFAULT_MAX_RETRIES as u64),
        |c, _| json!(c.max_retries),
        |c, v| {
            let retries = match v.number() {
                None => DEFAULT_MAX_RETRIES,
                Some(n) => u32::try_from(n).map_err(|_| {
                    Error::invalid_argument(format!(
                        "the retry count is too large (at most {})",
                        u32::MAX
                    ))
                })?,
            };
            c.set_max_retries(retries);
            record(c, key::MAX_RETRIES, v);
            Ok(())
        },
    )
    .env(&["TASKLIST_MAX_RETRIES"]),
    row(
        key::MAX_RESPONSE_BYTES,
        Kind::Number,
        DefaultValue::Number(DEFAULT_MAX_RESPONSE_BYTES),
        |c, _| json!(c.max_response_bytes),
        |c, v| {
            c.set_max_response_bytes(v.number().unwrap_or(DEFAULT_MAX_RESPONSE_BYTES))?;
            record(c, key::MAX_RESPONSE_BYTES, v);
            Ok(())
        },
    )
    .env(&["TASKLIST_MAX_RESPONSE_BYTES"]),
    row(
        key::CA_FILE,
        Kind::Path,
        DefaultValue::Null,
        |c, _| json!(c.ca_file),
        |c, v| match v.text() {
            None => {
                c.ca_file = None;
                forget(c, key::CA_FILE);
                Ok(())
            }
            Some(path) => c.set_ca_file(path),
        },
    )
    .env(&[
        "CAMUNDA_CUSTOM_ROOT_CERT_PATH",
        "CAMUNDA_CA_CERTIFICATE_PATH",
        "CAMUNDA_MTLS_CA_PATH",
    ]),
    row(
        key::CA_PEM,
        Kind::CaPem,
        DefaultValue::Null,
        |c, _| {
            json!(c.ca_pem.as_ref().map(|pem| format!(
                "{} PEM certificate(s)",
                pem.matches("-----BEGIN CERTIFICATE-----").count()
            )))
        },
        |c, v| c.set_ca_pem(v.text()),
    )
    .env(&["CAMUNDA_CUSTOM_ROOT_CERT_STRING", "CAMUNDA_MTLS_CA"]),
    row(
        key::CLIENT_CERTIFICATE,
        Kind::PemOrPath { secret: false },
        DefaultValue::Null,
        |c, _| {
            json!(c.client_certificate.as_ref().map(|c| match &c.chain {
                Pem::File(path) => path.display().to_string(),
                Pem::Text(_) => PEM_TEXT.to_string(),
            }))
        },
        |c, v| apply_certificate_part(c, v, key::CLIENT_CERTIFICATE, |pair, pem| pair.chain = pem),
    )
    .env(&["CAMUNDA_CUSTOM_CERT_CHAIN_PATH", "CAMUNDA_MTLS_CERT_PATH"])
    .pem_text_env(&["CAMUNDA_MTLS_CERT"])
    .own_env_rule(),
    row(
        key::CLIENT_KEY,
        Kind::PemOrPath { secret: true },
        DefaultValue::Null,
        // A key's file path is not secret and helps; key text is.
        |c, _| {
            json!(c.client_certificate.as_ref().map(|c| match &c.key {
                Pem::File(path) => path.display().to_string(),
                Pem::Text(_) => REDACTED.to_string(),
            }))
        },
        |c, v| apply_certificate_part(c, v, key::CLIENT_KEY, |pair, pem| pair.key = pem),
    )
    .env(&["CAMUNDA_CUSTOM_PRIVATE_KEY_PATH", "CAMUNDA_MTLS_KEY_PATH"])
    .pem_text_env(&["CAMUNDA_MTLS_KEY"])
    .own_env_rule(),
    row(
        key::PROXY,
        Kind::ProxyUrl,
        DefaultValue::Null,
        |c, _| {
            json!(c
                .proxy
                .as_ref()
                .map(|p| crate::transport::proxy::redacted(p.expose())))
        },
        |c, v| c.set_proxy(v.text()),
    )
    .env(&["TASKLIST_PROXY"]),
    row(
        key::PROXY_FROM_ENV,
        Kind::Bool,
        DefaultValue::Bool(false),
        |c, _| json!(c.proxy_from_env),
        |c, v| {
            c.set_proxy_from_env(v.flag().unwrap_or(false));
            record(c, key::PROXY_FROM_ENV, v);
            Ok(())
        },
    )
    .env(&["TASKLIST_PROXY_FROM_ENV"]),
    row(
        key::TENANT_ID,
        Kind::Text,
        DefaultValue::Null,
        |c, _| json!(c.tenant_id),
        |c, v| c.set_tenant_id(v.text()),
    )
    .env(&["CAMUNDA_DEFAULT_TENANT_ID", "CAMUNDA_TENANT_ID"]),
];

/// The row of `key`.
pub fn setting(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The variables a setting is read from, in precedence order (empty for an unknown key,
/// which the table's tests rule out for every key `env` asks for).
pub fn env_names(key: &str) -> &'static [&'static str] {
    setting(key).map_or(&[], |s| s.env.names)
}

/// Applies a JSON object of settings (`tasklist_options_set_json`): its keys are describe's
/// keys, its values plain values of each key's kind. All or nothing: on error `config` is
/// unchanged. Keys are applied in the table's order whatever their order in the text, and
/// the outcome is checked as a whole (an authentication method with all its credentials, a
/// certificate with its key).
pub fn apply_json(config: &mut Config, text: &str) -> Result<()> {
    let mut entries = parse_object(text)?;
    let outcome = apply_entries(config, &entries);
    // The values may hold secrets; the copies made here are wiped before they are freed.
    for (name, value) in &mut entries {
        name.zeroize();
        wipe(value);
    }
    outcome
}

fn apply_entries(config: &mut Config, entries: &[(String, Value)]) -> Result<()> {
    for (at, (name, _)) in entries.iter().enumerate() {
        if setting(name).is_none() {
            return Err(unknown_key(name));
        }
        if entries[..at].iter().any(|(earlier, _)| earlier == name) {
            return Err(Error::invalid_argument(format!(
                "the option \"{name}\" is given twice"
            )));
        }
    }
    let mut next = config.clone();
    for s in SETTINGS {
        let Some((_, value)) = entries.iter().find(|(name, _)| name == s.key) else {
            continue;
        };
        let given = s
            .kind
            .given(value)
            .map_err(|why| Error::invalid_argument(format!("{}: {why}", s.key)))?;
        (s.apply)(&mut next, given)
            .map_err(|e| Error::new(e.code(), format!("{}: {}", s.key, e.message())))?;
    }
    check_complete(&next)?;
    *config = next;
    Ok(())
}

/// The members of a JSON object, in the order written, duplicates kept (to refuse them).
struct Entries(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Entries, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(Members)
    }
}

fn parse_object(text: &str) -> Result<Vec<(String, Value)>> {
    serde_json::from_str::<Entries>(text)
        .map(|entries| entries.0)
        .map_err(|e| match e.classify() {
            // Valid JSON of another type; serde's message would quote a string value.
            serde_json::error::Category::Data => Error::invalid_argument(
                "the options must be a JSON object such as {\"base_url\": \"http://localhost:8080\"}",
            ),
            _ => Error::new(
                Code::InvalidJson,
                format!("the options are not valid JSON: {e}"),
            ),
        })
}

fn wipe(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(members) => {
            for (mut name, mut item) in std::mem::take(members) {
                name.zeroize();
                wipe(&mut item);
            }
        }
        _ => {}
    }
}

fn unknown_key(name: &str) -> Error {
    let shown: String = name.chars().take(60).collect();
    let nearest = SETTINGS
        .iter()
        .map(|s| (distance(&name.to_ascii_lowercase(), s.key), s.key))
        .filter(|(d, key)| {
            *d <= 3 || (name.len() >= 4 && (name.starts_with(key) || key.starts_with(name)))
        })
        .min();
    let hint = nearest.map_or(String::new(), |(_, key)| {
        format!(" (did you mean \"{key}\"?)")
    });
    let keys: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
    Error::invalid_argument(format!(
        "unknown option \"{shown}\"{hint}; the options are the keys of \
         tasklist_options_describe: {}",
        keys.join(", ")
    ))
}

/// Levenshtein distance, for suggesting the key a caller probably meant.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn ca_pem_summary(text: &str) -> bool {
    text.strip_suffix(" PEM certificate(s)")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn hidden(present: bool) -> Value {
    if present {
        json!(REDACTED)
    } else {
        Value::Null
    }
}

fn forget(config: &mut Config, key: &'static str) {
    config.sources.forget(&[key]);
}

/// Records where a value came from: set, or (null) back at the default.
fn record(config: &mut Config, key: &'static str, given: Given<'_>) {
    if given.is_null() {
        forget(config, key);
    } else {
        config.sources.mark(&[key], Source::Set);
    }
}

fn method_name(auth: &Auth) -> &'static str {
    match auth {
        Auth::None => "none",
        Auth::OAuth(_) => "oauth",
        Auth::Cookie(_) => "cookie",
        Auth::Basic(_) => "basic",
        Auth::Bearer(_) => "bearer",
    }
}

/// Starts an authentication method afresh: its credentials come from the same object.
fn apply_auth(config: &mut Config, given: Given<'_>) -> Result<()> {
    config.auth =
        match given.text().map(str::to_ascii_lowercase).as_deref() {
            None | Some("none") => Auth::None,
            Some("oauth") => Auth::OAuth(OAuth {
                token_url: String::new(),
                client_id: String::new(),
                client_secret: Secret::new(""),
                audience: Audience::Default,
            }),
            Some("cookie") => Auth::Cookie(Login {
                username: String::new(),
                password: Secret::new(""),
            }),
            Some("basic") => Auth::Basic(Login {
                username: String::new(),
                password: Secret::new(""),
            }),
            Some("bearer") => Auth::Bearer(Secret::new("")),
            Some(_) => return Err(Error::invalid_argument(
                "the authentication method must be 'none', 'oauth', 'cookie', 'basic' or 'bearer'",
            )),
        };
    config.sources.forget(key::ALL_AUTH);
    record(config, key::AUTH, given);
    Ok(())
}

fn oauth_of(config: &Config) -> Option<&OAuth> {
    match &config.auth {
        Auth::OAuth(o) => Some(o),
        _ => None,
    }
}

fn login_of(config: &Config) -> Option<&Login> {
    match &config.auth {
        Auth::Cookie(l) | Auth::Basic(l) => Some(l),
        _ => None,
    }
}

/// The OAuth settings a credential applies to. A null value for another method's
/// credential changes nothing (describe shows those as null); any other value is a mistake.
fn oauth_mut<'a>(auth: &'a mut Auth, given: Given<'_>) -> Result<Option<&'a mut OAuth>> {
    match auth {
        Auth::OAuth(o) => Ok(Some(o)),
        _ if given.is_null() => Ok(None),
        other => Err(wrong_method("oauth", other)),
    }
}

fn login_mut<'a>(auth: &'a mut Auth, given: Given<'_>) -> Result<Option<&'a mut Login>> {
    match auth {
        Auth::Cookie(l) | Auth::Basic(l) => Ok(Some(l)),
        _ if given.is_null() => Ok(None),
        other => Err(wrong_method("cookie\" or \"basic", other)),
    }
}

fn wrong_method(wanted: &str, current: &Auth) -> Error {
    Error::invalid_argument(format!(
        "belongs to \"auth\": \"{wanted}\", but the authentication is \"{}\"; give \"auth\": \
         \"{wanted}\" in the same object",
        method_name(current)
    ))
}

fn timeout(given: Given<'_>, default: Duration, what: &str) -> Result<Duration> {
    match given.number() {
        None => Ok(default),
        Some(0) => Err(Error::invalid_argument(format!(
            "{what} must be above 0 ms (no call may wait without a limit; null restores the \
             default of {} ms)",
            default.as_millis()
        ))),
        Some(ms) => Ok(Duration::from_millis(ms)),
    }
}

/// A stand-in for the half of a certificate pair that is not given (yet); `check_complete`
/// refuses a pair that still holds one.
fn missing_pem() -> Pem {
    Pem::File(PathBuf::new())
}

fn is_missing(pem: &Pem) -> bool {
    matches!(pem, Pem::File(path) if path.as_os_str().is_empty())
}

/// A certificate chain or key: PEM text when it holds a PEM marker, else a file path.
fn pem_or_path(text: &str) -> Pem {
    if text.contains("-----BEGIN") {
        Pem::Text(Secret::new(text))
    } else {
        Pem::File(PathBuf::from(text))
    }
}

/// Sets one half of the client certificate pair (null removes the pair). PEM text is
/// checked now, files are read when a client is built.
fn apply_certificate_part(
    config: &mut Config,
    given: Given<'_>,
    key: &'static str,
    place: fn(&mut ClientCertificate, Pem),
) -> Result<()> {
    let Some(text) = given.text() else {
        config.client_certificate = None;
        config
            .sources
            .forget(&[key::CLIENT_CERTIFICATE, key::CLIENT_KEY]);
        return Ok(());
    };
    if text.is_empty() {
        return Err(Error::invalid_argument(
            "is empty (null removes the client certificate)",
        ));
    }
    // The other half is checked when it is given; only this one is checked here.
    let pem = pem_or_path(text);
    let mut alone = ClientCertificate {
        chain: missing_pem(),
        key: missing_pem(),
    };
    place(&mut alone, pem.clone());
    crate::transport::tls::check_client_certificate(&alone)?;
    let pair = config
        .client_certificate
        .get_or_insert_with(|| ClientCertificate {
            chain: missing_pem(),
            key: missing_pem(),
        });
    place(pair, pem);
    config.sources.mark(&[key], Source::Set);
    Ok(())
}

/// What only the whole object can show: an authentication method lacking a credential, or
/// half a certificate pair.
fn check_complete(config: &Config) -> Result<()> {
    let missing: Vec<&str> = match &config.auth {
        Auth::None => Vec::new(),
        Auth::OAuth(o) => [
            (o.token_url.is_empty(), key::TOKEN_URL),
            (o.client_id.is_empty(), key::CLIENT_ID),
            (o.client_secret.is_empty(), key::CLIENT_SECRET),
        ]
        .into_iter()
        .filter_map(|(absent, key)| absent.then_some(key))
        .collect(),
        Auth::Cookie(l) | Auth::Basic(l) => [key::USERNAME]
            .into_iter()
            .filter(|_| l.username.is_empty())
            .collect(),
        Auth::Bearer(token) => [key::BEARER_TOKEN]
            .into_iter()
            .filter(|_| token.is_empty())
            .collect(),
    };
    if !missing.is_empty() {
        return Err(Error::invalid_argument(format!(
            "\"auth\": \"{}\" needs {} as well, in the same object",
            method_name(&config.auth),
            missing.join(", ")
        )));
    }
    if let Some(pair) = &config.client_certificate {
        let (given, absent) = match (is_missing(&pair.chain), is_missing(&pair.key)) {
            (true, _) => (key::CLIENT_KEY, key::CLIENT_CERTIFICATE),
            (_, true) => (key::CLIENT_CERTIFICATE, key::CLIENT_KEY),
            _ => return Ok(()),
        };
        return Err(Error::invalid_argument(format!(
            "{given} is given without {absent}: give both (null for either removes the \
             client certificate)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::describe::describe;

    fn chosen() -> Chosen<'static> {
        Chosen {
            audience: None,
            login_path: crate::auth::cookie_session::DISCOVERED_LOGIN_PATH,
        }
    }

    fn applied(config: &mut Config, text: &str) -> Result<()> {
        apply_json(config, text)
    }

    #[test]
    fn the_table_has_each_key_once_and_each_variable_once() {
        let mut keys: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SETTINGS.len());
        let mut variables: Vec<&str> = SETTINGS
            .iter()
            .flat_map(|s| s.env.names.iter().chain(s.env.pem_text))
            .copied()
            .collect();
        let count = variables.len();
        variables.sort_unstable();
        variables.dedup();
        assert_eq!(variables.len(), count, "a variable belongs to one setting");
        assert_eq!(SAAS_SHORTHAND, format!("{CLUSTER_REGION}+{CLUSTER_ID}"));
        for name in [CLUSTER_REGION, CLUSTER_ID, COOKIE_URL] {
            assert!(!variables.contains(&name), "{name} is only derived from");
        }
        for s in SETTINGS {
            assert!(!s.env.names.is_empty(), "{} has no variable", s.key);
        }
        assert_eq!(
            SETTINGS.iter().position(|s| s.key == key::AUTH),
            Some(1),
            "auth is applied before its credentials"
        );
    }

    #[test]
    fn no_other_module_spells_a_variable_name() {
        for (file, text) in [
            ("env.rs", include_str!("env.rs")),
            ("describe.rs", include_str!("describe.rs")),
            ("mod.rs", include_str!("mod.rs")),
        ] {
            let code = text.split("#[cfg(test)]").next().unwrap();
            for prefix in ["\"CAMUNDA_", "\"ZEEBE_", "\"TASKLIST_"] {
                assert!(!code.contains(prefix), "{file} spells {prefix}...");
            }
        }
    }

    #[test]
    fn describe_shows_the_table_defaults_for_a_fresh_config() {
        let d = describe(&Config::default(), &chosen());
        assert_eq!(d.as_object().unwrap().len(), SETTINGS.len());
        for s in SETTINGS {
            let shown = &d[s.key]["value"];
            let expected = match s.default {
                DefaultValue::Null => Value::Null,
                DefaultValue::Text(t) => json!(t),
                DefaultValue::Number(n) => json!(n),
                DefaultValue::Bool(b) => json!(b),
                DefaultValue::ChosenByAuth => continue,
            };
            assert_eq!(shown, &expected, "{}", s.key);
        }
    }

    #[test]
    fn the_documentation_names_every_key_and_variable() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/configuration.md");
        let Ok(doc) = std::fs::read_to_string(path) else {
            return; // a packaged crate has no docs folder
        };
        for s in SETTINGS {
            assert!(doc.contains(&format!("`{}`", s.key)), "{}", s.key);
            for name in s
                .env
                .names
                .iter()
                .chain(s.env.pem_text)
                .chain(s.env.derived_from)
            {
                assert!(doc.contains(name), "{name} ({})", s.key);
            }
        }
    }

    #[test]
    fn each_kind_refuses_other_json_types_naming_the_key() {
        let mut c = Config::default();
        for (text, needle) in [
            (
                r#"{"base_url": 5}"#,
                "base_url: expected a string, got a number",
            ),
            (
                r#"{"connect_timeout_ms": "5"}"#,
                "connect_timeout_ms: expected a whole number of milliseconds, got a string",
            ),
            (
                r#"{"max_retries": -1}"#,
                "max_retries: expected a whole number of 0 or more, got -1",
            ),
            (r#"{"max_retries": 1.5}"#, "got 1.5"),
            (r#"{"proxy_from_env": "yes"}"#, "expected true or false"),
            (
                r#"{"token_format": true}"#,
                "expected one of \"form\", \"json\"",
            ),
            (
                r#"{"base_url": {"value": "http://h", "source": "set"}}"#,
                "give the plain value",
            ),
            (r#"{"client_id": ["a"]}"#, "got an array"),
        ] {
            let e = applied(&mut c, text).unwrap_err();
            assert_eq!(e.code(), Code::InvalidArgument, "{text}");
            assert!(e.message().contains(needle), "{text}: {}", e.message());
        }
    }

    #[test]
    fn string_values_are_never_quoted_in_messages() {
        let mut c = Config::default();
        let e = applied(&mut c, r#"{"max_retries": "s3cret-in-a-number"}"#).unwrap_err();
        assert!(!e.message().contains("s3cret"), "{}", e.message());
        let e = applied(&mut c, r#""s3cret-at-the-top""#).unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument);
        assert!(!e.message().contains("s3cret"), "{}", e.message());
        let e = applied(
            &mut c,
            r#"{"auth": "oauth", "token_url": "http://u:s3cret@kc/t", "client_id": "i",
                "client_secret": "s3cret"}"#,
        )
        .unwrap_err();
        assert!(e.message().starts_with("token_url: "), "{}", e.message());
        assert!(!e.message().contains("s3cret"), "{}", e.message());
    }

    #[test]
    fn unknown_keys_suggest_the_nearest_one() {
        let mut c = Config::default();
        let e = applied(&mut c, r#"{"base_ur": "http://h"}"#).unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument);
        assert!(
            e.message()
                .starts_with("unknown option \"base_ur\" (did you mean \"base_url\"?)"),
            "{}",
            e.message()
        );
        assert!(e.message().contains("proxy_from_env"), "lists the keys");
        let e = applied(&mut c, r#"{"request_timeout": 5}"#).unwrap_err();
        assert!(e.message().contains("did you mean \"request_timeout_ms\""));
        let e = applied(&mut c, r#"{"colour": 5}"#).unwrap_err();
        assert!(!e.message().contains("did you mean"), "{}", e.message());
        let e = applied(&mut c, r#"{"scope": "a", "scope": "b"}"#).unwrap_err();
        assert!(e.message().contains("given twice"), "{}", e.message());
    }

    #[test]
    fn invalid_json_is_its_own_code() {
        let mut c = Config::default();
        for text in ["", "{", "{\"base_url\": }", "{} {}"] {
            assert_eq!(
                applied(&mut c, text).unwrap_err().code(),
                Code::InvalidJson,
                "{text}"
            );
        }
        for text in ["[]", "5", "null"] {
            assert_eq!(
                applied(&mut c, text).unwrap_err().code(),
                Code::InvalidArgument,
                "{text}"
            );
        }
    }

    #[test]
    fn authentication_and_its_credentials_in_one_object_in_any_order() {
        let mut c = Config::default();
        applied(
            &mut c,
            r#"{"client_secret": "s", "audience": "", "client_id": "id",
                "token_url": "http://kc/token", "auth": "oauth", "scope": "x"}"#,
        )
        .unwrap();
        let Auth::OAuth(o) = &c.auth else {
            panic!("not oauth")
        };
        assert_eq!(
            (
                o.token_url.as_str(),
                o.client_id.as_str(),
                o.client_secret.expose()
            ),
            ("http://kc/token", "id", "s")
        );
        assert_eq!(o.audience, Audience::Omitted);
        assert_eq!(c.sources.of(key::CLIENT_SECRET), "set");

        // Without "auth", a credential changes the current method's value.
        applied(&mut c, r#"{"client_id": "other"}"#).unwrap();
        let Auth::OAuth(o) = &c.auth else { panic!() };
        assert_eq!(
            (o.client_id.as_str(), o.client_secret.expose()),
            ("other", "s")
        );

        // Another method's credential is refused; its null is accepted (describe shows it).
        let e = applied(&mut c, r#"{"username": "demo"}"#).unwrap_err();
        assert!(
            e.message()
                .starts_with("username: belongs to \"auth\": \"cookie\""),
            "{}",
            e.message()
        );
        applied(&mut c, r#"{"username": null, "bearer_token": null}"#).unwrap();

        // "auth" starts the method afresh: its credentials must come along.
        let e = applied(&mut c, r#"{"auth": "oauth", "client_id": "id"}"#).unwrap_err();
        assert_eq!(
            e.message(),
            "\"auth\": \"oauth\" needs token_url, client_secret as well, in the same object"
        );
        applied(&mut c, r#"{"auth": "cookie", "username": "demo"}"#).unwrap();
        let Auth::Cookie(l) = &c.auth else { panic!() };
        assert_eq!((l.username.as_str(), l.password.expose()), ("demo", ""));
        assert_eq!(c.sources.of(key::CLIENT_ID), "default", "oauth forgotten");
        applied(&mut c, r#"{"auth": "BEARER", "bearer_token": "t0ken"}"#).unwrap();
        assert!(matches!(&c.auth, Auth::Bearer(t) if t.expose() == "t0ken"));
        let e = applied(&mut c, r#"{"bearer_token": "has space"}"#).unwrap_err();
        assert!(e.message().starts_with("bearer_token: "), "{}", e.message());
        applied(&mut c, r#"{"auth": null}"#).unwrap();
        assert!(matches!(c.auth, Auth::None));
        assert_eq!(c.sources.of(key::AUTH), "default");
    }

    #[test]
    fn describes_placeholders_are_refused() {
        let mut c = Config::default();
        c.set_oauth("http://kc/token", "id", "real-secret", None)
            .unwrap();
        for (text, needle) in [
            (r#"{"client_secret": "***"}"#, "hides a secret"),
            (
                r#"{"client_key": "***", "client_certificate": "/c.pem"}"#,
                "hides a secret",
            ),
            (
                r#"{"client_certificate": "PEM text"}"#,
                "give the PEM text itself",
            ),
            (
                r#"{"ca_pem": "2 PEM certificate(s)"}"#,
                "summarises CA certificates",
            ),
            (
                r#"{"proxy": "http://***@proxy:3128"}"#,
                "hides the proxy's user",
            ),
        ] {
            let e = applied(&mut c, text).unwrap_err();
            assert!(e.message().contains(needle), "{text}: {}", e.message());
        }
        let Auth::OAuth(o) = &c.auth else { panic!() };
        assert_eq!(o.client_secret.expose(), "real-secret");
    }

    #[test]
    fn timeouts_must_be_above_zero_and_null_restores_defaults() {
        let mut c = Config::default();
        let e = applied(&mut c, r#"{"connect_timeout_ms": 0}"#).unwrap_err();
        assert!(
            e.message()
                .starts_with("connect_timeout_ms: the connect timeout must be above 0 ms"),
            "{}",
            e.message()
        );
        applied(
            &mut c,
            r#"{"connect_timeout_ms": 1, "request_timeout_ms": 2, "max_retries": 0}"#,
        )
        .unwrap();
        assert_eq!(c.connect_timeout, Duration::from_millis(1));
        assert_eq!(c.max_retries, 0);
        applied(
            &mut c,
            r#"{"connect_timeout_ms": null, "request_timeout_ms": null, "max_retries": null}"#,
        )
        .unwrap();
        assert_eq!(c.connect_timeout, DEFAULT_CONNECT_TIMEOUT);
        assert_eq!(c.request_timeout, DEFAULT_REQUEST_TIMEOUT);
        assert_eq!(c.sources.of(key::MAX_RETRIES), "default");
        let e = applied(&mut c, r#"{"max_retries": 4294967296}"#).unwrap_err();
        assert!(e.message().contains("too large"), "{}", e.message());
    }

    #[test]
    fn certificate_halves_go_together() {
        let mut c = Config::default();
        let e = applied(&mut c, r#"{"client_certificate": "/etc/tls/c.pem"}"#).unwrap_err();
        assert!(
            e.message()
                .starts_with("client_certificate is given without client_key"),
            "{}",
            e.message()
        );
        applied(
            &mut c,
            r#"{"client_certificate": "/etc/tls/c.pem", "client_key": "/etc/tls/k.pem"}"#,
        )
        .unwrap();
        // One half alone replaces that half.
        applied(&mut c, r#"{"client_key": "/etc/tls/other.pem"}"#).unwrap();
        let pair = c.client_certificate.as_ref().unwrap();
        assert!(matches!(&pair.chain, Pem::File(p) if p == std::path::Path::new("/etc/tls/c.pem")));
        assert!(
            matches!(&pair.key, Pem::File(p) if p == std::path::Path::new("/etc/tls/other.pem"))
        );
        let e = applied(
            &mut c,
            r#"{"client_key": "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n"}"#,
        )
        .unwrap_err();
        assert!(e.message().starts_with("client_key: "), "{}", e.message());
        assert!(!e.message().contains("base64 at all"));
        let e = applied(&mut c, r#"{"client_key": ""}"#).unwrap_err();
        assert!(
            e.message().starts_with("client_key: is empty"),
            "{}",
            e.message()
        );
        applied(&mut c, r#"{"client_key": null}"#).unwrap();
        assert!(c.client_certificate.is_none());
        assert_eq!(c.sources.of(key::CLIENT_CERTIFICATE), "default");
    }

    #[test]
    fn a_failed_object_changes_nothing() {
        let mut c = Config::default();
        c.set_base_url("http://before").unwrap();
        let e = applied(
            &mut c,
            r#"{"base_url": "http://after", "max_retries": 9, "proxy": "ftp://nope"}"#,
        )
        .unwrap_err();
        assert!(e.message().starts_with("proxy: "), "{}", e.message());
        assert_eq!(c.base_url.as_deref(), Some("http://before"));
        assert_eq!(c.max_retries, DEFAULT_MAX_RETRIES);
        assert_eq!(c.sources.of(key::MAX_RETRIES), "default");
    }

    #[test]
    fn nul_characters_are_refused() {
        let mut c = Config::default();
        let e = applied(&mut c, r#"{"base_url": "http://a\u0000b"}"#).unwrap_err();
        assert_eq!(e.message(), "base_url: contains a NUL character");
    }
}
