// The baseline's SQL, one text for both databases: `$n` placeholders as Postgres writes them (the SQLite store
// rewrites them to `?`). Columns are aliased to the wire names, so rows need next to no mapping.

/** A row as the driver returns it, after the store has turned its values into JS ones. */
export type Row = Record<string, any>

/** One column to write: its name, and the value as JS has it (the store encodes it for its driver). */
export type Change = [column: string, value: unknown]

/** What both stores provide: the few statements the four benchmarked endpoints need. */
export interface Store {
  roamKey (keyHash: string): Promise<Row | undefined>
  updateRoamUser (projectId: string, userId: string, changes: Change[], now: Date): Promise<Row | undefined>
  listRoamUsers (projectId: string, from: Date, until: Date, offset: number): Promise<{ total: number, rows: Row[] }>
  plaspyToken (tokenHash: string): Promise<Row | undefined>
  countRequest (userId: string, day: string): Promise<{ total: number, daily: number }>
  getPlaspyUser (accountId: string, userId: string): Promise<Row | undefined>
  updatePlaspyUser (accountId: string, userId: string, changes: Change[], now: Date): Promise<Row | undefined>
  close (): Promise<void>
}

/** How values are stored, by column name or alias; SQLite needs them to encode and decode. */
export const BOOLEAN_COLUMNS = new Set([
  'geofence_events', 'motion_events', 'location_events', 'trips_events', 'nearby_events', 'location_listener',
  'event_listener', 'is_deleted', 'disabled'
])
export const JSON_COLUMNS = new Set(['metadata', 'tags', 'privileges'])
export const TIMESTAMP_COLUMNS = new Set([
  'created_at', 'updated_at', 'expires_at', 'valid_from', 'valid_until', 'creation', 'modification', 'lastLogin', 'from', 'expires'
])

const ROAM_USER = `id, project_id, app_type, device_token, device_uuid, description, brand, model, os_version, sdk_version,
  device_arn, group_id, geofence_events, motion_events, location_events, trips_events, nearby_events, location_listener,
  event_listener, metadata, is_deleted, created_at, updated_at`

const PLASPY_USER = `id, name, email, country, time_zone AS "timeZone", description, message, disabled,
  disabled_message AS "disabledMessage", tags, privileges, group_name AS "group", device_id AS "deviceId",
  admin_devices AS "adminDevices", valid_from AS "from", valid_until AS "expires", creation, modification,
  last_login AS "lastLogin"`

const ROAM_PAGE = 'project_id = $1 AND is_deleted = false AND created_at >= $2 AND created_at < $3'

export const SQL = {
  roamKey: `SELECT p.id AS project_id, p.account_id FROM roam_api_keys k JOIN roam_projects p ON p.id = k.project_id
    WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
  // The page and the total in one statement: one snapshot, one round trip. Only an empty page (past the end)
  // needs the count on its own.
  roamPage: `SELECT ${ROAM_USER}, (SELECT count(*) FROM roam_users WHERE ${ROAM_PAGE}) AS total
    FROM roam_users WHERE ${ROAM_PAGE} ORDER BY created_at DESC, id DESC LIMIT 10 OFFSET $4`,
  roamCount: `SELECT count(*) AS total FROM roam_users WHERE ${ROAM_PAGE}`,
  plaspyToken: `SELECT t.expires_at, u.id, u.account_id, u.privileges, u.disabled, u.valid_from, u.valid_until
    FROM plaspy_tokens t JOIN plaspy_api_keys k ON k.id = t.api_key_id JOIN plaspy_users u ON u.id = t.user_id
    WHERE t.token_hash = $1 AND k.revoked_at IS NULL`,
  // The app's usage upsert (countTokenRequest in src/plaspy/repository.ts), without the token lookup the app folds into it.
  countRequest: `INSERT INTO plaspy_usage (user_id, total, day, daily) VALUES ($1, 1, $2, 1)
    ON CONFLICT (user_id) DO UPDATE SET
      total = plaspy_usage.total + 1,
      daily = CASE WHEN plaspy_usage.day = excluded.day THEN plaspy_usage.daily + 1 ELSE 1 END,
      day = excluded.day
    RETURNING total, daily`,
  plaspyUser: `SELECT ${PLASPY_USER} FROM plaspy_users WHERE id = $1 AND account_id = $2`,

  /** The columns sent, the timestamp and the version (the app's ETag); parameters: the values, now, the id, the tenant. */
  updateRoamUser: (columns: string[]) => `UPDATE roam_users SET ${assignments(columns, 'updated_at')}, version = version + 1
    WHERE id = $${columns.length + 2} AND project_id = $${columns.length + 3} AND is_deleted = false RETURNING ${ROAM_USER}`,
  updatePlaspyUser: (columns: string[]) => `UPDATE plaspy_users SET ${assignments(columns, 'modification')}, version = version + 1
    WHERE id = $${columns.length + 2} AND account_id = $${columns.length + 3} RETURNING ${PLASPY_USER}`
}

function assignments (columns: string[], stamp: string): string {
  return [...columns, stamp].map((column, i) => `"${column}" = $${i + 1}`).join(', ')
}
