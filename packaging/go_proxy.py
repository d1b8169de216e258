#!/usr/bin/env python3
"""Writes the Go module in bindings/go as a module proxy directory (GOPROXY=file://DIR).

  go_proxy.py DIR VERSION     e.g. go_proxy.py target/go-proxy v0.1.0

DIR/<module>/@v/ gets list, VERSION.info, VERSION.mod and VERSION.zip, the files a module
proxy serves (https://go.dev/ref/mod#goproxy-protocol). The zip holds every file of the
module directory, including what `make go-module` put there (include/tasklist.h,
lib/<GOOS>_<GOARCH>/libtasklist.a, LICENSE, the notices), so a program that `go get`s it
needs neither this checkout nor cargo. Run `make go-module` first; this script refuses a
module without its header or a library. The same zip is what a release uploads.
"""

import datetime
import json
import re
import sys
import zipfile
from pathlib import Path

MODULE_DIR = Path(__file__).resolve().parents[1] / "bindings" / "go"
SKIP_DIRS = {"vendor", "testdata"}


def module_path() -> str:
    text = (MODULE_DIR / "go.mod").read_text(encoding="utf-8")
    return re.search(r"^module\s+(\S+)", text, re.MULTILINE).group(1)


def escape(path: str) -> str:
    """The proxy's case encoding: an upper-case letter becomes ! and the lower-case one."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), path)


def module_files() -> list:
    files = []
    for path in sorted(MODULE_DIR.rglob("*")):
        relative = path.relative_to(MODULE_DIR)
        if (not path.is_file() or any(part.startswith((".", "_")) for part in relative.parts)
                or relative.parts[0] in SKIP_DIRS):
            continue
        if path.is_symlink():
            sys.exit(f"go_proxy.py: {relative} is a symlink, which a module zip cannot hold")
        files.append(relative)
    return files


def main() -> int:
    if len(sys.argv) != 3 or not re.fullmatch(r"v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", sys.argv[2]):
        print(__doc__, file=sys.stderr)
        return 2
    out, version = Path(sys.argv[1]), sys.argv[2]
    files = module_files()
    names = {str(f) for f in files}
    libraries = sorted(n for n in names if re.fullmatch(r"lib/[a-z0-9]+_[a-z0-9]+/libtasklist\.a", n))
    if "include/tasklist.h" not in names or not libraries:
        sys.exit("go_proxy.py: bindings/go has no include/tasklist.h or lib/*/libtasklist.a: "
                 "run `make go-module` first")
    module = module_path()
    directory = out / escape(module) / "@v"
    directory.mkdir(parents=True, exist_ok=True)
    prefix = f"{module}@{version}/"
    with zipfile.ZipFile(directory / f"{version}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for relative in files:
            archive.write(MODULE_DIR / relative, prefix + relative.as_posix())
    (directory / f"{version}.mod").write_bytes((MODULE_DIR / "go.mod").read_bytes())
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    (directory / f"{version}.info").write_text(json.dumps({"Version": version, "Time": now}))
    listed = directory / "list"
    versions = set(listed.read_text().split()) if listed.exists() else set()
    listed.write_text("".join(f"{v}\n" for v in sorted(versions | {version})))
    print(f"{module}@{version}: {len(files)} files, libraries for "
          f"{', '.join(l.split('/')[1] for l in libraries)}, in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
