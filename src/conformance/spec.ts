// openapi.yaml as the conformance kit and the tests read it at run time: its operations, and a check of an answer
// against what the spec declares for that operation and status (status, content type, body schema). Read anew on
// each run, so responses another change adds to the spec are checked without anything here knowing of them.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'
import { PACKAGE_ROOT } from '../platform/package-root.js'

export type Schema = Record<string, any>

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  schema: Schema
}

export interface RequestBody {
  required: boolean
  /** Media type -> its schema and the example values the spec gives for it. */
  content: Record<string, { schema: Schema, examples: unknown[] }>
}

export interface SecurityScheme {
  name: string
  type: 'apiKey' | 'http'
  /** `apiKey`: the header that carries it. */
  header?: string
  /** `http`: the scheme, e.g. `bearer`. */
  scheme?: string
}

export interface Operation {
  operationId: string
  method: string
  path: string
  parameters: Parameter[]
  requestBody?: RequestBody
  /** Schemes any one of which authenticates the call; empty when the operation needs none. */
  security: SecurityScheme[]
  /** Status (`200`, `4XX`, `default`) -> the JSON pointer of the response object in the document. */
  responses: Record<string, string>
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']
const specId = 'urn:tracker-users:openapi'

export interface Spec {
  document: Schema
  operations: Operation[]
  /** The object a local `$ref` (`#/components/...`) points at, followed through further `$ref`s. */
  resolve: (value: Schema) => Schema
  /** What is wrong with this answer to `operation`; empty when the spec describes it exactly. */
  violations: (operation: Operation, response: Answer) => string[]
}

/** An answer as the checks read it: Fastify's inject() responses and the kit's fetched ones alike. */
export interface Answer {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

export function loadSpec (file = join(PACKAGE_ROOT, 'openapi.yaml')): Spec {
  const document = parse(readFileSync(file, 'utf8')) as Schema
  const resolve = (value: Schema): Schema => value?.$ref === undefined ? value : resolve(pointer(document, value.$ref))
  const operations = readOperations(document, resolve)
  const validate = responseValidator(document)
  return {
    document,
    operations,
    resolve,
    violations: (operation, response) => violations(operation, response, document, resolve, validate)
  }
}

function readOperations (document: Schema, resolve: Spec['resolve']): Operation[] {
  const schemes = document.components?.securitySchemes ?? {}
  const defaultSecurity = document.security ?? []
  const operations: Operation[] = []
  for (const [path, item] of Object.entries<Schema>(document.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method]
      if (operation === undefined) continue
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolve)
      const body = operation.requestBody === undefined ? undefined : resolve(operation.requestBody)
      const security = (operation.security ?? defaultSecurity) as Array<Record<string, string[]>>
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        parameters: parameters.map((p) => ({ name: p.name, in: p.in, required: p.required === true, schema: p.schema ?? {} })),
        requestBody: body && {
          required: body.required === true,
          content: Object.fromEntries(Object.entries<Schema>(body.content ?? {}).map(([type, media]) => [type, {
            schema: media.schema ?? {},
            examples: [...(media.example === undefined ? [] : [media.example]), ...Object.values<Schema>(media.examples ?? {}).map((e) => resolve(e).value)]
          }]))
        },
        security: security.flatMap((requirement) => Object.keys(requirement)).map((name) => {
          const scheme = schemes[name]
          return { name, type: scheme.type, header: scheme.in === 'header' ? scheme.name : undefined, scheme: scheme.scheme }
        }),
        responses: Object.fromEntries(Object.keys(operation.responses ?? {}).map((status) =>
          [status, responsePointer(document, `#/paths/${escape(path)}/${method}/responses/${status}`)]))
      })
    }
  }
  return operations
}

/** The pointer of the response object itself, past any `$ref` to components/responses. */
function responsePointer (document: Schema, at: string): string {
  const value = pointer(document, at)
  return value?.$ref === undefined ? at : responsePointer(document, value.$ref)
}

/**
 * One Ajv (draft 2020-12, as OpenAPI 3.1 is) holding the whole document, so that a schema is compiled by its
 * pointer and its `#/components/...` references resolve inside the spec itself.
 */
function responseValidator (document: Schema): (at: string) => ValidateFunction {
  // Not strict: the document is no schema, and its schemas carry OpenAPI's own keywords (`example`, `x-…`).
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true })
  addFormats.default(ajv)
  ajv.addSchema({ ...document, $id: specId })
  const compiled = new Map<string, ValidateFunction>()
  return (at) => {
    let validate = compiled.get(at)
    if (validate === undefined) compiled.set(at, validate = ajv.compile({ $ref: `${specId}${at}` }))
    return validate
  }
}

function violations (
  operation: Operation,
  response: Answer,
  document: Schema,
  resolve: Spec['resolve'],
  validate: (at: string) => ValidateFunction
): string[] {
  const status = String(response.statusCode)
  const declared = operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses.default
  if (declared === undefined) return [`status ${status} is not declared`]
  const content = resolve(pointer(document, declared)).content as Schema | undefined
  const mediaTypes = Object.keys(content ?? {})
  if (mediaTypes.length === 0) return response.body.length === 0 ? [] : [`status ${status} declares no body, got ${Buffer.byteLength(response.body)} bytes`]
  const sent = String(response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  const mediaType = mediaTypes.find((type) => type.toLowerCase() === sent)
  if (mediaType === undefined) return [`status ${status}: content type "${sent}" is not one of ${mediaTypes.join(', ')}`]
  let body: unknown = response.body
  if (isJson(mediaType)) {
    try {
      body = JSON.parse(response.body)
    } catch {
      return [`status ${status}: ${mediaType} body is not JSON`]
    }
  }
  const check = validate(`${declared}/content/${escape(mediaType)}/schema`)
  if (check(body)) return []
  return (check.errors ?? []).map((error) => `status ${status}: body${error.instancePath} ${error.message}`)
}

export function isJson (mediaType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json$/i.test(mediaType)
}

/** RFC 6901: the value at `#/a/b` in `document`. */
function pointer (document: Schema, ref: string): Schema {
  if (!ref.startsWith('#')) throw new Error(`only local references are supported: ${ref}`)
  return ref.slice(1).split('/').slice(1)
    .map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<Schema>((value, token) => value?.[token], document)
}

/** One RFC 6901 token, URI-encoded as a fragment needs (`{userId}`, `+json`). */
function escape (token: string): string {
  return encodeURIComponent(token.replaceAll('~', '~0').replaceAll('/', '~1'))
}
