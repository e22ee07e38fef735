// Roam's repository (src/roam/repository.ts) against what Prisma reads from the same rows, on the provider
// under test: same rows, same tenant scoping, and pages counted and sought by the hours table its triggers keep.
import t from 'tap'
import { keyPrincipal, roamRepository } from '../../src/roam/repository.js'
import { objectId, secretHash } from '../../src/platform/secrets.js'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/client.js'
import { createRoamKey, revokeRoamKey } from '../../src/roam/keys.js'
import { build, roamClient } from '../helper.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'

t.test('page and total equal Prisma\'s count and findMany, group filter and past-the-end included', async (t) => {
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

t.test('pages counted by the hours equal the rows themselves, whatever the writes, the days and the offset', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const foreign = await roamClient(app, 'globex')
  const store = roamRepository(app.db)
  const seeking = roamRepository(app.db, { shortWalk: 0 }) // every page from its hour, as deep pages are
  const groups = [objectId(), objectId()]
  for (const id of groups) await store.createGroup({ id, projectId: client.project_id })
  const random = seeded(7)
  const base = Date.parse('2024-05-01T00:00:00.000Z')
  const ids: string[] = []
  for (let i = 0; i < 240; i++) {
    // Three days, some users at the same instant, some exactly on an hour, some before 1970.
    const createdAt = new Date(i % 40 === 0 ? base + (i % 7) * 3_600_000 : i === 1 ? Date.parse('1969-12-31T23:59:59.500Z') : base + Math.floor(random() * 3 * 86_400_000))
    const groupId = random() < 0.4 ? groups[Math.floor(random() * 2)]! : null
    const user = await store.createUser({ id: objectId(), projectId: client.project_id, appType: 1, deviceToken: `t${i}`, createdAt, updatedAt: createdAt, groupId })
    ids.push(user.id)
  }
  await store.createUser({ id: objectId(), projectId: foreign.project_id, appType: 1, deviceToken: 'x', createdAt: new Date(base), updatedAt: new Date(base) })
  const now = new Date(base)
  const removed = new Set(ids.filter(() => random() < 0.1))
  for (const id of removed) await store.removeUser(client.project_id, id, now) // out of their hours
  const moved = ids.filter((id, i) => i % 9 === 4 && !removed.has(id) && id !== ids[1]).slice(0, 20)
  t.equal(await store.addToGroup(client.project_id, groups[1]!, moved, now), moved.length, 'users moved between groups')
  await store.removeUser(client.project_id, ids[1]!, now)

  const hour = 3_600_000
  const ranges = [
    [base - 10 * 86_400_000, base + 10 * 86_400_000], // every user of 2024
    [Date.parse('0001-01-01T00:00:00Z'), Date.parse('9999-12-31T23:59:59.999Z')], // no dates
    [base + hour, base + 2 * hour], // one whole hour
    [base + 90_000, base + 2_000_000], // inside one hour
    [base - 330 * 60_000, base + 2 * 86_400_000 - 330 * 60_000], // two days east of UTC (+05:30)
    ...Array.from({ length: 12 }, () => {
      const from = base - hour + Math.floor(random() * 3 * 86_400_000)
      return [from, from + Math.floor(random() * 2 * 86_400_000)]
    })
  ]
  for (const [from, until] of ranges) {
    for (const groupId of [undefined, ...groups]) {
      const where = { projectId: client.project_id, isDeleted: false, groupId, createdAt: { gte: new Date(from!), lt: new Date(until!) } }
      const total = await app.db.prisma.roamUser.count({ where })
      for (const offset of new Set([0, 7, Math.floor(random() * total), Math.max(0, total - 3), total, total + 10])) {
        const expected = await app.db.prisma.roamUser.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: offset, take: 10 })
        for (const [walk, repository] of [['walked to', store], ['sought', seeking]] as const) {
          const actual = await repository.page({ projectId: client.project_id, from: new Date(from!), until: new Date(until!), groupId, offset, limit: 10 })
          if (!t.same(actual, { users: expected, total }, `${new Date(from!).toISOString()}..${new Date(until!).toISOString()}, group ${groupId ?? 'any'}, offset ${offset}, ${walk}`)) return
        }
      }
    }
  }
})

t.test('group adds and creates at the same moment all land, and the hours still count them right', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const store = roamRepository(app.db)
  const groups = [objectId(), objectId()]
  for (const id of groups) await store.createGroup({ id, projectId: client.project_id })
  const base = Date.parse('2024-05-01T00:00:00.000Z')
  // Twelve adds in two kinds, each kind meeting its users' two hours in the other's order (the hours' rows are
  // taken per statement in key order on Postgres, so that two adds cannot each hold the hour the other needs next).
  const hour = (h: number) => new Date(base + h * 3_600_000)
  const users: string[][] = Array.from({ length: 12 }, () => [])
  for (let i = 0; i < 240; i++) {
    const add = i % 12
    const createdAt = hour((Math.floor(i / 12) + add) % 2) // even adds: hour 0, 1, 0, …; odd adds: 1, 0, 1, …
    users[add]!.push((await store.createUser({ id: objectId(), projectId: client.project_id, appType: 1, deviceToken: `t${i}`, createdAt, updatedAt: createdAt })).id)
  }
  const adds = users.map((ids, add) => store.addToGroup(client.project_id, groups[add % 2]!, ids, new Date(base)))
  const creates = Array.from({ length: 12 }, (_, i) =>
    store.createUser({ id: objectId(), projectId: client.project_id, appType: 1, deviceToken: `n${i}`, groupId: groups[i % 2], createdAt: new Date(base + i * 3_600_000), updatedAt: new Date(base) }))
  const settled = await Promise.allSettled([...adds, ...creates])
  t.same(settled.filter((outcome) => outcome.status === 'rejected'), [], 'none failed')
  const from = new Date(base - 86_400_000)
  const until = new Date(base + 86_400_000)
  for (const groupId of [undefined, ...groups]) {
    const total = await app.db.prisma.roamUser.count({ where: { projectId: client.project_id, isDeleted: false, groupId, createdAt: { gte: from, lt: until } } })
    t.equal((await store.page({ projectId: client.project_id, from, until, groupId, offset: 0, limit: 10 })).total, total, `group ${groupId ?? 'any'}: ${total}`)
    // Written from many connections at once: on Postgres the hours' counts are in several shards, summed to seek.
    const seeking = roamRepository(app.db, { shortWalk: 0 })
    for (const offset of [5, Math.floor(total / 2), total - 1]) {
      const where = { projectId: client.project_id, isDeleted: false, groupId, createdAt: { gte: from, lt: until } }
      const expected = await app.db.prisma.roamUser.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: offset, take: 10 })
      t.same((await seeking.page({ projectId: client.project_id, from, until, groupId, offset, limit: 10 })).users, expected, `group ${groupId ?? 'any'}, offset ${offset}, sought`)
    }
  }
  if (app.db.provider === 'postgresql') {
    const [{ shards }] = await app.db.prisma.$queryRaw<Array<{ shards: number }>>`SELECT count(DISTINCT shard)::int AS shards FROM roam_user_hours`
    t.ok(shards > 1, `the counts are in ${shards} shards`)
  }
})

/** The same sequence every run (mulberry32). */
function seeded (seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let n = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    n = (n + Math.imul(n ^ (n >>> 7), 61 | n)) ^ n
    return ((n ^ (n >>> 14)) >>> 0) / 4294967296
  }
}

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

t.test('Postgres: roam_key_principal() answers as the statement it mirrors', async (t) => {
  if (testProvider() !== 'postgresql') return t.plan(0, 'the function is Postgres\' own; SQLite runs the statement itself')
  const owner = await openDatabase(await testDatabaseUrl(t), { prisma: true })
  t.teardown(() => owner.close())
  const live = await createRoamKey(owner, 'acme')
  const second = await createRoamKey(owner, 'acme', live.project_id)
  const revoked = await createRoamKey(owner, 'globex')
  await revokeRoamKey(owner, revoked.key_id)
  for (const [label, key] of [['a key', live.api_key], ['a second key of the project', second.api_key], ['a revoked key', revoked.api_key], ['no such key', 'none']] as const) {
    const mirrored = await keyPrincipal(owner.query, secretHash(key)).execute()
    const { rows: answered } = await sql`SELECT "projectId", "accountId" FROM roam_key_principal(${secretHash(key)})`.execute(owner.query)
    t.same(answered, mirrored, label)
  }
})
