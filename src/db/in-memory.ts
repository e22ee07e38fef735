// DATABASE_URL=file::memory: a private database inside the serving process, for throwaway runs. The schema
// engine opens connections of its own, which would each get an empty in-memory database: so the migrations are
// applied to a scratch file, and its bytes are opened in memory (sqlite3_deserialize).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { migrate } from './migrate.js'

/** A freshly migrated database, as the bytes of its file. */
export async function migratedImage (): Promise<Buffer> {
  const directory = await mkdtemp(join(tmpdir(), 'tracker-users-memory-'))
  try {
    const file = join(directory, 'image.db')
    await migrate(`file:${file}`)
    const db = new Sqlite(file)
    try {
      db.pragma('journal_mode = DELETE') // WAL's pages folded into the file, whose header then says no WAL
      return db.serialize()
    } finally {
      db.close()
    }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}
