// Package include holds tasklist.h, the C header cgo compiles the parent
// package against (copied here by `make go-module`). It has no Go API; it is
// a package only so that `go mod vendor` copies the directory.
package include
