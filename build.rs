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
    config.after_includes = Some(version_macros());

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
