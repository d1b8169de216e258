"""Every exception class a caller branches on, provoked for real."""

from __future__ import annotations

import json
import socket

import pytest
from conftest import Emulator

import tasklist

COMPLETED_TASK = "2251799813685610"
OPEN_TASK = "2251799813685601"


def test_not_found_carries_status_and_body(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        with pytest.raises(tasklist.NotFoundError) as caught:
            client.get_task("404404404")
    error = caught.value
    assert isinstance(error, tasklist.TasklistError)
    assert (error.code, error.name, error.http_status) == (
        tasklist.Status.NOT_FOUND, "TASKLIST_ERR_NOT_FOUND", 404)
    assert json.loads(error.body or "")["status"] == 404
    assert "404404404" in error.message


def test_bad_request(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        with pytest.raises(tasklist.BadRequestError) as caught:
            client.search_tasks({"state": "NOT_A_STATE"})
    assert caught.value.http_status == 400


def test_forbidden_for_read_only_user(emulator: Emulator) -> None:
    with emulator.cookie_client("view") as client:
        with pytest.raises(tasklist.ForbiddenError) as caught:
            client.assign_task(OPEN_TASK)
    assert caught.value.http_status == 403


def test_connection_refused() -> None:
    # A port that was free a moment ago: nothing listens there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tasklist.Client(f"http://127.0.0.1:{port}", max_retries=0) as client:
        with pytest.raises(tasklist.ConnectionError) as caught:
            client.get_task(OPEN_TASK)
    assert caught.value.http_status == 0


def test_timeout(make_emulator) -> None:
    slow = make_emulator("--delay-ms", "1500")
    with slow.oauth_client(request_timeout=0.3, max_retries=0) as client:
        with pytest.raises(tasklist.TimeoutError) as caught:
            client.get_task(OPEN_TASK)
    assert caught.value.code == tasklist.Status.TIMEOUT


def test_server_error_without_retries(fresh: Emulator) -> None:
    fresh.admin("POST", "/__emulator/faults", {"target": "api", "status": 503, "count": 1})
    with fresh.oauth_client(max_retries=0) as client:
        with pytest.raises(tasklist.ServerError) as caught:
            client.get_task(OPEN_TASK)
        assert caught.value.http_status == 503
        assert client.get_task(OPEN_TASK)["id"] == OPEN_TASK  # the fault was used up


def test_retries_hide_a_transient_server_error(fresh: Emulator) -> None:
    fresh.admin("POST", "/__emulator/faults", {"target": "api", "status": 503, "count": 1})
    with fresh.oauth_client(max_retries=2) as client:
        assert client.get_task(OPEN_TASK)["id"] == OPEN_TASK


def test_rate_limited(fresh: Emulator) -> None:
    fresh.admin("POST", "/__emulator/faults", {"target": "api", "status": 429, "count": 1})
    with fresh.oauth_client(max_retries=0) as client:
        with pytest.raises(tasklist.RateLimitedError) as caught:
            client.search_tasks()
    assert caught.value.http_status == 429


def test_a_conflict_is_a_conflict_error(fresh: Emulator) -> None:
    fresh.admin("POST", "/__emulator/faults", {"target": "api", "status": 409, "count": 1})
    with fresh.oauth_client(max_retries=0) as client:
        with pytest.raises(tasklist.ConflictError) as caught:
            client.get_task(OPEN_TASK)
    assert caught.value.code == tasklist.Status.CONFLICT
    assert isinstance(caught.value, tasklist.TasklistError)


def test_invalid_arguments_fail_before_sending(fresh: Emulator) -> None:
    with fresh.oauth_client() as client:
        with pytest.raises(tasklist.InvalidArgumentError) as caught:
            client.search_tasks("{not json")
        assert caught.value.code == tasklist.Status.INVALID_JSON
        with pytest.raises(tasklist.InvalidArgumentError):
            client.get_task("")
        with pytest.raises(tasklist.InvalidArgumentError):
            client.get_task("12\x0034")  # C would silently read "12"
        with pytest.raises(TypeError):
            client.get_task(12)  # type: ignore[arg-type]
    counters = fresh.admin("GET", "/__emulator/counters")
    assert counters["requests"] == 0


def test_completing_a_completed_task(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        with pytest.raises(tasklist.BadRequestError):
            client.complete_task(COMPLETED_TASK)


def test_exception_repr_and_str(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        with pytest.raises(tasklist.NotFoundError) as caught:
            client.get_task("1")
    assert str(caught.value).endswith("(TASKLIST_ERR_NOT_FOUND)")
    assert repr(caught.value).startswith("NotFoundError(code=303")


def test_answer_over_the_size_limit(emulator: Emulator) -> None:
    with emulator.oauth_client(max_response_bytes=1000) as client:
        with pytest.raises(tasklist.TasklistError) as caught:
            client.search_tasks({"pageSize": 50})
        assert caught.value.code == tasklist.Status.BODY_TOO_LARGE
        assert client.get_task(OPEN_TASK)["id"] == OPEN_TASK  # small answers still pass


def test_an_assignee_that_is_not_a_string_is_refused_before_sending(fresh: Emulator) -> None:
    # The README once showed assign_task(id, {"assignee": "demo"}): the server said 400.
    with fresh.oauth_client() as client:
        with pytest.raises(TypeError, match="assignee must be a str"):
            client.assign_task(OPEN_TASK, {"assignee": "demo"})  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="must be a bool"):
            client.assign_task(OPEN_TASK, "demo", allow_override_assignment="yes")  # type: ignore[arg-type]
    assert not [e for e in fresh.admin("GET", "/__emulator/log") if "assign" in e["path"]]
