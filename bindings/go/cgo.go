package tasklist

// The only file with #cgo directives. Go conditions a #cgo line on build
// tags as well as on GOOS/GOARCH, so both link modes live here:
//
//   - default: the header and the prebuilt static library inside this
//     module, include/tasklist.h and lib/<GOOS>_<GOARCH>/libtasklist.a, plus
//     the system libraries a Rust staticlib needs (from `cargo rustc
//     --crate-type staticlib -- --print native-static-libs`). The Go binary
//     then needs no libtasklist.so at run time. A release's module zip
//     carries them, so `go get` and `go mod vendor` work without cargo; in a
//     checkout, `make go-module` copies them from cargo's release build
//     (`make test-go` does so first). Another platform is one more LDFLAGS
//     line, its lib/<GOOS>_<GOARCH>/ package (for go mod vendor) and a line in
//     vendor_files.go and unsupported_platform.go.
//   - tag tasklist_dynamic: whatever `pkg-config tasklist` says (the
//     tasklist.pc that `make install` writes), for system installs.

/*
#cgo !tasklist_dynamic CFLAGS: -I${SRCDIR}/include
#cgo !tasklist_dynamic,linux,amd64 LDFLAGS: ${SRCDIR}/lib/linux_amd64/libtasklist.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
#cgo tasklist_dynamic pkg-config: tasklist

#include <tasklist.h>

// This binding was written against ABI 1. A header with another ABI version
// means the functions below may have other signatures: refuse to build
// rather than call them wrongly.
#if TASKLIST_ABI_VERSION != 1
#error "bindings/go supports TASKLIST_ABI_VERSION 1 only"
#endif
*/
import "C"

// abiVersion is the ABI this package was compiled against (checked by the
// #error above); New compares it with the loaded library's, which matters
// when linking dynamically.
const abiVersion = 1

func loadedABIVersion() uint32 { return uint32(C.tasklist_abi_version()) }
