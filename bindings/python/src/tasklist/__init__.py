"""Python client for the Camunda 8 Tasklist REST API (v1), over libtasklist's C ABI.

    >>> import tasklist
    >>> with tasklist.Client("http://localhost:8080", username="demo", password="demo") as c:
    ...     tasks = c.search_tasks({"state": "CREATED"})            # doctest: +SKIP
"""

from ._errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ConnectionError,
    ForbiddenError,
    InvalidArgumentError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    Status,
    TasklistError,
    TimeoutError,
    UnauthorizedError,
    UnsupportedError,
)
from ._ffi import library_path, library_version
from ._logging import disable_logging, enable_logging, logging_enabled
from ._variables import decode_value, variables
from .client import Client, describe_config

__version__ = "0.1.0"

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "ConnectionError",
    "ForbiddenError",
    "InvalidArgumentError",
    "NotFoundError",
    "RateLimitedError",
    "ServerError",
    "Status",
    "TasklistError",
    "TimeoutError",
    "UnauthorizedError",
    "UnsupportedError",
    "decode_value",
    "describe_config",
    "disable_logging",
    "enable_logging",
    "library_path",
    "library_version",
    "logging_enabled",
    "variables",
]
