#!/usr/bin/env bash
# Builds and installs what the benchmark needs, so that `make bench` works on a fresh machine.
# Everything goes under target/ (builds, the Python venv) or bench/node/node_modules
# (gitignored); the only system change is `apt-get install wrk` when wrk is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
cd "$ROOT"

step() { printf '== %s\n' "$*"; }

step "release build of the library and the emulator"
cargo build --release -p tasklist-client -p tasklist-emulator

step "C loop"
# Static link, like a C program that vendors the library; -O2 as a user would build it.
cc -std=c11 -O2 -Wall -Wextra -Werror -I"$ROOT/include" bench/c/tasklist_bench.c \
    target/release/libtasklist.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc \
    -o "$OUT/tasklist_bench"
# The launcher that measures peak RSS and CPU of each client, and the cost of what ureq
# does per request besides HTTP (see bench/c/resolve_cost.c).
for tool in rusage_run resolve_cost; do
    cc -std=c11 -O2 -Wall -Wextra -Werror bench/c/$tool.c -lpthread -o "$OUT/$tool"
done

step "Go client"
(cd bench/go && go build -o "$OUT/go_bench" .)

step "Node SDK (npm ci, version pinned in bench/node/package-lock.json)"
(cd bench/node && npm ci --no-audit --no-fund --loglevel=error)

step "Python venv with requests and matplotlib"
if [ ! -x "$OUT/venv/bin/python" ]; then
    python3 -m venv "$OUT/venv"
fi
"$OUT/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r bench/python/requirements.txt

if ! command -v wrk >/dev/null; then
    step "wrk from Debian"
    if [ "$(id -u)" -ne 0 ]; then
        echo "wrk is missing: install it (apt-get install wrk) or run as root" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi

# perf is optional: without it the profile section falls back to callgrind, or is skipped.
command -v perf >/dev/null || echo "note: perf not found; the profile uses valgrind if present"
