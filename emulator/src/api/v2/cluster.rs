//! The cluster endpoints: topology (one broker, one partition, the
//! profile's gateway version), license, status and the current user.

use super::render::Fields;
use super::{no_content, ok_json, Answer};
use crate::auth::Caller;
use crate::json_text::push_json_string;
use crate::router::Call;
use crate::store::DEFAULT_TENANT;

/// `GET /v2/topology`
pub fn topology(c: &Call<'_>) -> Answer {
    let version = c.profile.v2_gateway_version;
    let ids = c.profile.v2_topology_broker_ids;
    let mut out = String::from("{\"brokers\":[{\"nodeId\":0,");
    if ids {
        out.push_str("\"brokerId\":\"0\",");
    }
    out.push_str("\"host\":\"localhost\",\"port\":26501,\"partitions\":[{\"partitionId\":1,\"role\":\"leader\",\"health\":\"healthy\"");
    if ids {
        out.push_str(",\"state\":\"active\"");
    }
    out.push_str("}],\"version\":");
    push_json_string(&mut out, version);
    out.push_str("}]");
    let mut f = Fields::new(&mut out, true, false);
    if c.profile.v2_root_keys_and_tags {
        f.string("clusterId", None);
    }
    f.int("clusterSize", Some(1))
        .int("partitionsCount", Some(1))
        .int("replicationFactor", Some(1))
        .string("gatewayVersion", Some(version))
        .string("lastCompletedChangeId", Some("-1"));
    out.push('}');
    ok_json(out)
}

/// `GET /v2/license` (no authentication needed): no commercial licence,
/// as a developer installation has.
pub fn license(c: &Call<'_>) -> Answer {
    let mut out = String::from("{");
    let mut f = Fields::new(&mut out, c.profile.v2_sends_every_field, true);
    f.bool("validLicense", false)
        .string("licenseType", Some("unknown"))
        .bool("isCommercial", false)
        .string("expiresAt", None);
    out.push('}');
    ok_json(out)
}

/// `GET /v2/status` (no authentication needed): up.
pub fn status(_: &Call<'_>) -> Answer {
    no_content()
}

/// `GET /v2/authentication/me`
pub fn me(c: &Call<'_>) -> Answer {
    let username = c.caller.user_id();
    let mut out = String::from("{");
    let mut f = Fields::new(&mut out, c.profile.v2_sends_every_field, true);
    f.string("username", Some(username))
        .string("displayName", Some(username))
        .string("email", None)
        .raw(
            "authorizedComponents",
            Some("[\"operate\",\"tasklist\",\"identity\",\"admin\"]"),
        );
    let mut tenants = String::from("[{\"tenantId\":");
    push_json_string(&mut tenants, DEFAULT_TENANT);
    tenants.push_str(",\"name\":\"Default\"");
    Fields::new(&mut tenants, c.profile.v2_sends_every_field, false).string("description", None);
    tenants.push_str("}]");
    f.raw("tenants", Some(&tenants))
        .raw("groups", Some("[]"))
        .raw(
            "roles",
            Some(if c.caller.can_write() {
                "[\"admin\"]"
            } else {
                "[\"readonly-admin\"]"
            }),
        )
        // 8.8 requires a string here; "" suits every version.
        .string("salesPlanType", Some(""))
        .raw("c8Links", Some("{}"))
        .bool("canLogout", matches!(c.caller, Caller::Session { .. }));
    out.push('}');
    ok_json(out)
}
