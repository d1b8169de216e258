#!/usr/bin/env bash
# Builds the C API tests as C11 and C++17, linked statically and dynamically, and runs them
# against a fresh emulator: plain, under AddressSanitizer + UBSan, and under valgrind.
# Usage: tests/c/run.sh [LIBDIR]   (LIBDIR defaults to target/release)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
libdir=${1:-$root/target/release}
out=$root/target/c-tests
mkdir -p "$out"
native_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
warnings="-Wall -Wextra -Werror -pedantic"
sources=("$root/tests/c/api_test.c" "$root/tests/c/second_unit.c")
v2_sources=("$root/tests/c/v2_test.c")

# Every tasklist_ symbol the shared library exports is declared in the header, and the
# other way round (cbindgen silently skipping a function would otherwise go unnoticed).
exported=$(nm -D --defined-only "$libdir/libtasklist.so" | awk '$2 == "T" && $3 ~ /^tasklist_/ {print $3}' | sort)
declared=$(grep -oE '\btasklist_[a-z0-9_]+\(' "$root/include/tasklist.h" | tr -d '(' | sort -u)
if [ "$exported" != "$declared" ]; then
    echo "FAIL  exported symbols differ from the header:"
    diff <(echo "$exported") <(echo "$declared") || true
    exit 1
fi
echo "ok    symbols: $(echo "$exported" | wc -l) exported functions, all declared in the header"

build() { # name compiler std link [extra flags...]; SOURCES names the source array
    local name=$1 cc=$2 std=$3 link=$4
    shift 4
    local -n files=${SOURCES:-sources}
    local lang=()
    [ "$cc" = g++ ] && lang=(-x c++)
    local libs
    if [ "$link" = static ]; then
        libs="$libdir/libtasklist.a $native_libs"
    else
        libs="-L$libdir -ltasklist -Wl,-rpath,$libdir"
    fi
    # shellcheck disable=SC2086
    "$cc" "$std" $warnings "$@" -I"$root/include" "${lang[@]}" "${files[@]}" -x none $libs -o "$out/$name"
}

build c11-static gcc -std=c11 static -O1
build c11-dynamic gcc -std=c11 dynamic -O1
build cpp17-static g++ -std=c++17 static -O1
build cpp17-dynamic g++ -std=c++17 dynamic -O1
build c11-asan gcc -std=c11 static -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
build cpp17-asan g++ -std=c++17 dynamic -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SOURCES=v2_sources build v2-c11-dynamic gcc -std=c11 dynamic -O1
SOURCES=v2_sources build v2-cpp17-static g++ -std=c++17 static -O1
SOURCES=v2_sources build v2-c11-asan gcc -std=c11 static -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# One emulator per API generation for all runs; their stdin is a pipe we hold open, so they
# exit with us. The v1 tests are pinned to the emulator as they were written against it
# (legacy: /api/login, v1); the v2 tests run against a Camunda 8.9.
start_emulator() { # fd name args...: sets emulator_url
    local fd=$1 name=$2
    shift 2
    eval "exec $fd> >(exec \"\$libdir/tasklist-emulator\" --addr 127.0.0.1:0 --admin --exit-on-stdin-eof \"\$@\" >\"\$out/$name.out\" 2>\"\$out/$name.err\")"
    for _ in $(seq 600); do
        [ -s "$out/$name.out" ] && break
        sleep 0.1
    done
    emulator_url=$(head -n1 "$out/$name.out")
    case "$emulator_url" in http://*) ;; *) echo "the $name emulator did not start: $(cat "$out/$name.err")" >&2; exit 1 ;; esac
}
start_emulator 3 emulator --camunda-version legacy
v1_url=$emulator_url
start_emulator 4 emulator-v2 --camunda-version 8.9
v2_url=$emulator_url

failures=0
run() { # label command... (against the v1 emulator; V2=1 for the v2 one)
    local label=$1
    shift
    local base_url=$v1_url
    [ -n "${V2:-}" ] && base_url=$v2_url
    # Each run gets fresh data, so the tests see the same tasks whatever ran before.
    curl -sf -X POST "$base_url/__emulator/reset" >/dev/null
    if "$@" "$base_url" >"$out/$label.log" 2>&1; then
        echo "ok    $label: $(tail -n1 "$out/$label.log")"
    else
        echo "FAIL  $label"
        sed 's/^/      /' "$out/$label.log"
        failures=$((failures + 1))
    fi
}

for variant in c11-static c11-dynamic cpp17-static cpp17-dynamic; do
    run "$variant" "$out/$variant"
done
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run c11-asan "$out/c11-asan"
run cpp17-asan "$out/cpp17-asan"
V2=1 run v2-c11-asan "$out/v2-c11-asan"
unset ASAN_OPTIONS UBSAN_OPTIONS
V2=1 run v2-cpp17-static "$out/v2-cpp17-static"
V2=1 run v2-c11-valgrind valgrind --suppressions="$root/tests/c/valgrind.supp" --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$out/v2-c11-dynamic"
run c11-valgrind valgrind --suppressions="$root/tests/c/valgrind.supp" --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$out/c11-dynamic"
run cpp17-valgrind valgrind --suppressions="$root/tests/c/valgrind.supp" --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$out/cpp17-static"

exec 3>&- 4>&-
passed=$((11 - failures))
echo "c-tests: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
