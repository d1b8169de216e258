//! Checks on the C surface as a whole: the committed header is what cbindgen generates today,
//! every exported function runs inside the panic boundary, and the version macros agree
//! with Cargo.toml and the runtime functions.

use std::ffi::CStr;
use std::path::Path;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_header_matches_a_fresh_generation() {
    let committed = read(&repo().join("include/tasklist.h"));
    let generated = read(Path::new(env!("TASKLIST_GENERATED_HEADER")));
    assert!(
        committed == generated,
        "include/tasklist.h is stale: run `make header` and commit the result"
    );
}

/// Each `extern "C"` function in src/ffi, with its body's first statement.
fn exported_functions() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(repo().join("src/ffi")).unwrap() {
        let path = entry.unwrap().path();
        let text = read(&path);
        let mut rest = text.as_str();
        while let Some(at) = rest.find("extern \"C\" fn ") {
            rest = &rest[at + "extern \"C\" fn ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body_start = rest.find('{').unwrap();
            let first = rest[body_start + 1..].trim_start();
            found.push((name, first.lines().next().unwrap_or("").to_string()));
        }
    }
    found
}

#[test]
fn every_exported_function_runs_inside_the_panic_boundary() {
    let functions = exported_functions();
    assert!(
        functions.len() >= 38,
        "found only {} functions",
        functions.len()
    );
    for (name, first_line) in functions {
        assert!(name.starts_with("tasklist_"), "{name} lacks the prefix");
        assert!(
            first_line.starts_with("ffi_status!(") || first_line.starts_with("ffi_value!("),
            "{name} does not start with the panic boundary: {first_line}"
        );
    }
}

/// Names of the functions the header declares (`... tasklist_x(` at the start of a line's
/// declarator, not inside a comment).
fn header_functions() -> Vec<String> {
    let header = read(&repo().join("include/tasklist.h"));
    let mut names: Vec<String> = header
        .lines()
        .filter(|l| !l.trim_start().starts_with('*') && !l.trim_start().starts_with("/*"))
        .filter_map(|l| {
            let before_paren = &l[..l.find('(')?];
            let name = &before_paren[before_paren.rfind("tasklist_")?..];
            name.chars()
                .all(|c| c.is_alphanumeric() || c == '_')
                .then(|| name.to_string())
        })
        .collect();
    names.sort();
    names
}

#[test]
fn the_header_declares_exactly_the_exported_functions() {
    let mut exported: Vec<String> = exported_functions().into_iter().map(|(n, _)| n).collect();
    exported.sort();
    assert_eq!(header_functions(), exported);
}

#[test]
fn version_macros_match_cargo_and_the_runtime() {
    let header = read(&repo().join("include/tasklist.h"));
    let version = env!("CARGO_PKG_VERSION");
    assert!(header.contains(&format!("#define TASKLIST_VERSION \"{version}\"")));
    let part = |name: &str| -> u32 {
        let line = header
            .lines()
            .find(|l| l.starts_with(&format!("#define {name} ")))
            .unwrap_or_else(|| panic!("{name} missing"));
        let value = line.rsplit(' ').next().unwrap();
        match value.strip_prefix("0x") {
            Some(hex) => u32::from_str_radix(hex, 16).unwrap(),
            None => value.parse().unwrap(),
        }
    };
    let (major, minor, patch) = (
        part("TASKLIST_VERSION_MAJOR"),
        part("TASKLIST_VERSION_MINOR"),
        part("TASKLIST_VERSION_PATCH"),
    );
    assert_eq!(format!("{major}.{minor}.{patch}"), version);
    assert_eq!(
        part("TASKLIST_VERSION_NUM"),
        (major << 16) | (minor << 8) | patch
    );
    assert_eq!(
        part("TASKLIST_ABI_VERSION"),
        tasklist::ffi::tasklist_abi_version()
    );
    let runtime = unsafe { CStr::from_ptr(tasklist::ffi::tasklist_version()) };
    assert_eq!(runtime.to_str().unwrap(), version);
}

#[test]
fn the_header_defines_exactly_the_status_codes_of_the_table() {
    let header = read(&repo().join("include/tasklist.h"));
    let mut defined: Vec<(String, i32)> = header
        .lines()
        .filter_map(|line| line.strip_prefix("#define "))
        .filter_map(|rest| rest.split_once(' '))
        .filter(|(name, _)| *name == "TASKLIST_OK" || name.starts_with("TASKLIST_ERR_"))
        .map(|(name, number)| (name.to_string(), number.trim().parse().unwrap()))
        .collect();
    defined.sort();
    let mut table: Vec<(String, i32)> = tasklist::Code::ALL
        .iter()
        .map(|&code| (code.name().to_string(), code as i32))
        .collect();
    table.push(("TASKLIST_OK".to_string(), 0));
    table.sort();
    assert_eq!(defined, table);
}
