// The baseline's SQLite store: better-sqlite3 on one connection, every statement prepared once, the app's
// pragmas (imported, so the two can never differ) and the app's storage formats (ISO 8601 text timestamps,
// 0/1 booleans, JSON text), so both servers read and write the same file the same way. Each write commits on its
// own, as a plain better-sqlite3 server's does: the app's SQLite write cells lead it by its group commit
// (src/db/drivers.ts), one fsync for the writes of a turn of the event loop.
import Database from 'better-sqlite3'
import { SQLITE_PRAGMAS } from '../../src/db/connection-settings.js'
import { BOOLEAN_COLUMNS, JSON_COLUMNS, SQL, TIMESTAMP_COLUMNS, type Change, type Row, type Store } from './sql.js'

export function openSqliteStore (file: string): Store {
  const db = new Database(file)
  for (const [name, value] of Object.entries(SQLITE_PRAGMAS)) db.pragma(`${name} = ${value}`)
  checkPragmas(db)

  const prepared = new Map<string, { statement: Database.Statement, order: number[] }>()
  /** `$n` -> `?`, remembering which parameter each `?` takes (better-sqlite3 binds `?` by position only). */
  function prepare (sql: string) {
    let entry = prepared.get(sql)
    if (entry === undefined) {
      const order: number[] = []
      const statement = db.prepare(sql.replace(/\$(\d+)/g, (_, n: string) => { order.push(Number(n) - 1); return '?' }))
      prepared.set(sql, entry = { statement, order })
    }
    return entry
  }
  // .all(), never .get(): .get() on UPDATE … RETURNING leaves the statement open, which stops WAL checkpoints.
  function rows (sql: string, params: unknown[]): Row[] {
    const { statement, order } = prepare(sql)
    return (statement.all(...order.map((i) => params[i])) as Row[]).map(decode)
  }
  const one = (sql: string, params: unknown[]): Row | undefined => rows(sql, params)[0]
  const update = (changes: Change[], now: Date) => [...changes.map(([column, value]) => encode(column, value)), timestamp(now)]

  return {
    roamKey: async (keyHash) => one(SQL.roamKey, [keyHash]),
    updateRoamUser: async (projectId, userId, changes, now) =>
      one(SQL.updateRoamUser(changes.map(([column]) => column)), [...update(changes, now), userId, projectId]),
    listRoamUsers: async (projectId, from, until, offset) => {
      const params = [projectId, timestamp(from), timestamp(until), offset]
      const page = rows(SQL.roamPage, params)
      return { total: Number((page[0] ?? one(SQL.roamCount, params)!).total), rows: page }
    },
    plaspyToken: async (tokenHash) => one(SQL.plaspyToken, [tokenHash]),
    countRequest: async (userId, day) => one(SQL.countRequest, [userId, day]) as { total: number, daily: number },
    getPlaspyUser: async (accountId, userId) => one(SQL.plaspyUser, [userId, accountId]),
    updatePlaspyUser: async (accountId, userId, changes, now) =>
      one(SQL.updatePlaspyUser(changes.map(([column]) => column)), [...update(changes, now), userId, accountId]),
    close: async () => { db.close() }
  }
}

/** As @prisma/adapter-better-sqlite3 writes a DateTime with timestampFormat iso8601. */
function timestamp (date: Date): string {
  return date.toISOString().replace('Z', '+00:00')
}

function encode (column: string, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (BOOLEAN_COLUMNS.has(column)) return value ? 1 : 0
  if (JSON_COLUMNS.has(column)) return JSON.stringify(value)
  if (TIMESTAMP_COLUMNS.has(column)) return timestamp(new Date(value as string))
  return value
}

function decode (row: Row): Row {
  for (const column in row) {
    const value = row[column]
    if (value === null) continue
    if (BOOLEAN_COLUMNS.has(column)) row[column] = value === 1
    else if (JSON_COLUMNS.has(column)) row[column] = JSON.parse(value)
    else if (TIMESTAMP_COLUMNS.has(column)) row[column] = new Date(value)
  }
  return row
}

/** The pragmas must have taken: read each back. */
function checkPragmas (db: Database.Database): void {
  const numeric: Record<string, number> = { off: 0, normal: 1, full: 2, on: 1 }
  for (const [name, wanted] of Object.entries(SQLITE_PRAGMAS)) {
    const actual = db.pragma(name, { simple: true })
    const expected = typeof wanted === 'number' ? wanted : name === 'journal_mode' ? wanted : numeric[wanted]
    if (actual !== expected) throw new Error(`SQLite pragma ${name} is ${String(actual)}, wanted ${wanted}`)
  }
}
