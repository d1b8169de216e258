package tasklist

// The Go side of the log callback. This file has an //export, so cgo allows
// only declarations in its preamble: the C function that the library calls
// (tasklist_go_log_callback) is defined in log.go, and the prototype of the
// exported function below is declared there as well.

/*
#include <stdint.h>
*/
import "C"

import (
	"runtime/cgo"
	"sync/atomic"
)

// logPanics counts log records lost to a panic (a handler's, or a bad handle
// if SetLogger ever freed one too early), so tests can see them.
var logPanics atomic.Int64

// tasklistGoLog receives every log record while a logger set by SetLogger
// is installed. It runs on whichever thread makes a request, possibly on
// several at once. handle is the cgo.Handle of the installed *logSink; the
// library guarantees it is not called any more once
// tasklist_set_log_record_callback has returned, which is when SetLogger
// deletes the handle.
//
//export tasklistGoLog
func tasklistGoLog(level C.uint32_t, line, fieldsJSON *C.char, handle C.uintptr_t) {
	// A Go panic must not unwind through the C and Rust frames below us
	// (that would crash the process): a handler that panics loses the record.
	defer func() {
		if recover() != nil {
			logPanics.Add(1)
		}
	}()
	sink, ok := cgo.Handle(handle).Value().(*logSink)
	if !ok {
		return
	}
	// Both strings are borrowed for this call only: C.GoString copies them.
	sink.log(uint32(level), C.GoString(line), C.GoString(fieldsJSON))
}
