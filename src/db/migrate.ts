// Applies prisma/migrations/<provider> to the database of a URL, like `prisma migrate deploy`: the same
// `_prisma_migrations` bookkeeping, so either tool can take over; migrations already applied are skipped.
// Prisma's schema engine and adapters load with this module: the server imports it only when its SQLite file
// lacks a migration (migrations.ts).
import { adapterFor } from './adapters.js'
import { MigrationError } from './migrations.js'
import { prepareSqliteFile } from './sqlite-file.js'
import { NO_FILTER, readMigrations, withSchemaEngine } from './schema-engine.js'
import { IN_MEMORY, parseDatabaseUrl, type DatabaseTarget } from './url.js'

/** A plain role name: it goes into a connection setting and, quoted, into SQL. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export interface MigrateOptions {
  /** Postgres: the role the server's login is to be a member of; unset: tracker_users_<database>_<schema>. */
  appRole?: string
}

export async function migrate (url?: string, { appRole }: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const target = parseDatabaseUrl(url)
  if (appRole !== undefined && !ROLE_NAME.test(appRole)) {
    throw new MigrationError(`the app role must be a plain lower-case name (letters, digits, _; at most 63), got "${appRole}"`)
  }
  await prepare(target)
  const migrationsList = await readMigrations(target.provider)
  if (migrationsList.migrationDirectories.length === 0) throw new Error(`no migrations in ${migrationsList.baseDir}`)
  return withSchemaEngine(adapterFor(target, { appRole }), undefined, async (engine) => {
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER })
      return { applied: appliedMigrationNames }
    } catch (error) {
      throw fileInUse(error, target) ?? migrationFailure(error) ?? error
    }
  })
}

/**
 * `prisma migrate resolve`, on the same `_prisma_migrations` table: a failed migration marked rolled back is tried
 * again by the next migrate; one marked applied (its changes made by hand) is skipped.
 */
export async function resolveMigration (url: string | undefined, name: string, as: 'rolled-back' | 'applied'): Promise<{ resolved: string, as: string }> {
  const target = parseDatabaseUrl(url)
  const migrationsList = await readMigrations(target.provider)
  if (!migrationsList.migrationDirectories.some((directory) => directory.path === name)) {
    throw new MigrationError(`there is no migration "${name}" in ${migrationsList.baseDir}`)
  }
  return withSchemaEngine(adapterFor(target), undefined, async (engine) => {
    try {
      if (as === 'rolled-back') await engine.markMigrationRolledBack({ migrationName: name })
      else await engine.markMigrationApplied({ migrationName: name, migrationsList })
    } catch (error) {
      throw fileInUse(error, target) ?? new MigrationError(`cannot mark ${name} ${as}: ${firstLine(error)}`, { cause: error })
    }
    return { resolved: name, as }
  })
}

/** Why migrating stopped, in one line naming the cause and the way out: not a failure to reach the database. */

/**
 * The schema engine holds a SQLite file in exclusive locking mode, which it cannot get while another connection has
 * used the file (a running server, a sqlite3 shell): after the busy wait, its error names an error kind it does not
 * know (`SocketTimeout`, the adapter's word for SQLITE_BUSY). The engine fails before it records anything.
 */
function fileInUse (error: unknown, target: DatabaseTarget): MigrationError | undefined {
  if (target.provider !== 'sqlite' || !/`SocketTimeout`|database is locked/.test(String((error as Error).message ?? error))) return undefined
  return new MigrationError(`${target.file} is in use by another process (a running server, a sqlite3 shell) and SQLite migrations need it alone: stop that process, then run this again`, { cause: error })
}

/**
 * The schema engine's errors, which carry a Rust backtrace, in one line. Each migration's script runs as one
 * transaction (src/db/adapters.ts: wholeScripts, atomicScripts), so a failed one left nothing behind.
 */
function migrationFailure (error: unknown): MigrationError | undefined {
  const message = String((error as Error).message ?? error)
  const retry = (name: string) => `fix the cause, then run \`tracker-users migrate resolve --rolled-back ${name}\` and \`tracker-users migrate\` again`
  const failedNow = /migration_name="([^"]+)"/.exec(message)?.[1]
  const reason = /ERROR: ([^\n]+)/.exec(message)?.[1] ?? /Error querying the database: ([^\n]+)/.exec(message)?.[1]
  if (failedNow !== undefined) {
    const hint = /permission denied to create role/.test(reason ?? '') ? ' (the owner needs CREATEROLE, or a DBA makes the app role first: CREATE ROLE <name> NOLOGIN)' : ''
    return new MigrationError(`migration ${failedNow} failed: ${reason ?? firstLine(error)}${hint}; nothing of it was applied: ${retry(failedNow)}`, { cause: error })
  }
  const failedBefore = /The `([^`]+)` migration started at .* failed/.exec(message)?.[1]
  if (failedBefore !== undefined) {
    return new MigrationError(`migration ${failedBefore} failed in an earlier run and blocks the others: ${retry(failedBefore)} (or \`--applied\` if you completed it by hand)`, { cause: error })
  }
  return undefined
}

function firstLine (error: unknown): string {
  return String((error as Error).message ?? error).split('\n').find((line) => line.trim() !== '')?.trim() ?? 'unknown error'
}

/** What must exist before the first connection: the SQLite file's directory, the Postgres schema. */
async function prepare (target: DatabaseTarget): Promise<void> {
  if (target.provider === 'sqlite') {
    if (target.file !== IN_MEMORY) await prepareSqliteFile(target.file)
    return
  }
  if (target.schema === undefined) return
  // A connection without the search_path: the schema it would point at may not exist yet.
  const adapter = await adapterFor({ ...target, schema: undefined }).connect()
  try {
    // Looked up first: CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database, which the owner of an
    // existing schema need not have.
    const found = await adapter.queryRaw({ sql: 'SELECT 1 FROM pg_namespace WHERE nspname = $1', args: [target.schema], argTypes: [{ scalarType: 'string', arity: 'scalar' }] })
    if (found.rows.length === 0) await adapter.executeScript(`CREATE SCHEMA "${target.schema}"`)
  } finally {
    await adapter.dispose()
  }
}
