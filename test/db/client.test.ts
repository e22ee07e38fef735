// openDatabase() on the provider under test (SQLite, or Postgres with TEST_DATABASE=postgres): connection
// settings that took, and values that survive the trip through the repositories' connection, read back the same
// by it and by Prisma (the tests' look behind the API). (The usage counters' upsert is tested where it runs,
// under concurrency: test/plaspy/usage.test.ts.)
import t from 'tap'
import { sql } from 'kysely'
import { openDatabase, type Database } from '../../src/db/client.js'
import { isUniqueViolation } from '../../src/db/errors.js'
import { DEFAULT_SQLITE_FILE, parseDatabaseUrl } from '../../src/db/url.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'

const url = await testDatabaseUrl(t)
const db = await openDatabase(url, { prisma: true })
t.teardown(() => db.close())

async function newUser (db: Database, id: string) {
  const now = new Date()
  await db.query.insertInto('plaspyAccounts').values({ id: `acc-${id}`, name: `account ${id}`, createdAt: now }).execute()
  return db.query.insertInto('plaspyUsers').values({
    id, accountId: `acc-${id}`, name: 'N', email: `${id}@example.com`, country: 'NL', timeZone: 'UTC', privileges: ['read'], creation: now, modification: now
  }).returningAll().executeTakeFirstOrThrow()
}

const users = () => db.query.selectFrom('plaspyUsers')

t.test('the database is the one asked for', async (t) => {
  t.equal(db.provider, testProvider())
  if (db.provider === 'postgresql') {
    const { rows: [row] } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db.query)
    t.equal(row!.schema, parseDatabaseUrl(url).provider === 'postgresql' && new URL(url).searchParams.get('schema'),
      'raw SQL resolves unqualified tables in the ?schema= schema')
  }
})

t.test('SQLite connection settings took, on the connection the repositories query', { skip: db.provider !== 'sqlite' && 'SQLite only' }, async (t) => {
  const pragma = async (name: string) => {
    const { rows: [row] } = await sql<Record<string, unknown>>`PRAGMA ${sql.raw(name)}`.execute(db.query)
    return String(Object.values(row!)[0])
  }
  t.equal(await pragma('journal_mode'), 'wal')
  t.equal(await pragma('synchronous'), '2', 'FULL')
  t.equal(await pragma('busy_timeout'), '0', 'no wait inside SQLite: busy statements are retried after yielding (adapters.ts)')
  t.equal(await pragma('foreign_keys'), '1')
  await t.rejects(db.query.insertInto('plaspyUsers').values({
    id: 'orphan', accountId: 'no-such-account', name: 'N', email: 'o@example.com', country: 'NL', timeZone: 'UTC', privileges: []
  }).execute(), 'foreign keys are enforced')
})

t.test('DateTime keeps its milliseconds and compares by them', async (t) => {
  const user = await newUser(db, 'usr-time')
  const at = new Date('2024-02-29T23:59:59.123Z')
  await db.query.updateTable('plaspyUsers').set({ lastLogin: at, validUntil: new Date(at.getTime() + 1) }).where('id', '=', user.id).execute()
  const read = await users().selectAll().where('id', '=', user.id).executeTakeFirstOrThrow()
  t.equal(read.lastLogin?.toISOString(), at.toISOString())
  t.equal(read.validUntil?.toISOString(), '2024-02-29T23:59:59.124Z')
  t.same(await db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: user.id } }), read, 'Prisma reads the same')
  const later = (column: 'validUntil' | 'lastLogin') => users().select('id').where('id', '=', user.id).where(column, '>', at).execute()
  t.equal((await later('validUntil')).length, 1, '1 ms later is later')
  t.equal((await later('lastLogin')).length, 0, 'equal is not later')
})

t.test('Json columns: values and SQL NULL', async (t) => {
  const user = await newUser(db, 'usr-json')
  const tags = async () => (await users().select('tags').where('id', '=', user.id).executeTakeFirstOrThrow()).tags
  const value = { a: [1, 'two', null], b: true, snake_key: { 'x-y': 'z' } }
  await db.query.updateTable('plaspyUsers').set({ tags: value }).where('id', '=', user.id).execute()
  t.same(await tags(), value)
  t.same((await db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: user.id } })).tags, value, 'Prisma reads the same')
  await db.query.updateTable('plaspyUsers').set({ tags: null }).where('id', '=', user.id).execute()
  t.equal(await tags(), null)
  t.equal((await db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: user.id } })).tags, null, 'SQL NULL, not JSON null')
})

t.test('a unique violation is recognised, as each driver reports it', async (t) => {
  await newUser(db, 'usr-err')
  const duplicate = await db.query.insertInto('plaspyAccounts').values({ id: 'x', name: 'account usr-err', createdAt: new Date() }).execute().catch((e: unknown) => e)
  t.ok(isUniqueViolation(duplicate))
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
