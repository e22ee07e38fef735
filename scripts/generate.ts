// openapi.yaml -> generated/schemas.ts: component schemas and per-operation Fastify route options,
// emitted as raw `as const` JSON Schema (TypeBox 1.x infers types from it, Ajv compiles it as is); and
// generated/openapi.json, the document itself, which the docs serve (JSON parses in 1 ms, the YAML in 160).
// Usage: tsx scripts/generate.ts [--check]
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parse } from 'yaml'
import { Validator } from '@seriousme/openapi-schema-validator'

type Obj = Record<string, any>
const SPEC = 'openapi.yaml'
const OUT = 'generated/schemas.ts'
const DOCUMENT_OUT = 'generated/openapi.json'
const HEADER = '// Generated from openapi.yaml by scripts/generate.ts — do not edit.'
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
// Ajv strict mode rejects these ("unknown keyword") or they are documentation only.
const DROPPED = new Set(['example', 'discriminator', 'xml', 'externalDocs'])
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization'])
const IDENT = /^[A-Za-z_$][\w$]*$/
const RESERVED = new Set(['Static', 'operations', 'OperationId'])

/** A reference to another component: rendered as its identifier, so the object is shared at runtime. */
class Ref { constructor (readonly name: string) {} }

export async function validateSpec (specText: string): Promise<void> {
  const res = await new Validator().validate(parse(specText))
  if (res.valid) return
  const errors = typeof res.errors === 'string'
    ? [res.errors]
    : (res.errors ?? []).map((e) => `  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
  throw new Error(`${SPEC} is not a valid OpenAPI 3.1 document:\n${errors.join('\n')}`)
}

// Only keywords in schema position are cleaned; property names, enum/const/default/examples values are data.
const SUBSCHEMA = new Set(['items', 'not', 'if', 'then', 'else', 'additionalProperties', 'contains', 'propertyNames',
  'unevaluatedItems', 'unevaluatedProperties', 'contentSchema'])
const SCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems'])
const SCHEMA_MAP = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs'])

function schema (s: any, at: string): any {
  if (typeof s !== 'object' || s === null) return s // boolean schemas
  const out: Obj = {}
  for (const [k, v] of Object.entries(s)) {
    if (DROPPED.has(k) || k.startsWith('x-')) continue
    if (SUBSCHEMA.has(k)) out[k] = schema(v, `${at}/${k}`)
    else if (SCHEMA_LIST.has(k)) out[k] = (v as any[]).map((x, i) => schema(x, `${at}/${k}/${i}`))
    else if (SCHEMA_MAP.has(k)) out[k] = mapValues(v as Obj, (x, n) => schema(x, `${at}/${k}/${n}`))
    else out[k] = v
  }
  if (out.$ref === undefined) return out
  if (typeof out.$ref !== 'string' || !out.$ref.startsWith('#/components/schemas/')) {
    throw new Error(`${at}: unsupported $ref ${JSON.stringify(out.$ref)} (only #/components/schemas/X)`)
  }
  // OAS 3.1 allows $ref siblings; description/summary are doc-only, anything else would change the schema.
  const extra = Object.keys(out).filter((k) => !['$ref', 'description', 'summary'].includes(k))
  if (extra.length) throw new Error(`${at}: $ref with sibling keywords ${extra.join(', ')} is not supported`)
  return new Ref(out.$ref.slice('#/components/schemas/'.length))
}

function mapValues (o: Obj, f: (v: any, k: string) => any): Obj {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v, k)]))
}

function refsOf (v: any, acc = new Set<string>()): Set<string> {
  if (v instanceof Ref) acc.add(v.name)
  else if (typeof v === 'object' && v !== null) Object.values(v).forEach((x) => refsOf(x, acc))
  return acc
}

/** Dependencies first (depth-first, names visited in sorted order); a cycle is reported as a path. */
function topoSort (deps: Map<string, Set<string>>): string[] {
  const order: string[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (n: string, path: string[]): void => {
    if (state.get(n) === 'done') return
    if (state.get(n) === 'visiting') {
      throw new Error(`cyclic $ref between components: ${[...path.slice(path.indexOf(n)), n].join(' -> ')}`)
    }
    state.set(n, 'visiting')
    for (const d of [...deps.get(n)!].sort()) visit(d, [...path, n])
    state.set(n, 'done')
    order.push(n)
  }
  for (const n of [...deps.keys()].sort()) visit(n, [])
  return order
}

/** Resolves `$ref: '#/components/<kind>/X'` for parameters, requestBodies and responses. */
function deref (doc: Obj, v: Obj, kind: string): Obj {
  if (v.$ref === undefined) return v
  const prefix = `#/components/${kind}/`
  const target = String(v.$ref).startsWith(prefix) ? doc.components?.[kind]?.[v.$ref.slice(prefix.length)] : undefined
  if (target === undefined) throw new Error(`unresolvable $ref ${v.$ref} (expected ${prefix}X)`)
  return deref(doc, target, kind)
}

function paramObject (params: Obj[], at: string): Obj | undefined {
  if (!params.length) return undefined
  const properties: Obj = {}
  for (const p of params) {
    if (!p.schema) throw new Error(`${at}: parameter ${p.name} needs a schema (content is not supported)`)
    const s = schema(p.schema, `${at}/parameters/${p.name}`)
    // A Ref keeps its identifier (shared object); a parameter description is then doc-only and dropped.
    properties[p.in === 'header' ? p.name.toLowerCase() : p.name] =
      p.description !== undefined && !(s instanceof Ref) ? { ...s, description: p.description } : s
  }
  const required = params.filter((p) => p.required).map((p) => (p.in === 'header' ? p.name.toLowerCase() : p.name))
  return { type: 'object', properties, ...(required.length ? { required } : {}) }
}

function operation (doc: Obj, path: string, method: string, item: Obj, op: Obj): Obj {
  const at = `${method.toUpperCase()} ${path}`
  // Operation-level parameters override path-level ones with the same name and location.
  const params = new Map<string, Obj>()
  for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(doc, p, 'parameters'))) {
    if (p.in === 'cookie') throw new Error(`${at}: cookie parameter ${p.name} is not supported`)
    // OAS: these header parameters "SHALL be ignored" (content negotiation and security schemes own them).
    if (p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())) continue
    params.set(`${p.in}:${p.name}`, p)
  }
  const byIn = (where: string) => paramObject([...params.values()].filter((p) => p.in === where), at)
  const requestBody: Obj | undefined = op.requestBody ? deref(doc, op.requestBody, 'requestBodies') : undefined
  const content: Obj = requestBody?.content ?? {}
  const types = Object.keys(content)
  const bodyType = types.includes('application/json') ? 'application/json' : types.find((t) => t.endsWith('json')) ?? types[0]
  const security = (op.security ?? doc.security ?? []).flatMap((req: Obj) => Object.keys(req))
  const response = mapValues(op.responses ?? {}, (r, code) => {
    const media = Object.values<Obj>(deref(doc, r, 'responses').content ?? {})[0]
    return media ? schema(media.schema ?? {}, `${at}/responses/${code}`) : { type: 'null' }
  })
  const parts: Obj = {
    params: byIn('path'),
    querystring: byIn('query'),
    headers: byIn('header'),
    body: bodyType && content[bodyType].schema ? schema(content[bodyType].schema, `${at}/requestBody`) : undefined,
    response
  }
  return {
    method: method.toUpperCase(),
    url: path.replace(/\{([^}]+)\}/g, ':$1'),
    config: { operationId: op.operationId, security: [...new Set(security)], ...(requestBody && requestBody.required !== true ? { bodyOptional: true } : {}) },
    schema: Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined))
  }
}

/** `col` is the column the value starts at, so that a one-line rendering can respect the line width. */
function render (v: any, indent = '', col = indent.length): string {
  if (v instanceof Ref) return v.name
  if (typeof v === 'string') return `'${JSON.stringify(v).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`
  if (typeof v !== 'object' || v === null) return String(v)
  const inner = indent + '  '
  const items = Array.isArray(v)
    ? v.map((x) => render(x, inner))
    : Object.entries(v).map(([k, x]) => {
      const key = `${IDENT.test(k) ? k : render(k)}: `
      return key + render(x, inner, inner.length + key.length)
    })
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}']
  if (!items.length) return open + close
  // Short values stay on one line; everything else gets one entry per line.
  const flat = Array.isArray(v) ? `[${items.join(', ')}]` : `{ ${items.join(', ')} }`
  if (!flat.includes('\n') && col + flat.length <= 100) return flat
  return `${open}\n${items.map((x) => inner + x).join(',\n')}\n${indent}${close}`
}

function declare (name: string, v: unknown): string {
  const head = `export const ${name} = `
  // An alias (`A: {$ref: B}`) is an identifier, and `as const` only applies to literals.
  return v instanceof Ref ? head + v.name : `${head}${render(v, '', head.length)} as const`
}

export function renderSchemas (specText: string): string {
  const doc: Obj = parse(specText)
  const components = mapValues(doc.components?.schemas ?? {}, (s, n) => schema(s, `#/components/schemas/${n}`))
  const deps = new Map(Object.entries(components).map(([n, s]) => [n, refsOf(s)]))
  for (const [n, ds] of deps) {
    if (!IDENT.test(n) || RESERVED.has(n)) throw new Error(`component name ${n} is not usable as a TypeScript identifier`)
    for (const d of ds) if (!(d in components)) throw new Error(`#/components/schemas/${n}: unknown schema ${d}`)
  }
  const operations: Obj = {}
  for (const [path, item] of Object.entries<Obj>(doc.paths ?? {})) {
    for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) {
      const id = item[method].operationId
      if (!id) throw new Error(`${method.toUpperCase()} ${path}: missing operationId`)
      if (id in operations) throw new Error(`duplicate operationId ${id}`)
      operations[id] = operation(doc, path, method, item, item[method])
    }
  }
  return [
    HEADER,
    "import type { Static } from 'typebox'",
    ...topoSort(deps).map((n) => `${declare(n, components[n])}\nexport type ${n} = Static<typeof ${n}>`),
    declare('operations', operations),
    'export type OperationId = keyof typeof operations'
  ].join('\n\n') + '\n'
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const specText = readFileSync(SPEC, 'utf8')
    await validateSpec(specText)
    const outputs = [[OUT, renderSchemas(specText)], [DOCUMENT_OUT, `${JSON.stringify(parse(specText), null, 2)}\n`]] as const
    for (const [file, out] of outputs) {
      if (!process.argv.includes('--check')) writeFileSync(file, out)
      else if (!existsSync(file) || readFileSync(file, 'utf8') !== out) {
        console.error(`${file} is stale: run npm run generate`)
        process.exit(1)
      }
    }
  } catch (err) {
    console.error((err as Error).message)
    process.exit(1)
  }
}
