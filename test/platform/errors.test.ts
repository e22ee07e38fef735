// One error vocabulary (src/platform/errors.ts), pure: Fastify's errors translated into ApiErrors with DRF's
// wording, and Fastify's own envelope for what belongs to no dialect. No server, no database.
import t from 'tap'
import { ApiError, describe, renderPlainError, toApiError } from '../../src/platform/errors.js'

const request = {} as never

t.test('a schema failure becomes a validation error naming each top-level field in DRF\'s words', async (t) => {
  const error = toApiError(Object.assign(new Error('invalid'), {
    validationContext: 'body',
    validation: [
      { instancePath: '', keyword: 'required', params: { missingProperty: 'app_type' } },
      { instancePath: '/description', keyword: 'maxLength', params: { limit: 1000 } },
      { instancePath: '/metadata/a', keyword: 'type', params: { type: 'string,null' } },
      { instancePath: '/email', keyword: 'format', params: { format: 'email' } },
      { instancePath: '', keyword: 'additionalProperties', params: {}, message: 'must NOT have additional properties' },
      { instancePath: '/app_type', keyword: 'enum', params: {} },
      { instancePath: '/app_type', keyword: 'enum', params: {} } // the same message once
    ]
  }))
  t.equal(error.kind, 'validation')
  t.equal(error.statusCode, 400)
  t.same(error.fields, {
    app_type: ['This field is required.', 'This is not a valid choice.'],
    description: ['Ensure this field has no more than 1000 characters.'],
    metadata: ['Not a valid string.'],
    email: ['Enter a valid email address.'],
    non_field_errors: ['Must NOT have additional properties.']
  })
  t.equal(error.message, describe(error.fields!))
  const query = toApiError(Object.assign(new Error('x'), { validationContext: 'querystring', validation: [{ instancePath: '', keyword: 'type', params: { type: 'object' } }] }))
  t.same(query.fields, { querystring: ['Expected a dictionary of items.'] }, 'a whole part is named by the part')
})

t.test('Fastify\'s own errors, and anything unknown, by kind', async (t) => {
  const kind = (error: unknown) => toApiError(error).kind
  t.equal(kind(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })), 'too_large')
  t.equal(kind(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 })), 'media_type')
  t.equal(kind(Object.assign(new Error('Unexpected token'), { statusCode: 400 })), 'bad_request')
  t.equal(toApiError(Object.assign(new Error('secret detail'), { statusCode: 400 })).message, 'Malformed JSON body.', 'told without internals')
  t.equal(kind(new TypeError('x is undefined')), 'internal')
  t.equal(toApiError(new TypeError('x is undefined')).message, 'Internal Server Error')
  const own = new ApiError('conflict', 'taken')
  t.equal(toApiError(own), own, 'an ApiError passes as it is')
})

t.test('renderPlainError: Fastify\'s envelope, with Retry-After and the Bearer challenge where they belong', async (t) => {
  const throttled = new ApiError('rate_limited', 'Too many requests.')
  throttled.retryAfterSeconds = 7
  t.same(renderPlainError(throttled, request), { body: { statusCode: 429, error: 'Too Many Requests', message: 'Too many requests.' }, headers: { 'retry-after': '7' } })
  t.same(renderPlainError(new ApiError('unauthorized', 'no'), request).headers, { 'www-authenticate': 'Bearer' })
  t.same(renderPlainError(new ApiError('not_found', 'gone'), request), { body: { statusCode: 404, error: 'Not Found', message: 'gone' }, headers: {} })
  t.same(renderPlainError(toApiError(new TypeError('x is undefined')), request).body, { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' }, 'as openapi.yaml\'s AdminServerError says, no detail')
})
