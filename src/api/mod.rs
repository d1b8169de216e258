//! The client of every API generation: the base URL, the transport and the authenticator,
//! `execute` for any endpoint row of `v1/` (and later `v2/`), and the one request loop every
//! call goes through (authenticate, send, renew a stale credential once).

pub(crate) mod body;
pub(crate) mod endpoint;
pub(crate) mod pages;
pub(crate) mod path;
pub(crate) mod unsupported;
pub(crate) mod v1;
pub(crate) mod v2;

use body::{check_answer_shape, check_request_body};
use endpoint::{BodyRule, Endpoint, Generation};
use path::check_relative_path;

use crate::auth::token_request::client_secret_basic;
use crate::auth::Authenticator;
use crate::config::{Auth, ClientAuth, Config};
use crate::error::{shorten, Code, Error, Result, MAX_LABEL_CHARS};
use crate::secret::Mask;
use crate::transport::retry::Idempotency::{self, Safe, Unsafe};
use crate::transport::{Answer, Body, Method, Outgoing, Transport};

pub struct Client {
    base_url: String,
    /// Added to the requests of commands that act in a tenant and name none.
    tenant_id: Option<String>,
    transport: Transport,
    auth: Authenticator,
    /// The configured secrets, masked in every error this client returns.
    mask: Mask,
}

impl Client {
    pub fn new(config: &Config) -> Result<Client> {
        let base_url = config.base_url.clone().ok_or_else(|| {
            Error::invalid_argument(
                "the options have no base URL (set one, or CAMUNDA_TASKLIST_BASE_URL)",
            )
        })?;
        Ok(Client {
            transport: Transport::new(config, &base_url)?,
            auth: Authenticator::new(config, &base_url),
            tenant_id: config.tenant_id.clone(),
            base_url,
            mask: configured_secrets(config),
        })
    }

    /// The largest answer accepted, in bytes (`tasklist_options_set_max_response_bytes`).
    pub(crate) fn max_response_bytes(&self) -> u64 {
        self.transport.max_response_bytes()
    }

    /// The time one call may take (`tasklist_options_set_timeouts`).
    pub(crate) fn request_timeout(&self) -> std::time::Duration {
        self.transport.request_timeout()
    }

    /// Fetches a token or logs in now, so configuration mistakes show at start-up.
    pub fn login(&self) -> Result<()> {
        self.auth
            .authenticate(&self.transport)
            .map_err(|e| self.mask.error(e))
    }

    /// Calls one endpoint: `segments` fill its path parameters in order, `query` its query
    /// parameters, `body` is the caller's JSON text. Returns the answer's text, checked to
    /// have the endpoint's shape ("" for an endpoint that answers 204).
    pub(crate) fn execute(
        &self,
        endpoint: &Endpoint,
        segments: &[&str],
        query: &[Option<&str>],
        body: Option<&str>,
    ) -> Result<String> {
        let path = endpoint.path_for(segments, query)?;
        let in_tenant;
        let body = match (endpoint.body, body) {
            (BodyRule::RequiredInTenant(what), Some(text)) => {
                check_request_body(text, what)?;
                in_tenant = body::with_tenant(text, self.tenant_id.as_deref(), what)?;
                Body::Json(&in_tenant)
            }
            (BodyRule::None, _) => Body::None,
            (
                BodyRule::OrEmptyObject(what) | BodyRule::Optional(what) | BodyRule::Required(what),
                Some(text),
            ) => {
                check_request_body(text, what)?;
                Body::Json(text)
            }
            (BodyRule::OrEmptyObject(_), None) => Body::Json("{}"),
            (BodyRule::Optional(_), None) => Body::None,
            (BodyRule::Required(what) | BodyRule::RequiredInTenant(what), None) => {
                return Err(Error::invalid_argument(format!("the {what} is missing")))
            }
        };
        let label = || self.label(endpoint.method, &path);
        let answer = match self.call(
            endpoint.generation,
            endpoint.method,
            &path,
            body,
            endpoint.idempotency,
        ) {
            Ok(answer) => answer,
            Err(error) if error.code() == Code::NotFound => {
                return Err(unsupported::diagnose(self, endpoint, &label(), error))
            }
            Err(error) => return Err(error),
        };
        if endpoint.answer == body::Shape::ObjectOrNull && answer.status == 204 {
            return Ok("null".to_string());
        }
        check_answer_shape(&answer.body, endpoint.answer, label)?;
        Ok(answer.body)
    }

    /// Any other endpoint below the base URL, with the same authentication, retries and
    /// errors. Reads and searches (`GET`, or a `POST` to a path ending in `/search`) count as
    /// safe to repeat; everything else is retried only when it never reached the server.
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> Result<String> {
        let method = Method::parse(method)?;
        check_relative_path(path)?;
        if let Some(body) = body {
            check_request_body(body, "request body")?;
        }
        let path_only = path.split('?').next().unwrap_or(path);
        let idempotency = if method == Method::Get
            || (method == Method::Post && path_only.ends_with("/search"))
        {
            Safe
        } else {
            Unsafe
        };
        let body = match body {
            Some(text) => Body::Json(text),
            None if method == Method::Get || method == Method::Delete => Body::None,
            None => Body::Json("{}"),
        };
        Ok(self
            .call(&ANY_SERVER, method, path, body, idempotency)?
            .body)
    }

    /// How a request is named in messages: the method and the full URL, so that a wrong base
    /// URL shows ("POST http://host:8080/v1/tasks/search").
    fn label(&self, method: Method, path: &str) -> String {
        format!(
            "{} {}{}",
            method.as_str(),
            self.base_url,
            shorten(path, MAX_LABEL_CHARS)
        )
    }

    /// Sends one request to `path` (below the base URL) and returns the 2xx answer; any other
    /// status becomes an error carrying the server's body, read as `generation` writes it.
    fn call(
        &self,
        generation: &Generation,
        method: Method,
        path: &str,
        body: Body<'_>,
        idempotency: Idempotency,
    ) -> Result<Answer> {
        let url = format!("{}{}", self.base_url, path);
        let label = self.label(method, path);
        let mut renewed = false;
        loop {
            let credentials = self
                .auth
                .credentials(&self.transport, method, path)
                .map_err(|e| self.mask.error(e))?;
            let request = Outgoing {
                method,
                url: &url,
                headers: credentials.headers,
                body,
                idempotency,
                refusal: generation.refusal,
                label: &label,
            };
            let outcome = self.transport.send(&request);
            if let Ok(answer) = &outcome {
                self.auth.absorb(answer, path, credentials.generation);
                if (200..300).contains(&answer.status) {
                    return outcome;
                }
                // The request was refused before Tasklist acted on it, so sending it again
                // with a fresh credential is safe even for writes; only once, never a loop.
                if !renewed && self.auth.renew_if_stale(answer, credentials.generation) {
                    renewed = true;
                    continue;
                }
            }
            let error = match outcome {
                Ok(answer) => answer_error(generation, &label, answer, renewed),
                Err(error) => error,
            };
            // A server may echo the request's credentials (a token, a cookie) in its answer.
            let mut mask = self.mask.clone();
            for (_, value) in &request.headers {
                mask.add_header_value(value);
            }
            return Err(mask.error(error));
        }
    }
}

/// Every secret the configuration holds, in the forms a server could echo.
fn configured_secrets(config: &Config) -> Mask {
    let mut mask = Mask::default();
    match &config.auth {
        Auth::None => {}
        Auth::OAuth(oauth) => {
            mask.add(oauth.client_secret.expose());
            // A token endpoint may echo the Authorization header of client_secret_basic.
            if config.client_auth == ClientAuth::Basic {
                mask.add_header_value(client_secret_basic(oauth).expose());
            }
        }
        Auth::Cookie(login) => mask.add(login.password.expose()),
        Auth::Basic(login) => {
            mask.add(login.password.expose());
            // A server may echo the request's Authorization header.
            mask.add_header_value(crate::auth::basic::authorization(login).expose());
        }
        Auth::Bearer(token) => mask.add(token.expose()),
    }
    if let Some(proxy) = &config.proxy {
        for credential in crate::transport::proxy::credentials_of(proxy.expose()) {
            mask.add(&credential);
        }
    }
    mask
}

/// What a generic request (`tasklist_request`) knows of the server: nothing, so it reads
/// the problem fields of every generation.
static ANY_SERVER: Generation = Generation {
    server: "the server",
    problem: |body| first_text_field(body, &["message", "detail", "title", "error"]),
    numeric_keys: false,
    refusal: crate::transport::retry::status_only,
    api: endpoint::Api::Any,
};

fn answer_error(generation: &Generation, label: &str, answer: Answer, renewed: bool) -> Error {
    let status = answer.status;
    let detail = (generation.problem)(&answer.body);
    // Only a body in the generation's own words shows that the server is that API: a
    // wrong base URL (a web server, a gateway's page) is not called "Tasklist".
    let server = if detail.is_some() {
        generation.server
    } else {
        "the server"
    };
    let mut message = format!("{label}: {server} answered HTTP {status}");
    if let Some(detail) = detail {
        message.push_str(": ");
        message.push_str(&detail);
    }
    if status == 401 && renewed {
        message.push_str(" (even with fresh credentials)");
    }
    if (300..400).contains(&status) {
        if let Some(location) = answer.headers.get("location") {
            message.push_str(&format!(" (redirect to {location}, not followed)"));
        }
    }
    Error::new(Code::for_http_status(status), message).with_answer(status, Some(answer.body))
}

/// The first of `keys` that a JSON object body holds as non-empty text, cut to 300 chars.
pub(crate) fn first_text_field(body: &str, keys: &[&str]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    keys.iter()
        .filter_map(|k| value.get(*k)?.as_str())
        .find(|s| !s.is_empty())
        .map(|s| s.chars().take(300).collect())
}
