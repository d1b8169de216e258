//! What a client can see of one Camunda version, as switches. The version
//! (`--camunda-version`) is read once, here; the rest of the emulator asks
//! the `Profile` ("is the v1 API served?", "is an unreadable body a 500?"),
//! never the version number, so that each difference has one name.

use std::fmt;
use std::str::FromStr;

/// A supported Camunda minor version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum CamundaVersion {
    V8_4,
    V8_5,
    V8_6,
    V8_7,
    /// The default: the oldest supported line on 2026-12-01, the first that
    /// serves both API generations on one port (see the README).
    #[default]
    V8_8,
    V8_9,
    V8_10,
    /// Not a Camunda version: the emulator as it was before profiles (8.4's
    /// fields and login, the 8.5+ 400/403 error answers, Operate's endpoint
    /// served, CSRF only with `--csrf`). The project's own test harnesses
    /// pin it so that their assertions keep holding; see the README.
    Legacy,
}

impl CamundaVersion {
    pub const ALL: [CamundaVersion; 7] = [
        CamundaVersion::V8_4,
        CamundaVersion::V8_5,
        CamundaVersion::V8_6,
        CamundaVersion::V8_7,
        CamundaVersion::V8_8,
        CamundaVersion::V8_9,
        CamundaVersion::V8_10,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CamundaVersion::V8_4 => "8.4",
            CamundaVersion::V8_5 => "8.5",
            CamundaVersion::V8_6 => "8.6",
            CamundaVersion::V8_7 => "8.7",
            CamundaVersion::V8_8 => "8.8",
            CamundaVersion::V8_9 => "8.9",
            CamundaVersion::V8_10 => "8.10",
            CamundaVersion::Legacy => "legacy",
        }
    }

    pub fn profile(self) -> Profile {
        Profile::of(self)
    }
}

impl fmt::Display for CamundaVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CamundaVersion {
    type Err = String;

    fn from_str(text: &str) -> Result<CamundaVersion, String> {
        CamundaVersion::ALL
            .into_iter()
            .chain([CamundaVersion::Legacy])
            .find(|v| v.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "expected one of 8.4, 8.5, 8.6, 8.7, 8.8, 8.9, 8.10 (or legacy), got {text}"
                )
            })
    }
}

/// Where the cookie login lives and what it is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginScheme {
    pub login_path: &'static str,
    pub logout_path: &'static str,
    pub session_cookie: &'static str,
    /// 8.4 (no CSRF): `GET` on the logout path logs out too.
    pub logout_on_get: bool,
    /// `GET` on the login path answers the login page, with a CSRF token
    /// (8.8+; what a client fetches before a strict login).
    pub login_page: bool,
}

/// The switches of one version. Fields are public so that tests and the
/// README can name them; build one with `CamundaVersion::profile`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    pub version: CamundaVersion,
    /// Tasklist v1 (`/v1/...`); false: every `/v1/...` path is a 404.
    pub serves_v1: bool,
    /// The v2 Orchestration Cluster API on the same port (`api::v2`).
    pub serves_v2: bool,
    /// `gatewayVersion` of `GET /v2/topology` (and the brokers' version).
    pub v2_gateway_version: &'static str,
    /// v2 answers carry every field, `null` when empty (8.9+); 8.8 leaves
    /// empty fields out.
    pub v2_sends_every_field: bool,
    /// `rootProcessInstanceKey` and `tags` on user tasks, variables and
    /// process instances, the `tags` task filter, `businessId` on process
    /// instances and `clusterId` in the topology (8.9+).
    pub v2_root_keys_and_tags: bool,
    /// `businessId` on user tasks, its filter and sort field (8.10).
    pub v2_task_business_id: bool,
    /// Topology brokers carry a `brokerId`, partitions a `state` (8.10).
    pub v2_topology_broker_ids: bool,
    /// `GET /v2/forms/{formKey}` (8.10).
    pub v2_forms_by_key: bool,
    /// Process instances have a `suspendedDate` (8.10).
    pub v2_instance_suspended_date: bool,
    /// The task `name` filter takes string operators (8.9+; exact on 8.8).
    pub v2_name_filter_operators: bool,
    /// `processDefinitionKey`, `processInstanceKey`, `processDefinitionId`
    /// task filters take operators (8.10; exact before).
    pub v2_process_filter_operators: bool,
    /// Most a `page.limit` may be (8.9+: 10000); `None`: no maximum (8.8).
    pub v2_max_page_limit: Option<u64>,
    /// `POST /v2/user-tasks/{k}/effective-variables/search` and the
    /// `truncateValues` query parameter (8.9+; 8.8.0 has neither).
    pub v2_effective_variables: bool,
    /// Process definitions have a `state` (`ACTIVE`) field and filter (8.9+).
    pub v2_process_definition_state: bool,
    pub login: LoginScheme,
    /// The version protects session writes with CSRF tokens (8.5.1+) when
    /// its CSRF protection is enabled (`Config::version_csrf`); the header
    /// token is masked as Spring Security 6 does.
    pub has_csrf_protection: bool,
    /// `Authorization: Basic` is checked on every API call (8.8+).
    pub basic_auth: bool,
    /// The API may be left unprotected (`Config::unprotected_api`, as C8 Run
    /// and Docker Compose do: 8.8+).
    pub unprotected_api_option: bool,
    /// Operate's `/v1/process-definitions/search` answers without
    /// `--with-operate` (the single 8.8+ application serves Operate too).
    pub operate_built_in: bool,
    /// v1 assign/unassign/complete on Camunda (Zeebe) user tasks are
    /// refused for API callers (400), as 8.8 does.
    pub refuses_v1_commands_on_camunda_user_tasks: bool,
    /// 8.4's ApiErrorController has no handler for unreadable bodies: 500
    /// instead of 400 `JSON parse error`.
    pub unreadable_body_is_500: bool,
    /// A query parameter of the wrong type (`GET /v1/forms/f?version=abc`)
    /// reaches the catch-all handler: 500.
    pub type_mismatch_is_500: bool,
    /// `Content-Type` of a failed login's 401.
    pub login_failure_content_type: &'static str,
    /// A missing WRITE permission reaches the catch-all handler: 500, not 403.
    pub access_denied_is_500: bool,
    /// Save draft with no `variables`, or a variable without `value`: 500.
    pub draft_null_inputs_are_500: bool,
    /// A request body under a non-JSON `Content-Type` is a 500.
    pub non_json_body_is_500: bool,
    /// `implementation` (JOB_WORKER / ZEEBE_USER_TASK) field and filter,
    /// `context` in search results, `FAILED` state, the array filters
    /// `assignees`, `candidateGroups`, `candidateUsers` (8.5).
    pub v85_task_fields: bool,
    /// 8.5 only: the task search of session (non-API) users is restricted
    /// to job-worker tasks (TaskService forces `implementation`).
    pub session_search_job_workers_only: bool,
    /// `priority` field, filter and sort field (8.6).
    pub priority: bool,
    /// The 8.6+ spelling of the page-size message.
    pub page_size_message: &'static str,
}

const TASKLIST_LOGIN: LoginScheme = LoginScheme {
    login_path: "/api/login",
    logout_path: "/api/logout",
    session_cookie: "TASKLIST-SESSION",
    logout_on_get: false,
    login_page: false,
};

const ORCHESTRATION_LOGIN: LoginScheme = LoginScheme {
    login_path: "/login",
    logout_path: "/logout",
    session_cookie: "camunda-session",
    logout_on_get: false,
    login_page: true,
};

impl Profile {
    pub fn of(version: CamundaVersion) -> Profile {
        use CamundaVersion::*;
        if version == Legacy {
            return Profile {
                version,
                operate_built_in: true,
                unreadable_body_is_500: false,
                type_mismatch_is_500: false,
                login_failure_content_type: "application/json",
                access_denied_is_500: false,
                draft_null_inputs_are_500: false,
                non_json_body_is_500: false,
                login: TASKLIST_LOGIN,
                ..Profile::of(V8_4)
            };
        }
        let single_application = version >= V8_8;
        Profile {
            version,
            serves_v1: version <= V8_9,
            serves_v2: version >= V8_8,
            v2_gateway_version: match version {
                V8_8 => "8.8.0",
                V8_9 => "8.9.0",
                V8_10 => "8.10.0",
                // No v2 below 8.8: never shown.
                _ => "",
            },
            v2_sends_every_field: version >= V8_9,
            v2_root_keys_and_tags: version >= V8_9,
            v2_task_business_id: version >= V8_10,
            v2_topology_broker_ids: version >= V8_10,
            v2_forms_by_key: version >= V8_10,
            v2_instance_suspended_date: version >= V8_10,
            v2_name_filter_operators: version >= V8_9,
            v2_process_filter_operators: version >= V8_10,
            v2_max_page_limit: (version >= V8_9).then_some(10_000),
            v2_effective_variables: version >= V8_9,
            v2_process_definition_state: version >= V8_9,
            login: match version {
                V8_4 => LoginScheme {
                    logout_on_get: true,
                    ..TASKLIST_LOGIN
                },
                V8_5 | V8_6 | V8_7 => TASKLIST_LOGIN,
                _ => ORCHESTRATION_LOGIN,
            },
            has_csrf_protection: version >= V8_5,
            basic_auth: single_application,
            unprotected_api_option: single_application,
            operate_built_in: single_application,
            refuses_v1_commands_on_camunda_user_tasks: single_application,
            unreadable_body_is_500: version == V8_4,
            type_mismatch_is_500: true,
            login_failure_content_type: "application/json;charset=UTF-8",
            access_denied_is_500: version == V8_4,
            draft_null_inputs_are_500: version == V8_4,
            non_json_body_is_500: version == V8_4,
            v85_task_fields: version >= V8_5,
            session_search_job_workers_only: version == V8_5,
            priority: version >= V8_6,
            page_size_message: if version >= V8_6 {
                "Page size should be a positive number"
            } else {
                "Page size cannot should be a positive number"
            },
        }
    }
}

impl Default for Profile {
    fn default() -> Profile {
        Profile::of(CamundaVersion::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_print_alike() {
        for v in CamundaVersion::ALL {
            assert_eq!(v.as_str().parse::<CamundaVersion>(), Ok(v));
        }
        assert!("8.3".parse::<CamundaVersion>().is_err());
        assert!("8.1O".parse::<CamundaVersion>().is_err());
    }

    #[test]
    fn generations_and_logins_by_version() {
        let p = |v: &str| v.parse::<CamundaVersion>().unwrap().profile();
        assert!(p("8.4").serves_v1 && !p("8.4").serves_v2);
        assert!(p("8.9").serves_v1 && p("8.9").serves_v2);
        assert!(!p("8.10").serves_v1 && p("8.10").serves_v2);
        assert_eq!(p("8.7").login.session_cookie, "TASKLIST-SESSION");
        assert_eq!(p("8.8").login.session_cookie, "camunda-session");
        assert!(p("8.4").login.logout_on_get && !p("8.5").login.logout_on_get);
        assert!(!p("8.4").has_csrf_protection && p("8.5").has_csrf_protection);
        assert!(!p("8.5").priority && p("8.6").priority);
        let legacy = p("legacy");
        assert!(legacy.serves_v1 && legacy.operate_built_in && !legacy.has_csrf_protection);
        assert!(!legacy.unreadable_body_is_500 && !legacy.v85_task_fields);
    }
}
