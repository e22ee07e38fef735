// JSON bodies, read the way both vendors' clients send them and bounded in what they can cost.
// - An empty body is no body: many clients set `Content-Type: application/json` on every request, DELETEs and
//   body-less POSTs included. Where the operation's body is optional it reads as `{}`; where it is required, the
//   schema's own error names it.
// - Bytes that are not UTF-8 are refused, as the vendors' JSON readers refuse them (Python's strict decoder,
//   System.Text.Json), where decoding them leniently would store U+FFFD in the client's place.
// - Nesting is bounded when the body is parsed, so nothing that later walks client data (validation, the
//   unstorable-text check, JSON Patch, the database's JSON encoder) can exhaust the stack.
import { isUtf8 } from 'node:buffer'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError } from './errors.js'

/** Far deeper than any body of either vendor needs (a user's `metadata` or `tags` nest a few levels). */
export const MAX_JSON_DEPTH = 32

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation's requestBody is not `required` (openapi.yaml): an empty body reads as `{}`. */
    bodyOptional?: boolean
  }
}

type Done = (error: Error | null, body?: unknown) => void

/** Fastify's own JSON parser (prototype poisoning refused), with encoding, empty bodies and nesting depth handled. */
export function jsonParser (app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error')
  return function parseJson (request: FastifyRequest, bytes: Buffer, done: Done): void {
    if (!isUtf8(bytes)) return done(new ApiError('bad_request', 'JSON body is not valid UTF-8.'))
    const text = bytes.toString('utf8')
    if (text.trim() === '') return done(null, undefined)
    parse(request, text, (error: Error | null, body?: unknown) => {
      if (error !== null) return done(error)
      if (deeperThan(body, MAX_JSON_DEPTH)) return done(tooDeep())
      done(null, body)
    })
  }
}

/** Installs the parser for `application/json` and reads an empty optional body as `{}`. */
export function jsonBodies (app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonParser(app))
  // On the routes whose body is optional alone: no other request runs the hook.
  app.addHook('onRoute', (route) => {
    if (route.config?.bodyOptional !== true) return
    route.preValidation = [...[route.preValidation ?? []].flat(), function emptyBodyAsObject (request, _reply, done) {
      if (request.body === undefined) request.body = {} // a JSON `null` stays, and is refused
      done()
    }]
  })
}

function tooDeep (): ApiError {
  return new ApiError('bad_request', `JSON nested deeper than ${MAX_JSON_DEPTH} levels.`)
}

/** Whether objects and arrays nest deeper than `limit`; iterative, so that the check itself cannot overflow. */
export function deeperThan (value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]]
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!
    if (typeof item !== 'object' || item === null) continue
    if (depth > limit) return true
    for (const child of Object.values(item)) pending.push([child, depth + 1])
  }
  return false
}
