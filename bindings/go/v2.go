package tasklist

/*
#include <tasklist.h>
*/
import "C"

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"time"
)

// V2 is the v2 Orchestration Cluster API (Camunda 8.8+) of a Client, one
// method per row of the library's v2 endpoint table. It is a small value
// over the client (get it with Client.V2): the same authentication,
// retries, timeouts, errors and Close. Against a server without the v2 API
// (8.7 and earlier) every method returns an error matching ErrUnsupported;
// the v1 methods of Client return it against 8.10+, which has no Tasklist
// v1.
//
// Keys (userTaskKey, processDefinitionKey, ...) are int64 numbers that the
// server sends as decimal strings; pass them on as strings. Requests and
// answers are JSON as the server defines them; UserTasks decodes tasks into
// UserTask values.
type V2 struct {
	c *Client
}

// V2 returns the v2 API over this client.
func (c *Client) V2() V2 { return V2{c: c} }

// UserTask is a v2 user task as returned by SearchUserTasks, GetUserTask
// and UserTasks. Keys stay strings (float64-based JSON tools lose precision
// above 2^53); dates are RFC 3339 strings. Fields the server leaves out
// (8.8 omits empty ones) are zero or nil.
type UserTask struct {
	UserTaskKey              string            `json:"userTaskKey"`
	Name                     string            `json:"name"`
	State                    string            `json:"state"` // CREATED, ASSIGNING, UPDATING, COMPLETING, COMPLETED, CANCELED, ...
	Assignee                 *string           `json:"assignee"`
	ElementID                string            `json:"elementId"`
	CandidateGroups          []string          `json:"candidateGroups"`
	CandidateUsers           []string          `json:"candidateUsers"`
	ProcessDefinitionID      string            `json:"processDefinitionId"`
	ProcessName              string            `json:"processName"`
	CreationDate             string            `json:"creationDate"`
	CompletionDate           *string           `json:"completionDate"`
	FollowUpDate             *string           `json:"followUpDate"`
	DueDate                  *string           `json:"dueDate"`
	TenantID                 string            `json:"tenantId"`
	ExternalFormReference    *string           `json:"externalFormReference"`
	ProcessDefinitionVersion int               `json:"processDefinitionVersion"`
	CustomHeaders            map[string]string `json:"customHeaders"`
	Priority                 int               `json:"priority"`
	FormKey                  *string           `json:"formKey"`
	ProcessDefinitionKey     string            `json:"processDefinitionKey"`
	ProcessInstanceKey       string            `json:"processInstanceKey"`
	ElementInstanceKey       string            `json:"elementInstanceKey"`

	// Raw is the task's JSON exactly as the server sent it, including any
	// field this struct does not know (DecodeUserTask fills it).
	Raw json.RawMessage `json:"-"`
}

// DecodeUserTask decodes one v2 user task (the answer of GetUserTask).
func DecodeUserTask(raw json.RawMessage) (UserTask, error) {
	var t UserTask
	if err := json.Unmarshal(raw, &t); err != nil {
		return UserTask{}, fmt.Errorf("tasklist: decoding user task: %w", err)
	}
	t.Raw = raw
	return t, nil
}

// DecodeUserTasks decodes a JSON array of v2 user tasks (SearchAllUserTasks,
// or the "items" of SearchUserTasks).
func DecodeUserTasks(raw json.RawMessage) ([]UserTask, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("tasklist: decoding user tasks: %w", err)
	}
	tasks := make([]UserTask, len(items))
	for i, item := range items {
		t, err := DecodeUserTask(item)
		if err != nil {
			return nil, err
		}
		tasks[i] = t
	}
	return tasks, nil
}

func uint32Arg(what string, n int) (C.uint32_t, error) {
	if n < 0 || int64(n) > math.MaxUint32 {
		return 0, usageError("%s must be between 0 and 2^32-1, got %d", what, n)
	}
	return C.uint32_t(n), nil
}

func required(function string, body json.RawMessage, example string) error {
	if len(body) == 0 {
		return usageError("%s needs a request body, e.g. %s", function, example)
	}
	return nil
}

// noForm turns the library's "null" (the server's 204: no form) into nil.
func noForm(raw json.RawMessage, err error) (json.RawMessage, error) {
	if err != nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, err
	}
	return raw, nil
}

// SearchUserTasks runs POST /v2/user-tasks/search with query (nil: {}, the
// server's first page of 100), e.g. {"filter":{"state":"CREATED"},
// "page":{"limit":50}}, and returns the answer {"items":[...],
// "page":{"totalItems":N,"endCursor":...}} unchanged. Pass endCursor as
// "page.after" for the next page, or use UserTasks or SearchAllUserTasks.
// Searches read secondary storage, which lags commands by up to a few
// seconds: see SearchUserTasksWait.
func (v V2) SearchUserTasks(ctx context.Context, query json.RawMessage) (json.RawMessage, error) {
	return v.c.withQuery(ctx, "query", query, func(p *C.tasklist_client, q *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_search_user_tasks(p, q, out, e)
	})
}

// SearchAllUserTasks follows every page of a user-task search (keeping the
// filter, sort and page.limit of query) and returns all items as one JSON
// array (DecodeUserTasks decodes it). It stops after maxItems items (0: no
// limit). query must not hold page.after, page.before or page.from. The
// bounds of SearchAllTasks hold; on error no partial result is returned.
func (v V2) SearchAllUserTasks(ctx context.Context, query json.RawMessage, maxItems int) (json.RawMessage, error) {
	n, err := uint32Arg("maxItems", maxItems)
	if err != nil {
		return nil, err
	}
	return v.c.withQuery(ctx, "query", query, func(p *C.tasklist_client, q *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_search_all_user_tasks(p, q, n, out, e)
	})
}

// SearchUserTasksWait searches until the answer holds at least minItems
// items, for up to wait (rounded down to milliseconds), and returns the
// last answer. Use it after a command to see its effect, e.g. with
// {"filter":{"userTaskKey":"...","state":"COMPLETED"}} and minItems 1.
// ErrTimeout when wait passes first; wait 0 searches once. The call takes
// at most wait plus one request timeout; ctx is checked before it starts.
func (v V2) SearchUserTasksWait(ctx context.Context, query json.RawMessage, minItems int, wait time.Duration) (json.RawMessage, error) {
	n, err := uint32Arg("minItems", minItems)
	if err != nil {
		return nil, err
	}
	if wait < 0 || wait.Milliseconds() > math.MaxUint32 {
		return nil, usageError("wait must be between 0 and 2^32-1 ms, got %v", wait)
	}
	ms := C.uint32_t(wait.Milliseconds())
	return v.c.withQuery(ctx, "query", query, func(p *C.tasklist_client, q *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_search_user_tasks_wait(p, q, n, ms, out, e)
	})
}

// UserTasks iterates over every user task matching query, one page at a
// time, on the library's page walker: each page is one POST
// /v2/user-tasks/search, the next one starts at the previous page's
// endCursor. Memory stays at one page and the loop may stop early (break),
// which stops fetching. query (nil: {}) keeps its filter, sort and
// page.limit (default 100) and must not hold a cursor. Errors and bounds are
// those of Client.Tasks.
//
//	for task, err := range client.V2().UserTasks(ctx, json.RawMessage(`{"filter":{"state":"CREATED"}}`)) {
//		if err != nil { return err }
//		fmt.Println(task.UserTaskKey, task.Name)
//	}
func (v V2) UserTasks(ctx context.Context, query json.RawMessage) iter.Seq2[UserTask, error] {
	return walk(ctx, v.c, query, func(p *C.tasklist_client, q *C.char, out **C.tasklist_pages, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_pages_new(p, q, 0, out, e)
	}, DecodeUserTasks)
}

// GetUserTask runs GET /v2/user-tasks/{userTaskKey}. ErrNotFound when there
// is no such task, or it has not reached secondary storage yet.
func (v V2) GetUserTask(ctx context.Context, userTaskKey string) (json.RawMessage, error) {
	return v.c.withID(ctx, "userTaskKey", userTaskKey, func(p *C.tasklist_client, id *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_get_user_task(p, id, out, e)
	})
}

// AssignUserTask runs POST /v2/user-tasks/{userTaskKey}/assignment with
// request (required), e.g. {"assignee":"demo"}; with "allowOverride":false
// a task someone already holds is refused (ErrConflict).
func (v V2) AssignUserTask(ctx context.Context, userTaskKey string, request json.RawMessage) error {
	if err := required("AssignUserTask", request, `{"assignee":"demo"}`); err != nil {
		return err
	}
	_, err := v.c.withIDAndBody(ctx, "userTaskKey", userTaskKey, request, func(p *C.tasklist_client, id, body *C.char, _ **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_assign_user_task(p, id, body, e)
	})
	return err
}

// UnassignUserTask runs DELETE /v2/user-tasks/{userTaskKey}/assignee (also
// fine for a task without an assignee).
func (v V2) UnassignUserTask(ctx context.Context, userTaskKey string) error {
	_, err := v.c.withID(ctx, "userTaskKey", userTaskKey, func(p *C.tasklist_client, id *C.char, _ **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_unassign_user_task(p, id, e)
	})
	return err
}

// CompleteUserTask runs POST /v2/user-tasks/{userTaskKey}/completion with
// request (nil: no variables), e.g. {"variables":{"approved":true}}: values
// are plain JSON here (json.Marshal of a map will do), not JSON text as in
// v1. ErrConflict while a task listener is busy with the task, ErrNotFound
// once it left the engine.
func (v V2) CompleteUserTask(ctx context.Context, userTaskKey string, request json.RawMessage) error {
	_, err := v.c.withIDAndBody(ctx, "userTaskKey", userTaskKey, request, func(p *C.tasklist_client, id, body *C.char, _ **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_complete_user_task(p, id, body, e)
	})
	return err
}

// UpdateUserTask runs PATCH /v2/user-tasks/{userTaskKey} with request
// (required), {"changeset":{...}} with any of dueDate, followUpDate,
// candidateUsers, candidateGroups, priority (0..100).
func (v V2) UpdateUserTask(ctx context.Context, userTaskKey string, request json.RawMessage) error {
	if err := required("UpdateUserTask", request, `{"changeset":{"priority":80}}`); err != nil {
		return err
	}
	_, err := v.c.withIDAndBody(ctx, "userTaskKey", userTaskKey, request, func(p *C.tasklist_client, id, body *C.char, _ **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_update_user_task(p, id, body, e)
	})
	return err
}

// SearchUserTaskVariables runs POST
// /v2/user-tasks/{userTaskKey}/variables/search with query (nil: {}), e.g.
// {"filter":{"name":"amount"}}. The answer is {"items":[...],"page":{...}};
// each item's value is the variable's JSON as text.
func (v V2) SearchUserTaskVariables(ctx context.Context, userTaskKey string, query json.RawMessage) (json.RawMessage, error) {
	return v.c.withIDAndBody(ctx, "userTaskKey", userTaskKey, query, func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_search_user_task_variables(p, id, body, out, e)
	})
}

// SearchUserTaskEffectiveVariables runs POST
// /v2/user-tasks/{userTaskKey}/effective-variables/search with query (nil:
// {}): the variables the task sees, one per name, the task's own over its
// process instance's (8.9+). Paged by page.from and page.limit only.
func (v V2) SearchUserTaskEffectiveVariables(ctx context.Context, userTaskKey string, query json.RawMessage) (json.RawMessage, error) {
	return v.c.withIDAndBody(ctx, "userTaskKey", userTaskKey, query, func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_search_user_task_effective_variables(p, id, body, out, e)
	})
}

// SetElementInstanceVariables runs PUT
// /v2/element-instances/{elementInstanceKey}/variables with request
// (required), e.g. {"variables":{"amount":12},"local":true}. With a task's
// elementInstanceKey and "local":true the values stay on the task: the
// closest v2 has to v1's draft variables.
func (v V2) SetElementInstanceVariables(ctx context.Context, elementInstanceKey string, request json.RawMessage) error {
	if err := required("SetElementInstanceVariables", request, `{"variables":{"amount":12},"local":true}`); err != nil {
		return err
	}
	_, err := v.c.withIDAndBody(ctx, "elementInstanceKey", elementInstanceKey, request, func(p *C.tasklist_client, id, body *C.char, _ **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_set_element_instance_variables(p, id, body, e)
	})
	return err
}

// GetCurrentUser runs GET /v2/authentication/me: who the client is to the
// cluster (username, tenants, groups, roles), without touching a task.
func (v V2) GetCurrentUser(ctx context.Context) (json.RawMessage, error) {
	return v.c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_get_current_user(p, out, e)
	})
}

// GetUserTaskForm runs GET /v2/user-tasks/{userTaskKey}/form and returns
// the form ({"formKey":...,"schema":"<form JSON as text>",...}), or nil
// with no error for a task without a form.
func (v V2) GetUserTaskForm(ctx context.Context, userTaskKey string) (json.RawMessage, error) {
	return noForm(v.c.withID(ctx, "userTaskKey", userTaskKey, func(p *C.tasklist_client, id *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_get_user_task_form(p, id, out, e)
	}))
}

// SearchProcessDefinitions runs POST /v2/process-definitions/search with
// query (nil: {}), e.g. {"filter":{"isLatestVersion":true,"hasStartForm":true}}.
func (v V2) SearchProcessDefinitions(ctx context.Context, query json.RawMessage) (json.RawMessage, error) {
	return v.c.withQuery(ctx, "query", query, func(p *C.tasklist_client, q *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_search_process_definitions(p, q, out, e)
	})
}

// GetProcessDefinitionForm runs GET
// /v2/process-definitions/{processDefinitionKey}/form and returns the start
// form, or nil with no error for a process without one.
func (v V2) GetProcessDefinitionForm(ctx context.Context, processDefinitionKey string) (json.RawMessage, error) {
	return noForm(v.c.withID(ctx, "processDefinitionKey", processDefinitionKey, func(p *C.tasklist_client, id *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_get_process_definition_form(p, id, out, e)
	}))
}

// CreateProcessInstance starts a process: POST /v2/process-instances with
// request (required), e.g. {"processDefinitionKey":"2251799813685249",
// "variables":{"amount":12}} or {"processDefinitionId":"invoice"}. The
// answer holds the new processInstanceKey. Never repeated once the request
// may have reached the server (that would start a second instance).
func (v V2) CreateProcessInstance(ctx context.Context, request json.RawMessage) (json.RawMessage, error) {
	if err := required("CreateProcessInstance", request, `{"processDefinitionId":"invoice"}`); err != nil {
		return nil, err
	}
	return v.c.withQuery(ctx, "request", request, func(p *C.tasklist_client, q *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_create_process_instance(p, q, out, e)
	})
}

// GetTopology runs GET /v2/topology; its gatewayVersion says which Camunda
// version (and so which API generations) the server is.
func (v V2) GetTopology(ctx context.Context) (json.RawMessage, error) {
	return v.c.do(ctx, func(p *C.tasklist_client, out **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_v2_get_topology(p, out, e)
	})
}
