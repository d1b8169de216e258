"""libtasklist from Python on the v2 API: tasklist_v2_search_user_tasks through the binding.

    binding_v2_bench.py v2search N THREADS

The call goes through the binding's generic `client.request` (written before `client.v2`
existed; `client.v2.search_user_tasks` runs the same loop through
`tasklist_v2_search_user_tasks`): `client.request("POST", "/v2/user-tasks/search", body)`, which runs the same execute loop
(cached token, keep-alive, retries) as every C function, and parses the answer to dicts.
"""

import sys

import tasklist

import common


def main():
    workload, n, threads = common.args()
    if workload != "v2search":
        sys.exit("binding_v2_bench: only the v2search workload")
    client = tasklist.Client(
        common.base_url(),
        token_url=common.token_url(),
        client_id=common.client_id(),
        client_secret=common.client_secret(),
    )
    body = {"page": {"limit": 50}}

    def call():
        return client.request("POST", "/v2/user-tasks/search", body)

    if len(call()["items"]) != 50:
        sys.exit("binding_v2_bench: expected a 50-task page")
    common.run(call, n, threads)
    client.close()


if __name__ == "__main__":
    main()
