package tasklist

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// What a handler sees for each kind of record the library sends: the
// message, then the fields as attributes; null members are left out, and a
// record that is not about a request (a caught panic) has no request
// numbers.
func TestRecordFieldsBecomeAttributes(t *testing.T) {
	cases := []struct {
		level  uint32
		line   string
		fields string
		want   string
	}{
		{
			3, "POST /v1/tasks/search status=200 duration_ms=3 retries=0",
			`{"level":"info","target":"http","method":"POST","path":"/v1/tasks/search","status":200,"duration_ms":3,"retries":0,"retry_after_ms":null,"error":null,"message":"POST /v1/tasks/search"}`,
			`level=INFO msg="POST /v1/tasks/search" target=http method=POST path=/v1/tasks/search status=200 duration_ms=3 retries=0`,
		},
		{
			4, "token endpoint: POST /oauth/token status=503 retry=1 after_ms=250",
			`{"level":"debug","target":"auth","method":"POST","path":"/oauth/token","status":503,"duration_ms":12,"retries":1,"retry_after_ms":250,"error":null,"message":"token endpoint: POST /oauth/token"}`,
			`level=DEBUG msg="token endpoint: POST /oauth/token" target=auth method=POST path=/oauth/token status=503 duration_ms=12 retries=1 retry_after_ms=250`,
		},
		{
			// Quotes and '=' in the reason are just text: nothing parses it.
			2, `GET /v1/tasks/1 status=0 error=TASKLIST_ERR_CONNECT message="a \"b\" c=d" duration_ms=7 retries=0`,
			`{"level":"warn","target":"http","method":"GET","path":"/v1/tasks/1","status":0,"duration_ms":7,"retries":0,"retry_after_ms":null,"error":"TASKLIST_ERR_CONNECT","message":"GET /v1/tasks/1: a \"b\" c=d"}`,
			`level=WARN msg="GET /v1/tasks/1: a \"b\" c=d" target=http method=GET path=/v1/tasks/1 status=0 duration_ms=7 retries=0 error=TASKLIST_ERR_CONNECT`,
		},
		{
			1, "a bug inside libtasklist was caught: boom",
			`{"level":"error","target":"panic","method":null,"path":null,"status":0,"duration_ms":0,"retries":0,"retry_after_ms":null,"error":"TASKLIST_ERR_PANIC","message":"a bug inside libtasklist was caught: boom"}`,
			`level=ERROR msg="a bug inside libtasklist was caught: boom" target=panic error=TASKLIST_ERR_PANIC`,
		},
		{
			// Fields that do not decode (the library never sends such): the line.
			3, "some line", `{"message":`, `level=INFO msg="some line"`,
		},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		handler := slog.NewTextHandler(&buf, &slog.HandlerOptions{
			Level: slog.LevelDebug,
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Attr{}
				}
				return a
			},
		})
		(&logSink{logger: slog.New(handler)}).log(c.level, c.line, c.fields)
		if got := strings.TrimSpace(buf.String()); got != c.want {
			t.Errorf("fields %s\n got %s\nwant %s", c.fields, got, c.want)
		}
	}
}

// The logger's own level is asked before the fields are decoded.
func TestRecordsBelowTheLoggersLevelAreDropped(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	(&logSink{logger: logger}).log(3, "POST /x status=200", `{"message":"POST /x","target":"http"}`)
	if buf.Len() != 0 {
		t.Errorf("an INFO record reached a WARN handler: %s", buf.String())
	}
}

func TestLogLevelMapping(t *testing.T) {
	for level, want := range map[slog.Level]uint32{
		slog.LevelDebug - 4: 4, slog.LevelDebug: 4, slog.LevelDebug + 1: 3, slog.LevelInfo: 3,
		slog.LevelWarn: 2, slog.LevelError: 1, slog.LevelError + 4: 1,
	} {
		if got := cLogLevel(level); got != want {
			t.Errorf("cLogLevel(%v) = %d, want %d", level, got, want)
		}
	}
	for level, want := range map[uint32]slog.Level{1: slog.LevelError, 2: slog.LevelWarn, 3: slog.LevelInfo, 4: slog.LevelDebug, 9: slog.LevelDebug} {
		if got := slogLevel(level); got != want {
			t.Errorf("slogLevel(%d) = %v, want %v", level, got, want)
		}
	}
}
