//go:build !tasklist_debug

package tasklist

// maybeGC does nothing in normal builds; see maybe_gc_debug.go.
func maybeGC() {}
