#!/usr/bin/env python3
"""The third-party crates inside libtasklist: their notices file, and the licence allow-list.

The crates are those the shipped library is made of: tasklist-client's normal dependencies,
followed transitively (build and dev dependencies are not in the library). cargo metadata
gives each one's licence expression and where its sources are; the licence texts are the
LICENSE*/LICENCE*/COPYING*/NOTICE* files that each crate ships in its package.

  third_party.py notices OUT   write the notices file (packaging/THIRD-PARTY-NOTICES.txt)
  third_party.py check [FILE]  fail when a crate's licence is not allowed by ALLOWED, or
                               when FILE (the committed notices) differs from a fresh one
"""

import hashlib
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "tasklist-client"
# Licences a user of libtasklist can accept without a legal review: permissive ones whose
# only condition is to keep the notice. An expression is allowed when it can be satisfied
# with these (an OR needs one side, an AND both). Anything else fails `make licence-check`.
ALLOWED = {
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "MIT",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "CDLA-Permissive-2.0",
}
LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|UNLICENSE)", re.IGNORECASE)


def metadata() -> dict:
    command = ["cargo", "metadata", "--format-version", "1", "--locked",
               "--filter-platform", host_triple()]
    return json.loads(subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.PIPE,
                                     text=True).stdout)


def host_triple() -> str:
    output = subprocess.run(["rustc", "-vV"], check=True, stdout=subprocess.PIPE, text=True)
    return next(line.split(": ", 1)[1] for line in output.stdout.splitlines()
                if line.startswith("host: "))


def shipped_crates(meta: dict) -> list:
    """tasklist-client's normal dependencies, transitively, sorted by name and version."""
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = next(p["id"] for p in meta["packages"]
                if p["name"] == PACKAGE and p["id"] in meta["workspace_members"])
    seen, stack = set(), [root]
    while stack:
        for dep in nodes[stack.pop()]["deps"]:
            if any(kind["kind"] is None for kind in dep["dep_kinds"]) and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                stack.append(dep["pkg"])
    return sorted((packages[i] for i in seen), key=lambda p: (p["name"], p["version"]))


def tokens(expression: str) -> list:
    expression = re.sub(r"\s*/\s*", " OR ", expression)  # the old `MIT/Apache-2.0` form
    return re.findall(r"\(|\)|[A-Za-z0-9.+-]+", expression)


def allowed(expression: str) -> bool:
    """Evaluates an SPDX expression: true when it can be satisfied with ALLOWED licences."""
    items = tokens(expression)
    position = 0

    def peek():
        return items[position] if position < len(items) else None

    def take():
        nonlocal position
        position += 1
        return items[position - 1]

    def primary() -> bool:
        if peek() == "(":
            take()
            value = disjunction()
            if take() != ")":
                raise ValueError(f"unbalanced parentheses in {expression!r}")
            return value
        name = take()
        if peek() == "WITH":
            take()
            name = f"{name} WITH {take()}"
        return name in ALLOWED

    def conjunction() -> bool:
        value = primary()
        while peek() == "AND":
            take()
            value = primary() and value
        return value

    def disjunction() -> bool:
        value = conjunction()
        while peek() == "OR":
            take()
            value = conjunction() or value
        return value

    result = disjunction()
    if position != len(items):
        raise ValueError(f"cannot parse licence expression {expression!r}")
    return result


def licence_files(package: dict) -> list:
    directory = Path(package["manifest_path"]).parent
    files = [path for path in sorted(directory.iterdir())
             if path.is_file() and LICENCE_FILE.match(path.name)]
    if package.get("license_file"):
        named = directory / package["license_file"]
        if named.is_file() and named not in files:
            files.append(named)
    return files


def notices(crates: list) -> str:
    texts = {}  # digest -> (text, [crate@version (file)])
    lines = [
        "Third-party software in libtasklist",
        "===================================",
        "",
        "libtasklist (the shared and static library, and the Python and Go packages that",
        "contain it) is licensed under the Apache License 2.0 (LICENSE). It is built from the",
        "Rust crates below, each under its own licence, whose texts follow.",
        "Generated by packaging/third_party.py from Cargo.lock; do not edit.",
        "",
    ]
    width = max(len(f"{c['name']} {c['version']}") for c in crates)
    for crate in crates:
        label = f"{crate['name']} {crate['version']}"
        lines.append(f"  {label:<{width}}  {crate['license'] or '(no licence declared)'}")
        for path in licence_files(crate):
            text = path.read_text(encoding="utf-8", errors="replace").strip("\n") + "\n"
            digest = hashlib.sha256(text.encode()).hexdigest()
            texts.setdefault(digest, (text, []))[1].append(f"{label} ({path.name})")
    without = [f"{c['name']} {c['version']}" for c in crates if not licence_files(c)]
    if without:
        lines += ["", "These crates ship no licence file; their licence is the standard text of",
                  "the SPDX identifier above: " + ", ".join(without) + "."]
    lines.append("")
    for text, users in sorted(texts.values(), key=lambda entry: entry[1][0]):
        lines += ["=" * 78, *textwrap.wrap("Used by: " + ", ".join(users), 78, break_on_hyphens=False), "=" * 78, "",
                  text]
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("notices", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    # The evaluation itself, on cases a wrong parser would get wrong.
    for expression, expected in [("MIT", True), ("GPL-3.0-only", False),
                                 ("MIT OR GPL-3.0-only", True), ("MIT AND GPL-3.0-only", False),
                                 ("(MIT OR Apache-2.0) AND Unicode-3.0", True),
                                 ("(MIT OR Apache-2.0) AND LGPL-2.1-or-later", False),
                                 ("MIT/Apache-2.0", True), ("Apache-2.0 WITH LLVM-exception", True)]:
        assert allowed(expression) is expected, f"allowed({expression!r}) is not {expected}"
    crates = shipped_crates(metadata())
    if sys.argv[1] == "notices":
        Path(sys.argv[2]).write_text(notices(crates), encoding="utf-8")
        return 0
    refused = [c for c in crates if not c["license"] or not allowed(c["license"])]
    for crate in refused:
        print(f"licence not allowed: {crate['name']} {crate['version']}: "
              f"{crate['license'] or 'no licence declared'} (allowed: see ALLOWED in "
              f"packaging/third_party.py)", file=sys.stderr)
    status = 1 if refused else 0
    if len(sys.argv) > 2:
        committed = Path(sys.argv[2])
        if not committed.is_file() or committed.read_text(encoding="utf-8") != notices(crates):
            print(f"{committed} is not what the dependency tree gives: run `make notices` "
                  "and commit it", file=sys.stderr)
            status = 1
    if status == 0:
        print(f"licences: {len(crates)} crates in the library, all allowed")
    return status


if __name__ == "__main__":
    sys.exit(main())
