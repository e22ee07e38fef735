// Every query of the Roam dialect, on one stack (Kysely on the app's connections, src/db/query.ts). Each
// reads or writes inside the caller's project; the key lookup, before the project is known, goes through a
// SECURITY DEFINER function on Postgres (migration row_level_security). Deleted users are gone for good: no
// query but the list's count ever sees one.
import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Updateable, type WhereInterface } from 'kysely'
import { changeCredentials, type Database } from '../db/client.js'
import { oneOf, prepare, prepareUpdate, type DB } from '../db/query.js'
import { ANY_TENANT } from '../db/tenant.js'
import type { RoamPrincipal } from './auth.js'

export type RoamUser = Selectable<DB['roamUsers']>
export type NewRoamUser = Insertable<DB['roamUsers']>
export type RoamGroup = Selectable<DB['roamGroups']>
export type NewRoamGroup = Insertable<DB['roamGroups']>
/** What Update User may change. */
export type RoamUserChanges = Pick<Updateable<DB['roamUsers']>, 'description' | 'geofenceEvents' | 'motionEvents' |
  'locationEvents' | 'tripsEvents' | 'nearbyEvents' | 'locationListener' | 'eventListener' | 'metadata'>

export interface RoamPageQuery {
  projectId: string
  from: Date
  until: Date
  groupId: string | undefined
  offset: number
  limit: number
}

export type RoamApiKey = Selectable<DB['roamApiKeys']>

export type RoamRepository = ReturnType<typeof roamRepository>

type Users = ExpressionBuilder<DB, 'roamUsers'>

export function roamRepository (db: Database) {
  const { query, provider, asTenant } = db
  const live = (projectId: string) => (eb: Users) => eb.and([eb('projectId', '=', projectId), eb('isDeleted', '=', false)])
  /** With If-Match: only at one of its versions. */
  const atVersions = <W extends WhereInterface<DB, 'roamUsers'>>(write: W, versions: readonly number[] | undefined): W =>
    versions === undefined ? write : write.where('version', 'in', oneOf(provider, 'int', versions)) as W

  // What every request reads, compiled once (query.ts).
  const principalOf = prepare(query, ({ keyHash }: { keyHash: string }) => provider === 'postgresql'
    ? sql<RoamPrincipal>`SELECT "projectId", "accountId" FROM roam_key_principal(${keyHash})`
    : query.selectFrom('roamApiKeys as k').innerJoin('roamProjects as p', 'p.id', 'k.projectId')
      .select(['p.id as projectId', 'p.accountId']).where('k.keyHash', '=', keyHash).where('k.revokedAt', 'is', null))
  const pages = [false, true].map((grouped) => prepare(query, (page: RoamPageQuery & { groupId: string }) => pageOf(page, grouped)))
  const updates = prepareUpdate(query, (set: RoamUserChanges, { now, id, projectId }: { now: Date, id: string, projectId: string }, versions) =>
    atVersions(query.updateTable('roamUsers')
      .set({ ...set, updatedAt: now, version: (eb) => eb('version', '+', 1) })
      .where('id', '=', id).where(live(projectId)), versions).returningAll())

  /**
   * The count and the page in one statement, so one snapshot even at READ COMMITTED; the id breaks ties, so
   * pages never overlap, and the LEFT JOIN keeps the count when the page is past the end. Each shape (with a
   * group or without) walks its own index, newest first (test/roam/list-plan.test.ts): a group filter as
   * `? IS NULL OR …` would use neither.
   */
  function pageOf ({ projectId, from, until, groupId, offset, limit }: RoamPageQuery & { groupId: string }, grouped: boolean) {
    const matching = (eb: Users) => eb.and([
      live(projectId)(eb),
      ...grouped ? [eb('groupId', '=', groupId)] : [],
      eb('createdAt', '>=', from),
      eb('createdAt', '<', until)
    ])
    return query
      .selectFrom((eb) => eb.selectFrom('roamUsers').select((eb) => eb.fn.countAll<number>().as('total')).where(matching).as('matching'))
      .leftJoin((eb) => eb.selectFrom('roamUsers').selectAll().where(matching)
        .orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).as('page'), (join) => join.onTrue())
      .select('matching.total').selectAll('page')
      .orderBy('page.createdAt', 'desc').orderBy('page.id', 'desc')
  }

  return {
    /** The project and account of a key that is not revoked. */
    async principal (keyHash: string): Promise<RoamPrincipal | undefined> {
      const [principal] = await asTenant(ANY_TENANT, () => principalOf({ keyHash }))
      return principal
    },

    createUser (user: NewRoamUser): Promise<RoamUser> {
      return query.insertInto('roamUsers').values(user).returningAll().executeTakeFirstOrThrow()
    },

    findUser (projectId: string, id: string): Promise<RoamUser | undefined> {
      return query.selectFrom('roamUsers').selectAll().where('id', '=', id).where(live(projectId)).executeTakeFirst()
    },

    /**
     * Sets the columns and updated_at of a user of the project, and moves its version; undefined if there is
     * none, or if `versions` is given and the user's is not among them: the compare-and-set of If-Match.
     */
    updateUser (projectId: string, id: string, changes: RoamUserChanges, now: Date, versions?: readonly number[]): Promise<RoamUser | undefined> {
      return updates(changes, { now, id, projectId }, versions)
    },

    /** Soft delete: marks the user deleted, at `versions` if given; false if there was no such user to delete. */
    async removeUser (projectId: string, id: string, now: Date, versions?: readonly number[]): Promise<boolean> {
      const remove = query.updateTable('roamUsers')
        .set({ isDeleted: true, updatedAt: now, version: (eb) => eb('version', '+', 1) })
        .where('id', '=', id).where(live(projectId))
      const { numUpdatedRows } = await atVersions(remove, versions).executeTakeFirstOrThrow()
      return numUpdatedRows === 1n
    },

    /** A page of the matching users, newest first, and how many match in all. */
    async page (page: RoamPageQuery): Promise<{ users: RoamUser[], total: number }> {
      const rows = await pages[page.groupId === undefined ? 0 : 1]!({ ...page, groupId: page.groupId ?? '' })
      const users = rows.filter((row) => row.id !== null).map(({ total: _total, ...user }) => user as RoamUser)
      return { users, total: rows[0]?.total ?? 0 }
    },

    /** The compiled statements of a page, for the test that holds their plans to the indexes. */
    pageStatements: (page: RoamPageQuery & { groupId: string }) => [pageOf(page, false).compile(), pageOf(page, true).compile()],

    createGroup (group: NewRoamGroup): Promise<RoamGroup> {
      return query.insertInto('roamGroups').values(group).returningAll().executeTakeFirstOrThrow()
    },

    async groupExists (projectId: string, id: string): Promise<boolean> {
      return await query.selectFrom('roamGroups').select('id').where('id', '=', id).where('projectId', '=', projectId).executeTakeFirst() !== undefined
    },

    /**
     * Puts every listed user (unique ids) of the project in its group, or none when the group or any user is not
     * the project's or is deleted: one statement, so all-or-nothing needs no transaction. Answers how many moved.
     */
    async addToGroup (projectId: string, groupId: string, userIds: readonly string[], now: Date): Promise<number> {
      const listed = (eb: Users) => eb.and([live(projectId)(eb), eb('id', 'in', oneOf(provider, 'text', userIds))])
      const moved = await query.updateTable('roamUsers')
        .set({ groupId, updatedAt: now, version: (eb) => eb('version', '+', 1) })
        .where(listed)
        .where((eb) => eb.exists(eb.selectFrom('roamGroups').select('id').where('id', '=', groupId).where('projectId', '=', projectId)))
        .where((eb) => eb(eb.selectFrom('roamUsers').select((eb) => eb.fn.countAll().as('listed')).where(listed), '=', userIds.length))
        .returning('id')
        .execute()
      return moved.length
    },

    /** The account of this name, made on first use (two first uses at once make one). */
    async accountNamed (name: string, newId: string, now: Date): Promise<string> {
      await query.insertInto('roamAccounts').values({ id: newId, name, createdAt: now })
        .onConflict((conflict) => conflict.column('name').doNothing()).execute()
      const { id } = await query.selectFrom('roamAccounts').select('id').where('name', '=', name).executeTakeFirstOrThrow()
      return id
    },

    /** The project `id` if it belongs to the account named `accountName`. */
    projectOf (accountName: string, id: string): Promise<{ id: string, accountId: string } | undefined> {
      return query.selectFrom('roamProjects as p').innerJoin('roamAccounts as a', 'a.id', 'p.accountId')
        .select(['p.id', 'p.accountId']).where('p.id', '=', id).where('a.name', '=', accountName).executeTakeFirst()
    },

    async createProject (project: { id: string, accountId: string, createdAt: Date }): Promise<void> {
      await query.insertInto('roamProjects').values(project).execute()
    },

    async createKey (key: Insertable<DB['roamApiKeys']>): Promise<void> {
      await query.insertInto('roamApiKeys').values(key).execute()
    },

    /** Every key of every project of the account, oldest first, revoked ones included; undefined: no such account. */
    async keysOf (accountName: string): Promise<RoamApiKey[] | undefined> {
      const account = await query.selectFrom('roamAccounts').select('id').where('name', '=', accountName).executeTakeFirst()
      if (account === undefined) return undefined
      return query.selectFrom('roamApiKeys as k').innerJoin('roamProjects as p', 'p.id', 'k.projectId').selectAll('k')
        .where('p.accountId', '=', account.id).orderBy('k.createdAt').orderBy('k.id').execute()
    },

    /** Revokes the key at `now` (revoking it again keeps the first time) and answers it; every server's cache of keys empties. */
    async revokeKey (id: string, now: Date): Promise<RoamApiKey | undefined> {
      await changeCredentials(db, (trx) => trx.updateTable('roamApiKeys').set({ revokedAt: now }).where('id', '=', id).where('revokedAt', 'is', null).execute())
      return query.selectFrom('roamApiKeys').selectAll().where('id', '=', id).executeTakeFirst()
    }
  }
}
