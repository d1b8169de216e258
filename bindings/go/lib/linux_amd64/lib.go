// Package linux_amd64 holds libtasklist.a for linux/amd64, the prebuilt
// static library the parent package links (copied here by `make go-module`).
// It has no Go API; it is a package only so that `go mod vendor` copies the
// directory.
package linux_amd64
