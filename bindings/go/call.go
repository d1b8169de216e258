package tasklist

/*
#include <tasklist.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"runtime"
)

// cCall is one C request function with its client and out-parameters.
type cCall func(p *C.tasklist_client, out **C.char, errOut **C.tasklist_error) C.tasklist_status

// do runs one C request: context check, read lock, the call, KeepAlive,
// then copies the result or the error out of C memory and frees it.
func (c *Client) do(ctx context.Context, call cCall) (json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return nil, ErrClosed
	}
	var out *C.char
	var cerr *C.tasklist_error
	maybeGC()
	status := call(c.ptr, &out, &cerr)
	// Keep c (and with it the cleanup that frees c.ptr) alive until the C
	// call has returned; without this the GC may free the client mid-call.
	runtime.KeepAlive(c)
	if status != C.TASKLIST_OK {
		C.tasklist_string_free(out) // always NULL on failure; freeing NULL is a no-op
		return nil, takeError(status, cerr)
	}
	return takeString(out), nil
}

// Request sends any other request below the base URL with the same
// authentication, retries and errors. method is GET, POST, PATCH, PUT or
// DELETE; path starts with "/" and may carry a query; body may be nil. The
// answer body is returned as sent, empty for a 204.
func (c *Client) Request(ctx context.Context, method, path string, body json.RawMessage) (json.RawMessage, error) {
	var cs cStrings
	defer cs.free()
	m, err := cs.add("method", method)
	if err != nil {
		return nil, err
	}
	pth, err := cs.add("path", path)
	if err != nil {
		return nil, err
	}
	b, err := cs.addJSON("body", body)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_request(p, m, pth, b, out, e)
	})
}

// withQuery runs a call that takes one optional JSON body.
func (c *Client) withQuery(ctx context.Context, what string, query json.RawMessage,
	call func(p *C.tasklist_client, q *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status) (json.RawMessage, error) {
	var cs cStrings
	defer cs.free()
	q, err := cs.addJSON(what, query)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return call(p, q, out, e)
	})
}

func (c *Client) withID(ctx context.Context, what, id string,
	call func(p *C.tasklist_client, id *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status) (json.RawMessage, error) {
	var cs cStrings
	defer cs.free()
	cid, err := cs.add(what, id)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return call(p, cid, out, e)
	})
}

func (c *Client) withIDAndBody(ctx context.Context, what, id string, body json.RawMessage,
	call func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status) (json.RawMessage, error) {
	var cs cStrings
	defer cs.free()
	cid, err := cs.add(what, id)
	if err != nil {
		return nil, err
	}
	cbody, err := cs.addJSON("request", body)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return call(p, cid, cbody, out, e)
	})
}
