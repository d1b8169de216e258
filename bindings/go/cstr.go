package tasklist

/*
#include <stdlib.h>
#include <string.h>
#include <tasklist.h>
*/
import "C"

import (
	"encoding/json"
	"strings"
	"unsafe"
)

// cStrings collects the C copies of Go strings made for one call so they
// can all be released with one deferred free. The library only borrows them
// for the duration of the call.
type cStrings []*C.char

// add copies s into C memory. what names the argument for the error: a Go
// string may contain a NUL byte, which C would silently treat as the end of
// the string, so such a string is refused instead of truncated.
func (cs *cStrings) add(what, s string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, usageError("%s contains a NUL byte", what)
	}
	p := C.CString(s) // allocated with C malloc by cgo, so C.free is right
	*cs = append(*cs, p)
	return p, nil
}

// addJSON is add for an optional JSON body: nil (or empty) becomes a NULL
// pointer, which the library reads as "no body" / "{}".
func (cs *cStrings) addJSON(what string, body []byte) (*C.char, error) {
	if len(body) == 0 {
		return nil, nil
	}
	return cs.add(what, string(body))
}

// free releases every copy; safe to call once after the C call returned.
func (cs *cStrings) free() {
	for _, p := range *cs {
		C.free(unsafe.Pointer(p))
	}
	*cs = nil
}

// takeString copies a string the library returned through char** and frees
// it with tasklist_string_free: it was allocated by Rust, so C.free would
// be wrong.
func takeString(p *C.char) json.RawMessage {
	if p == nil {
		return nil
	}
	defer C.tasklist_string_free(p)
	// unsafe.Slice instead of C.GoBytes: GoBytes takes a C int length,
	// which a response limit above 2 GiB would overflow.
	n := int(C.strlen(p))
	out := make(json.RawMessage, n)
	copy(out, unsafe.Slice((*byte)(unsafe.Pointer(p)), n))
	return out
}
