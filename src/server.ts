// Process entry: read the environment, migrate the embedded database, listen, and close gracefully. A start that
// fails (bad configuration, database unreachable, port taken) ends with one line on stderr and exit code 1.
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { loadConfig } from './config.js'
import { databaseProvider } from './db/url.js'
import { migrate } from './db/migrate.js'
import { loggerOptions } from './platform/logging.js'

async function start (): Promise<void> {
  const config = loadConfig()

  // The embedded SQLite default must work with no set-up step; Postgres is migrated on purpose
  // (`tracker-users migrate`), once, not by every instance at start.
  if (databaseProvider(config.databaseUrl) === 'sqlite') await migrate(config.databaseUrl)

  const app = await buildApp({
    databaseUrl: config.databaseUrl,
    tokenTtlSeconds: config.tokenTtlSeconds,
    rateLimit: {
      max: config.rateLimitMax,
      failedAuthenticationMax: config.rateLimitFailedAuthMax,
      windowSeconds: config.rateLimitWindowSeconds,
      redisUrl: config.redisUrl,
      prefix: config.rateLimitPrefix
    },
    trustProxy: config.trustProxy,
    // Pretty logs only for a person at a terminal; JSON everywhere else.
    logger: loggerOptions({ level: config.logLevel, pretty: process.stdout.isTTY })
  })

  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    await app.close()
  })

  await app.listen({ host: config.host, port: config.port })
}

try {
  await start()
} catch (error) {
  // The first line says what is wrong and what to set; a stack trace would only bury it.
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`tracker-users: cannot start: ${message.split('\n')[0]}\n`)
  process.exit(1)
}
