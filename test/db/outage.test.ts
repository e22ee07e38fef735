// The database goes away and comes back while the server runs. Every request that needs it answers 503 in its
// dialect's envelope with Retry-After, and changes nothing; the same app instance answers 2xx once the database
// is back. Postgres: a TCP proxy between the app and the server is cut (resets, then refuses connections).
// SQLite is a file, never "unreachable": its analogue is another connection holding the write lock past the
// busy deadline, which every write meets (Plaspy's authentication counts usage, so it writes too).
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import Sqlite from 'better-sqlite3'
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { sql } from 'kysely'
import { buildApp } from '../../src/app.js'
import { DATABASE_RETRY_AFTER_SECONDS } from '../../src/platform/errors.js'
import { plaspyClient, roamClient } from '../helper.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'
import { minimal } from '../helpers/plaspy.js'
import { loadSpec } from '../../src/conformance/spec.js'
import { TcpProxy } from '../helpers/tcp-proxy.js'
import { captureLog } from '../helpers/log.js'
import { eventually } from '../helpers/wait.js'

const spec = loadSpec()
const provider = testProvider()

/** An app with a Roam key, a Plaspy login, and one user of each, ready to be cut off from its database. */
async function scenario (t: Test, databaseUrl: string, options: { sqliteBusyTimeoutMs?: number } = {}) {
  const log = captureLog()
  const app = await buildApp({ databaseUrl, logger: { level: 'info', stream: log.stream }, ...options })
  t.teardown(() => app.close())
  await app.ready()
  const roam = await roamClient(app)
  const plaspy = await plaspyClient(app)
  const created = await roam.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'device-1', description: 'before' } })
  const roamUserId: string = created.json().data.user_id
  const plaspyUser = await plaspy.inject({ method: 'POST', url: '/api/users', payload: minimal })
  const plaspyUserId: string = plaspyUser.json().id

  // Authentication, a read and a write of each dialect; `ok` is the status they answer when all is well. The
  // writes carry the phase (before, during, after the outage), so that one that landed shows in state().
  const requests: Array<{ operationId: string, ok: number, send: (phase: string) => Promise<LightMyRequestResponse> }> = [
    { operationId: 'roamListUsers', ok: 200, send: () => roam.inject({ url: `/v1/api/user/?user_id=${roamUserId}` }) },
    { operationId: 'roamUpdateUser', ok: 200, send: (phase) => roam.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: roamUserId, description: phase } }) },
    { operationId: 'roamCreateUser', ok: 201, send: (phase) => roam.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'device-2', description: phase } }) },
    { operationId: 'plaspyCreateToken', ok: 200, send: () => app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: plaspy.userName, apiKey: plaspy.api_key } }) },
    { operationId: 'plaspyGetUser', ok: 200, send: () => plaspy.inject({ url: `/api/users/${plaspyUserId}` }) },
    { operationId: 'plaspyUpdateUser', ok: 200, send: (phase) => plaspy.inject({ method: 'PUT', url: `/api/users/${plaspyUserId}`, payload: { ...minimal, name: `Jane ${phase}` } }) }
  ]

  /** The users as the two APIs list them: what a client would see of the data. */
  const state = async () => {
    const roamList = await roam.inject({ url: '/v1/api/user/?start_date=2000-01-01&end_date=2099-12-31' })
    const plaspyList = await plaspy.inject({ url: '/api/users' })
    if (roamList.statusCode !== 200 || plaspyList.statusCode !== 200) throw new Error(`listing failed: ${roamList.body} ${plaspyList.body}`)
    return {
      roamUsers: roamList.json().data.users.map(({ id, description }: Record<string, unknown>) => ({ id, description })),
      plaspyUsers: plaspyList.json().users.map(({ id, name }: Record<string, unknown>) => ({ id, name }))
    }
  }

  return { app, log, roam, plaspy, requests, state, secrets: [roam.api_key, plaspy.api_key, plaspy.token] }
}

/** A 503 in the operation's own envelope, as openapi.yaml declares it, with Retry-After. */
function assertUnavailable (t: Test, operationId: string, response: LightMyRequestResponse) {
  t.equal(response.statusCode, 503, `${operationId}: 503`)
  t.equal(response.headers['retry-after'], String(DATABASE_RETRY_AFTER_SECONDS), `${operationId}: Retry-After`)
  t.same(spec.violations(spec.operations.find((op) => op.operationId === operationId)!, response), [], `${operationId}: as the spec declares`)
  const body = response.json()
  if (operationId.startsWith('roam')) t.match(body, { status: false, code: 503, error: { ErrorCode: 'GS400', ErrorMessage: 'Service temporarily unavailable' } })
  else t.match(body, { success: false, error: /^Service temporarily unavailable/ })
  t.notMatch(response.body, /prisma|ECONN|postgres|sqlite|SELECT|127\.0\.0\.1/i, `${operationId}: no internals`)
}

/** The outage was logged as errors, naming no credential. */
function assertLogged (t: Test, log: ReturnType<typeof captureLog>, secrets: string[], failures: number) {
  const unavailable = log.lines().filter((line) => line.msg === 'database unavailable')
  t.equal(unavailable.length, failures, 'each 503 is logged once')
  t.ok(unavailable.every((line) => line.level === 50 && line.err !== undefined), 'as an error, with its cause')
  for (const secret of secrets) t.notOk(log.text().includes(secret), 'no credential in the log')
}

t.test('Postgres unreachable: 503 in each envelope, /readyz not ready, then back without a restart', { skip: provider !== 'postgresql' && 'Postgres only' }, async (t) => {
  const direct = new URL(await testDatabaseUrl(t))
  const proxy = await TcpProxy.start(t, { host: direct.hostname, port: Number(direct.port || 5432) })
  const proxied = new URL(direct)
  proxied.hostname = '127.0.0.1'
  proxied.port = String(proxy.port)
  const { app, log, requests, state, secrets } = await scenario(t, proxied.href)
  for (const { operationId, ok, send } of requests) t.equal((await send('before')).statusCode, ok, `${operationId} before`)
  const before = await state()
  t.ok(before.roamUsers.length >= 2 && before.plaspyUsers.length >= 1, 'the seed is stored')

  await proxy.cut()
  // The pool's idle connections are reset now: noticed and logged, and the process lives on.
  t.ok(await eventually(() => log.lines().some((line) => line.msg === 'database connection lost' && line.level === 40)), 'idle connection loss logged')
  for (const { operationId, send } of requests) assertUnavailable(t, operationId, await send('during'))
  const readiness = await app.inject({ url: '/readyz' })
  t.equal(readiness.statusCode, 503)
  t.same(readiness.json(), { status: 'not_ready', database: 'unreachable' })
  assertLogged(t, log, secrets, requests.length)

  await proxy.restore()
  t.same(await state(), before, 'nothing the failed requests sent was written')
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200, '/readyz ready again')
  for (const { operationId, ok, send } of requests) t.equal((await send('after')).statusCode, ok, `${operationId} after`)
  const after = await state()
  t.equal(after.roamUsers.length, before.roamUsers.length + 1, 'writes land again')
  t.ok(after.roamUsers.some((user: { description: unknown }) => user.description === 'after'), 'the Roam update landed')
  t.ok(after.plaspyUsers.some((user: { name: unknown }) => user.name === 'Jane after'), 'the Plaspy update landed')
})

t.test('SQLite write lock held past the busy deadline: writes answer 503, reads go on, then all is back', { skip: provider !== 'sqlite' && 'SQLite only' }, async (t) => {
  const url = await testDatabaseUrl(t)
  const busyTimeoutMs = 200 // the production deadline is 5 s
  const { app, log, requests, state, secrets } = await scenario(t, url, { sqliteBusyTimeoutMs: busyTimeoutMs })
  for (const { operationId, ok, send } of requests) t.equal((await send('before')).statusCode, ok, `${operationId} before`)
  const before = await state()

  const holder = new Sqlite(url.slice('file:'.length))
  t.teardown(() => holder.close())
  holder.exec('BEGIN IMMEDIATE') // the write lock, kept until ROLLBACK
  const writes = requests.filter(({ operationId }) => operationId !== 'roamListUsers')
  for (const { operationId, send } of writes) {
    const started = Date.now()
    assertUnavailable(t, operationId, await send('during'))
    // A few ms of slack: Node's timers count from the loop's cached clock and may fire that much early. The
    // token exchange writes in a transaction, whose statements never wait (src/db/adapters.ts): it answers at once.
    if (operationId !== 'plaspyCreateToken') t.ok(Date.now() - started >= busyTimeoutMs - 10, `${operationId}: waited for the lock first`)
  }
  // WAL: readers never wait for the writer, so the instance still serves what it can and stays in rotation.
  t.equal((await requests[0]!.send('during')).statusCode, 200, 'a read still answers')
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200, '/readyz: reads, and so the database, still answer')
  assertLogged(t, log, secrets, writes.length)

  holder.exec('ROLLBACK')
  t.same(await state(), before, 'nothing the failed requests sent was written')
  for (const { operationId, ok, send } of requests) t.equal((await send('after')).statusCode, ok, `${operationId} after`)
  const after = await state()
  t.equal(after.roamUsers.length, before.roamUsers.length + 1, 'writes land again')
  t.ok(after.roamUsers.some((user: { description: unknown }) => user.description === 'after'), 'the Roam update landed')
  t.ok(after.plaspyUsers.some((user: { name: unknown }) => user.name === 'Jane after'), 'the Plaspy update landed')
})

t.test('SQLite: a lock released within the deadline is waited for, not answered with 503', { skip: provider !== 'sqlite' && 'SQLite only' }, async (t) => {
  const url = await testDatabaseUrl(t)
  const { requests } = await scenario(t, url, { sqliteBusyTimeoutMs: 2_000 })
  const holder = new Sqlite(url.slice('file:'.length))
  t.teardown(() => holder.close())
  holder.exec('BEGIN IMMEDIATE')
  setTimeout(() => holder.exec('ROLLBACK'), 100)
  const update = requests.find(({ operationId }) => operationId === 'roamUpdateUser')!
  t.equal((await update.send('waited')).statusCode, 200)
})

t.test('SQLite full: writes that need room answer 503, /readyz says unwritable, reads go on; then all is back', { skip: provider !== 'sqlite' && 'SQLite only' }, async (t) => {
  const url = await testDatabaseUrl(t)
  const context = await scenario(t, url)
  // A disk with no room left, as SQLite meets it: no page beyond those the file has (on the app's connection).
  const pragma = (statement: string) => sql<Record<string, number>>`PRAGMA ${sql.raw(statement)}`.execute(context.app.db.query)
  const limitPages = (pages: number | string) => pragma(`max_page_count = ${pages}`)
  const { rows: [{ pageCount: pages }] } = await pragma('page_count') as { rows: Array<{ pageCount: number }> }
  await limitPages(String(pages))
  await fillThenRecover(t, context, () => limitPages(1_073_741_823))
})

t.test('Postgres full: writes that need room answer 503, /readyz says unwritable, reads go on; then all is back', { skip: provider !== 'postgresql' && 'Postgres only' }, async (t) => {
  const url = await testDatabaseUrl(t)
  const context = await scenario(t, url)
  const { app } = context
  // A disk with no room left, as Postgres meets it: the schema's tables and indexes move to a tablespace on a
  // tmpfs just larger than they are, so extending one fails with ENOSPC (53100). WAL stays on the real disk.
  const disk = await SmallDisk.mount(t)
  const tablespace = `tracker_users_full_${randomBytes(4).toString('hex')}`
  const schema = new URL(url).searchParams.get('schema')!
  await superuser(url, `CREATE TABLESPACE ${tablespace} LOCATION '${disk.path}'`)
  t.teardown(async () => {
    await app.close() // its connections keep the tablespace's files open
    await superuser(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await superuser(url, `DROP TABLESPACE ${tablespace}`)
  })
  const { rows: relations } = await sql<{ name: string, kind: string }>`SELECT format('%I.%I', n.nspname, c.relname) AS name,
    CASE c.relkind WHEN 'i' THEN 'INDEX' ELSE 'TABLE' END AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'i') ORDER BY c.relkind DESC`.execute(app.db.query)
  t.ok(relations.length > 5, 'the schema\'s tables and indexes')
  await superuser(url, relations.map(({ name, kind }) => `ALTER ${kind} ${name} SET TABLESPACE ${tablespace}`).join(';\n'))
  await disk.resize(disk.used() + 96 * 1024)
  await fillThenRecover(t, context, () => disk.resize(64 * 1024 * 1024))
})

/**
 * On a database about to run out of room: Roam and then Plaspy users are created until a create is refused, which
 * must be the 503 of each envelope; reads of both dialects go on, /readyz says unwritable, and only acknowledged
 * users were stored. Then `makeRoom`: readiness holds for the Retry-After, and writes land again.
 */
async function fillThenRecover (t: Test, { app, roam, plaspy, requests }: Awaited<ReturnType<typeof scenario>>, makeRoom: () => Promise<unknown>) {
  /** Sends `write` until it is refused: how many landed, and the refusal. */
  const fill = async (write: (n: number) => Promise<LightMyRequestResponse>) => {
    for (let n = 0; n < 400; n++) {
      const response = await write(n)
      if (response.statusCode >= 300) return { landed: n, refused: response }
    }
    throw new Error('400 writes and still room')
  }
  const roamWrites = await fill((n) => roam.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: `full-${n}`, description: 'x'.repeat(1000) } }))
  assertUnavailable(t, 'roamCreateUser', roamWrites.refused)
  const plaspyWrites = await fill((n) => plaspy.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, email: `full-${n}@example.com`, description: 'y'.repeat(1000) } }))
  assertUnavailable(t, 'plaspyCreateUser', plaspyWrites.refused)
  t.ok(roamWrites.landed > 0 && plaspyWrites.landed > 0, `full after ${roamWrites.landed} Roam and ${plaspyWrites.landed} Plaspy users, not from the start`)

  t.equal((await requests[0]!.send('during')).statusCode, 200, 'a Roam read still answers')
  t.equal((await requests.find(({ operationId }) => operationId === 'plaspyGetUser')!.send('during')).statusCode, 200, 'and a Plaspy read, which counts its usage')
  const readiness = await app.inject({ url: '/readyz' })
  t.equal(readiness.statusCode, 503, '/readyz: out of rotation while writes fail')
  t.match(readiness.json(), { status: 'not_ready', database: 'unwritable' })
  t.same(spec.violations(spec.operations.find((op) => op.operationId === 'getReadiness')!, readiness), [], '/readyz as the spec declares')
  // Behind the API (a Roam list page holds 10 users, and more may have landed).
  const stored = async (table: string, column: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} LIKE 'full-%'`.execute(app.db.query)).rows[0]!.n)
  t.equal(await stored('roam_users', 'device_token'), roamWrites.landed, 'only the acknowledged Roam users were stored')
  t.equal(await stored('plaspy_users', 'email'), plaspyWrites.landed, 'and Plaspy users')

  await makeRoom()
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 503, 'readiness holds for the Retry-After')
  await new Promise((resolve) => setTimeout(resolve, 5_100))
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200, 'then the instance is ready again')
  const after = await roam.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'after', description: 'x'.repeat(1000) } })
  t.equal(after.statusCode, 201, 'and writes land')
  const plaspyAfter = await plaspy.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, email: 'after@example.com' } })
  t.equal(plaspyAfter.statusCode, 201, 'on both dialects')
}

/**
 * A tmpfs of a size we choose, owned by Postgres' user, unmounted when the test ends. Mounting needs root, as
 * CI has: elsewhere the test fails saying so, never skips.
 */
const SmallDisk = {
  async mount (t: Test) {
    const path = await mkdtemp(join(tmpdir(), 'tracker-users-full-'))
    const run = (command: string, ...args: string[]) => execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString()
    try {
      run('mount', '-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tracker-users-full', path)
    } catch (error) {
      throw new Error(`the Postgres disk-full test mounts a tmpfs, which needs root: ${(error as Error).message}`, { cause: error })
    }
    t.teardown(() => { run('umount', '--lazy', path); rmSync(path, { recursive: true, force: true }) })
    run('chown', 'postgres:postgres', path)
    return {
      path,
      /** Bytes in use on it. */
      used: () => Number(run('df', '--block-size=1', '--output=used', path).split('\n')[1]),
      resize: async (bytes: number) => { run('mount', '-o', `remount,size=${bytes}`, path) }
    }
  }
}

/** One statement as the cluster's superuser (the tests' `url` is one), through the adapter the app uses. */
async function superuser (url: string, statement: string): Promise<void> {
  const adapter = await new PrismaPg({ connectionString: url, max: 1 }).connect()
  try {
    await adapter.executeScript(statement)
  } finally {
    await adapter.dispose()
  }
}
