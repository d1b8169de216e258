//! Configuration from the environment and `tasklist_options_describe`, through the C
//! functions. The process environment is shared by the test threads, so one test sets it.

mod common;

use common::*;
use serde_json::Value;
use std::ptr;
use tasklist::ffi::*;

fn describe(options: *const tasklist_options) -> Value {
    json(&call_json(|o, e| unsafe { tasklist_options_describe(options, o, e) }).unwrap())
}

fn from_env() -> Result<Options, Failure> {
    let mut o = ptr::null_mut();
    call_status(|e| unsafe { tasklist_options_from_env(&mut o, e) })?;
    Ok(Options(o))
}

const NAMES: &[&str] = &[
    "CAMUNDA_TASKLIST_BASE_URL",
    "CAMUNDA_CLUSTER_REGION",
    "CAMUNDA_CLUSTER_ID",
    "CAMUNDA_OAUTH_URL",
    "ZEEBE_AUTHORIZATION_SERVER_URL",
    "CAMUNDA_AUTHORIZATION_SERVER_URL",
    "CAMUNDA_CLIENT_ID",
    "ZEEBE_CLIENT_ID",
    "CAMUNDA_CLIENT_SECRET",
    "ZEEBE_CLIENT_SECRET",
    "CAMUNDA_TOKEN_AUDIENCE",
    "ZEEBE_TOKEN_SCOPE",
    "CAMUNDA_AUTH_STRATEGY",
    "CAMUNDA_COOKIE_AUTH_USERNAME",
    "CAMUNDA_COOKIE_AUTH_PASSWORD",
    "CAMUNDA_COOKIE_AUTH_URL",
    "TASKLIST_REQUEST_TIMEOUT_MS",
    "TASKLIST_PROXY_FROM_ENV",
    "TASKLIST_PROXY",
    "CAMUNDA_CUSTOM_ROOT_CERT_STRING",
];

fn clear() {
    for name in NAMES {
        std::env::remove_var(name);
    }
}

fn set(vars: &[(&str, &str)]) {
    clear();
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
}

#[test]
fn the_environment_superset_with_sources_and_redaction() {
    let emu = emulator();
    let base = emu.base_url();
    let token_url = format!("{base}/oauth/token");

    // CAMUNDA_* wins over ZEEBE_*; every value names its variable; the secret is hidden.
    set(&[
        ("CAMUNDA_TASKLIST_BASE_URL", &base),
        (
            "ZEEBE_AUTHORIZATION_SERVER_URL",
            "http://legacy.invalid/token",
        ),
        ("CAMUNDA_AUTHORIZATION_SERVER_URL", &token_url),
        ("ZEEBE_CLIENT_ID", "legacy-id"),
        ("CAMUNDA_CLIENT_ID", CLIENT_ID),
        ("ZEEBE_CLIENT_SECRET", CLIENT_SECRET),
        ("CAMUNDA_TOKEN_AUDIENCE", "tasklist.camunda.io"),
        ("ZEEBE_TOKEN_SCOPE", "tasklist"),
        ("TASKLIST_REQUEST_TIMEOUT_MS", "15000"),
        (
            "TASKLIST_PROXY",
            "http://proxy-user:proxy-pass-77@127.0.0.1:9",
        ),
        ("TASKLIST_PROXY_FROM_ENV", "true"),
    ]);
    let options = from_env().unwrap();
    let d = describe(options.0);
    let text = d.to_string();
    assert!(!text.contains(CLIENT_SECRET), "{text}");
    assert!(!text.contains("proxy-pass-77"), "{text}");
    let entry = |key: &str| {
        (
            d[key]["value"].clone(),
            d[key]["source"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(
        entry("base_url"),
        (
            Value::from(base.clone()),
            "CAMUNDA_TASKLIST_BASE_URL".into()
        )
    );
    assert_eq!(entry("auth").0, "oauth");
    assert_eq!(
        entry("token_url"),
        (
            Value::from(token_url.clone()),
            "CAMUNDA_AUTHORIZATION_SERVER_URL".into()
        )
    );
    assert_eq!(
        entry("client_id"),
        (Value::from(CLIENT_ID), "CAMUNDA_CLIENT_ID".into())
    );
    assert_eq!(
        entry("client_secret"),
        (Value::from("***"), "ZEEBE_CLIENT_SECRET".into())
    );
    assert_eq!(entry("audience").1, "CAMUNDA_TOKEN_AUDIENCE");
    assert_eq!(
        entry("scope"),
        (Value::from("tasklist"), "ZEEBE_TOKEN_SCOPE".into())
    );
    assert_eq!(
        entry("request_timeout_ms"),
        (Value::from(15000), "TASKLIST_REQUEST_TIMEOUT_MS".into())
    );
    assert_eq!(
        entry("connect_timeout_ms"),
        (Value::from(10000), "default".into())
    );
    assert_eq!(
        entry("proxy_from_env"),
        (Value::from(true), "TASKLIST_PROXY_FROM_ENV".into())
    );
    assert_eq!(entry("proxy").0, "http://***@127.0.0.1:9");

    // An explicit setter wins over the environment and says so.
    assert_eq!(
        unsafe { tasklist_options_set_max_retries(options.0, 4) },
        TASKLIST_OK
    );
    assert_eq!(
        unsafe { tasklist_options_set_proxy(options.0, ptr::null()) },
        TASKLIST_OK
    );
    let d = describe(options.0);
    assert_eq!(
        (
            d["max_retries"]["value"].as_u64(),
            d["max_retries"]["source"].as_str()
        ),
        (Some(4), Some("set"))
    );
    assert_eq!(d["proxy"]["value"], Value::Null);
    assert_eq!(d["proxy"]["source"], "default");

    // The options work: the token comes from the emulator named by the variables.
    assert_eq!(
        unsafe { tasklist_options_set_proxy_from_env(options.0, 0) },
        TASKLIST_OK
    );
    let client = options.client();
    call_status(|e| unsafe { tasklist::ffi::tasklist_client_login(client.ptr(), e) }).unwrap();

    // Cookie login from the Node SDK's names, the login URL below the base URL.
    set(&[
        ("CAMUNDA_TASKLIST_BASE_URL", &base),
        ("CAMUNDA_AUTH_STRATEGY", "COOKIE"),
        ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
        ("CAMUNDA_COOKIE_AUTH_PASSWORD", "demo"),
        ("CAMUNDA_COOKIE_AUTH_URL", &format!("{base}/api/login")),
    ]);
    let options = from_env().unwrap();
    let d = describe(options.0);
    assert_eq!(d["auth"]["source"], "CAMUNDA_AUTH_STRATEGY");
    assert_eq!(d["password"]["value"], "***");
    assert_eq!(d["password"]["source"], "CAMUNDA_COOKIE_AUTH_PASSWORD");
    assert_eq!(d["login_path"]["source"], "CAMUNDA_COOKIE_AUTH_URL");
    let client = options.client();
    call_status(|e| unsafe { tasklist::ffi::tasklist_client_login(client.ptr(), e) }).unwrap();

    // A login URL elsewhere is refused, naming the variable.
    std::env::set_var(
        "CAMUNDA_COOKIE_AUTH_URL",
        "http://elsewhere.invalid/api/login",
    );
    let f = from_env().map(|_| ()).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_ARGUMENT");
    assert!(
        f.message.starts_with("CAMUNDA_COOKIE_AUTH_URL"),
        "{}",
        f.message
    );

    // The SaaS shorthand, and a CA from PEM text that is not PEM.
    set(&[
        ("CAMUNDA_CLUSTER_REGION", "bru-2"),
        ("CAMUNDA_CLUSTER_ID", "abc"),
        ("CAMUNDA_CLIENT_ID", "id"),
        ("CAMUNDA_CLIENT_SECRET", "secret"),
    ]);
    let d = describe(from_env().unwrap().0);
    assert_eq!(
        d["base_url"]["value"],
        "https://bru-2.tasklist.camunda.io/abc"
    );
    assert_eq!(
        d["base_url"]["source"],
        "CAMUNDA_CLUSTER_REGION+CAMUNDA_CLUSTER_ID"
    );
    assert_eq!(
        d["token_url"]["value"],
        "https://login.cloud.camunda.io/oauth/token"
    );
    std::env::set_var("CAMUNDA_CUSTOM_ROOT_CERT_STRING", "not pem");
    let f = from_env().map(|_| ()).unwrap_err();
    assert!(
        f.message.starts_with("CAMUNDA_CUSTOM_ROOT_CERT_STRING"),
        "{}",
        f.message
    );
    clear();

    // Nothing set: every value is a default.
    let options = from_env().unwrap();
    let d = describe(options.0);
    assert!(
        d.as_object()
            .unwrap()
            .values()
            .all(|e| e["source"] == "default"),
        "{d}"
    );
    assert_eq!(d["proxy_from_env"]["value"], false);
}

#[test]
fn describe_checks_its_arguments() {
    let mut out = ptr::null_mut();
    assert_eq!(
        unsafe { tasklist_options_describe(ptr::null(), &mut out, ptr::null_mut()) },
        TASKLIST_ERR_NULL_ARGUMENT
    );
    let o = Options::new("http://localhost:8080");
    assert_eq!(
        unsafe { tasklist_options_describe(o.0, ptr::null_mut(), ptr::null_mut()) },
        TASKLIST_ERR_NULL_ARGUMENT
    );
    let d = describe(o.0);
    assert_eq!(d["base_url"]["source"], "set");
    assert_eq!(d["auth"]["value"], "none");
}

/// `value` of every describe entry, keyed like describe.
fn values(d: &Value) -> serde_json::Map<String, Value> {
    d.as_object()
        .unwrap()
        .iter()
        .map(|(k, e)| (k.clone(), e["value"].clone()))
        .collect()
}

#[test]
fn set_json_checks_its_arguments() {
    let o = Options::empty();
    let json = cstring("{}");
    let mut err = ptr::null_mut();
    assert_eq!(
        unsafe { tasklist_options_set_json(ptr::null_mut(), json.as_ptr(), &mut err) },
        TASKLIST_ERR_NULL_ARGUMENT
    );
    take_error(TASKLIST_ERR_NULL_ARGUMENT, err);
    let f = call_status(|e| unsafe { tasklist_options_set_json(o.0, ptr::null(), e) }).unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_NULL_ARGUMENT");
    assert!(f.message.contains("json"), "{}", f.message);
    let bad_utf8 = std::ffi::CString::new(vec![b'{', 0xff, b'}']).unwrap();
    let f = call_status(|e| unsafe { tasklist_options_set_json(o.0, bad_utf8.as_ptr(), e) })
        .unwrap_err();
    assert_eq!(f.name, "TASKLIST_ERR_INVALID_UTF8");
    // Without err_out the status still tells.
    let broken = cstring("{\"base_url\": ");
    assert_eq!(
        unsafe { tasklist_options_set_json(o.0, broken.as_ptr(), ptr::null_mut()) },
        TASKLIST_ERR_INVALID_JSON
    );
    o.set_json("{}").unwrap();
}

#[test]
fn set_json_names_the_key_in_every_refusal() {
    let o = Options::new("http://localhost:8080");
    let before = describe(o.0);
    let cases = [
        (
            r#"{"base_ur": "http://x"}"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "unknown option \"base_ur\" (did you mean \"base_url\"?); the options are the keys \
             of tasklist_options_describe: base_url, auth, token_url,",
        ),
        (
            r#"{"base_url": "ftp://x"}"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "base_url: the base URL must start with http:// or https://",
        ),
        (
            r#"{"request_timeout_ms": "60s"}"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "request_timeout_ms: expected a whole number of milliseconds, got a string",
        ),
        (
            r#"{"request_timeout_ms": -1}"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "request_timeout_ms: expected a whole number of milliseconds, got -1",
        ),
        (
            r#"{"token_format": "xml"}"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "token_format: the token format must be 'form' or 'json'",
        ),
        (
            r#"{"auth": "oauth", "token_url": "http://kc/token", "client_id": "id"}"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "\"auth\": \"oauth\" needs client_secret as well, in the same object",
        ),
        (
            r#"{"password": "pw"}"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "password: belongs to \"auth\": \"cookie\" or \"basic\", but the authentication is \"none\"",
        ),
        (
            r#"{"auth": "bearer", "bearer_token": "***"}"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "bearer_token: \"***\" is how tasklist_options_describe hides a secret",
        ),
        (
            r#"{"max_retries": 1, "proxy": "socks9://p:1"}"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "proxy: ",
        ),
        (
            r#"["base_url"]"#,
            "TASKLIST_ERR_INVALID_ARGUMENT",
            "the options must be a JSON object",
        ),
        (
            r#"{"base_url": "#,
            "TASKLIST_ERR_INVALID_JSON",
            "the options are not valid JSON",
        ),
    ];
    for (text, name, start) in cases {
        let f = o.set_json(text).unwrap_err();
        assert_eq!(f.name, name, "{text}: {}", f.message);
        assert!(f.message.starts_with(start), "{text}: {}", f.message);
        // All or nothing: the failed object changed nothing.
        assert_eq!(describe(o.0), before, "{text}");
    }
}

#[test]
fn set_json_round_trips_what_describe_shows() {
    let dir = "/etc/tasklist-test";
    // Every setting away from its default, through the classic setters.
    let o = Options::new("http://tasklist.example:8080/base");
    o.set_oauth(
        "http://kc.example/realms/camunda/protocol/openid-connect/token",
        "round-trip-id",
        &secret("round-trip-secret"),
        Some("tasklist-api"),
    );
    let set = |json: &str| o.set_json(json).unwrap();
    set(r#"{"scope": "api://x/.default", "token_format": "json", "client_auth": "basic"}"#);
    set(&format!(
        r#"{{"login_path": "/login", "connect_timeout_ms": 1234, "request_timeout_ms": 5678,
            "max_retries": 7, "max_response_bytes": 1048576, "ca_file": "{dir}/ca.pem",
            "client_certificate": "{dir}/client.pem", "client_key": "{dir}/client.key",
            "proxy": "http://proxy.example:3128", "proxy_from_env": true}}"#
    ));
    let shown = values(&describe(o.0));
    assert_eq!(shown["client_secret"], "***");

    // Describe's values, with the one secret given back, make the same configuration.
    let mut input = shown.clone();
    input.insert("client_secret".into(), Value::from("round-trip-secret"));
    let copy = Options::empty();
    copy.set_json(&Value::Object(input).to_string()).unwrap();
    let copied = describe(copy.0);
    assert_eq!(values(&copied), shown);
    assert!(
        copied
            .as_object()
            .unwrap()
            .values()
            .all(|e| e["source"] == "set" || e["value"].is_null()),
        "{copied}"
    );

    // Cookie login and a fresh default configuration round-trip the same way.
    let cookie = Options::cookie("http://tasklist.example:8080", "demo", "pw");
    let mut input = values(&describe(cookie.0));
    input.insert("password".into(), Value::from("pw"));
    let copy = Options::empty();
    copy.set_json(&Value::Object(input.clone()).to_string())
        .unwrap();
    input.insert("password".into(), Value::from("***"));
    assert_eq!(values(&describe(copy.0)), input);
    let defaults = values(&describe(Options::empty().0));
    let copy = Options::empty();
    copy.set_json(&Value::Object(defaults.clone()).to_string())
        .unwrap();
    assert_eq!(values(&describe(copy.0)), defaults);

    // Every key null: back to the defaults, and to source "default" everywhere.
    let nulls: serde_json::Map<String, Value> =
        shown.keys().map(|k| (k.clone(), Value::Null)).collect();
    o.set_json(&Value::Object(nulls).to_string()).unwrap();
    let reset = describe(o.0);
    assert_eq!(values(&reset), defaults);
    assert!(
        reset
            .as_object()
            .unwrap()
            .values()
            .all(|e| e["source"] == "default"),
        "{reset}"
    );
}

#[test]
fn options_from_json_make_a_working_client() {
    let emu = emulator();
    let base = emu.base_url();
    let o = Options::empty();
    // Credentials before "auth" in the text: keys are applied in describe's order.
    o.set_json(&format!(
        r#"{{"client_secret": "{CLIENT_SECRET}", "client_id": "{CLIENT_ID}",
            "token_url": "{base}/oauth/token", "auth": "oauth", "base_url": "{base}",
            "request_timeout_ms": 5000}}"#
    ))
    .unwrap();
    let d = describe(o.0);
    assert_eq!(d["auth"]["value"], "oauth");
    assert_eq!(d["client_secret"]["value"], "***");
    let client = o.client();
    call_status(|e| unsafe { tasklist::ffi::tasklist_client_login(client.ptr(), e) }).unwrap();

    // Switching to the cookie login of the same server, in one object.
    o.set_json(r#"{"auth": "cookie", "username": "demo", "password": "demo"}"#)
        .unwrap();
    let d = describe(o.0);
    assert_eq!(d["client_id"]["value"], Value::Null);
    assert_eq!(d["client_id"]["source"], "default");
    let client = o.client();
    call_status(|e| unsafe { tasklist::ffi::tasklist_client_login(client.ptr(), e) }).unwrap();
}
