//! The resolved configuration as JSON, with where each value came from and every secret
//! redacted, to answer "which variable won?" without exposing what the variables hold.

use crate::config::settings::{Kind, SETTINGS};
use crate::config::Config;
use serde_json::{json, Map, Value};

/// What a secret is shown as: a fixed text, so not even its length shows.
pub const REDACTED: &str = "***";

/// The values that the authentication module chooses where the configuration leaves them
/// open (`auth::chosen_defaults`), so describe shows what is sent.
pub struct Chosen<'a> {
    pub audience: Option<&'a str>,
    pub login_path: &'a str,
}

/// `{"<setting>": {"value": ..., "source": "default" | "set" | "<VARIABLE>"}, ...}`, one entry
/// per row of the settings table; unset optional settings have `"value": null`.
pub fn describe(config: &Config, chosen: &Chosen<'_>) -> Value {
    let mut out = Map::new();
    for setting in SETTINGS {
        let mut value = (setting.show)(config, chosen);
        // Whatever a row shows, a secret leaves only as the placeholder.
        if setting.kind == Kind::Secret && !value.is_null() {
            value = json!(REDACTED);
        }
        out.insert(
            setting.key.to_string(),
            json!({"value": value, "source": config.sources.of(setting.key)}),
        );
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_and_sources_named() {
        let mut c = Config::default();
        c.set_base_url("http://localhost:8080").unwrap();
        c.set_oauth("http://kc/token", "id", "very-secret", None)
            .unwrap();
        c.set_proxy(Some("http://me:pr0xy-pass@proxy:3128"))
            .unwrap();
        let d = describe(&c, &crate::auth::chosen_defaults(&c));
        let text = d.to_string();
        assert!(!text.contains("very-secret"));
        assert!(!text.contains("pr0xy-pass"));
        assert_eq!(d["client_secret"]["value"], REDACTED);
        assert_eq!(d["client_secret"]["source"], "set");
        assert_eq!(d["audience"]["value"], "tasklist.camunda.io");
        assert_eq!(d["audience"]["source"], "default");
        assert_eq!(d["max_retries"]["source"], "default");
        assert_eq!(d["proxy"]["value"], "http://***@proxy:3128");
        assert_eq!(d["password"]["value"], Value::Null);
    }

    #[test]
    fn switching_authentication_forgets_the_old_sources() {
        let mut c = Config::default();
        c.set_oauth("http://kc/token", "id", "s", Some("aud"))
            .unwrap();
        c.set_cookie_login("demo", "pw").unwrap();
        let d = describe(&c, &crate::auth::chosen_defaults(&c));
        assert_eq!(d["auth"]["value"], "cookie");
        assert_eq!(d["audience"]["source"], "default");
        assert_eq!(d["username"]["source"], "set");
        assert_eq!(d["password"]["value"], REDACTED);
    }
}
