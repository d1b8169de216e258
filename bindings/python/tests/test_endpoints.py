"""Every endpoint, against the emulator's seed data (see `tasklist-emulator --help`)."""

from __future__ import annotations

import json

import pytest
from conftest import Emulator

import tasklist

INVOICE_TASK = "2251799813685601"  # Approve Invoice, CREATED, unassigned, embedded form
LOAN_TASK = "2251799813685598"  # Review application, CREATED, assigned to demo, linked form


def test_search_tasks_dict_and_json_text(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        created = client.search_tasks({"state": "CREATED", "pageSize": 10})
        assert len(created) == 10
        assert {task["taskState"] for task in created} == {"CREATED"}
        same = client.search_tasks('{"state": "CREATED", "pageSize": 10}')
        assert [task["id"] for task in same] == [task["id"] for task in created]


def test_raw_returns_server_text(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        text = client.get_task(INVOICE_TASK, raw=True)
        assert isinstance(text, str)
        assert json.loads(text)["id"] == INVOICE_TASK


def test_search_all_tasks(make_emulator) -> None:
    server = make_emulator("--tasks", "120")
    with server.oauth_client() as client:
        everything = client.search_all_tasks({"pageSize": 25})
        ids = [task["id"] for task in everything]
        assert len(ids) == len(set(ids)) > 120
        assert len(client.search_all_tasks({"pageSize": 25}, max_items=30)) == 30
        with pytest.raises(tasklist.InvalidArgumentError):
            client.search_all_tasks({"searchAfter": ["1", "2"]})
        with pytest.raises(tasklist.InvalidArgumentError):
            client.search_all_tasks(max_items=-1)


def test_iter_tasks_across_pages(make_emulator) -> None:
    server = make_emulator("--tasks", "120")
    with server.oauth_client() as client:
        expected = [task["id"] for task in client.search_all_tasks({"state": "CREATED"})]
        lazily = client.iter_tasks({"state": "CREATED", "pageSize": 7})
        first = next(lazily)
        ids = [first["id"]] + [task["id"] for task in lazily]
        assert len(ids) > 120  # many pages of 7
        assert ids == expected
        counters = server.admin("GET", "/__emulator/counters")
        assert counters["by_endpoint"]["POST /v1/tasks/search"] >= len(ids) // 7
        with pytest.raises(tasklist.InvalidArgumentError):
            next(client.iter_tasks({"searchBefore": ["1", "2"]}))


def test_iter_tasks_empty_result(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        assert list(client.iter_tasks({"assignee": "nobody-has-this-name"})) == []


def test_get_task(emulator: Emulator) -> None:
    with emulator.cookie_client("view") as client:
        task = client.get_task(INVOICE_TASK)
        assert (task["id"], task["name"], task["taskState"]) == (
            INVOICE_TASK, "Approve Invoice", "CREATED")


def test_assign_unassign_cookie_user(fresh: Emulator) -> None:
    with fresh.cookie_client("demo") as client:
        assert client.assign_task(INVOICE_TASK)["assignee"] == "demo"  # no body: "me"
        assert client.unassign_task(INVOICE_TASK)["assignee"] is None
        with pytest.raises(tasklist.BadRequestError):
            client.unassign_task(INVOICE_TASK)  # not assigned any more


def test_assign_with_assignee_and_override(fresh: Emulator) -> None:
    with fresh.oauth_client() as client:
        assert client.assign_task(INVOICE_TASK, "jane")["assignee"] == "jane"
        with pytest.raises(tasklist.BadRequestError):
            client.assign_task(INVOICE_TASK, "john", allow_override_assignment=False)
        assert client.assign_task(INVOICE_TASK, "john", allow_override_assignment=True)[
            "assignee"] == "john"
        assert client.assign_task(INVOICE_TASK, body={
            "assignee": "demo", "allowOverrideAssignment": True})["assignee"] == "demo"
        with pytest.raises(TypeError):
            client.assign_task(INVOICE_TASK, "demo", body={"assignee": "demo"})


def test_complete_task(fresh: Emulator) -> None:
    with fresh.cookie_client("demo") as client:
        completed = client.complete_task(LOAN_TASK, {"approved": True})
        assert completed["taskState"] == "COMPLETED"
        assert client.get_task(LOAN_TASK)["completionDate"]


def test_save_draft_variables_and_search(fresh: Emulator) -> None:
    with fresh.cookie_client("demo") as client:
        assert client.save_draft_variables(LOAN_TASK, {"note": "half done", "score": 3}) is None
        drafts = {v["name"]: v["draft"] for v in client.search_task_variables(LOAN_TASK)
                  if v["draft"]}
        assert drafts == {
            "note": {"value": '"half done"', "isValueTruncated": False,
                     "previewValue": '"half done"'},
            "score": {"value": "3", "isValueTruncated": False, "previewValue": "3"},
        }
        client.save_draft_variables(LOAN_TASK)  # no variables: clears the drafts
        assert not [v for v in client.search_task_variables(LOAN_TASK) if v["draft"]]


def test_search_task_variables_by_name_and_get_variable(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        found = client.search_task_variables(INVOICE_TASK, {"variableNames": ["amount"]})
        assert [variable["name"] for variable in found] == ["amount"]
        full = client.get_variable(found[0]["id"])
        assert (full["name"], full["value"]) == ("amount", found[0]["value"])


def test_get_form_embedded_and_linked(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        task = client.get_task(INVOICE_TASK)
        form_id = task["formKey"].rsplit(":", 1)[-1]  # camunda-forms:bpmn:<id>
        embedded = client.get_form(form_id, task["processDefinitionKey"])
        assert embedded["id"] == form_id
        assert "components" in json.loads(embedded["schema"])
        loan = client.get_task(LOAN_TASK)
        linked = client.get_form(loan["formId"], loan["processDefinitionKey"], loan["formVersion"])
        assert linked["version"] == loan["formVersion"]
        with pytest.raises(tasklist.InvalidArgumentError):
            client.get_form(loan["formId"], loan["processDefinitionKey"], "latest")


def test_search_process_definitions(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        answer = client.search_process_definitions({"filter": {"bpmnProcessId": "invoice-approval"}})
        assert answer["total"] == 2
        assert {item["bpmnProcessId"] for item in answer["items"]} == {"invoice-approval"}


def test_generic_request(fresh: Emulator) -> None:
    with fresh.cookie_client("demo") as client:
        assert client.request("GET", f"/v1/tasks/{LOAN_TASK}")["id"] == LOAN_TASK
        path = f"/v1/tasks/{LOAN_TASK}/variables"
        assert client.request("POST", path, {"variables": []}) is None  # 204
        assert client.request("POST", path, {"variables": []}, raw=True) == ""
        with pytest.raises(tasklist.InvalidArgumentError):
            client.request("GET", "http://elsewhere.example/v1/tasks")
