// Bearer-token authentication. Tokens are opaque and stored hashed; a token is good while it has not
// expired, the API key that bought it is not revoked, and its user may sign in (not disabled, inside
// the from..expires window). Each authenticated request is counted before anything else can fail.
import type { PrismaClient } from '../db/client.js'
import { ApiError } from '../platform/errors.js'
import { secretHash } from '../platform/secrets.js'
import { countRequest, type Usage } from './usage.js'

export interface PlaspyPrincipal {
  userId: string
  accountId: string
  privileges: string[]
  usage: Usage
}

/** Whether a user may obtain and use tokens at `now`. */
export function maySignIn (
  user: { disabled: boolean, validFrom: Date | null, validUntil: Date | null },
  now: Date
): boolean {
  return !user.disabled && (user.validFrom === null || user.validFrom <= now) && (user.validUntil === null || now < user.validUntil)
}

const invalidToken = () => new ApiError('unauthorized', 'Authentication failed. Invalid token.')

// RFC 6750 §2.1: the scheme is case-insensitive, the token is one token68.
const bearer = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

export async function authenticatePlaspy (prisma: PrismaClient, header: string | undefined, now: Date): Promise<PlaspyPrincipal> {
  const token = header === undefined ? undefined : bearer.exec(header)?.[1]
  if (token === undefined) throw invalidToken()
  const found = await prisma.plaspyToken.findUnique({
    where: { tokenHash: secretHash(token) },
    select: {
      expiresAt: true,
      apiKey: { select: { revokedAt: true } },
      user: { select: { id: true, accountId: true, privileges: true, disabled: true, validFrom: true, validUntil: true } }
    }
  })
  if (found === null || found.expiresAt <= now || found.apiKey.revokedAt !== null || !maySignIn(found.user, now)) {
    throw invalidToken()
  }
  const { id, accountId, privileges } = found.user
  return { userId: id, accountId, privileges: privileges as string[], usage: await countRequest(prisma, id, now) }
}

/** Reading needs `read`; every change needs `write`. */
export function authorize (principal: PlaspyPrincipal, method: string): void {
  const needed = method === 'GET' ? 'read' : 'write'
  if (!principal.privileges.includes(needed)) throw new ApiError('forbidden', 'Unauthorized access')
}
