"""Forwards libtasklist's log records to the ``logging`` module.

The library has one process-wide log sink (``tasklist_set_log_record_callback``), so this
module keeps one installed callback at most. Each record arrives as its line and as JSON
fields; the line becomes the ``logging`` message and the fields ``tasklist_*`` attributes,
so nothing here parses text. Facts about the C side that shape the code:

- the callback runs on whichever thread makes a request, possibly several at once; ctypes
  takes the GIL for the duration of each call;
- ``line`` and ``fields_json`` are borrowed for the call only: ``c_char_p`` copies them into
  ``bytes`` before Python code sees them;
- the callback must return normally: every exception is swallowed here, since one escaping
  a ctypes callback would only be printed as "Exception ignored" and could never reach the
  caller anyway;
- when ``tasklist_set_log_record_callback`` returns, the previous callback has finished and is
  never called again, so only then may the CFUNCTYPE object be released. Until then it is
  referenced from ``_installed`` (a collected CFUNCTYPE would leave the library calling
  freed memory);
- the callback must not call libtasklist, so a handler attached to the logger must not use
  a ``tasklist.Client`` either.
"""

from __future__ import annotations

import atexit
import json
import logging
import threading
from typing import Any, Dict, Optional, Union

from . import _ffi

LOGGER_NAME = "tasklist"

# TASKLIST_LOG_* -> logging level.
_TO_PYTHON = {
    _ffi.LOG_ERROR: logging.ERROR,
    _ffi.LOG_WARN: logging.WARNING,
    _ffi.LOG_INFO: logging.INFO,
    _ffi.LOG_DEBUG: logging.DEBUG,
}

# The members of fields_json, each set on every record as ``tasklist_<member>`` (None when
# the library sends null or, from an older library, nothing).
_FIELDS = ("target", "method", "path", "status", "duration_ms", "retries", "retry_after_ms",
           "error", "message")

_lock = threading.Lock()
_installed: Optional[Any] = None  # the CFUNCTYPE object the library may call; None: default sink
_atexit_registered = False


def _library_level(level: int) -> int:
    """The least severe TASKLIST_LOG_* level a Python threshold lets through."""
    if level <= logging.DEBUG:
        return _ffi.LOG_DEBUG
    if level <= logging.INFO:
        return _ffi.LOG_INFO
    if level <= logging.WARNING:
        return _ffi.LOG_WARN
    return _ffi.LOG_ERROR


def _record_attributes(level: int, fields_json: Optional[bytes]) -> Dict[str, Any]:
    """The ``extra`` attributes of one record: its library level and its fields."""
    fields: Any = {}
    if fields_json:
        try:
            fields = json.loads(fields_json)
        except ValueError:  # never sent by the library; the line still gets through
            fields = {}
    if not isinstance(fields, dict):
        fields = {}
    extra: Dict[str, Any] = {"tasklist_level": level}
    for name in _FIELDS:
        extra["tasklist_" + name] = fields.get(name)
    return extra


def _make_callback(logger: logging.Logger, threshold: int) -> Any:
    def forward(level: int, line: Optional[bytes], fields_json: Optional[bytes],
                _userdata: Any) -> None:
        try:
            python_level = _TO_PYTHON.get(level, logging.ERROR)
            if python_level >= threshold and logger.isEnabledFor(python_level):
                text = line.decode("utf-8", "replace") if line is not None else ""
                # "%s" so that a '%' in a path is never taken as a format directive.
                logger.log(python_level, "%s", text,
                           extra=_record_attributes(level, fields_json))
        except BaseException:  # never let anything propagate into C
            pass

    return _ffi.LogRecordCallback(forward)


def enable_logging(level: int = logging.INFO,
                   logger: Union[logging.Logger, str, None] = None) -> None:
    """Sends libtasklist's log records to ``logger`` (default ``logging.getLogger("tasklist")``).

    Records at ``level`` and more severe are forwarded, mapped ERROR/WARNING/INFO/DEBUG from
    the library's levels. Each record's message is the library's line, e.g.
    ``POST /v1/tasks/search status=200 duration_ms=3 retries=0``; its attributes are
    ``tasklist_level`` (the library's level, 1-4) and the library's fields, each as
    ``tasklist_<name>`` and None when it does not apply: ``tasklist_target`` (``"http"``,
    ``"auth"`` or ``"panic"``), ``tasklist_method``, ``tasklist_path`` (without the
    query), ``tasklist_status`` (0 when there was no answer), ``tasklist_duration_ms``,
    ``tasklist_retries``, ``tasklist_retry_after_ms`` (on a record that announces a
    retry), ``tasklist_error`` (a failure's ``TASKLIST_ERR_*`` name) and
    ``tasklist_message`` (what happened in words, with a failure's reason), usable in a
    format string as ``%(tasklist_status)s``. INFO gives one record per HTTP exchange
    (token fetches and logins included), WARNING only failed ones, DEBUG adds every retry.
    Records never contain secrets.

    Process-wide (every client), replacing any previous :func:`enable_logging` or the
    ``TASKLIST_LOG`` stderr output. Records are emitted on the thread that makes the
    request. Handlers of this logger must not use a :class:`tasklist.Client` nor call
    :func:`enable_logging`/:func:`disable_logging` (the library forbids calls from inside
    its log callback; they could deadlock).
    """
    global _installed, _atexit_registered
    if isinstance(level, bool) or not isinstance(level, int):
        raise TypeError(f"level must be a logging level (int), not {type(level).__name__}")
    if logger is None or isinstance(logger, str):
        logger = logging.getLogger(logger or LOGGER_NAME)
    callback = _make_callback(logger, level)
    with _lock:
        _ffi.check_status(
            _ffi.lib.tasklist_set_log_record_callback(_library_level(level), callback, None),
            "tasklist_set_log_record_callback",
        )
        # The previous callback is no longer running nor called: safe to drop it now.
        _installed = callback
        if not _atexit_registered:
            # An interpreter being finalized must not be called back from a late request.
            atexit.register(disable_logging)
            _atexit_registered = True


def disable_logging() -> None:
    """Restores the library's default sink (stderr, filtered by ``TASKLIST_LOG``).

    When it returns, no record is emitted any more. Idempotent.
    """
    global _installed
    with _lock:
        _ffi.check_status(
            _ffi.lib.tasklist_set_log_record_callback(
                _ffi.LOG_ERROR, _ffi.NO_LOG_RECORD_CALLBACK, None),
            "tasklist_set_log_record_callback",
        )
        _installed = None


def logging_enabled() -> bool:
    """Whether :func:`enable_logging` is in effect."""
    return _installed is not None
