// Command tasklist-v2-example does the main job on Camunda 8.8 and later
// through the v2 Orchestration Cluster API: find an open user task, claim it,
// complete it with variables, wait until search shows it completed (searches
// lag commands), then start a process from its start form.
//
//	go run . -base-url http://127.0.0.1:8080 -auth oauth
//	go run . -base-url http://127.0.0.1:8080 -auth basic -user demo -password demo
//	go run . -base-url http://127.0.0.1:8080 -auth cookie
//	go run .        (CAMUNDA_REST_ADDRESS, CAMUNDA_CLIENT_ID, CAMUNDA_AUTH_STRATEGY, ...)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

func main() {
	baseURL := flag.String("base-url", "", "the cluster's address, without /v2 (empty: read CAMUNDA_* variables)")
	auth := flag.String("auth", "oauth", "with -base-url: oauth, basic or cookie")
	clientID := flag.String("client-id", "tasklist-client", "OAuth client id")
	clientSecret := flag.String("client-secret", "tasklist-secret", "OAuth client secret")
	user := flag.String("user", "demo", "Basic or cookie login user")
	password := flag.String("password", "demo", "Basic or cookie login password")
	flag.Parse()

	client, err := connect(*baseURL, *auth, *clientID, *clientSecret, *user, *password)
	if err == nil {
		defer client.Close()
		err = run(client.V2())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		if errors.Is(err, tasklist.ErrUnsupported) {
			fmt.Fprintln(os.Stderr, "  hint: this server has no v2 API; Camunda 8.8 and later have it")
		}
		os.Exit(1)
	}
}

func connect(baseURL, auth, clientID, clientSecret, user, password string) (*tasklist.Client, error) {
	if baseURL == "" {
		return tasklist.NewFromEnv()
	}
	opts := tasklist.Options{BaseURL: baseURL}
	switch auth {
	case "oauth":
		opts.OAuth = &tasklist.OAuth{TokenURL: baseURL + "/oauth/token", ClientID: clientID, ClientSecret: clientSecret}
	case "basic":
		opts.Basic = &tasklist.Basic{Username: user, Password: password}
	case "cookie":
		// The login path (/login from 8.8) is found by the library.
		opts.Cookie = &tasklist.Cookie{Username: user, Password: password}
	default:
		return nil, fmt.Errorf("-auth must be oauth, basic or cookie, not %q", auth)
	}
	return tasklist.New(opts)
}

func run(v2 tasklist.V2) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	raw, err := v2.GetTopology(ctx)
	if err != nil {
		return err
	}
	var topology struct {
		GatewayVersion string `json:"gatewayVersion"`
	}
	if err := json.Unmarshal(raw, &topology); err != nil {
		return err
	}
	fmt.Println("Camunda", topology.GatewayVersion)

	raw, err = v2.SearchUserTasks(ctx, json.RawMessage(`{"filter":{"state":"CREATED","assignee":{"$exists":false}},"sort":[{"field":"creationDate","order":"ASC"}],"page":{"limit":5}}`))
	if err != nil {
		return err
	}
	var page struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return err
	}
	tasks, err := tasklist.DecodeUserTasks(mustMarshal(page.Items))
	if err != nil {
		return err
	}
	if len(tasks) == 0 {
		fmt.Println("no open user task to work on")
		return nil
	}
	task := tasks[0]
	fmt.Printf("found open user task %s (%s)\n", task.UserTaskKey, task.Name)

	if err := v2.AssignUserTask(ctx, task.UserTaskKey, json.RawMessage(`{"assignee":"demo","allowOverride":false}`)); err != nil {
		return err
	}
	fmt.Println("claimed it for demo")
	// Plain JSON values: v2 takes variables as JSON, not JSON text as v1 does.
	completion := mustMarshal(map[string]any{"variables": map[string]any{
		"approved": true, "comment": "checked by the Go v2 example",
	}})
	if err := v2.CompleteUserTask(ctx, task.UserTaskKey, completion); err != nil {
		return err
	}
	fmt.Println("completed it")
	query := mustMarshal(map[string]any{"filter": map[string]any{"userTaskKey": task.UserTaskKey, "state": "COMPLETED"}})
	if _, err := v2.SearchUserTasksWait(ctx, query, 1, 30*time.Second); err != nil {
		return err
	}
	fmt.Println("search shows it COMPLETED")

	raw, err = v2.SearchProcessDefinitions(ctx, json.RawMessage(`{"filter":{"isLatestVersion":true,"hasStartForm":true}}`))
	if err != nil {
		return err
	}
	var definitions struct {
		Items []struct {
			ProcessDefinitionKey string `json:"processDefinitionKey"`
			Name                 string `json:"name"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &definitions); err != nil {
		return err
	}
	if len(definitions.Items) == 0 {
		fmt.Println("no process with a start form")
		return nil
	}
	definition := definitions.Items[0]
	form, err := v2.GetProcessDefinitionForm(ctx, definition.ProcessDefinitionKey)
	if err != nil {
		return err
	}
	fmt.Printf("%s has a start form (%d bytes)\n", definition.Name, len(form))
	started, err := v2.CreateProcessInstance(ctx, mustMarshal(map[string]any{
		"processDefinitionKey": definition.ProcessDefinitionKey,
		"variables":            map[string]any{"requestedBy": "the Go v2 example"},
	}))
	if err != nil {
		return err
	}
	fmt.Println("started:", string(started))
	return nil
}

func mustMarshal(v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return raw
}
