// Which errors mean "the database cannot be used right now" (503, retry) and which stay what they are: a
// client's mistake or a bug (500). Real errors from the drivers wherever they are cheap to provoke; the
// codes that need a crashed server or a full disk, as the drivers shape them.
import { createServer, type Socket } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import Sqlite from 'better-sqlite3'
import pg from 'pg'
import t, { type Test } from 'tap'
import { openDatabase } from '../../src/db/client.js'
import { isDatabaseUnavailable, isStorageFailure } from '../../src/db/errors.js'
import { ApiError, DATABASE_RETRY_AFTER_SECONDS, toApiError } from '../../src/platform/errors.js'
import { build } from '../helper.js'
import { testProvider } from '../helpers/database.js'

/** The error `work` rejects with; fails the test if it resolves. */
async function failure (work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work()
  } catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

/** A port that accepts connections and never answers: a database host that hangs. */
async function silentPort (t: Test): Promise<number> {
  const sockets: Socket[] = []
  const server = createServer((socket) => { sockets.push(socket) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { for (const socket of sockets) socket.destroy(); server.close() })
  return (server.address() as { port: number }).port
}

/** A port nothing listens on. */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

t.test('unreachable or hanging databases, as the drivers really report them', async (t) => {
  const refused = await closedPort()
  const hanging = await silentPort(t)
  const refusedPool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${refused}/x` })
  const hangingPool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${hanging}/x`, connectionTimeoutMillis: 50, max: 1 })
  t.teardown(() => Promise.all([refusedPool.end(), hangingPool.end()]))
  const errors = {
    'pg, refused': await failure(() => refusedPool.query('SELECT 1')),
    'pg, connect timeout': await failure(() => hangingPool.query('SELECT 1')),
    'openDatabase over pg, refused': await failure(() => openDatabase(`postgresql://postgres@127.0.0.1:${refused}/x`)),
    'better-sqlite3, cannot open': await failure(async () => new Sqlite(tmpdir())) // a directory, not a database file
  }
  for (const [name, error] of Object.entries(errors)) {
    t.ok(isDatabaseUnavailable(error), name)
    const apiError = toApiError(error)
    t.match(apiError, { kind: 'unavailable', statusCode: 503, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }, `${name}: a 503`)
  }
})

t.test('SQLite out of room or read-only, as better-sqlite3 really reports it: a 503, and a storage failure', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'tracker-users-full-')), 'full.db')
  const full = new Sqlite(file)
  t.teardown(() => full.close())
  full.exec('CREATE TABLE t (x TEXT)')
  full.pragma(`max_page_count = ${full.pragma('page_count', { simple: true })}`)
  const errors = {
    'better-sqlite3, disk full': await failure(async () => { for (;;) full.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(1000)) }),
    'better-sqlite3, read-only': await failure(async () => new Sqlite(file, { readonly: true }).exec("INSERT INTO t VALUES ('x')"))
  }
  t.match(errors['better-sqlite3, disk full'], { code: 'SQLITE_FULL' })
  t.match(errors['better-sqlite3, read-only'], { code: 'SQLITE_READONLY' })
  for (const [name, error] of Object.entries(errors)) {
    t.ok(isStorageFailure(error), `${name}: a storage failure`)
    t.match(toApiError(error), { kind: 'unavailable', statusCode: 503 }, `${name}: a 503`)
  }
})

t.test('Postgres refusing writes, as pg and Prisma\'s adapter really report it: a 503, and a storage failure', { skip: testProvider() !== 'postgresql' && 'Postgres only' }, async (t) => {
  const url = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
  const readOnly = '-c default_transaction_read_only=on' // as on a standby, or a database set read-only
  const client = new pg.Client({ connectionString: url, options: readOnly })
  await client.connect()
  t.teardown(() => client.end())
  const adapter = await new PrismaPg({ connectionString: url, options: readOnly, max: 1 }).connect()
  t.teardown(() => adapter.dispose())
  const errors = {
    'pg, read-only': await failure(() => client.query('CREATE TABLE refused (x int)')),
    'Prisma adapter, read-only': await failure(() => adapter.executeRaw({ sql: 'CREATE TABLE refused (x int)', args: [], argTypes: [] }))
  }
  t.match(errors['pg, read-only'], { code: '25006' })
  for (const [name, error] of Object.entries(errors)) {
    t.ok(isStorageFailure(error), `${name}: a storage failure`)
    t.match(toApiError(error), { kind: 'unavailable', statusCode: 503 }, `${name}: a 503`)
  }
})

t.test('a pool whose every connection is busy past its timeout', async (t) => {
  const pool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${await silentPort(t)}/x`, connectionTimeoutMillis: 100, max: 1 })
  t.teardown(() => pool.end())
  const first = failure(() => pool.query('SELECT 1')) // holds the only slot while it hangs
  const waiting = await failure(() => pool.query('SELECT 1'))
  t.ok(isDatabaseUnavailable(waiting), String((waiting as Error).message))
  t.ok(isDatabaseUnavailable(await first))
})

t.test('Postgres ending a connection (restart, failover) is unavailability', { skip: testProvider() !== 'postgresql' && 'Postgres only' }, async (t) => {
  const url = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
  const victim = new pg.Client({ connectionString: url, application_name: 'outage-victim' })
  victim.on('error', () => {}) // the FATAL that ends it arrives as an event too
  await victim.connect()
  const running = failure(() => victim.query('SELECT pg_sleep(5)'))
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  t.teardown(() => admin.end())
  await new Promise((resolve) => setTimeout(resolve, 100))
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \'outage-victim\'')
  const terminated = await running
  t.equal((terminated as { code?: string }).code, '57P01', 'admin shutdown')
  t.ok(isDatabaseUnavailable(terminated))
})

t.test('real errors of the database under test that are not unavailability stay what they are', async (t) => {
  const app = await build(t)
  const { prisma, driver } = app.db
  const errors = {
    'Prisma: update of a missing row (P2025)': await failure(() => prisma.roamAccount.update({ where: { id: 'missing' }, data: { name: 'x' } })),
    'Prisma: unique violation (P2002)': await failure(async () => {
      await prisma.roamAccount.create({ data: { id: 'a'.repeat(24), name: 'twice' } })
      await prisma.roamAccount.create({ data: { id: 'b'.repeat(24), name: 'twice' } })
    }),
    'Prisma: raw SQL on a missing table': await failure(() => prisma.$queryRawUnsafe('SELECT * FROM no_such_table')),
    'driver: syntax error': await failure(() => driver.provider === 'sqlite' ? driver.sqlite.execute('SELEC 1', []) : driver.postgres.execute('SELEC 1', []))
  }
  t.match(errors['Prisma: update of a missing row (P2025)'], { code: 'P2025' })
  t.match(errors['Prisma: unique violation (P2002)'], { code: 'P2002' })
  for (const [name, error] of Object.entries(errors)) {
    t.notOk(isDatabaseUnavailable(error), name)
    t.not(toApiError(error).kind, 'unavailable', `${name}: not a 503`)
  }
  t.equal(toApiError(errors['driver: syntax error']).statusCode, 500, 'a bug stays a 500')
})

t.test('codes the drivers give a crashed, restarting or full server', async (t) => {
  const unavailable: Array<[string, unknown]> = [
    ['Prisma: server closed the connection', { code: 'P1017' }],
    ['Prisma: no pool connection in time', { code: 'P2024' }],
    ['Prisma: too many connections', { code: 'P2037' }],
    ['Prisma: timed out starting a transaction', { code: 'P2028', message: 'Transaction API error: Unable to start a transaction in the given time.' }],
    ['adapter, raw query: connection closed', { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } } }],
    ['adapter, generic: starting up (57P03)', { code: 'P2039', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '57P03' } } } }],
    ['adapter, generic: SQLite I/O error', { code: 'P2039', meta: { driverAdapterError: { cause: { kind: 'sqlite', originalCode: 'SQLITE_IOERR_READ' } } } }],
    ['pg: connection failure (08006)', { code: '08006', severity: 'FATAL', message: 'connection failure' }],
    ['pg: crash shutdown (57P02)', { code: '57P02' }],
    ['pg: lost mid-query', new Error('Connection terminated unexpectedly')],
    ['pg: wrapped in a cause', new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') })],
    ['network: host unreachable', { code: 'EHOSTUNREACH', syscall: 'connect' }],
    ['better-sqlite3: busy', { code: 'SQLITE_BUSY_SNAPSHOT' }],
    ['better-sqlite3: disk I/O', { code: 'SQLITE_IOERR_FSYNC' }],
    ['pg: disk full (53100)', { code: '53100' }],
    ['adapter, generic: disk full', { code: 'P2039', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '53100' } } } }],
    ['adapter, generic: SQLite full', { code: 'P2039', meta: { driverAdapterError: { cause: { kind: 'sqlite', originalCode: 'SQLITE_FULL' } } } }]
  ]
  for (const [name, error] of unavailable) t.ok(isDatabaseUnavailable(error), name)
  for (const [name, error] of unavailable.slice(-4)) t.ok(isStorageFailure(error), `${name}: a storage failure`)
  for (const [name, error] of unavailable.slice(0, 4)) t.notOk(isStorageFailure(error), `${name}: not a storage failure`)

  const notUnavailable: Array<[string, unknown]> = [
    ['Prisma: transaction not found (a bug)', { code: 'P2028', message: 'Transaction API error: Transaction not found.' }],
    ['Prisma: authentication failed (configuration)', { code: 'P1000' }],
    ['adapter: unique violation', { code: 'P2002', meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation' } } } }],
    ['adapter: a generic Postgres error', { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '42601' } } } }],
    ['pg: serialization failure', { code: '40001' }],
    ['better-sqlite3: constraint', { code: 'SQLITE_CONSTRAINT_UNIQUE' }],
    ['a message alike, with a code of its own', { code: 'XX000', message: 'Connection terminated unexpectedly' }],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined]
  ]
  for (const [name, error] of notUnavailable) t.notOk(isDatabaseUnavailable(error), name)
})

t.test('toApiError: client errors and ApiErrors are never turned into a 503', async (t) => {
  t.equal(toApiError(Object.assign(new Error('Unexpected end of JSON input'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' })).kind, 'bad_request')
  const notFound = new ApiError('not_found', 'User not found.')
  t.equal(toApiError(notFound), notFound)
  t.equal(toApiError(new TypeError('bug')).statusCode, 500)
})
