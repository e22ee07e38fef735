// Swagger UI at /docs over the hand-written openapi.yaml, served as it is (static mode: nothing is
// generated from the routes, the document is the contract).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import swagger, { type StaticDocumentSpec } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { parse } from 'yaml'
import { PACKAGE_ROOT } from './package-root.js'

export const specPath = join(PACKAGE_ROOT, 'openapi.yaml')

let specification: Promise<StaticDocumentSpec['document']> | undefined

/** openapi.yaml, parsed once per process (@fastify/swagger's `path` parses it for every app; tests build hundreds). */
function openapiDocument (): Promise<StaticDocumentSpec['document']> {
  specification ??= readFile(specPath, 'utf8').then((text) => parse(text) as StaticDocumentSpec['document'])
  return specification
}

export async function docs (app: FastifyInstance): Promise<void> {
  await app.register(swagger, { mode: 'static', specification: { document: await openapiDocument() } })
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
