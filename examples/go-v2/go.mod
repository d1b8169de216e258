module github.com/libtasklist/libtasklist/examples/go-v2

go 1.24

require github.com/libtasklist/libtasklist/bindings/go v0.0.0

// Build against the binding in this repository (and through it the
// libtasklist.a built by cargo) instead of a published version.
replace github.com/libtasklist/libtasklist/bindings/go => ../../bindings/go
