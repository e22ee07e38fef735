// The database of a URL: SQLite (embedded default) or Postgres, as the app's own driver connection with Kysely
// on it (drivers.ts, query.ts), which every repository queries; the feed of credential changes; and, only when
// asked for, a Prisma client, which tests look behind the API with (the server and the CLI never load it).
import { sql } from 'kysely'
import type pg from 'pg'
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import type { PrismaClient as SqliteClient } from '../../generated/prisma/sqlite/client/client.js'
import { postgresPoolConfig, type ConnectionOptions } from './connection-settings.js'
import { CREDENTIALS_CHANNEL, CredentialChanges, PostgresCredentialChanges, SqliteCredentialChanges } from './credential-changes.js'
import { PostgresDriver, SqliteDriver } from './drivers.js'
import { postgresQuery, sqliteQuery, transaction, type Query } from './query.js'
import { prepareSqliteFile } from './sqlite-file.js'
import { StorageHealth } from './storage-health.js'
import { ANY_TENANT, asTenant, TenantPool, type Tenant } from './tenant.js'
import { IN_MEMORY, parseDatabaseUrl, type DatabaseTarget, type Provider } from './url.js'

/**
 * The client type of `db.prisma` (tests). Both generated clients come from the same models.prisma, so their
 * model APIs are identical; they differ only in provider-specific extras (e.g. `mode: 'insensitive'`
 * filters on Postgres) that this code does not use. The SQLite client's type stands for both.
 */
export type PrismaClient = SqliteClient

/** The app's own connection, which `query` runs on. */
export type Driver =
  | { provider: 'sqlite', sqlite: SqliteDriver }
  | { provider: 'postgresql', postgres: PostgresDriver }

export interface Database {
  /** The repositories' queries (query.ts). */
  query: Query
  /** Only if opened with `{ prisma: true }`: reading it otherwise throws. */
  readonly prisma: PrismaClient
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

export interface DatabaseOptions extends ConnectionOptions {
  /** A pooled Postgres connection was lost while idle (restart, network); the next query opens a new one. */
  onConnectionLost?: (error: Error) => void
  /**
   * Also open a Prisma client, as `db.prisma`: tests look behind the API with it. The server and the CLI query
   * only through `query`, and never load Prisma's client (it costs tens of MB and most of a second).
   */
  prisma?: boolean
}

/** `url` unset: the embedded SQLite file. Connects at once, so a wrong URL fails here, not on a request. */
export async function openDatabase (url?: string, options: DatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url)
  const db = target.provider === 'sqlite' ? await openSqlite(target.file, options) : await openPostgres(target, options)
  try {
    await sql`SELECT 1`.execute(db.query)
  } catch (error) {
    await db.close()
    throw error
  }
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

async function openSqlite (file: string, options: DatabaseOptions): Promise<Database> {
  if (file === IN_MEMORY && options.prisma === true) throw new Error('an in-memory database has one connection: Prisma\'s would be another, empty one')
  if (file !== IN_MEMORY) await prepareSqliteFile(file)
  const sqlite = new SqliteDriver(file === IN_MEMORY ? await (await import('./in-memory.js')).migratedImage() : file, options.sqliteBusyTimeoutMs)
  const credentials = new SqliteCredentialChanges(sqlite)
  const prisma = options.prisma === true
    ? droppingCachesOnWrites(await prismaClient('sqlite', (await import('./adapters.js')).adapterFor({ provider: 'sqlite', file }, options)), credentials)
    : undefined
  return {
    query: sqliteQuery(sqlite),
    get prisma () { return opened(prisma) },
    provider: 'sqlite',
    driver: { provider: 'sqlite', sqlite },
    credentials,
    asTenant: (_tenant, work) => work(),
    storage: new StorageHealth(),
    close: async () => {
      sqlite.close()
      await prisma?.$disconnect()
    }
  }
}

async function openPostgres (target: Extract<DatabaseTarget, { provider: 'postgresql' }>, options: DatabaseOptions): Promise<Database> {
  const config = postgresPoolConfig(target)
  const pool = new TenantPool(config)
  // An 'error' event without a listener would crash the process; pg has already dropped the broken client.
  pool.on('error', options.onConnectionLost ?? (() => {}))
  const credentials = new PostgresCredentialChanges(config)
  const postgres = new PostgresDriver(pool)
  const prisma = options.prisma === true ? droppingCachesOnWrites(await prismaClient('postgresql', await prismaPg(pool, target.schema)), credentials) : undefined
  return {
    query: postgresQuery(postgres),
    get prisma () { return opened(prisma) },
    provider: 'postgresql',
    driver: { provider: 'postgresql', postgres },
    credentials,
    asTenant,
    storage: new StorageHealth(),
    close: async () => {
      await credentials.close()
      await prisma?.$disconnect()
      await pool.end()
    }
  }
}

async function prismaPg (pool: pg.Pool, schema: string | undefined): Promise<SqlDriverAdapterFactory> {
  const { PrismaPg } = await import('@prisma/adapter-pg')
  return new PrismaPg(pool, schema === undefined ? undefined : { schema })
}

function opened (prisma: PrismaClient | undefined): PrismaClient {
  if (prisma === undefined) throw new Error('this database was opened without a Prisma client: openDatabase(url, { prisma: true })')
  return prisma
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
export async function changeCredentials<T> (db: Pick<Database, 'query' | 'provider' | 'credentials'>, write: (query: Query) => Promise<T>): Promise<T> {
  try {
    return await transaction(db.query, async (trx) => {
      const result = await write(trx)
      if (db.provider === 'postgresql') await sql`SELECT pg_notify(${CREDENTIALS_CHANNEL}, current_schema())`.execute(trx)
      return result
    })
  } finally {
    db.credentials.changed()
  }
}
