// Api-Key authentication: one key speaks for one project of one account. Node lower-cases header
// names, so `Api-Key`, `Api-key` and the vendor sample's `APi-Key` all arrive as `api-key`.
import type { PrismaClient } from '../db/client.js'
import { ApiError } from '../platform/errors.js'
import { secretHash } from '../platform/secrets.js'

export interface RoamPrincipal {
  accountId: string
  projectId: string
}

export async function authenticateRoam (prisma: PrismaClient, header: string | string[] | undefined): Promise<RoamPrincipal> {
  if (header === undefined || header === '') throw new ApiError('unauthorized', 'No Api key in Header provided')
  const key = typeof header === 'string'
    ? await prisma.roamApiKey.findUnique({
      where: { keyHash: secretHash(header) },
      select: { revokedAt: true, project: { select: { id: true, accountId: true } } }
    })
    : null // the header sent twice: ambiguous, never guessed at
  if (key === null || key.revokedAt !== null) throw new ApiError('unauthorized', 'Invalid Api key.')
  return { accountId: key.project.accountId, projectId: key.project.id }
}
