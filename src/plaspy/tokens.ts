// POST /api/Auth/Token: a user name (or the user's email) and that user's API key buy a bearer token.
import { SignJWT } from 'jose'
import { ApiError } from '../platform/errors.js'
import { newSecret, prefixedId, secretHash } from '../platform/secrets.js'
import type { PlaspyTokenRequest } from '../../generated/schemas.js'
import { maySignIn } from './auth.js'
import type { PlaspyRepository } from './repository.js'

export async function issueToken (
  repository: PlaspyRepository,
  { userName, apiKey }: PlaspyTokenRequest,
  { lifetimeSeconds, signingKey }: { lifetimeSeconds: number, signingKey: Uint8Array },
  now: Date
): Promise<{ token: string, expires: Date }> {
  const key = await repository.keyHolder(secretHash(apiKey))
  const named = key !== undefined && (key.user.userName === userName || sameEmail(key.user.email, userName))
  const refused = () => new ApiError('unauthorized', 'Invalid API key or username.')
  if (key === undefined || key.revokedAt !== null || !named || !maySignIn(key.user, now)) throw refused()
  const expires = new Date(now.getTime() + lifetimeSeconds * 1000)
  const token = await signToken(key.user.id, now, expires, signingKey)
  const record = { id: prefixedId('tok'), userId: key.user.id, apiKeyId: key.id, tokenHash: secretHash(token), expiresAt: expires }
  if (!await repository.recordToken(record, now, MAX_TOKENS_PER_USER)) throw refused() // the user was deleted meanwhile
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
