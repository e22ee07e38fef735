// Applies prisma/migrations/<provider> to the database of a URL, like `prisma migrate deploy`: the same
// `_prisma_migrations` bookkeeping, so either tool can take over; migrations already applied are skipped.
import { adapterFor } from './adapters.js'
import { prepareSqliteFile } from './sqlite-file.js'
import { NO_FILTER, readMigrations, withSchemaEngine } from './schema-engine.js'
import { parseDatabaseUrl, type DatabaseTarget } from './url.js'

export async function migrate (url?: string): Promise<{ applied: string[] }> {
  const target = parseDatabaseUrl(url)
  await prepare(target)
  const migrationsList = await readMigrations(target.provider)
  if (migrationsList.migrationDirectories.length === 0) throw new Error(`no migrations in ${migrationsList.baseDir}`)
  return withSchemaEngine(adapterFor(target), undefined, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER })
    return { applied: appliedMigrationNames }
  })
}

/** What must exist before the first connection: the SQLite file's directory, the Postgres schema. */
async function prepare (target: DatabaseTarget): Promise<void> {
  if (target.provider === 'sqlite') {
    if (target.file !== ':memory:') await prepareSqliteFile(target.file)
    return
  }
  if (target.schema === undefined) return
  // A connection without the search_path: the schema it would point at may not exist yet.
  const adapter = await adapterFor({ ...target, schema: undefined }).connect()
  try {
    await adapter.executeScript(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`)
  } finally {
    await adapter.dispose()
  }
}
