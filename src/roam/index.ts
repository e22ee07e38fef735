// The Roam dialect: routes from the generated operations table, Api-Key authentication, Roam's envelopes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { operations } from '../../generated/schemas.js'
import { CredentialCache } from '../platform/credential-cache.js'
import { useDialect } from '../platform/dialect.js'
import { etag, readIfMatch } from '../platform/etag.js'
import { authenticateRoam, invalidKey, type RoamPrincipal } from './auth.js'
import { renderRoamError } from './errors.js'
import { roamGroups } from './groups.js'
import { readListQuery } from './list.js'
import { roamRepository } from './repository.js'
import { roamUsers } from './users.js'
import { toCreatedUser, toRoamGroup, toRoamUser, toUserList } from './wire.js'

const roam: FastifyPluginAsyncTypebox = async (app) => {
  const repository = roamRepository(app.db)
  const keys = new CredentialCache<RoamPrincipal>(app.db.credentials)
  const principal = useDialect<RoamPrincipal>(app, {
    scheme: 'RoamApiKey',
    authenticate: (request) => authenticateRoam(keys, repository, request.headers['api-key']),
    tenant: ({ projectId }) => ({ roamProject: projectId }),
    rateLimitKey: ({ projectId }) => `roam:${projectId}`, // every key of a project shares the project's limit
    credentialGone: invalidKey,
    render: renderRoamError
  })
  /** The project's users and groups, as the request's principal sees them at the server's time. */
  const users = (request: FastifyRequest) => roamUsers(repository, principal(request), app.clock())
  const groups = (request: FastifyRequest) => roamGroups(repository, principal(request), app.clock())

  app.route({
    ...operations.roamCreateUser,
    handler: async function roamCreateUser (request, reply) {
      const user = await users(request).create(request.body)
      return reply.code(201).header('etag', etag(user.version)).send({
        status: true,
        msg: 'User tracking initiated successfully.',
        code: 201,
        data: toCreatedUser(user, principal(request).accountId)
      })
    }
  })

  app.route({
    ...operations.roamUpdateUser,
    handler: async function roamUpdateUser (request, reply) {
      const user = await users(request).update(request.body, readIfMatch(request.headers['if-match']))
      reply.header('etag', etag(user.version))
      return { status: true, msg: 'Success.', code: 200, data: toRoamUser(user, principal(request).accountId) } as const
    }
  })

  app.route({
    ...operations.roamListUsers,
    handler: async function roamListUsers (request, reply) {
      const { selection, wallTime } = readListQuery(request.query)
      const page = await users(request).list(selection)
      // One user (`user_id`): its ETag, as PUT answers it; a page of users has none.
      if ('userId' in selection) reply.header('etag', etag(page.users[0]!.version))
      return { status: true, msg: 'Success.', code: 200, data: toUserList(page, principal(request).accountId, wallTime) } as const
    }
  })

  app.route({
    ...operations.roamDeleteUser,
    handler: async function roamDeleteUser (request) {
      await users(request).remove(request.query.user_id, readIfMatch(request.headers['if-match']))
      return { status: true, msg: 'Success.', code: 200, data: 'User deleted successfully.' } as const
    }
  })

  app.route({
    ...operations.roamCreateGroup,
    handler: async function roamCreateGroup (request, reply) {
      const group = await groups(request).create(request.body)
      return reply.code(201).send({ status: true, msg: 'Success.', code: 201, data: toRoamGroup(group) })
    }
  })

  app.route({
    ...operations.roamAddUsersToGroup,
    handler: async function roamAddUsersToGroup (request, reply) {
      await groups(request).addUsers(request.body)
      return reply.code(201).send({ status: true, msg: 'Success.', code: 201, data: 'Users grouped successfully.' })
    }
  })
}

export default roam
