// The timed part every Node client of the harness shares, so the SDKs are measured the same
// way as each other and as the C loop: WARMUP calls per worker (they open the keep-alive
// connections), then N calls split over CONCURRENCY promises sharing one client, each doing
// its slice one after the other. Prints the harness's JSON line (see bench/README.md).
'use strict'

// Nearest-rank percentile of sorted latencies.
function percentile(sorted, p) {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]
}

async function measure(call, n, concurrency, warmup) {
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = 0; i < warmup; i++) await call()
  }))
  const latencies = new Array(n)
  const t0 = process.hrtime.bigint()
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    const first = Math.floor((n * w) / concurrency)
    const end = Math.floor((n * (w + 1)) / concurrency)
    for (let i = first; i < end; i++) {
      const start = process.hrtime.bigint()
      await call()
      latencies[i] = Number(process.hrtime.bigint() - start) / 1e3
    }
  }))
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  latencies.sort((a, b) => a - b)
  console.log(JSON.stringify({
    requests: n,
    seconds: Number(seconds.toFixed(6)),
    p50_us: Number(percentile(latencies, 50).toFixed(1)),
    p99_us: Number(percentile(latencies, 99).toFixed(1)),
  }))
}

module.exports = { measure }
