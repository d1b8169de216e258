//go:build cgo && !tasklist_dynamic && !(linux && amd64)

package tasklist

// The module carries a prebuilt libtasklist.a for linux/amd64 only (see
// cgo.go). On another platform, install libtasklist (make install) and
// build with -tags tasklist_dynamic; the compiler says so here.
var _ = libtasklist_has_no_prebuilt_library_for_this_platform_build_with_tags_tasklist_dynamic
