// Roam users of one project. Every query is scoped by the principal's project, so another project's user
// is indistinguishable from one that does not exist.
import type { PrismaClient, RoamUser } from '../db/client.js'
import { jsonColumn } from '../db/client.js'
import { isRecordNotFound } from '../db/errors.js'
import { ApiError } from '../platform/errors.js'
import { objectId } from '../platform/secrets.js'
import type { RoamCreateUserRequest, RoamUpdateUserRequest } from '../../generated/schemas.js'
import type { RoamPrincipal } from './auth.js'
import { PAGE_SIZE, type UserSelection } from './list.js'

export type RoamUserRow = RoamUser

export const userNotFound = () => new ApiError('not_found', 'User does not exist.')

export function roamUsers (prisma: PrismaClient, { projectId }: RoamPrincipal) {
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

    /** Changes exactly the fields sent; deleted users are gone for good. */
    update ({ user_id: id, ...input }: RoamUpdateUserRequest): Promise<RoamUserRow> {
      return orUserNotFound(prisma.roamUser.update({
        where: { id, projectId, isDeleted: false },
        data: {
          description: input.description,
          geofenceEvents: input.geofence_events,
          motionEvents: input.motion_events,
          locationEvents: input.location_events,
          tripsEvents: input.trips_events,
          nearbyEvents: input.nearby_events,
          locationListener: input.location_listener,
          eventListener: input.event_listener,
          metadata: input.metadata === undefined ? undefined : jsonColumn(input.metadata),
          updatedAt: new Date()
        }
      }))
    },

    /** Soft delete: the row stays, marked, and every other operation treats it as gone. */
    async remove (id: string): Promise<void> {
      await orUserNotFound(prisma.roamUser.update({
        where: { id, projectId, isDeleted: false },
        data: { isDeleted: true, updatedAt: new Date() }
      }))
    },

    /** One user by id, or a page of those created within the days, newest first; never a deleted one. */
    async list (selection: UserSelection): Promise<UserPage> {
      if ('userId' in selection) {
        const user = await prisma.roamUser.findFirst({ where: { id: selection.userId, projectId, isDeleted: false } })
        if (user === null) throw userNotFound()
        return { users: [user], total: 1, page: 1 }
      }
      const { from, until, groupId, page } = selection
      const where = { projectId, isDeleted: false, groupId, createdAt: { gte: from, lt: until } }
      // One snapshot for both reads, so that `pages` describes the page answered.
      const [total, users] = await prisma.$transaction([
        prisma.roamUser.count({ where }),
        prisma.roamUser.findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], // the id breaks ties: pages never overlap
          skip: (page - 1) * PAGE_SIZE,
          take: PAGE_SIZE
        })
      ])
      return { users, total, page }
    }
  }
}

export interface UserPage {
  users: RoamUserRow[]
  total: number
  page: number
}

/** An update whose `where` (id, project, not deleted) matched nothing is an unknown user. */
async function orUserNotFound<T> (write: Promise<T>): Promise<T> {
  try {
    return await write
  } catch (error) {
    if (isRecordNotFound(error)) throw userNotFound()
    throw error
  }
}
