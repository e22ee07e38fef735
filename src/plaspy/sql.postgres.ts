// Plaspy's hot statements on Postgres (see store.ts): named statements on the pool Prisma shares. pg answers
// booleans, JSONB and (through the driver's parser) TIMESTAMP(3) as JS values already.
import type { PlaspyUser } from '../db/client.js'
import { postgresTimestamp as timestamp, type PostgresDriver } from '../db/drivers.js'
import { countTokenRequest, PLASPY_USER } from './sql.columns.js'
import type { PlaspyStore } from './store.js'

const COUNT_TOKEN_REQUEST = countTokenRequest((name) => ({ tokenHash: '$1', now: '$2::timestamp', day: '$3' })[name], 'false')

const USER = `SELECT ${PLASPY_USER} FROM plaspy_users WHERE id = $1 AND account_id = $2`

/** `SET` the changed columns and `modification`; the text depends only on which columns are set. */
function updateUser (columns: readonly string[]): string {
  const n = columns.length
  const set = [...columns.map((column, i) => `${column} = $${i + 1}`), `modification = $${n + 1}`].join(', ')
  return `UPDATE plaspy_users SET ${set} WHERE id = $${n + 2} AND account_id = $${n + 3} RETURNING ${PLASPY_USER}`
}

export function plaspyPostgres (db: PostgresDriver): PlaspyStore {
  return {
    async authenticate (tokenHash, now) {
      const [row] = await db.all<{ userId: string, accountId: string, privileges: string[], total: number, daily: number }>(
        COUNT_TOKEN_REQUEST, [tokenHash, timestamp(now), now.toISOString().slice(0, 10)])
      if (row === undefined) return undefined
      const { userId, accountId, privileges, total, daily } = row
      return { userId, accountId, privileges, usage: { apiUsage: total, apiDailyUsage: daily } }
    },

    async getUser (accountId, id) {
      const [row] = await db.all<PlaspyUser>(USER, [id, accountId])
      return row
    },

    async updateUser (accountId, id, changes, now) {
      const values = changes.map(([, value]) => encode(value))
      const [row] = await db.all<PlaspyUser>(updateUser(changes.map(([column]) => column)), [...values, timestamp(now), id, accountId])
      return row
    }
  }
}


/** Dates as UTC text; JSON as its text (pg would send an array as a Postgres array). */
function encode (value: unknown): unknown {
  if (value instanceof Date) return timestamp(value)
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return value ?? null
}
