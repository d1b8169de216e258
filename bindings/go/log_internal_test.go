package tasklist

import (
	"log/slog"
	"reflect"
	"testing"
)

func TestParseLogLine(t *testing.T) {
	cases := []struct {
		line  string
		msg   string
		attrs []slog.Attr
	}{
		{
			"POST /v1/tasks/search status=200 duration_ms=3 retries=0",
			"POST /v1/tasks/search",
			[]slog.Attr{slog.String("method", "POST"), slog.String("path", "/v1/tasks/search"),
				slog.Int64("status", 200), slog.Int64("duration_ms", 3), slog.Int64("retries", 0)},
		},
		{
			"token endpoint: POST /oauth/token status=503 retry=1 after_ms=250",
			"token endpoint: POST /oauth/token",
			[]slog.Attr{slog.String("method", "POST"), slog.String("path", "/oauth/token"),
				slog.Int64("status", 503), slog.Int64("retry", 1), slog.Int64("after_ms", 250)},
		},
		{
			// Quotes inside a quoted value are not escaped by the library.
			`GET /v1/tasks/1 status=0 error=TASKLIST_ERR_CONNECT message="cannot "connect": refused a=b" duration_ms=7`,
			"GET /v1/tasks/1",
			[]slog.Attr{slog.String("method", "GET"), slog.String("path", "/v1/tasks/1"),
				slog.Int64("status", 0), slog.String("error", "TASKLIST_ERR_CONNECT"),
				slog.String("message", `cannot "connect": refused a=b`), slog.Int64("duration_ms", 7)},
		},
		{`x message="unterminated`, "x", []slog.Attr{slog.String("message", "unterminated")}},
		{`n="42"`, "", []slog.Attr{slog.String("n", "42")}},
		{"method=PUT path=/v1/x status=204", "",
			[]slog.Attr{slog.String("method", "PUT"), slog.String("path", "/v1/x"), slog.Int64("status", 204)}},
		{"just a sentence", "just a sentence", nil},
		{"", "", nil},
	}
	for _, c := range cases {
		msg, attrs := parseLogLine(c.line)
		if msg != c.msg || !reflect.DeepEqual(attrs, c.attrs) {
			t.Errorf("parseLogLine(%q)\n got %q %v\nwant %q %v", c.line, msg, attrs, c.msg, c.attrs)
		}
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
