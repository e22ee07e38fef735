// POST /api/Auth/Token: a user name (or the user's email) and that user's API key buy a bearer token.
import type { PrismaClient } from '../db/client.js'
import { ApiError } from '../platform/errors.js'
import { newSecret, prefixedId, secretHash } from '../platform/secrets.js'
import type { PlaspyTokenRequest } from '../../generated/schemas.js'
import { maySignIn } from './auth.js'

export async function issueToken (
  prisma: PrismaClient,
  { userName, apiKey }: PlaspyTokenRequest,
  lifetimeSeconds: number,
  now: Date
): Promise<{ token: string, expires: Date }> {
  // findFirst: Prisma batches the findUnique calls of one tick into one query, tenants mixed (see db/tenant.ts).
  const key = await prisma.plaspyApiKey.findFirst({
    where: { keyHash: secretHash(apiKey) },
    select: {
      id: true,
      revokedAt: true,
      user: { select: { id: true, userName: true, email: true, disabled: true, validFrom: true, validUntil: true } }
    }
  })
  const named = key !== null && (key.user.userName === userName || sameEmail(key.user.email, userName))
  if (key === null || key.revokedAt !== null || !named || !maySignIn(key.user, now)) {
    throw new ApiError('unauthorized', 'Invalid API key or username.')
  }
  const token = newSecret(32, 'base64url')
  const expires = new Date(now.getTime() + lifetimeSeconds * 1000)
  await prisma.$transaction([
    ...await prune(prisma, key.user.id, now),
    prisma.plaspyToken.create({
      data: { id: prefixedId('tok'), userId: key.user.id, apiKeyId: key.id, tokenHash: secretHash(token), expiresAt: expires, createdAt: now }
    }),
    // lastLogin is part of the user as GET answers it, so its version (ETag) moves too.
    prisma.plaspyUser.update({ where: { id: key.user.id }, data: { lastLogin: now, version: { increment: 1 } } })
  ])
  return { token, expires }
}

/**
 * Emails match ignoring the case of ASCII letters: the rule the database holds emails unique by (an index on
 * lower(email), which folds ASCII letters only on both providers).
 */
export function sameEmail (a: string, b: string): boolean {
  const fold = (email: string) => email.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
  return fold(a) === fold(b)
}

/** Live tokens one user may hold; issuing one more retires the oldest. */
export const MAX_TOKENS_PER_USER = 100

/**
 * The deletes that keep a user's tokens bounded, run with each issue: those expired or bought with a revoked
 * key, and the oldest beyond MAX_TOKENS_PER_USER. Only this user's rows, by its index: no sweep over the table.
 */
async function prune (prisma: PrismaClient, userId: string, now: Date) {
  const surplus = await prisma.plaspyToken.findMany({
    where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: MAX_TOKENS_PER_USER - 1, select: { id: true }
  })
  return [prisma.plaspyToken.deleteMany({
    where: { userId, OR: [{ expiresAt: { lte: now } }, { apiKey: { revokedAt: { not: null } } }, { id: { in: surplus.map(({ id }) => id) } }] }
  })]
}
