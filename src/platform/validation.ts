// Request validation with two Ajv instances. Bodies are strict: no type coercion ("true" is not a boolean),
// unknown properties stripped where the schema closes the object, every error reported (DRF answers all
// fields at once). Query strings and path parameters arrive as text, so they are coerced.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { validationError } from './errors.js'
import { MAX_JSON_DEPTH } from './json-body.js'

const common: Options = { removeAdditional: true, useDefaults: true, allErrors: true, strict: true, allowUnionTypes: true }

export function installValidators (app: FastifyInstance): void {
  const body = bodyAjv()
  const text = withFormats(new Ajv({ ...common, coerceTypes: 'array' }))
  app.setValidatorCompiler(({ schema, httpPart }) => httpPart === 'body' ? body.compile(schema) : finite(text.compile(schema)))
  app.addHook('preHandler', refuseUnstorableText)
}

/**
 * Text no database stores as sent is invalid, in DRF's words: U+0000, which Postgres refuses (a 500 there) while
 * SQLite keeps it, and lone surrogates, which each database mangles its own way. Only in the parts the route's
 * schema takes in (what it leaves out is ignored, never stored, and may not answer an undeclared 400). After
 * validation, so the schema's errors come first.
 */
async function refuseUnstorableText (request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema
  const parts = [['body', schema?.body, request.body], ['params', schema?.params, request.params], ['query', schema?.querystring, request.query]] as const
  for (const [part, declared, value] of parts) {
    if (declared === undefined) continue
    const problem = unstorable(value)
    if (problem === undefined) continue
    const field = typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.entries(value).find(([key, item]) => unstorable(key) === undefined && unstorable(item) !== undefined)?.[0]
      : undefined
    throw validationError(field ?? (part === 'body' ? 'non_field_errors' : part), problem)
  }
}

/**
 * What is wrong with the first unstorable string in `value` (keys included), if any. Bodies nest at most
 * MAX_JSON_DEPTH levels (src/platform/json-body.ts); the walk stops there all the same.
 */
function unstorable (value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') {
    const found = /\0|\p{Cs}/u.exec(value)?.[0]
    if (found === undefined) return undefined
    return found === '\0' ? 'Null characters are not allowed.' : `Surrogate characters are not allowed: U+${found.charCodeAt(0).toString(16).toUpperCase()}.`
  }
  if (typeof value !== 'object' || value === null || depth > MAX_JSON_DEPTH) return undefined
  for (const [key, item] of Object.entries(value)) {
    const problem = unstorable(key) ?? unstorable(item, depth + 1)
    if (problem !== undefined) return problem
  }
  return undefined
}

/**
 * Ajv coerces `Infinity` and `1e999` to numbers and then skips the number's own keywords (`maximum` included), so
 * a query or path value must also be finite: checked after coercion, on the flat object these parts are.
 * (Bodies need no such check: with `strict`, Ajv refuses a non-finite number in JSON itself.)
 */
function finite (validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown) => {
    if (!validate(data)) {
      check.errors = validate.errors
      return false
    }
    const field = Object.entries(data ?? {}).find(([, value]) => [value].flat().some((item) => typeof item === 'number' && !Number.isFinite(item)))?.[0]
    check.errors = field === undefined ? null : [{ instancePath: `/${field}`, schemaPath: '#/type', keyword: 'type', params: { type: 'number' }, message: 'must be a finite number' }]
    return field === undefined
  }) as ValidateFunction
  return check
}

/** An Ajv that judges a JSON document exactly as the routes judge bodies (e.g. a user rebuilt by a JSON Patch). */
export function bodyAjv (): Ajv {
  return withFormats(new Ajv({ ...common, coerceTypes: false }))
}

function withFormats (ajv: Ajv): Ajv {
  addFormats.default(ajv)
  return ajv
}
