// Requests an attacker sends rather than the spec's shapes: amplifying JSON Patches, nesting deep enough to
// exhaust a recursive walk, numbers coercion turns infinite. Each is refused in the dialect's envelope, changes
// nothing, and costs the server little.
import t from 'tap'
import { MAX_JSON_DEPTH } from '../../src/platform/json-body.js'
import { build, plaspyClient, roamClient } from '../helper.js'
import { createUser, minimal, row, type Client } from '../helpers/plaspy.js'

function patch (client: Client, id: string, operations: unknown) {
  return client.inject({
    method: 'PATCH',
    url: `/api/users/${id}`,
    headers: { 'content-type': 'application/json-patch+json' },
    payload: typeof operations === 'string' ? operations : JSON.stringify(operations)
  })
}

/** `[[[…]]]` nested `depth` levels, as text (JSON.stringify of such a value would itself overflow). */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

/** The heap growth and the longest the event loop was held while `work` ran, in MB and ms. */
async function cost (work: () => Promise<unknown>) {
  globalThis.gc?.()
  const heap = process.memoryUsage().heapUsed
  const started = performance.now()
  await work()
  return { ms: performance.now() - started, mb: (process.memoryUsage().heapUsed - heap) / 2 ** 20 }
}

t.test('JSON Patches that copy containers into themselves are refused before they grow', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, { ...minimal, tags: { role: 'x'.repeat(200) } })
  const before = await row(app, id)
  const selfCopies = Array.from({ length: 27 }, (_, i) => ({ op: 'copy', from: '/tags', path: `/tags/k${i}` }))
  const crossCopies = [{ op: 'add', path: '/privileges', value: [] }, ...Array.from({ length: 60 }, (_, i) =>
    i % 2 === 0 ? { op: 'copy', from: '/tags', path: '/privileges/-' } : { op: 'copy', from: '/privileges', path: `/tags/p${i}` })]
  for (const [name, operations] of [['self', selfCopies], ['cross', crossCopies]] as const) {
    t.ok(JSON.stringify(operations).length < 4096, `${name}: a small request`)
    let response!: Awaited<ReturnType<typeof patch>>
    const spent = await cost(async () => { response = await patch(client, id, operations) })
    t.equal(response.statusCode, 400, name)
    t.match(response.json(), { success: false, error: /^Invalid patch operation: the patched user would exceed 65536 bytes/ }, name)
    t.ok(spent.ms < 2000 && spent.mb < 50, `${name}: one request cost ${spent.ms.toFixed(0)} ms, ${spent.mb.toFixed(1)} MB`)
  }
  t.same(await row(app, id), before, 'the user is unchanged')
  t.equal((await client.inject({ url: `/api/users/${id}` })).statusCode, 200, 'and the server still answers')
})

t.test('bodies nested deeper than the bound answer 400 in each envelope; the bound itself is accepted', async (t) => {
  const app = await build(t)
  const plaspy = await plaspyClient(app)
  const roam = await roamClient(app)
  const id = await createUser(plaspy)
  const before = await row(app, id)

  const deepValue = `[{"op":"add","path":"/tags/deep","value":${nested(20_000)}}]`
  const deep = await patch(plaspy, id, deepValue)
  t.equal(deep.statusCode, 400)
  t.match(deep.json(), { success: false, error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels.` })
  t.same(await row(app, id), before, 'nothing changed')

  const deepPut = await plaspy.inject({ method: 'PUT', url: `/api/users/${id}`, headers: { 'content-type': 'application/json' }, payload: `{"name":"x","tags":{"a":${nested(40)}}}` })
  t.equal(deepPut.statusCode, 400)
  t.match(deepPut.json(), { success: false, error: /nested deeper/ })

  const created = await roam.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 't' } })
  const userId = created.json().data.user_id
  // An unknown field, which the schema would drop: the bound holds for what is parsed, not only what is kept.
  const metadata = (depth: number) => `{"user_id":"${userId}","extra":{"a":${nested(depth)}}}`
  const roamDeep = await roam.inject({ method: 'PUT', url: '/v1/api/user/', headers: { 'content-type': 'application/json' }, payload: metadata(10_000) })
  t.equal(roamDeep.statusCode, 400, roamDeep.body)
  t.match(roamDeep.json(), { status: false, code: 400, error: { ErrorCode: 'GS400', ErrorMessage: 'Invalid request', details: `JSON nested deeper than ${MAX_JSON_DEPTH} levels.` } })
  const atTheBound = await roam.inject({ method: 'PUT', url: '/v1/api/user/', headers: { 'content-type': 'application/json' }, payload: metadata(MAX_JSON_DEPTH - 2) })
  t.equal(atTheBound.statusCode, 200, atTheBound.body + `${MAX_JSON_DEPTH} levels in all are accepted`)
})

t.test('numbers that coercion makes infinite are refused, never reach the database', async (t) => {
  const app = await build(t)
  const roam = await roamClient(app)
  const plaspy = await plaspyClient(app)
  for (const value of ['Infinity', '-Infinity', '1e999', '-1e999']) {
    for (const query of [`page_number=${value}`, `start_date=2021-01-01&end_date=2021-01-02&page_number=${value}`]) {
      const response = await roam.inject({ url: `/v1/api/user/?${query}` })
      t.equal(response.statusCode, 400, query)
      t.same(response.json().error.details, { page_number: ['A valid number is required.'] }, query)
    }
  }
  const id = await createUser(plaspy)
  const response = await plaspy.inject({ method: 'PUT', url: `/api/users/${id}`, headers: { 'content-type': 'application/json' }, payload: '{"name":"x","email":"x@example.com","country":"Argentina","timeZone":"UTC","adminDevices":1e999}' })
  t.equal(response.statusCode, 400, 'a JSON number too large for a double')
  t.match(response.json(), { success: false, error: /adminDevices/ })
})
