package tasklist_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

var exampleV2 struct {
	once sync.Once
	emu  *emulator
}

// exampleServerV2 is exampleServer for the v2 examples: an emulator of
// Camunda 8.9 (the shared one is the v1-era "legacy"), started once, reset
// to its seed data for every example and stopped by TestMain. In a program
// this is the URL of your cluster's REST API, e.g. "http://localhost:8080".
func exampleServerV2() string {
	exampleV2.once.Do(func() {
		emu, err := launchEmulator("8.9", "--export-delay-ms", "200")
		if err != nil {
			log.Fatal(err)
		}
		exampleV2.emu = emu
	})
	resp, err := http.Post(exampleV2.emu.url+"/__emulator/reset", "application/json", strings.NewReader("{}"))
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	return exampleV2.emu.url
}

// stopExampleEmulators stops what exampleServerV2 started, if anything.
func stopExampleEmulators() {
	if exampleV2.emu != nil {
		exampleV2.emu.stop()
	}
}

// The v2 flow: find an open user task, claim it, complete it with
// variables, wait until searches show it completed (they read secondary
// storage, which lags commands), then start a process from its start form.
func ExampleV2() {
	baseURL := exampleServerV2()
	client, err := tasklist.New(tasklist.Options{
		BaseURL: baseURL,
		OAuth: &tasklist.OAuth{
			TokenURL:     baseURL + "/oauth/token",
			ClientID:     "tasklist-client",
			ClientSecret: "tasklist-secret",
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()
	v2 := client.V2()

	// The oldest open, unassigned task.
	var task tasklist.UserTask
	for t, err := range v2.UserTasks(ctx, json.RawMessage(`{
		"filter": {"state": "CREATED", "assignee": {"$exists": false}},
		"sort": [{"field": "creationDate", "order": "ASC"}]
	}`)) {
		if err != nil {
			log.Fatal(err)
		}
		task = t
		break // stops fetching pages
	}
	fmt.Println("open:", task.UserTaskKey, task.Name)

	if err := v2.AssignUserTask(ctx, task.UserTaskKey, json.RawMessage(`{"assignee":"demo","allowOverride":false}`)); err != nil {
		log.Fatal(err)
	}
	// Plain JSON values: v2 takes them as they are (v1 wanted JSON text).
	completion, _ := json.Marshal(map[string]any{"variables": map[string]any{
		"approved": true,
		"comment":  "checked by the Go example",
	}})
	if err := v2.CompleteUserTask(ctx, task.UserTaskKey, completion); err != nil {
		log.Fatal(err)
	}
	query, _ := json.Marshal(map[string]any{"filter": map[string]any{"userTaskKey": task.UserTaskKey, "state": "COMPLETED"}})
	raw, err := v2.SearchUserTasksWait(ctx, query, 1, 30*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	var done struct{ Items []tasklist.UserTask }
	if err := json.Unmarshal(raw, &done); err != nil {
		log.Fatal(err)
	}
	fmt.Println("now:", done.Items[0].State, "assigned to", *done.Items[0].Assignee)

	// A process with a start form, and the fields of that form.
	raw, err = v2.SearchProcessDefinitions(ctx, json.RawMessage(`{"filter":{"isLatestVersion":true,"hasStartForm":true}}`))
	if err != nil {
		log.Fatal(err)
	}
	var definitions struct {
		Items []struct{ ProcessDefinitionKey, ProcessDefinitionID string }
	}
	if err := json.Unmarshal(raw, &definitions); err != nil || len(definitions.Items) == 0 {
		log.Fatal("no process with a start form ", err)
	}
	definition := definitions.Items[0]
	raw, err = v2.GetProcessDefinitionForm(ctx, definition.ProcessDefinitionKey)
	if err != nil || raw == nil {
		log.Fatal("no start form ", err)
	}
	var form struct{ FormID, Schema string } // Schema is the form's JSON as text
	var schema struct{ Components []struct{ Key string } }
	if err := json.Unmarshal(raw, &form); err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal([]byte(form.Schema), &schema); err != nil {
		log.Fatal(err)
	}
	variables := map[string]any{}
	for _, field := range schema.Components {
		if field.Key != "" {
			variables[field.Key] = "approve"
			fmt.Println("start form", form.FormID, "of", definition.ProcessDefinitionID, "asks for", field.Key)
		}
	}

	request, _ := json.Marshal(map[string]any{"processDefinitionKey": definition.ProcessDefinitionKey, "variables": variables})
	raw, err = v2.CreateProcessInstance(ctx, request)
	if err != nil {
		log.Fatal(err)
	}
	var started struct{ ProcessInstanceKey string }
	if err := json.Unmarshal(raw, &started); err != nil {
		log.Fatal(err)
	}
	query, _ = json.Marshal(map[string]any{"filter": map[string]any{"processInstanceKey": started.ProcessInstanceKey}})
	raw, err = v2.SearchUserTasksWait(ctx, query, 1, 30*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	var first struct{ Items []tasklist.UserTask }
	if err := json.Unmarshal(raw, &first); err != nil {
		log.Fatal(err)
	}
	fmt.Println("the new instance waits in:", first.Items[0].Name, first.Items[0].State)
	// Output:
	// open: 2251799813685259 Review application
	// now: COMPLETED assigned to demo
	// start form loan-form of loan-application asks for decision
	// the new instance waits in: Review application CREATED
}

func ExampleV2_GetTopology() {
	baseURL := exampleServerV2()
	client, err := tasklist.New(tasklist.Options{
		BaseURL: baseURL,
		Cookie:  &tasklist.Cookie{Username: "demo", Password: "demo"}, // finds /login by itself
	})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	raw, err := client.V2().GetTopology(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var topology struct{ GatewayVersion string }
	if err := json.Unmarshal(raw, &topology); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Camunda", topology.GatewayVersion)
	// Output: Camunda 8.9.0
}
