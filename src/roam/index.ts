// The Roam dialect: routes from the generated operations table, Api-Key authentication, Roam's envelopes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { operations } from '../../generated/schemas.js'
import { errorHandler } from '../platform/errors.js'
import { requires } from '../platform/security.js'
import { authenticateRoam, type RoamPrincipal } from './auth.js'
import { renderRoamError } from './errors.js'
import { roamUsers } from './users.js'
import { toCreatedUser, toRoamUser } from './wire.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the Api-Key hook on every route whose operation requires `RoamApiKey`. */
    roam: RoamPrincipal
  }
}

const roam: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('roam', null as unknown as RoamPrincipal)
  app.setErrorHandler(errorHandler(renderRoamError))
  app.addHook('onRequest', async (request) => {
    if (requires(request, 'RoamApiKey')) request.roam = await authenticateRoam(app.db.prisma, request.headers['api-key'])
  })

  app.route({
    ...operations.roamCreateUser,
    handler: async function roamCreateUser (request, reply) {
      const user = await roamUsers(app.db.prisma, request.roam).create(request.body)
      return reply.code(201).send({
        status: true,
        msg: 'User tracking initiated successfully.',
        code: 201,
        data: toCreatedUser(user, request.roam.accountId)
      })
    }
  })

  app.route({
    ...operations.roamUpdateUser,
    handler: async function roamUpdateUser (request) {
      const user = await roamUsers(app.db.prisma, request.roam).update(request.body)
      return { status: true, msg: 'Success.', code: 200, data: toRoamUser(user, request.roam.accountId) } as const
    }
  })
}

export default roam
