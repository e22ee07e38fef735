// What load balancers and monitoring ask: liveness, readiness (database reachable and every migration of
// its provider applied) and Prometheus metrics. No credentials, never rate limited; routes from the spec.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Histogram } from 'prom-client'
import { sql } from 'kysely'
import { operations, type ReadinessResponse } from '../../generated/schemas.js'
import type { Database } from '../db/client.js'
import { migrationState } from '../db/migrations.js'

const operationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...operations.getRoot,
    handler: async function getRoot (_request, reply) {
      return reply.redirect('/docs', 302)
    }
  })

  app.route({
    ...operations.getHealth,
    handler: async function getHealth () {
      return { status: 'ok' } as const
    }
  })

  app.route({
    ...operations.getReadiness,
    handler: async function getReadiness (_request, reply) {
      const readiness = await checkReadiness(app.db, app.metrics.dbRoundTrip)
      return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness)
    }
  })

  app.route({
    ...operations.getMetrics,
    handler: async function getMetrics (_request, reply) {
      await pingDatabase(app.db, app.metrics.dbRoundTrip).catch(() => {}) // a failure shows as no new sample
      return reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics())
    }
  })
}

/**
 * Ready when the database answers, takes writes (none failed for want of storage lately) and
 * `_prisma_migrations` records every migration directory as finished.
 */
export async function checkReadiness (db: Database, roundTrip?: Histogram): Promise<ReadinessResponse> {
  let expected: string[], pending: string[]
  try {
    await pingDatabase(db, roundTrip)
    ;({ expected, pending } = await migrationState(db))
  } catch {
    return { status: 'not_ready', database: 'unreachable' }
  }
  const writable = !db.storage.failing
  return {
    status: pending.length === 0 && writable ? 'ready' : 'not_ready',
    database: writable ? 'ok' : 'unwritable',
    migrations: { applied: expected.length - pending.length, expected: expected.length, pending }
  }
}

async function pingDatabase ({ query }: Database, roundTrip?: Histogram): Promise<void> {
  const stop = roundTrip?.startTimer()
  await sql`SELECT 1`.execute(query)
  stop?.()
}

export default operationsRoutes
