-- The v2 floor: POST /v2/user-tasks/search with a 50-task page, replayed by wrk over
-- keep-alive connections with a fixed bearer token (BENCH_TOKEN), against the 8.9 profile.
-- Same output as search.lua (see bench/README.md).
wrk.method = "POST"
wrk.path = "/v2/user-tasks/search"
wrk.body = '{"page":{"limit":50}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN not set")

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"seconds":%.6f,"p50_us":%.1f,"p99_us":%.1f,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
