// The one write Roam's hot paths make to a user row: set the changed columns and the row's timestamp, move
// its version, inside the tenant, and (with If-Match) only at one of the versions named; the row is answered.
// One builder per provider (Plaspy's repository says the same in Kysely). The statement text depends only on
// which columns are set and whether versions are compared, so it stays prepared (SQLite) or named (Postgres).
import { postgresTimestamp, postgresValue, sqliteTimestamp, sqliteValue, type SqliteParams } from './drivers.js'

export interface UserTable {
  name: string
  tenantColumn: string
  /** The column that records the time of the last change. */
  stampColumn: string
  /** More of the WHERE clause, in the provider's SQL (soft-deleted rows stay out, say). */
  condition?: string
  /** The RETURNING list, shaped like Prisma's rows. */
  returning: string
}

export interface UserUpdate {
  changes: ReadonlyArray<readonly [column: string, value: unknown]>
  now: Date
  id: string
  tenant: string
  /** If-Match's versions; undefined: any version. */
  versions?: readonly number[] | undefined
}

/** `$n` parameters; the versions as an int[]. */
export function postgresUserUpdate (table: UserTable, { changes, now, id, tenant, versions }: UserUpdate) {
  const n = changes.length
  const set = [...changes.map(([column], i) => `${column} = $${i + 1}`), `${table.stampColumn} = $${n + 1}`, 'version = version + 1']
  const expected = versions === undefined ? '' : ` AND version = ANY($${n + 4}::int[])`
  const values = [...changes.map(([, value]) => postgresValue(value)), postgresTimestamp(now), id, tenant]
  if (versions !== undefined) values.push([...versions])
  return { text: statement(table, set, `id = $${n + 2} AND ${table.tenantColumn} = $${n + 3}`, expected), values }
}

/** `@name` parameters named after the columns; the versions as a JSON array. */
export function sqliteUserUpdate (table: UserTable, { changes, now, id, tenant, versions }: UserUpdate) {
  const set = [...changes.map(([column]) => `${column} = @${column}`), `${table.stampColumn} = @now`, 'version = version + 1']
  const expected = versions === undefined ? '' : ' AND version IN (SELECT value FROM json_each(@versions))'
  const params: SqliteParams = Object.fromEntries(changes.map(([column, value]) => [column, sqliteValue(value)]))
  if (versions !== undefined) params.versions = JSON.stringify(versions)
  return { sql: statement(table, set, `id = @id AND ${table.tenantColumn} = @tenant`, expected), params: { ...params, now: sqliteTimestamp(now), id, tenant } }
}

function statement (table: UserTable, set: string[], row: string, expected: string): string {
  const condition = table.condition === undefined ? '' : ` AND ${table.condition}`
  return `UPDATE ${table.name} SET ${set.join(', ')} WHERE ${row}${condition}${expected} RETURNING ${table.returning}`
}
