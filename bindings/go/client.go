package tasklist

/*
#include <tasklist.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
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

// SearchTasks runs POST /v1/tasks/search with query (nil: the first 50
// tasks that are not canceled, newest first) and returns the JSON array of
// tasks, unchanged. Pass a task's sortValues as "searchAfter" for the next
// page, or use Tasks or SearchAllTasks.
func (c *Client) SearchTasks(ctx context.Context, query json.RawMessage) (json.RawMessage, error) {
	var cs cStrings
	defer cs.free()
	q, err := cs.addJSON("query", query)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_search_tasks(p, q, out, e)
	})
}

// SearchAllTasks follows every page of a task search (keeping the filters,
// sort and pageSize of query) and returns all tasks as one JSON array. It
// stops after maxItems tasks (0: no limit). query must not contain a cursor
// (searchAfter, searchBefore, ...). On error no partial result is returned;
// use Tasks to process tasks page by page instead. A walk that never ends is
// bounded: a page repeating any earlier page's cursor is ErrDecode; all pages
// together larger than the response size limit (Options.MaxResponseBytes), or
// 100,000 full pages, is ErrBodyTooLarge; no page is asked for after ten
// request timeouts, ErrTimeout.
func (c *Client) SearchAllTasks(ctx context.Context, query json.RawMessage, maxItems int) (json.RawMessage, error) {
	if maxItems < 0 || int64(maxItems) > math.MaxUint32 {
		return nil, usageError("maxItems must be between 0 and 2^32-1, got %d", maxItems)
	}
	var cs cStrings
	defer cs.free()
	q, err := cs.addJSON("query", query)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_search_all_tasks(p, q, C.uint32_t(maxItems), out, e)
	})
}

// GetTask runs GET /v1/tasks/{taskID}. ErrNotFound when there is no such
// task.
func (c *Client) GetTask(ctx context.Context, taskID string) (json.RawMessage, error) {
	return c.withID(ctx, "taskID", taskID, func(p *C.tasklist_client, id *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_get_task(p, id, out, e)
	})
}

// AssignTask claims a task: PATCH /v1/tasks/{taskID}/assign with request,
// e.g. {"assignee":"demo","allowOverrideAssignment":false}. With nil, a
// cookie-session user assigns the task to themselves (OAuth clients must
// name an assignee). Returns the updated task. ErrBadRequest when the task
// is not active or already assigned, ErrForbidden when the user may not.
func (c *Client) AssignTask(ctx context.Context, taskID string, request json.RawMessage) (json.RawMessage, error) {
	return c.withIDAndBody(ctx, taskID, request, func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_assign_task(p, id, body, out, e)
	})
}

// UnassignTask runs PATCH /v1/tasks/{taskID}/unassign and returns the
// updated task. ErrBadRequest when the task is not active or not assigned.
func (c *Client) UnassignTask(ctx context.Context, taskID string) (json.RawMessage, error) {
	return c.withID(ctx, "taskID", taskID, func(p *C.tasklist_client, id *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_unassign_task(p, id, out, e)
	})
}

// CompleteTask runs PATCH /v1/tasks/{taskID}/complete with request (nil:
// no variables), e.g. {"variables":[{"name":"approved","value":"true"}]}.
// Each value is the variable's JSON as a string; Variables builds that list
// from Go values. Returns the completed task.
func (c *Client) CompleteTask(ctx context.Context, taskID string, request json.RawMessage) (json.RawMessage, error) {
	return c.withIDAndBody(ctx, taskID, request, func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_complete_task(p, id, body, out, e)
	})
}

// SaveDraftVariables runs POST /v1/tasks/{taskID}/variables with request
// (required, same shape as for CompleteTask). It replaces all drafts of the
// task; {"variables":[]} clears them.
func (c *Client) SaveDraftVariables(ctx context.Context, taskID string, request json.RawMessage) error {
	if len(request) == 0 {
		return usageError("SaveDraftVariables needs a request body, e.g. {\"variables\":[]}")
	}
	_, err := c.withIDAndBody(ctx, taskID, request, func(p *C.tasklist_client, id, body *C.char, _ **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_save_draft_variables(p, id, body, e)
	})
	return err
}

// SearchTaskVariables runs POST /v1/tasks/{taskID}/variables/search with
// request (nil: all variables), e.g. {"variableNames":["amount"]}. The
// answer is sorted by name; values longer than 8191 characters come with
// isValueTruncated true (fetch them with GetVariable).
func (c *Client) SearchTaskVariables(ctx context.Context, taskID string, request json.RawMessage) (json.RawMessage, error) {
	return c.withIDAndBody(ctx, taskID, request, func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_search_task_variables(p, id, body, out, e)
	})
}

// GetVariable runs GET /v1/variables/{variableID} and returns the variable
// with its full value. ErrNotFound when there is no such variable.
func (c *Client) GetVariable(ctx context.Context, variableID string) (json.RawMessage, error) {
	return c.withID(ctx, "variableID", variableID, func(p *C.tasklist_client, id *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_get_variable(p, id, out, e)
	})
}

// GetForm runs GET /v1/forms/{formID}?processDefinitionKey=...&version=...
// Use a task's formKey or formId and its processDefinitionKey. version ""
// means the latest; otherwise it must be a whole number. The answer's
// schema is the form JSON as a string.
func (c *Client) GetForm(ctx context.Context, formID, processDefinitionKey, version string) (json.RawMessage, error) {
	var cs cStrings
	defer cs.free()
	id, err := cs.add("formID", formID)
	if err != nil {
		return nil, err
	}
	key, err := cs.add("processDefinitionKey", processDefinitionKey)
	if err != nil {
		return nil, err
	}
	var ver *C.char // NULL: latest version
	if version != "" {
		if ver, err = cs.add("version", version); err != nil {
			return nil, err
		}
	}
	return c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_get_form(p, id, key, ver, out, e)
	})
}

// SearchProcessDefinitions runs POST /v1/process-definitions/search (the
// Operate endpoint that combined deployments serve on the same base URL)
// with query (nil: {}). The answer is {"items":[...],"sortValues":[...],
// "total":N}. A Tasklist-only server answers ErrNotFound.
func (c *Client) SearchProcessDefinitions(ctx context.Context, query json.RawMessage) (json.RawMessage, error) {
	var cs cStrings
	defer cs.free()
	q, err := cs.addJSON("query", query)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_search_process_definitions(p, q, out, e)
	})
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

func (c *Client) withIDAndBody(ctx context.Context, id string, body json.RawMessage,
	call func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status) (json.RawMessage, error) {
	var cs cStrings
	defer cs.free()
	cid, err := cs.add("taskID", id)
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

// Version returns the version of the linked libtasklist, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.tasklist_version()) // static string: nothing to free
}
