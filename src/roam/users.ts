// Roam users of one project. Every query is scoped by the principal's project, so another project's user
// is indistinguishable from one that does not exist.
import { ApiError } from '../platform/errors.js'
import { writeRefused } from '../platform/etag.js'
import { objectId } from '../platform/secrets.js'
import type { RoamCreateUserRequest, RoamUpdateUserRequest } from '../../generated/schemas.js'
import type { RoamPrincipal } from './auth.js'
import { PAGE_SIZE, type UserSelection } from './list.js'
import type { RoamRepository, RoamUser, RoamUserChanges } from './repository.js'

export type RoamUserRow = RoamUser

/** What Update User may change: its wire names (the columns') and the model's fields. */
const UPDATABLE = {
  description: 'description',
  geofence_events: 'geofenceEvents',
  motion_events: 'motionEvents',
  location_events: 'locationEvents',
  trips_events: 'tripsEvents',
  nearby_events: 'nearbyEvents',
  location_listener: 'locationListener',
  event_listener: 'eventListener',
  metadata: 'metadata'
} as const satisfies Record<string, keyof RoamUserChanges>

export const userNotFound = () => new ApiError('not_found', 'User does not exist.')

/** Update User's fields under the model's names; a field not sent stays `undefined` (left as it is). */
function changesOf (input: Omit<Partial<RoamUpdateUserRequest>, 'user_id'>): RoamUserChanges {
  return Object.fromEntries(Object.entries(UPDATABLE).map(([wire, field]) => [field, input[wire as keyof typeof UPDATABLE]]))
}

/** A new user's columns from Create User's fields, and any of Update User's (fixtures set both at once). */
export function newUserColumns (input: RoamCreateUserRequest & Omit<Partial<RoamUpdateUserRequest>, 'user_id'>) {
  return {
    ...changesOf(input),
    appType: input.app_type,
    deviceToken: input.device_token,
    description: input.description ?? null,
    metadata: input.metadata ?? null
  }
}

export function roamUsers (repository: RoamRepository, { projectId }: RoamPrincipal, now: Date) {
  /** A write matched no row: an unknown user, or (If-Match) another version of it. */
  const refused = (id: string, versions: readonly number[] | undefined) => writeRefused(versions,
    async () => await repository.findUser(projectId, id) !== undefined, userNotFound)

  return {
    create (input: RoamCreateUserRequest): Promise<RoamUserRow> {
      return repository.createUser({ ...newUserColumns(input), id: objectId(), projectId, createdAt: now, updatedAt: now })
    },

    /**
     * Changes exactly the fields sent; deleted users are gone for good. One statement, which with If-Match is
     * also the compare-and-set on the version.
     */
    async update ({ user_id: id, ...input }: RoamUpdateUserRequest, versions?: readonly number[]): Promise<RoamUserRow> {
      const user = await repository.updateUser(projectId, id, changesOf(input), now, versions)
      return user ?? await refused(id, versions)
    },

    /** Soft delete: the row stays, marked, and every other operation treats it as gone. */
    async remove (id: string, versions?: readonly number[]): Promise<void> {
      if (!await repository.removeUser(projectId, id, now, versions)) await refused(id, versions)
    },

    /** One user by id, or a page of those created within the days, newest first; never a deleted one. */
    async list (selection: UserSelection): Promise<UserPage> {
      if ('userId' in selection) {
        const user = await repository.findUser(projectId, selection.userId)
        if (user === undefined) throw userNotFound()
        return { users: [user], total: 1, page: 1 }
      }
      const { from, until, groupId, page } = selection
      const { users, total } = await repository.page({ projectId, from, until, groupId, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE })
      return { users, total, page }
    }
  }
}

export interface UserPage {
  users: RoamUserRow[]
  total: number
  page: number
}
