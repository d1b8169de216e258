module github.com/libtasklist/libtasklist/bench/go

go 1.24

require github.com/libtasklist/libtasklist/bindings/go v0.0.0

// The binding of this repository, linked statically with target/release/libtasklist.a.
replace github.com/libtasklist/libtasklist/bindings/go => ../../bindings/go
