"""The official Python v2 SDK (camunda-orchestration-sdk, pinned in requirements.txt) as a peer.

    sdk_v2_bench.py v2search N THREADS

One synchronous CamundaClient shared by the threads, configured through its CAMUNDA_*
settings (set here from BENCH_*: OAuth with the emulator's token endpoint, the SDK's
default audience zeebe.camunda.io, which the emulator's 8.8+ profiles issue as well). Each
call is `search_user_tasks` with a 50-task page; the SDK parses the answer into its models.
"""

import sys

from camunda_orchestration_sdk import CamundaClient
from camunda_orchestration_sdk.models.limit_based_pagination import LimitBasedPagination
from camunda_orchestration_sdk.models.user_task_search_query import UserTaskSearchQuery

import common


def main():
    workload, n, threads = common.args()
    if workload != "v2search":
        sys.exit("sdk_v2_bench: only the v2search workload")
    client = CamundaClient(configuration={
        "CAMUNDA_REST_ADDRESS": common.base_url() + "/v2",
        "CAMUNDA_AUTH_STRATEGY": "OAUTH",
        "CAMUNDA_OAUTH_URL": common.token_url(),
        "CAMUNDA_CLIENT_ID": common.client_id(),
        "CAMUNDA_CLIENT_SECRET": common.client_secret(),
    })
    query = UserTaskSearchQuery(page=LimitBasedPagination(limit=50))

    def call():
        return client.search_user_tasks(data=query)

    if len(call().items) != 50:
        sys.exit("sdk_v2_bench: expected a 50-task page")
    common.run(call, n, threads)


if __name__ == "__main__":
    main()
