// Package tasklist is a client for Camunda 8 user tasks: the Tasklist v1
// REST API (the methods of Client) and the v2 Orchestration Cluster API of
// Camunda 8.8+ (the methods of V2, from Client.V2), built on libtasklist (a
// Rust library with a C ABI) through cgo.
//
// # Linking
//
// By default the package links the prebuilt static library inside the
// module, lib/<GOOS>_<GOARCH>/libtasklist.a, with the header in include/
// (a release's module carries both; in a checkout `make go-module` copies
// them from cargo's release build), together with the system libraries a
// Rust static library needs (-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc). The resulting Go binary does not need libtasklist.so at run
// time. Do not link a second Rust static library into the same binary: the
// two would clash on Rust's runtime symbols.
//
// With the build tag tasklist_dynamic the package links the shared library
// instead, with the flags of `pkg-config tasklist` (the tasklist.pc that
// `make install` writes):
//
//	go build -tags tasklist_dynamic ./...
//
// The program then needs libtasklist.so at run time (on the system library
// path, or via LD_LIBRARY_PATH). New checks that the loaded library has the
// ABI version this package was compiled for (ErrABIMismatch), and a header
// of another ABI version fails the build with #error.
//
// # Requests and results
//
// A Client has one method per Tasklist endpoint. Request bodies are JSON
// (json.RawMessage; nil where the body is optional) and results are the
// server's JSON, unchanged, as json.RawMessage, so int64 keys and fields
// added by newer servers survive. Task, Variable and Form, with DecodeTasks,
// DecodeVariables, DecodeForm and friends, decode the common shapes;
// Variables encodes Go values for CompleteTask and SaveDraftVariables; Tasks
// iterates over all pages of a search.
//
// # Errors
//
// A failed call returns a *Error with the library's Code, a one-line
// Message (never containing a secret), the HTTPStatus and the Body of the
// server's answer. Use errors.Is with the sentinels (ErrNotFound,
// ErrUnauthorized, ErrAuthFailed, ErrTimeout, ...) to branch on the kind of
// failure, errors.As for the details. After Close every method returns
// ErrClosed.
//
// # Goroutines, contexts and timeouts
//
// A Client is safe for concurrent use; share one. Each call blocks its
// goroutine and an OS thread until the HTTP exchange ends. The context
// passed to a method is checked before the call starts (a canceled context
// returns ctx.Err() without network traffic), but a call that has started
// cannot be interrupted: it is bounded by Options.ConnectTimeout and
// Options.RequestTimeout (default 10 s and 60 s; the request timeout
// includes retries). Choose them to fit the deadlines of your contexts.
//
// Close waits for calls in progress, then frees the client; calls that
// start later return ErrClosed.
//
// # Configuration and logging
//
// Options covers TLS (CAFile, CAPEM, ClientCertificate,
// ClientCertificateFiles) and proxies (Proxy, ProxyFromEnv) as well as
// authentication and limits. DescribeOptions and DescribeEnv show what a
// configuration amounts to, with the source of each value and the secrets
// redacted. SetLogger sends the library's log lines (one per HTTP exchange,
// retries, failures; never secrets) to a log/slog logger, process-wide.
package tasklist
