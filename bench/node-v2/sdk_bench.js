// The official v2 JS SDK (@camunda8/orchestration-cluster-api, pinned in package-lock.json).
//
//   node sdk_bench.js v2search N CONCURRENCY
//
// One client from createCamundaClient, configured from BENCH_* through the CAMUNDA_* environment its README shows
// (CAMUNDA_REST_ADDRESS, OAUTH with CAMUNDA_OAUTH_URL, client id and secret; the SDK's
// default audience zeebe.camunda.io, which the emulator's 8.8+ profiles issue). Each call is
// searchUserTasks with a 50-task page and no eventual-consistency wait. CONCURRENCY promises
// share the client. Prints the JSON line every client of the harness prints.
'use strict'

const { createCamundaClient } = require('@camunda8/orchestration-cluster-api')

const WARMUP_PER_WORKER = 20

function percentile(sorted, p) {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]
}

async function main() {
  const [workload, nText, concurrencyText] = process.argv.slice(2)
  if (workload !== 'v2search') throw new Error('only the v2search workload')
  const n = Number(nText)
  const concurrency = Number(concurrencyText)
  const base = process.env.BENCH_BASE_URL || 'http://127.0.0.1:8080'
  // Zero-config, as the README recommends: the SDK reads CAMUNDA_* from process.env. (Passed
  // as `config` instead, the settings are not seen by the eventual-consistency path of
  // searchUserTasks, which hydrates the configuration from the environment again.)
  Object.assign(process.env, {
    CAMUNDA_REST_ADDRESS: base,
    CAMUNDA_AUTH_STRATEGY: 'OAUTH',
    CAMUNDA_OAUTH_URL: process.env.BENCH_TOKEN_URL || base + '/oauth/token',
    CAMUNDA_CLIENT_ID: process.env.BENCH_CLIENT_ID || 'tasklist-client',
    CAMUNDA_CLIENT_SECRET: process.env.BENCH_CLIENT_SECRET || 'tasklist-secret',
  })
  delete process.env.CAMUNDA_TOKEN_AUDIENCE // the SDK's default, zeebe.camunda.io
  const camunda = createCamundaClient()
  const call = () => camunda.searchUserTasks({ page: { limit: 50 } }, { consistency: { waitUpToMs: 0 } })
  const first = await call()
  if (!first.items || first.items.length !== 50) throw new Error('expected a 50-task page')

  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = 0; i < WARMUP_PER_WORKER; i++) await call()
  }))
  const latencies = new Array(n)
  const t0 = process.hrtime.bigint()
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    const start = Math.floor((n * w) / concurrency)
    const end = Math.floor((n * (w + 1)) / concurrency)
    for (let i = start; i < end; i++) {
      const s = process.hrtime.bigint()
      await call()
      latencies[i] = Number(process.hrtime.bigint() - s) / 1e3
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

main().catch((err) => {
  console.error(`sdk_bench: ${err && err.stack ? err.stack : err}`)
  process.exit(1)
})
