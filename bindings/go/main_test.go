package tasklist_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

// sharedURL is the base URL of the emulator TestMain starts. Tests must not
// change its data (they run in parallel); tests that do start their own
// emulator with startEmulator. Examples run after all tests and reset it.
var sharedURL string

func TestMain(m *testing.M) {
	emu, err := launchEmulator(legacy)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot start the Tasklist emulator:", err)
		os.Exit(1)
	}
	sharedURL = emu.url
	code := m.Run()
	stopExampleEmulators()
	emu.stop()
	os.Exit(code)
}

// emulatorPath is TASKLIST_EMULATOR, else the binary cargo builds in this
// repository (the test's working directory is bindings/go).
func emulatorPath() (string, error) {
	if p := os.Getenv("TASKLIST_EMULATOR"); p != "" {
		return p, nil
	}
	return filepath.Abs(filepath.Join("..", "..", "target", "release", "tasklist-emulator"))
}

type emulator struct {
	url   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// legacy is the emulator of before version profiles, which the v1 tests
// were written against (emulator/README.md, "legacy"); the v2 tests name a
// real Camunda version ("8.8", "8.9", "8.10", ...).
const legacy = "legacy"

// launchEmulator starts an emulator of a Camunda version on a free port. It
// exits when its stdin closes (--exit-on-stdin-eof), so it cannot outlive a
// crashed test binary.
func launchEmulator(version string, args ...string) (*emulator, error) {
	path, err := emulatorPath()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, append([]string{"--camunda-version", version, "--addr", "127.0.0.1:0", "--admin", "--exit-on-stdin-eof"}, args...)...)
	cmd.Stderr = io.Discard
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w (build it with: cargo build --release -p tasklist-emulator, or set TASKLIST_EMULATOR)", err)
	}
	// The first line is the base URL, printed once the port accepts
	// connections.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "http://") {
		stdin.Close()
		cmd.Wait()
		return nil, fmt.Errorf("emulator printed %q: %v", line, err)
	}
	return &emulator{url: strings.TrimSpace(line), cmd: cmd, stdin: stdin}, nil
}

func (e *emulator) stop() {
	e.stdin.Close()
	done := make(chan struct{})
	go func() { e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		e.cmd.Process.Kill()
		<-done
	}
}

// startEmulator gives a test its own emulator, stopped at the end of the
// test, for tests that change data, inject faults or need other flags.
func startEmulator(t *testing.T, args ...string) string {
	t.Helper()
	return startEmulatorVersion(t, legacy, args...)
}

// startEmulatorVersion is startEmulator for a chosen Camunda version.
func startEmulatorVersion(t *testing.T, version string, args ...string) string {
	t.Helper()
	emu, err := launchEmulator(version, args...)
	if err != nil {
		t.Fatalf("starting emulator: %v", err)
	}
	t.Cleanup(emu.stop)
	return emu.url
}

// oauthOptions are options for the emulator's default OAuth client.
func oauthOptions(base string) tasklist.Options {
	return tasklist.Options{
		BaseURL: base,
		OAuth: &tasklist.OAuth{
			TokenURL:     base + "/oauth/token",
			ClientID:     "tasklist-client",
			ClientSecret: "tasklist-secret",
		},
	}
}

func cookieOptions(base, user, password string) tasklist.Options {
	return tasklist.Options{BaseURL: base, Cookie: &tasklist.Cookie{Username: user, Password: password}}
}

// newClient creates a client that is closed at the end of the test.
func newClient(t *testing.T, opts tasklist.Options) *tasklist.Client {
	t.Helper()
	c, err := tasklist.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// admin calls the emulator's admin API (plain net/http: it is test
// plumbing, not something the binding offers).
func admin(t *testing.T, base, method, path, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, base+"/__emulator/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("admin %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("admin %s %s: status %d, %v", method, path, resp.StatusCode, err)
	}
	return out
}

// landmarks returns the ids of the seeded special cases (GET
// /__emulator/data), e.g. "unassignedTaskId".
func landmarks(t *testing.T, base string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range admin(t, base, "GET", "data", "") {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// counter reads one of the emulator's counters.
func counter(t *testing.T, base, name string) float64 {
	t.Helper()
	v, ok := admin(t, base, "GET", "counters", "")[name].(float64)
	if !ok {
		t.Fatalf("no counter %q", name)
	}
	return v
}

func ctx() context.Context { return context.Background() }

// logEntry is one request of the emulator's log (GET /__emulator/log).
type logEntry struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Status int    `json:"status"`
}

// adminLog returns the requests the emulator has seen, oldest first.
func adminLog(t *testing.T, base string) []logEntry {
	t.Helper()
	resp, err := http.Get(base + "/__emulator/log")
	if err != nil {
		t.Fatalf("admin log: %v", err)
	}
	defer resp.Body.Close()
	var entries []logEntry
	if err := json.NewDecoder(resp.Body).Decode(&entries); err != nil || resp.StatusCode != 200 {
		t.Fatalf("admin log: status %d, %v", resp.StatusCode, err)
	}
	return entries
}
