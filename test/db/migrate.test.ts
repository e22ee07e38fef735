// migrate() on an empty database of the provider under test: applies prisma/migrations/<provider> with the
// bookkeeping `prisma migrate deploy` keeps, and applies nothing twice.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/client.js'
import { migrate } from '../../src/db/migrate.js'
import { migrationsDirectory } from '../../src/db/migrations.js'
import { TEST_APP_ROLE, testDatabaseUrl, testProvider } from '../helpers/database.js'

const migrations = (provider: 'sqlite' | 'postgresql') =>
  readdirSync(migrationsDirectory(provider), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()

// Hand-written migrations of one provider only (Postgres' roles and row-level security) say so on their first line.
const postgresOnly = (name: string) =>
  readFileSync(join(migrationsDirectory('postgresql'), name, 'migration.sql'), 'utf8').startsWith('-- Postgres only')

t.test('both providers have the same migrations of the model', async (t) => {
  t.ok(migrations('sqlite').length > 0)
  t.same(migrations('postgresql').filter((name) => !postgresOnly(name)), migrations('sqlite'))
})

t.test('migrate applies every migration once', async (t) => {
  const url = await testDatabaseUrl(t, { migrate: false })
  t.same(await migrate(url, { appRole: TEST_APP_ROLE }), { applied: migrations(testProvider()) }, 'first run applies all')
  t.same(await migrate(url, { appRole: TEST_APP_ROLE }), { applied: [] }, 'second run is a no-op')

  const db = await openDatabase(url, { prisma: true })
  t.teardown(() => db.close())
  const rows = await db.prisma.$queryRaw<Array<{ migration_name: string, finished: boolean, rolled_back: boolean, steps: number | bigint }>>`
    SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back, applied_steps_count AS steps
    FROM _prisma_migrations ORDER BY migration_name`
  t.same(rows.map((r) => r.migration_name), migrations(testProvider()), '_prisma_migrations has one row per migration')
  t.ok(rows.every((r) => Boolean(r.finished) && !r.rolled_back && Number(r.steps) === 1), 'all finished, none rolled back')
  t.equal(await db.prisma.plaspyUser.count(), 0, 'the tables exist')

  if (db.provider === 'postgresql') {
    const schema = new URL(url).searchParams.get('schema')
    const [row] = await db.prisma.$queryRaw<Array<{ tables: number | bigint }>>`
      SELECT count(*) AS tables FROM information_schema.tables WHERE table_schema = ${schema} AND table_name = 'plaspy_users'`
    t.equal(Number(row!.tables), 1, 'the tables are in the ?schema= schema')
  }
})

t.test('migrate refuses an unknown URL without touching anything', async (t) => {
  await t.rejects(migrate('mysql://localhost/x'), { message: /DATABASE_URL must be/ })
})
