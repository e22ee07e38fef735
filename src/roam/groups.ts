// Roam groups of one project. Like users, every query is scoped by the principal's project: another project's
// group or user is indistinguishable from one that does not exist.
import type { PrismaClient, RoamGroup } from '../db/client.js'
import { ApiError } from '../platform/errors.js'
import { objectId } from '../platform/secrets.js'
import type { RoamAddUsersToGroupRequest, RoamCreateGroupRequest } from '../../generated/schemas.js'
import type { RoamPrincipal } from './auth.js'
import type { RoamStore } from './store.js'
import { userNotFound } from './users.js'

export type RoamGroupRow = RoamGroup

export const groupNotFound = () => new ApiError('not_found', 'Group does not exist.')

export function roamGroups (prisma: PrismaClient, store: RoamStore, { projectId }: RoamPrincipal) {
  return {
    create (input: RoamCreateGroupRequest): Promise<RoamGroupRow> {
      const now = new Date()
      return prisma.roamGroup.create({
        data: { id: objectId(), projectId, description: input.description ?? null, createdAt: now, updatedAt: now }
      })
    },

    /**
     * Puts every listed user in the group, or none: one unknown, foreign or deleted user undoes the batch. One
     * statement (store.ts), never an interactive transaction: on SQLite one would share its connection with
     * every other request, whose statements would then commit or roll back with it.
     */
    async addUsers ({ group_id: groupId, users }: RoamAddUsersToGroupRequest): Promise<void> {
      if (await store.addToGroup(projectId, groupId, users, new Date()) === users.length) return
      const group = await prisma.roamGroup.findFirst({ where: { id: groupId, projectId }, select: { id: true } })
      throw group === null ? groupNotFound() : userNotFound()
    }
  }
}
