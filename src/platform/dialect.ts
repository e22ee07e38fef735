// The kernel every set of routes with a credential plugs into (Roam, Plaspy, Admin): the principal on the request,
// authentication of exactly the routes whose operation names the dialect's security scheme, the tenant its
// handlers run in, the key its requests count against in the rate limits, and its error envelope. A dialect's
// folder then holds only what is its own: how it authenticates, whose data a principal sees, its envelope, its routes.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Tenant } from '../db/tenant.js'
import { isForeignKeyViolation } from '../db/errors.js'
import { errorHandler, type ApiError, type RenderError } from './errors.js'
import { requires } from './security.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the dialect's authentication on every route whose operation names its scheme; null on others. */
    principal: unknown
    /** What the request counts against in the rate limits (src/platform/rate-limit.ts); '' before authentication. */
    rateLimitKey: string
  }
}

export interface Dialect<P> {
  /** The security scheme of openapi.yaml this dialect authenticates. */
  scheme: string
  /** The principal of the request's credential; throws an `unauthorized` ApiError otherwise. */
  authenticate: (request: FastifyRequest) => Promise<P>
  /** Throws a `forbidden` ApiError when the principal may not do what the request asks (its error still knows it). */
  authorize?: (principal: P, request: FastifyRequest) => void
  /** The tenant whose rows the handler may see (row-level security on Postgres); none: the whole database. */
  tenant?: (principal: P) => Tenant
  /** The rate limit a principal counts against (every key of one Roam project shares one); '': not limited. */
  rateLimitKey: (principal: P) => string
  /**
   * The dialect's answer to a credential that no longer holds. A write that a foreign key refuses, after the
   * request was authenticated, met its tenant deleted meanwhile (a reset, say): the credential went with it.
   */
  credentialGone?: () => ApiError
  render: RenderError<P>
}

/** Installs `dialect` in this (encapsulated) plugin; answers how its handlers read their principal, typed. */
export function useDialect<P> (app: FastifyInstance, dialect: Dialect<P>): (request: FastifyRequest) => P {
  const { credentialGone } = dialect
  app.setErrorHandler(errorHandler(dialect.render, (request) => (request.principal ?? undefined) as P | undefined,
    credentialGone && ((error) => isForeignKeyViolation(error) ? credentialGone() : undefined)))
  app.addHook('onRequest', async (request) => {
    if (!requires(request, dialect.scheme)) return
    const principal = await dialect.authenticate(request)
    request.principal = principal
    request.rateLimitKey = dialect.rateLimitKey(principal)
    dialect.authorize?.(principal, request)
  })
  const { tenant } = dialect
  // The handler, last before it, runs inside the tenant: its queries see no other tenant's rows.
  if (tenant !== undefined) {
    app.addHook('preHandler', (request, _reply, done) => {
      if (request.principal !== null) app.db.asTenant(tenant(request.principal as P), done)
      else done()
    })
  }
  return (request) => request.principal as P
}
