// Roam's hot paths as one statement each, through the app's own driver connection (src/db/drivers.ts): the
// key lookup, Update User and a page of Get Users. The SQL of each provider is in sql.sqlite.ts and
// sql.postgres.ts; both answer rows shaped exactly like Prisma's, so the wire mappers cannot tell them apart.
// Every statement is scoped by the principal's project.
import type { Database, RoamUser } from '../db/client.js'
import type { RoamPrincipal } from './auth.js'
import { roamPostgres } from './sql.postgres.js'
import { roamSqlite } from './sql.sqlite.js'

/** A column to set: its name, and its value as JS holds it (each provider encodes it for its driver). */
export type Change = readonly [column: RoamUserColumn, value: unknown]

export type RoamUserColumn = 'description' | 'geofence_events' | 'motion_events' | 'location_events' | 'trips_events' |
  'nearby_events' | 'location_listener' | 'event_listener' | 'metadata'

export interface RoamPageQuery {
  projectId: string
  from: Date
  until: Date
  groupId: string | undefined
  offset: number
  limit: number
}

export interface RoamStore {
  /** The project and account of a key that is not revoked. */
  principal (keyHash: string): Promise<RoamPrincipal | undefined>
  /**
   * Sets the columns and updated_at of a user of the project that is not deleted, and moves its version;
   * undefined if there is none, or if `versions` is given and the user's is not among them (compare-and-set).
   */
  updateUser (projectId: string, id: string, changes: Change[], now: Date, versions?: readonly number[]): Promise<RoamUser | undefined>
  /** A page of the matching users, newest first, and how many match in all: one statement, one snapshot. */
  page (query: RoamPageQuery): Promise<{ users: RoamUser[], total: number }>
  /**
   * Puts every listed user (unique ids) of the project in its group, or none when the group or any user is not
   * the project's or is deleted: one statement, so all-or-nothing needs no transaction. Answers how many moved.
   */
  addToGroup (projectId: string, groupId: string, userIds: readonly string[], now: Date): Promise<number>
}

export function roamStore ({ driver }: Database): RoamStore {
  return driver.provider === 'sqlite' ? roamSqlite(driver.sqlite) : roamPostgres(driver.postgres)
}
