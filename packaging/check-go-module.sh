#!/usr/bin/env bash
# The Go module as its users get it: from a module proxy (GOPROXY=file://), with no checkout
# and no cargo on PATH; then vendored (go mod vendor) and built offline from vendor/; and
# without cgo, which must fail with a message that says so. Runs in `make release-check`,
# after `make go-module`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
# The module cache is read-only.
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "FAIL  $*" >&2; exit 1; }
version=v$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)
module=$(sed -n 's/^module //p' "$root/bindings/go/go.mod")
python3 "$root/packaging/go_proxy.py" "$work/proxy" "$version"

# Only the Go toolchain and the system's compilers: no cargo, no rustc.
go=$(command -v go)
export PATH="$(dirname "$(readlink -f "$go")"):/usr/bin:/bin"
if command -v cargo >/dev/null 2>&1; then fail "cargo is still on PATH"; fi
export GOPROXY=file://$work/proxy GOSUMDB=off GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local
export GOMODCACHE=$work/modcache GOPATH=$work/gopath
unset GOPRIVATE GONOPROXY GONOSUMDB

app=$work/app
mkdir -p "$app"
cat > "$app/main.go" <<GO
package main

import (
	"fmt"

	tasklist "$module"
)

func main() { fmt.Println("libtasklist", tasklist.Version()) }
GO
cd "$app"
go mod init example.com/app >/dev/null 2>&1
go get "$module@$version" 2>"$work/get.log" || { cat "$work/get.log"; fail "go get $module@$version"; }
go build -o app . || fail "go build of a program that go-gets the module"
dir=$(go list -m -f '{{.Dir}}' "$module")
for file in LICENSE THIRD-PARTY-NOTICES.txt include/tasklist.h lib/linux_amd64/libtasklist.a; do
    [ -f "$dir/$file" ] || fail "the module has no $file"
done
out=$(./app) || fail "the program does not run"
[ "$out" = "libtasklist ${version#v}" ] || fail "the program printed '$out'"
if readelf -d app | grep -q 'NEEDED.*libtasklist'; then fail "the program needs libtasklist.so"; fi
echo "ok    go get from GOPROXY=file://: $module@$version builds and runs without cargo ($out)"

# Vendored: everything cgo needs is copied into vendor/, and builds with no module cache
# and no proxy.
go mod vendor || fail "go mod vendor"
for file in include/tasklist.h lib/linux_amd64/libtasklist.a; do
    [ -f "vendor/$module/$file" ] || fail "go mod vendor did not copy $file"
done
chmod -R u+w "$GOMODCACHE" && rm -rf "$GOMODCACHE"
GOFLAGS=-mod=vendor GOPROXY=off go build -o app-vendored . || fail "go build -mod=vendor"
[ "$(./app-vendored)" = "$out" ] || fail "the vendored program does not run"
echo "ok    go mod vendor: builds from vendor/ alone (GOPROXY=off, empty module cache) and runs"

# Without cgo: a clear message, not `undefined: Client`.
if CGO_ENABLED=0 GOFLAGS=-mod=vendor go build -o app-nocgo . 2>"$work/nocgo.log"; then
    fail "CGO_ENABLED=0 built"
fi
grep -q 'libtasklist_needs_cgo_build_with_CGO_ENABLED_1_and_a_C_compiler' "$work/nocgo.log" \
    || { cat "$work/nocgo.log"; fail "CGO_ENABLED=0 does not say that cgo is needed"; }
echo "ok    CGO_ENABLED=0: fails with $(grep -o 'undefined: libtasklist_needs_cgo[A-Za-z0-9_]*' "$work/nocgo.log" | head -n1)"
