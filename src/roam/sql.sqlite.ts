// Roam's hot statements on SQLite (see store.ts). Values as Prisma's adapter stores them: booleans 0/1, JSON
// as text, timestamps as ISO 8601 text with +00:00 (which sorts and compares chronologically); the driver
// decodes the rows.
import type { RoamUser } from '../db/client.js'
import { sqliteTimestamp as timestamp, type SqliteDriver } from '../db/drivers.js'
import { sqliteUserUpdate, type UserTable } from '../db/user-update.js'
import { ROAM_USER } from './sql.columns.js'
import type { RoamStore } from './store.js'

const PRINCIPAL = `SELECT p.id AS "projectId", p.account_id AS "accountId"
  FROM roam_api_keys k JOIN roam_projects p ON p.id = k.project_id
  WHERE k.key_hash = @keyHash AND k.revoked_at IS NULL`

/** The users a list counts and pages, each shape walking its own index (a group filter as `@g IS NULL OR …` would use neither). */
const matching = (grouped: boolean) => `FROM roam_users WHERE project_id = @projectId${grouped ? ' AND group_id = @groupId' : ''}
  AND is_deleted = 0 AND created_at >= @from AND created_at < @until`

// The count and the page in one statement (the id breaks ties, so pages never overlap); the LEFT JOIN keeps
// the count when the page is past the end.
const page = (grouped: boolean) => `SELECT matching.total, page.* FROM (SELECT count(*) AS total ${matching(grouped)}) AS matching
  LEFT JOIN (SELECT ${ROAM_USER} ${matching(grouped)} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset) AS page ON true
  ORDER BY page."createdAt" DESC, page.id DESC`
const PAGE = page(false)
const GROUP_PAGE = page(true)
/** For the test that holds their plans to the indexes (test/roam/list-plan.test.ts). */
export const pageStatements = { PAGE, GROUP_PAGE }

const LISTED = 'project_id = @projectId AND is_deleted = 0 AND id IN (SELECT value FROM json_each(@userIds))'
const ADD_TO_GROUP = `UPDATE roam_users SET group_id = @groupId, updated_at = @now, version = version + 1
  WHERE ${LISTED} AND EXISTS (SELECT 1 FROM roam_groups WHERE id = @groupId AND project_id = @projectId)
    AND (SELECT count(*) FROM roam_users WHERE ${LISTED}) = @count
  RETURNING id`

// Deleted users are gone for good: no update reaches them.
const USERS: UserTable = { name: 'roam_users', tenantColumn: 'project_id', stampColumn: 'updated_at', condition: 'is_deleted = 0', returning: ROAM_USER }

export function roamSqlite (db: SqliteDriver): RoamStore {
  return {
    async principal (keyHash) {
      const [row] = await db.all<{ projectId: string, accountId: string }>(PRINCIPAL, { keyHash })
      return row
    },

    async updateUser (projectId, id, changes, now, versions) {
      const { sql, params } = sqliteUserUpdate(USERS, { changes, now, id, tenant: projectId, versions })
      const [row] = await db.all<RoamUser>(sql, params)
      return row
    },

    async page ({ projectId, from, until, groupId, offset, limit }) {
      const params = { projectId, from: timestamp(from), until: timestamp(until), offset, limit }
      const rows = groupId === undefined
        ? await db.all<RoamUser & { total: number }>(PAGE, params)
        : await db.all<RoamUser & { total: number }>(GROUP_PAGE, { ...params, groupId })
      const users = rows.filter((row) => row.id !== null).map(({ total: _total, ...user }) => user)
      return { users, total: rows[0]?.total ?? 0 }
    },

    async addToGroup (projectId, groupId, userIds, now) {
      const rows = await db.all(ADD_TO_GROUP, { projectId, groupId, userIds: JSON.stringify(userIds), count: userIds.length, now: timestamp(now) })
      return rows.length
    }
  }
}
