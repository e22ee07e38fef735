// openDatabase() on the provider under test (SQLite, or Postgres with TEST_DATABASE=postgres): connection
// settings that took, and values that survive the trip. (The usage counters' upsert is tested where it runs, under
// concurrency: test/plaspy/usage.test.ts.)
import t from 'tap'
import { jsonColumn, openDatabase, type Database } from '../../src/db/client.js'
import { isRecordNotFound, isUniqueViolation } from '../../src/db/errors.js'
import { DEFAULT_SQLITE_FILE, parseDatabaseUrl } from '../../src/db/url.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'

const url = await testDatabaseUrl(t)
const db = await openDatabase(url)
t.teardown(() => db.close())

async function newUser (db: Database, id: string) {
  await db.prisma.plaspyAccount.create({ data: { id: `acc-${id}`, name: `account ${id}` } })
  return db.prisma.plaspyUser.create({
    data: { id, accountId: `acc-${id}`, name: 'N', email: `${id}@example.com`, country: 'NL', timeZone: 'UTC', privileges: ['read'] }
  })
}

t.test('the database is the one asked for', async (t) => {
  t.equal(db.provider, testProvider())
  if (db.provider === 'postgresql') {
    const [row] = await db.prisma.$queryRaw<Array<{ schema: string }>>`SELECT current_schema() AS schema`
    t.equal(row!.schema, parseDatabaseUrl(url).provider === 'postgresql' && new URL(url).searchParams.get('schema'),
      'raw SQL resolves unqualified tables in the ?schema= schema')
  }
})

t.test('SQLite connection settings took', { skip: db.provider !== 'sqlite' && 'SQLite only' }, async (t) => {
  const pragma = async (name: string) => {
    const [row] = await db.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(`PRAGMA ${name}`)
    return String(Object.values(row!)[0])
  }
  t.equal(await pragma('journal_mode'), 'wal')
  t.equal(await pragma('synchronous'), '2', 'FULL')
  t.equal(await pragma('busy_timeout'), '0', 'no wait inside SQLite: busy statements are retried after yielding (adapters.ts)')
  t.equal(await pragma('foreign_keys'), '1')
  await t.rejects(db.prisma.plaspyUser.create({
    data: { id: 'orphan', accountId: 'no-such-account', name: 'N', email: 'o@example.com', country: 'NL', timeZone: 'UTC', privileges: [] }
  }), 'foreign keys are enforced')
})

t.test('DateTime keeps its milliseconds and compares by them', async (t) => {
  const user = await newUser(db, 'usr-time')
  const at = new Date('2024-02-29T23:59:59.123Z')
  await db.prisma.plaspyUser.update({ where: { id: user.id }, data: { lastLogin: at, validUntil: new Date(at.getTime() + 1) } })
  const read = await db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: user.id } })
  t.equal(read.lastLogin?.toISOString(), at.toISOString())
  t.equal(read.validUntil?.toISOString(), '2024-02-29T23:59:59.124Z')
  t.equal(await db.prisma.plaspyUser.count({ where: { id: user.id, validUntil: { gt: at } } }), 1, '1 ms later is later')
  t.equal(await db.prisma.plaspyUser.count({ where: { id: user.id, lastLogin: { gt: at } } }), 0, 'equal is not later')
})

t.test('Json columns: values and SQL NULL', async (t) => {
  const user = await newUser(db, 'usr-json')
  await db.prisma.plaspyUser.update({ where: { id: user.id }, data: { tags: jsonColumn({ a: [1, 'two', null], b: true }) } })
  t.same((await db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: user.id } })).tags, { a: [1, 'two', null], b: true })
  await db.prisma.plaspyUser.update({ where: { id: user.id }, data: { tags: jsonColumn(null) } })
  t.equal((await db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: user.id } })).tags, null)
})

t.test('errors the services recognise keep their Prisma codes', async (t) => {
  await newUser(db, 'usr-err')
  const duplicate = await db.prisma.plaspyAccount.create({ data: { id: 'x', name: 'account usr-err' } }).catch((e: unknown) => e)
  t.ok(isUniqueViolation(duplicate), 'P2002')
  const missing = await db.prisma.plaspyUser.update({ where: { id: 'nobody' }, data: { name: 'x' } }).catch((e: unknown) => e)
  t.ok(isRecordNotFound(missing), 'P2025')
})

t.test('DATABASE_URL forms', async (t) => {
  t.match(parseDatabaseUrl(undefined), { provider: 'sqlite', file: /data\/tracker-users\.db$/ }, DEFAULT_SQLITE_FILE)
  t.match(parseDatabaseUrl('file:./x/y.db'), { provider: 'sqlite', file: /\/x\/y\.db$/ })
  t.match(parseDatabaseUrl('file:///srv/a.db?mode=rwc'), { provider: 'sqlite', file: '/srv/a.db' })
  t.same(parseDatabaseUrl('postgres://u:p@h:5433/d?schema=s1&sslmode=disable'),
    { provider: 'postgresql', connectionString: 'postgres://u:p@h:5433/d?sslmode=disable', schema: 's1' })
  t.match(parseDatabaseUrl('postgresql://h/d'), { provider: 'postgresql', schema: undefined })
  t.throws(() => parseDatabaseUrl('mysql://root:hunter2@h/d'), { message: /file:<path>.*postgresql:\/\/.*got a "mysql:" URL$/ })
  t.throws(() => parseDatabaseUrl('postgresql://u:hunter2@h/d?schema=a;drop'), { message: /plain identifier/ })
  for (const bad of ['mysql://root:hunter2@h/d', 'hunter2', 'postgresql://u:hunter2@[bad/d']) {
    const error = (() => { try { parseDatabaseUrl(bad) } catch (error) { return String(error) } })()
    t.match(error, /^Error: DATABASE_URL/)
    t.notMatch(error, /hunter2/, 'the password is never echoed')
  }
})

t.test('a wrong URL fails at open, not on the first request', async (t) => {
  await t.rejects(openDatabase('postgresql://postgres@127.0.0.1:1/none'))
})
