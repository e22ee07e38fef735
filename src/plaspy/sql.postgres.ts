// Plaspy's hot statements on Postgres (see store.ts): named statements on the pool Prisma shares. pg answers
// booleans, JSONB and (through the driver's parser) TIMESTAMP(3) as JS values already.
import type { PlaspyUser } from '../db/client.js'
import { postgresTimestamp as timestamp, type PostgresDriver } from '../db/drivers.js'
import { postgresUserUpdate, type UserTable } from '../db/user-update.js'
import { PLASPY_USER } from './sql.columns.js'
import type { PlaspyStore } from './store.js'

// Before the account is known: SECURITY DEFINER functions (see the row_level_security migration) read the
// credentials; the first runs countTokenRequest()'s statement.
const COUNT_TOKEN_REQUEST = 'SELECT "userId", "accountId", privileges, total, daily FROM plaspy_count_token_request($1, $2::timestamp, $3)'
const KEY_ACCOUNT = 'SELECT plaspy_api_key_account($1) AS "accountId"'

const USER = `SELECT ${PLASPY_USER} FROM plaspy_users WHERE id = $1 AND account_id = $2`

// Row values compare as the index (account_id, creation, id) is ordered: one range, walked from where the last batch ended.
const USERS_AFTER = `SELECT ${PLASPY_USER} FROM plaspy_users WHERE account_id = $1 AND (creation, id) > ($2::timestamp, $3)
  ORDER BY creation, id LIMIT $4`

const USERS: UserTable = { name: 'plaspy_users', tenantColumn: 'account_id', stampColumn: 'modification', returning: PLASPY_USER }

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

    async usersAfter (accountId, after, limit) {
      const [creation, id] = after === undefined ? ['-infinity', ''] : [timestamp(after.creation), after.id]
      return await db.all<PlaspyUser>(USERS_AFTER, [accountId, creation, id, limit])
    },

    async updateUser (accountId, id, changes, now, versions) {
      const { text, values } = postgresUserUpdate(USERS, { changes, now, id, tenant: accountId, versions })
      const [row] = await db.all<PlaspyUser>(text, values)
      return row
    }
  }
}
