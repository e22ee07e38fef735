// The spec decides who may call what: each generated operation carries its security scheme names in
// `config.security`, and each dialect's hook authenticates exactly the routes that name its scheme.
import type { FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation of openapi.yaml a route serves: metrics and logs name routes by it. */
    operationId?: string
    security?: readonly string[]
  }
}

export function requires (request: FastifyRequest, scheme: string): boolean {
  return request.routeOptions.config.security?.includes(scheme) ?? false
}
