// Environment, read and checked once. Everything else takes its settings from here.

export interface Config {
  host: string
  port: number
  /** Unset: the embedded SQLite file under ./data/. */
  databaseUrl: string | undefined
  logLevel: string
  /** Lifetime of a Plaspy bearer token. */
  tokenTtlSeconds: number
}

export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, { min: 0, max: 65535 }), // 0: any free port
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 24 * 60 * 60)
  }
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
