package tasklist_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

// The log sink is process-wide, so the tests here are not parallel: Go runs
// them while every parallel test is paused, and they restore the default
// sink before they end.

// record is one slog record as a recorder saw it.
type record struct {
	level slog.Level
	msg   string
	attrs map[string]any
	text  string // the record as slog's text handler writes it
}

// recorder is a slog.Handler that keeps every record; it may be called from
// several goroutines at once.
type recorder struct {
	mu      sync.Mutex
	records []record
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }

func (r *recorder) Handle(ctx context.Context, rec slog.Record) error {
	got := record{level: rec.Level, msg: rec.Message, attrs: map[string]any{}}
	rec.Attrs(func(a slog.Attr) bool {
		got.attrs[a.Key] = a.Value.Any()
		return true
	})
	var buf bytes.Buffer
	if err := slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}).Handle(ctx, rec); err != nil {
		return err
	}
	got.text = buf.String()
	r.mu.Lock()
	r.records = append(r.records, got)
	r.mu.Unlock()
	return nil
}

func (r *recorder) snapshot() []record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]record(nil), r.records...)
}

// find returns the first record with every attribute of want.
func (r *recorder) find(level slog.Level, want map[string]any) (record, bool) {
	for _, rec := range r.snapshot() {
		if rec.level != level {
			continue
		}
		ok := true
		for k, v := range want {
			if rec.attrs[k] != v {
				ok = false
				break
			}
		}
		if ok {
			return rec, true
		}
	}
	return record{}, false
}

func (r *recorder) dump(t *testing.T) {
	t.Helper()
	for _, rec := range r.snapshot() {
		t.Logf("record: %s", strings.TrimSpace(rec.text))
	}
}

// setLogger installs a recorder for this test and restores the default
// sink at its end.
func setLogger(t *testing.T, level slog.Level) *recorder {
	t.Helper()
	rec := &recorder{}
	tasklist.SetLogger(slog.New(rec), level)
	t.Cleanup(func() { tasklist.SetLogger(nil, 0) })
	return rec
}

// fetchToken gets an access token from the emulator with plain net/http.
func fetchToken(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.PostForm(base+"/oauth/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {"tasklist-client"},
		"client_secret": {"tasklist-secret"}, "audience": {"tasklist.camunda.io"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var token struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&token); err != nil || token.AccessToken == "" {
		t.Fatalf("token endpoint: %v", err)
	}
	return token.AccessToken
}

func TestSetLoggerRecordsRequests(t *testing.T) {
	base := startEmulator(t)
	token := fetchToken(t, base)
	rec := setLogger(t, slog.LevelDebug)
	defer func() {
		if t.Failed() {
			rec.dump(t)
		}
	}()

	oauth := newClient(t, oauthOptions(base))
	if _, err := oauth.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
		t.Fatalf("SearchTasks: %v", err)
	}
	bearer := newClient(t, tasklist.Options{BaseURL: base, BearerToken: token})
	if _, err := bearer.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
		t.Fatalf("SearchTasks with a bearer token: %v", err)
	}
	// One 503 then success: a Debug line for the retry.
	admin(t, base, "POST", "faults", `{"target":"api","status":503,"count":1}`)
	if _, err := oauth.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
		t.Fatalf("SearchTasks after one 503: %v", err)
	}

	if r, ok := rec.find(slog.LevelInfo, map[string]any{"target": "auth", "method": "POST", "path": "/oauth/token", "status": int64(200)}); !ok {
		t.Error("no Info record of the token fetch")
	} else if !strings.Contains(r.msg, "token endpoint") {
		t.Errorf("token fetch record has message %q", r.msg)
	}
	r, ok := rec.find(slog.LevelInfo, map[string]any{"target": "http", "method": "POST", "path": "/v1/tasks/search", "status": int64(200), "retries": int64(0)})
	if !ok {
		t.Error("no Info record of the search with method, path and status")
	} else {
		if r.msg != "POST /v1/tasks/search" {
			t.Errorf("search record has message %q", r.msg)
		}
		if _, ok := r.attrs["duration_ms"].(int64); !ok {
			t.Errorf("duration_ms is %T, want int64", r.attrs["duration_ms"])
		}
		for _, key := range []string{"error", "retry_after_ms", "message"} {
			if v, ok := r.attrs[key]; ok {
				t.Errorf("a successful search has attribute %s=%v", key, v)
			}
		}
	}
	if r, ok := rec.find(slog.LevelDebug, map[string]any{"path": "/v1/tasks/search", "status": int64(503), "retries": int64(1)}); !ok {
		t.Error("no Debug record of the retry after a 503")
	} else if _, ok := r.attrs["retry_after_ms"].(int64); !ok {
		t.Errorf("the retry's retry_after_ms is %T, want int64", r.attrs["retry_after_ms"])
	}
	if _, ok := rec.find(slog.LevelInfo, map[string]any{"path": "/v1/tasks/search", "status": int64(200), "retries": int64(1)}); !ok {
		t.Error("no Info record of the search that needed one retry")
	}
	for _, r := range rec.snapshot() {
		if strings.Contains(r.text, "tasklist-secret") || strings.Contains(r.text, token) {
			t.Errorf("a log record holds a secret: %s", r.text)
		}
	}

	// Back to the default sink: no more records.
	tasklist.SetLogger(nil, 0)
	n := len(rec.snapshot())
	if _, err := oauth.SearchTasks(ctx(), nil); err != nil {
		t.Fatalf("SearchTasks: %v", err)
	}
	if got := len(rec.snapshot()); got != n {
		t.Errorf("%d records after SetLogger(nil)", got-n)
	}
}

func TestSetLoggerLevelFilters(t *testing.T) {
	rec := setLogger(t, slog.LevelWarn)
	ok := newClient(t, oauthOptions(sharedURL))
	if _, err := ok.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
		t.Fatalf("SearchTasks: %v", err)
	}
	if n := len(rec.snapshot()); n != 0 {
		rec.dump(t)
		t.Fatalf("%d records for successful calls at level Warn", n)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	refused := newClient(t, tasklist.Options{BaseURL: "http://" + addr, MaxRetries: tasklist.Retries(0)})
	if _, err := refused.GetTask(ctx(), "1"); err == nil {
		t.Fatal("GetTask on a closed port succeeded")
	}
	r, found := rec.find(slog.LevelWarn, map[string]any{"method": "GET", "path": "/v1/tasks/1", "status": int64(0), "error": "TASKLIST_ERR_CONNECT"})
	if !found {
		rec.dump(t)
		t.Fatal("no Warn record of the refused connection")
	}
	if reason, ok := strings.CutPrefix(r.msg, "GET /v1/tasks/1: "); !ok || reason == "" || strings.HasPrefix(reason, `"`) {
		t.Errorf("message %q, want the request, then the reason without quotes", r.msg)
	}
	if r.attrs["target"] != "http" {
		t.Errorf("target %v, want http", r.attrs["target"])
	}
}

// Installing and removing loggers while requests log from many goroutines:
// each handle must stay valid while its callback can run (the race detector
// and LogPanics would show otherwise), and after SetLogger(nil) nothing is
// recorded any more.
func TestSetLoggerWhileLogging(t *testing.T) {
	c := newClient(t, oauthOptions(sharedURL))
	if err := c.Login(ctx()); err != nil {
		t.Fatal(err)
	}
	panicsBefore := tasklist.LogPanics()
	recs := []*recorder{{}, {}}
	t.Cleanup(func() { tasklist.SetLogger(nil, 0) })

	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := c.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	// Switch until both recorders have seen lines (so the switches really
	// happened under load), at least 200 times.
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; i < 200 || len(recs[0].snapshot()) < 5 || len(recs[1].snapshot()) < 5; i++ {
		if time.Now().After(deadline) {
			t.Errorf("after %d switches the recorders saw %d and %d lines", i, len(recs[0].snapshot()), len(recs[1].snapshot()))
			break
		}
		if i%3 == 2 {
			tasklist.SetLogger(nil, 0)
		} else {
			tasklist.SetLogger(slog.New(recs[i%2]), slog.LevelInfo)
		}
		time.Sleep(200 * time.Microsecond)
	}
	tasklist.SetLogger(nil, 0)
	counts := []int{len(recs[0].snapshot()), len(recs[1].snapshot())}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("SearchTasks: %v", err)
	}
	if got := []int{len(recs[0].snapshot()), len(recs[1].snapshot())}; got[0] != counts[0] || got[1] != counts[1] {
		t.Errorf("records after SetLogger(nil): %v, then %v", counts, got)
	}
	if n := tasklist.LogPanics() - panicsBefore; n != 0 {
		t.Errorf("%d log lines were lost to a panic in the callback", n)
	}
}

// A handler that panics loses its line; the request and the process are
// unaffected.
func TestSetLoggerPanickingHandler(t *testing.T) {
	tasklist.SetLogger(slog.New(panicHandler{}), slog.LevelInfo)
	t.Cleanup(func() { tasklist.SetLogger(nil, 0) })
	before := tasklist.LogPanics()
	c := newClient(t, oauthOptions(sharedURL))
	if _, err := c.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
		t.Fatalf("SearchTasks: %v", err)
	}
	if tasklist.LogPanics() == before {
		t.Error("the handler's panic was not counted")
	}
}

type panicHandler struct{}

func (panicHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (panicHandler) Handle(context.Context, slog.Record) error { panic("handler bug") }
func (h panicHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h panicHandler) WithGroup(string) slog.Handler           { return h }
