// libtasklist from Go: the cgo binding, one Client shared by the goroutines.
//
//	go_bench search|all|variable N GOROUTINES
//
// Connection details come from BENCH_BASE_URL, BENCH_TOKEN_URL, BENCH_CLIENT_ID and
// BENCH_CLIENT_SECRET, as for every client of the harness. Prints the JSON line every client
// prints (see bench/README.md). Results stay json.RawMessage, as the binding returns them,
// except in the paging workload, where the Tasks iterator decodes each task.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

// warmupPerGoroutine opens the keep-alive connections before timing, as the C loop does.
const warmupPerGoroutine = 20

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "go_bench: "+format+"\n", args...)
	os.Exit(1)
}

// percentile is the nearest rank, the definition every client of the harness uses.
func percentile(sorted []float64, p float64) float64 {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}

// workload returns one call of the named workload and the task count its first call must give.
func workload(client *tasklist.Client, name string) (func() (int, error), int) {
	ctx := context.Background()
	switch name {
	case "search":
		query := json.RawMessage(`{"pageSize":50}`)
		return func() (int, error) {
			raw, err := client.SearchTasks(ctx, query)
			return len(raw), err
		}, -1
	case "all":
		query := json.RawMessage(env("BENCH_ALL_QUERY", "{}"))
		expect, _ := strconv.Atoi(env("BENCH_ALL_EXPECT", "0"))
		return func() (int, error) {
			n := 0
			for _, err := range client.Tasks(ctx, query) {
				if err != nil {
					return n, err
				}
				n++
			}
			return n, nil
		}, expect
	case "variable":
		id := env("BENCH_VARIABLE_ID", "")
		return func() (int, error) {
			raw, err := client.GetVariable(ctx, id)
			return len(raw), err
		}, -1
	}
	fail("unknown workload %q", name)
	return nil, 0
}

func main() {
	if len(os.Args) != 4 {
		fail("usage: go_bench search|all|variable N GOROUTINES")
	}
	n, _ := strconv.Atoi(os.Args[2])
	goroutines, _ := strconv.Atoi(os.Args[3])
	if n < 1 || goroutines < 1 {
		fail("bad N or GOROUTINES")
	}
	base := env("BENCH_BASE_URL", "http://127.0.0.1:8080")
	client, err := tasklist.New(tasklist.Options{
		BaseURL: base,
		OAuth: &tasklist.OAuth{
			TokenURL:     env("BENCH_TOKEN_URL", base+"/oauth/token"),
			ClientID:     env("BENCH_CLIENT_ID", "tasklist-client"),
			ClientSecret: env("BENCH_CLIENT_SECRET", "tasklist-secret"),
		},
	})
	if err != nil {
		fail("%v", err)
	}
	defer client.Close()

	call, expect := workload(client, os.Args[1])
	if got, err := call(); err != nil {
		fail("%v", err)
	} else if expect >= 0 && got != expect {
		fail("expected %d tasks, got %d", expect, got)
	}
	warmup := warmupPerGoroutine
	if os.Args[1] == "all" {
		warmup = 2
	}

	latencies := make([]float64, n)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for g := 0; g < goroutines; g++ {
		first, end := n*g/goroutines, n*(g+1)/goroutines
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			for i := 0; i < warmup; i++ {
				if _, err := call(); err != nil {
					fail("%v", err)
				}
			}
			ready.Done()
			<-start
			for i := first; i < end; i++ {
				t0 := time.Now()
				if _, err := call(); err != nil {
					fail("%v", err)
				}
				latencies[i] = float64(time.Since(t0).Nanoseconds()) / 1e3
			}
		}()
	}
	ready.Wait()
	t0 := time.Now()
	close(start)
	done.Wait()
	seconds := time.Since(t0).Seconds()
	sort.Float64s(latencies)
	line, _ := json.Marshal(map[string]any{
		"requests": n,
		"seconds":  math.Round(seconds*1e6) / 1e6,
		"p50_us":   math.Round(percentile(latencies, 50)*10) / 10,
		"p99_us":   math.Round(percentile(latencies, 99)*10) / 10,
	})
	fmt.Println(string(line))
}
