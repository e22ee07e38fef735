// Row-level security on Postgres (migration row_level_security, src/db/tenant.ts): through the server's own
// connection, a query that forgets its tenant filter still sees, changes and creates nothing of another tenant.
// Two Roam projects and two Plaspy accounts, A and B, each with a row in every table.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { openDatabase, type Database } from '../../src/db/client.js'
import type { Tenant } from '../../src/db/tenant.js'
import { createLogin } from '../../src/plaspy/logins.js'
import { objectId, prefixedId, secretHash } from '../../src/platform/secrets.js'
import { createRoamKey } from '../../src/roam/keys.js'
import { roamRepository } from '../../src/roam/repository.js'
import { plaspyRepository } from '../../src/plaspy/repository.js'
import { serverDatabaseUrl, testDatabaseUrl, testProvider } from '../helpers/database.js'

if (testProvider() === 'postgresql') await rowLevelSecurity()
else t.plan(0, 'Postgres only: SQLite has no roles') // npm run test:postgres runs it

/** Every table, the primary key of its rows, and whether the server's role may read it at all. */
const TABLES = {
  roam_accounts: { key: 'id', readable: false },
  roam_projects: { key: 'id', readable: false },
  roam_api_keys: { key: 'id', readable: false },
  roam_users: { key: 'id', readable: true },
  roam_groups: { key: 'id', readable: true },
  roam_user_hours: { key: 'project_id', readable: true },
  plaspy_accounts: { key: 'id', readable: false },
  plaspy_users: { key: 'id', readable: true },
  plaspy_api_keys: { key: 'id', readable: true },
  plaspy_tokens: { key: 'id', readable: true },
  plaspy_usage: { key: 'user_id', readable: false }
} as const

type Table = keyof typeof TABLES
type Rows = Record<Table, string[]>

/** One tenant of each dialect, a row of it in every table (made by the owner, as the CLI would). */
async function seed (owner: Database, name: string) {
  const { prisma } = owner
  const roam = await createRoamKey(owner, `roam ${name}`)
  const roamUser = await prisma.roamUser.create({ data: { id: objectId(), projectId: roam.project_id, appType: 1, deviceToken: name } })
  const roamGroup = await prisma.roamGroup.create({ data: { id: objectId(), projectId: roam.project_id } })
  const login = await createLogin(owner, { accountName: `plaspy ${name}`, userName: `user-${name}`, email: `${name}@example.com` })
  const user = await prisma.plaspyUser.findUniqueOrThrow({ where: { id: login.user_id }, include: { apiKeys: true } })
  const token = `token-${name}`
  const tokenRow = await prisma.plaspyToken.create({
    data: { id: prefixedId('tok'), userId: user.id, apiKeyId: user.apiKeys[0]!.id, tokenHash: secretHash(token), expiresAt: new Date('2100-01-01') }
  })
  await prisma.plaspyUsage.create({ data: { userId: user.id, day: '2026-01-01', total: 1, daily: 1 } })
  const rows: Rows = {
    roam_accounts: [roam.account_id],
    roam_projects: [roam.project_id],
    roam_api_keys: [roam.key_id],
    roam_users: [roamUser.id],
    roam_groups: [roamGroup.id],
    roam_user_hours: [roam.project_id], // the user's hour, kept by the trigger
    plaspy_accounts: [user.accountId],
    plaspy_users: [user.id],
    plaspy_api_keys: [user.apiKeys[0]!.id],
    plaspy_tokens: [tokenRow.id],
    plaspy_usage: [user.id]
  }
  return { roam, login, token, rows, tenant: (table: Table): Tenant => table.startsWith('roam') ? { roamProject: roam.project_id } : { plaspyAccount: user.accountId } }
}

/** A tenant's rows of `table` by the query that forgets the filter, through the server's hot-path driver. */
function unfiltered (server: Database, table: Table): Promise<string[]> {
  if (server.driver.provider !== 'postgresql') throw new Error('Postgres only')
  return server.driver.postgres.execute<{ key: string }>(`SELECT ${TABLES[table].key} AS key FROM ${table}`, [])
    .then(({ rows }) => rows.map((row) => row.key))
}

async function rowLevelSecurity () {
  const url = await testDatabaseUrl(t)
  const owner = await openDatabase(url, { prisma: true })
  t.teardown(() => owner.close())
  const server = await openDatabase(await serverDatabaseUrl(url), { prisma: true })
  t.teardown(() => server.close())
  const a = await seed(owner, 'a')
  const b = await seed(owner, 'b')

  t.test('the server\'s role owns no table, is no superuser, cannot bypass row-level security', async (t) => {
    const [role] = await server.prisma.$queryRaw<Array<{ rolsuper: boolean, rolbypassrls: boolean }>>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`
    t.same(role, { rolsuper: false, rolbypassrls: false })
    const tables = await server.prisma.$queryRaw<Array<{ tablename: string, owned: boolean, rls: boolean }>>`
      SELECT tablename, pg_has_role(current_user, tableowner, 'MEMBER') AS owned, rowsecurity AS rls
      FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`
    t.same(tables.filter((table) => table.owned), [], 'owns none, not even through a role')
    t.same(tables.filter((table) => table.rls).map((table) => table.tablename), Object.keys(TABLES).sort(), 'every table but _prisma_migrations has policies')
  })

  t.test('a query without its tenant filter sees only its tenant\'s rows', async (t) => {
    for (const [table, { readable }] of Object.entries(TABLES) as Array<[Table, typeof TABLES[Table]]>) {
      if (!readable) {
        await t.rejects(server.asTenant(a.tenant(table), () => unfiltered(server, table)), { code: '42501' }, `${table}: not the server's to read at all`)
        continue
      }
      t.same(await server.asTenant(a.tenant(table), () => unfiltered(server, table)), a.rows[table], `${table}, A: A's rows`)
      t.same(await server.asTenant(b.tenant(table), () => unfiltered(server, table)), b.rows[table], `${table}, B: B's rows`)
      t.same(await unfiltered(server, table), [], `${table}, outside any tenant: nothing`)
    }
  })

  t.test('Prisma\'s queries are scoped the same way', async (t) => {
    const { prisma } = server
    const roam = { roamProject: a.roam.project_id }
    t.same((await server.asTenant(roam, () => prisma.roamUser.findMany())).map((user) => user.id), a.rows.roam_users)
    t.same((await server.asTenant(roam, () => prisma.roamGroup.findMany())).map((group) => group.id), a.rows.roam_groups)
    const plaspy = a.tenant('plaspy_users')
    t.same((await server.asTenant(plaspy, () => prisma.plaspyUser.findMany())).map((user) => user.id), a.rows.plaspy_users)
    t.same(await server.asTenant(plaspy, () => prisma.plaspyToken.count()), 1)
    t.same(await prisma.plaspyUser.count(), 0, 'outside any tenant: nothing')
    // One interactive transaction holds one connection: it is set once, when it starts.
    const inTransaction = await server.asTenant(roam, () => prisma.$transaction(async (tx) => [await tx.roamUser.count(), await tx.roamGroup.count()]))
    t.same(inTransaction, [1, 1])
  })

  t.test('tenants taking turns on the same connections never see each other', async (t) => {
    const turns = Array.from({ length: 40 }, (_, i) => i % 2 === 0 ? a : b)
    const seen = await Promise.all(turns.map((tenant) => server.asTenant(tenant.tenant('roam_users'), () => unfiltered(server, 'roam_users'))))
    t.same(seen, turns.map((tenant) => tenant.rows.roam_users))
  })

  t.test('a write without its tenant filter changes and creates nothing of another tenant', async (t) => {
    const plaspy = a.tenant('plaspy_users')
    const [updated] = await server.asTenant(plaspy, () => server.prisma.$executeRaw`UPDATE plaspy_users SET description = 'changed'`.then((n) => [n]))
    t.equal(updated, 1, 'A\'s one user')
    const descriptions = await owner.prisma.plaspyUser.findMany({ select: { id: true, description: true }, orderBy: { id: 'asc' } })
    t.same(descriptions.filter((user) => user.description === 'changed').map((user) => user.id), a.rows.plaspy_users)
    await t.rejects(server.asTenant(plaspy, () => server.prisma.plaspyUser.create({
      data: { id: prefixedId('usr'), accountId: b.rows.plaspy_accounts[0]!, name: 'N', email: 'n@example.com', country: 'US', timeZone: 'UTC', privileges: [] }
    })), 'a row for B, made in A, is refused')
    t.equal(await owner.prisma.plaspyUser.count(), 2, 'and was not made')
    const deleted = await server.asTenant(plaspy, () => server.prisma.plaspyUser.deleteMany({ where: { id: b.login.user_id } }))
    t.equal(deleted.count, 0, 'B\'s user cannot be deleted from A, even by id')
  })

  t.test('requests of two tenants at the same moment each see their own', async (t) => {
    const app = await buildApp({ databaseUrl: await serverDatabaseUrl(url) })
    t.teardown(() => app.close())
    const tokens = await Promise.all([a, b].map((tenant) => app.inject({
      method: 'POST', url: '/api/Auth/Token', payload: { userName: tenant.login.userName, apiKey: tenant.login.api_key }
    })))
    t.same(tokens.map((response) => response.statusCode), [200, 200], 'signed in, both')
    const users = await Promise.all([a, b].map((tenant) => app.inject({
      url: `/v1/api/user/?user_id=${tenant.rows.roam_users[0]}`, headers: { 'api-key': tenant.roam.api_key }
    })))
    t.same(users.map((response) => response.json().data.users?.[0]?.id ?? response.statusCode), [a.rows.roam_users[0], b.rows.roam_users[0]])
  })

  t.test('credentials are looked up across tenants, each by the hash presented and nothing else', async (t) => {
    const principal = (hash: string) => roamRepository(server).principal(hash)
    t.same(await server.asTenant(a.tenant('roam_users'), () => principal(secretHash(b.roam.api_key))),
      { projectId: b.roam.project_id, accountId: b.roam.account_id }, 'B\'s key, inside A')
    t.equal(await principal(secretHash('no such key')), undefined)
    const account = (hash: string) => plaspyRepository(server).keyAccount(hash)
    t.equal(await server.asTenant(a.tenant('plaspy_users'), () => account(secretHash(b.login.api_key))), b.rows.plaspy_accounts[0], 'B\'s key, inside A')
    t.equal(await account(secretHash('no such key')), undefined)
  })
}
