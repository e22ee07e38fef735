// The Prisma client for the database of a URL: SQLite (embedded default) or Postgres.
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Prisma, PrismaClient as SqliteClient } from '../../generated/prisma/sqlite/client/client.js'
import { PrismaClient as PostgresClient } from '../../generated/prisma/postgres/client/client.js'
import { adapterFor } from './adapters.js'
import { parseDatabaseUrl, type Provider } from './url.js'

/**
 * The one client type the services use. Both generated clients come from the same models.prisma, so their
 * model APIs are identical; they differ only in provider-specific extras (e.g. `mode: 'insensitive'`
 * filters on Postgres) that this code does not use. The SQLite client's type stands for both.
 */
export type PrismaClient = SqliteClient
export type { PlaspyAccount, PlaspyApiKey, PlaspyToken, PlaspyUsage, PlaspyUser, RoamAccount, RoamApiKey, RoamGroup, RoamProject, RoamUser } from '../../generated/prisma/sqlite/client/client.js'
export { Prisma }

export interface Database {
  prisma: PrismaClient
  provider: Provider
  close (): Promise<void>
}

/** `url` unset: the embedded SQLite file. Connects at once, so a wrong URL fails here, not on a request. */
export async function openDatabase (url?: string): Promise<Database> {
  const target = parseDatabaseUrl(url)
  if (target.provider === 'sqlite' && target.file !== ':memory:') await mkdir(dirname(target.file), { recursive: true })
  const adapter = adapterFor(target)
  const prisma = target.provider === 'sqlite'
    ? new SqliteClient({ adapter })
    : new PostgresClient({ adapter }) as unknown as PrismaClient // same API, see PrismaClient above
  try {
    await prisma.$queryRaw`SELECT 1`
  } catch (error) {
    await prisma.$disconnect()
    throw error
  }
  return { prisma, provider: target.provider, close: () => prisma.$disconnect() }
}

/**
 * A value for a Json column. Prisma refuses a bare `null` there: SQL NULL has to be spelled `Prisma.DbNull`
 * (the same runtime object for both generated clients).
 */
export function jsonColumn (value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : value as Prisma.InputJsonValue
}
