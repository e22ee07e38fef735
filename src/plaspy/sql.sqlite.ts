// Plaspy's hot statements on SQLite (see store.ts). Values as Prisma's adapter stores them: booleans 0/1, JSON
// as text, timestamps as ISO 8601 text with +00:00 (which sorts and compares chronologically).
import type { PlaspyUser } from '../db/client.js'
import { sqliteTimestamp as timestamp, type SqliteDriver } from '../db/drivers.js'
import { sqliteUserUpdate, type UserTable } from '../db/user-update.js'
import { countTokenRequest, PLASPY_USER } from './sql.columns.js'
import type { PlaspyStore } from './store.js'

const COUNT_TOKEN_REQUEST = countTokenRequest((name) => `@${name}`, '0')

const USER = `SELECT ${PLASPY_USER} FROM plaspy_users WHERE id = @id AND account_id = @accountId`

// Row values compare as the index (account_id, creation, id) is ordered: one range, walked from where the last batch ended.
const USERS_AFTER = `SELECT ${PLASPY_USER} FROM plaspy_users WHERE account_id = @accountId AND (creation, id) > (@creation, @id)
  ORDER BY creation, id LIMIT @limit`
const KEY_ACCOUNT = 'SELECT u.account_id AS accountId FROM plaspy_api_keys k JOIN plaspy_users u ON u.id = k.user_id WHERE k.key_hash = @keyHash'

const USERS: UserTable = { name: 'plaspy_users', tenantColumn: 'account_id', stampColumn: 'modification', returning: PLASPY_USER }

export function plaspySqlite (db: SqliteDriver): PlaspyStore {
  return {
    async authenticate (tokenHash, now) {
      const [row] = await db.all<{ userId: string, accountId: string, privileges: string, total: number, daily: number }>(
        COUNT_TOKEN_REQUEST, { tokenHash, now: timestamp(now), day: now.toISOString().slice(0, 10) })
      if (row === undefined) return undefined
      const { userId, accountId, privileges, total, daily } = row
      return { userId, accountId, privileges: JSON.parse(privileges), usage: { apiUsage: total, apiDailyUsage: daily } }
    },

    async keyAccount (keyHash) {
      const [row] = await db.all<{ accountId: string }>(KEY_ACCOUNT, { keyHash })
      return row?.accountId
    },

    async getUser (accountId, id) {
      const [row] = await db.all<RawUser>(USER, { id, accountId })
      return row === undefined ? undefined : decode(row)
    },

    async usersAfter (accountId, after, limit) {
      // '' sorts before every timestamp and id SQLite holds as text.
      const position = after === undefined ? { creation: '', id: '' } : { creation: timestamp(after.creation), id: after.id }
      const rows = await db.all<RawUser>(USERS_AFTER, { accountId, ...position, limit })
      return rows.map(decode)
    },

    async updateUser (accountId, id, changes, now, versions) {
      const { sql, params } = sqliteUserUpdate(USERS, { changes, now, id, tenant: accountId, versions })
      const [row] = await db.all<RawUser>(sql, params)
      return row === undefined ? undefined : decode(row)
    }
  }
}

type RawUser = Record<keyof PlaspyUser, unknown>

function decode (row: RawUser): PlaspyUser {
  const date = (value: unknown) => value === null ? null : new Date(value as string)
  return {
    id: row.id as string,
    accountId: row.accountId as string,
    userName: row.userName as string | null,
    name: row.name as string,
    email: row.email as string,
    country: row.country as string,
    timeZone: row.timeZone as string,
    description: row.description as string | null,
    message: row.message as string | null,
    disabled: row.disabled === 1,
    disabledMessage: row.disabledMessage as string | null,
    tags: row.tags === null ? null : JSON.parse(row.tags as string),
    privileges: JSON.parse(row.privileges as string),
    groupName: row.groupName as string | null,
    deviceId: row.deviceId as string | null,
    adminDevices: row.adminDevices as number | null,
    validFrom: date(row.validFrom),
    validUntil: date(row.validUntil),
    passwordHash: row.passwordHash as string | null,
    creation: new Date(row.creation as string),
    modification: new Date(row.modification as string),
    lastLogin: date(row.lastLogin),
    version: row.version as number
  }
}
