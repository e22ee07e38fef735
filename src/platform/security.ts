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

/**
 * The request's one Authorization header. Node keeps the first of several and drops the rest, where a proxy in
 * front may have checked another: with more than one, there is none, and the caller is not authenticated.
 */
export function authorizationHeader (request: FastifyRequest): string | undefined {
  const raw = request.raw.rawHeaders // name, value, name, value…
  let count = 0
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'authorization') count++
  return count === 1 ? request.headers.authorization : undefined
}

// RFC 6750 §2.1: the scheme is case-insensitive, the token is one token68.
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/** The token of an `Authorization: Bearer <token>` header; undefined for any other header, or none. */
export function bearerToken (header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1]
}

/** Whether `value` could be a bearer token at all (RFC 6750's token68). */
export function isToken68 (value: string): boolean {
  return bearerToken(`Bearer ${value}`) === value
}
