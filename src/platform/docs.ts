// Swagger UI at /docs over the hand-written openapi.yaml, served as it is (static mode: nothing is
// generated from the routes, the document is the contract).
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

export const specPath = fileURLToPath(new URL('../../openapi.yaml', import.meta.url))

export async function docs (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    mode: 'static',
    specification: { path: specPath, baseDir: fileURLToPath(new URL('../..', import.meta.url)) }
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true, tryItOutEnabled: true } })
}
