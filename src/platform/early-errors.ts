// Answers given before any route runs — an unknown path, a path parameter over Fastify's maxParamLength, a
// header block over Node's maxHeaderSize — in the envelope of the dialect whose prefix the path carries, so a
// client of either vendor never meets a third error format. Elsewhere (/docs, /healthz …) Fastify's own format.
import type { Socket } from 'node:net'
import { STATUS_CODES } from 'node:http'
import type { ConnectionError, FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import { ApiError, renderPlainError, type RenderError } from './errors.js'

/** A dialect's path prefix and its renderer. */
export interface PrefixEnvelope {
  prefix: string
  /** Before any route runs there is no principal. */
  render: RenderError<never>
  /** A GET of a route's path without its trailing slash is redirected to it (Django's APPEND_SLASH). */
  appendSlash?: boolean
}

const HTTP_METHODS: HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

// A request line longer than this is "URI too long" (414) rather than "headers too large" (431).
const MAX_REQUEST_LINE = 8 * 1024

export function earlyErrors (dialects: PrefixEnvelope[]) {
  const dialectOf = (path: string) => dialects.find((dialect) => path.startsWith(dialect.prefix))
  // Every route by method, in a router of Fastify's own kind: the methods a path has, where Fastify's router
  // only says that one method has none.
  const routes = FindMyWay()
  const methodsOf = (path: string) => HTTP_METHODS.filter((method) => routes.find(method, path) !== null)

  /** The body and status of `error` for a request to `path`. */
  function answer (error: ApiError, path: string, request?: FastifyRequest) {
    // Early errors happen before authentication: the renderers need nothing of the request but its absence of state.
    const { status, body } = (dialectOf(path)?.render ?? renderPlainError)(error, request ?? ({} as FastifyRequest))
    return { status: status ?? error.statusCode, body }
  }

  return {
    /** Registers a route, for the methods a path has (Fastify's onRoute hook). */
    knowRoute (method: HTTPMethod, url: string) {
      if (url !== '*') routes.on(method, url, () => {}) // CORS preflight answers any path: no operation's
    },

    /**
     * No route at this method and path: 405 with `Allow` when the path has other methods, a redirect where the
     * dialect appends a slash, else 404.
     */
    notFound (request: FastifyRequest, reply: FastifyReply) {
      const path = request.url.split('?')[0]!
      const query = request.url.slice(path.length)
      if (request.method === 'GET' && dialectOf(path)?.appendSlash && !path.endsWith('/') && methodsOf(`${path}/`).includes('GET')) {
        return reply.redirect(`${path}/${query}`, 301)
      }
      const allowed = methodsOf(path)
      const error = allowed.length > 0
        ? new ApiError('method_not_allowed', `Method "${request.method}" not allowed.`)
        : new ApiError('no_route', 'Not Found')
      const { status, body } = answer(error, request.url, request)
      if (allowed.length > 0) reply.header('allow', allowed.join(', '))
      return reply.code(status).send(body)
    },

    /** Fastify's router refused the URL: a parameter too long (414) or not decodable (as an unknown path). */
    frameworkErrors: ((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const apiError = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new ApiError('uri_too_long', 'Request URI is too long.')
        : new ApiError('no_route', 'Not Found')
      const { status, body } = answer(apiError, request.url, request)
      return reply.code(status).send(body)
    }) satisfies FastifyServerOptions['frameworkErrors'],

    /**
     * Node's parser gave up before Fastify saw a request. Header overflow is answered 431 (or 414 when the request
     * line alone is that long) in the envelope its path belongs to; anything else gets Fastify's default behaviour.
     */
    clientError (error: ConnectionError, socket: Socket) {
      if (error.code !== 'HPE_HEADER_OVERFLOW' || !socket.writable) return defaultClientError(error, socket)
      const packet: unknown = error.rawPacket // a Buffer, whatever Fastify's types say
      const requestLine = requestLineOf(Buffer.isBuffer(packet) ? packet : undefined)
      const apiError = requestLine === undefined || requestLine.length > MAX_REQUEST_LINE
        ? new ApiError('uri_too_long', 'Request URI is too long.')
        : new ApiError('header_too_large', 'Request header fields are too large.')
      const path = (requestLine ?? (Buffer.isBuffer(packet) ? packet.subarray(0, 2048).toString('latin1') : '')).split(' ')[1] ?? ''
      const { status, body } = answer(apiError, path)
      const payload = JSON.stringify(body)
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`)
    }
  }
}

/** The request line at the start of the packet Node's parser choked on, if it ends inside it. */
function requestLineOf (packet: Buffer | undefined): string | undefined {
  const end = packet?.indexOf('\r\n') ?? -1
  return end === -1 ? undefined : packet!.subarray(0, end).toString('latin1')
}

// Node's own answer to any other parse error (400 on a malformed request, 408 when it timed out).
function defaultClientError (error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`)
}
