// Roam API keys: minted from the command line (Roam issues them from its dashboard, never over the API),
// shown once, stored as a sha256 hash. Listing shows only the last four characters; revoking takes effect
// on the next request: it empties every server's cache of keys (changeCredentials).
import type { Database } from '../db/client.js'
import { isForeignKeyViolation } from '../db/errors.js'
import { ApiError } from '../platform/errors.js'
import { newSecret, objectId, prefixedId, secretHash } from '../platform/secrets.js'
import { roamRepository, type NewRoamKey, type RoamApiKey, type RoamRepository } from './repository.js'

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
  const apiKey = newSecret(16, 'hex') // 32 lowercase hex characters, like Roam's keys
  const key = { id: prefixedId('key'), keyHash: secretHash(apiKey), hint: apiKey.slice(-4), createdAt: now }
  const project = projectId === undefined
    ? await repository.createProject({ id: objectId(), name: accountName, createdAt: now }, { id: objectId(), createdAt: now }, key)
    : await keyForProject(repository, accountName, projectId, key)
  if (project === undefined) throw new ApiError('not_found', `account "${accountName}" has no project ${projectId}`)
  return { account_id: project.accountId, project_id: project.id, key_id: key.id, api_key: apiKey }
}

async function keyForProject (repository: RoamRepository, accountName: string, projectId: string, key: Omit<NewRoamKey, 'projectId'>) {
  const project = await repository.projectOf(accountName, projectId)
  // A project a reset deleted meanwhile refuses the key by its foreign key: as if it had never been there.
  return project && repository.createKey({ ...key, projectId }).then(() => project, (error: unknown) => {
    if (isForeignKeyViolation(error)) return undefined
    throw error
  })
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
