// Browser apps of either vendor's API, from the origins a deployment names (CORS_ORIGINS; none by default).
// The credentials travel in headers (Api-Key, Authorization), never cookies, so no credentialed CORS.
import type { FastifyCorsOptions } from '@fastify/cors'

export function corsOptions (origins: string[]): FastifyCorsOptions {
  return {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Api-Key', 'Authorization', 'Content-Type', 'If-Match', 'X-Request-Id'],
    exposedHeaders: ['ETag', 'Retry-After', 'X-Request-Id', 'WWW-Authenticate'],
    maxAge: 600
  }
}
