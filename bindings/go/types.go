package tasklist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Task is a Tasklist task as returned by SearchTasks and GetTask.
//
// Keys (ID, ProcessDefinitionKey, ProcessInstanceKey) are int64 numbers that
// Tasklist sends as strings; they stay strings here because float64-based
// JSON tools lose precision above 2^53. Dates stay strings too: Tasklist's
// format ("2024-01-18T06:55:00.145+0000") is not RFC 3339, so time.Time
// would not decode it; parse with the layout TimeLayout if needed.
type Task struct {
	ID                   string   `json:"id"`
	Name                 string   `json:"name"`
	TaskDefinitionID     string   `json:"taskDefinitionId"`
	ProcessName          string   `json:"processName"`
	CreationDate         string   `json:"creationDate"`
	CompletionDate       *string  `json:"completionDate"`
	Assignee             *string  `json:"assignee"`
	TaskState            string   `json:"taskState"` // CREATED, COMPLETED, CANCELED, FAILED
	FormKey              *string  `json:"formKey"`
	FormID               *string  `json:"formId"`
	FormVersion          *int64   `json:"formVersion"`
	IsFormEmbedded       *bool    `json:"isFormEmbedded"`
	ProcessDefinitionKey string   `json:"processDefinitionKey"`
	ProcessInstanceKey   string   `json:"processInstanceKey"`
	TenantID             *string  `json:"tenantId"`
	DueDate              *string  `json:"dueDate"`
	FollowUpDate         *string  `json:"followUpDate"`
	CandidateGroups      []string `json:"candidateGroups"`
	CandidateUsers       []string `json:"candidateUsers"`
	// SortValues is the cursor of this task; pass it unchanged as
	// "searchAfter" to get the next page. Kept raw because it mixes numbers
	// and keys that must not be rounded.
	SortValues []json.RawMessage `json:"sortValues"`
	IsFirst    bool              `json:"isFirst"`
	// Variables holds the task's variables when the search asked for them
	// ("includeVariables"); decode with DecodeVariables.
	Variables json.RawMessage `json:"variables"`

	// Raw is the task's JSON exactly as the server sent it, including any
	// field this struct does not know (DecodeTask and DecodeTasks fill it).
	Raw json.RawMessage `json:"-"`
}

// TimeLayout is the layout of Tasklist's date strings, for time.Parse.
const TimeLayout = "2006-01-02T15:04:05.000-0700"

// Variable is a process or task variable as returned by SearchTaskVariables
// and GetVariable. Value is the variable's JSON text (decode it with
// Variable.Decode); it is nil when the value was truncated in a search.
type Variable struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	Value            *string        `json:"value"`
	IsValueTruncated bool           `json:"isValueTruncated"`
	PreviewValue     *string        `json:"previewValue"`
	Draft            *DraftVariable `json:"draft"`
	TenantID         *string        `json:"tenantId"`
}

// DraftVariable is the draft value saved for a task variable.
type DraftVariable struct {
	Value            *string `json:"value"`
	IsValueTruncated bool    `json:"isValueTruncated"`
	PreviewValue     *string `json:"previewValue"`
}

// Decode unmarshals the variable's JSON value into dst. It fails when the
// value was truncated (fetch the variable with GetVariable first).
func (v Variable) Decode(dst any) error {
	if v.Value == nil {
		return fmt.Errorf("tasklist: variable %q has no full value (truncated: %v)", v.Name, v.IsValueTruncated)
	}
	return decodeValue(*v.Value, dst)
}

// Form is a form as returned by GetForm. Schema is the form-js JSON as a
// string.
type Form struct {
	ID                   string  `json:"id"`
	ProcessDefinitionKey string  `json:"processDefinitionKey"`
	Title                *string `json:"title"`
	Schema               string  `json:"schema"`
	Version              *int64  `json:"version"`
	TenantID             *string `json:"tenantId"`
	IsDeleted            bool    `json:"isDeleted"`
}

// DecodeTasks decodes the JSON array of SearchTasks or SearchAllTasks.
func DecodeTasks(raw json.RawMessage) ([]Task, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("tasklist: decoding tasks: %w", err)
	}
	tasks := make([]Task, len(items))
	for i, item := range items {
		t, err := DecodeTask(item)
		if err != nil {
			return nil, err
		}
		tasks[i] = t
	}
	return tasks, nil
}

// DecodeTask decodes one task (the answer of GetTask, AssignTask, ...).
func DecodeTask(raw json.RawMessage) (Task, error) {
	var t Task
	if err := json.Unmarshal(raw, &t); err != nil {
		return Task{}, fmt.Errorf("tasklist: decoding task: %w", err)
	}
	t.Raw = raw
	return t, nil
}

// DecodeVariables decodes the JSON array of SearchTaskVariables.
func DecodeVariables(raw json.RawMessage) ([]Variable, error) {
	var vars []Variable
	if err := json.Unmarshal(raw, &vars); err != nil {
		return nil, fmt.Errorf("tasklist: decoding variables: %w", err)
	}
	return vars, nil
}

// DecodeVariable decodes the answer of GetVariable.
func DecodeVariable(raw json.RawMessage) (Variable, error) {
	var v Variable
	if err := json.Unmarshal(raw, &v); err != nil {
		return Variable{}, fmt.Errorf("tasklist: decoding variable: %w", err)
	}
	return v, nil
}

// DecodeForm decodes the answer of GetForm.
func DecodeForm(raw json.RawMessage) (Form, error) {
	var f Form
	if err := json.Unmarshal(raw, &f); err != nil {
		return Form{}, fmt.Errorf("tasklist: decoding form: %w", err)
	}
	return f, nil
}

// VariableInput is one variable of a CompleteTask or SaveDraftVariables
// request. Value is the variable's JSON text carried as a string: the
// string variable "ok" has Value `"ok"` (with quotes), the number 42 has
// Value `42`.
type VariableInput struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// VariablesRequest is the body of CompleteTask and SaveDraftVariables;
// json.Marshal it to get the request.
type VariablesRequest struct {
	Variables []VariableInput `json:"variables"`
}

// Variables encodes Go values as Tasklist variable inputs, sorted by name so
// that requests are reproducible. Each value is marshaled with
// encoding/json (without HTML escaping, so "<" stays "<"); use
// json.RawMessage for a value that is already JSON and json.Number for a
// number that must keep every digit.
func Variables(values map[string]any) ([]VariableInput, error) {
	names := make([]string, 0, len(values))
	for name := range values {
		if name == "" {
			return nil, usageError("a variable name must not be empty")
		}
		names = append(names, name)
	}
	sort.Strings(names)
	inputs := make([]VariableInput, 0, len(names))
	for _, name := range names {
		text, err := encodeValue(values[name])
		if err != nil {
			return nil, fmt.Errorf("tasklist: encoding variable %q: %w", name, err)
		}
		inputs = append(inputs, VariableInput{Name: name, Value: text})
	}
	return inputs, nil
}

// VariablesJSON is Variables wrapped as a complete request body,
// {"variables":[...]}, ready for CompleteTask or SaveDraftVariables.
func VariablesJSON(values map[string]any) (json.RawMessage, error) {
	inputs, err := Variables(values)
	if err != nil {
		return nil, err
	}
	return json.Marshal(VariablesRequest{Variables: inputs})
}

func encodeValue(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	// Encoder.Encode ends with a newline, which is not part of the value.
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// decodeValue unmarshals a variable's JSON text. Numbers go into
// json.Number for an `any` destination so that big integers survive.
func decodeValue(text string, dst any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	return dec.Decode(dst)
}
