// Driver adapters: how Prisma 7 reaches each database (no native engine), for the schema engine (migrations) and
// the tests' Prisma client, with the settings of the app's own connections (connection-settings.ts). The server
// loads this only to migrate.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { postgresPoolConfig, retryWhileBusy, SQLITE_PRAGMAS, type ConnectionOptions } from './connection-settings.js'
import type { DatabaseTarget } from './url.js'

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
