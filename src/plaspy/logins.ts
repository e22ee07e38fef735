// Plaspy users who can sign in: a user name and an API key, minted from the command line (Plaspy issues keys
// from its web UI, never over the API), the key shown once and stored as a sha256 hash.
import type { Database } from '../db/client.js'
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors.js'
import { ApiError } from '../platform/errors.js'
import { newSecret, prefixedId, secretHash } from '../platform/secrets.js'
import { isCountry, isListedTimeZone } from './reference-data.js'
import { plaspyRepository, type PlaspyRepository } from './repository.js'

export interface NewLogin {
  accountName: string
  userName: string
  email: string
  name?: string
  country?: string
  timeZone?: string
}

export interface MintedLogin {
  user_id: string
  userName: string
  api_key: string
}

/**
 * A user with `read` and `write` and a fresh API key, in the named account (made if need be). Its country and time
 * zone must be ones the API accepts, or it could not be updated later.
 */
export async function createLogin (db: Database, login: NewLogin, now = new Date()): Promise<MintedLogin> {
  const { country = 'US', timeZone = 'UTC' } = login
  if (!isCountry(country)) throw new ApiError('validation', `"${country}" is not an ISO 3166 country`)
  if (!isListedTimeZone(timeZone)) throw new ApiError('validation', `"${timeZone}" is not an IANA time zone (see GET /api/users/timeZones)`)
  const repository = plaspyRepository(db)
  const apiKey = newSecret(24, 'base64url')
  const id = prefixedId('usr')
  await repository.createLogin({ id: prefixedId('acc'), name: login.accountName, createdAt: now }, {
    id,
    userName: login.userName,
    name: login.name ?? login.userName,
    email: login.email,
    country,
    timeZone,
    privileges: ['read', 'write'],
    creation: now,
    modification: now
  }, newKey(apiKey)).catch((error: unknown) => {
    if (!isUniqueViolation(error)) throw error
    throw new ApiError('conflict', `a user named "${login.userName}" or with email "${login.email}" already exists`)
  })
  return { user_id: id, userName: login.userName, api_key: apiKey }
}

export interface RevokedKeys {
  user_id: string
  userName: string
  revoked_keys: number
}

/**
 * Revokes the user's keys and mints a new one, shown once. Revoking a key invalidates every token bought with
 * it at once: authentication reads the key's `revokedAt` on each request.
 */
export async function regenerateKey (db: Database, userName: string, now = new Date()): Promise<MintedLogin> {
  const repository = plaspyRepository(db)
  const user = await loginNamed(repository, userName)
  const apiKey = newSecret(24, 'base64url')
  await repository.replaceKeys(user.id, newKey(apiKey), now).catch((error: unknown) => {
    if (isForeignKeyViolation(error)) throw notFound(userName) // deleted meanwhile: the key has no user
    throw error
  })
  return { user_id: user.id, userName, api_key: apiKey }
}

/** Revokes the user's keys, and with them every token they bought; the user can sign in again only with a new key. */
export async function revokeKeys (db: Database, userName: string, now = new Date()): Promise<RevokedKeys> {
  const repository = plaspyRepository(db)
  const user = await loginNamed(repository, userName)
  const revoked = await repository.replaceKeys(user.id, undefined, now)
  return { user_id: user.id, userName, revoked_keys: revoked }
}

export interface UsageCounters {
  user_id: string
  userName: string
  apiUsage: number
  apiDailyUsage: number
}

/** The counters Plaspy's envelopes carry, as they stand at `now` (the daily one is 0 on a day without requests). */
export async function usageOf (db: Database, userName: string, now = new Date()): Promise<UsageCounters> {
  const usage = await plaspyRepository(db).usageNamed(userName, now.toISOString().slice(0, 10))
  if (usage === undefined) throw notFound(userName)
  return { user_id: usage.id, userName, apiUsage: usage.total, apiDailyUsage: usage.daily }
}

function newKey (apiKey: string) {
  return { id: prefixedId('key'), keyHash: secretHash(apiKey) }
}

async function loginNamed (repository: PlaspyRepository, userName: string): Promise<{ id: string }> {
  const user = await repository.loginNamed(userName)
  if (user === undefined) throw notFound(userName)
  return user
}

function notFound (userName: string): ApiError {
  return new ApiError('not_found', `no Plaspy user named "${userName}"`)
}
