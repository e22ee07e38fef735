// Swagger UI at /docs over the hand-written openapi.yaml, served as it is (static mode: nothing is
// generated from the routes, the document is the contract).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import swagger, { type StaticDocumentSpec } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { PACKAGE_ROOT } from './package-root.js'

export const specPath = join(PACKAGE_ROOT, 'openapi.yaml')

/** openapi.yaml as `npm run generate` copies it to JSON, which parses in 1 ms where the YAML takes 160. */
export const specJsonPath = join(PACKAGE_ROOT, 'generated', 'openapi.json')

let document: StaticDocumentSpec['document'] | undefined

/** Read once per process and shared by every app built in it (tests build ~175); Swagger UI clones it to transform. */
function openapiDocument (): StaticDocumentSpec['document'] {
  document ??= JSON.parse(readFileSync(specJsonPath, 'utf8')) as StaticDocumentSpec['document']
  return document
}

export async function docs (app: FastifyInstance): Promise<void> {
  await app.register(swagger, { mode: 'static', specification: { document: openapiDocument() } })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, tryItOutEnabled: true, persistAuthorization: true, displayRequestDuration: true },
    // "Try it out" must call the server that serves the page, whatever its host and port: it comes first.
    transformSpecification: function thisServerFirst (spec, request) {
      const here = { url: `${request.protocol}://${request.host}`, description: 'This server' }
      const servers = (spec.servers ?? []) as Array<{ url: string }>
      return { ...spec, servers: [here, ...servers.filter((server) => server.url !== here.url)] }
    }
  })
}
