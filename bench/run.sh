#!/usr/bin/env bash
# `make bench`: install and build what is needed, measure every client, profile the C loop,
# and regenerate docs/benchmarks.md and docs/benchmarks.png from those measurements.
#
#   bash bench/run.sh            the full run (about 10 minutes on 2 cores, setup included)
#   bash bench/run.sh --quick    small N and 2 runs, for working on the harness (not for docs)
#
# Every process it starts ends with it: the emulators exit when the harness's pipe to their
# stdin closes, and each client is killed after 300 s at the latest.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="$ROOT/target/bench/venv/bin/python"
started=$SECONDS

bash "$ROOT/bench/setup.sh"
echo "== measuring (clients interleaved, run after run)"
"$PY" "$ROOT/bench/harness.py" --out "$ROOT/target/bench/results.json" "$@"
echo "== profiling the C loop"
"$PY" "$ROOT/bench/profile.py" --out "$ROOT/target/bench/profile.json"
echo "== writing docs/benchmarks.md and docs/benchmarks.png (medians; spread below)"
"$PY" "$ROOT/bench/report.py"
echo "== make bench took $((SECONDS - started)) s"
