"""The bridge from libtasklist's log callback to the logging module."""

from __future__ import annotations

import gc
import logging
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator, List

import pytest
from conftest import CLIENT_SECRET, Emulator

import tasklist

TASK = "2251799813685601"


class Collect(logging.Handler):
    """Keeps every record; thread-safe through logging.Handler's own lock."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self) -> List[str]:
        with self.lock:  # type: ignore[union-attr]
            return [record.getMessage() for record in self.records]


@pytest.fixture
def collected() -> Iterator[Collect]:
    """The "tasklist" logger's records; logging is always disabled again afterwards."""
    handler = Collect()
    logger = logging.getLogger("tasklist")
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield handler
    finally:
        tasklist.disable_logging()
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def test_debug_logging_shows_exchanges_without_secrets(emulator: Emulator, collected: Collect) -> None:
    tasklist.enable_logging(logging.DEBUG)
    assert tasklist.logging_enabled()
    with emulator.oauth_client() as client:
        assert client.search_tasks({"pageSize": 1})
    messages = collected.messages()
    search = [m for m in messages if "POST /v1/tasks/search" in m]
    assert search and "status=200" in search[0], messages
    assert any("/oauth/token" in m and "status=200" in m for m in messages), messages
    for record in collected.records:
        assert record.name == "tasklist"
        assert record.levelno == logging.INFO  # successful exchanges are INFO lines
        assert record.tasklist_level == 3  # type: ignore[attr-defined]
    text = "\n".join(messages)
    assert CLIENT_SECRET not in text
    assert "eyJ" not in text  # no JWT (the emulator's tokens are JWTs)
    assert "Bearer" not in text and "access_token" not in text


def test_a_bearer_token_is_never_logged(emulator: Emulator, collected: Collect) -> None:
    token = emulator.token()
    tasklist.enable_logging(logging.DEBUG)
    with tasklist.Client(emulator.url, bearer_token=token) as client:
        client.get_task(TASK)
        with pytest.raises(tasklist.NotFoundError):
            client.get_task("no-such-task")
    messages = collected.messages()
    assert any(f"GET /v1/tasks/{TASK}" in m and "status=200" in m for m in messages), messages
    assert any("GET /v1/tasks/no-such-task" in m and "status=404" in m for m in messages), messages
    for message in messages:
        assert token not in message and token.split(".")[-1] not in message


def test_levels_are_mapped_and_filtered(fresh: Emulator, collected: Collect) -> None:
    tasklist.enable_logging(logging.WARNING)
    fresh.admin("POST", "/__emulator/faults", {"target": "api", "status": 503, "count": 10})
    with fresh.oauth_client(max_retries=1) as client:
        with pytest.raises(tasklist.ServerError):
            client.search_tasks()
    levels = {record.levelno for record in collected.records}
    assert levels == {logging.WARNING}, collected.messages()
    assert any("status=503" in m and "retries=1" in m for m in collected.messages())
    # The token fetch (200, INFO) is below WARNING and was not forwarded.
    assert not any("/oauth/token" in m for m in collected.messages())

    collected.records.clear()
    tasklist.enable_logging(logging.DEBUG)  # replaces the WARNING callback
    fresh.admin("POST", "/__emulator/reset")
    fresh.admin("POST", "/__emulator/faults", {"target": "api", "status": 503, "count": 1})
    with fresh.oauth_client(max_retries=1) as client:
        assert client.search_tasks({"pageSize": 1})
    by_level = {record.levelno: record.getMessage() for record in collected.records}
    assert "retry=1" in by_level[logging.DEBUG] and "status=503" in by_level[logging.DEBUG]
    assert "status=200" in by_level[logging.INFO]


def field(record: logging.LogRecord, name: str) -> object:
    """A library field of a record (set by the bridge as ``tasklist_<name>``)."""
    return getattr(record, "tasklist_" + name)


def find(records: List[logging.LogRecord], **want: object) -> logging.LogRecord:
    """The first record whose fields have every value of ``want``."""
    found = [r for r in records if all(field(r, k) == v for k, v in want.items())]
    assert found, (want, [vars(r) for r in records])
    return found[0]


def test_records_carry_the_library_fields(fresh: Emulator, collected: Collect) -> None:
    """Fields come from the library's record, not from parsing the line."""
    tasklist.enable_logging(logging.DEBUG)
    fresh.admin("POST", "/__emulator/faults", {"target": "api", "status": 503, "count": 1})
    with fresh.oauth_client(max_retries=1) as client:
        assert client.search_tasks({"pageSize": 1})
    records = list(collected.records)

    token = find(records, path="/oauth/token")
    assert [field(token, k) for k in ("target", "method", "status")] == ["auth", "POST", 200]
    assert field(token, "message") == "token endpoint: POST /oauth/token"

    retry = find(records, path="/v1/tasks/search", status=503)
    assert retry.levelno == logging.DEBUG and field(retry, "retries") == 1
    wait = field(retry, "retry_after_ms")
    assert isinstance(wait, int) and retry.getMessage().endswith(f"after_ms={wait}")

    done = find(records, path="/v1/tasks/search", status=200)
    assert done.levelno == logging.INFO
    assert [field(done, k) for k in ("target", "method", "retries")] == ["http", "POST", 1]
    assert field(done, "error") is None and field(done, "retry_after_ms") is None
    assert field(done, "level") == 3
    # The message is still the line, and its numbers are the fields'.
    duration = field(done, "duration_ms")
    assert done.getMessage() == (
        f"POST /v1/tasks/search status=200 duration_ms={duration} retries=1")

    # A failure: no answer, the code's name, and the reason.
    collected.records.clear()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tasklist.Client(f"http://127.0.0.1:{port}", max_retries=0) as dead:
        with pytest.raises(tasklist.ConnectionError):
            dead.get_task(TASK)
    failed = find(list(collected.records), path=f"/v1/tasks/{TASK}")
    assert failed.levelno == logging.WARNING
    assert [field(failed, k) for k in ("status", "error")] == [0, "TASKLIST_ERR_CONNECT"]
    assert str(field(failed, "message")).startswith(f"GET /v1/tasks/{TASK}: ")
    assert "error=TASKLIST_ERR_CONNECT" in failed.getMessage()


def test_a_format_string_can_use_the_fields(emulator: Emulator, collected: Collect) -> None:
    tasklist.enable_logging(logging.INFO)
    with emulator.oauth_client() as client:
        client.search_tasks({"pageSize": 1})
    formatter = logging.Formatter("%(tasklist_target)s %(tasklist_method)s %(tasklist_path)s "
                                  "%(tasklist_status)s %(tasklist_error)s")
    texts = [formatter.format(record) for record in collected.records]
    assert "http POST /v1/tasks/search 200 None" in texts, texts


def test_a_given_logger_and_python_level_threshold(emulator: Emulator, collected: Collect) -> None:
    mine = logging.getLogger("tasklist-test-own")
    own = Collect()
    mine.addHandler(own)
    mine.setLevel(logging.DEBUG)
    mine.propagate = False
    try:
        tasklist.enable_logging(logging.INFO, logger=mine)
        with emulator.oauth_client() as client:
            client.search_tasks({"pageSize": 1})
        assert any("POST /v1/tasks/search" in m for m in own.messages())
        assert collected.records == []  # not the default logger
        own.records.clear()
        mine.setLevel(logging.WARNING)  # the logger's own level still applies
        with emulator.oauth_client() as client:
            client.search_tasks({"pageSize": 1})
        assert own.records == []
    finally:
        tasklist.disable_logging()
        mine.removeHandler(own)


def test_disable_logging_stops_records(emulator: Emulator, collected: Collect) -> None:
    tasklist.enable_logging(logging.DEBUG)
    with emulator.oauth_client() as client:
        client.search_tasks({"pageSize": 1})
        assert collected.records
        tasklist.disable_logging()
        assert not tasklist.logging_enabled()
        collected.records.clear()
        client.search_tasks({"pageSize": 1})
        client.get_task(TASK)
    assert collected.records == []
    tasklist.disable_logging()  # idempotent


def test_the_callback_survives_garbage_collection(emulator: Emulator, collected: Collect) -> None:
    tasklist.enable_logging(logging.INFO)
    gc.collect()
    with emulator.oauth_client() as client:
        client.search_tasks({"pageSize": 1})
    assert any("POST /v1/tasks/search" in m for m in collected.messages())


class Exploding(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        raise RuntimeError("handler failure")


def test_exceptions_in_handlers_never_reach_c(emulator: Emulator, collected: Collect,
                                              capfd: pytest.CaptureFixture[str]) -> None:
    exploding = Exploding()
    logger = logging.getLogger("tasklist")
    logger.addHandler(exploding)
    try:
        tasklist.enable_logging(logging.DEBUG)
        with emulator.oauth_client() as client:
            assert client.search_tasks({"pageSize": 1})
    finally:
        logger.removeHandler(exploding)
    # ctypes would print "Exception ignored on calling ctypes callback function".
    assert "Exception ignored" not in capfd.readouterr().err


def test_logging_from_many_threads_while_toggling(emulator: Emulator, collected: Collect) -> None:
    """Requests on 8 threads while the callback is replaced and removed over and over."""
    stop = threading.Event()
    with emulator.cookie_client("view") as client:
        client.login()

        def work(_: int) -> int:
            done = 0
            # Bounded, so a failure in the main thread cannot leave the pool spinning.
            while (not stop.is_set() or done < 5) and done < 5000:
                assert client.get_task(TASK)["id"] == TASK
                done += 1
            return done

        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(work, worker) for worker in range(8)]
            try:
                for round_ in range(60):
                    if round_ % 3 == 2:
                        tasklist.disable_logging()
                    else:
                        tasklist.enable_logging(logging.DEBUG if round_ % 2 else logging.INFO)
                    gc.collect()  # a callback dropped too early would crash here
            finally:
                stop.set()
            total = sum(future.result() for future in futures)
        tasklist.disable_logging()
        collected.records.clear()
        client.get_task(TASK)
    assert total >= 40
    assert collected.records == []


def test_enable_logging_checks_its_level() -> None:
    with pytest.raises(TypeError):
        tasklist.enable_logging("DEBUG")  # type: ignore[arg-type]
    assert not tasklist.logging_enabled()
