// /healthz, /readyz and /metrics, and request ids on every answer.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { build, roamClient } from '../helper.js'
import { testDatabaseUrl } from '../helpers/database.js'

t.test('/healthz answers while the process is up', async (t) => {
  const app = await build(t)
  const response = await app.inject({ url: '/healthz' })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok' })
})

t.test('/readyz: ready on a migrated database', async (t) => {
  const app = await build(t)
  const response = await app.inject({ url: '/readyz' })
  t.equal(response.statusCode, 200)
  t.match(response.json(), { status: 'ready', database: 'ok', migrations: { pending: [] } })
  t.equal(response.json().migrations.applied, response.json().migrations.expected)
  t.ok(response.json().migrations.expected >= 1)
})

t.test('/readyz: 503 with the pending migrations on a database never migrated', async (t) => {
  const app = await buildApp({ databaseUrl: await testDatabaseUrl(t, { migrate: false }) })
  t.teardown(() => app.close())
  const response = await app.inject({ url: '/readyz' })
  t.equal(response.statusCode, 503)
  t.match(response.json(), { status: 'not_ready', database: 'ok', migrations: { applied: 0 } })
  t.ok(response.json().migrations.pending.length >= 1, 'names what is missing')
})

t.test('/readyz: 503 when the database stops answering', async (t) => {
  const app = await build(t)
  const { query } = app.db
  // Every query fails from now on, as it would with the database gone.
  app.db.query = query.withPlugin({
    transformQuery: () => { throw new Error('connection refused') },
    transformResult: async ({ result }) => result
  })
  t.teardown(() => { app.db.query = query })
  const response = await app.inject({ url: '/readyz' })
  t.equal(response.statusCode, 503)
  t.same(response.json(), { status: 'not_ready', database: 'unreachable' })
})

t.test('/metrics: requests by operation and status, latency and database histograms, in Prometheus text', async (t) => {
  const app = await build(t)
  const roam = await roamClient(app)
  await roam.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'token', description: 'device', metadata: {} } })
  await roam.inject({ method: 'PUT', url: '/v1/api/user/', payload: {} })
  await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: 'Bearer nope' } })

  const response = await app.inject({ url: '/metrics' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const text = response.body
  t.match(text, /^http_requests_total\{operation="roamCreateUser",method="POST",status="201"\} 1$/m)
  t.match(text, /^http_requests_total\{operation="roamUpdateUser",method="PUT",status="400"\} 1$/m)
  t.match(text, /^http_requests_total\{operation="plaspyListUsers",method="GET",status="401"\} 1$/m)
  t.match(text, /^http_request_duration_seconds_bucket\{le="\+Inf",operation="roamCreateUser",method="POST",status="201"\} 1$/m) // any bucket under +Inf would time the machine
  t.match(text, /^http_request_duration_seconds_count\{operation="roamCreateUser",method="POST",status="201"\} 1$/m)
  t.match(text, /^db_round_trip_seconds_count [1-9]/m, 'the database round trip is timed')
  t.match(text, /^process_resident_memory_bytes \d+/m, 'default process metrics')
})

t.test('every answer carries its request id; a sane x-request-id from the caller is kept', async (t) => {
  const app = await build(t)
  const fresh = await app.inject({ url: '/healthz' })
  t.match(fresh.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'a UUID when none is sent')
  const kept = await app.inject({ url: '/v1/api/user/', headers: { 'x-request-id': 'lb-7f3a.42' } })
  t.equal(kept.statusCode, 401)
  t.equal(kept.headers['x-request-id'], 'lb-7f3a.42', 'errors too')
  const refused = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'x'.repeat(200) } })
  t.not(refused.headers['x-request-id'], 'x'.repeat(200), 'an oversized id is replaced')
})

t.test('request ids appear in the JSON log lines', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const stream = { write: (line: string) => { lines.push(JSON.parse(line)) } }
  const app = await buildApp({ databaseUrl: await testDatabaseUrl(t), logger: { level: 'info', stream } })
  t.teardown(() => app.close())
  await app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-me' } })
  const mine = lines.filter((line) => line.reqId === 'trace-me')
  t.same(mine.map((line) => line.msg), ['incoming request', 'request completed'])
})
