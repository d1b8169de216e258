module github.com/libtasklist/libtasklist/bindings/go

go 1.24
