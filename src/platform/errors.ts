// One error model for both dialects. Services throw ApiError; Fastify's own errors (validation, media type,
// body size, malformed JSON) are translated into the same model; each dialect only renders the envelope.
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isDatabaseUnavailable } from '../db/errors.js'

export type ErrorKind =
  | 'validation' // the input breaks the contract: `fields` says where
  | 'bad_request' // unreadable input (malformed JSON, invalid patch)
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'no_route' // no operation at this path
  | 'method_not_allowed' // the path has operations, none at this method
  | 'conflict'
  | 'precondition_failed' // If-Match named a version that is no longer current
  | 'too_large'
  | 'uri_too_long'
  | 'media_type'
  | 'rate_limited' // too many requests in the window: `retryAfterSeconds` says when to come back
  | 'header_too_large'
  | 'internal'
  | 'unavailable' // the database cannot be reached: try again later (`retryAfterSeconds`)

/** DRF-style field errors: `{ field: ["message"] }`. */
export type FieldErrors = Record<string, string[]>

const statusOf: Record<ErrorKind, number> = {
  validation: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  no_route: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  uri_too_long: 414,
  media_type: 415,
  rate_limited: 429,
  header_too_large: 431,
  internal: 500,
  unavailable: 503
}

export class ApiError extends Error {
  readonly statusCode: number
  /** Set on `rate_limited` and `unavailable` errors; the Retry-After header carries it too. */
  retryAfterSeconds?: number
  constructor (
    readonly kind: ErrorKind,
    message: string,
    readonly fields?: FieldErrors
  ) {
    super(message)
    this.statusCode = statusOf[kind]
  }
}

export function validationError (field: string, message: string): ApiError {
  return new ApiError('validation', `${field}: ${message}`, { [field]: [message] })
}

/** Any error thrown while handling a request, as an ApiError. Unknown errors become `internal`. */
export function toApiError (error: unknown): ApiError {
  if (error instanceof ApiError) return error
  const fastifyError = error as Partial<FastifyError>
  if (fastifyError.validation) {
    const fields = fieldErrors(fastifyError.validation, fastifyError.validationContext)
    return new ApiError('validation', describe(fields), fields)
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('too_large', 'Request body is too large.')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('media_type', 'Content-Type must be application/json.')
  }
  const status = fastifyError.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // Malformed or empty JSON, prototype poisoning: the client's fault, told without internals.
    return new ApiError('bad_request', 'Malformed JSON body.')
  }
  if (isDatabaseUnavailable(error)) return databaseUnavailable()
  return new ApiError('internal', 'Internal Server Error')
}

/** A 429: too many requests (in the window, or at once); the client may come back in `retryAfterSeconds`. */
export function rateLimited (retryAfterSeconds: number): ApiError {
  const error = new ApiError('rate_limited', 'Too many requests.')
  error.retryAfterSeconds = Math.max(1, retryAfterSeconds)
  return error
}

/** Seconds a client is told to wait after a 503: a database restarts or fails over in seconds, not milliseconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5

function databaseUnavailable (): ApiError {
  const error = new ApiError('unavailable', `Service temporarily unavailable. Retry in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`)
  error.retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS
  return error
}

interface AjvIssue {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
}

/** Ajv's errors as DRF-style messages keyed by the top-level field they concern. */
function fieldErrors (issues: AjvIssue[], part = 'body'): FieldErrors {
  const fields: FieldErrors = {}
  for (const issue of issues) {
    const missing = issue.keyword === 'required' ? String(issue.params.missingProperty) : undefined
    const field = missing ?? (issue.instancePath.split('/')[1] || (part === 'body' ? 'non_field_errors' : part))
    const message = drfMessage(issue)
    const list = (fields[field] ??= [])
    if (!list.includes(message)) list.push(message)
  }
  return fields
}

// The wording of Django REST framework, which Roam's errors are written in; plain enough for Plaspy too.
function drfMessage ({ keyword, params, message }: AjvIssue): string {
  switch (keyword) {
    case 'required': return 'This field is required.'
    case 'type': return typeMessage(String(params.type))
    case 'maxLength': return `Ensure this field has no more than ${params.limit} characters.`
    case 'minLength': return params.limit === 1 ? 'This field may not be blank.' : `Ensure this field has at least ${params.limit} characters.`
    case 'maxItems': return `Ensure this field has no more than ${params.limit} elements.`
    case 'minItems': return params.limit === 1 ? 'This list may not be empty.' : `Ensure this field has at least ${params.limit} elements.`
    case 'maxProperties': return `Ensure this field has no more than ${params.limit} keys.`
    case 'minimum': return `Ensure this value is greater than or equal to ${params.limit}.`
    case 'maximum': return `Ensure this value is less than or equal to ${params.limit}.`
    case 'enum': case 'const': return 'This is not a valid choice.'
    case 'uniqueItems': return 'Items must be unique.'
    case 'format': return params.format === 'email' ? 'Enter a valid email address.' : `Enter a valid ${params.format}.`
    case 'pattern': return 'This field is invalid.'
    default: return message ? `${message[0]!.toUpperCase()}${message.slice(1)}.` : 'This field is invalid.'
  }
}

function typeMessage (type: string): string {
  const types = type.split(',').filter((name) => name !== 'null') // "string,null": null was allowed too
  if (types.length > 1) return `Must be a ${types.slice(0, -1).join(', ')} or ${types.at(-1)}.`
  switch (types[0]) {
    case 'boolean': return 'Must be a valid boolean.'
    case 'integer': return 'A valid integer is required.'
    case 'number': return 'A valid number is required.'
    case 'object': return 'Expected a dictionary of items.'
    case 'array': return 'Expected a list of items.'
    case 'string': return 'Not a valid string.'
    default: return 'This field must be null.'
  }
}

/** The field errors as one sentence, for envelopes that carry only a message. */
export function describe (fields: FieldErrors): string {
  return Object.entries(fields).map(([field, messages]) => `${field}: ${messages.join(' ')}`).join(' ')
}

/**
 * A dialect's envelope for an error, with any headers it needs, and its status where the dialect differs. The
 * principal is there once the request is authenticated (a Plaspy error then carries its usage counters).
 */
export type RenderError<P = unknown> = (error: ApiError, request: FastifyRequest, principal?: P) => {
  status?: number
  body: unknown
  headers?: Record<string, string>
}

/**
 * Fastify's own format, `{statusCode, error, message}`: for what belongs to neither dialect (the Admin and
 * Operations paths, /docs), so that no third format appears.
 */
export const renderPlainError: RenderError = (error) => ({
  body: { statusCode: error.statusCode, error: STATUS_CODES[error.statusCode], message: error.message },
  headers: {
    ...error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) },
    ...error.kind === 'unauthorized' ? { 'www-authenticate': 'Bearer' } : {}
  }
})

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Counts a failed authentication against the client's address (src/platform/rate-limit.ts); answers a
     * `rate_limited` error once that address has failed too often, so keys cannot be guessed at full speed.
     */
    countFailedAuthentication?: (request: FastifyRequest, reply: FastifyReply) => Promise<ApiError | undefined>
    /** Notes a write that failed for want of storage, which readiness reports (src/db/storage-health.ts). */
    noteStorageFailure?: (error: unknown) => void
  }
}

/** The error handler of one dialect: translate, throttle failed authentication, log what the client must not see, render. */
export function errorHandler<P> (
  render: RenderError<P>,
  principalOf: (request: FastifyRequest) => P | undefined = () => undefined,
  /** The dialect's own reading of an error, before the shared one. */
  translate: (error: unknown) => ApiError | undefined = () => undefined
) {
  return async function handleError (this: unknown, error: unknown, request: FastifyRequest, reply: FastifyReply) {
    let apiError = translate(error) ?? toApiError(error)
    request.server.noteStorageFailure?.(error)
    if (apiError.kind === 'unauthorized') apiError = await request.server.countFailedAuthentication?.(request, reply) ?? apiError
    if (apiError.kind === 'internal') request.log.error({ err: error }, 'request failed')
    if (apiError.kind === 'unavailable' && !(error instanceof ApiError)) request.log.error({ err: error }, 'database unavailable')
    const { status, body, headers } = render(apiError, request, principalOf(request))
    return reply.code(status ?? apiError.statusCode).headers(headers ?? {}).send(body)
  }
}
