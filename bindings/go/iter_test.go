package tasklist_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

// cursorServer answers every task search with a full page of two tasks,
// the last one ending with the cursor next(searchAfter sent) ("" for none).
func cursorServer(t *testing.T, next func(after string) string) (string, *atomic.Int64) {
	t.Helper()
	var pages atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		body, _ := io.ReadAll(r.Body)
		var query struct {
			SearchAfter []string `json:"searchAfter"`
		}
		if err := json.Unmarshal(body, &query); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		cursor := next(strings.Join(query.SearchAfter, ","))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `[{"id":"1","sortValues":["x"]},{"id":"2","sortValues":[%q]}]`, cursor)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &pages
}

// walkTasks runs the Tasks iterator to its end and returns the error it
// yielded; it fails the test if the iteration is still going after 30 s.
func walkTasks(t *testing.T, base string) error {
	t.Helper()
	c := newClient(t, tasklist.Options{BaseURL: base})
	done := make(chan error, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for _, err := range c.Tasks(ctx(), json.RawMessage(`{"pageSize":2}`)) {
			if err != nil {
				done <- err
				return
			}
			select {
			case <-stop:
				return
			default:
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("Tasks was still iterating after 30 s")
		return nil
	}
}

func TestTasksStopsAtACursorThatComesBack(t *testing.T) {
	t.Parallel()
	// A, B, A, B, ...: every cursor differs from the one before it.
	base, pages := cursorServer(t, func(after string) string {
		if after == "A" {
			return "B"
		}
		return "A"
	})
	err := walkTasks(t, base)
	if !errors.Is(err, tasklist.ErrDecode) {
		t.Fatalf("got %v, want ErrDecode", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "page 3 repeated") || !strings.Contains(msg, "of page 1") {
		t.Errorf("message %q does not name the pages", msg)
	}
	if n := pages.Load(); n != 3 {
		t.Errorf("%d pages fetched, want 3", n)
	}
}

func TestTasksStopsAtACursorThatDoesNotMove(t *testing.T) {
	t.Parallel()
	base, pages := cursorServer(t, func(string) string { return "A" })
	err := walkTasks(t, base)
	if !errors.Is(err, tasklist.ErrDecode) || !strings.Contains(err.Error(), "page 2 repeated") {
		t.Fatalf("got %v, want ErrDecode for page 2", err)
	}
	if n := pages.Load(); n != 2 {
		t.Errorf("%d pages fetched, want 2", n)
	}
}
