// Plaspy's hot statements on Postgres (see store.ts): named statements on the pool Prisma shares. pg answers
// booleans, JSONB and (through the driver's parser) TIMESTAMP(3) as JS values already.
import type { PlaspyUser } from '../db/client.js'
import { postgresTimestamp as timestamp, type PostgresDriver } from '../db/drivers.js'
import { PLASPY_USER } from './sql.columns.js'
import type { PlaspyStore } from './store.js'

// Before the account is known: SECURITY DEFINER functions (see the row_level_security migration) read the
// credentials; the first runs countTokenRequest()'s statement.
const COUNT_TOKEN_REQUEST = 'SELECT "userId", "accountId", privileges, total, daily FROM plaspy_count_token_request($1, $2::timestamp, $3)'
const KEY_ACCOUNT = 'SELECT plaspy_api_key_account($1) AS "accountId"'

const USER = `SELECT ${PLASPY_USER} FROM plaspy_users WHERE id = $1 AND account_id = $2`

/**
 * `SET` the changed columns and `modification`, moving the version; with a last parameter (int[]), only if
 * the version is one of them. The text depends only on which columns are set and whether versions.
 */
function updateUser (columns: readonly string[], compareVersion: boolean): string {
  const n = columns.length
  const set = [...columns.map((column, i) => `${column} = $${i + 1}`), `modification = $${n + 1}`, 'version = version + 1'].join(', ')
  const expected = compareVersion ? ` AND version = ANY($${n + 4}::int[])` : ''
  return `UPDATE plaspy_users SET ${set} WHERE id = $${n + 2} AND account_id = $${n + 3}${expected} RETURNING ${PLASPY_USER}`
}

export function plaspyPostgres (db: PostgresDriver): PlaspyStore {
  return {
    async authenticate (tokenHash, now) {
      const [row] = await db.credentialLookup<{ userId: string, accountId: string, privileges: string[], total: number, daily: number }>(
        COUNT_TOKEN_REQUEST, [tokenHash, timestamp(now), now.toISOString().slice(0, 10)])
      if (row === undefined) return undefined
      const { userId, accountId, privileges, total, daily } = row
      return { userId, accountId, privileges, usage: { apiUsage: total, apiDailyUsage: daily } }
    },

    async keyAccount (keyHash) {
      const [row] = await db.credentialLookup<{ accountId: string | null }>(KEY_ACCOUNT, [keyHash])
      return row?.accountId ?? undefined
    },

    async getUser (accountId, id) {
      const [row] = await db.all<PlaspyUser>(USER, [id, accountId])
      return row
    },

    async updateUser (accountId, id, changes, now, versions) {
      const values = [...changes.map(([, value]) => encode(value)), timestamp(now), id, accountId]
      if (versions !== undefined) values.push([...versions])
      const [row] = await db.all<PlaspyUser>(updateUser(changes.map(([column]) => column), versions !== undefined), values)
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
