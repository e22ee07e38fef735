// A transaction never takes another request's statements with it. On SQLite each client has one connection,
// shared by every request: a statement of another request issued while a transaction is open would run inside
// it and roll back with it. So Prisma's client opens no interactive transaction, and the app's own connection
// (src/db/drivers.ts) holds every other statement until its transaction ends.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { transaction, type Query } from '../../src/db/query.js'
import { build, plaspyClient, roamClient } from '../helper.js'
import { testProvider } from '../helpers/database.js'

function sources (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [])
}

t.test('src opens no interactive transaction through Prisma (only batches: $transaction([...]))', async (t) => {
  const interactive = /\$transaction\(\s*(async\b|\(|function\b|[A-Za-z_$][\w$]*\s*=>)/
  const offenders = sources('src').filter((file) => interactive.test(readFileSync(file, 'utf8')))
  t.same(offenders, [], 'every multi-statement write is one statement or a batch')
})

t.test('src opens its transactions through query.ts\'s transaction(), which runs one again after a deadlock', async (t) => {
  const offenders = sources('src').filter((file) => !file.endsWith(join('db', 'query.ts')) && /\.transaction\(\)/.test(readFileSync(file, 'utf8')))
  t.same(offenders, [], 'no Kysely transaction opened around it')
})

t.test('refused group adds never take another request\'s writes with them', async (t) => {
  const app = await build(t)
  const owner = await roamClient(app, 'owner')
  const neighbour = await roamClient(app, 'neighbour')
  const create = async (client: typeof owner) => (await client.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 't' } })).json().data.user_id as string
  const group = (await owner.inject({ method: 'POST', url: '/v1/api/group/', payload: {} })).json().data.group_id as string
  const mine = await create(owner)
  const theirs = await create(neighbour)

  // Each add names the neighbour's user too, so each is refused and must undo only itself.
  const rounds = 20
  const answers = await Promise.all(Array.from({ length: rounds }, async (_, i) => Promise.all([
    owner.inject({ method: 'POST', url: '/v1/api/group/user/', payload: { group_id: group, users: [mine, theirs] } }),
    neighbour.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: theirs, description: `write ${i}` } })
  ])))
  t.ok(answers.every(([add]) => add.statusCode === 400), 'every add is refused (GS400)')
  t.ok(answers.every(([, put]) => put.statusCode === 200), 'every neighbour write is acknowledged')
  const stored = await app.db.prisma.roamUser.findUniqueOrThrow({ where: { id: theirs } })
  t.equal(stored.version, 1 + rounds, 'and every acknowledged write is stored')
  t.equal((await app.db.prisma.roamUser.findUniqueOrThrow({ where: { id: mine } })).groupId, null, 'no add took effect')
})

t.test('a transaction on the app\'s connection holds other statements until it ends, and rolls back only its own', async (t) => {
  const app = await build(t)
  const { user_id: id } = await plaspyClient(app)
  const { query } = app.db
  const user = () => app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id } })
  let outside: Promise<unknown> | undefined
  const rolledBack = query.transaction().execute(async (trx) => {
    await trx.updateTable('plaspyUsers').set({ description: 'inside' }).where('id', '=', id).execute()
    // Another request's write, while the transaction waits on something else.
    outside = query.updateTable('plaspyUsers').set({ name: 'outside' }).where('id', '=', id).execute()
    await new Promise((resolve) => setTimeout(resolve, 50))
    throw new Error('roll back')
  })
  await t.rejects(rolledBack, /roll back/)
  await outside
  t.match(await user(), { description: null, name: 'outside' }, 'the transaction\'s write is gone; the other request\'s stays')

  const committed = await query.transaction().execute(async (trx) => {
    await trx.updateTable('plaspyUsers').set({ description: 'committed' }).where('id', '=', id).execute()
    return 'done'
  })
  t.equal(committed, 'done')
  t.match(await user(), { description: 'committed' })
})

t.test('a statement or a transaction Postgres aborts to break a deadlock runs again, and the other side goes on', { skip: testProvider() !== 'postgresql' && 'Postgres only' }, async (t) => {
  const app = await build(t)
  const { query, driver } = app.db
  if (driver.provider !== 'postgresql') throw new Error('Postgres only')
  // Another connection locks the users, then the accounts, exclusively (an Admin reset's TRUNCATE does), while
  // `read` has locked the accounts, shared, and waits for the users: Postgres aborts `read`, which waited first.
  const other = await driver.postgres.pool.connect()
  t.teardown(() => other.release())
  const deadlock = async <T>(read: () => Promise<T>): Promise<T> => {
    await other.query('BEGIN')
    await other.query('LOCK TABLE plaspy_users IN ACCESS EXCLUSIVE MODE')
    const reading = read()
    reading.catch(() => {}) // awaited below
    await new Promise((resolve) => setTimeout(resolve, 200)) // read waits for plaspy_users, and times its wait first
    await other.query('LOCK TABLE plaspy_accounts IN ACCESS EXCLUSIVE MODE')
    await other.query('COMMIT')
    return reading
  }
  const accountsWithUsers = (on: Query) => on.selectFrom('plaspyAccounts as a').innerJoin('plaspyUsers as u', 'u.accountId', 'a.id').select('u.id').execute()
  t.same(await deadlock(() => accountsWithUsers(query)), [], 'a statement: run again once the other side committed')
  let attempts = 0
  t.same(await deadlock(() => transaction(query, (trx) => { attempts++; return accountsWithUsers(trx) })), [])
  t.equal(attempts, 2, 'a transaction: run again from its start')
})
