// Roam users of one project. Every query is scoped by the principal's project, so another project's user
// is indistinguishable from one that does not exist.
import type { PrismaClient, RoamUser } from '../db/client.js'
import { jsonColumn } from '../db/client.js'
import { ApiError } from '../platform/errors.js'
import { writeRefused } from '../platform/etag.js'
import { objectId } from '../platform/secrets.js'
import type { RoamCreateUserRequest, RoamUpdateUserRequest } from '../../generated/schemas.js'
import type { RoamPrincipal } from './auth.js'
import { PAGE_SIZE, type UserSelection } from './list.js'
import type { Change, RoamStore, RoamUserColumn } from './store.js'

export type RoamUserRow = RoamUser

// What Update User may change; the wire names are the column names.
const UPDATABLE: readonly RoamUserColumn[] = ['description', 'geofence_events', 'motion_events', 'location_events',
  'trips_events', 'nearby_events', 'location_listener', 'event_listener', 'metadata']

export const userNotFound = () => new ApiError('not_found', 'User does not exist.')

export function roamUsers (prisma: PrismaClient, store: RoamStore, { projectId }: RoamPrincipal) {
  /** A write matched no row: an unknown user, or (If-Match) another version of it. */
  const refused = (id: string, versions: readonly number[] | undefined) => writeRefused(versions,
    async () => await prisma.roamUser.count({ where: { id, projectId, isDeleted: false } }) > 0, userNotFound)

  return {
    create (input: RoamCreateUserRequest): Promise<RoamUserRow> {
      return prisma.roamUser.create({
        data: {
          id: objectId(),
          projectId,
          appType: input.app_type,
          deviceToken: input.device_token,
          description: input.description ?? null,
          metadata: jsonColumn(input.metadata ?? null)
        }
      })
    },

    /**
     * Changes exactly the fields sent; deleted users are gone for good. One statement (store.ts), which with
     * If-Match is also the compare-and-set on the version.
     */
    async update ({ user_id: id, ...input }: RoamUpdateUserRequest, versions?: readonly number[]): Promise<RoamUserRow> {
      const changes = UPDATABLE.filter((column) => input[column] !== undefined).map((column): Change => [column, input[column]])
      const user = await store.updateUser(projectId, id, changes, new Date(), versions)
      return user ?? await refused(id, versions)
    },

    /** Soft delete: the row stays, marked, and every other operation treats it as gone. */
    async remove (id: string, versions?: readonly number[]): Promise<void> {
      const expected = versions && { version: { in: [...versions] } }
      const { count } = await prisma.roamUser.updateMany({
        where: { id, projectId, isDeleted: false, ...expected },
        data: { isDeleted: true, updatedAt: new Date(), version: { increment: 1 } }
      })
      if (count === 0) await refused(id, versions)
    },

    /** One user by id, or a page of those created within the days, newest first; never a deleted one. */
    async list (selection: UserSelection): Promise<UserPage> {
      if ('userId' in selection) {
        const user = await prisma.roamUser.findFirst({ where: { id: selection.userId, projectId, isDeleted: false } })
        if (user === null) throw userNotFound()
        return { users: [user], total: 1, page: 1 }
      }
      const { from, until, groupId, page } = selection
      const { users, total } = await store.page({ projectId, from, until, groupId, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE })
      return { users, total, page }
    }
  }
}

export interface UserPage {
  users: RoamUserRow[]
  total: number
  page: number
}
