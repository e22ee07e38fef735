// The server's logger settings, one place for server.ts and for the test that proves no secret is logged.
// Fastify logs each request's method and URL, never its headers or body; what could still carry a secret is
// redacted here: credential headers, should anything log them, credentials a client put in the query string,
// and whatever a database client's error repeats of the row it was given.
import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import pg from 'pg'

/** Headers and fields that carry credentials, hidden wherever a log line might include them. */
export const redactedPaths = [
  'req.headers.authorization', 'req.headers["api-key"]', 'req.headers.cookie',
  '*.password', '*.apiKey', '*.api_key', '*.token'
]

// Query parameters whose value is a credential (`?api_key=…`, `?access_token=…`): never accepted, never logged.
const secretParameter = /key|token|password|secret|auth/i

export interface LoggerSettings {
  level: string
  /** Human-readable lines (pino-pretty) instead of JSON: for a person at a terminal. */
  pretty?: boolean
}

export function loggerOptions ({ level, pretty = false }: LoggerSettings) {
  return {
    level,
    redact: redactedPaths,
    serializers: { req: serializeRequest, err: serializeError },
    ...(pretty ? { transport: { target: 'pino-pretty' } } : {})
  } satisfies FastifyServerOptions['logger']
}

/** Fastify's default request serializer, with credential values in the query string replaced. */
function serializeRequest (request: FastifyRequest) {
  return {
    method: request.method,
    url: redactQuery(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}

export function redactQuery (url: string): string {
  const start = url.indexOf('?')
  if (start === -1) return url
  // Hand-written rather than URLSearchParams: re-encoding would change every other parameter in the log.
  const query = url.slice(start + 1).split('&').map((pair) => {
    const [name = '', ...value] = pair.split('=')
    return value.length > 0 && secretParameter.test(safeDecode(name)) ? `${name}=[Redacted]` : pair
  })
  return `${url.slice(0, start)}?${query.join('&')}`
}

function safeDecode (text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** What a logged error may show: a database client's error only by its kind, code and operation. */
export interface LoggedError {
  [key: string]: unknown
  type: string
  code?: string
  /** The client call that failed, e.g. `prisma.plaspyUser.update()`. */
  operation?: string
  message: string
  stack: string
  cause?: LoggedError
}

/**
 * Errors as the log shows them. A database client's message and properties repeat the arguments of the failed
 * call (a Prisma validation error prints the whole `data`, a password hash included; Postgres' `detail` names the
 * duplicated value), so for those only the kind, the code and the operation are kept, and the stack's frames.
 */
export function serializeError (error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: '', stack: '' }
  const type = error.name || error.constructor.name
  const { code } = error as { code?: unknown }
  const cause = error.cause !== undefined && depth < 3 ? serializeError(error.cause, depth + 1) : undefined
  const named = { type, ...(typeof code === 'string' ? { code } : {}), ...(cause ? { cause } : {}) }
  if (!isDatabaseClientError(error)) return { ...named, message: error.message, stack: error.stack ?? '' }
  const operation = clientOperation(error.message)
  return {
    ...named,
    ...(operation ? { operation } : {}),
    message: `${type}${typeof code === 'string' ? ` ${code}` : ''}${operation ? ` in ${operation}` : ''} (details withheld: they carry the call's values)`,
    stack: stackFrames(error.stack)
  }
}

function isDatabaseClientError (error: Error): boolean {
  return error.name.startsWith('PrismaClient') || error.name === 'DriverAdapterError' ||
    error.name === 'SqliteError' || error instanceof pg.DatabaseError
}

// Prisma names the failed call in its message as "Invalid `prisma.plaspyUser.update()` invocation".
function clientOperation (message: string): string | undefined {
  return /`(prisma\.[\w$]+\.[\w$]+\(\))`/.exec(message)?.[1]
}

/** The stack without its first lines, which repeat the message. */
function stackFrames (stack = ''): string {
  const first = stack.indexOf('\n    at ')
  return first === -1 ? '' : stack.slice(first + 1)
}
