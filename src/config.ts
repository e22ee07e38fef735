// Environment, read and checked once. Everything else takes its settings from here: the server all of it, the
// `tracker-users` commands the database's part.
import { statSync } from 'node:fs'
import { isIP } from 'node:net'
import { isToken68 } from './platform/security.js'

export interface DatabaseConfig {
  /** Unset: the embedded SQLite file under ./data/. */
  databaseUrl: string | undefined
  /** Postgres: the role `migrate` grants the server's rights to; unset: one named for the database and schema. */
  databaseAppRole: string | undefined
}

export interface Config extends DatabaseConfig {
  host: string
  port: number
  logLevel: string
  /** Lifetime of a Plaspy bearer token. */
  tokenTtlSeconds: number
  /** The HS512 key of Plaspy's JWT tokens; unset: a random key per process (tokens are checked by their hash). */
  tokenSigningKey: Uint8Array | undefined
  /** Requests per credential in each window. */
  rateLimitMax: number
  /** Failed authentications per client address in each window; then even a right credential waits. */
  rateLimitFailedAuthMax: number
  rateLimitWindowSeconds: number
  /** Set: rate-limit counters live in Redis, shared by every instance; unset: in this process's memory. */
  redisUrl: string | undefined
  /** Prefix of the Redis keys, so that several deployments (or test runs) can share one Redis. */
  rateLimitPrefix: string
  /**
   * Behind a load balancer: whom to believe about the client's address (Fastify's trustProxy): the proxies'
   * addresses; false: the socket's peer is the client.
   */
  trustProxy: false | string
  /** Browser origins allowed to call the APIs (CORS); empty: none, as by default. */
  corsOrigins: string[]
  /** How long a SIGTERM's drain may take before the process exits anyway (1: requests in flight are cut off). */
  shutdownGraceSeconds: number
  /** A fixture file loaded before the server listens (as `tracker-users seed FILE` would). */
  seedFile: string | undefined
  /** Set: the Admin operations answer to `Authorization: Bearer` with it; unset: they do not exist. */
  adminToken: string | undefined
  /** Where the Admin operations write; unset: DATABASE_URL (on Postgres it must be the tables' owner's login). */
  adminDatabaseUrl: string | undefined
}

/**
 * Adds the settings of a `.env` file in the working directory, if there is one, to the environment: what the
 * environment sets already wins, as with dotenv. Node's own reader (process.loadEnvFile), so no package for it.
 */
export function readEnvFile (file = '.env'): void {
  try {
    const stats = statSync(file)
    // A FIFO or a device would hang the start; Node's parser slows quadratically with the lines of a huge file.
    if (!stats.isFile()) throw new Error('not a regular file')
    if (stats.size > ENV_FILE_LIMIT) throw new Error(`larger than ${ENV_FILE_LIMIT / 1024} KiB`)
    process.loadEnvFile(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error })
  }
}

const ENV_FILE_LIMIT = 64 * 1024

export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, { min: 0, max: 65535 }), // 0: any free port
    ...loadDatabaseConfig(env),
    logLevel: env.LOG_LEVEL ?? 'info',
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 24 * 60 * 60),
    tokenSigningKey: signingKey(env.TOKEN_SIGNING_KEY),
    // Generous: a limit is a guard against runaway clients, not a quota.
    rateLimitMax: integer(env, 'RATE_LIMIT_MAX', 6000),
    // A client whose credential is wrong fails on every request; a guesser sends nothing else.
    rateLimitFailedAuthMax: integer(env, 'RATE_LIMIT_FAILED_AUTH_MAX', 60),
    rateLimitWindowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60),
    redisUrl: env.REDIS_URL || undefined,
    rateLimitPrefix: env.RATE_LIMIT_PREFIX || 'tracker-users:rate-limit:',
    trustProxy: trustProxy(env.TRUST_PROXY),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    shutdownGraceSeconds: integer(env, 'SHUTDOWN_GRACE_SECONDS', 10, { max: 3600 }),
    seedFile: env.SEED_FILE || undefined,
    adminToken: adminToken(env.ADMIN_TOKEN),
    adminDatabaseUrl: env.ADMIN_DATABASE_URL || undefined
  }
}

export function loadDatabaseConfig (env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return { databaseUrl: env.DATABASE_URL || undefined, databaseAppRole: env.DATABASE_APP_ROLE || undefined }
}

/**
 * At least 32 characters, as a bearer token may hold them (letters, digits, -._~+/ and trailing =): it opens every
 * tenant's data, so it must not be guessable, and a client must be able to send it.
 */
function adminToken (text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined
  if (text.length < 32 || !isToken68(text)) throw new Error('ADMIN_TOKEN must be at least 32 characters without spaces, e.g. the output of `openssl rand -hex 32`')
  return text
}

/**
 * The proxies' addresses/CIDRs separated by commas (proxy-addr also knows `loopback`, `linklocal` and
 * `uniquelocal`). A bare `true` is refused: it believes the left-most `X-Forwarded-For` entry, which the client
 * itself writes, and so lets it escape the failed-authentication limit. So is a hop count, which Fastify 5 no
 * longer honours (it cannot tell a proxy from a client that sends the same header).
 */
function trustProxy (text: string | undefined): false | string {
  if (text === undefined || text === '' || text === 'false') return false
  const entries = text.split(',').map((entry) => entry.trim())
  if (entries.every((entry) => NAMED_RANGES.has(entry) || isAddressOrCidr(entry))) return entries.join(',')
  const why = text === 'true' ? ': "true" would let any client choose its own address' : /^\d+$/.test(text) ? ': hop counts are not trusted' : ''
  throw new Error(`TRUST_PROXY must be the proxies' addresses or CIDRs, e.g. 10.0.0.0/8, got "${text}"${why}`)
}

/** At least 64 characters: HS512 wants a key as long as its hash (RFC 7518 §3.2). */
function signingKey (text: string | undefined): Uint8Array | undefined {
  if (text === undefined || text === '') return undefined
  if (text.length < 64) throw new Error('TOKEN_SIGNING_KEY must be at least 64 characters (HS512 wants a 512-bit key)')
  return new TextEncoder().encode(text)
}

/** Origins separated by commas, each a scheme, host and optional port (`https://app.example.com`), or `*`. */
function corsOrigins (text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return []
  const origins = text.split(',').map((entry) => entry.trim())
  for (const origin of origins) {
    if (origin !== '*' && !isOrigin(origin)) {
      throw new Error(`CORS_ORIGINS must be origins such as https://app.example.com (or *), separated by commas, got "${origin}"`)
    }
  }
  return origins
}

function isOrigin (text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text
  } catch {
    return false
  }
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function isAddressOrCidr (entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))
}

function integer (env: NodeJS.ProcessEnv, name: string, fallback: number, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const text = env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${text}"`)
  }
  return value
}
