#!/usr/bin/env bash
# Runs the examples against fresh emulators, both API generations from the same library:
# Tasklist v1 against a Camunda 8.4 (OAuth and cookie login at /api/login) and the v2
# Orchestration Cluster API against a Camunda 8.9 (OAuth, Basic and cookie login at /login,
# with a realistic export delay, so the examples wait for search to catch up).
# Called by `make demo` after the library, emulator and C/C++ examples are built.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# The release build: the Makefile passes its own (it follows CARGO_TARGET_DIR).
release=${TASKLIST_RELEASE_DIR:-$root/target/release}
work=$(mktemp -d)
trap 'exec 3>&- 4>&-; rm -rf "$work"' EXIT

# Starts an emulator on a free port and sets emulator_url; its stdin (file descriptor $1,
# kept open by this shell, so not called in a subshell) is read only to notice that we are
# gone.
start_emulator() {
    local fd=$1 name=$2
    shift 2
    eval "exec $fd> >(exec \"\$release/tasklist-emulator\" --addr 127.0.0.1:0 --exit-on-stdin-eof \"\$@\" >\"\$work/$name.url\" 2>\"\$work/$name.log\")"
    for _ in $(seq 600); do [ -s "$work/$name.url" ] && break; sleep 0.1; done
    emulator_url=$(head -n1 "$work/$name.url")
    case "$emulator_url" in http://*) ;; *) echo "the $name emulator did not start:" >&2; cat "$work/$name.log" >&2; exit 1 ;; esac
}

section() { printf '\n=== %s ===\n' "$1"; }

start_emulator 3 v1 --camunda-version 8.4
v1_url=$emulator_url
start_emulator 4 v2 --camunda-version 8.9 --export-delay-ms 1000
v2_url=$emulator_url

section "emulators"
echo "Camunda 8.4 (Tasklist v1) at $v1_url"
echo "Camunda 8.9 (v2 Orchestration Cluster API, searches lag commands by 1 s) at $v2_url"
echo "OAuth client tasklist-client, users demo/demo and view/view on both"

section "C, v1, OAuth client credentials"
"$root/target/examples/tasklist_example" oauth "$v1_url"
section "C, v1, cookie login"
"$root/target/examples/tasklist_example" cookie "$v1_url"
section "C++, v1, OAuth client credentials"
"$root/target/examples/tasklist_example_cpp" oauth "$v1_url"
for mode in oauth basic cookie; do
    section "C, v2, $mode"
    "$root/target/examples/tasklist_v2_example" "$mode" "$v2_url"
done

python_example() {
    TASKLIST_LIBRARY="$release/libtasklist.so" PYTHONPATH="$root/bindings/python/src" \
        python3 "$root/examples/python/$1" "${@:2}"
}
if command -v python3 >/dev/null; then
    for mode in oauth cookie; do
        section "Python, v1, $mode"
        python_example tasklist_example.py "$mode" "$v1_url"
    done
    if [ -f "$root/examples/python/tasklist_v2_example.py" ]; then
        for mode in oauth basic cookie; do
            section "Python, v2, $mode"
            python_example tasklist_v2_example.py "$mode" "$v2_url"
        done
    fi
else
    section "Python: skipped (python3 is not installed)"
fi
if command -v go >/dev/null; then
    (cd "$root/examples/go" && go build -o "$work/go_example" .)
    for mode in oauth cookie; do
        section "Go, v1, $mode"
        "$work/go_example" -auth "$mode" -base-url "$v1_url"
    done
    if [ -d "$root/examples/go-v2" ]; then
        (cd "$root/examples/go-v2" && go build -o "$work/go_v2_example" .)
        for mode in oauth basic cookie; do
            section "Go, v2, $mode"
            "$work/go_v2_example" -auth "$mode" -base-url "$v2_url"
        done
    fi
else
    section "Go: skipped (go is not installed)"
fi
section "done"
echo "every example found, claimed and completed a task, on Camunda 8.4 through v1 and on 8.9 through v2"
