//! Forms: embedded in the BPMN (stored under `<processDefinitionKey>_<formId>`)
//! or deployed separately ("linked", versioned, referenced by BPMN form id).

use super::{Data, DEFAULT_TENANT};
use crate::json_text::push_json_string;

#[derive(Clone, Debug)]
pub enum Form {
    Embedded {
        process_definition_key: i64,
        form_id: String,
        schema: String,
    },
    Linked {
        form_id: String,
        version: i64,
        schema: String,
        is_deleted: bool,
    },
}

fn form_response_json(
    id: &str,
    process_definition_key: &str,
    schema: &str,
    version: Option<i64>,
    is_deleted: bool,
) -> String {
    let mut out = String::with_capacity(schema.len() + 160);
    out.push_str("{\"id\":");
    push_json_string(&mut out, id);
    out.push_str(",\"processDefinitionKey\":");
    push_json_string(&mut out, process_definition_key);
    out.push_str(",\"schema\":");
    push_json_string(&mut out, schema);
    out.push_str(",\"version\":");
    out.push_str(&version.map_or("null".to_string(), |v| v.to_string()));
    out.push_str(",\"tenantId\":");
    push_json_string(&mut out, DEFAULT_TENANT);
    out.push_str(if is_deleted {
        ",\"isDeleted\":true}"
    } else {
        ",\"isDeleted\":false}"
    });
    out
}

impl Data {
    /// Resolves GET /v1/forms/{formId} the way Tasklist's form store does:
    /// without a version the embedded form wins; otherwise (or failing
    /// that) the linked form of that version, or its highest non-deleted
    /// version, if a task or the process references it.
    pub fn form_response(
        &self,
        form_id: &str,
        process_definition_key: &str,
        version: Option<i64>,
    ) -> Option<String> {
        let pdk: Option<i64> = process_definition_key.parse().ok();
        if version.is_none() {
            let embedded = self.forms.iter().find_map(|f| match f {
                Form::Embedded {
                    process_definition_key,
                    form_id: id,
                    schema,
                } if Some(*process_definition_key) == pdk && id == form_id => Some(schema),
                _ => None,
            });
            if let Some(schema) = embedded {
                return Some(form_response_json(
                    form_id,
                    process_definition_key,
                    schema,
                    None,
                    false,
                ));
            }
        }
        let referenced = self.tasks.iter().any(|t| {
            Some(t.process_definition_key) == pdk && t.form_id.as_deref() == Some(form_id)
        }) || self
            .processes
            .iter()
            .any(|p| Some(p.key) == pdk && p.start_event_form_id.as_deref() == Some(form_id));
        if !referenced {
            return None;
        }
        let linked = self.forms.iter().filter_map(|f| match f {
            Form::Linked {
                form_id: id,
                version,
                schema,
                is_deleted,
            } if id == form_id => Some((*version, schema, *is_deleted)),
            _ => None,
        });
        let chosen = match version {
            Some(wanted) => linked.into_iter().find(|(v, _, _)| *v == wanted),
            None => linked
                .filter(|(_, _, deleted)| !deleted)
                .max_by_key(|(v, _, _)| *v),
        };
        chosen.map(|(v, schema, deleted)| {
            form_response_json(form_id, process_definition_key, schema, Some(v), deleted)
        })
    }
}
