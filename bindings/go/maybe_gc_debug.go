//go:build tasklist_debug

package tasklist

import "runtime"

// maybeGC forces a collection right before each C call when built with
// -tags tasklist_debug (the wasmtime-go technique): if a method forgot
// runtime.KeepAlive, the client's cleanup could then free the C client
// during the call, and the tests would crash instead of passing by luck.
func maybeGC() { runtime.GC() }
