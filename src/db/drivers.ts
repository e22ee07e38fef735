// The connections the app owns beside Prisma's, for the hot paths (src/*/sql.*.ts): Prisma re-renders and
// re-prepares every statement, which costs more CPU than the database spends on a one-row update. Statements
// here are prepared once (SQLite) or named (Postgres: parsed once per connection), with the app's settings.
import Sqlite from 'better-sqlite3'
import pg from 'pg'
import { retryWhileBusy, SQLITE_PRAGMAS } from './adapters.js'
import { ANY_TENANT, asTenant } from './tenant.js'

/** Named parameters (`@name` in the SQL), as better-sqlite3 binds them. */
export type SqliteParams = Record<string, unknown>

/**
 * One better-sqlite3 connection with the pragmas of Prisma's, except that it never waits for a lock inside
 * SQLite (busy_timeout 0): Prisma's connection lives in this same thread, and a synchronous wait for a lock
 * that one of its open transactions holds would block the very event loop that has to finish it. A busy
 * statement is retried after yielding instead, up to the usual busy_timeout.
 */
export class SqliteDriver {
  readonly #db: Sqlite.Database
  readonly #statements = new Map<string, Sqlite.Statement>()
  readonly #dataVersion: Sqlite.Statement
  #lastDataVersion: unknown

  constructor (file: string, private readonly busyDeadlineMs: number = SQLITE_PRAGMAS.busy_timeout) {
    this.#db = new Sqlite(file)
    for (const [name, value] of Object.entries(SQLITE_PRAGMAS)) this.#db.pragma(`${name} = ${value}`)
    this.#db.pragma('busy_timeout = 0')
    this.#dataVersion = this.#db.prepare('PRAGMA data_version').pluck()
    this.#lastDataVersion = this.#dataVersion.all()[0]
  }

  /** Rows of a statement. `.all()`, never `.get()`: `.get()` on UPDATE … RETURNING stops WAL checkpoints. */
  async all<T> (sql: string, params: SqliteParams): Promise<T[]> {
    const statement = this.#prepared(sql)
    return await retryWhileBusy(() => statement.all(params) as T[], this.busyDeadlineMs)
  }

  /** Whether another connection (Prisma's, another process) committed since the last call. */
  changedElsewhere (): boolean {
    const version = this.#dataVersion.all()[0]
    if (version === this.#lastDataVersion) return false
    this.#lastDataVersion = version
    return true
  }

  close (): void {
    this.#db.close()
  }

  #prepared (sql: string): Sqlite.Statement {
    let statement = this.#statements.get(sql)
    if (statement === undefined) this.#statements.set(sql, statement = this.#db.prepare(sql))
    return statement
  }
}

// TIMESTAMP(3) holds UTC without a zone: read it as UTC, not as the machine's local time. Per query, so that
// pg's global parsers (which Prisma's adapter relies on) stay as they are.
const TIMESTAMP_OID = pg.types.builtins.TIMESTAMP
const types = {
  getTypeParser: (oid: number, format?: string) => oid === TIMESTAMP_OID
    ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`)
    : pg.types.getTypeParser(oid, format as 'text')
}

// Named statements stay prepared on every connection of the pool: bound their number (update statements
// vary with the fields sent); texts beyond it run unnamed.
const MAX_NAMED_STATEMENTS = 256

/** The pg pool Prisma's adapter and the hot paths share; each statement text gets a name of its own. */
export class PostgresDriver {
  readonly #names = new Map<string, string>()
  constructor (readonly pool: pg.Pool) {}

  async all<T> (text: string, values: unknown[]): Promise<T[]> {
    let name = this.#names.get(text)
    if (name === undefined && this.#names.size < MAX_NAMED_STATEMENTS) this.#names.set(text, name = `hot_${this.#names.size}`)
    const result = await this.pool.query({ name, text, values, types })
    return result.rows as T[]
  }

  /**
   * A statement that looks a credential up by its hash through a SECURITY DEFINER function, which sees past
   * row-level security by itself: it runs on a connection set to any tenant (see tenant.ts).
   */
  credentialLookup<T> (text: string, values: unknown[]): Promise<T[]> {
    return asTenant(ANY_TENANT, () => this.all<T>(text, values))
  }
}

/** A DateTime as Prisma's SQLite adapter writes it (timestampFormat iso8601): sorts and compares chronologically. */
export function sqliteTimestamp (date: Date): string {
  return date.toISOString().replace('Z', '+00:00')
}

/** A TIMESTAMP(3) parameter as Prisma's pg adapter writes it: UTC, no zone, years past 9999 included. */
export function postgresTimestamp (date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`
}
