// The Plaspy dialect: routes from the generated operations table, bearer-token authentication with usage
// metering and privileges, Plaspy's flat envelopes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { operations } from '../../generated/schemas.js'
import { errorHandler } from '../platform/errors.js'
import { requires } from '../platform/security.js'
import { authenticatePlaspy, authorize, type PlaspyPrincipal } from './auth.js'
import { renderPlaspyError } from './errors.js'
import { invalidPatch } from './patch.js'
import { countryNames, timeZoneNames } from './reference-data.js'
import { plaspyStore } from './store.js'
import { issueToken } from './tokens.js'
import { plaspyUsers } from './users.js'
import { plaspyTimestamp, toPlaspyUser } from './wire.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer hook on every route whose operation requires `PlaspyBearer`; null before. */
    plaspy: PlaspyPrincipal | null
  }
}

const plaspy: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('plaspy', null)
  const store = plaspyStore(app.db)
  app.setErrorHandler(errorHandler(renderPlaspyError))
  // RFC 6902 documents are JSON under their own media type.
  app.addContentTypeParser('application/json-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
  app.addHook('onRequest', async (request) => {
    if (!requires(request, 'PlaspyBearer')) return
    request.plaspy = await authenticatePlaspy(store, request.headers.authorization, app.clock())
    authorize(request.plaspy, request.method)
  })

  app.route({
    ...operations.plaspyCreateToken,
    handler: async function plaspyCreateToken (request) {
      const { token, expires } = await issueToken(app.db.prisma, request.body, app.config.tokenTtlSeconds, app.clock())
      return { success: true, token, expires: plaspyTimestamp(expires) } as const
    }
  })

  app.route({
    ...operations.plaspyListUsers,
    handler: async function plaspyListUsers (request) {
      const { usage, ...principal } = request.plaspy!
      const users = await plaspyUsers(app.db.prisma, store, principal, app.clock()).list()
      return { success: true, ...usage, users: users.map(toPlaspyUser) } as const
    }
  })

  app.route({
    ...operations.plaspyCreateUser,
    handler: async function plaspyCreateUser (request, reply) {
      const { usage, ...principal } = request.plaspy!
      const user = await plaspyUsers(app.db.prisma, store, principal, app.clock()).create(request.body)
      return reply.code(201).send({ success: true, ...usage, ...toPlaspyUser(user) })
    }
  })

  app.route({
    ...operations.plaspyListCountries,
    handler: async function plaspyListCountries (request) {
      return { success: true, ...request.plaspy!.usage, countries: countryNames() } as const
    }
  })

  app.route({
    ...operations.plaspyListTimeZones,
    handler: async function plaspyListTimeZones (request) {
      return { success: true, ...request.plaspy!.usage, timeZones: timeZoneNames() } as const
    }
  })

  app.route({
    ...operations.plaspyGetUser,
    handler: async function plaspyGetUser (request) {
      const { usage, ...principal } = request.plaspy!
      const user = await plaspyUsers(app.db.prisma, store, principal, app.clock()).get(request.params.userId)
      return { success: true, ...usage, ...toPlaspyUser(user) } as const
    }
  })

  app.route({
    ...operations.plaspyUpdateUser,
    handler: async function plaspyUpdateUser (request) {
      const { usage, ...principal } = request.plaspy!
      const user = await plaspyUsers(app.db.prisma, store, principal, app.clock()).update(request.params.userId, request.body)
      return { success: true, ...usage, ...toPlaspyUser(user) } as const
    }
  })

  app.route({
    ...operations.plaspyPatchUser,
    // A body that is no JSON Patch is an invalid patch operation (the vendor's one message), not invalid input.
    attachValidation: true,
    handler: async function plaspyPatchUser (request) {
      const { validationError } = request
      if (validationError) throw validationError.validationContext === 'body' ? invalidPatch() : validationError
      const { usage, ...principal } = request.plaspy!
      const user = await plaspyUsers(app.db.prisma, store, principal, app.clock()).patch(request.params.userId, request.body)
      return { success: true, ...usage, ...toPlaspyUser(user) } as const
    }
  })

  app.route({
    ...operations.plaspyDeleteUser,
    handler: async function plaspyDeleteUser (request) {
      const { usage, ...principal } = request.plaspy!
      await plaspyUsers(app.db.prisma, store, principal, app.clock()).delete(request.params.userId)
      return { success: true, ...usage } as const
    }
  })
}

export default plaspy
