"""From the keyword arguments of :class:`tasklist.Client` to the library's options.

One ``tasklist_options_set_json`` call with the library's own setting names (the keys that
``tasklist_options_describe`` shows): the library judges every value, all or nothing, and a
refusal carries its message, which names the setting. What stays here is what only the
keywords decide: which authentication method they select, the certificate pairs, Python
types, seconds to milliseconds, paths.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, Dict, Optional, Tuple

from . import _ffi
from ._errors import Status, error_from_status

def _millis(seconds: Any, what: str) -> Optional[int]:
    """Seconds to whole milliseconds, the unit of the library's ``*_timeout_ms`` settings.

    Only the conversion happens here; the library judges the value. A positive timeout
    below a millisecond becomes 1 ms and a negative one stays negative, so that rounding
    never turns one value into another the library would accept.
    """
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, not {type(seconds).__name__}")
    if not math.isfinite(seconds):
        # JSON has no infinity or NaN to hand over.
        raise error_from_status(Status.INVALID_ARGUMENT, f"{what} must be a finite number of seconds")
    millis = round(seconds * 1000)
    if seconds > 0:
        return max(1, millis)
    if seconds < 0:
        return min(-1, millis)
    return 0


def describe(options: Any) -> Dict[str, Any]:
    described: Dict[str, Any] = json.loads(_ffi.call_text(_ffi.lib.tasklist_options_describe, options))
    return described


def configured(from_env: bool, settings: Dict[str, Any]) -> Any:
    """A new ``tasklist_options`` with the settings applied; the caller frees it."""
    options = _ffi.new_options(from_env=from_env)
    try:
        _configure(options, **settings)
    except BaseException:
        _ffi.lib.tasklist_options_free(options)
        raise
    return options


def _pair(value: Any, what: str, item: str) -> Tuple[Any, Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{what} must be a pair ({item}), not {type(value).__name__}")
    return value[0], value[1]


def _string(value: Any, what: str) -> Optional[str]:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return value


def _path(value: Any, what: str) -> Optional[str]:
    return None if value is None else _string(os.fspath(value), what)


def _integer(value: Any, what: str) -> Optional[int]:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    return value


def _pem_text(value: Any, what: str) -> str:
    """PEM text for the library's ``client_certificate``/``client_key``, which take a value
    without a PEM marker as a file path: text given to the text keyword must not become one."""
    text = _string(value, what)
    if text is None or "-----BEGIN" not in text:
        raise error_from_status(
            Status.INVALID_ARGUMENT,
            f"{what} holds no PEM text (-----BEGIN ...); give files as client_certificate_files")
    return text


def _configure(options: Any, **settings: Any) -> None:
    """Applies the constructor's keywords to a ``tasklist_options`` in one call."""
    s = settings
    oauth_keys = ("token_url", "client_id", "client_secret")
    methods = [name for name, present in (
        ("oauth", any(s[k] is not None for k in oauth_keys)),
        ("cookie login", s["username"] is not None),
        ("basic_auth", s["basic_auth"] is not None),
        ("bearer token", s["bearer_token"] is not None),
    ) if present]
    if len(methods) > 1:
        raise TypeError(f"choose one authentication method, got {' and '.join(methods)}")
    values: Dict[str, Any] = {}

    def put(key: str, value: Any) -> None:
        if value is not None:
            values[key] = value

    put("base_url", _string(s["base_url"], "base_url"))
    if methods == ["oauth"]:
        missing = [k for k in oauth_keys if s[k] is None]
        if missing:
            raise TypeError(f"OAuth needs {', '.join(missing)} as well")
        values["auth"] = "oauth"
    elif methods == ["cookie login"]:
        values["auth"] = "cookie"
    elif methods == ["basic_auth"]:
        user, password = _pair(s["basic_auth"], "basic_auth", "username, password")
        values["auth"] = "basic"
        values["username"] = _string(user, "basic_auth username")
        values["password"] = _string(password, "basic_auth password")
    elif methods == ["bearer token"]:
        values["auth"] = "bearer"
    # Without a method keyword, credentials (say an audience or a password) change those of
    # the method the environment chose; the library refuses them when there is none.
    for key in oauth_keys + ("audience", "scope", "token_format", "client_auth", "username",
                             "password", "bearer_token", "login_path", "ca_pem", "proxy",
                             "tenant_id"):
        put(key, _string(s[key], key))
    put("connect_timeout_ms", _millis(s["connect_timeout"], "connect_timeout"))
    put("request_timeout_ms", _millis(s["request_timeout"], "request_timeout"))
    put("max_retries", _integer(s["max_retries"], "max_retries"))
    put("max_response_bytes", _integer(s["max_response_bytes"], "max_response_bytes"))
    put("ca_file", _path(s["ca_file"], "ca_file"))
    if s["client_certificate"] is not None and s["client_certificate_files"] is not None:
        raise TypeError("give client_certificate or client_certificate_files, not both")
    if s["client_certificate"] is not None:
        chain, key = _pair(s["client_certificate"], "client_certificate",
                           "cert_chain_pem, private_key_pem")
        values["client_certificate"] = _pem_text(chain, "client_certificate chain")
        values["client_key"] = _pem_text(key, "client_certificate key")
    if s["client_certificate_files"] is not None:
        chain, key = _pair(s["client_certificate_files"], "client_certificate_files",
                           "cert_chain_path, private_key_path")
        values["client_certificate"] = _path(chain, "client_certificate_files chain path")
        values["client_key"] = _path(key, "client_certificate_files key path")
    if s["proxy_from_env"] is not None:
        values["proxy_from_env"] = bool(s["proxy_from_env"])
    text = json.dumps(values, allow_nan=False)
    _ffi.call_no_output(_ffi.lib.tasklist_options_set_json, options, _ffi.encode(text, "options"))


SETTINGS = (
    "base_url", "token_url", "client_id", "client_secret", "audience", "scope",
    "token_format", "client_auth", "username", "password", "login_path", "bearer_token",
    "connect_timeout", "request_timeout", "ca_file", "max_retries", "max_response_bytes",
    "ca_pem", "client_certificate", "client_certificate_files", "proxy", "proxy_from_env",
    "basic_auth", "tenant_id",
)
"""The keyword arguments of :class:`Client` (and :func:`describe_config`)."""
