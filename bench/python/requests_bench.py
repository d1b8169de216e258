"""Python requests, by hand: what a Python user writes today without a client library.

    requests_bench.py search N THREADS

One requests.Session (keep-alive pool) shared by the threads; the token is fetched once
with a form body and sent as a bearer header; answers are parsed to dicts with .json().
"""

import sys

import requests

import common


def main():
    workload, n, threads = common.args()
    if workload != "search":
        sys.exit("requests_bench: only the search workload")
    session = requests.Session()
    answer = session.post(common.token_url(), data={
        "grant_type": "client_credentials",
        "client_id": common.client_id(),
        "client_secret": common.client_secret(),
        "audience": common.env("BENCH_AUDIENCE", "tasklist.camunda.io"),
    })
    answer.raise_for_status()
    session.headers["Authorization"] = "Bearer " + answer.json()["access_token"]
    url = common.base_url() + "/v1/tasks/search"

    def call():
        response = session.post(url, json={"pageSize": 50})
        response.raise_for_status()
        return response.json()

    if len(call()) != 50:
        sys.exit("requests_bench: expected a 50-task page")
    common.run(call, n, threads)


if __name__ == "__main__":
    main()
