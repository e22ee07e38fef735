// Plaspy's repository (src/plaspy/repository.ts) against what Prisma reads from the same rows, on the provider
// under test: authentication counts exactly the good tokens, rows equal Prisma's, tenants stay apart.
import t from 'tap'
import { isUniqueViolation } from '../../src/db/errors.js'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/client.js'
import { createLogin } from '../../src/plaspy/logins.js'
import { countTokenRequest, keyAccountOf, plaspyRepository, type PlaspyUserChanges } from '../../src/plaspy/repository.js'
import { secretHash } from '../../src/platform/secrets.js'
import { build, plaspyClient } from '../helper.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'
import { createUser, minimal } from '../helpers/plaspy.js'

t.test('authenticate: a good token is counted and answers its principal; any other counts nothing', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const store = plaspyRepository(app.db)
  const hash = secretHash(client.token)
  const now = new Date()
  const usage = () => app.db.prisma.plaspyUsage.findUnique({ where: { userId: client.user_id } })
  const before = (await usage())?.total ?? 0

  const principal = await store.authenticate(hash, now)
  t.match(principal, { userId: client.user_id, privileges: ['read', 'write'], usage: { apiUsage: before + 1 } })
  const user = await app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: client.user_id } })
  t.equal(principal?.accountId, user.accountId)

  const answers = await Promise.all(Array.from({ length: 20 }, () => store.authenticate(hash, now)))
  t.same(answers.map((a) => a!.usage.apiUsage).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => before + 2 + i), 'exact under concurrency')

  const counted = (await usage())!.total
  const token = await app.db.prisma.plaspyToken.findUniqueOrThrow({ where: { tokenHash: hash } })
  t.equal(await store.authenticate(hash, token.expiresAt), undefined, 'expired at its expiry')
  t.equal(await store.authenticate(secretHash('unknown'), now), undefined, 'unknown')
  await app.db.prisma.plaspyUser.update({ where: { id: client.user_id }, data: { validFrom: new Date(now.getTime() + 1) } })
  t.equal(await store.authenticate(hash, now), undefined, 'before the user\'s from')
  await app.db.prisma.plaspyUser.update({ where: { id: client.user_id }, data: { validFrom: null, validUntil: now } })
  t.equal(await store.authenticate(hash, now), undefined, 'at the user\'s expires')
  await app.db.prisma.plaspyUser.update({ where: { id: client.user_id }, data: { validUntil: null, disabled: true } })
  t.equal(await store.authenticate(hash, now), undefined, 'a disabled user')
  await app.db.prisma.plaspyUser.update({ where: { id: client.user_id }, data: { disabled: false } })
  await app.db.prisma.plaspyApiKey.updateMany({ where: { userId: client.user_id }, data: { revokedAt: now } })
  t.equal(await store.authenticate(hash, now), undefined, 'its key revoked')
  t.equal((await usage())!.total, counted, 'none of those was counted')
})

t.test('get and update answer the rows Prisma reads, only within the account', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const other = await plaspyClient(app, { accountName: 'globex' })
  const store = plaspyRepository(app.db)
  const id = await createUser(client)
  const second = await createUser(client, { ...minimal, email: 'second@example.com' })
  const prismaRow = () => app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id } })
  const accountId = (await prismaRow()).accountId

  t.same(await store.getUser(accountId, id), await prismaRow())
  t.equal(await store.getUser((await app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: other.user_id } })).accountId, id), undefined, 'another account')

  const now = new Date('2030-01-02T03:04:05.678Z')
  const updated = await store.updateUser(accountId, id, {
    description: 'd',
    disabled: true,
    tags: { a: ['b'] },
    privileges: ['read'],
    adminDevices: 3,
    validFrom: new Date('2024-01-01T00:00:00Z'),
    validUntil: null
  }, now)
  t.same(updated, await prismaRow(), 'the row as Prisma reads it')
  t.match(updated, { description: 'd', disabled: true, tags: { a: ['b'] }, privileges: ['read'], adminDevices: 3, validFrom: new Date('2024-01-01T00:00:00Z'), validUntil: null, modification: now })
  const tags = { snake_case: { inner_key: [{ deep_key: 1 }] }, camelCase: true }
  t.same((await store.updateUser(accountId, id, { tags }, now))?.tags, tags, 'JSON keys come back as written, never renamed')
  t.same((await store.getUser(accountId, id))?.tags, tags)
  t.match(await store.updateUser(accountId, id, { tags: null }, now), { tags: null })
  t.equal(await store.updateUser('acc-none', id, { name: 'x' }, now), undefined, 'another account\'s user is not found')
  const duplicate = await store.updateUser(accountId, second, { email: minimal.email }, now).catch((error: unknown) => error)
  t.ok(isUniqueViolation(duplicate), 'a taken email is a unique violation')
})

t.test('update with versions is a compare-and-set: it lands only on one of them, and moves the version', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const store = plaspyRepository(app.db)
  const id = await createUser(client)
  const prismaRow = () => app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id } })
  const before = await prismaRow()
  const now = new Date('2030-01-02T03:04:05.678Z')

  t.equal(await store.updateUser(before.accountId, id, { description: 'stale' }, now, [2, 3]), undefined, 'not the version')
  t.equal(await store.updateUser(before.accountId, id, { description: 'none' }, now, []), undefined, 'no version at all')
  t.same(await prismaRow(), before, 'nothing changed')

  const updated = await store.updateUser(before.accountId, id, { description: 'current' }, now, [7, before.version])
  t.same(updated, await prismaRow(), 'the row as Prisma reads it')
  t.match(updated, { description: 'current', version: before.version + 1 })
  t.match(await store.updateUser(before.accountId, id, {}, now), { version: before.version + 2 }, 'without versions too')
})

t.test('keyAccount: the account of an API key\'s user, across accounts; nothing for an unknown key', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const other = await plaspyClient(app, { accountName: 'globex' })
  const store = plaspyRepository(app.db)
  const accountOf = async (userId: string) => (await app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: userId } })).accountId
  t.equal(await store.keyAccount(secretHash(client.api_key)), await accountOf(client.user_id))
  t.equal(await store.keyAccount(secretHash(other.api_key)), await accountOf(other.user_id))
  t.equal(await store.keyAccount(secretHash('no such key')), undefined)
})

t.test('Postgres: plaspy_count_token_request() answers as the statement it mirrors, for every kind of token and day', async (t) => {
  if (testProvider() !== 'postgresql') return t.plan(0, 'the function is Postgres\' own; SQLite runs the statement itself')
  // As the owner, whom row-level security does not bind: the statement sees what the function sees.
  const owner = await openDatabase(await testDatabaseUrl(t), { prisma: true })
  t.teardown(() => owner.close())
  const store = plaspyRepository(owner)
  const login = await createLogin(owner, { accountName: 'acme', userName: 'jane', email: 'jane@example.com' })
  const key = (await store.keyHolder(secretHash(login.api_key)))!
  const start = new Date('2030-01-01T10:00:00.000Z')
  const tokenHash = secretHash('a token')
  await store.recordToken({ id: 'tok-1', userId: login.user_id, apiKeyId: key.id, tokenHash, expiresAt: new Date(start.getTime() + 3_600_000) }, start, 100)

  class RolledBack { constructor (readonly rows: unknown[]) {} }
  async function bothWays (label: string, hash: string, now: Date) {
    const day = now.toISOString().slice(0, 10)
    const statement = await owner.query.transaction().execute(async (trx) => {
      throw new RolledBack((await countTokenRequest(hash, now, day).execute(trx)).rows)
    }).catch((error: unknown) => { if (error instanceof RolledBack) return error.rows; throw error })
    const { rows } = await sql`SELECT "userId", "accountId", privileges, total, daily FROM plaspy_count_token_request(${hash}, ${now}::timestamp, ${day})`.execute(owner.query)
    t.same(statement, rows, label)
    return rows
  }
  const user = (changes: PlaspyUserChanges) => owner.query.updateTable('plaspyUsers').set(changes).where('id', '=', login.user_id).execute()

  t.equal((await bothWays('first request', tokenHash, start)).length, 1)
  await bothWays('second, same day', tokenHash, start)
  t.match(await bothWays('a new day restarts daily', tokenHash, new Date('2030-01-02T00:00:00.000Z')), [], 'expired by then')
  await bothWays('just before expiry', tokenHash, new Date(start.getTime() + 3_599_999))
  await bothWays('at expiry', tokenHash, new Date(start.getTime() + 3_600_000))
  await bothWays('unknown token', secretHash('another'), start)
  await user({ validFrom: new Date(start.getTime() + 1) })
  await bothWays('before from', tokenHash, start)
  await user({ validFrom: start, validUntil: start })
  await bothWays('at expires', tokenHash, start)
  await user({ validUntil: null, disabled: true })
  await bothWays('disabled', tokenHash, start)
  await user({ disabled: false })
  t.equal((await bothWays('enabled again', tokenHash, start)).length, 1)
  await owner.query.updateTable('plaspyApiKeys').set({ revokedAt: start }).where('id', '=', key.id).execute()
  t.same(await bothWays('key revoked', tokenHash, start), [])
})

t.test('Postgres: plaspy_api_key_account() answers as the statement it mirrors', async (t) => {
  if (testProvider() !== 'postgresql') return t.plan(0, 'the function is Postgres\' own; SQLite runs the statement itself')
  const owner = await openDatabase(await testDatabaseUrl(t), { prisma: true })
  t.teardown(() => owner.close())
  const acme = await createLogin(owner, { accountName: 'acme', userName: 'jane', email: 'jane@example.com' })
  const globex = await createLogin(owner, { accountName: 'globex', userName: 'joe', email: 'joe@example.com' })
  await plaspyRepository(owner).replaceKeys(globex.user_id, undefined, new Date()) // revoked: still its account's
  for (const [label, key] of [['a key', acme.api_key], ['another account\'s, revoked', globex.api_key], ['no such key', 'none']] as const) {
    const { rows: [mirrored] } = await keyAccountOf(secretHash(key)).execute(owner.query)
    const { rows: [answered] } = await sql<{ accountId: string | null }>`SELECT plaspy_api_key_account(${secretHash(key)}) AS account_id`.execute(owner.query)
    t.equal(answered!.accountId, mirrored?.accountId ?? null, label)
  }
})
