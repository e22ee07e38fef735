// What load balancers and monitoring ask: liveness, readiness (database reachable and every migration of
// its provider applied) and Prometheus metrics. No credentials, never rate limited; routes from the spec.
import { readdir } from 'node:fs/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Histogram } from 'prom-client'
import { sql } from 'kysely'
import { operations, type ReadinessResponse } from '../../generated/schemas.js'
import type { Database } from '../db/client.js'
import { isDatabaseUnavailable } from '../db/errors.js'
import { migrationsDirectory } from '../db/schema-engine.js'

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
  let applied: Set<string>
  try {
    await pingDatabase(db, roundTrip)
    applied = new Set(await appliedMigrations(db))
  } catch {
    return { status: 'not_ready', database: 'unreachable' }
  }
  const expected = await migrationNames(db)
  const pending = expected.filter((name) => !applied.has(name))
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

async function migrationNames ({ provider }: Database): Promise<string[]> {
  const entries = await readdir(migrationsDirectory(provider), { withFileTypes: true })
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
}

async function appliedMigrations ({ query }: Database): Promise<string[]> {
  try {
    const { rows } = await sql<{ migrationName: string }>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`.execute(query)
    return rows.map((row) => row.migrationName)
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error // lost since the ping: unreachable, not unmigrated
    return [] // no bookkeeping table yet: nothing was ever migrated
  }
}

export default operationsRoutes
