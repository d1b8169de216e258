package tasklist

/*
#include <tasklist.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"iter"
	"runtime"
)

// Tasks iterates over every task matching query, one page at a time, on the
// library's page walker (tasklist_pages_*): each page is one POST
// /v1/tasks/search, the next one starts after the sortValues of the last
// task. Unlike SearchAllTasks, memory stays at one page and the loop may stop
// early (break), which stops fetching.
//
// query is a JSON object (nil: {}) with the caller's filters, sort and
// pageSize (default 50); it must not contain a cursor (searchAfter,
// searchBefore, ...). An error is yielded once, with a zero Task, and ends
// the iteration; the context is checked before every page. The walker's
// bounds hold: a page that ends with the cursor of any earlier page (A, B,
// A, ...) yields ErrDecode, more than 100,000 pages ErrBodyTooLarge, and
// once ten request timeouts were spent waiting for pages, ErrTimeout.
//
//	for task, err := range client.Tasks(ctx, json.RawMessage(`{"state":"CREATED"}`)) {
//		if err != nil { return err }
//		fmt.Println(task.ID, task.Name)
//	}
func (c *Client) Tasks(ctx context.Context, query json.RawMessage) iter.Seq2[Task, error] {
	return walk(ctx, c, query, func(p *C.tasklist_client, q *C.char, out **C.tasklist_pages, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_pages_new(p, q, 0, out, e)
	}, DecodeTasks)
}

// cPagesNew is one C function that starts a walk (tasklist_pages_new or
// tasklist_v2_pages_new) with its client, query and out-parameters.
type cPagesNew func(p *C.tasklist_client, query *C.char, out **C.tasklist_pages, e **C.tasklist_error) C.tasklist_status

// walk is the iterator of both generations: the walker start decides which
// search is walked, decode turns one page's JSON array into items. An error
// is yielded once, with a zero item, and ends the iteration.
func walk[T any](ctx context.Context, c *Client, query json.RawMessage, start cPagesNew,
	decode func(json.RawMessage) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		pages, err := c.newPages(query, start)
		if err != nil {
			yield(zero, err)
			return
		}
		defer pages.free()
		for {
			raw, err := pages.next(ctx)
			if err != nil {
				yield(zero, err)
				return
			}
			if raw == nil {
				return
			}
			items, err := decode(raw)
			if err != nil {
				yield(zero, &Error{Code: CodeDecode, Message: err.Error()})
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// pages is one C page walker and the client it fetches from.
type pages struct {
	client *Client
	ptr    *C.tasklist_pages
}

func (c *Client) newPages(query json.RawMessage, start cPagesNew) (*pages, error) {
	var cs cStrings
	defer cs.free()
	q, err := cs.addJSON("query", query)
	if err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return nil, ErrClosed
	}
	var ptr *C.tasklist_pages
	var cerr *C.tasklist_error
	status := start(c.ptr, q, &ptr, &cerr)
	runtime.KeepAlive(c)
	if status != C.TASKLIST_OK {
		return nil, takeError(status, cerr)
	}
	return &pages{client: c, ptr: ptr}, nil
}

// next fetches the next page's JSON array, or nil once the walk is over. It
// holds the client's read lock for the call, so a closed client ends the
// walk with ErrClosed instead of fetching on.
func (p *pages) next(ctx context.Context) (json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.client.mu.RLock()
	defer p.client.mu.RUnlock()
	if p.client.ptr == nil {
		return nil, ErrClosed
	}
	var out *C.char
	var cerr *C.tasklist_error
	maybeGC()
	status := C.tasklist_pages_next(p.ptr, &out, &cerr)
	runtime.KeepAlive(p)
	if status != C.TASKLIST_OK {
		return nil, takeError(status, cerr)
	}
	if out == nil {
		return nil, nil
	}
	return takeString(out), nil
}

func (p *pages) free() {
	C.tasklist_pages_free(p.ptr)
	p.ptr = nil
}
