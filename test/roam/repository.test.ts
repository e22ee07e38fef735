// Roam's repository (src/roam/repository.ts) against what Prisma reads from the same rows, on the provider
// under test: same rows, same tenant scoping, and the page with its total in one statement.
import t from 'tap'
import { roamRepository } from '../../src/roam/repository.js'
import { objectId, secretHash } from '../../src/platform/secrets.js'
import { build, roamClient } from '../helper.js'

t.test('page and total in one statement equal Prisma\'s count and findMany, group filter and past-the-end included', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const foreign = await roamClient(app, 'globex')
  const group = await app.db.prisma.roamGroup.create({ data: { id: objectId(), projectId: client.project_id } })
  const base = Date.parse('2024-05-01T00:00:00.000Z')
  for (let i = 0; i < 23; i++) {
    await app.db.prisma.roamUser.create({
      data: {
        id: objectId(),
        projectId: client.project_id,
        appType: 1 + (i % 2),
        deviceToken: `t${i}`,
        createdAt: new Date(base + Math.floor(i / 2) * 1000), // pairs share a timestamp: the id breaks the tie
        isDeleted: i === 5,
        groupId: i % 3 === 0 ? group.id : null,
        metadata: i % 4 === 0 ? { n: i } : undefined
      }
    })
  }
  await app.db.prisma.roamUser.create({ data: { id: objectId(), projectId: foreign.project_id, appType: 1, deviceToken: 'x', createdAt: new Date(base) } })

  const store = roamRepository(app.db)
  const from = new Date(base)
  const until = new Date(base + 86_400_000)
  for (const groupId of [undefined, group.id]) {
    const where = { projectId: client.project_id, isDeleted: false, groupId, createdAt: { gte: from, lt: until } }
    const total = await app.db.prisma.roamUser.count({ where })
    for (const page of [1, 2, 3, 4]) {
      const expected = await app.db.prisma.roamUser.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * 10, take: 10 })
      const actual = await store.page({ projectId: client.project_id, from, until, groupId, offset: (page - 1) * 10, limit: 10 })
      t.same(actual, { users: expected, total }, `group ${groupId ?? 'any'}, page ${page}`)
    }
  }
  t.equal((await store.page({ projectId: client.project_id, from, until, groupId: undefined, offset: 0, limit: 10 })).total, 22, 'deleted and foreign users are not counted')
  t.same(await store.page({ projectId: client.project_id, from: until, until: new Date(base + 2 * 86_400_000), groupId: undefined, offset: 0, limit: 10 }), { users: [], total: 0 })
})

t.test('update sets exactly the columns given, in the project, never a deleted user', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const foreign = await roamClient(app, 'globex')
  const store = roamRepository(app.db)
  const user = await app.db.prisma.roamUser.create({ data: { id: objectId(), projectId: client.project_id, appType: 2, deviceToken: 't', description: 'before', metadata: { a: 1 } } })
  const now = new Date('2030-01-02T03:04:05.678Z')

  const updated = await store.updateUser(client.project_id, user.id, { geofenceEvents: true, metadata: { b: [1, 'two', null] } }, now)
  t.same(updated, await app.db.prisma.roamUser.findUniqueOrThrow({ where: { id: user.id } }), 'the row as Prisma reads it')
  t.match(updated, { description: 'before', geofenceEvents: true, metadata: { b: [1, 'two', null] }, updatedAt: now })
  const cleared = await store.updateUser(client.project_id, user.id, { description: null, metadata: null }, now)
  t.match(cleared, { description: null, metadata: null })

  t.equal(await store.updateUser(foreign.project_id, user.id, { description: 'x' }, now), undefined, 'another project\'s user is not found')
  await app.db.prisma.roamUser.update({ where: { id: user.id }, data: { isDeleted: true } })
  t.equal(await store.updateUser(client.project_id, user.id, { description: 'x' }, now), undefined, 'a deleted user is not found')
  t.equal((await app.db.prisma.roamUser.findUniqueOrThrow({ where: { id: user.id } })).description, null, 'nothing changed')
})

t.test('a key\'s principal until it is revoked', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const store = roamRepository(app.db)
  t.same(await store.principal(secretHash(client.api_key)), { projectId: client.project_id, accountId: client.account_id })
  t.equal(await store.principal(secretHash('nope')), undefined)
  await app.db.prisma.roamApiKey.update({ where: { id: client.key_id }, data: { revokedAt: new Date() } })
  t.equal(await store.principal(secretHash(client.api_key)), undefined)
})

t.test('update with versions is a compare-and-set: it lands only on one of them, and moves the version', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const store = roamRepository(app.db)
  const user = await app.db.prisma.roamUser.create({ data: { id: objectId(), projectId: client.project_id, appType: 1, deviceToken: 't' } })
  const prismaRow = () => app.db.prisma.roamUser.findUniqueOrThrow({ where: { id: user.id } })
  const now = new Date('2030-01-02T03:04:05.678Z')

  t.equal(await store.updateUser(client.project_id, user.id, { description: 'stale' }, now, [2, 3]), undefined, 'not the version')
  t.equal(await store.updateUser(client.project_id, user.id, { description: 'none' }, now, []), undefined, 'no version at all')
  t.same(await prismaRow(), user, 'nothing changed')

  const updated = await store.updateUser(client.project_id, user.id, { description: 'current' }, now, [7, user.version])
  t.same(updated, await prismaRow(), 'the row as Prisma reads it')
  t.match(updated, { description: 'current', version: user.version + 1 })
  t.match(await store.updateUser(client.project_id, user.id, {}, now), { version: user.version + 2 }, 'without versions too')
})
