-- The floor: the benchmark's search request replayed by wrk over keep-alive connections,
-- with a fixed bearer token (BENCH_TOKEN) fetched once by the harness. It prints the same
-- JSON line as every client of the harness (see bench/README.md).
wrk.method = "POST"
wrk.path = "/v1/tasks/search"
wrk.body = '{"pageSize":50}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN not set")

-- No response() hook: defining one makes wrk hand every body to Lua, which would slow the
-- floor down. Answers of 400 and above are counted in summary.errors.status instead, and the
-- harness refuses a run with errors.
function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"seconds":%.6f,"p50_us":%.1f,"p99_us":%.1f,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
