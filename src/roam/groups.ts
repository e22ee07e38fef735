// Roam groups of one project. Like users, every query is scoped by the principal's project: another project's
// group or user is indistinguishable from one that does not exist.
import { ApiError } from '../platform/errors.js'
import { objectId } from '../platform/secrets.js'
import type { RoamAddUsersToGroupRequest, RoamCreateGroupRequest } from '../../generated/schemas.js'
import type { RoamPrincipal } from './auth.js'
import type { RoamGroup, RoamRepository } from './repository.js'
import { userNotFound } from './users.js'

export type RoamGroupRow = RoamGroup

export const groupNotFound = () => new ApiError('not_found', 'Group does not exist.')

export function roamGroups (repository: RoamRepository, { projectId }: RoamPrincipal, now: Date) {
  return {
    create (input: RoamCreateGroupRequest): Promise<RoamGroupRow> {
      return repository.createGroup({ id: objectId(), projectId, description: input.description ?? null, createdAt: now, updatedAt: now })
    },

    /**
     * Puts every listed user in the group, or none: one unknown, foreign or deleted user undoes the batch, in
     * one statement.
     */
    async addUsers ({ group_id: groupId, users }: RoamAddUsersToGroupRequest): Promise<void> {
      if (await repository.addToGroup(projectId, groupId, users, now) === users.length) return
      throw await repository.groupExists(projectId, groupId) ? userNotFound() : groupNotFound()
    }
  }
}
