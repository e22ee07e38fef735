// Database errors that the services turn into answers, recognised by their stable codes.

function hasCode (error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}

/** A unique constraint refused the write: P2002 from Prisma; from the drivers themselves, SQLite's and Postgres' codes. */
export function isUniqueViolation (error: unknown): boolean {
  return hasCode(error, 'P2002') || hasCode(error, 'SQLITE_CONSTRAINT_UNIQUE') || hasCode(error, '23505')
}

/** A foreign key refused the write: the row it names is gone (P2003 from Prisma; SQLite's and Postgres' codes). */
export function isForeignKeyViolation (error: unknown): boolean {
  return hasCode(error, 'P2003') || hasCode(error, 'SQLITE_CONSTRAINT_FOREIGNKEY') || hasCode(error, '23503')
}

/**
 * Postgres aborted the statement or transaction to break a deadlock or a serialization conflict (40P01, 40001):
 * it rolled all of it back, and it may succeed when run again.
 */
export function isConflictAbort (error: unknown): boolean {
  return hasCode(error, '40P01') || hasCode(error, '40001')
}

// Prisma's codes for a database it cannot use right now: not reachable, timed out (SQLite's busy deadline is
// one), connection closed, no connection free in time, too many connections.
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037'])
// The kinds Prisma's driver adapters give those same failures (inside P2010/P2039 for raw or generic errors).
const ADAPTER_UNAVAILABLE = new Set(['DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections'])
// The network below pg: refused, reset, unreachable, timed out, name not resolved.
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
// Postgres SQLSTATEs: admin/crash shutdown, starting up or shutting down, too many connections.
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300'])
// Storage that cannot take a write: Postgres' disk full, out of memory, read-only transaction (a standby, or
// default_transaction_read_only), I/O error; SQLite's disk full, read-only file or directory, I/O error.
const POSTGRES_STORAGE = new Set(['53100', '53200', '25006', '58030'])
const SQLITE_STORAGE = /^SQLITE_(FULL|READONLY|IOERR)(_|$)/
// pg reports a lost or never-opened connection with these messages only: they carry no code.
const PG_CONNECTION_LOST = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable'
])

/**
 * The database cannot be used right now, wherever that surfaced: Prisma, its driver adapters, pg, or
 * better-sqlite3. Worth a 503 and a retry, never a 500: nothing is wrong with the request or the code.
 */
export function isDatabaseUnavailable (error: unknown): boolean {
  return anyCause(error, unavailable)
}

/**
 * Writes fail for want of storage (disk full, read-only database, I/O error): unavailability that lasts
 * until an operator acts, which readiness reports (see StorageHealth).
 */
export function isStorageFailure (error: unknown): boolean {
  return anyCause(error, (current) => storageCode(driverCode(current)))
}

/** `test` holds for the error or one of its first causes. */
function anyCause (error: unknown, test: (error: DatabaseError) => boolean): boolean {
  for (let depth = 0, current = error; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if (test(current as DatabaseError)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

interface DatabaseError {
  code?: unknown
  message?: unknown
  meta?: { driverAdapterError?: { cause?: AdapterCause } }
  name?: unknown
  cause?: unknown
}

interface AdapterCause { kind?: unknown, originalCode?: unknown }

/** What Prisma's driver adapters found under their own error, if it is one of theirs. */
function adapterCause (error: DatabaseError): AdapterCause | undefined {
  return error.meta?.driverAdapterError?.cause ?? (error.name === 'DriverAdapterError' ? error.cause as AdapterCause : undefined)
}

/** The driver's own code, under a Prisma adapter's wrapping or not. */
function driverCode (error: DatabaseError): unknown {
  const cause = adapterCause(error)
  return cause === undefined ? error.code : cause.originalCode
}

function unavailable (error: DatabaseError): boolean {
  const cause = adapterCause(error)
  if (cause !== undefined) return ADAPTER_UNAVAILABLE.has(cause.kind as string) || unavailableCode(cause.originalCode)
  return PRISMA_UNAVAILABLE.has(error.code as string) || unavailableCode(error.code) ||
    // Prisma shares P2028 among transaction errors; only this one means no connection came in time.
    (error.code === 'P2028' && String(error.message).includes('Unable to start a transaction in the given time')) ||
    (error.code === undefined && PG_CONNECTION_LOST.has(error.message as string))
}

/** A driver's own code: the network's, Postgres' (class 08 is "connection exception"), or SQLite's. */
function unavailableCode (code: unknown): boolean {
  if (typeof code !== 'string') return false
  return SOCKET_UNAVAILABLE.has(code) || POSTGRES_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code) ||
    /^SQLITE_(BUSY|CANTOPEN)(_|$)/.test(code) || storageCode(code)
}

function storageCode (code: unknown): boolean {
  return typeof code === 'string' && (POSTGRES_STORAGE.has(code) || SQLITE_STORAGE.test(code))
}
