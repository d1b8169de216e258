#!/usr/bin/env bash
# Installs libtasklist into temporary prefixes the way a user or a distribution would, and
# builds a C89 program against each installation: with pkg-config (shared, then --static
# from a static-only install), and with CMake's find_package(tasklist CONFIG). Checks the
# file names, SONAME and symlinks on the way. Runs in `make release-check`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
make=${MAKE:-make}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)
major=${version%%.*}
minor=${version#*.}
minor=${minor%%.*}
if [ "$major" = 0 ]; then soversion=0.$minor; else soversion=$major; fi
cflags=(-std=c89 -pedantic -Wall -Wextra -Werror)
fail() { echo "FAIL  $*" >&2; exit 1; }
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

# A prefix with LIBDIR and INCLUDEDIR moved away from PREFIX/lib and PREFIX/include, as a
# distribution does: the multiarch directory (Debian, where CMake looks) or lib64.
shared=$work/shared
multiarch=$(gcc -print-multiarch 2>/dev/null || true)
lib=$shared/${multiarch:+lib/$multiarch}
[ -n "$multiarch" ] || lib=$shared/lib64
$make -s -C "$root" install PREFIX="$shared" LIBDIR="$lib" INCLUDEDIR="$shared/include/tasklist" >/dev/null
[ -f "$lib/libtasklist.so.$version" ] && [ ! -L "$lib/libtasklist.so.$version" ] || fail "no $lib/libtasklist.so.$version"
[ "$(readlink "$lib/libtasklist.so.$soversion")" = "libtasklist.so.$version" ] || fail "libtasklist.so.$soversion is not a symlink to libtasklist.so.$version"
[ "$(readlink "$lib/libtasklist.so")" = "libtasklist.so.$soversion" ] || fail "libtasklist.so is not a symlink to libtasklist.so.$soversion"
soname=$(readelf -d "$lib/libtasklist.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libtasklist.so.$soversion" ] || fail "SONAME is '$soname', expected libtasklist.so.$soversion"
[ -f "$shared/include/tasklist/tasklist.h" ] || fail "no header in INCLUDEDIR"
for doc in LICENSE THIRD-PARTY-NOTICES.txt; do
    [ -f "$shared/share/doc/tasklist/$doc" ] || fail "no share/doc/tasklist/$doc"
done
echo "ok    install: libtasklist.so.$version, SONAME $soname, symlinks, LIBDIR/INCLUDEDIR, licence files"

gcc "${cflags[@]}" -fsyntax-only -x c "$shared/include/tasklist/tasklist.h" || fail "the header is not clean C89"

export PKG_CONFIG_PATH=$lib/pkgconfig
# shellcheck disable=SC2046
gcc "${cflags[@]}" "$root/packaging/c-check/app.c" $(pkg-config --cflags --libs tasklist) -Wl,-rpath,"$lib" -o "$work/app-pc-shared"
needed "$work/app-pc-shared" | grep -qx "libtasklist.so.$soversion" || fail "the pkg-config program does not need libtasklist.so.$soversion"
"$work/app-pc-shared" >/dev/null || fail "the pkg-config program (shared) does not run"
echo "ok    pkg-config: shared link, NEEDED libtasklist.so.$soversion, runs"

# A static-only installation (SHARED=0): `pkg-config --static` must give everything the
# static library needs.
static=$work/static
$make -s -C "$root" install PREFIX="$static" SHARED=0 >/dev/null
export PKG_CONFIG_PATH=$static/lib/pkgconfig
# shellcheck disable=SC2046
gcc "${cflags[@]}" "$root/packaging/c-check/app.c" $(pkg-config --cflags --static --libs tasklist) -o "$work/app-pc-static"
if needed "$work/app-pc-static" | grep -q libtasklist; then fail "the --static program needs a libtasklist.so"; fi
"$work/app-pc-static" >/dev/null || fail "the pkg-config program (static) does not run"
echo "ok    pkg-config --static: static link, runs"

if command -v cmake >/dev/null 2>&1; then
    cmake -S "$root/packaging/c-check" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$shared" \
        -DCMAKE_C_FLAGS="${cflags[*]}" -DCMAKE_BUILD_TYPE=Release >"$work/cmake.log" 2>&1 \
        || { cat "$work/cmake.log"; fail "cmake could not configure against the installation"; }
    cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "cmake build"; }
    needed "$work/cmake/app_shared" | grep -qx "libtasklist.so.$soversion" || fail "tasklist::tasklist is not the shared library"
    if needed "$work/cmake/app_static" | grep -q libtasklist; then fail "tasklist::tasklist_static is not static"; fi
    "$work/cmake/app_shared" >/dev/null && "$work/cmake/app_static" >/dev/null || fail "the CMake programs do not run"
    # A 0.x release satisfies only requests for its own minor version.
    mkdir -p "$work/cmake-wrong"
    sed 's/find_package(tasklist 0.1 /find_package(tasklist 0.2 /' "$root/packaging/c-check/CMakeLists.txt" > "$work/cmake-wrong/CMakeLists.txt"
    cp "$root/packaging/c-check/app.c" "$work/cmake-wrong/"
    if cmake -S "$work/cmake-wrong" -B "$work/cmake-wrong/build" -DCMAKE_PREFIX_PATH="$shared" >/dev/null 2>&1; then
        fail "find_package(tasklist 0.2) accepted version $version"
    fi
    echo "ok    cmake: find_package(tasklist 0.1 CONFIG), tasklist::tasklist (shared) and tasklist::tasklist_static, 0.2 refused"
else
    echo "skip  cmake: not installed (apt-get install -y cmake); .ci/run installs it"
fi
