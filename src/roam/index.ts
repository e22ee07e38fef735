// The Roam dialect: routes from the generated operations table, Api-Key authentication, Roam's envelopes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { operations } from '../../generated/schemas.js'
import { CredentialCache } from '../platform/credential-cache.js'
import { errorHandler } from '../platform/errors.js'
import { etag, readIfMatch } from '../platform/etag.js'
import { requires } from '../platform/security.js'
import { authenticateRoam, type RoamPrincipal } from './auth.js'
import { renderRoamError } from './errors.js'
import { roamGroups } from './groups.js'
import { readListQuery } from './list.js'
import { roamRepository } from './repository.js'
import { roamUsers } from './users.js'
import { toCreatedUser, toRoamGroup, toRoamUser, toUserList } from './wire.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the Api-Key hook on every route whose operation requires `RoamApiKey`. */
    roam: RoamPrincipal
  }
}

const roam: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('roam', null as unknown as RoamPrincipal)
  const { db } = app
  const repository = roamRepository(db)
  const keys = new CredentialCache<RoamPrincipal>(db.credentials)
  app.setErrorHandler(errorHandler(renderRoamError))
  app.addHook('onRequest', async (request) => {
    if (requires(request, 'RoamApiKey')) request.roam = await authenticateRoam(keys, repository, request.headers['api-key'])
  })
  // The handler, last before it, runs inside the project: its queries see no other project's rows.
  app.addHook('preHandler', (request, _reply, done) => {
    if (requires(request, 'RoamApiKey')) db.asTenant({ roamProject: request.roam.projectId }, done)
    else done()
  })

  app.route({
    ...operations.roamCreateUser,
    handler: async function roamCreateUser (request, reply) {
      const user = await roamUsers(repository, request.roam, app.clock()).create(request.body)
      return reply.code(201).header('etag', etag(user.version)).send({
        status: true,
        msg: 'User tracking initiated successfully.',
        code: 201,
        data: toCreatedUser(user, request.roam.accountId)
      })
    }
  })

  app.route({
    ...operations.roamUpdateUser,
    handler: async function roamUpdateUser (request, reply) {
      const user = await roamUsers(repository, request.roam, app.clock()).update(request.body, readIfMatch(request.headers['if-match']))
      reply.header('etag', etag(user.version))
      return { status: true, msg: 'Success.', code: 200, data: toRoamUser(user, request.roam.accountId) } as const
    }
  })

  app.route({
    ...operations.roamListUsers,
    handler: async function roamListUsers (request, reply) {
      const { selection, wallTime } = readListQuery(request.query)
      const page = await roamUsers(repository, request.roam, app.clock()).list(selection)
      // One user (`user_id`): its ETag, as PUT answers it; a page of users has none.
      if ('userId' in selection) reply.header('etag', etag(page.users[0]!.version))
      return { status: true, msg: 'Success.', code: 200, data: toUserList(page, request.roam.accountId, wallTime) } as const
    }
  })

  app.route({
    ...operations.roamDeleteUser,
    handler: async function roamDeleteUser (request) {
      await roamUsers(repository, request.roam, app.clock()).remove(request.query.user_id, readIfMatch(request.headers['if-match']))
      return { status: true, msg: 'Success.', code: 200, data: 'User deleted successfully.' } as const
    }
  })

  app.route({
    ...operations.roamCreateGroup,
    handler: async function roamCreateGroup (request, reply) {
      const group = await roamGroups(repository, request.roam, app.clock()).create(request.body)
      return reply.code(201).send({ status: true, msg: 'Success.', code: 201, data: toRoamGroup(group) })
    }
  })

  app.route({
    ...operations.roamAddUsersToGroup,
    handler: async function roamAddUsersToGroup (request, reply) {
      await roamGroups(repository, request.roam, app.clock()).addUsers(request.body)
      return reply.code(201).send({ status: true, msg: 'Success.', code: 201, data: 'Users grouped successfully.' })
    }
  })
}

export default roam
