//! Generates the C header from src/ffi with a pinned cbindgen, into OUT_DIR. `make header`
//! (TASKLIST_UPDATE_HEADER=1) also copies it to include/tasklist.h, the committed copy that
//! the tests compare with this fresh generation.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=TASKLIST_UPDATE_HEADER");

    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    // The macros, then cbindgen.toml's after_includes (the opening of extern "C").
    config.after_includes = Some(
        version_macros()
            + &status_macros(&crate_dir.join("src/error.rs"))
            + config.after_includes.as_deref().unwrap_or(""),
    );

    // A SONAME, as distributions expect of a shared library: libtasklist.so.MAJOR, or
    // libtasklist.so.0.MINOR while the major version is 0 (cargo-c's convention), so a
    // program linked against 0.1 refuses to load 0.2. `make install` names the file
    // libtasklist.so.X.Y.Z and adds the symlinks.
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{}", soname());
    }

    let header = out_dir.join("tasklist.h");
    cbindgen::Builder::new()
        .with_config(config)
        // cbindgen follows the `mod` declarations of the C surface from here.
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .generate()
        .expect("cbindgen can generate the header")
        .write_to_file(&header);
    println!(
        "cargo:rustc-env=TASKLIST_GENERATED_HEADER={}",
        header.display()
    );
    println!("cargo:include={}", out_dir.display());

    if env::var("TASKLIST_UPDATE_HEADER").as_deref() == Ok("1") {
        std::fs::copy(&header, crate_dir.join("include/tasklist.h"))
            .expect("include/tasklist.h is writable");
    }
}

/// `libtasklist.so.0.1` for 0.1.z, `libtasklist.so.1` for 1.y.z.
fn soname() -> String {
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("set by cargo");
    let minor = env::var("CARGO_PKG_VERSION_MINOR").expect("set by cargo");
    if major == "0" {
        format!("libtasklist.so.0.{minor}")
    } else {
        format!("libtasklist.so.{major}")
    }
}

/// Version macros from Cargo.toml, so the header can never disagree with the library.
fn version_macros() -> String {
    let part = |name: &str| -> u32 {
        env::var(name)
            .expect("set by cargo")
            .parse()
            .expect("numeric version part")
    };
    let (major, minor, patch) = (
        part("CARGO_PKG_VERSION_MAJOR"),
        part("CARGO_PKG_VERSION_MINOR"),
        part("CARGO_PKG_VERSION_PATCH"),
    );
    format!(
        "\n/* The version of this header; tasklist_version() gives the loaded library's. */\n\
         #define TASKLIST_VERSION \"{major}.{minor}.{patch}\"\n\
         #define TASKLIST_VERSION_MAJOR {major}\n\
         #define TASKLIST_VERSION_MINOR {minor}\n\
         #define TASKLIST_VERSION_PATCH {patch}\n\
         /* (MAJOR << 16) | (MINOR << 8) | PATCH, for comparisons in #if. */\n\
         #define TASKLIST_VERSION_NUM 0x{:06x}\n\
         #define TASKLIST_AT_LEAST_VERSION(major, minor, patch) \\\n  \
         (TASKLIST_VERSION_NUM >= (((major) << 16) | ((minor) << 8) | (patch)))\n",
        (major << 16) | (minor << 8) | patch
    )
}

/// The status codes as `#define`s with their doc comments, from the one table in
/// src/error.rs (`status_codes! { ... }`), written the way cbindgen writes constants.
fn status_macros(table_file: &std::path::Path) -> String {
    let source = std::fs::read_to_string(table_file).expect("src/error.rs is readable");
    let table = source
        .split_once("\nstatus_codes! {\n")
        .expect("src/error.rs has the status_codes! table")
        .1;
    let table = &table[..table.find("\n}").expect("the table ends with a }")];
    let mut out = String::new();
    let mut doc: Vec<&str> = Vec::new();
    for line in table.lines().map(str::trim) {
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.strip_prefix(' ').unwrap_or(text));
            continue;
        }
        // `ok TASKLIST_OK = 0;` or `Variant = 100 => TASKLIST_ERR_NAME,`
        let (name, number) = if let Some(row) = line.strip_prefix("ok ") {
            let (name, number) = row
                .trim_end_matches(';')
                .split_once(" = ")
                .expect("ok NAME = 0;");
            (name, number)
        } else {
            let (left, name) = line
                .trim_end_matches(',')
                .split_once(" => ")
                .expect("V = N => NAME,");
            (name, left.split_once(" = ").expect("V = N").1)
        };
        assert!(!doc.is_empty(), "status {name} has no doc comment");
        out.push_str("\n/**\n");
        for text in doc.drain(..) {
            out.push_str(if text.is_empty() { " *" } else { " * " });
            out.push_str(text);
            out.push('\n');
        }
        out.push_str(&format!(" */\n#define {name} {number}\n"));
    }
    out
}
