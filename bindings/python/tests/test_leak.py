"""No memory leak across 10,000 calls: every owned string and error is freed.

The calls are chosen so that a leak would be large: each search answer is ~40 KB and each
error carries a ~4 KB message and body, so leaking either over 5,000 calls would grow the
process by 20 MB or more, far above the noise the bound allows for.
"""

from __future__ import annotations

import os

import pytest
from conftest import Emulator

import tasklist

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
def test_no_leak_across_10000_calls(emulator: Emulator) -> None:
    missing_id = "x" * 2000
    query = {"pageSize": 50}
    with emulator.oauth_client() as client:

        def calls(count: int) -> None:
            for _ in range(count):
                assert len(client.search_tasks(query, raw=True)) > 20_000
                with pytest.raises(tasklist.NotFoundError):
                    client.get_task(missing_id)

        calls(300)  # warm up: connection pool, allocator arenas, token
        before = rss_bytes()
        calls(5_000)  # 10,000 calls
        growth = rss_bytes() - before
    assert growth < 16 * 1024 * 1024, f"RSS grew by {growth / 1e6:.1f} MB"
