// generated/schemas.ts is up to date with openapi.yaml, Fastify compiles every operation, and the generator
// behaves as specified on a small fixture.
import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Fastify, { type FastifyServerOptions, type HTTPMethods, type RouteOptions } from 'fastify'
import { tsImport } from 'tsx/esm/api'
import { parse, stringify } from 'yaml'
import { renderSchemas, validateSpec } from '../scripts/generate.js'
import { operations } from '../generated/schemas.js'
import { PACKAGE_ROOT } from '../src/platform/package-root.js'

const root = pathToFileURL(`${PACKAGE_ROOT}/`)
const specText = readFileSync(new URL('openapi.yaml', root), 'utf8')

t.test('generated/schemas.ts matches openapi.yaml (run npm run generate)', async (t) => {
  await validateSpec(specText)
  t.equal(readFileSync(new URL('generated/schemas.ts', root), 'utf8'), renderSchemas(specText))
})

// Registers every operation with a dummy handler; route building compiles all schemas.
async function compileAll (t: Test, ops: Record<string, object>, opts: FastifyServerOptions = {}) {
  const app = Fastify(opts)
  for (const op of Object.values(ops)) app.route({ ...(op as RouteOptions), handler: async () => null })
  await app.ready() // rejects with the method, url and Ajv error of the first schema that does not compile
  const routes = Object.values(ops) as RouteOptions[]
  t.ok(routes.length > 0 && routes.every((route) => app.hasRoute({ method: route.method as HTTPMethods, url: route.url })), `${routes.length} operations compiled, each a route`)
  await app.close()
}

t.test('every operation compiles in Fastify', async (t) => {
  await compileAll(t, operations) // Fastify's default Ajv: unknown keywords throw
  await compileAll(t, operations, { ajv: { customOptions: { strict: true, allowUnionTypes: true } } })
})

const fixture = `
openapi: 3.1.0
info: { title: fixture, version: 1.0.0 }
security: [{ key: [] }]
paths:
  /pets/{petId}/:
    parameters:
      - $ref: '#/components/parameters/PetId'
    get:
      operationId: getPet
      x-internal: true
      parameters:
        - { name: verbose, in: query, description: More detail., schema: { type: boolean } }
        - { name: X-Trace-Id, in: header, required: true, schema: { type: string } }
        - { name: Authorization, in: header, schema: { type: string } }
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Pet' } } }
        '404': { $ref: '#/components/responses/NotFound' }
    delete:
      operationId: deletePet
      security: []
      responses: { '204': { description: gone } }
    patch:
      operationId: patchPet
      security: [{ bearer: [] }, { key: [] }]
      requestBody:
        content: { application/json-patch+json: { schema: { type: array, items: { type: object } } } }
      responses: { '204': { description: patched } }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: Api-Key, x-vendor: roam }
    bearer: { type: http, scheme: bearer }
  parameters:
    PetId: { name: petId, in: path, required: true, description: The pet., schema: { type: string } }
  responses:
    NotFound:
      description: not found
      content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } }
  schemas:
    Adoption:
      type: object
      properties: { pet: { $ref: '#/components/schemas/Pet' } }
    Pet:
      type: object
      required: [id]
      x-table: pets
      example: { id: '1' }
      properties:
        id: { type: string }
        name: { type: [string, 'null'], example: Rex, examples: [Rex] }
        example: { type: string, enum: ["it's", "a\\nb"] }
        owner: { $ref: '#/components/schemas/Owner', description: Doc only. }
    PetAlias: { $ref: '#/components/schemas/Pet' }
    Owner:
      type: object
      properties: { name: { type: string } }
    Problem:
      type: object
      discriminator: { propertyName: type }
      properties: { type: { type: string } }
`

// Renders a fixture and imports the result (tsx compiles it, whether this file runs compiled or through tsx), so
// assertions are on values, not text.
async function load (t: Test, text: string) {
  const dir = t.testdir({ 'schemas.ts': renderSchemas(text) })
  return { text: readFileSync(join(dir, 'schemas.ts'), 'utf8'), mod: await tsImport(pathToFileURL(join(dir, 'schemas.ts')).href, import.meta.url) }
}

t.test('generator output on a fixture', async (t) => {
  await validateSpec(fixture)
  const { text, mod } = await load(t, fixture)
  t.ok(text.startsWith('// Generated from openapi.yaml by scripts/generate.ts — do not edit.\n'))
  t.same([...text.matchAll(/^export const (\w+)/gm)].map((m) => m[1]),
    ['Owner', 'Pet', 'Adoption', 'PetAlias', 'Problem', 'operations'], 'dependencies first, then by name')
  t.notMatch(text, /x-table|x-internal|x-vendor|discriminator|Doc only/, 'x-*, discriminator, $ref siblings dropped')
  t.strictSame(mod.Pet, {
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'string' },
      name: { type: ['string', 'null'], examples: ['Rex'] },
      example: { type: 'string', enum: ["it's", 'a\nb'] },
      owner: { type: 'object', properties: { name: { type: 'string' } } }
    }
  })
  t.equal(mod.Pet.properties.owner, mod.Owner, 'a $ref is the shared component object')
  t.equal(mod.PetAlias, mod.Pet)
  t.notOk('securitySchemes' in mod, 'nothing the server does not use: security is read from each operation\'s config')
  t.strictSame(Object.keys(mod.operations), ['getPet', 'deletePet', 'patchPet'])

  const { getPet, deletePet, patchPet } = mod.operations
  t.match(getPet, { method: 'GET', url: '/pets/:petId/', config: { operationId: 'getPet', security: ['key'] } })
  t.strictSame(getPet.schema.params, { type: 'object', properties: { petId: { type: 'string', description: 'The pet.' } }, required: ['petId'] })
  t.strictSame(getPet.schema.querystring, { type: 'object', properties: { verbose: { type: 'boolean', description: 'More detail.' } } })
  t.strictSame(getPet.schema.headers, { type: 'object', properties: { 'x-trace-id': { type: 'string' } }, required: ['x-trace-id'] })
  t.equal(getPet.schema.response['200'], mod.Pet)
  t.equal(getPet.schema.response['404'], mod.Problem)
  t.strictSame(deletePet.config.security, [])
  t.strictSame(deletePet.schema, { params: getPet.schema.params, response: { 204: { type: 'null' } } })
  // OAS: a requestBody is optional unless it says `required: true`; this one does not.
  t.strictSame(patchPet.config, { operationId: 'patchPet', security: ['bearer', 'key'], bodyOptional: true })
  t.strictSame(patchPet.schema.body, { type: 'array', items: { type: 'object' } })
  await compileAll(t, mod.operations)
})

t.test('generator failures', async (t) => {
  const variant = (edit: (doc: any) => void) => {
    const doc = parse(fixture)
    edit(doc)
    return stringify(doc)
  }
  const schemas = (doc: any) => doc.components.schemas
  t.throws(() => renderSchemas(variant((d) => { d.paths['/pets/{petId}/'].delete.operationId = 'getPet' })), /duplicate operationId getPet/)
  t.throws(() => renderSchemas(variant((d) => { delete d.paths['/pets/{petId}/'].delete.operationId })), /DELETE \/pets\/\{petId\}\/: missing operationId/)
  t.throws(() => renderSchemas(variant((d) => { schemas(d).Owner.properties.pet = { $ref: '#/components/schemas/Adoption' } })),
    /cyclic \$ref between components: Adoption -> Pet -> Owner -> Adoption/)
  t.throws(() => renderSchemas(variant((d) => { schemas(d).Owner.properties.self = { $ref: '#/components/schemas/Owner' } })), /Owner -> Owner/)
  t.throws(() => renderSchemas(variant((d) => { schemas(d).Owner.properties.x = { $ref: '#/$defs/X' } })), /unsupported \$ref "#\/\$defs\/X"/)
  t.throws(() => renderSchemas(variant((d) => { schemas(d).Owner.properties.x = { $ref: '#/components/schemas/Pet', maxLength: 3 } })),
    /\$ref with sibling keywords maxLength/)
  t.throws(() => renderSchemas(variant((d) => { schemas(d).Owner.properties.x = { $ref: '#/components/schemas/Nope' } })), /unknown schema Nope/)
  await t.rejects(validateSpec(variant((d) => { d.paths['/pets/{petId}/'].get.bogus = 1 })), /not a valid OpenAPI 3.1 document/)
})

t.test('--check exits 1 on a stale file', async (t) => {
  const dir = t.testdir({ 'openapi.yaml': fixture, generated: { 'schemas.ts': '// stale\n' } })
  const tsx = new URL('node_modules/.bin/tsx', root).pathname
  const script = new URL('scripts/generate.ts', root).pathname
  const stale = spawnSync(tsx, [script, '--check'], { cwd: dir, encoding: 'utf8' })
  t.equal(stale.status, 1)
  t.match(stale.stderr, 'generated/schemas.ts is stale: run npm run generate')
  t.equal(spawnSync(tsx, [script], { cwd: dir }).status, 0)
  t.equal(spawnSync(tsx, [script, '--check'], { cwd: dir }).status, 0)
})
