package tasklist_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

// exampleServer resets the test emulator to its seed data and returns its
// base URL, so every example starts from the same state. In a program this
// is the URL of your Tasklist, e.g. "http://localhost:8082".
func exampleServer() string {
	resp, err := http.Post(sharedURL+"/__emulator/reset", "application/json", strings.NewReader("{}"))
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	return sharedURL
}

func ExampleNew() {
	baseURL := exampleServer()
	client, err := tasklist.New(tasklist.Options{
		BaseURL: baseURL,
		OAuth: &tasklist.OAuth{
			TokenURL:     baseURL + "/oauth/token",
			ClientID:     "tasklist-client",
			ClientSecret: "tasklist-secret",
		},
		RequestTimeout: 30 * time.Second,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	// Fetch a token now, so that wrong credentials show at start-up.
	if err := client.Login(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println("logged in")
	// Output: logged in
}

func ExampleClient_SearchTasks() {
	baseURL := exampleServer()
	client, err := tasklist.New(tasklist.Options{
		BaseURL: baseURL,
		Cookie:  &tasklist.Cookie{Username: "demo", Password: "demo"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	raw, err := client.SearchTasks(context.Background(), json.RawMessage(`{
		"state": "CREATED",
		"assigned": false,
		"pageSize": 3,
		"sort": [{"field": "creationTime", "order": "ASC"}]
	}`))
	if err != nil {
		log.Fatal(err)
	}
	tasks, err := tasklist.DecodeTasks(raw)
	if err != nil {
		log.Fatal(err)
	}
	for _, task := range tasks {
		fmt.Println(task.ID, task.Name, task.CreationDate)
	}
	// Output:
	// 2251799813685259 Review application 2024-01-15T08:37:00.123+0000
	// 2251799813685268 Review application 2024-01-15T10:28:00.492+0000
	// 2251799813685286 Approve Invoice 2024-01-15T14:10:00.230+0000
}

func ExampleClient_CompleteTask() {
	baseURL := exampleServer()
	client, err := tasklist.New(tasklist.Options{
		BaseURL: baseURL,
		Cookie:  &tasklist.Cookie{Username: "demo", Password: "demo"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()

	const taskID = "2251799813685259"
	// A cookie-session user claims a task for themselves with no body.
	if _, err := client.AssignTask(ctx, taskID, nil); err != nil {
		log.Fatal(err)
	}
	body, err := tasklist.VariablesJSON(map[string]any{
		"approved": true,
		"comment":  "checked by the Go example",
	})
	if err != nil {
		log.Fatal(err)
	}
	raw, err := client.CompleteTask(ctx, taskID, body)
	if err != nil {
		log.Fatal(err)
	}
	task, err := tasklist.DecodeTask(raw)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(task.ID, task.TaskState, *task.Assignee)
	// Output: 2251799813685259 COMPLETED demo
}

func ExampleClient_Tasks() {
	baseURL := exampleServer()
	client, err := tasklist.New(tasklist.Options{BaseURL: baseURL,
		Cookie: &tasklist.Cookie{Username: "demo", Password: "demo"}})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	// Every open task, 20 per request, without holding them all in memory.
	perProcess := map[string]int{}
	for task, err := range client.Tasks(context.Background(), json.RawMessage(`{"state":"CREATED","pageSize":20}`)) {
		if err != nil {
			log.Fatal(err)
		}
		perProcess[task.ProcessName]++
	}
	fmt.Println(perProcess)
	// Output: map[Employee Onboarding:12 Invoice Approval:24 Loan Application:24 support-ticket:12]
}

func ExampleClient_GetTask_notFound() {
	baseURL := exampleServer()
	client, err := tasklist.New(tasklist.Options{BaseURL: baseURL,
		Cookie: &tasklist.Cookie{Username: "demo", Password: "demo"}})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	_, err = client.GetTask(context.Background(), "42")
	if errors.Is(err, tasklist.ErrNotFound) {
		var e *tasklist.Error
		errors.As(err, &e)
		fmt.Println("no such task; HTTP", e.HTTPStatus, e.Code)
	}
	// Output: no such task; HTTP 404 TASKLIST_ERR_NOT_FOUND
}

func ExampleClient_SearchTaskVariables() {
	baseURL := exampleServer()
	client, err := tasklist.New(tasklist.Options{BaseURL: baseURL,
		Cookie: &tasklist.Cookie{Username: "demo", Password: "demo"}})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	raw, err := client.SearchTaskVariables(context.Background(), "2251799813685256",
		json.RawMessage(`{"variableNames":["amount","bigIntVar","objectVar"]}`))
	if err != nil {
		log.Fatal(err)
	}
	vars, err := tasklist.DecodeVariables(raw)
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range vars {
		var value any
		if err := v.Decode(&value); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s = %v\n", v.Name, value)
	}
	// Output:
	// amount = 100.5
	// bigIntVar = 9007199254740993
	// objectVar = map[name:Jane "JJ" Doe nested:map[n:1.5 ok:false] tags:[a b]]
}

func ExampleClient_GetForm() {
	baseURL := exampleServer()
	client, err := tasklist.New(tasklist.Options{BaseURL: baseURL,
		Cookie: &tasklist.Cookie{Username: "demo", Password: "demo"}})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	// A task's formId and processDefinitionKey name its form; "" asks for
	// the latest version.
	raw, err := client.GetForm(context.Background(), "loan-form", "2251799813685251", "")
	if err != nil {
		log.Fatal(err)
	}
	form, err := tasklist.DecodeForm(raw)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(form.ID, "version", *form.Version)
	fmt.Println(form.Schema)
	// Output:
	// loan-form version 2
	// {"components":[{"label":"Decision (v2)","type":"textfield","key":"decision"}],"type":"default","id":"decisionForm","schemaVersion":4}
}

func ExampleVariables() {
	inputs, err := tasklist.Variables(map[string]any{
		"approved": true,
		"amount":   json.Number("12345678901234567890"),
		"comment":  `says "ok" <b>`,
		"items":    []string{"a", "b"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, in := range inputs {
		fmt.Printf("%s: %s\n", in.Name, in.Value)
	}
	// Output:
	// amount: 12345678901234567890
	// approved: true
	// comment: "says \"ok\" <b>"
	// items: ["a","b"]
}

// DescribeOptions shows what a configuration amounts to, with the source of
// each value and every secret redacted.
func ExampleDescribeOptions() {
	raw, err := tasklist.DescribeOptions(tasklist.Options{
		BaseURL: "https://tasklist.example",
		OAuth: &tasklist.OAuth{
			TokenURL:     "https://login.example/oauth/token",
			ClientID:     "my-client",
			ClientSecret: "do-not-print-me",
		},
		Proxy: "http://me:proxy-password@proxy.example:3128",
	})
	if err != nil {
		log.Fatal(err)
	}
	var settings map[string]struct {
		Value  any
		Source string
	}
	if err := json.Unmarshal(raw, &settings); err != nil {
		log.Fatal(err)
	}
	for _, key := range []string{"client_secret", "audience", "proxy"} {
		fmt.Printf("%s: %v (%s)\n", key, settings[key].Value, settings[key].Source)
	}
	// Output:
	// client_secret: *** (set)
	// audience: tasklist.camunda.io (default)
	// proxy: http://***@proxy.example:3128 (set)
}

// SetLogger sends the library's log lines to log/slog, for every client of
// the process. Each line is one record: "POST /v1/tasks/search" with
// method, path, status, duration_ms and retries attributes, for example.
func ExampleSetLogger() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("component", "libtasklist")
	tasklist.SetLogger(logger, slog.LevelInfo)
	defer tasklist.SetLogger(nil, 0) // back to the default (TASKLIST_LOG, stderr)

	client, err := tasklist.New(tasklist.Options{BaseURL: "http://localhost:8082", BearerToken: os.Getenv("TASKLIST_TOKEN")})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	// Logs e.g. {"level":"INFO","msg":"POST /v1/tasks/search","component":"libtasklist",
	// "method":"POST","path":"/v1/tasks/search","status":200,"duration_ms":3,"retries":0}
	_, _ = client.SearchTasks(context.Background(), nil)
}
