package tasklist

/*
#include <stdint.h>
#include <tasklist.h>

// Defined in log_export.go (//export); the prototype matches _cgo_export.h.
extern void tasklistGoLog(uint32_t level, char *line, char *fields_json, uintptr_t handle);

// The callback given to the library. It has the exact
// tasklist_log_record_callback type and hands the userdata back to Go as
// the integer it is (a cgo.Handle), so no Go pointer ever passes through C.
static void tasklist_go_log_callback(uint32_t level, const char *line,
                                     const char *fields_json, void *userdata) {
	tasklistGoLog(level, (char *)line, (char *)fields_json, (uintptr_t)userdata);
}

// Installs the Go callback with handle as userdata, or restores the default
// sink when handle is 0 (a cgo.Handle is never 0). The conversion of the
// handle to a pointer happens here, in C, where it is an ordinary integer.
static tasklist_status tasklist_go_set_log(uint32_t level, uintptr_t handle) {
	if (handle == 0) {
		return tasklist_set_log_record_callback(TASKLIST_LOG_ERROR, NULL, NULL);
	}
	return tasklist_set_log_record_callback(level, tasklist_go_log_callback, (void *)handle);
}
*/
import "C"

import (
	"context"
	"encoding/json"
	"log/slog"
	"runtime/cgo"
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

// SetLogger sends libtasklist's log records to logger, for the whole
// process and every Client (the library has one log sink per process).
// Records at level and more severe are forwarded: slog.LevelDebug forwards
// every record including each retry, slog.LevelInfo one per HTTP exchange
// (token fetches and logins included), slog.LevelWarn only failed exchanges
// (5xx, 429, transport errors), slog.LevelError only bugs caught inside the
// library. The logger's handler may filter further.
//
// Each library record becomes one slog record at the matching level. Its
// message says what happened ("POST /v1/tasks/search", "token endpoint:
// POST /oauth/token", followed for a failure by ": " and the reason); its
// attributes are the library's fields: "target" ("http" for the Tasklist
// API, "auth" for the token endpoint and the login, "panic"), then for a
// request "method", "path" (without the query), "status" (0 when there was
// no answer), "duration_ms" and "retries" (numbers as int64), on a record
// that announces a retry "retry_after_ms", and on a failure "error" (the
// code's name, e.g. "TASKLIST_ERR_CONNECT"). Records never hold secrets: no
// bodies, headers, query strings, tokens or passwords.
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

// logFields is the JSON object of tasklist_log_record_callback. Members
// that are null (method and path on a record that is not about a request,
// retry_after_ms on a record that does not announce a retry, error on one
// that got an answer) stay nil.
type logFields struct {
	Target       string  `json:"target"`
	Method       *string `json:"method"`
	Path         *string `json:"path"`
	Status       int64   `json:"status"`
	DurationMS   int64   `json:"duration_ms"`
	Retries      int64   `json:"retries"`
	RetryAfterMS *int64  `json:"retry_after_ms"`
	Error        *string `json:"error"`
	Message      string  `json:"message"`
}

// attrs are the record's fields as slog attributes, in the header's order;
// the request's numbers only when the record is about a request.
func (f *logFields) attrs() []slog.Attr {
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs, slog.String("target", f.Target))
	if f.Method != nil {
		attrs = append(attrs, slog.String("method", *f.Method))
	}
	if f.Path != nil {
		attrs = append(attrs, slog.String("path", *f.Path))
	}
	if f.Method != nil || f.Path != nil {
		attrs = append(attrs, slog.Int64("status", f.Status),
			slog.Int64("duration_ms", f.DurationMS), slog.Int64("retries", f.Retries))
	}
	if f.RetryAfterMS != nil {
		attrs = append(attrs, slog.Int64("retry_after_ms", *f.RetryAfterMS))
	}
	if f.Error != nil {
		attrs = append(attrs, slog.String("error", *f.Error))
	}
	return attrs
}

// log turns one record into a slog record: its message is the record's
// message, its attributes the other fields. fields is decoded only when
// the logger takes the level. Should it not decode (it always does), the
// line is logged as the message, without attributes.
func (s *logSink) log(level uint32, line, fields string) {
	ctx := context.Background()
	l := slogLevel(level)
	if !s.logger.Enabled(ctx, l) {
		return
	}
	var f logFields
	if err := json.Unmarshal([]byte(fields), &f); err != nil || f.Message == "" {
		s.logger.LogAttrs(ctx, l, line)
		return
	}
	s.logger.LogAttrs(ctx, l, f.Message, f.attrs()...)
}
