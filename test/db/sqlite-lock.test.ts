// A SQLite lock held by another process (a backup, the sqlite3 shell, the CLI) never freezes the server: writes
// wait for it without blocking the event loop, then answer 503 in the envelope; reads and /healthz go on.
import Sqlite from 'better-sqlite3'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { createRoamKey } from '../../src/roam/keys.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'

t.test('a write lock held by another connection', { skip: testProvider() !== 'sqlite' && 'SQLite only' }, async (t) => {
  const url = await testDatabaseUrl(t)
  const busyDeadlineMs = 1000
  const app = await buildApp({ databaseUrl: url, sqliteBusyTimeoutMs: busyDeadlineMs })
  t.teardown(() => app.close())
  const key = await createRoamKey(app.db, 'acme')
  const headers = { 'api-key': key.api_key }
  const createUser = () => app.inject({ method: 'POST', url: '/v1/api/user/', headers, payload: { app_type: 1, device_token: 't' } })
  const existing = (await createUser()).json().data.user_id

  const other = new Sqlite(url.slice('file:'.length))
  t.teardown(() => other.close())
  other.exec('BEGIN IMMEDIATE') // another process' write transaction: holds the write lock until it ends

  const started = performance.now()
  const blocked = Promise.all([createUser(), app.inject({ method: 'PUT', url: '/v1/api/user/', headers, payload: { user_id: existing, description: 'x' } })])
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200)
  const list = await app.inject({ url: '/v1/api/user/', headers })
  t.equal(list.statusCode, 200, 'a read goes on')
  t.equal(list.json().data.users.length, 1)
  const meanwhile = performance.now() - started
  t.ok(meanwhile < busyDeadlineMs / 2, `/healthz and a read answered within ${meanwhile.toFixed(0)} ms of the writes, while they waited`)

  const [created, updated] = await blocked
  for (const response of [created, updated]) {
    t.equal(response.statusCode, 503)
    t.match(response.json(), { status: false, code: 503, error: { ErrorCode: 'GS400', ErrorMessage: 'Service temporarily unavailable' } })
    t.equal(response.headers['retry-after'], '5')
  }
  t.ok(performance.now() - started >= busyDeadlineMs, 'the writes waited for the lock first')

  other.exec('COMMIT')
  t.equal((await createUser()).statusCode, 201, 'once the lock is gone, writes succeed')
  t.equal((await app.db.query.selectFrom('roamUsers').select('id').execute()).length, 2, 'and the refused one left nothing behind')
})
