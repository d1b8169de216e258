"""Builds libtasklist with cargo and ships it inside the package.

Only the parts pyproject.toml cannot express live here:
- build_py runs `cargo build --release -p tasklist-client` in the Rust crate (the repository
  root two levels up, or the `rust/` copy inside an sdist) and copies the cdylib to
  tasklist/_lib/, where tasklist._ffi looks for it;
- bdist_wheel tags the wheel py3-none-<platform>: the library is native code but does not
  use the Python C API, so one wheel serves every Python 3 on a platform;
- sdist copies the crate into `rust/`, so `python -m build` (sdist, then wheel from it) works;
- LICENSE and the third-party notices of the crates inside the library go into the package.

TASKLIST_MANYLINUX=2_17 (or 2_28) builds a wheel that PyPI accepts: cargo-zigbuild (with
ziglang; both `pip install cargo-zigbuild ziglang`) links the library against that glibc
version, and the wheel is tagged manylinux_2_17_<arch>, which `auditwheel show` confirms
(packaging/check-wheel.sh). Without it the wheel is for this machine's glibc, linux_<arch>.
"""

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1 keeps it in the wheel package
    from wheel.bdist_wheel import bdist_wheel

HERE = Path(__file__).resolve().parent
# What cargo needs to build the library: the workspace manifest names the emulator as a
# member, so its manifest and sources come along.
CRATE_FILES = ["Cargo.toml", "Cargo.lock", "build.rs", "cbindgen.toml", "src", "include",
               "emulator/Cargo.toml", "emulator/src", "LICENSE", "packaging/THIRD-PARTY-NOTICES.txt"]
# Shipped inside the package, beside the library they are about.
LICENCE_FILES = ["LICENSE", "packaging/THIRD-PARTY-NOTICES.txt"]
MANYLINUX = os.environ.get("TASKLIST_MANYLINUX", "")
if MANYLINUX and not (len(MANYLINUX.split("_")) == 2 and MANYLINUX.replace("_", "").isdigit()):
    sys.exit(f"tasklist-client: TASKLIST_MANYLINUX={MANYLINUX!r}: expected a glibc version "
             "such as 2_17 or 2_28")


def crate_root() -> Path:
    for candidate in (HERE.parents[1], HERE / "rust"):
        if (candidate / "Cargo.toml").is_file() and (candidate / "src" / "ffi").is_dir():
            return candidate
    sys.exit("tasklist-client: cannot find the libtasklist Rust sources (expected the "
             "repository root two levels above bindings/python, or rust/ in an sdist)")


def cargo_build(root: Path) -> Path:
    """Builds the cdylib and returns its path, as cargo reports it."""
    command = ["cargo", "build", "--release", "-p", "tasklist-client",
               "--message-format=json-render-diagnostics"]
    if MANYLINUX:
        # cargo-zigbuild reads the glibc version from the end of the target triple.
        target = f"{platform.machine()}-unknown-linux-gnu.{MANYLINUX.replace('_', '.')}"
        command[1:2] = ["zigbuild", "--target", target]
    try:
        result = subprocess.run(command, cwd=root, stdout=subprocess.PIPE, check=True, text=True)
    except FileNotFoundError:
        sys.exit("tasklist-client: building needs cargo (https://rustup.rs) on PATH")
    except subprocess.CalledProcessError as exc:
        sys.exit(f"tasklist-client: `{' '.join(command)}` failed with status {exc.returncode}")
    for line in result.stdout.splitlines():
        message = json.loads(line)
        target = message.get("target", {})
        if (message.get("reason") == "compiler-artifact" and target.get("name") == "tasklist"
                and "cdylib" in target.get("kind", [])):
            for filename in message["filenames"]:
                if filename.endswith((".so", ".dylib", ".dll")):
                    return Path(filename)
    sys.exit("tasklist-client: cargo built no cdylib named tasklist")


class BuildPyWithLibrary(build_py):
    def run(self) -> None:
        super().run()
        library = cargo_build(crate_root())
        # An editable install (pip install -e) imports the package from src/, not from
        # build_lib: the library goes where tasklist._ffi looks for it there (ignored by git,
        # pruned from the sdist).
        package = HERE / "src" / "tasklist" if getattr(self, "editable_mode", False) \
            else Path(self.build_lib) / "tasklist"
        destination = package / "_lib"
        destination.mkdir(parents=True, exist_ok=True)
        shutil.copy2(library, destination / library.name)
        if package != HERE / "src" / "tasklist":
            for name in LICENCE_FILES:
                shutil.copy2(crate_root() / name, package / Path(name).name)


class DistributionWithLibrary(Distribution):
    def has_ext_modules(self) -> bool:
        return True  # a native library inside: install to platlib, tag with the platform


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        _, _, plat = super().get_tag()
        if MANYLINUX:
            arch = platform.machine()
            plat = f"manylinux_{MANYLINUX}_{arch}"
            if MANYLINUX == "2_17":  # the name pip before 20.3 knows
                plat += f".manylinux2014_{arch}"
        return "py3", "none", plat


class SdistWithCrate(sdist):
    def make_release_tree(self, base_dir, files) -> None:
        super().make_release_tree(base_dir, files)
        root = crate_root()
        for name in CRATE_FILES:
            source, target = root / name, Path(base_dir) / "rust" / name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("target"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)


setup(distclass=DistributionWithLibrary, cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel,
                "sdist": SdistWithCrate})
