// Database errors that the services turn into answers, recognised by their stable codes.

function hasCode (error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}

/** An update or delete whose `where` matched no row (P2025). */
export function isRecordNotFound (error: unknown): boolean {
  return hasCode(error, 'P2025')
}

/** A unique constraint refused the write: P2002 from Prisma; from the drivers themselves, SQLite's and Postgres' codes. */
export function isUniqueViolation (error: unknown): boolean {
  return hasCode(error, 'P2002') || hasCode(error, 'SQLITE_CONSTRAINT_UNIQUE') || hasCode(error, '23505')
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
  for (let depth = 0, current = error; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if (unavailable(current as DatabaseError)) return true
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

function unavailable (error: DatabaseError): boolean {
  const cause = error.meta?.driverAdapterError?.cause ?? (error.name === 'DriverAdapterError' ? error.cause as AdapterCause : undefined)
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
    /^SQLITE_(BUSY|CANTOPEN|IOERR)(_|$)/.test(code)
}
