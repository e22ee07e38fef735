// The Plaspy dialect: routes from the generated operations table, bearer-token authentication with usage
// metering and privileges, Plaspy's flat envelopes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { operations, PlaspyUser } from '../../generated/schemas.js'
import { jsonParser } from '../platform/json-body.js'
import { streamList } from '../platform/json-stream.js'
import { ignoringCaseAndTrailingSlash } from '../platform/path-forms.js'
import { useDialect } from '../platform/dialect.js'
import { etag, readIfMatch } from '../platform/etag.js'
import { secretHash } from '../platform/secrets.js'
import { authorizationHeader } from '../platform/security.js'
import { Turns, type TurnLimits } from '../platform/turns.js'
import { authenticatePlaspy, authorize, invalidToken, type PlaspyPrincipal } from './auth.js'
import { renderPlaspyError } from './errors.js'
import { invalidPatch } from './patch.js'
import { countryNames, timeZoneNames } from './reference-data.js'
import { plaspyRepository, type Usage } from './repository.js'
import { issueToken } from './tokens.js'
import { plaspyUsers } from './users.js'
import { plaspyTimestamp, toPlaspyUser } from './wire.js'

const toRoute = ignoringCaseAndTrailingSlash(Object.values(operations).map((operation) => operation.url).filter((url) => url.startsWith('/api/')))

/**
 * A Plaspy path as the vendor's ASP.NET Core routes it, ignoring case and a trailing slash (`/api/auth/token`,
 * `/api/users/`, `/api/users/timezones`): the spec's own path, or undefined for any path that is no Plaspy route.
 */
export function plaspyPath (path: string): string | undefined {
  return /^\/api\//i.test(path) ? toRoute(path) : undefined
}

/**
 * Lists of one account streamed at once, and lists waiting for their turn (src/platform/turns.ts). More at once
 * would not be sent sooner: one event loop serializes them all (ten lists of 200,000 users took ten times as long as
 * one). A small account's list takes milliseconds, so a client listing in parallel waits briefly, and only a flood
 * sees the 429.
 */
export const LIST_TURNS: TurnLimits = { running: 2, waiting: 32 }

const plaspy: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const repository = plaspyRepository(db)
  const principal = useDialect<PlaspyPrincipal>(app, {
    scheme: 'PlaspyBearer',
    authenticate: (request) => authenticatePlaspy(repository, authorizationHeader(request), app.clock()),
    authorize: (principal, request) => authorize(principal, request.method),
    tenant: ({ accountId }) => ({ plaspyAccount: accountId }),
    rateLimitKey: ({ userId }) => `plaspy:${userId}`,
    credentialGone: invalidToken,
    render: renderPlaspyError
  })
  const listTurns = new Turns(LIST_TURNS)
  // RFC 6902 documents are JSON under their own media type.
  app.addContentTypeParser('application/json-patch+json', { parseAs: 'buffer' }, jsonParser(app))

  /** What every authenticated handler starts from: the account's users, and the envelope with its usage. */
  function session (request: FastifyRequest) {
    const { usage, ...rest } = principal(request)
    return { users: plaspyUsers(repository, rest, app.clock()), envelope: { success: true, ...usage } as const }
  }

  /**
   * The envelope's fields, then `body`'s, in one literal. Not `{ ...envelope, ...body }`: on Node 20 every
   * property added after a spread costs about 1.5 µs (35 µs for a user, a tenth of a request; measured).
   */
  function enveloped<T extends object> ({ apiUsage, apiDailyUsage }: Usage, body: T) {
    return { success: true, apiUsage, apiDailyUsage, ...body } as const
  }

  app.route({
    ...operations.plaspyCreateToken,
    // No principal yet: limited per API key presented and per address (src/platform/rate-limit.ts).
    config: { ...operations.plaspyCreateToken.config, exchangesCredential: (request) => String((request.body as { apiKey?: unknown } | undefined)?.apiKey ?? '') },
    handler: async function plaspyCreateToken (request) {
      // Inside the account of the key's user; an unknown key has none, and is looked up in none.
      const accountId = await repository.keyAccount(secretHash(request.body.apiKey)) ?? ''
      const { token, expires } = await db.asTenant({ plaspyAccount: accountId },
        () => issueToken(repository, request.body, { lifetimeSeconds: app.config.tokenTtlSeconds, signingKey: app.config.tokenSigningKey }, app.clock()))
      return { success: true, token, expires: plaspyTimestamp(expires) } as const
    }
  })

  app.route({
    ...operations.plaspyListUsers,
    handler: async function plaspyListUsers (request, reply) {
      // HEAD: the status and headers only. Fastify would drain a stream it does not send: read nothing.
      if (request.method === 'HEAD') return reply.type('application/json; charset=utf-8').send(undefined as never)
      const { users, envelope } = session(request)
      const { accountId } = principal(request)
      const endTurn = await listTurns.take(accountId) // until the body closes: sent, or its client gone
      // A client that stops reading would hold the turn as long as its connection lasts: idle this long, it closes.
      reply.raw.setTimeout(app.config.listIdleTimeoutMs, () => reply.raw.destroy())
      try {
        const batches = users.list((read) => db.asTenant({ plaspyAccount: accountId }, read))
        // The route's own serializers, so that the streamed body holds exactly what the schema lets out.
        const serializeUser = reply.compileSerializationSchema(PlaspyUser)
        const body = await streamList(reply.serialize({ ...envelope, users: [] }) as string, batches, (user) => serializeUser(toPlaspyUser(user)))
        body.once('close', endTurn)
        // Fastify sends a stream as it is; the type provider knows only the schema's object.
        return reply.type('application/json; charset=utf-8').send(body as never)
      } catch (error) {
        endTurn()
        throw error
      }
    }
  })

  app.route({
    ...operations.plaspyCreateUser,
    handler: async function plaspyCreateUser (request, reply) {
      const { users, envelope } = session(request)
      const user = await users.create(request.body)
      return reply.code(201).header('etag', etag(user.version)).send(enveloped(envelope, toPlaspyUser(user)))
    }
  })

  app.route({
    ...operations.plaspyListCountries,
    handler: async function plaspyListCountries (request) {
      return enveloped(session(request).envelope, { countries: countryNames() })
    }
  })

  app.route({
    ...operations.plaspyListTimeZones,
    handler: async function plaspyListTimeZones (request) {
      return enveloped(session(request).envelope, { timeZones: timeZoneNames() })
    }
  })

  app.route({
    ...operations.plaspyGetUser,
    handler: async function plaspyGetUser (request, reply) {
      const { users, envelope } = session(request)
      const user = await users.get(request.params.userId)
      reply.header('etag', etag(user.version))
      return enveloped(envelope, toPlaspyUser(user))
    }
  })

  app.route({
    ...operations.plaspyUpdateUser,
    handler: async function plaspyUpdateUser (request, reply) {
      const { users, envelope } = session(request)
      const user = await users.update(request.params.userId, request.body, readIfMatch(request.headers['if-match']))
      reply.header('etag', etag(user.version))
      return enveloped(envelope, toPlaspyUser(user))
    }
  })

  app.route({
    ...operations.plaspyPatchUser,
    // A body that is no JSON Patch is an invalid patch operation (the vendor's one message), not invalid input.
    attachValidation: true,
    handler: async function plaspyPatchUser (request, reply) {
      const { validationError } = request
      if (validationError) throw validationError.validationContext === 'body' ? invalidPatch() : validationError
      const { users, envelope } = session(request)
      const user = await users.patch(request.params.userId, request.body, readIfMatch(request.headers['if-match']))
      reply.header('etag', etag(user.version))
      return enveloped(envelope, toPlaspyUser(user))
    }
  })

  app.route({
    ...operations.plaspyDeleteUser,
    handler: async function plaspyDeleteUser (request) {
      const { users, envelope } = session(request)
      await users.delete(request.params.userId, readIfMatch(request.headers['if-match']))
      return envelope
    }
  })
}

export default plaspy
