// What every `tracker-users` command shares: the database the server uses, and one way to print results.
import { loadDatabaseConfig } from '../config.js'
import { openDatabase, type Database } from '../db/client.js'
import { migrate, resolveMigration } from '../db/migrate.js'
import { migrationState, MigrationError, sqliteFileMigrated, unmigrated } from '../db/migrations.js'
import { IN_MEMORY, parseDatabaseUrl } from '../db/url.js'

/**
 * Opens the database for one command; the embedded default is migrated first, as `npm start` does, and one
 * that lacks migrations (Postgres, migrated on purpose) is refused before any work, as the server refuses it.
 */
export async function withDatabase<T> (work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openForCommand()
  try {
    const { pending } = await migrationState(db)
    if (pending.length > 0) throw unmigrated(pending, 'run this again')
    return await work(db)
  } finally {
    await db.close()
  }
}

/** Migrated (SQLite) and open. */
function openForCommand (): Promise<Database> {
  const { databaseUrl } = loadDatabaseConfig()
  return explained(async () => {
    const target = parseDatabaseUrl(databaseUrl)
    if (target.provider === 'sqlite' && !await sqliteFileMigrated(target.file)) await migrate(databaseUrl)
    return openDatabase(databaseUrl)
  })
}

/** `tracker-users migrate`; the app role from --app-role, else DATABASE_APP_ROLE. */
export function migrateForCommand (appRole?: string): Promise<{ applied: string[] }> {
  const { databaseUrl, databaseAppRole } = loadDatabaseConfig()
  return explained(() => migrate(databaseUrl, { appRole: appRole ?? databaseAppRole }))
}

/** `tracker-users migrate resolve`. */
export function resolveForCommand (name: string, as: 'rolled-back' | 'applied'): Promise<{ resolved: string, as: string }> {
  return explained(() => resolveMigration(loadDatabaseConfig().databaseUrl, name, as))
}

/** Runs database work; a failure says which database and why, in one line, without the URL's password. */
async function explained<T> (work: () => Promise<T>): Promise<T> {
  const target = parseDatabaseUrl(loadDatabaseConfig().databaseUrl) // a malformed URL explains itself
  if (target.provider === 'sqlite' && target.file === IN_MEMORY) {
    throw new Error('DATABASE_URL=file::memory: is a database inside one server process, which no command can reach: start the server with SEED_FILE, or with ADMIN_TOKEN and use its Admin operations')
  }
  try {
    return await work()
  } catch (error) {
    if (error instanceof MigrationError) throw error // the database was reached: the message says what failed
    const where = target.provider === 'sqlite' ? `the SQLite file ${target.file}` : `Postgres at ${new URL(target.connectionString).host}`
    throw new Error(`cannot open ${where} (DATABASE_URL): ${reason(error as Error)}`, { cause: error })
  }
}

// The network's codes, as an operator would say them.
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed'
}

function reason (error: Error): string {
  const why = UNREACHABLE[String((error as { code?: unknown }).code)]
  return why === undefined ? oneLine(error.message) : `Can't reach database server (${why})`
}

/** Prisma's messages span lines and start with the call that failed ("Invalid `prisma.x()` invocation:"). */
function oneLine (message: string): string {
  return message.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('Invalid `')).join(' ')
}

/** Where a command writes: the process's stdout and stderr, or its caller's (tests run commands in-process). */
export interface Output {
  writeOut: (text: string) => void
  writeErr: (text: string) => void
}

export const processOutput: Output = {
  writeOut: (text) => { process.stdout.write(text) },
  writeErr: (text) => { process.stderr.write(text) }
}

/** Writes one line to the output. */
export function printLine (output: Output, line: string): void {
  output.writeOut(`${line}\n`)
}

/** Prints a result as JSON, or as `key: value` lines for a person. */
export function print (output: Output, result: object, json: boolean): void {
  if (json) return printLine(output, JSON.stringify(result))
  for (const [key, value] of Object.entries(result)) printLine(output, `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
}
