// Prometheus metrics, one registry per app (tests build many apps in one process): requests by operation
// and status, a latency histogram, and the database's round trip. Served by GET /metrics (operations.ts).
// The round trip is measured by a `SELECT 1` at each scrape and readiness check rather than by wrapping the
// data layer: the repositories' queries bypass Prisma, and a wrapper would cost every query.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { registry: Registry, dbRoundTrip: Histogram }
  }
}

// From a cached read (~1 ms) to a slow write under load; Prometheus sums the rest into +Inf.
const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

async function metrics (app: FastifyInstance): Promise<void> {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const labelNames = ['operation', 'method', 'status'] as const
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by operation and status.', labelNames, registers: [registry] })
  const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Time to answer an HTTP request.', labelNames, buckets, registers: [registry] })
  const dbRoundTrip = new Histogram({
    name: 'db_round_trip_seconds',
    help: 'Time of a SELECT 1 through the connection pool, measured at each scrape and readiness check.',
    buckets,
    registers: [registry]
  })
  app.decorate('metrics', { registry, dbRoundTrip })
  app.addHook('onResponse', async function observeRequest (request, reply) {
    const labels = { operation: operationOf(request), method: request.method, status: String(reply.statusCode) }
    requests.inc(labels)
    duration.observe(labels, reply.elapsedTime / 1000)
  })
}

/** The operationId: bounded, and the name the spec and the handlers use. Swagger UI's routes by URL pattern. */
function operationOf (request: FastifyRequest): string {
  return request.routeOptions.config.operationId ?? request.routeOptions.url ?? 'unmatched'
}

export default fp(metrics, { name: 'metrics' })
