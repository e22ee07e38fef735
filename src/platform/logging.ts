// The server's logger settings, one place for server.ts and for the test that proves no secret is logged.
// Fastify logs each request's method and URL, never its headers or body; what could still carry a secret is
// redacted here: credential headers, should anything log them, and credentials a client put in the query string.
import type { FastifyRequest, FastifyServerOptions } from 'fastify'

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
    serializers: { req: serializeRequest },
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
