//! Telling a caller that the server does not offer the API generation it called, instead of a
//! bare 404: Camunda 8.10 has no Tasklist v1, 8.7 and earlier have no v2. When an endpoint's
//! 404 says that its path is unknown (not that a task is), the server's version is asked of
//! `GET /v2/topology`, and the error becomes `TASKLIST_ERR_UNSUPPORTED` naming it and the
//! function to call instead. Nothing is ever sent to the other generation on the caller's
//! behalf: a v1 command and a v2 command do not act on the same tasks on every server.

use crate::api::endpoint::{Api, Endpoint};
use crate::api::v2::endpoints::GET_TOPOLOGY;
use crate::api::Client;
use crate::error::{Code, Error};

/// `error` (a 404 from `endpoint`) as the caller should see it.
pub(crate) fn diagnose(client: &Client, endpoint: &Endpoint, label: &str, error: Error) -> Error {
    if endpoint.generation.api == Api::Any
        || !error.body().is_none_or(path_is_unknown)
        || std::ptr::eq(endpoint, &GET_TOPOLOGY)
    {
        return error;
    }
    let server = match client.execute(&GET_TOPOLOGY, &[], &[], None) {
        Ok(topology) => Server::Version(gateway_version(&topology)),
        Err(probe) if probe.code() == Code::NotFound => Server::WithoutV2,
        // The probe failed for its own reasons: the 404 is all that is known.
        Err(_) => return error,
    };
    let message = match (endpoint.generation.api, server) {
        (Api::TasklistV1, Server::Version(version)) => format!(
            "{label}: the server is Camunda {version}, which does not serve Tasklist's v1 API \
             (8.10 removed it){}",
            instead(endpoint, "the v2 API")
        ),
        // A v1 path that is unknown on a server that is not an Orchestration Cluster either:
        // a wrong base URL, most likely; the 404 says more than a guess would.
        (Api::TasklistV1, Server::WithoutV2) => return error,
        (_, Server::WithoutV2) => format!(
            "{label}: the server does not serve the v2 Orchestration Cluster API (Camunda 8.7 \
             and earlier offer only Tasklist's v1 API; on 8.8+ the base URL is the cluster's \
             address, without /v2){}",
            instead(endpoint, "Tasklist's v1 API")
        ),
        (_, Server::Version(version)) => {
            format!("{label}: Camunda {version} does not have this endpoint")
        }
    };
    let status = error.http_status();
    let body = error.body().map(str::to_string);
    Error::new(Code::Unsupported, message).with_answer(status, body)
}

enum Server {
    /// `/v2/topology` answered, with this `gatewayVersion`.
    Version(String),
    /// `/v2/topology` is a 404 too.
    WithoutV2,
}

/// "; call tasklist_v2_get_user_task instead" (or that `other` has no such endpoint).
fn instead(endpoint: &Endpoint, other: &str) -> String {
    if endpoint.instead.is_empty() {
        format!("; {other} has no endpoint for this")
    } else {
        format!("; call tasklist_{} instead", endpoint.instead)
    }
}

fn gateway_version(topology: &str) -> String {
    serde_json::from_str::<serde_json::Value>(topology)
        .ok()
        .and_then(|t| {
            Some(
                t.get("gatewayVersion")?
                    .as_str()?
                    .chars()
                    .take(40)
                    .collect(),
            )
        })
        .unwrap_or_else(|| "(version not given)".to_string())
}

/// Whether a 404's body says that no controller maps the path, rather than that an object is
/// missing: Spring's error page (`{"timestamp","status","error","path"}`, or HTML, or
/// nothing) or a problem about a missing resource. The APIs' own 404s are problems about a
/// task, a form, a variable: `{"message","instance"}` in v1, `detail` naming a key in v2.
fn path_is_unknown(body: &str) -> bool {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return true;
    };
    let text = |key: &str| value.get(key).and_then(|v| v.as_str());
    if text("error").is_some() && text("path").is_some() {
        return true;
    }
    text("detail").is_some_and(|detail| {
        ["No static resource", "No endpoint", "No handler found"]
            .iter()
            .any(|start| detail.starts_with(start))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{v1, v2};

    #[test]
    fn only_a_404_about_the_path_is_read_as_a_missing_api() {
        for unmapped in [
            r#"{"timestamp":"2026-12-01T10:00:00.000+0000","status":404,"error":"Not Found","path":"/v1/tasks/search"}"#,
            "<html><body>Whitelabel Error Page</body></html>",
            "",
            r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"No static resource v2/user-tasks/search.","instance":"/v2/user-tasks/search"}"#,
        ] {
            assert!(path_is_unknown(unmapped), "{unmapped}");
        }
        for about_an_object in [
            r#"{"status":404,"message":"task with id 7 was not found","instance":"a4e3"}"#,
            r#"{"type":"about:blank","title":"NOT_FOUND","status":404,"detail":"User Task with key '7' not found","instance":"/v2/user-tasks/7"}"#,
        ] {
            assert!(!path_is_unknown(about_an_object), "{about_an_object}");
        }
    }

    #[test]
    fn every_other_generation_endpoint_named_exists_and_points_back_or_elsewhere() {
        for (ours, theirs) in [
            (&v1::endpoints::ALL[..], &v2::endpoints::ALL[..]),
            (&v2::endpoints::ALL[..], &v1::endpoints::ALL[..]),
        ] {
            for endpoint in ours {
                if endpoint.instead.is_empty() {
                    continue;
                }
                assert!(
                    theirs.iter().any(|other| other.name == endpoint.instead),
                    "{} names {}, which the other generation does not have",
                    endpoint.name,
                    endpoint.instead
                );
            }
        }
        assert_eq!(
            instead(&v1::endpoints::SEARCH_TASKS, "the v2 API"),
            "; call tasklist_v2_search_user_tasks instead"
        );
        assert_eq!(
            instead(&v1::endpoints::SAVE_DRAFT_VARIABLES, "the v2 API"),
            "; the v2 API has no endpoint for this"
        );
    }
}
