// Process entry: read the environment, migrate the embedded database, listen, and close gracefully. A start that
// fails (bad configuration, database unreachable, port taken) ends with one line on stderr and exit code 1.
import closeWithGrace from 'close-with-grace'
import { sql } from 'kysely'
import { buildApp, type App } from './app.js'
import { loadConfig, readEnvFile } from './config.js'
import { IN_MEMORY, parseDatabaseUrl } from './db/url.js'
import { sqliteFileMigrated, unmigrated } from './db/migrations.js'
import type { FixtureDocument } from './fixtures/schema.js'
import { loggerOptions } from './platform/logging.js'
import { checkReadiness } from './platform/operations.js'

async function start (): Promise<void> {
  readEnvFile()
  const config = loadConfig()

  // The embedded SQLite default must work with no set-up step; Postgres is migrated on purpose
  // (`tracker-users migrate`), once, not by every instance at start; an in-memory database, as it opens.
  const target = parseDatabaseUrl(config.databaseUrl)
  if (target.provider === 'sqlite' && target.file !== IN_MEMORY && !await sqliteFileMigrated(target.file)) {
    await (await import('./db/migrate.js')).migrate(config.databaseUrl) // Prisma's schema engine loads only for this
  }
  // Read before anything opens; the fixtures' modules (YAML, the schema's validator) load only when there is a file.
  const fixtures = config.seedFile === undefined ? undefined : await (await import('./fixtures/document.js')).readFixtures(config.seedFile)

  const app = await buildApp({
    databaseUrl: config.databaseUrl,
    tokenTtlSeconds: config.tokenTtlSeconds,
    tokenSigningKey: config.tokenSigningKey,
    rateLimit: {
      max: config.rateLimitMax,
      failedAuthenticationMax: config.rateLimitFailedAuthMax,
      windowSeconds: config.rateLimitWindowSeconds,
      redisUrl: config.redisUrl,
      prefix: config.rateLimitPrefix
    },
    trustProxy: config.trustProxy,
    corsOrigins: config.corsOrigins,
    admin: config.adminToken === undefined ? undefined : { token: config.adminToken, databaseUrl: config.adminDatabaseUrl },
    // Pretty logs only for a person at a terminal; JSON everywhere else.
    logger: loggerOptions({ level: config.logLevel, pretty: process.stdout.isTTY })
  })

  await refuseWithoutRights(app, config.databaseUrl)
  await refuseUnmigrated(app)
  if (fixtures !== undefined) await seedOrClose(app, fixtures)

  // Bounded whatever hangs (a request whose body never ends, a response that failed half-sent): past the grace
  // period the process exits 1 with one log line, so a supervisor never waits on a server that stopped listening.
  closeWithGrace({
    delay: config.shutdownGraceSeconds * 1000,
    logger: false,
    onTimeout: () => app.log.error({ graceSeconds: config.shutdownGraceSeconds }, 'requests still in flight after the grace period: exiting'),
    onSecondSignal: (signal) => app.log.error({ signal }, 'second signal while draining: exiting')
  }, async ({ err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    try {
      await app.close()
    } catch (error) {
      app.log.error({ err: error }, 'closing failed: exiting') // close-with-grace exits 1 and, with logger off, says nothing
      throw error
    }
  })

  await app.listen({ host: config.host, port: config.port })
}

/** SEED_FILE: loaded before the first request, or the start fails with the reason in one line. */
async function seedOrClose (app: App, fixtures: FixtureDocument): Promise<void> {
  try {
    const { seed } = await import('./fixtures/seed.js')
    const added = await seed(app.db, fixtures)
    app.log.info({ added }, 'fixtures loaded (SEED_FILE)')
  } catch (error) {
    await app.close()
    const denied = (error as { code?: string }).code === '42501'
    throw new Error(`SEED_FILE: ${denied ? 'the server\'s login may not write accounts and keys on Postgres: load it with `tracker-users seed FILE` as the tables\' owner' : (error as Error).message}`)
  }
}

/**
 * A database that answers but lacks migrations would fail every request: refuse to serve it. One that does not
 * answer yet is served (503 until it does, and /readyz says not ready), as an instance may start before it.
 */
async function refuseUnmigrated (app: App): Promise<void> {
  const readiness = await checkReadiness(app.db)
  if (readiness.migrations === undefined || readiness.migrations.pending.length === 0) return
  await app.close()
  throw unmigrated(readiness.migrations.pending, 'start again')
}

/**
 * A Postgres login the database answers but that may not read this deployment's tables: not (or no longer) granted
 * its app role. Without USAGE on the schema the tables look absent, so ask the catalog, which anyone may read.
 */
async function refuseWithoutRights (app: App, databaseUrl: string | undefined): Promise<void> {
  const target = parseDatabaseUrl(databaseUrl)
  if (target.provider !== 'postgresql') return
  const schema = target.schema ?? 'public'
  const { rows: [rights] } = await sql<{ migrated: boolean, readable: boolean }>`
    SELECT EXISTS (SELECT FROM pg_tables WHERE schemaname = ${schema} AND tablename = '_prisma_migrations') AS migrated,
      has_schema_privilege(${schema}, 'USAGE') AND has_table_privilege(format('%I._prisma_migrations', ${schema}::text), 'SELECT') AS readable
    FROM pg_namespace WHERE nspname = ${schema}`.execute(app.db.query).catch(() => ({ rows: [] }))
  if (rights === undefined || !rights.migrated || rights.readable) return
  await app.close()
  throw new Error('the database login may not read the tables: grant it this deployment\'s app role ' +
    '(as the tables\' owner: SELECT tracker_users_app_role(); then GRANT that role TO the login), then start again')
}

try {
  await start()
} catch (error) {
  // The first line says what is wrong and what to set; a stack trace would only bury it.
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`tracker-users: cannot start: ${message.split('\n')[0]}\n`)
  process.exit(1)
}
