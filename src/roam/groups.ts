// Roam groups of one project. Like users, every query is scoped by the principal's project: another project's
// group or user is indistinguishable from one that does not exist.
import type { PrismaClient, RoamGroup } from '../db/client.js'
import { ApiError } from '../platform/errors.js'
import { objectId } from '../platform/secrets.js'
import type { RoamAddUsersToGroupRequest, RoamCreateGroupRequest } from '../../generated/schemas.js'
import type { RoamPrincipal } from './auth.js'
import { userNotFound } from './users.js'

export type RoamGroupRow = RoamGroup

export const groupNotFound = () => new ApiError('not_found', 'Group does not exist.')

export function roamGroups (prisma: PrismaClient, { projectId }: RoamPrincipal) {
  return {
    create (input: RoamCreateGroupRequest): Promise<RoamGroupRow> {
      const now = new Date()
      return prisma.roamGroup.create({
        data: { id: objectId(), projectId, description: input.description ?? null, createdAt: now, updatedAt: now }
      })
    },

    /** Puts every listed user in the group, or none: one unknown, foreign or deleted user undoes the batch. */
    async addUsers ({ group_id: groupId, users }: RoamAddUsersToGroupRequest): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const group = await tx.roamGroup.findFirst({ where: { id: groupId, projectId }, select: { id: true } })
        if (group === null) throw groupNotFound()
        const { count } = await tx.roamUser.updateMany({
          where: { id: { in: users }, projectId, isDeleted: false },
          data: { groupId, updatedAt: new Date(), version: { increment: 1 } }
        })
        // The ids are unique (the schema says so), so a shortfall means some user is not ours: roll back.
        if (count !== users.length) throw userNotFound()
      })
    }
  }
}
