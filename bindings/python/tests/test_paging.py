"""Every-page searches against a server whose cursors come back (A, B, A, ...).

Such a server would keep ``iter_tasks`` (and the library's ``search_all_tasks``) going round
forever; both must stop with a ``DECODE`` error. A walk that hangs fails its test instead of
hanging the suite.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator, List, Optional

import pytest

import tasklist
from tasklist import Status


class CursorServer:
    """Answers every task search with a full page of two tasks, the last one ending with
    the cursor ``next_cursor(searchAfter sent)``."""

    def __init__(self, next_cursor: Callable[[Optional[List[Any]]], List[Any]]) -> None:
        self.pages = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                owner.pages += 1
                length = int(self.headers.get("Content-Length", "0"))
                query = json.loads(self.rfile.read(length) or b"{}")
                cursor = next_cursor(query.get("searchAfter"))
                body = json.dumps([{"id": "1", "sortValues": ["x"]},
                                   {"id": "2", "sortValues": cursor}]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def make_server() -> Iterator[Callable[..., CursorServer]]:
    started: List[CursorServer] = []

    def start(next_cursor: Callable[[Optional[List[Any]]], List[Any]]) -> CursorServer:
        started.append(CursorServer(next_cursor))
        return started[-1]

    yield start
    # Stopping the server also ends a walk that hung: its next page fails.
    for server in started:
        server.stop()


def alternating(after: Optional[List[Any]]) -> List[Any]:
    return ["B"] if after == ["A"] else ["A"]


def run_bounded(walk: Callable[[], Any], seconds: float = 30) -> BaseException:
    """Runs ``walk`` on a thread and returns what it raised; fails if it runs on."""
    outcome: List[BaseException] = []

    def target() -> None:
        try:
            walk()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"the walk was still running after {seconds} s")
    assert outcome, "the walk ended without an error"
    return outcome[0]


def test_iter_tasks_stops_at_a_cursor_that_comes_back(make_server) -> None:
    server = make_server(alternating)
    with tasklist.Client(server.url) as client:
        error = run_bounded(lambda: list(client.iter_tasks({"pageSize": 2})))
    assert isinstance(error, tasklist.TasklistError), repr(error)
    assert error.code == Status.DECODE
    assert "page 3 repeated" in error.message and "of page 1" in error.message, error.message
    assert server.pages == 3


def test_iter_tasks_stops_at_a_cursor_that_does_not_move(make_server) -> None:
    server = make_server(lambda after: ["A"])
    with tasklist.Client(server.url) as client:
        error = run_bounded(lambda: list(client.iter_tasks({"pageSize": 2})))
    assert isinstance(error, tasklist.TasklistError) and error.code == Status.DECODE, repr(error)
    assert "page 2 repeated" in error.message, error.message
    assert server.pages == 2


def test_search_all_tasks_stops_at_a_cursor_that_comes_back(make_server) -> None:
    server = make_server(alternating)
    with tasklist.Client(server.url) as client:
        error = run_bounded(lambda: client.search_all_tasks({"pageSize": 2}))
    assert isinstance(error, tasklist.TasklistError) and error.code == Status.DECODE, repr(error)
    assert "page 3 repeated" in error.message, error.message
