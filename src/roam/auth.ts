// Api-Key authentication: one key speaks for one project of one account. Node lower-cases header
// names, so `Api-Key`, `Api-key` and the vendor sample's `APi-Key` all arrive as `api-key`. Keys are looked up
// by their hash in a cache that every revocation empties at once (src/platform/credential-cache.ts).
import { ApiError } from '../platform/errors.js'
import type { CredentialCache } from '../platform/credential-cache.js'
import { secretHash } from '../platform/secrets.js'
import type { RoamRepository } from './repository.js'

export interface RoamPrincipal {
  accountId: string
  projectId: string
}

export const invalidKey = () => new ApiError('unauthorized', 'Invalid Api key.')

export async function authenticateRoam (
  keys: CredentialCache<RoamPrincipal>,
  repository: Pick<RoamRepository, 'principal'>,
  header: string | string[] | undefined
): Promise<RoamPrincipal> {
  if (header === undefined || header === '') throw new ApiError('unauthorized', 'No Api key in Header provided')
  const principal = typeof header === 'string'
    ? await keys.lookup(secretHash(header), (hash) => repository.principal(hash))
    : undefined // the header sent twice: ambiguous, never guessed at
  if (principal === undefined) throw invalidKey()
  return principal
}
