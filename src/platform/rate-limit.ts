// Rate limits that hold across instances. An authenticated request counts against its credential: the
// principal the dialect's onRequest hook resolved, so this runs at preValidation, after that hook and before
// an invalid body could escape the count. A failed authentication counts against the client's address, never
// against the value it presented (a guesser would send a new one each time). Counters live in Redis when
// REDIS_URL is set, so every instance enforces one shared limit; in this process's memory otherwise. A 429 is
// an ApiError, rendered in each dialect's envelope.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { Redis } from 'ioredis'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from './errors.js'
import { secretHash } from './secrets.js'

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
    errorResponseBuilder: (_request, context) => throttled(Math.ceil(context.ttl / 1000))
  })

  app.addHook('preValidation', app.rateLimit({ keyGenerator: principalKey, allowList: (_request, key) => key === '' }))
  // The token exchange has no principal yet, and each success stores a token: limited per key and per address.
  // (Counted by hand: @fastify/rate-limit runs only the first of a request's rateLimit() hooks.)
  const tokenExchanges = [app.createRateLimit({ keyGenerator: presentedKey }), app.createRateLimit({ keyGenerator: (request) => `plaspy-token-address:${request.ip}` })]
  app.addHook('preValidation', async function limitTokenExchange (request) {
    if (request.routeOptions.config.operationId !== 'plaspyCreateToken') return
    for (const count of tokenExchanges) {
      const state = await count(request)
      if (!state.isAllowed && state.isExceeded) throw throttled(state.ttlInSeconds)
    }
  })

  const failures = app.createRateLimit({ keyGenerator: (request) => `auth-failure:${request.ip}`, max: options.failedAuthenticationMax })
  app.addHook('onRequest', async function refuseThrottledAddress (request) {
    if (!authenticates(request)) return
    // Peek, don't count: only failures count, but once they reach the limit even a right key waits.
    const state = await failures(request, { increment: false })
    if (!state.isAllowed && state.remaining === 0 && state.ttl > 0) throw throttled(state.ttlInSeconds)
  })
  app.decorate('countFailedAuthentication', async function countFailedAuthentication (request: FastifyRequest, _reply: FastifyReply) {
    const state = await failures(request)
    return !state.isAllowed && state.isExceeded ? throttled(state.ttlInSeconds) : undefined
  })
}

/** The credential a request was authenticated with, as a counter key; '' before or without authentication. */
function principalKey (request: FastifyRequest): string {
  // A Roam key speaks for its project; every key of a project shares the project's limit.
  if (request.roam) return `roam:${request.roam.projectId}`
  if (request.plaspy) return `plaspy:${request.plaspy.userId}`
  return ''
}

/** At the token exchange: the API key it presents, as a hash (a counter key is no place for a secret). */
function presentedKey (request: FastifyRequest): string {
  const { apiKey } = (request.body ?? {}) as { apiKey?: unknown }
  return `plaspy-token-key:${secretHash(typeof apiKey === 'string' ? apiKey : '')}`
}

/** Routes that check a credential: those whose operation names a security scheme, and the token exchange. */
function authenticates (request: FastifyRequest): boolean {
  const { security, operationId } = request.routeOptions.config
  return (security?.length ?? 0) > 0 || operationId === 'plaspyCreateToken'
}

function throttled (retryAfterSeconds: number): ApiError {
  const error = new ApiError('rate_limited', 'Too many requests.')
  error.retryAfterSeconds = Math.max(1, retryAfterSeconds)
  return error
}

/** Connects at start, so a wrong REDIS_URL stops the server instead of silently disabling shared limits. */
async function connectRedis (url: string): Promise<Redis> {
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
