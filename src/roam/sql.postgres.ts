// Roam's hot statements on Postgres (see store.ts): named statements on the pool Prisma shares. pg answers
// booleans, JSONB and (through the driver's parser) TIMESTAMP(3) as JS values already; count(*) is cast to int.
import type { RoamUser } from '../db/client.js'
import { postgresTimestamp as timestamp, type PostgresDriver } from '../db/drivers.js'
import { ROAM_USER } from './sql.columns.js'
import type { RoamStore } from './store.js'

const PRINCIPAL = `SELECT p.id AS "projectId", p.account_id AS "accountId"
  FROM roam_api_keys k JOIN roam_projects p ON p.id = k.project_id
  WHERE k.key_hash = $1 AND k.revoked_at IS NULL`

const MATCHING = `FROM roam_users WHERE project_id = $1 AND is_deleted = false AND created_at >= $2 AND created_at < $3
  AND ($4::text IS NULL OR group_id = $4)`

// The count and the page in one statement, so one snapshot even at READ COMMITTED (the id breaks ties, so
// pages never overlap); the LEFT JOIN keeps the count when the page is past the end.
const PAGE = `SELECT matching.total, page.* FROM (SELECT count(*)::int AS total ${MATCHING}) AS matching
  LEFT JOIN (SELECT ${ROAM_USER} ${MATCHING} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6) AS page ON true
  ORDER BY page."createdAt" DESC, page.id DESC`

/** `SET` the changed columns and updated_at; the statement text depends only on which columns (at most 2^9). */
function updateUser (columns: readonly string[]): string {
  const n = columns.length
  const set = [...columns.map((column, i) => `${column} = $${i + 1}`), `updated_at = $${n + 1}`].join(', ')
  return `UPDATE roam_users SET ${set} WHERE id = $${n + 2} AND project_id = $${n + 3} AND is_deleted = false RETURNING ${ROAM_USER}`
}

export function roamPostgres (db: PostgresDriver): RoamStore {
  return {
    async principal (keyHash) {
      const [row] = await db.all<{ projectId: string, accountId: string }>(PRINCIPAL, [keyHash])
      return row
    },

    async updateUser (projectId, id, changes, now) {
      const values = changes.map(([, value]) => encode(value))
      const [row] = await db.all<RoamUser>(updateUser(changes.map(([column]) => column)), [...values, timestamp(now), id, projectId])
      return row
    },

    async page ({ projectId, from, until, groupId, offset, limit }) {
      const rows = await db.all<RoamUser & { total: number }>(PAGE, [projectId, timestamp(from), timestamp(until), groupId ?? null, limit, offset])
      const users = rows.filter((row) => row.id !== null).map(({ total: _total, ...user }) => user)
      return { users, total: rows[0]?.total ?? 0 }
    }
  }
}


/** pg would send a JS object as text anyway, but an array as a Postgres array: JSON goes as its text. */
function encode (value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value ?? null
}

