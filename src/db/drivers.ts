// The connections the app owns beside Prisma's, for Kysely's queries (query.ts): Prisma re-renders and re-prepares every statement, which costs more CPU than the
// database spends on a one-row update. Statements here are prepared once (SQLite) or named (Postgres: parsed
// once per connection), with the app's settings, and both hand rows over alike: under the models' camelCase
// field names, with booleans, JSON values and Dates.
import Sqlite from 'better-sqlite3'
import { LRUCache } from 'lru-cache'
import pg from 'pg'
import { retryConflicts, retryWhileBusy, SQLITE_PRAGMAS } from './connection-settings.js'
import { isStorageFailure } from './errors.js'

/** Positional parameters (`?` in the SQL), as Kysely compiles them. */
export type SqliteParams = unknown[]

/** What a statement answered: its rows, or for one without RETURNING the number of rows it changed. */
export interface Outcome<T> {
  rows: T[]
  changes: number
}

// Prepared statements stay in memory (SQLite) or on every connection of the pool (Postgres): bound their
// number, since a write's text varies with the fields a client sends. On Postgres, texts beyond it run unnamed.
const MAX_STATEMENTS = 256

/** A prepared statement and how to read its rows. */
interface Prepared {
  sql: string
  statement: Sqlite.Statement
  decode: (row: unknown[]) => unknown
}

const camelNames = new Map<string, string>()

/** A column's name as the models spell it (`valid_from` -> `validFrom`), as Kysely's CamelCasePlugin would. */
function camelCase (name: string): string {
  let camel = camelNames.get(name)
  if (camel === undefined) {
    camel = name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
    if (camelNames.size < MAX_STATEMENTS * 8) camelNames.set(name, camel)
  }
  return camel
}

/**
 * The statements that run while writes of concurrent requests wait to be committed together: one transaction,
 * committed once the event loop has run what it had (setImmediate), so that one fsync makes many writes durable.
 * With synchronous=FULL the fsync is most of a write's cost: the bench's PUTs ran 2.5-3x faster without it.
 */
interface Batch {
  /** Whether BEGIN has run: until then the batch holds nothing a read could see, and reads go on without it. */
  begun: boolean
  /** Settles when BEGIN has run (or failed, with its error). */
  opened: Promise<void>
  /** Settles when COMMIT has made the batch durable (or when it failed: nothing of it is kept). */
  durable: Promise<void>
  settle: (error?: unknown) => void
  /** Statements to run once it has ended, outside it (#afterBatch). */
  after: Array<() => void>
}

/**
 * One better-sqlite3 connection with the pragmas of Prisma's, except that it never waits for a lock inside
 * SQLite (busy_timeout 0): Prisma's connection lives in this same thread, and a synchronous wait for a lock
 * that one of its open transactions holds would block the very event loop that has to finish it. A busy
 * statement is retried after yielding instead, up to the usual busy_timeout.
 */
export class SqliteDriver {
  readonly #db: Sqlite.Database
  readonly #statements = new LRUCache<string, Prepared>({ max: MAX_STATEMENTS })
  readonly #dataVersion: Sqlite.Statement
  #lastDataVersion: unknown
  /** The open transaction: only its owner's statements run until it ends. */
  #transaction: { owner: object, ended: Promise<void>, end: () => void } | undefined
  /** The open group commit, if a write is waiting for it. */
  #batch: Batch | undefined

  /** `file`: a path, or a database file's bytes to open in memory (src/db/in-memory.ts). */
  constructor (file: string | Buffer, private readonly busyDeadlineMs: number = SQLITE_PRAGMAS.busy_timeout) {
    this.#db = new Sqlite(file)
    for (const [name, value] of Object.entries(SQLITE_PRAGMAS)) this.#db.pragma(`${name} = ${value}`)
    this.#db.pragma('busy_timeout = 0')
    this.#dataVersion = this.#db.prepare('PRAGMA data_version').pluck()
    this.#lastDataVersion = this.#dataVersion.all()[0]
  }

  /**
   * Runs a statement, waiting out another connection's lock without blocking the event loop. While a
   * transaction is open on this connection, a statement not of its `owner` waits for its end: it would
   * otherwise run inside it, and be rolled back with it. Any other write joins the group commit (Batch), and
   * answers once it is durable; a read while a batch holds writes runs right after its commit, so that no
   * answer shows what is not yet durable, and none fails with a batch it has no part in.
   */
  async execute<T> (sql: string, params: SqliteParams, owner?: object): Promise<Outcome<T>> {
    while (this.#transaction !== undefined && this.#transaction.owner !== owner) await this.#transaction.ended
    const prepared = this.#prepared(sql)
    if (this.#transaction !== undefined || (prepared.statement.readonly && this.#batch?.begun !== true)) {
      return await retryWhileBusy(() => run<T>(prepared, params), this.busyDeadlineMs)
    }
    return await this.#inBatch(prepared, params)
  }

  /**
   * Runs a statement in the open batch, opening one if none is. A failed statement undoes only itself (SQLite's
   * statement journal: what a savepoint per request would give); an error that ends the whole transaction
   * (a full disk, an I/O error) fails the batch, and every write in it answers that error.
   */
  async #inBatch<T> (prepared: Prepared, params: SqliteParams): Promise<Outcome<T>> {
    const batch = this.#batch ?? this.#openBatch()
    if (prepared.statement.readonly) return await this.#afterBatch(batch, prepared, params)
    await batch.opened
    if (this.#batch !== batch) return await this.execute(prepared.sql, params) // failed, or committed meanwhile
    let outcome: Outcome<T>
    try {
      outcome = run<T>(prepared, params)
    } catch (error) {
      if (!this.#db.inTransaction) this.#endBatch(batch, error)
      // In a transaction a large write keeps its statement journal in a temp file; alone it needs none, so a
      // full or read-only temp directory fails it only here.
      else if (wantsStorage(error)) return await this.#afterBatch(batch, prepared, params)
      await batch.durable
      throw error
    }
    await batch.durable
    return outcome
  }

  /** Runs a statement as soon as `batch` has ended (committed or not), on its own, before anything else runs. */
  async #afterBatch<T> (batch: Batch, prepared: Prepared, params: SqliteParams): Promise<Outcome<T>> {
    return await new Promise((resolve) => {
      batch.after.push(() => resolve(retryWhileBusy(() => run<T>(prepared, params), this.busyDeadlineMs)))
    })
  }

  #openBatch (): Batch {
    let settle!: Batch['settle']
    const durable = new Promise<void>((resolve, reject) => { settle = (error) => error === undefined ? resolve() : reject(error) })
    const opened = retryWhileBusy(() => this.#db.exec('BEGIN IMMEDIATE'), this.busyDeadlineMs).then(
      () => {
        batch.begun = true
        setImmediate(() => this.#commitBatch(batch))
      },
      (error: unknown) => { this.#endBatch(batch, error); throw error })
    durable.catch(() => {}) // its statements handle its failure; a batch none of them joined would be unhandled
    const batch: Batch = { begun: false, opened, durable, settle, after: [] }
    this.#batch = batch
    return batch
  }

  #commitBatch (batch: Batch): void {
    if (this.#batch !== batch) return
    try {
      this.#db.exec('COMMIT')
      this.#endBatch(batch)
    } catch (error) {
      // Runs from setImmediate: a ROLLBACK that fails too (the disk gone) must not end the process.
      try { if (this.#db.inTransaction) this.#db.exec('ROLLBACK') } catch {}
      this.#endBatch(batch, error)
    }
  }

  #endBatch (batch: Batch, error?: unknown): void {
    if (this.#batch === batch) this.#batch = undefined
    batch.settle(error)
    for (const statement of batch.after.splice(0)) statement()
  }

  /**
   * Opens a transaction for `owner`'s statements alone (execute's `owner`), taking the write lock at once: a
   * lock wait is retried like any statement's, while one taken halfway could deadlock with another writer.
   * It is claimed at once, so that no new batch opens meanwhile, and begins once the open batch has ended: the
   * lock wait of both together is one busy_timeout, as another process's lock fails them alike.
   */
  async begin (owner: object): Promise<void> {
    while (this.#transaction !== undefined) await this.#transaction.ended
    let end!: () => void
    const ended = new Promise<void>((resolve) => { end = resolve })
    this.#transaction = { owner, ended, end }
    const claimed = performance.now()
    try {
      if (this.#batch !== undefined) await this.#batch.durable.catch(() => {})
      const deadline = Math.max(0, this.busyDeadlineMs - (performance.now() - claimed))
      await retryWhileBusy(() => this.#db.exec('BEGIN IMMEDIATE'), deadline)
    } catch (error) {
      this.#release()
      throw error
    }
  }

  /** Commits `owner`'s transaction, or rolls it back if the commit fails; then the other statements go on. */
  async commit (owner: object): Promise<void> {
    try {
      await this.execute('COMMIT', [], owner)
    } catch (error) {
      await this.rollback(owner)
      throw error
    }
    this.#release()
  }

  async rollback (owner: object): Promise<void> {
    if (this.#transaction?.owner !== owner) return
    try {
      if (!this.#db.inTransaction) return
      await this.execute('ROLLBACK', [], owner)
    } finally {
      this.#release()
    }
  }

  #release (): void {
    const transaction = this.#transaction
    this.#transaction = undefined
    transaction?.end()
  }

  /** Whether another connection (Prisma's, another process) committed since the last call. */
  changedElsewhere (): boolean {
    const version = this.#dataVersion.all()[0]
    if (version === this.#lastDataVersion) return false
    this.#lastDataVersion = version
    return true
  }

  /** Closes the connection, committing the open batch first: its statements are answered as durable. */
  close (): void {
    if (this.#batch !== undefined) this.#commitBatch(this.#batch)
    this.#db.close()
  }

  #prepared (sql: string): Prepared {
    let prepared = this.#statements.get(sql)
    if (prepared === undefined) {
      const statement = this.#db.prepare(sql)
      // Rows as arrays: the object each row becomes is built once, by rowDecoder.
      const decode = statement.reader ? rowDecoder(statement.raw(true).columns()) : () => undefined
      this.#statements.set(sql, prepared = { sql, statement, decode })
    }
    return prepared
  }
}

/** A statement that failed for want of storage, not for its data: the app's storage failures, or a temp file SQLite could not create. */
function wantsStorage (error: unknown): boolean {
  return isStorageFailure(error) || String((error as { code?: unknown }).code).startsWith('SQLITE_CANTOPEN')
}

function run<T> ({ statement, decode }: Prepared, params: SqliteParams): Outcome<T> {
  // `.all()`, never `.get()`: `.get()` on UPDATE … RETURNING stops WAL checkpoints.
  if (statement.reader) return { rows: (statement.all(params) as unknown[][]).map(decode) as T[], changes: 0 }
  return { rows: [], changes: statement.run(params).changes }
}

// SQLite stores these as Prisma's adapter writes them (booleans 0/1, JSON as text, timestamps as ISO 8601
// text); the declared type of a result column, which SQLite keeps through aliases, subqueries and RETURNING,
// says which is which. So every row decodes by the schema itself, with no list of columns kept by hand.
const DECODERS: Record<string, (value: unknown) => unknown> = {
  BOOLEAN: (value) => value === 1,
  JSONB: (value) => JSON.parse(value as string),
  DATETIME: (value) => new Date(value as string)
}

function rowDecoder (columns: Sqlite.ColumnDefinition[]): Prepared['decode'] {
  const fields = columns.map(({ name, type }) => ({ key: camelCase(name), decode: DECODERS[type ?? ''] }))
  return (values) => {
    const row: Record<string, unknown> = {}
    for (let i = 0; i < fields.length; i++) {
      const { key, decode } = fields[i]!
      const value = values[i]
      row[key] = value === null || decode === undefined ? value : decode(value)
    }
    return row
  }
}

/** A value bound as Prisma's SQLite adapter stores it: booleans 0/1, timestamps as ISO 8601 text, JSON as its text. */
export function sqliteValue (value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return sqliteTimestamp(value)
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return value ?? null
}

/** A value bound for Postgres: timestamps as UTC text, JSON as its text (pg would send an array as a Postgres array). */
export function postgresValue (value: unknown): unknown {
  if (value instanceof Date) return postgresTimestamp(value)
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return value ?? null
}

// TIMESTAMP(3) holds UTC without a zone: read it as UTC, not as the machine's local time; a count (bigint) as
// a number. Per query, so that pg's global parsers (which Prisma's adapter relies on) stay as they are.
const { TIMESTAMP, INT8 } = pg.types.builtins
const types = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === TIMESTAMP) return (text: string) => new Date(`${text.replace(' ', 'T')}Z`)
    if (oid === INT8) return Number
    return pg.types.getTypeParser(oid, format as 'text')
  }
}

/** The pg pool Prisma's adapter and Kysely's queries share; each statement text gets a name of its own. */
export class PostgresDriver {
  readonly #names = new Map<string, string>()
  constructor (readonly pool: pg.Pool) {}

  /**
   * Runs a statement on a connection of the pool, again if Postgres aborted it for a deadlock; or on `client`,
   * a transaction's, whose owner runs it again whole (query.ts: transaction).
   */
  execute<T> (text: string, values: unknown[], client?: pg.PoolClient): Promise<Outcome<T>> {
    return client === undefined ? retryConflicts(() => this.#run(text, values, this.pool)) : this.#run(text, values, client)
  }

  async #run<T> (text: string, values: unknown[], client: pg.Pool | pg.PoolClient): Promise<Outcome<T>> {
    let name = this.#names.get(text)
    if (name === undefined && this.#names.size < MAX_STATEMENTS) this.#names.set(text, name = `hot_${this.#names.size}`)
    const result = await client.query<unknown[]>({ name, text, values, types, rowMode: 'array' })
    const keys = result.fields.map(({ name }) => camelCase(name))
    const rows = result.rows.map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i]])))
    return { rows: rows as T[], changes: result.rowCount ?? 0 }
  }
}

/** A DateTime as Prisma's SQLite adapter writes it (timestampFormat iso8601): sorts and compares chronologically. */
function sqliteTimestamp (date: Date): string {
  return date.toISOString().replace('Z', '+00:00')
}

/** A TIMESTAMP(3) parameter as Prisma's pg adapter writes it: UTC, no zone, years past 9999 included. */
function postgresTimestamp (date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`
}
