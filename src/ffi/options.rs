//! `tasklist_options`: the configuration a client is built from.

use crate::config::{ClientAuth, ClientCertificate, Config, Pem, TokenFormat};
use crate::error::{Code, Error, Result};
use crate::ffi::boundary::{ffi_status, ffi_value};
use crate::ffi::error::tasklist_error;
use crate::ffi::handle::{free_handle, into_handle, object, object_mut, out_param};
use crate::ffi::strings::{give_string, optional_text, text};
use crate::ffi::{
    tasklist_status, TASKLIST_CLIENT_AUTH_BASIC, TASKLIST_CLIENT_AUTH_POST,
    TASKLIST_TOKEN_FORMAT_FORM, TASKLIST_TOKEN_FORMAT_JSON,
};
use crate::secret::Secret;
use std::ffi::c_char;
use std::ptr;

/// A builder of a client's configuration. Created by `tasklist_options_new` or
/// `tasklist_options_from_env`, changed by the `tasklist_options_set_*` functions, read (not
/// consumed) by `tasklist_client_new`, freed by `tasklist_options_free`.
///
/// Not thread-safe: do not use one options object from two threads at once.
pub struct tasklist_options {
    pub(crate) config: Config,
}

fn hand_over(options_out: &mut *mut tasklist_options, config: Config) {
    *options_out = into_handle(tasklist_options { config });
}

/// Creates options with the defaults: no base URL, no authentication, connect timeout
/// 10 s, request timeout 60 s, 2 retries, a 64 MiB response limit, the cookie login's path
/// found at the first login.
///
/// On success `*options_out` is a new object that the caller frees with
/// `tasklist_options_free`. Returns `TASKLIST_OK` or `TASKLIST_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_new(
    options_out: *mut *mut tasklist_options,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let out = out_param(options_out, "options_out")?;
        hand_over(out, Config::default());
        Ok(())
    })
}

/// Creates options from the environment variable names Camunda's clients use
/// (`CAMUNDA_TASKLIST_BASE_URL`, `CAMUNDA_OAUTH_URL` / `ZEEBE_AUTHORIZATION_SERVER_URL`,
/// `CAMUNDA_CLIENT_ID` / `ZEEBE_CLIENT_ID`, `CAMUNDA_CLIENT_SECRET` / `ZEEBE_CLIENT_SECRET`,
/// `CAMUNDA_TASKLIST_OAUTH_AUDIENCE`, `CAMUNDA_TOKEN_SCOPE`, `CAMUNDA_AUTH_STRATEGY`,
/// `CAMUNDA_COOKIE_AUTH_USERNAME` / `_PASSWORD`, `CAMUNDA_OAUTH_TOKEN`,
/// `CAMUNDA_CLUSTER_REGION` + `CAMUNDA_CLUSTER_ID`, ...). Where several names mean the same
/// setting, the first one set wins, in the order of docs/configuration.md. Without
/// `CAMUNDA_AUTH_STRATEGY`, OAuth is chosen when token URL, client id and secret are all set,
/// else cookie login when a cookie username is set, else a bearer token when one is set.
///
/// On success `*options_out` is a new object (free with `tasklist_options_free`); the caller
/// may still change it with the setters. Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`,
/// or `TASKLIST_ERR_INVALID_ARGUMENT` (a variable holds an unusable value; the message names
/// the variable, never a secret value). A missing base URL is reported by
/// `tasklist_client_new`. Reads the process environment: do not call while another thread
/// changes it.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_from_env(
    options_out: *mut *mut tasklist_options,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let out = out_param(options_out, "options_out")?;
        hand_over(out, crate::config_from_env()?);
        Ok(())
    })
}

/// Frees options. NULL is accepted and ignored. Must be called exactly once per object;
/// clients created from the options are not affected. Secrets held are wiped from memory.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_free(options: *mut tasklist_options) {
    ffi_value!((), { free_handle(options) })
}

/// Runs a setter; on failure the options are left as they were.
unsafe fn set(
    options: *mut tasklist_options,
    apply: impl FnOnce(&mut Config) -> Result<()>,
) -> Result<()> {
    let options = object_mut(options, "options")?;
    let mut config = options.config.clone();
    apply(&mut config)?;
    options.config = config;
    Ok(())
}

/// Sets the Tasklist base URL, e.g. `http://localhost:8080` or
/// `https://bru-2.tasklist.camunda.io/<cluster-id>` (a trailing `/` is removed; endpoints
/// are appended as `/v1/...`). `url` is copied.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, `TASKLIST_ERR_INVALID_UTF8`, or
/// `TASKLIST_ERR_INVALID_ARGUMENT` (not http/https, no host, has a query).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_base_url(
    options: *mut tasklist_options,
    url: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let url = text(url, "url")?;
        set(options, |c| c.set_base_url(url))
    })
}

/// Authenticates with OAuth 2.0 client credentials: a token is requested from `token_url`
/// with `grant_type=client_credentials`, `client_id`, `client_secret` and `audience`, cached
/// until shortly before it expires, and sent as `Authorization: Bearer <token>`.
///
/// `audience` may be NULL for the Camunda SaaS default, chosen by the base URL:
/// `"zeebe.camunda.io"` for a `*.zeebe.camunda.io` host (the v2 SaaS address),
/// `"tasklist.camunda.io"` for any other; or `""` to send no audience (Keycloak/Identity add
/// it themselves). All strings are copied; the
/// secret is wiped from memory when the options and clients holding it are freed.
/// Replaces any earlier authentication setting (the last one wins).
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, `TASKLIST_ERR_INVALID_UTF8`, or
/// `TASKLIST_ERR_INVALID_ARGUMENT` (bad token URL, empty client id or secret).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_oauth(
    options: *mut tasklist_options,
    token_url: *const c_char,
    client_id: *const c_char,
    client_secret: *const c_char,
    audience: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let token_url = text(token_url, "token_url")?;
        let client_id = text(client_id, "client_id")?;
        let client_secret = text(client_secret, "client_secret")?;
        let audience = optional_text(audience, "audience")?;
        set(options, |c| {
            c.set_oauth(token_url, client_id, client_secret, audience)
        })
    })
}

/// Sets the OAuth `scope` parameter (Microsoft Entra ID needs e.g. `api://<app>/.default`).
/// NULL or `""` removes it. Applies whenever OAuth is used, whether set before or after
/// `tasklist_options_set_oauth`. Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT` (for
/// `options`) or `TASKLIST_ERR_INVALID_UTF8`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_oauth_scope(
    options: *mut tasklist_options,
    scope: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let scope = optional_text(scope, "scope")?;
        set(options, |c| {
            c.set_scope(scope);
            Ok(())
        })
    })
}

/// Chooses how the token request body is encoded: `TASKLIST_TOKEN_FORMAT_FORM` (default;
/// RFC 6749, required by Keycloak) or `TASKLIST_TOKEN_FORMAT_JSON` (the JSON body of the
/// Camunda 8.4 SaaS guide). Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, or
/// `TASKLIST_ERR_INVALID_ARGUMENT` for any other value.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_token_format(
    options: *mut tasklist_options,
    format: u32,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let format = match format {
            TASKLIST_TOKEN_FORMAT_FORM => TokenFormat::Form,
            TASKLIST_TOKEN_FORMAT_JSON => TokenFormat::Json,
            other => {
                return Err(Error::invalid_argument(format!(
                    "unknown token format {other} (use TASKLIST_TOKEN_FORMAT_FORM or _JSON)"
                )))
            }
        };
        set(options, |c| {
            c.set_token_format(format);
            Ok(())
        })
    })
}

/// Authenticates with a cookie login: the client posts `username` and `password` as a form
/// body to `<base URL><login path>`, keeps every cookie the server sets, echoes the CSRF token
/// on writes, and logs in again once when the session has expired. Unless pinned
/// (`tasklist_options_set_login_path`), the path is found at the first login: `/api/login`
/// (Tasklist up to 8.7, tried first for v1 calls) or `/login` (8.8+, tried first for v2
/// calls; its login page is fetched first, for the CSRF token a strict login wants), the
/// other one after a 404 or 405; the one that worked is kept. Strings are copied; the
/// password is wiped when no longer held. Replaces any earlier authentication setting.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, `TASKLIST_ERR_INVALID_UTF8`, or
/// `TASKLIST_ERR_INVALID_ARGUMENT` (empty username).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_cookie_login(
    options: *mut tasklist_options,
    username: *const c_char,
    password: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let username = text(username, "username")?;
        let password = text(password, "password")?;
        set(options, |c| c.set_cookie_login(username, password))
    })
}

/// Authenticates with HTTP Basic (Camunda 8.8+ Self-Managed with Basic authentication):
/// every request carries `Authorization: Basic base64(username:password)`; there is no
/// session and no login request. Strings are copied; the password is wiped when no longer
/// held, and neither it nor the header ever appears in an error, a log line or describe.
/// Replaces any earlier authentication setting. A 401 is `TASKLIST_ERR_UNAUTHORIZED` (wrong
/// user or password), never retried.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, `TASKLIST_ERR_INVALID_UTF8`, or
/// `TASKLIST_ERR_INVALID_ARGUMENT` (empty username, a username with `:`, control characters).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_basic_auth(
    options: *mut tasklist_options,
    username: *const c_char,
    password: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let username = text(username, "username")?;
        let password = text(password, "password")?;
        set(options, |c| c.set_basic_auth(username, password))
    })
}

/// Pins the path of the cookie login below the base URL (`/api/login` for Tasklist up to
/// 8.7, `/login` from 8.8, or a gateway's own): only that path is asked, instead of finding
/// one of the two at the first login. A path other than one ending in `/api/login` is
/// fetched with `GET` before the login, as `/login` is. Returns `TASKLIST_OK`,
/// `TASKLIST_ERR_NULL_ARGUMENT`, `TASKLIST_ERR_INVALID_UTF8`, or
/// `TASKLIST_ERR_INVALID_ARGUMENT` (does not start with `/`).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_login_path(
    options: *mut tasklist_options,
    path: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let path = text(path, "path")?;
        set(options, |c| c.set_login_path(path))
    })
}

/// Authenticates with a fixed bearer token obtained elsewhere (`Authorization: Bearer
/// <token>`); it is never refreshed, so a 401 is reported as `TASKLIST_ERR_UNAUTHORIZED`.
/// The token is copied. Replaces any earlier authentication setting.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, `TASKLIST_ERR_INVALID_UTF8`, or
/// `TASKLIST_ERR_INVALID_ARGUMENT` (empty, or contains spaces or control characters).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_bearer_token(
    options: *mut tasklist_options,
    token: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let token = text(token, "token")?;
        set(options, |c| c.set_bearer_token(token))
    })
}

/// Sets the connect timeout and the whole-request timeout (which bounds one call including
/// its retries, token fetch excepted), in milliseconds. 0 keeps the current value (defaults
/// 10,000 and 60,000): no call ever waits without a limit.
///
/// Returns `TASKLIST_OK` or `TASKLIST_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_timeouts(
    options: *mut tasklist_options,
    connect_ms: u64,
    request_ms: u64,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        set(options, |c| {
            c.set_timeouts(connect_ms, request_ms);
            Ok(())
        })
    })
}

/// Trusts the CA certificates in the PEM file at `pem_path` (one or several certificates)
/// in addition to the built-in Mozilla roots, for clusters with a private CA. A server that
/// presents one of these certificates itself (a self-signed development certificate, as
/// `openssl req -x509` makes) is trusted for the names in it, as `curl --cacert` does. The
/// file is read by `tasklist_client_new`.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`, `TASKLIST_ERR_INVALID_UTF8`, or
/// `TASKLIST_ERR_INVALID_ARGUMENT` (empty path).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_ca_file(
    options: *mut tasklist_options,
    pem_path: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let path = text(pem_path, "pem_path")?;
        set(options, |c| c.set_ca_file(path))
    })
}

/// Sets how many times a failed request may be retried (default 2; 0 disables retries).
/// Searches and reads are retried on connection failures and on 429, 502, 503 and 504;
/// writes only when the connection was never made, or on 429/503 with `Retry-After`.
/// Returns `TASKLIST_OK` or `TASKLIST_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_max_retries(
    options: *mut tasklist_options,
    retries: u32,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        set(options, |c| {
            c.set_max_retries(retries);
            Ok(())
        })
    })
}

/// Sets the largest answer body accepted, in bytes (default 64 MiB); a larger answer fails
/// with `TASKLIST_ERR_BODY_TOO_LARGE`. Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT`,
/// or `TASKLIST_ERR_INVALID_ARGUMENT` (0).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_max_response_bytes(
    options: *mut tasklist_options,
    max_bytes: u64,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        set(options, |c| c.set_max_response_bytes(max_bytes))
    })
}

/// Trusts the CA certificates in `pem` (PEM text holding one or several certificates) in
/// addition to the built-in Mozilla roots and to a CA file, for clusters with a private CA.
/// NULL or `""` removes certificates given this way. The text is copied and checked now.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT` (for `options`),
/// `TASKLIST_ERR_INVALID_UTF8`, or `TASKLIST_ERR_INVALID_ARGUMENT` (no PEM certificate in
/// the text).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_ca_pem(
    options: *mut tasklist_options,
    pem: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let pem = optional_text(pem, "pem")?;
        set(options, |c| c.set_ca_pem(pem))
    })
}

/// Presents a client certificate (mutual TLS) to Tasklist and to the token endpoint:
/// `cert_chain_pem` is PEM text with the certificate and any intermediates,
/// `private_key_pem` its unencrypted private key (PKCS#8, PKCS#1 or SEC1 PEM). Both NULL
/// removes the client certificate. Both are copied and checked now; the key is wiped from
/// memory when the options and clients holding it are freed.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT` (`options`, or only one of the two),
/// `TASKLIST_ERR_INVALID_UTF8`, or `TASKLIST_ERR_INVALID_ARGUMENT` (no certificate, no key,
/// or an encrypted key).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_client_certificate(
    options: *mut tasklist_options,
    cert_chain_pem: *const c_char,
    private_key_pem: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let chain = optional_text(cert_chain_pem, "cert_chain_pem")?;
        let key = optional_text(private_key_pem, "private_key_pem")?;
        let certificate = client_certificate(chain, key, |text| Pem::Text(Secret::new(text)))?;
        set(options, |c| c.set_client_certificate(certificate))
    })
}

/// Like `tasklist_options_set_client_certificate`, with the PEM read from the files at
/// `cert_chain_path` and `private_key_path` when a client is built (so a rotated
/// certificate is picked up by the next `tasklist_client_new`). Both NULL removes it.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT` (`options`, or only one of the two),
/// `TASKLIST_ERR_INVALID_UTF8`, or `TASKLIST_ERR_INVALID_ARGUMENT` (an empty path).
/// Unreadable files are reported by `tasklist_client_new` as `TASKLIST_ERR_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_client_certificate_files(
    options: *mut tasklist_options,
    cert_chain_path: *const c_char,
    private_key_path: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let chain = optional_text(cert_chain_path, "cert_chain_path")?;
        let key = optional_text(private_key_path, "private_key_path")?;
        if chain == Some("") || key == Some("") {
            return Err(Error::invalid_argument(
                "a certificate or key path is empty",
            ));
        }
        let certificate = client_certificate(chain, key, |path| Pem::File(path.into()))?;
        set(options, |c| c.set_client_certificate(certificate))
    })
}

fn client_certificate(
    chain: Option<&str>,
    key: Option<&str>,
    pem: impl Fn(&str) -> Pem,
) -> Result<Option<ClientCertificate>> {
    match (chain, key) {
        (None, None) => Ok(None),
        (Some(chain), Some(key)) => Ok(Some(ClientCertificate {
            chain: pem(chain),
            key: pem(key),
        })),
        _ => Err(Error::new(
            Code::NullArgument,
            "give both the certificate chain and the private key, or neither",
        )),
    }
}

/// Sends every request (Tasklist and token endpoint) through the proxy at `url`:
/// `http://[user:password@]host:port`, `https://...`, `socks4://`, `socks5://`. Every request
/// is tunnelled with `CONNECT`, plain-http targets too, so the proxy must allow CONNECT to
/// the ports of Tasklist and of the token endpoint. NULL or `""` means no explicit proxy. An explicit proxy wins over
/// `tasklist_options_set_proxy_from_env`. The URL is copied; its user and password never
/// appear in messages, and `tasklist_options_describe` shows the whole user part of the URL
/// as `***` (a proxy credential is often a token given as the user alone).
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT` (for `options`),
/// `TASKLIST_ERR_INVALID_UTF8`, or `TASKLIST_ERR_INVALID_ARGUMENT` (unusable URL).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_proxy(
    options: *mut tasklist_options,
    url: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let url = optional_text(url, "url")?;
        set(options, |c| c.set_proxy(url))
    })
}

/// Opts in (`enabled` non-zero) or out (0, the default) of the proxy environment variables:
/// `https_proxy`/`HTTPS_PROXY` for an https base URL, `http_proxy`/`HTTP_PROXY` for http,
/// then `all_proxy`/`ALL_PROXY`, with `no_proxy`/`NO_PROXY` listing hosts reached directly
/// (lower case wins). They are read by `tasklist_client_new`. Off by default: a library
/// should not silently follow its host's environment.
///
/// Returns `TASKLIST_OK` or `TASKLIST_ERR_NULL_ARGUMENT`. An unusable proxy variable is
/// reported by `tasklist_client_new` as `TASKLIST_ERR_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_proxy_from_env(
    options: *mut tasklist_options,
    enabled: u32,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        set(options, |c| {
            c.set_proxy_from_env(enabled != 0);
            Ok(())
        })
    })
}

/// Sets the tenant that v2 commands taking one act in when their request names none:
/// `tasklist_v2_create_process_instance` adds `"tenantId"` to a request object without it
/// (the official v2 SDKs' default tenant). NULL or `""` means none: the server's default
/// (`<default>` without multi-tenancy). Searches are not narrowed: filter by `tenantId`
/// where that is wanted. The string is copied.
///
/// Returns `TASKLIST_OK`, `TASKLIST_ERR_NULL_ARGUMENT` (for `options`),
/// `TASKLIST_ERR_INVALID_UTF8`, or `TASKLIST_ERR_INVALID_ARGUMENT` (not `<default>` nor at
/// most 31 letters, digits, `_`, `-` or `.`).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_tenant_id(
    options: *mut tasklist_options,
    tenant_id: *const c_char,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let tenant = optional_text(tenant_id, "tenant_id")?;
        set(options, |c| c.set_tenant_id(tenant))
    })
}

/// Describes the configuration the options hold, as JSON text:
/// `{"base_url": {"value": "...", "source": "CAMUNDA_TASKLIST_BASE_URL"}, ...}` with one
/// entry per setting; `source` is `"default"`, `"set"` (a setter call) or the name of the
/// environment variable the value came from. Secrets (client secret, password, bearer token,
/// private key text, the proxy URL's user and password) are shown as `"***"` whatever their
/// length.
///
/// On success `*json_out` is a new string (free with `tasklist_string_free`). Does not change
/// the options; must not run concurrently with a setter on the same options.
/// Returns `TASKLIST_OK` or `TASKLIST_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_describe(
    options: *const tasklist_options,
    json_out: *mut *mut c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let out = out_param(json_out, "json_out")?;
        let options = object(options, "options")?;
        give_string(
            out,
            crate::config::describe::describe(
                &options.config,
                &crate::auth::chosen_defaults(&options.config),
            )
            .to_string(),
        )
    })
}

/// Chooses how the OAuth client id and secret reach the token endpoint:
/// `TASKLIST_CLIENT_AUTH_POST` (default, `client_secret_post`: both in the request body, as
/// Camunda SaaS, Identity and Keycloak accept) or `TASKLIST_CLIENT_AUTH_BASIC`
/// (`client_secret_basic`: `Authorization: Basic base64(urlencode(id):urlencode(secret))`
/// and no secret in the body; for servers whose client is registered for that method).
/// Applies whenever OAuth is used, whether set before or after `tasklist_options_set_oauth`;
/// works with both token formats. The same CA (`tasklist_options_set_ca_file`), timeouts and
/// retries apply to the token endpoint as to Tasklist.
///
/// Not thread-safe, like every options setter. Returns `TASKLIST_OK`,
/// `TASKLIST_ERR_NULL_ARGUMENT`, or `TASKLIST_ERR_INVALID_ARGUMENT` for any other value (the
/// options are then left unchanged).
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_oauth_client_auth(
    options: *mut tasklist_options,
    method: u32,
) -> tasklist_status {
    ffi_status!(ptr::null_mut(), {
        let method = match method {
            TASKLIST_CLIENT_AUTH_POST => ClientAuth::Post,
            TASKLIST_CLIENT_AUTH_BASIC => ClientAuth::Basic,
            other => {
                return Err(Error::invalid_argument(format!(
                    "unknown OAuth client authentication {other} \
                     (use TASKLIST_CLIENT_AUTH_POST or TASKLIST_CLIENT_AUTH_BASIC)"
                )))
            }
        };
        set(options, |c| {
            c.set_client_auth(method);
            Ok(())
        })
    })
}

/// Applies several settings at once from a JSON object whose keys are the keys
/// `tasklist_options_describe` shows, with plain values in the form describe shows them
/// (not describe's `{"value": ..., "source": ...}` entries), e.g.
///
/// ```c
/// const char *json =
///     "{\"base_url\": \"https://bru-2.tasklist.camunda.io/abc\","
///     " \"auth\": \"oauth\", \"token_url\": \"https://login.cloud.camunda.io/oauth/token\","
///     " \"client_id\": \"my-id\", \"client_secret\": \"my-secret\","
///     " \"request_timeout_ms\": 30000, \"max_retries\": 4}";
/// tasklist_error *err = NULL;
/// if (tasklist_options_set_json(options, json, &err) != TASKLIST_OK) {
///     fprintf(stderr, "%s\n", tasklist_error_message(err));
///     tasklist_error_free(err);
/// }
/// ```
///
/// Values: strings for URLs, ids, paths, secrets and PEM text; whole numbers for
/// `connect_timeout_ms` and `request_timeout_ms` (above 0), `max_retries` and
/// `max_response_bytes`; `true`/`false` for `proxy_from_env`; `"form"`/`"json"` for
/// `token_format`, `"post"`/`"basic"` for `client_auth`, `"none"`, `"oauth"`, `"cookie"` or
/// `"bearer"` for `auth`. `null` unsets a setting: back to its default, with source
/// `"default"`. `"audience": ""` sends no audience (describe then shows null). A
/// `client_certificate` or `client_key` value that contains `-----BEGIN` is PEM text, any
/// other value a file path read by `tasklist_client_new`; the two go together, and null for
/// either removes the client certificate.
///
/// Order: keys are applied in the order describe lists them, whatever their order in the
/// text. `auth` starts an authentication method afresh, so its credentials (`token_url`,
/// `client_id`, `client_secret`, optional `audience`; `username`, optional `password`;
/// `bearer_token`) go in the same object. Without `auth`, a credential changes the value of
/// the method already configured; a non-null credential of another method is refused.
/// `scope`, `token_format` and `client_auth` apply to OAuth whenever it is used.
///
/// All or nothing: on any error the options are left unchanged. Setting values are copied
/// (secrets into memory that is wiped when freed); `json` is only read. Not thread-safe, like
/// every options setter: do not use the same options from two threads at once.
///
/// Returns `TASKLIST_OK`; `TASKLIST_ERR_NULL_ARGUMENT` (`options` or `json`);
/// `TASKLIST_ERR_INVALID_UTF8`; `TASKLIST_ERR_INVALID_JSON` (the text is not JSON); or
/// `TASKLIST_ERR_INVALID_ARGUMENT` with a message that names the key: not a JSON object, an
/// unknown key (the message suggests the nearest key and lists them all), a key given twice,
/// a value of the wrong type (the message says which type the key takes), an unusable value,
/// a credential missing for `auth`, or one of describe's placeholders (`"***"` for a secret,
/// `"PEM text"`, `"N PEM certificate(s)"`, a proxy URL with `***@`), which would replace
/// the real value. Messages never contain a secret value.
#[no_mangle]
pub unsafe extern "C" fn tasklist_options_set_json(
    options: *mut tasklist_options,
    json: *const c_char,
    err_out: *mut *mut tasklist_error,
) -> tasklist_status {
    ffi_status!(err_out, {
        let json = text(json, "json")?;
        set(options, |c| crate::config::settings::apply_json(c, json))
    })
}
