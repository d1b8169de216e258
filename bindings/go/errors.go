package tasklist

/*
#include <tasklist.h>
*/
import "C"

import (
	"errors"
	"fmt"
)

// Code is a libtasklist status code (TASKLIST_ERR_* in tasklist.h). The
// numbers are stable: they are never renumbered or reused.
type Code int32

// The status codes of tasklist.h. A code this package does not know is
// treated like CodeInternal by Is.
const (
	CodeOK              Code = C.TASKLIST_OK
	CodeNullArgument    Code = C.TASKLIST_ERR_NULL_ARGUMENT
	CodeInvalidArgument Code = C.TASKLIST_ERR_INVALID_ARGUMENT
	CodeInvalidUTF8     Code = C.TASKLIST_ERR_INVALID_UTF8
	CodeInvalidJSON     Code = C.TASKLIST_ERR_INVALID_JSON
	CodeConnect         Code = C.TASKLIST_ERR_CONNECT
	CodeTimeout         Code = C.TASKLIST_ERR_TIMEOUT
	CodeTLS             Code = C.TASKLIST_ERR_TLS
	CodeIO              Code = C.TASKLIST_ERR_IO
	CodeBodyTooLarge    Code = C.TASKLIST_ERR_BODY_TOO_LARGE
	CodeBadRequest      Code = C.TASKLIST_ERR_BAD_REQUEST
	CodeUnauthorized    Code = C.TASKLIST_ERR_UNAUTHORIZED
	CodeForbidden       Code = C.TASKLIST_ERR_FORBIDDEN
	CodeNotFound        Code = C.TASKLIST_ERR_NOT_FOUND
	CodeConflict        Code = C.TASKLIST_ERR_CONFLICT
	CodeRateLimited     Code = C.TASKLIST_ERR_RATE_LIMITED
	CodeServer          Code = C.TASKLIST_ERR_SERVER
	CodeHTTP            Code = C.TASKLIST_ERR_HTTP
	CodeDecode          Code = C.TASKLIST_ERR_DECODE
	CodeUnsupported     Code = C.TASKLIST_ERR_UNSUPPORTED
	CodeAuthFailed      Code = C.TASKLIST_ERR_AUTH_FAILED
	CodeAuthUnavailable Code = C.TASKLIST_ERR_AUTH_UNAVAILABLE
	CodePanic           Code = C.TASKLIST_ERR_PANIC
	CodeInternal        Code = C.TASKLIST_ERR_INTERNAL
)

// String returns the macro name of the code, e.g. "TASKLIST_ERR_NOT_FOUND",
// or "TASKLIST_ERR_UNKNOWN" for a number the library does not know.
func (c Code) String() string {
	// tasklist_status_name returns a static string: nothing to free.
	return C.GoString(C.tasklist_status_name(C.tasklist_status(c)))
}

// Sentinel errors for errors.Is. A *Error matches the sentinel of its Code
// (see Error.Is), so callers can branch on the kind of failure without
// knowing the numbers:
//
//	if errors.Is(err, tasklist.ErrNotFound) { ... }
var (
	// ErrClosed is returned by every method of a Client after Close.
	ErrClosed = errors.New("tasklist: client is closed")
	// ErrABIMismatch is returned by New when the loaded shared library has
	// another ABI version than the one this package was compiled against.
	ErrABIMismatch = errors.New("tasklist: libtasklist ABI version mismatch")

	ErrInvalidArgument = errors.New("tasklist: invalid argument")               // CodeNullArgument, CodeInvalidArgument, CodeInvalidUTF8
	ErrInvalidJSON     = errors.New("tasklist: invalid JSON")                   // CodeInvalidJSON
	ErrConnect         = errors.New("tasklist: cannot connect")                 // CodeConnect
	ErrTimeout         = errors.New("tasklist: timeout")                        // CodeTimeout
	ErrTLS             = errors.New("tasklist: TLS failure")                    // CodeTLS
	ErrIO              = errors.New("tasklist: connection broken")              // CodeIO
	ErrBodyTooLarge    = errors.New("tasklist: response too large")             // CodeBodyTooLarge
	ErrBadRequest      = errors.New("tasklist: bad request")                    // CodeBadRequest (HTTP 400)
	ErrUnauthorized    = errors.New("tasklist: unauthorized")                   // CodeUnauthorized (HTTP 401)
	ErrForbidden       = errors.New("tasklist: forbidden")                      // CodeForbidden (HTTP 403)
	ErrNotFound        = errors.New("tasklist: not found")                      // CodeNotFound (HTTP 404)
	ErrConflict        = errors.New("tasklist: conflict")                       // CodeConflict (HTTP 409)
	ErrRateLimited     = errors.New("tasklist: rate limited")                   // CodeRateLimited (HTTP 429)
	ErrServer          = errors.New("tasklist: server error")                   // CodeServer (HTTP 5xx)
	ErrHTTP            = errors.New("tasklist: unexpected HTTP status")         // CodeHTTP
	ErrDecode          = errors.New("tasklist: unexpected answer")              // CodeDecode
	ErrUnsupported     = errors.New("tasklist: API not offered by this server") // CodeUnsupported
	ErrAuthFailed      = errors.New("tasklist: authentication failed")          // CodeAuthFailed
	ErrAuthUnavailable = errors.New("tasklist: authentication unavailable")
	ErrInternal        = errors.New("tasklist: internal library error") // CodePanic, CodeInternal, unknown codes
)

// Error is a failed libtasklist call. All fields are copies made when the
// call returned (the C error object is freed at once), so an *Error may be
// kept, compared and passed between goroutines freely.
type Error struct {
	Code       Code   // the status code the C function returned
	Message    string // one line; never contains a secret
	HTTPStatus int    // status of the answer that caused the error; 0 when there was none
	Body       string // the server's answer body (Tasklist's problem JSON), "" when there was none
}

// Error returns the library's message followed by the code name.
func (e *Error) Error() string {
	return fmt.Sprintf("tasklist: %s (%s)", e.Message, e.Code)
}

// Is reports whether target is the sentinel error of e's Code, which makes
// errors.Is(err, tasklist.ErrNotFound) and friends work.
func (e *Error) Is(target error) bool {
	return sentinelOf(e.Code) == target
}

// Timeout reports whether the error is a timeout, in the manner of
// net.Error, for code that already checks that interface.
func (e *Error) Timeout() bool { return e.Code == CodeTimeout }

func sentinelOf(code Code) error {
	switch code {
	case CodeNullArgument, CodeInvalidArgument, CodeInvalidUTF8:
		return ErrInvalidArgument
	case CodeInvalidJSON:
		return ErrInvalidJSON
	case CodeConnect:
		return ErrConnect
	case CodeTimeout:
		return ErrTimeout
	case CodeTLS:
		return ErrTLS
	case CodeIO:
		return ErrIO
	case CodeBodyTooLarge:
		return ErrBodyTooLarge
	case CodeBadRequest:
		return ErrBadRequest
	case CodeUnauthorized:
		return ErrUnauthorized
	case CodeForbidden:
		return ErrForbidden
	case CodeNotFound:
		return ErrNotFound
	case CodeConflict:
		return ErrConflict
	case CodeRateLimited:
		return ErrRateLimited
	case CodeServer:
		return ErrServer
	case CodeHTTP:
		return ErrHTTP
	case CodeDecode:
		return ErrDecode
	case CodeUnsupported:
		return ErrUnsupported
	case CodeAuthFailed:
		return ErrAuthFailed
	case CodeAuthUnavailable:
		return ErrAuthUnavailable
	default:
		return ErrInternal
	}
}

// takeError copies a C error into a Go *Error and frees the C object, so no
// C memory outlives the call that produced it. status is the code the
// function returned; it is used when the library gave no error object.
func takeError(status C.tasklist_status, cerr *C.tasklist_error) *Error {
	if cerr == nil {
		code := Code(status)
		return &Error{Code: code, Message: code.String()}
	}
	defer C.tasklist_error_free(cerr)
	e := &Error{
		Code:       Code(C.tasklist_error_code(cerr)),
		Message:    C.GoString(C.tasklist_error_message(cerr)),
		HTTPStatus: int(C.tasklist_error_http_status(cerr)),
	}
	if body := C.tasklist_error_body(cerr); body != nil {
		e.Body = C.GoString(body)
	}
	return e
}

// usageError reports a problem the Go side detects before calling C, with
// the same shape as the library's own argument errors.
func usageError(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidArgument, Message: fmt.Sprintf(format, args...)}
}
