// Plaspy's hot statements (src/plaspy/sql.<provider>.ts) against what Prisma reads from the same rows, on the
// provider under test: authentication counts exactly the good tokens, rows equal Prisma's, tenants stay apart.
import t from 'tap'
import { isUniqueViolation } from '../../src/db/errors.js'
import { plaspyStore } from '../../src/plaspy/store.js'
import { secretHash } from '../../src/platform/secrets.js'
import { build, plaspyClient } from '../helper.js'
import { createUser, minimal } from '../helpers/plaspy.js'

t.test('authenticate: a good token is counted and answers its principal; any other counts nothing', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const store = plaspyStore(app.db)
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
  const store = plaspyStore(app.db)
  const id = await createUser(client)
  const second = await createUser(client, { ...minimal, email: 'second@example.com' })
  const prismaRow = () => app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id } })
  const accountId = (await prismaRow()).accountId

  t.same(await store.getUser(accountId, id), await prismaRow())
  t.equal(await store.getUser((await app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: other.user_id } })).accountId, id), undefined, 'another account')

  const now = new Date('2030-01-02T03:04:05.678Z')
  const updated = await store.updateUser(accountId, id, [
    ['description', 'd'], ['disabled', true], ['tags', { a: ['b'] }], ['privileges', ['read']], ['admin_devices', 3],
    ['valid_from', new Date('2024-01-01T00:00:00Z')], ['valid_until', null]
  ], now)
  t.same(updated, await prismaRow(), 'the row as Prisma reads it')
  t.match(updated, { description: 'd', disabled: true, tags: { a: ['b'] }, privileges: ['read'], adminDevices: 3, validFrom: new Date('2024-01-01T00:00:00Z'), validUntil: null, modification: now })
  t.match(await store.updateUser(accountId, id, [['tags', null]], now), { tags: null })
  t.equal(await store.updateUser('acc-none', id, [['name', 'x']], now), undefined, 'another account\'s user is not found')
  const duplicate = await store.updateUser(accountId, second, [['email', minimal.email]], now).catch((error: unknown) => error)
  t.ok(isUniqueViolation(duplicate), 'a taken email is a unique violation')
})

t.test('update with versions is a compare-and-set: it lands only on one of them, and moves the version', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const store = plaspyStore(app.db)
  const id = await createUser(client)
  const prismaRow = () => app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id } })
  const before = await prismaRow()
  const now = new Date('2030-01-02T03:04:05.678Z')

  t.equal(await store.updateUser(before.accountId, id, [['description', 'stale']], now, [2, 3]), undefined, 'not the version')
  t.equal(await store.updateUser(before.accountId, id, [['description', 'none']], now, []), undefined, 'no version at all')
  t.same(await prismaRow(), before, 'nothing changed')

  const updated = await store.updateUser(before.accountId, id, [['description', 'current']], now, [7, before.version])
  t.same(updated, await prismaRow(), 'the row as Prisma reads it')
  t.match(updated, { description: 'current', version: before.version + 1 })
  t.match(await store.updateUser(before.accountId, id, [], now), { version: before.version + 2 }, 'without versions too')
})

t.test('keyAccount: the account of an API key\'s user, across accounts; nothing for an unknown key', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const other = await plaspyClient(app, { accountName: 'globex' })
  const store = plaspyStore(app.db)
  const accountOf = async (userId: string) => (await app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: userId } })).accountId
  t.equal(await store.keyAccount(secretHash(client.api_key)), await accountOf(client.user_id))
  t.equal(await store.keyAccount(secretHash(other.api_key)), await accountOf(other.user_id))
  t.equal(await store.keyAccount(secretHash('no such key')), undefined)
})
