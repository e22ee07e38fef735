// Every query of the Roam dialect, on one stack (Kysely on the app's connections, src/db/query.ts). Each
// reads or writes inside the caller's project; the key lookup, before the project is known, goes through a
// SECURITY DEFINER function on Postgres (migration row_level_security). Deleted users are gone for good: no
// query but the list's count ever sees one.
import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Updateable, type WhereInterface } from 'kysely'
import { changeCredentials, type Database } from '../db/client.js'
import { accountNamed, oneOf, prepare, prepareUpdate, transaction, type DB, type NewAccount, type Query } from '../db/query.js'
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
export type NewRoamKey = Insertable<DB['roamApiKeys']>

export type RoamRepository = ReturnType<typeof roamRepository>

type Users = ExpressionBuilder<DB, 'roamUsers'>

const HOUR = 3_600_000
/** Pages this close to the newest user are walked to from it, in the statement that counts. */
const SHORT_WALK = 1_000

/** The whole hours [firstHour, endHour) within [from, until), and the cut hours at each end. */
export function cutAtHours (from: Date, until: Date) {
  const firstHour = Math.ceil(from.getTime() / HOUR)
  const endHour = Math.floor(until.getTime() / HOUR)
  if (firstHour >= endHour) return { firstHour: 0, endHour: 0, newerFrom: from, olderUntil: from } // no whole hour
  return { firstHour, endHour, newerFrom: new Date(endHour * HOUR), olderUntil: new Date(firstHour * HOUR) }
}

type HourRange = ReturnType<typeof cutAtHours>
interface PageScope { projectId: string, groupId: string, from: Date, until: Date }
interface PageCount { newer: number, whole: number, older: number }

/**
 * Get Users' three statements, for the project or for one of its groups (each walks its own index, newest
 * first: a group filter as `? IS NULL OR …` would use neither). Ties on created_at are broken by id, so pages
 * never overlap.
 */
function pageStatements (query: Query, grouped: boolean) {
  const users = (scope: PageScope, from: Date, until: Date) => (eb: Users) => eb.and([
    eb('projectId', '=', scope.projectId),
    ...grouped ? [eb('groupId', '=', scope.groupId)] : [],
    eb('isDeleted', '=', false),
    eb('createdAt', '>=', from),
    eb('createdAt', '<', until)
  ])
  const countOf = (scope: PageScope, from: Date, until: Date) =>
    query.selectFrom('roamUsers').select((eb) => eb.fn.countAll<number>().as('n')).where(users(scope, from, until))
  const wholeHours = (scope: PageScope & HourRange) => query.selectFrom('roamUserHours')
    .where('projectId', '=', scope.projectId).where('groupId', '=', grouped ? scope.groupId : '')
    .where('hour', '>=', scope.firstHour).where('hour', '<', scope.endHour)
  const count = (scope: PageScope & HourRange) => query.selectNoFrom((eb) => [
    countOf(scope, scope.newerFrom, scope.until).as('newer'),
    wholeHours(scope).select((eb) => eb.fn.coalesce(eb.fn.sum<number>('live'), eb.lit(0)).as('n')).as('whole'),
    countOf(scope, scope.from, scope.olderUntil).as('older')
  ])
  /**
   * The newest whole hour by whose end more than `skip` users were made, and how many were made after it (an
   * hour's shards summed first).
   */
  const seek = (scope: PageScope & HourRange & { skip: number }) => query
    .selectFrom((eb) => eb.selectFrom(wholeHours(scope).select((eb) => ['hour', eb.fn.sum<number>('live').as('live')]).groupBy('hour').as('shards'))
      .select((eb) => ['hour', 'live', eb.fn.sum<number>('live').over((over) => over.orderBy('hour', 'desc')).as('through')]).as('h'))
    .select((eb) => ['hour', eb('through', '-', eb.ref('live')).as('before')])
    .where('through', '>', scope.skip).orderBy('hour', 'desc').limit(1)
  const rows = (scope: PageScope & { skip: number, limit: number }) => query.selectFrom('roamUsers').selectAll()
    .where(users(scope, scope.from, scope.until)).orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(scope.limit).offset(scope.skip)
  /** The count and the page in one statement; the LEFT JOIN keeps the count when the page is past the end. */
  const countAndRows = (scope: PageScope & HourRange & { skip: number, limit: number }) => query
    .selectFrom(count(scope).as('c'))
    .leftJoin(rows(scope).as('page'), (join) => join.onTrue())
    .select(['c.newer', 'c.whole', 'c.older']).selectAll('page')
    .orderBy('page.createdAt', 'desc').orderBy('page.id', 'desc')
  return {
    count: prepare(query, count),
    seek: prepare(query, seek),
    rows: prepare(query, rows),
    countAndRows: prepare(query, countAndRows),
    /** For the plans test: the statements as compiled, with stand-ins for the values. */
    compiled: { count, seek, rows, countAndRows }
  }
}

/**
 * The project and account of a key that is not revoked. On Postgres the key lookup, before any tenant is known,
 * goes through roam_key_principal(), which runs this as its owner (test/roam/repository.test.ts holds them equal).
 */
export function keyPrincipal (query: Query, keyHash: string) {
  return query.selectFrom('roamApiKeys as k').innerJoin('roamProjects as p', 'p.id', 'k.projectId')
    .select(['p.id as projectId', 'p.accountId']).where('k.keyHash', '=', keyHash).where('k.revokedAt', 'is', null)
}

/** `shortWalk`: pages starting within this many users of the newest are walked to (tests lower it). */
export function roamRepository (db: Database, { shortWalk = SHORT_WALK } = {}) {
  const { query, provider, asTenant } = db
  const live = (projectId: string) => (eb: Users) => eb.and([eb('projectId', '=', projectId), eb('isDeleted', '=', false)])
  /** With If-Match: only at one of its versions. */
  const atVersions = <W extends WhereInterface<DB, 'roamUsers'>>(write: W, versions: readonly number[] | undefined): W =>
    versions === undefined ? write : write.where('version', 'in', oneOf(provider, 'int', versions)) as W

  // What every request reads, compiled once (query.ts).
  const principalOf = prepare(query, ({ keyHash }: { keyHash: string }) => provider === 'postgresql'
    ? sql<RoamPrincipal>`SELECT "projectId", "accountId" FROM roam_key_principal(${keyHash})`
    : keyPrincipal(query, keyHash))
  const pages = [false, true].map((grouped) => pageStatements(query, grouped))
  const updates = prepareUpdate(query, (set: RoamUserChanges, { now, id, projectId }: { now: Date, id: string, projectId: string }, versions) =>
    atVersions(query.updateTable('roamUsers')
      .set({ ...set, updatedAt: now, version: (eb) => eb('version', '+', 1) })
      .where('id', '=', id).where(live(projectId)), versions).returningAll())

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

    /**
     * A page of the matching users, newest first, and how many match in all. The whole hours between `from` and
     * `until` are counted from roam_user_hours, the cut hours at either end from the index, in one statement.
     * The first pages are walked to from the newest user (on Postgres in that same statement, on SQLite in the
     * next); a deeper page starts from the hour it falls in, read a moment after the count (a user created
     * meanwhile is newer than that hour, so it moves no such page). Cost follows the hours asked for and the
     * users of one hour, not the project's size.
     */
    async page ({ groupId, offset, limit, ...range }: RoamPageQuery): Promise<{ users: RoamUser[], total: number }> {
      const { count, seek, rows, countAndRows } = pages[groupId === undefined ? 0 : 1]!
      // Literal fields first: on Node 20 each property added after a leading spread costs about 1.5 µs.
      const scope = { groupId: groupId ?? '', ...range, ...cutAtHours(range.from, range.until) }
      const walk = offset < shortWalk
      if (walk && provider === 'postgresql') { // one round trip; SQLite has none to save, and pays to materialize the page
        const found = await countAndRows({ skip: offset, limit, ...scope })
        const { newer, whole, older } = found[0] as unknown as PageCount
        return { users: found.filter((row) => row.id !== null).map(({ newer: _n, whole: _w, older: _o, ...user }) => user as RoamUser), total: newer + whole + older }
      }
      const [{ newer, whole, older }] = await count(scope) as [PageCount]
      const total = newer + whole + older
      if (offset >= total) return { users: [], total }
      // Where the page starts: below which instant, after how many of the users there.
      let start = { until: range.until, skip: offset } // the first pages, and the newer cut hour
      if (!walk && offset >= newer + whole) start = { until: scope.olderUntil, skip: offset - newer - whole }
      else if (!walk && offset >= newer) {
        const [{ hour, before }] = await seek({ skip: offset - newer, ...scope }) as [{ hour: number, before: number }]
        start = { until: new Date((hour + 1) * HOUR), skip: offset - newer - before }
      }
      return { users: await rows({ limit, ...scope, ...start }), total }
    },

    /** The compiled statements of a page, for the test that holds their plans to the indexes. */
    pageStatements: (grouped: boolean) => pageStatements(query, grouped).compiled,

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

    /** The project `id` if it belongs to the account named `accountName`. */
    projectOf (accountName: string, id: string): Promise<{ id: string, accountId: string } | undefined> {
      return query.selectFrom('roamProjects as p').innerJoin('roamAccounts as a', 'a.id', 'p.accountId')
        .select(['p.id', 'p.accountId']).where('p.id', '=', id).where('a.name', '=', accountName).executeTakeFirst()
    },

    /**
     * A new project and its first key, in the account named `account.name` (made on first use as `account`),
     * in one transaction: a reset or a second first use waits for it, never lands between.
     */
    createProject (account: NewAccount, project: { id: string, createdAt: Date }, key: Omit<NewRoamKey, 'projectId'>): Promise<{ id: string, accountId: string }> {
      return transaction(query, async (trx) => {
        const accountId = await accountNamed(trx, 'roamAccounts', account)
        await trx.insertInto('roamProjects').values({ ...project, accountId }).execute()
        await trx.insertInto('roamApiKeys').values({ ...key, projectId: project.id }).execute()
        return { id: project.id, accountId }
      })
    },

    async createKey (key: NewRoamKey): Promise<void> {
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
