#!/usr/bin/env bash
# Runs the examples against a fresh emulator: each language, with OAuth and with cookie
# login. Called by `make demo` after the library, emulator and C/C++ examples are built.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
release=$root/target/release
work=$(mktemp -d)
trap 'exec 3>&-; rm -rf "$work"' EXIT

# The emulator reads its stdin only to notice that we are gone. The examples speak
# /api/login and v1, so the emulator is pinned as they were written against it (legacy).
exec 3> >(exec "$release/tasklist-emulator" --camunda-version legacy --addr 127.0.0.1:0 --exit-on-stdin-eof >"$work/url" 2>"$work/log")
for _ in $(seq 600); do [ -s "$work/url" ] && break; sleep 0.1; done
base_url=$(head -n1 "$work/url")
case "$base_url" in http://*) ;; *) echo "the emulator did not start:" >&2; cat "$work/log" >&2; exit 1 ;; esac

section() { printf '\n=== %s ===\n' "$1"; }

section "emulator"
echo "Tasklist emulator at $base_url (OAuth client tasklist-client, users demo/demo and view/view)"

section "C, OAuth client credentials"
"$root/target/examples/tasklist_example" oauth "$base_url"
section "C, cookie login"
"$root/target/examples/tasklist_example" cookie "$base_url"
section "C++, OAuth client credentials"
"$root/target/examples/tasklist_example_cpp" oauth "$base_url"

if [ -d "$root/examples/python" ]; then
    for mode in oauth cookie; do
        section "Python, $mode"
        TASKLIST_LIBRARY="$release/libtasklist.so" PYTHONPATH="$root/bindings/python/src" \
            python3 "$root/examples/python/tasklist_example.py" "$mode" "$base_url"
    done
fi
if [ -d "$root/examples/go" ]; then
    (cd "$root/examples/go" && go build -o "$work/go_example" .)
    for mode in oauth cookie; do
        section "Go, $mode"
        "$work/go_example" -auth "$mode" -base-url "$base_url"
    done
fi
section "done"
echo "every example found, claimed and completed a task"
