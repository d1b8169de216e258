"""Test configuration: the library and emulator under test, and emulator fixtures.

TASKLIST_LIBRARY and TASKLIST_EMULATOR name the built artefacts (the Makefile sets both);
without them the repository's target/release copies are used. The tests import the
package from this source tree, not from an installed copy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO = PYTHON_DIR.parents[1]

os.environ.setdefault("TASKLIST_LIBRARY", str(REPO / "target" / "release" / "libtasklist.so"))
EMULATOR = os.environ.get("TASKLIST_EMULATOR") or str(REPO / "target" / "release" / "tasklist-emulator")
sys.path.insert(0, str(PYTHON_DIR / "src"))

import tasklist  # noqa: E402  (needs the path and TASKLIST_LIBRARY above)

CLIENT_ID, CLIENT_SECRET = "tasklist-client", "tasklist-secret"


class Emulator:
    """One tasklist-emulator process on a free loopback port."""

    def __init__(self, *flags: str, version: str = "legacy") -> None:
        if not os.access(EMULATOR, os.X_OK):
            pytest.fail(f"emulator not found at {EMULATOR}; build it or set TASKLIST_EMULATOR")
        self.version = version
        self._process = subprocess.Popen(
            # The v1 tests were written against the emulator of before profiles: they pin
            # "legacy" (emulator/README.md); the v2 tests name a real Camunda version.
            [EMULATOR, "--camunda-version", version, "--addr", "127.0.0.1:0", "--admin",
             "--exit-on-stdin-eof", *flags],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.stop()
            pytest.fail(f"emulator did not print its URL (got {self.url!r})")
        # Keep draining stdout so the emulator can never block on a full pipe.
        threading.Thread(target=self._process.stdout.read, daemon=True).start()
        self.token_url = self.url + "/oauth/token"

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode()
        return json.loads(text) if text else None

    def token(self) -> str:
        """An access token fetched without the library, for bearer-token tests."""
        form = (f"grant_type=client_credentials&client_id={CLIENT_ID}"
                f"&client_secret={CLIENT_SECRET}&audience=tasklist.camunda.io").encode()
        with urllib.request.urlopen(self.token_url, data=form, timeout=10) as answer:
            return str(json.load(answer)["access_token"])

    def oauth_client(self, **options: Any) -> tasklist.Client:
        return tasklist.Client(self.url, token_url=self.token_url, client_id=CLIENT_ID,
                               client_secret=CLIENT_SECRET, **options)

    def cookie_client(self, user: str = "demo", password: Optional[str] = None,
                      **options: Any) -> tasklist.Client:
        return tasklist.Client(self.url, username=user, password=password or user, **options)

    def data(self) -> Any:
        """The keys of the seeded special cases and the processes (``GET /__emulator/data``)."""
        return self.admin("GET", "/__emulator/data")

    def stop(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()  # --exit-on-stdin-eof
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """A shared emulator with the seed data: only for tests that change nothing."""
    instance = Emulator()
    yield instance
    instance.stop()


@pytest.fixture
def make_emulator() -> Iterator[Callable[..., Emulator]]:
    """Starts private emulators (with extra flags) that are stopped after the test."""
    started: List[Emulator] = []

    def start(*flags: str, version: str = "legacy") -> Emulator:
        started.append(Emulator(*flags, version=version))
        return started[-1]

    yield start
    for instance in started:
        instance.stop()


@pytest.fixture
def fresh(make_emulator: Callable[..., Emulator]) -> Emulator:
    """A private emulator for tests that assign, complete or save drafts."""
    return make_emulator()
