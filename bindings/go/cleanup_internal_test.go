package tasklist

import (
	"runtime"
	"testing"
	"time"
)

// A client that is dropped without Close is freed by its cleanup once the
// garbage collector finds it unreachable; a closed one is not freed twice
// (Close stops the cleanup). New makes no network traffic, so no server is
// needed here.
func TestCleanupFreesForgottenClient(t *testing.T) {
	closed, err := New(Options{BaseURL: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	closed = nil

	before := freedByCleanup.Load()
	for range 10 {
		if _, err := New(Options{BaseURL: "http://127.0.0.1:9"}); err != nil {
			t.Fatal(err)
		}
	}
	// Cleanups run on their own goroutine after a collection: poll.
	deadline := time.Now().Add(10 * time.Second)
	for freedByCleanup.Load()-before < 10 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := freedByCleanup.Load() - before; got != 10 {
		t.Errorf("cleanup freed %d of 10 forgotten clients (a closed client must not count)", got)
	}
}
