"""The only module that touches ctypes: loads libtasklist and declares every C function.

Every function of ``include/tasklist.h`` is listed in ``_DECLARATIONS`` with its restype
and argtypes (ctypes would otherwise assume ``int`` results and truncate 64-bit pointers);
``tests/test_ffi_declarations.py`` compares this table with the header.

Ownership rules carried out here, so that no other module has to know them:
- strings the library returns through ``char **`` are copied with ``string_at`` and freed
  with ``tasklist_string_free`` in a ``finally`` (hence ``POINTER(c_char)``, never
  ``c_char_p``, which would copy and lose the pointer);
- a ``tasklist_error`` is copied into a Python exception and freed at once;
- ``const char *`` results are borrowed (static or owned by an error), so ``c_char_p``.

``ctypes.CDLL`` releases the GIL around each call, so threads sharing a client really run
in parallel inside the library.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from ctypes import (
    CFUNCTYPE, POINTER, byref, c_char, c_char_p, c_int32, c_uint16, c_uint32, c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from ._errors import Status, TasklistError, error_from_status

ABI_VERSION = 1
"""The ``TASKLIST_ABI_VERSION`` this binding was written against."""

TOKEN_FORMAT_FORM = 0
TOKEN_FORMAT_JSON = 1
CLIENT_AUTH_POST = 0
CLIENT_AUTH_BASIC = 1
LOG_ERROR = 1
LOG_WARN = 2
LOG_INFO = 3
LOG_DEBUG = 4


class Options(ctypes.Structure):
    """Opaque ``tasklist_options``; typed so a client pointer cannot be passed by mistake."""


class Client(ctypes.Structure):
    """Opaque ``tasklist_client``."""


class Error(ctypes.Structure):
    """Opaque ``tasklist_error``."""


class Pages(ctypes.Structure):
    """Opaque ``tasklist_pages``: one search walked page by page."""


OptionsPtr = POINTER(Options)
ClientPtr = POINTER(Client)
ErrorPtr = POINTER(Error)
PagesPtr = POINTER(Pages)
OwnedString = POINTER(c_char)

LogCallback = CFUNCTYPE(None, c_uint32, c_char_p, c_void_p)
"""``tasklist_log_callback``: (level, message borrowed for the call, userdata)."""
NO_LOG_CALLBACK = LogCallback()
"""A NULL ``tasklist_log_callback`` (a CFUNCTYPE argument does not accept ``None``)."""
LogRecordCallback = CFUNCTYPE(None, c_uint32, c_char_p, c_char_p, c_void_p)
"""``tasklist_log_record_callback``: (level, line, fields_json, userdata); both strings
are borrowed for the call."""
NO_LOG_RECORD_CALLBACK = LogRecordCallback()
"""A NULL ``tasklist_log_record_callback``."""

_status = c_int32
_str = c_char_p
_opts = OptionsPtr
_client = ClientPtr
_err_out = POINTER(ErrorPtr)
_json_out = POINTER(OwnedString)

# name -> (restype, argtypes), in the order of the header.
_DECLARATIONS: Dict[str, Tuple[Any, List[Any]]] = {
    "tasklist_string_free": (None, [OwnedString]),
    "tasklist_version": (c_char_p, []),
    "tasklist_abi_version": (c_uint32, []),
    "tasklist_error_code": (_status, [ErrorPtr]),
    "tasklist_error_message": (c_char_p, [ErrorPtr]),
    "tasklist_error_http_status": (c_uint16, [ErrorPtr]),
    "tasklist_error_body": (c_char_p, [ErrorPtr]),
    "tasklist_error_free": (None, [ErrorPtr]),
    "tasklist_status_name": (c_char_p, [_status]),
    "tasklist_options_new": (_status, [POINTER(OptionsPtr)]),
    "tasklist_options_from_env": (_status, [POINTER(OptionsPtr), _err_out]),
    "tasklist_options_free": (None, [_opts]),
    "tasklist_options_set_base_url": (_status, [_opts, _str]),
    "tasklist_options_set_oauth": (_status, [_opts, _str, _str, _str, _str]),
    "tasklist_options_set_oauth_scope": (_status, [_opts, _str]),
    "tasklist_options_set_token_format": (_status, [_opts, c_uint32]),
    "tasklist_options_set_cookie_login": (_status, [_opts, _str, _str]),
    "tasklist_options_set_basic_auth": (_status, [_opts, _str, _str]),
    "tasklist_options_set_login_path": (_status, [_opts, _str]),
    "tasklist_options_set_bearer_token": (_status, [_opts, _str]),
    "tasklist_options_set_timeouts": (_status, [_opts, c_uint64, c_uint64]),
    "tasklist_options_set_ca_file": (_status, [_opts, _str]),
    "tasklist_options_set_max_retries": (_status, [_opts, c_uint32]),
    "tasklist_options_set_max_response_bytes": (_status, [_opts, c_uint64]),
    "tasklist_options_set_ca_pem": (_status, [_opts, _str]),
    "tasklist_options_set_client_certificate": (_status, [_opts, _str, _str]),
    "tasklist_options_set_client_certificate_files": (_status, [_opts, _str, _str]),
    "tasklist_options_set_proxy": (_status, [_opts, _str]),
    "tasklist_options_set_proxy_from_env": (_status, [_opts, c_uint32]),
    "tasklist_options_set_tenant_id": (_status, [_opts, _str]),
    "tasklist_options_describe": (_status, [_opts, _json_out, _err_out]),
    "tasklist_options_set_oauth_client_auth": (_status, [_opts, c_uint32]),
    "tasklist_options_set_json": (_status, [_opts, _str, _err_out]),
    "tasklist_client_new": (_status, [_opts, POINTER(ClientPtr), _err_out]),
    "tasklist_client_free": (None, [_client]),
    "tasklist_client_login": (_status, [_client, _err_out]),
    "tasklist_request": (_status, [_client, _str, _str, _str, _json_out, _err_out]),
    "tasklist_pages_new": (_status, [_client, _str, c_uint32, POINTER(PagesPtr), _err_out]),
    "tasklist_v2_pages_new": (_status, [_client, _str, c_uint32, POINTER(PagesPtr), _err_out]),
    "tasklist_pages_next": (_status, [PagesPtr, _json_out, _err_out]),
    "tasklist_pages_free": (None, [PagesPtr]),
    "tasklist_search_tasks": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_search_all_tasks": (_status, [_client, _str, c_uint32, _json_out, _err_out]),
    "tasklist_get_task": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_assign_task": (_status, [_client, _str, _str, _json_out, _err_out]),
    "tasklist_unassign_task": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_complete_task": (_status, [_client, _str, _str, _json_out, _err_out]),
    "tasklist_save_draft_variables": (_status, [_client, _str, _str, _err_out]),
    "tasklist_search_task_variables": (_status, [_client, _str, _str, _json_out, _err_out]),
    "tasklist_get_variable": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_get_form": (_status, [_client, _str, _str, _str, _json_out, _err_out]),
    "tasklist_search_process_definitions": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_v2_search_user_tasks": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_v2_search_all_user_tasks": (_status, [_client, _str, c_uint32, _json_out, _err_out]),
    "tasklist_v2_search_user_tasks_wait": (
        _status, [_client, _str, c_uint32, c_uint32, _json_out, _err_out]),
    "tasklist_v2_get_user_task": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_v2_assign_user_task": (_status, [_client, _str, _str, _err_out]),
    "tasklist_v2_unassign_user_task": (_status, [_client, _str, _err_out]),
    "tasklist_v2_complete_user_task": (_status, [_client, _str, _str, _err_out]),
    "tasklist_v2_update_user_task": (_status, [_client, _str, _str, _err_out]),
    "tasklist_v2_search_user_task_variables": (_status, [_client, _str, _str, _json_out, _err_out]),
    "tasklist_v2_search_user_task_effective_variables": (
        _status, [_client, _str, _str, _json_out, _err_out]),
    "tasklist_v2_set_element_instance_variables": (_status, [_client, _str, _str, _err_out]),
    "tasklist_v2_get_current_user": (_status, [_client, _json_out, _err_out]),
    "tasklist_v2_get_user_task_form": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_v2_search_process_definitions": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_v2_get_process_definition_form": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_v2_create_process_instance": (_status, [_client, _str, _json_out, _err_out]),
    "tasklist_v2_get_topology": (_status, [_client, _json_out, _err_out]),
    "tasklist_set_log_callback": (_status, [c_uint32, LogCallback, c_void_p]),
    "tasklist_set_log_record_callback": (_status, [c_uint32, LogRecordCallback, c_void_p]),
}


def _library_file_name() -> str:
    if sys.platform == "darwin":
        return "libtasklist.dylib"
    if sys.platform == "win32":
        return "tasklist.dll"
    return "libtasklist.so"


def _load() -> ctypes.CDLL:
    """Loads TASKLIST_LIBRARY, else the copy inside the package, else the system's.

    An explicit TASKLIST_LIBRARY is authoritative: falling back to another copy would hide
    the mistake of pointing it at a file that is not there.
    """
    explicit = os.environ.get("TASKLIST_LIBRARY")
    if explicit:
        try:
            return ctypes.CDLL(explicit)
        except OSError as exc:
            raise ImportError(f"cannot load TASKLIST_LIBRARY={explicit}: {exc}") from None
    tried = []
    bundled = Path(__file__).resolve().parent / "_lib" / _library_file_name()
    if bundled.exists():
        try:
            return ctypes.CDLL(str(bundled))
        except OSError as exc:
            tried.append(f"{bundled}: {exc}")
    else:
        tried.append(f"{bundled}: not found")
    system = ctypes.util.find_library("tasklist")
    if system:
        try:
            return ctypes.CDLL(system)
        except OSError as exc:
            tried.append(f"{system}: {exc}")
    else:
        tried.append("ctypes.util.find_library('tasklist'): not found")
    raise ImportError(
        "cannot load libtasklist (set TASKLIST_LIBRARY to its path); tried:\n  "
        + "\n  ".join(tried)
    )


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in _DECLARATIONS.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            raise ImportError(f"{lib._name} lacks {name}: too old for this binding") from None
        function.restype = restype
        function.argtypes = argtypes


lib = _load()
_declare(lib)
_abi = lib.tasklist_abi_version()
if _abi != ABI_VERSION:
    raise ImportError(
        f"{lib._name} has ABI version {_abi}, this binding needs {ABI_VERSION}"
    )


def declarations() -> Dict[str, Tuple[Any, List[Any]]]:
    """The declaration table (name -> (restype, argtypes)), for the header test."""
    return dict(_DECLARATIONS)


def library_version() -> str:
    return (lib.tasklist_version() or b"").decode("utf-8")


def library_path() -> str:
    return str(lib._name)


def status_name(code: int) -> str:
    return (lib.tasklist_status_name(code) or b"TASKLIST_ERR_UNKNOWN").decode("utf-8")


def encode(value: Optional[str], what: str) -> Optional[bytes]:
    """UTF-8 for a C string argument; refuses NUL, which C would silently cut the string at."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise error_from_status(Status.INVALID_ARGUMENT, f"{what} contains a NUL character")
    return value.encode("utf-8")


def _take_error(status: int, err: Any) -> TasklistError:
    """Copies a C error into an exception and frees it."""
    if not err:
        # Only possible if the library broke its contract; still report the code.
        return error_from_status(status, f"call failed with {status_name(status)}",
                                 name=status_name(status))
    try:
        message = (lib.tasklist_error_message(err) or b"").decode("utf-8", "replace")
        body = lib.tasklist_error_body(err)
        return error_from_status(
            lib.tasklist_error_code(err),
            message,
            name=status_name(lib.tasklist_error_code(err)),
            http_status=lib.tasklist_error_http_status(err),
            body=None if body is None else body.decode("utf-8", "replace"),
        )
    finally:
        lib.tasklist_error_free(err)


def check_status(status: int, what: str) -> None:
    """For setters, which return a status without an error object."""
    if status != Status.OK:
        raise error_from_status(status, f"{what} failed with {status_name(status)}",
                                name=status_name(status))


def call_text(function: Callable[..., int], *args: Any) -> str:
    """Calls ``function(*args, &json_out, &err)`` and returns the owned string as text."""
    out = OwnedString()
    err = ErrorPtr()
    try:
        status = function(*args, byref(out), byref(err))
        if status != Status.OK:
            raise _take_error(status, err)
        return ctypes.string_at(out).decode("utf-8") if out else ""
    finally:
        lib.tasklist_string_free(out)  # NULL is accepted


def call_no_output(function: Callable[..., int], *args: Any) -> None:
    """Calls ``function(*args, &err)`` for functions without a result."""
    err = ErrorPtr()
    status = function(*args, byref(err))
    if status != Status.OK:
        raise _take_error(status, err)


def new_options(from_env: bool) -> Any:
    options = OptionsPtr()
    if from_env:
        err = ErrorPtr()
        status = lib.tasklist_options_from_env(byref(options), byref(err))
        if status != Status.OK:
            raise _take_error(status, err)
    else:
        check_status(lib.tasklist_options_new(byref(options)), "tasklist_options_new")
    return options


def new_client(options: Any) -> Any:
    client = ClientPtr()
    err = ErrorPtr()
    status = lib.tasklist_client_new(options, byref(client), byref(err))
    if status != Status.OK:
        raise _take_error(status, err)
    return client



def new_pages(client: Any, query: Optional[bytes], max_items: int,
              function_name: str = "tasklist_pages_new") -> Any:
    """A new ``tasklist_pages`` for a task search (``tasklist_v2_pages_new`` for a v2 user-task
    search); the caller frees it with ``free_pages``."""
    pages = PagesPtr()
    err = ErrorPtr()
    status = getattr(lib, function_name)(client, query, max_items, byref(pages), byref(err))
    if status != Status.OK:
        raise _take_error(status, err)
    return pages


def next_page(pages: Any) -> Optional[str]:
    """The next page's JSON array text, or ``None`` once the walk is over."""
    out = OwnedString()
    err = ErrorPtr()
    try:
        status = lib.tasklist_pages_next(pages, byref(out), byref(err))
        if status != Status.OK:
            raise _take_error(status, err)
        return ctypes.string_at(out).decode("utf-8") if out else None
    finally:
        lib.tasklist_string_free(out)  # NULL is accepted


def free_pages(pages: Any) -> None:
    lib.tasklist_pages_free(pages)
