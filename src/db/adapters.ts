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
}

export function adapterFor (target: DatabaseTarget, options: ConnectionOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  return target.provider === 'sqlite' ? sqliteAdapter(target.file, options.sqliteBusyTimeoutMs) : postgresAdapter(target)
}

function sqliteAdapter (file: string, busyTimeoutMs: number = SQLITE_PRAGMAS.busy_timeout): SqlMigrationAwareDriverAdapterFactory {
  // iso8601 (the adapter's default, spelled out): text like 2024-01-02T03:04:05.678+00:00 keeps milliseconds,
  // reads well in the sqlite3 shell and sorts chronologically. unixepoch-ms only matters for files written by
  // Prisma's old native engine, which this project never had.
  const inner = new PrismaBetterSqlite3({ url: file }, { timestampFormat: 'iso8601' })
  const pragmas = Object.entries({ ...SQLITE_PRAGMAS, busy_timeout: busyTimeoutMs }).map(([name, value]) => `PRAGMA ${name} = ${value};`).join('\n')
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect (): Promise<SqlDriverAdapter> {
      const adapter = await inner.connect()
      await adapter.executeScript(pragmas)
      return adapter
    },
    connectToShadowDb: () => inner.connectToShadowDb()
  }
}

function postgresAdapter (target: Extract<DatabaseTarget, { provider: 'postgresql' }>): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPg(postgresPoolConfig(target), target.schema === undefined ? undefined : { schema: target.schema })
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

/** The pool settings of every Postgres connection: Prisma's adapter, the app's hot paths, its LISTEN connection. */
export function postgresPoolConfig ({ connectionString, schema }: Extract<DatabaseTarget, { provider: 'postgresql' }>) {
  return {
    connectionString,
    max: POSTGRES_POOL_SIZE,
    connectionTimeoutMillis: 5_000, // an unreachable server fails the first query instead of hanging it
    idleTimeoutMillis: 30_000,
    // The adapter's `schema` only qualifies the tables of Prisma's own queries; raw SQL and migrations
    // name tables unqualified, so the connection's search_path must point at the schema as well.
    ...(schema === undefined ? {} : { options: `-c search_path="${schema}"` })
  }
}
