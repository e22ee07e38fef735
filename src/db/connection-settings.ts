// The settings every connection to the database shares, whoever opens it: the app's own drivers (drivers.ts),
// Prisma's adapters (adapters.ts: migrations, the tests' client) and the LISTEN connection. Kept apart from the
// adapters so that a server whose database needs no migration never loads Prisma.
import { isConflictAbort } from './errors.js'
import type { DatabaseTarget } from './url.js'

/**
 * Set on every SQLite connection the adapter opens. busy_timeout first, so that switching to WAL waits for
 * a concurrent writer instead of failing. WAL persists in the file; the others are per connection, and the
 * adapter sets none of them. FULL: a committed write survives power loss, not only a crash of the process; its
 * fsync per commit is shared by concurrent writes (drivers.ts: group commit).
 */
export const SQLITE_PRAGMAS = { busy_timeout: 5000, journal_mode: 'wal', synchronous: 'full', foreign_keys: 'on' } as const

/** Postgres pool size per process: enough for concurrent requests, far below the server's 100 connections. */
export const POSTGRES_POOL_SIZE = 10

export interface ConnectionOptions {
  /** How long a SQLite statement waits for another connection's lock before failing (503); 5 s by default. */
  sqliteBusyTimeoutMs?: number
  /** Postgres migrations: the role to grant the server's rights to (*_app_role_per_database reads it). */
  appRole?: string
}

/**
 * Runs `statement` again, after yielding to the event loop, while SQLite answers SQLITE_BUSY (better-sqlite3's
 * code, or Prisma's adapter's error wrapping it), for up to `deadlineMs`; then the busy error goes on (503).
 */
export async function retryWhileBusy<T> (statement: () => T | Promise<T>, deadlineMs: number): Promise<T> {
  for (let delay = 0, waited = 0; ; waited += delay, delay = Math.min(2 * delay + 1, 20)) {
    try {
      return await statement()
    } catch (error) {
      if (!isBusy(error) || waited >= deadlineMs) throw error
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}

/**
 * Runs `work` again, up to three times in all, while Postgres aborts it to break a deadlock or a serialization
 * conflict (errors.ts: isConflictAbort), as Postgres' manual asks the application to. An Admin reset meets
 * requests this way: its TRUNCATE takes each table's exclusive lock in turn while a request's statement takes its
 * tables' shared locks in another order, and Postgres aborts one of the two.
 */
export async function retryConflicts<T> (work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (attempt === 3 || !isConflictAbort(error)) throw error
    }
  }
}

function isBusy (error: unknown): boolean {
  const { code, name, cause } = error as { code?: unknown, name?: unknown, cause?: { originalCode?: unknown } }
  return code === 'SQLITE_BUSY' || (name === 'DriverAdapterError' && cause?.originalCode === 'SQLITE_BUSY')
}

/** The pool settings of every Postgres connection: Prisma's adapter, the app's queries, its LISTEN connection. */
export function postgresPoolConfig ({ connectionString, schema }: Extract<DatabaseTarget, { provider: 'postgresql' }>, appRole?: string) {
  const settings = [
    // The adapter's `schema` only qualifies the tables of Prisma's own queries; raw SQL and migrations
    // name tables unqualified, so the connection's search_path must point at the schema as well.
    ...(schema === undefined ? [] : [`-c search_path="${schema}"`]),
    ...(appRole === undefined ? [] : [`-c tracker_users.app_role=${appRole}`])
  ]
  return {
    connectionString,
    max: POSTGRES_POOL_SIZE,
    connectionTimeoutMillis: 5_000, // an unreachable server fails the first query instead of hanging it
    idleTimeoutMillis: 30_000,
    ...(settings.length === 0 ? {} : { options: settings.join(' ') })
  }
}
