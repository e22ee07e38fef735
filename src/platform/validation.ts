// Request validation with two Ajv instances. Bodies are strict: no type coercion ("true" is not a boolean),
// unknown properties stripped where the schema closes the object, every error reported (DRF answers all
// fields at once). Query strings and path parameters arrive as text, so they are coerced.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { fullFormats } from 'ajv-formats/dist/formats.js'
import { validationError } from './errors.js'
import { MAX_JSON_DEPTH } from './json-body.js'

const common: Options = { removeAdditional: true, useDefaults: true, allErrors: true, strict: true, allowUnionTypes: true }

// One pair per process: Ajv keeps what it compiled by schema object, and the routes' schemas are the constants of
// generated/schemas.ts, so every app built in this process (tests build ~175) compiles each of them once.
let validators: { body: Ajv, text: Ajv } | undefined

export function installValidators (app: FastifyInstance): void {
  validators ??= { body: bodyAjv(), text: withFormats(new Ajv({ ...common, coerceTypes: 'array' })) }
  const { body, text } = validators
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

/** An Ajv for a document a person wrote (fixtures): as strict as bodies, but an unknown field is an error, not dropped. */
export function documentAjv (): Ajv {
  return withFormats(new Ajv({ ...common, removeAdditional: false, useDefaults: false, coerceTypes: false }))
}

function withFormats (ajv: Ajv): Ajv {
  addFormats.default(ajv)
  // The one range of instants both databases and JavaScript hold: RFC 3339 admits more (year 0000, a leap
  // second, year 10000 reached through an offset), which would answer 500 or be stored unreadable.
  ajv.addFormat('date-time', { type: 'string', validate: isStorableInstant })
  ajv.addFormat('date', { type: 'string', validate: (text: string) => rfc3339('date')(text) && !text.startsWith('0000') })
  return ajv
}

/** ajv-formats' own check of an RFC 3339 format, which the bounds above narrow. */
function rfc3339 (name: 'date' | 'date-time'): (text: string) => boolean {
  return (fullFormats[name] as { validate: (text: string) => boolean }).validate
}

/** Years 0001 to 9999 once normalised to UTC, the bounds `FIRST_INSTANT` and `LAST_INSTANT` name. */
export const FIRST_INSTANT = new Date('0001-01-01T00:00:00.000Z')
export const LAST_INSTANT = new Date('9999-12-31T23:59:59.999Z')

/** An RFC 3339 date-time that is a real instant (no leap second) between FIRST_INSTANT and LAST_INSTANT. */
export function isStorableInstant (text: string): boolean {
  if (!rfc3339('date-time')(text)) return false
  const instant = Date.parse(text.toUpperCase().replace(' ', 'T'))
  return instant >= FIRST_INSTANT.getTime() && instant <= LAST_INSTANT.getTime()
}
