package tasklist

/*
#include <tasklist.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"math"
)

// The Tasklist v1 endpoints (Camunda 8.3 to 8.9), one method per row of the
// library's endpoint table.

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
	return c.withIDAndBody(ctx, "taskID", taskID, request, func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
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
	return c.withIDAndBody(ctx, "taskID", taskID, request, func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
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
	_, err := c.withIDAndBody(ctx, "taskID", taskID, request, func(p *C.tasklist_client, id, body *C.char, _ **C.char, e **C.tasklist_error) C.tasklist_status {
		return C.tasklist_save_draft_variables(p, id, body, e)
	})
	return err
}

// SearchTaskVariables runs POST /v1/tasks/{taskID}/variables/search with
// request (nil: all variables), e.g. {"variableNames":["amount"]}. The
// answer is sorted by name; values longer than 8191 characters come with
// isValueTruncated true (fetch them with GetVariable).
func (c *Client) SearchTaskVariables(ctx context.Context, taskID string, request json.RawMessage) (json.RawMessage, error) {
	return c.withIDAndBody(ctx, "taskID", taskID, request, func(p *C.tasklist_client, id, body *C.char, out **C.char, e **C.tasklist_error) C.tasklist_status {
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
