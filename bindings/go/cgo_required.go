//go:build !cgo

package tasklist

// This package calls libtasklist, a C library, through cgo: without cgo
// (CGO_ENABLED=0, or no C compiler found) it cannot be built, and the
// compiler says so here, with the fix in the name.
var _ = libtasklist_needs_cgo_build_with_CGO_ENABLED_1_and_a_C_compiler
