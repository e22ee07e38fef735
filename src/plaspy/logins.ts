// Plaspy users who can sign in: a user name and an API key, minted from the command line (Plaspy issues keys
// from its web UI, never over the API), the key shown once and stored as a sha256 hash.
import type { PrismaClient } from '../db/client.js'
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
  const account = await prisma.plaspyAccount.upsert({
    where: { name: login.accountName },
    create: { id: prefixedId('acc'), name: login.accountName },
    update: {}
  })
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
