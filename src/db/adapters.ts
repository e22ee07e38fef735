// Driver adapters: how Prisma 7 reaches each database (no native engine). The client and the schema
// engine both take their connections from here, so migrations run with the same settings as queries.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import type { DatabaseTarget } from './url.js'

/**
 * Set on every SQLite connection the adapter opens. busy_timeout first, so that switching to WAL waits for
 * a concurrent writer instead of failing. WAL persists in the file; the others are per connection, and the
 * adapter sets none of them. FULL: a committed write survives power loss, not only a crash of the process.
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

export function adapterFor (target: DatabaseTarget, options: ConnectionOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  return target.provider === 'sqlite' ? sqliteAdapter(target.file, options.sqliteBusyTimeoutMs) : postgresAdapter(target, options.appRole)
}

function sqliteAdapter (file: string, busyTimeoutMs: number = SQLITE_PRAGMAS.busy_timeout): SqlMigrationAwareDriverAdapterFactory {
  // iso8601 (the adapter's default, spelled out): text like 2024-01-02T03:04:05.678+00:00 keeps milliseconds,
  // reads well in the sqlite3 shell and sorts chronologically. unixepoch-ms only matters for files written by
  // Prisma's old native engine, which this project never had.
  const inner = new PrismaBetterSqlite3({ url: file }, { timestampFormat: 'iso8601' })
  // busy_timeout 0 once connected: SQLite's own wait for a lock sleeps on the event loop, so a lock held by
  // another process (a backup, the sqlite3 shell, the CLI) would freeze every request. Statements outside a
  // transaction are retried after yielding instead; inside one they fail at once (503): a statement of another
  // request must never run while a transaction waits on the connection they share.
  const pragmas = Object.entries({ ...SQLITE_PRAGMAS, busy_timeout: busyTimeoutMs }).map(([name, value]) => `PRAGMA ${name} = ${value};`).join('\n')
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect (): Promise<SqlDriverAdapter> {
      const adapter = await inner.connect()
      await adapter.executeScript(`${pragmas}\nPRAGMA busy_timeout = 0;`)
      const [query, execute] = [adapter.queryRaw.bind(adapter), adapter.executeRaw.bind(adapter)]
      adapter.queryRaw = (statement) => retryWhileBusy(() => query(statement), busyTimeoutMs)
      adapter.executeRaw = (statement) => retryWhileBusy(() => execute(statement), busyTimeoutMs)
      return atomicScripts(adapter, busyTimeoutMs)
    },
    connectToShadowDb: () => inner.connectToShadowDb()
  }
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

function isBusy (error: unknown): boolean {
  const { code, name, cause } = error as { code?: unknown, name?: unknown, cause?: { originalCode?: unknown } }
  return code === 'SQLITE_BUSY' || (name === 'DriverAdapterError' && cause?.originalCode === 'SQLITE_BUSY')
}

/**
 * SQLite's exec runs a script statement by statement and keeps what ran before a failure: a migration that failed
 * halfway could be neither retried nor rolled back. Each script is one transaction instead, in the procedure of
 * https://www.sqlite.org/lang_altertable.html#otheralter: foreign keys off before BEGIN (inside a transaction the
 * script's own PRAGMA foreign_keys=OFF does nothing, and a redefined table's DROP would cascade to its children),
 * and checked before COMMIT.
 */
export function atomicScripts (adapter: SqlDriverAdapter, busyTimeoutMs: number): SqlDriverAdapter {
  const run = adapter.executeScript.bind(adapter)
  adapter.executeScript = async (script) => {
    await run('PRAGMA foreign_keys = OFF')
    try {
      await retryWhileBusy(() => run('BEGIN IMMEDIATE'), busyTimeoutMs)
      try {
        await run(script)
        const broken = await adapter.queryRaw({ sql: 'PRAGMA foreign_key_check', args: [], argTypes: [] })
        if (broken.rows.length > 0) throw new Error(`the script leaves rows of ${String(broken.rows[0][0])} without the row their foreign key names`)
        await run('COMMIT')
      } catch (error) {
        await run('ROLLBACK').catch(() => {}) // SQLite has already rolled back after some errors (disk full)
        throw error
      }
    } finally {
      await run('PRAGMA foreign_keys = ON')
    }
  }
  return adapter
}

function postgresAdapter (target: Extract<DatabaseTarget, { provider: 'postgresql' }>, appRole?: string): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPg(postgresPoolConfig(target, appRole), target.schema === undefined ? undefined : { schema: target.schema })
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => wholeScripts(await inner.connect()),
    connectToShadowDb: async () => wholeScripts(await inner.connectToShadowDb())
  }
}

/**
 * adapter-pg 7.10 splits a script at every ';', even inside a DO block or a function body, and runs the pieces
 * on whichever connections of its pool. Postgres takes a whole script as one simple query (no parameters) and
 * runs it as one implicit transaction, as `prisma migrate deploy` does.
 */
export function wholeScripts (adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.executeScript = async (script) => { await adapter.executeRaw({ sql: script, args: [], argTypes: [] }) }
  return adapter
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
