package tasklist

/*
#include <tasklist.h>
*/
import "C"

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Client is a Tasklist client. It is safe for use by many goroutines at
// once: the C client underneath is internally synchronized and keeps one
// connection pool, one cached token or session, and at most one token fetch
// in flight. Create one per Tasklist and share it.
//
// Every method blocks its goroutine (and an OS thread) until the HTTP
// exchange ends. The context is checked before the call starts; a call that
// has started is bounded by Options.RequestTimeout and ConnectTimeout, not by
// the context, because the C library cannot be interrupted.
//
// Call Close when done. A cleanup registered with runtime.AddCleanup frees
// a forgotten client when it becomes unreachable, but the garbage collector
// does not see the connections and memory held in C, so do not rely on it.
type Client struct {
	// mu guards ptr: calls hold the read lock for the whole C call, Close
	// takes the write lock, so the C client is never freed under a call.
	mu      sync.RWMutex
	ptr     *C.tasklist_client
	cleanup runtime.Cleanup
}

// New creates a client. No network traffic happens here; call Login to
// check credentials at start-up.
func New(opts Options) (*Client, error) {
	var o cOptions
	defer o.free()
	if err := buildOptions(&opts, &o); err != nil {
		return nil, err
	}
	ptr, err := newClientFromOptions(&o)
	if err != nil {
		return nil, err
	}
	return wrap(ptr), nil
}

// NewFromEnv creates a client from the environment variables Camunda's own
// clients use (CAMUNDA_TASKLIST_BASE_URL, CAMUNDA_OAUTH_URL,
// CAMUNDA_CLIENT_ID, CAMUNDA_CLIENT_SECRET, CAMUNDA_AUTH_STRATEGY,
// CAMUNDA_COOKIE_AUTH_USERNAME, ...; the list and precedence are those of
// tasklist_options_from_env in tasklist.h). Do not call it while another
// goroutine changes the environment.
func NewFromEnv() (*Client, error) {
	var o cOptions
	defer o.free()
	if err := envOptions(&o); err != nil {
		return nil, err
	}
	ptr, err := newClientFromOptions(&o)
	if err != nil {
		return nil, err
	}
	return wrap(ptr), nil
}

// freedByCleanup counts clients freed by the safety net rather than Close,
// so tests can see that it works.
var freedByCleanup atomic.Int64

func wrap(ptr *C.tasklist_client) *Client {
	c := &Client{ptr: ptr}
	// The cleanup gets the C pointer, not c, so that c can become
	// unreachable. It runs only after every method has returned, because
	// each method keeps c alive with runtime.KeepAlive.
	c.cleanup = runtime.AddCleanup(c, func(p *C.tasklist_client) {
		C.tasklist_client_free(p)
		freedByCleanup.Add(1)
	}, ptr)
	return c
}

// checkABI refuses a dynamically loaded library whose ABI differs from the
// header this package was compiled with (with static linking they always
// match).
func checkABI() error {
	if v := loadedABIVersion(); v != abiVersion {
		return fmt.Errorf("%w: the loaded library has ABI %d, this package needs %d", ErrABIMismatch, v, abiVersion)
	}
	return nil
}

// Close frees the client: it closes its connections and wipes its secrets.
// It waits for calls in progress to return; later calls return ErrClosed.
// Close is idempotent and safe to call from several goroutines.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr == nil {
		return nil
	}
	c.cleanup.Stop()
	C.tasklist_client_free(c.ptr)
	c.ptr = nil
	return nil
}

// Login authenticates now (fetches a token or logs in) instead of on the
// first request, so that wrong credentials show at start-up
// (ErrAuthFailed) as well as an unreachable identity provider
// (ErrAuthUnavailable). Nothing happens for a bearer token or no
// authentication.
func (c *Client) Login(ctx context.Context) error {
	_, err := c.do(ctx, func(p *C.tasklist_client, _ **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_client_login(p, e)
	})
	return err
}

// Version returns the version of the linked libtasklist, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.tasklist_version()) // static string: nothing to free
}
