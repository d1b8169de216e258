"""The Tasklist client: one method per endpoint over the C library."""

from __future__ import annotations

import json
import os
import threading
import weakref
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Mapping, Optional, Sequence, Tuple, Union

from . import _ffi, _options, _pages
from ._errors import Status, error_from_status
from ._variables import variables as encode_variables
from .v2 import V2

JSON = Any
"""Parsed JSON: dict, list, str, int, float, bool or None."""

Body = Union[Mapping[str, Any], Sequence[Any], str, None]
"""A request body: a dict/list (serialized with ``json.dumps``) or JSON text sent unchanged."""

PathLike = Union[str, "os.PathLike[str]"]

Variables = Union[Mapping[str, Any], Sequence[Mapping[str, str]], None]


def _body_text(body: Body, what: str) -> Optional[bytes]:
    if body is None:
        return None
    text = body if isinstance(body, str) else json.dumps(body, allow_nan=False)
    return _ffi.encode(text, what)


class _Lifetime:
    """Lets calls run concurrently while ``close`` waits for them and then forbids new ones.

    A reader-writer scheme: every call is a reader, ``close`` is the writer. The C client
    must not be freed while another thread is inside a call on it.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._calls = 0
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    @contextmanager
    def call(self) -> Iterator[None]:
        with self._cond:
            if self._closed:
                raise ValueError("tasklist client is closed")
            self._calls += 1
        try:
            yield
        finally:
            with self._cond:
                self._calls -= 1
                if self._calls == 0:
                    self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.wait_for(lambda: self._calls == 0)


class Client:
    """A Tasklist client; thread-safe, one per application is enough.

    Authentication, pick one (none is also allowed, for an open server):

    - OAuth 2.0 client credentials: ``token_url``, ``client_id``, ``client_secret``, and
      optionally ``audience`` (``None``: ``"tasklist.camunda.io"``; ``""``: send none),
      ``scope``, ``token_format`` (``"form"``, the default, or ``"json"``) and
      ``client_auth`` (``"post"``, the default: id and secret in the body, or ``"basic"``:
      in an HTTP Basic header);
    - cookie login: ``username``, ``password`` and optionally ``login_path``
      (by default found at the first login: ``"/api/login"`` up to 8.7, ``"/login"``
      from 8.8);
    - HTTP Basic (Camunda 8.8+ Self-Managed): ``basic_auth=(username, password)``, sent
      with every request, no session;
    - a fixed ``bearer_token`` obtained elsewhere.

    Timeouts are in seconds (defaults: connect 10, whole request 60). Nothing is sent
    before the first call; use :meth:`login` to check the credentials at start-up.

    TLS and proxies: ``ca_file`` (path) and ``ca_pem`` (PEM text) add private CAs to the
    built-in roots; ``client_certificate=(cert_chain_pem, private_key_pem)`` (PEM text) or
    ``client_certificate_files=(cert_chain_path, private_key_path)`` present a client
    certificate (mutual TLS); ``proxy`` is an explicit proxy URL
    (``http://[user:password@]host:port``, ``https://``, ``socks4://``, ``socks5://``) and
    ``proxy_from_env=True`` follows ``https_proxy``/``http_proxy``/``all_proxy``/``no_proxy``
    (off by default). ``tenant_id`` is the tenant a v2 process start acts in when its
    request names none. PEM text and proxy URLs are checked at once
    (:class:`InvalidArgumentError`); certificate files are read when the client is built.
    :meth:`describe` shows the resulting configuration with secrets redacted.

    Use it as a context manager or call :meth:`close`; a finalizer frees the C client if
    you forget. After ``close`` every method raises ``ValueError``.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        *,
        token_url: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        audience: Optional[str] = None,
        scope: Optional[str] = None,
        token_format: Optional[str] = None,
        client_auth: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        login_path: Optional[str] = None,
        bearer_token: Optional[str] = None,
        connect_timeout: Optional[float] = None,
        request_timeout: Optional[float] = None,
        ca_file: Optional[str] = None,
        max_retries: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        ca_pem: Optional[str] = None,
        client_certificate: Optional[Tuple[str, str]] = None,
        client_certificate_files: Optional[Tuple[PathLike, PathLike]] = None,
        proxy: Optional[str] = None,
        proxy_from_env: Optional[bool] = None,
        basic_auth: Optional[Tuple[str, str]] = None,
        tenant_id: Optional[str] = None,
        _from_env: bool = False,
    ) -> None:
        settings = dict(
            base_url=base_url, token_url=token_url, client_id=client_id,
            client_secret=client_secret, audience=audience, scope=scope,
            token_format=token_format, client_auth=client_auth, username=username,
            password=password, login_path=login_path, bearer_token=bearer_token,
            connect_timeout=connect_timeout, request_timeout=request_timeout,
            ca_file=ca_file, max_retries=max_retries, max_response_bytes=max_response_bytes,
            ca_pem=ca_pem, client_certificate=client_certificate,
            client_certificate_files=client_certificate_files, proxy=proxy,
            proxy_from_env=proxy_from_env, basic_auth=basic_auth, tenant_id=tenant_id,
        )
        options = _options.configured(_from_env, settings)
        try:
            pointer = _ffi.new_client(options)
        except BaseException:
            _ffi.lib.tasklist_options_free(options)
            raise
        self._ptr = pointer
        # The options are kept (and freed with the client) only for describe(): they are
        # exactly what the client was built from, environment included, with no copy of
        # the secrets on the Python side.
        self._options = options
        self._options_lock = threading.Lock()  # options objects are not thread-safe
        self._lifetime = _Lifetime()
        # Holds the functions and the pointers, not self: runs once, at GC or at exit.
        self._finalizer = weakref.finalize(self, _free_client_and_options, pointer, options)

    @classmethod
    def from_env(cls, **overrides: Any) -> "Client":
        """A client configured from the environment variables Camunda's clients use.

        ``CAMUNDA_TASKLIST_BASE_URL``, ``CAMUNDA_OAUTH_URL``, ``CAMUNDA_CLIENT_ID``,
        ``CAMUNDA_CLIENT_SECRET``, ``CAMUNDA_TASKLIST_OAUTH_AUDIENCE``,
        ``CAMUNDA_AUTH_STRATEGY``, ``CAMUNDA_COOKIE_AUTH_USERNAME``/``_PASSWORD``,
        ``CAMUNDA_OAUTH_TOKEN``, ... (the library's docs/configuration.md has the full list
        and precedence). Keyword ``overrides`` take the constructor's names and win over
        the environment.
        """
        return cls(_from_env=True, **overrides)

    # -- lifetime -------------------------------------------------------------------

    def close(self) -> None:
        """Frees the C client after calls in flight return. Idempotent."""
        self._lifetime.close()
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._lifetime.closed

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<tasklist.Client {'closed' if self.closed else 'open'}>"

    def describe(self) -> Dict[str, Any]:
        """The configuration this client was built with, as the library describes it.

        ``{"base_url": {"value": ..., "source": ...}, ...}``, one entry per setting;
        ``source`` is ``"default"``, ``"set"`` (a keyword argument) or the environment
        variable the value came from (:meth:`from_env`). Secrets (client secret, password,
        bearer token, private key text, proxy password) are ``"***"``. Reads the options
        object kept from construction, so the environment is not read again. Raises
        ``ValueError`` once the client is closed.
        """
        with self._lifetime.call(), self._options_lock:
            return _options.describe(self._options)

    @property
    def v2(self) -> V2:
        """The v2 Orchestration Cluster API (Camunda 8.8+) over this client: the same
        authentication, retries and errors (``client.v2.search_user_tasks(...)``).

        The v1 methods need Tasklist v1 (up to 8.9), the v2 methods the v2 API (from 8.8);
        calling the generation a server lacks raises :class:`UnsupportedError`.
        """
        return V2(self)

    # -- plumbing -------------------------------------------------------------------

    def _text(self, function_name: str, *args: Any) -> str:
        with self._lifetime.call():
            return _ffi.call_text(getattr(_ffi.lib, function_name), self._ptr, *args)

    def _json(self, raw: bool, function_name: str, *args: Any) -> JSON:
        text = self._text(function_name, *args)
        if raw:
            return text
        return json.loads(text) if text else None

    # -- endpoints ------------------------------------------------------------------

    def login(self) -> None:
        """Authenticates now (token or session) so bad credentials show at start-up."""
        with self._lifetime.call():
            _ffi.call_no_output(_ffi.lib.tasklist_client_login, self._ptr)

    def search_tasks(self, query: Body = None, *, raw: bool = False) -> JSON:
        """``POST /v1/tasks/search``: one page (default 50) of tasks, newest first."""
        return self._json(raw, "tasklist_search_tasks", _body_text(query, "query"))

    def search_all_tasks(self, query: Body = None, max_items: int = 0, *, raw: bool = False) -> JSON:
        """Every page of a search as one list (``max_items`` 0 = no limit).

        The query must not contain a cursor (``searchAfter``...). For large results prefer
        :meth:`iter_tasks`, which holds one page at a time. A walk that never ends is
        bounded: each of these raises :class:`TasklistError` with its ``code``: a page
        repeating any earlier page's cursor (``Status.DECODE``), all pages together larger
        than ``max_response_bytes`` or 100,000 full pages (``Status.BODY_TOO_LARGE``), ten
        request timeouts spent (:class:`TimeoutError`).
        """
        if not 0 <= max_items <= 0xFFFF_FFFF:  # ctypes would wrap a negative number silently
            raise error_from_status(Status.INVALID_ARGUMENT, "max_items must be 0..2**32-1")
        return self._json(raw, "tasklist_search_all_tasks", _body_text(query, "query"), max_items)

    def iter_tasks(self, query: Body = None) -> Iterator[Dict[str, Any]]:
        """Yields every task of a search, fetching page after page lazily.

        Each next page passes the ``sortValues`` of the last task as ``searchAfter``;
        iteration stops at a short or empty page. The query must not contain a cursor
        (``searchAfter``...). The client may be closed between pages; the next fetch then
        raises ``ValueError``. The library's walker ends a walk that a server would keep
        going: a page repeating any earlier page's cursor (``Status.DECODE``), more than
        100,000 pages (``Status.BODY_TOO_LARGE``), ten request timeouts spent waiting for
        pages (:class:`TimeoutError`).
        """
        return _pages.walk(self._ptr, _body_text(query, "query"), self._lifetime.call)

    def get_task(self, task_id: str, *, raw: bool = False) -> JSON:
        """``GET /v1/tasks/{task_id}``."""
        return self._json(raw, "tasklist_get_task", _ffi.encode(task_id, "task_id"))

    def assign_task(
        self,
        task_id: str,
        assignee: Optional[str] = None,
        *,
        allow_override_assignment: Optional[bool] = None,
        body: Body = None,
        raw: bool = False,
    ) -> JSON:
        """``PATCH /v1/tasks/{task_id}/assign``: claims a task.

        Without ``assignee`` a cookie-session user assigns the task to themselves (OAuth
        clients must name one). ``body`` sends a complete request body instead.
        """
        if assignee is not None and not isinstance(assignee, str):
            raise TypeError(f"assignee must be a str (the user's name), not "
                            f"{type(assignee).__name__}; pass a whole request as body=")
        if allow_override_assignment is not None and not isinstance(allow_override_assignment,
                                                                    bool):
            raise TypeError("allow_override_assignment must be a bool, not "
                            f"{type(allow_override_assignment).__name__}")
        if body is None and (assignee is not None or allow_override_assignment is not None):
            request: Dict[str, Any] = {}
            if assignee is not None:
                request["assignee"] = assignee
            if allow_override_assignment is not None:
                request["allowOverrideAssignment"] = allow_override_assignment
            body = request
        elif body is not None and (assignee is not None or allow_override_assignment is not None):
            raise TypeError("pass either assignee/allow_override_assignment or body, not both")
        return self._json(raw, "tasklist_assign_task", _ffi.encode(task_id, "task_id"),
                          _body_text(body, "body"))

    def unassign_task(self, task_id: str, *, raw: bool = False) -> JSON:
        """``PATCH /v1/tasks/{task_id}/unassign``."""
        return self._json(raw, "tasklist_unassign_task", _ffi.encode(task_id, "task_id"))

    def complete_task(
        self, task_id: str, variables: Variables = None, *, body: Body = None, raw: bool = False
    ) -> JSON:
        """``PATCH /v1/tasks/{task_id}/complete``, optionally with variables.

        ``variables`` is either a mapping of names to plain Python values, which are
        encoded with :func:`tasklist.variables` (``{"approved": True}``), or a list of
        already encoded ``{"name": ..., "value": "<json text>"}`` entries, sent as they
        are. ``body`` is the whole request body (dict or JSON text) sent unchanged; give
        one or the other.
        """
        body = _variables_body(variables, body)
        return self._json(raw, "tasklist_complete_task", _ffi.encode(task_id, "task_id"),
                          _body_text(body, "body"))

    def save_draft_variables(
        self, task_id: str, variables: Variables = None, *, body: Body = None
    ) -> None:
        """``POST /v1/tasks/{task_id}/variables``: replaces the task's draft variables.

        Same ``variables``/``body`` rules as :meth:`complete_task`; no variables clears
        the drafts.
        """
        request = _variables_body(variables, body)
        with self._lifetime.call():
            _ffi.call_no_output(_ffi.lib.tasklist_save_draft_variables, self._ptr,
                                _ffi.encode(task_id, "task_id"),
                                _body_text({"variables": []} if request is None else request, "body"))

    def search_task_variables(
        self, task_id: str, query: Body = None, *, raw: bool = False
    ) -> JSON:
        """``POST /v1/tasks/{task_id}/variables/search``; ``value`` fields are JSON text.

        Use :func:`tasklist.decode_value` to get a variable's Python value.
        """
        return self._json(raw, "tasklist_search_task_variables",
                          _ffi.encode(task_id, "task_id"), _body_text(query, "query"))

    def get_variable(self, variable_id: str, *, raw: bool = False) -> JSON:
        """``GET /v1/variables/{variable_id}``, with the full (untruncated) value."""
        return self._json(raw, "tasklist_get_variable", _ffi.encode(variable_id, "variable_id"))

    def get_form(
        self,
        form_id: str,
        process_definition_key: str,
        version: Union[int, str, None] = None,
        *,
        raw: bool = False,
    ) -> JSON:
        """``GET /v1/forms/{form_id}``; ``version`` ``None`` means the latest."""
        return self._json(
            raw, "tasklist_get_form", _ffi.encode(form_id, "form_id"),
            _ffi.encode(str(process_definition_key), "process_definition_key"),
            None if version is None else _ffi.encode(str(version), "version"),
        )

    def search_process_definitions(self, query: Body = None, *, raw: bool = False) -> JSON:
        """``POST /v1/process-definitions/search`` (Operate's endpoint on combined servers)."""
        return self._json(raw, "tasklist_search_process_definitions", _body_text(query, "query"))

    def request(self, method: str, path: str, body: Body = None, *, raw: bool = False) -> JSON:
        """Any other endpoint below the base URL, with the same auth, retries and errors.

        ``path`` starts with ``/`` (e.g. ``"/v1/tasks/123"``). A 204 answer gives ``None``
        (or ``""`` with ``raw=True``).
        """
        return self._json(raw, "tasklist_request", _ffi.encode(method, "method"),
                          _ffi.encode(path, "path"), _body_text(body, "body"))


def describe_config(base_url: Optional[str] = None, *, from_env: bool = False,
                    **settings: Any) -> Dict[str, Any]:
    """What a client built with these arguments would be configured with, without building it.

    Takes :class:`Client`'s keyword arguments (``from_env=True`` starts from the
    environment, like :meth:`Client.from_env`) and returns the parsed JSON of
    ``tasklist_options_describe``: ``{"setting": {"value": ..., "source": ...}}`` with
    secrets shown as ``"***"``. Nothing is sent and no certificate file is read.
    """
    unknown = sorted(set(settings) - set(_options.SETTINGS))
    if unknown:
        raise TypeError(f"describe_config() got unexpected keyword arguments: {', '.join(unknown)}")
    full = dict.fromkeys(_options.SETTINGS)
    full.update(settings, base_url=base_url)
    options = _options.configured(from_env, full)
    try:
        return _options.describe(options)
    finally:
        _ffi.lib.tasklist_options_free(options)


def _free_client_and_options(client: Any, options: Any) -> None:
    _ffi.lib.tasklist_client_free(client)
    _ffi.lib.tasklist_options_free(options)


def _variables_body(variables: Variables, body: Body) -> Body:
    if variables is not None and body is not None:
        raise TypeError("pass either variables or body, not both")
    if variables is None:
        return body
    if isinstance(variables, Mapping):
        return {"variables": encode_variables(variables)}
    if isinstance(variables, (str, bytes)):
        raise TypeError("variables must be a mapping or a list of {name, value}; "
                        "pass JSON text as body=")
    return {"variables": list(variables)}


