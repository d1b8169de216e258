"""What the Python clients of the benchmark share: the timed loop and the output line.

Each client script supplies a zero-argument function that makes one call; this module runs
it in THREADS threads (warm-up, a barrier, then the timed calls) and prints the JSON line
that every client of the harness prints (see bench/README.md).
"""

import json
import math
import os
import sys
import threading
import time

WARMUP_PER_THREAD = 20  # opens the keep-alive connections before timing, as the C loop does


def env(name, default):
    return os.environ.get(name) or default


def base_url():
    return env("BENCH_BASE_URL", "http://127.0.0.1:8080")


def token_url():
    return env("BENCH_TOKEN_URL", base_url() + "/oauth/token")


def client_id():
    return env("BENCH_CLIENT_ID", "tasklist-client")


def client_secret():
    return env("BENCH_CLIENT_SECRET", "tasklist-secret")


def percentile(sorted_values, p):
    """Nearest rank, the definition every client of the harness uses."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def run(call, n, threads, warmup=WARMUP_PER_THREAD):
    latencies = [0.0] * n
    start = threading.Barrier(threads + 1)

    def worker(first, count):
        for _ in range(warmup):
            call()
        start.wait()
        for i in range(first, first + count):
            t0 = time.perf_counter()
            call()
            latencies[i] = (time.perf_counter() - t0) * 1e6

    pool = [
        threading.Thread(target=worker, args=(n * t // threads, n * (t + 1) // threads - n * t // threads))
        for t in range(threads)
    ]
    for thread in pool:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - t0
    latencies.sort()
    print(json.dumps({
        "requests": n,
        "seconds": round(seconds, 6),
        "p50_us": round(percentile(latencies, 50), 1),
        "p99_us": round(percentile(latencies, 99), 1),
    }))


def args():
    if len(sys.argv) != 4:
        sys.exit(f"usage: {sys.argv[0]} WORKLOAD N THREADS")
    return sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
