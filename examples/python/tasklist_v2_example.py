#!/usr/bin/env python3
"""The main job with the v2 API (Camunda 8.8+) of the tasklist package: find an open user
task, claim it, complete it with variables, wait until searches show it completed, then start
a process from its start form.

    tasklist_v2_example.py oauth  BASE_URL [TOKEN_URL CLIENT_ID CLIENT_SECRET [AUDIENCE]]
    tasklist_v2_example.py basic  BASE_URL [USERNAME PASSWORD]
    tasklist_v2_example.py cookie BASE_URL [USERNAME PASSWORD]
    tasklist_v2_example.py env                 (CAMUNDA_REST_ADDRESS, CAMUNDA_AUTH_STRATEGY, ...)

Without credentials it uses the emulator's defaults (tasklist-client / tasklist-secret,
demo / demo); `tasklist-emulator --camunda-version 8.9` serves v2 (8.8 and later do, 8.10 only
v2). With `env`, CAMUNDA_AUTH_STRATEGY=BASIC and CAMUNDA_BASIC_AUTH_USERNAME/_PASSWORD give
HTTP Basic authentication. Needs `pip install ./bindings/python` (or TASKLIST_LIBRARY and
PYTHONPATH).
"""

from __future__ import annotations

import json
import sys
from typing import Any, Dict, List

try:
    import tasklist
except ImportError as missing:
    sys.exit(f"{missing}\ninstall the package first: pip install ./bindings/python")

USAGE = __doc__.split("\n\n")[1]


def client_from_args(args: List[str]) -> tasklist.Client:
    mode, rest = args[0], args[1:]
    if mode == "env":
        return tasklist.Client.from_env()
    if mode == "oauth" and len(rest) in (1, 4, 5):
        base_url = rest[0]
        token_url, client_id, secret = rest[1:4] or (
            base_url + "/oauth/token", "tasklist-client", "tasklist-secret")
        audience = rest[4] if len(rest) == 5 else None
        return tasklist.Client(base_url, token_url=token_url, client_id=client_id,
                               client_secret=secret, audience=audience)
    if mode == "basic" and len(rest) in (1, 3):
        username, password = rest[1:3] or ("demo", "demo")
        return tasklist.Client(rest[0], basic_auth=(username, password))
    if mode == "cookie" and len(rest) in (1, 3):
        username, password = rest[1:3] or ("demo", "demo")
        return tasklist.Client(rest[0], username=username, password=password)
    raise SystemExit("usage:\n" + USAGE)


def form_fields(form: Dict[str, Any]) -> List[str]:
    """The keys of a form's input fields (the schema is form JSON as text)."""
    schema = json.loads(form["schema"])
    return [c["key"] for c in schema.get("components", []) if "key" in c]


def main(args: List[str]) -> int:
    if not args:
        raise SystemExit("usage:\n" + USAGE)
    with client_from_args(args) as client:
        v2 = client.v2
        print(f"Camunda {v2.get_topology()['gatewayVersion']}")

        # Open and unassigned, oldest first.
        page = v2.search_user_tasks({
            "filter": {"state": "CREATED", "assignee": {"$exists": False}},
            "sort": [{"field": "creationDate", "order": "ASC"}],
            "page": {"limit": 5},
        })
        print(f"open, unassigned user tasks: {page['page']['totalItems']}; the oldest:")
        for task in page["items"]:
            print(f"  {task['userTaskKey']}  {task['name']:<20}  "
                  f"{task.get('processName') or task['processDefinitionId']}")
        if not page["items"]:
            print("no open task to work on")
            return 0
        key = page["items"][0]["userTaskKey"]

        v2.assign_user_task(key, "demo", allow_override=False)
        print(f"claimed {key} for demo")
        # Plain Python values: v2 takes them as JSON (v1 wanted JSON text).
        v2.complete_user_task(key, {
            "approved": True,
            "comment": 'checked by the "Python" v2 example',
            "checks": {"amount": 1250.5, "vendorKnown": True, "notes": None},
        })
        # Searches read secondary storage, which lags the command: wait until it shows.
        done = v2.search_user_tasks_wait(
            {"filter": {"userTaskKey": key, "state": "COMPLETED"}}, min_items=1, wait_ms=30_000)
        task = done["items"][0]
        print(f"completed: {task['name']} is {task['state']} (at {task['completionDate']})")
        for variable in v2.search_user_task_variables(key)["items"]:
            if variable["name"] in ("approved", "comment", "checks"):
                print(f"  {variable['name']} = {tasklist.decode_value(variable)!r}")

        # Start a process from its start form, filling every field of the form.
        definitions = v2.search_process_definitions(
            {"filter": {"isLatestVersion": True, "hasStartForm": True}})["items"]
        if not definitions:
            print("no process with a start form")
            return 0
        definition = definitions[0]
        form = v2.get_process_definition_form(definition["processDefinitionKey"])
        fields = form_fields(form) if form else []
        print(f"start form of {definition['name']}: {form and form['formId']}, fields {fields}")
        started = v2.create_process_instance({
            "processDefinitionKey": definition["processDefinitionKey"],
            "variables": {name: f"from the v2 example ({name})" for name in fields},
        })
        instance = started["processInstanceKey"]
        first = v2.search_user_tasks_wait(
            {"filter": {"processInstanceKey": instance}}, min_items=1, wait_ms=30_000)
        names = [t["name"] for t in first["items"]]
        print(f"started process instance {instance}; it waits in {names}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except tasklist.AuthenticationError as error:
        sys.exit(f"authentication failed: {error}")
    except tasklist.UnsupportedError as error:
        sys.exit(f"this server has no v2 API (Camunda 8.8+ has): {error}")
    except tasklist.TasklistError as error:
        detail = f"\n  HTTP {error.http_status}: {error.body}" if error.http_status else ""
        sys.exit(f"call failed: {error}{detail}")
