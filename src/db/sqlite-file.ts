// The SQLite file a DATABASE_URL names, made ready before Prisma's engines touch it: their errors for a path
// that cannot be used say nothing of the path ("External error id#0"), where a deployer needs one line
// naming it and what to do.
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import Sqlite from 'better-sqlite3'

/** Creates the file's directory and opens the file once, or throws a one-line error naming the path. */
export async function prepareSqliteFile (file: string): Promise<void> {
  const directory = dirname(file)
  try {
    await mkdir(directory, { recursive: true })
  } catch (error) {
    throw unusable(`cannot create the directory ${directory}`, error)
  }
  try {
    new Sqlite(file).close()
  } catch (error) {
    throw unusable(`cannot open ${file} as a SQLite database`, error)
  }
}

function unusable (what: string, error: unknown): Error {
  const code = (error as { code?: unknown }).code
  // better-sqlite3 loads its compiled part at the first open: one built for another Node (an upgrade without a
  // rebuild, node_modules copied across) fails here, and no DATABASE_URL would help.
  if (code === 'ERR_DLOPEN_FAILED') {
    const reason = (error as Error).message.replace(/\s+/g, ' ').trim()
    return new Error(`better-sqlite3, the SQLite driver, does not load in Node ${process.version}: ${reason} Run \`npm rebuild better-sqlite3\` with this Node.`, { cause: error })
  }
  return new Error(`DATABASE_URL: ${what}${typeof code === 'string' ? ` (${code})` : ''}; point DATABASE_URL at a file in a directory this process can write`, { cause: error })
}
