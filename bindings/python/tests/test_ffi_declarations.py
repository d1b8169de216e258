"""The ctypes declarations match include/tasklist.h, so no C function is forgotten or
declared with ctypes' default ``int`` result (which truncates 64-bit pointers)."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from ctypes import POINTER, c_char, c_char_p, c_int32, c_uint16, c_uint32, c_uint64, c_void_p
from pathlib import Path
from typing import Any, Dict, List, Tuple

from conftest import REPO

import tasklist
from tasklist import _ffi, _variables

HEADER = REPO / "include" / "tasklist.h"
DECLARATION = re.compile(
    r"^(?P<result>[A-Za-z_][\w ]*?[\s*]+)(?P<name>tasklist_\w+)\((?P<params>[^;]*?)\);",
    re.MULTILINE,
)
OPAQUE = {"tasklist_options": _ffi.Options, "tasklist_client": _ffi.Client,
          "tasklist_error": _ffi.Error, "tasklist_pages": _ffi.Pages}
SCALARS = {"tasklist_status": c_int32, "uint16_t": c_uint16, "uint32_t": c_uint32,
           "uint64_t": c_uint64}
# Function-pointer typedefs, declared as CFUNCTYPE types in _ffi.py.
CALLBACKS = {"tasklist_log_callback": _ffi.LogCallback,
             "tasklist_log_record_callback": _ffi.LogRecordCallback}


def callback_typedef(name: str) -> "re.Pattern[str]":
    return re.compile(
        r"typedef\s+void\s*\(\s*\*\s*" + name + r"\s*\)\s*\((?P<params>[^;]*?)\);")


def ctype_of(c_type: str) -> Any:
    """The ctypes type a C type from the header must be declared as."""
    c_type = " ".join(c_type.replace("*", " * ").split())
    stars = c_type.count("*")
    base = c_type.replace("*", "").replace("const", "").strip()
    if base == "void" and stars == 0:
        return None
    if base == "void" and stars == 1:
        return c_void_p
    if base in CALLBACKS and stars == 0:
        return CALLBACKS[base]
    if base == "char":
        if stars == 1:
            # Inputs and borrowed results are c_char_p; the only `char *` taken without
            # const is tasklist_string_free's owned string, which must stay a pointer.
            return c_char_p if "const" in c_type else POINTER(c_char)
        return POINTER(POINTER(c_char))  # char **: owned result, never c_char_p
    result = OPAQUE[base] if base in OPAQUE else SCALARS[base]
    for _ in range(stars):
        result = POINTER(result)
    return result


def header_functions() -> Dict[str, Tuple[Any, List[Any]]]:
    functions = {}
    for match in DECLARATION.finditer(HEADER.read_text()):
        params = " ".join(match["params"].split())
        argtypes = []
        if params not in ("", "void"):
            for param in params.split(","):
                # Drop the parameter name: the last identifier.
                argtypes.append(ctype_of(re.sub(r"\w+\s*$", "", param.strip())))
        functions[match["name"]] = (ctype_of(match["result"]), argtypes)
    return functions


def test_header_is_parsed() -> None:
    functions = header_functions()
    # A sanity floor, so a broken regex cannot make the comparison below vacuous.
    assert len(functions) >= 46
    assert "tasklist_log_callback" not in functions  # the typedefs are not functions
    assert "tasklist_log_record_callback" not in functions
    assert functions["tasklist_get_task"] == (
        c_int32, [POINTER(_ffi.Client), c_char_p, POINTER(POINTER(c_char)),
                  POINTER(POINTER(_ffi.Error))])


def test_every_header_function_is_declared_exactly() -> None:
    expected = header_functions()
    declared = _ffi.declarations()
    assert sorted(set(expected) - set(declared)) == [], "declare these in _ffi.py"
    assert sorted(set(declared) - set(expected)) == [], "not in the header"
    for name, (restype, argtypes) in expected.items():
        function = getattr(_ffi.lib, name)
        assert function.restype == restype, name
        assert list(function.argtypes) == argtypes, name


def test_abi_and_version() -> None:
    assert _ffi.lib.tasklist_abi_version() == _ffi.ABI_VERSION
    assert re.search(r'#define TASKLIST_VERSION "' + re.escape(tasklist.library_version()) + '"',
                     HEADER.read_text())


def header_defines() -> Dict[str, int]:
    """Every ``#define TASKLIST_<NAME> <integer>`` of the header, by NAME."""
    return {name: int(value, 0) for name, value in
            re.findall(r"^#define TASKLIST_(\w+) (0x[0-9A-Fa-f]+|\d+)\s*$", HEADER.read_text(),
                       re.MULTILINE)}


def test_status_codes_match_header() -> None:
    # Status codes are exactly TASKLIST_OK and TASKLIST_ERR_*; the other integer #defines
    # (versions, token formats, client auth methods, log levels) are not statuses.
    defines = header_defines()
    codes = {name[len("ERR_"):] if name.startswith("ERR_") else name: value
             for name, value in defines.items() if name == "OK" or name.startswith("ERR_")}
    assert len(codes) >= 20 and codes["OK"] == 0 and codes["INVALID_ARGUMENT"] == 101
    assert "LOG_ERROR" not in codes and "CLIENT_AUTH_BASIC" not in codes
    assert codes == {status.name: status.value for status in tasklist.Status}
    for status in tasklist.Status:
        assert _ffi.status_name(status) == status.macro_name


def test_other_constants_match_header() -> None:
    defines = header_defines()
    constants = {name: value for name, value in defines.items()
                 if name.startswith(("TOKEN_FORMAT_", "CLIENT_AUTH_", "LOG_"))}
    assert constants == {
        "TOKEN_FORMAT_FORM": _ffi.TOKEN_FORMAT_FORM, "TOKEN_FORMAT_JSON": _ffi.TOKEN_FORMAT_JSON,
        "CLIENT_AUTH_POST": _ffi.CLIENT_AUTH_POST, "CLIENT_AUTH_BASIC": _ffi.CLIENT_AUTH_BASIC,
        "LOG_ERROR": _ffi.LOG_ERROR, "LOG_WARN": _ffi.LOG_WARN, "LOG_INFO": _ffi.LOG_INFO,
        "LOG_DEBUG": _ffi.LOG_DEBUG,
    }
    assert defines["ABI_VERSION"] == _ffi.ABI_VERSION


def test_log_callback_types_match_header() -> None:
    for name, declared, expected in [
        ("tasklist_log_callback", _ffi.LogCallback, [c_uint32, c_char_p, c_void_p]),
        ("tasklist_log_record_callback", _ffi.LogRecordCallback,
         [c_uint32, c_char_p, c_char_p, c_void_p]),
    ]:
        match = callback_typedef(name).search(HEADER.read_text())
        assert match, f"typedef of {name} not found"
        params = [re.sub(r"\w+\s*$", "", p.strip())
                  for p in " ".join(match["params"].split()).split(",")]
        assert [ctype_of(p) for p in params] == expected, name
        assert declared._restype_ is None, name
        assert list(declared._argtypes_) == expected, name


def test_unknown_status_is_tolerated() -> None:
    unknown = tasklist.Status(777)
    assert unknown == 777 and unknown.name == "UNKNOWN_777"
    assert _ffi.status_name(777) == unknown.macro_name == "TASKLIST_ERR_UNKNOWN"


def test_variables_doctest() -> None:
    assert doctest.testmod(_variables).failed == 0



def test_missing_library_is_a_clear_import_error(tmp_path) -> None:
    missing = tmp_path / "libtasklist.so"
    result = subprocess.run(
        [sys.executable, "-c", "import tasklist"], capture_output=True, text=True,
        env={**os.environ, "TASKLIST_LIBRARY": str(missing),
             "PYTHONPATH": str(Path(tasklist.__file__).parents[1])},
    )
    assert result.returncode != 0
    assert "ImportError" in result.stderr and str(missing) in result.stderr
