"""The v2 Orchestration Cluster API (Camunda 8.8+), reached as ``client.v2``.

One method per ``tasklist_v2_*`` function of the C library, over the same client: the same
authentication, retries, timeouts and typed exceptions as the v1 methods of
:class:`tasklist.Client`. Against a server without the v2 API (8.7 and earlier) every method
raises :class:`tasklist.UnsupportedError`.

Keys (``userTaskKey``, ``processDefinitionKey``) are decimal strings, as the server sends them:
pass them on unchanged (``task["userTaskKey"]``). Results are parsed JSON, or the server's text
with ``raw=True``; commands the server answers with 204 return ``None``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, Mapping, Optional, Union

from . import _ffi, _pages
from ._errors import Status, error_from_status

if TYPE_CHECKING:
    from .client import Client

JSON = Any
"""Parsed JSON: dict, list, str, int, float, bool or None."""

Query = Union[Mapping[str, Any], str, None]
"""A JSON object: a dict (serialized with ``json.dumps``) or JSON text sent unchanged."""


def _key(value: Any, what: str) -> bytes:
    """A key as the C library takes it; anything but a str is refused before a call."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str holding a decimal key such as "
                        f"'2251799813685249', not {type(value).__name__}")
    encoded = _ffi.encode(value, what)
    assert encoded is not None
    return encoded


def _object(body: Query, what: str) -> Optional[bytes]:
    """A v2 request body: every one is a JSON object, so lists and scalars are refused here."""
    if body is not None and not isinstance(body, (Mapping, str)):
        raise TypeError(f"{what} must be a dict or JSON text, not {type(body).__name__}")
    from .client import _body_text  # one JSON encoding for both generations

    return _body_text(body, what)


def _count(value: Any, what: str) -> int:
    # ctypes would wrap a negative number silently, and True would pass as 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= 0xFFFF_FFFF:
        raise error_from_status(Status.INVALID_ARGUMENT, f"{what} must be 0..2**32-1")
    return value


def _command(request: Dict[str, Any], action: Optional[str]) -> Dict[str, Any]:
    if action is not None:
        if not isinstance(action, str):
            raise TypeError(f"action must be a str, not {type(action).__name__}")
        request["action"] = action
    return request


class V2:
    """The v2 API of one :class:`tasklist.Client` (``client.v2``).

    Holds no state of its own: it calls through the client, so it is thread-safe like the
    client, and raises ``ValueError`` once the client is closed.
    """

    def __init__(self, client: "Client") -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<tasklist.V2 of {self._client!r}>"

    def _json(self, raw: bool, function_name: str, *args: Any) -> JSON:
        return self._client._json(raw, function_name, *args)

    def _no_output(self, function_name: str, *args: Any) -> None:
        client = self._client
        with client._lifetime.call():
            _ffi.call_no_output(getattr(_ffi.lib, function_name), client._ptr, *args)

    # -- user tasks -------------------------------------------------------------------

    def search_user_tasks(self, query: Query = None, *, raw: bool = False) -> JSON:
        """``POST /v2/user-tasks/search``: one page (the server's default is 100).

        ``query`` e.g. ``{"filter": {"state": "CREATED"}, "page": {"limit": 50}}``. The answer
        is ``{"items": [...], "page": {"totalItems": N, "endCursor": ...}}``. Searches read
        secondary storage, which lags commands: see :meth:`search_user_tasks_wait`.
        """
        return self._json(raw, "tasklist_v2_search_user_tasks", _object(query, "query"))

    def search_all_user_tasks(self, query: Query = None, max_items: int = 0, *,
                              raw: bool = False) -> JSON:
        """Every page of a search as one list of tasks (``max_items`` 0 = no limit).

        ``query`` must not hold ``page.after``, ``page.before`` or ``page.from``. The bounds
        of :meth:`tasklist.Client.search_all_tasks` hold. For large results prefer
        :meth:`iter_user_tasks`, which holds one page at a time.
        """
        return self._json(raw, "tasklist_v2_search_all_user_tasks", _object(query, "query"),
                          _count(max_items, "max_items"))

    def search_user_tasks_wait(self, query: Query = None, min_items: int = 1,
                               wait_ms: int = 10_000, *, raw: bool = False) -> JSON:
        """Searches until the answer holds at least ``min_items`` items, for up to ``wait_ms``.

        Use it after a command to see its effect, e.g. after completing::

            client.v2.search_user_tasks_wait(
                {"filter": {"userTaskKey": key, "state": "COMPLETED"}})

        Raises :class:`tasklist.TimeoutError` when ``wait_ms`` passes first (its message says
        how many items the last search held); ``wait_ms=0`` searches once. Returns the last
        search's answer.
        """
        return self._json(raw, "tasklist_v2_search_user_tasks_wait", _object(query, "query"),
                          _count(min_items, "min_items"), _count(wait_ms, "wait_ms"))

    def iter_user_tasks(self, query: Query = None, *, max_items: int = 0) -> Iterator[Dict[str, Any]]:
        """Yields every user task of a search, fetching page after page lazily.

        Each next page sets ``page.after`` to the previous ``page.endCursor``; ``filter``,
        ``sort`` and ``page.limit`` of ``query`` are kept, and it must not hold a cursor
        (:class:`tasklist.InvalidArgumentError` at the first ``next``). The walker's bounds
        hold as for :meth:`tasklist.Client.iter_tasks`.
        """
        client = self._client
        return _pages.walk(client._ptr, _object(query, "query"), client._lifetime.call,
                           _count(max_items, "max_items"), new="tasklist_v2_pages_new")

    def get_user_task(self, user_task_key: str, *, raw: bool = False) -> JSON:
        """``GET /v2/user-tasks/{userTaskKey}``; :class:`tasklist.NotFoundError` when unknown
        (or not exported to secondary storage yet)."""
        return self._json(raw, "tasklist_v2_get_user_task", _key(user_task_key, "user_task_key"))

    def assign_user_task(
        self,
        user_task_key: str,
        assignee: Optional[str] = None,
        *,
        allow_override: Optional[bool] = None,
        action: Optional[str] = None,
        body: Query = None,
    ) -> None:
        """``POST /v2/user-tasks/{userTaskKey}/assignment``: assigns the task to ``assignee``.

        ``allow_override=False`` refuses a task someone else holds
        (:class:`tasklist.ConflictError`); ``action`` names a custom action for task
        listeners. ``body`` sends a complete request body instead of these arguments.
        """
        if body is not None:
            if assignee is not None or allow_override is not None or action is not None:
                raise TypeError("pass either assignee/allow_override/action or body, not both")
        else:
            if not isinstance(assignee, str):
                raise TypeError("assignee must be a str (or pass body=), not "
                                f"{type(assignee).__name__}")
            request: Dict[str, Any] = {"assignee": assignee}
            if allow_override is not None:
                if not isinstance(allow_override, bool):
                    raise TypeError("allow_override must be a bool, not "
                                    f"{type(allow_override).__name__}")
                request["allowOverride"] = allow_override
            body = _command(request, action)
        self._no_output("tasklist_v2_assign_user_task", _key(user_task_key, "user_task_key"),
                        _object(body, "body"))

    def unassign_user_task(self, user_task_key: str) -> None:
        """``DELETE /v2/user-tasks/{userTaskKey}/assignee`` (also fine for an unassigned task)."""
        self._no_output("tasklist_v2_unassign_user_task", _key(user_task_key, "user_task_key"))

    def complete_user_task(
        self,
        user_task_key: str,
        variables: Optional[Mapping[str, Any]] = None,
        *,
        action: Optional[str] = None,
        body: Query = None,
    ) -> None:
        """``POST /v2/user-tasks/{userTaskKey}/completion``, optionally with variables.

        ``variables`` maps names to plain Python values (``{"approved": True}``): v2 takes
        them as JSON, not as JSON text as v1 does, so :func:`tasklist.variables` is not
        needed here. :class:`tasklist.ConflictError` while a task listener is busy with the
        task, :class:`tasklist.NotFoundError` once it left the engine.
        """
        if body is not None:
            if variables is not None or action is not None:
                raise TypeError("pass either variables/action or body, not both")
        else:
            request: Dict[str, Any] = {}
            if variables is not None:
                if not isinstance(variables, Mapping):
                    raise TypeError("variables must be a mapping of names to values, not "
                                    f"{type(variables).__name__}")
                request["variables"] = dict(variables)
            body = _command(request, action) or None
        self._no_output("tasklist_v2_complete_user_task", _key(user_task_key, "user_task_key"),
                        _object(body, "body"))

    def update_user_task(
        self,
        user_task_key: str,
        changeset: Optional[Mapping[str, Any]] = None,
        *,
        action: Optional[str] = None,
        body: Query = None,
    ) -> None:
        """``PATCH /v2/user-tasks/{userTaskKey}`` with ``changeset``, e.g.
        ``{"priority": 80, "dueDate": "2027-01-01T10:00:00.000Z", "candidateGroups": [...]}``.
        """
        if body is not None:
            if changeset is not None or action is not None:
                raise TypeError("pass either changeset/action or body, not both")
        else:
            if not isinstance(changeset, Mapping):
                raise TypeError("changeset must be a mapping of fields to new values (or pass "
                                f"body=), not {type(changeset).__name__}")
            body = _command({"changeset": dict(changeset)}, action)
        self._no_output("tasklist_v2_update_user_task", _key(user_task_key, "user_task_key"),
                        _object(body, "body"))

    def search_user_task_variables(self, user_task_key: str, query: Query = None, *,
                                   raw: bool = False) -> JSON:
        """``POST /v2/user-tasks/{userTaskKey}/variables/search``; each item's ``value`` is
        JSON text (:func:`tasklist.decode_value` gives the Python value)."""
        return self._json(raw, "tasklist_v2_search_user_task_variables",
                          _key(user_task_key, "user_task_key"), _object(query, "query"))

    def search_user_task_effective_variables(self, user_task_key: str, query: Query = None, *,
                                             raw: bool = False) -> JSON:
        """``POST /v2/user-tasks/{userTaskKey}/effective-variables/search``: the variables
        the task sees, one per name, the task's own over its process instance's (8.9+).
        Paged by ``page.from``/``page.limit`` only; values are JSON text."""
        return self._json(raw, "tasklist_v2_search_user_task_effective_variables",
                          _key(user_task_key, "user_task_key"), _object(query, "query"))

    def set_element_instance_variables(self, element_instance_key: str,
                                       variables: Mapping[str, Any], *,
                                       local: Optional[bool] = None) -> None:
        """``PUT /v2/element-instances/{elementInstanceKey}/variables`` with plain values.
        With a task's ``elementInstanceKey`` and ``local=True`` they stay on the task: the
        closest v2 has to v1's draft variables (they are real variables, not drafts)."""
        if not isinstance(variables, Mapping):
            raise TypeError("variables must be a mapping of names to values, not "
                            f"{type(variables).__name__}")
        request: Dict[str, Any] = {"variables": dict(variables)}
        if local is not None:
            request["local"] = bool(local)
        self._no_output("tasklist_v2_set_element_instance_variables",
                        _key(element_instance_key, "element_instance_key"),
                        _object(request, "request"))

    def get_current_user(self, *, raw: bool = False) -> JSON:
        """``GET /v2/authentication/me``: who the client is to the cluster (username, tenants,
        groups, roles); checks the credentials without touching a task."""
        return self._json(raw, "tasklist_v2_get_current_user")

    def get_user_task_form(self, user_task_key: str, *, raw: bool = False) -> JSON:
        """``GET /v2/user-tasks/{userTaskKey}/form``; ``None`` for a task without a form."""
        return self._json(raw, "tasklist_v2_get_user_task_form",
                          _key(user_task_key, "user_task_key"))

    # -- processes and the cluster ------------------------------------------------------

    def search_process_definitions(self, query: Query = None, *, raw: bool = False) -> JSON:
        """``POST /v2/process-definitions/search``, e.g.
        ``{"filter": {"isLatestVersion": True, "hasStartForm": True}}``."""
        return self._json(raw, "tasklist_v2_search_process_definitions", _object(query, "query"))

    def get_process_definition_form(self, process_definition_key: str, *,
                                    raw: bool = False) -> JSON:
        """``GET /v2/process-definitions/{key}/form``: the start form, ``None`` without one."""
        return self._json(raw, "tasklist_v2_get_process_definition_form",
                          _key(process_definition_key, "process_definition_key"))

    def create_process_instance(self, request: Query, *, raw: bool = False) -> JSON:
        """``POST /v2/process-instances``: starts a process, e.g.
        ``{"processDefinitionKey": key, "variables": {"amount": 12}}`` or
        ``{"processDefinitionId": "invoice"}``. The answer holds ``processInstanceKey``.
        Never repeated once it may have reached the server (that would start a second one).
        """
        if request is None:
            raise TypeError("create_process_instance needs a request, e.g. "
                            "{'processDefinitionId': 'invoice'}")
        return self._json(raw, "tasklist_v2_create_process_instance",
                          _object(request, "request"))

    def get_topology(self, *, raw: bool = False) -> JSON:
        """``GET /v2/topology``; its ``gatewayVersion`` names the Camunda version."""
        return self._json(raw, "tasklist_v2_get_topology")
