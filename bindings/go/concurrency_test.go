package tasklist_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

// One client shared by 32 goroutines: every answer must be the one asked
// for (no crossed results or errors between goroutines), and the client
// fetches one token for all of them.
func TestClientSharedBy32Goroutines(t *testing.T) {
	t.Parallel()
	base := startEmulator(t)
	ids := landmarks(t, base)
	c := newClient(t, oauthOptions(base))
	taskIDs := []string{ids["unassignedTaskId"], ids["completedTaskId"], ids["linkedFormTaskId"], ids["allTypesTaskId"]}

	const goroutines, rounds = 32, 8
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				want := taskIDs[(g+r)%len(taskIDs)]
				if err := checkOneRound(c, want, g); err != nil {
					errs <- fmt.Errorf("goroutine %d round %d: %w", g, r, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := counter(t, base, "token_successes"); n != 1 {
		t.Errorf("%v tokens fetched, want 1 shared by all goroutines", n)
	}
}

func checkOneRound(c *tasklist.Client, taskID string, g int) error {
	raw, err := c.GetTask(ctx(), taskID)
	if err != nil {
		return err
	}
	task, err := tasklist.DecodeTask(raw)
	if err != nil {
		return err
	}
	if task.ID != taskID {
		return fmt.Errorf("asked for task %s, got %s", taskID, task.ID)
	}
	// Errors travel through an out-parameter, so each goroutine sees its
	// own, whichever OS thread it ran on.
	missing := fmt.Sprintf("9%d", g)
	if _, err := c.GetTask(ctx(), missing); !errors.Is(err, tasklist.ErrNotFound) {
		return fmt.Errorf("GetTask(%s): got %v, want ErrNotFound", missing, err)
	}
	var e *tasklist.Error
	if errors.As(err, &e) && !json.Valid([]byte(e.Body)) {
		return fmt.Errorf("error body is not JSON: %q", e.Body)
	}
	raw, err = c.SearchTasks(ctx(), json.RawMessage(`{"pageSize":3}`))
	if err != nil {
		return err
	}
	if tasks, err := tasklist.DecodeTasks(raw); err != nil || len(tasks) != 3 {
		return fmt.Errorf("search gave %d tasks (%v)", len(tasks), err)
	}
	return nil
}

// Close while other goroutines are calling: each call either succeeds or
// returns ErrClosed, nothing crashes, and Close may be called many times
// from many goroutines.
func TestCloseDuringUse(t *testing.T) {
	t.Parallel()
	base := startEmulator(t)
	c, err := tasklist.New(oauthOptions(base))
	if err != nil {
		t.Fatal(err)
	}
	const callers = 16
	var successes atomic.Int64
	started := make(chan struct{})
	var startOnce sync.Once
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := c.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`))
				switch {
				case err == nil:
					if successes.Add(1) >= callers {
						startOnce.Do(func() { close(started) })
					}
				case errors.Is(err, tasklist.ErrClosed):
					return
				default:
					errs <- err
					return
				}
			}
		}()
	}
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()
	select {
	case <-started: // the client is in real use by now
	case <-allDone: // every caller failed before Close: reported below
	}
	var closers sync.WaitGroup
	for range 4 {
		closers.Add(1)
		go func() {
			defer closers.Done()
			if err := c.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}()
	}
	closers.Wait()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a call failed with %v; want success or ErrClosed", err)
	}
	if _, err := c.GetTask(ctx(), "1"); !errors.Is(err, tasklist.ErrClosed) {
		t.Errorf("after Close: got %v, want ErrClosed", err)
	}
	for _, err := range c.Tasks(ctx(), nil) {
		if !errors.Is(err, tasklist.ErrClosed) {
			t.Errorf("Tasks after Close: got %v, want ErrClosed", err)
		}
	}
	if err := c.Login(ctx()); !errors.Is(err, tasklist.ErrClosed) {
		t.Errorf("Login after Close: got %v, want ErrClosed", err)
	}
}
