//! Writing JSON text by hand, for the bodies on the hot path (task search
//! results, error bodies) where building a `serde_json::Value` first would
//! cost an allocation per field. Shared by every API generation.

/// Appends `text` as a JSON string literal.
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn push_json_opt_string(out: &mut String, text: Option<&str>) {
    match text {
        Some(t) => push_json_string(out, t),
        None => out.push_str("null"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_strings_round_trip() {
        let mut out = String::new();
        let text = "q\"b\\n\n\u{1}é✓";
        super::push_json_string(&mut out, text);
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
    }

    #[test]
    fn absent_strings_are_null() {
        let mut out = String::new();
        super::push_json_opt_string(&mut out, None);
        out.push(',');
        super::push_json_opt_string(&mut out, Some("a"));
        assert_eq!(out, "null,\"a\"");
    }
}
