// Roam users of one project. Every query is scoped by the principal's project, so another project's user
// is indistinguishable from one that does not exist.
import type { PrismaClient, RoamUser } from '../db/client.js'
import { jsonColumn } from '../db/client.js'
import { isRecordNotFound } from '../db/errors.js'
import { ApiError } from '../platform/errors.js'
import { objectId } from '../platform/secrets.js'
import type { RoamCreateUserRequest, RoamUpdateUserRequest } from '../../generated/schemas.js'
import type { RoamPrincipal } from './auth.js'

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
    async update ({ user_id: id, ...input }: RoamUpdateUserRequest): Promise<RoamUserRow> {
      try {
        return await prisma.roamUser.update({
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
        })
      } catch (error) {
        if (isRecordNotFound(error)) throw userNotFound()
        throw error
      }
    }
  }
}
