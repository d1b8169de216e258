"""libtasklist from Python: the ctypes binding (import tasklist), results parsed to dicts.

    binding_bench.py search|all|variable N THREADS

The binding is found through PYTHONPATH=bindings/python/src and TASKLIST_LIBRARY, which
bench/run.sh sets, so the numbers are for the library just built.
"""

import json
import sys

import tasklist

import common


def main():
    workload, n, threads = common.args()
    client = tasklist.Client(
        common.base_url(),
        token_url=common.token_url(),
        client_id=common.client_id(),
        client_secret=common.client_secret(),
    )
    if workload == "search":
        def call():
            return client.search_tasks({"pageSize": 50})
        expect = 50
    elif workload == "all":
        query = json.loads(common.env("BENCH_ALL_QUERY", "{}"))

        def call():
            # iter_tasks is the binding's lazy paging; summing forces every page.
            return sum(1 for _ in client.iter_tasks(query))
        expect = int(common.env("BENCH_ALL_EXPECT", "0"))
    elif workload == "variable":
        variable_id = common.env("BENCH_VARIABLE_ID", "")

        def call():
            return client.get_variable(variable_id)
        expect = None
    else:
        sys.exit(f"unknown workload {workload}")
    first = call()
    got = first if isinstance(first, int) else len(first) if isinstance(first, list) else None
    if expect is not None and got != expect:
        sys.exit(f"binding_bench: expected {expect} tasks, got {got}")
    common.run(call, n, threads, warmup=2 if workload == "all" else common.WARMUP_PER_THREAD)
    client.close()


if __name__ == "__main__":
    main()
