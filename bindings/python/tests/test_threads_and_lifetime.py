"""One client shared by threads; close(), the context manager and the finalizer."""

from __future__ import annotations

import gc
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import Emulator

import tasklist

TASK = "2251799813685601"


def test_one_client_shared_by_8_threads(emulator: Emulator) -> None:
    with emulator.cookie_client("view") as client:
        client.login()

        def work(worker: int) -> int:
            done = 0
            for round_ in range(25):
                if (worker + round_) % 3 == 0:
                    # Errors travel per call, never through shared state.
                    with pytest.raises(tasklist.NotFoundError) as caught:
                        client.get_task(f"missing-{worker}-{round_}")
                    assert f"missing-{worker}-{round_}" in caught.value.message
                else:
                    assert client.get_task(TASK)["id"] == TASK
                done += 1
            return done

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert sum(pool.map(work, range(8))) == 200


def test_threads_run_in_parallel(make_emulator) -> None:
    # ctypes releases the GIL: 8 calls of 400 ms each finish together, not one by one.
    slow = make_emulator("--delay-ms", "400")
    with slow.oauth_client() as client:
        client.login()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda _: client.get_task(TASK), range(8)))
        assert time.monotonic() - started < 8 * 0.4 * 0.75


def test_close_is_idempotent_and_use_after_close_raises(emulator: Emulator) -> None:
    client = emulator.oauth_client()
    assert not client.closed
    client.close()
    client.close()
    assert client.closed
    with pytest.raises(ValueError, match="client is closed"):
        client.get_task(TASK)
    with pytest.raises(ValueError, match="client is closed"):
        client.login()


def test_context_manager_closes(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        assert client.get_task(TASK)
    assert client.closed
    with pytest.raises(ValueError):
        client.search_tasks()


def test_close_waits_for_calls_in_flight(make_emulator) -> None:
    slow = make_emulator("--delay-ms", "500")
    client = slow.oauth_client()
    client.login()
    results = []
    caller = threading.Thread(target=lambda: results.append(client.get_task(TASK)))
    caller.start()
    # Wait until the request reached the server: the call is inside the library now.
    deadline = time.monotonic() + 10
    while slow.admin("GET", "/__emulator/counters")["requests"] == 0:
        assert time.monotonic() < deadline, "the call never reached the emulator"
        time.sleep(0.01)
    client.close()  # must not free the C client under it
    caller.join()
    assert results and results[0]["id"] == TASK
    with pytest.raises(ValueError):
        client.get_task(TASK)


def test_iterator_stops_cleanly_when_client_closes(make_emulator) -> None:
    server = make_emulator("--tasks", "120")
    client = server.oauth_client()
    tasks = client.iter_tasks({"pageSize": 10})
    assert len([next(tasks) for _ in range(10)]) == 10
    client.close()
    with pytest.raises(ValueError):
        next(tasks)  # the next page would need the client


def test_finalizer_frees_a_forgotten_client(emulator: Emulator) -> None:
    client = emulator.oauth_client()
    finalizer = client._finalizer  # the safety net under test
    assert finalizer.alive
    del client
    gc.collect()
    assert not finalizer.alive
