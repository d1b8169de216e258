package tasklist_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

func TestVersionAndCodeNames(t *testing.T) {
	if v := tasklist.Version(); !regexp.MustCompile(`^\d+\.\d+\.\d+`).MatchString(v) {
		t.Errorf("Version() = %q, want a semantic version", v)
	}
	if got := tasklist.CodeNotFound.String(); got != "TASKLIST_ERR_NOT_FOUND" {
		t.Errorf("CodeNotFound.String() = %q", got)
	}
	if got := tasklist.Code(12345).String(); got != "TASKLIST_ERR_UNKNOWN" {
		t.Errorf("unknown code name = %q", got)
	}
}

func TestOAuthSearchTasks(t *testing.T) {
	t.Parallel()
	c := newClient(t, oauthOptions(sharedURL))
	if err := c.Login(ctx()); err != nil {
		t.Fatalf("Login: %v", err)
	}
	raw, err := c.SearchTasks(ctx(), json.RawMessage(`{"state":"CREATED","pageSize":5}`))
	if err != nil {
		t.Fatalf("SearchTasks: %v", err)
	}
	tasks, err := tasklist.DecodeTasks(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 5 {
		t.Fatalf("got %d tasks, want 5", len(tasks))
	}
	for _, task := range tasks {
		if task.TaskState != "CREATED" || task.ID == "" || len(task.SortValues) == 0 {
			t.Errorf("unexpected task %+v", task)
		}
		// Raw keeps the server's bytes, including fields Task does not have.
		if !strings.Contains(string(task.Raw), `"id":"`+task.ID+`"`) {
			t.Errorf("Raw does not hold the task's JSON: %s", task.Raw)
		}
	}
}

func TestCookieLoginSearchTasks(t *testing.T) {
	t.Parallel()
	c := newClient(t, cookieOptions(sharedURL, "demo", "demo"))
	if err := c.Login(ctx()); err != nil {
		t.Fatalf("Login: %v", err)
	}
	// nil query: Tasklist's default, the first 50 tasks that are not canceled.
	raw, err := c.SearchTasks(ctx(), nil)
	if err != nil {
		t.Fatalf("SearchTasks: %v", err)
	}
	tasks, err := tasklist.DecodeTasks(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 50 {
		t.Fatalf("got %d tasks, want 50", len(tasks))
	}
	for _, task := range tasks {
		if task.TaskState == "CANCELED" {
			t.Errorf("default search returned canceled task %s", task.ID)
		}
	}
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	token := fetchToken(t, sharedURL)
	ids := landmarks(t, sharedURL)
	c := newClient(t, tasklist.Options{BaseURL: sharedURL, BearerToken: token})
	if _, err := c.GetTask(ctx(), ids["unassignedTaskId"]); err != nil {
		t.Fatalf("GetTask with bearer token: %v", err)
	}

	bad := newClient(t, tasklist.Options{BaseURL: sharedURL, BearerToken: "not-a-token"})
	_, err := bad.GetTask(ctx(), ids["unassignedTaskId"])
	assertError(t, err, tasklist.ErrUnauthorized, 401)
}

func TestGetTask(t *testing.T) {
	t.Parallel()
	ids := landmarks(t, sharedURL)
	c := newClient(t, oauthOptions(sharedURL))
	raw, err := c.GetTask(ctx(), ids["linkedFormTaskId"])
	if err != nil {
		t.Fatalf("GetTask: %v", err)
	}
	task, err := tasklist.DecodeTask(raw)
	if err != nil {
		t.Fatal(err)
	}
	if task.ID != ids["linkedFormTaskId"] || task.ProcessDefinitionKey != ids["linkedFormProcessDefinitionKey"] {
		t.Errorf("got task %s of process %s, want %s of %s", task.ID, task.ProcessDefinitionKey,
			ids["linkedFormTaskId"], ids["linkedFormProcessDefinitionKey"])
	}
	if task.FormID == nil || *task.FormID != "loan-form" || task.FormVersion == nil || *task.FormVersion != 2 {
		t.Errorf("linked form fields: formId %v formVersion %v", task.FormID, task.FormVersion)
	}
	if _, err := time.Parse(tasklist.TimeLayout, task.CreationDate); err != nil {
		t.Errorf("TimeLayout does not parse %q: %v", task.CreationDate, err)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	c := newClient(t, oauthOptions(sharedURL))
	_, err := c.GetTask(ctx(), "999")
	e := assertError(t, err, tasklist.ErrNotFound, 404)
	if !strings.Contains(e.Body, `"status":404`) {
		t.Errorf("Body should be Tasklist's problem JSON, got %q", e.Body)
	}
	_, err = c.GetVariable(ctx(), "no-such-variable")
	assertError(t, err, tasklist.ErrNotFound, 404)
	_, err = c.GetForm(ctx(), "no-such-form", "1", "")
	assertError(t, err, tasklist.ErrNotFound, 404)
}

func TestBadRequestAndInvalidJSON(t *testing.T) {
	t.Parallel()
	c := newClient(t, oauthOptions(sharedURL))
	_, err := c.SearchTasks(ctx(), json.RawMessage(`{"state":"NO-SUCH-STATE"}`))
	assertError(t, err, tasklist.ErrBadRequest, 400)

	// Refused by the library before any traffic.
	_, err = c.SearchTasks(ctx(), json.RawMessage(`{"state":`))
	assertError(t, err, tasklist.ErrInvalidJSON, 0)

	// OAuth clients must name an assignee.
	ids := landmarks(t, sharedURL)
	_, err = c.AssignTask(ctx(), ids["unassignedTaskId"], nil)
	assertError(t, err, tasklist.ErrBadRequest, 400)
}

func TestSearchAllTasks(t *testing.T) {
	t.Parallel()
	c := newClient(t, oauthOptions(sharedURL))
	query := json.RawMessage(`{"state":"CREATED","pageSize":7}`)
	raw, err := c.SearchAllTasks(ctx(), query, 0)
	if err != nil {
		t.Fatalf("SearchAllTasks: %v", err)
	}
	all, err := tasklist.DecodeTasks(raw)
	if err != nil {
		t.Fatal(err)
	}
	// The seed has 120 tasks, 6 of every 10 CREATED.
	if len(all) != 72 {
		t.Fatalf("got %d CREATED tasks, want 72", len(all))
	}
	raw, err = c.SearchAllTasks(ctx(), query, 10)
	if err != nil {
		t.Fatalf("SearchAllTasks with maxItems: %v", err)
	}
	if some, _ := tasklist.DecodeTasks(raw); len(some) != 10 {
		t.Errorf("maxItems 10 gave %d tasks", len(some))
	}
	_, err = c.SearchAllTasks(ctx(), json.RawMessage(`{"searchAfter":["1","2"]}`), 0)
	assertError(t, err, tasklist.ErrInvalidArgument, 0)
	_, err = c.SearchAllTasks(ctx(), nil, -1)
	assertError(t, err, tasklist.ErrInvalidArgument, 0)
}

func TestTasksIteratorAcrossPages(t *testing.T) {
	t.Parallel()
	base := startEmulator(t, "--tasks", "120")
	c := newClient(t, oauthOptions(base))
	// The 120 generated tasks are the only ones of candidate group
	// "generated": 5 pages of 25, then an empty page ends the iteration.
	query := json.RawMessage(`{"candidateGroup":"generated","pageSize":25}`)
	seen := map[string]bool{}
	var order []string
	for task, err := range c.Tasks(ctx(), query) {
		if err != nil {
			t.Fatalf("Tasks: %v", err)
		}
		if seen[task.ID] {
			t.Fatalf("task %s returned twice", task.ID)
		}
		seen[task.ID] = true
		order = append(order, task.ID)
	}
	if len(order) != 120 {
		t.Fatalf("iterated %d tasks, want 120", len(order))
	}
	// Same tasks in the same order as the library's own pagination.
	raw, err := c.SearchAllTasks(ctx(), query, 0)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := tasklist.DecodeTasks(raw)
	for i := range all {
		if all[i].ID != order[i] {
			t.Fatalf("position %d: iterator %s, SearchAllTasks %s", i, order[i], all[i].ID)
		}
	}

	// Breaking out of the loop stops fetching: 30 tasks need 2 pages of 25.
	before := counter(t, base, "requests")
	n := 0
	for _, err := range c.Tasks(ctx(), query) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 30 {
			break
		}
	}
	if got := counter(t, base, "requests") - before; got != 2 {
		t.Errorf("stopping after 30 tasks made %v requests, want 2", got)
	}

	// Errors are yielded once and end the iteration.
	var errs []error
	for _, err := range c.Tasks(ctx(), json.RawMessage(`{"searchBefore":["1"]}`)) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], tasklist.ErrInvalidArgument) {
		t.Errorf("cursor in query: got %v, want one ErrInvalidArgument", errs)
	}
}

func TestAssignUnassignCompleteOAuth(t *testing.T) {
	t.Parallel()
	base := startEmulator(t)
	ids := landmarks(t, base)
	id := ids["unassignedTaskId"]
	c := newClient(t, oauthOptions(base))

	raw, err := c.AssignTask(ctx(), id, json.RawMessage(`{"assignee":"demo"}`))
	if err != nil {
		t.Fatalf("AssignTask: %v", err)
	}
	if task, _ := tasklist.DecodeTask(raw); task.Assignee == nil || *task.Assignee != "demo" {
		t.Fatalf("after assign: assignee %v", task.Assignee)
	}
	_, err = c.AssignTask(ctx(), id, json.RawMessage(`{"assignee":"jane","allowOverrideAssignment":false}`))
	assertError(t, err, tasklist.ErrBadRequest, 400)

	raw, err = c.UnassignTask(ctx(), id)
	if err != nil {
		t.Fatalf("UnassignTask: %v", err)
	}
	if task, _ := tasklist.DecodeTask(raw); task.Assignee != nil {
		t.Fatalf("after unassign: assignee %q", *task.Assignee)
	}
	_, err = c.UnassignTask(ctx(), id)
	assertError(t, err, tasklist.ErrBadRequest, 400)

	body, err := tasklist.VariablesJSON(map[string]any{"approved": true})
	if err != nil {
		t.Fatal(err)
	}
	raw, err = c.CompleteTask(ctx(), id, body)
	if err != nil {
		t.Fatalf("CompleteTask: %v", err)
	}
	if task, _ := tasklist.DecodeTask(raw); task.TaskState != "COMPLETED" {
		t.Fatalf("after complete: state %s", task.TaskState)
	}
	_, err = c.CompleteTask(ctx(), id, nil)
	assertError(t, err, tasklist.ErrBadRequest, 400)
}

func TestCookieAssignToSelfAndComplete(t *testing.T) {
	t.Parallel()
	base := startEmulator(t, "--csrf")
	ids := landmarks(t, base)
	id := ids["unassignedTaskId"]
	c := newClient(t, cookieOptions(base, "demo", "demo"))
	// No body: a session user claims the task for themselves.
	raw, err := c.AssignTask(ctx(), id, nil)
	if err != nil {
		t.Fatalf("AssignTask: %v", err)
	}
	if task, _ := tasklist.DecodeTask(raw); task.Assignee == nil || *task.Assignee != "demo" {
		t.Fatalf("assignee %v, want demo", task.Assignee)
	}
	body, _ := tasklist.VariablesJSON(map[string]any{"approved": true, "comment": "fine"})
	raw, err = c.CompleteTask(ctx(), id, body)
	if err != nil {
		t.Fatalf("CompleteTask: %v", err)
	}
	if task, _ := tasklist.DecodeTask(raw); task.TaskState != "COMPLETED" {
		t.Fatalf("state %s, want COMPLETED", task.TaskState)
	}
}

func TestForbiddenForReadOnlyUser(t *testing.T) {
	t.Parallel()
	base := startEmulator(t)
	ids := landmarks(t, base)
	c := newClient(t, cookieOptions(base, "view", "view"))
	if _, err := c.GetTask(ctx(), ids["unassignedTaskId"]); err != nil {
		t.Fatalf("a read-only user may read: %v", err)
	}
	_, err := c.AssignTask(ctx(), ids["unassignedTaskId"], nil)
	assertError(t, err, tasklist.ErrForbidden, 403)
}

func TestVariablesEndpoints(t *testing.T) {
	t.Parallel()
	ids := landmarks(t, sharedURL)
	c := newClient(t, oauthOptions(sharedURL))
	raw, err := c.SearchTaskVariables(ctx(), ids["allTypesTaskId"], nil)
	if err != nil {
		t.Fatalf("SearchTaskVariables: %v", err)
	}
	vars, err := tasklist.DecodeVariables(raw)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]tasklist.Variable{}
	for _, v := range vars {
		byName[v.Name] = v
	}
	// bigIntVar is above 2^53: it must come through digit for digit.
	var big any
	if err := byName["bigIntVar"].Decode(&big); err != nil || big.(json.Number) != "9007199254740993" {
		t.Errorf("bigIntVar = %v (%v)", big, err)
	}
	if d := byName["amount"].Draft; d == nil || d.Value == nil || *d.Value != "999.99" {
		t.Errorf("draft of amount: %+v", d)
	}
	long := byName["longText"]
	if !long.IsValueTruncated || long.Value != nil {
		t.Fatalf("longText should be truncated in a search: %+v", long)
	}
	if err := long.Decode(new(string)); err == nil {
		t.Error("Decode of a truncated value should fail")
	}

	raw, err = c.GetVariable(ctx(), ids["longVariableId"])
	if err != nil {
		t.Fatalf("GetVariable: %v", err)
	}
	full, err := tasklist.DecodeVariable(raw)
	if err != nil {
		t.Fatal(err)
	}
	var text string
	if err := full.Decode(&text); err != nil || len(text) <= 8191 {
		t.Errorf("full longText: %d characters, %v", len(text), err)
	}

	raw, err = c.SearchTaskVariables(ctx(), ids["allTypesTaskId"], json.RawMessage(`{"variableNames":["numberVar"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if vars, _ := tasklist.DecodeVariables(raw); len(vars) != 1 || vars[0].Name != "numberVar" {
		t.Errorf("variableNames filter: %s", raw)
	}
}

func TestVariablesEncoderRoundTrip(t *testing.T) {
	t.Parallel()
	base := startEmulator(t)
	ids := landmarks(t, base)
	c := newClient(t, oauthOptions(base))
	values := map[string]any{
		"text":   "She said \"hi\" \\ <b>&</b>\nünïcødé ✓ 日本",
		"int":    int64(9007199254740993),
		"float":  2.5,
		"bool":   false,
		"none":   nil,
		"object": map[string]any{"a": []any{1, "two", nil}, "b": map[string]any{"c": true}},
		"raw":    json.RawMessage(`{"already":"json"}`),
	}
	inputs, err := tasklist.Variables(values)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(inputs); i++ {
		if inputs[i-1].Name >= inputs[i].Name {
			t.Fatalf("inputs not sorted by name: %v", inputs)
		}
	}
	body, _ := json.Marshal(tasklist.VariablesRequest{Variables: inputs})
	if err := c.SaveDraftVariables(ctx(), ids["unassignedTaskId"], body); err != nil {
		t.Fatalf("SaveDraftVariables: %v", err)
	}
	raw, err := c.SearchTaskVariables(ctx(), ids["unassignedTaskId"], nil)
	if err != nil {
		t.Fatal(err)
	}
	vars, _ := tasklist.DecodeVariables(raw)
	got := map[string]string{}
	for _, v := range vars {
		if v.Draft != nil && v.Draft.Value != nil {
			got[v.Name] = *v.Draft.Value
		}
	}
	for _, in := range inputs {
		if !jsonEqual(t, got[in.Name], in.Value) {
			t.Errorf("%s: sent %s, server has %s", in.Name, in.Value, got[in.Name])
		}
	}
	// And decoding gives back the Go values.
	var text string
	if err := decodeDraft(vars, "text", &text); err != nil || text != values["text"] {
		t.Errorf("text round trip: %q, %v", text, err)
	}
	var n json.Number
	if err := decodeDraft(vars, "int", &n); err != nil || n != "9007199254740993" {
		t.Errorf("int round trip: %s, %v", n, err)
	}

	if err := c.SaveDraftVariables(ctx(), ids["unassignedTaskId"], nil); !errors.Is(err, tasklist.ErrInvalidArgument) {
		t.Errorf("SaveDraftVariables without body: %v", err)
	}
	if _, err := tasklist.Variables(map[string]any{"": 1}); !errors.Is(err, tasklist.ErrInvalidArgument) {
		t.Errorf("empty name: %v", err)
	}
	if _, err := tasklist.Variables(map[string]any{"ch": make(chan int)}); err == nil {
		t.Error("a channel cannot be encoded, want an error")
	}
}

func decodeDraft(vars []tasklist.Variable, name string, dst any) error {
	for _, v := range vars {
		if v.Name == name && v.Draft != nil {
			return tasklist.Variable{Name: name, Value: v.Draft.Value}.Decode(dst)
		}
	}
	return errors.New("no draft " + name)
}

// jsonEqual compares two JSON texts by value (the server may reformat).
func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}

func TestGetForm(t *testing.T) {
	t.Parallel()
	ids := landmarks(t, sharedURL)
	c := newClient(t, oauthOptions(sharedURL))
	// Latest version skips the deleted version 3.
	raw, err := c.GetForm(ctx(), "loan-form", ids["linkedFormProcessDefinitionKey"], "")
	if err != nil {
		t.Fatalf("GetForm: %v", err)
	}
	form, err := tasklist.DecodeForm(raw)
	if err != nil {
		t.Fatal(err)
	}
	if form.ID != "loan-form" || form.Version == nil || *form.Version != 2 || !json.Valid([]byte(form.Schema)) {
		t.Errorf("latest linked form: %+v", form)
	}
	raw, err = c.GetForm(ctx(), "loan-form", ids["linkedFormProcessDefinitionKey"], "1")
	if err != nil {
		t.Fatal(err)
	}
	if form, _ := tasklist.DecodeForm(raw); form.Version == nil || *form.Version != 1 {
		t.Errorf("version 1: %s", raw)
	}
	raw, err = c.GetForm(ctx(), "userTaskForm_1", ids["embeddedFormProcessDefinitionKey"], "")
	if err != nil {
		t.Fatalf("embedded form: %v", err)
	}
	if form, _ := tasklist.DecodeForm(raw); !strings.Contains(form.Schema, "Priority") {
		t.Errorf("embedded form schema: %s", form.Schema)
	}
	_, err = c.GetForm(ctx(), "loan-form", ids["linkedFormProcessDefinitionKey"], "latest")
	assertError(t, err, tasklist.ErrInvalidArgument, 0)
}

func TestSearchProcessDefinitions(t *testing.T) {
	t.Parallel()
	c := newClient(t, oauthOptions(sharedURL))
	raw, err := c.SearchProcessDefinitions(ctx(), json.RawMessage(`{"filter":{"bpmnProcessId":"invoice-approval"}}`))
	if err != nil {
		t.Fatalf("SearchProcessDefinitions: %v", err)
	}
	var result struct {
		Items []struct {
			BpmnProcessID string `json:"bpmnProcessId"`
			Version       int    `json:"version"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal(raw, &result); err != nil {
		t.Fatal(err)
	}
	if result.Total != 2 || len(result.Items) != 2 || result.Items[0].BpmnProcessID != "invoice-approval" {
		t.Errorf("got %s", raw)
	}
	if _, err := c.SearchProcessDefinitions(ctx(), nil); err != nil {
		t.Errorf("nil query: %v", err)
	}
}

func TestRequest(t *testing.T) {
	t.Parallel()
	base := startEmulator(t)
	ids := landmarks(t, base)
	c := newClient(t, oauthOptions(base))
	id := ids["unassignedTaskId"]
	raw, err := c.Request(ctx(), "GET", "/v1/tasks/"+id, nil)
	if err != nil {
		t.Fatalf("Request GET: %v", err)
	}
	if task, err := tasklist.DecodeTask(raw); err != nil || task.ID != id {
		t.Errorf("Request GET task: %s (%v)", raw, err)
	}
	// 204: an empty answer.
	raw, err = c.Request(ctx(), "POST", "/v1/tasks/"+id+"/variables", json.RawMessage(`{"variables":[]}`))
	if err != nil || len(raw) != 0 {
		t.Errorf("Request POST variables: %q, %v", raw, err)
	}
	_, err = c.Request(ctx(), "GET", "/v1/tasks/999", nil)
	assertError(t, err, tasklist.ErrNotFound, 404)
	_, err = c.Request(ctx(), "GET", "http://elsewhere.example/v1/tasks", nil)
	assertError(t, err, tasklist.ErrInvalidArgument, 0)
}

func TestWrongCredentials(t *testing.T) {
	t.Parallel()
	opts := oauthOptions(sharedURL)
	opts.OAuth.ClientSecret = "s3cr3t-must-not-leak"
	c := newClient(t, opts)
	// HTTPStatus is that of the token endpoint's or login's answer.
	e := assertError(t, c.Login(ctx()), tasklist.ErrAuthFailed, 401)
	if e != nil && strings.Contains(e.Message, "s3cr3t") {
		t.Errorf("the message reveals the secret: %q", e.Message)
	}
	_, err := c.SearchTasks(ctx(), nil)
	assertError(t, err, tasklist.ErrAuthFailed, 401)

	cookie := newClient(t, cookieOptions(sharedURL, "demo", "wrong"))
	assertError(t, cookie.Login(ctx()), tasklist.ErrAuthFailed, 401)
}

func TestAuthUnavailable(t *testing.T) {
	t.Parallel()
	base := startEmulator(t)
	admin(t, base, "POST", "faults", `{"target":"token","status":503,"count":10}`)
	opts := oauthOptions(base)
	opts.MaxRetries = tasklist.Retries(0)
	c := newClient(t, opts)
	// HTTPStatus is that of the token endpoint's answer.
	assertError(t, c.Login(ctx()), tasklist.ErrAuthUnavailable, 503)
}

func TestConnectRefused(t *testing.T) {
	t.Parallel()
	// A port that was free a moment ago: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newClient(t, tasklist.Options{BaseURL: "http://" + addr, MaxRetries: tasklist.Retries(0)})
	_, err = c.SearchTasks(ctx(), nil)
	assertError(t, err, tasklist.ErrConnect, 0)
}

func TestRequestTimeout(t *testing.T) {
	t.Parallel()
	base := startEmulator(t, "--delay-ms", "3000")
	opts := oauthOptions(base)
	opts.RequestTimeout = 300 * time.Millisecond
	opts.MaxRetries = tasklist.Retries(0)
	c := newClient(t, opts)
	start := time.Now()
	_, err := c.SearchTasks(ctx(), nil)
	elapsed := time.Since(start)
	e := assertError(t, err, tasklist.ErrTimeout, 0)
	if e != nil && !e.Timeout() {
		t.Error("Timeout() = false for a timeout")
	}
	// Well below the server's 3 s delay, with room for a slow machine.
	if elapsed > 2500*time.Millisecond {
		t.Errorf("the call took %v despite a 300 ms request timeout", elapsed)
	}
}

func TestInjectedServerErrors(t *testing.T) {
	t.Parallel()
	base := startEmulator(t)
	opts := oauthOptions(base)
	opts.MaxRetries = tasklist.Retries(0)
	c := newClient(t, opts)

	admin(t, base, "POST", "faults", `{"target":"api","status":503,"count":1}`)
	_, err := c.SearchTasks(ctx(), nil)
	assertError(t, err, tasklist.ErrServer, 503)

	admin(t, base, "POST", "faults", `{"target":"api","status":429,"count":1}`)
	_, err = c.SearchTasks(ctx(), nil)
	assertError(t, err, tasklist.ErrRateLimited, 429)

	// With the default retries a passing fault is invisible to the caller.
	retrying := newClient(t, oauthOptions(base))
	admin(t, base, "POST", "faults", `{"target":"api","status":503,"count":2}`)
	before := counter(t, base, "requests")
	if _, err := retrying.SearchTasks(ctx(), nil); err != nil {
		t.Fatalf("two 503s with 2 retries: %v", err)
	}
	if got := counter(t, base, "requests") - before; got != 3 {
		t.Errorf("made %v requests, want 3 (two failures, one success)", got)
	}
}

func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	opts := oauthOptions(sharedURL)
	// Big enough for the token answer (the limit applies to it as well),
	// far too small for 50 tasks.
	opts.MaxResponseBytes = 2000
	c := newClient(t, opts)
	if err := c.Login(ctx()); err != nil {
		t.Fatalf("Login: %v", err)
	}
	_, err := c.SearchTasks(ctx(), nil)
	assertError(t, err, tasklist.ErrBodyTooLarge, 0)
}

func TestCanceledContextSendsNothing(t *testing.T) {
	t.Parallel()
	base := startEmulator(t)
	c := newClient(t, oauthOptions(base))
	canceled, cancel := context.WithCancel(ctx())
	cancel()
	if _, err := c.SearchTasks(canceled, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if err := c.Login(canceled); !errors.Is(err, context.Canceled) {
		t.Fatalf("Login: got %v, want context.Canceled", err)
	}
	if n := counter(t, base, "requests") + counter(t, base, "token_requests"); n != 0 {
		t.Errorf("a canceled context still sent %v requests", n)
	}
}

func TestInvalidOptionsAndArguments(t *testing.T) {
	t.Parallel()
	cases := map[string]tasklist.Options{
		"no base URL":      {},
		"not http":         {BaseURL: "ftp://example.com"},
		"two auth":         {BaseURL: sharedURL, BearerToken: "x", Cookie: &tasklist.Cookie{Username: "demo"}},
		"empty client id":  {BaseURL: sharedURL, OAuth: &tasklist.OAuth{TokenURL: sharedURL + "/oauth/token", ClientSecret: "s"}},
		"negative timeout": {BaseURL: sharedURL, RequestTimeout: -time.Second},
		"negative retries": {BaseURL: sharedURL, MaxRetries: tasklist.Retries(-1)},
		"NUL in URL":       {BaseURL: "http://a\x00b"},
		"bad login path":   {BaseURL: sharedURL, Cookie: &tasklist.Cookie{Username: "demo", LoginPath: "login"}},
		"bad bearer token": {BaseURL: sharedURL, BearerToken: "has space"},
	}
	for name, opts := range cases {
		if c, err := tasklist.New(opts); !errors.Is(err, tasklist.ErrInvalidArgument) {
			t.Errorf("%s: got %v, want ErrInvalidArgument", name, err)
			if c != nil {
				c.Close()
			}
		}
	}
	c := newClient(t, oauthOptions(sharedURL))
	_, err := c.GetTask(ctx(), "")
	assertError(t, err, tasklist.ErrInvalidArgument, 0)
	// A NUL byte would silently cut the id short in C: refused instead.
	_, err = c.GetTask(ctx(), "1\x002")
	assertError(t, err, tasklist.ErrInvalidArgument, 0)
	_, err = c.GetTask(ctx(), "\xff\xfe")
	assertError(t, err, tasklist.ErrInvalidArgument, 0)
}

// Option mistakes carry the library's own message, which names the setting,
// instead of a generic "invalid option" from the binding.
func TestInvalidOptionsCarryTheLibraryMessage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		opts    tasklist.Options
		message string
	}{
		{"not http", tasklist.Options{BaseURL: "ftp://x"},
			"base_url: the base URL must start with http:// or https://"},
		{"negative timeout", tasklist.Options{BaseURL: sharedURL, RequestTimeout: -time.Second},
			"request_timeout_ms: expected a whole number of milliseconds, got -1000"},
		{"negative sub-millisecond timeout", tasklist.Options{BaseURL: sharedURL, ConnectTimeout: -time.Microsecond},
			"connect_timeout_ms: expected a whole number of milliseconds, got -1"},
		{"negative retries", tasklist.Options{BaseURL: sharedURL, MaxRetries: tasklist.Retries(-1)},
			"max_retries: expected a whole number of 0 or more, got -1"},
		{"negative size limit", tasklist.Options{BaseURL: sharedURL, MaxResponseBytes: -5},
			"max_response_bytes: expected a whole number of 0 or more, got -5"},
		{"empty client id", tasklist.Options{BaseURL: sharedURL, OAuth: &tasklist.OAuth{TokenURL: sharedURL + "/oauth/token", ClientSecret: "s"}},
			"client_id: the OAuth client id is empty"},
		{"bad login path", tasklist.Options{BaseURL: sharedURL, Cookie: &tasklist.Cookie{Username: "demo", LoginPath: "login"}},
			"login_path: the login path must start with '/'"},
		{"bad proxy", tasklist.Options{BaseURL: sharedURL, Proxy: "ftp://me:pr0xy-pass@proxy.example:21"},
			"proxy: "},
		{"NUL in URL", tasklist.Options{BaseURL: "http://a\x00b"},
			"base_url: contains a NUL character"},
	}
	for _, tc := range cases {
		for _, how := range []string{"DescribeOptions", "New"} {
			var err error
			if how == "New" {
				var c *tasklist.Client
				if c, err = tasklist.New(tc.opts); c != nil {
					c.Close()
				}
			} else {
				_, err = tasklist.DescribeOptions(tc.opts)
			}
			var e *tasklist.Error
			if !errors.As(err, &e) || e.Code != tasklist.CodeInvalidArgument || !strings.HasPrefix(e.Message, tc.message) {
				t.Errorf("%s, %s: got %v, want INVALID_ARGUMENT with %q", tc.name, how, err, tc.message)
				continue
			}
			if strings.Contains(e.Message, "pr0xy-pass") {
				t.Errorf("%s: the message shows the proxy password: %s", tc.name, e.Message)
			}
		}
	}
}

func TestNewFromEnv(t *testing.T) {
	// t.Setenv: not parallel.
	t.Setenv("CAMUNDA_TASKLIST_BASE_URL", sharedURL)
	t.Setenv("CAMUNDA_OAUTH_URL", sharedURL+"/oauth/token")
	t.Setenv("CAMUNDA_CLIENT_ID", "tasklist-client")
	t.Setenv("CAMUNDA_CLIENT_SECRET", "tasklist-secret")
	c, err := tasklist.NewFromEnv()
	if err != nil {
		t.Fatalf("NewFromEnv: %v", err)
	}
	defer c.Close()
	if err := c.Login(ctx()); err != nil {
		t.Fatalf("Login with OAuth from the environment: %v", err)
	}
	if _, err := c.SearchTasks(ctx(), nil); err != nil {
		t.Fatalf("SearchTasks: %v", err)
	}

	t.Setenv("CAMUNDA_TASKLIST_BASE_URL", "")
	if c, err := tasklist.NewFromEnv(); !errors.Is(err, tasklist.ErrInvalidArgument) {
		t.Errorf("without a base URL: got %v, want ErrInvalidArgument", err)
		if c != nil {
			c.Close()
		}
	}
}

func TestErrorIs(t *testing.T) {
	e := &tasklist.Error{Code: tasklist.CodeNotFound, Message: "task with id 1 was not found", HTTPStatus: 404}
	if !errors.Is(e, tasklist.ErrNotFound) || errors.Is(e, tasklist.ErrForbidden) {
		t.Error("Is should match exactly the sentinel of the code")
	}
	wrapped := errors.Join(errors.New("context"), e)
	var got *tasklist.Error
	if !errors.As(wrapped, &got) || got.HTTPStatus != 404 || !errors.Is(wrapped, tasklist.ErrNotFound) {
		t.Error("a wrapped *Error should still be found")
	}
	if !strings.Contains(e.Error(), "TASKLIST_ERR_NOT_FOUND") || !strings.Contains(e.Error(), "was not found") {
		t.Errorf("Error() = %q", e.Error())
	}
	if !errors.Is(&tasklist.Error{Code: 4242}, tasklist.ErrInternal) {
		t.Error("an unknown code should match ErrInternal")
	}
}

// assertError checks that err is a *Error matching sentinel with the given
// HTTP status, and returns it.
func assertError(t *testing.T, err error, sentinel error, httpStatus int) *tasklist.Error {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Errorf("got error %v, want %v", err, sentinel)
		return nil
	}
	var e *tasklist.Error
	if !errors.As(err, &e) {
		t.Errorf("%v is not a *tasklist.Error", err)
		return nil
	}
	if e.HTTPStatus != httpStatus {
		t.Errorf("HTTPStatus = %d, want %d (%v)", e.HTTPStatus, httpStatus, err)
	}
	if e.Message == "" {
		t.Errorf("empty Message for %v", e.Code)
	}
	return e
}
