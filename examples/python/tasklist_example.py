#!/usr/bin/env python3
"""The main job with the tasklist package: authenticate, find open tasks, claim one,
complete it with variables, print what the server answered.

    tasklist_example.py oauth  BASE_URL [TOKEN_URL CLIENT_ID CLIENT_SECRET [AUDIENCE]]
    tasklist_example.py cookie BASE_URL [USERNAME PASSWORD]
    tasklist_example.py env                 (CAMUNDA_TASKLIST_BASE_URL, ZEEBE_CLIENT_ID, ...)

Without credentials it uses the emulator's defaults (tasklist-client / tasklist-secret,
demo / demo). Needs `pip install ./bindings/python` (or TASKLIST_LIBRARY and PYTHONPATH).
With TASKLIST_EXAMPLE_LOG=1 the library's log lines (one per HTTP exchange) go to the
logging module, and the configuration in use is printed first (secrets redacted).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import List

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
    if mode == "cookie" and len(rest) in (1, 3):
        username, password = rest[1:3] or ("demo", "demo")
        return tasklist.Client(rest[0], username=username, password=password)
    raise SystemExit("usage:\n" + USAGE)


def main(args: List[str]) -> int:
    if not args:
        raise SystemExit("usage:\n" + USAGE)
    verbose = os.environ.get("TASKLIST_EXAMPLE_LOG") == "1"
    if verbose:
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
        tasklist.enable_logging(logging.INFO)  # to logging.getLogger("tasklist")
        logging.getLogger("tasklist").setLevel(logging.INFO)
    with client_from_args(args) as client:
        if verbose:
            for name, setting in sorted(client.describe().items()):
                if setting["source"] != "default":  # what was set, and by which variable
                    print(f"  config {name} = {setting['value']!r}  ({setting['source']})")
        client.login()  # fail early on wrong credentials
        tasks = client.search_tasks({"state": "CREATED", "assigned": False, "pageSize": 5})
        print(f"open, unassigned tasks (first page of 5): {len(tasks)}")
        for task in tasks:
            print(f"  {task['id']}  {task['name']:<20}  {task['processName']}")
        if not tasks:
            print("no open task to work on")
            return 0
        task_id = tasks[0]["id"]

        # An OAuth client must name the assignee; a logged-in user claims for itself.
        assignee = "demo" if args[0] != "cookie" else None
        claimed = client.assign_task(task_id, assignee)
        print(f"claimed task {task_id} for {claimed['assignee']}")

        # Plain Python values: the package encodes each as the JSON text Tasklist expects.
        completed = client.complete_task(task_id, {
            "approved": True,
            "comment": 'checked by the "Python" example',
            "checks": {"amount": 1250.5, "vendorKnown": True, "notes": None},
        })
        print("completed task:")
        print(json.dumps({key: completed[key] for key in
                          ("id", "name", "taskState", "assignee", "completionDate")}, indent=2))
        for variable in client.search_task_variables(
                task_id, {"variableNames": ["approved", "comment", "checks"]}):
            print(f"  {variable['name']} = {tasklist.decode_value(variable)!r}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except tasklist.AuthenticationError as error:
        sys.exit(f"authentication failed: {error}")
    except tasklist.TasklistError as error:
        detail = f"\n  HTTP {error.http_status}: {error.body}" if error.http_status else ""
        sys.exit(f"Tasklist call failed: {error}{detail}")
