// DATABASE_URL -> which database, and how to reach it. Pure: no file or network is touched here.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Provider = 'sqlite' | 'postgresql'

export type DatabaseTarget =
  | { provider: 'sqlite', file: string }
  | { provider: 'postgresql', connectionString: string, schema: string | undefined }

/** `file::memory:`: a private database inside the serving process (src/db/in-memory.ts). */
export const IN_MEMORY = ':memory:'

/** The embedded default: nothing to install, nothing to configure. Relative to the working directory. */
export const DEFAULT_SQLITE_FILE = './data/tracker-users.db'

const ACCEPTED = 'file:<path> (SQLite), postgresql://… or postgres://… (Postgres, optionally with ?schema=<name>)'
// A schema name goes into SQL and into the connection's search_path: keep it to a plain identifier.
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/

/** Unset or empty: the embedded SQLite file. */
export function parseDatabaseUrl (url?: string): DatabaseTarget {
  if (url === undefined || url === '') return { provider: 'sqlite', file: resolve(DEFAULT_SQLITE_FILE) }
  if (url.startsWith('file:')) return { provider: 'sqlite', file: sqliteFile(url) }
  if (/^postgres(ql)?:\/\//.test(url)) return postgres(url)
  // Never echo the URL itself: it may hold a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]
  throw new Error(`DATABASE_URL must be ${ACCEPTED}; got ${scheme ? `a "${scheme}:" URL` : 'something that is not a URL'}`)
}

export function databaseProvider (url?: string): Provider {
  return parseDatabaseUrl(url).provider
}

/** `file:./x.db`, `file:/abs/x.db` (Prisma's forms) and `file:///abs/x.db`; query parameters are ignored. */
function sqliteFile (url: string): string {
  const withoutQuery = url.replace(/\?.*$/, '')
  if (withoutQuery.startsWith('file://')) return fileURLToPath(withoutQuery)
  const path = withoutQuery.slice('file:'.length)
  if (path === '') throw new Error(`DATABASE_URL must be ${ACCEPTED}; the file: URL names no file`)
  return path === IN_MEMORY ? path : resolve(path)
}

/** Prisma's `?schema=` is ours to apply (pg would pass it to the server as an unknown parameter). */
function postgres (url: string): DatabaseTarget {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error('DATABASE_URL is not a valid postgresql:// URL (are special characters in the password percent-encoded?)')
  }
  const schema = parsed.searchParams.get('schema') ?? undefined
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`DATABASE_URL ?schema= must be a plain identifier (letters, digits, _ $ -), got "${schema}"`)
  }
  parsed.searchParams.delete('schema')
  return { provider: 'postgresql', connectionString: parsed.href, schema }
}
