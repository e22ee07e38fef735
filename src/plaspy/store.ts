// Plaspy's hot paths as one statement each, through the app's own driver connection (src/db/drivers.ts):
// authentication with usage metering, Get User and Update User. The SQL of each provider is in sql.sqlite.ts
// and sql.postgres.ts; rows are shaped exactly like Prisma's, so the wire mappers cannot tell them apart.
// Every statement is scoped by the principal's account.
import type { Database, PlaspyUser } from '../db/client.js'
import { plaspyPostgres } from './sql.postgres.js'
import { plaspySqlite } from './sql.sqlite.js'

export interface Usage {
  apiUsage: number
  apiDailyUsage: number
}

/** Who a good token speaks for, and its request counted. */
export interface CountedPrincipal {
  userId: string
  accountId: string
  privileges: string[]
  usage: Usage
}

/** A writable column and its value as JS holds it (each provider encodes it for its driver). */
export type Change = readonly [column: PlaspyUserColumn, value: unknown]

/** The model's writable fields -> their columns. */
export const PLASPY_USER_COLUMNS = {
  name: 'name',
  email: 'email',
  country: 'country',
  timeZone: 'time_zone',
  description: 'description',
  message: 'message',
  disabled: 'disabled',
  disabledMessage: 'disabled_message',
  tags: 'tags',
  privileges: 'privileges',
  groupName: 'group_name',
  deviceId: 'device_id',
  adminDevices: 'admin_devices',
  validFrom: 'valid_from',
  validUntil: 'valid_until',
  passwordHash: 'password_hash'
} as const

export type PlaspyUserColumn = typeof PLASPY_USER_COLUMNS[keyof typeof PLASPY_USER_COLUMNS]

export interface PlaspyStore {
  /**
   * Counts the request of a token that is good at `now` (not expired, its key not revoked, its user allowed
   * to sign in) and answers its principal; undefined, counting nothing, for any other token. One statement:
   * authentication costs no round trip beyond the metering every request needs anyway, and a revocation
   * holds from the next request on, whichever process made it.
   */
  authenticate (tokenHash: string, now: Date): Promise<CountedPrincipal | undefined>
  /** The account of the user an API key belongs to, revoked or not: the tenant to sign in with it in. */
  keyAccount (keyHash: string): Promise<string | undefined>
  getUser (accountId: string, id: string): Promise<PlaspyUser | undefined>
  /** Up to `limit` users of the account in List Users' order (creation, then id), after `after` (from the first when undefined). */
  usersAfter (accountId: string, after: Pick<PlaspyUser, 'creation' | 'id'> | undefined, limit: number): Promise<PlaspyUser[]>
  /**
   * Sets the columns and `modification`, and moves the version; undefined if the account has no such user, or
   * if `versions` is given and the user's is not among them (compare-and-set).
   */
  updateUser (accountId: string, id: string, changes: Change[], now: Date, versions?: readonly number[]): Promise<PlaspyUser | undefined>
}

export function plaspyStore ({ driver }: Database): PlaspyStore {
  return driver.provider === 'sqlite' ? plaspySqlite(driver.sqlite) : plaspyPostgres(driver.postgres)
}
