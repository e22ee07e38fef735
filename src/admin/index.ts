// The Admin operations (openapi.yaml, tag Admin): what the `tracker-users` commands do, over HTTP, for suites that
// run this server in place of a vendor and cannot reach its shell. Registered only when ADMIN_TOKEN is set, so that
// otherwise every /admin/ path is an unknown path. The work is the commands' own functions; errors in Fastify's format.
import { isUtf8 } from 'node:buffer'
import { timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { operations } from '../../generated/schemas.js'
import { openDatabase, type Database } from '../db/client.js'
import { checkFixtures, parseFixtures } from '../fixtures/document.js'
import { reset, seed } from '../fixtures/seed.js'
import { useDialect } from '../platform/dialect.js'
import { ApiError, renderPlainError } from '../platform/errors.js'
import { secretHash } from '../platform/secrets.js'
import { authorizationHeader, bearerToken } from '../platform/security.js'
import { createLogin, regenerateKey, revokeKeys, usageOf } from '../plaspy/logins.js'
import { createRoamKey, listRoamKeys, revokeRoamKey } from '../roam/keys.js'

export interface AdminOptions {
  /** The bearer token every admin request must carry (ADMIN_TOKEN). */
  token: string
  /**
   * Where the admin operations write, when not the server's own database connection: on Postgres the tables'
   * owner's login, as the CLI's, since the server's may not write accounts and keys (ADMIN_DATABASE_URL).
   */
  databaseUrl?: string
}

/** A fixture document may be far larger than any dialect's body (64 KiB). */
export const FIXTURE_BODY_LIMIT = 1024 * 1024
/** YAML parses about 40 times slower than JSON (~1 ms a KiB here, on the event loop): larger documents come as JSON. */
export const YAML_BODY_LIMIT = 128 * 1024

/** The operations whose body is a fixture document, which openapi.yaml lets come as YAML too. */
const TAKES_YAML = new Set(['adminSeed', 'adminReset'])

const admin: FastifyPluginAsyncTypebox<AdminOptions> = async (app, { token, databaseUrl }) => {
  const db = databaseUrl === undefined ? app.db : await openOwnDatabase(app.db, databaseUrl)
  if (db !== app.db) app.addHook('onClose', () => db.close())
  await refuseWithoutWriteRights(db)
  const expected = Buffer.from(secretHash(token), 'hex')
  useDialect(app, {
    scheme: 'AdminToken',
    authenticate: async (request) => {
      if (!holdsToken(authorizationHeader(request), expected)) throw new ApiError('unauthorized', 'Invalid admin token.')
      return 'admin'
    },
    rateLimitKey: () => '', // an operator's: failed tokens count against the address, good ones are not limited
    render: renderPlainError
  })
  // YAML as the CLI reads it; the dialects take JSON only, so this parser lives in this plugin.
  app.addContentTypeParser('application/yaml', { parseAs: 'buffer' }, (request, bytes: Buffer, done) => {
    if (!TAKES_YAML.has(request.routeOptions.config.operationId ?? '')) return done(new ApiError('media_type', 'Content-Type must be application/json.'))
    if (bytes.length > YAML_BODY_LIMIT) return done(new ApiError('too_large', 'A YAML body may be at most 128 KiB: send a larger document as JSON.'))
    if (!isUtf8(bytes)) return done(new ApiError('bad_request', 'YAML body is not valid UTF-8.'))
    try {
      done(null, parseFixtures(bytes.toString('utf8'), 'body'))
    } catch (error) {
      done(error as Error)
    }
  })
  const fixtures = (body: unknown) => checkFixtures(body, 'body')

  app.route({
    ...operations.adminSeed,
    bodyLimit: FIXTURE_BODY_LIMIT,
    handler: async function adminSeed (request) {
      return seed(db, fixtures(request.body))
    }
  })

  app.route({
    ...operations.adminReset,
    bodyLimit: FIXTURE_BODY_LIMIT,
    handler: async function adminReset (request) {
      const empty = request.body === undefined || Object.keys(request.body).length === 0
      const added = await reset(db, empty ? undefined : fixtures(request.body))
      return { reset: true as const, ...added === undefined ? {} : { added } }
    }
  })

  app.route({
    ...operations.adminCreateRoamKey,
    handler: async function adminCreateRoamKey (request, reply) {
      return reply.code(201).send(await createRoamKey(db, request.body.account, request.body.project_id))
    }
  })

  app.route({
    ...operations.adminListRoamKeys,
    handler: async function adminListRoamKeys (request) {
      return listRoamKeys(db, request.params.account)
    }
  })

  app.route({
    ...operations.adminRevokeRoamKey,
    handler: async function adminRevokeRoamKey (request) {
      return revokeRoamKey(db, request.params.keyId)
    }
  })

  app.route({
    ...operations.adminCreatePlaspyLogin,
    handler: async function adminCreatePlaspyLogin (request, reply) {
      const { account, ...login } = request.body
      return reply.code(201).send(await createLogin(db, { accountName: account, ...login }))
    }
  })

  app.route({
    ...operations.adminRegeneratePlaspyKey,
    handler: async function adminRegeneratePlaspyKey (request) {
      return regenerateKey(db, request.params.userName)
    }
  })

  app.route({
    ...operations.adminRevokePlaspyKeys,
    handler: async function adminRevokePlaspyKeys (request) {
      return revokeKeys(db, request.params.userName)
    }
  })

  app.route({
    ...operations.adminGetPlaspyUsage,
    handler: async function adminGetPlaspyUsage (request) {
      return usageOf(db, request.params.userName, app.clock())
    }
  })
}

/** The owner's connection; what it changes in credentials reaches this server's caches at once, as the CLI's would. */
async function openOwnDatabase (server: Database, url: string): Promise<Database> {
  const own = await openDatabase(url)
  own.credentials.subscribe(() => server.credentials.changed())
  return own
}

/** On Postgres, a login that may not write keys (the server's own) would fail every operation: refuse to start. */
async function refuseWithoutWriteRights (db: Database): Promise<void> {
  if (db.provider !== 'postgresql') return
  const { rows: [rights] } = await sql<{ writes: boolean }>`SELECT has_table_privilege('roam_api_keys', 'INSERT') AS writes`
    .execute(db.query).catch(() => ({ rows: [] })) // not reachable yet, or not migrated: the server's own checks say so
  if (rights?.writes === false) {
    throw new Error('ADMIN_TOKEN: the admin operations write accounts and keys, which this login may not on Postgres: set ADMIN_DATABASE_URL to the tables\' owner\'s')
  }
}

/** The header's bearer token, compared in constant time by hash, so neither length nor prefix leaks. */
function holdsToken (header: string | undefined, expected: Buffer): boolean {
  const presented = bearerToken(header)
  return presented !== undefined && timingSafeEqual(Buffer.from(secretHash(presented), 'hex'), expected)
}

export default admin
