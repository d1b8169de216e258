// Command tasklist-example walks through a typical Tasklist flow with the Go
// binding: authenticate, search open tasks, claim one, complete it with
// variables, and print the result.
//
// Connection settings come from flags, or, without -base-url, from the
// environment variables Camunda's clients use (CAMUNDA_TASKLIST_BASE_URL,
// CAMUNDA_OAUTH_URL, CAMUNDA_CLIENT_ID, CAMUNDA_CLIENT_SECRET,
// CAMUNDA_COOKIE_AUTH_USERNAME, ...):
//
//	go run . -base-url http://127.0.0.1:8080 -auth oauth
//	go run . -base-url http://127.0.0.1:8080 -auth cookie -user demo -password demo
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

type config struct {
	baseURL, auth                              string
	tokenURL, clientID, clientSecret, audience string
	user, password                             string
	assignee                                   string
	verbose                                    bool
}

func main() {
	var cfg config
	flag.StringVar(&cfg.baseURL, "base-url", "", "Tasklist base URL (empty: read CAMUNDA_* environment variables)")
	flag.StringVar(&cfg.auth, "auth", "oauth", "authentication with -base-url: oauth or cookie")
	flag.StringVar(&cfg.tokenURL, "token-url", "", "OAuth token endpoint (default <base-url>/oauth/token)")
	flag.StringVar(&cfg.clientID, "client-id", "tasklist-client", "OAuth client id")
	flag.StringVar(&cfg.clientSecret, "client-secret", "tasklist-secret", "OAuth client secret")
	flag.StringVar(&cfg.audience, "audience", "", "OAuth audience (default tasklist.camunda.io)")
	flag.StringVar(&cfg.user, "user", "demo", "cookie login user")
	flag.StringVar(&cfg.password, "password", "demo", "cookie login password")
	flag.StringVar(&cfg.assignee, "assignee", "demo", "who claims the task (OAuth clients must name someone)")
	flag.BoolVar(&cfg.verbose, "v", false, "log every HTTP exchange of the library (log/slog, to stderr)")
	flag.Parse()
	if cfg.verbose {
		// Process-wide: every client's lines, as slog records with the
		// line's key=value pairs as attributes.
		tasklist.SetLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})), slog.LevelDebug)
	}

	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "error:", describe(err))
		os.Exit(1)
	}
}

func run(cfg config) error {
	client, err := connect(cfg)
	if err != nil {
		return err
	}
	defer client.Close()
	// The context is checked before each call; a call in progress is
	// bounded by the client's RequestTimeout.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	if err := client.Login(ctx); err != nil {
		return fmt.Errorf("authenticating: %w", err)
	}
	fmt.Printf("libtasklist %s: authenticated\n", tasklist.Version())

	raw, err := client.SearchTasks(ctx, json.RawMessage(`{"state":"CREATED","assigned":false,"pageSize":5}`))
	if err != nil {
		return fmt.Errorf("searching open tasks: %w", err)
	}
	tasks, err := tasklist.DecodeTasks(raw)
	if err != nil {
		return err
	}
	fmt.Printf("\nopen unassigned tasks (first %d):\n", len(tasks))
	for _, t := range tasks {
		fmt.Printf("  %s  %-20s  %s\n", t.ID, t.Name, t.ProcessName)
	}
	if len(tasks) == 0 {
		fmt.Println("nothing to do")
		return nil
	}
	task := tasks[0]

	// Cookie-session users claim a task for themselves with no body; an
	// OAuth client acts for someone and must name the assignee.
	var claim json.RawMessage
	if cfg.auth == "oauth" || cfg.baseURL == "" {
		claim, _ = json.Marshal(map[string]any{"assignee": cfg.assignee, "allowOverrideAssignment": false})
	}
	raw, err = client.AssignTask(ctx, task.ID, claim)
	if err != nil {
		return fmt.Errorf("claiming task %s: %w", task.ID, err)
	}
	claimed, err := tasklist.DecodeTask(raw)
	if err != nil {
		return err
	}
	fmt.Printf("\nclaimed %s for %s\n", claimed.ID, deref(claimed.Assignee))

	// Each variable's value travels as JSON text: Variables encodes them.
	inputs, err := tasklist.Variables(map[string]any{
		"approved":   true,
		"comment":    "approved by the Go example",
		"reviewedAt": time.Now().UTC().Format(time.RFC3339),
	})
	if err != nil {
		return err
	}
	body, err := json.Marshal(tasklist.VariablesRequest{Variables: inputs})
	if err != nil {
		return err
	}
	raw, err = client.CompleteTask(ctx, task.ID, body)
	if err != nil {
		return fmt.Errorf("completing task %s: %w", task.ID, err)
	}
	fmt.Printf("completed %s with variables:\n", task.ID)
	for _, v := range inputs {
		fmt.Printf("  %s = %s\n", v.Name, v.Value)
	}
	fmt.Println("\nthe completed task as Tasklist returned it:")
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, raw, "", "  "); err != nil {
		return err
	}
	fmt.Println(pretty.String())
	return nil
}

func connect(cfg config) (*tasklist.Client, error) {
	if cfg.baseURL == "" {
		return tasklist.NewFromEnv()
	}
	opts := tasklist.Options{BaseURL: cfg.baseURL, RequestTimeout: 30 * time.Second}
	switch cfg.auth {
	case "oauth":
		tokenURL := cfg.tokenURL
		if tokenURL == "" {
			tokenURL = cfg.baseURL + "/oauth/token"
		}
		opts.OAuth = &tasklist.OAuth{TokenURL: tokenURL, ClientID: cfg.clientID,
			ClientSecret: cfg.clientSecret, Audience: cfg.audience}
	case "cookie":
		opts.Cookie = &tasklist.Cookie{Username: cfg.user, Password: cfg.password}
	default:
		return nil, fmt.Errorf("-auth must be oauth or cookie, not %q", cfg.auth)
	}
	return tasklist.New(opts)
}

// describe adds what a user needs to act on a library error: its code, the
// HTTP status and the server's explanation.
func describe(err error) string {
	var e *tasklist.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	msg := err.Error()
	if e.Body != "" {
		msg += "\n  server said: " + e.Body
	}
	switch {
	case errors.Is(err, tasklist.ErrAuthFailed):
		msg += "\n  hint: check the client id/secret or username/password"
	case errors.Is(err, tasklist.ErrConnect), errors.Is(err, tasklist.ErrAuthUnavailable):
		msg += "\n  hint: are Tasklist and its token endpoint or login reachable?"
	}
	return msg
}

func deref(s *string) string {
	if s == nil {
		return "(nobody)"
	}
	return *s
}
