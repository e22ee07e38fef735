// Bearer-token authentication. Tokens (JWTs, see tokens.ts) are checked by their stored hash; a token is good while it has not
// expired, the API key that bought it is not revoked, and its user may sign in (not disabled, inside
// the from..expires window). Each authenticated request is counted before anything else can fail: the
// check and the count are one statement (PlaspyRepository.authenticate).
import { ApiError } from '../platform/errors.js'
import { secretHash } from '../platform/secrets.js'
import { bearerToken } from '../platform/security.js'
import type { CountedPrincipal, PlaspyRepository } from './repository.js'

export type PlaspyPrincipal = CountedPrincipal

/** Whether a user may obtain tokens at `now` (the same rule as the SQL of PlaspyRepository.authenticate). */
export function maySignIn (
  user: { disabled: boolean, validFrom: Date | null, validUntil: Date | null },
  now: Date
): boolean {
  return !user.disabled && (user.validFrom === null || user.validFrom <= now) && (user.validUntil === null || now < user.validUntil)
}

export const invalidToken = () => new ApiError('unauthorized', 'Authentication failed. Invalid token.')

export async function authenticatePlaspy (repository: Pick<PlaspyRepository, 'authenticate'>, header: string | undefined, now: Date): Promise<PlaspyPrincipal> {
  const token = bearerToken(header)
  const principal = token === undefined ? undefined : await repository.authenticate(secretHash(token), now)
  if (principal === undefined) throw invalidToken()
  return principal
}

/** Reading needs `read`; every change needs `write`. */
export function authorize (principal: PlaspyPrincipal, method: string): void {
  const needed = method === 'GET' ? 'read' : 'write'
  if (!principal.privileges.includes(needed)) throw new ApiError('forbidden', 'Unauthorized access')
}
