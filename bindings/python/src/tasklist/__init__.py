"""Python client for Camunda 8 user tasks: the Tasklist REST API (v1) and the v2
Orchestration Cluster API (``client.v2``), over libtasklist's C ABI.

    >>> import tasklist
    >>> with tasklist.Client("http://localhost:8080", username="demo", password="demo") as c:
    ...     tasks = c.search_tasks({"state": "CREATED"})            # doctest: +SKIP
    ...     page = c.v2.search_user_tasks({"filter": {"state": "CREATED"}})  # doctest: +SKIP
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
from .v2 import V2

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
    "V2",
    "decode_value",
    "describe_config",
    "disable_logging",
    "enable_logging",
    "library_path",
    "library_version",
    "logging_enabled",
    "variables",
]
