"""The ctypes declarations match include/tasklist.h, so no C function is forgotten or
declared with ctypes' default ``int`` result (which truncates 64-bit pointers)."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from ctypes import POINTER, c_char, c_char_p, c_int32, c_uint16, c_uint32, c_uint64
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
          "tasklist_error": _ffi.Error}
SCALARS = {"tasklist_status": c_int32, "uint16_t": c_uint16, "uint32_t": c_uint32,
           "uint64_t": c_uint64}


def ctype_of(c_type: str) -> Any:
    """The ctypes type a C type from the header must be declared as."""
    c_type = " ".join(c_type.replace("*", " * ").split())
    stars = c_type.count("*")
    base = c_type.replace("*", "").replace("const", "").strip()
    if base == "void" and stars == 0:
        return None
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
    assert len(functions) >= 38
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


def test_status_codes_match_header() -> None:
    defined = dict(re.findall(r"#define TASKLIST_(?:ERR_)?(\w+) (\d+)\n", HEADER.read_text()))
    codes = {name: int(value) for name, value in defined.items()
             if name not in {"VERSION_MAJOR", "VERSION_MINOR", "VERSION_PATCH", "ABI_VERSION",
                             "TOKEN_FORMAT_FORM", "TOKEN_FORMAT_JSON",
                             "CLIENT_AUTH_POST", "CLIENT_AUTH_BASIC"}}
    assert codes == {status.name: status.value for status in tasklist.Status}
    for status in tasklist.Status:
        assert _ffi.status_name(status) == status.macro_name


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
