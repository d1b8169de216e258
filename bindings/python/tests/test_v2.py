"""``client.v2`` against the emulator's 8.8, 8.9 and 8.10 profiles (and 8.7 for refusals).

The emulator's v2 reads lag its commands (``--export-delay-ms``) as secondary storage does on
a real server, so every effect is checked with ``search_user_tasks_wait``, never after a
fixed sleep.
"""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest
from conftest import Emulator

import tasklist

V2_VERSIONS = ["8.8", "8.9", "8.10"]
EXPORT_DELAY_MS = "300"  # long enough that a read right after a command misses it
WAIT_MS = 20_000  # generous for a busy machine; the waits return as soon as they see it


def wait_for(client: tasklist.Client, **filter_: Any) -> Dict[str, Any]:
    """The one task matching ``filter_``, once the search shows it."""
    answer = client.v2.search_user_tasks_wait({"filter": filter_}, 1, WAIT_MS)
    assert answer["page"]["totalItems"] == len(answer["items"]) == 1, answer
    return answer["items"][0]


@pytest.fixture(params=V2_VERSIONS)
def v2_server(request: pytest.FixtureRequest, make_emulator: Callable[..., Emulator]) -> Emulator:
    """A private emulator of each v2 version, with reads lagging commands."""
    return make_emulator("--export-delay-ms", EXPORT_DELAY_MS, version=request.param)


def test_user_task_lifecycle(v2_server: Emulator) -> None:
    with v2_server.oauth_client() as client:
        v2 = client.v2
        page = v2.search_user_tasks({"filter": {"state": "CREATED"}, "page": {"limit": 50}})
        assert page["page"]["totalItems"] > len(page["items"]) == 50
        # 8.8 leaves out empty fields, 8.9+ sends them as null: .get() reads both.
        task = next(t for t in page["items"] if t.get("assignee") is None)
        key = task["userTaskKey"]
        assert isinstance(key, str) and key.isdigit()

        got = v2.get_user_task(key)
        assert (got["userTaskKey"], got["state"], got["name"]) == (key, "CREATED", task["name"])

        assert v2.assign_user_task(key, "demo") is None  # 204
        assert wait_for(client, userTaskKey=key, assignee="demo")["state"] == "CREATED"

        v2.unassign_user_task(key)
        v2.unassign_user_task(key)  # unassigning an unassigned task is fine too
        wait_for(client, userTaskKey=key, assignee={"$exists": False})

        v2.update_user_task(key, {"priority": 77, "candidateGroups": ["accounting"]})
        updated = wait_for(client, userTaskKey=key, priority=77)
        assert updated["candidateGroups"] == ["accounting"]

        v2.assign_user_task(key, "demo", allow_override=False)
        v2.complete_user_task(key, {"approved": True, "comment": 'said "ok"', "amount": 12.5})
        done = v2.search_user_tasks_wait(
            {"filter": {"userTaskKey": key, "state": "COMPLETED"}}, min_items=1, wait_ms=WAIT_MS)
        assert [t["state"] for t in done["items"]] == ["COMPLETED"]
        assert done["items"][0]["completionDate"]

        # The completion's variables, as JSON text (decode_value gives the Python value).
        variables = v2.search_user_task_variables(key)["items"]
        values = {v["name"]: tasklist.decode_value(v) for v in variables}
        assert values["approved"] is True
        assert values["comment"] == 'said "ok"'
        assert values["amount"] == 12.5
        only = v2.search_user_task_variables(key, {"filter": {"name": "comment"}})["items"]
        assert [v["name"] for v in only] == ["comment"]

        with pytest.raises(tasklist.NotFoundError):
            v2.complete_user_task(key)  # it left the engine


def test_search_and_wait_times_out_with_the_count(v2_server: Emulator) -> None:
    with v2_server.oauth_client() as client:
        with pytest.raises(tasklist.TimeoutError) as caught:
            client.v2.search_user_tasks_wait({"filter": {"assignee": "nobody"}}, 1, 200)
        assert "0" in caught.value.message
        once = client.v2.search_user_tasks_wait({"filter": {"assignee": "nobody"}}, 0, 0)
        assert once["items"] == []


def test_every_page(make_emulator: Callable[..., Emulator]) -> None:
    for version in V2_VERSIONS:
        server = make_emulator("--tasks", "30", version=version)
        with server.oauth_client() as client:
            total = client.v2.search_user_tasks()["page"]["totalItems"]
            assert total == 150  # the 120 demo tasks and 30 generated ones
            lazily = [t["userTaskKey"] for t in client.v2.iter_user_tasks({"page": {"limit": 7}})]
            assert len(lazily) == len(set(lazily)) == total
            at_once = client.v2.search_all_user_tasks({"page": {"limit": 7}})
            assert [t["userTaskKey"] for t in at_once] == lazily
            created = client.v2.search_all_user_tasks({"filter": {"state": "CREATED"}})
            created_total = client.v2.search_user_tasks(
                {"filter": {"state": "CREATED"}})["page"]["totalItems"]
            assert len(created) == created_total
            assert len(list(client.v2.iter_user_tasks(max_items=10))) == 10
            assert len(client.v2.search_all_user_tasks(max_items=3)) == 3
            counters = server.admin("GET", "/__emulator/counters")
            assert counters["by_endpoint"]["POST /v2/user-tasks/search"] >= 2 * (total // 7)
            with pytest.raises(tasklist.InvalidArgumentError):
                next(client.v2.iter_user_tasks({"page": {"after": "abc"}}))
            with pytest.raises(tasklist.InvalidArgumentError):
                client.v2.search_all_user_tasks({"page": {"from": 3}})
            assert list(client.v2.iter_user_tasks({"filter": {"assignee": "nobody"}})) == []


def test_forms(v2_server: Emulator) -> None:
    data = v2_server.data()
    with v2_server.oauth_client() as client:
        form = client.v2.get_user_task_form(data["linkedFormTaskId"])
        assert form["formId"] == "loan-form"
        assert "components" in form["schema"]  # the form JSON, as text
        without = next(t for t in client.v2.search_user_tasks()["items"]
                       if t.get("formKey") is None)
        assert client.v2.get_user_task_form(without["userTaskKey"]) is None
        assert client.v2.get_user_task_form(without["userTaskKey"], raw=True) == "null"
        with pytest.raises(tasklist.NotFoundError):
            client.v2.get_user_task_form("1")


def test_processes_start_form_and_instance(v2_server: Emulator) -> None:
    with v2_server.oauth_client() as client:
        v2 = client.v2
        found = v2.search_process_definitions(
            {"filter": {"isLatestVersion": True, "hasStartForm": True}})
        assert [d["processDefinitionId"] for d in found["items"]] == ["loan-application"]
        key = found["items"][0]["processDefinitionKey"]
        form = v2.get_process_definition_form(key)
        assert form["formId"] == "loan-form" and form["schema"]
        plain = v2.search_process_definitions({"filter": {"hasStartForm": False}})["items"]
        assert v2.get_process_definition_form(plain[0]["processDefinitionKey"]) is None

        started = v2.create_process_instance(
            {"processDefinitionKey": key, "variables": {"decision": "approve", "amount": 12}})
        instance = started["processInstanceKey"]
        assert isinstance(instance, str) and instance.isdigit()
        task = wait_for(client, processInstanceKey=instance)
        assert (task["processDefinitionKey"], task["state"]) == (key, "CREATED")
        by_id = v2.create_process_instance('{"processDefinitionId": "loan-application"}')
        assert by_id["processDefinitionKey"] == key
        with pytest.raises(TypeError):
            v2.create_process_instance(None)  # type: ignore[arg-type]


def test_topology_names_the_version(v2_server: Emulator) -> None:
    with v2_server.oauth_client() as client:
        topology = client.v2.get_topology()
        assert topology["gatewayVersion"] == f"{v2_server.version}.0"
        assert topology["brokers"]


def test_conflict_from_an_injected_409(v2_server: Emulator) -> None:
    key = v2_server.data()["camundaUserTaskId"]
    with v2_server.oauth_client() as client:
        client.login()  # the fault is for the API call, not the token
        v2_server.admin("POST", "/__emulator/faults", {"target": "api", "status": 409})
        with pytest.raises(tasklist.ConflictError) as caught:
            client.v2.assign_user_task(key, "demo")
        assert caught.value.code == tasklist.Status.CONFLICT
        assert caught.value.http_status == 409
        client.v2.assign_user_task(key, "demo")  # the fault happened once


def test_conflict_while_a_listener_holds_the_task(make_emulator: Callable[..., Emulator]) -> None:
    # --request-timeout-ms: how long a listener may hold a command before it answers 504.
    server = make_emulator("--request-timeout-ms", "300", version="8.9")
    key = server.data()["camundaUserTaskId"]
    with server.oauth_client(max_retries=0) as client:
        client.v2.assign_user_task(key, "demo")
        server.admin("POST", "/__emulator/faults", {"listener": "update", "never": True})
        with pytest.raises(tasklist.ServerError):  # the listener outlasts the request: 504
            client.v2.update_user_task(key, {"priority": 90})
        with pytest.raises(tasklist.ConflictError):  # the task sits in UPDATING meanwhile
            client.v2.complete_user_task(key)
        server.admin("POST", "/__emulator/release-listeners")
        client.v2.complete_user_task(key)


def test_the_generation_a_server_lacks_is_unsupported(make_emulator: Callable[..., Emulator]) -> None:
    only_v2 = make_emulator(version="8.10")
    with only_v2.oauth_client() as client:
        with pytest.raises(tasklist.UnsupportedError) as caught:
            client.search_tasks()
        assert "8.10" in caught.value.message
        assert client.v2.search_user_tasks()["items"]
    only_v1 = make_emulator(version="8.7")
    with only_v1.oauth_client() as client:
        with pytest.raises(tasklist.UnsupportedError):
            client.v2.search_user_tasks()
        with pytest.raises(tasklist.UnsupportedError):
            client.v2.get_user_task(only_v1.data()["unassignedTaskId"])
        assert client.search_tasks({"pageSize": 1})


def test_basic_auth_on_8_9(make_emulator: Callable[..., Emulator],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_emulator(version="8.9")
    monkeypatch.setenv("CAMUNDA_AUTH_STRATEGY", "BASIC")
    monkeypatch.setenv("CAMUNDA_BASIC_AUTH_USERNAME", "demo")
    monkeypatch.setenv("CAMUNDA_BASIC_AUTH_PASSWORD", "demo")
    with tasklist.Client.from_env(base_url=server.url) as client:
        assert client.describe()["username"]["source"] == "CAMUNDA_BASIC_AUTH_USERNAME"
        key = server.data()["camundaUserTaskId"]
        client.v2.assign_user_task(key, "demo")
        client.v2.complete_user_task(key, {"viaBasic": True})
        wait_for(client, userTaskKey=key, state="COMPLETED")
    counters = server.admin("GET", "/__emulator/counters")
    assert (counters["logins"], counters["token_requests"]) == (0, 0)  # Basic on every call
    monkeypatch.setenv("CAMUNDA_BASIC_AUTH_PASSWORD", "wrong")
    with tasklist.Client.from_env(base_url=server.url) as client:
        with pytest.raises(tasklist.UnauthorizedError):
            client.v2.get_topology()


def test_cookie_login_on_8_8_finds_login(make_emulator: Callable[..., Emulator]) -> None:
    server = make_emulator(version="8.8")
    key = server.data()["camundaUserTaskId"]
    with server.cookie_client("demo") as client:  # no login_path: the library finds /login
        client.v2.assign_user_task(key, "demo")  # a write: the session's CSRF token goes along
        client.v2.complete_user_task(key, {"viaCookie": True})
        wait_for(client, userTaskKey=key, state="COMPLETED")
    counters = server.admin("GET", "/__emulator/counters")
    assert counters["logins"] == 1
    logins = [(e["method"], e["path"], e["status"])
              for e in server.admin("GET", "/__emulator/log") if "login" in e["path"]]
    # The login page's CSRF token first, then the login itself; never /api/login (8.7's).
    assert logins == [("GET", "/login", 200), ("POST", "/login", 204)]
    with server.cookie_client("demo") as client:
        # A v1 call first tries 8.7's /api/login, then finds /login by itself.
        assert client.search_tasks({"pageSize": 1})
        assert client.v2.get_topology()["gatewayVersion"] == "8.8.0"
    assert server.admin("GET", "/__emulator/counters")["logins"] == 2


def test_arguments_are_checked_before_anything_is_sent(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        v2 = client.v2
        before = len(emulator.admin("GET", "/__emulator/log"))
        with pytest.raises(TypeError, match="user_task_key must be a str"):
            v2.get_user_task({"userTaskKey": "1"})  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="must be a str"):
            v2.assign_user_task(2251799813685249, "demo")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="assignee must be a str"):
            v2.assign_user_task("2251799813685249")
        with pytest.raises(TypeError, match="either"):
            v2.assign_user_task("2251799813685249", "demo", body={"assignee": "demo"})
        with pytest.raises(TypeError, match="changeset must be a mapping"):
            v2.update_user_task("2251799813685249", "priority=3")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="variables must be a mapping"):
            v2.complete_user_task("2251799813685249", [("a", 1)])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="query must be a dict"):
            v2.search_user_tasks(["CREATED"])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="process_definition_key must be a str"):
            v2.get_process_definition_form(None)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="min_items must be an int"):
            v2.search_user_tasks_wait(None, True)  # type: ignore[arg-type]
        with pytest.raises(tasklist.InvalidArgumentError):
            v2.search_user_tasks_wait(None, 1, -1)
        with pytest.raises(tasklist.InvalidArgumentError, match="decimal"):
            v2.get_user_task("12ab")
        with pytest.raises(tasklist.InvalidArgumentError):
            v2.search_user_tasks("{not json")
        assert len(emulator.admin("GET", "/__emulator/log")) == before


def test_closed_client(emulator: Emulator) -> None:
    client = emulator.oauth_client()
    v2 = client.v2
    pages = v2.iter_user_tasks()
    client.close()
    with pytest.raises(ValueError, match="closed"):
        v2.get_topology()
    with pytest.raises(ValueError, match="closed"):
        next(pages)
    with pytest.raises(ValueError, match="closed"):
        client.v2.assign_user_task("1", "demo")


def test_task_local_variables_and_the_current_user(make_emulator: Callable[..., Emulator]) -> None:
    server = make_emulator(version="8.9")
    with tasklist.Client(server.url, basic_auth=("demo", "demo")) as client:
        v2 = client.v2
        assert v2.get_current_user()["username"] == "demo"
        task = v2.search_user_tasks({"filter": {"state": "CREATED"}, "page": {"limit": 1}})["items"][0]
        v2.set_element_instance_variables(task["elementInstanceKey"], {"note": "half done"},
                                          local=True)
        seen = v2.search_user_task_effective_variables(
            task["userTaskKey"], {"filter": {"name": "note"}})["items"]
        assert [tasklist.decode_value(v) for v in seen] == ["half done"]
        with pytest.raises(TypeError, match="mapping"):
            v2.set_element_instance_variables(task["elementInstanceKey"], "note=x")  # type: ignore[arg-type]
