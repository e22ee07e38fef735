// Roam's hot statements on Postgres (see store.ts): named statements on the pool Prisma shares. pg answers
// booleans, JSONB and (through the driver's parser) TIMESTAMP(3) as JS values already; count(*) is cast to int.
import type { RoamUser } from '../db/client.js'
import { postgresTimestamp as timestamp, type PostgresDriver } from '../db/drivers.js'
import { postgresUserUpdate, type UserTable } from '../db/user-update.js'
import { ROAM_USER } from './sql.columns.js'
import type { RoamStore } from './store.js'

// Before the project is known: a SECURITY DEFINER function (see the row_level_security migration) does the lookup.
const PRINCIPAL = 'SELECT "projectId", "accountId" FROM roam_key_principal($1)'

/** The users a list counts and pages, each shape walking its own index (a group filter as `$6 IS NULL OR …` would use neither). */
const matching = (grouped: boolean) => `FROM roam_users WHERE project_id = $1${grouped ? ' AND group_id = $6' : ''}
  AND is_deleted = false AND created_at >= $2 AND created_at < $3`

// The count and the page in one statement, so one snapshot even at READ COMMITTED (the id breaks ties, so
// pages never overlap); the LEFT JOIN keeps the count when the page is past the end.
const page = (grouped: boolean) => `SELECT matching.total, page.* FROM (SELECT count(*)::int AS total ${matching(grouped)}) AS matching
  LEFT JOIN (SELECT ${ROAM_USER} ${matching(grouped)} ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5) AS page ON true
  ORDER BY page."createdAt" DESC, page.id DESC`
const PAGE = page(false)
const GROUP_PAGE = page(true)
/** For the test that holds their plans to the indexes (test/roam/list-plan.test.ts). */
export const pageStatements = { PAGE, GROUP_PAGE }

const LISTED = 'project_id = $1 AND is_deleted = false AND id = ANY($3::text[])'
const ADD_TO_GROUP = `UPDATE roam_users SET group_id = $2, updated_at = $4, version = version + 1
  WHERE ${LISTED} AND EXISTS (SELECT 1 FROM roam_groups WHERE id = $2 AND project_id = $1)
    AND (SELECT count(*) FROM roam_users WHERE ${LISTED}) = cardinality($3::text[])
  RETURNING id`

// Deleted users are gone for good: no update reaches them.
const USERS: UserTable = { name: 'roam_users', tenantColumn: 'project_id', stampColumn: 'updated_at', condition: 'is_deleted = false', returning: ROAM_USER }

export function roamPostgres (db: PostgresDriver): RoamStore {
  return {
    async principal (keyHash) {
      const [row] = await db.credentialLookup<{ projectId: string, accountId: string }>(PRINCIPAL, [keyHash])
      return row
    },

    async updateUser (projectId, id, changes, now, versions) {
      const { text, values } = postgresUserUpdate(USERS, { changes, now, id, tenant: projectId, versions })
      const [row] = await db.all<RoamUser>(text, values)
      return row
    },

    async page ({ projectId, from, until, groupId, offset, limit }) {
      const values = [projectId, timestamp(from), timestamp(until), limit, offset]
      const rows = groupId === undefined
        ? await db.all<RoamUser & { total: number }>(PAGE, values)
        : await db.all<RoamUser & { total: number }>(GROUP_PAGE, [...values, groupId])
      const users = rows.filter((row) => row.id !== null).map(({ total: _total, ...user }) => user)
      return { users, total: rows[0]?.total ?? 0 }
    },

    async addToGroup (projectId, groupId, userIds, now) {
      const rows = await db.all(ADD_TO_GROUP, [projectId, groupId, userIds, timestamp(now)])
      return rows.length
    }
  }
}
