package tasklist

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"iter"
	"strconv"
)

// defaultPageSize is Tasklist's own default page size.
const defaultPageSize = 50

// Tasks iterates over every task matching query, one page at a time: each
// page is one SearchTasks call, the next page starts after the sortValues
// of the last task. Unlike SearchAllTasks, memory stays at one page and
// the loop may stop early (break), which stops fetching.
//
// query is a JSON object (nil: {}) with the caller's filters, sort and
// pageSize (default 50); it must not contain a cursor (searchAfter,
// searchBefore, ...). An error is yielded once, with a zero Task, and ends
// the iteration; the context is checked before every page. A page that ends
// with the cursor of any earlier page (A, B, A, ...) would make the walk go
// round forever: it yields an error with CodeDecode instead. Cursors are
// remembered as 64-bit hashes with a random seed; two different cursors
// sharing one would only end the iteration early with that error.
//
//	for task, err := range client.Tasks(ctx, json.RawMessage(`{"state":"CREATED"}`)) {
//		if err != nil { return err }
//		fmt.Println(task.ID, task.Name)
//	}
func (c *Client) Tasks(ctx context.Context, query json.RawMessage) iter.Seq2[Task, error] {
	return func(yield func(Task, error) bool) {
		fields, pageSize, err := pagingQuery(query)
		if err != nil {
			yield(Task{}, err)
			return
		}
		seed := maphash.MakeSeed()
		seen := map[uint64]int{} // hash of a cursor -> the page that ended with it
		for page := 1; ; page++ {
			body, err := json.Marshal(fields)
			if err != nil {
				yield(Task{}, err)
				return
			}
			raw, err := c.SearchTasks(ctx, body)
			if err != nil {
				yield(Task{}, err)
				return
			}
			tasks, err := DecodeTasks(raw)
			if err != nil {
				yield(Task{}, &Error{Code: CodeDecode, Message: err.Error()})
				return
			}
			for _, t := range tasks {
				if !yield(t, nil) {
					return
				}
			}
			if len(tasks) < pageSize {
				return // a short or empty page is the last one
			}
			cursor, err := json.Marshal(tasks[len(tasks)-1].SortValues)
			if err != nil {
				yield(Task{}, err)
				return
			}
			if len(tasks[len(tasks)-1].SortValues) == 0 {
				yield(Task{}, &Error{Code: CodeDecode, Message: "a task of the search answer has no sortValues to continue from"})
				return
			}
			// A cursor that comes back, right away or later, would loop forever.
			key := maphash.Bytes(seed, cursor)
			if first, ok := seen[key]; ok {
				yield(Task{}, &Error{Code: CodeDecode, Message: fmt.Sprintf(
					"the server repeated a task search cursor: page %d repeated the cursor (sortValues of its last task) of page %d", page, first)})
				return
			}
			seen[key] = page
			fields["searchAfter"] = cursor
		}
	}
}

// pagingQuery parses query into its fields (values kept raw, so large
// numbers are passed on unchanged) and returns the page size in effect.
func pagingQuery(query json.RawMessage) (map[string]json.RawMessage, int, error) {
	fields := map[string]json.RawMessage{}
	if len(query) > 0 {
		if err := json.Unmarshal(query, &fields); err != nil || fields == nil {
			return nil, 0, &Error{Code: CodeInvalidJSON, Message: "the task query must be a JSON object"}
		}
	}
	for _, cursor := range []string{"searchAfter", "searchAfterOrEqual", "searchBefore", "searchBeforeOrEqual"} {
		if _, ok := fields[cursor]; ok {
			return nil, 0, usageError("the task query must not contain %s: Tasks sets the cursor itself", cursor)
		}
	}
	pageSize := defaultPageSize
	if raw, ok := fields["pageSize"]; ok {
		if err := json.Unmarshal(raw, &pageSize); err != nil || pageSize <= 0 {
			return nil, 0, usageError("pageSize must be a positive whole number")
		}
	} else {
		fields["pageSize"] = json.RawMessage(strconv.Itoa(defaultPageSize))
	}
	return fields, pageSize, nil
}
