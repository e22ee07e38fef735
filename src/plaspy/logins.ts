// Plaspy users who can sign in: a user name and an API key, minted from the command line (Plaspy issues keys
// from its web UI, never over the API), the key shown once and stored as a sha256 hash.
import { changeCredentials, type PrismaClient } from '../db/client.js'
import { findOrCreate } from '../db/find-or-create.js'
import { newSecret, prefixedId, secretHash } from '../platform/secrets.js'

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

/** A user with `read` and `write` and a fresh API key, in the named account (made if need be). */
export async function createLogin (prisma: PrismaClient, login: NewLogin): Promise<MintedLogin> {
  const where = { name: login.accountName }
  const account = await findOrCreate(
    () => prisma.plaspyAccount.upsert({ where, create: { id: prefixedId('acc'), ...where }, update: {} }),
    () => prisma.plaspyAccount.findUniqueOrThrow({ where }))
  const apiKey = newSecret(24, 'base64url')
  const user = await prisma.plaspyUser.create({
    data: {
      id: prefixedId('usr'),
      accountId: account.id,
      userName: login.userName,
      name: login.name ?? login.userName,
      email: login.email,
      country: login.country ?? 'US',
      timeZone: login.timeZone ?? 'UTC',
      privileges: ['read', 'write'],
      apiKeys: { create: { id: prefixedId('key'), keyHash: secretHash(apiKey) } }
    }
  })
  return { user_id: user.id, userName: login.userName, api_key: apiKey }
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
export async function regenerateKey (prisma: PrismaClient, userName: string, now = new Date()): Promise<MintedLogin> {
  const user = await loginNamed(prisma, userName)
  const apiKey = newSecret(24, 'base64url')
  await changeCredentials(prisma, [
    revokeKeysOf(prisma, user.id, now),
    prisma.plaspyApiKey.create({ data: { id: prefixedId('key'), userId: user.id, keyHash: secretHash(apiKey), createdAt: now } })
  ])
  return { user_id: user.id, userName, api_key: apiKey }
}

/** Revokes the user's keys, and with them every token they bought; the user can sign in again only with a new key. */
export async function revokeKeys (prisma: PrismaClient, userName: string, now = new Date()): Promise<RevokedKeys> {
  const user = await loginNamed(prisma, userName)
  const [{ count }] = await changeCredentials(prisma, [revokeKeysOf(prisma, user.id, now)]) as [{ count: number }]
  return { user_id: user.id, userName, revoked_keys: count }
}

function revokeKeysOf (prisma: PrismaClient, userId: string, now: Date) {
  return prisma.plaspyApiKey.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } })
}

async function loginNamed (prisma: PrismaClient, userName: string): Promise<{ id: string }> {
  const user = await prisma.plaspyUser.findUnique({ where: { userName }, select: { id: true } })
  if (user === null) throw new Error(`no Plaspy user named "${userName}"`)
  return user
}
