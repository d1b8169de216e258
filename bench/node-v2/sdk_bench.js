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
const { measure } = require('../node-common/measure.js')

const WARMUP_PER_WORKER = 20


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

  await measure(call, n, concurrency, WARMUP_PER_WORKER)
}

main().catch((err) => {
  console.error(`sdk_bench: ${err && err.stack ? err.stack : err}`)
  process.exit(1)
})
