package tasklist

// Internals that the external tests (package tasklist_test) check.

// LogPanics is how many log lines were lost to a panic in the callback.
func LogPanics() int64 { return logPanics.Load() }
