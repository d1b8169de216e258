#!/usr/bin/env bash
# The Python wheel as PyPI would take it: built as manylinux (cargo-zigbuild links the
# library against glibc $MANYLINUX), confirmed by `auditwheel show`, then installed into a
# fresh venv with no cargo on PATH and used for a search against the emulator.
# Usage: packaging/check-wheel.sh RELEASE_DIR   (where tasklist-emulator was built)
# The build tools (setuptools, wheel, build, cargo-zigbuild, ziglang, auditwheel) come from
# PyPI into a venv of their own under the target directory, kept between runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
release=${1:?usage: check-wheel.sh RELEASE_DIR}
manylinux=${MANYLINUX:-2_17}
arch=$(uname -m)
tools=${CARGO_TARGET_DIR:-$root/target}/wheel-tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL  $*" >&2; exit 1; }

if [ ! -x "$tools/bin/cargo-zigbuild" ]; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet "setuptools>=77" wheel build cargo-zigbuild ziglang auditwheel
fi
# cargo-zigbuild finds zig through the venv's python (`python -m ziglang`).
PATH="$tools/bin:$PATH" TASKLIST_MANYLINUX=$manylinux \
    "$tools/bin/python" -m build --wheel --no-isolation --outdir "$work/dist" "$root/bindings/python" \
    >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; fail "the manylinux wheel did not build"; }
wheel=$(ls "$work"/dist/*.whl)
case "$(basename "$wheel")" in
    *-py3-none-manylinux_${manylinux}_${arch}*.whl) ;;
    *) fail "wheel named $(basename "$wheel"), expected py3-none-manylinux_${manylinux}_${arch}" ;;
esac
"$tools/bin/auditwheel" show "$wheel" >"$work/show.log" 2>&1 || { cat "$work/show.log"; fail "auditwheel show"; }
grep -q "manylinux_${manylinux}_${arch}" "$work/show.log" || { cat "$work/show.log"; fail "auditwheel does not confirm manylinux_${manylinux}"; }
"$tools/bin/python" -m zipfile -l "$wheel" >"$work/members.txt"
for member in tasklist/LICENSE tasklist/THIRD-PARTY-NOTICES.txt tasklist/_lib/libtasklist.so; do
    grep -q "^$member " "$work/members.txt" || fail "the wheel has no $member"
done
echo "ok    wheel: $(basename "$wheel"), with LICENSE and notices; auditwheel show:"
sed -n '/platform tag/,/^$/p' "$work/show.log" | tr -s ' \n' ' ' | sed 's/^/      /; s/$/\n/'
# The glibc symbol versions the library needs: none newer than the tag's.
"$tools/bin/python" -m zipfile -e "$wheel" "$work/unpacked"
newest=$(objdump -T "$work/unpacked/tasklist/_lib/libtasklist.so" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n1)
echo "      newest glibc symbol version needed: $newest"

# The sdist carries the crate (and the licence files) and builds a wheel with plain cargo,
# as `python -m build` does: sdist first, then the wheel from it. The sdist's crate builds
# into the same target directory, so only the workspace's own crates are compiled again.
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target} "$tools/bin/python" -m build --no-isolation \
    --outdir "$work/sdist-dist" "$root/bindings/python" >"$work/sdist.log" 2>&1 \
    || { tail -n 40 "$work/sdist.log"; fail "python -m build (sdist, then the wheel from it)"; }
sdist=$(ls "$work"/sdist-dist/*.tar.gz)
tar -tzf "$sdist" >"$work/sdist.txt"
for member in rust/Cargo.toml rust/src/ffi/mod.rs rust/LICENSE rust/packaging/THIRD-PARTY-NOTICES.txt; do
    grep -q "^[^/]*/$member\$" "$work/sdist.txt" || fail "the sdist has no $member"
done
ls "$work"/sdist-dist/*-py3-none-linux_"$arch".whl >/dev/null 2>&1 || fail "no wheel built from the sdist"
echo "ok    sdist: $(basename "$sdist") carries the crate and licence files; a wheel builds from it with cargo"

# An editable install imports from src/ and finds the library build_py put there.
python3 -m venv "$work/editable"
"$work/editable/bin/pip" install --quiet "setuptools>=77" wheel
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target} "$work/editable/bin/pip" install --quiet \
    --no-build-isolation --no-deps -e "$root/bindings/python" >"$work/editable.log" 2>&1 \
    || { tail -n 20 "$work/editable.log"; fail "pip install -e bindings/python"; }
(cd "$work" && env -u TASKLIST_LIBRARY "$work/editable/bin/python" -c \
    'import tasklist, sys; assert "/src/tasklist/" in tasklist.__file__; tasklist.describe_config("http://x")') \
    || fail "the editable install cannot load the library"
rm -rf "$root/bindings/python/src/tasklist/_lib"
echo "ok    editable: pip install -e imports from src/ and loads the library"

# A fresh venv, no cargo, no source tree on sys.path, no TASKLIST_LIBRARY.
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index "$wheel"
cd "$work"
env -i HOME="$work" PATH=/usr/bin:/bin EMULATOR="$release/tasklist-emulator" "$work/venv/bin/python" - <<'PY' || fail "the installed wheel could not search"
import os, shutil, subprocess, sys
assert shutil.which("cargo") is None, "cargo on PATH"
import tasklist
assert "site-packages" in tasklist.__file__, tasklist.__file__
emulator = subprocess.Popen(
    [os.environ["EMULATOR"], "--camunda-version", "legacy", "--addr", "127.0.0.1:0",
     "--exit-on-stdin-eof"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    stderr=subprocess.DEVNULL, text=True)
url = emulator.stdout.readline().strip()
client = tasklist.Client(url, token_url=url + "/oauth/token", client_id="tasklist-client",
                         client_secret="tasklist-secret")
tasks = client.search_tasks({})
assert isinstance(tasks, list) and tasks, tasks
print(f"ok    fresh venv: the installed package ({os.path.dirname(tasklist.__file__)}) "
      f"found {len(tasks)} tasks, without cargo on PATH")
emulator.stdin.close()
emulator.wait(timeout=10)
PY
