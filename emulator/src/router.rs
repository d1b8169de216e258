//! Request dispatch: admin, token endpoint, login/logout, then the /v1 API
//! behind authentication (401 before any controller, as Spring Security
//! does), with counting, logging and injected faults around it.

use std::sync::RwLock;
use std::time::Duration;

use serde_json::{json, Value};

use crate::admin::{admin_error, Instruments, Target};
use crate::api::v1::{forms, processes, tasks, variables};
use crate::auth::jwks::JwksVerifier;
use crate::auth::oauth::TokenIssuer;
use crate::auth::session::{self, Lookup, Sessions};
use crate::auth::{csrf, jwt, Caller};
use crate::config::Config;
use crate::http::{Request, Response};
use crate::problem::{spring_error, unauthorized};
use crate::store::{seed, Data};

pub struct App {
    config: Config,
    pub data: RwLock<Data>,
    tokens: TokenIssuer,
    sessions: Sessions,
    jwks: Option<JwksVerifier>,
    instruments: Instruments,
}

/// The /v1 operations, with their path parameters.
enum Route<'a> {
    SearchTasks,
    GetTask(&'a str),
    Assign(&'a str),
    Unassign(&'a str),
    Complete(&'a str),
    SaveDrafts(&'a str),
    SearchVariables(&'a str),
    GetVariable(&'a str),
    GetForm(&'a str),
    SearchProcessDefinitions,
    InternalProcesses,
    CurrentUser,
}

/// Matches method and path; `Err(Some(template))` for a known path with the
/// wrong method, `Err(None)` for an unknown path.
fn route<'a>(
    method: &str,
    segments: &'a [String],
) -> Result<(Route<'a>, &'static str), Option<&'static str>> {
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let (route, template, wanted) = match s.as_slice() {
        // Spring matches GET /v1/tasks/search to the {taskId} pattern.
        ["v1", "tasks", "search"] if method != "GET" => {
            (Route::SearchTasks, "/v1/tasks/search", "POST")
        }
        ["v1", "tasks", id] => (Route::GetTask(id), "/v1/tasks/{taskId}", "GET"),
        ["v1", "tasks", id, "assign"] => (Route::Assign(id), "/v1/tasks/{taskId}/assign", "PATCH"),
        ["v1", "tasks", id, "unassign"] => {
            (Route::Unassign(id), "/v1/tasks/{taskId}/unassign", "PATCH")
        }
        ["v1", "tasks", id, "complete"] => {
            (Route::Complete(id), "/v1/tasks/{taskId}/complete", "PATCH")
        }
        ["v1", "tasks", id, "variables"] => (
            Route::SaveDrafts(id),
            "/v1/tasks/{taskId}/variables",
            "POST",
        ),
        ["v1", "tasks", id, "variables", "search"] => (
            Route::SearchVariables(id),
            "/v1/tasks/{taskId}/variables/search",
            "POST",
        ),
        ["v1", "variables", id] => (Route::GetVariable(id), "/v1/variables/{variableId}", "GET"),
        ["v1", "forms", id] => (Route::GetForm(id), "/v1/forms/{formId}", "GET"),
        ["v1", "process-definitions", "search"] => (
            Route::SearchProcessDefinitions,
            "/v1/process-definitions/search",
            "POST",
        ),
        ["v1", "internal", "processes"] => {
            (Route::InternalProcesses, "/v1/internal/processes", "GET")
        }
        ["v1", "internal", "users", "current"] => {
            (Route::CurrentUser, "/v1/internal/users/current", "GET")
        }
        _ => return Err(None),
    };
    if method == wanted {
        Ok((route, template))
    } else {
        Err(Some(template))
    }
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
        App {
            data: RwLock::new(seed::build(config.generated_tasks)),
            tokens: TokenIssuer::new(&config, base_url),
            sessions: Sessions::new(
                config.users.clone(),
                config.session_timeout_secs,
                config.csrf,
            ),
            jwks,
            instruments: Instruments::default(),
            config,
        }
    }

    pub fn handle(&self, request: &Request) -> Response {
        if request.segments.first().map(String::as_str) == Some("__emulator") {
            return if self.config.admin {
                self.admin(request)
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
        let target = if request.path == self.config.token_path {
            self.instruments
                .counters
                .token_requests
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Target::Token
        } else if request.path == "/api/login" || request.path == "/api/logout" {
            Target::Login
        } else if request.segments.first().map(String::as_str) == Some("v1") {
            let template = match route(&request.method, &request.segments) {
                Ok((_, template)) | Err(Some(template)) => template,
                Err(None) => "(unmatched)",
            };
            self.instruments
                .count_api_request(&endpoint_key(&request.method, template));
            Target::Api
        } else {
            return spring_error(404, "Not Found", &request.path);
        };
        let verdict = self.instruments.take_faults(target);
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
        match target {
            Target::Token => {
                let (response, issued) = self.tokens.handle(request);
                if issued {
                    self.instruments
                        .counters
                        .token_successes
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                response
            }
            Target::Login if request.method != "POST" => {
                spring_error(405, "Method Not Allowed", &request.path)
            }
            Target::Login if request.path == "/api/logout" => self.sessions.logout(request),
            Target::Login => {
                let (response, created) = self.sessions.login(request);
                if created {
                    self.instruments
                        .counters
                        .logins
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                response
            }
            Target::Api => self.api(request),
        }
    }

    /// Who is calling, or the 401 that Spring Security would send.
    fn authenticate(&self, request: &Request) -> Result<Caller, Response> {
        if let Some(authorization) = request.header("authorization") {
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

    fn api(&self, request: &Request) -> Response {
        let caller = match self.authenticate(request) {
            Ok(caller) => caller,
            Err(response) => return response,
        };
        if self.config.csrf {
            if let Err(response) = csrf::check(request, &caller) {
                return response;
            }
        }
        let response = match route(&request.method, &request.segments) {
            Ok((route, _)) => self.dispatch(route, &caller, request),
            Err(Some(_)) => spring_error(405, "Method Not Allowed", &request.path),
            Err(None) => spring_error(404, "Not Found", &request.path),
        };
        match &caller {
            Caller::Session { csrf_token, .. } if self.config.csrf && request.method == "GET" => {
                csrf::attach(response, csrf_token, false)
            }
            _ => response,
        }
    }

    fn dispatch(&self, route: Route<'_>, caller: &Caller, request: &Request) -> Response {
        let data = &self.data;
        match route {
            Route::SearchTasks => tasks::search(data, request),
            Route::GetTask(id) => tasks::get(data, id),
            Route::Assign(id) => tasks::assign(data, caller, id, request),
            Route::Unassign(id) => tasks::unassign(data, caller, id),
            Route::Complete(id) => tasks::complete(data, caller, id, request),
            Route::SaveDrafts(id) => variables::save_drafts(data, caller, id, request),
            Route::SearchVariables(id) => variables::search(data, id, request),
            Route::GetVariable(id) => variables::get(data, id),
            Route::GetForm(id) => forms::get(data, id, request),
            Route::SearchProcessDefinitions => processes::search_definitions(data, request),
            Route::InternalProcesses => processes::internal_processes(data, request),
            Route::CurrentUser => processes::current_user(caller),
        }
    }

    fn admin(&self, request: &Request) -> Response {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let ok = || Response::json(200, "{\"ok\":true}");
        let path: Vec<&str> = request
            .segments
            .iter()
            .skip(1)
            .map(String::as_str)
            .collect();
        match (request.method.as_str(), path.as_slice()) {
            ("GET", ["counters"]) => Response::json(200, self.instruments.counters_json()),
            ("GET", ["log"]) => Response::json(200, self.instruments.log_json()),
            ("POST", ["faults"]) => match self.instruments.add_fault(&body) {
                Ok(()) => ok(),
                Err(message) => admin_error(&message),
            },
            ("DELETE", ["faults"]) => {
                self.instruments.clear_faults();
                ok()
            }
            ("POST", ["revoke-tokens"]) => {
                self.tokens.revoke_all();
                ok()
            }
            ("POST", ["expire-sessions"]) => {
                self.sessions.expire_all();
                ok()
            }
            ("POST", ["token-lifetime"]) => match body.get("seconds").and_then(Value::as_u64) {
                Some(seconds) => {
                    self.tokens.set_lifetime(seconds);
                    ok()
                }
                None => admin_error("body must be {\"seconds\": N}"),
            },
            ("POST", ["reset"]) => {
                *self.data.write().unwrap() = seed::build(self.config.generated_tasks);
                self.instruments.reset();
                ok()
            }
            ("GET", ["data"]) => {
                let data = self.data.read().unwrap();
                let mut summary = serde_json::Map::new();
                for (name, value) in &data.landmarks {
                    summary.insert(name.to_string(), json!(value));
                }
                summary.insert("taskCount".into(), json!(data.tasks.len()));
                summary.insert(
                    "processes".into(),
                    json!(data
                        .processes
                        .iter()
                        .map(|p| json!({"key": p.key.to_string(), "bpmnProcessId": p.bpmn_process_id, "name": p.name, "version": p.version}))
                        .collect::<Vec<_>>()),
                );
                Response::json(200, Value::Object(summary).to_string())
            }
            _ => spring_error(404, "Not Found", &request.path),
        }
    }
}
