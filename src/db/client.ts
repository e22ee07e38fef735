// The database of a URL: SQLite (embedded default) or Postgres, as the app's own driver connection with Kysely
// on it (drivers.ts, query.ts), a Prisma client for what has not moved to Kysely yet (Roam's services, the
// CLI's Roam keys), and the feed of credential changes.
import { PrismaPg } from '@prisma/adapter-pg'
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { Prisma, type PrismaClient as SqliteClient } from '../../generated/prisma/sqlite/client/client.js'
import { adapterFor, postgresPoolConfig, type ConnectionOptions } from './adapters.js'
import { CREDENTIALS_CHANNEL, CredentialChanges, PostgresCredentialChanges, SqliteCredentialChanges } from './credential-changes.js'
import { PostgresDriver, SqliteDriver } from './drivers.js'
import { postgresQuery, sqliteQuery, type Query } from './query.js'
import { prepareSqliteFile } from './sqlite-file.js'
import { StorageHealth } from './storage-health.js'
import { ANY_TENANT, asTenant, TenantPool, type Tenant } from './tenant.js'
import { parseDatabaseUrl, type DatabaseTarget, type Provider } from './url.js'

/**
 * The one client type the services use. Both generated clients come from the same models.prisma, so their
 * model APIs are identical; they differ only in provider-specific extras (e.g. `mode: 'insensitive'`
 * filters on Postgres) that this code does not use. The SQLite client's type stands for both.
 */
export type PrismaClient = SqliteClient
export type { PlaspyAccount, PlaspyApiKey, PlaspyToken, PlaspyUsage, PlaspyUser, RoamAccount, RoamApiKey, RoamGroup, RoamProject, RoamUser } from '../../generated/prisma/sqlite/client/client.js'
export { Prisma }

/** The app's own connection, under `query` and Roam's hot paths (src/roam/sql.<provider>.ts). */
export type Driver =
  | { provider: 'sqlite', sqlite: SqliteDriver }
  | { provider: 'postgresql', postgres: PostgresDriver }

export interface Database {
  /** The repositories' queries (query.ts). */
  query: Query
  prisma: PrismaClient
  provider: Provider
  driver: Driver
  /** Credential changes from anywhere; caches of credentials subscribe here. */
  credentials: CredentialChanges
  /**
   * Runs `work` with its queries scoped to `tenant` by row-level security (Postgres, see tenant.ts); the
   * queries filter by tenant themselves as well; ANY_TENANT for the SECURITY DEFINER functions that look a
   * credential up. SQLite has no roles: there it just runs `work` (and no AsyncLocalStorage slows every
   * promise of the process).
   */
  asTenant<T> (tenant: Tenant | typeof ANY_TENANT, work: () => T): T
  /** Writes failing for want of storage (disk full, read-only): noted by the error handler, read by readiness. */
  storage: StorageHealth
  close (): Promise<void>
}

// Which Database a Prisma client belongs to: the services that change credentials are handed only the client.
const databases = new WeakMap<PrismaClient, Database>()

export interface DatabaseOptions extends ConnectionOptions {
  /** A pooled Postgres connection was lost while idle (restart, network); the next query opens a new one. */
  onConnectionLost?: (error: Error) => void
}

/** `url` unset: the embedded SQLite file. Connects at once, so a wrong URL fails here, not on a request. */
export async function openDatabase (url?: string, options: DatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url)
  const db = target.provider === 'sqlite' ? await openSqlite(target.file, options) : await openPostgres(target, options)
  try {
    await db.prisma.$queryRaw`SELECT 1`
  } catch (error) {
    await db.close()
    throw error
  }
  databases.set(db.prisma, db)
  return db
}

const READS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy'])

/**
 * Any write through this client to a table that cached credentials are read from (Roam keys and projects)
 * drops the caches once it is done, whoever wrote it: changeCredentials or a plain update. On SQLite,
 * data_version notices these too; on Postgres only this does, NOTIFY being sent by changeCredentials alone.
 * (Inside an interactive transaction this would run before the commit: credentials are never changed in one.)
 */
function droppingCachesOnWrites (prisma: PrismaClient, credentials: CredentialChanges): PrismaClient {
  const afterWrites = {
    async $allOperations ({ operation, args, query }: { operation: string, args: unknown, query: (args: unknown) => Promise<unknown> }) {
      const result = await query(args)
      if (!READS.has(operation)) credentials.changed()
      return result
    }
  }
  return prisma.$extends({ query: { roamApiKey: afterWrites, roamProject: afterWrites } }) as unknown as PrismaClient
}

async function openSqlite (file: string, options: ConnectionOptions): Promise<Database> {
  // The hot paths use a connection of their own: an in-memory database would be a different one on each.
  if (file === ':memory:') throw new Error('DATABASE_URL: an in-memory SQLite database is not supported; name a file')
  await prepareSqliteFile(file)
  const prisma = await prismaClient('sqlite', adapterFor({ provider: 'sqlite', file }, options))
  const sqlite = new SqliteDriver(file, options.sqliteBusyTimeoutMs)
  const credentials = new SqliteCredentialChanges(sqlite)
  return {
    query: sqliteQuery(sqlite),
    prisma: droppingCachesOnWrites(prisma, credentials),
    provider: 'sqlite',
    driver: { provider: 'sqlite', sqlite },
    credentials,
    asTenant: (_tenant, work) => work(),
    storage: new StorageHealth(),
    close: async () => {
      sqlite.close()
      await prisma.$disconnect()
    }
  }
}

async function openPostgres (target: Extract<DatabaseTarget, { provider: 'postgresql' }>, options: DatabaseOptions): Promise<Database> {
  const config = postgresPoolConfig(target)
  const pool = new TenantPool(config)
  // An 'error' event without a listener would crash the process; pg has already dropped the broken client.
  pool.on('error', options.onConnectionLost ?? (() => {}))
  const adapter = new PrismaPg(pool, target.schema === undefined ? undefined : { schema: target.schema })
  const prisma = await prismaClient('postgresql', adapter)
  const credentials = new PostgresCredentialChanges(config)
  const postgres = new PostgresDriver(pool)
  return {
    query: postgresQuery(postgres),
    prisma: droppingCachesOnWrites(prisma, credentials),
    provider: 'postgresql',
    driver: { provider: 'postgresql', postgres },
    credentials,
    asTenant,
    storage: new StorageHealth(),
    close: async () => {
      await credentials.close()
      await prisma.$disconnect()
      await pool.end()
    }
  }
}

/** Only the provider's generated client is loaded (each costs memory). */
async function prismaClient (provider: Provider, adapter: SqlDriverAdapterFactory): Promise<PrismaClient> {
  // 'minimal': Prisma would otherwise capture a stack trace (`new Error()`) on every query to pretty-print errors.
  const options = { adapter, errorFormat: 'minimal' as const }
  if (provider === 'sqlite') {
    const { PrismaClient } = await import('../../generated/prisma/sqlite/client/client.js')
    return new PrismaClient(options)
  }
  const { PrismaClient } = await import('../../generated/prisma/postgres/client/client.js')
  return new PrismaClient(options) as unknown as PrismaClient // same API, see PrismaClient above
}

/**
 * Writes that revoke or change credentials, in one transaction that on Postgres also NOTIFYs every other
 * process; this process's caches are dropped directly, without waiting for its own notification.
 */
export async function changeCredentials (prisma: PrismaClient, writes: Prisma.PrismaPromise<unknown>[]): Promise<unknown[]> {
  const db = databases.get(prisma)
  const notify = db?.provider === 'postgresql' ? [prisma.$executeRawUnsafe(`NOTIFY ${CREDENTIALS_CHANNEL}`)] : []
  try {
    return (await prisma.$transaction([...writes, ...notify])).slice(0, writes.length)
  } finally {
    db?.credentials.changed()
  }
}

/**
 * A value for a Json column. Prisma refuses a bare `null` there: SQL NULL has to be spelled `Prisma.DbNull`
 * (the same runtime object for both generated clients).
 */
export function jsonColumn (value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : value as Prisma.InputJsonValue
}
