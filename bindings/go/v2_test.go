package tasklist_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

// The v2 API against the emulator's 8.8, 8.9 and 8.10 profiles (and 8.7 for
// the refusal). Its reads lag its commands (--export-delay-ms) as secondary
// storage does on a real server, so every effect is checked with
// SearchUserTasksWait, never after a fixed sleep.

var v2Versions = []string{"8.8", "8.9", "8.10"}

const (
	exportDelay = "300"            // long enough that a read right after a command misses it
	waitLong    = 20 * time.Second // generous for a busy machine; waits end once they see it
)

// v2Page is the shape of every v2 search answer.
type v2Page[T any] struct {
	Items []T `json:"items"`
	Page  struct {
		TotalItems int     `json:"totalItems"`
		EndCursor  *string `json:"endCursor"`
	} `json:"page"`
}

func decodeJSON[T any](t *testing.T, raw json.RawMessage, err error) T {
	t.Helper()
	var out T
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return out
}

// mustJSON encodes a request body built from Go values.
func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// waitForTask is the one user task matching filter, once a search shows it.
func waitForTask(t *testing.T, v2 tasklist.V2, filter map[string]any) tasklist.UserTask {
	t.Helper()
	raw, err := v2.SearchUserTasksWait(ctx(), mustJSON(t, map[string]any{"filter": filter}), 1, waitLong)
	page := decodeJSON[v2Page[json.RawMessage]](t, raw, err)
	if len(page.Items) != 1 || page.Page.TotalItems != 1 {
		t.Fatalf("filter %v: %s", filter, raw)
	}
	task, err := tasklist.DecodeUserTask(page.Items[0])
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// forEachV2Version runs test in parallel against an emulator of each v2
// version, started with args.
func forEachV2Version(t *testing.T, test func(t *testing.T, version, base string), args ...string) {
	for _, version := range v2Versions {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			test(t, version, startEmulatorVersion(t, version, args...))
		})
	}
}

func TestV2UserTaskLifecycle(t *testing.T) {
	forEachV2Version(t, func(t *testing.T, version, base string) {
		v2 := newClient(t, oauthOptions(base)).V2()
		raw, err := v2.SearchUserTasks(ctx(), json.RawMessage(`{"filter":{"state":"CREATED"},"page":{"limit":50}}`))
		page := decodeJSON[v2Page[tasklist.UserTask]](t, raw, err)
		if len(page.Items) != 50 || page.Page.TotalItems <= 50 {
			t.Fatalf("first page: %d items of %d", len(page.Items), page.Page.TotalItems)
		}
		var open *tasklist.UserTask
		for i := range page.Items {
			if page.Items[i].Assignee == nil {
				open = &page.Items[i]
				break
			}
		}
		if open == nil {
			t.Fatal("no unassigned CREATED task on the first page")
		}
		key := open.UserTaskKey

		raw, err = v2.GetUserTask(ctx(), key)
		got := decodeJSON[tasklist.UserTask](t, raw, err)
		if got.UserTaskKey != key || got.State != "CREATED" || got.Name != open.Name {
			t.Fatalf("GetUserTask: %s", raw)
		}

		if err := v2.AssignUserTask(ctx(), key, json.RawMessage(`{"assignee":"demo"}`)); err != nil {
			t.Fatal(err)
		}
		waitForTask(t, v2, map[string]any{"userTaskKey": key, "assignee": "demo"})

		if err := v2.UnassignUserTask(ctx(), key); err != nil {
			t.Fatal(err)
		}
		if err := v2.UnassignUserTask(ctx(), key); err != nil {
			t.Fatalf("unassigning again: %v", err)
		}
		waitForTask(t, v2, map[string]any{"userTaskKey": key, "assignee": map[string]any{"$exists": false}})

		if err := v2.UpdateUserTask(ctx(), key, json.RawMessage(`{"changeset":{"priority":77,"candidateGroups":["accounting"]}}`)); err != nil {
			t.Fatal(err)
		}
		updated := waitForTask(t, v2, map[string]any{"userTaskKey": key, "priority": 77})
		if fmt.Sprint(updated.CandidateGroups) != "[accounting]" {
			t.Errorf("candidateGroups %v", updated.CandidateGroups)
		}

		if err := v2.AssignUserTask(ctx(), key, json.RawMessage(`{"assignee":"demo","allowOverride":false}`)); err != nil {
			t.Fatal(err)
		}
		variables := mustJSON(t, map[string]any{"variables": map[string]any{
			"approved": true, "comment": `said "ok"`, "amount": 12.5,
		}})
		if err := v2.CompleteUserTask(ctx(), key, variables); err != nil {
			t.Fatal(err)
		}
		raw, err = v2.SearchUserTasksWait(ctx(), mustJSON(t, map[string]any{
			"filter": map[string]any{"userTaskKey": key, "state": "COMPLETED"},
		}), 1, waitLong)
		done := decodeJSON[v2Page[tasklist.UserTask]](t, raw, err)
		if len(done.Items) != 1 || done.Items[0].State != "COMPLETED" || done.Items[0].CompletionDate == nil {
			t.Fatalf("after completing: %s", raw)
		}

		// The completion's variables, each value as JSON text.
		raw, err = v2.SearchUserTaskVariables(ctx(), key, nil)
		vars := decodeJSON[v2Page[struct{ Name, Value string }]](t, raw, err)
		values := map[string]string{}
		for _, v := range vars.Items {
			values[v.Name] = v.Value
		}
		if values["approved"] != "true" || values["comment"] != `"said \"ok\""` || values["amount"] != "12.5" {
			t.Errorf("variables after completing: %v", values)
		}
		raw, err = v2.SearchUserTaskVariables(ctx(), key, json.RawMessage(`{"filter":{"name":"comment"}}`))
		if only := decodeJSON[v2Page[struct{ Name string }]](t, raw, err); len(only.Items) != 1 || only.Items[0].Name != "comment" {
			t.Errorf("filtered variables: %s", raw)
		}

		// It left the engine.
		assertError(t, v2.CompleteUserTask(ctx(), key, nil), tasklist.ErrNotFound, 404)
	}, "--export-delay-ms", exportDelay)
}

func TestV2SearchWaitTimesOut(t *testing.T) {
	t.Parallel()
	v2 := newClient(t, oauthOptions(startEmulatorVersion(t, "8.9"))).V2()
	nobody := json.RawMessage(`{"filter":{"assignee":"nobody"}}`)
	_, err := v2.SearchUserTasksWait(ctx(), nobody, 1, 200*time.Millisecond)
	assertError(t, err, tasklist.ErrTimeout, 0)
	raw, err := v2.SearchUserTasksWait(ctx(), nobody, 0, 0)
	if page := decodeJSON[v2Page[json.RawMessage]](t, raw, err); len(page.Items) != 0 {
		t.Errorf("once: %s", raw)
	}
	_, err = v2.SearchUserTasksWait(ctx(), nobody, -1, time.Second)
	assertError(t, err, tasklist.ErrInvalidArgument, 0)
	_, err = v2.SearchUserTasksWait(ctx(), nobody, 1, -time.Second)
	assertError(t, err, tasklist.ErrInvalidArgument, 0)
}

func TestV2EveryPage(t *testing.T) {
	forEachV2Version(t, func(t *testing.T, version, base string) {
		v2 := newClient(t, oauthOptions(base)).V2()
		raw, err := v2.SearchUserTasks(ctx(), nil)
		total := decodeJSON[v2Page[json.RawMessage]](t, raw, err).Page.TotalItems
		if total != 150 { // the 120 demo tasks and 30 generated ones
			t.Fatalf("totalItems %d, want 150", total)
		}
		query := json.RawMessage(`{"page":{"limit":7}}`)
		seen := map[string]bool{}
		var order []string
		for task, err := range v2.UserTasks(ctx(), query) {
			if err != nil {
				t.Fatal(err)
			}
			if seen[task.UserTaskKey] || len(task.Raw) == 0 {
				t.Fatalf("task %s twice, or without Raw", task.UserTaskKey)
			}
			seen[task.UserTaskKey] = true
			order = append(order, task.UserTaskKey)
		}
		if len(order) != total {
			t.Fatalf("iterated %d tasks, totalItems %d", len(order), total)
		}
		raw, err = v2.SearchAllUserTasks(ctx(), query, 0)
		if err != nil {
			t.Fatal(err)
		}
		all, err := tasklist.DecodeUserTasks(raw)
		if err != nil || len(all) != total {
			t.Fatalf("SearchAllUserTasks: %d tasks, %v", len(all), err)
		}
		for i := range all {
			if all[i].UserTaskKey != order[i] {
				t.Fatalf("position %d: iterator %s, SearchAllUserTasks %s", i, order[i], all[i].UserTaskKey)
			}
		}
		raw, err = v2.SearchAllUserTasks(ctx(), nil, 3)
		if some, _ := tasklist.DecodeUserTasks(raw); err != nil || len(some) != 3 {
			t.Errorf("maxItems 3: %d tasks, %v", len(some), err)
		}

		// Breaking out stops fetching: 10 tasks of pages of 7 need 2 searches.
		before := counter(t, base, "requests")
		n := 0
		for _, err := range v2.UserTasks(ctx(), query) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 10 {
				break
			}
		}
		if got := counter(t, base, "requests") - before; got != 2 {
			t.Errorf("stopping after 10 tasks made %v requests, want 2", got)
		}

		var errs []error
		for _, err := range v2.UserTasks(ctx(), json.RawMessage(`{"page":{"after":"abc"}}`)) {
			errs = append(errs, err)
		}
		if len(errs) != 1 || !errors.Is(errs[0], tasklist.ErrInvalidArgument) {
			t.Errorf("cursor in query: got %v, want one ErrInvalidArgument", errs)
		}
		_, err = v2.SearchAllUserTasks(ctx(), json.RawMessage(`{"page":{"from":3}}`), 0)
		assertError(t, err, tasklist.ErrInvalidArgument, 0)
		_, err = v2.SearchAllUserTasks(ctx(), nil, -1)
		assertError(t, err, tasklist.ErrInvalidArgument, 0)
	}, "--tasks", "30")
}

func TestV2Forms(t *testing.T) {
	forEachV2Version(t, func(t *testing.T, version, base string) {
		v2 := newClient(t, oauthOptions(base)).V2()
		raw, err := v2.GetUserTaskForm(ctx(), landmarks(t, base)["linkedFormTaskId"])
		form := decodeJSON[struct{ FormID, Schema string }](t, raw, err)
		if form.FormID != "loan-form" || !strings.Contains(form.Schema, "components") {
			t.Errorf("linked form: %s", raw)
		}
		raw, err = v2.SearchUserTasks(ctx(), nil)
		for _, task := range decodeJSON[v2Page[tasklist.UserTask]](t, raw, err).Items {
			if task.FormKey == nil {
				raw, err := v2.GetUserTaskForm(ctx(), task.UserTaskKey)
				if raw != nil || err != nil {
					t.Errorf("task without a form: %q, %v", raw, err)
				}
				break
			}
		}
		_, err = v2.GetUserTaskForm(ctx(), "1")
		assertError(t, err, tasklist.ErrNotFound, 404)
	})
}

func TestV2ProcessesStartFormAndInstance(t *testing.T) {
	forEachV2Version(t, func(t *testing.T, version, base string) {
		v2 := newClient(t, oauthOptions(base)).V2()
		raw, err := v2.SearchProcessDefinitions(ctx(), json.RawMessage(`{"filter":{"isLatestVersion":true,"hasStartForm":true}}`))
		type definition struct{ ProcessDefinitionKey, ProcessDefinitionID string }
		found := decodeJSON[v2Page[definition]](t, raw, err)
		if len(found.Items) != 1 || found.Items[0].ProcessDefinitionID != "loan-application" {
			t.Fatalf("definitions with a start form: %s", raw)
		}
		key := found.Items[0].ProcessDefinitionKey
		raw, err = v2.GetProcessDefinitionForm(ctx(), key)
		if form := decodeJSON[struct{ FormID, Schema string }](t, raw, err); form.FormID != "loan-form" || form.Schema == "" {
			t.Errorf("start form: %s", raw)
		}
		raw, err = v2.SearchProcessDefinitions(ctx(), json.RawMessage(`{"filter":{"hasStartForm":false}}`))
		plain := decodeJSON[v2Page[definition]](t, raw, err).Items[0].ProcessDefinitionKey
		if raw, err := v2.GetProcessDefinitionForm(ctx(), plain); raw != nil || err != nil {
			t.Errorf("process without a start form: %q, %v", raw, err)
		}

		raw, err = v2.CreateProcessInstance(ctx(), mustJSON(t, map[string]any{
			"processDefinitionKey": key, "variables": map[string]any{"decision": "approve", "amount": 12},
		}))
		instance := decodeJSON[struct{ ProcessInstanceKey string }](t, raw, err).ProcessInstanceKey
		if instance == "" {
			t.Fatalf("no processInstanceKey in %s", raw)
		}
		task := waitForTask(t, v2, map[string]any{"processInstanceKey": instance})
		if task.ProcessDefinitionKey != key || task.State != "CREATED" {
			t.Errorf("the new instance's task: %s", task.Raw)
		}
		_, err = v2.CreateProcessInstance(ctx(), nil)
		assertError(t, err, tasklist.ErrInvalidArgument, 0)
	})
}

func TestV2TopologyNamesTheVersion(t *testing.T) {
	forEachV2Version(t, func(t *testing.T, version, base string) {
		raw, err := newClient(t, oauthOptions(base)).V2().GetTopology(ctx())
		if got := decodeJSON[struct{ GatewayVersion string }](t, raw, err).GatewayVersion; got != version+".0" {
			t.Errorf("gatewayVersion %q, want %s.0", got, version)
		}
	})
}

func TestV2ConflictFromAnInjected409(t *testing.T) {
	forEachV2Version(t, func(t *testing.T, version, base string) {
		c := newClient(t, oauthOptions(base))
		if err := c.Login(ctx()); err != nil { // the fault is for the API call, not the token
			t.Fatal(err)
		}
		key := landmarks(t, base)["camundaUserTaskId"]
		admin(t, base, "POST", "faults", `{"target":"api","status":409}`)
		assign := json.RawMessage(`{"assignee":"demo"}`)
		e := assertError(t, c.V2().AssignUserTask(ctx(), key, assign), tasklist.ErrConflict, 409)
		if e != nil && e.Code != tasklist.CodeConflict {
			t.Errorf("code %v", e.Code)
		}
		if err := c.V2().AssignUserTask(ctx(), key, assign); err != nil {
			t.Errorf("the fault happens once: %v", err)
		}
	})
}

func TestV2ConflictWhileAListenerHoldsTheTask(t *testing.T) {
	t.Parallel()
	base := startEmulatorVersion(t, "8.9", "--request-timeout-ms", "300") // how long a listener may hold a command
	opts := oauthOptions(base)
	opts.MaxRetries = tasklist.Retries(0) // the 504 must not be retried here
	v2 := newClient(t, opts).V2()
	key := landmarks(t, base)["camundaUserTaskId"]
	if err := v2.AssignUserTask(ctx(), key, json.RawMessage(`{"assignee":"demo"}`)); err != nil {
		t.Fatal(err)
	}
	admin(t, base, "POST", "faults", `{"listener":"update","never":true}`)
	assertError(t, v2.UpdateUserTask(ctx(), key, json.RawMessage(`{"changeset":{"priority":90}}`)), tasklist.ErrServer, 504)
	assertError(t, v2.CompleteUserTask(ctx(), key, nil), tasklist.ErrConflict, 409)
	admin(t, base, "POST", "release-listeners", "")
	if err := v2.CompleteUserTask(ctx(), key, nil); err != nil {
		t.Fatal(err)
	}
}

func TestV2TheGenerationAServerLacksIsUnsupported(t *testing.T) {
	t.Parallel()
	onlyV2 := newClient(t, oauthOptions(startEmulatorVersion(t, "8.10")))
	_, err := onlyV2.SearchTasks(ctx(), nil)
	if e := assertError(t, err, tasklist.ErrUnsupported, 404); e != nil && !strings.Contains(e.Message, "8.10") {
		t.Errorf("message does not name the version: %q", e.Message)
	}
	if _, err := onlyV2.V2().SearchUserTasks(ctx(), nil); err != nil {
		t.Errorf("v2 on 8.10: %v", err)
	}

	base87 := startEmulatorVersion(t, "8.7")
	onlyV1 := newClient(t, oauthOptions(base87))
	_, err = onlyV1.V2().SearchUserTasks(ctx(), nil)
	assertError(t, err, tasklist.ErrUnsupported, 404)
	_, err = onlyV1.V2().GetUserTask(ctx(), landmarks(t, base87)["unassignedTaskId"])
	assertError(t, err, tasklist.ErrUnsupported, 404)
	if _, err := onlyV1.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
		t.Errorf("v1 on 8.7: %v", err)
	}
}

// Not parallel: it sets environment variables (Options has no Basic
// authentication of its own; the environment's BASIC strategy reaches it).
func TestV2BasicAuthOn89(t *testing.T) {
	base := startEmulatorVersion(t, "8.9")
	t.Setenv("CAMUNDA_TASKLIST_BASE_URL", base)
	t.Setenv("CAMUNDA_AUTH_STRATEGY", "BASIC")
	t.Setenv("CAMUNDA_BASIC_AUTH_USERNAME", "demo")
	t.Setenv("CAMUNDA_BASIC_AUTH_PASSWORD", "demo")
	c, err := tasklist.NewFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	key := landmarks(t, base)["camundaUserTaskId"]
	if err := c.V2().AssignUserTask(ctx(), key, json.RawMessage(`{"assignee":"demo"}`)); err != nil {
		t.Fatal(err)
	}
	if err := c.V2().CompleteUserTask(ctx(), key, json.RawMessage(`{"variables":{"viaBasic":true}}`)); err != nil {
		t.Fatal(err)
	}
	waitForTask(t, c.V2(), map[string]any{"userTaskKey": key, "state": "COMPLETED"})
	if logins, tokens := counter(t, base, "logins"), counter(t, base, "token_requests"); logins != 0 || tokens != 0 {
		t.Errorf("Basic sent credentials on every call, yet %v logins and %v token requests", logins, tokens)
	}

	t.Setenv("CAMUNDA_BASIC_AUTH_PASSWORD", "wrong")
	wrong, err := tasklist.NewFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	_, err = wrong.V2().GetTopology(ctx())
	assertError(t, err, tasklist.ErrUnauthorized, 401)
}

func TestV2CookieLoginOn88FindsLogin(t *testing.T) {
	t.Parallel()
	base := startEmulatorVersion(t, "8.8")
	v2 := newClient(t, cookieOptions(base, "demo", "demo")).V2() // no login path: found by itself
	key := landmarks(t, base)["camundaUserTaskId"]
	if err := v2.AssignUserTask(ctx(), key, json.RawMessage(`{"assignee":"demo"}`)); err != nil {
		t.Fatal(err) // a write: the session's CSRF token went along
	}
	if err := v2.CompleteUserTask(ctx(), key, json.RawMessage(`{"variables":{"viaCookie":true}}`)); err != nil {
		t.Fatal(err)
	}
	waitForTask(t, v2, map[string]any{"userTaskKey": key, "state": "COMPLETED"})
	// The login page's CSRF token first, then the login; never 8.7's /api/login.
	var logins []string
	for _, entry := range adminLog(t, base) {
		if strings.Contains(entry.Path, "login") {
			logins = append(logins, fmt.Sprintf("%s %s %d", entry.Method, entry.Path, entry.Status))
		}
	}
	if got := strings.Join(logins, ", "); got != "GET /login 200, POST /login 204" {
		t.Errorf("login requests: %s", got)
	}
}

func TestV2ArgumentsAreCheckedBeforeAnythingIsSent(t *testing.T) {
	t.Parallel()
	base := startEmulatorVersion(t, "8.9")
	v2 := newClient(t, oauthOptions(base)).V2()
	for name, err := range map[string]error{
		"AssignUserTask without a body": v2.AssignUserTask(ctx(), "2251799813685249", nil),
		"UpdateUserTask without a body": v2.UpdateUserTask(ctx(), "2251799813685249", nil),
		"a key that is not decimal":     func() error { _, err := v2.GetUserTask(ctx(), "12ab"); return err }(),
		"an empty key":                  v2.UnassignUserTask(ctx(), ""),
		"a NUL in a key":                func() error { _, err := v2.GetUserTaskForm(ctx(), "1\x002"); return err }(),
		"invalid JSON": func() error {
			_, err := v2.SearchUserTasks(ctx(), json.RawMessage(`{not json`))
			return err
		}(),
	} {
		if !errors.Is(err, tasklist.ErrInvalidArgument) && !errors.Is(err, tasklist.ErrInvalidJSON) {
			t.Errorf("%s: got %v, want an argument error", name, err)
		}
	}
	if n := len(adminLog(t, base)); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestV2ClosedClient(t *testing.T) {
	t.Parallel()
	c := newClient(t, oauthOptions(startEmulatorVersion(t, "8.9")))
	v2 := c.V2()
	c.Close()
	if _, err := v2.GetTopology(ctx()); !errors.Is(err, tasklist.ErrClosed) {
		t.Errorf("GetTopology after Close: %v", err)
	}
	for _, err := range v2.UserTasks(ctx(), nil) {
		if !errors.Is(err, tasklist.ErrClosed) {
			t.Errorf("UserTasks after Close: %v", err)
		}
	}
}

func TestV2TaskLocalVariablesAndTheCurrentUserWithBasic(t *testing.T) {
	base := startEmulatorVersion(t, "8.9")
	c := newClient(t, tasklist.Options{BaseURL: base, Basic: &tasklist.Basic{Username: "demo", Password: "demo"}})
	v2 := c.V2()
	raw, err := v2.GetCurrentUser(ctx())
	me := decodeJSON[struct {
		Username string `json:"username"`
	}](t, raw, err)
	if me.Username != "demo" {
		t.Fatalf("GetCurrentUser: %s", raw)
	}
	raw, err = v2.SearchUserTasks(ctx(), json.RawMessage(`{"filter":{"state":"CREATED"},"page":{"limit":1}}`))
	page := decodeJSON[v2Page[struct {
		UserTaskKey        string `json:"userTaskKey"`
		ElementInstanceKey string `json:"elementInstanceKey"`
	}]](t, raw, err)
	if len(page.Items) != 1 {
		t.Fatalf("no open task: %s", raw)
	}
	task := page.Items[0]
	if err := v2.SetElementInstanceVariables(ctx(), task.ElementInstanceKey, json.RawMessage(`{"variables":{"note":"half done"},"local":true}`)); err != nil {
		t.Fatal(err)
	}
	raw, err = v2.SearchUserTaskEffectiveVariables(ctx(), task.UserTaskKey, json.RawMessage(`{"filter":{"name":"note"}}`))
	vars := decodeJSON[v2Page[struct {
		Value string `json:"value"`
	}]](t, raw, err)
	if len(vars.Items) != 1 || vars.Items[0].Value != `"half done"` {
		t.Fatalf("effective variables: %s", raw)
	}
	if err := v2.SetElementInstanceVariables(ctx(), task.ElementInstanceKey, nil); !errors.Is(err, tasklist.ErrInvalidArgument) {
		t.Errorf("no request: %v", err)
	}
}
