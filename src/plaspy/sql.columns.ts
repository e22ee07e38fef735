// What both providers' statements share (sql.sqlite.ts, sql.postgres.ts).

/** The columns of plaspy_users under the model's field names, as Prisma's `PlaspyUser` has them. */
export const PLASPY_USER = `id, account_id AS "accountId", user_name AS "userName", name, email, country, time_zone AS "timeZone",
  description, message, disabled, disabled_message AS "disabledMessage", tags, privileges, group_name AS "groupName",
  device_id AS "deviceId", admin_devices AS "adminDevices", valid_from AS "validFrom", valid_until AS "validUntil",
  password_hash AS "passwordHash", creation, modification, last_login AS "lastLogin", version`

/**
 * Authenticate and count, in one statement: the usage upsert, fed by the token lookup, so a
 * token that is not good inserts nothing and answers no row. `daily` restarts on a new UTC day. RETURNING's
 * subqueries read the user's tenant and privileges in the same statement. Placeholders: `:tokenHash`, `:now`
 * and `:day`, each provider writes them its way; `:false` is how it spells false. SQLite runs it as it is;
 * Postgres runs the same statement inside plaspy_count_token_request() (migration row_level_security), which
 * sees past row-level security: a change here needs a migration replacing that function.
 */
export function countTokenRequest (param: (name: 'tokenHash' | 'now' | 'day') => string, sqlFalse: string): string {
  return `INSERT INTO plaspy_usage (user_id, total, day, daily)
  SELECT u.id, 1, ${param('day')}, 1
    FROM plaspy_tokens t JOIN plaspy_api_keys k ON k.id = t.api_key_id JOIN plaspy_users u ON u.id = t.user_id
    WHERE t.token_hash = ${param('tokenHash')} AND t.expires_at > ${param('now')} AND k.revoked_at IS NULL
      AND u.disabled = ${sqlFalse} AND (u.valid_from IS NULL OR u.valid_from <= ${param('now')})
      AND (u.valid_until IS NULL OR ${param('now')} < u.valid_until)
  ON CONFLICT (user_id) DO UPDATE SET
    total = plaspy_usage.total + 1,
    daily = CASE WHEN plaspy_usage.day = excluded.day THEN plaspy_usage.daily + 1 ELSE 1 END,
    day = excluded.day
  RETURNING user_id AS "userId", total, daily,
    (SELECT account_id FROM plaspy_users WHERE id = plaspy_usage.user_id) AS "accountId",
    (SELECT privileges FROM plaspy_users WHERE id = plaspy_usage.user_id) AS privileges`
}
