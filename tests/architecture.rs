//! The crate's layering, checked on its source: only `src/ffi/` may hold `unsafe` code or
//! speak C (`extern "C"`, `#[no_mangle]`, `c_char`, `c_void`, `CStr`, `CString`, C string
//! literals, raw pointers). The core is safe Rust; the C surface adapts it.
//!
//! The source is read with a small tokenizer that knows comments (doc comments included),
//! string and character literals, lifetimes and raw identifiers, so prose such as "the only
//! module with `unsafe`" in a doc comment, or a word inside a string, is not code.

use std::path::{Path, PathBuf};

/// One token of Rust source, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    /// A string literal; `c_string` for `c"..."` (a `&CStr`).
    Str {
        c_string: bool,
    },
    Punct(char),
}

fn tokens(source: &str) -> Vec<(usize, Token)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    // Advances past chars[from..to], counting lines.
    let skip = |from: usize, to: usize, line: &mut usize| {
        *line += chars[from..to.min(chars.len())]
            .iter()
            .filter(|c| **c == '\n')
            .count();
        to
    };
    while i < chars.len() {
        let c = chars[i];
        let start_line = line;
        if c == '/' && at(i + 1) == '/' {
            let end = (i..chars.len())
                .find(|&j| chars[j] == '\n')
                .unwrap_or(chars.len());
            i = skip(i, end, &mut line);
        } else if c == '/' && at(i + 1) == '*' {
            // Block comments nest in Rust.
            let (mut depth, mut j) = (1, i + 2);
            while j < chars.len() && depth > 0 {
                if chars[j] == '/' && at(j + 1) == '*' {
                    depth += 1;
                    j += 2;
                } else if chars[j] == '*' && at(j + 1) == '/' {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            i = skip(i, j, &mut line);
        } else if let Some((len, c_string)) = string_start(&chars, i) {
            let end = string_end(&chars, i + len, &chars[i..i + len]);
            i = skip(i, end, &mut line);
            out.push((start_line, Token::Str { c_string }));
        } else if c == '\'' {
            // A character literal, or a lifetime / loop label (no closing quote).
            if at(i + 1) == '\\' {
                // Past the escaped character, which may itself be a quote ('\'').
                let end = (i + 3..chars.len())
                    .find(|&j| chars[j] == '\'')
                    .map_or(chars.len(), |j| j + 1);
                i = skip(i, end, &mut line);
            } else if at(i + 2) == '\'' {
                i = skip(i, i + 3, &mut line);
            } else {
                i += 1;
            }
        } else if c == 'r' && at(i + 1) == '#' && is_ident_start(at(i + 2)) {
            // A raw identifier: r#unsafe is the identifier `unsafe`.
            let end = ident_end(&chars, i + 2);
            out.push((line, Token::Ident(chars[i + 2..end].iter().collect())));
            i = end;
        } else if is_ident_start(c) {
            let end = ident_end(&chars, i);
            out.push((line, Token::Ident(chars[i..end].iter().collect())));
            i = end;
        } else if c.is_ascii_digit() {
            // A number with its suffix (1u32, 0xff, 1e3): never an identifier.
            i = ident_end(&chars, i);
        } else {
            if c == '\n' {
                line += 1;
            } else if !c.is_whitespace() {
                out.push((line, Token::Punct(c)));
            }
            i += 1;
        }
    }
    out
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn ident_end(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && (chars[i] == '_' || chars[i].is_alphanumeric()) {
        i += 1;
    }
    i
}

/// The opening of a string literal at `i`: its length up to and including the quote, and
/// whether it is a C string. Prefixes: b, c, r, br, cr, with any number of # for raw ones.
fn string_start(chars: &[char], i: usize) -> Option<(usize, bool)> {
    if i > 0 && (chars[i - 1] == '_' || chars[i - 1].is_alphanumeric()) {
        return None; // inside an identifier, e.g. the `r` ending `for`
    }
    let mut j = i;
    let c_string = chars.get(j) == Some(&'c');
    if matches!(chars.get(j), Some('b' | 'c')) {
        j += 1;
    }
    if chars.get(j) == Some(&'r') {
        j += 1;
        while chars.get(j) == Some(&'#') {
            j += 1;
        }
    }
    (chars.get(j) == Some(&'"')).then_some((j + 1 - i, c_string))
}

/// Where the string literal whose opening is `opening` (and whose text starts at `i`) ends.
fn string_end(chars: &[char], mut i: usize, opening: &[char]) -> usize {
    let raw = opening.contains(&'r');
    let hashes = opening.iter().filter(|c| **c == '#').count();
    while i < chars.len() {
        match chars[i] {
            '\\' if !raw => i += 2,
            '"' if chars[i + 1..]
                .iter()
                .take(hashes)
                .filter(|c| **c == '#')
                .count()
                == hashes =>
            {
                return i + 1 + hashes;
            }
            _ => i += 1,
        }
    }
    chars.len()
}

/// What in this source only `src/ffi/` may hold, as (line, what) pairs.
fn c_and_unsafe(source: &str) -> Vec<(usize, String)> {
    let tokens = tokens(source);
    let mut found = Vec::new();
    for (k, (line, token)) in tokens.iter().enumerate() {
        let next = tokens.get(k + 1).map(|(_, t)| t);
        let what = match token {
            Token::Ident(word) => match word.as_str() {
                "unsafe" => Some("`unsafe`".to_string()),
                "c_char" | "c_void" | "CStr" | "CString" | "no_mangle" => Some(format!("`{word}`")),
                // `extern "C"`, `extern "system"`, or a bare `extern fn`/`extern {` (whose
                // ABI is C); `extern crate` is ordinary Rust.
                "extern" => match next {
                    Some(Token::Str { .. }) => Some("`extern \"...\"`".to_string()),
                    Some(Token::Ident(w)) if w == "fn" => Some("`extern fn`".to_string()),
                    Some(Token::Punct('{')) => Some("`extern {`".to_string()),
                    _ => None,
                },
                _ => None,
            },
            Token::Str { c_string: true } => Some("a C string literal (c\"...\")".to_string()),
            Token::Punct('*') => match next {
                Some(Token::Ident(w)) if w == "const" || w == "mut" => {
                    Some(format!("a raw pointer (`*{w}`)"))
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(what) = what {
            found.push((*line, what));
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every finding in the .rs files below `src/`, as "src/...:line: what", split by whether
/// the file lies in `src/ffi/`.
fn findings() -> (Vec<String>, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 10, "src/ was walked: {files:?}");
    let (mut ffi, mut core) = (Vec::new(), Vec::new());
    for path in files {
        let relative = path.strip_prefix(root).unwrap();
        let source = std::fs::read_to_string(&path).unwrap();
        let in_ffi = relative.starts_with("src/ffi");
        for (line, what) in c_and_unsafe(&source) {
            let finding = format!("{}:{line}: {what}", relative.display());
            if in_ffi {
                ffi.push(finding);
            } else {
                core.push(finding);
            }
        }
    }
    (ffi, core)
}

#[test]
fn only_src_ffi_has_unsafe_code_or_c() {
    let (ffi, core) = findings();
    assert!(
        core.is_empty(),
        "unsafe code or C outside src/ffi/ (move it into src/ffi/, or make it safe Rust):\n{}",
        core.join("\n")
    );
    // The same scan does see them where they belong, so it is not blind.
    for expected in ["`unsafe`", "`extern \"...\"`", "`c_char`", "`no_mangle`"] {
        assert!(
            ffi.iter().any(|f| f.ends_with(expected)),
            "no {expected} found in src/ffi/: {ffi:?}"
        );
    }
}

#[test]
fn the_tokenizer_tells_code_from_comments_and_strings() {
    let source = r####"//! The only module with `unsafe` and `extern "C"`.
/// Never `unsafe { }` here; c_char is a C type.
fn safe() -> &'static str {
    /* a block /* nested unsafe */ still comment unsafe */
    let _c = 'u'; let _q = '\''; let _s = "unsafe \" extern \"C\" c_void";
    let _raw = r#"unsafe "quoted" CString"#; let _b = br"unsafe"; 'outer: loop { break 'outer; }
    let r#for = 1u32; let unsafe_named = r#for; let _ = unsafe_named;
    "fine"
}
unsafe fn one() {}
extern "C" fn two() {}
extern crate alloc;
fn three(_: *const u8, _: *mut std::ffi::c_char) -> usize { 2 * 3 }
const FOUR: &std::ffi::CStr = c"four";
#[no_mangle]
fn r#unsafe() {}
"####;
    let found = c_and_unsafe(source);
    assert_eq!(
        found,
        [
            (10, "`unsafe`".to_string()),
            (11, "`extern \"...\"`".to_string()),
            (13, "a raw pointer (`*const`)".to_string()),
            (13, "a raw pointer (`*mut`)".to_string()),
            (13, "`c_char`".to_string()),
            (14, "`CStr`".to_string()),
            (14, "a C string literal (c\"...\")".to_string()),
            (15, "`no_mangle`".to_string()),
            (16, "`unsafe`".to_string()),
        ]
    );
}
