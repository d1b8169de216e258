//! Request dispatch: admin, token endpoint, login/logout, then the REST API
//! behind authentication (401 before any controller, as Spring Security
//! does), with counting, logging and injected faults around it.
//!
//! API routes are data: each generation has a table of (method, template,
//! handler) rows (`api::v1::routes`), picked by the path's first segment,
//! and one small matcher here walks it. Serving v2 is one more table.

use std::sync::RwLock;
use std::time::Duration;

use serde_json::Value;

use crate::admin::{self, Instruments, Target};
use crate::api::{self, v1, v2};
use crate::auth::jwks::JwksVerifier;
use crate::auth::oauth::TokenIssuer;
use crate::auth::session::{self, Lookup, Sessions};
use crate::auth::{csrf, jwt, Caller};
use crate::config::{Config, CsrfMode};
use crate::http::{Request, Response};
use crate::problem::{spring_error, unauthorized};
use crate::profile::Profile;
use crate::store::{seed, Data};

/// A request by where it goes; API requests come with their route.
enum Traffic<'a> {
    Token,
    Login,
    Api(Match<'a>),
}

impl Traffic<'_> {
    fn target(&self) -> Target {
        match self {
            Traffic::Token => Target::Token,
            Traffic::Login => Target::Login,
            Traffic::Api(_) => Target::Api,
        }
    }
}

/// The emulator's state. The fields are crate-visible for the admin
/// controller (`admin.rs`), which reads and resets all of them.
pub struct App {
    pub(crate) config: Config,
    /// What the configured Camunda version shows a client.
    profile: Profile,
    csrf_mode: CsrfMode,
    pub(crate) data: RwLock<Data>,
    pub(crate) tokens: TokenIssuer,
    pub(crate) sessions: Sessions,
    jwks: Option<JwksVerifier>,
    pub(crate) instruments: Instruments,
}

/// What a handler gets for one request.
pub struct Call<'a> {
    pub data: &'a RwLock<Data>,
    pub caller: &'a Caller,
    pub request: &'a Request,
    pub profile: &'a Profile,
    /// Operate's endpoints are served (profile or `--with-operate`).
    pub operate: bool,
    /// The values of the template's `{...}` segments, in order.
    pub params: Params<'a>,
    /// Listener faults (v2 commands ask them whether a blocking task
    /// listener holds them).
    pub instruments: &'a Instruments,
    /// `Config::request_timeout_ms`.
    pub request_timeout_ms: u64,
}

pub type Handler = fn(&Call<'_>) -> Response;

/// One row of a route table (`api::v1::routes::ROUTES`).
pub struct Route {
    pub method: &'static str,
    /// The path as the controller maps it, `{name}` for a parameter; also
    /// the name `/__emulator/counters` counts the endpoint under.
    pub template: &'static str,
    pub handler: Handler,
    /// Served without authentication (`/v2/license`, `/v2/status`).
    pub public: bool,
}

/// For the tables: `route("GET", "/v1/tasks/{taskId}", |c| ...)`.
pub const fn route(method: &'static str, template: &'static str, handler: Handler) -> Route {
    Route {
        method,
        template,
        handler,
        public: false,
    }
}

/// A row that needs no authentication.
pub const fn public_route(method: &'static str, template: &'static str, handler: Handler) -> Route {
    Route {
        public: true,
        ..route(method, template, handler)
    }
}

/// Most path parameters a template may have; kept in an array so that
/// matching never allocates.
const MAX_PARAMS: usize = 2;

#[derive(Clone, Copy, Default, Debug)]
pub struct Params<'a> {
    values: [&'a str; MAX_PARAMS],
    len: usize,
}

impl<'a> std::ops::Index<usize> for Params<'a> {
    type Output = &'a str;

    fn index(&self, i: usize) -> &&'a str {
        &self.values[..self.len][i]
    }
}

/// The outcome of matching a request against a route table.
pub enum Match<'a> {
    Found(&'static Route, Params<'a>),
    /// The path is known, but not with this method: 405.
    WrongMethod(&'static Route),
    /// 404.
    Unknown,
}

impl Match<'_> {
    /// The key part of `/__emulator/counters`' `by_endpoint`.
    pub fn template(&self) -> &'static str {
        match self {
            Match::Found(route, _) | Match::WrongMethod(route) => route.template,
            Match::Unknown => "(unmatched)",
        }
    }
}

/// The route table of an API generation, by the path's first segment.
fn route_table(first_segment: &str) -> Option<&'static [Route]> {
    match first_segment {
        "v1" => Some(v1::routes::ROUTES),
        "v2" => Some(v2::routes::ROUTES),
        _ => None,
    }
}

/// The first row whose path and method match; failing that, the first row
/// whose path matches names the 405. Segments are compared as decoded.
pub fn find<'a>(table: &'static [Route], method: &str, segments: &'a [String]) -> Match<'a> {
    let mut wrong_method = None;
    for route in table {
        let Some(params) = match_path(route.template, segments) else {
            continue;
        };
        if route.method == method {
            return Match::Found(route, params);
        }
        wrong_method.get_or_insert(route);
    }
    match wrong_method {
        Some(route) => Match::WrongMethod(route),
        None => Match::Unknown,
    }
}

fn match_path<'a>(template: &str, segments: &'a [String]) -> Option<Params<'a>> {
    let mut params = Params::default();
    // Templates start with '/': skip the empty piece before it.
    let mut parts = template.split('/').skip(1);
    for segment in segments {
        let part = parts.next()?;
        if part.starts_with('{') {
            // A template with more parameters is rejected by a test.
            *params.values.get_mut(params.len)? = segment;
            params.len += 1;
        } else if part != segment {
            return None;
        }
    }
    parts.next().is_none().then_some(params)
}

/// The seeded data, rendered for every API generation (start and reset).
pub(crate) fn demo_data(config: &Config) -> Data {
    let mut data = seed::build(config.generated_tasks, api::RENDERERS);
    data.set_export_delay(config.export_delay_ms, config.export_jitter_ms);
    data
}

/// Spring's name for the caller of an unprotected API.
const ANONYMOUS: &str = "anonymousUser";

fn unexpected_server_error() -> Response {
    v1::problem::problem_without_instance(500, "Unexpected server error occurred.")
}

/// `Authorization: Basic ...`: `None` for another scheme, `Some(None)` for
/// undecodable credentials.
fn basic_credentials(header: &str) -> Option<Option<(String, String)>> {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    Some(decoded.and_then(|text| {
        let (name, password) = text.split_once(':')?;
        Some((name.to_string(), password.to_string()))
    }))
}

fn is_v2(request: &Request) -> bool {
    request.segments.first().map(String::as_str) == Some("v2")
}

/// The security layer's 401/403 as the v2 API words it: a problem body
/// whose detail is the message the v1 body carries.
fn v2_security_problem(response: Response, path: &str) -> Response {
    let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    let detail = body
        .get("message")
        .or_else(|| body.get("error"))
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .unwrap_or("Full authentication is required to access this resource")
        .to_string();
    let title = if response.status == 401 {
        "Unauthorized"
    } else {
        "Forbidden"
    };
    let mut problem = v2::problem::problem_response(response.status, title, &detail, path);
    // Keep WWW-Authenticate and the like.
    for (name, value) in response.headers {
        if !name.eq_ignore_ascii_case("content-type") {
            problem = problem.with_header(&name, value);
        }
    }
    problem
}

fn endpoint_key(method: &str, template: &str) -> String {
    let mut key = String::with_capacity(method.len() + template.len() + 1);
    key.push_str(method);
    key.push(' ');
    key.push_str(template);
    key
}

impl App {
    pub fn new(config: Config, base_url: &str) -> App {
        let jwks = config.effective_jwks_url().map(|url| {
            let issuer = config.issuer.clone().unwrap_or_default();
            JwksVerifier::new(url, issuer, config.audience.clone())
        });
        let profile = config.profile();
        let csrf_mode = config.csrf_mode();
        App {
            data: RwLock::new(demo_data(&config)),
            tokens: TokenIssuer::new(&config, base_url),
            sessions: Sessions::new(
                config.users.clone(),
                config.session_timeout_secs,
                csrf_mode,
                profile.login,
                config.login_requires_csrf,
                profile.login_failure_content_type,
            ),
            profile,
            csrf_mode,
            jwks,
            instruments: Instruments::default(),
            config,
        }
    }

    pub fn handle(&self, request: &Request) -> Response {
        if request.segments.first().map(String::as_str) == Some("__emulator") {
            return if self.config.admin {
                admin::handle(self, request)
            } else {
                spring_error(404, "Not Found", &request.path)
            };
        }
        let arrived_ms = self.instruments.millis_since_start();
        let response = self.handle_traffic(request);
        let status = match response.delivery {
            crate::http::Delivery::DropMidAnswer => 0,
            crate::http::Delivery::Complete => response.status,
        };
        self.instruments
            .record(arrived_ms, &request.method, &request.path, status);
        response
    }

    fn handle_traffic(&self, request: &Request) -> Response {
        let traffic = if request.path == self.config.token_path {
            self.instruments
                .counters
                .token_requests
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Traffic::Token
        } else if request.path == self.profile.login.login_path
            || request.path == self.profile.login.logout_path
        {
            Traffic::Login
        } else if let Some(table) = request
            .segments
            .first()
            .filter(|s| self.serves_generation(s))
            .and_then(|s| route_table(s))
        {
            // Matched once, before authentication: 401s are counted under
            // the endpoint they were meant for.
            let matched = find(table, &request.method, &request.segments);
            self.instruments
                .count_api_request(&endpoint_key(&request.method, matched.template()));
            Traffic::Api(matched)
        } else {
            return spring_error(404, "Not Found", &request.path);
        };
        let target = traffic.target();
        let v2_path = is_v2(request);
        let verdict = self
            .instruments
            .take_faults(target, v2_path.then_some(&request.path));
        let delay = verdict.delay_ms
            + if target == Target::Api {
                self.config.delay_ms
            } else {
                0
            };
        if delay > 0 {
            std::thread::sleep(Duration::from_millis(delay));
        }
        if let Some(answer) = verdict.answer {
            return answer;
        }
        match traffic {
            Traffic::Token => {
                let (response, issued) = self.tokens.handle(request);
                if issued {
                    self.instruments
                        .counters
                        .token_successes
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                response
            }
            Traffic::Login if request.path == self.profile.login.logout_path => {
                if request.method == "POST"
                    || (request.method == "GET" && self.profile.login.logout_on_get)
                {
                    self.sessions.logout(request)
                } else {
                    spring_error(405, "Method Not Allowed", &request.path)
                }
            }
            Traffic::Login if request.method == "GET" && self.profile.login.login_page => {
                self.sessions.login_page()
            }
            Traffic::Login if request.method != "POST" => {
                spring_error(405, "Method Not Allowed", &request.path)
            }
            Traffic::Login => {
                let (response, created) = self.sessions.login(request);
                if created {
                    self.instruments
                        .counters
                        .logins
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                response
            }
            Traffic::Api(matched) => self.api(request, matched),
        }
    }

    /// Whether the profile serves the API generation a path's first
    /// segment names (8.10 has no v1, 8.4-8.7 no v2).
    fn serves_generation(&self, first_segment: &str) -> bool {
        match first_segment {
            "v1" => self.profile.serves_v1,
            "v2" => self.profile.serves_v2,
            _ => true,
        }
    }

    /// Who is calling, or the 401 that Spring Security would send.
    fn authenticate(&self, request: &Request) -> Result<Caller, Response> {
        if let Some(authorization) = request.header("authorization") {
            if self.profile.basic_auth {
                if let Some(credentials) = basic_credentials(authorization) {
                    // Checked on every call; no session is created.
                    return match credentials
                        .and_then(|(name, password)| self.sessions.check_password(&name, &password))
                    {
                        Some(user) => Ok(Caller::Basic {
                            username: user.username.clone(),
                            can_write: user.can_write,
                        }),
                        None => Err(unauthorized("Bad credentials")),
                    };
                }
            }
            if let Some(token) = authorization
                .strip_prefix("Bearer ")
                .or_else(|| authorization.strip_prefix("bearer "))
            {
                return self
                    .verify_bearer(token.trim())
                    .map(|client_id| Caller::Api { client_id })
                    .map_err(|m| unauthorized(&m));
            }
        }
        match self.sessions.lookup(request) {
            Lookup::Found(caller) => Ok(caller),
            Lookup::NoCookie
                if self.config.unprotected_api && self.profile.unprotected_api_option =>
            {
                Ok(Caller::Api {
                    client_id: ANONYMOUS.to_string(),
                })
            }
            Lookup::NoCookie | Lookup::Unknown => Err(session::not_logged_in()),
        }
    }

    fn verify_bearer(&self, token: &str) -> Result<String, String> {
        let alg = jwt::parse(token)?
            .header
            .get("alg")
            .and_then(Value::as_str)
            .map(str::to_string);
        match (alg.as_deref(), &self.jwks) {
            (Some("HS256"), _) => self.tokens.verify(token),
            (Some("RS256"), Some(jwks)) => jwks.verify(token),
            _ => Err("An error occurred while attempting to decode the Jwt: Signed JWT rejected: Another algorithm expected, or no matching key(s) found".into()),
        }
    }

    fn api(&self, request: &Request, matched: Match<'_>) -> Response {
        let v2_path = is_v2(request);
        let public = matches!(matched, Match::Found(route, _) if route.public);
        let caller = match self.authenticate(request) {
            Ok(caller) => caller,
            // A public route serves callers without (valid) credentials.
            Err(_) if public => Caller::Api {
                client_id: ANONYMOUS.to_string(),
            },
            Err(response) if v2_path => return v2_security_problem(response, &request.path),
            Err(response) => return response,
        };
        if let Err(response) = csrf::check(request, &caller, self.csrf_mode) {
            return if v2_path {
                v2_security_problem(response, &request.path)
            } else {
                response
            };
        }
        let response = match matched {
            Match::Found(..) if v2_path && !request.body.is_empty() && !request.is_json() => {
                v2::problem::problem_response(
                    415,
                    "Unsupported Media Type",
                    &format!(
                        "Content-Type '{}' is not supported.",
                        request
                            .header("content-type")
                            .unwrap_or("application/octet-stream")
                    ),
                    &request.path,
                )
            }
            Match::Found(..)
                if self.profile.non_json_body_is_500
                    && !request.body.is_empty()
                    && request.header("content-type").is_some()
                    && !request.is_json() =>
            {
                // HttpMediaTypeNotSupportedException reaches the catch-all.
                unexpected_server_error()
            }
            Match::Found(route, params) => (route.handler)(&Call {
                data: &self.data,
                caller: &caller,
                request,
                params,
                profile: &self.profile,
                operate: self.config.serves_operate(),
                instruments: &self.instruments,
                request_timeout_ms: self.config.request_timeout_ms,
            }),
            Match::WrongMethod(_) if v2_path => v2::problem::problem_response(
                405,
                "Method Not Allowed",
                &format!("Request method '{}' is not supported", request.method),
                &request.path,
            ),
            Match::Unknown if v2_path => v2::problem::problem_response(
                404,
                "Not Found",
                &format!("No endpoint {} {}.", request.method, request.path),
                &request.path,
            ),
            Match::WrongMethod(_) => spring_error(405, "Method Not Allowed", &request.path),
            Match::Unknown => spring_error(404, "Not Found", &request.path),
        };
        let response = self.map_exception(response);
        match &caller {
            Caller::Session { csrf_token, .. } if request.method == "GET" => {
                csrf::attach(response, csrf_token, self.csrf_mode, false)
            }
            _ => response,
        }
    }

    /// The version's ApiErrorController: 8.4 has no handler for unreadable
    /// bodies or access denial, and no version one for a query parameter
    /// of the wrong type, so these reach its catch-all 500.
    fn map_exception(&self, response: Response) -> Response {
        let to_500 = match response.exception {
            Some(v1::body::NOT_READABLE) => self.profile.unreadable_body_is_500,
            Some(v1::ACCESS_DENIED) => self.profile.access_denied_is_500,
            Some(v1::forms::TYPE_MISMATCH) => self.profile.type_mismatch_is_500,
            _ => false,
        };
        if to_500 {
            unexpected_server_error()
        } else {
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(path: &str) -> Vec<String> {
        path.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// (template, params) of what `method path` finds in the table its first
    /// segment selects (v1 or v2), or
    /// the 405 / 404 it gets.
    fn v1(method: &str, path: &str) -> Result<(&'static str, Vec<String>), String> {
        let segments = segments(path);
        let first = segments.first().expect("a path");
        let table = route_table(first).expect("a table for the path");
        match find(table, method, &segments) {
            Match::Found(route, params) => Ok((
                route.template,
                (0..params.len).map(|i| params[i].to_string()).collect(),
            )),
            Match::WrongMethod(route) => Err(format!("405 {}", route.template)),
            Match::Unknown => Err("404".into()),
        }
    }

    fn found(
        template: &'static str,
        params: &[&str],
    ) -> Result<(&'static str, Vec<String>), String> {
        Ok((template, params.iter().map(|p| p.to_string()).collect()))
    }

    #[test]
    fn get_on_the_search_path_is_get_task_as_in_spring() {
        assert_eq!(
            v1("GET", "/v1/tasks/search"),
            found("/v1/tasks/{taskId}", &["search"])
        );
        assert_eq!(
            v1("POST", "/v1/tasks/search"),
            found("/v1/tasks/search", &[])
        );
        // Neither row takes PATCH: the literal row names the 405.
        assert_eq!(
            v1("PATCH", "/v1/tasks/search"),
            Err("405 /v1/tasks/search".into())
        );
        assert_eq!(
            v1("DELETE", "/v1/tasks/1"),
            Err("405 /v1/tasks/{taskId}".into())
        );
    }

    #[test]
    fn every_v1_endpoint_is_found_with_its_parameter() {
        for (method, path, template, params) in [
            ("GET", "/v1/tasks/7", "/v1/tasks/{taskId}", &["7"][..]),
            (
                "PATCH",
                "/v1/tasks/7/assign",
                "/v1/tasks/{taskId}/assign",
                &["7"],
            ),
            (
                "PATCH",
                "/v1/tasks/7/unassign",
                "/v1/tasks/{taskId}/unassign",
                &["7"],
            ),
            (
                "PATCH",
                "/v1/tasks/7/complete",
                "/v1/tasks/{taskId}/complete",
                &["7"],
            ),
            (
                "POST",
                "/v1/tasks/7/variables",
                "/v1/tasks/{taskId}/variables",
                &["7"],
            ),
            (
                "POST",
                "/v1/tasks/search/variables/search",
                "/v1/tasks/{taskId}/variables/search",
                &["search"],
            ),
            (
                "GET",
                "/v1/variables/a b",
                "/v1/variables/{variableId}",
                &["a b"],
            ),
            ("GET", "/v1/forms/f", "/v1/forms/{formId}", &["f"]),
            (
                "POST",
                "/v1/process-definitions/search",
                "/v1/process-definitions/search",
                &[],
            ),
            (
                "GET",
                "/v1/internal/processes",
                "/v1/internal/processes",
                &[],
            ),
            (
                "GET",
                "/v1/internal/users/current",
                "/v1/internal/users/current",
                &[],
            ),
        ] {
            assert_eq!(v1(method, path), found(template, params), "{method} {path}");
        }
    }

    #[test]
    fn every_v2_endpoint_is_found_with_its_parameter() {
        for (method, path, template, params) in [
            (
                "POST",
                "/v2/user-tasks/search",
                "/v2/user-tasks/search",
                &[][..],
            ),
            (
                "GET",
                "/v2/user-tasks/7",
                "/v2/user-tasks/{userTaskKey}",
                &["7"],
            ),
            (
                "PATCH",
                "/v2/user-tasks/7",
                "/v2/user-tasks/{userTaskKey}",
                &["7"],
            ),
            (
                "POST",
                "/v2/user-tasks/7/assignment",
                "/v2/user-tasks/{userTaskKey}/assignment",
                &["7"],
            ),
            (
                "DELETE",
                "/v2/user-tasks/7/assignee",
                "/v2/user-tasks/{userTaskKey}/assignee",
                &["7"],
            ),
            (
                "POST",
                "/v2/user-tasks/7/completion",
                "/v2/user-tasks/{userTaskKey}/completion",
                &["7"],
            ),
            (
                "POST",
                "/v2/user-tasks/7/effective-variables/search",
                "/v2/user-tasks/{userTaskKey}/effective-variables/search",
                &["7"],
            ),
            (
                "GET",
                "/v2/process-definitions/3/xml",
                "/v2/process-definitions/{processDefinitionKey}/xml",
                &["3"],
            ),
            (
                "POST",
                "/v2/process-instances",
                "/v2/process-instances",
                &[],
            ),
            (
                "POST",
                "/v2/process-instances/search",
                "/v2/process-instances/search",
                &[],
            ),
            (
                "PUT",
                "/v2/element-instances/5/variables",
                "/v2/element-instances/{elementInstanceKey}/variables",
                &["5"],
            ),
            ("GET", "/v2/status", "/v2/status", &[]),
        ] {
            assert_eq!(v1(method, path), found(template, params), "{method} {path}");
        }
        // As in Spring: GET on the search path is a get with key "search".
        assert_eq!(
            v1("GET", "/v2/user-tasks/search"),
            found("/v2/user-tasks/{userTaskKey}", &["search"])
        );
        assert_eq!(
            v1("GET", "/v2/process-instances"),
            Err("405 /v2/process-instances".into())
        );
        let public: Vec<&str> = v2::routes::ROUTES
            .iter()
            .filter(|r| r.public)
            .map(|r| r.template)
            .collect();
        assert_eq!(public, ["/v2/license", "/v2/status"]);
    }

    #[test]
    fn unknown_paths_and_lengths_are_404() {
        for path in [
            "/v1",
            "/v1/tasks",
            "/v1/nothing/here",
            "/v1/tasks/7/assign/more",
            "/v1/tasks/7/variables/find",
            "/v1/internal/users",
            "/v1/process-definitions",
        ] {
            assert_eq!(v1("GET", path), Err("404".into()), "{path}");
        }
        assert!(route_table("v3").is_none());
        assert!(route_table("__emulator").is_none());
    }

    /// Keeps the tables matchable: each row is reachable by its own path
    /// (no earlier row shadows it, which keeps Spring's literal-first
    /// precedence), has at most MAX_PARAMS parameters, and sits in the
    /// table its first segment selects.
    #[test]
    fn route_tables_are_well_formed() {
        for table in [v1::routes::ROUTES, v2::routes::ROUTES] {
            for (j, row) in table.iter().enumerate() {
                assert!(
                    ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&row.method),
                    "{}",
                    row.template
                );
                assert!(row.template.starts_with('/'), "{}", row.template);
                let own = segments(row.template);
                assert!(
                    own.iter().filter(|s| s.starts_with('{')).count() <= MAX_PARAMS,
                    "{}",
                    row.template
                );
                assert!(std::ptr::eq(route_table(&own[0]).unwrap(), table));
                // As a request path, `{name}` segments only match parameters.
                assert!(match_path(row.template, &own).is_some());
                for earlier in &table[..j] {
                    assert!(
                        match_path(earlier.template, &own).is_none()
                            || (earlier.template == row.template && earlier.method != row.method),
                        "{} {} comes after {} {}, which matches its path",
                        row.method,
                        row.template,
                        earlier.method,
                        earlier.template
                    );
                }
            }
        }
    }

    #[test]
    fn the_matcher_takes_several_parameters_and_the_first_fitting_row() {
        static TABLE: &[Route] = &[
            route("GET", "/x/{a}/y/{b}", |_| Response::new(200)),
            route("GET", "/x/{a}/z", |_| Response::new(201)),
            route("POST", "/x/{a}/z", |_| Response::new(202)),
        ];
        let path = segments("/x/1/y/2");
        match find(TABLE, "GET", &path) {
            Match::Found(route, params) => {
                assert_eq!(route.template, "/x/{a}/y/{b}");
                assert_eq!((params[0], params[1]), ("1", "2"));
            }
            _ => panic!("not found"),
        }
        let path = segments("/x/1/z");
        match find(TABLE, "POST", &path) {
            Match::Found(route, params) => {
                assert_eq!(route.method, "POST");
                assert_eq!(params[0], "1");
            }
            _ => panic!("not found"),
        }
        assert!(matches!(
            find(TABLE, "PUT", &path),
            Match::WrongMethod(route) if route.method == "GET" && route.template == "/x/{a}/z"
        ));
        assert!(matches!(
            find(TABLE, "GET", &segments("/x/1")),
            Match::Unknown
        ));
        assert_eq!(Match::Unknown.template(), "(unmatched)");
    }

    #[test]
    #[should_panic]
    fn a_parameter_beyond_the_template_is_a_bug() {
        let path = segments("/v1/tasks/7");
        let Match::Found(_, params) = find(v1::routes::ROUTES, "GET", &path) else {
            panic!("GET /v1/tasks/7 is a route");
        };
        let _ = params[1];
    }
}
