#!/usr/bin/env bash
# Builds and installs what the benchmark needs, so that `make bench` works on a fresh machine.
# Everything goes under target/ (builds, the Python venv) or bench/node/node_modules
# (gitignored); the only system changes are `apt-get install wrk` and `apt-get install
# nginx-light` (the second floor: wrk against nginx serving a static copy of the page) when
# they are missing. The harness runs its own nginx on a free port with a configuration under
# target/bench/nginx; Debian's nginx service is not used.
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

step "official v2 JS SDK (npm ci, version pinned in bench/node-v2/package-lock.json)"
(cd bench/node-v2 && npm ci --no-audit --no-fund --loglevel=error)

step "Python venv with requests, the v2 Python SDK (pinned) and matplotlib"
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

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    step "nginx from Debian"
    if [ "$(id -u)" -ne 0 ]; then
        echo "nginx is missing: install it (apt-get install nginx-light) or run as root" >&2
        exit 1
    fi
    install_nginx() {
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    }
    # The package list may be stale or empty on a fresh machine: update it only if needed.
    install_nginx nginx-light || install_nginx nginx || {
        apt-get update -qq
        install_nginx nginx-light || install_nginx nginx
    }
    # Where services start on install, Debian's package starts its own nginx on port 80: the
    # benchmark does not use it, so it is stopped (the harness starts a private one).
    invoke-rc.d nginx stop >/dev/null 2>&1 || true
fi

# perf is optional: without it the profile section falls back to callgrind, or is skipped.
command -v perf >/dev/null || echo "note: perf not found; the profile uses valgrind if present"
