// buildApp(): the whole server as a Fastify instance, for server.ts and for the tests alike.
import { randomBytes, randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import Fastify, { type FastifyServerOptions } from 'fastify'
import type { HTTPMethod } from 'find-my-way'
import cors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AdminOptions } from './admin/index.js'
import { openDatabase, type Database } from './db/client.js'
import { docs } from './platform/docs.js'
import { earlyErrors } from './platform/early-errors.js'
import { corsOptions } from './platform/cors.js'
import gracefulClose from './platform/graceful-close.js'
import metrics from './platform/metrics.js'
import operationsRoutes from './platform/operations.js'
import rateLimits, { type RateLimitOptions } from './platform/rate-limit.js'
import { jsonBodies } from './platform/json-body.js'
import { installSerializers } from './platform/serialization.js'
import { installValidators } from './platform/validation.js'
import { rewritePath } from './platform/path-forms.js'
import plaspy, { plaspyPath } from './plaspy/index.js'
import { renderPlaspyError } from './plaspy/errors.js'
import roam from './roam/index.js'
import { renderRoamError } from './roam/errors.js'

export interface AppOptions {
  /** Unset: the embedded SQLite file. */
  databaseUrl?: string
  /** How long a SQLite write waits for another connection's lock before answering 503; 5 s by default. */
  sqliteBusyTimeoutMs?: number
  /** How long a request may take to arrive whole before it is answered 408; 30 s by default. */
  requestTimeoutMs?: number
  /**
   * How long Plaspy's streamed list waits on a client that takes none of it before closing the connection, which
   * ends the list's turn (src/platform/turns.ts); 60 s by default.
   */
  listIdleTimeoutMs?: number
  /** Lifetime of a Plaspy bearer token; 24 h by default. */
  tokenTtlSeconds?: number
  /** The HS512 key Plaspy tokens (JWTs) are signed with; a random one for this process by default. */
  tokenSigningKey?: Uint8Array
  /** The time as the server sees it; tests inject their own. */
  clock?: () => Date
  logger?: FastifyServerOptions['logger']
  /** Per credential (6000 a minute) and per address for failed authentication (60 a minute); in memory by default. */
  rateLimit?: Partial<RateLimitOptions>
  /** Behind a load balancer, so that the client's address (failed-authentication limits, logs) is the real one. */
  trustProxy?: false | string
  /** Browser origins allowed to call the APIs (CORS; `*`: any); none by default. */
  corsOrigins?: string[]
  /** Set: the Admin operations (src/admin), behind this bearer token; unset: /admin/ paths are unknown paths. */
  admin?: AdminOptions
  /** Also open a Prisma client as `app.db.prisma`, for tests that look behind the API (see openDatabase). */
  prisma?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    clock: () => Date
    /** Every route registered, as `METHOD url`: the contract test holds it against openapi.yaml. */
    routeList: string[]
    config: { tokenTtlSeconds: number, tokenSigningKey: Uint8Array, listIdleTimeoutMs: number }
  }
}

export async function buildApp (options: AppOptions = {}) {
  const requestTimeout = options.requestTimeoutMs ?? 30_000
  const early = earlyErrors([{ prefix: '/v1/api/', render: renderRoamError, appendSlash: true }, { prefix: '/api/', render: renderPlaspyError }])
  const app = Fastify({
    logger: options.logger ?? false,
    exposeHeadRoutes: true, // HEAD of every GET operation, as HTTP libraries assume (openapi.yaml says so once)
    bodyLimit: 64 * 1024,
    requestTimeout,
    // Node enforces that timeout only while its headers timeout (60 s by default) is no longer, and checks both
    // only every connectionsCheckingInterval (30 s): a body that never ended was answered 408 after 60 s or more.
    http: { headersTimeout: requestTimeout, connectionsCheckingInterval: 1_000 },
    return503OnClosing: false, // src/platform/graceful-close.ts answers in the dialect's envelope instead
    requestIdHeader: false, // read by requestId() below, which refuses what is unfit for a log or a header
    genReqId: requestId,
    trustProxy: options.trustProxy ?? false,
    frameworkErrors: early.frameworkErrors,
    clientErrorHandler: early.clientError,
    rewriteUrl: (request) => rewritePath(request.url ?? '/', plaspyPath)
  }).withTypeProvider<TypeBoxTypeProvider>()
  // Node keeps only about the first 1000 header lines: a duplicate Authorization or Api-Key past
  // them went unseen. No count, then; the 16 KiB header block bounds them (431).
  app.server.maxHeadersCount = 0
  // Every answer names its request, so a client's report can be found in the logs of any instance.
  app.addHook('onSend', function echoRequestId (request, reply, payload, done) {
    reply.header('x-request-id', request.id)
    done(null, payload) // a callback, not an async function: no promise for every request
  })
  installValidators(app)
  installSerializers(app)
  app.decorate('routeList', [] as string[])
  app.decorateRequest('principal', null) // set by each dialect's kernel (src/platform/dialect.ts)
  app.decorateRequest('rateLimitKey', '')
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      app.routeList.push(`${method} ${route.url}`)
      early.knowRoute(method as HTTPMethod, route.url)
    }
  })
  app.removeContentTypeParser('text/plain') // both vendors speak JSON only: anything else is a 415
  jsonBodies(app)

  await app.register(gracefulClose)
  if (options.corsOrigins?.length) await app.register(cors, corsOptions(options.corsOrigins))
  await app.register(metrics)
  const db = await openDatabase(options.databaseUrl, {
    sqliteBusyTimeoutMs: options.sqliteBusyTimeoutMs,
    prisma: options.prisma,
    onConnectionLost: (error) => app.log.warn({ err: error }, 'database connection lost')
  })
  app.decorate('db', db)
  app.decorate('noteStorageFailure', (error: unknown) => db.storage.note(error))
  app.addHook('onClose', () => db.close())
  app.decorate('clock', options.clock ?? (() => new Date()))
  app.decorate('config', {
    tokenTtlSeconds: options.tokenTtlSeconds ?? 24 * 60 * 60,
    tokenSigningKey: options.tokenSigningKey ?? randomBytes(64),
    listIdleTimeoutMs: options.listIdleTimeoutMs ?? 60_000
  })

  await app.register(docs)
  await app.register(operationsRoutes)
  // Before the dialects, so that its hooks reach their routes.
  await app.register(rateLimits, { max: 6000, failedAuthenticationMax: 60, windowSeconds: 60, ...options.rateLimit })
  await app.register(roam)
  await app.register(plaspy)
  // Loaded only when enabled: the Admin operations bring the fixtures' YAML parser and validator.
  if (options.admin !== undefined) await app.register((await import('./admin/index.js')).default, options.admin)
  app.setNotFoundHandler(early.notFound) // an unknown path under a dialect's prefix answers in its envelope
  return app
}

/** The caller's `x-request-id` when it is a sane token (load balancers set one), else a fresh UUID. */
function requestId (request: IncomingMessage): string {
  const sent = request.headers['x-request-id']
  return typeof sent === 'string' && /^[\w.:@/+=-]{1,128}$/.test(sent) ? sent : randomUUID()
}

export type App = Awaited<ReturnType<typeof buildApp>>
