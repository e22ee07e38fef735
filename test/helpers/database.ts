// A database of the test's own, migrated and removed when the test ends. tap runs test files in parallel,
// one process each, so nothing written may be shared: SQLite gets a temporary file (a copy of a migrated template
// no test writes), Postgres a random schema.
// TEST_DATABASE=postgres selects Postgres (TEST_DATABASE_URL, default the local server's `test` database).
import { createHash, randomBytes } from 'node:crypto'
import { copyFile, mkdtemp, rename, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import type { Test } from 'tap'
import { migrate } from '../../src/db/migrate.js'
import { readMigrations } from '../../src/db/schema-engine.js'
import { parseDatabaseUrl } from '../../src/db/url.js'

export type TestProvider = 'sqlite' | 'postgresql'

export function testProvider (): TestProvider {
  const chosen = process.env.TEST_DATABASE ?? 'sqlite'
  if (chosen === 'sqlite' || chosen === '') return 'sqlite'
  if (chosen === 'postgres' || chosen === 'postgresql') return 'postgresql'
  throw new Error(`TEST_DATABASE must be sqlite or postgres, got "${chosen}"`)
}

/**
 * The URL of a fresh, migrated database for `t`. `{ migrate: false }` leaves it empty (migration tests).
 * With TEST_DATABASE=postgres an unreachable server fails the test: a skipped Postgres run would look green.
 */
export async function testDatabaseUrl (t: Test, options: { migrate?: boolean } = {}): Promise<string> {
  if (testProvider() === 'sqlite') {
    const file = await sqliteFile(t)
    if (options.migrate !== false) await copyFile(await migratedSqliteTemplate(), file)
    return `file:${file}`
  }
  const url = await postgresUrl(t)
  if (options.migrate !== false) await migrate(url, { appRole: TEST_APP_ROLE })
  return url
}

let sqliteTemplate: Promise<string> | undefined

/**
 * A SQLite file migrated once for every test process of a run, named by the migrations' contents so that a changed
 * migration makes a new one. Copying it costs a millisecond; migrating costs 50-80 ms, a process's first about 200
 * ms (Prisma's schema engine is WebAssembly, compiled on first use). test/db/migrate.test.ts and test/cli.test.ts
 * migrate for real.
 */
function migratedSqliteTemplate (): Promise<string> {
  sqliteTemplate ??= (async () => {
    const migrations = JSON.stringify(await readMigrations('sqlite'))
    const file = join(tmpdir(), `tracker-users-test-template-${createHash('sha256').update(migrations).digest('hex').slice(0, 16)}.db`)
    if (await stat(file).then(() => true, () => false)) return file
    // Made aside and renamed into place: processes that start together each make one, and the last rename wins.
    const dir = await mkdtemp(join(tmpdir(), 'tracker-users-test-'))
    try {
      await migrate(`file:${join(dir, 'template.db')}`)
      await rename(join(dir, 'template.db'), file)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    return file
  })()
  return sqliteTemplate
}

/**
 * The role every test schema grants the server's rights to (`migrate --app-role`), and the login the servers under
 * test use, a member of it as a deployment's is (README). One for all schemas: roles belong to the whole cluster,
 * and one per schema would pile up there (test/db/app-role.test.ts covers the default, a role per schema).
 */
export const TEST_APP_ROLE = 'tracker_users_test_app'
const SERVER_LOGIN = 'tracker_users_test_server'
let serverLogin: Promise<void> | undefined

/**
 * What the server under test connects with, for a database `url` made by testDatabaseUrl: on Postgres
 * SERVER_LOGIN, which owns nothing and is bound by row-level security (`url`'s user, the tables' owner and a
 * superuser, is not); on SQLite, which has no roles, `url` itself. `url` stays the owner's: migrations, the CLI,
 * and tests looking behind the API.
 */
export async function serverDatabaseUrl (url: string): Promise<string> {
  if (parseDatabaseUrl(url).provider === 'sqlite') return url
  const server = new URL(url)
  server.searchParams.delete('schema')
  // Roles belong to the whole cluster, and test files run in parallel: whoever comes second finds it made
  // (duplicate_object, or unique_violation at the same moment).
  // GRANT as well as IN ROLE: a login left by an older run may be a member of another role only.
  serverLogin ??= sql(server.href, `CREATE ROLE ${SERVER_LOGIN} LOGIN PASSWORD '${SERVER_LOGIN}' IN ROLE ${TEST_APP_ROLE}`)
    .catch((error: { cause?: { originalCode?: string } }) => {
      if (!['42710', '23505'].includes(error.cause?.originalCode ?? '')) throw error
      return sql(server.href, `GRANT ${TEST_APP_ROLE} TO ${SERVER_LOGIN}`).catch(() => {}) // granted meanwhile: fine
    })
  await serverLogin
  const login = new URL(url)
  login.username = login.password = SERVER_LOGIN
  return login.href
}

async function sqliteFile (t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tracker-users-test-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return join(dir, 'test.db')
}

async function postgresUrl (t: Test): Promise<string> {
  const server = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
  const schema = `t_${randomBytes(6).toString('hex')}`
  await sql(server, `CREATE SCHEMA "${schema}"`).catch((error: Error) => {
    throw new Error(`TEST_DATABASE=postgres, but Postgres at ${new URL(server).host} is not usable: ${error.message}`, { cause: error })
  })
  t.teardown(() => sql(server, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
  const url = new URL(server)
  url.searchParams.set('schema', schema)
  return url.href
}

/** One statement on a short-lived connection, through the adapter the app uses (no second pg setup). */
async function sql (url: string, statement: string): Promise<void> {
  const adapter = await new PrismaPg({ connectionString: url, max: 1, connectionTimeoutMillis: 5_000 }).connect()
  try {
    await adapter.executeScript(statement)
  } finally {
    await adapter.dispose()
  }
}
