// What a database lacks, read without the schema engine: readiness, the server's start and the commands rely on it,
// and a SQLite file found complete is not migrated again (so the start never loads Prisma's engine).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { sql } from 'kysely'
import t from 'tap'
import { openDatabase } from '../../src/db/client.js'
import { migrate } from '../../src/db/migrate.js'
import { migrationState, sqliteFileMigrated, unmigrated } from '../../src/db/migrations.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'

t.test('migrationState: every migration pending before migrating, none after; a removed record is pending again', async (t) => {
  const url = await testDatabaseUrl(t, { migrate: false })
  const unmigratedDb = await openDatabase(url)
  const before = await migrationState(unmigratedDb)
  await unmigratedDb.close() // SQLite migrates a file no one else has open
  t.ok(before.expected.length > 0)
  t.same(before.pending, before.expected, 'no bookkeeping table yet: all pending')
  await migrate(url)
  const db = await openDatabase(url)
  t.teardown(() => db.close())
  t.same(await migrationState(db), { expected: before.expected, pending: [] })
  const last = before.expected.at(-1)!
  await sql`UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = ${last}`.execute(db.query)
  t.same((await migrationState(db)).pending, [last], 'one not finished: that one is pending')
  t.equal(unmigrated([last], 'start again').message,
    `the database lacks 1 migration(s), from ${last}: run \`tracker-users migrate\` with DATABASE_URL of the tables' owner, then start again`)
})

t.test('sqliteFileMigrated: true only for a file with every migration applied', { skip: testProvider() !== 'sqlite' && 'SQLite only' }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tracker-users-migrations-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'app.db')
  t.equal(await sqliteFileMigrated(file), false, 'absent')
  await writeFile(file, '')
  t.equal(await sqliteFileMigrated(file), false, 'empty')
  await migrate(`file:${file}`)
  t.equal(await sqliteFileMigrated(file), true, 'migrated')
  const sqlite = new Sqlite(file)
  sqlite.prepare('DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)').run()
  sqlite.close()
  t.equal(await sqliteFileMigrated(file), false, 'one migration not recorded')
  await writeFile(file, 'not a database, but 100 bytes of something else entirely: the check must not throw on it....')
  t.equal(await sqliteFileMigrated(file), false, 'not a database: left for migrate() to explain')
})
