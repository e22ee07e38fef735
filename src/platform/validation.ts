// Request validation with two Ajv instances. Bodies are strict: no type coercion ("true" is not a boolean),
// unknown properties stripped where the schema closes the object, every error reported (DRF answers all
// fields at once). Query strings and path parameters arrive as text, so they are coerced.
import type { FastifyInstance } from 'fastify'
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'

const common: Options = { removeAdditional: true, useDefaults: true, allErrors: true, strict: true, allowUnionTypes: true }

export function installValidators (app: FastifyInstance): void {
  const body = bodyAjv()
  const text = withFormats(new Ajv({ ...common, coerceTypes: 'array' }))
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema))
}

/** An Ajv that judges a JSON document exactly as the routes judge bodies (e.g. a user rebuilt by a JSON Patch). */
export function bodyAjv (): Ajv {
  return withFormats(new Ajv({ ...common, coerceTypes: false }))
}

function withFormats (ajv: Ajv): Ajv {
  addFormats.default(ajv)
  return ajv
}
