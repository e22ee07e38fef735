// Kysely, the one query builder of the repositories: typed by the tables prisma-kysely generates from
// prisma/models.prisma, compiled to each provider's SQL, and run on the app's own connections (drivers.ts),
// which keep their prepared or named statements, their lock waits off the event loop and their tenant.
// Columns are the models' camelCase fields in TypeScript and snake_case in SQL, as in the models' @map:
// Kysely's CamelCasePlugin writes the SQL; the connections name the rows' fields (once per statement, and never
// inside a JSON value, whose keys are the client's).
import {
  CamelCasePlugin,
  sql,
  type RawBuilder,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type PluginTransformResultArgs,
  type UnknownRow,
  type QueryResult
} from 'kysely'
import { LRUCache } from 'lru-cache'
import type pg from 'pg'
import type { DB } from '../../generated/prisma/postgres/kysely/database.js'
import { retryConflicts } from './connection-settings.js'
import { postgresValue, sqliteValue, type Outcome, type PostgresDriver, type SqliteDriver } from './drivers.js'
import type { Provider } from './url.js'

export type Query = Kysely<DB>
export type { DB }

/** CamelCasePlugin for the SQL alone: its result mapping would rename the keys inside JSON values too. */
class SnakeCaseIdentifiers extends CamelCasePlugin {
  override async transformResult (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

const plugins = [new SnakeCaseIdentifiers()]

export function sqliteQuery (sqlite: SqliteDriver): Query {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new SqliteConnections(sqlite),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler()
    },
    plugins
  })
}

export function postgresQuery (postgres: PostgresDriver): Query {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new PostgresConnections(postgres),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler()
    },
    plugins
  })
}

/**
 * `work` in one transaction, run again from its start if Postgres aborts it to break a deadlock: `work` must do
 * nothing but query (connection-settings.ts: retryConflicts).
 */
export function transaction<T> (query: Query, work: (trx: Query) => Promise<T>): Promise<T> {
  return retryConflicts(() => query.transaction().execute(work))
}

/** A Roam or Plaspy account as first use makes it. */
export interface NewAccount { id: string, name: string, createdAt: Date }

/**
 * The id of the account named `account.name`, inserting `account` if there is none: one statement, so two first
 * uses make one account, and inside a transaction it holds the row (an update) so that a reset waits for the rest.
 */
export async function accountNamed (query: Query, table: 'roamAccounts' | 'plaspyAccounts', account: NewAccount): Promise<string> {
  const { id } = await query.insertInto(table).values(account).returning('id')
    .onConflict((conflict) => conflict.column('name').doUpdateSet({ name: (eb) => eb.ref('excluded.name') }))
    .executeTakeFirstOrThrow()
  return id
}

/**
 * The right side of `IN` for a list bound as one JSON parameter: the statement's text stays one however many
 * values a client sends (If-Match may name thousands, a group add 2,500 users), so it stays prepared, and no
 * list is too long to bind.
 */
export function oneOf<T extends 'int' | 'text'> (provider: Provider, type: T, values: ReadonlyArray<T extends 'int' ? number : string>): RawBuilder<T extends 'int' ? number : string> {
  return provider === 'postgresql'
    ? sql`(SELECT value::${sql.raw(type)} FROM jsonb_array_elements_text(${values}::jsonb))`
    : sql`(SELECT value FROM json_each(${values}))`
}

const PLACEHOLDER = Symbol('placeholder')
interface Placeholder { [PLACEHOLDER]: string }

function isPlaceholder (value: unknown): value is Placeholder {
  return typeof value === 'object' && value !== null && PLACEHOLDER in value
}

/**
 * A query built and compiled once, then run with new values: for the statements every request makes, where
 * building and compiling would cost about as much as the database's work. `build` gets stand-ins for the
 * values (typed as the values, one level deep: `values.x`, never `values.x.y`); each run binds the real ones in
 * their places. The query's shape must not depend on the values (see prepareUpdate for one that does).
 */
export function prepare<V extends object, R> (query: Query, build: (values: V) => Compilable<R> | RawBuilder<R>) {
  const standIns = new Proxy({}, { get: (_, name) => ({ [PLACEHOLDER]: String(name) }) }) as V
  const built = build(standIns)
  const compiled = 'isRawBuilder' in built ? built.compile(query) : built.compile()
  return async (values: V): Promise<R[]> => {
    const parameters = compiled.parameters.map((value) => isPlaceholder(value) ? values[value[PLACEHOLDER] as keyof V] : value)
    return (await query.executeQuery<R>({ ...compiled, parameters })).rows
  }
}

/**
 * prepare() for an update whose SET list is the fields a client sent (`undefined` leaves a column as it is):
 * one compiled statement per set of fields, with or without If-Match's versions, the 256 most recent kept.
 * `build` gets the SET list, the other values and the versions, all as stand-ins.
 */
export function prepareUpdate<C extends object, K extends object, R> (
  query: Query,
  build: (set: C, keys: K, versions: readonly number[] | undefined) => Compilable<R>
) {
  type Values = C & K & { versions: readonly number[] }
  const shapes = new LRUCache<string, (values: Values) => Promise<R[]>>({ max: 256 })
  return async (changes: C, keys: K, versions?: readonly number[]): Promise<R | undefined> => {
    const fields = (Object.keys(changes) as Array<keyof C & string>).filter((field) => changes[field] !== undefined).sort()
    const versioned = versions !== undefined
    const name = `${fields.join()}|${versioned}`
    let run = shapes.get(name)
    if (run === undefined) {
      shapes.set(name, run = prepare(query, (values: Values) =>
        build(Object.fromEntries(fields.map((field) => [field, values[field]])) as C, values, versioned ? values.versions : undefined)))
    }
    // Not `{ ...changes, ...keys }`: on Node 20 each property a spread adds after another costs about 1.5 µs.
    const [row] = await run(Object.assign({ versions: versions ?? [] }, changes, keys))
    return row
  }
}

function queryResult<R> ({ rows, changes }: Outcome<R>): QueryResult<R> {
  return { rows, numAffectedRows: BigInt(changes) }
}

/** Kysely's connections, as handles: the driver owns the one SQLite connection and its transaction. */
class SqliteConnections implements Driver {
  constructor (private readonly sqlite: SqliteDriver) {}
  async init (): Promise<void> {}
  async acquireConnection (): Promise<SqliteConnection> {
    return new SqliteConnection(this.sqlite)
  }

  async beginTransaction (connection: SqliteConnection): Promise<void> {
    await this.sqlite.begin(connection)
  }

  async commitTransaction (connection: SqliteConnection): Promise<void> {
    await this.sqlite.commit(connection)
  }

  async rollbackTransaction (connection: SqliteConnection): Promise<void> {
    await this.sqlite.rollback(connection)
  }

  async releaseConnection (): Promise<void> {}
  async destroy (): Promise<void> {}
}

class SqliteConnection implements DatabaseConnection {
  constructor (private readonly sqlite: SqliteDriver) {}

  async executeQuery<R> ({ sql, parameters }: CompiledQuery): Promise<QueryResult<R>> {
    return queryResult(await this.sqlite.execute<R>(sql, parameters.map(sqliteValue), this))
  }

  async * streamQuery (): AsyncIterableIterator<QueryResult<never>> {
    throw new Error('streaming is not supported: read in batches')
  }
}

/** Kysely's connections: the pool's for single statements, a client of their own for a transaction. */
class PostgresConnections implements Driver {
  constructor (private readonly postgres: PostgresDriver) {}
  async init (): Promise<void> {}
  async acquireConnection (): Promise<PostgresConnection> {
    return new PostgresConnection(this.postgres)
  }

  async beginTransaction (connection: PostgresConnection): Promise<void> {
    await connection.begin()
  }

  async commitTransaction (connection: PostgresConnection): Promise<void> {
    await connection.end('COMMIT')
  }

  async rollbackTransaction (connection: PostgresConnection): Promise<void> {
    await connection.end('ROLLBACK')
  }

  async releaseConnection (connection: PostgresConnection): Promise<void> {
    connection.release()
  }

  async destroy (): Promise<void> {}
}

class PostgresConnection implements DatabaseConnection {
  /** A transaction's own connection, checked out in the caller's tenant (tenant.ts). */
  #client: pg.PoolClient | undefined
  #broken: Error | undefined
  constructor (private readonly postgres: PostgresDriver) {}

  async executeQuery<R> ({ sql, parameters }: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return queryResult(await this.postgres.execute<R>(sql, parameters.map(postgresValue), this.#client))
    } catch (error) {
      if (this.#client !== undefined && !('code' in (error as object))) this.#broken = error as Error
      throw error
    }
  }

  async begin (): Promise<void> {
    this.#client = await this.postgres.pool.connect()
    await this.executeQuery(CompiledQuery.raw('BEGIN'))
  }

  async end (command: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    if (this.#client === undefined) return // BEGIN never got a connection
    try {
      await this.executeQuery(CompiledQuery.raw(command))
    } finally {
      this.release()
    }
  }

  /** Back to the pool; a connection that failed without an answer from the server is not reused. */
  release (): void {
    this.#client?.release(this.#broken)
    this.#client = undefined
  }

  async * streamQuery (): AsyncIterableIterator<QueryResult<never>> {
    throw new Error('streaming is not supported: read in batches')
  }
}
