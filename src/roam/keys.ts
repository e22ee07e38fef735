// Roam API keys: minted from the command line (Roam issues them from its dashboard, never over the API),
// shown once, stored as a sha256 hash. Listing shows only the last four characters; revoking takes effect
// on the next request: it empties every server's cache of keys (changeCredentials).
import type { Database } from '../db/client.js'
import { ApiError } from '../platform/errors.js'
import { newSecret, objectId, prefixedId, secretHash } from '../platform/secrets.js'
import { roamRepository, type RoamApiKey, type RoamRepository } from './repository.js'

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
export async function createRoamKey (db: Database, accountName: string, projectId?: string, now = new Date()): Promise<MintedRoamKey> {
  const repository = roamRepository(db)
  const project = projectId === undefined
    ? await newProject(repository, accountName, now)
    : await repository.projectOf(accountName, projectId)
  if (project === undefined) throw new ApiError('not_found', `account "${accountName}" has no project ${projectId}`)
  const apiKey = newSecret(16, 'hex') // 32 lowercase hex characters, like Roam's keys
  const keyId = prefixedId('key')
  await repository.createKey({ id: keyId, projectId: project.id, keyHash: secretHash(apiKey), hint: apiKey.slice(-4), createdAt: now })
  return { account_id: project.accountId, project_id: project.id, key_id: keyId, api_key: apiKey }
}

async function newProject (repository: RoamRepository, accountName: string, now: Date) {
  const project = { id: objectId(), accountId: await repository.accountNamed(accountName, objectId(), now), createdAt: now }
  await repository.createProject(project)
  return project
}

/** Every key of every project of the account, oldest first, revoked ones included. */
export async function listRoamKeys (db: Database, accountName: string): Promise<RoamKeySummary[]> {
  const keys = await roamRepository(db).keysOf(accountName)
  if (keys === undefined) throw new ApiError('not_found', `no Roam account named "${accountName}"`)
  return keys.map(summary)
}

/** Revokes the key at `now`; revoking it again keeps the first time. */
export async function revokeRoamKey (db: Database, keyId: string, now = new Date()): Promise<RoamKeySummary> {
  const key = await roamRepository(db).revokeKey(keyId, now)
  if (key === undefined) throw new ApiError('not_found', `no Roam API key with id "${keyId}"`)
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
