//go:build tasklist_vendor_files

package tasklist

// `go mod vendor` copies only the directories of packages, so the header and
// the prebuilt libraries that cgo.go links live in (empty) packages, named
// here. This file is never compiled: go mod vendor ignores build tags when
// it decides what to copy; the build never sets tasklist_vendor_files.
import (
	_ "github.com/libtasklist/libtasklist/bindings/go/include"
	_ "github.com/libtasklist/libtasklist/bindings/go/lib/linux_amd64"
)
