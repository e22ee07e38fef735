// POST /api/Auth/Token: a user name (or the user's email) and that user's API key buy a bearer token.
import type { PrismaClient } from '../db/client.js'
import { SignJWT } from 'jose'
import { ApiError } from '../platform/errors.js'
import { newSecret, prefixedId, secretHash } from '../platform/secrets.js'
import type { PlaspyTokenRequest } from '../../generated/schemas.js'
import { maySignIn } from './auth.js'

export async function issueToken (
  prisma: PrismaClient,
  { userName, apiKey }: PlaspyTokenRequest,
  { lifetimeSeconds, signingKey }: { lifetimeSeconds: number, signingKey: Uint8Array },
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
  const expires = new Date(now.getTime() + lifetimeSeconds * 1000)
  const token = await signToken(key.user.id, now, expires, signingKey)
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

/**
 * The vendor's tokens are HS512 JWTs, and clients read `exp` from them to renew in time: so are these, with the
 * user as `sub` and a random `jti`. The server still checks a token by its stored hash, never by its
 * signature alone: a token it did not issue (`alg: none`, another algorithm, another key) matches no row, and
 * a revoked one stops working at once.
 */
function signToken (userId: string, now: Date, expires: Date, key: Uint8Array): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
    .setSubject(userId)
    .setJti(newSecret(16, 'base64url'))
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expires.getTime() / 1000)) // not past the row's expiry
    .sign(key)
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
