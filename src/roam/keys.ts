// Roam API keys: minted from the command line (Roam issues them from its dashboard, never over the API),
// shown once, stored as a sha256 hash.
import type { PrismaClient } from '../db/client.js'
import { newSecret, objectId, prefixedId, secretHash } from '../platform/secrets.js'

export interface MintedRoamKey {
  account_id: string
  project_id: string
  api_key: string
}

/** A key for `projectId`, or for a new project of the account named `accountName` (made if need be). */
export async function createRoamKey (prisma: PrismaClient, accountName: string, projectId?: string): Promise<MintedRoamKey> {
  const account = await prisma.roamAccount.upsert({
    where: { name: accountName },
    create: { id: objectId(), name: accountName },
    update: {}
  })
  const project = projectId === undefined
    ? await prisma.roamProject.create({ data: { id: objectId(), accountId: account.id } })
    : await prisma.roamProject.findFirstOrThrow({ where: { id: projectId, accountId: account.id } })
  const apiKey = newSecret(16, 'hex') // 32 lowercase hex characters, like Roam's keys
  await prisma.roamApiKey.create({
    data: { id: prefixedId('key'), projectId: project.id, keyHash: secretHash(apiKey), hint: apiKey.slice(-4) }
  })
  return { account_id: account.id, project_id: project.id, api_key: apiKey }
}
