"""The exceptions of the tasklist package and the status codes of the C library.

This module does not touch ctypes: ``_ffi`` copies the fields out of a C error, frees it,
and calls :func:`error_from_status` to build the exception.
"""

from __future__ import annotations

import enum
from typing import Dict, Optional, Type


class Status(enum.IntEnum):
    """The ``TASKLIST_*`` status codes of the C library (``include/tasklist.h``).

    A newer library may return codes this module does not know; they become pseudo-members
    named ``UNKNOWN_<n>`` instead of raising, so error handling never fails on them.
    """

    OK = 0
    NULL_ARGUMENT = 100
    INVALID_ARGUMENT = 101
    INVALID_UTF8 = 102
    INVALID_JSON = 103
    CONNECT = 200
    TIMEOUT = 201
    TLS = 202
    IO = 203
    BODY_TOO_LARGE = 204
    BAD_REQUEST = 300
    UNAUTHORIZED = 301
    FORBIDDEN = 302
    NOT_FOUND = 303
    CONFLICT = 304
    RATE_LIMITED = 305
    SERVER = 306
    HTTP = 307
    DECODE = 308
    UNSUPPORTED = 309
    AUTH_FAILED = 400
    AUTH_UNAVAILABLE = 401
    PANIC = 900
    INTERNAL = 901

    @classmethod
    def _missing_(cls, value: object) -> Optional["Status"]:
        if not isinstance(value, int):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member

    @property
    def macro_name(self) -> str:
        """The C macro name, e.g. ``TASKLIST_ERR_NOT_FOUND`` (``TASKLIST_ERR_UNKNOWN`` if unknown)."""
        if self.value == 0:
            return "TASKLIST_OK"
        if self.name.startswith("UNKNOWN_"):
            return "TASKLIST_ERR_UNKNOWN"
        return f"TASKLIST_ERR_{self.name}"


class TasklistError(Exception):
    """A failed call.

    Attributes:
        code: the status as a :class:`Status` (an ``int``).
        name: the C macro name of the status, e.g. ``"TASKLIST_ERR_NOT_FOUND"``.
        http_status: the HTTP status of the answer, 0 when there was no answer.
        body: the server's answer body (Tasklist's JSON problem document), or ``None``.
        message: one line describing what failed; never contains a secret.
    """

    def __init__(
        self,
        code: int,
        name: str,
        http_status: int,
        body: Optional[str],
        message: str,
    ) -> None:
        super().__init__(message)
        self.code = Status(code)
        self.name = name
        self.http_status = http_status
        self.body = body
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} ({self.name})"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={int(self.code)}, name={self.name!r}, "
            f"http_status={self.http_status}, message={self.message!r})"
        )


class AuthenticationError(TasklistError):
    """The token endpoint or the login rejected the credentials, or could not be used."""


class UnauthorizedError(TasklistError):
    """Tasklist answered 401 even after a fresh authentication."""


class ForbiddenError(TasklistError):
    """Tasklist answered 403: the user may not do this."""


class NotFoundError(TasklistError):
    """Tasklist answered 404."""


class BadRequestError(TasklistError):
    """Tasklist answered 400: an invalid query, or a task in the wrong state."""


class ConflictError(TasklistError):
    """The server answered 409: the task is busy (a listener runs) or in another state."""


class UnsupportedError(TasklistError):
    """The server does not offer the API generation that was called.

    A v1 method against Camunda 8.10+ (no Tasklist v1), or a ``client.v2`` method against
    8.7 or earlier (no v2 API). The message names the server's version where it could be
    learned and the method to call instead.
    """


class TimeoutError(TasklistError):  # noqa: A001 - the name users expect inside this package
    """A connect or request timeout elapsed. Not the built-in ``TimeoutError``."""


class ConnectionError(TasklistError):  # noqa: A001
    """The server could not be reached, TLS failed, or the connection broke mid-exchange.

    Not the built-in ``ConnectionError``.
    """


class ServerError(TasklistError):
    """Tasklist answered 5xx, still after the allowed retries."""


class RateLimitedError(TasklistError):
    """Tasklist answered 429, still after the allowed retries."""


class InvalidArgumentError(TasklistError, ValueError):
    """An argument was refused before anything was sent (bad URL, empty id, invalid JSON...).

    Also a ``ValueError``, since that is what Python code expects for bad arguments.
    """


_CLASS_BY_STATUS: Dict[int, Type[TasklistError]] = {
    Status.NULL_ARGUMENT: InvalidArgumentError,
    Status.INVALID_ARGUMENT: InvalidArgumentError,
    Status.INVALID_UTF8: InvalidArgumentError,
    Status.INVALID_JSON: InvalidArgumentError,
    Status.CONNECT: ConnectionError,
    Status.TLS: ConnectionError,
    Status.IO: ConnectionError,
    Status.TIMEOUT: TimeoutError,
    Status.BAD_REQUEST: BadRequestError,
    Status.UNAUTHORIZED: UnauthorizedError,
    Status.FORBIDDEN: ForbiddenError,
    Status.NOT_FOUND: NotFoundError,
    Status.CONFLICT: ConflictError,
    Status.UNSUPPORTED: UnsupportedError,
    Status.RATE_LIMITED: RateLimitedError,
    Status.SERVER: ServerError,
    Status.AUTH_FAILED: AuthenticationError,
    Status.AUTH_UNAVAILABLE: AuthenticationError,
}


def error_from_status(
    code: int,
    message: str,
    *,
    name: Optional[str] = None,
    http_status: int = 0,
    body: Optional[str] = None,
) -> TasklistError:
    """Builds the exception of the class callers branch on for ``code``."""
    status = Status(code)
    cls = _CLASS_BY_STATUS.get(status, TasklistError)
    return cls(status, name or status.macro_name, http_status, body, message)
