// Rate limits that hold across instances. An authenticated request counts against its credential: the key the
// dialect kernel set from the principal its onRequest hook resolved (src/platform/dialect.ts), so this runs at
// preValidation, after that hook and before an invalid body could escape the count. A route that trades a credential
// in its body for another (`exchangesCredential`) counts against that credential and the client's address. A failed
// authentication counts against the client's address, never against the value it presented (a guesser would send
// a new one each time). Counters live in Redis when REDIS_URL is set, so every instance enforces one shared limit;
// in this process's memory otherwise. A 429 is an ApiError, rendered in each dialect's envelope.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { rateLimited } from './errors.js'
import { secretHash } from './secrets.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route trades a credential sent in its body for another (Plaspy's Auth/Token): with no principal yet, it
     * is limited per credential presented (this answers it) and per address, as each success stores a token.
     */
    exchangesCredential?: (request: FastifyRequest) => string
  }
}

export interface RateLimitOptions {
  /** Requests per credential in one window. */
  max: number
  /** Failed authentications per client address in one window: far fewer than a working client makes requests. */
  failedAuthenticationMax: number
  windowSeconds: number
  /** Set: counters shared through this Redis. */
  redisUrl?: string
  /** Prefix of the Redis keys. */
  prefix?: string
}

const noHeaders = { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false } as const

async function rateLimits (app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const redis = options.redisUrl === undefined ? undefined : await connectRedis(options.redisUrl)
  if (redis) app.addHook('onClose', async () => { await redis.quit() })
  await app.register(rateLimit, {
    global: false, // only the hooks below limit, with the keys they choose
    max: options.max,
    timeWindow: options.windowSeconds * 1000,
    ...(redis ? { redis, nameSpace: options.prefix ?? 'tracker-users:rate-limit:' } : {}),
    // Redis gone mid-flight: serve unthrottled (and log) rather than fail every request.
    skipOnError: true,
    // The vendors' wire formats carry no rate-limit headers on success; a 429 says only when to retry.
    addHeadersOnExceeding: noHeaders,
    addHeaders: { ...noHeaders, 'retry-after': true },
    errorResponseBuilder: (_request, context) => rateLimited(Math.ceil(context.ttl / 1000))
  })

  app.addHook('preValidation', app.rateLimit({ keyGenerator: (request) => request.rateLimitKey, allowList: (_request, key) => key === '' }))
  // Counted by hand: @fastify/rate-limit runs only the first of a request's rateLimit() hooks.
  const exchanges = [app.createRateLimit({ keyGenerator: presentedCredential }), app.createRateLimit({ keyGenerator: (request) => `exchange-address:${request.ip}` })]
  async function limitCredentialExchange (request: FastifyRequest): Promise<void> {
    for (const count of exchanges) {
      const state = await count(request)
      if (!state.isAllowed && state.isExceeded) throw rateLimited(state.ttlInSeconds)
    }
  }
  // On the credential exchanges alone: no other request runs the hook.
  app.addHook('onRoute', (route) => {
    if (route.config?.exchangesCredential !== undefined) route.preValidation = [...[route.preValidation ?? []].flat(), limitCredentialExchange]
  })

  const failures = app.createRateLimit({ keyGenerator: (request) => `auth-failure:${request.ip}`, max: options.failedAuthenticationMax })
  app.addHook('onRequest', async function refuseThrottledAddress (request) {
    if (!authenticates(request)) return
    // Peek, don't count: only failures count, but once they reach the limit even a right key waits.
    const state = await failures(request, { increment: false })
    if (!state.isAllowed && state.remaining === 0 && state.ttl > 0) throw rateLimited(state.ttlInSeconds)
  })
  app.decorate('countFailedAuthentication', async function countFailedAuthentication (request: FastifyRequest, _reply: FastifyReply) {
    const state = await failures(request)
    return !state.isAllowed && state.isExceeded ? rateLimited(state.ttlInSeconds) : undefined
  })
}

/** At a credential exchange: the credential it presents, as a hash (a counter key is no place for a secret). */
function presentedCredential (request: FastifyRequest): string {
  return `exchange-credential:${secretHash(request.routeOptions.config.exchangesCredential!(request))}`
}

/** Routes that check a credential: those whose operation names a security scheme, and the credential exchanges. */
function authenticates (request: FastifyRequest): boolean {
  const { security, exchangesCredential } = request.routeOptions.config
  return (security?.length ?? 0) > 0 || exchangesCredential !== undefined
}

/** Connects at start, so a wrong REDIS_URL stops the server instead of silently disabling shared limits. */
async function connectRedis (url: string): Promise<Redis> {
  const { Redis } = await import('ioredis') // loaded only when REDIS_URL is set: a lean process otherwise
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5_000 })
  redis.on('error', () => {}) // reported by connect() below, or skipped per request (skipOnError)
  try {
    await redis.connect()
  } catch (error) {
    redis.disconnect()
    throw new Error(`REDIS_URL: cannot connect to Redis at ${new URL(url).host}: ${(error as Error).message}`, { cause: error })
  }
  return redis
}

export default fp(rateLimits, { name: 'rate-limits' })
