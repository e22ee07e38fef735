// The baseline's Postgres store: a pg pool of the app's size, every statement named (prepared once per
// connection, then only bound and executed), the schema chosen through search_path as the app does.
import pg from 'pg'
import { POSTGRES_POOL_SIZE } from '../../src/db/connection-settings.js'
import { JSON_COLUMNS, SQL, type Change, type Row, type Store } from './sql.js'

// TIMESTAMP(3) has no zone and holds UTC: read it as UTC, not as the machine's local time.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (text) => new Date(`${text.replace(' ', 'T')}Z`))

export function openPostgresStore (connectionString: string, schema: string | undefined): Store {
  const pool = new pg.Pool({
    connectionString,
    max: POSTGRES_POOL_SIZE,
    ...(schema === undefined ? {} : { options: `-c search_path="${schema}"` })
  })
  const names = new Map<string, string>()
  async function rows (text: string, values: unknown[]): Promise<Row[]> {
    let name = names.get(text)
    if (name === undefined) names.set(text, name = `baseline_${names.size}`)
    return (await pool.query({ name, text, values })).rows
  }
  const one = async (text: string, values: unknown[]): Promise<Row | undefined> => (await rows(text, values))[0]
  // pg would send a JS array as a Postgres array: JSON columns get their text. A timestamp's zone suffix is
  // ignored by TIMESTAMP, so an ISO string in UTC is stored as is.
  const update = (changes: Change[], now: Date) => [
    ...changes.map(([column, value]) => JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value),
    now.toISOString()
  ]

  return {
    roamKey: (keyHash) => one(SQL.roamKey, [keyHash]),
    updateRoamUser: (projectId, userId, changes, now) =>
      one(SQL.updateRoamUser(changes.map(([column]) => column)), [...update(changes, now), userId, projectId]),
    listRoamUsers: async (projectId, from, until, offset) => {
      const page = await rows(SQL.roamPage, [projectId, from.toISOString(), until.toISOString(), offset])
      const total = page[0]?.total ?? (await one(SQL.roamCount, [projectId, from.toISOString(), until.toISOString()]))!.total
      return { total: Number(total), rows: page } // count(*) is a bigint: pg answers it as text
    },
    plaspyToken: (tokenHash) => one(SQL.plaspyToken, [tokenHash]),
    countRequest: async (userId, day) => (await one(SQL.countRequest, [userId, day])) as { total: number, daily: number },
    getPlaspyUser: (accountId, userId) => one(SQL.plaspyUser, [userId, accountId]),
    updatePlaspyUser: (accountId, userId, changes, now) =>
      one(SQL.updatePlaspyUser(changes.map(([column]) => column)), [...update(changes, now), userId, accountId]),
    close: () => pool.end()
  }
}
