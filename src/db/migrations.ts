// Which migrations there are and which a database lacks, read without Prisma's schema engine: a server whose
// database needs none never loads the engine's WebAssembly and Prisma's adapters (migrate.ts), which cost a
// start about 300 ms and 15 MB of memory (measured on SQLite).
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { PACKAGE_ROOT } from '../platform/package-root.js'
import type { Database } from './client.js'
import { SqliteDriver } from './drivers.js'
import { isDatabaseUnavailable } from './errors.js'
import { sqliteQuery } from './query.js'
import type { Provider } from './url.js'

/** Why migrating cannot go on, in one line naming the cause and the way out. */
export class MigrationError extends Error {}

/** Directory names under prisma/migrations/ and generated/prisma/. */
export const PROVIDER_DIRECTORY: Record<Provider, string> = { sqlite: 'sqlite', postgresql: 'postgres' }

export function migrationsDirectory (provider: Provider): string {
  return join(PACKAGE_ROOT, 'prisma/migrations', PROVIDER_DIRECTORY[provider])
}

/** The provider's migrations, and those of them the database has not (successfully) applied; oldest first. */
export async function migrationState ({ provider, query }: Pick<Database, 'provider' | 'query'>): Promise<{ expected: string[], pending: string[] }> {
  const applied = new Set(await appliedMigrations(query))
  const entries = await readdir(migrationsDirectory(provider), { withFileTypes: true })
  const expected = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
  return { expected, pending: expected.filter((name) => !applied.has(name)) }
}

async function appliedMigrations (query: Database['query']): Promise<string[]> {
  try {
    const { rows } = await sql<{ migrationName: string }>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`.execute(query)
    return rows.map((row) => row.migrationName)
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error // lost meanwhile: unreachable, not unmigrated
    return [] // no bookkeeping table yet: nothing was ever migrated
  }
}

/** A database that lacks migrations cannot be used: what to run (`then`: what to do after). */
export function unmigrated (pending: readonly string[], then: string): MigrationError {
  return new MigrationError(`the database lacks ${pending.length} migration(s), from ${pending[0]}: run \`tracker-users migrate\` with DATABASE_URL of the tables' owner, then ${then}`)
}

/**
 * Whether the SQLite file has every migration already, which one read tells: the embedded database is migrated
 * wherever it is opened (the server, every command), and only when this is false does migrate() need loading.
 * Anything amiss with the file (absent, unreadable, locked) answers false, for migrate() to create the file or
 * say what is wrong.
 */
export async function sqliteFileMigrated (file: string): Promise<boolean> {
  if (!existsSync(file)) return false
  try {
    const sqlite = new SqliteDriver(file)
    try {
      const { pending } = await migrationState({ provider: 'sqlite', query: sqliteQuery(sqlite) })
      return pending.length === 0
    } finally {
      sqlite.close()
    }
  } catch {
    return false
  }
}
