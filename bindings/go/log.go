package tasklist

/*
#include <stdint.h>
#include <tasklist.h>

// Defined in log_export.go (//export); the prototype matches _cgo_export.h.
extern void tasklistGoLog(uint32_t level, char *message, uintptr_t handle);

// The callback given to the library. It has the exact tasklist_log_callback
// type and hands the userdata back to Go as the integer it is (a
// cgo.Handle), so no Go pointer ever passes through C.
static void tasklist_go_log_callback(uint32_t level, const char *message, void *userdata) {
	tasklistGoLog(level, (char *)message, (uintptr_t)userdata);
}

// Installs the Go callback with handle as userdata, or restores the default
// sink when handle is 0 (a cgo.Handle is never 0). The conversion of the
// handle to a pointer happens here, in C, where it is an ordinary integer.
static tasklist_status tasklist_go_set_log(uint32_t level, uintptr_t handle) {
	if (handle == 0) {
		return tasklist_set_log_callback(TASKLIST_LOG_ERROR, NULL, NULL);
	}
	return tasklist_set_log_callback(level, tasklist_go_log_callback, (void *)handle);
}
*/
import "C"

import (
	"context"
	"log/slog"
	"runtime/cgo"
	"strconv"
	"strings"
	"sync"
)

// logMu serializes SetLogger; logHandle is the handle of the installed
// logSink (0: the library's default sink). Both only change under logMu.
var (
	logMu     sync.Mutex
	logHandle cgo.Handle
)

// logSink is what the C callback reaches through its handle.
type logSink struct {
	logger *slog.Logger
}

// SetLogger sends libtasklist's log lines to logger, for the whole process
// and every Client (the library has one log sink per process). Lines at
// level and more severe are forwarded: slog.LevelDebug forwards every line
// including each retry, slog.LevelInfo one line per HTTP exchange (token
// fetches and logins included), slog.LevelWarn only failed exchanges (5xx,
// 429, transport errors), slog.LevelError only failures that end a call.
// The logger's handler may filter further.
//
// Each line becomes one record at the matching slog level. Its key=value
// pairs become attributes (whole numbers as int64, quoted values without
// their quotes); the words before them ("POST /v1/tasks/search", or
// "token endpoint: POST /oauth/token") are the message, and when they end
// in a method and a path those are added as "method" and "path". Lines
// never hold secrets: no bodies, headers, query strings, tokens or
// passwords.
//
// The handler is called on the goroutine that makes the request, possibly
// from several at once, so it must be safe for concurrent use. It must not
// call this package (no Client methods, no SetLogger: that could deadlock)
// and should be quick, as the request waits for it. A handler that panics
// loses the line rather than crashing the process.
//
// SetLogger(nil, ...) restores the library's default: standard error,
// filtered by the TASKLIST_LOG environment variable (error, warn, info,
// debug; unset means nothing). When SetLogger returns, the previous logger
// is not running and will not be called again. SetLogger is safe to call
// from several goroutines.
func SetLogger(logger *slog.Logger, level slog.Level) {
	logMu.Lock()
	defer logMu.Unlock()
	var h cgo.Handle
	if logger != nil {
		h = cgo.NewHandle(&logSink{logger: logger})
	}
	status := C.tasklist_go_set_log(C.uint32_t(cLogLevel(level)), C.uintptr_t(h))
	if status != C.TASKLIST_OK {
		// Only an invalid level is refused, and cLogLevel gives none; the
		// previous sink then stays installed, and so does its handle.
		if h != 0 {
			h.Delete()
		}
		return
	}
	// The library no longer calls the previous callback: its handle may go.
	if logHandle != 0 {
		logHandle.Delete()
	}
	logHandle = h
}

// cLogLevel maps the least severe slog level to forward onto TASKLIST_LOG_*.
func cLogLevel(level slog.Level) uint32 {
	switch {
	case level <= slog.LevelDebug:
		return C.TASKLIST_LOG_DEBUG
	case level <= slog.LevelInfo:
		return C.TASKLIST_LOG_INFO
	case level <= slog.LevelWarn:
		return C.TASKLIST_LOG_WARN
	default:
		return C.TASKLIST_LOG_ERROR
	}
}

// slogLevel maps a TASKLIST_LOG_* value onto slog; an unknown (newer) level
// is treated as Debug.
func slogLevel(level uint32) slog.Level {
	switch level {
	case C.TASKLIST_LOG_ERROR:
		return slog.LevelError
	case C.TASKLIST_LOG_WARN:
		return slog.LevelWarn
	case C.TASKLIST_LOG_INFO:
		return slog.LevelInfo
	default:
		return slog.LevelDebug
	}
}

func (s *logSink) log(level uint32, line string) {
	ctx := context.Background()
	l := slogLevel(level)
	if !s.logger.Enabled(ctx, l) {
		return
	}
	msg, attrs := parseLogLine(line)
	s.logger.LogAttrs(ctx, l, msg, attrs...)
}

// parseLogLine splits a library log line, e.g.
//
//	POST /v1/tasks/search status=200 duration_ms=3 retries=0
//	token endpoint: POST /oauth/token status=0 error=TASKLIST_ERR_CONNECT message="connection refused"
//
// into the message (the words that are not key=value pairs) and attributes.
// A line without pairs is all message.
func parseLogLine(line string) (string, []slog.Attr) {
	var words []string
	var attrs []slog.Attr
	rest := strings.TrimSpace(line)
	for rest != "" {
		key, value, quoted, next, ok := nextPair(rest)
		if !ok {
			word, after, _ := strings.Cut(rest, " ")
			words = append(words, word)
			rest = strings.TrimLeft(after, " ")
			continue
		}
		if n, err := strconv.ParseInt(value, 10, 64); err == nil && !quoted {
			attrs = append(attrs, slog.Int64(key, n))
		} else {
			attrs = append(attrs, slog.String(key, value))
		}
		rest = strings.TrimLeft(next, " ")
	}
	// "... POST /v1/tasks/search": name the method and path, unless the
	// line already has them as pairs.
	if n := len(words); n >= 2 && isMethod(words[n-2]) && strings.HasPrefix(words[n-1], "/") && !hasKey(attrs, "method") {
		attrs = append([]slog.Attr{slog.String("method", words[n-2]), slog.String("path", words[n-1])}, attrs...)
	}
	return strings.Join(words, " "), attrs
}

// nextPair reads a key=value pair at the start of s. A value is a word, or
// a quoted text that ends at a quote followed by the end of the line or by
// another pair (the library does not escape quotes inside it).
func nextPair(s string) (key, value string, quoted bool, rest string, ok bool) {
	if !startsWithKey(s) {
		return "", "", false, "", false
	}
	key, s, _ = strings.Cut(s, "=")
	if !strings.HasPrefix(s, `"`) {
		value, rest, _ = strings.Cut(s, " ")
		return key, value, false, rest, true
	}
	body := s[1:]
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		after := body[i+1:]
		if after == "" {
			return key, body[:i], true, "", true
		}
		if after[0] == ' ' && startsWithKey(strings.TrimLeft(after, " ")) {
			return key, body[:i], true, after, true
		}
	}
	// No closing quote: the value is the rest of the line.
	return key, body, true, "", true
}

// startsWithKey reports whether s starts with "key=", key being a word
// without spaces (and not a path or URL: no '/' or ':').
func startsWithKey(s string) bool {
	word, _, _ := strings.Cut(s, " ")
	key, _, found := strings.Cut(word, "=")
	return found && isKey(key)
}

func isKey(s string) bool {
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '.' || r == '-'):
		default:
			return false
		}
	}
	return s != ""
}

func isMethod(s string) bool {
	switch s {
	case "GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS":
		return true
	}
	return false
}

func hasKey(attrs []slog.Attr, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}
