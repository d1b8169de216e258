//! Forms: embedded in the BPMN (stored under `<processDefinitionKey>_<formId>`)
//! or deployed separately ("linked", versioned, referenced by BPMN form id).

use super::Data;

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

/// The schema a form lookup chose; `version` is `None` for an embedded form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundForm<'a> {
    pub schema: &'a str,
    pub version: Option<i64>,
    pub is_deleted: bool,
}

impl Data {
    /// Resolves a form the way Tasklist's form store does:
    /// without a version the embedded form wins; otherwise (or failing
    /// that) the linked form of that version, or its highest non-deleted
    /// version, if a task or the process references it.
    pub fn find_form(
        &self,
        form_id: &str,
        process_definition_key: &str,
        version: Option<i64>,
    ) -> Option<FoundForm<'_>> {
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
                return Some(FoundForm {
                    schema,
                    version: None,
                    is_deleted: false,
                });
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
        chosen.map(|(version, schema, is_deleted)| FoundForm {
            schema,
            version: Some(version),
            is_deleted,
        })
    }
}
