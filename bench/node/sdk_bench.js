// The official Node SDK (@camunda8/sdk, version pinned in package.json) as a peer.
//
//   node sdk_bench.js search|all|variable N CONCURRENCY
//
// The SDK is configured only through its environment variables (CAMUNDA_AUTH_STRATEGY,
// CAMUNDA_OAUTH_URL, ZEEBE_CLIENT_ID, ...), which bench/harness.py sets to the emulator, the
// way its documentation tells users to. Concurrency is CONCURRENCY promises sharing one
// TasklistApiClient, each doing its slice of the calls one after the other. Prints the JSON
// line every client of the harness prints (see bench/README.md).
'use strict'

const { Camunda8 } = require('@camunda8/sdk')
const { measure } = require('../node-common/measure.js')

const WARMUP_PER_WORKER = 20 // opens the keep-alive connections before timing, as the C loop does


// Every page of a search, by hand: the SDK has no paging helper, so this is what its users
// write. The next page starts after the sortValues of the last task.
async function searchAll(tasklist, query) {
  let count = 0
  let searchAfter
  for (;;) {
    const page = await tasklist.searchTasks(searchAfter ? { ...query, searchAfter } : query)
    count += page.length
    if (page.length < (query.pageSize || 50)) return count
    searchAfter = page[page.length - 1].sortValues
  }
}

async function main() {
  const [workload, nText, concurrencyText] = process.argv.slice(2)
  const n = Number(nText)
  const concurrency = Number(concurrencyText)
  const tasklist = new Camunda8().getTasklistApiClient()
  let call
  let expect
  if (workload === 'search') {
    call = () => tasklist.searchTasks({ pageSize: 50 })
    expect = 50
  } else if (workload === 'all') {
    const query = JSON.parse(process.env.BENCH_ALL_QUERY || '{}')
    call = () => searchAll(tasklist, query)
    expect = Number(process.env.BENCH_ALL_EXPECT || 0)
  } else if (workload === 'variable') {
    const id = process.env.BENCH_VARIABLE_ID
    call = () => tasklist.getVariable(id)
  } else {
    throw new Error(`unknown workload ${workload}`)
  }
  const first = await call()
  const got = typeof first === 'number' ? first : Array.isArray(first) ? first.length : undefined
  if (expect !== undefined && got !== expect) throw new Error(`expected ${expect} tasks, got ${got}`)

  const warmup = workload === 'all' ? 2 : WARMUP_PER_WORKER
  await measure(call, n, concurrency, warmup)
}

main().catch((err) => {
  console.error(`sdk_bench: ${err && err.stack ? err.stack : err}`)
  process.exit(1)
})
