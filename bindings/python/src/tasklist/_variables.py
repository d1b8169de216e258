"""Encoding of process variables for Tasklist's write endpoints."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping


def variables(values: Mapping[str, Any]) -> List[Dict[str, str]]:
    """Turns ``{"name": python_value}`` into the list Tasklist expects.

    Tasklist wants each value as JSON *encoded as a string*: a string variable keeps its
    own quotes (``'"yes"'``, not ``'yes'``), ``True`` becomes ``'true'``, ``None`` becomes
    ``'null'``. Getting this wrong is the most common mistake with the API,
    so this helper does it with ``json.dumps`` for every value::

        >>> variables({"approved": True, "comment": 'he said "hi"', "data": {"a": [1, None]}})
        [{'name': 'approved', 'value': 'true'}, {'name': 'comment', 'value': '"he said \\\\"hi\\\\""'}, {'name': 'data', 'value': '{"a":[1,null]}'}]

    The JSON is compact and keeps non-ASCII characters as they are, which is how Tasklist's
    UI shows values. Values must be JSON-serializable; NaN and infinities are refused
    because they are not JSON and Tasklist would reject them.
    """
    encoded = []
    for name, value in values.items():
        if not isinstance(name, str):
            raise TypeError(f"variable names must be str, not {type(name).__name__}")
        text = json.dumps(value, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
        encoded.append({"name": name, "value": text})
    return encoded


def decode_value(variable: Mapping[str, Any]) -> Any:
    """The Python value of a variable as Tasklist returns it (``value`` is JSON text)."""
    value = variable.get("value")
    return None if value is None else json.loads(value)
