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
