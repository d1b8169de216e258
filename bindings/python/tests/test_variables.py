"""The variables helper: values must travel as JSON text, and come back unchanged."""

from __future__ import annotations

import math

import pytest
from conftest import Emulator

import tasklist

TRICKY = {
    "approved": True,
    "comment": 'he said "hi" \\ and left\nüñ€ 🚀',
    "data": {"a": [1, None], "nested": {"deep": [{"x": 1.5}]}},
    "nothing": None,
    "count": 0,
    "big": 2**62,
    "empty": "",
    "list": [],
}


def test_helper_encodes_each_value_as_json_text() -> None:
    assert tasklist.variables({"approved": True, "comment": 'he said "hi"',
                               "data": {"a": [1, None]}}) == [
        {"name": "approved", "value": "true"},
        {"name": "comment", "value": '"he said \\"hi\\""'},
        {"name": "data", "value": '{"a":[1,null]}'},
    ]


def test_helper_refuses_what_is_not_json() -> None:
    with pytest.raises(ValueError):
        tasklist.variables({"x": math.nan})
    with pytest.raises(TypeError):
        tasklist.variables({"x": object()})
    with pytest.raises(TypeError):
        tasklist.variables({1: "x"})  # type: ignore[dict-item]


def test_complete_with_tricky_values_round_trip(fresh: Emulator) -> None:
    task_id = "2251799813685598"  # assigned to demo
    with fresh.cookie_client("demo") as client:
        client.complete_task(task_id, TRICKY)
        stored = {v["name"]: v for v in client.search_task_variables(task_id)}
        for name, value in TRICKY.items():
            assert tasklist.decode_value(stored[name]) == value, name
            full = client.get_variable(stored[name]["id"])
            assert tasklist.decode_value(full) == value, name


def test_draft_round_trip_and_pre_encoded_list(fresh: Emulator) -> None:
    task_id = "2251799813685598"
    with fresh.cookie_client("demo") as client:
        client.save_draft_variables(task_id, tasklist.variables(TRICKY))  # a list: sent as is
        drafts = {v["name"]: v["draft"] for v in client.search_task_variables(task_id)
                  if v["draft"]}
        assert {name: tasklist.decode_value(d) for name, d in drafts.items()} == TRICKY


def test_body_is_sent_unchanged(fresh: Emulator) -> None:
    task_id = "2251799813685598"
    with fresh.cookie_client("demo") as client:
        client.complete_task(task_id, body='{"variables":[{"name":"raw","value":"[1,2]"}]}')
        (raw,) = client.search_task_variables(task_id, {"variableNames": ["raw"]})
        assert raw["value"] == "[1,2]"
        with pytest.raises(TypeError):
            client.complete_task(task_id, {"a": 1}, body={"variables": []})
        with pytest.raises(TypeError):
            client.complete_task(task_id, '{"variables": []}')  # type: ignore[arg-type]


def test_unencoded_value_is_the_common_mistake(fresh: Emulator) -> None:
    # What users do wrong without the helper: a bare string is not JSON text.
    with fresh.cookie_client("demo") as client:
        with pytest.raises(tasklist.BadRequestError):
            client.save_draft_variables("2251799813685598", [{"name": "c", "value": "hello"}])
