// Roam API keys: minted from the command line (Roam issues them from its dashboard, never over the API),
// shown once, stored as a sha256 hash. Listing shows only the last four characters; revoking takes effect
// on the next request: it empties every server's cache of keys (changeCredentials).
import { changeCredentials, type PrismaClient, type RoamApiKey } from '../db/client.js'
import { findOrCreate } from '../db/find-or-create.js'
import { newSecret, objectId, prefixedId, secretHash } from '../platform/secrets.js'

export interface MintedRoamKey {
  account_id: string
  project_id: string
  key_id: string
  api_key: string
}

/** A key as `roam-key list` shows it: never the secret nor its hash. */
export interface RoamKeySummary {
  key_id: string
  project_id: string
  hint: string
  created_at: string
  revoked_at: string | null
}

/** A key for `projectId`, or for a new project of the account named `accountName` (made if need be). */
export async function createRoamKey (prisma: PrismaClient, accountName: string, projectId?: string): Promise<MintedRoamKey> {
  const project = projectId === undefined
    ? await newProject(prisma, accountName)
    : await prisma.roamProject.findFirst({ where: { id: projectId, account: { name: accountName } } })
  if (project === null) throw new Error(`account "${accountName}" has no project ${projectId}`)
  const apiKey = newSecret(16, 'hex') // 32 lowercase hex characters, like Roam's keys
  const key = await prisma.roamApiKey.create({
    data: { id: prefixedId('key'), projectId: project.id, keyHash: secretHash(apiKey), hint: apiKey.slice(-4) }
  })
  return { account_id: project.accountId, project_id: project.id, key_id: key.id, api_key: apiKey }
}

async function newProject (prisma: PrismaClient, accountName: string) {
  const where = { name: accountName }
  const account = await findOrCreate(
    () => prisma.roamAccount.upsert({ where, create: { id: objectId(), ...where }, update: {} }),
    () => prisma.roamAccount.findUniqueOrThrow({ where }))
  return prisma.roamProject.create({ data: { id: objectId(), accountId: account.id } })
}

/** Every key of every project of the account, oldest first, revoked ones included. */
export async function listRoamKeys (prisma: PrismaClient, accountName: string): Promise<RoamKeySummary[]> {
  const account = await prisma.roamAccount.findUnique({ where: { name: accountName }, select: { id: true } })
  if (account === null) throw new Error(`no Roam account named "${accountName}"`)
  const keys = await prisma.roamApiKey.findMany({
    where: { project: { accountId: account.id } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }]
  })
  return keys.map(summary)
}

/** Revokes the key at `now`; revoking it again keeps the first time. */
export async function revokeRoamKey (prisma: PrismaClient, keyId: string, now = new Date()): Promise<RoamKeySummary> {
  await changeCredentials(prisma, [prisma.roamApiKey.updateMany({ where: { id: keyId, revokedAt: null }, data: { revokedAt: now } })])
  const key = await prisma.roamApiKey.findUnique({ where: { id: keyId } })
  if (key === null) throw new Error(`no Roam API key with id "${keyId}"`)
  return summary(key)
}

function summary (key: RoamApiKey): RoamKeySummary {
  return {
    key_id: key.id,
    project_id: key.projectId,
    hint: key.hint,
    created_at: key.createdAt.toISOString(),
    revoked_at: key.revokedAt?.toISOString() ?? null
  }
}
