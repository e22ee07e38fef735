// Every query of the Plaspy dialect, on one stack (Kysely on the app's connections, src/db/query.ts). Each
// reads or writes inside the caller's tenant; the two that look a credential up before the account is known
// go through SECURITY DEFINER functions on Postgres (migration row_level_security).
import { sql, type Insertable, type Selectable, type Updateable, type WhereInterface } from 'kysely'
import type { Database } from '../db/client.js'
import { accountNamed, oneOf, prepare, prepareUpdate, transaction, type DB, type NewAccount } from '../db/query.js'
import { ANY_TENANT } from '../db/tenant.js'

export type PlaspyUser = Selectable<DB['plaspyUsers']>
export type NewPlaspyUser = Insertable<DB['plaspyUsers']>
/** The writable columns of a user; `undefined` leaves one as it is. */
export type PlaspyUserChanges = Omit<Updateable<DB['plaspyUsers']>, 'id' | 'accountId' | 'creation' | 'modification' | 'version'>

export interface Usage {
  apiUsage: number
  apiDailyUsage: number
}

/** Who a good token speaks for, and its request counted. */
export interface CountedPrincipal {
  userId: string
  accountId: string
  privileges: string[]
  usage: Usage
}

/** An API key as sign-in reads it, with its user. */
export interface KeyHolder {
  id: string
  revokedAt: Date | null
  user: Pick<PlaspyUser, 'id' | 'userName' | 'email' | 'disabled' | 'validFrom' | 'validUntil'>
}

export type PlaspyRepository = ReturnType<typeof plaspyRepository>

export function plaspyRepository ({ query, provider, asTenant }: Pick<Database, 'query' | 'provider' | 'asTenant'>) {
  const users = query.selectFrom('plaspyUsers').selectAll()
  // What every request reads or counts, compiled once (query.ts).
  const countRequest = prepare(query, ({ tokenHash, now, day }: { tokenHash: string, now: Date, day: string }) => provider === 'postgresql'
    ? sql<Counted>`SELECT "userId", "accountId", privileges, total, daily FROM plaspy_count_token_request(${tokenHash}, ${now}::timestamp, ${day})`
    : countTokenRequest(tokenHash, now, day))
  const userById = prepare(query, ({ id, accountId }: { id: string, accountId: string }) =>
    users.where('id', '=', id).where('accountId', '=', accountId))
  /** With If-Match: only at one of its versions. */
  const atVersions = <W extends WhereInterface<DB, 'plaspyUsers'>>(write: W, versions: readonly number[] | undefined): W =>
    versions === undefined ? write : write.where('version', 'in', oneOf(provider, 'int', versions)) as W
  const updates = prepareUpdate(query, (set: PlaspyUserChanges, { now, id, accountId }: { now: Date, id: string, accountId: string }, versions) =>
    atVersions(query.updateTable('plaspyUsers')
      .set({ ...set, modification: now, version: (eb) => eb('version', '+', 1) })
      .where('id', '=', id).where('accountId', '=', accountId), versions).returningAll())

  return {
    /**
     * Counts the request of a token that is good at `now` (not expired, its key not revoked, its user allowed
     * to sign in) and answers its principal; undefined, counting nothing, for any other token. One statement:
     * authentication costs no round trip beyond the metering every request needs anyway, and a revocation
     * holds from the next request on, whichever process made it.
     */
    async authenticate (tokenHash: string, now: Date): Promise<CountedPrincipal | undefined> {
      const day = now.toISOString().slice(0, 10)
      const [row] = await asTenant(ANY_TENANT, () => countRequest({ tokenHash, now, day }))
      if (row === undefined) return undefined
      const { userId, accountId, privileges, total, daily } = row
      return { userId, accountId, privileges, usage: { apiUsage: total, apiDailyUsage: daily } }
    },

    /** The account of the user an API key belongs to, revoked or not: the tenant to sign in with it in. */
    async keyAccount (keyHash: string): Promise<string | undefined> {
      const statement = provider === 'postgresql'
        ? sql<{ accountId: string | null }>`SELECT plaspy_api_key_account(${keyHash}) AS account_id`
        : keyAccountOf(keyHash)
      const { rows: [row] } = await asTenant(ANY_TENANT, () => statement.execute(query))
      return row?.accountId ?? undefined
    },

    async getUser (accountId: string, id: string): Promise<PlaspyUser | undefined> {
      const [user] = await userById({ id, accountId })
      return user
    },

    /**
     * Up to `limit` users of the account in List Users' order (creation, then id), after `after` (from the
     * first when undefined). Row values compare as the index (account_id, creation, id) is ordered: one range,
     * walked from where the last batch ended.
     */
    usersAfter (accountId: string, after: Pick<PlaspyUser, 'creation' | 'id'> | undefined, limit: number): Promise<PlaspyUser[]> {
      const listed = users.where('accountId', '=', accountId).orderBy('creation').orderBy('id').limit(limit)
      if (after === undefined) return listed.execute()
      return listed.where((eb) => eb(eb.refTuple('creation', 'id'), '>', eb.tuple(after.creation, after.id))).execute()
    },

    createUser (row: NewPlaspyUser): Promise<PlaspyUser> {
      return query.insertInto('plaspyUsers').values(row).returningAll().executeTakeFirstOrThrow()
    },

    /**
     * Sets the columns, `modification` to `now`, and moves the version; undefined if the account has no such
     * user, or if `versions` is given and the user's is not among them: the one compare-and-set of Update
     * User, Patch User and If-Match.
     */
    updateUser (accountId: string, id: string, changes: PlaspyUserChanges, now: Date, versions?: readonly number[]): Promise<PlaspyUser | undefined> {
      return updates(changes, { now, id, accountId }, versions)
    },

    /** Deletes the user (its keys, tokens and usage cascade); false if there was none to delete at `versions`. */
    async deleteUser (accountId: string, id: string, versions?: readonly number[]): Promise<boolean> {
      const remove = query.deleteFrom('plaspyUsers').where('id', '=', id).where('accountId', '=', accountId)
      const { numDeletedRows } = await atVersions(remove, versions).executeTakeFirstOrThrow()
      return numDeletedRows === 1n
    },

    /** The key with this hash and its user, for sign-in (inside the key's account: see keyAccount). */
    async keyHolder (keyHash: string): Promise<KeyHolder | undefined> {
      const row = await query.selectFrom('plaspyApiKeys as k').innerJoin('plaspyUsers as u', 'u.id', 'k.userId')
        .select(['k.id', 'k.revokedAt', 'u.id as userId', 'u.userName', 'u.email', 'u.disabled', 'u.validFrom', 'u.validUntil'])
        .where('k.keyHash', '=', keyHash)
        .executeTakeFirst()
      if (row === undefined) return undefined
      const { id, revokedAt, userId, ...user } = row
      return { id, revokedAt, user: { id: userId, ...user } }
    },

    /**
     * Records a token and the sign-in, in one transaction: the user's tokens beyond `keep` newest, those
     * expired and those bought with a revoked key go (only this user's rows, by its index: no sweep over the
     * table), and the user's lastLogin moves with its version (it is part of the user as GET answers it). That
     * update comes first: it holds the user's row, so a delete or a reset waits for the token; false when the user
     * was deleted before it (Postgres would refuse the token: row-level security, then the foreign key).
     */
    async recordToken (token: { id: string, userId: string, apiKeyId: string, tokenHash: string, expiresAt: Date }, now: Date, keep: number): Promise<boolean> {
      const { userId } = token
      return transaction(query, async (trx) => {
        const { numUpdatedRows } = await trx.updateTable('plaspyUsers').set({ lastLogin: now, version: (eb) => eb('version', '+', 1) })
          .where('id', '=', userId).executeTakeFirstOrThrow()
        if (numUpdatedRows === 0n) return false
        const surplus = trx.selectFrom('plaspyTokens').select('id').where('userId', '=', userId)
          .orderBy('createdAt', 'desc').orderBy('id', 'desc').offset(keep - 1).limit(keep) // pruning keeps them about `keep`
        await trx.deleteFrom('plaspyTokens').where('userId', '=', userId).where((eb) => eb.or([
          eb('expiresAt', '<=', now),
          eb('apiKeyId', 'in', eb.selectFrom('plaspyApiKeys').select('id').where('userId', '=', userId).where('revokedAt', 'is not', null)),
          eb('id', 'in', surplus)
        ])).execute()
        await trx.insertInto('plaspyTokens').values({ ...token, createdAt: now }).execute()
        return true
      })
    },

    /**
     * A user who signs in and its first API key, in the account named `account.name` (made on first use as
     * `account`), in one transaction: a reset or a second first use waits for it, never lands between.
     */
    async createLogin (account: NewAccount, user: Omit<NewPlaspyUser, 'accountId'>, key: { id: string, keyHash: string }): Promise<void> {
      await transaction(query, async (trx) => {
        const accountId = await accountNamed(trx, 'plaspyAccounts', account)
        await trx.insertInto('plaspyUsers').values({ ...user, accountId }).execute()
        await trx.insertInto('plaspyApiKeys').values({ ...key, userId: user.id, createdAt: user.creation }).execute()
      })
    },

    loginNamed (userName: string): Promise<{ id: string } | undefined> {
      return query.selectFrom('plaspyUsers').select('id').where('userName', '=', userName).executeTakeFirst()
    },

    /** A user's request counters on `day` (YYYY-MM-DD, UTC): 0 before its first request, daily 0 on another day. */
    async usageNamed (userName: string, day: string): Promise<{ id: string, total: number, daily: number } | undefined> {
      const row = await query.selectFrom('plaspyUsers as u').leftJoin('plaspyUsage as g', 'g.userId', 'u.id')
        .select(['u.id', 'g.total', 'g.daily', 'g.day']).where('u.userName', '=', userName).executeTakeFirst()
      return row && { id: row.id, total: row.total ?? 0, daily: row.day === day ? row.daily ?? 0 : 0 }
    },

    /**
     * Revokes the user's live keys and adds `replacement` if given, in one transaction; answers how many
     * were revoked. Tokens bought with a revoked key stop working at once (authenticate reads the key).
     */
    async replaceKeys (userId: string, replacement: { id: string, keyHash: string } | undefined, now: Date): Promise<number> {
      return transaction(query, async (trx) => {
        const { numUpdatedRows } = await trx.updateTable('plaspyApiKeys').set({ revokedAt: now })
          .where('userId', '=', userId).where('revokedAt', 'is', null).executeTakeFirstOrThrow()
        if (replacement !== undefined) await trx.insertInto('plaspyApiKeys').values({ ...replacement, userId, createdAt: now }).execute()
        return Number(numUpdatedRows)
      })
    }
  }
}

interface Counted { userId: string, accountId: string, privileges: string[], total: number, daily: number }

/**
 * The account of a Plaspy API key's user: the tenant Auth/Token looks the key up in. On Postgres, before any
 * tenant is known, plaspy_api_key_account() runs this as its owner (test/plaspy/repository.test.ts holds them equal).
 */
export function keyAccountOf (keyHash: string) {
  return sql<{ accountId: string | null }>`SELECT u.account_id FROM plaspy_api_keys k JOIN plaspy_users u ON u.id = k.user_id
    WHERE k.key_hash = ${keyHash}`
}

/**
 * Authenticate and count, in one statement: the usage upsert, fed by the token lookup, so a token that is not
 * good inserts nothing and answers no row. `daily` restarts on a new UTC day. RETURNING's subqueries read the
 * user's tenant and privileges in the same statement. Postgres runs this very statement inside
 * plaspy_count_token_request() (migration row_level_security, which knew it as countTokenRequest() of
 * sql.columns.ts), which sees past row-level security: a change here needs a migration replacing that
 * function (test/plaspy/repository.test.ts holds them equal).
 */
export function countTokenRequest (tokenHash: string, now: Date, day: string) {
  return sql<Counted>`INSERT INTO plaspy_usage (user_id, total, day, daily)
  SELECT u.id, 1, ${day}, 1
    FROM plaspy_tokens t JOIN plaspy_api_keys k ON k.id = t.api_key_id JOIN plaspy_users u ON u.id = t.user_id
    WHERE t.token_hash = ${tokenHash} AND t.expires_at > ${now} AND k.revoked_at IS NULL
      AND u.disabled = ${false} AND (u.valid_from IS NULL OR u.valid_from <= ${now})
      AND (u.valid_until IS NULL OR ${now} < u.valid_until)
  ON CONFLICT (user_id) DO UPDATE SET
    total = plaspy_usage.total + 1,
    daily = CASE WHEN plaspy_usage.day = excluded.day THEN plaspy_usage.daily + 1 ELSE 1 END,
    day = excluded.day
  RETURNING user_id, total, daily,
    (SELECT account_id FROM plaspy_users WHERE id = plaspy_usage.user_id) AS account_id,
    (SELECT privileges FROM plaspy_users WHERE id = plaspy_usage.user_id) AS privileges`
}
